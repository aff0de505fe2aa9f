//! `manage.py clearsessions`: removes the expired sessions of the engine the `NUAGES_*`
//! environment variables configure (`NUAGES_SESSION_ENGINE`, `NUAGES_DATABASE_URL`,
//! `NUAGES_SESSION_FILE_PATH`, …). Run it from cron, or use
//! `nuages::sessions::management::spawn_clear_expired` inside the server.
//!
//! ```sh
//! NUAGES_DATABASE_URL=postgres://app@db/site cargo run --example clearsessions
//! ```

use nuages::sessions::management::clearsessions;
use nuages::Settings;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_target(false)
        .without_time()
        .init();
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("clearsessions: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = clearsessions(&settings).await {
        eprintln!("clearsessions: {e}");
        std::process::exit(1);
    }
}

//! Sessions in the database: `SESSION_ENGINE = "django.contrib.sessions.backends.db"` on a
//! SQLite file (the `django_session` table, created on first use), a visit counter kept in
//! `request.session`, and a logout that flushes it.
//!
//! Django:
//! ```python
//! SESSION_ENGINE = 'django.contrib.sessions.backends.db'
//! def set_session(req):
//!     req.session['username'] = 'john_doe'
//!     req.session['visit_count'] = req.session.get('visit_count', 0) + 1
//!     return HttpResponse('Session data set')
//! def get_session(req):
//!     return HttpResponse(f"Hello {req.session.get('username', 'Guest')}! Visits: {req.session.get('visit_count', 0)}")
//! def logout(req): req.session.flush(); return HttpResponse('Logged out')
//! ```
//!
//! Try it (`cargo run --example sessions`):
//! ```sh
//! curl -i -c jar.txt -b jar.txt http://127.0.0.1:8000/set_session   # Set-Cookie: sessionid=…
//! curl -i -c jar.txt -b jar.txt http://127.0.0.1:8000/set_session
//! curl -i -b jar.txt http://127.0.0.1:8000/get_session              # Hello john_doe! Visits: 2
//! curl -i -c jar.txt -b jar.txt http://127.0.0.1:8000/logout        # the cookie is deleted
//! sqlite3 target/topic_sessions/sessions.sqlite3 'select session_key, expire_date from django_session'
//! ```

use std::path::PathBuf;

use nuages::conf::SessionEngine;
use nuages::prelude::*;
use nuages::sessions::{Session, SessionMiddleware};
use nuages::urls::path;
use nuages::{App, Error, HttpRequest, HttpResponse, Result, Settings};

/// The SQLite file holding the sessions: `target/topic_sessions/sessions.sqlite3`.
pub fn database_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/topic_sessions/sessions.sqlite3")
}

/// `request.session`, or an error when SessionMiddleware is missing.
fn session(req: &HttpRequest) -> Result<&Session> {
    req.session()
        .ok_or_else(|| Error::msg("SessionMiddleware is not installed"))
}

async fn set_session(req: HttpRequest) -> Result<HttpResponse> {
    let mut session = session(&req)?.load().await?;
    session.insert("username", "john_doe");
    let visits = session.get::<i64>("visit_count")?.unwrap_or(0) + 1;
    session.insert("visit_count", visits);
    Ok(HttpResponse::new("Session data set"))
}

async fn get_session(req: HttpRequest) -> Result<HttpResponse> {
    let session = session(&req)?.load().await?;
    let username = session.get::<String>("username")?;
    let visits = session.get::<i64>("visit_count")?.unwrap_or(0);
    Ok(HttpResponse::new(format!(
        "Hello {}! Visits: {visits}",
        username.as_deref().unwrap_or("Guest")
    )))
}

/// `request.session.flush()`: the row is deleted and the cookie expired.
async fn logout(req: HttpRequest) -> Result<HttpResponse> {
    session(&req)?.flush().await?;
    Ok(HttpResponse::new("Logged out"))
}

/// The application: SessionMiddleware on the `db` engine at [`database_path`].
pub fn app() -> App {
    let db = database_path();
    if let Some(dir) = db.parent() {
        // SQLite creates the file, not its directory; a failure shows on the first request.
        let _ = std::fs::create_dir_all(dir);
    }
    App::builder()
        .settings(Settings {
            debug: true,
            secret_key: "examples-sessions-secret-key".into(),
            session_engine: SessionEngine::Db,
            database_url: format!("sqlite://{}", db.display()),
            ..Settings::default()
        })
        .middleware(SessionMiddleware::new())
        .urls(vec![
            path("set_session", set_session),
            path("get_session", get_session),
            path("logout", logout),
        ])
        .build()
        .expect("valid configuration")
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .skip_while(|a| a != "--addr")
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8000".into());
    eprintln!(
        "sessions: http://{addr}/set_session, stored in {}",
        database_path().display()
    );
    nuages::server::Server::bind(&addr)
        .await?
        .dev_log(true)
        .serve(app())
        .await
}

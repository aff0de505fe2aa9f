//! The equivalent of `django/contrib/sessions/management/commands/clearsessions.py`: removing
//! expired sessions, once ([`clearsessions`], what `manage.py clearsessions` does; the
//! `clearsessions` example is the command) or periodically ([`spawn_clear_expired`], a
//! background task in the server process).
//!
//! ```sh
//! NUAGES_SESSION_ENGINE=db NUAGES_DATABASE_URL=postgres://… cargo run --example clearsessions
//! ```
//!
//! `db` and `cached_db` delete the rows whose `expire_date` has passed, `file` deletes the
//! expired files, `cache` and `signed_cookies` have nothing to do (Redis and the cookie expire
//! by themselves).

use std::sync::Arc;
use std::time::Duration;

use super::backends::{self, SessionStore};
use super::exceptions::SessionError;
use crate::conf::Settings;
use crate::core::exceptions::ImproperlyConfigured;

/// Why [`clearsessions`] failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum ClearSessionsError {
    /// The settings name no usable engine.
    Configuration(ImproperlyConfigured),
    /// The store failed (or, Django's `CommandError`, does not support clearing).
    Store(SessionError),
}

impl std::fmt::Display for ClearSessionsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClearSessionsError::Configuration(e) => e.fmt(f),
            ClearSessionsError::Store(SessionError::NotImplemented(_)) => {
                f.write_str("Session engine doesn't support clearing expired sessions.")
            }
            ClearSessionsError::Store(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ClearSessionsError {}

/// `manage.py clearsessions`: `SessionStore.clear_expired()` of SESSION_ENGINE.
///
/// # Examples
/// ```
/// use nuages::sessions::management::clearsessions;
/// use nuages::Settings;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let settings = Settings { database_url: "sqlite::memory:".into(), ..Settings::default() };
/// clearsessions(&settings).await.unwrap();
/// # });
/// ```
///
/// # Errors
/// [`ClearSessionsError`]: bad settings, or the store's error.
pub async fn clearsessions(settings: &Settings) -> Result<(), ClearSessionsError> {
    let store = backends::from_settings(settings).map_err(ClearSessionsError::Configuration)?;
    store
        .clear_expired()
        .await
        .map_err(ClearSessionsError::Store)
}

/// Runs `store.clear_expired()` every `period` on the current Tokio runtime (the first run
/// after one period), logging failures (target `django.contrib.sessions`); abort the handle to
/// stop it.
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use nuages::sessions::backends::from_settings;
/// use nuages::sessions::management::spawn_clear_expired;
/// use nuages::Settings;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let store = from_settings(&Settings { database_url: "sqlite::memory:".into(), ..Settings::default() }).unwrap();
/// let task = spawn_clear_expired(store, Duration::from_secs(3600));
/// task.abort();
/// # });
/// ```
pub fn spawn_clear_expired(
    store: Arc<dyn SessionStore>,
    period: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(period);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        interval.tick().await;
        loop {
            interval.tick().await;
            if let Err(e) = store.clear_expired().await {
                tracing::error!(target: "django.contrib.sessions", "clear_expired failed: {e}");
            }
        }
    })
}

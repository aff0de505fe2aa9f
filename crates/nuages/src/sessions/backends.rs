//! The equivalent of `django/contrib/sessions/backends/`: the [`SessionStore`] trait every
//! backend implements, and the backends.
//!
//! Django's backends share one model: a session is a JSON object stored under a session key the
//! client holds in its cookie. `load` reads the data for the current key, `save` writes it
//! (creating a fresh random key when there is none), `create` picks an unused key, `delete`
//! removes a key's data, `cycle_key` moves the data to a new key.
//!
//! A Django backend is a class instantiated per request whose methods mutate `self`
//! (`self._session_key = None` on a missing record, `self.modified = True` in `create()`, …).
//! Here the store is one shared object and those methods receive the request's
//! [`SessionBase`] instead of `self`, so each Django backend translates line by line:
//!
//! | Django | nuages |
//! |---|---|
//! | `self.session_key`, `self._session_key = k` | [`SessionBase::session_key`], [`SessionBase::set_session_key`] |
//! | `self._session`, `self._get_session(no_load=…)` | [`SessionBase::load_with`]`(self, no_load)` |
//! | `self.modified = True` | [`SessionBase::set_modified`] |
//! | `self.encode(d)`, `self.decode(s)` | [`SessionBase::encode`]`(d, self.key_salt())`, [`SessionBase::decode`] |
//! | `self.get_expiry_date()`, `get_expiry_age()` | [`SessionBase::expiry_date`], [`SessionBase::expiry_age`] with [`SessionBase::stored_expiry`] |
//! | `self._get_new_session_key()` | [`random_session_key`] checked with [`SessionStore::exists`] |
//! | `raise CreateError` / `UpdateError` | [`SessionError::Create`] / [`SessionError::Update`] |
//!
//! Five backends, chosen by SESSION_ENGINE ([`from_settings`]):
//!
//! | SESSION_ENGINE | store | where |
//! |---|---|---|
//! | `db` (default) | [`db::DatabaseStore`] | `django_session` on SQLite or PostgreSQL |
//! | `cache` | [`cache::CacheStore`] | Redis (Django's `RedisCache` keys and pickles) |
//! | `cached_db` | [`cached_db::CachedDatabaseStore`] | the database, with Redis in front |
//! | `file` | [`file::FileStore`] | one file per session in SESSION_FILE_PATH |
//! | `signed_cookies` | [`signed_cookies::SignedCookieStore`] | the cookie itself |
//!
//! Each one stores exactly what Django's backend of the same name stores, so a nuages service
//! and a Django site pointed at the same database, Redis or directory share their sessions.

pub mod base;
pub mod cache;
pub mod cached_db;
pub mod db;
pub mod file;
pub mod signed_cookies;

use std::sync::Arc;

pub use self::base::{random_session_key, SessionStore, VALID_KEY_CHARS};
pub use self::cache::CacheStore;
pub use self::cached_db::CachedDatabaseStore;
pub use self::db::DatabaseStore;
pub use self::file::FileStore;
pub use self::signed_cookies::SignedCookieStore;

use self::base::SessionBase;
use crate::conf::{SessionEngine, Settings};
use crate::core::exceptions::ImproperlyConfigured;
use crate::sessions::exceptions::SessionError;

/// `import_module(settings.SESSION_ENGINE).SessionStore`: the store SESSION_ENGINE names,
/// configured from the settings. Nothing connects yet: pools open on first use.
///
/// # Examples
/// ```
/// use nuages::conf::SessionEngine;
/// use nuages::sessions::backends::from_settings;
/// use nuages::Settings;
/// let store = from_settings(&Settings { session_engine: SessionEngine::Cache, ..Settings::default() });
/// assert_eq!(store.unwrap().name(), "cache");
/// let bad = Settings { database_url: "mysql://x".into(), ..Settings::default() };
/// assert!(from_settings(&bad).is_err());
/// ```
///
/// # Errors
/// [`ImproperlyConfigured`] for a malformed DATABASE_URL or REDIS_URL, or a SESSION_FILE_PATH
/// that is not a directory.
pub fn from_settings(settings: &Settings) -> Result<Arc<dyn SessionStore>, ImproperlyConfigured> {
    Ok(match settings.session_engine {
        SessionEngine::Db => Arc::new(DatabaseStore::from_settings(settings)?),
        SessionEngine::Cache => Arc::new(CacheStore::from_settings(settings)?),
        SessionEngine::CachedDb => Arc::new(CachedDatabaseStore::from_settings(settings)?),
        SessionEngine::File => Arc::new(FileStore::from_settings(settings)?),
        SessionEngine::SignedCookies => Arc::new(SignedCookieStore::new()),
    })
}

/// A storage failure, logged (target `django.contrib.sessions`) and wrapped: the request then
/// fails with a 500 rather than going on with an empty session.
pub(crate) fn backend_error(
    engine: &str,
    operation: &str,
    error: impl Into<Box<dyn std::error::Error + Send + Sync>>,
) -> SessionError {
    let error = error.into();
    tracing::error!(
        target: "django.contrib.sessions",
        "session engine {engine}: {operation} failed: {error}"
    );
    SessionError::Backend(error)
}

/// Django's `create()` of the server-side backends: a fresh random key, saved with
/// `must_create` (an insert that fails on a taken key), retried on a collision, then the
/// session is marked modified. Django's `_get_new_session_key()` also asks `exists()` first;
/// that query is left out since the insert itself refuses a taken key.
pub(crate) async fn create_with<S: SessionStore + ?Sized>(
    store: &S,
    session: &mut SessionBase,
) -> Result<(), SessionError> {
    // Django's cache backend gives up after 10000 collisions (a cache that refuses every add).
    for _ in 0..10_000 {
        session.set_session_key(Some(random_session_key()));
        match store.save(session, true).await {
            Err(SessionError::Create) => continue,
            Err(e) => return Err(e),
            Ok(()) => {
                session.set_modified(true);
                return Ok(());
            }
        }
    }
    Err(backend_error(
        store.name(),
        "create",
        "Unable to create a new session key. It is likely that the cache is unavailable.",
    ))
}

/// The session key `save()` writes under (callers create one first when there is none).
pub(crate) fn session_key_or_none(session: &SessionBase) -> Result<String, SessionError> {
    session
        .session_key()
        .map(str::to_owned)
        .ok_or_else(|| SessionError::backend("the session has no key to save under"))
}

//! The equivalent of `django/contrib/sessions/backends/cache.py`: sessions in Redis only,
//! under Django's keys (`KEY_PREFIX:VERSION:django.contrib.sessions.cache<session key>`, by
//! default `:1:django.contrib.sessions.cache…`), as Django's `RedisCache` pickles them, expiring
//! by TTL: a Django site with `SESSION_ENGINE = "django.contrib.sessions.backends.cache"` on the
//! same Redis shares its sessions.
//!
//! Django's semantics, with two races closed:
//! - `create` stores with `SET … NX EX age` (Django's `cache.add`), retried under a new key on a
//!   collision;
//! - `save` stores with `SET … XX EX age`: only if the session is still there, atomically
//!   (Django reads, then writes, so a logout in between is undone); gone:
//!   [`SessionError::Update`], a 400 [`SessionInterrupted`];
//! - a value that is not a pickled dict (garbage, or a Python object this crate cannot read) is
//!   an empty session under a new key, logged to `django.security.SuspiciousSession`;
//! - Redis down or slower than REDIS_TIMEOUT is a [`SessionError::Backend`] (500, logged):
//!   Django treats it as an empty session, which would then overwrite the real one.
//!
//! [`SessionInterrupted`]: crate::sessions::SessionInterrupted

use std::sync::Arc;

use serde_json::Value;

use super::base::{SessionBase, SessionData, SessionStore};
use super::{backend_error, session_key_or_none};
use crate::conf::Settings;
use crate::core::cache::{CacheError, RedisCache};
use crate::core::exceptions::ImproperlyConfigured;
use crate::sessions::exceptions::SessionError;
use crate::views::BoxFuture;

/// `django.contrib.sessions.backends.cache.KEY_PREFIX`.
pub const KEY_PREFIX: &str = "django.contrib.sessions.cache";

/// Django's `get_backend_timeout(session.get_expiry_age())`: whole seconds, at least 0.
pub(crate) fn cache_timeout(session: &SessionBase) -> Result<i64, SessionError> {
    let age = session.expiry_age(session.stored_expiry())?;
    let seconds = age
        .to_int()
        .ok_or_else(|| SessionError::InvalidExpiry(format!("{age} seconds")))?;
    Ok(seconds.max(0))
}

/// What a cache read gives the engines: the data, nothing, or (logged) unreadable data.
pub(crate) fn read_cached(
    engine: &str,
    got: Result<Option<Value>, CacheError>,
) -> Result<Option<SessionData>, SessionError> {
    match got {
        Ok(Some(Value::Object(data))) => Ok(Some(data)),
        Ok(None) => Ok(None),
        Ok(Some(_)) | Err(CacheError::Value(_)) => {
            tracing::warn!(target: "django.security.SuspiciousSession", "Session data corrupted");
            Err(SessionError::Serialization(
                "the cached session is not a dict".into(),
            ))
        }
        Err(e) => Err(backend_error(engine, "cache read", e)),
    }
}

/// `django.contrib.sessions.backends.cache.SessionStore`: see the [module docs](self).
///
/// # Examples
/// ```no_run
/// use std::sync::Arc;
/// use nuages::sessions::backends::{CacheStore, SessionStore};
/// use nuages::sessions::SessionBase;
/// use nuages::Settings;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let settings = Arc::new(Settings { redis_url: "redis://127.0.0.1:6379/0".into(), ..Settings::default() });
/// let store = CacheStore::from_settings(&settings).unwrap();
/// let mut s = SessionBase::new(None, settings.clone());
/// s.load_with(&store, false).await.unwrap().insert("cart".into(), "apple".into());
/// store.save(&mut s, false).await.unwrap(); // SET :1:django.contrib.sessions.cache<key> … NX EX 1209600
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct CacheStore {
    cache: Arc<RedisCache>,
}

impl CacheStore {
    /// The store on the Redis of REDIS_URL (CACHE_KEY_PREFIX, CACHE_VERSION, …).
    ///
    /// # Errors
    /// [`ImproperlyConfigured`] for a bad REDIS_URL.
    pub fn from_settings(settings: &Settings) -> Result<Self, ImproperlyConfigured> {
        Ok(CacheStore::new(Arc::new(RedisCache::from_settings(
            settings,
        )?)))
    }

    /// The store on a cache.
    pub fn new(cache: Arc<RedisCache>) -> Self {
        CacheStore { cache }
    }

    /// The cache.
    pub fn cache(&self) -> &Arc<RedisCache> {
        &self.cache
    }

    /// `cache_key`: the (unprefixed) cache key of a session key.
    pub fn cache_key(session_key: &str) -> String {
        format!("{KEY_PREFIX}{session_key}")
    }
}

impl SessionStore for CacheStore {
    fn load<'a>(
        &'a self,
        session: &'a mut SessionBase,
    ) -> BoxFuture<'a, Result<SessionData, SessionError>> {
        Box::pin(async move {
            let Some(key) = session.session_key() else {
                return Ok(SessionData::new());
            };
            let got = self.cache.get(&Self::cache_key(key)).await;
            match read_cached("cache", got) {
                Ok(Some(data)) => Ok(data),
                Ok(None) | Err(SessionError::Serialization(_)) => {
                    session.set_session_key(None);
                    Ok(SessionData::new())
                }
                Err(e) => Err(e),
            }
        })
    }

    fn exists<'a>(&'a self, session_key: &'a str) -> BoxFuture<'a, Result<bool, SessionError>> {
        Box::pin(async move {
            if session_key.is_empty() {
                return Ok(false);
            }
            self.cache
                .has_key(&Self::cache_key(session_key))
                .await
                .map_err(|e| backend_error("cache", "exists", e))
        })
    }

    fn save<'a>(
        &'a self,
        session: &'a mut SessionBase,
        must_create: bool,
    ) -> BoxFuture<'a, Result<(), SessionError>> {
        Box::pin(async move {
            if session.session_key().is_none() {
                return self.create(session).await;
            }
            let data = Value::Object(session.load_with(self, must_create).await?.clone());
            let key = Self::cache_key(&session_key_or_none(session)?);
            let timeout = Some(cache_timeout(session)?);
            if must_create {
                let added = self.cache.add(&key, &data, timeout).await;
                if !added.map_err(|e| backend_error("cache", "create", e))? {
                    return Err(SessionError::Create);
                }
            } else {
                let updated = self.cache.set_if_exists(&key, &data, timeout).await;
                if !updated.map_err(|e| backend_error("cache", "save", e))? {
                    return Err(SessionError::Update);
                }
            }
            Ok(())
        })
    }

    fn delete<'a>(
        &'a self,
        session: &'a mut SessionBase,
        session_key: Option<&'a str>,
    ) -> BoxFuture<'a, Result<(), SessionError>> {
        Box::pin(async move {
            let Some(key) = session_key.or(session.session_key()) else {
                return Ok(());
            };
            self.cache
                .delete(&Self::cache_key(key))
                .await
                .map(drop)
                .map_err(|e| backend_error("cache", "delete", e))
        })
    }

    /// Redis expires sessions by itself (Django's is a no-op too).
    fn clear_expired(&self) -> BoxFuture<'_, Result<(), SessionError>> {
        Box::pin(std::future::ready(Ok(())))
    }

    fn name(&self) -> &'static str {
        "cache"
    }
}

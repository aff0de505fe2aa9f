//! The equivalent of `django/contrib/sessions/backends/cached_db.py`: the `db` engine with a
//! write-through Redis cache in front (keys `…:django.contrib.sessions.cached_db<session
//! key>`, values pickled as Django's `RedisCache` does).
//!
//! Reads come from the cache and fall back to the database (filling the cache); writes go to
//! the database, then to the cache. As in Django 5.1+, the cache may fail without failing the
//! request: a read error falls back to the database, a write error is logged
//! (`django.contrib.sessions`). Deleting is the exception: if the cached copy cannot be
//! removed, the request fails (500) rather than leave a logged-out session readable.
//!
//! Two races Django leaves open are closed: the cache write of `save` happens while the
//! database row is still locked by the update, so a concurrent delete (logout) always removes
//! the cached copy after it was written; and a cache refilled by a read is checked against the
//! database afterwards, so a session deleted meanwhile is not brought back.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use nuages_py::datetime::whole_seconds;
use serde_json::Value;

use super::backend_error;
use super::base::{Clock, SessionBase, SessionData, SessionStore};
use super::cache::{cache_timeout, read_cached};
use super::db::{Database, DatabaseStore};
use crate::conf::Settings;
use crate::core::cache::RedisCache;
use crate::core::exceptions::ImproperlyConfigured;
use crate::sessions::exceptions::SessionError;
use crate::views::BoxFuture;

/// `django.contrib.sessions.backends.cached_db.KEY_PREFIX`.
pub const KEY_PREFIX: &str = "django.contrib.sessions.cached_db";

/// `django.contrib.sessions.backends.cached_db.SessionStore`: see the [module docs](self).
#[derive(Debug, Clone)]
pub struct CachedDatabaseStore {
    db: DatabaseStore,
    cache: Arc<RedisCache>,
}

/// Writes a session to the cache, logging (not failing on) errors, as Django's `save()`.
async fn write_through(cache: &RedisCache, key: &str, data: &Value, timeout: i64) {
    if let Err(e) = cache.set(key, data, Some(timeout)).await {
        tracing::error!(target: "django.contrib.sessions", "Error saving to cache ({cache:?}): {e}");
        // Do not leave an older copy behind if Redis still answers deletes.
        let _ = cache.delete(key).await;
    }
}

impl CachedDatabaseStore {
    /// The store on DATABASE_URL and REDIS_URL.
    ///
    /// # Errors
    /// [`ImproperlyConfigured`] for a bad DATABASE_URL or REDIS_URL.
    pub fn from_settings(settings: &Settings) -> Result<Self, ImproperlyConfigured> {
        Ok(CachedDatabaseStore::new(
            Arc::new(Database::from_settings(settings)?),
            Arc::new(RedisCache::from_settings(settings)?),
        ))
    }

    /// The store on a database and a cache.
    pub fn new(db: Arc<Database>, cache: Arc<RedisCache>) -> Self {
        CachedDatabaseStore {
            db: DatabaseStore::new(db),
            cache,
        }
    }

    /// Uses another clock for [`SessionStore::clear_expired`].
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.db = self.db.with_clock(clock);
        self
    }

    /// `cache_key`: the (unprefixed) cache key of a session key.
    pub fn cache_key(session_key: &str) -> String {
        format!("{KEY_PREFIX}{session_key}")
    }

    /// The database.
    pub fn database(&self) -> &Arc<Database> {
        self.db.database()
    }

    /// The cache.
    pub fn cache(&self) -> &Arc<RedisCache> {
        &self.cache
    }

    /// Refills the cache after a miss (`add`, so a concurrent write wins), then checks that
    /// the row is still there: if a delete happened in between, the copy is removed again.
    async fn refill(
        &self,
        session_key: &str,
        data: &SessionData,
        expire: DateTime<Utc>,
        now: DateTime<Utc>,
    ) {
        let key = Self::cache_key(session_key);
        let timeout = whole_seconds(expire.signed_duration_since(now)).max(0);
        match self
            .cache
            .add(&key, &Value::Object(data.clone()), Some(timeout))
            .await
        {
            Ok(true) => {
                if !matches!(self.db.database().exists(session_key).await, Ok(true)) {
                    let _ = self.cache.delete(&key).await;
                }
            }
            Ok(false) => {}
            Err(e) => {
                tracing::error!(target: "django.contrib.sessions", "Error saving to cache ({:?}): {e}", self.cache);
            }
        }
    }
}

impl SessionStore for CachedDatabaseStore {
    fn load<'a>(
        &'a self,
        session: &'a mut SessionBase,
    ) -> BoxFuture<'a, Result<SessionData, SessionError>> {
        Box::pin(async move {
            let Some(key) = session.session_key().map(str::to_owned) else {
                return Ok(SessionData::new());
            };
            // Cache errors and unreadable values are misses (both logged).
            if let Ok(Some(data)) =
                read_cached("cached_db", self.cache.get(&Self::cache_key(&key)).await)
            {
                return Ok(data);
            }
            let Some(row) = self.db.session_from_db(session).await? else {
                return Ok(SessionData::new());
            };
            let data = session.decode(&row.session_data, self.key_salt());
            let now = session.now();
            let expire = row.expire_date.unwrap_or_else(|| {
                now + chrono::TimeDelta::seconds(session.get_session_cookie_age())
            });
            self.refill(&key, &data, expire, now).await;
            Ok(data)
        })
    }

    fn exists<'a>(&'a self, session_key: &'a str) -> BoxFuture<'a, Result<bool, SessionError>> {
        Box::pin(async move {
            if !session_key.is_empty()
                && matches!(
                    self.cache.has_key(&Self::cache_key(session_key)).await,
                    Ok(true)
                )
            {
                return Ok(true);
            }
            self.db.exists(session_key).await
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
            let (key, data, encoded, expire) =
                DatabaseStore::row_to_save(self, session, must_create).await?;
            let timeout = cache_timeout(session)?;
            let cache_key = Self::cache_key(&key);
            let data = Value::Object(data);
            let db = self.db.database();
            if must_create {
                if !db.insert(&key, &encoded, expire).await? {
                    return Err(SessionError::Create);
                }
                write_through(&self.cache, &cache_key, &data, timeout).await;
            } else {
                let then = write_through(&self.cache, &cache_key, &data, timeout);
                if !db
                    .update_then(&key, &encoded, expire, session.now(), Some(then))
                    .await?
                {
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
            let Some(key) = session_key.or(session.session_key()).map(str::to_owned) else {
                return Ok(());
            };
            self.db.database().delete(&key).await?;
            self.cache
                .delete(&Self::cache_key(&key))
                .await
                .map(drop)
                .map_err(|e| backend_error("cached_db", "cache delete", e))
        })
    }

    fn clear_expired(&self) -> BoxFuture<'_, Result<(), SessionError>> {
        self.db.clear_expired()
    }

    fn name(&self) -> &'static str {
        "cached_db"
    }
}

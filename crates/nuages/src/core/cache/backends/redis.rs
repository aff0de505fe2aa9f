//! The equivalent of `django/core/cache/backends/redis.py`: `RedisCache` with Django's keys
//! and values, on the `redis` crate's auto-reconnecting multiplexed connections.
//!
//! - keys are Django's `make_key`: `"{KEY_PREFIX}:{VERSION}:{key}"` (`:1:key` by default);
//! - values are `RedisSerializer`'s: an integer is stored as its decimal text, anything else
//!   is pickled ([`nuages_py::pickle`], protocol 5), so JSON-shaped values written here are
//!   read by Django and the reverse;
//! - timeouts are `get_backend_timeout`'s: `None` keeps the key forever, a timeout of 0 or
//!   less deletes it.
//!
//! Connections are opened on first use (building a `RedisCache` never blocks nor needs a
//! runtime) and every command is bounded by REDIS_TIMEOUT: a server that is down or slow is a
//! [`CacheError::Unavailable`], never a silent miss.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use serde_json::Value;

use nuages_py::pickle;

use crate::conf::Settings;
use crate::core::cache::{default_key_func, validate_key, Cache, CacheConfig, Timeout};
use crate::core::exceptions::ImproperlyConfigured;
use crate::views::BoxFuture;

/// An error of the cache: the server is unreachable or failed, or a stored value is not one
/// this crate can read.
#[derive(Debug)]
#[non_exhaustive]
pub enum CacheError {
    /// Redis did not answer in time, refused the connection or returned an error.
    Unavailable(String),
    /// A stored value that is neither an integer nor a pickle of plain data (a Python object
    /// stored by Django, or garbage).
    Value(pickle::Error),
    /// `incr` of a key that is absent or expired (Django's `ValueError("Key '…' not found")`);
    /// the full key.
    Missing(String),
    /// `incr` of a value that is not an integer, or a sum beyond 64 bits; the full key.
    NotAnInteger(String),
}

impl fmt::Display for CacheError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CacheError::Unavailable(m) => write!(f, "cache unavailable: {m}"),
            CacheError::Value(e) => write!(f, "unreadable cache value: {e}"),
            CacheError::Missing(key) => write!(f, "Key '{key}' not found"),
            CacheError::NotAnInteger(key) => {
                write!(f, "the value of key '{key}' is not an integer")
            }
        }
    }
}

impl std::error::Error for CacheError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CacheError::Value(e) => Some(e),
            CacheError::Unavailable(_) | CacheError::Missing(_) | CacheError::NotAnInteger(_) => {
                None
            }
        }
    }
}

/// `RedisSerializer.dumps`: integers as is, everything else pickled.
///
/// # Examples
/// ```
/// use nuages::core::cache::backends::redis::{dumps, loads};
/// assert_eq!(dumps(&serde_json::json!(42)).unwrap(), b"42");
/// let bytes = dumps(&serde_json::json!({"a": true})).unwrap();
/// assert_eq!(bytes, b"\x80\x05\x95\t\x00\x00\x00\x00\x00\x00\x00}\x94\x8c\x01a\x94\x88s.");
/// assert_eq!(loads(&bytes).unwrap(), serde_json::json!({"a": true}));
/// assert_eq!(loads(b" -7\n").unwrap(), -7);
/// ```
///
/// # Errors
/// [`CacheError::Value`] for a value pickle cannot write (not reachable for JSON values).
pub fn dumps(value: &Value) -> Result<Vec<u8>, CacheError> {
    match value {
        Value::Number(n) if n.is_i64() || n.is_u64() => Ok(n.to_string().into_bytes()),
        other => pickle::dumps(other).map_err(CacheError::Value),
    }
}

/// Python's `int(data)` for what fits in 64 bits: surrounding whitespace, a sign, digits with
/// single underscores between them.
fn python_int(data: &[u8]) -> Option<Value> {
    let text = std::str::from_utf8(data).ok()?.trim();
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let b = digits.as_bytes();
    let valid = !b.is_empty()
        && b[0].is_ascii_digit()
        && b[b.len() - 1].is_ascii_digit()
        && b.iter().all(|&c| c.is_ascii_digit() || c == b'_')
        && !digits.contains("__");
    if !valid {
        return None;
    }
    let digits = digits.replace('_', "");
    if negative {
        format!("-{digits}").parse::<i64>().ok().map(Value::from)
    } else {
        digits.parse::<u64>().ok().map(Value::from)
    }
}

/// `RedisSerializer.loads`: `int(data)`, else `pickle.loads(data)`.
///
/// # Errors
/// [`CacheError::Value`] when the data is neither.
pub fn loads(data: &[u8]) -> Result<Value, CacheError> {
    match python_int(data) {
        Some(v) => Ok(v),
        None => pickle::loads(data).map_err(CacheError::Value),
    }
}

/// Django's `RedisCache` (one server): [`get`](Self::get), [`add`](Self::add),
/// [`set`](Self::set), [`delete`](Self::delete), [`has_key`](Self::has_key) with Django's
/// keys, values and timeouts, plus [`set_if_exists`](Self::set_if_exists) (`SET … XX`), the
/// atomic "update only if still there" the session engines need.
///
/// # Examples
/// ```
/// use nuages::core::cache::RedisCache;
/// use nuages::Settings;
/// let settings = Settings { cache_key_prefix: "site".into(), cache_version: 2, ..Settings::default() };
/// let cache = RedisCache::from_settings(&settings).unwrap(); // connects on first use only
/// assert_eq!(cache.make_key("django.contrib.sessions.cacheabc"), "site:2:django.contrib.sessions.cacheabc");
/// ```
pub struct RedisCache {
    client: redis::Client,
    connections: OnceLock<Vec<ConnectionManager>>,
    next: AtomicUsize,
    pool_size: usize,
    timeout: Duration,
    key_prefix: String,
    version: i64,
    default_timeout: Option<i64>,
}

impl fmt::Debug for RedisCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = self.client.get_connection_info();
        f.debug_struct("RedisCache")
            .field("server", &info.addr().to_string())
            .field("db", &info.redis_settings().db())
            .field("key_prefix", &self.key_prefix)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl RedisCache {
    /// The cache at REDIS_URL with CACHE_KEY_PREFIX, CACHE_VERSION, REDIS_POOL_SIZE and
    /// REDIS_TIMEOUT. Nothing is connected yet.
    ///
    /// # Errors
    /// [`ImproperlyConfigured`] for a REDIS_URL that is not a Redis URL.
    pub fn from_settings(settings: &Settings) -> Result<Self, ImproperlyConfigured> {
        let client = redis::Client::open(settings.redis_url.as_str()).map_err(|e| {
            ImproperlyConfigured::new(format!("REDIS_URL is not a valid Redis URL: {e}"))
        })?;
        Ok(RedisCache {
            client,
            connections: OnceLock::new(),
            next: AtomicUsize::new(0),
            pool_size: settings.redis_pool_size.max(1),
            timeout: settings.redis_timeout,
            key_prefix: settings.cache_key_prefix.clone(),
            version: settings.cache_version,
            default_timeout: Some(300),
        })
    }

    /// The cache of a `CACHES` entry: its `LOCATION` (a Redis URL), `KEY_PREFIX`, `VERSION` and
    /// `TIMEOUT`, with REDIS_POOL_SIZE and REDIS_TIMEOUT. Nothing is connected yet.
    ///
    /// # Errors
    /// [`ImproperlyConfigured`] for a `LOCATION` that is not a Redis URL.
    ///
    /// # Examples
    /// ```
    /// use nuages::core::cache::{Cache, CacheConfig, RedisCache};
    /// let config = CacheConfig { version: 3, ..CacheConfig::redis("redis://127.0.0.1:6379/1") };
    /// let cache = RedisCache::from_config(&nuages::Settings::default(), &config).unwrap();
    /// assert_eq!(Cache::make_key(&cache, "k", None), ":3:k");
    /// assert!(RedisCache::from_config(&nuages::Settings::default(), &CacheConfig::redis("x")).is_err());
    /// ```
    pub fn from_config(
        settings: &Settings,
        config: &CacheConfig,
    ) -> Result<Self, ImproperlyConfigured> {
        let client = redis::Client::open(config.location.as_str()).map_err(|e| {
            ImproperlyConfigured::new(format!(
                "the LOCATION of a RedisCache is not a valid Redis URL: {e}"
            ))
        })?;
        Ok(RedisCache {
            client,
            connections: OnceLock::new(),
            next: AtomicUsize::new(0),
            pool_size: settings.redis_pool_size.max(1),
            timeout: settings.redis_timeout,
            key_prefix: config.key_prefix.clone(),
            version: config.version,
            default_timeout: config.timeout,
        })
    }

    /// `make_key(key)`: `"{KEY_PREFIX}:{VERSION}:{key}"`.
    pub fn make_key(&self, key: &str) -> String {
        default_key_func(key, &self.key_prefix, self.version)
    }

    /// `make_key(key, version)`, validated (Django's `make_and_validate_key`).
    fn versioned_key(&self, key: &str, version: Option<i64>) -> String {
        let key = default_key_func(key, &self.key_prefix, version.unwrap_or(self.version));
        validate_key(&key);
        key
    }

    /// `get_backend_timeout`: `None` keeps the key forever.
    fn backend_timeout(&self, timeout: Timeout) -> Option<i64> {
        match timeout {
            Timeout::Default => self.default_timeout,
            Timeout::Forever => None,
            Timeout::Seconds(s) => Some(s),
        }
    }

    /// One of the multiplexed connections, round robin (created, unconnected, on first use).
    fn connection(&self) -> Result<ConnectionManager, CacheError> {
        let connections = match self.connections.get() {
            Some(c) => c,
            None => {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(self.timeout))
                    .set_response_timeout(Some(self.timeout))
                    .set_number_of_retries(1)
                    .set_max_delay(Duration::from_millis(100));
                let mut made = Vec::with_capacity(self.pool_size);
                for _ in 0..self.pool_size {
                    made.push(
                        ConnectionManager::new_lazy_with_config(
                            self.client.clone(),
                            config.clone(),
                        )
                        .map_err(|e| CacheError::Unavailable(e.to_string()))?,
                    );
                }
                // Another task may have won the race: use whichever was stored.
                let _ = self.connections.set(made);
                self.connections
                    .get()
                    .ok_or_else(|| CacheError::Unavailable("no connection".into()))?
            }
        };
        let i = self.next.fetch_add(1, Ordering::Relaxed) % connections.len();
        Ok(connections[i].clone())
    }

    /// Runs one command, bounded by REDIS_TIMEOUT (twice, to leave room for a reconnection).
    async fn query<T: redis::FromRedisValue>(&self, cmd: &redis::Cmd) -> Result<T, CacheError> {
        let mut conn = self.connection()?;
        match tokio::time::timeout(self.timeout * 2, cmd.query_async::<T>(&mut conn)).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(CacheError::Unavailable(e.to_string())),
            Err(_) => Err(CacheError::Unavailable(format!(
                "no answer within {:?}",
                self.timeout * 2
            ))),
        }
    }

    /// `get(key)`: the value, or `None` when absent (or expired).
    ///
    /// # Errors
    /// [`CacheError::Unavailable`], or [`CacheError::Value`] for a value this crate cannot
    /// read.
    pub async fn get(&self, key: &str) -> Result<Option<Value>, CacheError> {
        self.get_full(self.make_key(key)).await
    }

    async fn get_full(&self, key: String) -> Result<Option<Value>, CacheError> {
        let raw: Option<Vec<u8>> = self.query(redis::cmd("GET").arg(key)).await?;
        raw.map(|bytes| loads(&bytes)).transpose()
    }

    /// `SET key value [EX timeout] [NX|XX]` with Django's timeout rules; whether it was set.
    async fn set_with(
        &self,
        key: String,
        value: &Value,
        timeout: Option<i64>,
        condition: Option<&str>,
    ) -> Result<bool, CacheError> {
        let mut cmd = redis::cmd("SET");
        cmd.arg(&key).arg(dumps(value)?);
        if let Some(t) = timeout {
            cmd.arg("EX").arg(t.max(1));
        }
        if let Some(c) = condition {
            cmd.arg(c);
        }
        let reply: Option<String> = self.query(&cmd).await?;
        let done = reply.is_some();
        if done && timeout.is_some_and(|t| t <= 0) {
            // Django: a timeout of 0 (or less) means "expire at once".
            self.query::<i64>(redis::cmd("DEL").arg(&key)).await?;
        }
        Ok(done)
    }

    /// `add(key, value, timeout)`: stores only if the key is absent (`SET … NX EX`); whether
    /// it was stored. `None` keeps it forever.
    ///
    /// # Errors
    /// [`CacheError::Unavailable`].
    pub async fn add(
        &self,
        key: &str,
        value: &Value,
        timeout: Option<i64>,
    ) -> Result<bool, CacheError> {
        self.set_with(self.make_key(key), value, timeout, Some("NX"))
            .await
    }

    /// `set(key, value, timeout)`: stores unconditionally (a timeout of 0 or less deletes the
    /// key, as in Django).
    ///
    /// # Errors
    /// [`CacheError::Unavailable`].
    pub async fn set(
        &self,
        key: &str,
        value: &Value,
        timeout: Option<i64>,
    ) -> Result<(), CacheError> {
        self.set_full(self.make_key(key), value, timeout).await
    }

    async fn set_full(
        &self,
        key: String,
        value: &Value,
        timeout: Option<i64>,
    ) -> Result<(), CacheError> {
        if timeout.is_some_and(|t| t <= 0) {
            self.delete_full(key).await?;
            return Ok(());
        }
        self.set_with(key, value, timeout, None).await.map(drop)
    }

    /// Stores only if the key still exists (`SET … XX EX`), atomically; whether it did. A
    /// timeout of 0 or less deletes the key if it exists (and reports whether it did).
    ///
    /// # Errors
    /// [`CacheError::Unavailable`].
    pub async fn set_if_exists(
        &self,
        key: &str,
        value: &Value,
        timeout: Option<i64>,
    ) -> Result<bool, CacheError> {
        if timeout.is_some_and(|t| t <= 0) {
            return self.delete(key).await;
        }
        self.set_with(self.make_key(key), value, timeout, Some("XX"))
            .await
    }

    /// `delete(key)`: whether a key was deleted.
    ///
    /// # Errors
    /// [`CacheError::Unavailable`].
    pub async fn delete(&self, key: &str) -> Result<bool, CacheError> {
        self.delete_full(self.make_key(key)).await
    }

    async fn delete_full(&self, key: String) -> Result<bool, CacheError> {
        let n: i64 = self.query(redis::cmd("DEL").arg(key)).await?;
        Ok(n > 0)
    }

    /// `has_key(key)`.
    ///
    /// # Errors
    /// [`CacheError::Unavailable`].
    pub async fn has_key(&self, key: &str) -> Result<bool, CacheError> {
        self.has_key_full(self.make_key(key)).await
    }

    async fn has_key_full(&self, key: String) -> Result<bool, CacheError> {
        let n: i64 = self.query(redis::cmd("EXISTS").arg(key)).await?;
        Ok(n > 0)
    }

    /// The remaining time to live of a key in seconds (`TTL`): `None` when the key is absent
    /// or has no expiry.
    ///
    /// # Errors
    /// [`CacheError::Unavailable`].
    pub async fn ttl(&self, key: &str) -> Result<Option<i64>, CacheError> {
        let t: i64 = self
            .query(redis::cmd("TTL").arg(self.make_key(key)))
            .await?;
        Ok((t >= 0).then_some(t))
    }
}

/// Django's `RedisCache` API with versions and `DEFAULT_TIMEOUT`; `add` with a timeout of 0
/// stores nothing but reports whether it would have (Django: `SET NX`, then `DEL`).
impl Cache for RedisCache {
    fn make_key(&self, key: &str, version: Option<i64>) -> String {
        default_key_func(key, &self.key_prefix, version.unwrap_or(self.version))
    }

    fn default_timeout(&self) -> Option<i64> {
        self.default_timeout
    }

    fn get<'a>(
        &'a self,
        key: &'a str,
        version: Option<i64>,
    ) -> BoxFuture<'a, Result<Option<Value>, CacheError>> {
        Box::pin(self.get_full(self.versioned_key(key, version)))
    }

    fn set<'a>(
        &'a self,
        key: &'a str,
        value: &'a Value,
        timeout: Timeout,
        version: Option<i64>,
    ) -> BoxFuture<'a, Result<(), CacheError>> {
        let timeout = self.backend_timeout(timeout).map(|t| t.max(0));
        Box::pin(self.set_full(self.versioned_key(key, version), value, timeout))
    }

    fn add<'a>(
        &'a self,
        key: &'a str,
        value: &'a Value,
        timeout: Timeout,
        version: Option<i64>,
    ) -> BoxFuture<'a, Result<bool, CacheError>> {
        let timeout = self.backend_timeout(timeout).map(|t| t.max(0));
        Box::pin(self.set_with(self.versioned_key(key, version), value, timeout, Some("NX")))
    }

    fn delete<'a>(
        &'a self,
        key: &'a str,
        version: Option<i64>,
    ) -> BoxFuture<'a, Result<bool, CacheError>> {
        Box::pin(self.delete_full(self.versioned_key(key, version)))
    }

    fn has_key<'a>(
        &'a self,
        key: &'a str,
        version: Option<i64>,
    ) -> BoxFuture<'a, Result<bool, CacheError>> {
        Box::pin(self.has_key_full(self.versioned_key(key, version)))
    }

    fn clear(&self) -> BoxFuture<'_, Result<(), CacheError>> {
        Box::pin(async move { self.query::<()>(&redis::cmd("FLUSHDB")).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ints_like_python() {
        for (text, v) in [
            (&b"42"[..], Some(json!(42))),
            (b" -7\n", Some(json!(-7))),
            (b"+1_000", Some(json!(1000))),
            (b"1__0", None),
            (b"_1", None),
            (b"", None),
            (b"-", None),
            (b"1.5", None),
        ] {
            assert_eq!(python_int(text), v, "{text:?}");
        }
        assert!(matches!(loads(b"garbage"), Err(CacheError::Value(_))));
        assert_eq!(dumps(&json!(true)).unwrap_or_default(), b"\x80\x05\x88.");
        assert_eq!(dumps(&json!(1.5)).unwrap_or_default()[11], b'G');
    }

    #[test]
    fn keys_like_django() {
        let cache = RedisCache::from_settings(&Settings::default());
        assert_eq!(cache.map(|c| c.make_key("k")).ok().as_deref(), Some(":1:k"));
        let bad = Settings {
            redis_url: "http://nope".into(),
            ..Settings::default()
        };
        assert!(RedisCache::from_settings(&bad).is_err());
    }
}

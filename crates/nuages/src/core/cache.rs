//! The equivalent of `django.core.cache`: the [`Cache`] trait (Django's `BaseCache` API:
//! `get`, `set`, `add`, `delete`, `has_key`, `clear`, with Django's timeouts and
//! `make_key`), its two backends and the `CACHES` setting ([`Caches`], looked up with
//! [`caches`]).
//!
//! - [`backends::locmem::LocMemCache`] (`django.core.cache.backends.locmem.LocMemCache`, the
//!   default): an in-process LRU with `MAX_ENTRIES` and `CULL_FREQUENCY`; caches with the same
//!   `LOCATION` share their data, as in Django;
//! - [`backends::redis::RedisCache`] (`django.core.cache.backends.redis.RedisCache`): Django's
//!   key layout (`KEY_PREFIX:VERSION:key`) and value format (pickled, integers as is), so a
//!   cache is shared with a Django site on the same Redis.
//!
//! Values are JSON-shaped ([`serde_json::Value`]): what both backends can store and what a
//! Django site reads back from Redis. The `cache` and `cached_db` session engines keep using
//! the Redis of `REDIS_URL` (with `CACHE_KEY_PREFIX` and `CACHE_VERSION`), whatever `CACHES`
//! says.
//!
//! # Examples
//! ```
//! use nuages::core::cache::{caches, Timeout, DEFAULT_CACHE_ALIAS};
//! use nuages::Settings;
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let cache = caches(&Settings::default(), DEFAULT_CACHE_ALIAS).unwrap(); // a LocMemCache
//! cache.set("greeting", &"hello".into(), Timeout::Default, None).await.unwrap();
//! assert_eq!(cache.get("greeting", None).await.unwrap(), Some("hello".into()));
//! assert_eq!(cache.make_key("greeting", None), ":1:greeting");
//! # });
//! ```

pub mod backends;

use std::fmt;
use std::sync::Arc;

use indexmap::IndexMap;
use serde_json::Value;

pub use backends::locmem::LocMemCache;
pub use backends::redis::{CacheError, RedisCache};

use crate::conf::Settings;
use crate::core::exceptions::ImproperlyConfigured;
use crate::views::BoxFuture;

/// `django.core.cache.DEFAULT_CACHE_ALIAS`.
pub const DEFAULT_CACHE_ALIAS: &str = "default";

/// `MEMCACHE_MAX_KEY_LENGTH`: longer keys get a warning (as Django's `CacheKeyWarning`).
pub const MEMCACHE_MAX_KEY_LENGTH: usize = 250;

/// The `timeout` argument of [`Cache::set`] and [`Cache::add`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Timeout {
    /// Django's `DEFAULT_TIMEOUT`: the cache's `TIMEOUT` (300 s unless configured).
    #[default]
    Default,
    /// `timeout=None`: never expires.
    Forever,
    /// A number of seconds; 0 or less expires at once (the value is not kept).
    Seconds(i64),
}

impl From<i64> for Timeout {
    fn from(seconds: i64) -> Self {
        Timeout::Seconds(seconds)
    }
}

impl From<Option<i64>> for Timeout {
    /// `None` is `timeout=None` (forever).
    fn from(seconds: Option<i64>) -> Self {
        seconds.map_or(Timeout::Forever, Timeout::Seconds)
    }
}

/// Django's `default_key_func(key, key_prefix, version)`: `"{key_prefix}:{version}:{key}"`.
///
/// # Examples
/// ```
/// assert_eq!(nuages::core::cache::default_key_func("k", "site", 2), "site:2:k");
/// ```
pub fn default_key_func(key: &str, key_prefix: &str, version: i64) -> String {
    format!("{key_prefix}:{version}:{key}")
}

/// Django's `memcache_key_warnings(key)`: the reasons a key would not work with memcached
/// (longer than 250 characters, control characters or spaces). Backends log them as
/// warnings (target `django.core.cache`), as Django emits `CacheKeyWarning`s.
///
/// # Examples
/// ```
/// use nuages::core::cache::memcache_key_warnings;
/// assert!(memcache_key_warnings(":1:fine").is_empty());
/// assert_eq!(
///     memcache_key_warnings(":1:a b"),
///     ["Cache key contains characters that will cause errors if used with memcached: ':1:a b'"]
/// );
/// ```
pub fn memcache_key_warnings(key: &str) -> Vec<String> {
    let mut warnings = Vec::new();
    let repr = nuages_py::repr::str_repr(key);
    if key.chars().count() > MEMCACHE_MAX_KEY_LENGTH {
        warnings.push(format!(
            "Cache key will cause errors if used with memcached: {repr} (longer than \
             {MEMCACHE_MAX_KEY_LENGTH})"
        ));
    }
    if key.chars().any(|c| (c as u32) < 33 || c as u32 == 127) {
        warnings.push(format!(
            "Cache key contains characters that will cause errors if used with memcached: {repr}"
        ));
    }
    warnings
}

/// Logs [`memcache_key_warnings`] (Django's `validate_key`).
pub(crate) fn validate_key(key: &str) {
    for warning in memcache_key_warnings(key) {
        tracing::warn!(target: "django.core.cache", "{warning}");
    }
}

/// Django's cache API (`BaseCache`), object-safe: keep an `Arc<dyn Cache>`.
///
/// `key` is the caller's key; the backend stores it under [`Cache::make_key`]
/// (`KEY_PREFIX:VERSION:key`), `version: None` meaning the cache's `VERSION`.
///
/// # Examples
/// ```
/// use nuages::core::cache::{Cache, LocMemCache, Timeout};
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let cache = LocMemCache::private();
/// assert!(cache.add("k", &1.into(), Timeout::Seconds(60), None).await.unwrap());
/// assert!(!cache.add("k", &2.into(), Timeout::Seconds(60), None).await.unwrap());
/// assert!(cache.has_key("k", None).await.unwrap());
/// assert!(!cache.has_key("k", Some(2)).await.unwrap());
/// assert!(cache.delete("k", None).await.unwrap());
/// assert_eq!(cache.get("k", None).await.unwrap(), None);
/// # });
/// ```
pub trait Cache: Send + Sync + fmt::Debug + 'static {
    /// `make_key(key, version)`: the key as stored.
    fn make_key(&self, key: &str, version: Option<i64>) -> String;

    /// The `TIMEOUT` that [`Timeout::Default`] means (`None`: forever).
    fn default_timeout(&self) -> Option<i64>;

    /// `get(key, version=version)`: the value, or `None` when absent or expired.
    ///
    /// # Errors
    /// [`CacheError`] when the backend fails or holds a value this crate cannot read.
    fn get<'a>(
        &'a self,
        key: &'a str,
        version: Option<i64>,
    ) -> BoxFuture<'a, Result<Option<Value>, CacheError>>;

    /// `set(key, value, timeout, version)`.
    ///
    /// # Errors
    /// [`CacheError`] when the backend fails.
    fn set<'a>(
        &'a self,
        key: &'a str,
        value: &'a Value,
        timeout: Timeout,
        version: Option<i64>,
    ) -> BoxFuture<'a, Result<(), CacheError>>;

    /// `add(key, value, timeout, version)`: stores only when the key is absent (or expired);
    /// whether it did.
    ///
    /// # Errors
    /// [`CacheError`] when the backend fails.
    fn add<'a>(
        &'a self,
        key: &'a str,
        value: &'a Value,
        timeout: Timeout,
        version: Option<i64>,
    ) -> BoxFuture<'a, Result<bool, CacheError>>;

    /// `delete(key, version)`: whether a key was deleted.
    ///
    /// # Errors
    /// [`CacheError`] when the backend fails.
    fn delete<'a>(
        &'a self,
        key: &'a str,
        version: Option<i64>,
    ) -> BoxFuture<'a, Result<bool, CacheError>>;

    /// `has_key(key, version)`.
    ///
    /// # Errors
    /// [`CacheError`] when the backend fails.
    fn has_key<'a>(
        &'a self,
        key: &'a str,
        version: Option<i64>,
    ) -> BoxFuture<'a, Result<bool, CacheError>>;

    /// `clear()`: removes everything (for Redis, Django's `FLUSHDB` of the whole database).
    ///
    /// # Errors
    /// [`CacheError`] when the backend fails.
    fn clear(&self) -> BoxFuture<'_, Result<(), CacheError>>;
}

/// The backend of a [`CacheConfig`] (`CACHES[alias]["BACKEND"]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CacheBackend {
    /// `django.core.cache.backends.locmem.LocMemCache` (Django's default).
    #[default]
    LocMem,
    /// `django.core.cache.backends.redis.RedisCache`; `LOCATION` is a `redis://` URL.
    Redis,
}

impl CacheBackend {
    /// Django's dotted path of the backend.
    pub fn dotted_path(self) -> &'static str {
        match self {
            CacheBackend::LocMem => "django.core.cache.backends.locmem.LocMemCache",
            CacheBackend::Redis => "django.core.cache.backends.redis.RedisCache",
        }
    }
}

impl std::str::FromStr for CacheBackend {
    type Err = ImproperlyConfigured;

    /// Django's dotted paths, or `locmem` / `redis`.
    fn from_str(s: &str) -> Result<Self, ImproperlyConfigured> {
        match s.trim() {
            "locmem" | "django.core.cache.backends.locmem.LocMemCache" => Ok(CacheBackend::LocMem),
            "redis" | "django.core.cache.backends.redis.RedisCache" => Ok(CacheBackend::Redis),
            other => Err(ImproperlyConfigured::new(format!(
                "Could not find backend {other:?} (known: \
                 django.core.cache.backends.locmem.LocMemCache, \
                 django.core.cache.backends.redis.RedisCache)"
            ))),
        }
    }
}

/// One entry of `CACHES`, with Django's defaults (`TIMEOUT` 300, `KEY_PREFIX` "",
/// `VERSION` 1, `OPTIONS` `MAX_ENTRIES` 300 and `CULL_FREQUENCY` 3, `LOCATION` "").
#[derive(Clone, PartialEq, Eq)]
pub struct CacheConfig {
    /// `BACKEND`.
    pub backend: CacheBackend,
    /// `LOCATION`: the locmem cache's name, or the Redis URL.
    pub location: String,
    /// `TIMEOUT` in seconds (`None`: forever).
    pub timeout: Option<i64>,
    /// `KEY_PREFIX`.
    pub key_prefix: String,
    /// `VERSION`.
    pub version: i64,
    /// `OPTIONS["MAX_ENTRIES"]` (locmem).
    pub max_entries: usize,
    /// `OPTIONS["CULL_FREQUENCY"]` (locmem; 0 empties the cache when full).
    pub cull_frequency: usize,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            backend: CacheBackend::LocMem,
            location: String::new(),
            timeout: Some(300),
            key_prefix: String::new(),
            version: 1,
            max_entries: 300,
            cull_frequency: 3,
        }
    }
}

impl fmt::Debug for CacheConfig {
    /// The password of a Redis `LOCATION` is masked, and a `KEY_PREFIX` that is set, as
    /// Django's `SafeExceptionReporterFilter` masks every key of a settings dict whose name
    /// looks secret (`KEY`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key_prefix: &dyn fmt::Debug = if self.key_prefix.is_empty() {
            &self.key_prefix
        } else {
            &crate::conf::CLEANSED_SUBSTITUTE
        };
        f.debug_struct("CacheConfig")
            .field("backend", &self.backend)
            .field("location", &mask_password(&self.location))
            .field("timeout", &self.timeout)
            .field("key_prefix", key_prefix)
            .field("version", &self.version)
            .field("max_entries", &self.max_entries)
            .field("cull_frequency", &self.cull_frequency)
            .finish()
    }
}

/// `scheme://user:password@host` → `scheme://user:***@host`.
fn mask_password(url: &str) -> String {
    if let Some(scheme_end) = url.find("://") {
        let rest = &url[scheme_end + 3..];
        let authority_end = rest.find('/').unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@') {
            if let Some(colon) = rest[..at].find(':') {
                let start = scheme_end + 3 + colon + 1;
                let end = scheme_end + 3 + at;
                return format!("{}***{}", &url[..start], &url[end..]);
            }
        }
    }
    url.to_owned()
}

impl CacheConfig {
    /// A locmem cache named `location`.
    pub fn locmem(location: impl Into<String>) -> Self {
        CacheConfig {
            location: location.into(),
            ..CacheConfig::default()
        }
    }

    /// A Redis cache at `url`.
    pub fn redis(url: impl Into<String>) -> Self {
        CacheConfig {
            backend: CacheBackend::Redis,
            location: url.into(),
            ..CacheConfig::default()
        }
    }

    /// One Django-shaped entry: `{"BACKEND": …, "LOCATION": …, "TIMEOUT": …, "KEY_PREFIX": …,
    /// "VERSION": …, "OPTIONS": {"MAX_ENTRIES": …, "CULL_FREQUENCY": …}}`.
    fn from_json(alias: &str, value: &Value) -> Result<Self, ImproperlyConfigured> {
        let bad = |what: &str| ImproperlyConfigured::new(format!("CACHES[{alias:?}]: {what}"));
        let object = value.as_object().ok_or_else(|| bad("must be an object"))?;
        let mut config = CacheConfig::default();
        for (key, v) in object {
            match key.as_str() {
                "BACKEND" => {
                    config.backend = v
                        .as_str()
                        .ok_or_else(|| bad("BACKEND must be a string"))?
                        .parse()?
                }
                "LOCATION" => {
                    config.location = v
                        .as_str()
                        .ok_or_else(|| bad("LOCATION must be a string"))?
                        .to_owned()
                }
                "TIMEOUT" => {
                    config.timeout = match v {
                        Value::Null => None,
                        _ => Some(
                            v.as_i64()
                                .ok_or_else(|| bad("TIMEOUT must be an integer or null"))?,
                        ),
                    }
                }
                "KEY_PREFIX" => {
                    config.key_prefix = v
                        .as_str()
                        .ok_or_else(|| bad("KEY_PREFIX must be a string"))?
                        .to_owned()
                }
                "VERSION" => {
                    config.version = v
                        .as_i64()
                        .ok_or_else(|| bad("VERSION must be an integer"))?
                }
                "OPTIONS" => {
                    let options = v
                        .as_object()
                        .ok_or_else(|| bad("OPTIONS must be an object"))?;
                    for (name, o) in options {
                        let n = o
                            .as_u64()
                            .and_then(|n| usize::try_from(n).ok())
                            .ok_or_else(|| {
                                bad(&format!("OPTIONS[{name:?}] must be a non-negative integer"))
                            })?;
                        match name.as_str() {
                            "MAX_ENTRIES" => config.max_entries = n,
                            "CULL_FREQUENCY" => config.cull_frequency = n,
                            other => return Err(bad(&format!("unknown option {other:?}"))),
                        }
                    }
                }
                other => return Err(bad(&format!("unknown key {other:?}"))),
            }
        }
        Ok(config)
    }
}

/// The `CACHES` setting: aliases to [`CacheConfig`]s, by default
/// `{"default": LocMemCache}` as in Django.
///
/// From the environment (`NUAGES_CACHES`) it is Django's dict as JSON:
/// ```
/// use nuages::core::cache::{CacheBackend, Caches};
/// let caches = Caches::from_json(r#"{
///     "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
///                 "LOCATION": "redis://127.0.0.1:6379/1", "KEY_PREFIX": "site"},
///     "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
///               "TIMEOUT": 60, "OPTIONS": {"MAX_ENTRIES": 1000}}
/// }"#).unwrap();
/// assert_eq!(caches.get("default").unwrap().backend, CacheBackend::Redis);
/// assert_eq!(caches.get("pages").unwrap().max_entries, 1000);
/// assert!(Caches::from_json(r#"{"other": {}}"#).is_err()); // no "default"
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caches(IndexMap<String, CacheConfig>);

impl Default for Caches {
    fn default() -> Self {
        let mut map = IndexMap::new();
        map.insert(DEFAULT_CACHE_ALIAS.to_owned(), CacheConfig::default());
        Caches(map)
    }
}

impl Caches {
    /// `CACHES` with only `default`.
    pub fn new(default: CacheConfig) -> Self {
        let mut map = IndexMap::new();
        map.insert(DEFAULT_CACHE_ALIAS.to_owned(), default);
        Caches(map)
    }

    /// Adds (or replaces) an alias.
    pub fn with(mut self, alias: impl Into<String>, config: CacheConfig) -> Self {
        self.0.insert(alias.into(), config);
        self
    }

    /// The configuration of an alias.
    pub fn get(&self, alias: &str) -> Option<&CacheConfig> {
        self.0.get(alias)
    }

    /// The aliases and their configurations, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &CacheConfig)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Django's `CACHES` dict as JSON.
    ///
    /// # Errors
    /// [`ImproperlyConfigured`] for invalid JSON, an unknown backend, key or option, a value
    /// of the wrong type, or no `default` alias (Django: "You must define a 'default' cache
    /// in your CACHES setting.").
    pub fn from_json(text: &str) -> Result<Self, ImproperlyConfigured> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| ImproperlyConfigured::new(format!("CACHES must be a JSON object: {e}")))?;
        let object = value
            .as_object()
            .ok_or_else(|| ImproperlyConfigured::new("CACHES must be a JSON object"))?;
        let mut map = IndexMap::new();
        for (alias, entry) in object {
            map.insert(alias.clone(), CacheConfig::from_json(alias, entry)?);
        }
        if !map.contains_key(DEFAULT_CACHE_ALIAS) {
            return Err(ImproperlyConfigured::new(
                "You must define a 'default' cache in your CACHES setting.",
            ));
        }
        Ok(Caches(map))
    }
}

/// Django's `caches[alias]`: the cache of `settings.caches[alias]`.
///
/// A locmem cache shares its data with every other locmem cache of the same `LOCATION` (as
/// Django's module-level `_caches`); a Redis cache is a new client whose connections open on
/// first use, so keep the `Arc` rather than calling this per request (the cache middleware
/// and [`cache_page`](crate::views::decorators::cache::cache_page) do).
///
/// # Errors
/// [`ImproperlyConfigured`]: Django's `InvalidCacheBackendError("The connection 'x' doesn't
/// exist.")` for an unknown alias, or an invalid Redis `LOCATION`.
///
/// # Examples
/// ```
/// use nuages::core::cache::caches;
/// let settings = nuages::Settings::default();
/// assert!(caches(&settings, "default").is_ok());
/// assert_eq!(
///     caches(&settings, "nope").unwrap_err().to_string(),
///     "The connection 'nope' doesn't exist."
/// );
/// ```
pub fn caches(settings: &Settings, alias: &str) -> Result<Arc<dyn Cache>, ImproperlyConfigured> {
    let config = settings.caches.get(alias).ok_or_else(|| {
        ImproperlyConfigured::new(format!("The connection '{alias}' doesn't exist."))
    })?;
    Ok(match config.backend {
        CacheBackend::LocMem => Arc::new(LocMemCache::new(config)),
        CacheBackend::Redis => Arc::new(RedisCache::from_config(settings, config)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_from_json() {
        let caches = Caches::from_json(
            r#"{"default": {"BACKEND": "locmem", "LOCATION": "a", "TIMEOUT": null,
                "VERSION": 3, "OPTIONS": {"CULL_FREQUENCY": 0}}}"#,
        )
        .unwrap();
        let d = caches.get("default").unwrap();
        assert_eq!(d.timeout, None);
        assert_eq!(d.version, 3);
        assert_eq!(d.cull_frequency, 0);
        assert_eq!(d.max_entries, 300);
        for bad in [
            "[]",
            r#"{"default": {"BACKEND": "memcached"}}"#,
            r#"{"default": {"TIMEOUT": "x"}}"#,
            r#"{"default": {"OPTIONS": {"MAX_ENTRIES": -1}}}"#,
            r#"{"default": {"NOPE": 1}}"#,
            r#"{"default": 1}"#,
        ] {
            assert!(Caches::from_json(bad).is_err(), "{bad}");
        }
        let redis = CacheConfig::redis("redis://:secret@h:6379/0");
        assert!(!format!("{redis:?}").contains("secret"));
        // KEY_PREFIX is masked like any settings key whose name looks secret, when it is set.
        let mut prefixed = CacheConfig::redis("redis://h:6379/0");
        assert!(format!("{prefixed:?}").contains("key_prefix: \"\""));
        prefixed.key_prefix = "site-a".into();
        let text = format!("{prefixed:?}");
        assert!(
            !text.contains("site-a") && text.contains("key_prefix: \"********************\""),
            "{text}"
        );
    }

    #[test]
    fn key_warnings() {
        assert_eq!(memcache_key_warnings(&"k".repeat(251)).len(), 1);
        assert_eq!(memcache_key_warnings("a\u{7f}").len(), 1);
        assert!(memcache_key_warnings("é").is_empty());
    }
}

//! The equivalent of `django/core/cache/backends/locmem.py`: `LocMemCache`, a thread-safe
//! in-process LRU.
//!
//! As in Django:
//! - caches with the same `LOCATION` share one store (Django's module-level `_caches`);
//! - `get` and `set` make an entry the most recently used; when a `set` finds `MAX_ENTRIES`
//!   entries, the least recently used `len / CULL_FREQUENCY` are dropped first
//!   (`CULL_FREQUENCY` 0 empties the store);
//! - an entry expires at `time.time() + timeout` (a timeout of 0 is stored already expired);
//!   expired entries are dropped when read.
//!
//! Django pickles values on the way in and unpickles them on the way out so that the caller
//! never shares them; here values are [`serde_json::Value`]s, cloned in and out.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use indexmap::IndexMap;
use serde_json::Value;

use crate::core::cache::{validate_key, Cache, CacheConfig, CacheError, Timeout};
use crate::views::BoxFuture;

/// The clock of a [`LocMemCache`]: seconds since the epoch, like Python's `time.time()`.
pub type Clock = Arc<dyn Fn() -> f64 + Send + Sync>;

/// `time.time()`.
fn system_time() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// One store (Django's `_caches[name]` and `_expire_info[name]`): the least recently used
/// entry first, the most recently used last.
#[derive(Default)]
struct Store {
    entries: IndexMap<String, (Value, Option<f64>)>,
}

impl Store {
    /// `_has_expired`: absent keys count as expired.
    fn has_expired(&self, key: &str, now: f64) -> bool {
        match self.entries.get(key) {
            None => true,
            Some((_, expiry)) => expiry.is_some_and(|e| e <= now),
        }
    }

    /// `move_to_end(key, last=False)`: the most recently used.
    fn touch_lru(&mut self, key: &str) {
        if let Some(i) = self.entries.get_index_of(key) {
            let last = self.entries.len() - 1;
            self.entries.move_index(i, last);
        }
    }

    fn cull(&mut self, cull_frequency: usize) {
        match self.entries.len().checked_div(cull_frequency) {
            // CULL_FREQUENCY 0: everything goes.
            None => self.entries.clear(),
            Some(count) => {
                self.entries.drain(..count);
            }
        }
    }
}

type SharedStore = Arc<Mutex<Store>>;

/// The stores by `LOCATION` (Django's `_caches`, `_expire_info`, `_locks`).
fn stores() -> &'static Mutex<HashMap<String, SharedStore>> {
    static STORES: OnceLock<Mutex<HashMap<String, SharedStore>>> = OnceLock::new();
    STORES.get_or_init(Default::default)
}

/// Django's `LocMemCache`: see the [module docs](self).
///
/// # Examples
/// ```
/// use nuages::core::cache::{Cache, CacheConfig, LocMemCache, Timeout};
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let config = CacheConfig { key_prefix: "site".into(), ..CacheConfig::locmem("doc-example") };
/// let cache = LocMemCache::new(&config);
/// cache.set("k", &"v".into(), Timeout::Default, None).await.unwrap();
/// assert_eq!(cache.make_key("k", None), "site:1:k");
/// // Another cache on the same LOCATION sees the value.
/// assert_eq!(LocMemCache::new(&config).get("k", None).await.unwrap(), Some("v".into()));
/// # });
/// ```
#[derive(Clone)]
pub struct LocMemCache {
    name: String,
    store: SharedStore,
    default_timeout: Option<i64>,
    max_entries: usize,
    cull_frequency: usize,
    key_prefix: String,
    version: i64,
    clock: Clock,
}

impl fmt::Debug for LocMemCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocMemCache")
            .field("name", &self.name)
            .field("default_timeout", &self.default_timeout)
            .field("max_entries", &self.max_entries)
            .field("cull_frequency", &self.cull_frequency)
            .field("key_prefix", &self.key_prefix)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl LocMemCache {
    /// `LocMemCache(LOCATION, params)`: the store named `config.location`, shared with every
    /// other locmem cache of that name.
    pub fn new(config: &CacheConfig) -> Self {
        let store = {
            let mut stores = stores().lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(stores.entry(config.location.clone()).or_default())
        };
        Self::with_store(config, store)
    }

    /// A cache with Django's default parameters and a store of its own, shared with nothing
    /// (for tests and examples).
    pub fn private() -> Self {
        Self::with_store(&CacheConfig::default(), SharedStore::default())
    }

    /// A cache with `config`'s parameters and a store of its own, shared with nothing.
    pub fn private_with(config: &CacheConfig) -> Self {
        Self::with_store(config, SharedStore::default())
    }

    fn with_store(config: &CacheConfig, store: SharedStore) -> Self {
        LocMemCache {
            name: config.location.clone(),
            store,
            default_timeout: config.timeout,
            max_entries: config.max_entries,
            cull_frequency: config.cull_frequency,
            key_prefix: config.key_prefix.clone(),
            version: config.version,
            clock: Arc::new(system_time),
        }
    }

    /// The same cache (same store) reading the time from `clock` (epoch seconds), to test
    /// expiry.
    ///
    /// # Examples
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use nuages::core::cache::{Cache, LocMemCache, Timeout};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let now = Arc::new(Mutex::new(1000.0));
    /// let clock = Arc::clone(&now);
    /// let cache = LocMemCache::private().with_clock(Arc::new(move || *clock.lock().unwrap()));
    /// cache.set("k", &1.into(), Timeout::Seconds(10), None).await.unwrap();
    /// *now.lock().unwrap() = 1009.9;
    /// assert!(cache.has_key("k", None).await.unwrap());
    /// *now.lock().unwrap() = 1010.0;
    /// assert!(!cache.has_key("k", None).await.unwrap());
    /// # });
    /// ```
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The number of entries in the store, expired ones included (Django's
    /// `len(cache._cache)`).
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave the map inconsistent.
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `make_and_validate_key`.
    fn key(&self, key: &str, version: Option<i64>) -> String {
        let key = self.make_key(key, version);
        validate_key(&key);
        key
    }

    /// `get_backend_timeout`: the expiry time, `None` for never.
    fn expiry(&self, timeout: Timeout) -> Option<f64> {
        let seconds = match timeout {
            Timeout::Default => self.default_timeout?,
            Timeout::Forever => return None,
            // Ticket 21147: 0 is stored as already expired.
            Timeout::Seconds(0) => -1,
            Timeout::Seconds(s) => s,
        };
        Some((self.clock)() + seconds as f64)
    }

    /// `_set`: culls when full, then stores as the most recently used.
    fn store_value(&self, store: &mut Store, key: String, value: &Value, timeout: Timeout) {
        if store.entries.len() >= self.max_entries {
            store.cull(self.cull_frequency);
        }
        let expiry = self.expiry(timeout);
        store.entries.insert(key.clone(), (value.clone(), expiry));
        store.touch_lru(&key);
    }

    /// `get(key, version=version)`, synchronously.
    pub fn get_sync(&self, key: &str, version: Option<i64>) -> Option<Value> {
        let key = self.key(key, version);
        let mut store = self.lock();
        if store.has_expired(&key, (self.clock)()) {
            store.entries.shift_remove(&key);
            return None;
        }
        store.touch_lru(&key);
        store.entries.get(&key).map(|(v, _)| v.clone())
    }

    /// `set(key, value, timeout, version)`, synchronously.
    pub fn set_sync(&self, key: &str, value: &Value, timeout: Timeout, version: Option<i64>) {
        let key = self.key(key, version);
        let mut store = self.lock();
        self.store_value(&mut store, key, value, timeout);
    }

    /// `add(key, value, timeout, version)`, synchronously.
    pub fn add_sync(
        &self,
        key: &str,
        value: &Value,
        timeout: Timeout,
        version: Option<i64>,
    ) -> bool {
        let key = self.key(key, version);
        let mut store = self.lock();
        if store.has_expired(&key, (self.clock)()) {
            self.store_value(&mut store, key, value, timeout);
            true
        } else {
            false
        }
    }

    /// `touch(key, timeout, version)`: a new expiry for a live key; whether there was one.
    pub fn touch(&self, key: &str, timeout: Timeout, version: Option<i64>) -> bool {
        let key = self.key(key, version);
        let mut store = self.lock();
        if store.has_expired(&key, (self.clock)()) {
            return false;
        }
        let expiry = self.expiry(timeout);
        if let Some(entry) = store.entries.get_mut(&key) {
            entry.1 = expiry;
        }
        true
    }

    /// `incr(key, delta, version)`: the new value of an integer entry.
    ///
    /// # Errors
    /// [`CacheError::Missing`] for an absent or expired key (Django's `ValueError("Key '…' not
    /// found")`), [`CacheError::NotAnInteger`] for a value that is not an integer, or whose
    /// sum overflows 64 bits.
    pub fn incr(&self, key: &str, delta: i64, version: Option<i64>) -> Result<i64, CacheError> {
        let key = self.key(key, version);
        let mut store = self.lock();
        if store.has_expired(&key, (self.clock)()) {
            store.entries.shift_remove(&key);
            return Err(CacheError::Missing(key));
        }
        let Some(entry) = store.entries.get_mut(&key) else {
            return Err(CacheError::Missing(key));
        };
        let new = entry
            .0
            .as_i64()
            .and_then(|v| v.checked_add(delta))
            .ok_or_else(|| CacheError::NotAnInteger(key.clone()))?;
        entry.0 = Value::from(new);
        store.touch_lru(&key);
        Ok(new)
    }

    /// `has_key(key, version)`, synchronously.
    pub fn has_key_sync(&self, key: &str, version: Option<i64>) -> bool {
        let key = self.key(key, version);
        let mut store = self.lock();
        if store.has_expired(&key, (self.clock)()) {
            store.entries.shift_remove(&key);
            false
        } else {
            true
        }
    }

    /// `delete(key, version)`, synchronously.
    pub fn delete_sync(&self, key: &str, version: Option<i64>) -> bool {
        let key = self.key(key, version);
        self.lock().entries.shift_remove(&key).is_some()
    }

    /// `clear()`, synchronously.
    pub fn clear_sync(&self) {
        self.lock().entries.clear();
    }
}

impl Cache for LocMemCache {
    fn make_key(&self, key: &str, version: Option<i64>) -> String {
        crate::core::cache::default_key_func(key, &self.key_prefix, version.unwrap_or(self.version))
    }

    fn default_timeout(&self) -> Option<i64> {
        self.default_timeout
    }

    fn get<'a>(
        &'a self,
        key: &'a str,
        version: Option<i64>,
    ) -> BoxFuture<'a, Result<Option<Value>, CacheError>> {
        Box::pin(async move { Ok(self.get_sync(key, version)) })
    }

    fn set<'a>(
        &'a self,
        key: &'a str,
        value: &'a Value,
        timeout: Timeout,
        version: Option<i64>,
    ) -> BoxFuture<'a, Result<(), CacheError>> {
        Box::pin(async move {
            self.set_sync(key, value, timeout, version);
            Ok(())
        })
    }

    fn add<'a>(
        &'a self,
        key: &'a str,
        value: &'a Value,
        timeout: Timeout,
        version: Option<i64>,
    ) -> BoxFuture<'a, Result<bool, CacheError>> {
        Box::pin(async move { Ok(self.add_sync(key, value, timeout, version)) })
    }

    fn delete<'a>(
        &'a self,
        key: &'a str,
        version: Option<i64>,
    ) -> BoxFuture<'a, Result<bool, CacheError>> {
        Box::pin(async move { Ok(self.delete_sync(key, version)) })
    }

    fn has_key<'a>(
        &'a self,
        key: &'a str,
        version: Option<i64>,
    ) -> BoxFuture<'a, Result<bool, CacheError>> {
        Box::pin(async move { Ok(self.has_key_sync(key, version)) })
    }

    fn clear(&self) -> BoxFuture<'_, Result<(), CacheError>> {
        Box::pin(async move {
            self.clear_sync();
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn clocked(config: &CacheConfig) -> (LocMemCache, Arc<Mutex<f64>>) {
        let now = Arc::new(Mutex::new(1_000_000.0));
        let clock = Arc::clone(&now);
        let cache = LocMemCache::private_with(config).with_clock(Arc::new(move || {
            *clock.lock().unwrap_or_else(|e| e.into_inner())
        }));
        (cache, now)
    }

    fn set_time(now: &Mutex<f64>, t: f64) {
        *now.lock().unwrap_or_else(|e| e.into_inner()) = t;
    }

    #[test]
    fn expiry_and_timeouts() {
        let (cache, now) = clocked(&CacheConfig {
            timeout: Some(30),
            ..CacheConfig::default()
        });
        cache.set_sync("default", &json!(1), Timeout::Default, None);
        cache.set_sync("forever", &json!(2), Timeout::Forever, None);
        cache.set_sync("zero", &json!(3), Timeout::Seconds(0), None);
        cache.set_sync("negative", &json!(4), Timeout::Seconds(-5), None);
        cache.set_sync("ten", &json!(5), Timeout::Seconds(10), None);
        assert_eq!(cache.get_sync("zero", None), None);
        assert_eq!(cache.get_sync("negative", None), None);
        assert_eq!(cache.get_sync("ten", None), Some(json!(5)));
        set_time(&now, 1_000_010.0);
        assert_eq!(cache.get_sync("ten", None), None);
        assert_eq!(cache.get_sync("default", None), Some(json!(1)));
        set_time(&now, 1_000_030.0);
        assert_eq!(cache.get_sync("default", None), None);
        set_time(&now, 9e12);
        assert_eq!(cache.get_sync("forever", None), Some(json!(2)));
        // add() replaces an expired entry; touch() extends a live one.
        assert!(cache.add_sync("ten", &json!(6), Timeout::Seconds(10), None));
        assert!(!cache.add_sync("ten", &json!(7), Timeout::Seconds(10), None));
        assert!(cache.touch("ten", Timeout::Seconds(100), None));
        set_time(&now, 9e12 + 50.0);
        assert_eq!(cache.get_sync("ten", None), Some(json!(6)));
        assert!(!cache.touch("gone", Timeout::Seconds(1), None));
        // TIMEOUT None: Default is forever.
        let (forever, now) = clocked(&CacheConfig {
            timeout: None,
            ..CacheConfig::default()
        });
        forever.set_sync("k", &json!(1), Timeout::Default, None);
        set_time(&now, 1e15);
        assert!(forever.has_key_sync("k", None));
    }

    #[test]
    fn culling_drops_least_recently_used() {
        let (cache, _) = clocked(&CacheConfig {
            max_entries: 9,
            cull_frequency: 3,
            ..CacheConfig::default()
        });
        for i in 0..9 {
            cache.set_sync(&format!("k{i}"), &json!(i), Timeout::Default, None);
        }
        // Reading k0 and k1 makes them recent: k2, k3, k4 are the oldest.
        assert!(cache.get_sync("k0", None).is_some());
        assert!(cache.get_sync("k1", None).is_some());
        cache.set_sync("new", &json!(9), Timeout::Default, None);
        assert_eq!(cache.len(), 7);
        for gone in ["k2", "k3", "k4"] {
            assert!(!cache.has_key_sync(gone, None), "{gone}");
        }
        for kept in ["k0", "k1", "k5", "k8", "new"] {
            assert!(cache.has_key_sync(kept, None), "{kept}");
        }
        // Replacing a key in a full cache culls too (Django checks the length first).
        let (full, _) = clocked(&CacheConfig {
            max_entries: 2,
            cull_frequency: 0,
            ..CacheConfig::default()
        });
        full.set_sync("a", &json!(1), Timeout::Default, None);
        full.set_sync("b", &json!(2), Timeout::Default, None);
        full.set_sync("b", &json!(3), Timeout::Default, None);
        assert_eq!(full.len(), 1);
        assert!(!full.has_key_sync("a", None));
    }

    #[test]
    fn versions_and_prefixes() {
        let config = CacheConfig {
            key_prefix: "p".into(),
            version: 2,
            ..CacheConfig::locmem("versions-test")
        };
        let cache = LocMemCache::new(&config);
        cache.set_sync("answer", &json!(42), Timeout::Default, None);
        cache.set_sync("answer", &json!(37), Timeout::Default, Some(1));
        assert_eq!(cache.make_key("answer", None), "p:2:answer");
        assert_eq!(cache.get_sync("answer", None), Some(json!(42)));
        assert_eq!(cache.get_sync("answer", Some(2)), Some(json!(42)));
        assert_eq!(cache.get_sync("answer", Some(1)), Some(json!(37)));
        assert_eq!(cache.get_sync("answer", Some(3)), None);
        // Same LOCATION, other VERSION: the same store, other keys.
        let v1 = LocMemCache::new(&CacheConfig {
            version: 1,
            ..config.clone()
        });
        assert_eq!(v1.get_sync("answer", None), Some(json!(37)));
        // Other prefix: not seen.
        let other = LocMemCache::new(&CacheConfig {
            key_prefix: "q".into(),
            ..config.clone()
        });
        assert_eq!(other.get_sync("answer", None), None);
        assert!(v1.delete_sync("answer", None));
        assert!(!v1.delete_sync("answer", None));
        assert_eq!(cache.get_sync("answer", Some(1)), None);
        assert_eq!(cache.incr("answer", 8, None).ok(), Some(50));
        assert!(matches!(
            cache.incr("nope", 1, None),
            Err(CacheError::Missing(_))
        ));
        cache.set_sync("s", &json!("x"), Timeout::Default, None);
        assert!(matches!(
            cache.incr("s", 1, None),
            Err(CacheError::NotAnInteger(_))
        ));
        cache.clear_sync();
        assert!(cache.is_empty());
    }

    #[tokio::test]
    async fn values_are_copies() {
        let cache = LocMemCache::private();
        let mut v = json!({"a": [1]});
        cache
            .set("k", &v, Timeout::Default, None)
            .await
            .unwrap_or(());
        v["a"] = json!(2);
        assert_eq!(
            cache.get("k", None).await.ok().flatten(),
            Some(json!({"a": [1]}))
        );
    }
}

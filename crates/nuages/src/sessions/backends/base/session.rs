//! [`Session`], the per-request handle views get (`request.session`), and [`SessionGuard`], the
//! loaded, locked view of its data.

use std::fmt;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use tokio::sync::{Mutex, MutexGuard};

use super::{
    Expiry, SessionBase, SessionData, SessionStore, EXPIRY_KEY, TEST_COOKIE_NAME, TEST_COOKIE_VALUE,
};
use crate::sessions::exceptions::SessionError;
use crate::signing::MaxAge;

/// `request.session`: a cheap, cloneable handle on one request's session, shared by the view
/// and [`SessionMiddleware`](crate::sessions::SessionMiddleware).
///
/// Nothing is read from the store until the data is first used, as in Django: a view that never
/// touches the session costs no load and adds no `Vary: Cookie`. Every data method below loads
/// the session if needed (Django's `aget`, `aset`, …); [`Session::load`] returns a
/// [`SessionGuard`] for several synchronous operations under one lock.
///
/// The handle holds an async lock: don't call its methods while holding a [`SessionGuard`] of
/// the same session (that would wait forever).
///
/// # Examples
/// ```
/// use nuages::sessions::{RequestSessionExt, SessionMiddleware};
/// use nuages::{urls::path, App, HttpRequest, HttpResponse, Result, Settings};
///
/// async fn visit(req: HttpRequest) -> Result<HttpResponse> {
///     let session = req.session().expect("SessionMiddleware is installed");
///     let visits = session.get::<i64>("visits").await?.unwrap_or(0) + 1;
///     session.set("visits", visits).await?;
///     Ok(HttpResponse::new(format!("visit #{visits}")))
/// }
///
/// let app = App::builder()
///     .settings(Settings {
///         secret_key: "s3cr3t".into(),
///         database_url: "sqlite::memory:".into(), // the `db` engine, in memory
///         ..Settings::default()
///     })
///     .middleware(SessionMiddleware::new())
///     .urls(vec![path("visit", visit)])
///     .build()
///     .unwrap();
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let client = nuages::test::Client::new(app);
/// assert_eq!(client.get("/visit").send().await.text(), "visit #1");
/// assert_eq!(client.get("/visit").send().await.text(), "visit #2");
/// # });
/// ```
#[derive(Clone)]
pub struct Session {
    inner: Arc<SessionInner>,
}

struct SessionInner {
    store: Arc<dyn SessionStore>,
    state: Mutex<SessionBase>,
    /// The request carried a session cookie (what `process_response` compares against).
    cookie_sent: bool,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Session");
        d.field("store", &self.inner.store.name());
        match self.inner.state.try_lock() {
            Ok(state) => d.field("state", &*state),
            Err(_) => d.field("state", &"<locked>"),
        };
        d.finish()
    }
}

impl Session {
    /// A session on `store` with the given state (the middleware builds it from the cookie).
    pub fn new(store: Arc<dyn SessionStore>, base: SessionBase) -> Self {
        Session::for_request(store, base, false)
    }

    /// A session of a request that did (`cookie_sent`) or did not carry a session cookie.
    pub(crate) fn for_request(
        store: Arc<dyn SessionStore>,
        base: SessionBase,
        cookie_sent: bool,
    ) -> Self {
        Session {
            inner: Arc::new(SessionInner {
                store,
                state: Mutex::new(base),
                cookie_sent,
            }),
        }
    }

    /// Whether the request carried a session cookie ([`Session::for_request`]).
    pub(crate) fn cookie_sent(&self) -> bool {
        self.inner.cookie_sent
    }

    /// The state if it is not locked elsewhere, without waiting.
    pub(crate) fn try_lock(&self) -> Option<MutexGuard<'_, SessionBase>> {
        self.inner.state.try_lock().ok()
    }

    /// The store of this session.
    pub fn store(&self) -> &Arc<dyn SessionStore> {
        &self.inner.store
    }

    /// Locks the state without loading the data (for flags, the key, or backend-level work).
    pub async fn lock(&self) -> MutexGuard<'_, SessionBase> {
        self.inner.state.lock().await
    }

    /// Loads the data if needed (Django's `_get_session()`, which marks the session accessed)
    /// and returns it locked, for synchronous reads and writes.
    ///
    /// # Errors
    /// The store's load errors (never for the signed-cookie store: a bad cookie is an empty
    /// session).
    pub async fn load(&self) -> Result<SessionGuard<'_>, SessionError> {
        let mut base = self.inner.state.lock().await;
        let store = &*self.inner.store;
        base.load_with(store, false).await?;
        Ok(SessionGuard { base, store })
    }

    /// `session.get(key)` deserialized into `T` (`Ok(None)` when absent).
    ///
    /// # Errors
    /// Load errors, or [`SessionError::Serialization`] when the value is not a `T`.
    pub async fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, SessionError> {
        self.load().await?.get(key)
    }

    /// `session.get(key)` as JSON.
    ///
    /// # Errors
    /// Load errors.
    pub async fn get_value(&self, key: &str) -> Result<Option<Value>, SessionError> {
        Ok(self.load().await?.get_value(key).cloned())
    }

    /// `session[key] = value` for any serializable value.
    ///
    /// # Errors
    /// Load errors, or [`SessionError::Serialization`].
    pub async fn set<T: Serialize>(
        &self,
        key: impl Into<String>,
        value: T,
    ) -> Result<(), SessionError> {
        self.load().await?.set(key, value)
    }

    /// `session[key] = value`, returning the previous value.
    ///
    /// # Errors
    /// Load errors.
    pub async fn insert(
        &self,
        key: impl Into<String>,
        value: impl Into<Value>,
    ) -> Result<Option<Value>, SessionError> {
        Ok(self.load().await?.insert(key, value))
    }

    /// `del session[key]`, returning the removed value (`None`, and no change, when absent).
    ///
    /// # Errors
    /// Load errors.
    pub async fn remove(&self, key: &str) -> Result<Option<Value>, SessionError> {
        Ok(self.load().await?.remove(key))
    }

    /// `session.pop(key, None)` deserialized into `T`.
    ///
    /// # Errors
    /// Load errors, or [`SessionError::Serialization`] (the value is removed all the same).
    pub async fn pop<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, SessionError> {
        self.load().await?.pop(key)
    }

    /// `session.setdefault(key, value)`: the current value, or `value` after storing it.
    ///
    /// # Errors
    /// Load errors.
    pub async fn setdefault(
        &self,
        key: impl Into<String>,
        value: impl Into<Value>,
    ) -> Result<Value, SessionError> {
        Ok(self.load().await?.setdefault(key, value).clone())
    }

    /// `key in session`.
    ///
    /// # Errors
    /// Load errors.
    pub async fn contains(&self, key: &str) -> Result<bool, SessionError> {
        Ok(self.load().await?.contains(key))
    }

    /// `list(session.keys())`.
    ///
    /// # Errors
    /// Load errors.
    pub async fn keys(&self) -> Result<Vec<String>, SessionError> {
        Ok(self.load().await?.keys().map(str::to_owned).collect())
    }

    /// `list(session.items())`.
    ///
    /// # Errors
    /// Load errors.
    pub async fn items(&self) -> Result<Vec<(String, Value)>, SessionError> {
        Ok(self
            .load()
            .await?
            .items()
            .map(|(k, v)| (k.to_owned(), v.clone()))
            .collect())
    }

    /// `len(session)`.
    ///
    /// # Errors
    /// Load errors.
    pub async fn len(&self) -> Result<usize, SessionError> {
        Ok(self.load().await?.len())
    }

    /// `session.update(pairs)`.
    ///
    /// # Errors
    /// Load errors.
    pub async fn update<I, K>(&self, pairs: I) -> Result<(), SessionError>
    where
        I: IntoIterator<Item = (K, Value)>,
        K: Into<String>,
    {
        self.load().await?.update(pairs);
        Ok(())
    }

    /// `clear()`: empties the data without loading it (accessed and modified).
    pub async fn clear(&self) {
        clear(&mut *self.inner.state.lock().await);
    }

    /// `flush()`: empties the data, deletes it from the store and drops the key; the middleware
    /// then deletes the cookie (logout).
    ///
    /// # Errors
    /// The store's delete errors.
    pub async fn flush(&self) -> Result<(), SessionError> {
        let mut base = self.inner.state.lock().await;
        flush(&mut base, &*self.inner.store).await
    }

    /// `cycle_key()`: the same data under a new key (login).
    ///
    /// # Errors
    /// The store's errors.
    pub async fn cycle_key(&self) -> Result<(), SessionError> {
        let mut base = self.inner.state.lock().await;
        self.inner.store.cycle_key(&mut base).await
    }

    /// `save(must_create=False)` now (the middleware saves modified sessions by itself).
    ///
    /// # Errors
    /// The store's save errors.
    pub async fn save(&self) -> Result<(), SessionError> {
        let mut base = self.inner.state.lock().await;
        self.inner.store.save(&mut base, false).await
    }

    /// `is_empty()` (does not load).
    pub async fn is_empty(&self) -> bool {
        self.inner.state.lock().await.is_empty()
    }

    /// `session.modified` (does not load).
    pub async fn modified(&self) -> bool {
        self.inner.state.lock().await.modified()
    }

    /// `session.modified = value`, after changing a nested value in place for example.
    pub async fn set_modified(&self, modified: bool) {
        self.inner.state.lock().await.set_modified(modified);
    }

    /// `session.accessed` (does not load).
    pub async fn accessed(&self) -> bool {
        self.inner.state.lock().await.accessed()
    }

    /// `session.session_key` (does not load).
    pub async fn session_key(&self) -> Option<String> {
        self.inner
            .state
            .lock()
            .await
            .session_key()
            .map(str::to_owned)
    }

    /// `set_expiry(value)` (see [`Expiry`]).
    ///
    /// # Errors
    /// Load errors.
    pub async fn set_expiry(&self, value: impl Into<Expiry>) -> Result<(), SessionError> {
        self.load().await?.set_expiry(value);
        Ok(())
    }

    /// `get_expiry_age()` in whole seconds.
    ///
    /// # Errors
    /// Load errors, or an invalid stored expiry.
    pub async fn get_expiry_age(&self) -> Result<i64, SessionError> {
        self.load().await?.get_expiry_age()
    }

    /// `get_expiry_date()`.
    ///
    /// # Errors
    /// Load errors, or an invalid stored expiry.
    pub async fn get_expiry_date(&self) -> Result<DateTime<Utc>, SessionError> {
        self.load().await?.get_expiry_date()
    }

    /// `get_expire_at_browser_close()`.
    ///
    /// # Errors
    /// Load errors.
    pub async fn get_expire_at_browser_close(&self) -> Result<bool, SessionError> {
        Ok(self.load().await?.get_expire_at_browser_close())
    }
}

/// Django's `clear()`.
fn clear(base: &mut SessionBase) {
    base.set_cache(Some(SessionData::new()));
    base.set_accessed(true);
    base.set_modified(true);
}

/// Django's `flush()`.
async fn flush(base: &mut SessionBase, store: &dyn SessionStore) -> Result<(), SessionError> {
    clear(base);
    store.delete(base, None).await?;
    base.set_session_key(None);
    Ok(())
}

fn empty_data() -> &'static SessionData {
    static EMPTY: OnceLock<SessionData> = OnceLock::new();
    EMPTY.get_or_init(SessionData::new)
}

/// The loaded data of a [`Session`], locked: Django's dictionary interface, synchronously.
///
/// Reading marks nothing (the session is already accessed); writing marks it modified.
///
/// # Examples
/// ```
/// # use nuages::sessions::{RequestSessionExt};
/// # async fn view(req: nuages::HttpRequest) -> nuages::Result<nuages::HttpResponse> {
/// let mut session = req.session().expect("SessionMiddleware").load().await?;
/// let cart: Vec<String> = session.get("cart")?.unwrap_or_default();
/// session.set("cart", [&cart[..], &["apple".to_owned()]].concat())?;
/// session.insert("last_page", "/shop/");
/// # Ok(nuages::HttpResponse::new(""))
/// # }
/// ```
pub struct SessionGuard<'a> {
    base: MutexGuard<'a, SessionBase>,
    store: &'a dyn SessionStore,
}

impl fmt::Debug for SessionGuard<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionGuard")
            .field("state", &*self.base)
            .field("data", self.data())
            .finish()
    }
}

impl SessionGuard<'_> {
    /// All the data.
    pub fn data(&self) -> &SessionData {
        self.base.cache().unwrap_or_else(|| empty_data())
    }

    fn data_mut(&mut self) -> &mut SessionData {
        self.base.cache.get_or_insert_with(SessionData::new)
    }

    /// The lower-level state (key, flags, settings).
    pub fn base(&self) -> &SessionBase {
        &self.base
    }

    /// `session.get(key)` as JSON.
    pub fn get_value(&self, key: &str) -> Option<&Value> {
        self.data().get(key)
    }

    /// `session.get(key)` deserialized into `T`.
    ///
    /// # Errors
    /// [`SessionError::Serialization`] when the value is not a `T`.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, SessionError> {
        self.get_value(key)
            .map(|v| T::deserialize(v))
            .transpose()
            .map_err(SessionError::from)
    }

    /// `key in session`.
    pub fn contains(&self, key: &str) -> bool {
        self.data().contains_key(key)
    }

    /// `session.keys()`, in insertion order.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.data().keys().map(String::as_str)
    }

    /// `session.values()`.
    pub fn values(&self) -> impl Iterator<Item = &Value> + '_ {
        self.data().values()
    }

    /// `session.items()`.
    pub fn items(&self) -> impl Iterator<Item = (&str, &Value)> + '_ {
        self.data().iter().map(|(k, v)| (k.as_str(), v))
    }

    /// `len(session)`.
    pub fn len(&self) -> usize {
        self.data().len()
    }

    /// Whether the data is empty (`not session`).
    pub fn is_empty(&self) -> bool {
        self.data().is_empty()
    }

    /// `session[key] = value`, returning the previous value.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) -> Option<Value> {
        let old = self.data_mut().insert(key.into(), value.into());
        self.base.set_modified(true);
        old
    }

    /// `session[key] = value` for any serializable value.
    ///
    /// # Errors
    /// [`SessionError::Serialization`] (a map with non-string keys, for example); the session
    /// is then unchanged.
    pub fn set<T: Serialize>(
        &mut self,
        key: impl Into<String>,
        value: T,
    ) -> Result<(), SessionError> {
        let value = serde_json::to_value(value)?;
        self.insert(key, value);
        Ok(())
    }

    /// `del session[key]`: the removed value; an absent key changes nothing.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let old = self.data_mut().shift_remove(key);
        if old.is_some() {
            self.base.set_modified(true);
        }
        old
    }

    /// `session.pop(key, None)` deserialized into `T`.
    ///
    /// # Errors
    /// [`SessionError::Serialization`] when the value is not a `T` (it is removed all the same).
    pub fn pop<T: DeserializeOwned>(&mut self, key: &str) -> Result<Option<T>, SessionError> {
        self.remove(key)
            .map(T::deserialize)
            .transpose()
            .map_err(SessionError::from)
    }

    /// `session.setdefault(key, value)`.
    pub fn setdefault(&mut self, key: impl Into<String>, value: impl Into<Value>) -> &Value {
        let key = key.into();
        if !self.contains(&key) {
            self.base.set_modified(true);
        }
        self.data_mut().entry(key).or_insert_with(|| value.into())
    }

    /// `session.update(pairs)` (always marks the session modified, as Django does).
    pub fn update<I, K>(&mut self, pairs: I)
    where
        I: IntoIterator<Item = (K, Value)>,
        K: Into<String>,
    {
        let data = self.data_mut();
        for (k, v) in pairs {
            data.insert(k.into(), v);
        }
        self.base.set_modified(true);
    }

    /// `clear()`.
    pub fn clear(&mut self) {
        clear(&mut self.base);
    }

    /// `session.modified`.
    pub fn modified(&self) -> bool {
        self.base.modified()
    }

    /// `session.modified = value`.
    pub fn set_modified(&mut self, modified: bool) {
        self.base.set_modified(modified);
    }

    /// `session.accessed`.
    pub fn accessed(&self) -> bool {
        self.base.accessed()
    }

    /// `session.session_key`.
    pub fn session_key(&self) -> Option<&str> {
        self.base.session_key()
    }

    /// `set_expiry(value)`: seconds, a duration, a datetime, `0` / [`Expiry::BrowserClose`], or
    /// [`Expiry::Global`] to return to the global policy.
    pub fn set_expiry(&mut self, value: impl Into<Expiry>) {
        let now = self.base.now();
        match value.into().stored_value(now) {
            Some(v) => {
                self.insert(EXPIRY_KEY, v);
            }
            None => {
                self.remove(EXPIRY_KEY);
            }
        }
    }

    /// `get_expiry_age()` in whole seconds (a float expiry is truncated).
    ///
    /// # Errors
    /// [`SessionError::InvalidExpiry`] for a stored value Django would fail on.
    pub fn get_expiry_age(&self) -> Result<i64, SessionError> {
        let age = self.expiry_max_age()?;
        age.to_int()
            .ok_or_else(|| SessionError::InvalidExpiry(format!("{age} seconds")))
    }

    /// `get_expiry_age()` exactly as Django computes it (an int, or a float stored by Python).
    ///
    /// # Errors
    /// [`SessionError::InvalidExpiry`] for a stored value Django would fail on.
    pub fn expiry_max_age(&self) -> Result<MaxAge, SessionError> {
        self.base.expiry_age(self.base.stored_expiry())
    }

    /// `get_expiry_date()`.
    ///
    /// # Errors
    /// [`SessionError::InvalidExpiry`] for a stored value Django would fail on.
    pub fn get_expiry_date(&self) -> Result<DateTime<Utc>, SessionError> {
        self.base.expiry_date(self.base.stored_expiry())
    }

    /// `get_expire_at_browser_close()`.
    pub fn get_expire_at_browser_close(&self) -> bool {
        self.base.expire_at_browser_close(self.base.stored_expiry())
    }

    /// `set_test_cookie()`.
    pub fn set_test_cookie(&mut self) {
        self.insert(TEST_COOKIE_NAME, TEST_COOKIE_VALUE);
    }

    /// `test_cookie_worked()`.
    pub fn test_cookie_worked(&self) -> bool {
        self.get_value(TEST_COOKIE_NAME)
            .is_some_and(|v| v == TEST_COOKIE_VALUE)
    }

    /// `delete_test_cookie()`.
    pub fn delete_test_cookie(&mut self) {
        self.remove(TEST_COOKIE_NAME);
    }

    /// `flush()` (see [`Session::flush`]).
    ///
    /// # Errors
    /// The store's delete errors.
    pub async fn flush(&mut self) -> Result<(), SessionError> {
        flush(&mut self.base, self.store).await
    }

    /// `cycle_key()` (see [`Session::cycle_key`]).
    ///
    /// # Errors
    /// The store's errors.
    pub async fn cycle_key(&mut self) -> Result<(), SessionError> {
        self.store.cycle_key(&mut self.base).await
    }

    /// `save(must_create)`.
    ///
    /// # Errors
    /// The store's save errors.
    pub async fn save(&mut self, must_create: bool) -> Result<(), SessionError> {
        self.store.save(&mut self.base, must_create).await
    }
}

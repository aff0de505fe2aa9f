//! The equivalent of `django/contrib/sessions/backends/base.py`: [`SessionBase`], the state of
//! one request's session that every backend shares.
//!
//! The user-facing handle, [`Session`], and the loaded view of its data, [`SessionGuard`], live in
//! the `session` submodule and are re-exported here.

mod expiry;
mod session;

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::Value;

use rand::Rng;

use crate::conf::Settings;
use crate::sessions::exceptions::SessionError;
use crate::signing::{self, MaxAge};
use crate::views::BoxFuture;

pub use expiry::Expiry;
pub use session::{Session, SessionGuard};

/// The data of a session: a JSON object, in insertion order (like the Python `dict` Django
/// serializes with its `JSONSerializer`).
pub type SessionData = serde_json::Map<String, Value>;

/// The key under which a custom expiry is stored in the session (`set_expiry`).
pub const EXPIRY_KEY: &str = "_session_expiry";
/// Django's `SessionBase.TEST_COOKIE_NAME`.
pub const TEST_COOKIE_NAME: &str = "testcookie";
/// Django's `SessionBase.TEST_COOKIE_VALUE`.
pub const TEST_COOKIE_VALUE: &str = "worked";

/// The clock sessions read (`timezone.now()` / `time.time()` in Django): the system clock by
/// default, replaceable so tests can freeze or move time.
///
/// # Examples
/// ```
/// use chrono::DateTime;
/// use nuages::sessions::Clock;
/// let t = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
/// assert_eq!(Clock::fixed(t).now(), t);
/// assert!(Clock::system().now() > t);
/// ```
#[derive(Clone, Default)]
pub struct Clock(Option<Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>>);

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Clock(None)
    }

    /// A clock that always reads `at`.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Clock::new(move || at)
    }

    /// A clock reading a function.
    pub fn new(now: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        Clock(Some(Arc::new(now)))
    }

    /// The current time.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.0 {
            Some(f) => f(),
            None => Utc::now(),
        }
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Clock(custom)"
        } else {
            "Clock(system)"
        })
    }
}

/// The state of one request's session, Django's `SessionBase` minus the dictionary methods
/// (those are on [`SessionGuard`]): the session key, the lazily loaded data, the `accessed` and
/// `modified` flags, and what backends need from the settings (SECRET_KEY, the `SESSION_*`
/// settings, the clock).
///
/// A [`SessionStore`] receives it mutably, as Django's backends mutate `self`: `load()` may drop
/// an unknown key, `save()` may set a new one, `create()` marks the session modified.
///
/// # Examples
/// ```
/// use std::sync::Arc;
/// use nuages::sessions::SessionBase;
/// let base = SessionBase::new(Some("short".into()), Arc::default());
/// assert_eq!(base.session_key(), None); // keys under 8 characters are invalid
/// assert!(base.is_empty() && !base.accessed() && !base.modified());
/// ```
pub struct SessionBase {
    session_key: Option<String>,
    cache: Option<SessionData>,
    accessed: bool,
    modified: bool,
    settings: Arc<Settings>,
    clock: Clock,
}

impl fmt::Debug for SessionBase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionBase")
            .field("session_key", &self.session_key)
            .field("loaded", &self.cache.is_some())
            .field("accessed", &self.accessed)
            .field("modified", &self.modified)
            .finish_non_exhaustive()
    }
}

impl SessionBase {
    /// `SessionStore(session_key)`: a session for the key the client sent (validated like
    /// Django: fewer than 8 characters means no key), nothing loaded yet.
    pub fn new(session_key: Option<String>, settings: Arc<Settings>) -> Self {
        let mut base = SessionBase {
            session_key: None,
            cache: None,
            accessed: false,
            modified: false,
            settings,
            clock: Clock::system(),
        };
        base.set_session_key(session_key);
        base
    }

    /// Uses another clock.
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// `session_key`: the key, if any.
    pub fn session_key(&self) -> Option<&str> {
        self.session_key.as_deref()
    }

    /// Django's `_session_key` setter: keys shorter than 8 characters (or empty) become `None`.
    pub fn set_session_key(&mut self, key: Option<String>) {
        self.session_key = key.filter(|k| k.chars().count() >= 8);
    }

    /// Whether the data was read or written during the request (`accessed`).
    pub fn accessed(&self) -> bool {
        self.accessed
    }

    /// Sets `accessed`.
    pub fn set_accessed(&mut self, accessed: bool) {
        self.accessed = accessed;
    }

    /// Whether the data changed and must be saved (`modified`).
    pub fn modified(&self) -> bool {
        self.modified
    }

    /// Sets `modified` (`request.session.modified = True` after changing a nested value).
    pub fn set_modified(&mut self, modified: bool) {
        self.modified = modified;
    }

    /// `is_empty()`: no session key and no (or empty) loaded data.
    pub fn is_empty(&self) -> bool {
        self.session_key.is_none() && self.cache.as_ref().is_none_or(SessionData::is_empty)
    }

    /// Whether the data was loaded (Django's `_session_cache` exists).
    pub fn is_loaded(&self) -> bool {
        self.cache.is_some()
    }

    /// The loaded data (`_session_cache`), without loading.
    pub fn cache(&self) -> Option<&SessionData> {
        self.cache.as_ref()
    }

    /// Mutable [`SessionBase::cache`].
    pub fn cache_mut(&mut self) -> Option<&mut SessionData> {
        self.cache.as_mut()
    }

    /// Replaces (or forgets, with `None`) the loaded data.
    pub fn set_cache(&mut self, data: Option<SessionData>) {
        self.cache = data;
    }

    /// Django's `_get_session(no_load)`: marks the session accessed and returns its data,
    /// loading it from `store` first unless it is loaded already, there is no key, or `no_load`.
    ///
    /// # Errors
    /// The store's `load` errors.
    pub async fn load_with<S: SessionStore + ?Sized>(
        &mut self,
        store: &S,
        no_load: bool,
    ) -> Result<&mut SessionData, SessionError> {
        self.accessed = true;
        if self.cache.is_none() {
            let data = if self.session_key.is_none() || no_load {
                SessionData::new()
            } else {
                store.load(self).await?
            };
            self.cache = Some(data);
        }
        Ok(self.cache.get_or_insert_with(SessionData::new))
    }

    /// The application settings (SECRET_KEY, SECRET_KEY_FALLBACKS, the `SESSION_*` settings).
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub(crate) fn settings_shared(&self) -> &Arc<Settings> {
        &self.settings
    }

    /// The current time on the session's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The session's clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// `get_session_cookie_age()`: SESSION_COOKIE_AGE.
    pub fn get_session_cookie_age(&self) -> i64 {
        self.settings.session_cookie_age
    }

    /// `encode(session_dict)`: `signing.dumps(data, salt=salt, compress=True)` keyed on
    /// SECRET_KEY, the format the database, cache and file backends store (their salt is
    /// [`SessionStore::key_salt`]).
    ///
    /// # Errors
    /// [`SessionError::Serialization`] (not reachable for JSON values).
    pub fn encode(&self, data: &SessionData, salt: &str) -> Result<String, SessionError> {
        signing::dumps_at(data, &self.settings.secret_key, salt, true, self.now())
            .map_err(|e| SessionError::Serialization(e.to_string()))
    }

    /// `decode(session_data)`: the reverse of [`SessionBase::encode`] (SECRET_KEY_FALLBACKS are
    /// tried too); anything undecodable is an empty session, a bad signature being logged to
    /// `django.security.SuspiciousSession` as in Django.
    pub fn decode(&self, session_data: &str, salt: &str) -> SessionData {
        match self.loads(session_data, salt, None) {
            Ok(data) => data,
            Err(e) => {
                if e.is_bad_signature() {
                    tracing::warn!(target: "django.security.SuspiciousSession", "Session data corrupted");
                }
                SessionData::new()
            }
        }
    }

    /// `signing.loads(value, salt=salt, max_age=max_age)` with SECRET_KEY and
    /// SECRET_KEY_FALLBACKS, on the session's clock, into session data.
    ///
    /// # Errors
    /// Any [`signing::SigningError`] (bad signature, expired, not a JSON object).
    pub fn loads(
        &self,
        value: &str,
        salt: &str,
        max_age: Option<MaxAge>,
    ) -> Result<SessionData, signing::SigningError> {
        let s = &self.settings;
        signing::loads_at(
            value,
            &s.secret_key,
            salt,
            max_age,
            &s.secret_key_fallbacks,
            self.now(),
        )
    }

    /// `get_expiry_age(expiry=expiry)` now: SESSION_COOKIE_AGE when `expiry` is missing or
    /// falsy, the number of seconds it holds, or the seconds left until the ISO datetime it holds.
    ///
    /// # Errors
    /// [`SessionError::InvalidExpiry`] for a value Django would fail on.
    pub fn expiry_age(&self, expiry: Option<&Value>) -> Result<MaxAge, SessionError> {
        expiry::expiry_age(expiry, self.now(), self.settings.session_cookie_age)
    }

    /// `get_expiry_date(expiry=expiry)` now.
    ///
    /// # Errors
    /// [`SessionError::InvalidExpiry`] for a value Django would fail on.
    pub fn expiry_date(&self, expiry: Option<&Value>) -> Result<DateTime<Utc>, SessionError> {
        expiry::expiry_date(expiry, self.now(), self.settings.session_cookie_age)
    }

    /// `get_expire_at_browser_close()` for a stored expiry: SESSION_EXPIRE_AT_BROWSER_CLOSE
    /// without one, else whether it is `0`.
    pub fn expire_at_browser_close(&self, expiry: Option<&Value>) -> bool {
        match expiry {
            None => self.settings.session_expire_at_browser_close,
            Some(v) => expiry::is_zero(v),
        }
    }

    /// The `_session_expiry` of the loaded data (`None` when absent or JSON `null`).
    pub fn stored_expiry(&self) -> Option<&Value> {
        self.cache
            .as_ref()?
            .get(EXPIRY_KEY)
            .filter(|v| !v.is_null())
    }
}

/// The characters of generated session keys (`VALID_KEY_CHARS`: lower-case letters and digits,
/// so keys survive case-insensitive storage).
pub const VALID_KEY_CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// `get_random_string(32, VALID_KEY_CHARS)`: a new random session key (not checked for
/// collisions; see [`SessionStore::exists`]).
///
/// # Examples
/// ```
/// let key = nuages::sessions::backends::random_session_key();
/// assert_eq!(key.len(), 32);
/// assert!(key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
/// ```
pub fn random_session_key() -> String {
    let mut rng = rand::thread_rng();
    (0..32)
        .map(|_| char::from(VALID_KEY_CHARS[rng.gen_range(0..VALID_KEY_CHARS.len())]))
        .collect()
}

/// A session backend (Django's `SessionBase` subclasses' storage methods). One store serves
/// every request; the request's state comes in as a [`SessionBase`].
///
/// All methods are async (object-safe: they return boxed futures), so backends may talk to a
/// database, Redis or the file system.
///
/// # Examples
/// A store keeping sessions in memory (a toy `cache` backend):
/// ```
/// use std::collections::HashMap;
/// use std::sync::Mutex;
/// use nuages::sessions::backends::SessionStore;
/// use nuages::sessions::{SessionBase, SessionData, SessionError};
/// use nuages::views::BoxFuture;
///
/// #[derive(Debug, Default)]
/// struct MemoryStore(Mutex<HashMap<String, SessionData>>);
///
/// impl SessionStore for MemoryStore {
///     fn load<'a>(&'a self, s: &'a mut SessionBase) -> BoxFuture<'a, Result<SessionData, SessionError>> {
///         Box::pin(async move {
///             let found = s.session_key().and_then(|k| self.0.lock().unwrap().get(k).cloned());
///             if found.is_none() {
///                 s.set_session_key(None);
///             }
///             Ok(found.unwrap_or_default())
///         })
///     }
///     fn exists<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<bool, SessionError>> {
///         Box::pin(async move { Ok(self.0.lock().unwrap().contains_key(key)) })
///     }
///     fn save<'a>(&'a self, s: &'a mut SessionBase, must_create: bool) -> BoxFuture<'a, Result<(), SessionError>> {
///         Box::pin(async move {
///             let Some(key) = s.session_key().map(str::to_owned) else {
///                 return self.create(s).await;
///             };
///             let data = s.load_with(self, must_create).await?.clone();
///             let mut map = self.0.lock().unwrap();
///             if must_create && map.contains_key(&key) {
///                 return Err(SessionError::Create);
///             }
///             map.insert(key, data);
///             Ok(())
///         })
///     }
///     fn delete<'a>(&'a self, s: &'a mut SessionBase, key: Option<&'a str>) -> BoxFuture<'a, Result<(), SessionError>> {
///         Box::pin(async move {
///             if let Some(k) = key.or(s.session_key()) {
///                 self.0.lock().unwrap().remove(k);
///             }
///             Ok(())
///         })
///     }
/// }
/// ```
pub trait SessionStore: Send + Sync + 'static {
    /// Django's `load()`: the data stored under [`SessionBase::session_key`] (called only when
    /// there is a key). A missing, expired or corrupted record is an empty session; Django's
    /// backends then either drop the key (`set_session_key(None)`) or, like the signed-cookie
    /// backend, call `create()`.
    fn load<'a>(
        &'a self,
        session: &'a mut SessionBase,
    ) -> BoxFuture<'a, Result<SessionData, SessionError>>;

    /// Django's `exists(session_key)`: whether the key is in use.
    fn exists<'a>(&'a self, session_key: &'a str) -> BoxFuture<'a, Result<bool, SessionError>>;

    /// Django's `create()`: gives the session a new, unused key, saves it once (with its data,
    /// without loading) and marks it modified. The default is what Django's `db`, `cache` and
    /// `file` backends do: a fresh [`random_session_key`] saved with `must_create`, retried
    /// while [`save`](Self::save) answers [`SessionError::Create`] (a taken key).
    fn create<'a>(
        &'a self,
        session: &'a mut SessionBase,
    ) -> BoxFuture<'a, Result<(), SessionError>> {
        Box::pin(super::create_with(self, session))
    }

    /// Django's `save(must_create)`: stores the data (loading it first unless `must_create`);
    /// without a key, `create()`s one. `must_create` and the key exists:
    /// [`SessionError::Create`]; updating a record that vanished: [`SessionError::Update`].
    fn save<'a>(
        &'a self,
        session: &'a mut SessionBase,
        must_create: bool,
    ) -> BoxFuture<'a, Result<(), SessionError>>;

    /// Django's `delete(session_key=None)`: removes the data of `session_key`, or of the
    /// session's own key when `None`.
    fn delete<'a>(
        &'a self,
        session: &'a mut SessionBase,
        session_key: Option<&'a str>,
    ) -> BoxFuture<'a, Result<(), SessionError>>;

    /// Django's `cycle_key()`: the same data under a new key, the old record deleted. The
    /// default is `SessionBase.cycle_key`.
    fn cycle_key<'a>(
        &'a self,
        session: &'a mut SessionBase,
    ) -> BoxFuture<'a, Result<(), SessionError>> {
        Box::pin(async move {
            let data = session.load_with(self, false).await?.clone();
            let old_key = session.session_key().map(str::to_owned);
            self.create(session).await?;
            session.set_cache(Some(data));
            if let Some(old_key) = old_key {
                self.delete(session, Some(&old_key)).await?;
            }
            Ok(())
        })
    }

    /// Django's `clear_expired()` (the `clearsessions` command): removes expired records. The
    /// default reports [`SessionError::NotImplemented`].
    fn clear_expired(&self) -> BoxFuture<'_, Result<(), SessionError>> {
        Box::pin(async {
            Err(SessionError::NotImplemented(
                "This backend does not support clear_expired().",
            ))
        })
    }

    /// Django's `key_salt` for [`SessionBase::encode`]: `"django.contrib.sessions." +` the
    /// class's qualified name, `django.contrib.sessions.SessionStore` for Django's backends.
    fn key_salt(&self) -> &str {
        "django.contrib.sessions.SessionStore"
    }

    /// A short name for debugging.
    fn name(&self) -> &'static str {
        std::any::type_name::<Self>()
    }
}

impl<S: SessionStore + ?Sized> SessionStore for Arc<S> {
    fn load<'a>(
        &'a self,
        session: &'a mut SessionBase,
    ) -> BoxFuture<'a, Result<SessionData, SessionError>> {
        (**self).load(session)
    }

    fn exists<'a>(&'a self, session_key: &'a str) -> BoxFuture<'a, Result<bool, SessionError>> {
        (**self).exists(session_key)
    }

    fn create<'a>(
        &'a self,
        session: &'a mut SessionBase,
    ) -> BoxFuture<'a, Result<(), SessionError>> {
        (**self).create(session)
    }

    fn save<'a>(
        &'a self,
        session: &'a mut SessionBase,
        must_create: bool,
    ) -> BoxFuture<'a, Result<(), SessionError>> {
        (**self).save(session, must_create)
    }

    fn delete<'a>(
        &'a self,
        session: &'a mut SessionBase,
        session_key: Option<&'a str>,
    ) -> BoxFuture<'a, Result<(), SessionError>> {
        (**self).delete(session, session_key)
    }

    fn cycle_key<'a>(
        &'a self,
        session: &'a mut SessionBase,
    ) -> BoxFuture<'a, Result<(), SessionError>> {
        (**self).cycle_key(session)
    }

    fn clear_expired(&self) -> BoxFuture<'_, Result<(), SessionError>> {
        (**self).clear_expired()
    }

    fn key_salt(&self) -> &str {
        (**self).key_salt()
    }

    fn name(&self) -> &'static str {
        (**self).name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(key: Option<&str>) -> SessionBase {
        SessionBase::new(key.map(str::to_owned), Arc::default())
    }

    #[test]
    fn key_validation() {
        assert_eq!(base(Some("")).session_key(), None);
        assert_eq!(base(Some("1234567")).session_key(), None);
        assert_eq!(base(Some("12345678")).session_key(), Some("12345678"));
        // Characters, not bytes, as Python's len().
        assert_eq!(base(Some("ééééééé")).session_key(), None);
    }

    #[test]
    fn is_empty_like_django() {
        let mut b = base(None);
        assert!(b.is_empty());
        b.set_cache(Some(SessionData::new()));
        assert!(b.is_empty());
        b.cache_mut().map(|c| c.insert("a".into(), 1.into()));
        assert!(!b.is_empty());
        assert!(!base(Some("abcdefgh")).is_empty());
    }

    #[test]
    fn encode_decode_round_trip() {
        let b = base(None);
        let mut data = SessionData::new();
        data.insert("user_id".into(), 42.into());
        let encoded = b.encode(&data, "django.contrib.sessions.SessionStore");
        let encoded = encoded.unwrap_or_default();
        assert_eq!(
            b.decode(&encoded, "django.contrib.sessions.SessionStore"),
            data
        );
        assert!(b.decode(&encoded, "other-salt").is_empty());
        assert!(b.decode("garbage", "x").is_empty());
    }
}

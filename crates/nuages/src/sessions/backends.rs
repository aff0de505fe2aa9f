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
//! A database backend's `save`, for example, would be: `if s.session_key().is_none() { return
//! self.create(s).await }`, then `let data = s.load_with(self, must_create).await?.clone()`,
//! `encode` it, and insert (`must_create`: a duplicate key is [`SessionError::Create`]) or update
//! (no row: [`SessionError::Update`]) the row with `expire_date = s.expiry_date(...)`.

pub mod signed_cookies;

use std::sync::Arc;

use rand::Rng;

use super::base::{SessionBase, SessionData};
use super::exceptions::SessionError;
use crate::views::BoxFuture;

pub use signed_cookies::SignedCookieStore;

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
/// use nuages::sessions::backends::{random_session_key, SessionStore};
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
///     fn create<'a>(&'a self, s: &'a mut SessionBase) -> BoxFuture<'a, Result<(), SessionError>> {
///         Box::pin(async move {
///             loop {
///                 s.set_session_key(Some(random_session_key()));
///                 match self.save(s, true).await {
///                     Err(SessionError::Create) => continue,
///                     other => other?,
///                 }
///                 s.set_modified(true);
///                 return Ok(());
///             }
///         })
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
    /// without loading) and marks it modified.
    fn create<'a>(
        &'a self,
        session: &'a mut SessionBase,
    ) -> BoxFuture<'a, Result<(), SessionError>>;

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

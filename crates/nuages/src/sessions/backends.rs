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

pub mod base;
pub mod signed_cookies;

#[cfg(doc)]
use self::base::SessionBase;
pub use self::base::{random_session_key, SessionStore, VALID_KEY_CHARS};
pub use self::signed_cookies::SignedCookieStore;
#[cfg(doc)]
use crate::sessions::SessionError;

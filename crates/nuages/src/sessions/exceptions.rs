//! The equivalent of `django/contrib/sessions/exceptions.py` and of the `CreateError` /
//! `UpdateError` of `django/contrib/sessions/backends/base.py`.

use std::fmt;

use crate::core::exceptions::ErrorKind;

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An error of the session framework: a backend failure, a conflict reported by a backend, or a
/// value that does not (de)serialize.
///
/// Converted into a [`crate::Error`] with `?` it is an internal error (500), as the matching
/// Python exceptions are in Django; the middleware turns [`SessionError::Update`] into
/// [`SessionInterrupted`] (400) itself.
///
/// # Examples
/// ```
/// use nuages::sessions::SessionError;
/// let e = SessionError::backend(std::io::Error::other("disk full"));
/// assert_eq!(e.to_string(), "session backend error: disk full");
/// let e: nuages::Error = SessionError::Update.into();
/// assert_eq!(e.kind(), nuages::ErrorKind::Internal);
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum SessionError {
    /// Django's `CreateError`: `save(must_create=True)` found the key already taken; backends'
    /// `create()` retries with another key.
    #[doc(alias = "CreateError")]
    Create,
    /// Django's `UpdateError`: the session to update was deleted meanwhile (a concurrent logout,
    /// for example).
    #[doc(alias = "UpdateError")]
    Update,
    /// A value could not be converted to or from JSON (Django: `TypeError` / `ValueError`).
    Serialization(String),
    /// A stored `_session_expiry` that is not an expiry (Django: `TypeError` / `ValueError` in
    /// `get_expiry_age()`).
    InvalidExpiry(String),
    /// The backend does not implement an operation (`clear_expired()` for example).
    NotImplemented(&'static str),
    /// Any failure of the storage (I/O, database, network, …).
    Backend(BoxError),
}

impl SessionError {
    /// Wraps a storage error.
    pub fn backend(error: impl Into<BoxError>) -> Self {
        SessionError::Backend(error.into())
    }
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionError::Create => f.write_str("the session key is already in use"),
            SessionError::Update => f.write_str("the session was deleted before it was saved"),
            SessionError::Serialization(m) => write!(f, "session value not serializable: {m}"),
            SessionError::InvalidExpiry(m) => write!(f, "invalid session expiry: {m}"),
            SessionError::NotImplemented(m) => f.write_str(m),
            SessionError::Backend(e) => write!(f, "session backend error: {e}"),
        }
    }
}

impl std::error::Error for SessionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SessionError::Backend(e) => Some(&**e),
            _ => None,
        }
    }
}

impl From<serde_json::Error> for SessionError {
    fn from(e: serde_json::Error) -> Self {
        SessionError::Serialization(e.to_string())
    }
}

macro_rules! session_exception {
    ($(#[$doc:meta])* $name:ident, $kind:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            message: String,
        }

        impl $name {
            /// The error with a message.
            pub fn new(message: impl Into<String>) -> Self {
                $name { message: message.into() }
            }

            /// The message.
            pub fn message(&self) -> &str {
                &self.message
            }

            /// As a framework [`crate::Error`] of the kind Django's exception maps to.
            pub fn into_error(self) -> crate::Error {
                crate::Error::new($kind, self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.message)
            }
        }

        impl std::error::Error for $name {}
    };
}

session_exception!(
    /// Django's `SessionInterrupted` (a `BadRequest`, answered with a 400): the request's session
    /// was deleted before the request completed.
    ///
    /// # Examples
    /// ```
    /// use nuages::sessions::SessionInterrupted;
    /// let e = SessionInterrupted::new("gone").into_error();
    /// assert_eq!(e.kind(), nuages::ErrorKind::BadRequest);
    /// ```
    SessionInterrupted,
    ErrorKind::BadRequest
);
session_exception!(
    /// Django's `SuspiciousSession` (a `SuspiciousOperation`, 400): the session may have been
    /// tampered with.
    SuspiciousSession,
    ErrorKind::BadRequest
);
session_exception!(
    /// Django's `InvalidSessionKey` (a `SuspiciousOperation`, 400): invalid characters in a
    /// session key (file backend).
    InvalidSessionKey,
    ErrorKind::BadRequest
);

//! The errors of Django's `set_cookie`, its cookie-name check and `http_date`, on top of
//! Python's `http.cookies` and `email.utils.formatdate`
//! ([`nuages::py`](crate::py)).

use std::fmt;

use nuages_py::email_utils::formatdate;
use nuages_py::http_cookies;
use nuages_py::repr::str_repr;

/// Errors raised while setting a cookie; `Display` gives Django's message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CookieError {
    /// `CookieError("Illegal key '<name>'")`: the name is empty or contains a
    /// character outside ``A-Za-z0-9!#$%&'*+-.^_`|~:``.
    IllegalKey(String),
    /// `CookieError("Attempt to set a reserved key '<name>'")`: the name is an
    /// attribute name (`expires`, `path`, `max-age`, ... case-insensitively).
    ReservedKey(String),
    /// `ValueError('samesite must be "lax", "none", or "strict".')`.
    InvalidSameSite(String),
    /// `ValueError("'expires' and 'max_age' can't be used together.")`: a
    /// datetime `expires` was combined with `max_age`.
    ExpiresWithMaxAge,
    /// `int(max_age)` failed: NaN, infinite or out of range.
    InvalidMaxAge(String),
    /// The expiry date falls outside years 1–9999 (Python's `datetime` range).
    DateOutOfRange,
    /// A `path`, `domain` or raw `expires` containing a character a header value cannot hold
    /// (CR, LF, NUL, another control character or DEL). Beyond Django, which hands such a
    /// `Set-Cookie` line to the WSGI server as is; nuages refuses it rather than send it, or
    /// drop the cookie silently.
    IllegalAttribute {
        /// The attribute (`path`, `domain`, `expires`).
        attribute: &'static str,
        /// Its value.
        value: String,
    },
}

impl CookieError {
    /// The name of the Python exception class Django raises for this error.
    #[must_use]
    pub fn python_exception(&self) -> &'static str {
        match self {
            Self::IllegalKey(_) | Self::ReservedKey(_) => "CookieError",
            Self::InvalidSameSite(_) | Self::ExpiresWithMaxAge | Self::InvalidMaxAge(_) => {
                "ValueError"
            }
            Self::DateOutOfRange => "OverflowError",
            Self::IllegalAttribute { .. } => "BadHeaderError",
        }
    }
}

impl fmt::Display for CookieError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::IllegalKey(key) => write!(f, "Illegal key {}", str_repr(key)),
            Self::ReservedKey(key) => write!(f, "Attempt to set a reserved key {}", str_repr(key)),
            Self::InvalidSameSite(_) => {
                f.write_str("samesite must be \"lax\", \"none\", or \"strict\".")
            }
            Self::ExpiresWithMaxAge => {
                f.write_str("'expires' and 'max_age' can't be used together.")
            }
            Self::InvalidMaxAge(v) => write!(f, "cannot convert float {v} to integer"),
            Self::DateOutOfRange => f.write_str("date value out of range"),
            Self::IllegalAttribute { attribute, value } => write!(
                f,
                "Cookie {attribute} can't contain newlines or control characters (got {})",
                str_repr(value)
            ),
        }
    }
}

impl std::error::Error for CookieError {}

/// Python's `email.utils.formatdate(t, usegmt=True)` (Django's `http_date`):
/// `Wdy, DD Mon YYYY HH:MM:SS GMT` for a float epoch time, rounded to the
/// microsecond (half-even) and then truncated to the second.
///
/// # Errors
///
/// [`CookieError::DateOutOfRange`] outside years 1–9999 or for NaN.
///
/// # Examples
///
/// ```
/// use nuages::http::cookie::http_date;
///
/// assert_eq!(http_date(1_700_000_010.9).unwrap(), "Tue, 14 Nov 2023 22:13:30 GMT");
/// assert_eq!(http_date(0.0).unwrap(), "Thu, 01 Jan 1970 00:00:00 GMT");
/// ```
pub fn http_date(epoch_seconds: f64) -> Result<String, CookieError> {
    formatdate(epoch_seconds, true).map_err(|_| CookieError::DateOutOfRange)
}

impl From<http_cookies::CookieError> for CookieError {
    fn from(e: http_cookies::CookieError) -> Self {
        match e {
            http_cookies::CookieError::IllegalKey(key) => Self::IllegalKey(key),
            http_cookies::CookieError::ReservedKey(key) => Self::ReservedKey(key),
        }
    }
}

/// `Morsel.set()`'s key validation.
pub(super) fn check_key(key: &str) -> Result<(), CookieError> {
    Ok(http_cookies::check_key(key)?)
}

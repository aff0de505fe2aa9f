//! Python's `http.cookies.Morsel` (one cookie and its attributes, rendered
//! by `OutputString()`), its key validation, and `http_date`.

use std::fmt::{self, Write as _};

use chrono::{DateTime, Datelike, Timelike};

use super::{is_legal_char, quote};
use crate::signing::str_repr;

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
        }
    }
}

impl std::error::Error for CookieError {}

/// Attribute names `Morsel` reserves (compared case-insensitively).
const RESERVED: [&str; 9] = [
    "expires", "path", "comment", "domain", "max-age", "secure", "httponly", "version", "samesite",
];

/// `Morsel.set()`'s key validation.
pub(super) fn check_key(key: &str) -> Result<(), CookieError> {
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(key)) {
        return Err(CookieError::ReservedKey(key.to_owned()));
    }
    if key.is_empty() || !key.bytes().all(is_legal_char) {
        return Err(CookieError::IllegalKey(key.to_owned()));
    }
    Ok(())
}

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
    // Years 1..=9999, as Python's datetime.
    const MIN: f64 = -62_135_596_800.0;
    const MAX: f64 = 253_402_300_799.0;
    let mut secs = epoch_seconds.trunc();
    let micros = ((epoch_seconds - secs) * 1e6).round_ties_even();
    if micros >= 1e6 {
        secs += 1.0;
    } else if micros < 0.0 {
        secs -= 1.0;
    }
    if !(MIN..=MAX).contains(&secs) {
        return Err(CookieError::DateOutOfRange);
    }
    // In range, so the conversion is exact.
    #[allow(clippy::cast_possible_truncation)]
    let dt = DateTime::from_timestamp(secs as i64, 0).ok_or(CookieError::DateOutOfRange)?;
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let weekday = DAYS[dt.weekday().num_days_from_monday() as usize];
    let month = MONTHS[dt.month0() as usize];
    let mut out = String::with_capacity(29);
    let _ = write!(
        out,
        "{weekday}, {:02} {month} {:04} {:02}:{:02}:{:02} GMT",
        dt.day(),
        dt.year(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    Ok(out)
}

/// One cookie as Python's `http.cookies.Morsel` holds it: name, value, the
/// quoted value and the attributes (an empty string means "not set").
///
/// [`header_value`](Self::header_value) renders `Morsel.OutputString()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Morsel {
    pub(super) key: String,
    pub(super) value: String,
    pub(super) coded_value: String,
    pub(super) expires: String,
    pub(super) max_age: Option<i64>,
    pub(super) path: String,
    pub(super) domain: String,
    pub(super) secure: bool,
    pub(super) httponly: bool,
    pub(super) samesite: String,
}

impl Morsel {
    pub(super) fn new(key: String, value: String) -> Self {
        let coded_value = quote(&value).into_owned();
        Self {
            key,
            value,
            coded_value,
            expires: String::new(),
            max_age: None,
            path: String::new(),
            domain: String::new(),
            secure: false,
            httponly: false,
            samesite: String::new(),
        }
    }

    /// The cookie name.
    #[must_use]
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The value as given.
    #[must_use]
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The value as sent ([`quote`](super::quote)d).
    #[must_use]
    pub fn coded_value(&self) -> &str {
        &self.coded_value
    }

    /// The `expires` attribute (`""` when unset).
    #[must_use]
    pub fn expires(&self) -> &str {
        &self.expires
    }

    /// The `Max-Age` attribute.
    #[must_use]
    pub fn max_age(&self) -> Option<i64> {
        self.max_age
    }

    /// The `Path` attribute (`""` when unset).
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The `Domain` attribute (`""` when unset).
    #[must_use]
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The `Secure` flag.
    #[must_use]
    pub fn secure(&self) -> bool {
        self.secure
    }

    /// The `HttpOnly` flag.
    #[must_use]
    pub fn httponly(&self) -> bool {
        self.httponly
    }

    /// The `SameSite` attribute (`""` when unset).
    #[must_use]
    pub fn samesite(&self) -> &str {
        &self.samesite
    }

    /// `Morsel.OutputString()`: the `Set-Cookie` header value,
    /// `name=value` then the set attributes in Python's (sorted) order:
    /// `Domain`, `expires`, `HttpOnly`, `Max-Age`, `Path`, `SameSite`,
    /// `Secure`.
    ///
    /// Attribute values are not escaped, and characters above U+00FF in the
    /// value are kept raw: use `http::HeaderValue::from_bytes` (which accepts
    /// the UTF-8 bytes, as Django sends them) rather than `from_str`.
    #[doc(alias = "OutputString")]
    #[must_use]
    pub fn header_value(&self) -> String {
        let mut out = String::with_capacity(
            self.key.len() + self.coded_value.len() + self.path.len() + self.domain.len() + 80,
        );
        self.write_header_value(&mut out);
        out
    }

    /// Appends [`header_value`](Self::header_value) to `out`.
    pub fn write_header_value(&self, out: &mut String) {
        out.push_str(&self.key);
        out.push('=');
        out.push_str(&self.coded_value);
        let mut attr = |name: &str, value: &str| {
            out.push_str("; ");
            out.push_str(name);
            if !value.is_empty() {
                out.push('=');
                out.push_str(value);
            }
        };
        if !self.domain.is_empty() {
            attr("Domain", &self.domain);
        }
        if !self.expires.is_empty() {
            attr("expires", &self.expires);
        }
        if self.httponly {
            attr("HttpOnly", "");
        }
        if let Some(max_age) = self.max_age {
            attr("Max-Age", &max_age.to_string());
        }
        if !self.path.is_empty() {
            attr("Path", &self.path);
        }
        if !self.samesite.is_empty() {
            attr("SameSite", &self.samesite);
        }
        if self.secure {
            attr("Secure", "");
        }
    }
}

impl fmt::Display for Morsel {
    /// Same text as [`Morsel::header_value`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.header_value())
    }
}

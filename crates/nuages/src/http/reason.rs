//! HTTP reason phrases and status validation, as Django's `HttpResponseBase`
//! does them (django/http/response.py, Python's `http.client.responses`).

use std::fmt;

use http::StatusCode;
use nuages_py::builtins::int_from_str;
use nuages_py::http_client::responses;

/// The phrase Django uses for codes Python does not know.
pub const UNKNOWN_STATUS_PHRASE: &str = "Unknown Status Code";

/// The status of a response built without `status=` (`200`).
pub const DEFAULT_STATUS: StatusCode = StatusCode::OK;

/// The reason phrase of Python's `http.client.responses` (Python 3.11), or
/// `Unknown Status Code`.
///
/// Differs from [`StatusCode::canonical_reason`] in places: `418` is
/// `I'm a Teapot`, `413` is `Request Entity Too Large`, `414` is
/// `Request-URI Too Long`, `416` is `Requested Range Not Satisfiable`.
///
/// # Examples
///
/// ```
/// use nuages::http::reason::reason_phrase;
///
/// assert_eq!(reason_phrase(418), "I'm a Teapot");
/// assert_eq!(reason_phrase(299), "Unknown Status Code");
/// ```
#[doc(alias = "responses")]
pub fn reason_phrase(status: u16) -> &'static str {
    responses(status).unwrap_or(UNKNOWN_STATUS_PHRASE)
}

/// Django's `HttpResponseBase.reason_phrase` property: the custom `reason=`
/// if one was given, otherwise [`reason_phrase`] of the status.
///
/// # Examples
///
/// ```
/// use nuages::http::reason::resolve_reason_phrase;
///
/// assert_eq!(resolve_reason_phrase(200, Some("Custom Reason")), "Custom Reason");
/// assert_eq!(resolve_reason_phrase(404, None), "Not Found");
/// ```
pub fn resolve_reason_phrase(status: u16, custom: Option<&str>) -> &str {
    custom.unwrap_or_else(|| reason_phrase(status))
}

/// An invalid `status=` argument, with Django's exception and message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidStatus {
    /// `TypeError("HTTP status code must be an integer.")`: `int(status)` failed.
    NotAnInteger,
    /// `ValueError("HTTP status code must be an integer from 100 to 599.")`.
    OutOfRange,
    /// `OverflowError("cannot convert float infinity to integer")`: Python's
    /// `int(inf)` error, which Django does not catch.
    InfiniteFloat,
}

impl InvalidStatus {
    /// The Python exception class Django raises.
    pub fn python_exception(&self) -> &'static str {
        match self {
            InvalidStatus::NotAnInteger => "TypeError",
            InvalidStatus::OutOfRange => "ValueError",
            InvalidStatus::InfiniteFloat => "OverflowError",
        }
    }
}

impl fmt::Display for InvalidStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InvalidStatus::NotAnInteger => "HTTP status code must be an integer.",
            InvalidStatus::OutOfRange => "HTTP status code must be an integer from 100 to 599.",
            InvalidStatus::InfiniteFloat => "cannot convert float infinity to integer",
        })
    }
}

impl std::error::Error for InvalidStatus {}

/// Django's status check: `100 <= status <= 599`.
///
/// # Examples
///
/// ```
/// use nuages::http::reason::{validate_status, InvalidStatus};
///
/// assert_eq!(validate_status(418).unwrap().as_u16(), 418);
/// assert_eq!(validate_status(600), Err(InvalidStatus::OutOfRange));
/// ```
pub fn validate_status(status: i64) -> Result<StatusCode, InvalidStatus> {
    if !(100..=599).contains(&status) {
        return Err(InvalidStatus::OutOfRange);
    }
    u16::try_from(status)
        .ok()
        .and_then(|code| StatusCode::from_u16(code).ok())
        .ok_or(InvalidStatus::OutOfRange)
}

/// `status="…"`: Python's `int(str)` (surrounding whitespace, an optional
/// sign, ASCII digits with single `_` separators), then [`validate_status`].
pub fn parse_status(status: &str) -> Result<StatusCode, InvalidStatus> {
    let value = int_from_str(status).ok_or(InvalidStatus::NotAnInteger)?;
    validate_status(value)
}

/// `status=<float>`: Python's `int(float)` truncates toward zero; NaN is a
/// `ValueError` (→ Django's `TypeError`), infinities an `OverflowError`.
pub fn status_from_float(status: f64) -> Result<StatusCode, InvalidStatus> {
    if status.is_nan() {
        return Err(InvalidStatus::NotAnInteger);
    }
    if status.is_infinite() {
        return Err(InvalidStatus::InfiniteFloat);
    }
    let truncated = status.trunc();
    if !(100.0..=599.0).contains(&truncated) {
        return Err(InvalidStatus::OutOfRange);
    }
    validate_status(truncated as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_int_parsing() {
        assert_eq!(parse_status(" 2_00\n").map(|s| s.as_u16()), Ok(200));
        assert_eq!(parse_status("+0404").map(|s| s.as_u16()), Ok(404));
        assert_eq!(parse_status("2__00"), Err(InvalidStatus::NotAnInteger));
        assert_eq!(parse_status("_200"), Err(InvalidStatus::NotAnInteger));
        assert_eq!(parse_status("-200"), Err(InvalidStatus::OutOfRange));
        assert_eq!(
            parse_status("99999999999999999999999"),
            Err(InvalidStatus::OutOfRange)
        );
        assert_eq!(status_from_float(599.9).map(|s| s.as_u16()), Ok(599));
        assert_eq!(
            status_from_float(f64::INFINITY),
            Err(InvalidStatus::InfiniteFloat)
        );
    }
}

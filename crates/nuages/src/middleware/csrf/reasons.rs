//! The reasons `CsrfViewMiddleware` gives the failure view, exactly Django's (`REASON_*` of
//! `django/middleware/csrf.py`).

/// `REASON_BAD_ORIGIN`; `%s` is the request's `Origin`.
pub const REASON_BAD_ORIGIN: &str =
    "Origin checking failed - %s does not match any trusted origins.";
/// `REASON_NO_REFERER`.
pub const REASON_NO_REFERER: &str = "Referer checking failed - no Referer.";
/// `REASON_BAD_REFERER`; `%s` is the `Referer` URL.
pub const REASON_BAD_REFERER: &str =
    "Referer checking failed - %s does not match any trusted origins.";
/// `REASON_NO_CSRF_COOKIE`.
pub const REASON_NO_CSRF_COOKIE: &str = "CSRF cookie not set.";
/// `REASON_CSRF_TOKEN_MISSING`.
pub const REASON_CSRF_TOKEN_MISSING: &str = "CSRF token missing.";
/// `REASON_MALFORMED_REFERER`.
pub const REASON_MALFORMED_REFERER: &str = "Referer checking failed - Referer is malformed.";
/// `REASON_INSECURE_REFERER`.
pub const REASON_INSECURE_REFERER: &str =
    "Referer checking failed - Referer is insecure while host is secure.";
/// `REASON_INCORRECT_LENGTH`: a phrase completing "CSRF cookie …" or "CSRF token from … …".
pub const REASON_INCORRECT_LENGTH: &str = "has incorrect length";
/// `REASON_INVALID_CHARACTERS`: as [`REASON_INCORRECT_LENGTH`].
pub const REASON_INVALID_CHARACTERS: &str = "has invalid characters";

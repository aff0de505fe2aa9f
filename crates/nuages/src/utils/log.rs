//! The equivalent of `django/utils/log.py`'s `log_response` escaping: what nuages writes into
//! a log line from a request (its path, its method, an error's message) cannot start a new
//! line or hide text behind control characters.
//!
//! Django 5.2 (since the fix for CVE-2025-48432) passes every `str` argument of
//! `log_response` through `arg.encode("unicode_escape").decode("ascii")`: that is
//! [`log_message_escape`], used for the paths and methods of the `django.request`, `nuages::request` and
//! `django.security.*` lines. Django does not escape the *message* (`str(exc)` of a
//! `SuspiciousOperation`, the text of a `BadRequest`); nuages escapes what Python's
//! `str.isprintable()` rejects there ([`escape_nonprintable`]), so that an error whose text
//! quotes the request (a panic message, a deserialization error) cannot forge a log line
//! either, while an ordinary message is logged exactly as Django logs it.

use std::borrow::Cow;
use std::fmt::Write as _;

use nuages_py::builtins::is_printable;

/// Django's escaping of a `log_response` argument: Python's
/// `text.encode("unicode_escape").decode("ascii")` — `\` doubled, `\t`, `\n`, `\r`, and
/// `\xXX`/`\uXXXX`/`\UXXXXXXXX` for every character outside printable ASCII. Borrows when
/// there is nothing to escape (the common case).
///
/// # Examples
/// ```
/// use nuages::utils::log::log_message_escape;
///
/// assert_eq!(log_message_escape("/ok/"), "/ok/");
/// assert_eq!(log_message_escape("/a\r\nINFO fake"), "/a\\r\\nINFO fake");
/// assert_eq!(log_message_escape("/caf\u{e9}\u{1b}[31m"), "/caf\\xe9\\x1b[31m");
/// ```
#[doc(alias = "log_response")]
pub fn log_message_escape(text: &str) -> Cow<'_, str> {
    nuages_py::codecs::encode_unicode_escape(text)
}

/// Escapes, as Python's `repr()` does inside its quotes, the characters that
/// `str.isprintable()` rejects (controls, `\r`, `\n`, `\t`, line and paragraph separators,
/// format characters, …): `\t`, `\n`, `\r`, else `\xXX`/`\uXXXX`/`\UXXXXXXXX`. Printable text,
/// non-ASCII letters and `\` are kept. Borrows when there is nothing to escape.
///
/// # Examples
/// ```
/// use nuages::utils::log::escape_nonprintable;
///
/// assert_eq!(escape_nonprintable("Invalid HTTP_HOST header: 'h\u{e9}'."), "Invalid HTTP_HOST header: 'h\u{e9}'.");
/// assert_eq!(escape_nonprintable("boom\nERROR forged\u{2028}"), "boom\\nERROR forged\\u2028");
/// ```
pub fn escape_nonprintable(text: &str) -> Cow<'_, str> {
    if text.chars().all(is_printable) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_printable(c) => out.push(c),
            c => {
                let cp = u32::from(c);
                // Writing into a String cannot fail.
                let _ = if cp <= 0xff {
                    write!(out, "\\x{cp:02x}")
                } else if cp <= 0xffff {
                    write!(out, "\\u{cp:04x}")
                } else {
                    write!(out, "\\U{cp:08x}")
                };
            }
        }
    }
    Cow::Owned(out)
}

//! Python's `email.utils`: `quote`, `unquote`, `decode_rfc2231`, `collapse_rfc2231_value`
//! and `formatdate`.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, Datelike, Timelike};

use crate::codecs::{encode_raw_unicode_escape, Charset};

/// `email.utils.quote`: backslash-escape `\` and `"` (no surrounding quotes added).
///
/// # Examples
///
/// ```
/// use nuages_py::email_utils::quote;
///
/// assert_eq!(quote(r#"a\"b"#), r#"a\\\"b"#);
/// ```
#[must_use]
pub fn quote(s: &str) -> Cow<'_, str> {
    if s.contains(['\\', '"']) {
        Cow::Owned(s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        Cow::Borrowed(s)
    }
}

/// `email.utils.unquote`: strip one pair of surrounding `"` (then undo `\\` and `\"`, in
/// that order, like Python's two `str.replace` calls) or of `<` `>`.
///
/// # Examples
///
/// ```
/// use nuages_py::email_utils::unquote;
///
/// assert_eq!(unquote(r#""a\"b""#), "a\"b");
/// assert_eq!(unquote("<y>"), "y");
/// assert_eq!(unquote("\""), "\"");
/// ```
#[must_use]
pub fn unquote(s: &str) -> Cow<'_, str> {
    if s.len() > 1 {
        if let Some(inner) = s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            if inner.contains('\\') {
                return Cow::Owned(inner.replace("\\\\", "\\").replace("\\\"", "\""));
            }
            return Cow::Borrowed(inner);
        }
        if let Some(inner) = s.strip_prefix('<').and_then(|r| r.strip_suffix('>')) {
            return Cow::Borrowed(inner);
        }
    }
    Cow::Borrowed(s)
}

/// An RFC 2231 value split by [`decode_rfc2231`]: `charset'language'text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rfc2231<'a> {
    /// The charset, `None` without two ticks.
    pub charset: Option<&'a str>,
    /// The language, `None` without two ticks.
    pub language: Option<&'a str>,
    /// The (still percent-decoded) text.
    pub text: &'a str,
}

/// `email.utils.decode_rfc2231`: `charset'language'text`, or no charset and language
/// without two ticks.
///
/// # Examples
///
/// ```
/// use nuages_py::email_utils::decode_rfc2231;
///
/// let v = decode_rfc2231("utf-8'en'x'y");
/// assert_eq!((v.charset, v.language, v.text), (Some("utf-8"), Some("en"), "x'y"));
/// assert_eq!(decode_rfc2231("plain").charset, None);
/// ```
#[must_use]
pub fn decode_rfc2231(s: &str) -> Rfc2231<'_> {
    let mut parts = s.splitn(3, '\'');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(charset), Some(language), Some(text)) => Rfc2231 {
            charset: Some(charset),
            language: Some(language),
            text,
        },
        _ => Rfc2231 {
            charset: None,
            language: None,
            text: s,
        },
    }
}

/// `email.utils.collapse_rfc2231_value((charset, language, text))` with the default
/// `errors="replace"` and `fallback_charset="us-ascii"`: `text` encoded with
/// `raw-unicode-escape` and decoded with `charset`; an unknown charset (a `LookupError`)
/// gives [`unquote`]`(text)` instead.
///
/// # Examples
///
/// ```
/// use nuages_py::email_utils::collapse_rfc2231_value;
///
/// assert_eq!(collapse_rfc2231_value(Some("utf-8"), "r\u{c3}\u{a9}sum\u{c3}\u{a9}"), "résumé");
/// assert_eq!(collapse_rfc2231_value(None, "caf\u{e9}"), "caf\u{fffd}");
/// assert_eq!(collapse_rfc2231_value(Some("no-such"), "\"q\""), "q");
/// ```
#[must_use]
pub fn collapse_rfc2231_value(charset: Option<&str>, text: &str) -> String {
    let codec = match charset {
        None => Some(Charset::from_label("us-ascii").unwrap_or(Charset::UTF_8)),
        Some(label) => Charset::from_label(label),
    };
    match codec {
        Some(codec) => codec
            .decode_lossy(&encode_raw_unicode_escape(text))
            .into_owned(),
        None => unquote(text).into_owned(),
    }
}

/// `formatdate()` failed: the time is NaN or outside `datetime`'s years 1–9999
/// (Python's `ValueError` / `OverflowError`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateOutOfRange;

impl fmt::Display for DateOutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("year is out of range")
    }
}

impl std::error::Error for DateOutOfRange {}

/// `email.utils.formatdate(timeval, localtime=False, usegmt=usegmt)`:
/// `Wdy, DD Mon YYYY HH:MM:SS GMT` (or `-0000` without `usegmt`) for a float epoch time,
/// rounded to the microsecond (half-even) by `datetime.fromtimestamp` and then truncated to
/// the second.
///
/// # Errors
///
/// [`DateOutOfRange`] outside years 1–9999 or for NaN.
///
/// # Examples
///
/// ```
/// use nuages_py::email_utils::formatdate;
///
/// assert_eq!(formatdate(1_700_000_010.9, true).unwrap(), "Tue, 14 Nov 2023 22:13:30 GMT");
/// assert_eq!(formatdate(0.0, false).unwrap(), "Thu, 01 Jan 1970 00:00:00 -0000");
/// assert!(formatdate(1e12, true).is_err());
/// ```
pub fn formatdate(timeval: f64, usegmt: bool) -> Result<String, DateOutOfRange> {
    // Years 1..=9999, as Python's datetime.
    const MIN: f64 = -62_135_596_800.0;
    const MAX: f64 = 253_402_300_799.0;
    let mut secs = timeval.trunc();
    let micros = ((timeval - secs) * 1e6).round_ties_even();
    if micros >= 1e6 {
        secs += 1.0;
    } else if micros < 0.0 {
        secs -= 1.0;
    }
    if !(MIN..=MAX).contains(&secs) {
        return Err(DateOutOfRange);
    }
    // In range, so the conversion is exact.
    #[allow(clippy::cast_possible_truncation)]
    let secs = secs as i64;
    // A server formats the same second many times over (every Set-Cookie with a max_age):
    // the last text of each thread is kept.
    thread_local! {
        static LAST: std::cell::RefCell<(i64, bool, String)> =
            const { std::cell::RefCell::new((0, false, String::new())) };
    }
    let cached = LAST.with(|last| {
        let last = last.borrow();
        (last.0 == secs && last.1 == usegmt && !last.2.is_empty()).then(|| last.2.clone())
    });
    if let Some(text) = cached {
        return Ok(text);
    }
    let text = format_seconds(secs, usegmt)?;
    LAST.with(|last| {
        if let Ok(mut last) = last.try_borrow_mut() {
            last.0 = secs;
            last.1 = usegmt;
            last.2.clone_from(&text);
        }
    });
    Ok(text)
}

/// `formatdate` of whole seconds, written out.
fn format_seconds(secs: i64, usegmt: bool) -> Result<String, DateOutOfRange> {
    let dt = DateTime::from_timestamp(secs, 0).ok_or(DateOutOfRange)?;
    // '%s, %02d %s %04d %02d:%02d:%02d %s', written out: it is on every Set-Cookie with a
    // max_age, and chrono's strftime interpreter costs ten times as much.
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    fn two(out: &mut String, n: u32) {
        out.push(char::from(b'0' + (n / 10 % 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    }
    let mut out = String::with_capacity(31);
    out.push_str(DAYS[dt.weekday().num_days_from_monday() as usize]);
    out.push_str(", ");
    two(&mut out, dt.day());
    out.push(' ');
    out.push_str(MONTHS[dt.month0() as usize]);
    out.push(' ');
    // Years 1..=9999 (checked above): four digits.
    let year = dt.year().unsigned_abs();
    two(&mut out, year / 100);
    two(&mut out, year % 100);
    out.push(' ');
    two(&mut out, dt.hour());
    out.push(':');
    two(&mut out, dt.minute());
    out.push(':');
    two(&mut out, dt.second());
    out.push(' ');
    out.push_str(if usegmt { "GMT" } else { "-0000" });
    Ok(out)
}

//! Python `str` methods whose Unicode semantics differ from Rust's: `str.isspace()`,
//! `str.strip()`, `str.lower()` and `str.isprintable()`.
//!
//! Rust's `char::is_whitespace`, `str::trim` and `str::to_lowercase` are close to Python's but
//! not identical; these are exact where it matters for header parsing and error messages.
//!
//! # Examples
//!
//! ```
//! use nuages_py::builtins::{is_printable, is_space, lower, strip};
//!
//! assert!(is_space('\x1c'));
//! assert_eq!(strip("\x1f a \u{a0}"), "a");
//! assert_eq!(lower("\u{212a}.COM"), "k.com");
//! assert!(is_printable(' ') && !is_printable('\u{a0}'));
//! ```

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// Python's `str.isspace()` for one character: Unicode `White_Space` plus the four
/// information separators `\x1c`..`\x1f` (bidi class B/S), which Rust does not count.
#[doc(alias = "isspace")]
#[must_use]
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// Python's `bytes.isspace()` for one byte (what `bytes.split()` and `bytes.strip()`
/// remove): space, `\t`, `\n`, `\r`, `\x0b`, `\x0c`.
#[must_use]
pub fn is_space_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// Python's `bytes.strip()` (no argument): strips [`is_space_byte`] bytes at both ends.
#[must_use]
pub fn strip_bytes(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&b| !is_space_byte(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| !is_space_byte(b))
        .map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// Python's `str.strip()` (no argument): strips [`is_space`] characters at both ends.
#[must_use]
pub fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Python's `str.lower()`; borrows when nothing changes.
#[must_use]
pub fn lower(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(s.to_ascii_lowercase())
        } else {
            Cow::Borrowed(s)
        }
    } else {
        let lowered = s.to_lowercase();
        if lowered == s {
            Cow::Borrowed(s)
        } else {
            Cow::Owned(lowered)
        }
    }
}

/// Characters of the general categories C* and Z*.
static NON_PRINTABLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\A[\p{C}\p{Z}]\z").expect("static regex is valid"));

/// Python's `str.isprintable()` for one character: false for the general categories C*
/// (controls, format, surrogates, private use, unassigned) and Z* (separators), except the
/// ASCII space.
#[doc(alias = "isprintable")]
#[must_use]
pub fn is_printable(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    let mut buf = [0u8; 4];
    !NON_PRINTABLE.is_match(c.encode_utf8(&mut buf))
}

/// Python's `str.isprintable()` for a whole string.
#[must_use]
pub fn is_printable_str(s: &str) -> bool {
    s.chars().all(is_printable)
}

/// Python's `str.title()`: the first letter of each run of letters upper-cased, the others
/// lower-cased.
///
/// # Examples
///
/// ```
/// assert_eq!(nuages_py::builtins::title("x-CSRF-token"), "X-Csrf-Token");
/// ```
#[must_use]
pub fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_cased = false;
    for c in s.chars() {
        if c.is_alphabetic() {
            if prev_cased {
                out.extend(c.to_lowercase());
            } else {
                out.extend(c.to_uppercase());
            }
            prev_cased = true;
        } else {
            out.push(c);
            prev_cased = false;
        }
    }
    out
}

/// Python's `str.isidentifier()` (`XID_Start` or `_`, then `XID_Continue`; without Python's
/// NFKC normalisation of non-ASCII identifiers).
///
/// # Examples
///
/// ```
/// use nuages_py::builtins::is_identifier;
///
/// assert!(is_identifier("_slug1") && is_identifier("café"));
/// assert!(!is_identifier("1a") && !is_identifier("a-b") && !is_identifier(""));
/// ```
#[must_use]
pub fn is_identifier(s: &str) -> bool {
    static IDENTIFIER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\A[_\p{XID_Start}]\p{XID_Continue}*\z").expect("static regex is valid")
    });
    IDENTIFIER.is_match(s)
}

/// Python's `float(s)` for ASCII input: surrounding whitespace, `_` between digits,
/// `inf` / `infinity` / `nan` in any case; `None` where Python raises `ValueError`.
///
/// # Examples
///
/// ```
/// use nuages_py::builtins::float_from_str;
///
/// assert_eq!(float_from_str(" 1_0.5\n"), Some(10.5));
/// assert!(float_from_str("-Infinity").is_some_and(f64::is_infinite));
/// assert_eq!(float_from_str("1__0"), None);
/// ```
#[must_use]
pub fn float_from_str(s: &str) -> Option<f64> {
    let s = strip(s);
    if !s.contains('_') {
        return s.parse().ok();
    }
    let bytes = s.as_bytes();
    let digit_at = |i: Option<usize>| i.and_then(|i| bytes.get(i)).is_some_and(u8::is_ascii_digit);
    let underscores_ok = bytes
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'_')
        .all(|(i, _)| digit_at(i.checked_sub(1)) && digit_at(Some(i + 1)));
    if underscores_ok {
        s.replace('_', "").parse().ok()
    } else {
        None
    }
}

/// Python's `int(s)` for base-10 text: surrounding whitespace ([`is_space`]), an optional
/// sign, ASCII digits with single `_` separators between them; `None` where Python raises
/// `ValueError`. Values beyond the `i64` range saturate.
///
/// # Examples
///
/// ```
/// use nuages_py::builtins::int_from_str;
///
/// assert_eq!(int_from_str(" +2_00\n"), Some(200));
/// assert_eq!(int_from_str("-0404"), Some(-404));
/// assert_eq!(int_from_str("2__00"), None);
/// assert_eq!(int_from_str("_1"), None);
/// ```
#[must_use]
pub fn int_from_str(s: &str) -> Option<i64> {
    let text = strip(s);
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let bytes = digits.as_bytes();
    let well_formed = bytes.first().is_some_and(u8::is_ascii_digit)
        && bytes.last().is_some_and(u8::is_ascii_digit)
        && bytes.iter().all(|b| b.is_ascii_digit() || *b == b'_')
        && !digits.contains("__");
    if !well_formed {
        return None;
    }
    let mut value: i64 = 0;
    for b in bytes.iter().filter(|b| b.is_ascii_digit()) {
        value = value.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    Some(if negative { -value } else { value })
}

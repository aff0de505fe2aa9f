//! Python `str` methods whose Unicode semantics differ from Rust's: `str.isspace()`,
//! `str.strip()`, `str.lower()` and `str.isprintable()`; `int(str)`, `float(str)`; and
//! `str % mapping` ([`percent_format`]).
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

mod percent;

pub use self::percent::{percent_format, FormatArg, PercentFormatError};

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
    // Common case: both ends are ASCII and not spaces, so nothing is stripped (and no
    // character needs decoding).
    let edge = |b: u8| b.is_ascii() && !is_space_ascii(b);
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(&first), Some(&last)) if edge(first) && edge(last) => s,
        (None, _) => s,
        _ => s.trim_matches(is_space),
    }
}

/// [`is_space`] for an ASCII byte.
fn is_space_ascii(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b'\x1c'..=b'\x1f' | b' ')
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

/// The decimal value of a Unicode `Nd` character (Python's `int()` accepts them all).
fn decimal_digit(c: char) -> Option<u32> {
    if let Some(d) = c.to_digit(10) {
        return Some(d);
    }
    // The first code point ("zero") of each run of ten Nd digits outside ASCII.
    const ZEROS: &[u32] = &[
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
        0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0,
        0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0,
        0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0,
        0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0,
        0x1E950, 0x1FBF0,
    ];
    let cp = u32::from(c);
    ZEROS
        .iter()
        .find(|&&z| (z..z + 10).contains(&cp))
        .map(|&z| cp - z)
}

/// Python's `int(s)` for base-10 text: surrounding whitespace ([`is_space`]), an optional
/// sign, decimal digits (any Unicode `Nd` digit, as Python) with single `_` separators between
/// them; `None` where Python raises `ValueError`. Values beyond the `i64` range saturate.
///
/// # Examples
///
/// ```
/// use nuages_py::builtins::int_from_str;
///
/// assert_eq!(int_from_str(" +2_00\n"), Some(200));
/// assert_eq!(int_from_str("-0404"), Some(-404));
/// assert_eq!(int_from_str("\u{664}\u{662}"), Some(42)); // Arabic-Indic digits
/// assert_eq!(int_from_str("2__00"), None);
/// assert_eq!(int_from_str("_1"), None);
/// assert_eq!(int_from_str("99999999999999999999"), Some(i64::MAX));
/// ```
#[must_use]
pub fn int_from_str(s: &str) -> Option<i64> {
    let text = strip(s);
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let mut value: i64 = 0;
    let mut seen_digit = false;
    let mut prev_underscore = false;
    for c in digits.chars() {
        if c == '_' {
            if !seen_digit || prev_underscore {
                return None;
            }
            prev_underscore = true;
            continue;
        }
        let d = decimal_digit(c)?;
        value = value.saturating_mul(10).saturating_add(i64::from(d));
        seen_digit = true;
        prev_underscore = false;
    }
    if !seen_digit || prev_underscore {
        return None;
    }
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_shortcut_agrees_with_trim() {
        for s in [
            "",
            "a",
            " ",
            "ab",
            " a",
            "a ",
            "\x1ca",
            "a\x1f",
            "\x0ba\x0c",
            "\u{a0}a",
            "a\u{3000}",
            "é",
            "aé",
            "éa",
            "\u{85}",
            "a\x7f",
            "\x00a",
        ] {
            assert_eq!(strip(s), s.trim_matches(is_space), "{s:?}");
        }
    }
}

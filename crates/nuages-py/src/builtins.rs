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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_and_lower_follow_python() {
        assert_eq!(strip("\x1c a \u{a0}\u{85}"), "a");
        assert_eq!(lower("ABC"), "abc");
        assert!(matches!(lower("abc"), Cow::Borrowed(_)));
        assert_eq!(lower("\u{212a}.COM"), "k.com");
    }

    #[test]
    fn printable() {
        for c in [' ', 'a', '~', 'é', '☃', '\u{1f600}'] {
            assert!(is_printable(c), "{c:?}");
        }
        for c in [
            '\0', '\n', '\x7f', '\u{85}', '\u{a0}', '\u{ad}', '\u{2028}', '\u{e000}',
        ] {
            assert!(!is_printable(c), "{c:?}");
        }
        assert!(is_printable_str("a b") && !is_printable_str("a\tb"));
    }
}

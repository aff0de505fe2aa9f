//! Python `str` semantics that Django's helpers rely on (`strip()`, `lower()`, `repr()`).
//!
//! Rust's `trim()` and `to_lowercase()` are close to Python's but not identical; these
//! helpers are exact where it matters for header parsing and error messages.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::LazyLock;

use regex::Regex;

/// Python's `str.isspace()` for one character: Unicode `White_Space` plus the four
/// information separators `\x1c`..`\x1f` (bidi class B/S), which Rust does not count.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// Python's `str.strip()` (no argument).
pub(crate) fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Python's `str.lower()`; borrows when nothing changes.
pub(crate) fn lower(s: &str) -> Cow<'_, str> {
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

/// Characters Python's `str.isprintable()` rejects: general categories C* and Z* (the ASCII
/// space is handled by the caller).
static NON_PRINTABLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\A[\p{C}\p{Z}]\z").expect("static regex is valid"));

/// Whether Unicode general category of `c` starts with `C` (`unicodedata.category(c)[0] == "C"`).
pub(crate) fn is_other_category(c: char) -> bool {
    static OTHER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\A\p{C}\z").expect("static regex is valid"));
    let mut buf = [0u8; 4];
    OTHER.is_match(c.encode_utf8(&mut buf))
}

fn is_printable(c: char) -> bool {
    let mut buf = [0u8; 4];
    !NON_PRINTABLE.is_match(c.encode_utf8(&mut buf))
}

/// Python's `repr()` of a `str` (quote choice and escapes as CPython's `unicode_repr`).
pub(crate) fn repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c < ' ' || c == '\x7f' => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if c.is_ascii() || is_printable(c) => out.push(c),
            c => {
                let cp = u32::from(c);
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
    out.push(quote);
    out
}

/// `email.utils.quote`: backslash-escape `\` and `"` (no surrounding quotes added).
pub(crate) fn email_quote(s: &str) -> Cow<'_, str> {
    if s.contains(['\\', '"']) {
        Cow::Owned(s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        Cow::Borrowed(s)
    }
}

/// `email.utils.unquote`: strip one pair of surrounding `"` (then undo `\\` and `\"`, in
/// that order, like Python's two `str.replace` calls) or of `<` `>`.
pub(crate) fn email_unquote(s: &str) -> Cow<'_, str> {
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
    fn repr_matches_cpython() {
        assert_eq!(repr("evil.com"), "'evil.com'");
        assert_eq!(repr("a'b"), "\"a'b\"");
        assert_eq!(repr("a'\"b"), "'a\\'\"b'");
        assert_eq!(repr("a\\b\n\t\r\x01\x7f"), "'a\\\\b\\n\\t\\r\\x01\\x7f'");
        assert_eq!(
            repr("caf\u{e9}\u{a0}\u{ad}\u{85}"),
            "'caf\u{e9}\\xa0\\xad\\x85'"
        );
        assert_eq!(
            repr("\u{2603}\u{200b}\u{e000}\u{1f600}\u{10ffff}"),
            "'\u{2603}\\u200b\\ue000\u{1f600}\\U0010ffff'"
        );
        assert_eq!(repr(""), "''");
    }

    #[test]
    fn email_quoting() {
        assert_eq!(email_unquote("\"a\\\"b\""), "a\"b");
        assert_eq!(email_unquote("<y>"), "y");
        assert_eq!(email_unquote("\""), "\"");
        assert_eq!(email_quote("a\\\"b"), "a\\\\\\\"b");
    }
}

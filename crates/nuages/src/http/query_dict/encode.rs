//! Query-string encoding (`urllib.parse.urlencode` / `quote`) and Python `repr()` of strings.

use std::borrow::Cow;
use std::fmt;

use crate::utils::charset::Charset;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Bytes that Python never quotes: `A-Z a-z 0-9 _ . - ~`.
fn always_safe(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b'-' | b'~')
}

/// How one key or value is escaped.
pub(super) struct Quoter {
    /// ASCII bytes left literal in addition to [`always_safe`] ones.
    safe: [bool; 128],
    /// `quote_plus` (space → `+`) rather than `quote` (space → `%20`).
    plus: bool,
}

impl Quoter {
    /// `urlencode()`'s quoter (`quote_plus` with `safe=""`) when `safe` is `None` or empty,
    /// else `quote(…, safe=safe.encode(charset))`. Like Python, only the ASCII bytes of the
    /// encoded `safe` matter; if `safe` cannot be encoded (Python raises) its ASCII
    /// characters are used.
    pub(super) fn new(safe: Option<&str>, charset: &Charset) -> Quoter {
        let mut table = [false; 128];
        let safe = safe.filter(|s| !s.is_empty());
        if let Some(safe) = safe {
            let bytes = charset
                .encode(safe)
                .unwrap_or(Cow::Borrowed(safe.as_bytes()));
            for &byte in bytes.iter() {
                if let Some(slot) = table.get_mut(usize::from(byte)) {
                    *slot = true;
                }
            }
        }
        Quoter {
            safe: table,
            plus: safe.is_none(),
        }
    }

    /// Appends the escaped form of `text` encoded with `charset` (UTF-8 for text the charset
    /// cannot represent, where Python would raise `UnicodeEncodeError`).
    pub(super) fn push(&self, out: &mut String, text: &str, charset: &Charset) {
        let bytes = charset
            .encode(text)
            .unwrap_or(Cow::Borrowed(text.as_bytes()));
        for &byte in bytes.iter() {
            if always_safe(byte) || self.safe.get(usize::from(byte)).copied().unwrap_or(false) {
                out.push(char::from(byte));
            } else if byte == b' ' && self.plus {
                out.push('+');
            } else {
                out.push('%');
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 0xF)]));
            }
        }
    }
}

/// Writes Python's `repr()` of a string: single quotes unless the text contains `'` and no
/// `"`, backslash escapes for quotes, `\\`, `\t`, `\n`, `\r` and non-printable characters.
///
/// Python decides printability from the Unicode database; this approximates it with the
/// control, format, separator, private-use and noncharacter ranges (unassigned code points
/// are shown literally).
pub(super) fn write_py_repr(f: &mut impl fmt::Write, text: &str) -> fmt::Result {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    f.write_char(quote)?;
    for c in text.chars() {
        match c {
            '\\' => f.write_str("\\\\")?,
            '\t' => f.write_str("\\t")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            c if c == quote => {
                f.write_char('\\')?;
                f.write_char(c)?;
            }
            c if is_printable(c) => f.write_char(c)?,
            c if u32::from(c) < 0x100 => write!(f, "\\x{:02x}", u32::from(c))?,
            c if u32::from(c) < 0x10000 => write!(f, "\\u{:04x}", u32::from(c))?,
            c => write!(f, "\\U{:08x}", u32::from(c))?,
        }
    }
    f.write_char(quote)
}

/// Approximation of Python's `str.isprintable()` for one character.
fn is_printable(c: char) -> bool {
    let cp = u32::from(c);
    !matches!(
        cp,
        0x00..=0x1F
            | 0x7F..=0xA0
            | 0xAD
            | 0x061C
            | 0x1680
            | 0x180E
            | 0x2000..=0x200F
            | 0x2028..=0x202F
            | 0x205F..=0x206F
            | 0x3000
            | 0xD800..=0xF8FF
            | 0xFDD0..=0xFDEF
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0xE0000..=0xE0FFF
            | 0xF0000..=0x10FFFF
    ) && cp & 0xFFFE != 0xFFFE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repr(text: &str) -> String {
        let mut out = String::new();
        write_py_repr(&mut out, text).unwrap();
        out
    }

    #[test]
    fn repr_matches_python() {
        assert_eq!(repr("z"), "'z'");
        assert_eq!(repr("it's"), "\"it's\"");
        assert_eq!(repr("'\""), "'\\'\"'");
        assert_eq!(repr("a\\b\n\t\r\x00\x7f"), "'a\\\\b\\n\\t\\r\\x00\\x7f'");
        assert_eq!(
            repr("é☃\u{a0}\u{200b}\u{feff}😀\u{10ffff}"),
            "'é☃\\xa0\\u200b\\ufeff😀\\U0010ffff'"
        );
    }

    #[test]
    fn quoting() {
        let mut out = String::new();
        let plus = Quoter::new(None, &Charset::UTF_8);
        plus.push(&mut out, "a b+/~*é", &Charset::UTF_8);
        assert_eq!(out, "a+b%2B%2F~%2A%C3%A9");
        out.clear();
        let slash = Quoter::new(Some("/é"), &Charset::UTF_8);
        slash.push(&mut out, "a b+/~*é", &Charset::UTF_8);
        assert_eq!(out, "a%20b%2B/~%2A%C3%A9");
        out.clear();
        Quoter::new(Some(""), &Charset::UTF_8).push(&mut out, "a b", &Charset::UTF_8);
        assert_eq!(out, "a+b");
    }
}

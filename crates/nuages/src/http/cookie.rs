//! Cookies: `django.http.cookie.parse_cookie` for the `Cookie` request
//! header, and `Set-Cookie` values built exactly as Django's
//! `HttpResponse.set_cookie`/`delete_cookie` and Python's
//! `http.cookies.Morsel.OutputString()` write them.
//!
//! # Examples
//!
//! ```
//! use chrono::DateTime;
//! use nuages::http::cookie::{parse_cookie, SetCookie};
//!
//! let cookies = parse_cookie("a=1; b=\"x\\073y\"; a=2");
//! assert_eq!(cookies["a"], "2");
//! assert_eq!(cookies["b"], "x;y");
//!
//! let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
//! let morsel = SetCookie::new("name", "a;b").max_age(10).httponly(true).build_at(now).unwrap();
//! assert_eq!(
//!     morsel.header_value(),
//!     "name=\"a\\073b\"; expires=Tue, 14 Nov 2023 22:13:30 GMT; HttpOnly; Max-Age=10; Path=/"
//! );
//! ```

use std::borrow::Cow;

use indexmap::IndexMap;

mod morsel;
mod set_cookie;

pub use crate::signing::MaxAge;
pub use morsel::{http_date, CookieError, Morsel};
pub use set_cookie::{Expires, SameSite, SetCookie, SimpleCookie};

/// The parsed `Cookie` header: names to values, in first-seen order (a later
/// duplicate replaces the value but keeps the position, like a Python dict).
pub type CookieMap = IndexMap<String, String>;

/// `parse_cookie(cookie)`: parses a `Cookie:` header as Django does.
///
/// * chunks are separated by `;` only (never `,`);
/// * each chunk is split on its first `=`; a chunk without `=` is stored under
///   the empty name; name and value are stripped of whitespace;
/// * chunks whose name and value are both empty are skipped;
/// * later duplicates win; values are unquoted with Python's
///   `http.cookies._unquote` (see [`unquote`]);
/// * never fails: invalid characters are kept as they are.
///
/// # Examples
///
/// ```
/// use nuages::http::cookie::parse_cookie;
///
/// let c = parse_cookie("keebler=E=mc2; L=\"Loves\"; fudge=\\012; a");
/// assert_eq!(c["keebler"], "E=mc2");
/// assert_eq!(c["L"], "Loves");
/// assert_eq!(c["fudge"], "\\012");
/// assert_eq!(c[""], "a");
/// ```
#[must_use]
pub fn parse_cookie(header: &str) -> CookieMap {
    let mut map = CookieMap::new();
    for chunk in header.split(';') {
        let (key, value) = chunk.split_once('=').unwrap_or(("", chunk));
        let key = py_strip(key);
        let value = py_strip(value);
        if key.is_empty() && value.is_empty() {
            continue;
        }
        let value = unquote(value).into_owned();
        if let Some(slot) = map.get_mut(key) {
            *slot = value;
        } else {
            map.insert(key.to_owned(), value);
        }
    }
    map
}

/// Python's `str.isspace()` (Unicode White_Space plus the ASCII
/// information separators U+001C..U+001F).
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.strip()` without arguments.
fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// Characters a cookie value may contain without quoting (Python's
/// `http.cookies._LegalChars`); also the legal characters of cookie names.
pub(crate) fn is_legal_char(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'.'
                | b'^'
                | b'_'
                | b'`'
                | b'|'
                | b'~'
                | b':'
        )
}

/// Python's `http.cookies._quote(value)`, as used for `Set-Cookie` values.
///
/// A non-empty value made only of `A-Za-z0-9!#$%&'*+-.^_`|~:` is returned
/// as is. Anything else is wrapped in double quotes with `"` → `\"`,
/// `\` → `\\`, and every other character below U+0100 that is not one of
/// those legal characters or `` ()/<=>?@[]{}`` (controls, `;`, `,`, DEL,
/// Latin-1) written as a 3-digit octal escape. Characters above U+00FF are
/// kept raw (Django sends them as UTF-8 bytes).
///
/// # Examples
///
/// ```
/// use nuages::http::cookie::quote;
///
/// assert_eq!(quote("value"), "value");
/// assert_eq!(quote(""), "\"\"");
/// assert_eq!(quote("a;b"), "\"a\\073b\"");
/// assert_eq!(quote("café"), "\"caf\\351\"");
/// assert_eq!(quote("snow☃man"), "\"snow☃man\"");
/// ```
#[doc(alias = "_quote")]
#[must_use]
pub fn quote(value: &str) -> Cow<'_, str> {
    if !value.is_empty() && value.bytes().all(is_legal_char) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' ' | '(' | ')' | '/' | '<' | '=' | '>' | '?' | '@' | '[' | ']' | '{' | '}' => {
                out.push(c);
            }
            c if c.is_ascii() && is_legal_char(c as u8) => out.push(c),
            c if u32::from(c) < 0x100 => {
                let n = u32::from(c);
                out.push('\\');
                for shift in [6, 3, 0] {
                    // Each octal digit is < 8.
                    out.push(char::from(b'0' + ((n >> shift) & 7) as u8));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    Cow::Owned(out)
}

/// Python's `http.cookies._unquote(value)`, as used by [`parse_cookie`].
///
/// Only a value of at least two characters that starts and ends with `"` is
/// changed: the quotes are removed, `\ooo` (first digit 0–3) becomes the
/// character with that code point (`\303\251` is `Ã©`, not `é`), and a
/// backslash followed by any other character except a newline becomes that
/// character. Everything else is returned unchanged.
///
/// # Examples
///
/// ```
/// use nuages::http::cookie::unquote;
///
/// assert_eq!(unquote("\"q\\\"uo\\073ted\""), "q\"uo;ted");
/// assert_eq!(unquote("\"unterminated"), "\"unterminated");
/// assert_eq!(unquote("\\012"), "\\012");
/// ```
#[doc(alias = "_unquote")]
#[must_use]
pub fn unquote(value: &str) -> Cow<'_, str> {
    let inner = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) if value.len() >= 2 => inner,
        _ => return Cow::Borrowed(value),
    };
    let bytes = inner.as_bytes();
    let mut out = String::with_capacity(inner.len());
    let mut start = 0;
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'\\') {
        let k = i + offset;
        let next = inner[k + 1..].chars().next();
        match next {
            // `[\\].` does not match a newline (nor a trailing backslash).
            None | Some('\n') => {
                i = k + 1;
                continue;
            }
            Some(_) => {}
        }
        out.push_str(&inner[start..k]);
        match bytes.get(k + 1..k + 4) {
            Some(&[a @ b'0'..=b'3', b @ b'0'..=b'7', c @ b'0'..=b'7']) => {
                let code = (a - b'0') * 64 + (b - b'0') * 8 + (c - b'0');
                out.push(char::from(code));
                i = k + 4;
            }
            _ => {
                let c = next.unwrap_or('\\');
                out.push(c);
                i = k + 1 + c.len_utf8();
            }
        }
        start = i;
    }
    out.push_str(&inner[start..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tiny deterministic PRNG (xorshift64*), enough to fuzz the parser.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
    }

    #[test]
    fn fuzz_parse_and_quote_never_panic() {
        const ALPHABET: &[char] = &[
            'a',
            'b',
            '=',
            ';',
            '"',
            '\\',
            ' ',
            '\t',
            '\n',
            '0',
            '3',
            '7',
            '9',
            ',',
            'é',
            '☃',
            '\u{1c}',
            '\u{a0}',
            '\u{1F600}',
            '\0',
        ];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let len = usize::try_from(rng.next() % 24).unwrap_or(0);
            let s: String = (0..len)
                .map(|_| ALPHABET[usize::try_from(rng.next() % 20).unwrap_or(0)])
                .collect();
            let parsed = parse_cookie(&s);
            for (k, v) in &parsed {
                assert_eq!(k.as_str(), py_strip(k));
                let _ = quote(v);
            }
            // Quoting then unquoting is the identity up to U+00FF.
            if s.chars().all(|c| u32::from(c) < 0x100) {
                assert_eq!(unquote(&quote(&s)), s, "roundtrip of {s:?}");
            }
        }
    }

    #[test]
    fn unquote_edge_cases() {
        assert_eq!(unquote("\""), "\"");
        assert_eq!(unquote("\"\""), "");
        assert_eq!(unquote("\"\\\""), "\\");
        assert_eq!(unquote("\"a\\\nb\""), "a\\\nb");
        assert_eq!(unquote("\"\\é\\477\""), "é477");
        assert_eq!(unquote("\"\\\\073\""), "\\073");
        assert_eq!(unquote("\"\\0730\""), ";0");
    }

    #[test]
    fn strip_like_python() {
        assert_eq!(py_strip("\u{1c}\u{a0} a \u{3000}"), "a");
        assert_eq!(parse_cookie("\u{1f}x=1")["x"], "1");
    }
}

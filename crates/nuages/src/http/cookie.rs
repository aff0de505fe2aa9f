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
use nuages_py::builtins::strip;

mod morsel;
mod set_cookie;

pub use crate::signing::MaxAge;
pub use morsel::{http_date, CookieError};
pub use nuages_py::http_cookies::{quote, unquote, Morsel};
pub use set_cookie::{Expires, SameSite, SetCookie, SimpleCookie};

/// The parsed `Cookie` header: names to values, in first-seen order (a later
/// duplicate replaces the value but keeps the position, like a Python dict).
///
/// Hashed with [`foldhash`]'s per-process seeded hasher, several times cheaper than the
/// standard library's SipHash for names this short; make one with `CookieMap::default()`.
pub type CookieMap = IndexMap<String, String, foldhash::fast::RandomState>;

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
    // A `Cookie` header is short: plain byte scans beat memchr's set-up here.
    let bytes = header.as_bytes();
    let chunks = bytes.iter().filter(|&&b| b == b';').count() + 1;
    let mut map = CookieMap::with_capacity_and_hasher(chunks, Default::default());
    // `;` and `=` are ASCII: every split below is at a character boundary.
    for chunk in header.split(';') {
        let (key, value) = match chunk.bytes().position(|b| b == b'=') {
            Some(i) => (&chunk[..i], &chunk[i + 1..]),
            None => ("", chunk),
        };
        let key = strip(key);
        let value = strip(value);
        if key.is_empty() && value.is_empty() {
            continue;
        }
        // A later cookie of the same name replaces the value in place (a dict assignment).
        map.insert(key.to_owned(), unquote(value).into_owned());
    }
    map
}

/// The value `parse_cookie(header)` would give `name`, without building the map: the last
/// chunk whose stripped key is `name`, unquoted (borrowed from `header` unless unquoting
/// changed it). `None` when no chunk has that name.
pub(crate) fn find_cookie<'a>(header: &'a str, name: &str) -> Option<Cow<'a, str>> {
    let mut found = None;
    let mut rest = Some(header);
    while let Some(text) = rest {
        // `header.split(';')`, by byte: a header holds a few short chunks, too short for a
        // vectorised search to pay off.
        let chunk = match text.bytes().position(|b| b == b';') {
            Some(i) => {
                rest = Some(&text[i + 1..]);
                &text[..i]
            }
            None => {
                rest = None;
                text
            }
        };
        let (key, value) = match chunk.bytes().position(|b| b == b'=') {
            Some(i) => (&chunk[..i], &chunk[i + 1..]),
            None => ("", chunk),
        };
        if strip(key) != name {
            continue;
        }
        let value = strip(value);
        // parse_cookie skips a chunk whose key and value are both empty.
        if name.is_empty() && value.is_empty() {
            continue;
        }
        found = Some(value);
    }
    found.map(unquote)
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
            for name in ["", "a", "b", "ab", "a b", "é"] {
                assert_eq!(
                    find_cookie(&s, name).as_deref(),
                    parsed.get(name).map(String::as_str),
                    "{s:?} {name:?}"
                );
            }
            for (k, v) in &parsed {
                assert_eq!(k.as_str(), strip(k));
                let _ = quote(v);
            }
            // Quoting then unquoting is the identity up to U+00FF.
            if s.chars().all(|c| u32::from(c) < 0x100) {
                assert_eq!(unquote(&quote(&s)), s, "roundtrip of {s:?}");
            }
        }
    }

    #[test]
    fn strip_like_python() {
        assert_eq!(strip("\u{1c}\u{a0} a \u{3000}"), "a");
        assert_eq!(parse_cookie("\u{1f}x=1")["x"], "1");
    }
}

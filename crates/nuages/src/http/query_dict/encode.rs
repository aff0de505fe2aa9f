//! Query-string encoding: `QueryDict.urlencode()` on top of Python's `urllib.parse.quote` /
//! `quote_plus` ([`nuages::py::urllib_parse`](crate::py::urllib_parse)).

use std::borrow::Cow;

use nuages_py::codecs::Charset;
use nuages_py::urllib_parse::{push_quoted, Safe};

/// How one key or value is escaped.
pub(super) struct Quoter {
    safe: Safe,
    /// `quote_plus` (space → `+`) rather than `quote` (space → `%20`).
    plus: bool,
}

impl Quoter {
    /// `urlencode()`'s quoter (`quote_plus` with `safe=""`) when `safe` is `None` or empty,
    /// else `quote(…, safe=safe.encode(charset))`. Like Python, only the ASCII bytes of the
    /// encoded `safe` matter; if `safe` cannot be encoded (Python raises) its ASCII
    /// characters are used.
    pub(super) fn new(safe: Option<&str>, charset: &Charset) -> Quoter {
        match safe.filter(|s| !s.is_empty()) {
            Some(safe) => {
                let bytes = charset
                    .encode(safe)
                    .unwrap_or(Cow::Borrowed(safe.as_bytes()));
                Quoter {
                    safe: Safe::from_bytes(&bytes),
                    plus: false,
                }
            }
            None => Quoter {
                safe: Safe::NONE,
                plus: true,
            },
        }
    }

    /// Appends the escaped form of `text` encoded with `charset` (UTF-8 for text the charset
    /// cannot represent, where Python would raise `UnicodeEncodeError`).
    pub(super) fn push(&self, out: &mut String, text: &str, charset: &Charset) {
        let bytes = charset
            .encode(text)
            .unwrap_or(Cow::Borrowed(text.as_bytes()));
        push_quoted(out, &bytes, self.safe, self.plus);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

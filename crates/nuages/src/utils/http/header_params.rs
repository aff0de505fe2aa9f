//! `django.utils.http.parse_header_parameters`, on top of Python's
//! `email.message.Message.get_params()` ([`nuages::py::email_message`](crate::py::email_message)).

use std::fmt;

use indexmap::IndexMap;
use nuages_py::builtins::{lower, strip};
use nuages_py::codecs::Charset;
use nuages_py::email_message::{get_params, ParamValue};
use nuages_py::email_utils::collapse_rfc2231_value;
use nuages_py::repr::str_repr;

/// Error raised by [`parse_header_parameters`] for RFC 2231 parameters Django rejects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvalidHeaderParameters {
    /// An RFC 2231 parameter names a charset Python does not know
    /// (`ValueError: Invalid encoding 'x' for RFC 2231 param.`).
    UnknownCharset(String),
    /// The same parameter uses both `name*` and numbered `name*N` continuations, which makes
    /// Python's sort fail (`TypeError`).
    MixedContinuations(String),
}

impl fmt::Display for InvalidHeaderParameters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownCharset(charset) => {
                write!(
                    f,
                    "Invalid encoding {} for RFC 2231 param.",
                    str_repr(charset)
                )
            }
            Self::MixedContinuations(_) => {
                f.write_str("'<' not supported between instances of 'int' and 'NoneType'")
            }
        }
    }
}

impl std::error::Error for InvalidHeaderParameters {}

/// Parses a `Content-Type`-like header into its lower-cased main value and its parameters.
///
/// Exactly Django's `parse_header_parameters`: parameter names are lower-cased, values are
/// unquoted (`"a\"b"` → `a"b`, `<x>` → `x`), later duplicates overwrite earlier ones (keeping
/// the first position), `;` inside quotes does not split, bare attributes get `""`, and
/// RFC 2231 extended values (`name*=charset'lang'%XX`, `name*0`, `name*1*`, …) are decoded.
///
/// # Errors
///
/// [`InvalidHeaderParameters`] where Django raises: an unknown RFC 2231 charset, or mixed
/// `name*` / `name*N` continuations.
///
/// # Examples
///
/// ```
/// use nuages::utils::http::parse_header_parameters;
///
/// let (main, params) = parse_header_parameters("Text/HTML; Charset=\"UTF-8\"").unwrap();
/// assert_eq!(main, "text/html");
/// assert_eq!(params["charset"], "UTF-8");
///
/// let (_, params) =
///     parse_header_parameters("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf").unwrap();
/// assert_eq!(params["filename"], "résumé.pdf");
/// ```
pub fn parse_header_parameters(
    line: &str,
) -> Result<(String, IndexMap<String, String>), InvalidHeaderParameters> {
    if line.is_empty() {
        return Ok((String::new(), IndexMap::new()));
    }
    if !line.contains(';') {
        return Ok((lower(strip(line)).into_owned(), IndexMap::new()));
    }
    let mut params = get_params(line)
        .map_err(|e| InvalidHeaderParameters::MixedContinuations(e.name))?
        .into_iter();
    let key = match params.next() {
        Some((name, _)) => lower(&name).into_owned(),
        None => String::new(),
    };
    let mut pdict = IndexMap::new();
    for (name, value) in params {
        if name.is_empty() {
            continue;
        }
        let value = match value {
            ParamValue::Text(value) => value,
            ParamValue::Rfc2231 { charset, text, .. } => {
                // Django refuses a charset Python does not know; an empty one is not checked
                // (Python's decode() then raises LookupError and the text is kept unquoted).
                if let Some(charset) = charset.as_deref() {
                    if !charset.is_empty() && Charset::from_label(charset).is_none() {
                        return Err(InvalidHeaderParameters::UnknownCharset(charset.to_owned()));
                    }
                }
                collapse_rfc2231_value(charset.as_deref(), &text)
            }
        };
        pdict.insert(name, value);
    }
    Ok((key, pdict))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> (String, Vec<(String, String)>) {
        let (key, params) = parse_header_parameters(line).unwrap();
        (key, params.into_iter().collect())
    }

    /// Expected values observed with Django 5.2 / CPython 3.11.7.
    #[test]
    fn matches_django() {
        type Case = (
            &'static str,
            &'static str,
            &'static [(&'static str, &'static str)],
        );
        let cases: &[Case] = &[
            ("", "", &[]),
            ("text/html", "text/html", &[]),
            (" TEXT/HTML ", "text/html", &[]),
            (
                "text/html; charset=UTF-8",
                "text/html",
                &[("charset", "UTF-8")],
            ),
            (
                "text/html;charset=\"utf-8\"",
                "text/html",
                &[("charset", "utf-8")],
            ),
            (
                "text/plain; Charset=\"a\\\"b\"",
                "text/plain",
                &[("charset", "a\"b")],
            ),
            ("a=b; c=d", "a", &[("c", "d")]),
            (
                "multipart/form-data; boundary=\"a;b\"; x=1",
                "multipart/form-data",
                &[("boundary", "a;b"), ("x", "1")],
            ),
            ("text/html; level", "text/html", &[("level", "")]),
            ("text/html; ;x=1", "text/html", &[("x", "1")]),
            ("text/html; =v", "text/html", &[]),
            (
                "text/html; title*=utf-8'en'%C3%A9t%C3%A9",
                "text/html",
                &[("title", "\u{e9}t\u{e9}")],
            ),
            (
                "a; filename*0=foo; filename*1=bar",
                "a",
                &[("filename", "foobar")],
            ),
            (
                "a; filename*0*=utf-8''%E2%98; filename*1*=%83",
                "a",
                &[("filename", "\u{2603}")],
            ),
            ("a; x*=''abc", "a", &[("x", "abc")]),
            ("a; x*=abc", "a", &[("x", "abc")]),
            ("a; x*=latin-1''%E9", "a", &[("x", "\u{e9}")]),
            ("a; x=\"<y>\"", "a", &[("x", "<y>")]),
            ("a; x=<y>", "a", &[("x", "y")]),
            ("a; X=1; x=2", "a", &[("x", "2")]),
            ("a; \"b\"=c", "a", &[("\"b\"", "c")]),
            ("a;q=0.5;Q=0.7", "a", &[("q", "0.7")]),
            ("a; x*=utf-8''\u{2603}", "a", &[("x", "\\u2603")]),
            ("a; x=\"a;b", "a", &[("x", "\"a;b")]),
            (
                "text/html; charset=utf-8;",
                "text/html",
                &[("charset", "utf-8")],
            ),
            ("a; x = \" y \" ", "a", &[("x", " y ")]),
            ("a; x*1=b; x*0=a", "a", &[("x", "ab")]),
            ("a; x*=us-ascii''%E9", "a", &[("x", "\u{fffd}")]),
            ("a; x=\"\\\\\"", "a", &[("x", "\\")]),
            ("a; x*=''\"q\"", "a", &[("x", "q")]),
            ("a\u{a0}; b=\u{a0}c\u{a0}", "a", &[("b", "c")]),
            ("\"text/html\"; a=b", "\"text/html\"", &[("a", "b")]),
            ("<a>; b=c", "<a>", &[("b", "c")]),
        ];
        for (line, key, params) in cases {
            let expected: Vec<(String, String)> = params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            assert_eq!(parse(line), ((*key).to_owned(), expected), "input {line:?}");
        }
    }

    #[test]
    fn errors_match_django() {
        let err = parse_header_parameters("a; x*=bogus''abc").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Invalid encoding 'bogus' for RFC 2231 param."
        );
        let err = parse_header_parameters("a; x*=abc; x*0=b").unwrap_err();
        assert_eq!(
            err.to_string(),
            "'<' not supported between instances of 'int' and 'NoneType'"
        );
    }
}

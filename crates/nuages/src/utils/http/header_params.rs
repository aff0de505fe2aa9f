//! `django.utils.http.parse_header_parameters`, including the behaviour of the
//! `email.message.Message.get_params()` machinery it delegates to (quoted-string handling,
//! RFC 2231 continuations and charsets).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use indexmap::IndexMap;

use crate::utils::charset::Charset;
use crate::utils::pystr::{email_quote, email_unquote, lower, repr, strip};

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
                write!(f, "Invalid encoding {} for RFC 2231 param.", repr(charset))
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
    let plist = split_params(line);
    let mut segments = plist.iter().map(|p| name_value(p));
    let key = match segments.next() {
        Some((name, _)) => lower(name).into_owned(),
        None => String::new(),
    };
    let mut pdict = IndexMap::new();
    // email.utils.decode_params: plain parameters first (in order), then the RFC 2231 ones
    // grouped by name in order of first appearance.
    let mut continuations: IndexMap<String, Vec<Continuation>> = IndexMap::new();
    for (name, value) in segments {
        let encoded = name.ends_with('*');
        let value = email_unquote(value).into_owned();
        match rfc2231_name(name) {
            Some((base, num)) => {
                continuations
                    .entry(base.to_owned())
                    .or_default()
                    .push(Continuation {
                        num: num.map(|n| n.trim_start_matches('0').to_owned()),
                        value,
                        encoded,
                    })
            }
            None => {
                if !name.is_empty() {
                    // '"%s"' % quote(value), later unquoted by get_params(): the identity
                    // unless the value contains `\` or `"`.
                    let value = if value.contains(['\\', '"']) {
                        email_unquote(&format!("\"{}\"", email_quote(&value))).into_owned()
                    } else {
                        value
                    };
                    pdict.insert(name.to_owned(), value);
                }
            }
        }
    }
    for (name, mut parts) in continuations {
        sort_continuations(&name, &mut parts)?;
        let mut joined = String::new();
        let mut extended = false;
        for part in &parts {
            if part.encoded {
                joined.push_str(&unquote_latin1(&part.value));
                extended = true;
            } else {
                joined.push_str(&part.value);
            }
        }
        let joined = email_quote(&joined).into_owned();
        let value = if extended {
            let (charset, text) = decode_rfc2231(&joined);
            let text = email_unquote(&format!("\"{text}\"")).into_owned();
            collapse_rfc2231_value(charset, &text)?
        } else {
            email_unquote(&format!("\"{joined}\"")).into_owned()
        };
        pdict.insert(name, value);
    }
    Ok((key, pdict))
}

/// `email.message._parseparam`: split on `;` outside of (unescaped) double quotes, lower-case
/// and strip parameter names, strip values.
fn split_params(line: &str) -> Vec<String> {
    let mut plist = Vec::new();
    let mut s = line;
    loop {
        let mut end = s.find(';');
        while let Some(e) = end.filter(|&e| e > 0) {
            let head = &s[..e];
            let unescaped = head.matches('"').count() - head.matches("\\\"").count();
            if unescaped % 2 == 0 {
                break;
            }
            end = s[e + 1..].find(';').map(|i| i + e + 1);
        }
        let end = end.unwrap_or(s.len());
        let f = &s[..end];
        let f = match f.find('=') {
            Some(i) => Cow::Owned(format!("{}={}", lower(strip(&f[..i])), strip(&f[i + 1..]))),
            None => Cow::Borrowed(f),
        };
        plist.push(strip(&f).to_owned());
        match s[end..].strip_prefix(';') {
            Some(rest) => s = rest,
            None => return plist,
        }
    }
}

/// `Message._get_params_preserve`: `name=value` (both stripped) or a bare attribute.
fn name_value(p: &str) -> (&str, &str) {
    match p.split_once('=') {
        Some((name, value)) => (strip(name), strip(value)),
        None => (strip(p), ""),
    }
}

/// `email.utils.rfc2231_continuation` (`^(?P<name>\w+)\*((?P<num>[0-9]+)\*?)?$`, ASCII).
fn rfc2231_name(name: &str) -> Option<(&str, Option<&str>)> {
    let star = name.find('*')?;
    let base = &name[..star];
    if base.is_empty() || !base.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    let rest = &name[star + 1..];
    if rest.is_empty() {
        return Some((base, None));
    }
    let digits = rest.strip_suffix('*').unwrap_or(rest);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        Some((base, Some(digits)))
    } else {
        None
    }
}

#[derive(Debug)]
struct Continuation {
    /// The continuation number without leading zeros (compared as an integer).
    num: Option<String>,
    value: String,
    encoded: bool,
}

/// Python's `continuations.sort()` on `(num, value, encoded)` tuples.
fn sort_continuations(
    name: &str,
    parts: &mut [Continuation],
) -> Result<(), InvalidHeaderParameters> {
    if parts.len() > 1 {
        let numbered = parts.iter().filter(|p| p.num.is_some()).count();
        if numbered != 0 && numbered != parts.len() {
            return Err(InvalidHeaderParameters::MixedContinuations(name.to_owned()));
        }
    }
    parts.sort_by(|a, b| {
        let by_num = match (&a.num, &b.num) {
            (Some(x), Some(y)) => x.len().cmp(&y.len()).then_with(|| x.cmp(y)),
            _ => Ordering::Equal,
        };
        by_num
            .then_with(|| a.value.cmp(&b.value))
            .then_with(|| a.encoded.cmp(&b.encoded))
    });
    Ok(())
}

/// `urllib.parse.unquote(s, encoding="latin-1")`: each valid `%XX` becomes U+00XX.
fn unquote_latin1(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|&b| hex_value(b)),
                bytes.get(i + 2).and_then(|&b| hex_value(b)),
            ) {
                out.push(char::from(h * 16 + l));
                i += 3;
                continue;
            }
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        out.push(c);
        i += c.len_utf8();
    }
    Cow::Owned(out)
}

pub(crate) fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `email.utils.decode_rfc2231`: `charset'language'text`, or no charset without two ticks.
fn decode_rfc2231(s: &str) -> (Option<&str>, &str) {
    let mut parts = s.splitn(3, '\'');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(charset), Some(_language), Some(text)) => (Some(charset), text),
        _ => (None, s),
    }
}

/// Django's charset check followed by `email.utils.collapse_rfc2231_value`.
fn collapse_rfc2231_value(
    charset: Option<&str>,
    text: &str,
) -> Result<String, InvalidHeaderParameters> {
    let charset = match charset {
        // Issue 17369: no charset/language → us-ascii.
        None => "us-ascii",
        // An empty charset is not checked by Django, and Python's decode() then raises
        // LookupError, so the text is returned unquoted.
        Some("") => return Ok(email_unquote(text).into_owned()),
        Some(charset) => charset,
    };
    let codec = Charset::from_label(charset)
        .ok_or_else(|| InvalidHeaderParameters::UnknownCharset(charset.to_owned()))?;
    Ok(codec.decode_lossy(&raw_unicode_escape(text)).into_owned())
}

/// `str.encode("raw-unicode-escape")`: Latin-1 for U+0000..U+00FF, `\uXXXX` / `\UXXXXXXXX`
/// (lower-case hex) above.
fn raw_unicode_escape(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let cp = u32::from(c);
        match u8::try_from(cp) {
            Ok(b) => out.push(b),
            Err(_) if cp <= 0xffff => out.extend_from_slice(format!("\\u{cp:04x}").as_bytes()),
            Err(_) => out.extend_from_slice(format!("\\U{cp:08x}").as_bytes()),
        }
    }
    out
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

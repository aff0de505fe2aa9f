//! Python's `email.message.Message.get_params()` (with `email.message._parseparam` and
//! `email.utils.decode_params`): the parameters of a MIME header such as `Content-Type` or
//! `Content-Disposition`, quoted strings and RFC 2231 continuations included.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use indexmap::IndexMap;

use crate::builtins::{lower, strip};
use crate::codecs::Charset;
use crate::email_utils::{decode_rfc2231, quote, unquote};
use crate::urllib_parse::unquote_with;

/// One parameter value as `get_params()` returns it (with `unquote=True`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamValue {
    /// A plain value (a Python `str`), unquoted.
    Text(String),
    /// An RFC 2231 extended value (a Python `(charset, language, text)` tuple): the
    /// continuations are joined and percent-decoded, the text is not decoded with the charset
    /// yet (see [`collapse_rfc2231_value`](crate::email_utils::collapse_rfc2231_value)).
    Rfc2231 {
        /// The charset, `None` when the value had no `charset'language'` prefix.
        charset: Option<String>,
        /// The language, `None` likewise.
        language: Option<String>,
        /// The text, as Latin-1 code points of the original bytes.
        text: String,
    },
}

/// `get_params()` raised: the same parameter uses both `name*` and numbered `name*N`
/// continuations, so sorting them compares `None` with an `int` (`TypeError`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnorderableContinuations {
    /// The parameter name.
    pub name: String,
}

impl fmt::Display for UnorderableContinuations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("'<' not supported between instances of 'int' and 'NoneType'")
    }
}

impl std::error::Error for UnorderableContinuations {}

/// `Message.get_params()` for a header whose value is `value`: the first item is the main
/// value (`("text/html", "")`), then the parameters, names lower-cased, values unquoted
/// (`"a\"b"` → `a"b`, `<x>` → `x`). Plain parameters come first in order, then the RFC 2231
/// ones (`name*=charset'lang'%XX`, `name*0`, `name*1*`, …) grouped by name in order of first
/// appearance.
///
/// # Errors
///
/// [`UnorderableContinuations`] where Python's sort raises `TypeError`.
///
/// # Examples
///
/// ```
/// use nuages_py::email_message::{get_params, ParamValue};
///
/// let params = get_params("form-data; Name=\"a\\\"b\"; filename*=UTF-8''%C3%A9").unwrap();
/// assert_eq!(params[0], ("form-data".to_owned(), ParamValue::Text(String::new())));
/// assert_eq!(params[1], ("name".to_owned(), ParamValue::Text("a\"b".to_owned())));
/// assert_eq!(
///     params[2],
///     (
///         "filename".to_owned(),
///         ParamValue::Rfc2231 {
///             charset: Some("UTF-8".to_owned()),
///             language: Some(String::new()),
///             text: "\u{c3}\u{a9}".to_owned(),
///         }
///     )
/// );
/// ```
pub fn get_params(value: &str) -> Result<Vec<(String, ParamValue)>, UnorderableContinuations> {
    let plist = parseparam(value);
    let mut segments = plist.iter().map(|p| name_value(p));
    let mut params = Vec::with_capacity(plist.len());
    if let Some((name, value)) = segments.next() {
        params.push((
            name.to_owned(),
            ParamValue::Text(unquote(value).into_owned()),
        ));
    }
    let mut continuations: IndexMap<String, Vec<Continuation>> = IndexMap::new();
    for (name, value) in segments {
        let encoded = name.ends_with('*');
        let value = unquote(value).into_owned();
        match rfc2231_continuation(name) {
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
                // '"%s"' % quote(value), later unquoted by get_params().
                let value = if value.contains(['\\', '"']) {
                    unquote(&format!("\"{}\"", quote(&value))).into_owned()
                } else {
                    value
                };
                params.push((name.to_owned(), ParamValue::Text(value)));
            }
        }
    }
    for (name, mut parts) in continuations {
        sort_continuations(&name, &mut parts)?;
        let mut joined = String::new();
        let mut extended = false;
        for part in &parts {
            if part.encoded {
                joined.push_str(&unquote_with(&part.value, &Charset::LATIN_1));
                extended = true;
            } else {
                joined.push_str(&part.value);
            }
        }
        let joined = quote(&joined).into_owned();
        let value = if extended {
            let decoded = decode_rfc2231(&joined);
            ParamValue::Rfc2231 {
                charset: decoded.charset.map(str::to_owned),
                language: decoded.language.map(str::to_owned),
                text: unquote(&format!("\"{}\"", decoded.text)).into_owned(),
            }
        } else {
            ParamValue::Text(unquote(&format!("\"{joined}\"")).into_owned())
        };
        params.push((name, value));
    }
    Ok(params)
}

/// `email.message._parseparam`: split on `;` outside of (unescaped) double quotes, lower-case
/// and strip parameter names, strip values.
fn parseparam(line: &str) -> Vec<String> {
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
fn rfc2231_continuation(name: &str) -> Option<(&str, Option<&str>)> {
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
) -> Result<(), UnorderableContinuations> {
    if parts.len() > 1 {
        let numbered = parts.iter().filter(|p| p.num.is_some()).count();
        if numbered != 0 && numbered != parts.len() {
            return Err(UnorderableContinuations {
                name: name.to_owned(),
            });
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

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> ParamValue {
        ParamValue::Text(s.to_owned())
    }

    #[test]
    fn continuations_are_joined_in_order() {
        let params = get_params("a; t*1=\"c\"; t*0=ab; x; t*2*=%41").unwrap();
        assert_eq!(params[1], ("x".to_owned(), text("")));
        assert_eq!(
            params[2],
            (
                "t".to_owned(),
                ParamValue::Rfc2231 {
                    charset: None,
                    language: None,
                    text: "abcA".to_owned()
                }
            )
        );
        assert!(get_params("a; n*=x; n*0=y").is_err());
        assert_eq!(get_params("a; q=\"x;y\"").unwrap()[1].1, text("x;y"));
    }
}

//! `django.utils.cache`: `Vary` header helpers.

use http::header::{InvalidHeaderValue, VARY};
use http::{HeaderMap, HeaderValue};

use crate::utils::http::pystr::{is_space, lower, strip};

/// The current `Vary` value as text: all `Vary` lines joined with `", "` (a response built
/// by Django has at most one), bytes decoded as Latin-1. `None` when there is no `Vary`.
fn current_vary(headers: &HeaderMap) -> Option<String> {
    let mut values = headers.get_all(VARY).iter();
    let first = values.next()?;
    let mut text = latin1(first.as_bytes());
    for value in values {
        text.push_str(", ");
        text.push_str(&latin1(value.as_bytes()));
    }
    Some(text)
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// `cc_delim_re.split(value)` with `cc_delim_re = r"\s*,\s*"`.
fn split_vary(value: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut start = 0;
    for (comma, _) in value.match_indices(',') {
        if comma < start {
            continue;
        }
        let item = value[start..comma].trim_end_matches(is_space);
        items.push(item);
        let after = &value[comma + 1..];
        start = comma + 1 + (after.len() - after.trim_start_matches(is_space).len());
    }
    items.push(&value[start..]);
    items
}

/// Adds header names to the response's `Vary` header, Django's `patch_vary_headers`.
///
/// Existing names are kept in order, new ones are appended unless already present
/// (case-insensitively), and if the result contains `*` the header becomes just `*`. Several
/// `Vary` lines are merged into one.
///
/// # Errors
///
/// [`InvalidHeaderValue`] if a new name contains characters not allowed in a header value
/// (Django raises `BadHeaderError` for newlines); the headers are then left unchanged.
///
/// # Examples
///
/// ```
/// use http::{header::VARY, HeaderMap, HeaderValue};
/// use nuages::utils::cache::patch_vary_headers;
///
/// let mut headers = HeaderMap::new();
/// headers.insert(VARY, HeaderValue::from_static("Cookie"));
/// patch_vary_headers(&mut headers, &["Accept-Encoding", "cookie"]).unwrap();
/// assert_eq!(headers[VARY], "Cookie, Accept-Encoding");
/// ```
pub fn patch_vary_headers(
    headers: &mut HeaderMap,
    new_headers: &[&str],
) -> Result<(), InvalidHeaderValue> {
    let current = current_vary(headers);
    let mut vary: Vec<&str> = current.as_deref().map(split_vary).unwrap_or_default();
    let existing: Vec<String> = vary.iter().map(|h| lower(h).into_owned()).collect();
    vary.extend(
        new_headers
            .iter()
            .copied()
            .filter(|h| !existing.iter().any(|e| *e == lower(h))),
    );
    let value = if vary.contains(&"*") {
        HeaderValue::from_static("*")
    } else {
        let joined = vary.join(", ");
        if joined.chars().all(|c| u32::from(c) <= 0xff) {
            HeaderValue::from_bytes(
                &joined
                    .chars()
                    .filter_map(|c| u8::try_from(u32::from(c)).ok())
                    .collect::<Vec<u8>>(),
            )?
        } else {
            HeaderValue::from_str(&joined)?
        }
    };
    headers.insert(VARY, value);
    Ok(())
}

/// Whether the response's `Vary` header names `header_query` (case-insensitive, surrounding
/// whitespace ignored), Django's `has_vary_header`.
///
/// # Examples
///
/// ```
/// use http::{header::VARY, HeaderMap, HeaderValue};
/// use nuages::utils::cache::has_vary_header;
///
/// let mut headers = HeaderMap::new();
/// headers.insert(VARY, HeaderValue::from_static("Accept-Language, Cookie"));
/// assert!(has_vary_header(&headers, "cookie"));
/// assert!(!has_vary_header(&headers, "Accept"));
/// ```
pub fn has_vary_header(headers: &HeaderMap, header_query: &str) -> bool {
    let Some(current) = current_vary(headers) else {
        return false;
    };
    let query = lower(strip(header_query));
    split_vary(&current)
        .into_iter()
        .any(|h| lower(strip(h)) == query)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vary_after(initial: Option<&str>, new: &[&str]) -> String {
        let mut headers = HeaderMap::new();
        if let Some(v) = initial {
            headers.insert(VARY, HeaderValue::from_str(v).unwrap());
        }
        patch_vary_headers(&mut headers, new).unwrap();
        assert_eq!(headers.get_all(VARY).iter().count(), 1);
        headers[VARY].to_str().unwrap().to_owned()
    }

    /// Django's `CacheUtils.test_patch_vary_headers` cases plus spec rule 218.
    #[test]
    fn patch_vary() {
        let cases: &[(Option<&str>, &[&str], &str)] = &[
            (None, &["Accept-Encoding"], "Accept-Encoding"),
            (
                Some("Accept-Encoding"),
                &["accept-encoding"],
                "Accept-Encoding",
            ),
            (
                Some("Accept-Encoding"),
                &["ACCEPT-ENCODING"],
                "Accept-Encoding",
            ),
            (
                Some("Cookie"),
                &["Accept-Encoding"],
                "Cookie, Accept-Encoding",
            ),
            (
                Some("Cookie, Accept-Encoding"),
                &["Accept-Encoding"],
                "Cookie, Accept-Encoding",
            ),
            (
                Some("Cookie, Accept-Encoding"),
                &["Accept-Encoding", "cookie"],
                "Cookie, Accept-Encoding",
            ),
            (
                None,
                &["Accept-Encoding", "COOKIE"],
                "Accept-Encoding, COOKIE",
            ),
            (
                Some("Cookie,     Accept-Encoding"),
                &["Accept-Encoding", "cookie"],
                "Cookie, Accept-Encoding",
            ),
            (
                Some("Cookie    ,     Accept-Encoding"),
                &["Accept-Encoding", "cookie"],
                "Cookie, Accept-Encoding",
            ),
            (Some("*"), &["Accept-Language", "Cookie"], "*"),
            (Some("Accept-Language, Cookie"), &["*"], "*"),
            (
                Some("Accept-Language, Cookie"),
                &["*", "Accept-Language"],
                "*",
            ),
            (Some("Cookie"), &["A", "a"], "Cookie, A, a"),
            (Some(""), &["Accept-Encoding"], ", Accept-Encoding"),
            (Some(" Cookie ,"), &[], " Cookie, "),
        ];
        for (initial, new, expected) in cases {
            assert_eq!(
                vary_after(*initial, new),
                *expected,
                "{initial:?} + {new:?}"
            );
        }
    }

    #[test]
    fn merges_lines_and_rejects_bad_values() {
        let mut headers = HeaderMap::new();
        headers.append(VARY, HeaderValue::from_static("Cookie"));
        headers.append(VARY, HeaderValue::from_static("Accept-Language"));
        patch_vary_headers(&mut headers, &["Accept-Encoding"]).unwrap();
        assert_eq!(
            headers.get_all(VARY).iter().collect::<Vec<_>>(),
            ["Cookie, Accept-Language, Accept-Encoding"]
        );
        assert!(patch_vary_headers(&mut headers, &["a\nb"]).is_err());
        assert_eq!(headers[VARY], "Cookie, Accept-Language, Accept-Encoding");
        patch_vary_headers(&mut headers, &["X-Caf\u{e9}"]).unwrap();
        assert_eq!(
            headers[VARY].as_bytes(),
            b"Cookie, Accept-Language, Accept-Encoding, X-Caf\xe9"
        );
        assert!(has_vary_header(&headers, " x-caf\u{e9} "));
    }

    #[test]
    fn has_vary() {
        let mut headers = HeaderMap::new();
        assert!(!has_vary_header(&headers, "Cookie"));
        headers.insert(VARY, HeaderValue::from_static("Accept-Encoding ,  COOKIE"));
        assert!(has_vary_header(&headers, "cookie"));
        assert!(has_vary_header(&headers, "accept-encoding"));
        assert!(!has_vary_header(&headers, "Accept"));
    }
}

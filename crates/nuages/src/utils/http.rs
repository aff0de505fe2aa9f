//! `django.utils.http`: HTTP dates, ETags, header parameters, domain matching, redirect
//! safety and `Content-Disposition`.

use std::borrow::Cow;

use nuages_py::builtins::{lower, strip};
use nuages_py::unicodedata;
use nuages_py::urllib_parse::{self, quote, Safe};

mod dates;
mod header_params;
pub(crate) mod range;

pub use dates::{
    http_date, http_date_now, parse_http_date, parse_http_date_relative_to, parse_http_date_safe,
    HttpDateError,
};
pub use header_params::{parse_header_parameters, InvalidHeaderParameters};
pub use nuages_py::urllib_parse::InvalidUrl;

/// Maximum URL length accepted by [`url_has_allowed_host_and_scheme`] (`MAX_URL_LENGTH`).
pub const MAX_URL_LENGTH: usize = 2048;

/// Whether `etag` is a quoted entity tag (`ETAG_MATCH`: `(W/)?"[^"]*"`).
///
/// # Examples
///
/// ```
/// use nuages::utils::http::is_quoted_etag;
///
/// assert!(is_quoted_etag("W/\"abc\""));
/// assert!(!is_quoted_etag("abc"));
/// ```
pub fn is_quoted_etag(etag: &str) -> bool {
    let tag = etag.strip_prefix("W/").unwrap_or(etag);
    tag.len() >= 2
        && tag.starts_with('"')
        && tag.ends_with('"')
        && !tag[1..tag.len() - 1].contains('"')
}

/// Parses an `If-None-Match` / `If-Match` value into its valid quoted ETags; `["*"]` when
/// the value is `*` (Django's `parse_etags`). Invalid entries are dropped.
///
/// # Examples
///
/// ```
/// use nuages::utils::http::parse_etags;
///
/// assert_eq!(parse_etags(r#"garbage, "abc", W/"def""#), [r#""abc""#, r#"W/"def""#]);
/// assert_eq!(parse_etags(" * "), ["*"]);
/// ```
pub fn parse_etags(etag_str: &str) -> Vec<&str> {
    if strip(etag_str) == "*" {
        return vec!["*"];
    }
    etag_str
        .split(',')
        .map(strip)
        .filter(|etag| is_quoted_etag(etag))
        .collect()
}

/// Returns `etag` unchanged if it is already a quoted ETag, else wraps it in quotes
/// (a strong ETag). Django's `quote_etag`.
///
/// # Examples
///
/// ```
/// use nuages::utils::http::quote_etag;
///
/// assert_eq!(quote_etag("abc"), "\"abc\"");
/// assert_eq!(quote_etag("W/\"abc\""), "W/\"abc\"");
/// ```
pub fn quote_etag(etag: &str) -> Cow<'_, str> {
    if is_quoted_etag(etag) {
        Cow::Borrowed(etag)
    } else {
        Cow::Owned(format!("\"{etag}\""))
    }
}

/// Whether `host` equals `pattern` or, for a pattern starting with `.`, is that domain or one
/// of its subdomains. The pattern is lower-cased; `host` is expected to be lower-case already.
/// Django's `is_same_domain`.
///
/// # Examples
///
/// ```
/// use nuages::utils::http::is_same_domain;
///
/// assert!(is_same_domain("example.com", ".Example.com"));
/// assert!(is_same_domain("a.example.com", ".example.com"));
/// assert!(!is_same_domain("notexample.com", ".example.com"));
/// assert!(!is_same_domain("example.com", ""));
/// ```
pub fn is_same_domain(host: &str, pattern: &str) -> bool {
    if pattern.is_empty() {
        return false;
    }
    if pattern.is_ascii() {
        let eq = |h: &str, p: &str| {
            h.len() == p.len()
                && h.bytes()
                    .zip(p.bytes())
                    .all(|(h, p)| h == p.to_ascii_lowercase())
        };
        return match pattern.strip_prefix('.') {
            Some(bare) => {
                let tail = host
                    .len()
                    .checked_sub(pattern.len())
                    .and_then(|start| host.get(start..));
                tail.is_some_and(|tail| eq(tail, pattern)) || eq(host, bare)
            }
            None => eq(host, pattern),
        };
    }
    let pattern = lower(pattern);
    match pattern.strip_prefix('.') {
        Some(bare) => host.ends_with(&*pattern) || host == bare,
        None => host == pattern,
    }
}

/// Whether `url` is safe to redirect to: it has no host or one of `allowed_hosts` (exact
/// match), and an `http`/`https` scheme (only `https` with `require_https`), or none.
/// Empty URLs, URLs starting with `///` or a control character, scheme-only URLs such as
/// `http:///x`, URLs over [`MAX_URL_LENGTH`] characters and URLs Python cannot split are
/// rejected. `\` is checked as both `\` and `/`. Django's `url_has_allowed_host_and_scheme`.
///
/// # Examples
///
/// ```
/// use nuages::utils::http::url_has_allowed_host_and_scheme;
///
/// let hosts = ["example.com"];
/// assert!(url_has_allowed_host_and_scheme(Some("/next/"), &hosts, false));
/// assert!(url_has_allowed_host_and_scheme(Some("https://example.com/p"), &hosts, true));
/// assert!(!url_has_allowed_host_and_scheme(Some("//evil.com/p"), &hosts, false));
/// assert!(!url_has_allowed_host_and_scheme(Some("/\\evil.com"), &hosts, false));
/// assert!(!url_has_allowed_host_and_scheme(Some("javascript:alert(1)"), &hosts, false));
/// ```
pub fn url_has_allowed_host_and_scheme<S: AsRef<str>>(
    url: Option<&str>,
    allowed_hosts: &[S],
    require_https: bool,
) -> bool {
    let Some(url) = url.map(strip).filter(|u| !u.is_empty()) else {
        return false;
    };
    check_host_and_scheme(url, allowed_hosts, require_https)
        && (!url.contains('\\')
            || check_host_and_scheme(&url.replace('\\', "/"), allowed_hosts, require_https))
}

fn check_host_and_scheme<S: AsRef<str>>(
    url: &str,
    allowed_hosts: &[S],
    require_https: bool,
) -> bool {
    if url.starts_with("///")
        || (url.len() > MAX_URL_LENGTH && url.chars().count() > MAX_URL_LENGTH)
    {
        return false;
    }
    let cleaned = urllib_parse::clean(url);
    let Ok(info) = urllib_parse::urlsplit(&cleaned, "") else {
        return false;
    };
    if info.netloc.is_empty() && !info.scheme.is_empty() {
        return false;
    }
    if url.chars().next().is_some_and(unicodedata::is_other) {
        return false;
    }
    let scheme: &str = if info.scheme.is_empty() && !info.netloc.is_empty() {
        "http"
    } else {
        &info.scheme
    };
    let scheme_ok = scheme.is_empty() || scheme == "https" || (!require_https && scheme == "http");
    let host_ok = info.netloc.is_empty() || allowed_hosts.iter().any(|h| h.as_ref() == info.netloc);
    host_ok && scheme_ok
}

/// Escapes one of two leading slashes so that a path such as `//evil.com/x` cannot be read
/// as a scheme-relative URL: `//evil.com/x` → `/%2Fevil.com/x`. Django's
/// `escape_leading_slashes`.
///
/// # Examples
///
/// ```
/// use nuages::utils::http::escape_leading_slashes;
///
/// assert_eq!(escape_leading_slashes("//evil.com/x"), "/%2Fevil.com/x");
/// assert_eq!(escape_leading_slashes("/ok/"), "/ok/");
/// ```
pub fn escape_leading_slashes(url: &str) -> Cow<'_, str> {
    match url.strip_prefix("//") {
        Some(rest) => Cow::Owned(format!("/%2F{rest}")),
        None => Cow::Borrowed(url),
    }
}

/// Builds a `Content-Disposition` value (RFC 6266), Django's `content_disposition_header`:
/// `inline; filename="x"` / `attachment; filename="x"` for filenames made of TAB, space and
/// `0x21..=0x7E` (with `\` and `"` backslash-escaped), `filename*=utf-8''<percent-encoded>`
/// otherwise; bare `attachment` without a filename; `None` for inline without a filename.
///
/// Like Django (whose check is `re.match(r"^[\t \x21-\x7e]*$")`), a single trailing `\n` is
/// tolerated by the quotable check and kept in the quoted string.
///
/// # Examples
///
/// ```
/// use nuages::utils::http::content_disposition_header;
///
/// assert_eq!(content_disposition_header(false, Some("a.txt")).as_deref(), Some("inline; filename=\"a.txt\""));
/// assert_eq!(
///     content_disposition_header(true, Some("résumé.pdf")).as_deref(),
///     Some("attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf")
/// );
/// assert_eq!(content_disposition_header(true, None).as_deref(), Some("attachment"));
/// assert_eq!(content_disposition_header(false, Some("")), None);
/// ```
pub fn content_disposition_header(as_attachment: bool, filename: Option<&str>) -> Option<String> {
    let disposition = if as_attachment {
        "attachment"
    } else {
        "inline"
    };
    match filename.filter(|f| !f.is_empty()) {
        Some(filename) => {
            let body = filename.strip_suffix('\n').unwrap_or(filename);
            let quotable = body
                .bytes()
                .all(|b| b == b'\t' || (b' '..=b'~').contains(&b));
            Some(if quotable {
                format!(
                    "{disposition}; filename=\"{}\"",
                    filename.replace('\\', "\\\\").replace('"', "\\\"")
                )
            } else {
                format!(
                    "{disposition}; filename*=utf-8''{}",
                    quote(filename, Safe::DEFAULT)
                )
            })
        }
        None if as_attachment => Some("attachment".to_owned()),
        None => None,
    }
}

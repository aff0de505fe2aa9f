//! `django.utils.encoding` URI helpers (`escape_uri_path`, `iri_to_uri`, `uri_to_iri`,
//! `repercent_broken_unicode`) and the request path/URL builders that use them
//! (`HttpRequest.get_full_path`, `build_absolute_uri`, WSGI's `PATH_INFO` decoding).

use std::borrow::Cow;

use nuages_py::urllib_parse::{
    clean, hex_digit, push_quoted, quote, unquote_to_bytes, urljoin, urlsplit, Safe,
};

use crate::utils::http::InvalidUrl;

/// `quote(path, safe="/:@&+$,-_.!~*'()")`.
const URI_PATH: Safe = Safe::new("/:@&+$,-_.!~*'()");

/// `quote(iri, safe="/#%[]=:;$&()+,!?*@'~")`.
const IRI: Safe = Safe::new("/#%[]=:;$&()+,!?*@'~");

/// Percent-encodes the characters that are unsafe in a URI path (everything but
/// alphanumerics and `/:@&+$,-_.!~*'()`); `;`, `=`, `?`, `#` and `%` are escaped.
/// Django's `escape_uri_path`.
///
/// # Examples
///
/// ```
/// use nuages::utils::encoding::escape_uri_path;
///
/// assert_eq!(escape_uri_path("/café/a b;c"), "/caf%C3%A9/a%20b%3Bc");
/// assert_eq!(escape_uri_path("/a%2Fb"), "/a%252Fb");
/// ```
pub fn escape_uri_path(path: &str) -> Cow<'_, str> {
    quote(path, URI_PATH)
}

/// Converts an IRI (portion) to a URI by percent-encoding everything outside RFC 3986's
/// reserved and unreserved characters; `%` is kept. Django's `iri_to_uri`.
///
/// # Examples
///
/// ```
/// use nuages::utils::encoding::iri_to_uri;
///
/// assert_eq!(iri_to_uri("/I ♥ Django/?q=%20"), "/I%20%E2%99%A5%20Django/?q=%20");
/// ```
pub fn iri_to_uri(iri: &str) -> Cow<'_, str> {
    quote(iri, IRI)
}

/// Converts a URI to an IRI (RFC 3987 §3.2 without step 4), Django's `uri_to_iri`: decodes
/// `%XX` escapes of unreserved ASCII letters and `-._~` and of bytes ≥ 0x80, then
/// re-escapes the bytes that do not form valid UTF-8.
///
/// # Examples
///
/// ```
/// use nuages::utils::encoding::uri_to_iri;
///
/// assert_eq!(uri_to_iri("/%E2%99%A5%E2%99%A5/?utf8=%E2%9C%93"), "/♥♥/?utf8=✓");
/// assert_eq!(uri_to_iri("/%41%20%2F%7e%FF"), "/A%20%2F~%FF");
/// ```
pub fn uri_to_iri(uri: &str) -> Cow<'_, str> {
    if !uri.contains('%') {
        return Cow::Borrowed(uri);
    }
    let bytes = uri.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(b) = decode_escape(bytes.get(i + 1..i + 3)) {
                if b >= 0x80 || b.is_ascii_alphabetic() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                    out.push(b);
                    i += 3;
                    continue;
                }
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    Cow::Owned(repercent_broken_unicode(&out).into_owned())
}

fn decode_escape(pair: Option<&[u8]>) -> Option<u8> {
    let [h, l] = pair? else { return None };
    Some(hex_digit(*h)? * 16 + hex_digit(*l)?)
}

/// Percent-encodes (`%XX`, upper-case) each byte that is not part of a valid UTF-8
/// sequence, Django's `repercent_broken_unicode`. Invalid sequences are delimited like
/// Python's decoder does (maximal subparts). Borrows when `bytes` is valid UTF-8.
///
/// # Examples
///
/// ```
/// use nuages::utils::encoding::repercent_broken_unicode;
///
/// assert_eq!(repercent_broken_unicode(b"/hello/\xff\xfe/caf\xc3\xa9"), "/hello/%FF%FE/café");
/// ```
pub fn repercent_broken_unicode(bytes: &[u8]) -> Cow<'_, str> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        // quote(path[e.start:e.end], safe=b"/#%[]=:;$&()+,!?*@'~"): invalid bytes are never safe.
        push_quoted(&mut out, chunk.invalid(), IRI, false);
    }
    Cow::Owned(out)
}

/// The `path_info` Django derives from a raw request-target path: percent-decoded to bytes
/// (as WSGI servers do for `PATH_INFO`), then [`repercent_broken_unicode`]; an empty path
/// becomes `/`.
///
/// # Examples
///
/// ```
/// use nuages::utils::encoding::path_info_from_raw;
///
/// assert_eq!(path_info_from_raw("/caf%C3%A9/a%20b"), "/café/a b");
/// assert_eq!(path_info_from_raw("/hello/%FF%FE/"), "/hello/%FF%FE/");
/// assert_eq!(path_info_from_raw("/a%2Fb/%zz"), "/a/b/%zz");
/// assert_eq!(path_info_from_raw(""), "/");
/// ```
pub fn path_info_from_raw(raw_path: &str) -> Cow<'_, str> {
    if raw_path.is_empty() {
        return Cow::Borrowed("/");
    }
    match unquote_to_bytes(raw_path.as_bytes()) {
        Cow::Borrowed(bytes) => repercent_broken_unicode(bytes),
        Cow::Owned(bytes) => Cow::Owned(repercent_broken_unicode(&bytes).into_owned()),
    }
}

/// `HttpRequest.get_full_path()`: the escaped path (see [`escape_uri_path`]), a `/` appended
/// when `force_append_slash` and the path lacks one, then `?` and the query string passed
/// through [`iri_to_uri`] when it is not empty.
///
/// # Examples
///
/// ```
/// use nuages::utils::encoding::full_path;
///
/// assert_eq!(full_path("/café/", "q=☃", false), "/caf%C3%A9/?q=%E2%98%83");
/// assert_eq!(full_path("/a/b", "x=1&y=2", true), "/a/b/?x=1&y=2");
/// ```
#[doc(alias = "get_full_path")]
pub fn full_path(path: &str, query_string: &str, force_append_slash: bool) -> String {
    let escaped = escape_uri_path(path);
    let mut out = String::with_capacity(escaped.len() + query_string.len() + 2);
    out.push_str(&escaped);
    if force_append_slash && !path.ends_with('/') {
        out.push('/');
    }
    if !query_string.is_empty() {
        out.push('?');
        out.push_str(&iri_to_uri(query_string));
    }
    out
}

/// `HttpRequest.build_absolute_uri(location)`.
///
/// Without `location`, the absolute URI of the request (`scheme://host` + [`full_path`]).
/// An absolute `location` (scheme and host) is only IRI-to-URI converted. A location starting
/// with a single `/` and free of `/./` and `/../` is appended to `scheme://host`; anything
/// else is resolved against `scheme://host` + `path` with Python's `urljoin` (so `?q=1`,
/// `#f`, `../up`, `//other.com/p` behave like in a browser). `host` is the validated
/// [`get_host`](crate::http::host::get_host) value; `path` is the request's `path` (not
/// escaped) and `query_string` its raw `QUERY_STRING`.
///
/// # Errors
///
/// [`InvalidUrl`] where Python's `urlsplit` raises `ValueError` (e.g. `//[::1/x`).
///
/// # Examples
///
/// ```
/// use nuages::utils::encoding::build_absolute_uri;
///
/// let uri = |loc| build_absolute_uri("http", "example.com", "/base/dir/page", "z=1", loc).unwrap();
/// assert_eq!(uri(None), "http://example.com/base/dir/page?z=1");
/// assert_eq!(uri(Some("x/")), "http://example.com/base/dir/x/");
/// assert_eq!(uri(Some("/café")), "http://example.com/caf%C3%A9");
/// assert_eq!(uri(Some("//other.com/p")), "http://other.com/p");
/// ```
pub fn build_absolute_uri(
    scheme: &str,
    host: &str,
    path: &str,
    query_string: &str,
    location: Option<&str>,
) -> Result<String, InvalidUrl> {
    let location: Cow<'_, str> = match location {
        // "//" + get_full_path(): schemeless and hostless even when the path starts with "//".
        None => Cow::Owned(format!("//{}", full_path(path, query_string, false))),
        Some(location) => Cow::Borrowed(location),
    };
    let cleaned = clean(&location);
    let bits = urlsplit(&cleaned, "")?;
    let joined: Cow<'_, str> = if !bits.scheme.is_empty() && !bits.netloc.is_empty() {
        Cow::Borrowed(&location)
    } else if bits.path.starts_with('/')
        && bits.scheme.is_empty()
        && bits.netloc.is_empty()
        && !bits.path.contains("/./")
        && !bits.path.contains("/../")
    {
        let rest = location.strip_prefix("//").unwrap_or(&location);
        Cow::Owned(format!("{scheme}://{host}{rest}"))
    } else {
        Cow::Owned(urljoin(&format!("{scheme}://{host}{path}"), &location)?)
    };
    Ok(iri_to_uri(&joined).into_owned())
}

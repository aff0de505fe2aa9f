//! `django.utils.cache`: `Vary` header helpers, conditional request processing
//! ([`get_conditional_response`], [`set_response_etag`]) and `Cache-Control`
//! ([`patch_cache_control`], [`add_never_cache_headers`]), `max-age` ([`get_max_age`]) and the
//! cache middleware's keys ([`learn_cache_key`], [`get_cache_key`]).

mod control;

pub use self::control::{
    add_never_cache_headers, patch_cache_control, patch_response_headers, CacheDirective,
};

use http::header::{
    InvalidHeaderValue, CACHE_CONTROL, CONTENT_LOCATION, DATE, ETAG, EXPIRES, LAST_MODIFIED, VARY,
};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use md5::{Digest, Md5};

use std::sync::Arc;

use crate::core::cache::{caches, Cache, Timeout};
use crate::http::latin1;
use crate::utils::http::{parse_etags, parse_http_date_safe};
use crate::{Error, HttpRequest, HttpResponse};
use nuages_py::builtins::{is_space, lower, strip};

/// The current `Vary` value as text: all `Vary` lines joined with `", "` (a response built
/// by Django has at most one), bytes decoded as Latin-1. `None` when there is no `Vary`.
fn current_vary(headers: &HeaderMap) -> Option<String> {
    let mut values = headers.get_all(VARY).iter();
    let first = values.next()?;
    let mut text = latin1(first.as_bytes()).into_owned();
    for value in values {
        text.push_str(", ");
        text.push_str(&latin1(value.as_bytes()));
    }
    Some(text)
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
    // The usual case, one name and no Vary yet: nothing to split, merge or re-encode.
    if let [name] = new_headers {
        if *name != "*" && name.is_ascii() {
            if let http::header::Entry::Vacant(slot) = headers.entry(VARY) {
                slot.insert(HeaderValue::from_str(name)?);
                return Ok(());
            }
        }
    }
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

/// [`patch_vary_headers`] with one header name known at compile time (the middleware's
/// `Cookie`, `Accept-Encoding`, `origin`): when the response has no `Vary` yet, the value is
/// set without copying the name.
pub(crate) fn patch_vary_static(
    headers: &mut HeaderMap,
    name: &'static str,
) -> Result<(), InvalidHeaderValue> {
    match headers.entry(VARY) {
        http::header::Entry::Vacant(slot) => {
            slot.insert(HeaderValue::from_static(name));
            Ok(())
        }
        http::header::Entry::Occupied(_) => patch_vary_headers(headers, &[name]),
    }
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

// ===== conditional request processing =====

/// Headers a 304 built from a response keeps (RFC 9110 §15.4.5, plus `Last-Modified`).
const NOT_MODIFIED_HEADERS: [http::header::HeaderName; 7] = [
    CACHE_CONTROL,
    CONTENT_LOCATION,
    DATE,
    ETAG,
    EXPIRES,
    LAST_MODIFIED,
    VARY,
];

/// A request header as text (`request.META.get("HTTP_…", "")`).
fn request_header(request: &HttpRequest, name: &str) -> String {
    request
        .header(name)
        .map(|v| v.into_owned())
        .unwrap_or_default()
}

/// `value and parse_http_date_safe(value)`: `None` for a missing, empty or unparsable date,
/// and for the epoch itself (`0` is falsy in Python, so Django ignores it too).
fn request_date(request: &HttpRequest, name: &str) -> Option<i64> {
    request
        .header(name)
        .and_then(|v| parse_http_date_safe(&v))
        .filter(|&t| t != 0)
}

/// Python's `s.strip("W/")`: strips any `W` and `/` characters from both ends.
fn strip_weak(etag: &str) -> &str {
    etag.trim_matches(|c| c == 'W' || c == '/')
}

/// `_if_match_passes`: the If-Match comparison of RFC 9110 §13.1.1 (strong comparison).
fn if_match_passes(target_etag: Option<&str>, etags: &[&str]) -> bool {
    match target_etag {
        // No ETag: there can't be a match.
        None => false,
        // An existing ETag (even weak) means there is a current representation.
        Some(_) if etags == ["*"] => true,
        // A weak ETag never strongly matches.
        Some(target) if target.starts_with("W/") => false,
        Some(target) => etags.contains(&target),
    }
}

/// `_if_unmodified_since_passes` (RFC 9110 §13.1.4): fails when there is no Last-Modified.
fn if_unmodified_since_passes(last_modified: Option<i64>, if_unmodified_since: i64) -> bool {
    last_modified.is_some_and(|lm| lm <= if_unmodified_since)
}

/// `_if_none_match_passes` (RFC 9110 §13.1.2): weak comparison.
fn if_none_match_passes(target_etag: Option<&str>, etags: &[&str]) -> bool {
    match target_etag {
        None => true,
        Some(_) if etags == ["*"] => false,
        Some(target) => {
            let target = strip_weak(target);
            !etags.iter().any(|e| strip_weak(e) == target)
        }
    }
}

/// `_if_modified_since_passes` (RFC 9110 §13.1.3): passes when there is no Last-Modified.
fn if_modified_since_passes(last_modified: Option<i64>, if_modified_since: i64) -> bool {
    last_modified.is_none_or(|lm| lm > if_modified_since)
}

/// Django's `_precondition_failed`: a fresh `HttpResponse(status=412)` (default Content-Type),
/// logged as a warning.
fn precondition_failed(request: &HttpRequest) -> HttpResponse {
    tracing::warn!(
        target: "django.request",
        "Precondition Failed: {}",
        crate::utils::log::log_message_escape(&request.path())
    );
    HttpResponse::empty().with_status(StatusCode::PRECONDITION_FAILED)
}

/// Django's `_not_modified`: a 304 (no Content-Type, no body); built from `response`, it keeps
/// `Cache-Control`, `Content-Location`, `Date`, `ETag`, `Expires`, `Last-Modified`, `Vary` and
/// the response's cookies, and nothing else.
fn not_modified(response: Option<HttpResponse>) -> HttpResponse {
    let mut new_response = HttpResponse::not_modified();
    if let Some(mut response) = response {
        for name in NOT_MODIFIED_HEADERS {
            for value in response.headers().get_all(&name) {
                new_response
                    .headers_mut()
                    .append(name.clone(), value.clone());
            }
        }
        *new_response.cookies_mut() = std::mem::take(response.cookies_mut());
    }
    new_response
}

/// Evaluates the request's preconditions (`If-Match`, `If-Unmodified-Since`, `If-None-Match`,
/// `If-Modified-Since`) against a resource's current `etag` and `last_modified` (epoch seconds),
/// Django's `get_conditional_response`.
///
/// The order is RFC 9110 §13.2.2's: a failed `If-Match` (strong comparison; `*` matches any
/// existing ETag) → 412; else, without `If-Match`, a failed `If-Unmodified-Since` (also when
/// there is no `last_modified`) → 412; a matching `If-None-Match` (weak comparison) → 304 for
/// GET/HEAD, 412 otherwise; else, without `If-None-Match`, `If-Modified-Since` on GET/HEAD with
/// `last_modified` not newer → 304. Unparsable dates are ignored; `If-Range` is not supported.
///
/// `etag` must be quoted (see [`quote_etag`](crate::utils::http::quote_etag)); like Python's
/// falsy values, an empty `etag` and a `last_modified` of `Some(0)` count as absent.
///
/// With a `response` (the middleware case) the result is `Some`: that response, unchanged if it
/// is not 2xx or no precondition applies, or the 412, or a 304 keeping only `Cache-Control`,
/// `Content-Location`, `Date`, `ETag`, `Expires`, `Last-Modified`, `Vary` and the cookies.
/// Without one (the decorator case) the result is `None` when the view should run, else a bare
/// 304 or a 412.
///
/// # Examples
///
/// ```
/// use nuages::test::RequestFactory;
/// use nuages::utils::cache::get_conditional_response;
/// use nuages::HttpResponse;
///
/// let request = RequestFactory::new().get("/").header("If-None-Match", r#"W/"v1""#).build();
/// // Decorator style: the view need not run.
/// let r = get_conditional_response(&request, Some(r#""v1""#), None, None).unwrap();
/// assert_eq!(r.status_code(), 304);
/// // Another ETag: go on.
/// assert!(get_conditional_response(&request, Some(r#""v2""#), None, None).is_none());
///
/// // Middleware style: the 304 keeps the validators, not the Content-Type.
/// let mut response = HttpResponse::new("body");
/// response.set_header("ETag", r#""v1""#).unwrap();
/// let r = get_conditional_response(&request, Some(r#""v1""#), None, Some(response)).unwrap();
/// assert_eq!(r.status_code(), 304);
/// assert_eq!(r.header("etag").as_deref(), Some(r#""v1""#));
/// assert_eq!(r.header("content-type").as_deref(), None);
/// ```
pub fn get_conditional_response(
    request: &HttpRequest,
    etag: Option<&str>,
    last_modified: Option<i64>,
    response: Option<HttpResponse>,
) -> Option<HttpResponse> {
    match response {
        Some(response) => Some(conditional_response(request, etag, last_modified, response)),
        None => match evaluate_preconditions(request, etag, last_modified) {
            Precondition::Pass => None,
            Precondition::NotModified => Some(not_modified(None)),
            Precondition::Failed => Some(precondition_failed(request)),
        },
    }
}

/// [`get_conditional_response`] with a response: the response itself, a 304 built from it or
/// a 412.
pub(crate) fn conditional_response(
    request: &HttpRequest,
    etag: Option<&str>,
    last_modified: Option<i64>,
    response: HttpResponse,
) -> HttpResponse {
    // Only return conditional responses on successful requests.
    if !(200..300).contains(&response.status_code()) {
        return response;
    }
    match evaluate_preconditions(request, etag, last_modified) {
        Precondition::Pass => response,
        Precondition::NotModified => not_modified(Some(response)),
        Precondition::Failed => precondition_failed(request),
    }
}

/// The outcome of the precondition evaluation.
enum Precondition {
    Pass,
    NotModified,
    Failed,
}

/// The body of Django's `get_conditional_response` (RFC 9110 §13.2.2 steps 1–4).
fn evaluate_preconditions(
    request: &HttpRequest,
    etag: Option<&str>,
    last_modified: Option<i64>,
) -> Precondition {
    let etag = etag.filter(|e| !e.is_empty());
    let last_modified = last_modified.filter(|&t| t != 0);
    let safe = matches!(*request.method(), Method::GET | Method::HEAD);

    let if_match = request_header(request, "if-match");
    let if_match_etags = parse_etags(&if_match);
    let if_unmodified_since = request_date(request, "if-unmodified-since");
    let if_none_match = request_header(request, "if-none-match");
    let if_none_match_etags = parse_etags(&if_none_match);
    let if_modified_since = request_date(request, "if-modified-since");

    // Step 1: If-Match.
    if !if_match_etags.is_empty() && !if_match_passes(etag, &if_match_etags) {
        return Precondition::Failed;
    }
    // Step 2: If-Unmodified-Since, only without If-Match.
    if if_match_etags.is_empty() {
        if let Some(ius) = if_unmodified_since {
            if !if_unmodified_since_passes(last_modified, ius) {
                return Precondition::Failed;
            }
        }
    }
    // Step 3: If-None-Match.
    if !if_none_match_etags.is_empty() && !if_none_match_passes(etag, &if_none_match_etags) {
        return if safe {
            Precondition::NotModified
        } else {
            Precondition::Failed
        };
    }
    // Step 4: If-Modified-Since, only without If-None-Match and for GET/HEAD.
    if if_none_match_etags.is_empty() && safe {
        if let Some(ims) = if_modified_since {
            if !if_modified_since_passes(last_modified, ims) {
                return Precondition::NotModified;
            }
        }
    }
    // Step 5 (If-Range) is not supported; step 6: no conditional response.
    Precondition::Pass
}

/// Sets `ETag` to the quoted MD5 hex digest of the content, for a non-streaming response with
/// non-empty content (otherwise nothing changes), Django's `set_response_etag`.
///
/// # Examples
///
/// ```
/// use nuages::utils::cache::set_response_etag;
/// use nuages::HttpResponse;
///
/// let mut response = HttpResponse::new("content");
/// set_response_etag(&mut response);
/// assert_eq!(response.header("etag").as_deref(), Some("\"9a0364b9e99bb480dd25e1f0284c8555\""));
///
/// let mut empty = HttpResponse::empty();
/// set_response_etag(&mut empty);
/// assert_eq!(empty.header("etag").as_deref(), None);
/// ```
pub fn set_response_etag(response: &mut HttpResponse) {
    if response.is_streaming() || response.complete_content().is_empty() {
        return;
    }
    let digest = Md5::digest(response.complete_content());
    let mut value = String::with_capacity(34);
    value.push('"');
    for b in digest {
        value.push_str(&format!("{b:02x}"));
    }
    value.push('"');
    response.headers_mut().insert(
        ETAG,
        HeaderValue::from_str(&value).expect("hex is a valid header value"),
    );
}

/// The response's `Cache-Control` directives split like Django's `cc_delim_re.split(...)`
/// (`\s*,\s*`), all `Cache-Control` lines joined; empty text when there is none.
pub(crate) fn cache_control_items(headers: &HeaderMap) -> Vec<String> {
    let mut values = headers.get_all(CACHE_CONTROL).iter();
    let mut text = values
        .next()
        .map(|v| latin1(v.as_bytes()).into_owned())
        .unwrap_or_default();
    for value in values {
        text.push_str(", ");
        text.push_str(&latin1(value.as_bytes()));
    }
    split_vary(&text).into_iter().map(str::to_owned).collect()
}

/// A response header's first value decoded as Latin-1 (`response.get(name)`).
pub(crate) fn header_text(headers: &HeaderMap, name: http::header::HeaderName) -> Option<String> {
    headers.get(name).map(|v| latin1(v.as_bytes()).into_owned())
}

// ===== max-age and the cache middleware's keys =====

/// Python's `int(text)` for what fits in 64 bits: surrounding whitespace, a sign, digits with
/// single underscores between them.
fn python_int(text: &str) -> Option<i64> {
    let text = strip(text);
    let (sign, digits) = match text.as_bytes().first()? {
        b'-' => ("-", &text[1..]),
        b'+' => ("", &text[1..]),
        _ => ("", text),
    };
    let b = digits.as_bytes();
    let valid = !b.is_empty()
        && b[0].is_ascii_digit()
        && b[b.len() - 1].is_ascii_digit()
        && b.iter().all(|&c| c.is_ascii_digit() || c == b'_')
        && !digits.contains("__");
    if !valid {
        return None;
    }
    format!("{sign}{}", digits.replace('_', "")).parse().ok()
}

/// The `max-age` of the response's `Cache-Control`, Django's `get_max_age(response)`: `None`
/// without `Cache-Control`, without `max-age`, or when it is not an integer. As in Django the
/// last `max-age` wins, and a bare `max-age` (Python's `int(True)`) is 1.
///
/// Integers beyond 64 bits (which Python accepts) are `None` here.
///
/// # Examples
/// ```
/// use http::{header::CACHE_CONTROL, HeaderMap, HeaderValue};
/// use nuages::utils::cache::get_max_age;
///
/// let mut headers = HeaderMap::new();
/// assert_eq!(get_max_age(&headers), None);
/// headers.insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
/// assert_eq!(get_max_age(&headers), Some(3600));
/// headers.insert(CACHE_CONTROL, HeaderValue::from_static("max-age=soon"));
/// assert_eq!(get_max_age(&headers), None);
/// ```
pub fn get_max_age(headers: &HeaderMap) -> Option<i64> {
    if !headers.contains_key(CACHE_CONTROL) {
        return None;
    }
    let mut max_age = None;
    for item in cache_control_items(headers) {
        let (name, value) = match item.split_once('=') {
            Some((n, v)) => (lower(n).into_owned(), Some(v.to_owned())),
            None => (lower(&item).into_owned(), None),
        };
        if name == "max-age" {
            max_age = Some(value);
        }
    }
    match max_age? {
        // `int(True)`.
        None => Some(1),
        Some(v) => python_int(&v),
    }
}

/// The prefix of the page keys.
const PAGE_KEY: &str = "views.decorators.cache.cache_page";
/// The prefix of the header-list keys.
const HEADER_KEY: &str = "views.decorators.cache.cache_header";

/// `md5(request.build_absolute_uri().encode("ascii")).hexdigest()`.
fn url_digest(request: &HttpRequest) -> Result<String, Error> {
    let uri = request.build_absolute_uri(None)?;
    if !uri.is_ascii() {
        return Err(Error::internal(format!(
            "'ascii' codec can't encode the absolute URI {}",
            nuages_py::repr::str_repr(&uri)
        )));
    }
    Ok(hex(&Md5::digest(uri.as_bytes())))
}

fn hex(digest: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(digest.len() * 2);
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Django's `_generate_cache_key(request, method, headerlist, key_prefix)`:
/// `views.decorators.cache.cache_page.<key_prefix>.<method>.<md5 of the absolute URI>.<md5 of
/// the headers>`, where the second digest hashes, in `headerlist` order, each `request.META`
/// value (UTF-8), or `-,` for an absent one (so that absent never equals empty).
///
/// Django then appends the language (`USE_I18N`) and the time zone (`USE_TZ`)
/// (`_i18n_cache_key_suffix`); nuages has neither translations nor an active time zone, so
/// keys are those of a Django site with `USE_I18N = False` and `USE_TZ = False`.
///
/// # Errors
/// [`DisallowedHost`](crate::core::exceptions::DisallowedHost) for a bad `Host`, or an absolute URI
/// that is not ASCII (Django's `UnicodeEncodeError`).
///
/// # Examples
/// ```
/// use nuages::test::RequestFactory;
/// use nuages::utils::cache::generate_cache_key;
/// let request = RequestFactory::new().get("/hello/").header("Accept-Language", "fr").build();
/// // md5("http://testserver/hello/"), then md5("") for no header.
/// assert_eq!(
///     generate_cache_key(&request, &http::Method::GET, &[], "").unwrap(),
///     "views.decorators.cache.cache_page..GET.\
///      affb145c42a92747924f9890048a691b.d41d8cd98f00b204e9800998ecf8427e"
/// );
/// // md5("fr") for HTTP_ACCEPT_LANGUAGE.
/// let header = ["HTTP_ACCEPT_LANGUAGE".to_owned()];
/// assert_eq!(
///     generate_cache_key(&request, &http::Method::HEAD, &header, "p").unwrap(),
///     "views.decorators.cache.cache_page.p.HEAD.\
///      affb145c42a92747924f9890048a691b.82a9e4d26595c87ab6e442391d8c5bba"
/// );
/// ```
#[doc(alias = "_generate_cache_key")]
pub fn generate_cache_key(
    request: &HttpRequest,
    method: &Method,
    headerlist: &[String],
    key_prefix: &str,
) -> Result<String, Error> {
    let mut ctx = Md5::new();
    let meta = request.meta();
    for header in headerlist {
        match meta.get(header) {
            Some(value) => ctx.update(value.as_bytes()),
            None => ctx.update(b"-,"),
        }
    }
    Ok(format!(
        "{PAGE_KEY}.{key_prefix}.{method}.{}.{}",
        url_digest(request)?,
        hex(&ctx.finalize())
    ))
}

/// Django's `_generate_cache_header_key(key_prefix, request)`:
/// `views.decorators.cache.cache_header.<key_prefix>.<md5 of the absolute URI>` (no language
/// or time-zone suffix: see [`generate_cache_key`]).
///
/// # Errors
/// As [`generate_cache_key`].
///
/// # Examples
/// ```
/// let request = nuages::test::RequestFactory::new().get("/").build();
/// let key = nuages::utils::cache::generate_cache_header_key("site", &request).unwrap();
/// // md5("http://testserver/")
/// assert_eq!(key, "views.decorators.cache.cache_header.site.b5268943f8305b7b1216f7b0efe65a96");
/// ```
#[doc(alias = "_generate_cache_header_key")]
pub fn generate_cache_header_key(key_prefix: &str, request: &HttpRequest) -> Result<String, Error> {
    Ok(format!(
        "{HEADER_KEY}.{key_prefix}.{}",
        url_digest(request)?
    ))
}

/// The cache named by CACHE_MIDDLEWARE_ALIAS when none is given.
fn cache_or_default<'a>(
    request: &HttpRequest,
    cache: Option<&'a dyn Cache>,
) -> Result<CacheRef<'a>, Error> {
    Ok(match cache {
        Some(c) => CacheRef::Borrowed(c),
        None => {
            let settings = request.settings();
            CacheRef::Owned(caches(settings, &settings.cache_middleware_alias)?)
        }
    })
}

/// A borrowed or looked-up cache.
enum CacheRef<'a> {
    Borrowed(&'a dyn Cache),
    Owned(Arc<dyn Cache>),
}

impl CacheRef<'_> {
    fn get(&self) -> &dyn Cache {
        match self {
            CacheRef::Borrowed(c) => *c,
            CacheRef::Owned(c) => &**c,
        }
    }
}

/// Django's `get_cache_key(request, key_prefix, method, cache)`: the page key for this URL
/// from the header list [`learn_cache_key`] stored, or `None` when no list is stored (the
/// page must be built).
///
/// `key_prefix: None` is CACHE_MIDDLEWARE_KEY_PREFIX; `cache: None` is the cache of
/// CACHE_MIDDLEWARE_ALIAS.
///
/// # Errors
/// As [`generate_cache_key`], an unknown alias ([`ImproperlyConfigured`]), a failing cache,
/// or a stored header list that is not a list of strings.
///
/// [`ImproperlyConfigured`]: crate::core::exceptions::ImproperlyConfigured
///
/// # Examples
/// ```
/// use nuages::core::cache::LocMemCache;
/// use nuages::utils::cache::{get_cache_key, learn_cache_key};
/// use nuages::{test::RequestFactory, HttpResponse};
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let cache = LocMemCache::private();
/// let request = RequestFactory::new().get("/page/").build();
/// let get = http::Method::GET;
/// assert_eq!(get_cache_key(&request, Some(""), &get, Some(&cache)).await.unwrap(), None);
/// let response = HttpResponse::new("page").with_header("Vary", "Accept-Language");
/// let learned = learn_cache_key(&request, &response, Some(60), Some(""), Some(&cache)).await.unwrap();
/// assert_eq!(get_cache_key(&request, Some(""), &get, Some(&cache)).await.unwrap(), Some(learned));
/// # });
/// ```
pub async fn get_cache_key(
    request: &HttpRequest,
    key_prefix: Option<&str>,
    method: &Method,
    cache: Option<&dyn Cache>,
) -> Result<Option<String>, Error> {
    let key_prefix = key_prefix.unwrap_or(&request.settings().cache_middleware_key_prefix);
    let cache_key = generate_cache_header_key(key_prefix, request)?;
    let cache = cache_or_default(request, cache)?;
    let Some(stored) = cache
        .get()
        .get(&cache_key, None)
        .await
        .map_err(Error::internal)?
    else {
        return Ok(None);
    };
    let headerlist = header_list(&stored).ok_or_else(|| {
        Error::internal(format!(
            "the header list cached at {cache_key} is not a list of strings"
        ))
    })?;
    generate_cache_key(request, method, &headerlist, key_prefix).map(Some)
}

/// A stored header list (a JSON or pickled list of strings).
fn header_list(value: &serde_json::Value) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// Django's `learn_cache_key(request, response, cache_timeout, key_prefix, cache)`: stores,
/// for `cache_timeout` seconds, the `request.META` names of the headers in the response's
/// `Vary` (`Accept-Language` → `HTTP_ACCEPT_LANGUAGE`, sorted) under the URL's header key, and
/// returns the page key for this request ([`generate_cache_key`] with the request's method).
///
/// `cache_timeout: None` is CACHE_MIDDLEWARE_SECONDS, `key_prefix: None`
/// CACHE_MIDDLEWARE_KEY_PREFIX, `cache: None` the cache of CACHE_MIDDLEWARE_ALIAS. With
/// `USE_I18N` (which nuages does not have) Django leaves `Accept-Language` out; here it is
/// always kept, as in Django with `USE_I18N = False`. The list is stored as a list of strings:
/// on Redis, the pickle Django writes.
///
/// # Errors
/// As [`get_cache_key`].
///
/// # Examples
/// See [`get_cache_key`].
pub fn learn_cache_key<'a>(
    request: &'a HttpRequest,
    response: &HttpResponse,
    cache_timeout: Option<i64>,
    key_prefix: Option<&'a str>,
    cache: Option<&'a dyn Cache>,
) -> impl std::future::Future<Output = Result<String, Error>> + Send + 'a {
    // The response is only read here, before the future (a response is not `Sync`).
    let mut headerlist: Vec<String> = match current_vary(response.headers()) {
        Some(vary) => split_vary(&vary)
            .into_iter()
            .map(|h| format!("HTTP_{}", h.to_uppercase().replace('-', "_")))
            .collect(),
        None => Vec::new(),
    };
    headerlist.sort();
    async move {
        let settings = request.settings();
        let key_prefix = key_prefix.unwrap_or(&settings.cache_middleware_key_prefix);
        let cache_timeout = cache_timeout.unwrap_or(settings.cache_middleware_seconds);
        let cache_key = generate_cache_header_key(key_prefix, request)?;
        let cache = cache_or_default(request, cache)?;
        let stored = serde_json::Value::from(headerlist.clone());
        cache
            .get()
            .set(&cache_key, &stored, Timeout::Seconds(cache_timeout), None)
            .await
            .map_err(Error::internal)?;
        generate_cache_key(request, request.method(), &headerlist, key_prefix)
    }
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

    // ===== conditional request processing =====

    use crate::test::RequestFactory;

    fn request(method: &str, headers: &[(&str, &str)]) -> HttpRequest {
        let mut f =
            RequestFactory::new().request(Method::from_bytes(method.as_bytes()).unwrap(), "/");
        for (k, v) in headers {
            f = f.header(k, v);
        }
        f.build()
    }

    fn status(
        method: &str,
        headers: &[(&str, &str)],
        etag: Option<&str>,
        last_modified: Option<i64>,
    ) -> Option<u16> {
        get_conditional_response(&request(method, headers), etag, last_modified, None)
            .map(|r| r.status_code())
    }

    const LM: i64 = 1_193_008_907; // Sun, 21 Oct 2007 23:21:47 GMT

    #[test]
    fn python_strip_of_weak_prefix() {
        assert_eq!(strip_weak("W/\"a\""), "\"a\"");
        assert_eq!(strip_weak("W/W/\"a\""), "\"a\"");
        assert_eq!(strip_weak("WOW/"), "O");
        // A double-prefixed ETag weakly matches, exactly like Django's str.strip("W/").
        assert!(!if_none_match_passes(Some("W/W/\"a\""), &["\"a\""]));
        assert!(if_none_match_passes(Some("\"a\""), &["\"b\""]));
        assert!(if_none_match_passes(None, &["*"]));
        assert!(!if_none_match_passes(Some("W/\"a\""), &["*"]));
    }

    #[test]
    fn if_match_is_strong() {
        assert!(if_match_passes(Some("\"a\""), &["\"b\"", "\"a\""]));
        assert!(!if_match_passes(Some("\"a\""), &["W/\"a\""]));
        assert!(!if_match_passes(Some("W/\"a\""), &["W/\"a\""]));
        assert!(if_match_passes(Some("W/\"a\""), &["*"]));
        assert!(!if_match_passes(None, &["*"]));
    }

    #[test]
    fn evaluation_order_and_python_truthiness() {
        let etag = Some("\"abc\"");
        assert_eq!(status("GET", &[], etag, Some(LM)), None);
        // A list containing * is not *; the entry is dropped.
        assert_eq!(
            status("GET", &[("If-None-Match", "\"x\", *")], etag, None),
            None
        );
        assert_eq!(
            status("GET", &[("If-None-Match", " * ")], etag, None),
            Some(304)
        );
        assert_eq!(
            status("DELETE", &[("If-None-Match", "*")], etag, None),
            Some(412)
        );
        // The epoch parses to 0, falsy in Python: the date is ignored.
        let epoch = "Thu, 01 Jan 1970 00:00:00 GMT";
        assert_eq!(
            status("GET", &[("If-Unmodified-Since", epoch)], etag, Some(LM)),
            None
        );
        assert_eq!(
            status("GET", &[("If-Modified-Since", epoch)], etag, Some(-5)),
            None
        );
        // A last_modified of 0 counts as none: any valid If-Unmodified-Since fails.
        let later = "Mon, 22 Oct 2007 23:21:47 GMT";
        assert_eq!(
            status("GET", &[("If-Unmodified-Since", later)], etag, Some(0)),
            Some(412)
        );
        assert_eq!(
            status("GET", &[("If-Unmodified-Since", later)], etag, Some(LM)),
            None
        );
        // An empty ETag is no ETag.
        assert_eq!(
            status("GET", &[("If-Match", "*")], Some(""), None),
            Some(412)
        );
        // If-Modified-Since is ignored for unsafe methods.
        assert_eq!(
            status("POST", &[("If-Modified-Since", later)], etag, Some(LM)),
            None
        );
        // Pre-epoch dates compare normally.
        let old = "Sun, 06 Nov 1960 08:49:37 GMT";
        assert_eq!(
            status(
                "GET",
                &[("If-Modified-Since", old)],
                None,
                Some(-300_000_000)
            ),
            Some(304)
        );
        assert_eq!(
            status("GET", &[("If-Modified-Since", old)], None, Some(-1)),
            None
        );
        // Repeated header lines are joined with ",", as by a WSGI server.
        assert_eq!(
            status(
                "GET",
                &[("If-None-Match", "\"x\""), ("If-None-Match", "\"abc\"")],
                etag,
                None
            ),
            Some(304)
        );
    }

    #[test]
    fn not_modified_keeps_validators_and_cookies() {
        let mut response = HttpResponse::new("body");
        for (k, v) in [
            ("ETag", "\"abc\""),
            ("Cache-Control", "max-age=60"),
            ("Content-Location", "/x"),
            ("Date", "Sun, 21 Oct 2007 23:21:47 GMT"),
            ("Expires", "Mon, 22 Oct 2007 23:21:47 GMT"),
            ("Last-Modified", "Sun, 21 Oct 2007 23:21:47 GMT"),
            ("Vary", "Cookie"),
            ("Content-Language", "en"),
            ("X-Other", "1"),
        ] {
            response.set_header(k, v).unwrap();
        }
        response
            .set_cookie(crate::http::cookie::SetCookie::new("c", "1"))
            .unwrap();
        let req = request("GET", &[("If-None-Match", "\"abc\"")]);
        let r = get_conditional_response(&req, Some("\"abc\""), None, Some(response)).unwrap();
        assert_eq!(r.status_code(), 304);
        let mut names: Vec<&str> = r.headers().keys().map(|k| k.as_str()).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "cache-control",
                "content-location",
                "date",
                "etag",
                "expires",
                "last-modified",
                "vary"
            ]
        );
        assert!(r.content().unwrap().is_empty());
        assert_eq!(r.cookies().iter().count(), 1);

        // Non-2xx responses are returned untouched.
        let r = get_conditional_response(
            &req,
            Some("\"abc\""),
            None,
            Some(HttpResponse::new("x").with_status(StatusCode::FOUND)),
        )
        .unwrap();
        assert_eq!(r.status_code(), 302);
        // A 412 is a fresh response with the default Content-Type.
        let req = request("GET", &[("If-Match", "\"zzz\"")]);
        let r = get_conditional_response(&req, Some("\"abc\""), None, Some(HttpResponse::new("x")))
            .unwrap();
        assert_eq!(r.status_code(), 412);
        assert_eq!(
            r.header("content-type").as_deref(),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(r.header("etag"), None);
        assert!(r.content().unwrap().is_empty());
    }

    #[test]
    fn response_etag() {
        let mut r = HttpResponse::streaming_iter(vec![bytes::Bytes::from_static(b"x")]);
        set_response_etag(&mut r);
        assert!(!r.has_header("etag"));
        let mut r = HttpResponse::new("content");
        set_response_etag(&mut r);
        assert_eq!(
            r.header("etag").as_deref(),
            Some("\"9a0364b9e99bb480dd25e1f0284c8555\"")
        );
    }

    #[test]
    fn cache_control_split() {
        let mut h = HeaderMap::new();
        assert_eq!(cache_control_items(&h), [""]);
        h.append(
            CACHE_CONTROL,
            HeaderValue::from_static("private ,  max-age=0"),
        );
        h.append(CACHE_CONTROL, HeaderValue::from_static("No-Store"));
        assert_eq!(
            cache_control_items(&h),
            ["private", "max-age=0", "No-Store"]
        );
    }
}

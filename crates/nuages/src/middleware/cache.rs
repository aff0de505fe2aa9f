//! The equivalent of `django/middleware/cache.py`: the per-site cache.
//!
//! [`UpdateCacheMiddleware`] goes first in the middleware list and [`FetchFromCacheMiddleware`]
//! last (the update runs last on the way out, the fetch last on the way in); the single
//! [`CacheMiddleware`] does both, and is what
//! [`cache_page`](crate::views::decorators::cache::cache_page) wraps around one view.
//!
//! Django's rules:
//! - only GET and HEAD requests are looked up; a HEAD is answered with the cached GET response,
//!   else with a cached HEAD response;
//! - only 200 and 304 responses get cache headers, and only 200s are stored; never streaming
//!   responses, responses setting cookies while varying on `Cookie`, responses whose
//!   `Cache-Control` contains `private`, `no-cache` or `no-store`, or that vary on `*`;
//! - the timeout is the page timeout (`cache_page`), else the response's `max-age` (0: not
//!   cached), else CACHE_MIDDLEWARE_SECONDS; the response gets `Expires` and `max-age`
//!   ([`patch_response_headers`]), and `Vary: Authorization` when the request had one and the
//!   response is not `public`;
//! - keys are [`learn_cache_key`]'s and [`get_cache_key`]'s; a hit gets an `Age`.
//!
//! Django's `request._cache_update_cache` travels in the request's extensions as an
//! [`UpdateCacheFlag`], a cell that `UpdateCacheMiddleware` puts there on the way in and reads
//! on the way out.
//!
//! # What is stored
//! Django pickles the `HttpResponse` object; a pickled Python object cannot be read here, nor
//! a nuages response by Django, so a Redis cache shared with a Django site must not share the
//! page keys (give them another CACHE_MIDDLEWARE_KEY_PREFIX). The header lists of
//! [`learn_cache_key`] are lists of strings, exactly Django's. A response is stored as a JSON
//! object (pickled on Redis, a copy in a locmem cache), the *nuages cached response* format:
//! ```json
//! {"nuages.cached_response": 1, "status": 200, "reason": null,
//!  "headers": [["content-type", "text/html; charset=utf-8"], ["expires", "…"], …],
//!  "content": "<the body, each byte as the character of the same code (Latin-1)>",
//!  "cookies": [{"key": "k", "value": "v", "expires": "", "max_age": null, "path": "/",
//!               "domain": "", "secure": false, "httponly": false, "samesite": ""}]}
//! ```
//! (`reason` is the custom reason phrase, header values are Latin-1 text too). The response's
//! extensions (markers such as
//! [`XFrameOptionsExempt`](crate::views::decorators::clickjacking::XFrameOptionsExempt)) are
//! not stored: put such middleware inside the cache middleware, or decorate the view, so that
//! their headers are cached.
//!
//! # Examples
//! ```
//! use nuages::middleware::cache::CacheMiddleware;
//! use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
//! use std::sync::atomic::{AtomicUsize, Ordering};
//!
//! static CALLS: AtomicUsize = AtomicUsize::new(0);
//! async fn page(_req: HttpRequest) -> HttpResponse {
//!     HttpResponse::new(format!("call {}", CALLS.fetch_add(1, Ordering::SeqCst)))
//! }
//!
//! let settings = Settings {
//!     debug: true,
//!     allowed_hosts: vec!["testserver".into()],
//!     caches: nuages::core::cache::Caches::new(nuages::core::cache::CacheConfig::locmem("doc-middleware")),
//!     ..Settings::default()
//! };
//! let app = App::builder().settings(settings).middleware(CacheMiddleware::new())
//!     .urls([path("page", page)]).build().unwrap();
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let client = nuages::test::Client::new(app);
//! let first = client.get("/page").send().await;
//! assert_eq!(first.header("cache-control").as_deref(), Some("max-age=600"));
//! let second = client.get("/page").send().await;
//! assert_eq!(second.content(), first.content()); // the view ran once
//! assert!(matches!(second.header("age").as_deref(), Some("0" | "1"))); // 1 across a second boundary
//! # });
//! ```

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};

use http::header::{HeaderName, HeaderValue, EXPIRES};
use http::{Method, StatusCode};
use serde_json::{json, Value};

use super::{Middleware, Next};
use crate::conf::Settings;
use crate::core::cache::{caches, Cache, Timeout, DEFAULT_CACHE_ALIAS};
use crate::core::exceptions::ImproperlyConfigured;
use crate::http::cookie::SimpleCookie;
use crate::http::latin1;
use crate::http::response::StreamingError;
use crate::utils::cache::{
    cache_control_items, get_cache_key, get_max_age, has_vary_header, learn_cache_key,
    patch_response_headers, patch_vary_headers,
};
use crate::utils::http::parse_http_date_safe;
use crate::{Error, HttpRequest, HttpResponse};

/// Django's `request._cache_update_cache`: whether the response of this request should be
/// stored. A shared cell: clones see the same value.
///
/// # Examples
/// ```
/// use nuages::middleware::cache::UpdateCacheFlag;
/// let flag = UpdateCacheFlag::default();
/// assert_eq!(flag.get(), None); // FetchFromCacheMiddleware did not run
/// flag.clone().set(true);
/// assert_eq!(flag.get(), Some(true));
/// ```
#[derive(Debug, Clone, Default)]
pub struct UpdateCacheFlag(Arc<AtomicU8>);

impl UpdateCacheFlag {
    /// The value, `None` when not set (Django's `hasattr(request, "_cache_update_cache")`).
    pub fn get(&self) -> Option<bool> {
        match self.0.load(Ordering::SeqCst) {
            0 => None,
            1 => Some(false),
            _ => Some(true),
        }
    }

    /// Sets the value.
    pub fn set(&self, update: bool) {
        self.0.store(if update { 2 } else { 1 }, Ordering::SeqCst);
    }

    /// The request's flag, put there if missing.
    fn of(request: &mut HttpRequest) -> UpdateCacheFlag {
        request
            .extensions_mut()
            .get_or_insert_with(UpdateCacheFlag::default)
            .clone()
    }
}

/// The marker of the nuages cached response format (see the [module docs](self)).
const FORMAT_KEY: &str = "nuages.cached_response";

/// Bytes as the Latin-1 text of the same code points.
fn bytes_text(bytes: &[u8]) -> String {
    latin1(bytes).into_owned()
}

/// Latin-1 text back to bytes; `None` for a character beyond U+00FF.
fn text_bytes(text: &str) -> Option<Vec<u8>> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect()
}

/// A complete response in the nuages cached response format.
///
/// # Errors
/// A streaming response has no content to store (the middleware never caches one).
///
/// # Examples
/// ```
/// use nuages::middleware::cache::{response_from_cache, response_to_cache};
/// use nuages::HttpResponse;
/// let response = HttpResponse::new(&b"caf\xe9"[..]).with_header("X-A", "1");
/// let value = response_to_cache(&response).unwrap();
/// assert_eq!(value["status"], 200);
/// let back = response_from_cache(&value).unwrap();
/// assert_eq!(back.content().unwrap(), b"caf\xe9");
/// assert_eq!(back.header("x-a").as_deref(), Some("1"));
/// let stream = HttpResponse::streaming_iter([bytes::Bytes::from("x")]);
/// assert!(response_to_cache(&stream).is_err());
/// assert!(response_from_cache(&serde_json::json!([1])).is_none());
/// ```
pub fn response_to_cache(response: &HttpResponse) -> Result<Value, StreamingError> {
    let status = response.status();
    let reason = (response.reason_phrase() != crate::http::reason::reason_phrase(status.as_u16()))
        .then(|| response.reason_phrase().to_owned());
    let headers: Vec<Value> = response
        .headers()
        .iter()
        .map(|(name, value)| json!([name.as_str(), bytes_text(value.as_bytes())]))
        .collect();
    let cookies: Vec<Value> = response
        .cookies()
        .iter()
        .map(|m| {
            json!({
                "key": m.key(), "value": m.value(), "expires": m.expires(),
                "max_age": m.max_age(), "path": m.path(), "domain": m.domain(),
                "secure": m.secure(), "httponly": m.httponly(), "samesite": m.samesite(),
            })
        })
        .collect();
    Ok(json!({
        FORMAT_KEY: 1,
        "status": status.as_u16(),
        "reason": reason,
        "headers": headers,
        "content": bytes_text(response.content()?),
        "cookies": cookies,
    }))
}

/// The response stored by [`response_to_cache`]; `None` for anything else (then treated as
/// a miss).
pub fn response_from_cache(value: &Value) -> Option<HttpResponse> {
    let object = value.as_object()?;
    if object.get(FORMAT_KEY)?.as_i64()? != 1 {
        return None;
    }
    let status = StatusCode::from_u16(u16::try_from(object.get("status")?.as_u64()?).ok()?).ok()?;
    let content = text_bytes(object.get("content")?.as_str()?)?;
    let mut response = HttpResponse::new(content).with_status(status);
    if let Some(reason) = object.get("reason").and_then(Value::as_str) {
        response.set_reason_phrase(reason.to_owned());
    }
    response.headers_mut().clear();
    for header in object.get("headers")?.as_array()? {
        let pair = header.as_array()?;
        let name = HeaderName::from_bytes(pair.first()?.as_str()?.as_bytes()).ok()?;
        let value = HeaderValue::from_bytes(&text_bytes(pair.get(1)?.as_str()?)?).ok()?;
        response.headers_mut().append(name, value);
    }
    let mut jar = SimpleCookie::new();
    for cookie in object.get("cookies")?.as_array()? {
        let text = |k: &str| cookie.get(k).and_then(Value::as_str).map(str::to_owned);
        let flag = |k: &str| cookie.get(k).and_then(Value::as_bool).unwrap_or(false);
        let mut morsel = crate::http::cookie::Morsel::new(text("key")?, text("value")?);
        morsel.set_expires(text("expires").unwrap_or_default());
        morsel.set_max_age(cookie.get("max_age").and_then(Value::as_i64));
        morsel.set_path(text("path").unwrap_or_default());
        morsel.set_domain(text("domain").unwrap_or_default());
        morsel.set_secure(flag("secure"));
        morsel.set_httponly(flag("httponly"));
        morsel.set_samesite(text("samesite").unwrap_or_default());
        jar.insert(morsel);
    }
    *response.cookies_mut() = jar;
    Some(response)
}

/// What the cache middleware resolves from the settings (and its arguments).
#[derive(Debug)]
struct Resolved {
    cache: Arc<dyn Cache>,
    key_prefix: String,
    cache_timeout: i64,
}

/// The configuration shared by the three middleware: Django's `__init__` arguments, and what
/// they resolve to.
#[derive(Debug, Default)]
struct CacheOptions {
    key_prefix: Option<String>,
    cache_alias: Option<String>,
    cache_timeout: Option<i64>,
    page_timeout: Option<i64>,
    cache: Option<Arc<dyn Cache>>,
    resolved: OnceLock<Resolved>,
}

impl CacheOptions {
    fn resolve(&self, settings: &Settings) -> Result<Resolved, ImproperlyConfigured> {
        let cache = match &self.cache {
            Some(cache) => Arc::clone(cache),
            None => caches(
                settings,
                self.cache_alias
                    .as_deref()
                    .unwrap_or(&settings.cache_middleware_alias),
            )?,
        };
        Ok(Resolved {
            cache,
            key_prefix: self
                .key_prefix
                .clone()
                .unwrap_or_else(|| settings.cache_middleware_key_prefix.clone()),
            cache_timeout: self
                .cache_timeout
                .unwrap_or(settings.cache_middleware_seconds),
        })
    }

    fn get(&self, settings: &Settings) -> Result<&Resolved, ImproperlyConfigured> {
        if let Some(r) = self.resolved.get() {
            return Ok(r);
        }
        let r = self.resolve(settings)?;
        Ok(self.resolved.get_or_init(|| r))
    }

    fn configure(&mut self, settings: &Settings) -> Result<(), ImproperlyConfigured> {
        self.resolved = OnceLock::new();
        self.get(settings).map(drop)
    }

    /// `FetchFromCacheMiddleware.process_request`: the cached response, or `None` and whether
    /// the response should be stored.
    async fn process_request(
        &self,
        request: &HttpRequest,
    ) -> Result<(Option<HttpResponse>, bool), Error> {
        if !matches!(*request.method(), Method::GET | Method::HEAD) {
            return Ok((None, false));
        }
        let r = self.get(request.settings())?;
        let cache = &*r.cache;
        let prefix = Some(r.key_prefix.as_str());
        let Some(key) = get_cache_key(request, prefix, &Method::GET, Some(cache)).await? else {
            return Ok((None, true));
        };
        let mut found = cache.get(&key, None).await.map_err(Error::internal)?;
        if found.is_none() && request.method() == Method::HEAD {
            if let Some(key) = get_cache_key(request, prefix, &Method::HEAD, Some(cache)).await? {
                found = cache.get(&key, None).await.map_err(Error::internal)?;
            }
        }
        let Some(mut response) = found.as_ref().and_then(response_from_cache) else {
            return Ok((None, true));
        };
        // The age estimation of the cached response.
        let expires = response
            .headers()
            .get(EXPIRES)
            .and_then(|v| parse_http_date_safe(&latin1(v.as_bytes())));
        if let (Some(max_age), Some(expires)) = (get_max_age(response.headers()), expires) {
            let now = chrono::Utc::now().timestamp();
            let remaining = expires.saturating_sub(now);
            let age = max_age.saturating_sub(remaining).max(0);
            response
                .headers_mut()
                .insert(http::header::AGE, HeaderValue::from(age));
        }
        Ok((Some(response), false))
    }

    /// `UpdateCacheMiddleware.process_response`.
    async fn process_response(
        &self,
        request: &HttpRequest,
        mut response: HttpResponse,
        update: bool,
    ) -> Result<HttpResponse, Error> {
        if !update {
            return Ok(response);
        }
        if response.is_streaming() || !matches!(response.status_code(), 200 | 304) {
            return Ok(response);
        }
        // Don't cache responses that set a user-specific (and maybe security sensitive)
        // cookie while varying on Cookie.
        if !response.cookies().is_empty() && has_vary_header(response.headers(), "Cookie") {
            return Ok(response);
        }
        let cache_control = if response.headers().contains_key(http::header::CACHE_CONTROL) {
            cache_control_items(response.headers())
                .join(", ")
                .to_lowercase()
        } else {
            String::new()
        };
        if ["private", "no-cache", "no-store"]
            .iter()
            .any(|d| cache_control.contains(d))
        {
            return Ok(response);
        }
        if has_vary_header(response.headers(), "*") {
            return Ok(response);
        }
        let r = self.get(request.settings())?;
        let timeout = match self.page_timeout {
            Some(t) => t,
            None => match get_max_age(response.headers()) {
                None => r.cache_timeout,
                // max-age was set to 0: don't cache.
                Some(0) => return Ok(response),
                Some(t) => t,
            },
        };
        patch_response_headers(&mut response, timeout)?;
        let authorization = request
            .header("authorization")
            .is_some_and(|a| !a.is_empty());
        if authorization && !cache_control.contains("public") {
            patch_vary_headers(response.headers_mut(), &["Authorization"]).map_err(Error::from)?;
        }
        if timeout != 0 && response.status_code() == 200 {
            let cache = &*r.cache;
            let key = learn_cache_key(
                request,
                &response,
                Some(timeout),
                Some(&r.key_prefix),
                Some(cache),
            )
            .await?;
            cache
                .set(
                    &key,
                    &response_to_cache(&response).map_err(Error::internal)?,
                    Timeout::Seconds(timeout),
                    None,
                )
                .await
                .map_err(Error::internal)?;
        }
        Ok(response)
    }
}

/// Django's `UpdateCacheMiddleware`: stores cacheable responses (first in the middleware list).
/// Reads CACHE_MIDDLEWARE_SECONDS, CACHE_MIDDLEWARE_KEY_PREFIX and CACHE_MIDDLEWARE_ALIAS.
///
/// # Examples
/// See the [module docs](self); with [`FetchFromCacheMiddleware`]:
/// ```
/// use nuages::middleware::cache::{FetchFromCacheMiddleware, UpdateCacheMiddleware};
/// use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
/// async fn page(_req: HttpRequest) -> HttpResponse { HttpResponse::new("page") }
/// let app = App::builder()
///     .settings(Settings { debug: true, ..Settings::default() })
///     .middleware(UpdateCacheMiddleware::new())
///     .middleware(FetchFromCacheMiddleware::new())
///     .urls([path("", page)])
///     .build()
///     .unwrap();
/// ```
#[derive(Debug, Default)]
pub struct UpdateCacheMiddleware {
    options: CacheOptions,
}

impl UpdateCacheMiddleware {
    /// The middleware, configured from the application's settings.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Middleware for UpdateCacheMiddleware {
    fn configure(&mut self, settings: &Settings) -> Result<(), ImproperlyConfigured> {
        self.options.configure(settings)
    }

    async fn call(&self, mut request: HttpRequest, next: Next<'_>) -> Result<HttpResponse, Error> {
        let flag = UpdateCacheFlag::of(&mut request);
        let fork = request.fork();
        let response = next.run(request).await;
        let update = flag.get() == Some(true);
        self.options.process_response(&fork, response, update).await
    }
}

/// Django's `FetchFromCacheMiddleware`: answers GET and HEAD requests from the cache (last in
/// the middleware list). Reads CACHE_MIDDLEWARE_KEY_PREFIX and CACHE_MIDDLEWARE_ALIAS.
///
/// # Examples
/// See [`UpdateCacheMiddleware`].
#[derive(Debug, Default)]
pub struct FetchFromCacheMiddleware {
    options: CacheOptions,
}

impl FetchFromCacheMiddleware {
    /// The middleware, configured from the application's settings.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Middleware for FetchFromCacheMiddleware {
    fn configure(&mut self, settings: &Settings) -> Result<(), ImproperlyConfigured> {
        self.options.configure(settings)
    }

    async fn call(&self, mut request: HttpRequest, next: Next<'_>) -> Result<HttpResponse, Error> {
        let flag = UpdateCacheFlag::of(&mut request);
        let (hit, update) = self.options.process_request(&request).await?;
        flag.set(update);
        match hit {
            Some(response) => Ok(response),
            None => Ok(next.run(request).await),
        }
    }
}

/// Django's `CacheMiddleware(get_response, cache_timeout, page_timeout, key_prefix=…,
/// cache_alias=…)`: [`FetchFromCacheMiddleware`] and [`UpdateCacheMiddleware`] in one, with
/// the arguments as builder methods.
///
/// # Examples
/// ```
/// use nuages::middleware::cache::CacheMiddleware;
/// let middleware = CacheMiddleware::new().key_prefix("site").cache_timeout(60);
/// ```
#[derive(Debug, Default)]
pub struct CacheMiddleware {
    options: CacheOptions,
}

impl CacheMiddleware {
    /// The middleware with the settings' defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// `cache_timeout`: replaces CACHE_MIDDLEWARE_SECONDS (used without `max-age`).
    #[must_use]
    pub fn cache_timeout(mut self, seconds: i64) -> Self {
        self.options.cache_timeout = Some(seconds);
        self
    }

    /// `page_timeout`: the timeout of every page, over `max-age` and `cache_timeout`.
    #[must_use]
    pub fn page_timeout(mut self, seconds: i64) -> Self {
        self.options.page_timeout = Some(seconds);
        self
    }

    /// `key_prefix=`: replaces CACHE_MIDDLEWARE_KEY_PREFIX (Django's `None` is `""`).
    #[must_use]
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.options.key_prefix = Some(prefix.into());
        self
    }

    /// `cache_alias=`: replaces CACHE_MIDDLEWARE_ALIAS (Django's `None` is `"default"`).
    #[must_use]
    pub fn cache_alias(mut self, alias: impl Into<String>) -> Self {
        self.options.cache_alias = Some(alias.into());
        self
    }

    /// Uses this cache instead of looking up an alias.
    #[must_use]
    pub fn cache(mut self, cache: Arc<dyn Cache>) -> Self {
        self.options.cache = Some(cache);
        self
    }

    /// The arguments `cache_page` passes: `page_timeout`, and `key_prefix`/`cache_alias`
    /// given (so `""` and `"default"` rather than the CACHE_MIDDLEWARE_* settings).
    pub(crate) fn for_cache_page(
        timeout: i64,
        key_prefix: Option<String>,
        cache_alias: Option<String>,
    ) -> Self {
        CacheMiddleware::new()
            .page_timeout(timeout)
            .key_prefix(key_prefix.unwrap_or_default())
            .cache_alias(cache_alias.unwrap_or_else(|| DEFAULT_CACHE_ALIAS.to_owned()))
    }

    /// `process_request`: a hit, or `None` and whether to store the response.
    pub(crate) async fn process_request(
        &self,
        request: &HttpRequest,
    ) -> Result<(Option<HttpResponse>, bool), Error> {
        self.options.process_request(request).await
    }

    /// `process_response`.
    pub(crate) async fn process_response(
        &self,
        request: &HttpRequest,
        response: HttpResponse,
        update: bool,
    ) -> Result<HttpResponse, Error> {
        self.options
            .process_response(request, response, update)
            .await
    }
}

impl Middleware for CacheMiddleware {
    fn configure(&mut self, settings: &Settings) -> Result<(), ImproperlyConfigured> {
        self.options.configure(settings)
    }

    async fn call(&self, mut request: HttpRequest, next: Next<'_>) -> Result<HttpResponse, Error> {
        let flag = UpdateCacheFlag::of(&mut request);
        let (hit, update) = self.options.process_request(&request).await?;
        flag.set(update);
        if let Some(response) = hit {
            return Ok(response);
        }
        let fork = request.fork();
        let response = next.run(request).await;
        let update = flag.get() == Some(true);
        self.options.process_response(&fork, response, update).await
    }
}

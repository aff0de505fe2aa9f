//! The equivalent of `django/http/request.py`: [`HttpRequest`].
//!
//! Everything is computed lazily and cached: the query string is parsed the first time
//! [`HttpRequest::query`] is called, cookies the first time [`HttpRequest::cookies`] is called,
//! `META` the first time [`HttpRequest::meta`] is called. A request that uses none of them
//! costs nothing for them.

mod attached;
mod body;
pub mod content_encoding;
mod headers;
pub mod json;
mod meta;
mod stream;

use std::borrow::Cow;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};

use http::header::{self, HeaderMap, HeaderName};
use http::{Extensions, Method, Uri, Version};

pub(crate) use self::attached::Attached;
pub use self::body::RawPostDataException;
pub use self::content_encoding::ContentEncodingError;
pub use self::headers::{HeaderKey, HttpHeaders};
pub use self::json::JsonBodyError;
pub(crate) use self::json::SERDE_JSON_MAX_DEPTH;
pub use self::meta::Meta;
use crate::conf::Settings;
use crate::core::exceptions::{DisallowedHost, TooManyFieldsSent};
use crate::http::accept::AcceptedTypes;
use crate::http::body::RequestBody;
use crate::http::cookie::{parse_cookie, CookieMap};
use crate::http::host;
use crate::http::latin1;
use crate::http::query_dict::QueryDict;
use crate::utils::encoding;
use nuages_py::codecs::Charset;

/// An incoming HTTP request, Django's `HttpRequest`.
///
/// # Examples
/// ```
/// use nuages::test::RequestFactory;
/// let req = RequestFactory::new().get("/hello/?a=1&a=2").header("User-Agent", "ua").build();
/// assert_eq!(req.method(), "GET");
/// assert_eq!(req.path(), "/hello/");
/// assert_eq!(req.query().unwrap().get("a"), Some("2"));
/// assert_eq!(req.meta().get("HTTP_USER_AGENT"), Some("ua"));
/// assert_eq!(req.get_host().unwrap(), "testserver");
/// ```
pub struct HttpRequest {
    /// Boxed: a request moves through every layer of the chain, by value, as 8 bytes.
    inner: Box<RequestInner>,
}

/// The state of an [`HttpRequest`].
struct RequestInner {
    head: Arc<RequestHead>,
    extensions: Extensions,
    attached: Attached,
    body: body::Body,
    encoding: Option<Charset>,
    get: OnceLock<Box<Result<QueryDict, TooManyFieldsSent>>>,
    cookies: OnceLock<Box<CookieMap>>,
    meta: OnceLock<Box<Meta>>,
}

/// The immutable-by-default part of a request, shared (not copied) with error handlers.
#[derive(Debug, Clone)]
pub(crate) struct RequestHead {
    method: Method,
    uri: Uri,
    version: Version,
    headers: HeaderMap,
    settings: Arc<Settings>,
    remote_addr: Option<SocketAddr>,
    server: Arc<ServerInfo>,
    /// The decoded path when it differs from the URI's path (percent-escapes present).
    decoded_path: Option<Box<str>>,
    /// What the application serving the request shares with every request (its URL resolver,
    /// …), attached by the application.
    app: Option<Arc<Attached>>,
}

/// What [`HttpRequest::into_http`] carries through a tower layer for
/// [`HttpRequest::from_http`] (taken out once).
#[derive(Clone)]
struct Carried(Arc<Mutex<Option<CarriedState>>>);

struct CarriedState {
    settings: Arc<Settings>,
    server: Arc<ServerInfo>,
    app: Option<Arc<Attached>>,
    attached: Attached,
    encoding: Option<Charset>,
    cached: body::Cached,
}

/// The peer address of a request, as an `http` extension (see [`HttpRequest::into_http`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RemoteAddr(pub SocketAddr);

/// Where the request arrived: `SERVER_NAME`, `SERVER_PORT` and `wsgi.url_scheme`.
#[derive(Debug, Clone)]
pub(crate) struct ServerInfo {
    pub(crate) name: Cow<'static, str>,
    pub(crate) port: Cow<'static, str>,
    pub(crate) tls: bool,
}

impl ServerInfo {
    /// The default, allocated once: a request that the server then describes does not pay for a
    /// placeholder.
    pub(crate) fn shared_default() -> &'static Arc<ServerInfo> {
        static DEFAULT: std::sync::LazyLock<Arc<ServerInfo>> =
            std::sync::LazyLock::new(|| Arc::new(ServerInfo::default()));
        &DEFAULT
    }
}

impl Default for ServerInfo {
    fn default() -> Self {
        ServerInfo {
            name: Cow::Borrowed("localhost"),
            port: Cow::Borrowed("80"),
            tls: false,
        }
    }
}

impl HttpRequest {
    /// Builds a request from `http` parts (the server and the test client do this).
    pub fn from_parts(
        parts: http::request::Parts,
        body: RequestBody,
        settings: Arc<Settings>,
    ) -> Self {
        HttpRequest::arrived(
            parts,
            body,
            settings,
            None,
            None,
            Arc::clone(ServerInfo::shared_default()),
        )
    }

    /// [`HttpRequest::from_parts`] with what the server and the application know when the
    /// request arrives (the application's shared values, the peer address, where it arrived),
    /// set as the head is built rather than changed after.
    pub(crate) fn arrived(
        parts: http::request::Parts,
        body: RequestBody,
        settings: Arc<Settings>,
        app: Option<Arc<Attached>>,
        remote_addr: Option<SocketAddr>,
        server: Arc<ServerInfo>,
    ) -> Self {
        let http::request::Parts {
            method,
            uri,
            version,
            mut headers,
            extensions,
            ..
        } = parts;
        drop_underscore_headers(&mut headers);
        let decoded_path = decode_path(uri.path());
        HttpRequest {
            inner: Box::new(RequestInner {
                head: Arc::new(RequestHead {
                    method,
                    uri,
                    version,
                    headers,
                    settings,
                    remote_addr,
                    server,
                    decoded_path,
                    app,
                }),
                extensions,
                attached: Attached::default(),
                body: body::Body::new(body),
                encoding: None,
                get: OnceLock::new(),
                cookies: OnceLock::new(),
                meta: OnceLock::new(),
            }),
        }
    }

    /// Sets the peer address (`REMOTE_ADDR`).
    pub fn set_remote_addr(&mut self, addr: Option<SocketAddr>) {
        Arc::make_mut(&mut self.inner.head).remote_addr = addr;
        self.inner.meta = OnceLock::new();
    }

    pub(crate) fn set_server(&mut self, server: Arc<ServerInfo>) {
        Arc::make_mut(&mut self.inner.head).server = server;
        self.inner.meta = OnceLock::new();
    }

    /// A copy of this request without its body, its cached GET/POST/COOKIES or its extensions,
    /// sharing the head (method, URI, headers) and what the framework attached (URL match,
    /// session, CSRF state) — cheap: a few reference-count increments. The framework hands such
    /// a copy to error handlers after the view consumed the request.
    pub fn fork(&self) -> HttpRequest {
        let mut fork = HttpRequest::from_head(self.head_handle());
        fork.inner.encoding = self.inner.encoding.clone();
        fork.inner.attached = self.inner.attached.clone();
        fork
    }

    /// The shared head (method, URI, headers, settings): keep it to build a [`fork`] later
    /// with [`HttpRequest::from_head`] — one reference-count increment.
    ///
    /// [`fork`]: HttpRequest::fork
    pub(crate) fn head_handle(&self) -> Arc<RequestHead> {
        Arc::clone(&self.inner.head)
    }

    /// A request with `head` and `attached`, without body or extensions: what the framework
    /// hands to error handlers after the view or a middleware consumed the request.
    pub(crate) fn from_head_with(head: Arc<RequestHead>, attached: Attached) -> HttpRequest {
        let mut request = HttpRequest::from_head(head);
        request.inner.attached = attached;
        request
    }

    /// A request with `head` and nothing else (no body, no extensions).
    pub(crate) fn from_head(head: Arc<RequestHead>) -> HttpRequest {
        HttpRequest {
            inner: Box::new(RequestInner {
                head,
                extensions: Extensions::new(),
                attached: Attached::default(),
                body: body::Body::new(RequestBody::empty()),
                encoding: None,
                get: OnceLock::new(),
                cookies: OnceLock::new(),
                meta: OnceLock::new(),
            }),
        }
    }

    /// A value the application shares with every request (given to [`HttpRequest::arrived`]).
    pub(crate) fn app_value<T: std::any::Any + Send + Sync>(&self) -> Option<&T> {
        self.inner.head.app.as_deref()?.get::<T>()
    }

    /// The values the framework's layers attached to this request.
    pub(crate) fn attached(&self) -> &Attached {
        &self.inner.attached
    }

    /// Mutable [`HttpRequest::attached`].
    pub(crate) fn attached_mut(&mut self) -> &mut Attached {
        &mut self.inner.attached
    }

    pub(crate) fn settings_shared(&self) -> &Arc<Settings> {
        &self.inner.head.settings
    }

    /// Converts into an `http::Request` (for tower services): head, body (read or not) and
    /// extensions are kept; the peer address travels as a [`RemoteAddr`] extension. What an
    /// `http::Request` cannot hold — the settings, the parsed `POST`/`FILES`, `encoding`, what
    /// the framework attached (URL match, session) — travels in a private extension, so that
    /// [`HttpRequest::from_http`] gives back the same request.
    pub fn into_http(self) -> http::Request<RequestBody> {
        let RequestInner {
            head,
            mut extensions,
            attached,
            body,
            encoding,
            ..
        } = *self.inner;
        let head = Arc::try_unwrap(head).unwrap_or_else(|shared| (*shared).clone());
        let RequestHead {
            method,
            uri,
            version,
            headers,
            settings,
            remote_addr,
            server,
            app,
            ..
        } = head;
        if let Some(addr) = remote_addr {
            extensions.insert(RemoteAddr(addr));
        }
        let (body, cached) = body.into_parts();
        extensions.insert(Carried(Arc::new(Mutex::new(Some(CarriedState {
            settings,
            server,
            app,
            attached,
            encoding,
            cached,
        })))));
        let mut req = http::Request::new(body);
        *req.method_mut() = method;
        *req.uri_mut() = uri;
        *req.version_mut() = version;
        *req.headers_mut() = headers;
        *req.extensions_mut() = extensions;
        req
    }

    /// Builds a request from an `http::Request`: the inverse of [`HttpRequest::into_http`]
    /// (whatever a tower layer changed in between — method, URI, headers, extensions, the body —
    /// is what the new request sees). `settings` apply to a request that did not come from
    /// `into_http`.
    pub fn from_http(req: http::Request<RequestBody>, settings: Arc<Settings>) -> Self {
        let (mut parts, body) = req.into_parts();
        let remote = parts.extensions.remove::<RemoteAddr>();
        let carried = parts.extensions.remove::<Carried>().and_then(|c| {
            c.0.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take()
        });
        let Some(state) = carried else {
            let mut r = HttpRequest::from_parts(parts, body, settings);
            r.set_remote_addr(remote.map(|RemoteAddr(a)| a));
            return r;
        };
        let mut r = HttpRequest::from_parts(parts, RequestBody::empty(), state.settings);
        r.inner.body = body::Body::restore(body, state.cached);
        r.inner.attached = state.attached;
        r.inner.encoding = state.encoding;
        let head = Arc::make_mut(&mut r.inner.head);
        head.remote_addr = remote.map(|RemoteAddr(a)| a);
        head.server = state.server;
        head.app = state.app;
        r
    }

    /// The settings of the application serving this request.
    pub fn settings(&self) -> &Settings {
        &self.inner.head.settings
    }

    // ===== method, paths =====

    /// The method (always upper-case as sent; `http::Method`).
    pub fn method(&self) -> &Method {
        &self.inner.head.method
    }

    /// The request URI as received.
    pub fn uri(&self) -> &Uri {
        &self.inner.head.uri
    }

    /// The HTTP version.
    pub fn version(&self) -> Version {
        self.inner.head.version
    }

    /// `path_info`: the percent-decoded path used for URL resolution (invalid UTF-8 stays
    /// percent-encoded).
    pub fn path_info(&self) -> &str {
        match &self.inner.head.decoded_path {
            Some(p) => p,
            None => {
                let p = self.inner.head.uri.path();
                if p.is_empty() {
                    "/"
                } else {
                    p
                }
            }
        }
    }

    /// The script prefix: `FORCE_SCRIPT_NAME` without its trailing slash, or empty.
    pub fn script_name(&self) -> &str {
        self.inner
            .head
            .settings
            .force_script_name
            .as_deref()
            .map_or("", |s| s.trim_end_matches('/'))
    }

    /// `path`: the script prefix followed by `path_info`.
    pub fn path(&self) -> Cow<'_, str> {
        let script = self.script_name();
        if script.is_empty() {
            Cow::Borrowed(self.path_info())
        } else {
            Cow::Owned(format!("{script}/{}", &self.path_info()[1..]))
        }
    }

    /// The raw query string (`QUERY_STRING`), empty if none.
    pub fn query_string(&self) -> &str {
        self.inner.head.uri.query().unwrap_or("")
    }

    /// `get_full_path()`: the escaped path plus the query string.
    ///
    /// # Examples
    /// ```
    /// let req = nuages::test::RequestFactory::new().get("/caf%C3%A9/?q=%E2%98%83").build();
    /// assert_eq!(req.get_full_path(), "/caf%C3%A9/?q=%E2%98%83");
    /// ```
    #[doc(alias = "full_path")]
    pub fn get_full_path(&self) -> String {
        encoding::full_path(&self.path(), self.query_string(), false)
    }

    /// `get_full_path(force_append_slash=True)`.
    pub fn get_full_path_append_slash(&self) -> String {
        encoding::full_path(&self.path(), self.query_string(), true)
    }

    /// `get_full_path_info()`: like [`HttpRequest::get_full_path`] but from `path_info`.
    pub fn get_full_path_info(&self) -> String {
        encoding::full_path(self.path_info(), self.query_string(), false)
    }

    // ===== encoding =====

    /// `request.inner.encoding`: the charset used to decode GET and POST: set explicitly
    /// ([`set_encoding`](Self::set_encoding)), else the Content-Type's `charset` parameter when
    /// it names a known codec (an unknown one is ignored), else `None` (meaning
    /// DEFAULT_CHARSET).
    ///
    /// # Examples
    /// ```
    /// use nuages::test::RequestFactory;
    /// let rf = RequestFactory::new();
    /// let req = rf.post("/", "").header("content-type", "text/plain; charset=latin-1").build();
    /// assert_eq!(req.encoding().map(|c| c.name().to_owned()).as_deref(), Some("latin-1"));
    /// let req = rf.post("/", "").header("content-type", "text/plain; charset=nonsense").build();
    /// assert!(req.encoding().is_none());
    /// assert!(rf.get("/").build().encoding().is_none());
    /// ```
    pub fn encoding(&self) -> Option<Charset> {
        if let Some(c) = &self.inner.encoding {
            return Some(c.clone());
        }
        self.inner.head.headers.get(header::CONTENT_TYPE)?;
        self.content_params()
            .get("charset")
            .and_then(|cs| Charset::from_label(cs))
    }

    /// Sets `request.inner.encoding`; the cached GET and POST are decoded again on next access.
    pub fn set_encoding(&mut self, charset: Charset) {
        self.inner.encoding = Some(charset);
        self.inner.get = OnceLock::new();
        self.reset_post();
    }

    fn charset(&self) -> Charset {
        self.encoding().unwrap_or_else(|| {
            Charset::from_label(&self.inner.head.settings.default_charset).unwrap_or(Charset::UTF_8)
        })
    }

    // ===== GET, COOKIES, META, headers =====

    /// The query string as a [`QueryDict`] (Django's `request.GET`), parsed once.
    ///
    /// # Errors
    /// [`TooManyFieldsSent`] over DATA_UPLOAD_MAX_NUMBER_FIELDS (a 400 when returned from a view).
    #[doc(alias = "GET")]
    pub fn query(&self) -> Result<&QueryDict, TooManyFieldsSent> {
        let q = self.query_string();
        if q.is_empty() {
            return Ok(&EMPTY_QUERY);
        }
        self.inner
            .get
            .get_or_init(|| {
                let cs = self.charset();
                let max = self.inner.head.settings.data_upload_max_number_fields;
                Box::new(QueryDict::parse_bytes(q.as_bytes(), Some(&cs), max))
            })
            .as_ref()
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The cookies sent by the client (Django's `request.COOKIES`, lenient parsing).
    #[doc(alias = "COOKIES")]
    pub fn cookies(&self) -> &CookieMap {
        if !self.inner.head.headers.contains_key(header::COOKIE) {
            return &EMPTY_COOKIES;
        }
        self.inner.cookies.get_or_init(|| {
            let mut all = self.inner.head.headers.get_all(header::COOKIE).iter();
            Box::new(match (all.next(), all.next()) {
                (None, _) => CookieMap::default(),
                (Some(one), None) => parse_cookie(&latin1(one.as_bytes())),
                (Some(first), Some(second)) => {
                    let mut joined = latin1(first.as_bytes()).into_owned();
                    for v in std::iter::once(second).chain(all) {
                        joined.push_str("; ");
                        joined.push_str(&latin1(v.as_bytes()));
                    }
                    parse_cookie(&joined)
                }
            })
        })
    }

    /// A cookie's value (`request.COOKIES[name]`).
    pub fn cookie(&self, name: &str) -> Option<&str> {
        // One ASCII Cookie header not parsed yet: look the name up in it, without building
        // `COOKIES`, when the value needs no unquoting.
        if self.inner.cookies.get().is_none() {
            let mut all = self.inner.head.headers.get_all(header::COOKIE).iter();
            match (all.next(), all.next()) {
                (None, _) => return None,
                (Some(one), None) => {
                    if let Ok(text) = one.to_str() {
                        match crate::http::cookie::find_cookie(text, name) {
                            None => return None,
                            Some(Cow::Borrowed(value)) => return Some(value),
                            Some(Cow::Owned(_)) => {}
                        }
                    }
                }
                _ => {}
            }
        }
        self.cookies().get(name).map(String::as_str)
    }

    /// `get_signed_cookie(key, salt=salt, max_age=max_age)`: the value of a cookie set with
    /// `set_signed_cookie`, checked with SECRET_KEY (and SECRET_KEY_FALLBACKS). `Ok(None)` when
    /// the cookie is absent (Django's `KeyError`).
    ///
    /// # Errors
    /// A bad or expired signature (`BadSignature`, `SignatureExpired`).
    pub fn get_signed_cookie(
        &self,
        key: &str,
        salt: &str,
        max_age: Option<crate::signing::MaxAge>,
    ) -> Result<Option<String>, crate::signing::SigningError> {
        let Some(value) = self.cookie(key) else {
            return Ok(None);
        };
        let s = &self.inner.head.settings;
        crate::signing::unsign_cookie(
            key,
            value,
            salt,
            max_age,
            &s.secret_key,
            &s.secret_key_fallbacks,
            chrono::Utc::now(),
        )
        .map(|v| Some(v.to_owned()))
    }

    /// The headers (the primary API; `request.headers` in Django).
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.head.headers
    }

    /// Mutable headers (for middleware).
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.inner.meta = OnceLock::new();
        self.inner.cookies = OnceLock::new();
        &mut Arc::make_mut(&mut self.inner.head).headers
    }

    /// A header's value as Django's `request.headers[name]` gives it: case-insensitive, `_` and
    /// `-` equivalent, repeated headers joined with `,`, bytes decoded as Latin-1.
    ///
    /// # Examples
    /// ```
    /// let req = nuages::test::RequestFactory::new()
    ///     .get("/")
    ///     .header("X-Custom-Header", "1")
    ///     .header("Accept", "text/html")
    ///     .build();
    /// assert_eq!(req.header("x_custom_header").as_deref(), Some("1"));
    /// // A typed name is used as is, without parsing:
    /// assert_eq!(req.header(http::header::ACCEPT).as_deref(), Some("text/html"));
    /// ```
    pub fn header(&self, name: impl HeaderKey) -> Option<Cow<'_, str>> {
        let mut all = name.get_all(&self.inner.head.headers).into_iter();
        let first = all.next()?;
        match all.next() {
            None => Some(latin1(first.as_bytes())),
            Some(second) => {
                let mut s = latin1(first.as_bytes()).into_owned();
                for v in std::iter::once(second).chain(all) {
                    s.push(',');
                    s.push_str(&latin1(v.as_bytes()));
                }
                Some(Cow::Owned(s))
            }
        }
    }

    /// Django's `request.META`, built on first use.
    #[doc(alias = "META")]
    pub fn meta(&self) -> &Meta {
        self.inner.meta.get_or_init(|| Box::new(Meta::build(self)))
    }

    /// The peer address (`REMOTE_ADDR`), if known.
    pub fn remote_addr(&self) -> Option<SocketAddr> {
        self.inner.head.remote_addr
    }

    // ===== content type =====

    /// The media type of the request's Content-Type, lower-cased, without parameters
    /// (`request.content_type`); empty if absent.
    pub fn content_type(&self) -> Cow<'_, str> {
        match self.inner.head.headers.get(header::CONTENT_TYPE) {
            None => Cow::Borrowed(""),
            Some(v) => match crate::utils::http::parse_header_parameters(&latin1(v.as_bytes())) {
                Ok((ct, _)) => Cow::Owned(ct),
                Err(_) => Cow::Borrowed(""),
            },
        }
    }

    /// The Content-Type parameters (`request.content_params`).
    pub fn content_params(&self) -> indexmap::IndexMap<String, String> {
        match self.inner.head.headers.get(header::CONTENT_TYPE) {
            None => indexmap::IndexMap::new(),
            Some(v) => crate::utils::http::parse_header_parameters(&latin1(v.as_bytes()))
                .map(|(_, p)| p)
                .unwrap_or_default(),
        }
    }

    // ===== host, port, scheme =====

    /// `_get_raw_host()`: X-Forwarded-Host (when USE_X_FORWARDED_HOST), Host, or
    /// SERVER_NAME/PORT; borrowed from the headers unless it must be decoded or built.
    fn raw_host(&self) -> Cow<'_, str> {
        let head = &*self.inner.head;
        if head.settings.use_x_forwarded_host {
            if let Some(forwarded) = self.header("x-forwarded-host") {
                return forwarded;
            }
        }
        if let Some(host) = self.header(http::header::HOST) {
            return host;
        }
        host::raw_host(
            None,
            None,
            &head.server.name,
            &head.server.port,
            self.is_secure(),
            false,
        )
    }

    /// `get_host()`: the host from X-Forwarded-Host (when USE_X_FORWARDED_HOST), Host, or
    /// SERVER_NAME/PORT, validated against ALLOWED_HOSTS.
    ///
    /// # Errors
    /// [`DisallowedHost`] (a 400 when returned from a view or middleware).
    pub fn get_host(&self) -> Result<String, DisallowedHost> {
        self.validated_host().map(Cow::into_owned)
    }

    /// [`HttpRequest::get_host`] without copying the host out of the headers.
    pub(crate) fn validated_host(&self) -> Result<Cow<'_, str>, DisallowedHost> {
        let raw = self.raw_host();
        let s = &*self.inner.head.settings;
        host::get_host(&raw, &s.allowed_hosts, s.debug)?;
        Ok(raw)
    }

    /// `get_port()`: X-Forwarded-Port (when USE_X_FORWARDED_PORT) or SERVER_PORT.
    pub fn get_port(&self) -> String {
        if self.inner.head.settings.use_x_forwarded_port {
            if let Some(p) = self.header("x-forwarded-port") {
                return p.into_owned();
            }
        }
        self.inner.head.server.port.clone().into_owned()
    }

    /// `scheme`: `https` or `http`, honouring SECURE_PROXY_SSL_HEADER.
    pub fn scheme(&self) -> &'static str {
        if let Some((name, value)) = &self.inner.head.settings.secure_proxy_ssl_header {
            let v = self.header(name.as_str());
            if let Some(secure) = host::scheme_from_proxy_header(v.as_deref(), value) {
                return if secure { "https" } else { "http" };
            }
        }
        if self.inner.head.server.tls {
            "https"
        } else {
            "http"
        }
    }

    /// `is_secure()`: whether the scheme is https.
    pub fn is_secure(&self) -> bool {
        self.scheme() == "https"
    }

    /// `build_absolute_uri(location)`: an absolute URI for `location` relative to this request
    /// (`None` = this request's full path).
    ///
    /// # Errors
    /// [`DisallowedHost`] when the host is invalid, or a malformed `location`.
    pub fn build_absolute_uri(&self, location: Option<&str>) -> Result<String, crate::Error> {
        let host = self.get_host()?;
        encoding::build_absolute_uri(
            self.scheme(),
            &host,
            &self.path(),
            self.query_string(),
            location,
        )
        .map_err(crate::Error::from)
    }

    // ===== content negotiation =====

    /// The parsed Accept header (`accepted_types`), best first; a header that cannot be
    /// parsed accepts nothing.
    pub fn accepted_types(&self) -> AcceptedTypes<'static> {
        let accept = self.header(http::header::ACCEPT);
        match AcceptedTypes::parse(accept.as_deref()) {
            Ok(t) => t.into_owned(),
            Err(_) => AcceptedTypes::default(),
        }
    }

    /// `accepts(media_type)`: whether the client accepts `media_type`.
    pub fn accepts(&self, media_type: &str) -> bool {
        let accept = self.header(http::header::ACCEPT);
        AcceptedTypes::parse(accept.as_deref()).is_ok_and(|t| t.accepts(media_type))
    }

    /// `get_preferred_type(media_types)`: the offer the client prefers.
    #[doc(alias = "get_preferred_type")]
    pub fn preferred_type<'a>(&self, offers: &[&'a str]) -> Option<&'a str> {
        let accept = self.header(http::header::ACCEPT);
        AcceptedTypes::parse(accept.as_deref())
            .ok()?
            .preferred_type(offers)
    }

    // ===== routing, extensions =====

    /// Per-request typed data for middleware (sessions, users, …).
    pub fn extensions(&self) -> &Extensions {
        &self.inner.extensions
    }

    /// Mutable [`HttpRequest::extensions`].
    pub fn extensions_mut(&mut self) -> &mut Extensions {
        &mut self.inner.extensions
    }
}

impl std::fmt::Debug for HttpRequest {
    /// Django's repr: `<HttpRequest: GET '/path?x=1'>`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "<HttpRequest: {} {}>",
            self.inner.head.method,
            nuages_py::repr::str_repr(&self.get_full_path())
        )
    }
}

static EMPTY_QUERY: std::sync::LazyLock<QueryDict> = std::sync::LazyLock::new(QueryDict::new);
static EMPTY_COOKIES: std::sync::LazyLock<CookieMap> = std::sync::LazyLock::new(CookieMap::default);

fn decode_path(raw: &str) -> Option<Box<str>> {
    if raw.is_empty() {
        return None;
    }
    if raw.bytes().any(|b| b == b'%' || b >= 0x80) {
        Some(
            encoding::path_info_from_raw(raw)
                .into_owned()
                .into_boxed_str(),
        )
    } else {
        None
    }
}

/// Like runserver and gunicorn, drop headers whose name contains an underscore (they would be
/// indistinguishable from the dash form in META).
fn drop_underscore_headers(headers: &mut HeaderMap) {
    let underscored = |k: &HeaderName| k.as_str().as_bytes().contains(&b'_');
    if headers.keys().any(underscored) {
        let names: Vec<_> = headers.keys().filter(|k| underscored(k)).cloned().collect();
        for n in names {
            headers.remove(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underscored_headers_are_dropped() {
        let (parts, ()) = http::Request::get("/")
            .header("Host", "t")
            .header("X_Forwarded_For", "1.2.3.4")
            .header("X-A", "b")
            .body(())
            .map(http::Request::into_parts)
            .unwrap_or_else(|e| panic!("{e}"));
        let request =
            HttpRequest::from_parts(parts, RequestBody::empty(), Arc::new(Settings::default()));
        assert!(!request.headers().contains_key("x_forwarded_for"));
        assert_eq!(request.headers()["x-a"], "b");
    }
}

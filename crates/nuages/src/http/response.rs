//! The equivalent of `django/http/response.py`: [`HttpResponse`] and its shortcuts.
//!
//! Django has one class per status (`HttpResponseRedirect`, `HttpResponseNotFound`, …); nuages
//! has one type with a constructor per class, each carrying the Django name as a doc alias
//! (search the docs for `HttpResponseRedirect`).

mod cookies;
mod file;
mod headers;
mod json;
mod redirect;
mod streaming;

use std::borrow::Cow;
use std::fmt;

use bytes::{Bytes, BytesMut};
use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Method, StatusCode};

pub use self::file::{guess_type, FileResponse};
pub use self::headers::BadHeaderError;
pub use self::headers::{header_name, header_value};
pub use self::json::{JsonResponse, JsonResponseError};
use crate::http::body::{BodyStream, ResponseBody};
use crate::http::cookie::SimpleCookie;
use nuages_py::codecs::Charset;

static DEFAULT_CONTENT_TYPE: HeaderValue = HeaderValue::from_static("text/html; charset=utf-8");

/// Django's default `handler500` page (`views.defaults.server_error` without a template).
pub(crate) const SERVER_ERROR_PAGE: &str = "\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Server Error (500)</title>\n</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n";

/// The content of a response: complete bytes, or a stream.
enum Content {
    Bytes(BytesMut),
    Static(Bytes),
    Stream(BodyStream),
}

/// An HTTP response, Django's `HttpResponse` (and `StreamingHttpResponse`, `FileResponse`, which
/// are responses whose content is a stream).
///
/// The default content type is `text/html; charset=utf-8`.
///
/// # Examples
/// ```
/// use nuages::HttpResponse;
/// let mut resp = HttpResponse::new("Hello there!").with_content_type("text/plain");
/// resp.write(" And more.");
/// assert_eq!(resp.content(), b"Hello there! And more.");
/// assert_eq!(resp.header("content-type"), Some("text/plain"));
/// assert_eq!(resp.status_code(), 200);
/// ```
pub struct HttpResponse {
    status: StatusCode,
    reason: Option<Cow<'static, str>>,
    headers: HeaderMap,
    content: Content,
    charset: Option<Charset>,
    cookies: SimpleCookie,
    closed: bool,
    extensions: http::Extensions,
    /// The Django class this response stands for (`HttpResponseRedirect`, …), for its repr.
    class: &'static str,
    /// A header a builder method could not set (see [`HttpResponse::with_header`]).
    header_error: Option<Box<BadHeaderError>>,
}

/// Text for a header value in a builder chain: a `&'static str` (used without a copy), a
/// `String` or a `Cow<'static, str>`.
#[derive(Debug, Clone)]
pub struct HeaderText(Cow<'static, str>);

impl From<&'static str> for HeaderText {
    fn from(s: &'static str) -> Self {
        HeaderText(Cow::Borrowed(s))
    }
}

impl From<String> for HeaderText {
    fn from(s: String) -> Self {
        HeaderText(Cow::Owned(s))
    }
}

impl From<Cow<'static, str>> for HeaderText {
    fn from(s: Cow<'static, str>) -> Self {
        HeaderText(s)
    }
}

impl HeaderText {
    /// The header value, with Django's rules ([`header_value`]); visible ASCII is used as is.
    fn into_value(self) -> Result<HeaderValue, BadHeaderError> {
        let plain = |s: &str| s.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b));
        match self.0 {
            Cow::Borrowed(s) if plain(s) => Ok(HeaderValue::from_static(s)),
            Cow::Owned(s) if plain(&s) => HeaderValue::from_maybe_shared(Bytes::from(s))
                .map_err(|_| BadHeaderError::new("invalid header value")),
            other => header_value(&other),
        }
    }
}

impl HttpResponse {
    /// A 200 response with `content` and the default content type.
    #[doc(alias = "HttpResponse")]
    pub fn new(content: impl Into<Bytes>) -> Self {
        let mut headers = HeaderMap::with_capacity(8);
        headers.insert(header::CONTENT_TYPE, DEFAULT_CONTENT_TYPE.clone());
        HttpResponse {
            status: StatusCode::OK,
            reason: None,
            headers,
            content: Content::Static(content.into()),
            charset: None,
            cookies: SimpleCookie::new(),
            closed: false,
            extensions: http::Extensions::new(),
            class: "HttpResponse",
            header_error: None,
        }
    }

    /// An empty 200 response (`HttpResponse()`).
    pub fn empty() -> Self {
        HttpResponse::new(Bytes::new())
    }

    /// A response encoding `text` with `charset` (Django's `HttpResponse(text, charset=…)`): the
    /// Content-Type becomes `text/html; charset=<charset>`.
    ///
    /// # Errors
    /// An unknown charset, or text that the charset cannot represent.
    pub fn with_text_charset(text: &str, charset: &str) -> Result<Self, crate::Error> {
        let cs = Charset::from_label(charset)
            .ok_or_else(|| crate::Error::msg(format!("unknown encoding: {charset}")))?;
        let bytes = cs
            .encode(text)
            .ok_or_else(|| {
                crate::Error::msg(format!("'{charset}' codec can't encode the content"))
            })?
            .into_owned();
        let mut r = HttpResponse::new(bytes);
        r.set_header_value(
            header::CONTENT_TYPE,
            HeaderValue::from_str(&format!("text/html; charset={charset}"))
                .map_err(crate::Error::from)?,
        );
        r.charset = Some(cs);
        Ok(r)
    }

    /// A streamed response (Django's `StreamingHttpResponse`): no `Content-Length` is set.
    #[doc(alias = "StreamingHttpResponse")]
    pub fn streaming(stream: BodyStream) -> Self {
        let mut r = HttpResponse::empty();
        r.content = Content::Stream(stream);
        r.class = "StreamingHttpResponse";
        r
    }

    // ===== status =====

    /// Sets the status (builder style).
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// The status code as a number, Django's `status_code`.
    pub fn status_code(&self) -> u16 {
        self.status.as_u16()
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Changes the status.
    pub fn set_status(&mut self, status: StatusCode) {
        self.status = status;
    }

    /// The reason phrase: the custom one if set, else Python's `http.client.responses` text, else
    /// `Unknown Status Code`.
    pub fn reason_phrase(&self) -> &str {
        match &self.reason {
            Some(r) => r,
            None => crate::http::reason::reason_phrase(self.status.as_u16()),
        }
    }

    /// Sets a custom reason phrase (sent on HTTP/1.1 status lines).
    pub fn set_reason_phrase(&mut self, reason: impl Into<Cow<'static, str>>) {
        self.reason = Some(reason.into());
    }

    /// Builder form of [`HttpResponse::set_reason_phrase`].
    pub fn with_reason_phrase(mut self, reason: impl Into<Cow<'static, str>>) -> Self {
        self.set_reason_phrase(reason);
        self
    }

    // ===== content type and charset =====

    /// Sets the Content-Type verbatim (`content_type="text/plain"` adds no charset, like Django).
    /// A value Django would refuse is handled as in [`HttpResponse::with_header`].
    ///
    /// # Examples
    /// ```
    /// let r = nuages::HttpResponse::new("a,b").with_content_type(format!("text/{}", "csv"));
    /// assert_eq!(r.header("content-type"), Some("text/csv"));
    /// ```
    pub fn with_content_type(mut self, content_type: impl Into<HeaderText>) -> Self {
        match content_type.into().into_value() {
            Ok(v) => self.set_header_value(header::CONTENT_TYPE, v),
            Err(e) => self.keep_header_error(e),
        }
        self.charset = None;
        self
    }

    /// The charset: from the Content-Type's `charset` parameter, else utf-8 (DEFAULT_CHARSET).
    pub fn charset(&self) -> Cow<'_, str> {
        if let Some(cs) = &self.charset {
            return Cow::Owned(cs.name().to_owned());
        }
        if let Some(ct) = self.header("content-type") {
            if let Some(cs) = charset_param(ct) {
                return Cow::Owned(cs);
            }
        }
        Cow::Borrowed("utf-8")
    }

    // ===== content =====

    /// Whether the content is a stream (`StreamingHttpResponse`, `FileResponse`).
    pub fn is_streaming(&self) -> bool {
        matches!(self.content, Content::Stream(_))
    }

    /// The content bytes (empty for a streaming response; see [`HttpResponse::is_streaming`]).
    pub fn content(&self) -> &[u8] {
        match &self.content {
            Content::Bytes(b) => b,
            Content::Static(b) => b,
            Content::Stream(_) => &[],
        }
    }

    /// The content decoded with the response's charset (lossy), Django's `response.text`.
    pub fn text(&self) -> Cow<'_, str> {
        let cs = Charset::from_label(&self.charset()).unwrap_or(Charset::UTF_8);
        cs.decode_lossy(self.content())
    }

    /// Replaces the content.
    ///
    /// # Errors
    /// Setting non-empty content on a 304 response, like Django.
    pub fn set_content(&mut self, content: impl Into<Bytes>) -> Result<(), crate::Error> {
        let content = content.into();
        if self.status == StatusCode::NOT_MODIFIED && !content.is_empty() {
            return Err(crate::Error::msg(
                "You cannot set content to a 304 (Not Modified) response",
            ));
        }
        self.content = Content::Static(content);
        Ok(())
    }

    /// Replaces the content with a stream.
    pub fn set_streaming_content(&mut self, stream: BodyStream) {
        self.content = Content::Stream(stream);
    }

    /// Takes the stream out of a streaming response (for middleware that wrap it, like GZip).
    pub fn take_stream(&mut self) -> Option<BodyStream> {
        match std::mem::replace(&mut self.content, Content::Static(Bytes::new())) {
            Content::Stream(s) => Some(s),
            other => {
                self.content = other;
                None
            }
        }
    }

    fn bytes_mut(&mut self) -> Option<&mut BytesMut> {
        if let Content::Static(b) = &self.content {
            self.content = Content::Bytes(BytesMut::from(&b[..]));
        }
        match &mut self.content {
            Content::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// Appends to the content (Django's `write`); ignored on a streaming response, where Django
    /// raises `OSError` — see [`HttpResponse::writable`].
    pub fn write(&mut self, data: impl AsRef<[u8]>) {
        if let Some(b) = self.bytes_mut() {
            b.extend_from_slice(data.as_ref());
        }
    }

    /// Appends each item (Django's `writelines`).
    pub fn writelines<I, D>(&mut self, lines: I)
    where
        I: IntoIterator<Item = D>,
        D: AsRef<[u8]>,
    {
        for l in lines {
            self.write(l);
        }
    }

    /// The content length so far (Django's `tell`).
    pub fn tell(&self) -> usize {
        self.content().len()
    }

    /// The content (Django's `getvalue`).
    pub fn getvalue(&self) -> &[u8] {
        self.content()
    }

    /// No-op, like Django's `flush`.
    pub fn flush(&mut self) {}

    /// Always `false`, like Django.
    pub fn readable(&self) -> bool {
        false
    }

    /// Always `false`, like Django.
    pub fn seekable(&self) -> bool {
        false
    }

    /// `true` unless streaming.
    pub fn writable(&self) -> bool {
        !self.is_streaming()
    }

    /// Closes the response (drops a stream).
    pub fn close(&mut self) {
        if self.is_streaming() {
            self.content = Content::Static(Bytes::new());
        }
        self.closed = true;
    }

    /// Whether [`HttpResponse::close`] was called.
    pub fn closed(&self) -> bool {
        self.closed
    }

    // ===== headers =====

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The headers, mutable (typed names and values; Django's rules are applied by
    /// [`HttpResponse::set_header`]).
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        &mut self.headers
    }

    /// A header value as text (case-insensitive name; `None` if absent or not visible ASCII).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Whether a header is present (`has_header`, case-insensitive).
    pub fn has_header(&self, name: &str) -> bool {
        self.headers.contains_key(name)
    }

    /// Sets a typed header, replacing any previous value.
    pub fn set_header_value(&mut self, name: HeaderName, value: HeaderValue) {
        self.headers.insert(name, value);
    }

    /// Builder form of [`HttpResponse::set_header_value`].
    pub fn with_header_value(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.set_header_value(name, value);
        self
    }

    /// Sets a header in a builder chain (`response["Name"] = value`), with Django's rules (see
    /// [`HttpResponse::set_header`]). A name or value Django would refuse is not written: the
    /// response keeps the [`BadHeaderError`] ([`HttpResponse::header_error`]) and the framework
    /// answers it like an error raised by the view — a 500 — so nothing invalid reaches the
    /// client. Use [`HttpResponse::set_header`] to handle the error yourself.
    ///
    /// # Examples
    /// ```
    /// use nuages::HttpResponse;
    /// let r = HttpResponse::new("id,name\n1,a\n")
    ///     .with_content_type("text/csv")
    ///     .with_header("Content-Disposition", format!("attachment; filename=\"{}.csv\"", "users"));
    /// assert_eq!(r.header("content-disposition"), Some("attachment; filename=\"users.csv\""));
    /// assert!(r.header_error().is_none());
    ///
    /// let bad = HttpResponse::new("").with_header("X-Bad", "a\nb");
    /// assert!(bad.header("x-bad").is_none());
    /// assert_eq!(
    ///     bad.header_error().unwrap().to_string(),
    ///     "Header values can't contain newlines (got 'a\\nb')"
    /// );
    /// ```
    pub fn with_header(mut self, name: impl AsRef<str>, value: impl Into<HeaderText>) -> Self {
        let result = header_name(name.as_ref()).and_then(|n| Ok((n, value.into().into_value()?)));
        match result {
            Ok((name, value)) => self.set_header_value(name, value),
            Err(e) => self.keep_header_error(e),
        }
        self
    }

    fn keep_header_error(&mut self, error: BadHeaderError) {
        if self.header_error.is_none() {
            self.header_error = Some(Box::new(error));
        }
    }

    /// The first header a builder method ([`HttpResponse::with_header`],
    /// [`HttpResponse::with_content_type`]) refused, if any.
    pub fn header_error(&self) -> Option<&BadHeaderError> {
        self.header_error.as_deref()
    }

    /// Takes the refused header's error out (the framework turns it into a 500).
    pub(crate) fn take_header_error(&mut self) -> Option<BadHeaderError> {
        self.header_error.take().map(|e| *e)
    }

    /// Deletes a header; no error if missing (`del response[name]`).
    #[doc(alias = "__delitem__")]
    pub fn delete_header(&mut self, name: &str) {
        self.headers.remove(name);
    }

    /// Sets a header unless present (`setdefault`).
    ///
    /// # Errors
    /// As [`HttpResponse::set_header`].
    pub fn setdefault(&mut self, name: &str, value: &str) -> Result<(), BadHeaderError> {
        if !self.has_header(name) {
            self.set_header(name, value)?;
        }
        Ok(())
    }

    // ===== cookies =====

    /// The cookies to set (Django's `response.cookies`), one `Set-Cookie` header each.
    pub fn cookies(&self) -> &SimpleCookie {
        &self.cookies
    }

    /// Mutable [`HttpResponse::cookies`].
    pub fn cookies_mut(&mut self) -> &mut SimpleCookie {
        &mut self.cookies
    }

    // ===== extensions =====

    /// Typed data attached to the response (markers for middleware, e.g. `xframe_options_exempt`).
    pub fn extensions(&self) -> &http::Extensions {
        &self.extensions
    }

    /// Mutable [`HttpResponse::extensions`].
    pub fn extensions_mut(&mut self) -> &mut http::Extensions {
        &mut self.extensions
    }

    // ===== status shortcuts =====

    /// 304 with no content and no Content-Type (`HttpResponseNotModified`).
    #[doc(alias = "HttpResponseNotModified")]
    pub fn not_modified() -> Self {
        let mut r = HttpResponse::empty().with_status(StatusCode::NOT_MODIFIED);
        r.headers.remove(header::CONTENT_TYPE);
        r.class = "HttpResponseNotModified";
        r
    }

    /// 400 (`HttpResponseBadRequest`).
    #[doc(alias = "HttpResponseBadRequest")]
    pub fn bad_request(content: impl Into<Bytes>) -> Self {
        HttpResponse::new(content)
            .with_status(StatusCode::BAD_REQUEST)
            .with_class("HttpResponseBadRequest")
    }

    /// 403 (`HttpResponseForbidden`).
    #[doc(alias = "HttpResponseForbidden")]
    pub fn forbidden(content: impl Into<Bytes>) -> Self {
        HttpResponse::new(content)
            .with_status(StatusCode::FORBIDDEN)
            .with_class("HttpResponseForbidden")
    }

    /// 404 (`HttpResponseNotFound`).
    #[doc(alias = "HttpResponseNotFound")]
    pub fn not_found(content: impl Into<Bytes>) -> Self {
        HttpResponse::new(content)
            .with_status(StatusCode::NOT_FOUND)
            .with_class("HttpResponseNotFound")
    }

    /// 405 with `Allow` listing `permitted_methods` joined by `, ` (`HttpResponseNotAllowed`).
    ///
    /// # Examples
    /// ```
    /// use http::Method;
    /// let r = nuages::HttpResponse::not_allowed(&[Method::GET, Method::HEAD]);
    /// assert_eq!(r.status_code(), 405);
    /// assert_eq!(r.header("allow"), Some("GET, HEAD"));
    /// ```
    #[doc(alias = "HttpResponseNotAllowed")]
    pub fn not_allowed(permitted_methods: &[Method]) -> Self {
        let allow = permitted_methods
            .iter()
            .map(Method::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        let mut r = HttpResponse::empty()
            .with_status(StatusCode::METHOD_NOT_ALLOWED)
            .with_class("HttpResponseNotAllowed");
        if let Ok(v) = HeaderValue::from_str(&allow) {
            r.headers.insert(header::ALLOW, v);
        }
        r
    }

    /// Sets the Django class name shown by `Debug`.
    pub(crate) fn with_class(mut self, class: &'static str) -> Self {
        self.class = class;
        self
    }

    /// 410 (`HttpResponseGone`).
    #[doc(alias = "HttpResponseGone")]
    pub fn gone(content: impl Into<Bytes>) -> Self {
        HttpResponse::new(content)
            .with_status(StatusCode::GONE)
            .with_class("HttpResponseGone")
    }

    /// 500 (`HttpResponseServerError`).
    #[doc(alias = "HttpResponseServerError")]
    pub fn server_error(content: impl Into<Bytes>) -> Self {
        HttpResponse::new(content)
            .with_status(StatusCode::INTERNAL_SERVER_ERROR)
            .with_class("HttpResponseServerError")
    }

    // ===== conversion =====

    /// Converts into an `http::Response` for hyper: one `Set-Cookie` header per cookie, the custom
    /// reason phrase as hyper's `ReasonPhrase` extension. A response still carrying a refused
    /// header ([`HttpResponse::header_error`]) becomes Django's plain 500 page: it is never
    /// sent without the header it was meant to have.
    pub fn into_http(mut self) -> http::Response<ResponseBody> {
        if let Some(error) = self.take_header_error() {
            tracing::error!(target: "nuages::request", "Internal Server Error: {error}");
            self = HttpResponse::server_error(SERVER_ERROR_PAGE);
        }
        let HttpResponse {
            status,
            reason,
            mut headers,
            content,
            cookies,
            extensions,
            ..
        } = self;
        for morsel in cookies.iter() {
            if let Ok(v) = HeaderValue::from_maybe_shared(Bytes::from(morsel.header_value())) {
                headers.append(header::SET_COOKIE, v);
            }
        }
        let body = match content {
            Content::Bytes(b) => ResponseBody::full(b.freeze()),
            Content::Static(b) => ResponseBody::full(b),
            Content::Stream(s) => ResponseBody::stream(s),
        };
        let mut resp = http::Response::new(body);
        *resp.status_mut() = status;
        *resp.headers_mut() = headers;
        *resp.extensions_mut() = extensions;
        if let Some(r) = reason {
            if let Ok(rp) = hyper::ext::ReasonPhrase::try_from(r.as_bytes().to_vec()) {
                resp.extensions_mut().insert(rp);
            }
        }
        resp
    }
}

impl HttpResponse {
    /// Builds a response from an `http::Response` (for tower interoperability). A body whose size
    /// is known keeps its `Content-Length`.
    pub fn from_http<B>(resp: http::Response<B>) -> HttpResponse
    where
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<crate::http::body::BoxError>,
    {
        let (parts, body) = resp.into_parts();
        let exact = http_body::Body::size_hint(&body).exact();
        let boxed: Box<dyn std::any::Any> = Box::new(body);
        let content = match boxed.downcast::<ResponseBody>() {
            Ok(b) => match b.into_bytes_or_stream() {
                Ok(bytes) => Content::Static(bytes),
                Err(stream) => Content::Stream(stream),
            },
            Err(other) => {
                let body = *other
                    .downcast::<B>()
                    .unwrap_or_else(|_| unreachable!("the body is a B"));
                use http_body_util::BodyExt;
                let stream = futures_util::StreamExt::map(body.into_data_stream(), |r| {
                    r.map_err(|e| std::io::Error::other(e.into()))
                });
                Content::Stream(Box::pin(stream))
            }
        };
        let mut headers = parts.headers;
        if let (Content::Stream(_), Some(n)) = (&content, exact) {
            if !headers.contains_key(header::CONTENT_LENGTH) {
                headers.insert(header::CONTENT_LENGTH, HeaderValue::from(n));
            }
        }
        HttpResponse {
            status: parts.status,
            reason: None,
            headers,
            content,
            charset: None,
            cookies: SimpleCookie::new(),
            closed: false,
            extensions: parts.extensions,
            class: "HttpResponse",
            header_error: None,
        }
    }
}

impl fmt::Debug for HttpResponse {
    /// Django's repr: `<HttpResponse status_code=200, "text/html; charset=utf-8">`, with the
    /// class the response was built as (`HttpResponseNotFound`, `JsonResponse`, …), the `url`
    /// of redirects and the methods of `HttpResponseNotAllowed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let class = if self.class == "HttpResponse" && self.is_streaming() {
            "StreamingHttpResponse"
        } else {
            self.class
        };
        let header = |name: header::HeaderName| {
            self.headers
                .get(name)
                .map(|v| crate::http::latin1(v.as_bytes()))
        };
        let content_type = match header(header::CONTENT_TYPE) {
            Some(ct) => format!(", \"{ct}\""),
            None => String::new(),
        };
        let status = self.status.as_u16();
        match class {
            "HttpResponseRedirect" | "HttpResponsePermanentRedirect" => write!(
                f,
                "<{class} status_code={status}{content_type}, url=\"{}\">",
                header(header::LOCATION).unwrap_or_default()
            ),
            "HttpResponseNotAllowed" => write!(
                f,
                "<{class} [{}] status_code={status}{content_type}>",
                header(header::ALLOW).unwrap_or_default()
            ),
            _ => write!(f, "<{class} status_code={status}{content_type}>"),
        }
    }
}

impl Default for HttpResponse {
    fn default() -> Self {
        HttpResponse::empty()
    }
}

fn charset_param(content_type: &str) -> Option<String> {
    // Django: re.compile(r";\s*charset=(?P<charset>[^\s;]+)", re.I)
    let lower = content_type.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(';') {
        let rest = &content_type[from + pos + 1..];
        let trimmed = rest.trim_start();
        if trimmed.len() >= 8 && trimmed[..8].eq_ignore_ascii_case("charset=") {
            let v: String = trimmed[8..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != ';')
                .collect();
            if !v.is_empty() {
                return Some(v.trim_matches('"').to_owned());
            }
        }
        from += pos + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_sniffing() {
        assert_eq!(
            charset_param("text/plain; charset=latin-1").as_deref(),
            Some("latin-1")
        );
        assert_eq!(
            charset_param("text/plain; charset=\"UTF-16\"").as_deref(),
            Some("UTF-16")
        );
        assert_eq!(charset_param("text/plain"), None);
        let r = HttpResponse::new("x").with_content_type("text/plain");
        assert_eq!(r.charset(), "utf-8");
    }

    #[test]
    fn write_and_tell() {
        let mut r = HttpResponse::new("abc");
        r.write("def");
        r.write(b"ghi");
        assert_eq!(r.content(), b"abcdefghi");
        assert_eq!(r.tell(), 9);
        assert!(r.writable());
        assert!(!r.seekable());
        assert!(!r.readable());
        r.close();
        assert!(r.closed());
    }

    #[test]
    fn not_modified_has_no_content_type_and_refuses_content() {
        let mut r = HttpResponse::not_modified();
        assert_eq!(r.status_code(), 304);
        assert!(!r.has_header("Content-Type"));
        assert!(r.set_content("x").is_err());
        assert!(r.set_content("").is_ok());
    }

    #[test]
    fn repr() {
        assert_eq!(
            format!("{:?}", HttpResponse::empty()),
            "<HttpResponse status_code=200, \"text/html; charset=utf-8\">"
        );
        assert_eq!(
            format!("{:?}", HttpResponse::redirect("/next/").unwrap()),
            "<HttpResponseRedirect status_code=302, \"text/html; charset=utf-8\", url=\"/next/\">"
        );
        assert_eq!(
            format!("{:?}", HttpResponse::not_modified()),
            "<HttpResponseNotModified status_code=304>"
        );
        assert_eq!(
            format!("{:?}", HttpResponse::not_allowed(&[Method::GET])),
            "<HttpResponseNotAllowed [GET] status_code=405, \"text/html; charset=utf-8\">"
        );
    }

    #[test]
    fn shortcuts() {
        assert_eq!(HttpResponse::bad_request("").status_code(), 400);
        assert_eq!(HttpResponse::forbidden("").status_code(), 403);
        assert_eq!(HttpResponse::not_found("").status_code(), 404);
        assert_eq!(HttpResponse::gone("").status_code(), 410);
        assert_eq!(HttpResponse::server_error("").status_code(), 500);
        let r = HttpResponse::not_allowed(&[Method::GET, Method::from_bytes(b"post").unwrap()]);
        assert_eq!(r.header("allow"), Some("GET, post"));
    }

    #[test]
    fn reason() {
        let r = HttpResponse::empty().with_status(StatusCode::IM_A_TEAPOT);
        assert_eq!(r.reason_phrase(), "I'm a Teapot");
        let r = r.with_reason_phrase("Custom Reason");
        assert_eq!(r.reason_phrase(), "Custom Reason");
    }
}

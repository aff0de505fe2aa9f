//! The equivalent of `django/http/response.py`: [`HttpResponse`] and its shortcuts.
//!
//! Django has one class per status (`HttpResponseRedirect`, `HttpResponseNotFound`, …); nuages
//! has one type with a constructor per class, each carrying the Django name as a doc alias
//! (search the docs for `HttpResponseRedirect`).

mod content;
mod cookies;
mod file;
mod header_case;
mod header_room;
mod headers;
mod json;
mod redirect;
mod streaming;

use std::borrow::Cow;
use std::fmt;

use bytes::{Bytes, BytesMut};
use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Method, StatusCode};

pub use self::content::{Content, ResponseError, StreamingError, StreamingErrorKind};
pub use self::file::{guess_type, FileResponse};
pub use self::headers::BadHeaderError;
pub use self::headers::{header_name, header_value};
pub use self::json::{JsonResponse, JsonResponseError};
use crate::http::body::{BodyStream, FinishGuard, ResponseBody};
use crate::http::cookie::SimpleCookie;
use crate::http::reason::InvalidStatus;
use nuages_py::codecs::Charset;

static DEFAULT_CONTENT_TYPE: HeaderValue = HeaderValue::from_static("text/html; charset=utf-8");

/// Django's default `handler500` page (`views.defaults.server_error` without a template).
pub(crate) const SERVER_ERROR_PAGE: &str = "\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Server Error (500)</title>\n</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n";

/// The content of a response: complete bytes, or a stream.
enum Body {
    Bytes(BytesMut),
    Static(Bytes),
    Stream(BodyStream),
}

/// Where the Content-Type header came from (Django's `content_type=` and `headers=` arguments
/// are exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ContentTypeOrigin {
    /// The default `text/html; charset=<charset>`.
    Default,
    /// `content_type=` ([`HttpResponse::with_content_type`]).
    Argument,
    /// `headers=` ([`HttpResponse::with_headers`]).
    Headers,
}

/// The parts of a response's content that came from text, encoded with `charset`.
struct TextParts {
    charset: Charset,
    spans: Spans,
}

enum Spans {
    /// The whole content.
    All,
    /// These byte ranges, in order.
    Ranges(Vec<std::ops::Range<usize>>),
}

impl Spans {
    fn one(range: std::ops::Range<usize>) -> Spans {
        let mut ranges = Vec::with_capacity(4);
        ranges.push(range);
        Spans::Ranges(ranges)
    }
}

impl TextParts {
    fn all(charset: Charset) -> Option<TextParts> {
        Some(TextParts {
            charset,
            spans: Spans::All,
        })
    }
}

/// An HTTP response, Django's `HttpResponse` (and `StreamingHttpResponse`, `FileResponse`, which
/// are responses whose content is a stream).
///
/// The default content type is `text/html; charset=utf-8` (`DEFAULT_CHARSET`). Text content
/// ([`Content::Text`]) is encoded with the response's charset — the one given to
/// [`HttpResponse::with_charset`], else the one named by the Content-Type, else
/// `DEFAULT_CHARSET` — like Django's constructor; bytes are used as they are.
///
/// Builder methods (`with_*`) never fail: what Django's constructor would raise (a bad header,
/// a status outside 100–599, text the charset cannot encode) is kept as the response's
/// [`HttpResponse::build_error`], and the framework answers such a response with a 500, as it
/// answers an error raised by the view. The `set_*` methods return the error instead.
///
/// # Examples
/// ```
/// use nuages::HttpResponse;
/// let mut resp = HttpResponse::new("Hello there!").with_content_type("text/plain");
/// resp.write(" And more.").unwrap();
/// assert_eq!(resp.content().unwrap(), b"Hello there! And more.");
/// assert_eq!(resp.header("content-type").as_deref(), Some("text/plain"));
/// assert_eq!(resp.status_code(), 200);
///
/// // content_type="text/plain; charset=latin-1": the text is encoded with latin-1.
/// let r = HttpResponse::new("é").with_content_type("text/plain; charset=latin-1");
/// assert_eq!(r.content().unwrap(), b"\xe9");
/// ```
pub struct HttpResponse {
    /// Boxed: a response moves through every layer of the chain, by value, as 8 bytes.
    inner: Box<ResponseInner>,
}

/// The state of an [`HttpResponse`].
struct ResponseInner {
    status: StatusCode,
    reason: Option<Cow<'static, str>>,
    headers: HeaderMap,
    /// Django's order and spelling of the header names, once they differ from `headers`'s.
    order: Option<header_case::HeaderOrder>,
    content: Body,
    /// `charset=`: the charset given explicitly.
    charset: Option<Charset>,
    /// Which parts of the content are text, and the charset they are encoded in (so a later
    /// charset can encode them again, as Django's constructor would have encoded them).
    text: Option<TextParts>,
    /// The charset the text chunks of a streaming response are encoded with, kept up to date by
    /// the builder (Django's `make_bytes` reads `self.inner.charset` as each chunk is sent).
    stream_charset: Option<StreamCharset>,
    /// `DEFAULT_CHARSET` when it is not utf-8 (set by the handler from the settings).
    default_charset: Option<Box<str>>,
    content_type_origin: ContentTypeOrigin,
    cookies: SimpleCookie,
    closed: bool,
    extensions: http::Extensions,
    /// The Django class this response stands for (`HttpResponseRedirect`, …), for its repr.
    class: &'static str,
    /// What a builder method could not do (see [`HttpResponse::build_error`]).
    error: Option<Box<ResponseError>>,
    /// The application's `request_finished` callbacks, run when the body is dropped.
    finished: Option<FinishGuard>,
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
            // ASCII that `HeaderValue` accepts (no control character but tab) is visible
            // ASCII: one check of each byte, by `HeaderValue` itself.
            Cow::Borrowed(s) if s.is_ascii() => {
                HeaderValue::from_maybe_shared(Bytes::from_static(s.as_bytes()))
                    .or_else(|_| header_value(s))
            }
            Cow::Owned(s) if plain(&s) => HeaderValue::from_maybe_shared(Bytes::from(s))
                .map_err(|_| BadHeaderError::new("invalid header value")),
            other => header_value(&other),
        }
    }
}

impl HttpResponse {
    /// A 200 response with `content` and the default content type. Text is encoded with the
    /// response's charset (utf-8 unless [`HttpResponse::with_charset`],
    /// [`HttpResponse::with_content_type`] or `DEFAULT_CHARSET` say otherwise).
    ///
    /// # Examples
    /// ```
    /// use nuages::HttpResponse;
    /// assert_eq!(HttpResponse::new("café").content().unwrap(), "café".as_bytes());
    /// assert_eq!(HttpResponse::new(&b"\xff"[..]).content().unwrap(), b"\xff");
    /// assert_eq!(HttpResponse::new(12345).content().unwrap(), b"12345");
    /// ```
    #[doc(alias = "HttpResponse")]
    pub fn new(content: impl Into<Content>) -> Self {
        HttpResponse::with_content_and_type(content.into(), DEFAULT_CONTENT_TYPE.clone())
    }

    /// A 200 response with bytes `content` and a Content-Type set by nuages (as
    /// [`HttpResponse::set_header_value`] would set it on a new response), without inserting
    /// the default one first.
    pub(crate) fn with_bytes_and_type(content: Bytes, content_type: HeaderValue) -> Self {
        HttpResponse::with_content_and_type(Content::Bytes(content), content_type)
    }

    fn with_content_and_type(content: Content, content_type: HeaderValue) -> Self {
        let mut headers = header_room::new_map();
        headers.insert(header::CONTENT_TYPE, content_type);
        let (content, text) = match content {
            Content::Text(Cow::Borrowed(s)) => {
                (Body::Static(Bytes::from_static(s.as_bytes())), true)
            }
            Content::Text(Cow::Owned(s)) => (Body::Static(Bytes::from(s)), true),
            Content::Bytes(b) => (Body::Static(b), false),
        };
        HttpResponse {
            inner: Box::new(ResponseInner {
                status: StatusCode::OK,
                reason: None,
                headers,
                order: None,
                content,
                charset: None,
                text: if text {
                    TextParts::all(Charset::UTF_8)
                } else {
                    None
                },
                stream_charset: None,
                default_charset: None,
                content_type_origin: ContentTypeOrigin::Default,
                cookies: SimpleCookie::new(),
                closed: false,
                extensions: http::Extensions::new(),
                class: "HttpResponse",
                error: None,
                finished: None,
            }),
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
        let mut r = HttpResponse::new(text.to_owned()).with_charset(charset);
        match r.inner.error.take() {
            Some(e) => Err((*e).into()),
            None => Ok(r),
        }
    }

    /// `charset=`: the charset text content is encoded with. While the Content-Type is the
    /// default, it becomes `text/html; charset=<charset>`; an explicit Content-Type is kept, as
    /// in Django (`content_type="text/plain", charset="latin-1"` sends `text/plain` with a
    /// latin-1 body).
    ///
    /// # Examples
    /// ```
    /// let r = nuages::HttpResponse::new("é").with_charset("latin-1");
    /// assert_eq!(r.header("content-type").as_deref(), Some("text/html; charset=latin-1"));
    /// assert_eq!(r.content().unwrap(), b"\xe9");
    /// assert!(nuages::HttpResponse::new("☃").with_charset("latin-1").build_error().is_some());
    /// ```
    pub fn with_charset(mut self, charset: &str) -> Self {
        let Some(cs) = Charset::from_label(charset) else {
            self.keep_error(ResponseError::Encode(format!(
                "unknown encoding: {charset}"
            )));
            return self;
        };
        if self.inner.content_type_origin == ContentTypeOrigin::Default {
            match HeaderValue::from_str(&format!("text/html; charset={charset}")) {
                Ok(v) => {
                    self.inner.headers.insert(header::CONTENT_TYPE, v);
                }
                Err(_) => {
                    self.keep_error(BadHeaderError::new("invalid charset").into());
                    return self;
                }
            }
        }
        self.inner.charset = Some(cs);
        self.reencode();
        self
    }

    /// A streamed response (Django's `StreamingHttpResponse`): no `Content-Length` is set.
    #[doc(alias = "StreamingHttpResponse")]
    pub fn streaming(stream: BodyStream) -> Self {
        let mut r = HttpResponse::empty();
        r.inner.content = Body::Stream(stream);
        r.inner.class = "StreamingHttpResponse";
        r
    }

    // ===== status =====

    /// Sets the status (builder style). A status outside 100–599 is refused as Django's
    /// constructor refuses it: the response keeps its status and the
    /// [`HttpResponse::build_error`].
    ///
    /// # Examples
    /// ```
    /// use http::StatusCode;
    /// let r = nuages::HttpResponse::empty().with_status(StatusCode::from_u16(600).unwrap());
    /// assert_eq!(
    ///     r.build_error().unwrap().to_string(),
    ///     "HTTP status code must be an integer from 100 to 599."
    /// );
    /// ```
    pub fn with_status(mut self, status: StatusCode) -> Self {
        if let Err(e) = self.set_status(status) {
            self.keep_error(e.into());
        }
        self
    }

    /// The status code as a number, Django's `status_code`.
    pub fn status_code(&self) -> u16 {
        self.inner.status.as_u16()
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// Changes the status (`response.status_code = …`).
    ///
    /// # Errors
    /// A status outside 100–599 (`http::StatusCode` allows up to 999), which Django refuses;
    /// the status is then unchanged.
    pub fn set_status(&mut self, status: StatusCode) -> Result<(), InvalidStatus> {
        if status.as_u16() > 599 {
            return Err(InvalidStatus::OutOfRange);
        }
        self.inner.status = status;
        Ok(())
    }

    /// The reason phrase: the custom one if set, else Python's `http.client.responses` text, else
    /// `Unknown Status Code`.
    pub fn reason_phrase(&self) -> &str {
        match &self.inner.reason {
            Some(r) => r,
            None => crate::http::reason::reason_phrase(self.inner.status.as_u16()),
        }
    }

    /// Sets a custom reason phrase (sent on HTTP/1.1 status lines).
    pub fn set_reason_phrase(&mut self, reason: impl Into<Cow<'static, str>>) {
        self.inner.reason = Some(reason.into());
    }

    /// Builder form of [`HttpResponse::set_reason_phrase`].
    pub fn with_reason_phrase(mut self, reason: impl Into<Cow<'static, str>>) -> Self {
        self.set_reason_phrase(reason);
        self
    }

    // ===== content type and charset =====

    /// `content_type=`: sets the Content-Type verbatim (`text/plain` adds no charset, like
    /// Django); text content is encoded with the charset it names, if any. A value Django would
    /// refuse is handled as in [`HttpResponse::with_header`]; combined with a Content-Type given
    /// to [`HttpResponse::with_headers`] it is Django's `ValueError`
    /// ([`ResponseError::ContentTypeConflict`]).
    ///
    /// # Examples
    /// ```
    /// let r = nuages::HttpResponse::new("a,b").with_content_type(format!("text/{}", "csv"));
    /// assert_eq!(r.header("content-type").as_deref(), Some("text/csv"));
    /// ```
    pub fn with_content_type(mut self, content_type: impl Into<HeaderText>) -> Self {
        if self.inner.content_type_origin == ContentTypeOrigin::Headers {
            self.keep_error(ResponseError::ContentTypeConflict);
            return self;
        }
        let keeps_utf8 = match content_type.into().into_value() {
            Ok(v) => {
                let no_params = !v.as_bytes().contains(&b';');
                self.set_header_value(header::CONTENT_TYPE, v);
                no_params
            }
            Err(e) => {
                self.keep_error(e.into());
                false
            }
        };
        self.inner.content_type_origin = ContentTypeOrigin::Argument;
        // A type without parameters names no charset: text already in utf-8 (the usual case)
        // stays as it is, unless a charset or DEFAULT_CHARSET says otherwise.
        let utf8_text = self.inner.stream_charset.is_none()
            && self
                .inner
                .text
                .as_ref()
                .is_none_or(|t| t.charset == Charset::UTF_8);
        if !(keeps_utf8
            && utf8_text
            && self.inner.charset.is_none()
            && self.inner.default_charset.is_none())
        {
            self.reencode();
        }
        self
    }

    /// `headers=`: sets each header with Django's rules (as [`HttpResponse::with_header`]). A
    /// Content-Type among them replaces the default one; combined with
    /// [`HttpResponse::with_content_type`] it is Django's `ValueError`.
    ///
    /// # Examples
    /// ```
    /// use nuages::HttpResponse;
    /// let r = HttpResponse::new("a,b").with_headers([("content-type", "text/csv"), ("X-A", "1")]);
    /// assert_eq!(r.header("content-type").as_deref(), Some("text/csv"));
    /// assert_eq!(r.header("x-a").as_deref(), Some("1"));
    ///
    /// let conflict = HttpResponse::new("")
    ///     .with_content_type("text/plain")
    ///     .with_headers([("Content-Type", "text/csv")]);
    /// assert_eq!(
    ///     conflict.build_error().unwrap().to_string(),
    ///     "'headers' must not contain 'Content-Type' when the 'content_type' parameter is provided."
    /// );
    /// ```
    pub fn with_headers<I, K, V>(mut self, headers: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: Into<HeaderText>,
    {
        // Django sets `headers=` first and then its Content-Type, unless one was given: the
        // Content-Type set so far comes after these headers.
        let content_type_after = self.inner.content_type_origin != ContentTypeOrigin::Headers
            && self.inner.headers.contains_key(header::CONTENT_TYPE);
        if content_type_after {
            self.inner
                .order
                .get_or_insert_with(|| header_case::HeaderOrder::of(&self.inner.headers))
                .remove(&header::CONTENT_TYPE);
        }
        for (name, value) in headers {
            let is_content_type = name.as_ref().eq_ignore_ascii_case("content-type");
            if is_content_type && self.inner.content_type_origin == ContentTypeOrigin::Argument {
                self.keep_error(ResponseError::ContentTypeConflict);
                continue;
            }
            self = self.with_header(name, value);
            if is_content_type {
                self.inner.content_type_origin = ContentTypeOrigin::Headers;
                self.reencode();
            }
        }
        if let Some(order) = &mut self.inner.order {
            if content_type_after && !order.contains(&header::CONTENT_TYPE) {
                order.set(&header::CONTENT_TYPE, None, false);
            }
        }
        self
    }

    /// The charset: the one given to [`HttpResponse::with_charset`], else the Content-Type's
    /// `charset` parameter (quotes stripped), else `DEFAULT_CHARSET` (utf-8).
    pub fn charset(&self) -> Cow<'_, str> {
        if let Some(cs) = &self.inner.charset {
            return Cow::Borrowed(cs.name());
        }
        // Without a `;` there is no parameter to read.
        if let Some(ct) = self
            .inner
            .headers
            .get(header::CONTENT_TYPE)
            .filter(|ct| ct.as_bytes().contains(&b';'))
        {
            match crate::http::latin1(ct.as_bytes()) {
                Cow::Borrowed(ct) => {
                    if let Some(cs) = charset_param(ct) {
                        return Cow::Borrowed(cs);
                    }
                }
                Cow::Owned(ct) => {
                    if let Some(cs) = charset_param(&ct) {
                        return Cow::Owned(cs.to_owned());
                    }
                }
            }
        }
        Cow::Borrowed(self.inner.default_charset.as_deref().unwrap_or("utf-8"))
    }

    /// The codec text content is encoded with now.
    fn encoder(&self) -> Result<Charset, ResponseError> {
        if let Some(cs) = &self.inner.charset {
            return Ok(cs.clone());
        }
        if self.inner.content_type_origin == ContentTypeOrigin::Default
            && self.inner.default_charset.is_none()
        {
            return Ok(Charset::UTF_8);
        }
        let label = self.charset();
        Charset::from_label(&label)
            .ok_or_else(|| ResponseError::Encode(format!("unknown encoding: {label}")))
    }

    /// Text content encoded with one charset is encoded again with the response's charset now
    /// (the builder equivalent of Django encoding at construction with its arguments).
    fn reencode(&mut self) {
        if let Some(cell) = &self.inner.stream_charset {
            match self.encoder() {
                Ok(cs) => cell.set(cs),
                Err(e) => return self.keep_error(e),
            }
        }
        let Some(parts) = &self.inner.text else {
            return;
        };
        let new = match self.encoder() {
            Ok(cs) => cs,
            Err(e) => return self.keep_error(e),
        };
        if new == parts.charset {
            return;
        }
        let bytes = match &self.inner.content {
            Body::Bytes(b) => &b[..],
            Body::Static(b) => &b[..],
            Body::Stream(_) => return,
        };
        let whole = 0..bytes.len();
        let spans = match &parts.spans {
            Spans::All => std::slice::from_ref(&whole),
            Spans::Ranges(r) => &r[..],
        };
        let mut out = BytesMut::with_capacity(bytes.len());
        let mut new_spans = Vec::with_capacity(spans.len());
        let mut at = 0;
        for span in spans {
            out.extend_from_slice(&bytes[at..span.start]);
            let Some(text) = parts.charset.decode_strict(&bytes[span.clone()]) else {
                return;
            };
            match new.encode_strict(&text) {
                Ok(encoded) => {
                    let start = out.len();
                    out.extend_from_slice(&encoded);
                    new_spans.push(start..out.len());
                }
                Err(e) => return self.keep_error(ResponseError::Encode(e.to_string())),
            }
            at = span.end;
        }
        out.extend_from_slice(&bytes[at..]);
        let spans = match parts.spans {
            Spans::All => Spans::All,
            Spans::Ranges(_) => Spans::Ranges(new_spans),
        };
        self.inner.content = Body::Static(out.freeze());
        self.inner.text = Some(TextParts {
            charset: new,
            spans,
        });
    }

    /// `DEFAULT_CHARSET` from the settings, applied by the handler to what a view returned
    /// when it is not utf-8 (the handler skips the call for utf-8): the default Content-Type names it and text content is encoded
    /// with it, as Django's constructor does.
    pub(crate) fn use_default_charset(&mut self, label: &str) {
        self.inner.default_charset = Some(label.into());
        if self.inner.content_type_origin == ContentTypeOrigin::Default
            && self.inner.charset.is_none()
            && self.inner.headers.get(header::CONTENT_TYPE) == Some(&DEFAULT_CONTENT_TYPE)
        {
            match HeaderValue::from_str(&format!("text/html; charset={label}")) {
                Ok(v) => {
                    self.inner.headers.insert(header::CONTENT_TYPE, v);
                }
                Err(_) => {
                    return self.keep_error(BadHeaderError::new("invalid DEFAULT_CHARSET").into())
                }
            }
        }
        self.reencode();
    }

    // ===== content =====

    /// Whether the content is a stream (`StreamingHttpResponse`, `FileResponse`).
    pub fn is_streaming(&self) -> bool {
        matches!(self.inner.content, Body::Stream(_))
    }

    /// The content bytes (Django's `response.content`).
    ///
    /// # Errors
    /// A streaming response has no `content` (Django's `AttributeError`); read it with
    /// [`HttpResponse::take_stream`] or [`HttpResponse::getvalue`].
    pub fn content(&self) -> Result<&[u8], StreamingError> {
        match &self.inner.content {
            Body::Bytes(b) => Ok(b),
            Body::Static(b) => Ok(b),
            Body::Stream(_) => Err(self.streaming_error(StreamingErrorKind::Content)),
        }
    }

    /// The content, or an empty slice for a streaming response (for middleware that look at
    /// complete bodies only).
    pub(crate) fn complete_content(&self) -> &[u8] {
        self.content().unwrap_or_default()
    }

    fn streaming_error(&self, kind: StreamingErrorKind) -> StreamingError {
        let class = if self.inner.class == "HttpResponse" {
            "StreamingHttpResponse"
        } else {
            self.inner.class
        };
        StreamingError::new(class, kind)
    }

    /// The content decoded with the response's charset (lossy), Django's `response.text`.
    ///
    /// # Errors
    /// A streaming response has no `text` (Django's `AttributeError`).
    pub fn text(&self) -> Result<Cow<'_, str>, StreamingError> {
        if self.is_streaming() {
            return Err(self.streaming_error(StreamingErrorKind::Text));
        }
        let cs = Charset::from_label(&self.charset()).unwrap_or(Charset::UTF_8);
        Ok(cs.decode_lossy(self.complete_content()))
    }

    /// Replaces the content (`response.content = …`; text is encoded with the response's
    /// charset), turning a streaming response into a complete one.
    ///
    /// # Errors
    /// Setting non-empty content on a 304 response, like Django; text the charset cannot
    /// encode.
    pub fn set_content(&mut self, content: impl Into<Content>) -> Result<(), crate::Error> {
        let content = content.into();
        if self.inner.status == StatusCode::NOT_MODIFIED && !content.is_empty() {
            return Err(crate::Error::msg(
                "You cannot set content to a 304 (Not Modified) response",
            ));
        }
        let (bytes, text) = self.make_bytes(content)?;
        self.inner.content = Body::Static(bytes);
        self.inner.text = text.and_then(TextParts::all);
        Ok(())
    }

    /// Django's `make_bytes`: text encoded with the response's charset, bytes as they are; with
    /// the charset the bytes are text in, if they are.
    fn make_bytes(&self, content: Content) -> Result<(Bytes, Option<Charset>), ResponseError> {
        match content {
            Content::Bytes(b) => Ok((b, None)),
            Content::Text(t) => {
                let cs = self.encoder()?;
                let bytes = if cs.is_utf8() {
                    match t {
                        Cow::Borrowed(s) => Bytes::from_static(s.as_bytes()),
                        Cow::Owned(s) => Bytes::from(s),
                    }
                } else {
                    match cs.encode_strict(&t) {
                        Ok(b) => Bytes::from(b.into_owned()),
                        Err(e) => return Err(ResponseError::Encode(e.to_string())),
                    }
                };
                Ok((bytes, Some(cs)))
            }
        }
    }

    /// Runs `guard` when the response is finished: when its body, sent or not, is dropped.
    pub(crate) fn set_finish_guard(&mut self, guard: FinishGuard) {
        self.inner.finished = Some(guard);
    }

    /// Replaces the content with a stream.
    pub fn set_streaming_content(&mut self, stream: BodyStream) {
        self.inner.content = Body::Stream(stream);
        self.inner.text = None;
        self.inner.stream_charset = None;
    }

    /// A streaming response whose chunks may be text: each text chunk is encoded when it is
    /// sent, with the response's charset at that time (Django's `streaming_content` maps
    /// `make_bytes` over the iterator). A chunk the charset cannot encode ends the stream with
    /// an error, as Django's `UnicodeEncodeError` does mid-response.
    pub(crate) fn streaming_chunks<S, C>(stream: S) -> Self
    where
        S: futures_core::Stream<Item = Result<C, std::io::Error>> + Send + 'static,
        C: Into<Content> + 'static,
    {
        let cell = StreamCharset::default();
        let charset = cell.clone();
        let stream = futures_util::StreamExt::map(stream, move |chunk| match chunk?.into() {
            Content::Bytes(b) => Ok(b),
            Content::Text(t) => charset.encode(t),
        });
        let mut r = HttpResponse::streaming(Box::pin(stream));
        r.inner.stream_charset = Some(cell);
        r.reencode();
        r
    }

    /// Takes the stream out of a streaming response (for middleware that wrap it, like GZip).
    pub fn take_stream(&mut self) -> Option<BodyStream> {
        match std::mem::replace(&mut self.inner.content, Body::Static(Bytes::new())) {
            Body::Stream(s) => Some(s),
            other => {
                self.inner.content = other;
                None
            }
        }
    }

    /// Appends to the content (Django's `write`): text is encoded with the response's charset.
    ///
    /// # Errors
    /// A streaming response is not writable (Django's `OSError`); text the charset cannot
    /// encode.
    pub fn write(&mut self, data: impl Into<Content>) -> Result<(), crate::Error> {
        if self.is_streaming() {
            return Err(self.streaming_error(StreamingErrorKind::Write).into());
        }
        let (bytes, text) = self.make_bytes(data.into())?;
        self.append(&bytes, text);
        Ok(())
    }

    /// Appends encoded content; `text` is the charset it encodes text in, if it is text.
    fn append(&mut self, bytes: &[u8], text: Option<Charset>) {
        let start = self.complete_content().len();
        if start == 0 {
            self.inner.content = Body::Static(Bytes::copy_from_slice(bytes));
            self.inner.text = text.and_then(TextParts::all);
            return;
        }
        if let Body::Static(b) = &self.inner.content {
            self.inner.content = Body::Bytes(BytesMut::from(&b[..]));
        }
        if let Body::Bytes(b) = &mut self.inner.content {
            b.extend_from_slice(bytes);
        }
        let end = start + bytes.len();
        self.inner.text = match (self.inner.text.take(), text) {
            (Some(parts), None) => Some(TextParts {
                spans: match parts.spans {
                    Spans::All => Spans::one(0..start),
                    ranges => ranges,
                },
                ..parts
            }),
            (Some(mut parts), Some(cs)) if parts.charset == cs => {
                if let Spans::Ranges(r) = &mut parts.spans {
                    r.push(start..end);
                }
                Some(parts)
            }
            (_, Some(cs)) => Some(TextParts {
                charset: cs,
                spans: Spans::one(start..end),
            }),
            (None, None) => None,
        };
    }

    /// Appends each item (Django's `writelines`).
    ///
    /// # Errors
    /// As [`HttpResponse::write`].
    pub fn writelines<I, D>(&mut self, lines: I) -> Result<(), crate::Error>
    where
        I: IntoIterator<Item = D>,
        D: Into<Content>,
    {
        for l in lines {
            self.write(l)?;
        }
        Ok(())
    }

    /// The content length so far (Django's `tell`).
    ///
    /// # Errors
    /// A streaming response cannot tell its position (Django's `OSError`).
    pub fn tell(&self) -> Result<usize, StreamingError> {
        match self.content() {
            Ok(c) => Ok(c.len()),
            Err(_) => Err(self.streaming_error(StreamingErrorKind::Tell)),
        }
    }

    /// The content (Django's `getvalue`). For a streaming response the stream is read to its
    /// end and joined, which consumes it, as in Django: the response then streams nothing.
    ///
    /// # Errors
    /// An error of the stream.
    ///
    /// # Examples
    /// ```
    /// # tokio_test_block_on(async {
    /// let mut r = nuages::HttpResponse::streaming_iter(["a", "b"].map(bytes::Bytes::from));
    /// assert_eq!(r.getvalue().await.unwrap(), "ab");
    /// assert_eq!(r.getvalue().await.unwrap(), "");
    /// # });
    /// # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
    /// # }
    /// ```
    pub async fn getvalue(&mut self) -> std::io::Result<Bytes> {
        match &mut self.inner.content {
            Body::Bytes(b) => Ok(Bytes::copy_from_slice(b)),
            Body::Static(b) => Ok(b.clone()),
            Body::Stream(stream) => {
                use futures_util::StreamExt;
                let mut joined = BytesMut::new();
                while let Some(chunk) = stream.next().await {
                    joined.extend_from_slice(&chunk?);
                }
                self.inner.content = Body::Stream(Box::pin(futures_util::stream::empty()));
                Ok(joined.freeze())
            }
        }
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
            self.inner.content = Body::Static(Bytes::new());
        }
        self.inner.closed = true;
    }

    /// Whether [`HttpResponse::close`] was called.
    pub fn closed(&self) -> bool {
        self.inner.closed
    }

    // ===== headers =====

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.headers
    }

    /// The headers, mutable (typed names and values; Django's rules are applied by
    /// [`HttpResponse::set_header`]).
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        &mut self.inner.headers
    }

    /// A header value as text (`response[name]`, case-insensitive name): ASCII as is, other
    /// bytes read as Latin-1, as Django stores them (`café` set, `café` read back).
    ///
    /// # Examples
    /// ```
    /// let mut r = nuages::HttpResponse::new("");
    /// r.set_header("X-Name", "café").unwrap();
    /// assert_eq!(r.header("x-name").as_deref(), Some("café"));
    /// assert_eq!(r.headers()["x-name"].as_bytes(), b"caf\xe9");
    /// ```
    #[doc(alias = "__getitem__")]
    #[doc(alias = "get")]
    pub fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        self.inner
            .headers
            .get(name)
            .map(|v| crate::http::latin1(v.as_bytes()))
    }

    /// Whether a header is present (`has_header`, case-insensitive).
    pub fn has_header(&self, name: &str) -> bool {
        self.inner.headers.contains_key(name)
    }

    /// Sets a typed header, replacing any previous value.
    pub fn set_header_value(&mut self, name: HeaderName, value: HeaderValue) {
        self.note_header(&name, None);
        self.inner.headers.insert(name, value);
    }

    /// Sets a header whose name was given as text (`response["x-Name"] = …`): `items()` and
    /// HTTP/1.1 spell it so.
    fn set_spelled_header(&mut self, spelling: &str, name: HeaderName, value: HeaderValue) {
        self.note_header(&name, Some(spelling));
        self.inner.headers.insert(name, value);
    }

    /// Records `name` being set with `spelling` (`None`: nuages's own, typed) in Django's order.
    fn note_header(&mut self, name: &HeaderName, spelling: Option<&str>) {
        if self.inner.order.is_none() {
            // The header map's order holds while nothing is removed; only a custom spelling
            // needs a record.
            let custom = spelling.is_some_and(|s| !header_case::is_default_spelling(s, name));
            if !custom {
                return;
            }
            self.inner.order = Some(header_case::HeaderOrder::of(&self.inner.headers));
        }
        let present = self.inner.headers.contains_key(name);
        if let Some(order) = &mut self.inner.order {
            order.set(name, spelling, present);
        }
    }

    /// Removes a header, keeping Django's order of the others (`http::HeaderMap` moves its last
    /// header into the place of a removed one).
    pub(crate) fn remove_header_name(&mut self, name: &HeaderName) {
        if !self.inner.headers.contains_key(name) {
            return;
        }
        let order = self
            .inner
            .order
            .get_or_insert_with(|| header_case::HeaderOrder::of(&self.inner.headers));
        order.remove(name);
        self.inner.headers.remove(name);
    }

    /// Django's `response.items()`: each header as `(name, value)`, names in the order they were
    /// first set and spelled as they were last set (`response["x-Mixed-Case"] = "v"` keeps
    /// `x-Mixed-Case`; nuages's own headers are spelled as Django spells them: `Content-Type`,
    /// `ETag`). Values are Latin-1 text, as [`HttpResponse::header`] gives them. HTTP/1.1
    /// responses are written with these names, in this order.
    ///
    /// # Examples
    /// ```
    /// let mut r = nuages::HttpResponse::new("").with_headers([("X-A", "1")]);
    /// r.set_header("x-Mixed-Case", "v").unwrap();
    /// let items: Vec<_> = r.items().into_iter().map(|(k, v)| format!("{k}: {v}")).collect();
    /// assert_eq!(items, ["X-A: 1", "Content-Type: text/html; charset=utf-8", "x-Mixed-Case: v"]);
    /// ```
    pub fn items(&self) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
        let order = self.inner.order.as_ref().unwrap_or(&header_case::MAP_ORDER);
        order
            .names(&self.inner.headers)
            .flat_map(|(name, spelling)| {
                let spelled: Cow<'_, str> = match spelling {
                    Some(s) => Cow::Borrowed(s),
                    None => header_case::default_spelling(name),
                };
                self.inner
                    .headers
                    .get_all(name)
                    .iter()
                    .map(move |v| (spelled.clone(), crate::http::latin1(v.as_bytes())))
            })
            .collect()
    }

    /// Builder form of [`HttpResponse::set_header_value`].
    pub fn with_header_value(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.set_header_value(name, value);
        self
    }

    /// Sets a header in a builder chain (`response["Name"] = value`), with Django's rules (see
    /// [`HttpResponse::set_header`]). A name or value Django would refuse is not written: the
    /// response keeps the [`BadHeaderError`] ([`HttpResponse::build_error`]) and the framework
    /// answers it like an error raised by the view — a 500 — so nothing invalid reaches the
    /// client. Use [`HttpResponse::set_header`] to handle the error yourself.
    ///
    /// The name is kept as spelled (`items()`, HTTP/1.1), as Django keeps it: pass Django's
    /// spelling (`"Content-Disposition"`); a typed `HeaderName` goes through
    /// [`HttpResponse::set_header_value`], which spells it as Django spells its own headers.
    ///
    /// # Examples
    /// ```
    /// use nuages::HttpResponse;
    /// let r = HttpResponse::new("id,name\n1,a\n")
    ///     .with_content_type("text/csv")
    ///     .with_header("Content-Disposition", format!("attachment; filename=\"{}.csv\"", "users"));
    /// assert_eq!(r.header("content-disposition").as_deref(), Some("attachment; filename=\"users.csv\""));
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
            Ok((header, value)) => self.set_spelled_header(name.as_ref(), header, value),
            Err(e) => self.keep_error(e.into()),
        }
        self
    }

    fn keep_error(&mut self, error: ResponseError) {
        if self.inner.error.is_none() {
            self.inner.error = Some(Box::new(error));
        }
    }

    /// What the first builder method that failed would have raised in Django's constructor
    /// (a refused header, a status outside 100–599, text the charset cannot encode, a
    /// Content-Type given twice), if any. The framework answers a response carrying one with a
    /// 500 and never sends it.
    pub fn build_error(&self) -> Option<&ResponseError> {
        self.inner.error.as_deref()
    }

    /// The first header a builder method ([`HttpResponse::with_header`],
    /// [`HttpResponse::with_content_type`]) refused, if that is the
    /// [`HttpResponse::build_error`].
    pub fn header_error(&self) -> Option<&BadHeaderError> {
        match self.inner.error.as_deref() {
            Some(ResponseError::Header(e)) => Some(e),
            _ => None,
        }
    }

    /// Takes the builder's error out (the framework turns it into a 500).
    pub(crate) fn take_build_error(&mut self) -> Option<ResponseError> {
        self.inner.error.take().map(|e| *e)
    }

    /// Deletes a header; no error if missing (`del response[name]`).
    #[doc(alias = "__delitem__")]
    pub fn delete_header(&mut self, name: &str) {
        if let Ok(name) = HeaderName::from_bytes(name.as_bytes()) {
            self.remove_header_name(&name);
        }
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
        &self.inner.cookies
    }

    /// Mutable [`HttpResponse::cookies`].
    pub fn cookies_mut(&mut self) -> &mut SimpleCookie {
        &mut self.inner.cookies
    }

    // ===== extensions =====

    /// Typed data attached to the response (markers for middleware, e.g. `xframe_options_exempt`).
    pub fn extensions(&self) -> &http::Extensions {
        &self.inner.extensions
    }

    /// Mutable [`HttpResponse::extensions`].
    pub fn extensions_mut(&mut self) -> &mut http::Extensions {
        &mut self.inner.extensions
    }

    // ===== status shortcuts =====

    /// 304 with no content and no Content-Type (`HttpResponseNotModified`).
    #[doc(alias = "HttpResponseNotModified")]
    pub fn not_modified() -> Self {
        let mut r = HttpResponse::empty().with_status(StatusCode::NOT_MODIFIED);
        r.remove_header_name(&header::CONTENT_TYPE);
        r.inner.class = "HttpResponseNotModified";
        r
    }

    /// 400 (`HttpResponseBadRequest`).
    #[doc(alias = "HttpResponseBadRequest")]
    pub fn bad_request(content: impl Into<Content>) -> Self {
        HttpResponse::new(content)
            .with_status(StatusCode::BAD_REQUEST)
            .with_class("HttpResponseBadRequest")
    }

    /// 403 (`HttpResponseForbidden`).
    #[doc(alias = "HttpResponseForbidden")]
    pub fn forbidden(content: impl Into<Content>) -> Self {
        HttpResponse::new(content)
            .with_status(StatusCode::FORBIDDEN)
            .with_class("HttpResponseForbidden")
    }

    /// 404 (`HttpResponseNotFound`).
    #[doc(alias = "HttpResponseNotFound")]
    pub fn not_found(content: impl Into<Content>) -> Self {
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
    /// assert_eq!(r.header("allow").as_deref(), Some("GET, HEAD"));
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
            r.inner.headers.insert(header::ALLOW, v);
        }
        r
    }

    /// Sets the Django class name shown by `Debug`.
    pub(crate) fn with_class(mut self, class: &'static str) -> Self {
        self.inner.class = class;
        self
    }

    /// 410 (`HttpResponseGone`).
    #[doc(alias = "HttpResponseGone")]
    pub fn gone(content: impl Into<Content>) -> Self {
        HttpResponse::new(content)
            .with_status(StatusCode::GONE)
            .with_class("HttpResponseGone")
    }

    /// 500 (`HttpResponseServerError`).
    #[doc(alias = "HttpResponseServerError")]
    pub fn server_error(content: impl Into<Content>) -> Self {
        HttpResponse::new(content)
            .with_status(StatusCode::INTERNAL_SERVER_ERROR)
            .with_class("HttpResponseServerError")
    }

    // ===== conversion =====

    /// Converts into an `http::Response` for hyper: one `Set-Cookie` header per cookie, the custom
    /// reason phrase as hyper's `ReasonPhrase` extension. A response still carrying a refused
    /// header or another [`HttpResponse::build_error`] becomes Django's plain 500 page: it is never
    /// sent without the header it was meant to have.
    pub fn into_http(mut self) -> http::Response<ResponseBody> {
        if let Some(error) = self.take_build_error() {
            tracing::error!(target: "django.request", "Internal Server Error: {error}");
            self = HttpResponse::server_error(SERVER_ERROR_PAGE);
        }
        let ResponseInner {
            status,
            reason,
            mut headers,
            order,
            content,
            cookies,
            mut extensions,
            finished,
            ..
        } = *self.inner;
        header_room::record(headers.len() + cookies.len());
        let names = order.as_ref().unwrap_or(&header_case::MAP_ORDER);
        if let Some(case) = header_case::case_extensions(&headers, names.names(&headers)) {
            extensions.extend(case);
        }
        if let Some(order) = &order {
            // Django's order, which the header map lost when a header was removed.
            let mut ordered = HeaderMap::with_capacity(headers.len() + cookies.len());
            for (name, _) in order.names(&headers) {
                for value in headers.get_all(name) {
                    ordered.append(name.clone(), value.clone());
                }
            }
            headers = ordered;
        }
        for morsel in cookies.iter() {
            if let Ok(v) = HeaderValue::from_maybe_shared(Bytes::from(morsel.header_value())) {
                headers.append(header::SET_COOKIE, v);
            }
        }
        let body = match content {
            Body::Bytes(b) => ResponseBody::full(b.freeze()),
            Body::Static(b) => ResponseBody::full(b),
            Body::Stream(s) => ResponseBody::stream(s),
        }
        .with_finish(finished);
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
                Ok(bytes) => Body::Static(bytes),
                Err(stream) => Body::Stream(stream),
            },
            Err(other) => {
                let body = *other
                    .downcast::<B>()
                    .unwrap_or_else(|_| unreachable!("the body is a B"));
                use http_body_util::BodyExt;
                let stream = futures_util::StreamExt::map(body.into_data_stream(), |r| {
                    r.map_err(|e| std::io::Error::other(e.into()))
                });
                Body::Stream(Box::pin(stream))
            }
        };
        let mut headers = parts.headers;
        if let (Body::Stream(_), Some(n)) = (&content, exact) {
            if !headers.contains_key(header::CONTENT_LENGTH) {
                headers.insert(header::CONTENT_LENGTH, HeaderValue::from(n));
            }
        }
        HttpResponse {
            inner: Box::new(ResponseInner {
                status: parts.status,
                reason: None,
                headers,
                order: None,
                content,
                charset: None,
                text: None,
                stream_charset: None,
                default_charset: None,
                content_type_origin: ContentTypeOrigin::Headers,
                cookies: SimpleCookie::new(),
                closed: false,
                extensions: parts.extensions,
                class: "HttpResponse",
                error: None,
                finished: None,
            }),
        }
    }
}

/// The charset shared by a streaming response and its stream of text chunks.
#[derive(Clone, Debug)]
struct StreamCharset(std::sync::Arc<std::sync::Mutex<Charset>>);

impl Default for StreamCharset {
    fn default() -> Self {
        StreamCharset(std::sync::Arc::new(std::sync::Mutex::new(Charset::UTF_8)))
    }
}

impl StreamCharset {
    fn set(&self, charset: Charset) {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = charset;
    }

    /// `make_bytes` of a text chunk.
    fn encode(&self, text: Cow<'static, str>) -> std::io::Result<Bytes> {
        let charset = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if charset.is_utf8() {
            return Ok(match text {
                Cow::Borrowed(s) => Bytes::from_static(s.as_bytes()),
                Cow::Owned(s) => Bytes::from(s),
            });
        }
        match charset.encode_strict(&text) {
            Ok(b) => Ok(Bytes::from(b.into_owned())),
            Err(e) => Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                e.to_string(),
            )),
        }
    }
}

impl fmt::Debug for HttpResponse {
    /// Django's repr: `<HttpResponse status_code=200, "text/html; charset=utf-8">`, with the
    /// class the response was built as (`HttpResponseNotFound`, `JsonResponse`, …), the `url`
    /// of redirects and the methods of `HttpResponseNotAllowed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let class = if self.inner.class == "HttpResponse" && self.is_streaming() {
            "StreamingHttpResponse"
        } else {
            self.inner.class
        };
        let header = |name: header::HeaderName| {
            self.inner
                .headers
                .get(name)
                .map(|v| crate::http::latin1(v.as_bytes()))
        };
        let content_type = match header(header::CONTENT_TYPE) {
            Some(ct) => format!(", \"{ct}\""),
            None => String::new(),
        };
        let status = self.inner.status.as_u16();
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

/// Django's `HttpResponse(iterable)`: the items are consumed at construction, each converted
/// (text as UTF-8 until a charset says otherwise, bytes as they are, integers as decimal text)
/// and joined.
///
/// # Examples
/// ```
/// let r: nuages::HttpResponse = ["a", "b", "c"].into_iter().collect();
/// assert_eq!(r.content().unwrap(), b"abc");
/// ```
impl<C: Into<Content>> FromIterator<C> for HttpResponse {
    fn from_iter<I: IntoIterator<Item = C>>(iter: I) -> Self {
        let mut r = HttpResponse::empty();
        for item in iter {
            match item.into() {
                Content::Text(t) => r.append(t.as_bytes(), Some(Charset::UTF_8)),
                Content::Bytes(b) => r.append(&b, None),
            }
        }
        r
    }
}

impl Default for HttpResponse {
    fn default() -> Self {
        HttpResponse::empty()
    }
}

/// The digits of every length below 10,000, NUL-padded: the `Content-Length` of a small body
/// without formatting or allocating a header value.
static SMALL_LENGTHS: [[u8; 4]; 10_000] = {
    let mut table = [[0; 4]; 10_000];
    let mut n = 0;
    while n < 10_000 {
        let mut digits = [0u8; 4];
        let mut len = 0;
        let mut rest = n;
        loop {
            digits[len] = b'0' + (rest % 10) as u8;
            len += 1;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        let mut k = 0;
        while k < len {
            table[n][k] = digits[len - 1 - k];
            k += 1;
        }
        n += 1;
    }
    table
};

/// A `Content-Length` header value: a static one below 10,000 bytes, else a formatted one.
pub(crate) fn content_length_value(len: usize) -> HeaderValue {
    if let Some(digits) = SMALL_LENGTHS.get(len) {
        let n = digits.iter().position(|&b| b == 0).unwrap_or(digits.len());
        if let Ok(text) = std::str::from_utf8(&digits[..n]) {
            return HeaderValue::from_static(text);
        }
    }
    HeaderValue::from(len)
}

fn charset_param(content_type: &str) -> Option<&str> {
    // Django: re.compile(r";\s*charset=(?P<charset>[^\s;]+)", re.I)
    let mut rest = content_type;
    while let Some(pos) = rest.find(';') {
        rest = &rest[pos + 1..];
        let trimmed = rest.trim_start();
        let Some(name) = trimmed.as_bytes().get(..8) else {
            continue;
        };
        if name.eq_ignore_ascii_case(b"charset=") {
            let value = &trimmed[8..];
            let end = value
                .find(|c: char| c.is_whitespace() || c == ';')
                .unwrap_or(value.len());
            if end > 0 {
                return Some(value[..end].trim_matches('"'));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_length_values_are_decimal() {
        for n in (0..12_000).chain([99_999, 100_000, 1 << 20, usize::MAX]) {
            assert_eq!(content_length_value(n), n.to_string().as_str(), "{n}");
        }
    }

    #[test]
    fn charset_sniffing() {
        assert_eq!(
            charset_param("text/plain; charset=latin-1"),
            Some("latin-1")
        );
        assert_eq!(
            charset_param("text/plain; charset=\"UTF-16\""),
            Some("UTF-16")
        );
        assert_eq!(charset_param("text/plain"), None);
        assert_eq!(charset_param("text/plain; CharSet=x;charset=y"), Some("x"));
        assert_eq!(charset_param("text/plain; charset=; charset=b"), Some("b"));
        // Not a char boundary 8 bytes in: no panic, no match.
        assert_eq!(charset_param("text/html;a\u{e9}\u{e9}\u{e9}\u{e9}"), None);
        assert_eq!(charset_param("text/html; charset=\u{e9} x"), Some("\u{e9}"));
        let r = HttpResponse::new("x").with_content_type("text/plain");
        assert_eq!(r.charset(), "utf-8");
    }

    #[test]
    fn write_and_tell() {
        let mut r = HttpResponse::new("abc");
        r.write("def").unwrap();
        r.write(b"ghi").unwrap();
        assert_eq!(r.content().unwrap(), b"abcdefghi");
        assert_eq!(r.tell().unwrap(), 9);
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
        assert_eq!(r.header("allow").as_deref(), Some("GET, post"));
    }

    #[test]
    fn reason() {
        let r = HttpResponse::empty().with_status(StatusCode::IM_A_TEAPOT);
        assert_eq!(r.reason_phrase(), "I'm a Teapot");
        let r = r.with_reason_phrase("Custom Reason");
        assert_eq!(r.reason_phrase(), "Custom Reason");
    }
}

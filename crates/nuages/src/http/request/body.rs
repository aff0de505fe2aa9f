//! Reading the request body (`request.inner.body`, `request.POST`, `request.FILES`).
//!
//! All three take `&self`: the body stream is read at most once (behind a lock held only to take
//! it) and the results are cached, so a view can hold `POST` and `FILES` at the same time, as
//! in Django. (Two tasks reading one request's body at the same time: the second gets
//! [`RawPostDataException`], as the stream is already being read.)

use std::borrow::Cow;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use bytes::{Bytes, BytesMut};
use http::Method;

use super::content_encoding::{body_error, decoding_failure};
use super::HttpRequest;
use crate::core::exceptions::{BadRequest, RequestDataTooBig};
use crate::http::body::RequestBody;
use crate::http::multipart::{Files, Limits, MultiPartParser, MultipartError};
use crate::http::query_dict::QueryDict;
use crate::utils::http::parse_header_parameters;
use crate::Error;
use nuages_py::builtins::strip;
use nuages_py::codecs::Charset;

/// The request body: the unread stream, the bytes once read, `POST` and `FILES` once parsed.
pub(super) struct Body {
    stream: Mutex<Option<RequestBody>>,
    pub(super) bytes: OnceLock<Bytes>,
    data: OnceLock<Arc<(QueryDict, Files)>>,
    /// The file-like reader, once `read()`/`readline()` started.
    /// (A mutex only to keep the request `Sync`: it is used through `&mut`, never locked.)
    pub(super) reader: Mutex<Option<Box<super::stream::Reader>>>,
}

/// What [`Body::into_parts`] hands on: the body to send further, and what was already read and
/// parsed (restored by [`Body::restore`] if the same bytes come back).
pub(super) struct Cached {
    bytes: Option<Bytes>,
    data: Option<Arc<(QueryDict, Files)>>,
}

/// Where the `POST` and `FILES` parsed for a request are kept for the DEBUG error page, which
/// gets a copy of the request without its body (see [`HttpRequest::keep_form_for_debug`]).
/// Attached with DEBUG on only.
#[derive(Default)]
pub(crate) struct ParsedForm(OnceLock<Arc<(QueryDict, Files)>>);

impl Body {
    pub(super) fn new(stream: RequestBody) -> Self {
        Body {
            stream: Mutex::new(Some(stream)),
            bytes: OnceLock::new(),
            data: OnceLock::new(),
            reader: Mutex::new(None),
        }
    }

    /// The length the unread stream announces: `None` once taken, `Some(None)` when unknown.
    pub(super) fn stream_len(&self) -> Option<Option<u64>> {
        self.stream
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map(RequestBody::exact_len)
    }

    fn take_stream(&self) -> Option<RequestBody> {
        self.stream
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    /// [`Body::take_stream`] without locking (the caller holds the request mutably).
    pub(super) fn take_stream_mut(&mut self) -> Option<RequestBody> {
        self.stream
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    /// Splits into the body to hand on (the stream, or the bytes already read) and the caches.
    pub(super) fn into_parts(self) -> (RequestBody, Cached) {
        let stream = self
            .stream
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let bytes = self.bytes.into_inner();
        let body = match (&bytes, stream) {
            (Some(b), _) => RequestBody::from(b.clone()),
            (None, Some(s)) => s,
            (None, None) => RequestBody::empty(),
        };
        let cached = Cached {
            bytes,
            data: self.data.into_inner(),
        };
        (body, cached)
    }

    /// The inverse of [`Body::into_parts`]: the caches are kept when `body` is what was handed
    /// on (the same bytes, or still nothing for a body already consumed by the multipart
    /// parser); a body replaced meanwhile starts afresh.
    pub(super) fn restore(body: RequestBody, cached: Cached) -> Self {
        let same = match (&cached.bytes, body.full_bytes()) {
            (Some(read), Some(now)) => read.as_ptr() == now.as_ptr() && read.len() == now.len(),
            (None, _) => cached.data.is_some() && body.exact_len() == Some(0),
            (Some(_), None) => false,
        };
        if !same {
            return Body::new(body);
        }
        let restored = Body {
            // The bytes handed on are the cached ones; a consumed stream stays consumed.
            stream: Mutex::new(None),
            bytes: OnceLock::new(),
            data: OnceLock::new(),
            reader: Mutex::new(None),
        };
        if let Some(bytes) = cached.bytes {
            let _ = restored.bytes.set(bytes);
        }
        if let Some(data) = cached.data {
            let _ = restored.data.set(data);
        }
        restored
    }
}

/// Django's `RawPostDataException`: the body stream was already consumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPostDataException;

impl std::fmt::Display for RawPostDataException {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("You cannot access body after reading from request's data stream")
    }
}

impl std::error::Error for RawPostDataException {}

/// Reads a whole stream, bounded by `limit` on the announced length and on the bytes received.
async fn read_limited(
    mut stream: RequestBody,
    limit: Option<u64>,
    announced: Option<u64>,
) -> Result<Bytes, Error> {
    if let (Some(limit), Some(cl)) = (limit, announced) {
        if cl > limit {
            return Err(RequestDataTooBig.into());
        }
    }
    // A body that arrives in one chunk is kept as is (no copy).
    let mut first: Option<Bytes> = None;
    let mut buf = BytesMut::new();
    let mut total: u64 = 0;
    while let Some(chunk) = stream.chunk().await {
        let chunk = chunk.map_err(body_error)?;
        total += chunk.len() as u64;
        if limit.is_some_and(|limit| total > limit) {
            return Err(RequestDataTooBig.into());
        }
        if first.is_none() && buf.is_empty() {
            first = Some(chunk);
        } else {
            if let Some(f) = first.take() {
                buf.extend_from_slice(&f);
            }
            buf.extend_from_slice(&chunk);
        }
    }
    Ok(first.unwrap_or_else(|| buf.freeze()))
}

impl HttpRequest {
    /// The whole body (Django's `request.inner.body`), read once and cached (the returned `Bytes`
    /// shares the cached buffer), bounded by DATA_UPLOAD_MAX_MEMORY_SIZE on Content-Length and
    /// on the bytes actually received.
    ///
    /// # Errors
    /// [`RequestDataTooBig`] (400) over the limit, [`RawPostDataException`] once the stream was
    /// consumed otherwise ([`HttpRequest::take_body`], a multipart `POST` parsed first), or a
    /// transport error.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let req = nuages::test::RequestFactory::new().post("/", "a=1").build();
    /// assert_eq!(&req.body().await.unwrap()[..], b"a=1");
    /// # });
    /// ```
    pub async fn body(&self) -> Result<Bytes, Error> {
        if let Some(bytes) = self.inner.body.bytes.get() {
            return Ok(bytes.clone());
        }
        let limit = self.inner.head.settings.data_upload_max_memory_size;
        let stream = self.decoded_stream()?;
        // The announced length bounds the bytes received, decoded or not.
        let bytes = read_limited(stream, limit, self.content_length()).await?;
        Ok(self.inner.body.bytes.get_or_init(|| bytes).clone())
    }

    /// The unread body stream, decoded according to its `Content-Encoding` (see
    /// [`content_encoding`](super::content_encoding)); a refused coding leaves the stream
    /// unread.
    fn decoded_stream(&self) -> Result<RequestBody, Error> {
        let len = self.inner.body.stream_len().ok_or(RawPostDataException)?;
        let coding = self.body_coding(len)?;
        let stream = self.inner.body.take_stream().ok_or(RawPostDataException)?;
        Ok(coding.apply(stream, self.inner.head.settings.data_upload_max_memory_size))
    }

    /// Takes the body stream to read it incrementally (like reading `request` as a file in
    /// Django); afterwards [`HttpRequest::body`] fails with [`RawPostDataException`]. The
    /// stream is handed out as received: its `Content-Encoding` is not applied (nor refused).
    ///
    /// # Errors
    /// [`RawPostDataException`] if the body was already taken or consumed.
    pub fn take_body(&mut self) -> Result<RequestBody, RawPostDataException> {
        if let Some(bytes) = self.inner.body.bytes.take() {
            // Already buffered: hand out the bytes as a body.
            return Ok(RequestBody::from(bytes));
        }
        self.inner.body.take_stream().ok_or(RawPostDataException)
    }

    /// The announced Content-Length, if any.
    pub fn content_length(&self) -> Option<u64> {
        self.inner
            .head
            .headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok())
    }

    /// The form data of a POST (Django's `request.POST`): parsed from an
    /// `application/x-www-form-urlencoded` or `multipart/form-data` body (files go to
    /// [`HttpRequest::files`]); empty for other methods and content types.
    ///
    /// Multipart bodies are parsed as they stream in: files over FILE_UPLOAD_MAX_MEMORY_SIZE go
    /// to a temporary file, never whole into memory.
    ///
    /// # Errors
    /// [`BadRequest`] for a urlencoded body declared in a charset other than UTF-8,
    /// `MultiPartParserError` for a broken multipart body, the limits (`TooManyFieldsSent`,
    /// `TooManyFilesSent`, `RequestDataTooBig`) — all 400 — and the errors of
    /// [`HttpRequest::body`]. After an error, `POST` and `FILES` are empty, as in Django.
    ///
    /// # Examples
    /// `POST` and `FILES` can be held together:
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let req = nuages::test::RequestFactory::new()
    ///     .post("/", "a=1")
    ///     .content_type("application/x-www-form-urlencoded")
    ///     .build();
    /// let (post, files) = (req.form().await.unwrap(), req.files().await.unwrap());
    /// assert_eq!((post.get("a"), files.len()), (Some("1"), 0));
    /// # });
    /// ```
    #[doc(alias = "POST")]
    pub async fn form(&self) -> Result<&QueryDict, Error> {
        Ok(&self.post_and_files().await?.0)
    }

    /// The uploaded files of a multipart POST (Django's `request.FILES`).
    ///
    /// # Errors
    /// As [`HttpRequest::form`].
    #[doc(alias = "FILES")]
    pub async fn files(&self) -> Result<&Files, Error> {
        Ok(&self.post_and_files().await?.1)
    }

    async fn post_and_files(&self) -> Result<&(QueryDict, Files), Error> {
        if let Some(data) = self.inner.body.data.get() {
            return Ok(&**data);
        }
        match self.load_post().await {
            Ok(data) => {
                let data = self.inner.body.data.get_or_init(|| Arc::new(data));
                self.share_form_for_debug(data);
                Ok(&**data)
            }
            Err(e) => {
                // Django's _mark_post_parse_error: later accesses see empty data.
                let empty = self.inner.body.data.get_or_init(Arc::default);
                self.share_form_for_debug(empty);
                Err(e)
            }
        }
    }

    /// With DEBUG on, hands the parsed `POST` and `FILES` to the [`ParsedForm`] attached by
    /// [`HttpRequest::keep_form_for_debug`] (one flag read otherwise).
    fn share_form_for_debug(&self, data: &Arc<(QueryDict, Files)>) {
        if self.inner.head.settings.debug {
            if let Some(slot) = self.inner.attached.get::<ParsedForm>() {
                let _ = slot.0.set(Arc::clone(data));
            }
        }
    }

    /// With DEBUG on, attaches a [`ParsedForm`] (holding the `POST` and `FILES` already parsed,
    /// if any), so that the copies of this request handed to the error page (which share what
    /// is attached, not the body) see the form once it is parsed. Nothing without DEBUG.
    pub(crate) fn keep_form_for_debug(&mut self) {
        if !self.inner.head.settings.debug || self.inner.attached.get::<ParsedForm>().is_some() {
            return;
        }
        let slot = ParsedForm::default();
        if let Some(data) = self.inner.body.data.get() {
            let _ = slot.0.set(Arc::clone(data));
        }
        self.inner.attached.insert(Arc::new(slot));
    }

    /// The `POST` and `FILES` parsed for this request, by this copy or (with DEBUG on, see
    /// [`HttpRequest::keep_form_for_debug`]) by the one the view or a middleware had; `None`
    /// when the body was not parsed. Never reads the body.
    pub(crate) fn parsed_form(&self) -> Option<Arc<(QueryDict, Files)>> {
        if let Some(data) = self.inner.body.data.get() {
            return Some(Arc::clone(data));
        }
        self.inner.attached.get::<ParsedForm>()?.0.get().cloned()
    }

    /// [`HttpRequest::body`] from a sync view (see [`async_to_sync`]).
    ///
    /// # Errors
    /// As [`HttpRequest::body`]; [`NotInSyncContext`] outside a sync view.
    ///
    /// [`async_to_sync`]: crate::utils::sync::async_to_sync
    /// [`NotInSyncContext`]: crate::utils::sync::NotInSyncContext
    pub fn body_blocking(&self) -> Result<Bytes, Error> {
        crate::utils::sync::async_to_sync(self.body())?
    }

    /// [`HttpRequest::form`] (`request.POST`) from a sync view.
    ///
    /// # Errors
    /// As [`HttpRequest::form`]; `NotInSyncContext` outside a sync view.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use nuages::{urls::path, App, HttpRequest, HttpResponse, Result};
    /// fn greet(request: HttpRequest) -> Result<HttpResponse> {
    ///     let name = request.form_blocking()?.get("name").unwrap_or("?").to_owned();
    ///     Ok(HttpResponse::new(format!("hi {name}")))
    /// }
    /// let app = App::builder()
    ///     .settings(nuages::Settings { debug: true, ..Default::default() })
    ///     .urls([path("greet", greet)])
    ///     .build()
    ///     .unwrap();
    /// let client = nuages::test::Client::new(app);
    /// assert_eq!(client.post("/greet").form(&[("name", "Ada")]).send().await.text(), "hi Ada");
    /// # });
    /// ```
    #[doc(alias = "POST")]
    pub fn form_blocking(&self) -> Result<&QueryDict, Error> {
        crate::utils::sync::async_to_sync(self.form())?
    }

    /// [`HttpRequest::files`] (`request.FILES`) from a sync view.
    ///
    /// # Errors
    /// As [`HttpRequest::files`]; `NotInSyncContext` outside a sync view.
    #[doc(alias = "FILES")]
    pub fn files_blocking(&self) -> Result<&Files, Error> {
        crate::utils::sync::async_to_sync(self.files())?
    }

    /// Forgets the parsed `POST` and `FILES` (after `request.inner.encoding` changed).
    pub(super) fn reset_post(&mut self) {
        self.inner.body.data = OnceLock::new();
    }

    async fn load_post(&self) -> Result<(QueryDict, Files), Error> {
        if self.inner.head.method != Method::POST {
            return Ok((QueryDict::new(), Files::new()));
        }
        // The Content-Type is parsed once for its type and its parameters (Django's
        // `content_type` and `content_params`, both set from one `parse_header_parameters`).
        // A value in ASCII without parameters (what clients send for urlencoded forms) is its
        // type, stripped and lower-cased: compared as such, without building the parse.
        let header = self.inner.head.headers.get(http::header::CONTENT_TYPE);
        let simple = header
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.contains(';'));
        let (ct, params) = match (simple, header) {
            (Some(v), _) => (Cow::Borrowed(strip(v)), None),
            (None, Some(v)) => {
                let (ct, params) =
                    parse_header_parameters(&super::latin1(v.as_bytes())).unwrap_or_default();
                (Cow::Owned(ct), Some(params))
            }
            (None, None) => (Cow::Borrowed(""), None),
        };
        if ct.eq_ignore_ascii_case("multipart/form-data") {
            // Boxed: the multipart parser's state is kilobytes, over-aligned; inline, it would
            // make the future of every view that reads `POST` that large, allocated with
            // `posix_memalign` on each request.
            return Box::pin(self.load_multipart()).await;
        }
        if !ct.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
            return Ok((QueryDict::new(), Files::new()));
        }
        if let Some(cs) = params.as_ref().and_then(|p| p.get("charset")) {
            if !Charset::from_label(cs).is_some_and(|c| c.is_utf8()) {
                return Err(BadRequest::new(
                    "HTTP requests with the 'application/x-www-form-urlencoded' content type must be UTF-8 encoded.",
                )
                .into());
            }
        }
        let max_fields = self.inner.head.settings.data_upload_max_number_fields;
        let body = self.body().await?;
        let post = QueryDict::parse_bytes(&body, Some(&Charset::UTF_8), max_fields)?;
        Ok((post, Files::new()))
    }

    async fn load_multipart(&self) -> Result<(QueryDict, Files), Error> {
        let s = &self.inner.head.settings;
        let limits = Limits {
            data_upload_max_memory_size: s.data_upload_max_memory_size,
            data_upload_max_number_fields: s.data_upload_max_number_fields,
            data_upload_max_number_files: s.data_upload_max_number_files,
            file_upload_max_memory_size: s.file_upload_max_memory_size,
        };
        let mut parser = MultiPartParser::new(limits, self.charset());
        if let Some(dir) = &s.file_upload_temp_dir {
            parser = parser.with_upload_dir(dir.clone());
        }
        let content_type = self
            .inner
            .head
            .headers
            .get(http::header::CONTENT_TYPE)
            .map(|v| super::latin1(v.as_bytes()).into_owned())
            .unwrap_or_default();
        let body = match self.inner.body.bytes.get() {
            // `request.inner.body` was read first: parse from the cached bytes and keep them.
            Some(bytes) => RequestBody::from(bytes.clone()),
            None => self.decoded_stream()?,
        };
        let stream = Box::pin(futures_util::stream::unfold(body, |mut b| async move {
            b.chunk().await.map(|chunk| (chunk, b))
        }));
        parser
            .parse(&content_type, stream)
            .await
            .map_err(multipart_error)
    }
}

/// The framework error of a multipart failure, standing for the Django exception it is (for
/// its log line); a body stream that failed to decode keeps its own answer.
fn multipart_error(error: MultipartError) -> Error {
    use crate::core::exceptions::{Raised, SecurityClass};
    if let MultipartError::Io(io) = &error {
        if let Some(e) = decoding_failure(io) {
            return e;
        }
    }
    let raised = match &error {
        MultipartError::Parser(_) => Raised::MultiPartParser,
        MultipartError::TooManyFieldsSent(_) => {
            Raised::Suspicious(SecurityClass::TooManyFieldsSent)
        }
        MultipartError::TooManyFilesSent(_) => Raised::Suspicious(SecurityClass::TooManyFilesSent),
        MultipartError::RequestDataTooBig(_) => {
            Raised::Suspicious(SecurityClass::RequestDataTooBig)
        }
        _ => Raised::Other,
    };
    error.into_error().raised_as(raised)
}

#[cfg(test)]
mod tests {
    use crate::test::RequestFactory;

    fn post(content_type: &str) -> Result<Option<String>, crate::Error> {
        let req = RequestFactory::new()
            .post("/", "a=1&a=%C3%A9")
            .content_type(content_type)
            .build();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        rt.block_on(async { Ok(req.form().await?.get("a").map(str::to_owned)) })
    }

    #[test]
    fn content_type_is_read_as_parse_header_parameters_reads_it() {
        // Without parameters: stripped and lower-cased, as Django's parse gives it.
        for ct in [
            "application/x-www-form-urlencoded",
            "Application/X-WWW-Form-URLEncoded",
            " application/x-www-form-urlencoded\t",
            "application/x-www-form-urlencoded; charset=utf-8",
            "APPLICATION/x-www-form-urlencoded ; charset=\"UTF-8\"",
        ] {
            assert_eq!(post(ct).unwrap().as_deref(), Some("é"), "{ct:?}");
        }
        for ct in [
            "text/plain",
            "application/x-www-form-urlencodedx",
            "",
            "application/json",
        ] {
            assert_eq!(post(ct).unwrap(), None, "{ct:?}");
        }
        let refused = post("application/x-www-form-urlencoded; charset=latin-1").unwrap_err();
        assert!(
            refused.to_string().contains("must be UTF-8 encoded"),
            "{refused}"
        );
        // A multipart type without a boundary is still parsed as multipart (and refused).
        assert!(post(" Multipart/Form-Data").is_err());
    }
}

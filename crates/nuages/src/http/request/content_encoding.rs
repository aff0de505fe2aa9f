//! Request bodies sent with a `Content-Encoding` (beyond Django, which ignores the header and
//! hands the view the encoded bytes).
//!
//! A body whose `Content-Encoding` is anything but `identity` is refused with 415 Unsupported
//! Media Type (RFC 9110 §15.5.16) when the view reads it — `request.body()`, `POST`, `FILES`,
//! `read()`/`readline()`, [`HttpRequest::json`] — unless the coding is listed in
//! `REQUEST_BODY_ENCODINGS` ([`Settings::request_body_encodings`]); then the body is decoded as
//! it streams in. Only `gzip` (also sent as `x-gzip`) can be enabled, as one gzip member; a
//! list of codings (`gzip, gzip`) is refused. The decoded body, and the bytes received, are
//! bounded by DATA_UPLOAD_MAX_MEMORY_SIZE whatever reads them (a multipart upload included),
//! so a gzip bomb is Django's `RequestDataTooBig` (400) after at most that many bytes plus
//! one 32 KiB block of output, never an exhausted memory. Data that is not valid gzip, is
//! truncated or is followed by anything is a 400.
//!
//! [`HttpRequest::take_body`] hands out the stream as received, not decoded.
//!
//! [`Settings::request_body_encodings`]: crate::Settings::request_body_encodings
//! [`HttpRequest::json`]: super::HttpRequest::json

use std::fmt;
use std::io::{self, Write};

use bytes::Bytes;
use http::header::CONTENT_ENCODING;

use super::HttpRequest;
use crate::core::exceptions::{ErrorKind, RequestDataTooBig};
use crate::http::body::{BodyReadTimeout, BoxError, RequestBody};
use crate::Error;

/// The codings `REQUEST_BODY_ENCODINGS` may enable.
pub(crate) const SUPPORTED: &[&str] = &["gzip"];

/// A request body whose `Content-Encoding` could not be applied.
///
/// # Examples
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use nuages::http::request::ContentEncodingError;
/// let req = nuages::test::RequestFactory::new()
///     .post("/", "x")
///     .header("content-encoding", "br")
///     .build();
/// let err = req.body().await.unwrap_err();
/// assert_eq!(err.status(), 415);
/// assert!(matches!(
///     err.downcast_ref::<ContentEncodingError>(),
///     Some(ContentEncodingError::Unsupported { .. })
/// ));
/// # });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ContentEncodingError {
    /// The coding is not enabled in `REQUEST_BODY_ENCODINGS` (or not supported at all): 415.
    Unsupported {
        /// The `Content-Encoding` header as received.
        content_encoding: String,
    },
    /// The body is not valid data of its coding (corrupt, truncated, trailing bytes): 400.
    Corrupt {
        /// The coding (`gzip`).
        coding: &'static str,
        /// What the decoder reported.
        message: String,
    },
}

impl ContentEncodingError {
    /// How the framework answers this error: 415 for [`ContentEncodingError::Unsupported`],
    /// 400 for [`ContentEncodingError::Corrupt`].
    pub fn kind(&self) -> ErrorKind {
        match self {
            ContentEncodingError::Unsupported { .. } => ErrorKind::UnsupportedMediaType,
            ContentEncodingError::Corrupt { .. } => ErrorKind::BadRequest,
        }
    }

    /// The framework error, with [`ContentEncodingError::kind`].
    pub fn into_error(self) -> Error {
        Error::new(self.kind(), self)
    }
}

impl fmt::Display for ContentEncodingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContentEncodingError::Unsupported { content_encoding } => write!(
                f,
                "Unsupported request Content-Encoding: {}",
                nuages_py::repr::str_repr(content_encoding)
            ),
            ContentEncodingError::Corrupt { coding, message } => {
                write!(f, "Invalid {coding} request body: {message}")
            }
        }
    }
}

impl std::error::Error for ContentEncodingError {}

/// The framework error for a failure of a body stream: the limit or a decoding failure of
/// [`Decoding`] keep their own answer, anything else (the connection) is a 400 as before.
pub(super) fn body_error(error: BoxError) -> Error {
    if error.is::<BodyReadTimeout>() {
        return Error::new(ErrorKind::RequestTimeout, error);
    }
    if error.is::<RequestDataTooBig>() {
        return RequestDataTooBig.into();
    }
    match error.downcast::<ContentEncodingError>() {
        Ok(e) => e.into_error(),
        Err(other) => Error::bad_request(other),
    }
}

/// The decoding failure carried by an I/O error (how the multipart parser reports a body
/// stream error), if that is what it is.
pub(super) fn decoding_failure(error: &io::Error) -> Option<Error> {
    let inner = error.get_ref()?;
    if inner.is::<BodyReadTimeout>() {
        return Some(Error::new(ErrorKind::RequestTimeout, BodyReadTimeout));
    }
    if inner.is::<RequestDataTooBig>() {
        return Some(RequestDataTooBig.into());
    }
    inner
        .downcast_ref::<ContentEncodingError>()
        .map(|e| e.clone().into_error())
}

/// How a body is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Coding {
    /// As received.
    Identity,
    /// Through a gzip decoder.
    Gzip,
}

impl Coding {
    /// `stream`, decoded when it needs to be, bounded by `limit` (DATA_UPLOAD_MAX_MEMORY_SIZE).
    pub(super) fn apply(self, stream: RequestBody, limit: Option<u64>) -> RequestBody {
        match self {
            Coding::Identity => stream,
            Coding::Gzip => Decoding::gzip(stream, limit).into_body(),
        }
    }
}

impl HttpRequest {
    /// How the body (of `len` bytes when known) is to be read: as received for `identity`, no
    /// `Content-Encoding` or an empty body, decoded for an enabled coding.
    ///
    /// # Errors
    /// [`ContentEncodingError::Unsupported`] (415) for any other coding.
    pub(super) fn body_coding(&self, len: Option<u64>) -> Result<Coding, Error> {
        let headers = &self.inner.head.headers;
        let mut codings = headers
            .get_all(CONTENT_ENCODING)
            .iter()
            .flat_map(|v| v.as_bytes().split(|&b| b == b','))
            .map(<[u8]>::trim_ascii)
            .filter(|c| !c.is_empty() && !c.eq_ignore_ascii_case(b"identity"));
        let Some(first) = codings.next() else {
            return Ok(Coding::Identity);
        };
        if len == Some(0) {
            return Ok(Coding::Identity);
        }
        let enabled = |name: &str| {
            self.inner
                .head
                .settings
                .request_body_encodings
                .iter()
                .any(|e| e.eq_ignore_ascii_case(name))
        };
        let gzip = first.eq_ignore_ascii_case(b"gzip") || first.eq_ignore_ascii_case(b"x-gzip");
        if gzip && codings.next().is_none() && enabled("gzip") {
            return Ok(Coding::Gzip);
        }
        let content_encoding = headers
            .get_all(CONTENT_ENCODING)
            .iter()
            .map(|v| super::super::latin1(v.as_bytes()).into_owned())
            .collect::<Vec<_>>()
            .join(",");
        Err(ContentEncodingError::Unsupported { content_encoding }.into_error())
    }
}

/// Where the decoder writes: collects one chunk's output, refusing to grow past the limit.
struct Sink {
    out: Vec<u8>,
    total: u64,
    limit: Option<u64>,
    exceeded: bool,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.total = self.total.saturating_add(buf.len() as u64);
        if self.limit.is_some_and(|limit| self.total > limit) {
            self.exceeded = true;
            return Err(io::Error::other(RequestDataTooBig));
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A body being decoded as it is read.
struct Decoding {
    source: RequestBody,
    decoder: flate2::write::GzDecoder<Sink>,
    received: u64,
    limit: Option<u64>,
    done: bool,
}

impl Decoding {
    fn gzip(source: RequestBody, limit: Option<u64>) -> Self {
        let sink = Sink {
            out: Vec::new(),
            total: 0,
            limit,
            exceeded: false,
        };
        Decoding {
            source,
            decoder: flate2::write::GzDecoder::new(sink),
            received: 0,
            limit,
            done: false,
        }
    }

    fn failure(&self, error: &io::Error) -> BoxError {
        if self.decoder.get_ref().exceeded {
            return Box::new(RequestDataTooBig);
        }
        Box::new(ContentEncodingError::Corrupt {
            coding: "gzip",
            message: match error.kind() {
                io::ErrorKind::WriteZero => "data after the end of the gzip stream".to_owned(),
                _ => error.to_string(),
            },
        })
    }

    /// The next decoded chunk; `None` at the end.
    async fn next(&mut self) -> Option<Result<Bytes, BoxError>> {
        while !self.done {
            let written = match self.source.chunk().await {
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(e));
                }
                Some(Ok(chunk)) => {
                    self.received = self.received.saturating_add(chunk.len() as u64);
                    if self.limit.is_some_and(|limit| self.received > limit) {
                        self.done = true;
                        return Some(Err(Box::new(RequestDataTooBig)));
                    }
                    self.decoder.write_all(&chunk)
                }
                None => {
                    self.done = true;
                    self.decoder.try_finish()
                }
            };
            if let Err(e) = written {
                self.done = true;
                return Some(Err(self.failure(&e)));
            }
            let out = std::mem::take(&mut self.decoder.get_mut().out);
            if !out.is_empty() {
                return Some(Ok(Bytes::from(out)));
            }
        }
        None
    }

    fn into_body(self) -> RequestBody {
        let stream = futures_util::stream::unfold(self, |mut decoding| async move {
            let item = decoding.next().await?;
            Some((item.map(http_body::Frame::data), decoding))
        });
        RequestBody::new(http_body_util::StreamBody::new(stream))
    }
}

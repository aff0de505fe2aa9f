//! Request and response bodies as [`http_body::Body`] values.
//!
//! A response body is either complete bytes (most responses; sent with a `Content-Length` and no
//! boxing) or a stream of chunks (`StreamingHttpResponse`, `FileResponse`). A request body is the
//! connection's stream (hyper's `Incoming`), bytes (the test client), or any other boxed body when
//! the application is mounted in another tower stack.

use std::fmt;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use http_body::{Frame, SizeHint};
use http_body_util::BodyExt;

/// A boxed error for body streams.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The error a request body read gives when the client sends the body too slowly (the
/// server's `body_read_timeout` and `min_body_rate`): a view that returns it with `?` answers
/// `408 Request Timeout`, and the server closes the connection whatever the view answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyReadTimeout;

impl fmt::Display for BodyReadTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the client sent the request body too slowly")
    }
}

impl std::error::Error for BodyReadTimeout {}

/// A stream of body chunks.
pub type BodyStream = Pin<Box<dyn Stream<Item = Result<Bytes, io::Error>> + Send + 'static>>;

/// The body of a response on the wire.
///
/// # Examples
/// ```
/// use http_body::Body as _;
/// let body = nuages::http::ResponseBody::full("hi");
/// assert_eq!(body.size_hint().exact(), Some(2));
/// ```
pub struct ResponseBody {
    inner: ResponseInner,
    /// Run when the body is dropped, after its content (see [`FinishGuard`]).
    finished: Option<FinishGuard>,
}

/// Runs a callback once, when dropped: what nuages does where Django's WSGI server calls
/// `response.close()` (closing the content objects, then sending `request_finished`).
pub(crate) struct FinishGuard(Option<Box<dyn FnOnce() + Send>>);

impl FinishGuard {
    pub(crate) fn new(f: impl FnOnce() + Send + 'static) -> Self {
        FinishGuard(Some(Box::new(f)))
    }
}

impl Drop for FinishGuard {
    fn drop(&mut self) {
        if let Some(f) = self.0.take() {
            f();
        }
    }
}

impl fmt::Debug for FinishGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FinishGuard")
    }
}

enum ResponseInner {
    Full(Option<Bytes>),
    Stream(BodyStream),
}

impl ResponseBody {
    /// A complete body.
    pub fn full(bytes: impl Into<Bytes>) -> Self {
        let b = bytes.into();
        ResponseBody {
            inner: ResponseInner::Full(if b.is_empty() { None } else { Some(b) }),
            finished: None,
        }
    }

    /// An empty body.
    pub fn empty() -> Self {
        ResponseBody {
            inner: ResponseInner::Full(None),
            finished: None,
        }
    }

    /// A streamed body.
    pub fn stream(stream: BodyStream) -> Self {
        ResponseBody {
            inner: ResponseInner::Stream(stream),
            finished: None,
        }
    }

    /// Runs `guard` when the body is dropped (after the content it holds).
    pub(crate) fn with_finish(mut self, guard: Option<FinishGuard>) -> Self {
        self.finished = guard;
        self
    }

    /// The complete bytes, or the stream.
    pub(crate) fn into_bytes_or_stream(self) -> Result<Bytes, BodyStream> {
        match self.inner {
            ResponseInner::Full(b) => Ok(b.unwrap_or_default()),
            ResponseInner::Stream(s) => Err(s),
        }
    }

    /// Collects the whole body (for tests and tools).
    ///
    /// # Errors
    /// An error of the underlying stream.
    pub async fn collect_bytes(self) -> Result<Bytes, io::Error> {
        match self.inner {
            ResponseInner::Full(b) => Ok(b.unwrap_or_default()),
            ResponseInner::Stream(mut s) => {
                let mut out = Vec::new();
                while let Some(chunk) = futures_util::StreamExt::next(&mut s).await {
                    out.extend_from_slice(&chunk?);
                }
                Ok(out.into())
            }
        }
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            ResponseInner::Full(b) => f
                .debug_tuple("ResponseBody::Full")
                .field(&b.as_ref().map_or(0, Bytes::len))
                .finish(),
            ResponseInner::Stream(_) => f.write_str("ResponseBody::Stream"),
        }
    }
}

impl http_body::Body for ResponseBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match &mut self.get_mut().inner {
            ResponseInner::Full(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            ResponseInner::Stream(s) => match s.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(b))) => Poll::Ready(Some(Ok(Frame::data(b)))),
                Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => Poll::Ready(None),
                Poll::Pending => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self.inner, ResponseInner::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match &self.inner {
            ResponseInner::Full(b) => {
                SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64))
            }
            ResponseInner::Stream(_) => SizeHint::default(),
        }
    }
}

/// The body of a request, read at most once.
///
/// # Examples
/// ```
/// # tokio_test_block_on(async {
/// let body = nuages::http::RequestBody::from("a=1");
/// # });
/// # fn tokio_test_block_on<F: std::future::Future>(_f: F) {}
/// ```
pub struct RequestBody {
    inner: RequestInner,
}

enum RequestInner {
    Empty,
    Full(Bytes),
    Incoming(hyper::body::Incoming),
    Boxed(http_body_util::combinators::UnsyncBoxBody<Bytes, BoxError>),
}

impl RequestBody {
    /// An empty body.
    pub fn empty() -> Self {
        RequestBody {
            inner: RequestInner::Empty,
        }
    }

    /// Wraps any body (used when the application is mounted in another tower stack).
    pub fn new<B>(body: B) -> Self
    where
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        RequestBody {
            inner: RequestInner::Boxed(body.map_err(Into::into).boxed_unsync()),
        }
    }

    /// The `Content-Length` the body announces, when known.
    pub fn exact_len(&self) -> Option<u64> {
        match &self.inner {
            RequestInner::Empty => Some(0),
            RequestInner::Full(b) => Some(b.len() as u64),
            RequestInner::Incoming(b) => http_body::Body::size_hint(b).exact(),
            RequestInner::Boxed(b) => http_body::Body::size_hint(b).exact(),
        }
    }

    /// The bytes of a complete body (one built from bytes), without consuming it.
    pub(crate) fn full_bytes(&self) -> Option<&Bytes> {
        match &self.inner {
            RequestInner::Full(b) => Some(b),
            _ => None,
        }
    }

    /// Reads the next chunk; `None` at the end.
    ///
    /// # Errors
    /// A transport error while reading.
    pub async fn chunk(&mut self) -> Option<Result<Bytes, BoxError>> {
        loop {
            let frame = match &mut self.inner {
                RequestInner::Empty => return None,
                RequestInner::Full(b) => {
                    let b = std::mem::take(b);
                    self.inner = RequestInner::Empty;
                    return if b.is_empty() { None } else { Some(Ok(b)) };
                }
                RequestInner::Incoming(b) => b.frame().await.map(|r| r.map_err(BoxError::from)),
                RequestInner::Boxed(b) => b.frame().await,
            };
            match frame {
                None => return None,
                Some(Err(e)) => return Some(Err(e)),
                Some(Ok(f)) => {
                    if let Ok(data) = f.into_data() {
                        if !data.is_empty() {
                            return Some(Ok(data));
                        }
                    }
                }
            }
        }
    }
}

impl Default for RequestBody {
    fn default() -> Self {
        RequestBody::empty()
    }
}

impl From<hyper::body::Incoming> for RequestBody {
    fn from(b: hyper::body::Incoming) -> Self {
        RequestBody {
            inner: RequestInner::Incoming(b),
        }
    }
}

impl From<Bytes> for RequestBody {
    fn from(b: Bytes) -> Self {
        RequestBody {
            inner: RequestInner::Full(b),
        }
    }
}

impl From<Vec<u8>> for RequestBody {
    fn from(b: Vec<u8>) -> Self {
        Bytes::from(b).into()
    }
}

impl From<&'static str> for RequestBody {
    fn from(b: &'static str) -> Self {
        Bytes::from_static(b.as_bytes()).into()
    }
}

impl From<String> for RequestBody {
    fn from(b: String) -> Self {
        Bytes::from(b).into()
    }
}

impl fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.inner {
            RequestInner::Empty => "Empty",
            RequestInner::Full(_) => "Full",
            RequestInner::Incoming(_) => "Incoming",
            RequestInner::Boxed(_) => "Boxed",
        };
        write!(f, "RequestBody::{kind}")
    }
}

//! `StreamingHttpResponse` constructors.

use std::io;

use bytes::Bytes;
use futures_core::Stream;

use super::HttpResponse;

impl HttpResponse {
    /// A streaming response from chunks produced lazily by an iterator
    /// (`StreamingHttpResponse(iterator)`).
    ///
    /// # Examples
    /// ```
    /// let r = nuages::HttpResponse::streaming_iter(["a", "b"].into_iter().map(bytes::Bytes::from));
    /// assert!(r.is_streaming());
    /// assert!(!r.has_header("content-length"));
    /// ```
    pub fn streaming_iter<I>(chunks: I) -> Self
    where
        I: IntoIterator<Item = Bytes>,
        I::IntoIter: Send + 'static,
    {
        let iter = chunks.into_iter().map(Ok::<Bytes, io::Error>);
        HttpResponse::streaming(Box::pin(futures_util::stream::iter(iter)))
    }

    /// A streaming response from an async stream of chunks.
    pub fn streaming_stream<S>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, io::Error>> + Send + 'static,
    {
        HttpResponse::streaming(Box::pin(stream))
    }
}

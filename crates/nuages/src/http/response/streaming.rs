//! `StreamingHttpResponse` constructors.

use std::io;

use futures_core::Stream;

use super::{Content, HttpResponse};

impl HttpResponse {
    /// A streaming response from chunks produced lazily by an iterator
    /// (`StreamingHttpResponse(iterator)`). Chunks are [`Content`]: text (`&'static str`,
    /// `String`) is encoded with the response's charset as it is sent, bytes are sent as they
    /// are.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use futures_util::StreamExt;
    /// use nuages::http::response::Content;
    ///
    /// let r = nuages::HttpResponse::streaming_iter(["a", "b"]);
    /// assert!(r.is_streaming());
    /// assert!(!r.has_header("content-length"));
    ///
    /// // StreamingHttpResponse(["é", b"\xe9"], content_type="text/plain; charset=latin-1")
    /// let chunks = [Content::from("é"), Content::from(&b"\xe9"[..])];
    /// let mut r = nuages::HttpResponse::streaming_iter(chunks)
    ///     .with_content_type("text/plain; charset=latin-1");
    /// let sent: Vec<_> = r.take_stream().unwrap().map(|c| c.unwrap()).collect().await;
    /// assert_eq!(sent, [&b"\xe9"[..], b"\xe9"]);
    /// # });
    /// ```
    pub fn streaming_iter<I>(chunks: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Content> + 'static,
        I::IntoIter: Send + 'static,
    {
        let iter = chunks.into_iter().map(Ok::<_, io::Error>);
        HttpResponse::streaming_chunks(futures_util::stream::iter(iter))
    }

    /// A streaming response from an async stream of chunks ([`Content`]: text is encoded with
    /// the response's charset as it is sent, as in [`HttpResponse::streaming_iter`]).
    pub fn streaming_stream<S, C>(stream: S) -> Self
    where
        S: Stream<Item = Result<C, io::Error>> + Send + 'static,
        C: Into<Content> + 'static,
    {
        HttpResponse::streaming_chunks(stream)
    }
}

//! The request body as `multer` sees it, with a bound on what `multer` may buffer.
//!
//! `multer` reads every chunk the body has ready into one buffer before parsing, and while it
//! looks for a boundary or for the end of a part's headers it keeps everything it has read.
//! [`GuardedBody`] keeps that buffer small: it hands out chunks of at most [`MAX_CHUNK`]
//! bytes, and holds the next one back while more than [`WINDOW`] bytes are delivered but not
//! yet accounted for by the parser (part data it has received, part headers and boundaries it
//! has seen, through [`Progress::consume`]). If `multer` then still cannot make progress, the
//! bytes it is sitting on are an oversized preamble, boundary line or header block, and the
//! body fails with [`HeaderWindowExceeded`] (Django's "Request max total header size
//! exceeded.").

use std::error::Error;
use std::fmt;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt;

/// Largest chunk handed to `multer` (bigger ones are split, without copying).
pub(super) const MAX_CHUNK: usize = 64 * 1024;

/// Most bytes `multer` may hold that the parser has not accounted for before the body stops
/// delivering: one chunk plus room for a part's boundary line and headers.
const WINDOW: u64 = 2 * MAX_CHUNK as u64;

type BoxError = Box<dyn Error + Send + Sync>;

/// Byte counts shared by the parser and [`GuardedBody`] (which lives inside `multer`).
#[derive(Debug, Default)]
pub(super) struct Progress {
    delivered: AtomicU64,
    consumed: AtomicU64,
}

impl Progress {
    /// Records `n` bytes `multer` no longer holds: part data it returned, or a boundary line
    /// and header block it parsed. Never counts past what was delivered.
    pub(super) fn consume(&self, n: usize) {
        let delivered = self.delivered.load(Ordering::Relaxed);
        let consumed = self.consumed.load(Ordering::Relaxed);
        let n = u64::try_from(n).unwrap_or(u64::MAX);
        self.consumed
            .store(consumed.saturating_add(n).min(delivered), Ordering::Relaxed);
    }

    fn pending(&self) -> (u64, u64) {
        let delivered = self.delivered.load(Ordering::Relaxed);
        let consumed = self.consumed.load(Ordering::Relaxed);
        (delivered.saturating_sub(consumed), consumed)
    }
}

/// `multer` kept more than the window of bytes without producing a part or part data.
#[derive(Debug)]
pub(super) struct HeaderWindowExceeded;

impl fmt::Display for HeaderWindowExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("multipart preamble or part headers too large")
    }
}

impl Error for HeaderWindowExceeded {}

/// The body stream given to `multer` (see the module documentation).
pub(super) struct GuardedBody<S> {
    inner: S,
    /// The unsent rest of the last chunk read from `inner`.
    rest: Bytes,
    progress: Arc<Progress>,
    /// The consumed count when a chunk was last held back.
    held_at: Option<u64>,
}

impl<S> fmt::Debug for GuardedBody<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GuardedBody")
            .field("rest", &self.rest.len())
            .field("progress", &self.progress)
            .finish_non_exhaustive()
    }
}

impl<S, E> GuardedBody<S>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Into<BoxError>,
{
    pub(super) fn new(inner: S, progress: Arc<Progress>) -> Self {
        GuardedBody {
            inner,
            rest: Bytes::new(),
            progress,
            held_at: None,
        }
    }

    /// Reads up to the first non-empty chunk; `false` if the body is empty.
    pub(super) async fn has_data(&mut self) -> Result<bool, BoxError> {
        while self.rest.is_empty() {
            match self.inner.next().await {
                Some(chunk) => self.rest = chunk.map_err(Into::into)?,
                None => return Ok(false),
            }
        }
        Ok(true)
    }
}

impl<S, E> Stream for GuardedBody<S>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Into<BoxError>,
{
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let (pending, consumed) = this.progress.pending();
        if pending > WINDOW {
            if this.held_at == Some(consumed) {
                // Held back already, and multer produced nothing since: it is stuck.
                return Poll::Ready(Some(Err(Box::new(HeaderWindowExceeded))));
            }
            this.held_at = Some(consumed);
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        this.held_at = None;
        let mut chunk = if this.rest.is_empty() {
            match Pin::new(&mut this.inner).poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => chunk,
                Poll::Ready(Some(Err(err))) => return Poll::Ready(Some(Err(err.into()))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        } else {
            std::mem::take(&mut this.rest)
        };
        if chunk.len() > MAX_CHUNK {
            this.rest = chunk.split_off(MAX_CHUNK);
        }
        let len = u64::try_from(chunk.len()).unwrap_or(u64::MAX);
        this.progress.delivered.fetch_add(len, Ordering::Relaxed);
        Poll::Ready(Some(Ok(chunk)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::stream;

    #[tokio::test]
    async fn splits_big_chunks_and_holds_back_unaccounted_bytes() {
        let progress = Arc::new(Progress::default());
        let chunks = vec![Ok::<_, std::io::Error>(Bytes::from(vec![
            b'x';
            3 * MAX_CHUNK
        ]))];
        let mut body = GuardedBody::new(stream::iter(chunks), progress.clone());
        assert!(body.has_data().await.unwrap());
        for _ in 0..2 {
            assert_eq!(body.next().await.unwrap().unwrap().len(), MAX_CHUNK);
        }
        // 128 KiB delivered, none consumed: the window is full but not exceeded.
        assert_eq!(body.next().await.unwrap().unwrap().len(), MAX_CHUNK);
        // Now over the window: held back once, then an error since nothing was consumed.
        let waker = futures_util::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        assert!(Pin::new(&mut body).poll_next(&mut cx).is_pending());
        match Pin::new(&mut body).poll_next(&mut cx) {
            Poll::Ready(Some(Err(err))) => assert!(err.is::<HeaderWindowExceeded>()),
            other => panic!("expected an error, got {other:?}"),
        }
        progress.consume(3 * MAX_CHUNK);
        assert!(body.next().await.is_none());
    }

    #[tokio::test]
    async fn empty_bodies_have_no_data() {
        let progress = Arc::new(Progress::default());
        let chunks = vec![Ok::<_, std::io::Error>(Bytes::new()), Ok(Bytes::new())];
        let mut body = GuardedBody::new(stream::iter(chunks), progress);
        assert!(!body.has_data().await.unwrap());
    }
}

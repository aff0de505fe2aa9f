//! A connection's socket with the two timeouts that run while no request is being served: the
//! idle keep-alive timeout (no request arrives: the connection is closed quietly) and the
//! header-read timeout (a request head started arriving but is not complete: the client gets
//! `408 Request Timeout` and the connection is closed). hyper's own header timeout closes the
//! connection without an answer, so nuages keeps time here instead.
//!
//! A request is "in flight" from the moment the application is called until its response body
//! has been written (or dropped): [`InFlight`] guards count them, and neither timeout runs while
//! one is alive — a slow view or a long download is never cut by them (body reads have their own
//! timeouts, in `server/body.rs`).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use futures_util::task::AtomicWaker;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// What `408 Request Timeout` looks like on the wire when the head never completed.
const REQUEST_TIMEOUT: &[u8] =
    b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";

/// The state a connection's requests share with its socket.
#[derive(Debug)]
pub(crate) struct Activity {
    started: Instant,
    in_flight: AtomicUsize,
    /// Milliseconds after `started` at which the last in-flight request ended.
    idle_since_ms: AtomicU64,
    served: AtomicU64,
    /// The socket's reader, woken when the last in-flight request ends so that it starts the
    /// idle timeout.
    reader: AtomicWaker,
}

impl Activity {
    pub(crate) fn new() -> Arc<Activity> {
        Arc::new(Activity {
            started: Instant::now(),
            in_flight: AtomicUsize::new(0),
            idle_since_ms: AtomicU64::new(0),
            served: AtomicU64::new(0),
            reader: AtomicWaker::new(),
        })
    }

    /// Marks a request as started; the returned guard ends it when dropped. Also returns how
    /// many requests this connection had started before this one.
    pub(crate) fn begin(self: &Arc<Self>) -> (InFlight, u64) {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        let before = self.served.fetch_add(1, Ordering::AcqRel);
        (InFlight(self.clone()), before)
    }

    /// How many requests have started on the connection.
    fn started(&self) -> u64 {
        self.served.load(Ordering::Acquire)
    }

    /// Records activity now (an HTTP/2 frame while no stream is open).
    fn touch(&self) {
        let ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.idle_since_ms.store(ms, Ordering::Release);
    }

    /// Since when no request has been in flight; `None` while one is.
    fn idle_since(&self) -> Option<Instant> {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            return None;
        }
        let ms = self.idle_since_ms.load(Ordering::Acquire);
        Some(self.started + Duration::from_millis(ms))
    }
}

/// A request in flight on its connection (see the module docs).
#[derive(Debug)]
pub(crate) struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.touch();
        if self.0.in_flight.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.reader.wake();
        }
    }
}

/// The timeouts, `None` for none.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IdleTimeouts {
    pub(crate) keep_alive: Option<Duration>,
    pub(crate) header_read: Option<Duration>,
}

#[derive(Debug)]
enum Phase {
    /// Nothing of a new request has arrived (or a request is in flight).
    Waiting,
    /// Bytes of a request head arrived at this instant, while no request was in flight and
    /// after this many requests had started on the connection.
    Head(Instant, u64),
    /// Writing the 408 answer; then the connection reads as closed.
    Answering(usize),
    /// Timed out: reads end the connection.
    Closed,
}

/// A socket with the idle and header-read timeouts.
pub(crate) struct ConnIo<T> {
    inner: T,
    activity: Arc<Activity>,
    timeouts: IdleTimeouts,
    phase: Phase,
    /// HTTP/2 (decided by the first bytes): frames arrive while no stream is open, so only the
    /// idle timeout applies, reset by any byte.
    http2: Option<bool>,
    timer: Pin<Box<Sleep>>,
    armed: bool,
}

impl<T> ConnIo<T> {
    pub(crate) fn new(inner: T, activity: Arc<Activity>, timeouts: IdleTimeouts) -> Self {
        ConnIo {
            inner,
            activity,
            timeouts,
            phase: Phase::Waiting,
            http2: None,
            timer: Box::pin(tokio::time::sleep_until(Instant::now())),
            armed: false,
        }
    }
}

impl<T: AsyncRead + AsyncWrite + Unpin> ConnIo<T> {
    /// Writes what is left of the 408 answer.
    fn poll_answer(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Phase::Answering(at) = self.phase {
            if at == REQUEST_TIMEOUT.len() {
                ready!(Pin::new(&mut self.inner).poll_flush(cx))?;
                self.phase = Phase::Closed;
                break;
            }
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &REQUEST_TIMEOUT[at..]))?;
            if n == 0 {
                self.phase = Phase::Closed;
                break;
            }
            self.phase = Phase::Answering(at + n);
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + AsyncWrite + Unpin> AsyncRead for ConnIo<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            match this.phase {
                Phase::Closed => return Poll::Ready(Ok(())),
                Phase::Answering(_) => {
                    ready!(this.poll_answer(cx))?;
                    continue;
                }
                Phase::Head(_, started) if started != this.activity.started() => {
                    // That head was complete: its request has started (and maybe ended).
                    this.phase = Phase::Waiting;
                }
                Phase::Waiting | Phase::Head(..) => {}
            }
            let before = buf.filled().len();
            if let Poll::Ready(read) = Pin::new(&mut this.inner).poll_read(cx, buf) {
                let got = &buf.filled()[before..];
                if !got.is_empty() {
                    this.on_bytes(got);
                }
                return Poll::Ready(read);
            }
            // Nothing to read: how long may that last?
            this.activity.reader.register(cx.waker());
            let Some(idle_since) = this.activity.idle_since() else {
                // A request is in flight, so its head is complete; its end wakes this reader.
                this.phase = Phase::Waiting;
                return Poll::Pending;
            };
            let due = match this.phase {
                Phase::Head(since, _) => this.timeouts.header_read.map(|t| (since + t, true)),
                _ => this.timeouts.keep_alive.map(|t| (idle_since + t, false)),
            };
            let Some((deadline, answer)) = due else {
                return Poll::Pending;
            };
            // The timer is re-armed only for an earlier deadline: one that moved later (the
            // next idle period, a head's own deadline) is checked when the timer fires, so a
            // keep-alive connection does not re-register its timer for every request.
            if !this.armed || this.timer.deadline() > deadline {
                this.timer.as_mut().reset(deadline);
                this.armed = true;
            }
            if this.timer.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            if Instant::now() < deadline {
                this.timer.as_mut().reset(deadline);
                if this.timer.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
            }
            this.armed = false;
            if answer && this.http2 != Some(true) {
                tracing::info!(
                    target: "nuages::server",
                    "408 Request Timeout: the request head did not arrive in time"
                );
                this.phase = Phase::Answering(0);
            } else {
                tracing::debug!(target: "nuages::server", "closing an idle connection");
                this.phase = Phase::Closed;
            }
        }
    }
}

impl<T> ConnIo<T> {
    /// Bytes arrived: with no request in flight, they start a request head (HTTP/1) or are
    /// activity that keeps the connection open (HTTP/2 frames).
    fn on_bytes(&mut self, got: &[u8]) {
        let http2 = *self.http2.get_or_insert_with(|| got.starts_with(b"PRI "));
        if self.activity.in_flight.load(Ordering::Acquire) > 0 {
            self.phase = Phase::Waiting;
        } else if http2 {
            self.activity.touch();
        } else if let Phase::Waiting = self.phase {
            self.phase = Phase::Head(Instant::now(), self.activity.started());
        }
    }
}

impl<T: AsyncRead + AsyncWrite + Unpin> AsyncWrite for ConnIo<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

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
//!
//! The end of a request does not wake the connection: it happens while the connection's task
//! is writing the response, and a wake from inside the task makes tokio's scheduler poll it
//! again and wake an idle worker to share the work — a futex, an eventfd write and an empty
//! poll for every request. Instead the timer stays armed while requests are in flight, at most
//! one keep-alive period ahead; when it fires it is set again for the deadline that holds then
//! (another period while a request is still in flight, the idle deadline otherwise).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::Duration;

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
}

impl Activity {
    pub(crate) fn new() -> Arc<Activity> {
        Arc::new(Activity {
            started: Instant::now(),
            in_flight: AtomicUsize::new(0),
            idle_since_ms: AtomicU64::new(0),
            served: AtomicU64::new(0),
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
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
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
            let Some(idle_since) = this.activity.idle_since() else {
                // A request is in flight, so its head is complete. Nothing wakes this reader
                // when it ends (see the module docs): the timer checks back.
                this.phase = Phase::Waiting;
                this.poll_in_flight_check(cx);
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
    /// While a request is in flight: keeps the timer armed at most a keep-alive period ahead,
    /// so that the idle timeout is checked after the request ends.
    fn poll_in_flight_check(&mut self, cx: &mut Context<'_>) {
        let Some(period) = self.timeouts.keep_alive else {
            // No idle timeout: nothing to check (a head timeout starts with bytes, which wake
            // the reader).
            return;
        };
        if !self.armed {
            self.timer.as_mut().reset(Instant::now() + period);
            self.armed = true;
        }
        if self.timer.as_mut().poll(cx).is_ready() {
            // Fired while the request runs: check again a period later.
            self.timer.as_mut().reset(Instant::now() + period);
            let _ = self.timer.as_mut().poll(cx);
        }
    }

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

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;
    use std::task::{Wake, Waker};

    use super::*;

    /// Counts the wakes of the task that polls.
    #[derive(Default)]
    struct Wakes(AtomicUsize);

    impl Wake for Wakes {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::AcqRel);
        }
    }

    impl Wakes {
        fn take(&self) -> usize {
            self.0.swap(0, Ordering::AcqRel)
        }
    }

    fn poll_read<T: AsyncRead + AsyncWrite + Unpin>(
        io: &mut ConnIo<T>,
        waker: &Waker,
    ) -> Poll<io::Result<usize>> {
        let mut cx = Context::from_waker(waker);
        let mut storage = [0u8; 16];
        let mut buf = ReadBuf::new(&mut storage);
        Pin::new(io)
            .poll_read(&mut cx, &mut buf)
            .map_ok(|()| buf.filled().len())
    }

    /// A connection (its client end kept open) with a request in flight, and the waker its
    /// reads are polled with.
    struct InFlightConnection {
        _client: tokio::io::DuplexStream,
        io: ConnIo<tokio::io::DuplexStream>,
        request: InFlight,
        wakes: Arc<Wakes>,
        waker: Waker,
    }

    fn in_flight(keep_alive: Option<Duration>) -> InFlightConnection {
        let (client, socket) = tokio::io::duplex(64);
        let activity = Activity::new();
        let timeouts = IdleTimeouts {
            keep_alive,
            header_read: None,
        };
        let io = ConnIo::new(socket, activity.clone(), timeouts);
        let wakes = Arc::new(Wakes::default());
        let waker = Waker::from(wakes.clone());
        let (request, _) = activity.begin();
        InFlightConnection {
            _client: client,
            io,
            request,
            wakes,
            waker,
        }
    }

    /// Nothing wakes the reader when a request ends: the timer armed while it was in flight
    /// does, and the idle timeout then runs from the end of the request.
    #[tokio::test(start_paused = true)]
    async fn the_idle_timeout_is_checked_after_a_request_ends_without_a_wake() {
        let keep_alive = Duration::from_millis(300);
        let mut c = in_flight(Some(keep_alive));
        assert!(poll_read(&mut c.io, &c.waker).is_pending());
        // The request runs longer than the timeout: the timer checks back, the connection
        // stays open.
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(c.wakes.take(), 1);
        assert!(poll_read(&mut c.io, &c.waker).is_pending());
        drop(c.request);
        assert_eq!(c.wakes.take(), 0, "the end of a request wakes nothing");
        tokio::time::advance(keep_alive - Duration::from_millis(50)).await;
        assert_eq!(
            c.wakes.take(),
            0,
            "the check is due a period after the last one"
        );
        tokio::time::advance(Duration::from_millis(100)).await;
        assert_eq!(c.wakes.take(), 1);
        // Idle since the end of the request for longer than the timeout: closed (end of file).
        assert!(matches!(poll_read(&mut c.io, &c.waker), Poll::Ready(Ok(0))));
    }

    /// A connection without an idle timeout arms no timer while a request is in flight.
    #[tokio::test(start_paused = true)]
    async fn without_an_idle_timeout_nothing_is_armed() {
        let mut c = in_flight(None);
        assert!(poll_read(&mut c.io, &c.waker).is_pending());
        drop(c.request);
        tokio::time::advance(Duration::from_secs(3600)).await;
        assert_eq!(c.wakes.take(), 0);
        assert!(poll_read(&mut c.io, &c.waker).is_pending());
    }
}

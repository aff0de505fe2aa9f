//! The bodies the server hands to hyper and to the application: a request body that gives up
//! when the client sends it too slowly, and a response body that keeps its request "in flight"
//! until hyper has written it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use hyper::body::Incoming;
use tokio::time::{Instant, Sleep};

use super::io::InFlight;
use crate::http::body::{BoxError, ResponseBody};

/// The request body's timeouts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyTimeouts {
    /// No byte for this long ends the read.
    pub(crate) idle: Option<Duration>,
    /// Fewer bytes per second than this, averaged over the time spent waiting for the client
    /// (once that is over `grace`), ends the read.
    pub(crate) min_rate: Option<u64>,
    pub(crate) grace: Duration,
}

/// The error a timed-out body read gives the application; the server answers the request
/// with `408 Request Timeout` whatever the application made of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyReadTimeout;

impl fmt::Display for BodyReadTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the client sent the request body too slowly")
    }
}

impl std::error::Error for BodyReadTimeout {}

/// hyper's body with the read timeouts.
pub(crate) struct TimedBody {
    inner: Incoming,
    timeouts: BodyTimeouts,
    timer: Option<Pin<Box<Sleep>>>,
    waiting_since: Option<Instant>,
    waited: Duration,
    received: u64,
    timed_out: Arc<AtomicBool>,
}

impl TimedBody {
    pub(crate) fn new(inner: Incoming, timeouts: BodyTimeouts, timed_out: Arc<AtomicBool>) -> Self {
        TimedBody {
            inner,
            timeouts,
            timer: None,
            waiting_since: None,
            waited: Duration::ZERO,
            received: 0,
            timed_out,
        }
    }

    fn too_slow(&self, waited: Duration) -> bool {
        match self.timeouts.min_rate {
            Some(rate) if waited >= self.timeouts.grace => {
                (self.received as f64) < rate as f64 * waited.as_secs_f64()
            }
            _ => false,
        }
    }

    fn fail(&mut self) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        self.timed_out.store(true, Ordering::Release);
        Poll::Ready(Some(Err(Box::new(BodyReadTimeout))))
    }
}

impl Body for TimedBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        if this.timed_out.load(Ordering::Acquire) {
            return this.fail();
        }
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(frame) => {
                if let Some(since) = this.waiting_since.take() {
                    this.waited += since.elapsed();
                }
                if let Some(Ok(data)) = frame.as_ref().map(|f| f.as_ref().map(Frame::data_ref)) {
                    this.received += data.map_or(0, |d| d.len() as u64);
                }
                if this.too_slow(this.waited) {
                    return this.fail();
                }
                Poll::Ready(frame.map(|f| f.map_err(BoxError::from)))
            }
            Poll::Pending => {
                let now = Instant::now();
                let since = *this.waiting_since.get_or_insert(now);
                if this.too_slow(this.waited + (now - since)) {
                    return this.fail();
                }
                let Some(idle) = this.timeouts.idle else {
                    return Poll::Pending;
                };
                let deadline = since + idle;
                let timer = this
                    .timer
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
                if timer.deadline() != deadline {
                    timer.as_mut().reset(deadline);
                }
                match timer.as_mut().poll(cx) {
                    Poll::Ready(()) => this.fail(),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A response body that ends its request's [`InFlight`] guard once hyper is done with it.
pub(crate) struct ServedBody {
    inner: ResponseBody,
    _in_flight: InFlight,
}

impl ServedBody {
    pub(crate) fn new(inner: ResponseBody, in_flight: InFlight) -> Self {
        ServedBody {
            inner,
            _in_flight: in_flight,
        }
    }
}

impl Body for ServedBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        Pin::new(&mut self.get_mut().inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

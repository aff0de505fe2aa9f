//! Telling a connection to finish: after its last allowed request or a body that timed out
//! (`close`), or because the server shuts down (`stop`). Both end in hyper's graceful shutdown
//! of the connection.
//!
//! A connection's task checks two flags each time it is polled, and registers its waker in an
//! [`AtomicWaker`]: far cheaper per request than polling `tokio::sync::Notify` and `watch`
//! futures, which lock a mutex on every poll.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use futures_util::task::AtomicWaker;

/// One connection's signal.
#[derive(Debug, Default)]
pub(super) struct ConnSignal {
    close: AtomicBool,
    stop: AtomicBool,
    waker: AtomicWaker,
}

impl ConnSignal {
    /// Asks the connection to close once its current response is sent.
    pub(super) fn close(&self) {
        self.close.store(true, Ordering::Release);
        self.waker.wake();
    }

    /// Asks the connection to finish its open requests and close (server shutdown).
    pub(super) fn stop(&self) {
        self.stop.store(true, Ordering::Release);
        self.waker.wake();
    }

    /// Whether the connection should shut down gracefully now; registers `cx`'s waker first, so
    /// a later [`ConnSignal::close`] or [`ConnSignal::stop`] wakes the task.
    fn raised(&self, cx: &Context<'_>) -> bool {
        self.waker.register(cx.waker());
        self.close.load(Ordering::Acquire) || self.stop.load(Ordering::Acquire)
    }
}

/// Drives `conn` to its end, starting its graceful shutdown (`graceful_shutdown`, called at
/// most once) when `signal` is raised.
pub(super) async fn drive<C: Future>(
    mut conn: Pin<&mut C>,
    signal: &ConnSignal,
    mut graceful_shutdown: impl FnMut(Pin<&mut C>),
) -> C::Output {
    let mut shutting_down = false;
    std::future::poll_fn(move |cx| {
        if let Poll::Ready(out) = conn.as_mut().poll(cx) {
            return Poll::Ready(out);
        }
        if !shutting_down && signal.raised(cx) {
            shutting_down = true;
            graceful_shutdown(conn.as_mut());
            return conn.as_mut().poll(cx);
        }
        Poll::Pending
    })
    .await
}

/// The signals of a server's open connections, for its shutdown.
#[derive(Debug, Default)]
pub(super) struct OpenConnections {
    next: AtomicU64,
    open: Mutex<HashMap<u64, Arc<ConnSignal>>>,
}

impl OpenConnections {
    /// Registers a new connection; it is forgotten when the returned guard is dropped.
    pub(super) fn register(self: &Arc<Self>) -> Registered {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let signal = Arc::new(ConnSignal::default());
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, Arc::clone(&signal));
        Registered {
            set: Arc::clone(self),
            id,
            signal,
        }
    }

    /// Asks every open connection to finish.
    pub(super) fn stop_all(&self) {
        for signal in self
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
        {
            signal.stop();
        }
    }
}

/// A registered connection (see [`OpenConnections::register`]).
#[derive(Debug)]
pub(super) struct Registered {
    set: Arc<OpenConnections>,
    id: u64,
    /// The connection's signal.
    pub(super) signal: Arc<ConnSignal>,
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.set
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A connection that ends one poll after its graceful shutdown started.
    struct Fake {
        shutdown: bool,
        polls_after: u32,
    }

    impl Future for Fake {
        type Output = u32;
        fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<u32> {
            if self.shutdown {
                self.polls_after += 1;
                return Poll::Ready(self.polls_after);
            }
            Poll::Pending
        }
    }

    fn start_shutdown(mut fake: Pin<&mut Fake>) {
        assert!(!fake.shutdown, "graceful shutdown started twice");
        fake.shutdown = true;
    }

    #[tokio::test]
    async fn close_and_stop_start_one_graceful_shutdown() {
        for raise in [ConnSignal::close, ConnSignal::stop] {
            let set = Arc::new(OpenConnections::default());
            let registered = set.register();
            let signal = Arc::clone(&registered.signal);
            let mut fake = std::pin::pin!(Fake {
                shutdown: false,
                polls_after: 0,
            });
            let task = async { drive(fake.as_mut(), &signal, start_shutdown).await };
            let raiser = async {
                tokio::task::yield_now().await;
                raise(&registered.signal);
                // Raising again (close, then the server's stop) changes nothing.
                set.stop_all();
            };
            let (polls, ()) = tokio::join!(task, raiser);
            assert_eq!(polls, 1);
            drop(registered);
            assert!(set.open.lock().unwrap().is_empty());
        }
    }
}

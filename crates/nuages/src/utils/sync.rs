//! `asgiref.sync.async_to_sync` for sync views: a plain `fn` view runs on a blocking thread
//! (see [`views`](crate::views)), where it may wait for an async API — the body, `POST`,
//! `FILES`, the session, a database — by blocking on it.

use std::cell::Cell;
use std::fmt;
use std::future::Future;

thread_local! {
    /// Whether this thread is running a sync view (set by the framework around the call).
    static IN_SYNC_VIEW: Cell<bool> = const { Cell::new(false) };
}

/// [`async_to_sync`] outside a sync view: on an async task, blocking would stall the runtime
/// (asgiref refuses it the same way).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotInSyncContext;

impl fmt::Display for NotInSyncContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "You cannot use AsyncToSync in the same thread as an async event loop - just await the async function directly.",
        )
    }
}

impl std::error::Error for NotInSyncContext {}

/// Runs `f` with [`async_to_sync`] allowed on this thread (the framework calls sync views
/// this way, inside `spawn_blocking`).
pub(crate) fn sync_context<T>(f: impl FnOnce() -> T) -> T {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            IN_SYNC_VIEW.with(|c| c.set(self.0));
        }
    }
    let _reset = Reset(IN_SYNC_VIEW.with(|c| c.replace(true)));
    f()
}

/// Waits for `future` from a sync view (Django's `async_to_sync(...)()`), on the runtime that
/// serves the request.
///
/// # Errors
/// [`NotInSyncContext`] when called elsewhere than in a sync view: an async view awaits
/// instead.
///
/// # Examples
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use nuages::utils::sync::async_to_sync;
/// use nuages::{urls::path, App, HttpRequest, HttpResponse, Result};
///
/// // A sync view: a plain `fn`, run on a blocking thread.
/// fn echo(request: HttpRequest) -> Result<HttpResponse> {
///     let body = async_to_sync(request.body())??;
///     Ok(HttpResponse::new(body))
/// }
/// let app = App::builder()
///     .settings(nuages::Settings { debug: true, ..Default::default() })
///     .urls([path("echo", echo)])
///     .build()
///     .unwrap();
/// let client = nuages::test::Client::new(app);
/// assert_eq!(client.post("/echo").body("hi").send().await.text(), "hi");
///
/// // On an async task it is refused, never a deadlock or a panic.
/// assert!(async_to_sync(async { 1 }).is_err());
/// # });
/// ```
pub fn async_to_sync<F: Future>(future: F) -> Result<F::Output, NotInSyncContext> {
    if !IN_SYNC_VIEW.with(Cell::get) {
        return Err(NotInSyncContext);
    }
    let handle = tokio::runtime::Handle::try_current().map_err(|_| NotInSyncContext)?;
    Ok(handle.block_on(future))
}

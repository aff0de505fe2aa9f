//! The equivalent of `django/middleware/` and of Django's middleware model.
//!
//! A middleware wraps the rest of the chain (Django's "onion"): it receives the request and a
//! [`Next`] handle, may answer by itself, or call `next.run(request)` and then look at or change
//! the response on its way out. The list given to the application is in `settings.MIDDLEWARE`
//! order: the first is the outermost.
//!
//! Like Django's `convert_exception_to_response`, every layer converts an `Err` into the
//! response of the matching error handler (404, 403, 400, 500) right where it happens, so the
//! middleware above it see an ordinary response.
//!
//! Two more hooks run inside the handler, after URL resolution:
//! [`Middleware::process_view`] (in middleware order; the first response wins and skips the
//! view) and [`Middleware::process_exception`] (in reverse order, when the view fails).
//!
//! ```
//! use nuages::middleware::{Middleware, Next};
//! use nuages::views::BoxFuture;
//! use nuages::{HttpRequest, HttpResponse, Result};
//!
//! /// Adds `X-Elapsed-Us` to every response.
//! struct Timing;
//!
//! impl Middleware for Timing {
//!     fn call<'a>(&'a self, request: HttpRequest, next: Next<'a>) -> BoxFuture<'a, Result<HttpResponse>> {
//!         Box::pin(async move {
//!             let start = std::time::Instant::now();
//!             let mut response = next.run(request).await;
//!             let us = start.elapsed().as_micros().to_string();
//!             response.set_header("X-Elapsed-Us", &us)?;
//!             Ok(response)
//!         })
//!     }
//! }
//! ```

pub mod clickjacking;
pub mod common;
pub mod cors;
pub mod security;

use std::sync::Arc;

use crate::handler::AppInner;
use crate::urls::ResolverMatch;
use crate::views::BoxFuture;
use crate::{Error, HttpRequest, HttpResponse};

/// A Django-style middleware.
pub trait Middleware: Send + Sync + 'static {
    /// Handles a request: answer directly, or call `next.run(request)` and process the response.
    /// The default passes the request through.
    fn call<'a>(
        &'a self,
        request: HttpRequest,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<HttpResponse, Error>> {
        Box::pin(async move { Ok(next.run(request).await) })
    }

    /// Django's `process_view(request, view_func, view_args, view_kwargs)`, called after URL
    /// resolution and before the view. Return `None` when there is nothing to do for this request
    /// (no allocation); otherwise a future resolving to `Ok(Some(response))` to answer instead of
    /// the view, `Ok(None)` to go on, or an error.
    fn process_view<'a>(
        &'a self,
        _request: &'a mut HttpRequest,
        _view: &'a ResolverMatch,
    ) -> Option<BoxFuture<'a, Result<Option<HttpResponse>, Error>>> {
        None
    }

    /// Django's `process_exception(request, exception)`: called (in reverse middleware order) when
    /// the view returned an error; a response replaces the error handling.
    fn process_exception(&self, _request: &HttpRequest, _error: &Error) -> Option<HttpResponse> {
        None
    }

    /// A short name for logs and debugging.
    fn name(&self) -> &'static str {
        std::any::type_name::<Self>()
    }
}

/// The rest of the middleware chain.
pub struct Next<'a> {
    pub(crate) app: &'a Arc<AppInner>,
    pub(crate) index: usize,
}

impl std::fmt::Debug for Next<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Next").field("index", &self.index).finish()
    }
}

impl<'a> Next<'a> {
    /// Runs the rest of the chain (the next middleware, or the URL resolver and the view).
    /// Errors below are already converted into responses.
    pub fn run(self, request: HttpRequest) -> BoxFuture<'a, HttpResponse> {
        self.app.run_from(self.index, request)
    }
}

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
//!     fn call<'a>(&'a self, request: HttpRequest, next: Next) -> BoxFuture<'a, Result<HttpResponse>> {
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
pub mod csrf;
pub mod gzip;
pub mod http;
pub mod layer;
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
        next: Next,
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

/// The rest of the middleware chain: the next middleware, or the URL resolver and the view.
/// Cheap to clone.
#[derive(Clone)]
pub struct Next {
    inner: NextInner,
}

#[derive(Clone)]
enum NextInner {
    App { app: Arc<AppInner>, index: usize },
    Service(Arc<dyn Fn(HttpRequest) -> BoxFuture<'static, HttpResponse> + Send + Sync>),
}

impl std::fmt::Debug for Next {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.inner {
            NextInner::App { index, .. } => f.debug_struct("Next").field("index", index).finish(),
            NextInner::Service(_) => f.write_str("Next(service)"),
        }
    }
}

impl Next {
    pub(crate) fn app(app: Arc<AppInner>, index: usize) -> Self {
        Next {
            inner: NextInner::App { app, index },
        }
    }

    /// A `Next` that hands the request to a function (used to run a middleware in front of an
    /// arbitrary tower service, see [`layer::MiddlewareLayer`]).
    pub fn from_fn(
        f: impl Fn(HttpRequest) -> BoxFuture<'static, HttpResponse> + Send + Sync + 'static,
    ) -> Self {
        Next {
            inner: NextInner::Service(Arc::new(f)),
        }
    }

    /// Runs the rest of the chain. Errors below are already converted into responses.
    pub fn run(self, request: HttpRequest) -> BoxFuture<'static, HttpResponse> {
        match self.inner {
            NextInner::App { app, index } => {
                Box::pin(async move { app.run_from(index, request).await })
            }
            NextInner::Service(f) => f(request),
        }
    }
}

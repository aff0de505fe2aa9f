//! The equivalent of `django/middleware/` and of Django's middleware model.
//!
//! A middleware wraps the rest of the chain (Django's "onion"): it receives the request and a
//! [`Next`] handle, may answer by itself, or call `next.run(request)` and then look at or change
//! the response on its way out. The list given to the application is in `settings.MIDDLEWARE`
//! order: the first is the outermost.
//!
//! The chain is composed once, when the application is built (Django's `load_middleware`):
//! each middleware's [`Next`] points straight at the layer below it, so a request goes down and
//! back up without any lookup. Like Django's `convert_exception_to_response`, every layer turns
//! an `Err` (or a panic) of its middleware into the response of the matching error handler
//! (404, 403, 400, 500) right where it happens, so the middleware above it see an ordinary
//! response.
//!
//! Two more hooks run inside the handler, after URL resolution:
//! [`Middleware::process_view`] (in middleware order; the first response wins and skips the
//! view) and [`Middleware::process_exception`] (in reverse order, when the view fails).
//!
//! Each built-in middleware reads its `*_` settings from the application's
//! [`Settings`] when the application is built ([`Middleware::configure`]).
//!
//! # Writing one
//! Implement [`Middleware`] with an `async fn call`:
//! ```
//! use nuages::middleware::{Middleware, Next};
//! use nuages::{HttpRequest, HttpResponse, Result};
//!
//! /// Adds `X-Elapsed-Us` to every response.
//! struct Timing;
//!
//! impl Middleware for Timing {
//!     async fn call(&self, request: HttpRequest, next: Next<'_>) -> Result<HttpResponse> {
//!         let start = std::time::Instant::now();
//!         let response = next.run(request).await;
//!         Ok(response.with_header("X-Elapsed-Us", start.elapsed().as_micros().to_string()))
//!     }
//! }
//! ```
//! or, for a one-off, with [`from_fn`] and a closure (as axum's `middleware::from_fn`):
//! ```
//! use nuages::middleware::from_fn;
//! use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
//!
//! async fn page(_req: HttpRequest) -> HttpResponse { HttpResponse::new("page") }
//!
//! let app = App::builder()
//!     .settings(Settings { debug: true, ..Settings::default() })
//!     .middleware(from_fn(|request, next| async move {
//!         let response = next.run(request).await;
//!         response.with_header("X-Served-By", "nuages")
//!     }))
//!     .urls([path("page", page)])
//!     .build()
//!     .unwrap();
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let resp = nuages::test::Client::new(app).get("/page").send().await;
//! assert_eq!(resp.header("x-served-by").as_deref(), Some("nuages"));
//! # });
//! ```

pub mod cache;
pub mod clickjacking;
pub mod common;
pub mod cors;
pub mod csp;
pub mod csrf;
pub mod gzip;
pub mod http;
pub mod layer;
pub mod security;

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use crate::conf::Settings;
use crate::core::exceptions::ImproperlyConfigured;
use crate::urls::ResolverMatch;
use crate::views::{BoxFuture, IntoViewResult};
use crate::{Error, HttpRequest, HttpResponse};

/// A Django-style middleware. Only [`Middleware::call`] is usually written; every method has a
/// default.
///
/// # Examples
/// See the [module documentation](self).
pub trait Middleware: Send + Sync + 'static {
    /// Reads this middleware's settings when the application is built (Django's `__init__`);
    /// an error stops the build, as Django's `ImproperlyConfigured` stops the server.
    ///
    /// # Errors
    /// Invalid settings.
    fn configure(&mut self, settings: &Settings) -> Result<(), ImproperlyConfigured> {
        let _ = settings;
        Ok(())
    }

    /// Handles a request: answer directly, or call `next.run(request)` and process the response.
    /// The default passes the request through.
    fn call(
        &self,
        request: HttpRequest,
        next: Next<'_>,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        async move { Ok(next.run(request).await) }
    }

    /// Django's `process_view(request, view_func, view_args, view_kwargs)`, called after URL
    /// resolution and before the view. Return `None` when there is nothing to do for this request
    /// (no allocation); otherwise a future resolving to `Ok(Some(response))` to answer instead of
    /// the view, `Ok(None)` to go on, or an error.
    fn process_view<'a>(
        &'a self,
        request: &'a mut HttpRequest,
        view: &'a ResolverMatch,
    ) -> Option<BoxFuture<'a, Result<Option<HttpResponse>, Error>>> {
        let _ = (request, view);
        None
    }

    /// Django's `process_exception(request, exception)`: called (in reverse middleware order) when
    /// the view returned an error; a response replaces the error handling.
    fn process_exception(&self, request: &HttpRequest, error: &Error) -> Option<HttpResponse> {
        let _ = (request, error);
        None
    }

    /// Django's `process_template_response(request, response)`: called (in reverse middleware
    /// order) for a response the view made with
    /// [`TemplateResponse`](crate::template::response::TemplateResponse), before it is
    /// rendered: it may change the template or the context
    /// ([`lazy_template_mut`](crate::template::response::lazy_template_mut)) or return
    /// another response.
    ///
    /// # Errors
    /// Any error, answered like a view's.
    fn process_template_response(
        &self,
        request: &HttpRequest,
        response: HttpResponse,
    ) -> Result<HttpResponse, Error> {
        let _ = request;
        Ok(response)
    }

    /// A short name for logs and debugging.
    fn name(&self) -> &'static str {
        std::any::type_name::<Self>()
    }

    /// The request and response phases of a middleware written as a [`MiddlewareMixin`], which
    /// the application runs without a layer of its own (see [`MiddlewareMixin`]). Not meant to
    /// be overridden: the blanket implementation for mixins provides it.
    #[doc(hidden)]
    fn phases(self: Arc<Self>) -> Option<Arc<dyn phases::Phases>>
    where
        Self: Sized,
    {
        None
    }
}

/// Django's `MiddlewareMixin`: a middleware written as a `process_request` that runs on the way
/// in and a `process_response` that runs on the way out, instead of a [`Middleware::call`]
/// around the rest of the chain. Every built-in middleware of the seed app's MIDDLEWARE is one.
///
/// It is a [`Middleware`] (a blanket implementation runs the two phases around
/// [`Next::run`]), and more: consecutive mixins in the MIDDLEWARE list are run by the
/// application as one layer — their `process_request`s in order, the rest of the chain once,
/// their `process_response`s in reverse order — so a request pays for one layer of the chain
/// however many mixins there are. What Django observes is unchanged, including
/// `convert_exception_to_response` around each of them:
///
/// - `process_request` answering with a response skips the middleware and view below it; that
///   response goes through the same middleware's `process_response`, then the ones above;
/// - an `Err` (or a panic) in either phase becomes the answer of the matching error handler
///   right there, and the middleware above see that response (its own `process_response` is not
///   run when its `process_request` failed, as in Django).
///
/// `process_response` sees the request as it was after every `process_request` of its group
/// ran: its head and what the framework attached (the session, the CSRF state), whose shared
/// state the view's changes reach (`request.session` modified, `get_token` called); not the
/// body, the extensions nor values that inner layers attached.
///
/// # Examples
/// ```
/// use nuages::middleware::MiddlewareMixin;
/// use nuages::{urls::path, App, HttpRequest, HttpResponse, Result, Settings};
///
/// /// Answers `/ping` itself and tags every response.
/// struct Ping;
///
/// impl MiddlewareMixin for Ping {
///     fn process_request(&self, request: &mut HttpRequest) -> Result<Option<HttpResponse>> {
///         Ok((request.path_info() == "/ping").then(|| HttpResponse::new("pong")))
///     }
///
///     fn process_response(&self, _request: &HttpRequest, response: HttpResponse) -> Result<HttpResponse> {
///         Ok(response.with_header("X-Pinged", "yes"))
///     }
/// }
///
/// async fn page(_req: HttpRequest) -> HttpResponse { HttpResponse::new("page") }
///
/// let app = App::builder()
///     .settings(Settings { debug: true, ..Settings::default() })
///     .middleware(Ping)
///     .urls([path("page", page)])
///     .build()
///     .unwrap();
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let client = nuages::test::Client::new(app);
/// let r = client.get("/ping").send().await;
/// assert_eq!((r.text(), r.header("x-pinged").as_deref()), ("pong".into(), Some("yes")));
/// let r = client.get("/page").send().await;
/// assert_eq!((r.text(), r.header("x-pinged").as_deref()), ("page".into(), Some("yes")));
/// # });
/// ```
pub trait MiddlewareMixin: Send + Sync + 'static {
    /// Reads this middleware's settings when the application is built (Django's `__init__`):
    /// as [`Middleware::configure`].
    ///
    /// # Errors
    /// Invalid settings.
    fn configure(&mut self, settings: &Settings) -> Result<(), ImproperlyConfigured> {
        let _ = settings;
        Ok(())
    }

    /// Django's `process_request(request)`: `Ok(Some(response))` answers instead of the rest
    /// of the chain, `Ok(None)` goes on. The default does nothing.
    ///
    /// # Errors
    /// Any error, answered by the matching error handler at this middleware.
    fn process_request(&self, request: &mut HttpRequest) -> Result<Option<HttpResponse>, Error> {
        let _ = request;
        Ok(None)
    }

    /// Django's `process_response(request, response)`. The default returns the response.
    ///
    /// # Errors
    /// Any error, answered by the matching error handler at this middleware.
    fn process_response(
        &self,
        request: &HttpRequest,
        response: HttpResponse,
    ) -> Result<HttpResponse, Error> {
        let _ = request;
        Ok(response)
    }

    /// As [`Middleware::process_view`].
    fn process_view<'a>(
        &'a self,
        request: &'a mut HttpRequest,
        view: &'a ResolverMatch,
    ) -> Option<BoxFuture<'a, Result<Option<HttpResponse>, Error>>> {
        let _ = (request, view);
        None
    }

    /// As [`Middleware::process_exception`].
    fn process_exception(&self, request: &HttpRequest, error: &Error) -> Option<HttpResponse> {
        let _ = (request, error);
        None
    }

    /// As [`Middleware::process_template_response`].
    ///
    /// # Errors
    /// Any error, answered like a view's.
    fn process_template_response(
        &self,
        request: &HttpRequest,
        response: HttpResponse,
    ) -> Result<HttpResponse, Error> {
        let _ = request;
        Ok(response)
    }

    /// A short name for logs and debugging.
    fn name(&self) -> &'static str {
        std::any::type_name::<Self>()
    }
}

impl<T: MiddlewareMixin> Middleware for T {
    fn configure(&mut self, settings: &Settings) -> Result<(), ImproperlyConfigured> {
        MiddlewareMixin::configure(self, settings)
    }

    async fn call(&self, mut request: HttpRequest, next: Next<'_>) -> Result<HttpResponse, Error> {
        if let Some(response) = self.process_request(&mut request)? {
            return self.process_response(&request, response);
        }
        let seen = request.fork();
        let response = next.run(request).await;
        self.process_response(&seen, response)
    }

    fn process_view<'a>(
        &'a self,
        request: &'a mut HttpRequest,
        view: &'a ResolverMatch,
    ) -> Option<BoxFuture<'a, Result<Option<HttpResponse>, Error>>> {
        MiddlewareMixin::process_view(self, request, view)
    }

    fn process_exception(&self, request: &HttpRequest, error: &Error) -> Option<HttpResponse> {
        MiddlewareMixin::process_exception(self, request, error)
    }

    fn process_template_response(
        &self,
        request: &HttpRequest,
        response: HttpResponse,
    ) -> Result<HttpResponse, Error> {
        MiddlewareMixin::process_template_response(self, request, response)
    }

    fn name(&self) -> &'static str {
        MiddlewareMixin::name(self)
    }

    fn phases(self: Arc<Self>) -> Option<Arc<dyn phases::Phases>> {
        Some(self)
    }
}

/// The two phases of a middleware that the application runs in a group of consecutive ones
/// (sealed: the trait is public only to appear in [`Middleware::phases`]).
pub(crate) mod phases {
    use super::{BoxFuture, Error, HttpRequest, HttpResponse, MiddlewareMixin};

    /// What a response phase gives: the response now, or a future of it (a session store that
    /// must write).
    pub enum ResponsePhase<'a> {
        /// Done synchronously.
        Ready(Result<HttpResponse, Error>),
        /// To await.
        Pending(BoxFuture<'a, Result<HttpResponse, Error>>),
    }

    impl std::fmt::Debug for ResponsePhase<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(match self {
                ResponsePhase::Ready(_) => "Ready",
                ResponsePhase::Pending(_) => "Pending",
            })
        }
    }

    /// Object-safe phases of a middleware.
    pub trait Phases: Send + Sync + 'static {
        /// `process_request`.
        fn request_phase(&self, request: &mut HttpRequest) -> Result<Option<HttpResponse>, Error>;
        /// `process_response`.
        fn response_phase<'a>(
            &'a self,
            request: &'a HttpRequest,
            response: HttpResponse,
        ) -> ResponsePhase<'a>;
    }

    impl<T: MiddlewareMixin> Phases for T {
        fn request_phase(&self, request: &mut HttpRequest) -> Result<Option<HttpResponse>, Error> {
            self.process_request(request)
        }

        fn response_phase<'a>(
            &'a self,
            request: &'a HttpRequest,
            response: HttpResponse,
        ) -> ResponsePhase<'a> {
            ResponsePhase::Ready(self.process_response(request, response))
        }
    }
}

/// What a middleware derives from the settings (compiled regexes, header values): made by
/// [`Middleware::configure`] when the application is built, or on first use by a middleware
/// called on its own, and kept.
pub(crate) struct FromSettings<T> {
    value: std::sync::OnceLock<T>,
    make: fn(&Settings) -> Result<T, ImproperlyConfigured>,
}

impl<T> FromSettings<T> {
    pub(crate) const fn new(make: fn(&Settings) -> Result<T, ImproperlyConfigured>) -> Self {
        FromSettings {
            value: std::sync::OnceLock::new(),
            make,
        }
    }

    /// The value for `settings`, made on first use.
    pub(crate) fn get(&self, settings: &Settings) -> Result<&T, ImproperlyConfigured> {
        if let Some(value) = self.value.get() {
            return Ok(value);
        }
        let value = (self.make)(settings)?;
        Ok(self.value.get_or_init(|| value))
    }

    /// Makes the value again from `settings` (what `configure` does).
    pub(crate) fn configure(&mut self, settings: &Settings) -> Result<(), ImproperlyConfigured> {
        self.value = std::sync::OnceLock::new();
        self.get(settings).map(drop)
    }
}

impl<T: fmt::Debug> fmt::Debug for FromSettings<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.value, f)
    }
}

/// The hooks of a middleware that the handler calls after URL resolution (object-safe).
pub(crate) trait ViewHooks: Send + Sync + 'static {
    fn process_view<'a>(
        &'a self,
        request: &'a mut HttpRequest,
        view: &'a ResolverMatch,
    ) -> Option<BoxFuture<'a, Result<Option<HttpResponse>, Error>>>;
    fn process_exception(&self, request: &HttpRequest, error: &Error) -> Option<HttpResponse>;
    fn process_template_response(
        &self,
        request: &HttpRequest,
        response: HttpResponse,
    ) -> Result<HttpResponse, Error>;
}

impl<M: Middleware> ViewHooks for M {
    fn process_view<'a>(
        &'a self,
        request: &'a mut HttpRequest,
        view: &'a ResolverMatch,
    ) -> Option<BoxFuture<'a, Result<Option<HttpResponse>, Error>>> {
        Middleware::process_view(self, request, view)
    }

    fn process_exception(&self, request: &HttpRequest, error: &Error) -> Option<HttpResponse> {
        Middleware::process_exception(self, request, error)
    }

    fn process_template_response(
        &self,
        request: &HttpRequest,
        response: HttpResponse,
    ) -> Result<HttpResponse, Error> {
        Middleware::process_template_response(self, request, response)
    }
}

/// One layer of the composed chain: a middleware with the rest of the chain, or the handler.
pub(crate) trait Endpoint: Send + Sync + 'static {
    /// Runs this layer and everything below it; errors are already converted into responses.
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, HttpResponse>;
}

/// The rest of the middleware chain below a middleware: the next middleware, or the URL
/// resolver and the view. Runs at most once.
pub struct Next<'a> {
    inner: NextInner<'a>,
}

enum NextInner<'a> {
    Borrowed(&'a Arc<dyn Endpoint>),
    Owned(Arc<dyn Endpoint>),
}

impl fmt::Debug for Next<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Next")
    }
}

impl<'a> Next<'a> {
    pub(crate) fn new(endpoint: &'a Arc<dyn Endpoint>) -> Self {
        Next {
            inner: NextInner::Borrowed(endpoint),
        }
    }

    pub(crate) fn owned(endpoint: Arc<dyn Endpoint>) -> Next<'static> {
        Next {
            inner: NextInner::Owned(endpoint),
        }
    }

    /// Runs the rest of the chain. Errors below are already converted into responses.
    pub fn run(self, request: HttpRequest) -> BoxFuture<'a, HttpResponse> {
        match self.inner {
            NextInner::Borrowed(endpoint) => endpoint.call(request),
            NextInner::Owned(endpoint) => Box::pin(async move { endpoint.call(request).await }),
        }
    }

    /// A handle that does not borrow the chain (to move into a spawned task or a `'static`
    /// closure): one reference-count increment.
    pub fn into_owned(self) -> Next<'static> {
        match self.inner {
            NextInner::Borrowed(endpoint) => Next::owned(Arc::clone(endpoint)),
            NextInner::Owned(endpoint) => Next::owned(endpoint),
        }
    }
}

/// A middleware written as a closure (as axum's `middleware::from_fn`): it gets the request and
/// the rest of the chain and returns a response or a `Result`.
///
/// # Examples
/// See the [module documentation](self).
pub fn from_fn<F, Fut, R>(f: F) -> FromFn<F>
where
    F: Fn(HttpRequest, Next<'static>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send + 'static,
    R: IntoViewResult,
{
    FromFn { f }
}

/// The middleware made by [`from_fn`].
#[derive(Clone, Copy)]
pub struct FromFn<F> {
    f: F,
}

impl<F> fmt::Debug for FromFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FromFn")
    }
}

impl<F, Fut, R> Middleware for FromFn<F>
where
    F: Fn(HttpRequest, Next<'static>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send + 'static,
    R: IntoViewResult,
{
    async fn call(&self, request: HttpRequest, next: Next<'_>) -> Result<HttpResponse, Error> {
        (self.f)(request, next.into_owned())
            .await
            .into_view_result()
    }

    fn name(&self) -> &'static str {
        std::any::type_name::<F>()
    }
}

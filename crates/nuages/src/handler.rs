//! The equivalent of `django/core/handlers/`: the [`App`] that resolves URLs, runs the
//! middleware chain and the view, and turns errors into responses.

use std::convert::Infallible;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::FutureExt;

use crate::conf::Settings;
use crate::core::exceptions::{ErrorKind, ImproperlyConfigured};
use crate::http::body::{RequestBody, ResponseBody};
use crate::middleware::{Middleware, Next};
use crate::urls::Urls;
use crate::views::{defaults, BoxFuture};
use crate::{Error, HttpRequest, HttpResponse};

/// An error handler (Django's `handler400`, `handler403`, `handler404`, `handler500`): gets the
/// request (without its body) and the error.
pub type ErrorHandler = Arc<dyn Fn(&HttpRequest, &Error) -> HttpResponse + Send + Sync>;

/// The replaceable error handlers of an application, like `handler404 = …` in urls.py.
#[derive(Clone)]
pub struct ErrorHandlers {
    /// `handler400`.
    pub bad_request: ErrorHandler,
    /// `handler403`.
    pub permission_denied: ErrorHandler,
    /// `handler404`.
    pub page_not_found: ErrorHandler,
    /// `handler500`.
    pub server_error: ErrorHandler,
}

impl Default for ErrorHandlers {
    fn default() -> Self {
        ErrorHandlers {
            bad_request: Arc::new(defaults::bad_request),
            permission_denied: Arc::new(defaults::permission_denied),
            page_not_found: Arc::new(defaults::page_not_found),
            server_error: Arc::new(defaults::server_error),
        }
    }
}

impl fmt::Debug for ErrorHandlers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ErrorHandlers { .. }")
    }
}

pub(crate) struct AppInner {
    pub(crate) settings: Arc<Settings>,
    pub(crate) urls: Arc<Urls>,
    middleware: Vec<Arc<dyn Middleware>>,
    /// Indices of the middleware whose `process_view` may act, in order.
    handlers: ErrorHandlers,
}

/// A nuages application: settings, URLconf, middleware and error handlers. Cheap to clone.
///
/// It is a [`tower::Service`] for `http::Request<B>` (any body), so it can be mounted in any
/// hyper or tower server; [`crate::server`] serves it directly.
///
/// # Examples
/// ```
/// use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
///
/// async fn hello(_req: HttpRequest) -> HttpResponse {
///     HttpResponse::new("Hello there!").with_content_type("text/plain")
/// }
///
/// let app = App::builder()
///     .settings(Settings { debug: true, ..Settings::default() })
///     .urls(vec![path("hello", hello).name("hello")])
///     .build()
///     .unwrap();
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let resp = nuages::test::Client::new(app).get("/hello").send().await;
/// assert_eq!(resp.text(), "Hello there!");
/// # });
/// ```
#[derive(Clone)]
pub struct App {
    inner: Arc<AppInner>,
}

impl fmt::Debug for App {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("App")
            .field(
                "middleware",
                &self
                    .inner
                    .middleware
                    .iter()
                    .map(|m| m.name())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// Builds an [`App`].
#[derive(Default)]
pub struct AppBuilder {
    settings: Option<Settings>,
    urls: Option<Result<Urls, ImproperlyConfigured>>,
    middleware: Vec<Arc<dyn Middleware>>,
    handlers: ErrorHandlers,
}

impl fmt::Debug for AppBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppBuilder").finish_non_exhaustive()
    }
}

impl AppBuilder {
    /// The settings (default: `Settings::default()`).
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = Some(settings);
        self
    }

    /// The URLconf (`urlpatterns`).
    pub fn urls<I, E>(mut self, patterns: I) -> Self
    where
        I: IntoIterator<Item = E>,
        E: Into<crate::urls::UrlEntry>,
    {
        self.urls = Some(Urls::new(patterns).map_err(|e| ImproperlyConfigured::new(e.to_string())));
        self
    }

    /// An already built resolver.
    pub fn resolver(mut self, resolver: Urls) -> Self {
        self.urls = Some(Ok(resolver));
        self
    }

    /// Appends a middleware (the first added is the outermost, like `MIDDLEWARE[0]`).
    pub fn middleware(mut self, middleware: impl Middleware) -> Self {
        self.middleware.push(Arc::new(middleware));
        self
    }

    /// Appends a tower [`Layer`](tower::Layer) as a middleware at this position in the chain
    /// (tower-http's layers, for example). See [`crate::middleware::layer::TowerMiddleware`].
    pub fn layer<L, S, B>(self, layer: L) -> Self
    where
        L: tower::Layer<crate::middleware::layer::NextService, Service = S> + Send + Sync + 'static,
        S: tower::Service<http::Request<RequestBody>, Response = http::Response<B>>
            + Send
            + 'static,
        S::Error: Into<crate::http::body::BoxError>,
        S::Future: Send + 'static,
        B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
        B::Error: Into<crate::http::body::BoxError>,
    {
        self.middleware(crate::middleware::layer::TowerMiddleware::new(layer))
    }

    /// Replaces `handler400`.
    pub fn handler400(
        mut self,
        h: impl Fn(&HttpRequest, &Error) -> HttpResponse + Send + Sync + 'static,
    ) -> Self {
        self.handlers.bad_request = Arc::new(h);
        self
    }

    /// Replaces `handler403`.
    pub fn handler403(
        mut self,
        h: impl Fn(&HttpRequest, &Error) -> HttpResponse + Send + Sync + 'static,
    ) -> Self {
        self.handlers.permission_denied = Arc::new(h);
        self
    }

    /// Replaces `handler404`.
    pub fn handler404(
        mut self,
        h: impl Fn(&HttpRequest, &Error) -> HttpResponse + Send + Sync + 'static,
    ) -> Self {
        self.handlers.page_not_found = Arc::new(h);
        self
    }

    /// Replaces `handler500`.
    pub fn handler500(
        mut self,
        h: impl Fn(&HttpRequest, &Error) -> HttpResponse + Send + Sync + 'static,
    ) -> Self {
        self.handlers.server_error = Arc::new(h);
        self
    }

    /// Checks the configuration and builds the application.
    ///
    /// # Errors
    /// [`ImproperlyConfigured`]: a bad URL pattern, or a missing SECRET_KEY outside DEBUG.
    pub fn build(self) -> Result<App, ImproperlyConfigured> {
        let settings = self.settings.unwrap_or_default();
        settings.check()?;
        let urls = match self.urls {
            Some(u) => u?,
            None => Urls::new(Vec::<crate::urls::UrlEntry>::new())
                .map_err(|e| ImproperlyConfigured::new(e.to_string()))?,
        };
        Ok(App {
            inner: Arc::new(AppInner {
                settings: Arc::new(settings),
                urls: Arc::new(urls),
                middleware: self.middleware,
                handlers: self.handlers,
            }),
        })
    }
}

impl App {
    /// Starts building an application.
    pub fn builder() -> AppBuilder {
        AppBuilder::default()
    }

    /// The settings.
    pub fn settings(&self) -> &Arc<Settings> {
        &self.inner.settings
    }

    /// The URL resolver (for `reverse`).
    pub fn urls(&self) -> &Arc<Urls> {
        &self.inner.urls
    }

    /// Builds an [`HttpRequest`] for this application from `http` parts.
    pub fn request(&self, parts: http::request::Parts, body: RequestBody) -> HttpRequest {
        let mut r = HttpRequest::from_parts(parts, body, Arc::clone(&self.inner.settings));
        r.set_urls(Arc::clone(&self.inner.urls));
        r
    }

    /// Handles a request through the middleware chain, the resolver and the view.
    pub fn handle(&self, request: HttpRequest) -> BoxFuture<'static, HttpResponse> {
        let inner = Arc::clone(&self.inner);
        Box::pin(async move { inner.run_from(0, request).await })
    }

    /// Handles an `http::Request` with any body, returning an `http::Response`.
    pub async fn call_http<B>(&self, req: http::Request<B>) -> http::Response<ResponseBody>
    where
        B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
        B::Error: Into<crate::http::body::BoxError>,
    {
        let (parts, body) = req.into_parts();
        let request = self.request(parts, RequestBody::new(body));
        self.handle(request).await.into_http()
    }
}

impl AppInner {
    pub(crate) fn run_from<'a>(
        self: &'a Arc<Self>,
        index: usize,
        request: HttpRequest,
    ) -> BoxFuture<'a, HttpResponse> {
        match self.middleware.get(index) {
            Some(mw) => Box::pin(async move {
                let fork = request.fork();
                let next = Next::app(Arc::clone(self), index + 1);
                match AssertUnwindSafe(mw.call(request, next))
                    .catch_unwind()
                    .await
                {
                    Ok(Ok(resp)) => resp,
                    Ok(Err(e)) => self.response_for_exception(&fork, &e),
                    Err(panic) => self.response_for_exception(&fork, &Error::from_panic(panic)),
                }
            }),
            None => Box::pin(self.get_response(request)),
        }
    }

    /// Django's `BaseHandler._get_response`.
    async fn get_response(self: &Arc<Self>, mut request: HttpRequest) -> HttpResponse {
        // The list of patterns tried is only shown by the DEBUG 404 page; building it for every
        // 404 would let a flood of unknown URLs cost a walk of the whole URLconf each.
        let resolved = if self.settings.debug {
            self.urls.resolve(request.path_info())
        } else {
            self.urls
                .try_resolve(request.path_info())
                .ok_or_else(|| crate::urls::Resolver404 {
                    path: request.path_info().trim_start_matches('/').to_owned(),
                    tried: Vec::new(),
                    tried_names: Vec::new(),
                })
        };
        let resolved = match resolved {
            Ok(m) => Arc::new(m),
            Err(e) => {
                let err = Error::new(ErrorKind::NotFound, e);
                return self.response_for_exception(&request, &err);
            }
        };
        request.set_resolver_match(Arc::clone(&resolved));
        for mw in &self.middleware {
            let outcome = match mw.process_view(&mut request, &resolved) {
                Some(hook) => hook.await,
                None => continue,
            };
            match outcome {
                Ok(Some(resp)) => return resp,
                Ok(None) => {}
                Err(e) => return self.response_for_exception(&request, &e),
            }
        }
        let fork = request.fork();
        let result = match AssertUnwindSafe(resolved.func.call(request))
            .catch_unwind()
            .await
        {
            Ok(r) => r,
            Err(panic) => Err(Error::from_panic(panic)),
        };
        match result {
            Ok(resp) => resp,
            Err(e) => {
                for mw in self.middleware.iter().rev() {
                    if let Some(resp) = mw.process_exception(&fork, &e) {
                        return resp;
                    }
                }
                self.response_for_exception(&fork, &e)
            }
        }
    }

    /// Django's `response_for_exception`.
    pub(crate) fn response_for_exception(
        &self,
        request: &HttpRequest,
        error: &Error,
    ) -> HttpResponse {
        let path = request.path();
        let h = &self.handlers;
        match error.kind() {
            ErrorKind::NotFound => {
                tracing::warn!(target: "nuages::request", "Not Found: {path}");
                if self.settings.debug {
                    defaults::technical_404(request, error, &self.urls)
                } else {
                    (h.page_not_found)(request, error)
                }
            }
            ErrorKind::PermissionDenied => {
                tracing::warn!(target: "nuages::request", "Forbidden (Permission denied): {path}");
                (h.permission_denied)(request, error)
            }
            ErrorKind::BadRequest => {
                tracing::warn!(target: "nuages::request", "Bad Request: {path}: {error}");
                if self.settings.debug {
                    defaults::technical_500(request, error, http::StatusCode::BAD_REQUEST)
                } else {
                    (h.bad_request)(request, error)
                }
            }
            ErrorKind::Internal => {
                tracing::error!(target: "nuages::request", "Internal Server Error: {path}: {error}");
                if self.settings.debug {
                    defaults::technical_500(request, error, http::StatusCode::INTERNAL_SERVER_ERROR)
                } else {
                    (h.server_error)(request, error)
                }
            }
        }
    }
}

impl<B> tower::Service<http::Request<B>> for App
where
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<crate::http::body::BoxError>,
{
    type Response = http::Response<ResponseBody>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let app = self.clone();
        Box::pin(async move { Ok(app.call_http(req).await) })
    }
}

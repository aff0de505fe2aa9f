//! tower interoperability, both ways:
//!
//! - a tower [`Layer`] (tower-http's timeouts, header setters, tracing, …) runs in the
//!   application's chain with [`AppBuilder::layer`](crate::AppBuilder::layer): it is applied once,
//!   when the application is built, to the rest of the chain seen as a [`NextService`];
//! - a nuages [`Middleware`] is a tower layer with [`MiddlewareLayer`], to wrap any tower service
//!   of `http::Request<RequestBody>`.
//!
//! Between the two worlds requests and responses are converted with
//! [`HttpRequest::into_http`]/[`HttpRequest::from_http`] and
//! [`HttpResponse::into_http`]/[`HttpResponse::from_http`]; the request conversion carries what
//! an `http::Request` cannot hold (settings, parsed `POST`/`FILES`, the session, the URL match),
//! so a view below a tower layer observes the same request as without it.

use std::convert::Infallible;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::task::{Context, Poll};

use ::tower::{Layer, Service, ServiceExt};
use futures_util::FutureExt;

use super::{Endpoint, Middleware, Next};
use crate::conf::Settings;
use crate::core::handlers::exception::{ErrorHandlers, ErrorResponder};
use crate::http::body::{BoxError, RequestBody, ResponseBody};
use crate::views::BoxFuture;
use crate::{Error, HttpRequest, HttpResponse};

// ===== a tower Layer in the chain =====

/// The rest of the chain as a tower service of `http` types: what a tower layer placed with
/// [`AppBuilder::layer`](crate::AppBuilder::layer) wraps.
#[derive(Clone)]
pub struct NextService {
    next: Arc<dyn Endpoint>,
    settings: Arc<Settings>,
}

impl NextService {
    pub(crate) fn new(next: Arc<dyn Endpoint>, settings: Arc<Settings>) -> Self {
        NextService { next, settings }
    }
}

impl fmt::Debug for NextService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NextService")
    }
}

impl Service<http::Request<RequestBody>> for NextService {
    type Response = http::Response<ResponseBody>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<RequestBody>) -> Self::Future {
        let request = HttpRequest::from_http(req, Arc::clone(&self.settings));
        let next = Arc::clone(&self.next);
        Box::pin(async move { Ok(next.call(request).await.into_http()) })
    }
}

/// A tower service (a layer applied to a [`NextService`]) as a link of the chain.
pub(crate) struct TowerLayer<S> {
    service: S,
    errors: Arc<ErrorResponder>,
}

impl<S> TowerLayer<S> {
    pub(crate) fn new(service: S, errors: Arc<ErrorResponder>) -> Self {
        TowerLayer { service, errors }
    }
}

impl<S, B> Endpoint for TowerLayer<S>
where
    S: Service<http::Request<RequestBody>, Response = http::Response<B>>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, HttpResponse> {
        Box::pin(async move {
            let fork = request.fork();
            let error = match AssertUnwindSafe(self.service.clone().oneshot(request.into_http()))
                .catch_unwind()
                .await
            {
                Ok(Ok(response)) => return HttpResponse::from_http(response),
                Ok(Err(e)) => Error::internal(e),
                Err(panic) => Error::from_panic(panic),
            };
            self.errors.respond(fork, error).await
        })
    }
}

// ===== a middleware as a tower Layer =====

/// A nuages [`Middleware`] as a tower [`Layer`], for any service of
/// `http::Request<RequestBody>` → `http::Response<ResponseBody>`.
///
/// The middleware reads its configuration from `settings` ([`Middleware::configure`]); errors it
/// returns are answered by Django's default error views.
///
/// # Examples
/// ```
/// use nuages::middleware::clickjacking::XFrameOptionsMiddleware;
/// use nuages::middleware::layer::MiddlewareLayer;
/// use nuages::http::{RequestBody, ResponseBody};
/// use tower::{ServiceBuilder, ServiceExt};
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let inner = tower::service_fn(|_req: http::Request<RequestBody>| async {
///     Ok::<_, std::convert::Infallible>(http::Response::new(ResponseBody::full("hi")))
/// });
/// let layer = MiddlewareLayer::new(XFrameOptionsMiddleware::new(), nuages::Settings::default())?;
/// let svc = ServiceBuilder::new().layer(layer).service(inner);
/// let resp = svc.oneshot(http::Request::new(RequestBody::empty())).await.unwrap();
/// assert_eq!(resp.headers()["x-frame-options"], "DENY");
/// # Ok::<(), nuages::core::exceptions::ImproperlyConfigured>(())
/// # }).unwrap();
/// ```
pub struct MiddlewareLayer<M> {
    middleware: Arc<M>,
    errors: Arc<ErrorResponder>,
}

impl<M> Clone for MiddlewareLayer<M> {
    fn clone(&self) -> Self {
        MiddlewareLayer {
            middleware: Arc::clone(&self.middleware),
            errors: Arc::clone(&self.errors),
        }
    }
}

impl<M> fmt::Debug for MiddlewareLayer<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MiddlewareLayer")
    }
}

impl<M: Middleware> MiddlewareLayer<M> {
    /// Wraps a middleware configured with `settings`; requests it sees carry them.
    ///
    /// # Errors
    /// The middleware's [`Middleware::configure`] refused the settings.
    pub fn new(
        mut middleware: M,
        settings: Settings,
    ) -> Result<Self, crate::core::exceptions::ImproperlyConfigured> {
        middleware.configure(&settings)?;
        Ok(MiddlewareLayer {
            middleware: Arc::new(middleware),
            errors: Arc::new(ErrorResponder {
                settings: Arc::new(settings),
                handlers: ErrorHandlers::default(),
            }),
        })
    }
}

impl<M, S> Layer<S> for MiddlewareLayer<M> {
    type Service = MiddlewareService<M, S>;

    fn layer(&self, inner: S) -> Self::Service {
        MiddlewareService {
            middleware: Arc::clone(&self.middleware),
            errors: Arc::clone(&self.errors),
            inner,
        }
    }
}

/// The service produced by [`MiddlewareLayer`].
pub struct MiddlewareService<M, S> {
    middleware: Arc<M>,
    errors: Arc<ErrorResponder>,
    inner: S,
}

impl<M, S: Clone> Clone for MiddlewareService<M, S> {
    fn clone(&self) -> Self {
        MiddlewareService {
            middleware: Arc::clone(&self.middleware),
            errors: Arc::clone(&self.errors),
            inner: self.inner.clone(),
        }
    }
}

impl<M, S> fmt::Debug for MiddlewareService<M, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MiddlewareService")
    }
}

/// The wrapped tower service as the end of a chain.
struct ServiceEndpoint<S>(S);

impl<S> Endpoint for ServiceEndpoint<S>
where
    S: Service<
            http::Request<RequestBody>,
            Response = http::Response<ResponseBody>,
            Error = Infallible,
        > + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send + 'static,
{
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, HttpResponse> {
        let svc = self.0.clone();
        Box::pin(async move {
            match svc.oneshot(request.into_http()).await {
                Ok(resp) => HttpResponse::from_http(resp),
                Err(never) => match never {},
            }
        })
    }
}

impl<M, S> Service<http::Request<RequestBody>> for MiddlewareService<M, S>
where
    M: Middleware,
    S: Service<
            http::Request<RequestBody>,
            Response = http::Response<ResponseBody>,
            Error = Infallible,
        > + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send + 'static,
{
    type Response = http::Response<ResponseBody>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<RequestBody>) -> Self::Future {
        let request = HttpRequest::from_http(req, Arc::clone(&self.errors.settings));
        let next: Arc<dyn Endpoint> = Arc::new(ServiceEndpoint(self.inner.clone()));
        let middleware = Arc::clone(&self.middleware);
        let errors = Arc::clone(&self.errors);
        Box::pin(async move {
            let fork = request.fork();
            let outcome = AssertUnwindSafe(middleware.call(request, Next::new(&next)))
                .catch_unwind()
                .await;
            let response = match outcome {
                Ok(Ok(response)) => response,
                Ok(Err(e)) => errors.respond(fork, e).await,
                Err(panic) => errors.respond(fork, Error::from_panic(panic)).await,
            };
            Ok(response.into_http())
        })
    }
}

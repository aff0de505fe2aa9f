//! tower interoperability, both ways:
//!
//! - a tower [`Layer`] (tower-http's timeouts, header setters, tracing, …) runs as
//!   a middleware in the application's chain with [`AppBuilder::layer`](crate::AppBuilder::layer);
//! - a nuages [`Middleware`] is a tower layer with [`MiddlewareLayer`], to wrap any tower service
//!   of `http::Request<RequestBody>`.
//!
//! Between the two worlds requests and responses are converted with
//! [`HttpRequest::into_http`]/[`HttpRequest::from_http`] and
//! [`HttpResponse::into_http`]/[`HttpResponse::from_http`]; the conversion keeps the head, the
//! body and the extensions, and loses nothing that is observable.

use std::convert::Infallible;
use std::fmt;
use std::sync::Arc;
use std::task::{Context, Poll};

use ::tower::{Layer, Service, ServiceExt};

use super::{Middleware, Next};
use crate::conf::Settings;
use crate::handler::ErrorHandlers;
use crate::http::body::{BoxError, RequestBody, ResponseBody};
use crate::urls::Urls;
use crate::views::BoxFuture;
use crate::{Error, ErrorKind, HttpRequest, HttpResponse};

// ===== a tower Layer as a middleware =====

/// The rest of the chain as a tower service of `http` types (what a tower layer wraps).
#[derive(Clone)]
pub struct NextService {
    next: Next,
    settings: Arc<Settings>,
    urls: Option<Arc<Urls>>,
}

impl fmt::Debug for NextService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NextService")
            .field("next", &self.next)
            .finish_non_exhaustive()
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
        let request = HttpRequest::from_http(req, Arc::clone(&self.settings), self.urls.clone());
        let next = self.next.clone();
        Box::pin(async move { Ok(next.run(request).await.into_http()) })
    }
}

/// A tower layer adapted into a [`Middleware`] (see [`crate::AppBuilder::layer`]). The layer is
/// applied to the rest of the chain on each request, so it should be cheap to apply (tower-http's
/// layers are); wrap the whole [`crate::App`] instead for layers holding shared state such as
/// rate limiters.
pub struct TowerMiddleware<L> {
    layer: L,
}

impl<L> TowerMiddleware<L> {
    /// Wraps a layer.
    pub fn new(layer: L) -> Self {
        TowerMiddleware { layer }
    }
}

impl<L> fmt::Debug for TowerMiddleware<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TowerMiddleware")
    }
}

impl<L, S, B> Middleware for TowerMiddleware<L>
where
    L: Layer<NextService, Service = S> + Send + Sync + 'static,
    S: Service<http::Request<RequestBody>, Response = http::Response<B>> + Send + 'static,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    fn call<'a>(
        &'a self,
        request: HttpRequest,
        next: Next,
    ) -> BoxFuture<'a, Result<HttpResponse, Error>> {
        let next_service = NextService {
            next,
            settings: Arc::clone(request.settings_shared()),
            urls: request.urls_shared().cloned(),
        };
        let settings = Arc::clone(&next_service.settings);
        let urls = next_service.urls.clone();
        let svc = self.layer.layer(next_service);
        Box::pin(async move {
            let response = svc
                .oneshot(request.into_http())
                .await
                .map_err(|e| Error::new(ErrorKind::Internal, e.into()))?;
            let _ = (settings, urls);
            Ok(HttpResponse::from_http(response))
        })
    }

    fn name(&self) -> &'static str {
        std::any::type_name::<L>()
    }
}

// ===== a middleware as a tower Layer =====

/// A nuages [`Middleware`] as a tower [`Layer`], for any service of
/// `http::Request<RequestBody>` → `http::Response<ResponseBody>`.
///
/// Errors the middleware returns are answered by Django's default error views.
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
/// let svc = ServiceBuilder::new()
///     .layer(MiddlewareLayer::new(XFrameOptionsMiddleware::new(), nuages::Settings::default()))
///     .service(inner);
/// let resp = svc.oneshot(http::Request::new(RequestBody::empty())).await.unwrap();
/// assert_eq!(resp.headers()["x-frame-options"], "DENY");
/// # });
/// ```
pub struct MiddlewareLayer<M> {
    middleware: Arc<M>,
    settings: Arc<Settings>,
}

impl<M> Clone for MiddlewareLayer<M> {
    fn clone(&self) -> Self {
        MiddlewareLayer {
            middleware: Arc::clone(&self.middleware),
            settings: Arc::clone(&self.settings),
        }
    }
}

impl<M> fmt::Debug for MiddlewareLayer<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MiddlewareLayer")
    }
}

impl<M: Middleware> MiddlewareLayer<M> {
    /// Wraps a middleware; requests it sees carry `settings`.
    pub fn new(middleware: M, settings: Settings) -> Self {
        MiddlewareLayer {
            middleware: Arc::new(middleware),
            settings: Arc::new(settings),
        }
    }
}

impl<M, S> Layer<S> for MiddlewareLayer<M> {
    type Service = MiddlewareService<M, S>;

    fn layer(&self, inner: S) -> Self::Service {
        MiddlewareService {
            middleware: Arc::clone(&self.middleware),
            settings: Arc::clone(&self.settings),
            inner,
        }
    }
}

/// The service produced by [`MiddlewareLayer`].
pub struct MiddlewareService<M, S> {
    middleware: Arc<M>,
    settings: Arc<Settings>,
    inner: S,
}

impl<M, S: Clone> Clone for MiddlewareService<M, S> {
    fn clone(&self) -> Self {
        MiddlewareService {
            middleware: Arc::clone(&self.middleware),
            settings: Arc::clone(&self.settings),
            inner: self.inner.clone(),
        }
    }
}

impl<M, S> fmt::Debug for MiddlewareService<M, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MiddlewareService")
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
        let request = HttpRequest::from_http(req, Arc::clone(&self.settings), None);
        let inner = self.inner.clone();
        let next = Next::from_fn(move |r: HttpRequest| {
            let svc = inner.clone();
            Box::pin(async move {
                match svc.oneshot(r.into_http()).await {
                    Ok(resp) => HttpResponse::from_http(resp),
                    Err(never) => match never {},
                }
            })
        });
        let middleware = Arc::clone(&self.middleware);
        Box::pin(async move {
            let fork = request.fork();
            let response = match middleware.call(request, next).await {
                Ok(r) => r,
                Err(e) => {
                    let h = ErrorHandlers::default();
                    let handler = match e.kind() {
                        ErrorKind::NotFound => &h.page_not_found,
                        ErrorKind::PermissionDenied => &h.permission_denied,
                        ErrorKind::BadRequest => &h.bad_request,
                        _ => &h.server_error,
                    };
                    handler(&fork, &e)
                }
            };
            Ok(response.into_http())
        })
    }
}

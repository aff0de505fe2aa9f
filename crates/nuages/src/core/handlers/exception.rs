//! The equivalent of `django/core/handlers/exception.py`: turning an [`Error`] into the
//! response of the matching error handler (`response_for_exception`), and the replaceable
//! handlers themselves (`handler400`, `handler403`, `handler404`, `handler500`).

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use http::StatusCode;

use crate::conf::Settings;
use crate::core::exceptions::{Error, ErrorKind, Raised, SecurityClass};
use crate::utils::log::{escape_nonprintable, log_message_escape};
use crate::views::{debug, defaults, BoxFuture, IntoViewResult};
use crate::{HttpRequest, HttpResponse};

/// An error handler (Django's `handler400`, `handler403`, `handler404`, `handler500`): gets the
/// request (without its body) and the error, like a view. May be async and may fail (a failing
/// handler is answered like an uncaught error: handler500, or the technical page in DEBUG).
pub trait ErrorHandler: Send + Sync + 'static {
    /// Answers `error`.
    fn call(
        &self,
        request: HttpRequest,
        error: Error,
    ) -> BoxFuture<'_, Result<HttpResponse, Error>>;
}

/// What [`AppBuilder::handler404`](crate::AppBuilder::handler404) and its siblings accept: an
/// `async fn(HttpRequest, Error)` or a plain `fn(HttpRequest, Error)`, returning a response or a
/// `Result`. `M` is an inference marker.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an error handler",
    label = "not an error handler",
    note = "an error handler is `async fn(HttpRequest, nuages::Error) -> HttpResponse` (or `-> nuages::Result<HttpResponse>`), or the same without `async`"
)]
pub trait IntoErrorHandler<M> {
    /// Converts.
    fn into_error_handler(self) -> Arc<dyn ErrorHandler>;
}

/// Marker for async error handlers.
#[derive(Debug)]
pub enum AsyncHandlerMarker {}
/// Marker for sync error handlers.
#[derive(Debug)]
pub enum SyncHandlerMarker {}

struct AsyncHandler<F>(F);
struct SyncHandler<F>(F);

impl<F, Fut, R> ErrorHandler for AsyncHandler<F>
where
    F: Fn(HttpRequest, Error) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send + 'static,
    R: IntoViewResult,
{
    fn call(
        &self,
        request: HttpRequest,
        error: Error,
    ) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        let fut = (self.0)(request, error);
        Box::pin(async move { fut.await.into_view_result() })
    }
}

impl<F, R> ErrorHandler for SyncHandler<F>
where
    F: Fn(HttpRequest, Error) -> R + Send + Sync + 'static,
    R: IntoViewResult,
{
    fn call(
        &self,
        request: HttpRequest,
        error: Error,
    ) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        let result = (self.0)(request, error).into_view_result();
        Box::pin(std::future::ready(result))
    }
}

impl<F, Fut, R> IntoErrorHandler<(AsyncHandlerMarker, R)> for F
where
    F: Fn(HttpRequest, Error) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send + 'static,
    R: IntoViewResult,
{
    fn into_error_handler(self) -> Arc<dyn ErrorHandler> {
        Arc::new(AsyncHandler(self))
    }
}

impl<F, R> IntoErrorHandler<(SyncHandlerMarker, R)> for F
where
    F: Fn(HttpRequest, Error) -> R + Send + Sync + 'static,
    R: IntoViewResult,
{
    fn into_error_handler(self) -> Arc<dyn ErrorHandler> {
        Arc::new(SyncHandler(self))
    }
}

/// The replaceable error handlers of an application, like `handler404 = …` in urls.py.
#[derive(Clone)]
pub(crate) struct ErrorHandlers {
    pub(crate) bad_request: Arc<dyn ErrorHandler>,
    pub(crate) permission_denied: Arc<dyn ErrorHandler>,
    pub(crate) page_not_found: Arc<dyn ErrorHandler>,
    pub(crate) server_error: Arc<dyn ErrorHandler>,
}

impl Default for ErrorHandlers {
    fn default() -> Self {
        ErrorHandlers {
            bad_request: defaults::bad_request.into_error_handler(),
            permission_denied: defaults::permission_denied.into_error_handler(),
            page_not_found: defaults::page_not_found.into_error_handler(),
            server_error: defaults::server_error.into_error_handler(),
        }
    }
}

impl fmt::Debug for ErrorHandlers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ErrorHandlers { .. }")
    }
}

/// Django's `response_for_exception` for one application: its settings (DEBUG) and its
/// handlers.
pub(crate) struct ErrorResponder {
    pub(crate) settings: Arc<Settings>,
    pub(crate) handlers: ErrorHandlers,
}

impl ErrorResponder {
    /// Django's `response_for_exception(request, exc)`: logs the error like Django's
    /// `django.request` logger and answers it. Boxed, so that the futures of the request path
    /// do not carry the error path's state.
    pub(crate) fn respond(
        &self,
        request: HttpRequest,
        error: Error,
    ) -> BoxFuture<'_, HttpResponse> {
        Box::pin(self.respond_inner(request, error))
    }

    async fn respond_inner(&self, request: HttpRequest, error: Error) -> HttpResponse {
        let path = request.path();
        let path = log_message_escape(&path).into_owned();
        let h = &self.handlers;
        let debug = self.settings.debug;
        match error.kind() {
            ErrorKind::NotFound => {
                tracing::warn!(target: "django.request", "Not Found: {path}");
                if debug {
                    return debug::technical_404_response(&request, &error);
                }
                self.run(&h.page_not_found, request, error).await
            }
            ErrorKind::PermissionDenied => {
                tracing::warn!(target: "django.request", "Forbidden (Permission denied): {path}");
                self.run(&h.permission_denied, request, error).await
            }
            ErrorKind::BadRequest => {
                log_bad_request(&error, &path);
                if debug {
                    return debug::technical_500_response(
                        &request,
                        &error,
                        StatusCode::BAD_REQUEST,
                    );
                }
                self.run(&h.bad_request, request, error).await
            }
            ErrorKind::UnsupportedMediaType => {
                let message = escape_nonprintable(&error.to_string()).into_owned();
                tracing::warn!(target: "nuages::request", "Unsupported Media Type: {path}: {message}");
                if debug {
                    let status = StatusCode::UNSUPPORTED_MEDIA_TYPE;
                    return debug::technical_500_response(&request, &error, status);
                }
                defaults::unsupported_media_type(request, error)
            }
            ErrorKind::RequestTimeout => {
                tracing::warn!(target: "nuages::request", "Request Timeout: {path}");
                defaults::request_timeout(request, error)
            }
            _ => {
                let message = escape_nonprintable(&error.to_string()).into_owned();
                tracing::error!(target: "django.request", "Internal Server Error: {path}: {message}");
                self.uncaught(request, error).await
            }
        }
    }

    /// Django's `get_exception_response`: the handler's answer, or — if the handler fails —
    /// `handle_uncaught_exception`.
    async fn run(
        &self,
        handler: &Arc<dyn ErrorHandler>,
        request: HttpRequest,
        error: Error,
    ) -> HttpResponse {
        let fork = request.fork();
        match handler.call(request, error).await {
            Ok(response) => response,
            Err(e) => {
                tracing::error!(
                    target: "nuages::request",
                    "Error handler failed: {}: {}",
                    log_message_escape(&fork.path()),
                    escape_nonprintable(&e.to_string())
                );
                self.uncaught(fork, e).await
            }
        }
    }

    /// Django's `handle_uncaught_exception`: the technical 500 page in DEBUG, else handler500
    /// (and Django's plain page if handler500 itself fails).
    async fn uncaught(&self, request: HttpRequest, error: Error) -> HttpResponse {
        if self.settings.debug {
            return debug::technical_500_response(
                &request,
                &error,
                StatusCode::INTERNAL_SERVER_ERROR,
            );
        }
        let fork = request.fork();
        match self.handlers.server_error.call(request, error).await {
            Ok(response) => response,
            Err(e) => defaults::server_error(fork, e),
        }
    }
}

/// The one line Django's `response_for_exception` logs for a 400: a `SuspiciousOperation`'s
/// message at ERROR on `django.security.<class>` (and nothing on `django.request`: Django's
/// `log_response` marks the response as logged), a `MultiPartParserError` or a `BadRequest`
/// at WARNING on the request logger. `path` is already escaped.
fn log_bad_request(error: &Error, path: &str) {
    let text = error.to_string();
    let message = escape_nonprintable(&text);
    macro_rules! security {
        ($($class:ident),+) => {
            match error.raised() {
                $(Raised::Suspicious(SecurityClass::$class) => {
                    tracing::error!(target: concat!("django.security.", stringify!($class)), "{message}");
                })+
                Raised::MultiPartParser => tracing::warn!(
                    target: "django.request",
                    "Bad request (Unable to parse request body): {path}"
                ),
                Raised::BadRequest | Raised::Other => {
                    tracing::warn!(target: "django.request", "{message}: {path}");
                }
            }
        };
    }
    security!(
        SuspiciousOperation,
        SuspiciousFileOperation,
        DisallowedHost,
        DisallowedRedirect,
        RequestDataTooBig,
        TooManyFieldsSent,
        TooManyFilesSent
    );
}

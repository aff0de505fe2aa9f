//! The equivalent of `django/views/decorators/http.py`: method restrictions.

use std::sync::Arc;

use http::Method;

use crate::views::{IntoViewFn, ViewFn};
use crate::HttpResponse;

/// `require_http_methods(["GET", "POST"])`: other methods get 405 with `Allow` listing these
/// methods in this order (no automatic HEAD or OPTIONS, like Django).
///
/// # Examples
/// ```
/// use http::Method;
/// use nuages::views::decorators::http::require_http_methods;
/// use nuages::{HttpRequest, HttpResponse};
///
/// async fn status(_req: HttpRequest) -> HttpResponse { HttpResponse::empty() }
/// let view = require_http_methods([Method::GET, Method::HEAD], status);
/// # let _ = view;
/// ```
pub fn require_http_methods<M>(
    methods: impl IntoIterator<Item = Method>,
    view: impl IntoViewFn<M>,
) -> ViewFn {
    let methods: Arc<[Method]> = methods.into_iter().collect();
    view.into_view_fn().wrap(move |request, inner| {
        let methods = Arc::clone(&methods);
        async move {
            if methods.iter().any(|m| m == request.method()) {
                inner.call(request).await
            } else {
                tracing::warn!(
                    target: "nuages::request",
                    "Method Not Allowed ({}): {}", request.method(), request.path()
                );
                Ok(HttpResponse::not_allowed(&methods))
            }
        }
    })
}

/// `require_GET`: only GET (HEAD is refused, like Django).
#[doc(alias = "require_GET")]
pub fn require_get<M>(view: impl IntoViewFn<M>) -> ViewFn {
    require_http_methods([Method::GET], view)
}

/// `require_POST`: only POST.
#[doc(alias = "require_POST")]
pub fn require_post<M>(view: impl IntoViewFn<M>) -> ViewFn {
    require_http_methods([Method::POST], view)
}

/// `require_safe`: GET and HEAD.
pub fn require_safe<M>(view: impl IntoViewFn<M>) -> ViewFn {
    require_http_methods([Method::GET, Method::HEAD], view)
}

//! The equivalent of `django/views/decorators/csrf.py`.
//!
//! [`csrf_protect`], [`requires_csrf_token`] and [`ensure_csrf_cookie`] run the
//! [`CsrfViewMiddleware`](crate::middleware::csrf::CsrfViewMiddleware) algorithm around one view
//! (Django's `decorator_from_middleware`), with the configuration of the middleware serving
//! the request, or the `CSRF_*` settings of the request when there is none. With the middleware
//! also installed, a request is checked only once.

use crate::middleware::csrf::{decorate, Mode};
use crate::views::{IntoViewFn, ViewFn};

/// `csrf_exempt`: marks the view so that the CSRF middleware does not check it.
///
/// # Examples
/// ```
/// use nuages::views::decorators::csrf::csrf_exempt;
/// async fn hook(_req: nuages::HttpRequest) -> nuages::HttpResponse { nuages::HttpResponse::empty() }
/// assert!(csrf_exempt(hook).attrs().csrf_exempt);
/// ```
pub fn csrf_exempt<M>(view: impl IntoViewFn<M>) -> ViewFn {
    view.into_view_fn().with_attrs(|a| a.csrf_exempt = true)
}

/// `csrf_protect`: CSRF protection exactly like the middleware, for this view only (a failing
/// request gets the CSRF failure page and the view is not called; the CSRF cookie is set when
/// the view used [`get_token`](crate::middleware::csrf::get_token)).
///
/// # Examples
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use nuages::views::decorators::csrf::csrf_protect;
/// use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
/// async fn submit(_req: HttpRequest) -> HttpResponse { HttpResponse::new("ok") }
/// let app = App::builder()
///     .settings(Settings { debug: true, ..Settings::default() })
///     .urls(vec![path("submit", csrf_protect(submit))])
///     .build()
///     .unwrap();
/// let resp = nuages::test::Client::new(app).post("/submit").send().await;
/// assert_eq!(resp.status(), 403);
/// # });
/// ```
pub fn csrf_protect<M>(view: impl IntoViewFn<M>) -> ViewFn {
    decorate(view.into_view_fn(), Mode::Protect)
}

/// `requires_csrf_token`: makes [`get_token`](crate::middleware::csrf::get_token) work and sets
/// the CSRF cookie like [`csrf_protect`], but never rejects a request.
pub fn requires_csrf_token<M>(view: impl IntoViewFn<M>) -> ViewFn {
    decorate(view.into_view_fn(), Mode::RequiresToken)
}

/// `ensure_csrf_cookie`: like [`requires_csrf_token`], and the response always sets the CSRF
/// cookie (as if the view had called [`get_token`](crate::middleware::csrf::get_token)).
///
/// # Examples
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use nuages::views::decorators::csrf::ensure_csrf_cookie;
/// use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
/// async fn page(_req: HttpRequest) -> HttpResponse { HttpResponse::new("page") }
/// let app = App::builder()
///     .settings(Settings { debug: true, ..Settings::default() })
///     .urls(vec![path("page", ensure_csrf_cookie(page))])
///     .build()
///     .unwrap();
/// let resp = nuages::test::Client::new(app).get("/page").send().await;
/// assert!(resp.set_cookies()[0].starts_with("csrftoken="));
/// assert_eq!(resp.header("vary").as_deref(), Some("Cookie"));
/// # });
/// ```
pub fn ensure_csrf_cookie<M>(view: impl IntoViewFn<M>) -> ViewFn {
    decorate(view.into_view_fn(), Mode::EnsureCookie)
}

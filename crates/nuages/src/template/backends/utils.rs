//! The equivalent of `django/template/backends/utils.py`: the `csrf_input` and `csrf_token`
//! values every backend puts in a context rendered with a request.

use crate::middleware::csrf::get_token;
use crate::utils::html::format_html1;
use crate::HttpRequest;

/// Django's `csrf_input(request)`: the hidden form field carrying the request's CSRF token
/// (safe HTML).
///
/// Calling it (like `get_token`) marks the CSRF cookie as used, so the response sets it;
/// backends therefore call it lazily, only when a template prints it.
///
/// # Examples
/// ```
/// let req = nuages::test::RequestFactory::new().get("/").build();
/// let html = nuages::template::backends::utils::csrf_input(&req);
/// assert!(html.starts_with(r#"<input type="hidden" name="csrfmiddlewaretoken" value=""#));
/// assert!(html.ends_with(r#"">"#));
/// ```
pub fn csrf_input(request: &HttpRequest) -> String {
    format_html1(
        r#"<input type="hidden" name="csrfmiddlewaretoken" value="{}">"#,
        &get_token(request),
    )
}

/// Django's `csrf_token` context value: `get_token(request)`.
///
/// # Examples
/// ```
/// let req = nuages::test::RequestFactory::new().get("/").build();
/// assert_eq!(nuages::template::backends::utils::csrf_token(&req).len(), 64);
/// ```
pub fn csrf_token(request: &HttpRequest) -> String {
    get_token(request)
}

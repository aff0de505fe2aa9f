//! The equivalent of `django/views/decorators/csrf.py`.

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

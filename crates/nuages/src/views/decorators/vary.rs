//! The equivalent of `django/views/decorators/vary.py`: [`vary_on_headers`] and
//! [`vary_on_cookie`].

use std::sync::Arc;

use crate::utils::cache::patch_vary_headers;
use crate::views::{IntoViewFn, ViewFn};
use crate::Error;

/// `vary_on_headers(*headers)`: adds the header names to the `Vary` of every response of the
/// view ([`patch_vary_headers`]: case-insensitive, existing names kept in order, `*` alone
/// wins).
///
/// # Errors
/// The decorated view fails with a 500 when a name is not a valid header value (Django's
/// `BadHeaderError`).
///
/// # Examples
/// ```
/// use nuages::views::decorators::vary::vary_on_headers;
/// use nuages::{HttpRequest, HttpResponse};
///
/// async fn page(_req: HttpRequest) -> HttpResponse {
///     HttpResponse::new("page").with_header("Vary", "Cookie")
/// }
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let view = vary_on_headers(&["Accept-Language", "cookie"], page);
/// let r = view.call(nuages::test::RequestFactory::new().get("/").build()).await.unwrap();
/// assert_eq!(r.header("vary").as_deref(), Some("Cookie, Accept-Language"));
/// # });
/// ```
pub fn vary_on_headers<M>(headers: &[&str], view: impl IntoViewFn<M>) -> ViewFn {
    let headers: Arc<[String]> = headers.iter().map(|h| (*h).to_owned()).collect();
    view.into_view_fn().wrap(move |request, inner| {
        let headers = Arc::clone(&headers);
        async move {
            let mut response = inner.call(request).await?;
            let names: Vec<&str> = headers.iter().map(String::as_str).collect();
            patch_vary_headers(response.headers_mut(), &names).map_err(Error::from)?;
            Ok(response)
        }
    })
}

/// `vary_on_cookie`: `vary_on_headers("Cookie")`, the page depends on the cookies.
///
/// # Examples
/// ```
/// use nuages::views::decorators::vary::vary_on_cookie;
/// use nuages::{HttpRequest, HttpResponse};
///
/// async fn page(_req: HttpRequest) -> HttpResponse { HttpResponse::new("page") }
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let r = vary_on_cookie(page).call(nuages::test::RequestFactory::new().get("/").build()).await.unwrap();
/// assert_eq!(r.header("vary").as_deref(), Some("Cookie"));
/// # });
/// ```
pub fn vary_on_cookie<M>(view: impl IntoViewFn<M>) -> ViewFn {
    vary_on_headers(&["Cookie"], view)
}

//! The equivalent of `django/views/decorators/cache.py`: [`never_cache`] and
//! [`cache_control`].

use std::sync::Arc;

use crate::utils::cache::{add_never_cache_headers, patch_cache_control, CacheDirective};
use crate::views::{IntoViewFn, ViewFn};

/// `never_cache`: the response gets `Expires` (now, unless set) and
/// `Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private`
/// ([`add_never_cache_headers`]).
///
/// # Examples
/// ```
/// use nuages::views::decorators::cache::never_cache;
/// use nuages::{HttpRequest, HttpResponse};
///
/// async fn live(_req: HttpRequest) -> HttpResponse { HttpResponse::new("now") }
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let r = never_cache(live).call(nuages::test::RequestFactory::new().get("/").build()).await.unwrap();
/// assert_eq!(r.header("cache-control").as_deref(), Some("max-age=0, no-cache, no-store, must-revalidate, private"));
/// assert!(r.has_header("expires"));
/// # });
/// ```
pub fn never_cache<M>(view: impl IntoViewFn<M>) -> ViewFn {
    view.into_view_fn().wrap(|request, inner| async move {
        let mut response = inner.call(request).await?;
        add_never_cache_headers(&mut response)?;
        Ok(response)
    })
}

/// `cache_control(**kwargs)`: [`patch_cache_control`] on every response of the view.
///
/// # Examples
/// ```
/// use nuages::utils::cache::CacheDirective;
/// use nuages::views::decorators::cache::cache_control;
/// use nuages::{HttpRequest, HttpResponse};
///
/// async fn page(_req: HttpRequest) -> HttpResponse { HttpResponse::new("page") }
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let view = cache_control([("max_age", CacheDirective::from(3600)), ("public", CacheDirective::True)], page);
/// let r = view.call(nuages::test::RequestFactory::new().get("/").build()).await.unwrap();
/// assert_eq!(r.header("cache-control").as_deref(), Some("max-age=3600, public"));
/// # });
/// ```
pub fn cache_control<'a, M>(
    directives: impl IntoIterator<Item = (&'a str, CacheDirective)>,
    view: impl IntoViewFn<M>,
) -> ViewFn {
    let directives: Arc<[(String, CacheDirective)]> = directives
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    view.into_view_fn().wrap(move |request, inner| {
        let directives = Arc::clone(&directives);
        async move {
            let mut response = inner.call(request).await?;
            patch_cache_control(
                &mut response,
                directives.iter().map(|(k, v)| (k.as_str(), v.clone())),
            )?;
            Ok(response)
        }
    })
}

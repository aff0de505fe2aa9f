//! The equivalent of `django/views/decorators/cache.py`: [`cache_page`], [`never_cache`] and
//! [`cache_control`].

use std::sync::Arc;

use crate::middleware::cache::{CacheMiddleware, UpdateCacheFlag};
use crate::template::response::{is_lazy, render_lazy_response};
use crate::utils::cache::{add_never_cache_headers, patch_cache_control, CacheDirective};
use crate::views::{IntoViewFn, ViewFn};

/// `cache_page(timeout, cache=None, key_prefix=None)`: the view's pages are served from the
/// cache, with [`CacheMiddleware`]'s rules (only GET and HEAD, only 200s, keyed by URL and the
/// `Vary` headers) and `timeout` as the page timeout (over `max-age`). As in Django the key
/// prefix is `""` and the cache `"default"` unless given — not the CACHE_MIDDLEWARE_*
/// settings; see [`CachePage`] to give them.
///
/// The cache is looked up in the settings of the first request. A view returning a lazy
/// [`TemplateResponse`](crate::template::response::TemplateResponse) is rendered here (Django
/// stores it from a post-render callback): the middleware's `process_template_response`
/// hooks then see a rendered response.
///
/// # Examples
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use nuages::views::decorators::cache::cache_page;
/// use nuages::{HttpRequest, HttpResponse};
///
/// static CALLS: AtomicUsize = AtomicUsize::new(0);
/// async fn page(_req: HttpRequest) -> HttpResponse {
///     HttpResponse::new(format!("call {}", CALLS.fetch_add(1, Ordering::SeqCst)))
/// }
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let view = cache_page(60, page);
/// let get = || nuages::test::RequestFactory::new().get("/doc-cache-page/").build();
/// let first = view.call(get()).await.unwrap();
/// assert_eq!(first.header("cache-control").as_deref(), Some("max-age=60"));
/// let second = view.call(get()).await.unwrap();
/// assert_eq!(second.content(), first.content());
/// # });
/// ```
pub fn cache_page<M>(timeout: i64, view: impl IntoViewFn<M>) -> ViewFn {
    CachePage::new(timeout).decorate(view)
}

/// [`cache_page`] with its keyword arguments, builder style.
///
/// # Examples
/// ```
/// use nuages::views::decorators::cache::CachePage;
/// use nuages::{HttpRequest, HttpResponse};
/// async fn page(_req: HttpRequest) -> HttpResponse { HttpResponse::new("page") }
/// let view = CachePage::new(300).key_prefix("site1").cache("default").decorate(page);
/// ```
#[derive(Debug, Clone)]
pub struct CachePage {
    timeout: i64,
    key_prefix: Option<String>,
    cache: Option<String>,
}

impl CachePage {
    /// `cache_page(timeout)`.
    pub fn new(timeout: i64) -> Self {
        CachePage {
            timeout,
            key_prefix: None,
            cache: None,
        }
    }

    /// `key_prefix=`.
    #[must_use]
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.key_prefix = Some(prefix.into());
        self
    }

    /// `cache=`: the alias of the cache in CACHES.
    #[must_use]
    pub fn cache(mut self, alias: impl Into<String>) -> Self {
        self.cache = Some(alias.into());
        self
    }

    /// Decorates a view.
    pub fn decorate<M>(self, view: impl IntoViewFn<M>) -> ViewFn {
        let middleware = Arc::new(CacheMiddleware::for_cache_page(
            self.timeout,
            self.key_prefix,
            self.cache,
        ));
        view.into_view_fn().wrap(move |mut request, inner| {
            let middleware = Arc::clone(&middleware);
            async move {
                let (hit, update) = middleware.process_request(&request).await?;
                // Django's `request._cache_update_cache`, seen by an UpdateCacheMiddleware
                // around the view too (a hit is not stored again).
                request
                    .extensions_mut()
                    .get_or_insert_with(UpdateCacheFlag::default)
                    .set(update);
                if let Some(response) = hit {
                    return Ok(response);
                }
                let fork = request.fork();
                let mut response = inner.call(request).await?;
                if is_lazy(&response) {
                    response = render_lazy_response(response)?;
                }
                middleware.process_response(&fork, response, update).await
            }
        })
    }
}

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

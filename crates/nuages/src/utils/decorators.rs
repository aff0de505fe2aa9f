//! The equivalent of `django/utils/decorators.py`: [`method_decorator`], which applies a
//! function decorator to one handler of a class-based view.
//!
//! In a [`#[view]`](crate::views::view) impl it is an attribute, on a handler or, with
//! `name = "…"`, on the impl block (Django's `@method_decorator(csrf_exempt, name="dispatch")`
//! on the class):
//!
//! ```
//! use nuages::views::decorators::cache::never_cache;
//! use nuages::views::decorators::csrf::csrf_exempt;
//! use nuages::views::generic::View;
//! use nuages::{HttpRequest, HttpResponse};
//!
//! struct Api;
//!
//! #[nuages::views::view]
//! #[method_decorator(csrf_exempt, name = "dispatch")]
//! impl View for Api {
//!     #[method_decorator(never_cache)]
//!     async fn get(&self, _request: HttpRequest) -> HttpResponse {
//!         HttpResponse::new("fresh")
//!     }
//!
//!     async fn post(&self, _request: HttpRequest) -> HttpResponse {
//!         HttpResponse::new("posted")
//!     }
//! }
//!
//! let view = Api.as_view();
//! assert!(view.attrs().csrf_exempt); // as_view() copies dispatch's attributes
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let r = view.call(nuages::test::RequestFactory::new().get("/").build()).await.unwrap();
//! assert_eq!(
//!     r.header("cache-control").as_deref(),
//!     Some("max-age=0, no-cache, no-store, must-revalidate, private")
//! );
//! let r = view.call(nuages::test::RequestFactory::new().post("/", "").build()).await.unwrap();
//! assert_eq!(r.header("cache-control").as_deref(), None);
//! # });
//! ```
//!
//! Several `#[method_decorator]` attributes stack like Python decorators, the first
//! outermost. A decorator taking arguments is written as a closure:
//! `#[method_decorator(|view| require_http_methods([Method::GET], view))]`.
//!
//! Naming a method the view does not have is a compile error (Django: `ValueError("The keyword
//! argument `name` must be the name of a method of the decorated class: …")`), and so is
//! decorating a method that is not a handler:
//!
//! ```compile_fail
//! # use nuages::views::{decorators::cache::never_cache, generic::View};
//! # use nuages::{HttpRequest, HttpResponse};
//! struct V;
//! #[nuages::views::view]
//! #[method_decorator(never_cache, name = "post")]
//! impl View for V {
//!     async fn get(&self, _r: HttpRequest) -> HttpResponse { HttpResponse::empty() }
//! }
//! ```
//! ```compile_fail
//! # use nuages::views::{decorators::cache::never_cache, generic::View};
//! # use nuages::{HttpRequest, HttpResponse};
//! struct V;
//! #[nuages::views::view]
//! impl View for V {
//!     #[method_decorator(never_cache)]
//!     fn http_method_names(&self) -> &[http::Method] { &[] }
//! }
//! ```

use std::future::Future;
use std::pin::pin;
use std::sync::Mutex;
use std::task::Poll;

use tokio::sync::oneshot;

use crate::views::{BoxFuture, Callable, ViewAttrs, ViewFn, ViewParams};
use crate::{Error, HttpRequest, HttpResponse};

type Channels = (
    oneshot::Sender<HttpRequest>,
    oneshot::Receiver<Result<HttpResponse, Error>>,
);

/// The view the decorator wraps: it hands the request to the method and waits for its answer.
struct Bridge(Mutex<Option<Channels>>);

impl Callable for Bridge {
    fn call(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, Error>> {
        let channels = self.0.lock().unwrap_or_else(|e| e.into_inner()).take();
        Box::pin(async move {
            let (to_method, from_method) = channels.ok_or_else(|| {
                Error::msg("method_decorator: the decorator called the method twice")
            })?;
            to_method
                .send(request)
                .map_err(|_| Error::msg("method_decorator: the method is no longer running"))?;
            from_method
                .await
                .map_err(|_| Error::msg("method_decorator: the method did not answer"))?
        })
    }
}

/// Django's `method_decorator(decorator)` applied to one call of a method: `decorator` (a
/// function decorator such as [`never_cache`](crate::views::decorators::cache::never_cache)
/// or [`require_get`](crate::views::decorators::http::require_get)) wraps a view that runs
/// `method`, and the decorated view answers `request`. `method` may borrow the view (`&self`).
///
/// A decorator that does not call the view it wraps (a 405 from `require_get`) answers without
/// running `method`.
///
/// # Errors
/// The decorated view's; an error if the decorator calls the method twice.
///
/// # Examples
/// ```
/// use nuages::utils::decorators::method_decorator;
/// use nuages::views::decorators::http::require_post;
/// use nuages::{HttpRequest, HttpResponse, Result};
///
/// struct Counter { name: String }
///
/// impl Counter {
///     async fn post(&self, request: HttpRequest) -> Result<HttpResponse> {
///         method_decorator(require_post, request, |_request| async move {
///             Ok(HttpResponse::new(self.name.clone()))
///         })
///         .await
///     }
/// }
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let c = Counter { name: "c".into() };
/// let r = c.post(nuages::test::RequestFactory::new().get("/").build()).await.unwrap();
/// assert_eq!(r.status_code(), 405);
/// let r = c.post(nuages::test::RequestFactory::new().post("/", "").build()).await.unwrap();
/// assert_eq!(r.content().unwrap(), b"c");
/// # });
/// ```
pub fn method_decorator<'a, D, H, Fut>(
    decorator: D,
    request: HttpRequest,
    method: H,
) -> impl Future<Output = Result<HttpResponse, Error>> + Send + 'a
where
    D: FnOnce(ViewFn) -> ViewFn,
    H: FnOnce(HttpRequest) -> Fut + Send + 'a,
    Fut: Future<Output = Result<HttpResponse, Error>> + Send + 'a,
{
    let (to_method, from_view) = oneshot::channel::<HttpRequest>();
    let (to_view, from_method) = oneshot::channel::<Result<HttpResponse, Error>>();
    let inner = ViewFn::from_callable(
        "method_decorator",
        ViewParams::Any,
        Bridge(Mutex::new(Some((to_method, from_method)))),
    );
    // Only the decorated call keeps the bridge: when it ends without calling the method, the
    // method side sees its channel closed.
    let outer = decorator(inner).call(request);
    async move {
        let method_side = async move {
            if let Ok(request) = from_view.await {
                let _ = to_view.send(method(request).await);
            }
        };
        let mut outer = pin!(outer);
        let mut method_side = pin!(method_side);
        let mut method_done = false;
        std::future::poll_fn(|cx| {
            if !method_done && method_side.as_mut().poll(cx).is_ready() {
                method_done = true;
            }
            match outer.as_mut().poll(cx) {
                Poll::Ready(r) => Poll::Ready(r),
                Poll::Pending => Poll::Pending,
            }
        })
        .await
    }
}

/// The attributes `decorator` sets on a view (Django's `_update_method_wrapper`, which
/// decorates a dummy function to copy them): what `as_view()` copies from `dispatch`.
///
/// # Examples
/// ```
/// use nuages::utils::decorators::decorated_attrs;
/// use nuages::views::decorators::csrf::csrf_exempt;
/// assert!(decorated_attrs(csrf_exempt).csrf_exempt);
/// assert!(!decorated_attrs(|v| v).csrf_exempt);
/// ```
pub fn decorated_attrs(decorator: impl FnOnce(ViewFn) -> ViewFn) -> ViewAttrs {
    decorator(ViewFn::named("method")).attrs()
}

//! View callables: plain functions and `async fn`s taking an [`HttpRequest`] (and optionally the
//! URL kwargs, typed), returning a response or a `Result`.
//!
//! ```
//! use nuages::{HttpRequest, HttpResponse, Result};
//!
//! // An async view: runs on the runtime.
//! async fn hello(_req: HttpRequest) -> Result<HttpResponse> {
//!     Ok(HttpResponse::new("Hello there!").with_content_type("text/plain"))
//! }
//!
//! // URL kwargs arrive typed by their converter (`<int:n>` → i64, `<uuid:u>` → Uuid, `<name>` → String).
//! async fn random(_req: HttpRequest, n: i64) -> HttpResponse {
//!     HttpResponse::new(format!("{n}"))
//! }
//!
//! // A plain function: runs on tokio's blocking thread pool, so it may block.
//! fn blocking_report(_req: HttpRequest) -> HttpResponse {
//!     HttpResponse::new("done")
//! }
//!
//! let _ = nuages::urls::path("hello", hello);
//! let _ = nuages::urls::path("random/<int:n>/", random);
//! let _ = nuages::urls::path("report", blocking_report);
//! ```
//!
//! # What is not a view
//! Each of these fails to compile with a message saying what a view may look like:
//! ```compile_fail
//! # use nuages::{HttpRequest, HttpResponse};
//! // The request is taken by value.
//! async fn by_ref(_req: &HttpRequest) -> HttpResponse { HttpResponse::empty() }
//! let _ = nuages::urls::path("x", by_ref);
//! ```
//! ```compile_fail
//! # use nuages::{HttpRequest, HttpResponse};
//! // Several URL arguments come as one tuple or one `Kwargs<T>`.
//! async fn two(_req: HttpRequest, a: i64, b: String) -> HttpResponse { HttpResponse::empty() }
//! let _ = nuages::urls::path("<int:a>/<b>/", two);
//! ```
//! ```compile_fail
//! # use nuages::{HttpRequest, HttpResponse};
//! // The error must convert into `nuages::Error`.
//! async fn text_error(_req: HttpRequest) -> Result<HttpResponse, String> { Err("no".into()) }
//! let _ = nuages::urls::path("x", text_error);
//! ```
//! and this one builds, then fails when the URLconf is built, because the view would receive
//! nothing of the route's argument:
//! ```
//! # use nuages::{HttpRequest, HttpResponse};
//! async fn ignores(_req: HttpRequest) -> HttpResponse { HttpResponse::empty() }
//! let err = nuages::urls::Urls::new([nuages::urls::path("<int:pk>/", ignores)]).unwrap_err();
//! assert!(err.message().contains("takes no URL arguments but the route passes 1 (pk)"));
//! ```
//!
//! # How sync views run
//! A plain `fn` view is called inside [`tokio::task::spawn_blocking`], the way Django runs sync
//! views under ASGI in a thread: it may do blocking I/O without stalling other requests, and
//! wait for the async APIs (the body, `POST`, `FILES`, the session) with
//! [`async_to_sync`](crate::utils::sync::async_to_sync) or the `*_blocking` methods of
//! [`HttpRequest`].
//! `async fn` views run on the runtime directly and are the fast path.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::kwargs::{FromKwargs, ViewParams};
use crate::{Error, HttpRequest, HttpResponse};

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a view may return: a response, or a `Result` whose error converts into [`Error`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a view's return type",
    label = "a view must return `HttpResponse` or `Result<HttpResponse, E>`",
    note = "`E` must convert into `nuages::Error`: any `std::error::Error`, or `nuages::Error` itself (`nuages::Result<HttpResponse>`); a `String` error does not — use `nuages::Error::msg(text)`"
)]
pub trait IntoViewResult: Send + 'static {
    /// Converts into the framework's result.
    fn into_view_result(self) -> Result<HttpResponse, Error>;
}

impl IntoViewResult for HttpResponse {
    fn into_view_result(self) -> Result<HttpResponse, Error> {
        Ok(self)
    }
}

impl<E> IntoViewResult for Result<HttpResponse, E>
where
    E: Into<Error> + Send + 'static,
{
    fn into_view_result(self) -> Result<HttpResponse, Error> {
        self.map_err(Into::into)
    }
}

/// The type-erased callable behind a [`ViewFn`].
pub trait Callable: Send + Sync + 'static {
    /// Calls the view.
    fn call(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, Error>>;
}

/// Attributes Django sets on view functions and reads in middleware.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ViewAttrs {
    /// `csrf_exempt`: CsrfViewMiddleware does not check this view.
    pub csrf_exempt: bool,
    /// `should_append_slash` (false after `no_append_slash`).
    pub should_append_slash: bool,
}

impl Default for ViewAttrs {
    fn default() -> Self {
        ViewAttrs {
            csrf_exempt: false,
            should_append_slash: true,
        }
    }
}

/// The class-based view a [`ViewFn`] was made from by
/// [`View::as_view`](crate::views::generic::View::as_view): Django's `view.view_class` and
/// `view.view_initkwargs`. In nuages the instance given to `as_view` carries the class
/// attributes that `initkwargs` set in Django, so it stands for both.
///
/// # Examples
/// ```
/// use nuages::views::generic::{RedirectView, View};
///
/// let view = RedirectView { url: Some("/new/".into()), permanent: true, ..Default::default() }.as_view();
/// let class = view.view_class().expect("made by as_view");
/// assert!(class.is::<RedirectView>());
/// assert_eq!(class.name(), "nuages::views::generic::base::redirect::RedirectView");
/// let initkwargs: &RedirectView = class.initkwargs().unwrap();
/// assert_eq!((initkwargs.url.as_deref(), initkwargs.permanent), (Some("/new/"), true));
/// assert!(nuages::views::ViewFn::named("f").view_class().is_none());
/// ```
#[doc(alias = "view_class")]
#[derive(Clone)]
pub struct ViewClass {
    name: &'static str,
    instance: Arc<dyn Any + Send + Sync>,
}

impl ViewClass {
    /// The class of `instance` (the view given to `as_view`).
    pub fn new<V: Any + Send + Sync>(instance: Arc<V>) -> Self {
        ViewClass {
            name: std::any::type_name::<V>(),
            instance,
        }
    }

    /// The type's path (`view_class.__qualname__`, with its module).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Whether the view is a `V` (`view.view_class is V`).
    pub fn is<V: Any>(&self) -> bool {
        self.instance.is::<V>()
    }

    /// The view instance given to `as_view` (Django's `view_initkwargs`, the attributes set
    /// for this URL), if it is a `V`.
    #[doc(alias = "view_initkwargs")]
    pub fn initkwargs<V: Any>(&self) -> Option<&V> {
        self.instance.downcast_ref()
    }
}

impl fmt::Debug for ViewClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ViewClass").field(&self.name).finish()
    }
}

/// A view callable (↔ the function a URL pattern maps to), cheap to clone.
#[derive(Clone)]
pub struct ViewFn {
    handler: Arc<dyn Callable>,
    name: Arc<str>,
    attrs: ViewAttrs,
    params: ViewParams,
    class: Option<ViewClass>,
}

impl ViewFn {
    /// Wraps a callable with a name (used as the view name when the pattern has none) and the
    /// URL arguments it takes (checked against its route when the URLconf is built).
    pub fn from_callable(
        name: impl Into<Arc<str>>,
        params: ViewParams,
        callable: impl Callable,
    ) -> Self {
        ViewFn {
            handler: Arc::new(callable),
            name: name.into(),
            attrs: ViewAttrs::default(),
            params,
            class: None,
        }
    }

    /// What the view takes from its route.
    pub fn params(&self) -> ViewParams {
        self.params
    }

    /// A view answering an empty 200, for tests of URL configuration.
    #[doc(hidden)]
    pub fn named(name: &'static str) -> Self {
        struct Empty;
        impl Callable for Empty {
            fn call(
                &self,
                _request: HttpRequest,
            ) -> BoxFuture<'static, Result<HttpResponse, Error>> {
                Box::pin(std::future::ready(Ok(HttpResponse::empty())))
            }
        }
        ViewFn::from_callable(name, ViewParams::Any, Empty)
    }

    /// The view's name (its Rust path, e.g. `seed_app::views::hello`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Django's view attributes.
    pub fn attrs(&self) -> ViewAttrs {
        self.attrs
    }

    /// The class-based view this view function was made from (`view_class`,
    /// `view_initkwargs`); `None` for a function view.
    #[doc(alias = "view_initkwargs")]
    pub fn view_class(&self) -> Option<&ViewClass> {
        self.class.as_ref()
    }

    /// Records the class-based view this view function is made from (done by
    /// [`View::as_view`](crate::views::generic::View::as_view)).
    pub fn with_view_class(mut self, class: ViewClass) -> Self {
        self.class = Some(class);
        self
    }

    /// Changes the attributes (decorators such as `csrf_exempt` do this).
    pub fn with_attrs(mut self, f: impl FnOnce(&mut ViewAttrs)) -> Self {
        f(&mut self.attrs);
        self
    }

    /// Calls the view.
    pub fn call(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, Error>> {
        self.handler.call(request)
    }

    /// Wraps this view (a decorator): `wrap` receives the request and the inner view. The name,
    /// attributes and [`ViewFn::view_class`] are kept, like `functools.wraps` (which copies the
    /// function's `__dict__`).
    pub fn wrap<F, Fut>(self, wrap: F) -> ViewFn
    where
        F: Fn(HttpRequest, ViewFn) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<HttpResponse, Error>> + Send + 'static,
    {
        let inner = self.clone();
        let name = self.name.clone();
        let attrs = self.attrs;
        let params = self.params;
        let class = self.class.clone();
        struct Wrapped<F> {
            inner: ViewFn,
            f: F,
        }
        impl<F, Fut> Callable for Wrapped<F>
        where
            F: Fn(HttpRequest, ViewFn) -> Fut + Send + Sync + 'static,
            Fut: Future<Output = Result<HttpResponse, Error>> + Send + 'static,
        {
            fn call(
                &self,
                request: HttpRequest,
            ) -> BoxFuture<'static, Result<HttpResponse, Error>> {
                Box::pin((self.f)(request, self.inner.clone()))
            }
        }
        ViewFn {
            handler: Arc::new(Wrapped { inner, f: wrap }),
            name,
            attrs,
            params,
            class,
        }
    }
}

impl fmt::Debug for ViewFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ViewFn")
            .field("name", &self.name)
            .field("attrs", &self.attrs)
            .finish()
    }
}

/// Anything convertible into a [`ViewFn`]: async and sync functions with or without typed
/// kwargs, class-based views, and `ViewFn` itself. `M` is an inference marker.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a view",
    label = "not a view",
    note = "a view is `async fn(HttpRequest) -> R` or `async fn(HttpRequest, K) -> R` (or the same without `async`), taking the request by value",
    note = "`R` is `HttpResponse` or `Result<HttpResponse, E>` with `E` convertible into `nuages::Error`",
    note = "`K` takes the URL arguments: one value (`i64`, `String`, …), a tuple `(A, B)` in route order, or `nuages::views::Kwargs<T>` (a `serde::Deserialize` struct) to take several by name"
)]
pub trait IntoViewFn<M> {
    /// Converts.
    fn into_view_fn(self) -> ViewFn;
}

#[diagnostic::do_not_recommend]
impl IntoViewFn<()> for ViewFn {
    fn into_view_fn(self) -> ViewFn {
        self
    }
}

fn type_name_of<T>() -> &'static str {
    std::any::type_name::<T>()
}

/// Marker for `async fn(HttpRequest)` views.
#[derive(Debug)]
pub struct AsyncMarker;
/// Marker for `fn(HttpRequest)` views.
#[derive(Debug)]
pub struct SyncMarker;

struct AsyncView<F>(F);

impl<F, Fut, R> Callable for AsyncView<F>
where
    F: Fn(HttpRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send + 'static,
    R: IntoViewResult,
{
    fn call(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, Error>> {
        let fut = (self.0)(request);
        Box::pin(async move { fut.await.into_view_result() })
    }
}

impl<F, Fut, R> IntoViewFn<(AsyncMarker, R)> for F
where
    F: Fn(HttpRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send + 'static,
    R: IntoViewResult,
{
    fn into_view_fn(self) -> ViewFn {
        ViewFn::from_callable(type_name_of::<F>(), ViewParams::None, AsyncView(self))
    }
}

struct AsyncKwargsView<F, K>(F, std::marker::PhantomData<fn() -> K>);

impl<F, Fut, R, K> Callable for AsyncKwargsView<F, K>
where
    F: Fn(HttpRequest, K) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send + 'static,
    R: IntoViewResult,
    K: FromKwargs + 'static,
{
    fn call(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, Error>> {
        match K::from_request(&request) {
            Ok(k) => {
                let fut = (self.0)(request, k);
                Box::pin(async move { fut.await.into_view_result() })
            }
            Err(e) => Box::pin(std::future::ready(Err(e))),
        }
    }
}

impl<F, Fut, R, K> IntoViewFn<(AsyncMarker, K, R)> for F
where
    F: Fn(HttpRequest, K) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send + 'static,
    R: IntoViewResult,
    K: FromKwargs + 'static,
{
    fn into_view_fn(self) -> ViewFn {
        ViewFn::from_callable(
            type_name_of::<F>(),
            K::params(),
            AsyncKwargsView(self, std::marker::PhantomData),
        )
    }
}

struct SyncView<F>(Arc<F>);

impl<F, R> Callable for SyncView<F>
where
    F: Fn(HttpRequest) -> R + Send + Sync + 'static,
    R: IntoViewResult,
{
    fn call(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, Error>> {
        let f = Arc::clone(&self.0);
        Box::pin(run_blocking(move || f(request).into_view_result()))
    }
}

impl<F, R> IntoViewFn<(SyncMarker, R)> for F
where
    F: Fn(HttpRequest) -> R + Send + Sync + 'static,
    R: IntoViewResult,
{
    fn into_view_fn(self) -> ViewFn {
        ViewFn::from_callable(
            type_name_of::<F>(),
            ViewParams::None,
            SyncView(Arc::new(self)),
        )
    }
}

struct SyncKwargsView<F, K>(Arc<F>, std::marker::PhantomData<fn() -> K>);

impl<F, R, K> Callable for SyncKwargsView<F, K>
where
    F: Fn(HttpRequest, K) -> R + Send + Sync + 'static,
    R: IntoViewResult,
    K: FromKwargs + Send + 'static,
{
    fn call(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, Error>> {
        let f = Arc::clone(&self.0);
        match K::from_request(&request) {
            Ok(k) => Box::pin(run_blocking(move || f(request, k).into_view_result())),
            Err(e) => Box::pin(std::future::ready(Err(e))),
        }
    }
}

impl<F, R, K> IntoViewFn<(SyncMarker, K, R)> for F
where
    F: Fn(HttpRequest, K) -> R + Send + Sync + 'static,
    R: IntoViewResult,
    K: FromKwargs + Send + 'static,
{
    fn into_view_fn(self) -> ViewFn {
        ViewFn::from_callable(
            type_name_of::<F>(),
            K::params(),
            SyncKwargsView(Arc::new(self), std::marker::PhantomData),
        )
    }
}

pub(crate) async fn run_blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    match tokio::task::spawn_blocking(|| crate::utils::sync::sync_context(f)).await {
        Ok(r) => r,
        Err(e) if e.is_panic() => Err(Error::from_panic(e.into_panic())),
        Err(e) => Err(Error::msg(format!("blocking view task failed: {e}"))),
    }
}

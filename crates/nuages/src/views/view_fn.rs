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
//! # How sync views run
//! A plain `fn` view is called inside [`tokio::task::spawn_blocking`], the way Django runs sync
//! views under ASGI in a thread: it may do blocking I/O without stalling other requests.
//! `async fn` views run on the runtime directly and are the fast path.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::urls::{ResolverMatch, Value};
use crate::{Error, HttpRequest, HttpResponse};

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a view may return: a response, or a `Result` whose error converts into [`Error`].
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
pub trait Handler: Send + Sync + 'static {
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

/// A view callable (↔ the function a URL pattern maps to), cheap to clone.
#[derive(Clone)]
pub struct ViewFn {
    handler: Arc<dyn Handler>,
    name: Arc<str>,
    attrs: ViewAttrs,
}

impl ViewFn {
    /// Wraps a handler with a name (used as the view name when the pattern has none).
    pub fn from_handler(name: impl Into<Arc<str>>, handler: impl Handler) -> Self {
        ViewFn {
            handler: Arc::new(handler),
            name: name.into(),
            attrs: ViewAttrs::default(),
        }
    }

    /// A view answering an empty 200, for tests of URL configuration.
    #[doc(hidden)]
    pub fn named(name: &'static str) -> Self {
        struct Empty;
        impl Handler for Empty {
            fn call(
                &self,
                _request: HttpRequest,
            ) -> BoxFuture<'static, Result<HttpResponse, Error>> {
                Box::pin(std::future::ready(Ok(HttpResponse::empty())))
            }
        }
        ViewFn::from_handler(name, Empty)
    }

    /// The view's name (its Rust path, e.g. `seed_app::views::hello`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Django's view attributes.
    pub fn attrs(&self) -> ViewAttrs {
        self.attrs
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

    /// Wraps this view (a decorator): `wrap` receives the request and the inner view. The name
    /// and attributes are kept, like `functools.wraps`.
    pub fn wrap<F, Fut>(self, wrap: F) -> ViewFn
    where
        F: Fn(HttpRequest, ViewFn) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<HttpResponse, Error>> + Send + 'static,
    {
        let inner = self.clone();
        let name = self.name.clone();
        let attrs = self.attrs;
        struct Wrapped<F> {
            inner: ViewFn,
            f: F,
        }
        impl<F, Fut> Handler for Wrapped<F>
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
pub trait IntoViewFn<M> {
    /// Converts.
    fn into_view_fn(self) -> ViewFn;
}

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

impl<F, Fut, R> Handler for AsyncView<F>
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
        ViewFn::from_handler(type_name_of::<F>(), AsyncView(self))
    }
}

struct AsyncKwargsView<F, K>(F, std::marker::PhantomData<fn() -> K>);

impl<F, Fut, R, K> Handler for AsyncKwargsView<F, K>
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
        ViewFn::from_handler(
            type_name_of::<F>(),
            AsyncKwargsView(self, std::marker::PhantomData),
        )
    }
}

struct SyncView<F>(Arc<F>);

impl<F, R> Handler for SyncView<F>
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
        ViewFn::from_handler(type_name_of::<F>(), SyncView(Arc::new(self)))
    }
}

struct SyncKwargsView<F, K>(Arc<F>, std::marker::PhantomData<fn() -> K>);

impl<F, R, K> Handler for SyncKwargsView<F, K>
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
        ViewFn::from_handler(
            type_name_of::<F>(),
            SyncKwargsView(Arc::new(self), std::marker::PhantomData),
        )
    }
}

async fn run_blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(e) if e.is_panic() => Err(Error::from_panic(e.into_panic())),
        Err(e) => Err(Error::msg(format!("blocking view task failed: {e}"))),
    }
}

// ===== typed kwargs =====

/// URL kwargs extracted for a view's second parameter: a single value (`i64`, `String`,
/// `Uuid`, …: the first kwarg), a tuple of them (in pattern order), [`Kwargs`] (all, by name) or
/// [`Args`] (positional groups of a `re_path`).
pub trait FromKwargs: Sized + Send {
    /// Extracts from the request's resolver match.
    ///
    /// # Errors
    /// A missing kwarg or a value of another type (500), or a number out of range (404).
    fn from_request(request: &HttpRequest) -> Result<Self, Error>;
}

/// Conversion of one URL kwarg [`Value`] into a Rust type.
pub trait FromValue: Sized + Send {
    /// Converts.
    ///
    /// # Errors
    /// As [`FromKwargs::from_request`].
    fn from_value(value: &Value) -> Result<Self, Error>;
}

fn resolver_match(request: &HttpRequest) -> Result<&ResolverMatch, Error> {
    request
        .resolver_match()
        .ok_or_else(|| Error::msg("the view expects URL kwargs but the request was not resolved"))
}

impl FromValue for String {
    fn from_value(value: &Value) -> Result<Self, Error> {
        Ok(value.to_string())
    }
}

impl FromValue for Value {
    fn from_value(value: &Value) -> Result<Self, Error> {
        Ok(value.clone())
    }
}

impl FromValue for uuid::Uuid {
    fn from_value(value: &Value) -> Result<Self, Error> {
        match value {
            Value::Uuid(u) => Ok(*u),
            Value::Str(s) => s
                .parse()
                .map_err(|_| crate::Http404::new("invalid UUID").into()),
            other => Err(Error::msg(format!("URL kwarg {other} is not a UUID"))),
        }
    }
}

macro_rules! int_from_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(value: &Value) -> Result<Self, Error> {
                let out_of_range = || Error::from(crate::Http404::new("URL number out of range"));
                match value {
                    Value::Int(i) => <$t>::try_from(*i).map_err(|_| out_of_range()),
                    Value::Str(s) => s.parse::<$t>().map_err(|_| out_of_range()),
                    other => Err(Error::msg(format!("URL kwarg {other} is not an integer"))),
                }
            }
        }
    )*};
}
int_from_value!(i64, i32, i16, i8, u64, u32, u16, u8, usize, isize, i128, u128);

impl<T: FromValue> FromKwargs for T {
    fn from_request(request: &HttpRequest) -> Result<Self, Error> {
        let m = resolver_match(request)?;
        if let Some(v) = m.kwargs.values().next() {
            return T::from_value(v);
        }
        match m.args.first() {
            Some(a) => T::from_value(&Value::Str(a.clone())),
            None => Err(Error::msg(
                "the view expects a URL kwarg but the pattern captured none",
            )),
        }
    }
}

macro_rules! tuple_from_kwargs {
    ($n:literal; $($t:ident),*) => {
        impl<$($t: FromValue),*> FromKwargs for ($($t,)*) {
            fn from_request(request: &HttpRequest) -> Result<Self, Error> {
                let m = resolver_match(request)?;
                if m.kwargs.len() < $n {
                    return Err(Error::msg(format!(
                        "the view expects {} URL kwargs but the pattern captured {}", $n, m.kwargs.len()
                    )));
                }
                let mut it = m.kwargs.values();
                Ok(($(match it.next() {
                    Some(v) => $t::from_value(v)?,
                    None => return Err(Error::msg("missing URL kwarg")),
                },)*))
            }
        }
    };
}
tuple_from_kwargs!(1; A);
tuple_from_kwargs!(2; A, B);
tuple_from_kwargs!(3; A, B, C);
tuple_from_kwargs!(4; A, B, C, D);

/// All URL kwargs by name (`**kwargs`).
#[derive(Debug, Clone, Default)]
pub struct Kwargs(pub indexmap::IndexMap<String, Value>);

impl Kwargs {
    /// A kwarg converted to `T`.
    ///
    /// # Errors
    /// A missing kwarg or a conversion error.
    pub fn get<T: FromValue>(&self, name: &str) -> Result<T, Error> {
        let v = self
            .0
            .get(name)
            .ok_or_else(|| Error::msg(format!("no URL kwarg named {name:?}")))?;
        T::from_value(v)
    }
}

impl FromKwargs for Kwargs {
    fn from_request(request: &HttpRequest) -> Result<Self, Error> {
        Ok(Kwargs(
            request
                .resolver_match()
                .map(|m| m.kwargs.clone())
                .unwrap_or_default(),
        ))
    }
}

/// The positional captures of a `re_path` (`*args`).
#[derive(Debug, Clone, Default)]
pub struct Args(pub Vec<String>);

impl FromKwargs for Args {
    fn from_request(request: &HttpRequest) -> Result<Self, Error> {
        Ok(Args(
            request
                .resolver_match()
                .map(|m| m.args.clone())
                .unwrap_or_default(),
        ))
    }
}

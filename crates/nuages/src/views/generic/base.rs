//! The equivalent of `django/views/generic/base.py`: [`View`] (dispatch by HTTP method),
//! [`ContextMixin`], [`TemplateResponseMixin`], [`TemplateView`] and [`RedirectView`].
//!
//! # Writing a view
//!
//! A view is a struct (its fields are Django's class attributes) with an `impl View` block
//! under [`#[view]`](crate::views::view), holding one method per HTTP verb it answers:
//!
//! ```
//! use nuages::views::generic::View;
//! use nuages::{HttpRequest, HttpResponse, Result};
//!
//! #[derive(Default)]
//! struct Greeting {
//!     greeting: String,
//! }
//!
//! #[nuages::views::view]
//! impl View for Greeting {
//!     async fn get(&self, _request: HttpRequest) -> HttpResponse {
//!         HttpResponse::new(self.greeting.clone())
//!     }
//!
//!     async fn post(&self, request: HttpRequest) -> Result<HttpResponse> {
//!         let name = request.form().await?.get("name").unwrap_or("you").to_owned();
//!         Ok(HttpResponse::new(format!("{}, {name}", self.greeting)))
//!     }
//! }
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! // Greeting.as_view(greeting="Good day"): an attribute that does not exist does not compile.
//! let view = Greeting { greeting: "Good day".into(), ..Default::default() }.as_view();
//! let app = nuages::App::builder()
//!     .settings(nuages::Settings { debug: true, ..Default::default() })
//!     .urls([nuages::urls::path("greet/", view)])
//!     .build()
//!     .unwrap();
//! let client = nuages::test::Client::new(app);
//! assert_eq!(client.get("/greet/").send().await.text(), "Good day");
//! let r = client.request(http::Method::OPTIONS, "/greet/").send().await;
//! assert_eq!(r.header("allow").as_deref(), Some("GET, POST, HEAD, OPTIONS"));
//! let r = client.request(http::Method::PUT, "/greet/").send().await;
//! assert_eq!((r.status(), r.header("allow").as_deref()), (405, Some("GET, POST, HEAD, OPTIONS")));
//! # });
//! ```
//!
//! An attribute that is not a field of the struct is refused when the program is compiled,
//! where Django raises `TypeError` in `as_view()`:
//!
//! ```compile_fail,E0560
//! # use nuages::views::generic::TemplateView;
//! // TemplateView.as_view(nonexistent=1): "TemplateView() received an invalid keyword 'nonexistent'"
//! let _ = TemplateView { nonexistent: 1, ..Default::default() }.as_view();
//! ```
//! ```compile_fail,E0560
//! # use nuages::views::generic::TemplateView;
//! // TemplateView.as_view(get=1): "The method name get is not accepted as a keyword argument"
//! let _ = TemplateView { get: 1, ..Default::default() }.as_view();
//! ```
//!
//! # Sync and async views
//!
//! Handlers are all `async fn` or all plain `fn`; a mix is a compile error (Django raises
//! `ImproperlyConfigured` in `as_view()`):
//!
//! ```compile_fail
//! # use nuages::{views::generic::View, HttpRequest, HttpResponse};
//! struct Mixed;
//! #[nuages::views::view]
//! impl View for Mixed {
//!     async fn get(&self, _r: HttpRequest) -> HttpResponse { HttpResponse::empty() }
//!     fn post(&self, _r: HttpRequest) -> HttpResponse { HttpResponse::empty() }
//! }
//! ```
//!
//! A handler takes `(&self, request: HttpRequest)`; any other shape is a compile error too:
//!
//! ```compile_fail
//! # use nuages::{views::generic::View, HttpRequest, HttpResponse};
//! struct ByRef;
//! #[nuages::views::view]
//! impl View for ByRef {
//!     async fn get(&self, _r: &HttpRequest) -> HttpResponse { HttpResponse::empty() }
//! }
//! ```
//!
//! An async view's `setup()`, `dispatch()` and handlers run on the runtime; a sync view's run
//! together on tokio's blocking thread pool (like a sync function view, and like Django running
//! a sync view in a thread under ASGI), so they may block.
//!
//! # Without the macro
//!
//! `#[view]` writes [`View::HANDLERS`] (Django's `hasattr(self, method)`) and
//! [`View::VIEW_IS_ASYNC`], and turns `async fn get(&self, request) -> R` into the trait's
//! `fn get(&self, request) -> impl Future<Output = Result<HttpResponse>> + Send`. A manual impl
//! writes those itself:
//!
//! ```
//! use http::Method;
//! use nuages::views::generic::View;
//! use nuages::{Error, HttpRequest, HttpResponse};
//! use std::future::Future;
//!
//! struct OnlyPost;
//!
//! impl View for OnlyPost {
//!     const HANDLERS: &'static [Method] = &[Method::POST];
//!
//!     fn post(&self, _request: HttpRequest) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
//!         async { Ok(HttpResponse::new("POST")) }
//!     }
//! }
//! let _ = nuages::urls::path("post/", OnlyPost.as_view());
//! ```

mod redirect;
mod template;

use crate::utils::log::log_message_escape;
use std::future::Future;
use std::sync::Arc;

use http::header::{HeaderValue, ALLOW, CONTENT_LENGTH};
use http::Method;

use crate::core::exceptions::ImproperlyConfigured;
use crate::urls::{RequestUrlsExt, UrlKwargs};
use crate::views::view_fn::run_blocking;
use crate::views::{BoxFuture, Callable, ViewAttrs, ViewClass, ViewFn, ViewParams};
use crate::{Error, HttpRequest, HttpResponse};

pub use self::redirect::{get_redirect_url, percent_format, PercentFormatError, RedirectView};
pub use self::template::{
    get_context_data, get_template_names, render_to_response, template_get, ContextMixin,
    ResponseClass, TemplateResponseMixin, TemplateView,
};

/// Django's `View.http_method_names`, in its order: `get`, `post`, `put`, `patch`, `delete`,
/// `head`, `options`, `trace`.
///
/// # Examples
/// ```
/// assert_eq!(nuages::views::generic::HTTP_METHOD_NAMES.len(), 8);
/// assert_eq!(nuages::views::generic::HTTP_METHOD_NAMES[0], http::Method::GET);
/// ```
pub const HTTP_METHOD_NAMES: &[Method] = &[
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
    Method::HEAD,
    Method::OPTIONS,
    Method::TRACE,
];

/// Django's `django.views.View`: dispatch by HTTP method.
///
/// A request runs [`View::setup`], then [`View::dispatch`], which calls the handler named
/// like the method if the method is in [`View::http_method_names`] and the view has that
/// handler ([`View::HANDLERS`]), else [`View::http_method_not_allowed`] (405 with `Allow`).
/// HEAD runs `get` when the view has no `head`; OPTIONS is answered by [`View::options`]
/// (`Allow` and `Content-Length: 0`).
///
/// The view is built once, by [`View::as_view`], and shared by the requests it serves: what
/// Django keeps on `self` per request (`self.request`, `self.args`, `self.kwargs`) is the
/// `request` each method receives and its
/// [`resolver_match()`](crate::urls::RequestUrlsExt::resolver_match) ([`url_args`],
/// [`url_kwargs`]); per-request state set up in [`View::setup`] goes into the request's
/// extensions.
///
/// See the [module documentation](self) for writing one.
///
/// # Examples
/// ```
/// use nuages::views::generic::View;
/// use nuages::{HttpRequest, HttpResponse};
///
/// struct Ping;
///
/// #[nuages::views::view]
/// impl View for Ping {
///     async fn get(&self, _request: HttpRequest) -> HttpResponse {
///         HttpResponse::new("pong")
///     }
/// }
/// assert_eq!(<Ping as View>::HANDLERS, &[http::Method::GET]);
/// assert_eq!(Ping.allowed_methods(), [http::Method::GET, http::Method::HEAD, http::Method::OPTIONS]);
/// ```
pub trait View: Send + Sync + Sized + 'static {
    /// The handlers this view defines among [`HTTP_METHOD_NAMES`] (Django's
    /// `hasattr(self, method)`); [`#[view]`](crate::views::view) writes it. `options` is always
    /// available, and `head` whenever `get` is.
    const HANDLERS: &'static [Method];

    /// Whether the handlers are async (`true`: they run on the runtime) or sync (`false`:
    /// `setup`, `dispatch` and the handler run on the blocking thread pool). Django's
    /// `view_is_async`; [`#[view]`](crate::views::view) writes it.
    const VIEW_IS_ASYNC: bool = true;

    /// `http_method_names`: the methods this view may answer, in the order `Allow` lists them.
    fn http_method_names(&self) -> &[Method] {
        HTTP_METHOD_NAMES
    }

    /// `setup(request, *args, **kwargs)`: runs before [`View::dispatch`]. An error is answered
    /// like a handler's (e.g. [`Http404`](crate::Http404) → 404).
    ///
    /// # Errors
    /// What the override returns; the default does nothing.
    fn setup(&self, request: &mut HttpRequest) -> Result<(), Error> {
        let _ = request;
        Ok(())
    }

    /// `dispatch(request)`: calls the handler of the request's method ([`dispatch`]). An
    /// override calls [`dispatch`] for `super().dispatch()`.
    fn dispatch(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        dispatch(self, request)
    }

    /// `http_method_not_allowed`: 405 with `Allow` = [`View::allowed_methods`], logged as
    /// `Method Not Allowed (METHOD): path` at WARNING on `django.request`, Django's logger name
    /// (a `tracing` target).
    fn http_method_not_allowed(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        http_method_not_allowed(self, request)
    }

    /// `options`: 200, `Allow` = [`View::allowed_methods`], `Content-Length: 0`.
    fn options(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        options(self, request)
    }

    /// The GET handler.
    fn get(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        missing::<Self>("get", request)
    }

    /// The POST handler.
    fn post(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        missing::<Self>("post", request)
    }

    /// The PUT handler.
    fn put(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        missing::<Self>("put", request)
    }

    /// The PATCH handler.
    fn patch(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        missing::<Self>("patch", request)
    }

    /// The DELETE handler.
    fn delete(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        missing::<Self>("delete", request)
    }

    /// The HEAD handler; by default `get` (Django's `setup()` sets `self.head = self.get`).
    fn head(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        head(self, request)
    }

    /// The TRACE handler.
    fn trace(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        missing::<Self>("trace", request)
    }

    /// `_allowed_methods()`: the methods of [`View::http_method_names`] this view has a
    /// handler for, in that order.
    fn allowed_methods(&self) -> Vec<Method> {
        self.http_method_names()
            .iter()
            .filter(|m| has_handler::<Self>(m))
            .cloned()
            .collect()
    }

    /// The attributes the decorators of `dispatch` set (`method_decorator(csrf_exempt,
    /// name="dispatch")`): Django's `as_view()` copies `dispatch.__dict__` onto the view.
    /// [`#[view]`](crate::views::view) writes it when `dispatch` is decorated.
    fn view_attrs() -> ViewAttrs {
        ViewAttrs::default()
    }

    /// `as_view()`: the routable view. `self` holds the attributes (`as_view(**initkwargs)` is
    /// a struct literal, so an unknown attribute does not compile).
    ///
    /// The view function keeps the view: [`ViewFn::view_class`] is Django's `view_class` and
    /// `view_initkwargs`.
    #[allow(clippy::wrong_self_convention)] // Django's name
    fn as_view(self) -> ViewFn {
        let view = Arc::new(self);
        ViewFn::from_callable(
            std::any::type_name::<Self>(),
            ViewParams::Any,
            ClassView(Arc::clone(&view)),
        )
        .with_attrs(|a| *a = Self::view_attrs())
        .with_view_class(ViewClass::new(view))
    }
}

/// `hasattr(self, method)` after `setup()`: a handler of [`View::HANDLERS`], `options`
/// (defined on `View`), or `head` when there is `get`.
fn has_handler<V: View>(method: &Method) -> bool {
    V::HANDLERS.contains(method)
        || *method == Method::OPTIONS
        || (*method == Method::HEAD && V::HANDLERS.contains(&Method::GET))
}

/// A handler the view does not define: only reached when [`View::HANDLERS`] names a handler
/// the impl does not write, or when code calls it directly (Django: `AttributeError`).
fn missing<V: View>(
    name: &'static str,
    request: HttpRequest,
) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
    drop(request);
    std::future::ready(Err(ImproperlyConfigured::new(format!(
        "{} has no {name}() handler (View::HANDLERS names it, or it was called directly)",
        std::any::type_name::<V>()
    ))
    .into()))
}

/// Django's `View.dispatch`: the handler of the request's method if the method is in
/// [`View::http_method_names`] and the view has that handler, else
/// [`View::http_method_not_allowed`].
///
/// # Errors
/// The handler's.
///
/// # Examples
/// ```
/// use nuages::views::generic::{base, View};
/// use nuages::{HttpRequest, HttpResponse, PermissionDenied, Result};
///
/// struct Private;
///
/// #[nuages::views::view]
/// impl View for Private {
///     async fn dispatch(&self, request: HttpRequest) -> Result<HttpResponse> {
///         if request.header("X-Key").as_deref() != Some("sesame") {
///             return Err(PermissionDenied::default().into());
///         }
///         base::dispatch(self, request).await // super().dispatch(request)
///     }
///     async fn get(&self, _request: HttpRequest) -> HttpResponse {
///         HttpResponse::new("secret")
///     }
/// }
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let req = nuages::test::RequestFactory::new().get("/").header("X-Key", "sesame").build();
/// assert_eq!(Private.as_view().call(req).await.unwrap().content().unwrap(), b"secret");
/// let req = nuages::test::RequestFactory::new().get("/").build();
/// assert!(Private.as_view().call(req).await.is_err());
/// # });
/// ```
pub fn dispatch<V: View>(
    view: &V,
    request: HttpRequest,
) -> impl Future<Output = Result<HttpResponse, Error>> + Send + '_ {
    let listed = view
        .http_method_names()
        .iter()
        .find(|m| m.as_str().eq_ignore_ascii_case(request.method().as_str()))
        .filter(|m| has_handler::<V>(m))
        .cloned();
    async move {
        match listed.as_ref().map(Method::as_str) {
            Some("GET") => view.get(request).await,
            Some("POST") => view.post(request).await,
            Some("PUT") => view.put(request).await,
            Some("PATCH") => view.patch(request).await,
            Some("DELETE") => view.delete(request).await,
            Some("HEAD") => view.head(request).await,
            Some("OPTIONS") => view.options(request).await,
            Some("TRACE") => view.trace(request).await,
            _ => view.http_method_not_allowed(request).await,
        }
    }
}

/// Django's `View.http_method_not_allowed`: 405 with `Allow` listing
/// [`View::allowed_methods`], logged at WARNING on `django.request`.
///
/// # Errors
/// None; the signature is a handler's.
///
/// # Examples
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use nuages::views::generic::{base, RedirectView};
/// let req = nuages::test::RequestFactory::new().get("/").build();
/// let r = base::http_method_not_allowed(&RedirectView::default(), req).await.unwrap();
/// assert_eq!(r.status_code(), 405);
/// assert_eq!(r.header("allow").as_deref(), Some("GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"));
/// # });
/// ```
pub fn http_method_not_allowed<V: View>(
    view: &V,
    request: HttpRequest,
) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
    let response = HttpResponse::not_allowed(&view.allowed_methods());
    tracing::warn!(
        target: "django.request",
        "Method Not Allowed ({}): {}",
        log_message_escape(request.method().as_str()),
        log_message_escape(&request.path())
    );
    std::future::ready(Ok(response))
}

/// Django's `View.options`: 200 with `Allow` and `Content-Length: 0`.
///
/// # Errors
/// None; the signature is a handler's.
///
/// # Examples
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use nuages::views::generic::{base, TemplateView};
/// let req = nuages::test::RequestFactory::new().request(http::Method::OPTIONS, "/").build();
/// let r = base::options(&TemplateView::default(), req).await.unwrap();
/// assert_eq!(r.header("allow").as_deref(), Some("GET, HEAD, OPTIONS"));
/// assert_eq!(r.header("content-length").as_deref(), Some("0"));
/// # });
/// ```
pub fn options<V: View>(
    view: &V,
    request: HttpRequest,
) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
    drop(request);
    let allow = view
        .allowed_methods()
        .iter()
        .map(Method::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    let mut response = HttpResponse::empty();
    let result = HeaderValue::from_str(&allow)
        .map(|v| {
            response.headers_mut().insert(ALLOW, v);
            response
                .headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
            response
        })
        .map_err(Error::from);
    std::future::ready(result)
}

/// The default HEAD handler: `get` when the view has one (Django's `setup()` aliases
/// `head = get`).
///
/// # Errors
/// `get`'s; [`ImproperlyConfigured`] when the view has no `get`.
///
/// # Examples
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use nuages::views::generic::{base, RedirectView};
/// let view = RedirectView { url: Some("/x/".into()), ..Default::default() };
/// let r = base::head(&view, nuages::test::RequestFactory::new().request(http::Method::HEAD, "/").build()).await.unwrap();
/// assert_eq!(r.header("location").as_deref(), Some("/x/"));
/// # });
/// ```
pub async fn head<V: View>(view: &V, request: HttpRequest) -> Result<HttpResponse, Error> {
    if V::HANDLERS.contains(&Method::GET) {
        view.get(request).await
    } else {
        missing::<V>("head", request).await
    }
}

/// `self.args`: the positional URL arguments of the request's match (a `re_path`'s unnamed
/// groups); empty when the request was not resolved.
///
/// # Examples
/// ```
/// let req = nuages::test::RequestFactory::new().get("/").build();
/// assert!(nuages::views::generic::base::url_args(&req).is_empty());
/// ```
pub fn url_args(request: &HttpRequest) -> &[String] {
    request.resolver_match().map_or(&[], |m| m.args.as_slice())
}

/// `self.kwargs`: the keyword URL arguments of the request's match (captures and the
/// pattern's extra kwargs); empty when the request was not resolved.
///
/// # Examples
/// ```
/// let req = nuages::test::RequestFactory::new().get("/").build();
/// assert!(nuages::views::generic::base::url_kwargs(&req).is_empty());
/// ```
pub fn url_kwargs(request: &HttpRequest) -> &UrlKwargs {
    static EMPTY: UrlKwargs = UrlKwargs::new();
    request.resolver_match().map_or(&EMPTY, |m| &m.kwargs)
}

/// The callable behind [`View::as_view`]: Django's `view(request, *args, **kwargs)` closure.
struct ClassView<V>(Arc<V>);

impl<V: View> Callable for ClassView<V> {
    fn call(&self, mut request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, Error>> {
        let view = Arc::clone(&self.0);
        if V::VIEW_IS_ASYNC {
            Box::pin(async move {
                view.setup(&mut request)?;
                view.dispatch(request).await
            })
        } else {
            Box::pin(run_blocking(move || {
                view.setup(&mut request)?;
                let handle = tokio::runtime::Handle::try_current()
                    .map_err(|e| Error::msg(format!("a sync view needs a tokio runtime: {e}")))?;
                handle.block_on(view.dispatch(request))
            }))
        }
    }
}

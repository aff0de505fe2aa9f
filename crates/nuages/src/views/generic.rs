//! The equivalent of `django/views/generic/`: class-based views.
//!
//! | Django | nuages |
//! |---|---|
//! | `View`, `as_view(**initkwargs)` | [`View`], [`View::as_view`] on a struct literal (`..Default::default()`) |
//! | `http_method_names`, `dispatch`, `setup`, `options`, `http_method_not_allowed` | the methods of [`View`] |
//! | `def get(self, request, *args, **kwargs)` | `async fn get(&self, request: HttpRequest)` in a [`#[view]`](crate::views::view) impl |
//! | `self.request`, `self.args`, `self.kwargs` | the `request` every handler and hook receives; `request.resolver_match()`'s `args` and `kwargs` ([`base::url_args`], [`base::url_kwargs`]) |
//! | `ContextMixin`, `TemplateResponseMixin` | [`ContextMixin`], [`TemplateResponseMixin`] |
//! | `TemplateView` | [`TemplateView`] |
//! | `RedirectView` | [`RedirectView`] |
//! | `MultipleObjectMixin`, `BaseListView.get`, `ListView` | [`MultipleObjectMixin`], [`list::get`], [`ListView`] |
//! | `method_decorator` | [`method_decorator`](crate::utils::decorators::method_decorator), `#[method_decorator(…)]` in a `#[view]` impl |
//!
//! # Subclassing
//!
//! Django's generic views are classes built from mixins; a subclass overrides attributes and
//! methods and calls `super()`. In Rust the mixins are traits whose provided methods are
//! Django's, and each provided method is also a free function, which is what an override calls
//! for `super()`:
//!
//! ```
//! use nuages::template::Context;
//! use nuages::views::generic::{base, ContextMixin, TemplateResponseMixin, View};
//! use nuages::{HttpRequest, HttpResponse, Result};
//!
//! /// class AboutView(TemplateView): template_name = "about.html"; get_context_data adds "year"
//! struct AboutView;
//!
//! impl ContextMixin for AboutView {
//!     fn get_context_data(&self, request: &HttpRequest, kwargs: Context) -> Result<Context> {
//!         let mut context = base::get_context_data(self, kwargs); // super().get_context_data()
//!         context.insert("year", 2024);
//!         Ok(context)
//!     }
//! }
//!
//! impl TemplateResponseMixin for AboutView {
//!     fn template_name(&self) -> Option<&str> {
//!         Some("about.html")
//!     }
//! }
//!
//! #[nuages::views::view]
//! impl View for AboutView {
//!     async fn get(&self, request: HttpRequest) -> Result<HttpResponse> {
//!         base::template_get(self, &request) // TemplateView.get
//!     }
//! }
//! let _ = nuages::urls::path("about/", AboutView.as_view());
//! ```

//!
//! # Differences from Django
//!
//! * The view is built once by `as_view()` and shared by its requests (Django makes an
//!   instance per request): per-request state belongs in the request's extensions.
//! * `get_context_data` does not put the view in the context as `view` (a Rust struct has no
//!   template representation).
//! * `view_class` and `view_initkwargs` are one value, [`ViewFn::view_class`](crate::views::ViewFn::view_class):
//!   the instance given to `as_view` holds the attributes; the view function's
//!   [`name`](crate::views::ViewFn::name) is the struct's path.
//! * Only the eight methods of [`HTTP_METHOD_NAMES`] have handlers; `http_method_names` can
//!   remove some (or reorder them), not add others.

pub mod base;
pub mod list;

pub use self::base::{
    ContextMixin, RedirectView, TemplateResponseMixin, TemplateView, View, HTTP_METHOD_NAMES,
};
pub use self::list::{ListView, MultipleObjectMixin};

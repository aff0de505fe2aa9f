//! `ContextMixin`, `TemplateResponseMixin` and `TemplateView`.

use std::borrow::Cow;
use std::future::Future;

use http::Method;

use super::{url_kwargs, View, HTTP_METHOD_NAMES};
use crate::core::exceptions::ImproperlyConfigured;
use crate::template::response::TemplateResponse;
use crate::template::{Context, RequestEnginesExt, Value};
use crate::urls::Value as UrlValue;
use crate::{Error, HttpRequest, HttpResponse};

/// Django's `response_class`: turns the [`TemplateResponse`] a view built into the response
/// it returns. The default, [`TemplateResponse::into_lazy_response`], leaves it unrendered
/// until the handler has run `process_template_response`, as Django does.
///
/// # Examples
/// ```
/// use nuages::template::response::TemplateResponse;
/// use nuages::views::generic::TemplateView;
///
/// // A response class answering 202 (a TemplateResponse subclass with another status).
/// fn accepted(response: TemplateResponse) -> nuages::HttpResponse {
///     response.status(http::StatusCode::ACCEPTED).into_lazy_response()
/// }
/// let view = TemplateView { response_class: accepted, ..TemplateView::new("queued.html") };
/// # let _ = view;
/// ```
pub type ResponseClass = fn(TemplateResponse) -> HttpResponse;

/// Django's `ContextMixin`: [`ContextMixin::get_context_data`] gives the template context.
///
/// Django also puts the view itself in the context as `view`; a Rust view has no template
/// representation, so it is not there (add what the template needs in an override).
///
/// # Examples
/// ```
/// use nuages::template::Context;
/// use nuages::views::generic::ContextMixin;
///
/// struct V(Context);
/// impl ContextMixin for V {
///     fn extra_context(&self) -> Option<&Context> {
///         Some(&self.0)
///     }
/// }
/// let req = nuages::test::RequestFactory::new().get("/").build();
/// let v = V(Context::new().with("title", "Books"));
/// let ctx = v.get_context_data(&req, Context::new().with("pk", 1)).unwrap();
/// assert_eq!(ctx.len(), 2);
/// ```
pub trait ContextMixin {
    /// `extra_context`: added to every context (after the keyword arguments).
    fn extra_context(&self) -> Option<&Context> {
        None
    }

    /// `get_context_data(**kwargs)`: `kwargs` updated with [`ContextMixin::extra_context`]
    /// ([`get_context_data`]); overrides call that for `super()`.
    ///
    /// # Errors
    /// An override's; the default does not fail.
    fn get_context_data(&self, request: &HttpRequest, kwargs: Context) -> Result<Context, Error> {
        let _ = request;
        Ok(get_context_data(self, kwargs))
    }
}

/// Django's `ContextMixin.get_context_data`: `kwargs` updated with the view's
/// `extra_context`.
///
/// # Examples
/// ```
/// use nuages::template::Context;
/// use nuages::views::generic::{base::get_context_data, TemplateView};
/// let view = TemplateView { extra_context: Some(Context::new().with("a", 2)), ..Default::default() };
/// let ctx = get_context_data(&view, Context::new().with("a", 1).with("b", 1));
/// assert_eq!(ctx.get("a"), Some(&nuages::template::Value::Int(2)));
/// ```
pub fn get_context_data<V: ContextMixin + ?Sized>(view: &V, mut kwargs: Context) -> Context {
    if let Some(extra) = view.extra_context() {
        kwargs.update(extra.clone());
    }
    kwargs
}

/// Django's `TemplateResponseMixin`: which template, with which engine and content type, and
/// the response ([`TemplateResponseMixin::render_to_response`]).
///
/// # Examples
/// ```
/// use nuages::views::generic::TemplateResponseMixin;
/// struct V;
/// impl TemplateResponseMixin for V {
///     fn template_name(&self) -> Option<&str> {
///         Some("v.html")
///     }
/// }
/// let req = nuages::test::RequestFactory::new().get("/").build();
/// assert_eq!(V.get_template_names(&req).unwrap(), ["v.html"]);
/// ```
pub trait TemplateResponseMixin {
    /// `template_name`.
    fn template_name(&self) -> Option<&str> {
        None
    }

    /// `template_engine`: the alias of the engine to render with (all engines when `None`).
    fn template_engine(&self) -> Option<&str> {
        None
    }

    /// `content_type` (the response's default, `text/html; charset=utf-8`, when `None`).
    fn content_type(&self) -> Option<&str> {
        None
    }

    /// `response_class` (see [`ResponseClass`]).
    fn response_class(&self) -> ResponseClass {
        TemplateResponse::into_lazy_response
    }

    /// `get_template_names()`: `[template_name]` ([`get_template_names`]).
    ///
    /// # Errors
    /// `ImproperlyConfigured` without a template name.
    fn get_template_names(&self, request: &HttpRequest) -> Result<Vec<String>, Error> {
        let _ = request;
        get_template_names(self)
    }

    /// `render_to_response(context)` ([`render_to_response`]).
    ///
    /// # Errors
    /// As [`render_to_response`].
    fn render_to_response(
        &self,
        request: &HttpRequest,
        context: Context,
    ) -> Result<HttpResponse, Error> {
        render_to_response(self, request, context)
    }
}

/// Django's `TemplateResponseMixin.get_template_names`: `[template_name]`.
///
/// # Errors
/// `ImproperlyConfigured("TemplateResponseMixin requires either a definition of
/// 'template_name' or an implementation of 'get_template_names()'")`.
///
/// # Examples
/// ```
/// use nuages::views::generic::{base::get_template_names, TemplateView};
/// let err = get_template_names(&TemplateView::default()).unwrap_err();
/// assert!(err.to_string().starts_with("TemplateResponseMixin requires either"));
/// ```
pub fn get_template_names<V: TemplateResponseMixin + ?Sized>(
    view: &V,
) -> Result<Vec<String>, Error> {
    match view.template_name() {
        Some(name) => Ok(vec![name.to_owned()]),
        None => Err(ImproperlyConfigured::new(
            "TemplateResponseMixin requires either a definition of 'template_name' or an \
             implementation of 'get_template_names()'",
        )
        .into()),
    }
}

/// Django's `TemplateResponseMixin.render_to_response`: a [`TemplateResponse`] for the
/// request with [`TemplateResponseMixin::get_template_names`], the context, the view's
/// content type and engine, passed through [`TemplateResponseMixin::response_class`].
///
/// # Errors
/// The template names' error, an invalid content type, or an application without
/// `TEMPLATES` ([`AppBuilder::templates`](crate::AppBuilder::templates)).
///
/// # Examples
/// See [`TemplateView`].
pub fn render_to_response<V: TemplateResponseMixin + ?Sized>(
    view: &V,
    request: &HttpRequest,
    context: Context,
) -> Result<HttpResponse, Error> {
    let engines = request.engines().ok_or_else(|| {
        Error::from(ImproperlyConfigured::new(
            "render_to_response(): the application has no TEMPLATES",
        ))
    })?;
    let names = view.get_template_names(request)?;
    let mut response = TemplateResponse::new(request, engines, names, context);
    if let Some(content_type) = view.content_type() {
        response = response.content_type(content_type)?;
    }
    if let Some(alias) = view.template_engine() {
        response = response.using(alias);
    }
    Ok((view.response_class())(response))
}

/// The URL kwargs as template values: strings, integers, UUIDs (their text), and the values
/// of custom converters that are [`template::Value`](Value)s; other opaque values have no
/// template form and are left out.
pub(crate) fn kwargs_context(request: &HttpRequest) -> Context {
    url_kwargs(request)
        .iter()
        .filter_map(|(k, v)| {
            let value = match v {
                UrlValue::Str(s) => Value::Str(s.clone()),
                UrlValue::Int(n) => Value::Int(*n),
                UrlValue::Uuid(u) => Value::Str(u.hyphenated().to_string()),
                other => other.downcast_ref::<Value>()?.clone(),
            };
            Some((k.to_owned(), value))
        })
        .collect()
}

/// Django's `TemplateView.get`: `get_context_data(**kwargs)` with the URL kwargs, then
/// `render_to_response(context)`.
///
/// # Errors
/// Those of the two steps.
///
/// # Examples
/// See the [`generic`](crate::views::generic) module (subclassing).
pub fn template_get<V: ContextMixin + TemplateResponseMixin + ?Sized>(
    view: &V,
    request: &HttpRequest,
) -> Result<HttpResponse, Error> {
    let context = view.get_context_data(request, kwargs_context(request))?;
    view.render_to_response(request, context)
}

/// Django's `TemplateView`: renders [`TemplateView::template_name`] with the URL kwargs and
/// [`TemplateView::extra_context`] as context, in a [`TemplateResponse`] rendered after the
/// view (so `process_template_response` middleware can still change it).
///
/// # Examples
/// ```
/// use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
/// use nuages::template::Context;
/// use nuages::urls::path;
/// use nuages::views::generic::TemplateView;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("about.html"), "About {{ name }} ({{ pk }})").unwrap();
/// let app = nuages::App::builder()
///     .settings(nuages::Settings { debug: true, ..Default::default() })
///     .templates([EngineConfig::new(Jinja2Backend).dirs([dir.path()])])
///     .urls([path(
///         "about/<int:pk>/",
///         // TemplateView.as_view(template_name="about.html", extra_context={"name": "us"})
///         TemplateView {
///             template_name: Some("about.html".into()),
///             extra_context: Some(Context::new().with("name", "us")),
///             ..Default::default()
///         }
///         .as_view(),
///     )])
///     .build()
///     .unwrap();
/// let r = nuages::test::Client::new(app).get("/about/3/").send().await;
/// assert_eq!(r.text(), "About us (3)");
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct TemplateView {
    /// `template_name`.
    pub template_name: Option<String>,
    /// `template_engine`: the engine alias to render with.
    pub template_engine: Option<String>,
    /// `content_type` (default `text/html; charset=utf-8`).
    pub content_type: Option<String>,
    /// `extra_context`.
    pub extra_context: Option<Context>,
    /// `response_class`.
    pub response_class: ResponseClass,
    /// `http_method_names`.
    pub http_method_names: Cow<'static, [Method]>,
}

impl Default for TemplateView {
    fn default() -> Self {
        TemplateView {
            template_name: None,
            template_engine: None,
            content_type: None,
            extra_context: None,
            response_class: TemplateResponse::into_lazy_response,
            http_method_names: Cow::Borrowed(HTTP_METHOD_NAMES),
        }
    }
}

impl TemplateView {
    /// `TemplateView.as_view(template_name=name)`'s attributes.
    ///
    /// # Examples
    /// ```
    /// let view = nuages::views::generic::TemplateView::new("about.html");
    /// assert_eq!(view.template_name.as_deref(), Some("about.html"));
    /// ```
    pub fn new(template_name: impl Into<String>) -> Self {
        TemplateView {
            template_name: Some(template_name.into()),
            ..TemplateView::default()
        }
    }

    /// [`View::as_view`] (no import of [`View`] needed).
    ///
    /// # Examples
    /// ```
    /// let _ = nuages::urls::path("x/", nuages::views::generic::TemplateView::default().as_view());
    /// ```
    #[allow(clippy::wrong_self_convention)] // Django's name
    pub fn as_view(self) -> crate::views::ViewFn {
        View::as_view(self)
    }
}

impl ContextMixin for TemplateView {
    fn extra_context(&self) -> Option<&Context> {
        self.extra_context.as_ref()
    }
}

impl TemplateResponseMixin for TemplateView {
    fn template_name(&self) -> Option<&str> {
        self.template_name.as_deref()
    }

    fn template_engine(&self) -> Option<&str> {
        self.template_engine.as_deref()
    }

    fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    fn response_class(&self) -> ResponseClass {
        self.response_class
    }
}

impl View for TemplateView {
    const HANDLERS: &'static [Method] = &[Method::GET];

    fn http_method_names(&self) -> &[Method] {
        &self.http_method_names
    }

    fn get(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        std::future::ready(template_get(self, &request))
    }
}

//! The equivalent of `django/shortcuts.py`: [`render`], [`redirect`] (and [`Redirect`] for its
//! arguments, [`RedirectTo`] and [`GetAbsoluteUrl`] for its target).

use crate::template::loader::TemplateName;
use crate::template::{Context, RequestEnginesExt};
use crate::urls::{RequestUrlsExt, Value};
use crate::{Error, HttpRequest, HttpResponse};

/// Django's `render(request, template_name, context)`: the template rendered with the
/// application's engines ([`AppBuilder::templates`](crate::AppBuilder::templates)) into a 200
/// `text/html` response. `template_name` may be a list, tried in order (`select_template`).
///
/// # Errors
/// `TemplateDoesNotExist`, a syntax or render error (a 500, with the template, the line and the
/// cause on the DEBUG page), or an application without `TEMPLATES`.
///
/// # Examples
/// See [`AppBuilder::templates`](crate::AppBuilder::templates).
pub fn render(
    request: &HttpRequest,
    template_name: impl Into<TemplateName>,
    context: Context,
) -> Result<HttpResponse, Error> {
    let engines = request
        .engines()
        .ok_or_else(|| Error::msg("render(): the application has no TEMPLATES"))?;
    Ok(engines.render(request, template_name, &context)?)
}

/// Django's `redirect(to)`, with `to` tried in Django's order (`resolve_url`): a value with a
/// [`GetAbsoluteUrl`] (a model) gives its URL; a string starting with `./` or `../` is used as
/// is; otherwise it is a URL name, reversed with the request's URLconf and script prefix, or —
/// when it is not a URL name and contains `/` or `.` — a URL used as is. A 302;
/// [`redirect_with`] gives the arguments, `permanent=True` and `preserve_request=True`.
///
/// # Errors
/// `NoReverseMatch` when `to` is neither a URL name nor URL-like; `DisallowedRedirect` for an
/// unsafe URL.
///
/// # Examples
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use nuages::shortcuts::{redirect, redirect_with};
/// use nuages::{urls::path, App, HttpRequest, HttpResponse, Result, Settings};
///
/// async fn home(_req: HttpRequest) -> HttpResponse { HttpResponse::empty() }
/// async fn detail(_req: HttpRequest, _pk: i64) -> HttpResponse { HttpResponse::empty() }
/// async fn go(req: HttpRequest) -> Result<HttpResponse> { redirect(&req, "home") }
/// async fn away(req: HttpRequest) -> Result<HttpResponse> {
///     redirect_with(&req, "/some/url/").permanent().send()
/// }
/// async fn seven(req: HttpRequest) -> Result<HttpResponse> {
///     redirect_with(&req, "detail").kwarg("pk", 7).send()
/// }
/// let app = App::builder()
///     .settings(Settings { debug: true, ..Settings::default() })
///     .urls([
///         path("", home).name("home"),
///         path("d/<int:pk>/", detail).name("detail"),
///         path("go", go),
///         path("away", away),
///         path("seven", seven),
///     ])
///     .build()
///     .unwrap();
/// let client = nuages::test::Client::new(app);
/// let r = client.get("/go").send().await;
/// assert_eq!((r.status(), r.header("location").as_deref()), (302, Some("/")));
/// let r = client.get("/away").send().await;
/// assert_eq!((r.status(), r.header("location").as_deref()), (301, Some("/some/url/")));
/// let r = client.get("/seven").send().await;
/// assert_eq!(r.header("location").as_deref(), Some("/d/7/"));
/// # });
/// ```
pub fn redirect<'a>(
    request: &'a HttpRequest,
    to: impl Into<RedirectTo<'a>>,
) -> Result<HttpResponse, Error> {
    redirect_with(request, to).send()
}

/// Django's convention for model instances: the URL of the page showing the object, which
/// [`redirect`] uses when given the object (Django's `resolve_url` calls
/// `to.get_absolute_url()` when `to` has one).
///
/// # Examples
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use nuages::shortcuts::{redirect, GetAbsoluteUrl};
/// use nuages::{urls::path, App, HttpRequest, Result, Settings};
///
/// struct Article { pk: i64 }
///
/// impl GetAbsoluteUrl for Article {
///     fn get_absolute_url(&self) -> String {
///         format!("/articles/{}/", self.pk)
///     }
/// }
///
/// async fn create(req: HttpRequest) -> Result<nuages::HttpResponse> {
///     let article = Article { pk: 7 };
///     redirect(&req, &article)
/// }
/// let app = App::builder()
///     .settings(Settings { debug: true, ..Settings::default() })
///     .urls([path("create", create)])
///     .build()
///     .unwrap();
/// let r = nuages::test::Client::new(app).get("/create").send().await;
/// assert_eq!((r.status(), r.header("location").as_deref()), (302, Some("/articles/7/")));
/// # });
/// ```
#[doc(alias = "get_absolute_url")]
pub trait GetAbsoluteUrl {
    /// The object's URL (Django's `Model.get_absolute_url()`).
    fn get_absolute_url(&self) -> String;
}

/// What [`redirect`] and [`redirect_with`] accept as `to`: a URL name or a URL (`&str`,
/// `&String`), or an object with a [`GetAbsoluteUrl`] (`&T`).
#[derive(Clone, Copy)]
pub enum RedirectTo<'a> {
    /// A URL name to reverse, or a URL.
    Name(&'a str),
    /// A model-like value: its `get_absolute_url()`.
    Object(&'a dyn GetAbsoluteUrl),
}

impl std::fmt::Debug for RedirectTo<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RedirectTo::Name(name) => f.debug_tuple("Name").field(name).finish(),
            RedirectTo::Object(object) => f
                .debug_tuple("Object")
                .field(&object.get_absolute_url())
                .finish(),
        }
    }
}

impl<'a> From<&'a str> for RedirectTo<'a> {
    fn from(to: &'a str) -> Self {
        RedirectTo::Name(to)
    }
}

impl<'a> From<&'a String> for RedirectTo<'a> {
    fn from(to: &'a String) -> Self {
        RedirectTo::Name(to)
    }
}

impl<'a, T: GetAbsoluteUrl> From<&'a T> for RedirectTo<'a> {
    fn from(to: &'a T) -> Self {
        RedirectTo::Object(to)
    }
}

/// `redirect(to, *args, permanent=…, preserve_request=…, **kwargs)`: a [`Redirect`] to give
/// those options; [`Redirect::send`] builds the response.
pub fn redirect_with<'a>(request: &'a HttpRequest, to: impl Into<RedirectTo<'a>>) -> Redirect<'a> {
    Redirect {
        request,
        to: to.into(),
        args: Vec::new(),
        kwargs: Vec::new(),
        permanent: false,
        preserve_request: false,
    }
}

/// The arguments of a `redirect()` (see [`redirect_with`]).
#[derive(Debug)]
#[must_use = "call .send() to get the response"]
pub struct Redirect<'a> {
    request: &'a HttpRequest,
    to: RedirectTo<'a>,
    args: Vec<Value>,
    kwargs: Vec<(&'a str, Value)>,
    permanent: bool,
    preserve_request: bool,
}

impl<'a> Redirect<'a> {
    /// A positional argument for reversing `to`.
    pub fn arg(mut self, value: impl Into<Value>) -> Self {
        self.args.push(value.into());
        self
    }

    /// A keyword argument for reversing `to`.
    pub fn kwarg(mut self, name: &'a str, value: impl Into<Value>) -> Self {
        self.kwargs.push((name, value.into()));
        self
    }

    /// `permanent=True`: 301 (308 with [`Redirect::preserve_request`]) instead of 302 (307).
    pub fn permanent(mut self) -> Self {
        self.permanent = true;
        self
    }

    /// `preserve_request=True` (Django 5.2): 307/308, so that clients repeat the method and
    /// body.
    pub fn preserve_request(mut self) -> Self {
        self.preserve_request = true;
        self
    }

    /// The response.
    ///
    /// # Errors
    /// As [`redirect`].
    pub fn send(self) -> Result<HttpResponse, Error> {
        let url = self.resolve_url()?;
        Ok(match (self.permanent, self.preserve_request) {
            (false, false) => HttpResponse::redirect(&url)?,
            (true, false) => HttpResponse::permanent_redirect(&url)?,
            (false, true) => HttpResponse::redirect_preserve_request(&url)?,
            (true, true) => HttpResponse::permanent_redirect_preserve_request(&url)?,
        })
    }

    /// Django's `resolve_url`: an object's `get_absolute_url()`; a relative URL (`./`, `../`)
    /// as is; a URL name reversed; else the string itself when it looks like a URL.
    fn resolve_url(&self) -> Result<String, Error> {
        let to = match self.to {
            RedirectTo::Object(object) => return Ok(object.get_absolute_url()),
            RedirectTo::Name(to) if to.starts_with("./") || to.starts_with("../") => {
                return Ok(to.to_owned())
            }
            RedirectTo::Name(to) => to,
        };
        let reversed = self
            .request
            .reverse_with(to)
            .args(self.args.iter().cloned())
            .kwargs(self.kwargs.iter().map(|(k, v)| (*k, v.clone())))
            .build();
        match reversed {
            Ok(u) => Ok(u),
            Err(_) if to.contains('/') || to.contains('.') => Ok(to.to_owned()),
            Err(e) => Err(e.into()),
        }
    }
}

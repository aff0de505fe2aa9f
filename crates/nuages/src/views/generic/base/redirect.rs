//! `RedirectView`, and Python's `str % dict` that interpolates its `url` (from `nuages-py`).

use crate::utils::log::log_message_escape;
use std::borrow::Cow;
use std::future::Future;

use http::Method;

use nuages_py::builtins::FormatArg;
pub use nuages_py::builtins::PercentFormatError;

use super::{url_args, url_kwargs, View, HTTP_METHOD_NAMES};
use crate::urls::{RequestUrlsExt, UrlKwargs, Value};
use crate::{Error, HttpRequest, HttpResponse};

/// Django's `RedirectView`: every method it answers (GET, HEAD, POST, OPTIONS, DELETE, PUT,
/// PATCH) redirects to [`RedirectView::url`] (interpolated with the URL kwargs) or to the
/// reverse of [`RedirectView::pattern_name`]; with neither, `410 Gone` and the warning
/// `Gone: <path>` on `django.request`.
///
/// # Examples
/// ```
/// use nuages::urls::path;
/// use nuages::views::generic::RedirectView;
/// # async fn detail(_r: nuages::HttpRequest, _pk: i64) -> nuages::HttpResponse { nuages::HttpResponse::empty() }
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let app = nuages::App::builder()
///     .settings(nuages::Settings { debug: true, ..Default::default() })
///     .urls([
///         path("items/<int:pk>/", detail).name("item"),
///         // RedirectView.as_view(url="/items/%(pk)s/", permanent=True)
///         path("old/<int:pk>/", RedirectView {
///             url: Some("/items/%(pk)s/".into()),
///             permanent: true,
///             ..Default::default()
///         }.as_view()),
///         // RedirectView.as_view(pattern_name="item", query_string=True)
///         path("go/<int:pk>/", RedirectView {
///             pattern_name: Some("item".into()),
///             query_string: true,
///             ..Default::default()
///         }.as_view()),
///         path("gone/", RedirectView::default().as_view()),
///     ])
///     .build()
///     .unwrap();
/// let client = nuages::test::Client::new(app);
/// let r = client.get("/old/7/").send().await;
/// assert_eq!((r.status(), r.header("location").as_deref()), (301, Some("/items/7/")));
/// let r = client.post("/go/7/?a=1").send().await;
/// assert_eq!((r.status(), r.header("location").as_deref()), (302, Some("/items/7/?a=1")));
/// assert_eq!(client.get("/gone/").send().await.status(), 410);
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct RedirectView {
    /// `permanent`: 301 (308 with `preserve_request`) instead of 302 (307).
    pub permanent: bool,
    /// `url`: the target, `%`-interpolated with the URL kwargs (`/items/%(pk)s/`, `%%` for a
    /// literal `%`), exactly as Python's `str % dict`.
    pub url: Option<String>,
    /// `pattern_name`: a URL name reversed with the request's URL args and kwargs (used when
    /// `url` is unset or empty).
    pub pattern_name: Option<String>,
    /// `query_string`: append `?` and the request's query string (even if the URL has one).
    pub query_string: bool,
    /// `preserve_request` (Django 6.1): 307/308, so that the client repeats the method and body.
    pub preserve_request: bool,
    /// `http_method_names`.
    pub http_method_names: Cow<'static, [Method]>,
}

impl Default for RedirectView {
    fn default() -> Self {
        RedirectView {
            permanent: false,
            url: None,
            pattern_name: None,
            query_string: false,
            preserve_request: false,
            http_method_names: Cow::Borrowed(HTTP_METHOD_NAMES),
        }
    }
}

impl RedirectView {
    /// Django's `RedirectView.get` for a URL already computed: a redirect to `url`, or, for
    /// `None` or an empty URL, `410 Gone` (logged as `Gone: <path>`). A view overriding
    /// `get_redirect_url` computes the URL and calls this.
    ///
    /// # Errors
    /// [`DisallowedRedirect`](crate::core::exceptions::DisallowedRedirect) for an unsafe URL
    /// scheme.
    ///
    /// # Examples
    /// ```
    /// let req = nuages::test::RequestFactory::new().get("/").build();
    /// let view = nuages::views::generic::RedirectView::default();
    /// assert_eq!(view.redirect(&req, Some("/a/".into())).unwrap().status_code(), 302);
    /// assert_eq!(view.redirect(&req, None).unwrap().status_code(), 410);
    /// ```
    pub fn redirect(
        &self,
        request: &HttpRequest,
        url: Option<String>,
    ) -> Result<HttpResponse, Error> {
        match url.filter(|u| !u.is_empty()) {
            Some(url) => Ok(match (self.permanent, self.preserve_request) {
                (false, false) => HttpResponse::redirect(&url)?,
                (true, false) => HttpResponse::permanent_redirect(&url)?,
                (false, true) => HttpResponse::redirect_preserve_request(&url)?,
                (true, true) => HttpResponse::permanent_redirect_preserve_request(&url)?,
            }),
            None => {
                tracing::warn!(
                    target: "django.request",
                    "Gone: {}",
                    log_message_escape(&request.path())
                );
                Ok(HttpResponse::gone(""))
            }
        }
    }

    /// [`View::as_view`] (no import of [`View`] needed).
    ///
    /// # Examples
    /// ```
    /// let _ = nuages::urls::path("x/", nuages::views::generic::RedirectView::default().as_view());
    /// ```
    #[allow(clippy::wrong_self_convention)] // Django's name
    pub fn as_view(self) -> crate::views::ViewFn {
        View::as_view(self)
    }

    fn answer(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        let result = get_redirect_url(self, &request).and_then(|url| self.redirect(&request, url));
        std::future::ready(result)
    }
}

/// Django's `RedirectView.get_redirect_url(*args, **kwargs)`: [`RedirectView::url`] `%`
/// the URL kwargs, else the reverse of [`RedirectView::pattern_name`] with the URL args and
/// kwargs, else `None`; then `?` + the query string when [`RedirectView::query_string`] is
/// set and the request has one.
///
/// # Errors
/// The interpolation's ([`PercentFormatError`]: a missing key is a `KeyError`) and
/// `NoReverseMatch`.
///
/// # Examples
/// ```
/// use nuages::views::generic::{base::get_redirect_url, RedirectView};
/// let view = RedirectView { url: Some("/target/?x=1".into()), query_string: true, ..Default::default() };
/// let req = nuages::test::RequestFactory::new().get("/src/?a=1").build();
/// assert_eq!(get_redirect_url(&view, &req).unwrap().as_deref(), Some("/target/?x=1?a=1"));
/// ```
pub fn get_redirect_url(
    view: &RedirectView,
    request: &HttpRequest,
) -> Result<Option<String>, Error> {
    let kwargs = url_kwargs(request);
    let url = match (view.url.as_deref(), view.pattern_name.as_deref()) {
        (Some(url), _) if !url.is_empty() => {
            percent_format(url, kwargs).map_err(Error::internal)?
        }
        (_, Some(name)) if !name.is_empty() => request
            .reverse_with(name)
            .args(url_args(request).iter().map(String::as_str))
            .kwargs(kwargs.iter().map(|(k, v)| (k, v.clone())))
            .build()?,
        _ => return Ok(None),
    };
    let query = request.meta().get("QUERY_STRING").unwrap_or("").to_owned();
    if !query.is_empty() && view.query_string {
        return Ok(Some(format!("{url}?{query}")));
    }
    Ok(Some(url))
}

impl View for RedirectView {
    const HANDLERS: &'static [Method] = &[
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::HEAD,
        Method::OPTIONS,
    ];

    fn http_method_names(&self) -> &[Method] {
        &self.http_method_names
    }

    fn get(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        self.answer(request)
    }

    fn head(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        self.answer(request)
    }

    fn post(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        self.answer(request)
    }

    fn options(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        self.answer(request)
    }

    fn delete(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        self.answer(request)
    }

    fn put(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        self.answer(request)
    }

    fn patch(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        self.answer(request)
    }
}

// ===== str % dict =====

/// Python's `format % kwargs` with the URL kwargs (what `RedirectView` does to its `url`):
/// [`nuages_py::builtins::percent_format`] with strings, integers and UUIDs as Python has
/// them (a custom converter's opaque value is an `object`).
///
/// # Errors
/// [`PercentFormatError`]: `KeyError` for a missing name, `TypeError`/`ValueError` as Python.
///
/// # Examples
/// ```
/// use nuages::urls::{UrlKwargs, Value};
/// use nuages::views::generic::base::percent_format;
/// let kwargs = UrlKwargs::from_iter([("pk", Value::Int(42))]);
/// assert_eq!(percent_format("/items/%(pk)s/%%2F/", &kwargs).unwrap(), "/items/42/%2F/");
/// assert_eq!(percent_format("/%(pk)05d/", &kwargs).unwrap(), "/00042/");
/// assert_eq!(
///     percent_format("/foo%20bar/", &kwargs).unwrap_err().to_string(),
///     "unsupported format character 'b' (0x62) at index 7"
/// );
/// ```
pub fn percent_format(format: &str, kwargs: &UrlKwargs) -> Result<String, PercentFormatError> {
    let args: Vec<(&str, FormatArg<'_>)> = kwargs
        .iter()
        .map(|(k, v)| {
            let arg = match v {
                Value::Str(s) => FormatArg::Str(s),
                Value::Int(n) => FormatArg::Int(*n),
                Value::Uuid(u) => FormatArg::Object {
                    type_name: "UUID",
                    str: u.hyphenated().to_string(),
                    repr: format!("UUID('{}')", u.hyphenated()),
                    int: Some(u.as_u128()),
                },
                other => FormatArg::Object {
                    type_name: "object",
                    str: other.to_string(),
                    repr: other.to_string(),
                    int: None,
                },
            };
            (k, arg)
        })
        .collect();
    nuages_py::builtins::percent_format(format, &args)
}

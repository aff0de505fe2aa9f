//! Functions for use in URLconfs (↔ `django.urls.conf`): [`path`], [`re_path`] and [`include()`].
//!
//! They only *declare* the URLconf; routes and regexes are compiled (and validated) once, when
//! the list is turned into a [`Urls`](crate::urls::Urls) resolver, so every configuration error is
//! reported at start-up as an [`ImproperlyConfigured`](crate::core::exceptions::ImproperlyConfigured), never
//! while serving a request.
//!
//! `path()` and `re_path()` accept either a view or an [`include()`](fn@include) and both return a
//! [`UrlEntry`], so a URLconf reads like Django's `urls.py`:
//!
//! ```
//! use nuages::urls::{include, path, re_path, Urls, Value};
//! use nuages::views::ViewFn;
//!
//! # let (index, detail, archive) = (ViewFn::named("index"), ViewFn::named("detail"), ViewFn::named("archive"));
//! let blog = vec![
//!     path("", index.clone()).name("index"),
//!     path("<int:pk>/", detail).name("detail"),
//! ];
//! let urlpatterns = vec![
//!     path("", index).name("home"),
//!     path("blog/", include(blog).app_name("blog").namespace("blog")),
//!     re_path(r"^archive/(?P<year>[0-9]{4})/$", archive)
//!         .name("archive")
//!         .kwargs([("source", Value::from("web"))]),
//! ];
//! let urls = Urls::new(urlpatterns).unwrap();
//!
//! let m = urls.resolve("/blog/7/").unwrap();
//! assert_eq!(m.view_name(), "blog:detail");
//! assert_eq!(m.kwarg("pk"), Some(&Value::Int(7)));
//! assert_eq!(nuages::reverse!(urls, "blog:detail", pk = 7).unwrap(), "/blog/7/");
//! ```

use indexmap::IndexMap;

use crate::urls::converters::Value;
use crate::views::{IntoViewFn, ViewFn};

/// How an entry's pattern is written (↔ `RoutePattern` for `path()`, `RegexPattern` for
/// `re_path()`), before compilation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PatternSpec {
    /// A `path()` route such as `articles/<int:year>/`.
    Route(String),
    /// A `re_path()` regular expression (Python `re` syntax as accepted by the `regex` crate).
    Regex(String),
}

/// A URL pattern mapping a route to a view (↔ `django.urls.URLPattern`), as declared by
/// [`path`] / [`re_path`] (not yet compiled).
#[derive(Debug, Clone)]
pub struct URLPattern {
    pub(crate) pattern: PatternSpec,
    pub(crate) view: ViewFn,
    pub(crate) name: Option<String>,
    pub(crate) default_args: IndexMap<String, Value>,
}

/// A nested URLconf mounted under a prefix (↔ `django.urls.URLResolver` built by
/// `path("prefix/", include(...))`), as declared (not yet compiled).
///
/// The compiled root resolver is [`Urls`](crate::urls::Urls).
#[derive(Debug, Clone)]
pub struct URLResolver {
    pub(crate) pattern: PatternSpec,
    pub(crate) include: Include,
    pub(crate) default_kwargs: IndexMap<String, Value>,
}

/// One element of a URLconf list: what [`path`] and [`re_path`] return.
#[derive(Debug, Clone)]
pub enum UrlEntry {
    /// A pattern leading to a view.
    Pattern(URLPattern),
    /// An included URLconf.
    Resolver(URLResolver),
}

impl UrlEntry {
    /// Names the pattern, for `reverse()` and `ResolverMatch::url_name` (the `name=` argument).
    ///
    /// As in Django, a name given to an `include()` entry is ignored.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        if let UrlEntry::Pattern(p) = &mut self {
            p.name = Some(name.into());
        }
        self
    }

    /// Extra keyword arguments passed to the view (the `kwargs` dict argument of `path()`),
    /// merged into the captured ones (they win over captured values of the same name). On an
    /// `include()` entry they are passed to every view of the included URLconf.
    ///
    /// When reversing, such an argument may be omitted or given with exactly this value.
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::urls::{path, Urls, Value};
    /// use nuages::views::ViewFn;
    ///
    /// let urls = Urls::new([path("feed/", ViewFn::named("feed"))
    ///     .name("feed")
    ///     .kwargs([("format", "rss")])])
    /// .unwrap();
    /// assert_eq!(urls.resolve("/feed/").unwrap().kwarg("format"), Some(&Value::from("rss")));
    /// ```
    pub fn kwargs<K, V>(mut self, kwargs: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<Value>,
    {
        let map = match &mut self {
            UrlEntry::Pattern(p) => &mut p.default_args,
            UrlEntry::Resolver(r) => &mut r.default_kwargs,
        };
        for (k, v) in kwargs {
            map.insert(k.into(), v.into());
        }
        self
    }
}

impl_from!(UrlEntry {
    URLPattern => |p| UrlEntry::Pattern(p),
    URLResolver => |r| UrlEntry::Resolver(r),
});

/// A list of URL patterns to mount under a prefix, with optional application and instance
/// namespaces (↔ the `(urlconf_module, app_name, namespace)` tuple returned by `include()`).
#[derive(Debug, Clone, Default)]
pub struct Include {
    pub(crate) entries: Vec<UrlEntry>,
    pub(crate) app_name: Option<String>,
    pub(crate) namespace: Option<String>,
}

impl Include {
    /// The application namespace (↔ the included module's `app_name`, or the second element of
    /// the `(patterns, app_name)` tuple). Without an explicit [`namespace`](Self::namespace), the
    /// instance namespace defaults to it.
    pub fn app_name(mut self, app_name: impl Into<String>) -> Self {
        self.app_name = Some(app_name.into());
        self
    }

    /// The instance namespace (↔ `include(..., namespace="...")`). Requires an
    /// [`app_name`](Self::app_name), otherwise building the URLconf fails (as in Django).
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }
}

/// Includes a list of URL patterns (↔ `django.urls.include`); mount it with
/// `path("prefix/", include(patterns))`.
///
/// # Examples
///
/// ```
/// use nuages::urls::{include, path, Urls};
/// use nuages::views::ViewFn;
///
/// let polls = [path("<int:id>/", ViewFn::named("polls::detail")).name("detail")];
/// let urls = Urls::new([
///     path("polls/", include(polls.clone()).app_name("polls")),
///     path("old-polls/", include(polls).app_name("polls").namespace("old")),
/// ])
/// .unwrap();
/// let m = urls.resolve("/old-polls/3/").unwrap();
/// assert_eq!((m.app_name(), m.namespace()), ("polls".to_string(), "old".to_string()));
/// // The default instance (namespace == app_name) wins for `polls:detail`.
/// assert_eq!(nuages::reverse!(urls, "polls:detail", 3).unwrap(), "/polls/3/");
/// ```
pub fn include<E: Into<UrlEntry>>(patterns: impl IntoIterator<Item = E>) -> Include {
    Include {
        entries: patterns.into_iter().map(Into::into).collect(),
        app_name: None,
        namespace: None,
    }
}

/// What [`path`] and [`re_path`] accept as their second argument: a view (anything implementing
/// [`IntoViewFn`]) or an [`Include`]. `M` is a marker type that keeps the two cases apart.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a view (nor an `include()`)",
    label = "not a view",
    note = "a view is `async fn(HttpRequest) -> R` or `async fn(HttpRequest, K) -> R` (or the same without `async`); it takes the request by value, not `&HttpRequest`",
    note = "`R` is `HttpResponse` or `Result<HttpResponse, E>` where `E` converts into `nuages::Error` (any `std::error::Error`; a `String` does not: use `nuages::Error::msg(text)` or `nuages::Result<HttpResponse>`)",
    note = "`K` receives the URL arguments: one value (`i64`, `String`, `Uuid`, …), a tuple `(A, B)` in route order, or `nuages::views::Kwargs<T>` with a `serde::Deserialize` struct to take several by name — never two separate parameters"
)]
pub trait PathTarget<M> {
    /// Builds the URLconf entry for this target and pattern.
    #[doc(hidden)]
    fn into_entry(self, pattern: PatternSpecArg) -> UrlEntry;
}

/// Opaque pattern argument of [`PathTarget::into_entry`].
#[doc(hidden)]
#[derive(Debug)]
pub struct PatternSpecArg(PatternSpec);

/// Marker for [`PathTarget`] implemented by [`Include`].
#[derive(Debug, Clone, Copy)]
pub enum IncludeMarker {}

impl<T: IntoViewFn<M>, M> PathTarget<(M,)> for T {
    fn into_entry(self, pattern: PatternSpecArg) -> UrlEntry {
        UrlEntry::Pattern(URLPattern {
            pattern: pattern.0,
            view: self.into_view_fn(),
            name: None,
            default_args: IndexMap::new(),
        })
    }
}

#[diagnostic::do_not_recommend]
impl PathTarget<IncludeMarker> for Include {
    fn into_entry(self, pattern: PatternSpecArg) -> UrlEntry {
        UrlEntry::Resolver(URLResolver {
            pattern: pattern.0,
            include: self,
            default_kwargs: IndexMap::new(),
        })
    }
}

/// A route-based URL pattern (↔ `django.urls.path`): `route` uses the `<converter:name>` syntax
/// (`<name>` alone means `<str:name>`) and must match the whole remaining path (or, for an
/// `include()`, its beginning).
///
/// The route is validated when the URLconf is built (unknown converter, invalid parameter name,
/// whitespace inside `<…>`).
///
/// # Examples
///
/// ```
/// use nuages::urls::{path, Urls, Value};
/// use nuages::views::ViewFn;
///
/// let urls = Urls::new([path("articles/<int:year>/<slug:title>/", ViewFn::named("article"))
///     .name("article")])
/// .unwrap();
/// let m = urls.resolve("/articles/2024/hello-world/").unwrap();
/// assert_eq!(m.kwarg("year"), Some(&Value::Int(2024)));
/// assert_eq!(m.route(), "articles/<int:year>/<slug:title>/");
/// ```
pub fn path<M>(route: &str, target: impl PathTarget<M>) -> UrlEntry {
    target.into_entry(PatternSpecArg(PatternSpec::Route(route.to_owned())))
}

/// A regex-based URL pattern (↔ `django.urls.re_path`). Named groups (`(?P<name>…)`) become
/// string keyword arguments; without named groups, unnamed groups become positional arguments.
///
/// The regex is searched from the start of the remaining path (write `^` to anchor it, as in
/// Django); for a view, a regex ending with `$` must match the whole remaining path. Python-only
/// syntax is translated where possible (`\Z`); note that `$` only matches at the very end (Python
/// also accepts a trailing `\n`).
///
/// # Examples
///
/// ```
/// use nuages::urls::{re_path, Urls, Value};
/// use nuages::views::ViewFn;
///
/// let urls = Urls::new([
///     re_path(r"^repos/([0-9]+)/$", ViewFn::named("repo")).name("repo"),
///     re_path(r"^re/(?P<year>[0-9]{4})/$", ViewFn::named("year")).name("year"),
/// ])
/// .unwrap();
/// assert_eq!(urls.resolve("/repos/42/").unwrap().args, vec!["42".to_string()]);
/// assert_eq!(urls.resolve("/re/2024/").unwrap().kwarg("year"), Some(&Value::from("2024")));
/// ```
pub fn re_path<M>(regex: &str, target: impl PathTarget<M>) -> UrlEntry {
    target.into_entry(PatternSpecArg(PatternSpec::Regex(regex.to_owned())))
}

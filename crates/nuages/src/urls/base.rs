//! `reverse()` (↔ `django.urls.base`): builds the URL of a named pattern.
//!
//! [`Urls::reverse`] covers the common call; [`Urls::reverse_with`] returns a [`Reverse`]
//! builder for the other options of Django's `reverse()`: `current_app`, `query`, `fragment`
//! and the script prefix (`SCRIPT_NAME`, ↔ `get_script_prefix()`).

use std::borrow::Cow;
use std::sync::Arc;

use nuages_py::repr::str_repr;
use nuages_py::urllib_parse::urlencode;

use crate::urls::converters::Value;
use crate::urls::exceptions::NoReverseMatch;
use crate::urls::resolvers::reverse_dict::reverse_with_prefix;
use crate::urls::resolvers::{ResolverMatch, Urls};
use crate::HttpRequest;

/// Options of a `reverse()` call (↔ the arguments of `django.urls.reverse`).
///
/// # Examples
///
/// ```
/// use nuages::urls::{include, path, Urls};
/// use nuages::views::ViewFn;
///
/// let app = || include([path("<int:pk>/", ViewFn::named("detail")).name("detail")]).app_name("app");
/// let urls = Urls::new([
///     path("one/", app().namespace("one")),
///     path("two/", app().namespace("two")),
/// ])
/// .unwrap();
///
/// let url = urls
///     .reverse_with("app:detail")
///     .kwarg("pk", 3)
///     .current_app("one")
///     .query([("q", "a b"), ("q", "c")])
///     .fragment("top")
///     .script_prefix("/mysite")
///     .build()
///     .unwrap();
/// assert_eq!(url, "/mysite/one/3/?q=a+b&q=c#top");
/// ```
#[derive(Debug, Clone)]
#[must_use = "call .build() to get the URL"]
pub struct Reverse<'a> {
    urls: Option<&'a Urls>,
    viewname: &'a str,
    args: Vec<Value>,
    kwargs: Vec<(&'a str, Value)>,
    current_app: Option<&'a str>,
    query: Option<String>,
    fragment: Option<&'a str>,
    script_prefix: Cow<'a, str>,
}

impl<'a> Reverse<'a> {
    fn new(urls: Option<&'a Urls>, viewname: &'a str, script_prefix: Cow<'a, str>) -> Self {
        Reverse {
            urls,
            viewname,
            args: Vec::new(),
            kwargs: Vec::new(),
            current_app: None,
            query: None,
            fragment: None,
            script_prefix,
        }
    }

    /// Adds a positional argument (↔ `args=[...]`).
    pub fn arg(mut self, value: impl Into<Value>) -> Self {
        self.args.push(value.into());
        self
    }

    /// Adds positional arguments.
    pub fn args<V: Into<Value>>(mut self, values: impl IntoIterator<Item = V>) -> Self {
        self.args.extend(values.into_iter().map(Into::into));
        self
    }

    /// Adds a keyword argument (↔ `kwargs={...}`); a later value for the same name replaces the
    /// earlier one.
    pub fn kwarg(mut self, name: &'a str, value: impl Into<Value>) -> Self {
        self.kwargs.push((name, value.into()));
        self
    }

    /// Adds keyword arguments.
    pub fn kwargs<V: Into<Value>>(
        mut self,
        values: impl IntoIterator<Item = (&'a str, V)>,
    ) -> Self {
        self.kwargs
            .extend(values.into_iter().map(|(k, v)| (k, v.into())));
        self
    }

    /// The current application instance, e.g. `request.resolver_match.namespace`
    /// (↔ `current_app`): `app:name` then reverses within that instance.
    pub fn current_app(mut self, current_app: &'a str) -> Self {
        self.current_app = Some(current_app);
        self
    }

    /// Query string parameters, encoded like `urlencode(query, doseq=True)`: give a name several
    /// times for a list (`[("q", "1"), ("q", "2")]` → `q=1&q=2`); spaces become `+`. Nothing is
    /// appended if empty.
    pub fn query<K, V>(mut self, query: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        self.query = Some(urlencode(query));
        self
    }

    /// An already encoded query string (e.g. `QueryDict::urlencode()`), appended after `?` if
    /// not empty.
    pub fn query_string(mut self, query: impl Into<String>) -> Self {
        self.query = Some(query.into());
        self
    }

    /// A fragment, appended raw after `#` (↔ `fragment`; Django does not encode it).
    pub fn fragment(mut self, fragment: &'a str) -> Self {
        self.fragment = Some(fragment);
        self
    }

    /// The script prefix (↔ `set_script_prefix()` / `SCRIPT_NAME`), `/` by default; a trailing
    /// `/` is added if missing.
    pub fn script_prefix(mut self, prefix: &'a str) -> Self {
        self.script_prefix = if prefix.ends_with('/') {
            Cow::Borrowed(prefix)
        } else {
            Cow::Owned(format!("{prefix}/"))
        };
        self
    }

    /// Builds the URL.
    ///
    /// # Errors
    ///
    /// [`NoReverseMatch`] if the name, the namespaces or the arguments match no pattern (with
    /// Django's message).
    pub fn build(&self) -> Result<String, NoReverseMatch> {
        // Unique names, last value wins, first position kept (a Python dict).
        let mut kwargs: Vec<(&str, &Value)> = Vec::with_capacity(self.kwargs.len());
        for (k, v) in &self.kwargs {
            match kwargs.iter_mut().find(|(key, _)| key == k) {
                Some(slot) => slot.1 = v,
                None => kwargs.push((k, v)),
            }
        }
        let urls = self
            .urls
            .ok_or_else(|| NoReverseMatch::new("this request has no URLconf to reverse with"))?;
        let mut url = urls.reverse_impl(
            self.viewname,
            &self.args,
            &kwargs,
            self.current_app,
            &self.script_prefix,
        )?;
        if let Some(query) = self.query.as_deref().filter(|q| !q.is_empty()) {
            url.push('?');
            url.push_str(query);
        }
        if let Some(fragment) = self.fragment {
            url.push('#');
            url.push_str(fragment);
        }
        Ok(url)
    }
}

impl Urls {
    /// The URL of the pattern named `viewname` without arguments (↔ `reverse(viewname)`):
    /// `"name"`, or `"namespace:name"` (`"outer:inner:name"` for nested namespaces); with an
    /// application namespace (`"app:name"`), the default instance (whose namespace is the app
    /// name) is used if it exists, otherwise the last deployed instance. Patterns with arguments
    /// are reversed with [`Urls::reverse_with`] or the [`reverse!`](crate::reverse!) macro.
    ///
    /// Each argument goes through its converter's `to_url` (`str()` for `re_path()` groups),
    /// must then match the pattern's regex, and is percent-encoded (keeping `/~:@!$&'()*+,;=`).
    ///
    /// # Errors
    ///
    /// [`NoReverseMatch`], with Django's message.
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::urls::{path, Urls};
    /// use nuages::views::ViewFn;
    ///
    /// let urls = Urls::new([
    ///     path("", ViewFn::named("home")).name("home"),
    ///     path("str/<str:s>/", ViewFn::named("v")).name("str"),
    /// ])
    /// .unwrap();
    /// assert_eq!(urls.reverse("home").unwrap(), "/");
    /// assert_eq!(nuages::reverse!(urls, "str", s = "hello world").unwrap(), "/str/hello%20world/");
    /// assert_eq!(
    ///     urls.reverse("str").unwrap_err().message(),
    ///     r"Reverse for 'str' with no arguments not found. 1 pattern(s) tried: ['str/(?P<s>[^/]+)/\\Z']"
    /// );
    /// ```
    pub fn reverse(&self, viewname: &str) -> Result<String, NoReverseMatch> {
        self.reverse_with(viewname).build()
    }

    /// A [`Reverse`] builder, for `current_app`, `query`, `fragment` and the script prefix.
    pub fn reverse_with<'a>(&'a self, viewname: &'a str) -> Reverse<'a> {
        Reverse::new(Some(self), viewname, Cow::Borrowed("/"))
    }

    /// `reverse()`'s namespace walk, then `_reverse_with_prefix`.
    fn reverse_impl(
        &self,
        viewname: &str,
        args: &[Value],
        kwargs: &[(&str, &Value)],
        current_app: Option<&str>,
        prefix: &str,
    ) -> Result<String, NoReverseMatch> {
        let data = &self.inner.reverse;
        let (path, view) = match viewname.rsplit_once(':') {
            Some((path, view)) => (Some(path), view),
            None => (None, viewname),
        };
        let Some(path) = path else {
            return reverse_with_prefix(&data.root, view, prefix, args, kwargs);
        };
        let mut current_path: Option<Vec<&str>> =
            current_app.map(|app| app.split(':').rev().collect());
        let mut node = self.inner.nodes.len() - 1;
        let mut resolved_path: Vec<&str> = Vec::new();
        for ns in path.split(':') {
            let current_ns = current_path.as_mut().and_then(Vec::pop);
            let mut ns = ns;
            // Lookup the name to see if it could be an app identifier.
            if let Some(app_list) = data.ns[node].app_dict.get(ns) {
                if let Some(current) = current_ns.filter(|c| app_list.iter().any(|a| a == c)) {
                    // If we are reversing for a particular app, use that namespace.
                    ns = current;
                } else if !app_list.iter().any(|a| a == ns) {
                    // The name isn't shared by one of the instances (i.e. the default), so
                    // pick the first instance as the default.
                    if let Some(first) = app_list.first() {
                        ns = first;
                    }
                }
            }
            if Some(ns) != current_ns {
                current_path = None;
            }
            match data.ns[node].namespace_dict.get(ns) {
                Some(entry) => {
                    resolved_path.push(ns);
                    node = entry.node;
                }
                None if resolved_path.is_empty() => {
                    return Err(NoReverseMatch::new(format!(
                        "{} is not a registered namespace",
                        str_repr(ns)
                    )))
                }
                None => {
                    return Err(NoReverseMatch::new(format!(
                        "{} is not a registered namespace inside '{}'",
                        str_repr(ns),
                        resolved_path.join(":")
                    )))
                }
            }
        }
        match data.ns_reverse.get(&node) {
            Some(dict) => reverse_with_prefix(dict, view, prefix, args, kwargs),
            None => reverse_with_prefix(&Default::default(), view, prefix, args, kwargs),
        }
    }
}

/// URL routing on [`HttpRequest`]: `request.resolver_match` and reversing with the request's
/// URLconf and script prefix (`FORCE_SCRIPT_NAME`). Attached by the application; a request built
/// without one (a bare [`RequestFactory`](crate::test::RequestFactory) request) has neither.
///
/// # Examples
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use nuages::urls::{path, RequestUrlsExt};
/// use nuages::{App, HttpRequest, HttpResponse, Result, Settings};
///
/// async fn detail(req: HttpRequest, pk: i64) -> Result<HttpResponse> {
///     let name = req.resolver_match().map(|m| m.view_name()).unwrap_or_default();
///     Ok(HttpResponse::new(format!("{name} {pk}")))
/// }
/// async fn go(req: HttpRequest) -> Result<HttpResponse> {
///     let home = req.reverse("home")?;
///     let seven = nuages::reverse!(req, "detail", pk = 7)?;
///     Ok(HttpResponse::new(format!("{home} {seven}")))
/// }
/// async fn home(_req: HttpRequest) -> HttpResponse { HttpResponse::empty() }
///
/// let settings = Settings { debug: true, force_script_name: Some("/app".into()), ..Settings::default() };
/// let app = App::builder()
///     .settings(settings)
///     .urls([path("", home).name("home"), path("d/<int:pk>/", detail).name("detail"), path("go", go)])
///     .build()
///     .unwrap();
/// let client = nuages::test::Client::new(app);
/// assert_eq!(client.get("/go").send().await.text(), "/app/ /app/d/7/");
/// assert_eq!(client.get("/d/3/").send().await.text(), "detail 3");
/// # });
/// ```
pub trait RequestUrlsExt {
    /// The URL match of this request (`request.resolver_match`), once resolved.
    fn resolver_match(&self) -> Option<&ResolverMatch>;

    /// The URLconf of this request: the one [`RequestUrlsExt::set_urlconf`] gave it, else the
    /// application's.
    fn urls(&self) -> Option<&Urls>;

    /// Django's `request.urlconf = …`: a middleware gives this request its own URLconf (per
    /// host, per tenant…), used to resolve its path and by [`RequestUrlsExt::reverse`].
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use std::sync::Arc;
    /// use nuages::urls::{path, RequestUrlsExt, Urls};
    /// use nuages::{middleware, App, HttpRequest, HttpResponse};
    ///
    /// async fn main_site(_: HttpRequest) -> HttpResponse { HttpResponse::new("main") }
    /// async fn api(req: HttpRequest) -> HttpResponse {
    ///     HttpResponse::new(req.reverse("api-home").unwrap())
    /// }
    /// let api_urls = Arc::new(Urls::new([path("", api).name("api-home")]).unwrap());
    /// let settings = nuages::Settings {
    ///     allowed_hosts: vec!["*".into()],
    ///     secret_key: "x".into(),
    ///     ..Default::default()
    /// };
    /// let app = App::builder()
    ///     .settings(settings)
    ///     .urls([path("", main_site)])
    ///     .middleware(middleware::from_fn(move |mut req: HttpRequest, next| {
    ///         let api_urls = Arc::clone(&api_urls);
    ///         async move {
    ///             if req.header("host").as_deref() == Some("api.example.com") {
    ///                 req.set_urlconf(api_urls);
    ///             }
    ///             next.run(req).await
    ///         }
    ///     }))
    ///     .build()
    ///     .unwrap();
    /// let client = nuages::test::Client::new(app);
    /// assert_eq!(client.get("/").send().await.text(), "main");
    /// assert_eq!(client.get("/").header("host", "api.example.com").send().await.text(), "/");
    /// # });
    /// ```
    #[doc(alias = "urlconf")]
    fn set_urlconf(&mut self, urls: Arc<Urls>);

    /// `reverse(viewname)` with this request's URLconf and script prefix.
    ///
    /// # Errors
    /// [`NoReverseMatch`] (also when the request has no URLconf).
    fn reverse(&self, viewname: &str) -> Result<String, NoReverseMatch>;

    /// A [`Reverse`] builder with this request's URLconf and script prefix, for arguments,
    /// `current_app`, `query` and `fragment` (or use [`reverse!`](crate::reverse!)).
    fn reverse_with<'a>(&'a self, viewname: &'a str) -> Reverse<'a>;
}

impl RequestUrlsExt for HttpRequest {
    fn resolver_match(&self) -> Option<&ResolverMatch> {
        self.attached().get::<ResolverMatch>()
    }

    fn urls(&self) -> Option<&Urls> {
        self.attached()
            .get::<Urls>()
            .or_else(|| self.app_value::<Urls>())
    }

    fn set_urlconf(&mut self, urls: Arc<Urls>) {
        self.attached_mut().insert(urls);
    }

    fn reverse(&self, viewname: &str) -> Result<String, NoReverseMatch> {
        self.reverse_with(viewname).build()
    }

    fn reverse_with<'a>(&'a self, viewname: &'a str) -> Reverse<'a> {
        // Django's script prefix: SCRIPT_NAME (FORCE_SCRIPT_NAME here) + "/".
        let prefix = format!("{}/", self.script_name());
        Reverse::new(self.urls(), viewname, Cow::Owned(prefix))
    }
}

/// `reverse()` with arguments, Django's call shape without empty lists:
/// `reverse!(urls, "home")`, `reverse!(urls, "detail", pk = 5)` (keyword arguments) or
/// `reverse!(urls, "archive", 2024, 12)` (positional), where `urls` is a
/// [`Urls`](crate::urls::Urls) or an [`HttpRequest`] (with
/// [`RequestUrlsExt`](crate::urls::RequestUrlsExt) in scope). Expands to
/// `urls.reverse_with(name)…​.build()`: a `Result<String, NoReverseMatch>`.
///
/// # Examples
/// ```
/// use nuages::urls::{path, Urls};
/// use nuages::views::ViewFn;
///
/// let urls = Urls::new([
///     path("a/<int:year>/<int:month>/", ViewFn::named("archive")).name("archive"),
/// ])
/// .unwrap();
/// assert_eq!(nuages::reverse!(urls, "archive", year = 2024, month = 5).unwrap(), "/a/2024/5/");
/// assert_eq!(nuages::reverse!(urls, "archive", 2024, 5).unwrap(), "/a/2024/5/");
/// ```
#[macro_export]
macro_rules! reverse {
    ($urls:expr, $name:expr $(,)?) => {
        $urls.reverse_with($name).build()
    };
    ($urls:expr, $name:expr, $($key:ident = $value:expr),+ $(,)?) => {
        $urls.reverse_with($name)$(.kwarg(stringify!($key), $value))+.build()
    };
    ($urls:expr, $name:expr, $($arg:expr),+ $(,)?) => {
        $urls.reverse_with($name)$(.arg($arg))+.build()
    };
}

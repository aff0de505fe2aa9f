//! The equivalent of `django/template/backends/base.py`: the contract every template backend
//! fulfils, and the configuration of one engine (one entry of Django's `TEMPLATES` list).
//!
//! * [`BackendFactory`] is what Django's `BACKEND` dotted path names: it builds an engine from
//!   an [`EngineParams`]. [`jinja2::Jinja2Backend`] is the one shipped; a backend for Django's
//!   own template language can be added beside it without changing anything else.
//! * [`Backend`] is a built engine (Django's `BaseEngine` subclass instance): `get_template`,
//!   and optionally `from_string`.
//! * [`Template`] is what they return: `render(context, request)`.
//!
//! Contexts are engine-neutral ([`Context`]); each backend converts them.

pub mod jinja2;
pub mod utils;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use crate::template::{Context, TemplateError, Value};
use crate::HttpRequest;

/// A compiled template of some backend (Django's backend `Template` wrapper).
///
/// # Examples
/// ```
/// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Context, Engines};
/// let engines = Engines::new([EngineConfig::new(Jinja2Backend)]).unwrap();
/// let t = engines.get("jinja2").unwrap().from_string("{{ 1 + 1 }}").unwrap();
/// assert_eq!(t.render(&Context::new(), None).unwrap(), "2");
/// ```
pub trait Template: Send + Sync + fmt::Debug {
    /// Renders with `context`; with a `request`, the backend adds `request`, `csrf_input`,
    /// `csrf_token` and the context processors' variables (as Django's backends do).
    ///
    /// # Errors
    /// A [`TemplateError`] (render errors carry the template name and line).
    fn render(
        &self,
        context: &Context,
        request: Option<&HttpRequest>,
    ) -> Result<String, TemplateError>;

    /// Where the template comes from (Django's `template.origin`).
    fn origin(&self) -> &Origin;
}

/// Django's `Origin`: the file (`name`) and the name it was asked for (`template_name`).
///
/// # Examples
/// ```
/// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Engines};
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("t.html"), "").unwrap();
/// let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
/// let origin = engines.get_template("t.html").unwrap().origin().clone();
/// assert_eq!(origin.name, Some(dir.path().join("t.html")));
/// assert_eq!(origin.template_name.as_deref(), Some("t.html"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// The file the template was read from (`None` for `from_string`).
    pub name: Option<PathBuf>,
    /// The template name (`None` for `from_string`).
    pub template_name: Option<String>,
}

/// A built template engine (Django's `BaseEngine`).
///
/// # Examples
/// ```
/// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Engines};
/// let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs(["/srv/templates"])]).unwrap();
/// let engine = engines.get("jinja2").unwrap();
/// assert_eq!(engine.template_dirs(), [std::path::PathBuf::from("/srv/templates")]);
/// ```
pub trait Backend: Send + Sync + fmt::Debug {
    /// The alias (`NAME`).
    fn name(&self) -> &str;

    /// The directories searched, in order (`DIRS`, then the application directories).
    fn template_dirs(&self) -> &[PathBuf];

    /// Loads (compiling once, then from the cache) the template `name`.
    ///
    /// # Errors
    /// [`TemplateError::DoesNotExist`] listing the files tried, or
    /// [`TemplateError::Syntax`].
    fn get_template(&self, name: &str) -> Result<Arc<dyn Template>, TemplateError>;

    /// Compiles a template from source (optional in Django).
    ///
    /// # Errors
    /// [`TemplateError::Syntax`]; [`TemplateError::ImproperlyConfigured`] when the backend has
    /// no `from_string` (the default).
    #[allow(clippy::wrong_self_convention)] // Django's name
    fn from_string(&self, source: &str) -> Result<Arc<dyn Template>, TemplateError> {
        let _ = source;
        Err(TemplateError::ImproperlyConfigured(
            "subclasses of BaseEngine should provide a from_string() method".into(),
        ))
    }
}

/// What `TEMPLATES[i]["BACKEND"]` names: a kind of engine, able to build one.
///
/// # Examples
/// A second backend beside Jinja2 — here a toy one replacing `$name` with context strings —
/// plugs in through these three traits (a backend for Django's template language would too):
/// ```
/// use std::path::PathBuf;
/// use std::sync::Arc;
/// use nuages::template::backends::{jinja2::Jinja2Backend, Backend, BackendFactory, EngineConfig, EngineParams, Origin, Template};
/// use nuages::template::{Context, Engines, TemplateDoesNotExist, TemplateError, Value};
///
/// #[derive(Debug)]
/// struct Dollar;
/// #[derive(Debug)]
/// struct DollarEngine(EngineParams);
/// #[derive(Debug)]
/// struct DollarTemplate(String, Origin);
///
/// impl BackendFactory for Dollar {
///     fn default_name(&self) -> &str { "dollar" }
///     fn app_dirname(&self) -> Option<&str> { None }
///     fn build(&self, params: EngineParams) -> Result<Arc<dyn Backend>, TemplateError> {
///         Ok(Arc::new(DollarEngine(params)))
///     }
/// }
/// impl Backend for DollarEngine {
///     fn name(&self) -> &str { &self.0.name }
///     fn template_dirs(&self) -> &[PathBuf] { &self.0.template_dirs }
///     fn get_template(&self, name: &str) -> Result<Arc<dyn Template>, TemplateError> {
///         match name {
///             "greet.txt" => Ok(Arc::new(DollarTemplate("Hi $who".into(), Origin::default()))),
///             _ => Err(TemplateDoesNotExist::new(name).into()),
///         }
///     }
/// }
/// impl Template for DollarTemplate {
///     fn render(&self, ctx: &Context, _req: Option<&nuages::HttpRequest>) -> Result<String, TemplateError> {
///         Ok(ctx.iter().fold(self.0.clone(), |s, (k, v)| match v {
///             Value::Str(v) => s.replace(&format!("${k}"), v),
///             _ => s,
///         }))
///     }
///     fn origin(&self) -> &Origin { &self.1 }
/// }
///
/// let engines = Engines::new([EngineConfig::new(Jinja2Backend), EngineConfig::new(Dollar)]).unwrap();
/// let ctx = Context::new().with("who", "Ada");
/// assert_eq!(engines.render_to_string("greet.txt", &ctx, None).unwrap(), "Hi Ada");
/// ```
pub trait BackendFactory: Send + Sync + fmt::Debug {
    /// The alias used when `NAME` is not given (Django takes the module name: `jinja2`).
    fn default_name(&self) -> &str;

    /// The subdirectory of an application holding its templates (`jinja2` for Jinja2,
    /// `templates` for Django's language), or `None` when `APP_DIRS` is not supported.
    fn app_dirname(&self) -> Option<&str>;

    /// Builds the engine.
    ///
    /// # Errors
    /// [`TemplateError::ImproperlyConfigured`] for an invalid configuration.
    fn build(&self, params: EngineParams) -> Result<Arc<dyn Backend>, TemplateError>;
}

/// A function of the request returning variables (a Django context processor).
///
/// # Examples
/// ```
/// use nuages::template::{backends::ContextProcessor, Context};
/// let p = ContextProcessor::new(|req| Context::new().with("path", req.path().into_owned()));
/// let req = nuages::test::RequestFactory::new().get("/x").build();
/// assert_eq!(p.call(&req).get("path"), Some(&"/x".into()));
/// ```
#[derive(Clone)]
pub struct ContextProcessor(Arc<dyn Fn(&HttpRequest) -> Context + Send + Sync>);

impl ContextProcessor {
    /// Wraps a function.
    ///
    /// # Examples
    /// ```
    /// let p = nuages::template::backends::ContextProcessor::new(|_req| nuages::template::Context::new().with("site", "nuages"));
    /// let req = nuages::test::RequestFactory::new().get("/").build();
    /// assert_eq!(p.call(&req).len(), 1);
    /// ```
    pub fn new(f: impl Fn(&HttpRequest) -> Context + Send + Sync + 'static) -> Self {
        ContextProcessor(Arc::new(f))
    }

    /// Runs the processor.
    ///
    /// # Examples
    /// ```
    /// let p = nuages::template::backends::ContextProcessor::new(|req| nuages::template::Context::new().with("m", req.method().as_str()));
    /// let req = nuages::test::RequestFactory::new().get("/").build();
    /// assert_eq!(p.call(&req).get("m"), Some(&"GET".into()));
    /// ```
    pub fn call(&self, request: &HttpRequest) -> Context {
        (self.0)(request)
    }
}

impl fmt::Debug for ContextProcessor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ContextProcessor(..)")
    }
}

/// A function completing the minijinja environment of a Jinja2 engine (Django's
/// `OPTIONS["environment"]`, the dotted path of a function returning the environment).
///
/// # Examples
/// ```
/// use nuages::template::backends::EnvironmentHook;
/// let hook = EnvironmentHook::new(|env| env.add_filter("shout", |s: String| s.to_uppercase()));
/// let mut env = minijinja::Environment::new();
/// hook.call(&mut env);
/// assert_eq!(env.render_str("{{ 'hi'|shout }}", ()).unwrap(), "HI");
/// ```
#[derive(Clone)]
pub struct EnvironmentHook(Arc<dyn Fn(&mut minijinja::Environment<'static>) + Send + Sync>);

impl EnvironmentHook {
    /// Wraps a function.
    ///
    /// # Examples
    /// ```
    /// let hook = nuages::template::backends::EnvironmentHook::new(|env| env.add_global("SITE", "nuages"));
    /// let mut env = minijinja::Environment::new();
    /// hook.call(&mut env);
    /// assert_eq!(env.render_str("{{ SITE }}", ()).unwrap(), "nuages");
    /// ```
    pub fn new(f: impl Fn(&mut minijinja::Environment<'static>) + Send + Sync + 'static) -> Self {
        EnvironmentHook(Arc::new(f))
    }

    /// Runs the hook.
    ///
    /// # Examples
    /// ```
    /// let hook = nuages::template::backends::EnvironmentHook::new(|env| env.add_global("N", 1));
    /// let mut env = minijinja::Environment::new();
    /// hook.call(&mut env);
    /// assert_eq!(env.render_str("{{ N }}", ()).unwrap(), "1");
    /// ```
    pub fn call(&self, env: &mut minijinja::Environment<'static>) {
        (self.0)(env);
    }
}

impl fmt::Debug for EnvironmentHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EnvironmentHook(..)")
    }
}

/// Reverses a URL name for the `url()` template global (Django's `reverse`).
///
/// URL resolution lives elsewhere; a template engine only needs this hook. Without one the
/// Jinja2 backend uses the request's URLconf
/// ([`RequestUrlsExt::reverse_with`](crate::urls::RequestUrlsExt::reverse_with)). A closure
/// `Fn(&str, &[Value], &[(String, Value)]) -> Result<String, crate::Error>` is a reverser.
///
/// # Examples
/// ```
/// use nuages::template::{backends::UrlReverser, Value};
/// let r = |name: &str, _args: &[Value], _kw: &[(String, Value)]| Ok::<_, nuages::Error>(format!("/{name}/"));
/// assert_eq!(r.reverse(None, "home", &[], &[]).unwrap(), "/home/");
/// ```
pub trait UrlReverser: Send + Sync {
    /// The URL of `viewname` with positional `args` or keyword `kwargs`.
    ///
    /// # Errors
    /// Django's `NoReverseMatch` (or any error), which fails the render.
    fn reverse(
        &self,
        request: Option<&HttpRequest>,
        viewname: &str,
        args: &[Value],
        kwargs: &[(String, Value)],
    ) -> Result<String, crate::Error>;
}

impl<F> UrlReverser for F
where
    F: Fn(&str, &[Value], &[(String, Value)]) -> Result<String, crate::Error> + Send + Sync,
{
    fn reverse(
        &self,
        _request: Option<&HttpRequest>,
        viewname: &str,
        args: &[Value],
        kwargs: &[(String, Value)],
    ) -> Result<String, crate::Error> {
        self(viewname, args, kwargs)
    }
}

/// Which templates are autoescaped (Jinja2's `autoescape` option).
///
/// # Examples
/// ```
/// use nuages::template::backends::Autoescape;
/// assert!(Autoescape::Always.applies_to(Some("mail.txt")));
/// assert!(!Autoescape::Never.applies_to(Some("page.html")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Autoescape {
    /// Every template (`autoescape=True`, Django's default for Jinja2).
    Always,
    /// No template (`autoescape=False`).
    Never,
    /// Templates whose name ends with one of these extensions, and templates from strings
    /// (Jinja2's `select_autoescape(enabled_extensions)`); [`Autoescape::html`] gives
    /// `html`, `htm` and `xml`.
    Extensions(Vec<String>),
}

impl Autoescape {
    /// `select_autoescape(["html", "htm", "xml"])`.
    ///
    /// # Examples
    /// ```
    /// assert!(nuages::template::backends::Autoescape::html().applies_to(Some("feed.xml")));
    /// ```
    pub fn html() -> Self {
        Autoescape::Extensions(vec!["html".into(), "htm".into(), "xml".into()])
    }

    /// Whether the template `name` (`None` for a string template) is escaped.
    ///
    /// # Examples
    /// ```
    /// use nuages::template::backends::Autoescape;
    /// assert!(Autoescape::html().applies_to(Some("a/b.HTML")));
    /// assert!(!Autoescape::html().applies_to(Some("mail.txt")));
    /// assert!(Autoescape::html().applies_to(None));
    /// ```
    pub fn applies_to(&self, name: Option<&str>) -> bool {
        match (self, name) {
            (Autoescape::Always, _) => true,
            (Autoescape::Never, _) => false,
            (Autoescape::Extensions(_), None) => true,
            (Autoescape::Extensions(exts), Some(name)) => {
                let lower = name.to_lowercase();
                exts.iter()
                    .any(|e| lower.ends_with(&format!(".{}", e.to_lowercase())))
            }
        }
    }
}

/// How autoescaping encodes quotes.
///
/// # Examples
/// ```
/// use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig, EngineOptions, HtmlEscape};
/// use nuages::template::{Context, Engines};
/// let engine = |html_escape| Engines::new([EngineConfig::new(Jinja2Backend)
///     .options(EngineOptions { html_escape, ..EngineOptions::default() })]).unwrap();
/// let ctx = Context::new().with("q", "\"'");
/// let render = |e: Engines| e.get("jinja2").unwrap().from_string("{{ q }}").unwrap().render(&ctx, None).unwrap();
/// assert_eq!(render(engine(HtmlEscape::Django)), "&quot;&#x27;");
/// assert_eq!(render(engine(HtmlEscape::MarkupSafe)), "&#34;&#39;");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HtmlEscape {
    /// `django.utils.html.escape`: `"` → `&quot;`, `'` → `&#x27;` (the default, as the
    /// Django template language escapes).
    #[default]
    Django,
    /// markupsafe, which Jinja2 (and so Django's Jinja2 backend) uses: `"` → `&#34;`,
    /// `'` → `&#39;`.
    MarkupSafe,
}

/// The `OPTIONS` of an engine. The first group is common to Django's backends; the second
/// holds Jinja2 environment options.
///
/// # Examples
/// ```
/// use nuages::template::backends::{EngineOptions, Autoescape};
/// let options = EngineOptions { debug: true, autoescape: Autoescape::html(), ..EngineOptions::default() };
/// assert_eq!(options.auto_reload, None); // follows debug
/// ```
#[derive(Clone)]
pub struct EngineOptions {
    /// `context_processors`: run for every render with a request.
    pub context_processors: Vec<ContextProcessor>,
    /// `autoescape` (default: every template, as Django configures Jinja2).
    pub autoescape: Autoescape,
    /// The escaping of autoescape and the `escape` filter (default: Django's).
    pub html_escape: HtmlEscape,
    /// Django's `DEBUG` (Jinja2's `auto_reload` default follows it).
    pub debug: bool,
    /// `auto_reload`: re-read changed template files (default: `debug`).
    pub auto_reload: Option<bool>,
    /// `STATIC_URL`, for the `static()` global (`None`: `static()` fails the render).
    pub static_url: Option<String>,
    /// The `url()` global's reverser (default: the request's URLconf).
    pub url_reverser: Option<Arc<dyn UrlReverser>>,
    /// Jinja2 `keep_trailing_newline` (default `false`: one trailing newline is dropped).
    pub keep_trailing_newline: bool,
    /// Jinja2 `trim_blocks`.
    pub trim_blocks: bool,
    /// Jinja2 `lstrip_blocks`.
    pub lstrip_blocks: bool,
    /// Jinja2 `undefined=StrictUndefined`: an undefined variable fails the render.
    pub strict_undefined: bool,
    /// The `environment` option: a function adding filters, tests or globals to the
    /// minijinja environment after nuages has set it up.
    pub environment: Option<EnvironmentHook>,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            context_processors: Vec::new(),
            autoescape: Autoescape::Always,
            html_escape: HtmlEscape::Django,
            debug: false,
            auto_reload: None,
            static_url: None,
            url_reverser: None,
            keep_trailing_newline: false,
            trim_blocks: false,
            lstrip_blocks: false,
            strict_undefined: false,
            environment: None,
        }
    }
}

impl fmt::Debug for EngineOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EngineOptions")
            .field("context_processors", &self.context_processors.len())
            .field("autoescape", &self.autoescape)
            .field("html_escape", &self.html_escape)
            .field("debug", &self.debug)
            .field("auto_reload", &self.auto_reload)
            .field("static_url", &self.static_url)
            .field("url_reverser", &self.url_reverser.is_some())
            .field("keep_trailing_newline", &self.keep_trailing_newline)
            .field("trim_blocks", &self.trim_blocks)
            .field("lstrip_blocks", &self.lstrip_blocks)
            .field("strict_undefined", &self.strict_undefined)
            .field("environment", &self.environment.is_some())
            .finish()
    }
}

/// One entry of `TEMPLATES`: `BACKEND`, `NAME`, `DIRS`, `APP_DIRS` and `OPTIONS`.
///
/// # Examples
/// ```
/// use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
/// let config = EngineConfig::new(Jinja2Backend).dirs(["templates"]).app_dirs(true);
/// assert_eq!(config.dirs.len(), 1);
/// ```
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// `BACKEND`.
    pub backend: Arc<dyn BackendFactory>,
    /// `NAME` (default: the backend's [`BackendFactory::default_name`]).
    pub name: Option<String>,
    /// `DIRS`.
    pub dirs: Vec<PathBuf>,
    /// `APP_DIRS`: also search `<app>/<app_dirname>` of each application directory given to
    /// [`Engines::with_apps`](crate::template::Engines::with_apps).
    pub app_dirs: bool,
    /// `OPTIONS`.
    pub options: EngineOptions,
}

impl EngineConfig {
    /// A configuration for `backend` with no directory and default options.
    ///
    /// # Examples
    /// ```
    /// use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
    /// let config = EngineConfig::new(Jinja2Backend);
    /// assert!(config.name.is_none() && config.dirs.is_empty() && !config.app_dirs);
    /// ```
    pub fn new(backend: impl BackendFactory + 'static) -> Self {
        EngineConfig {
            backend: Arc::new(backend),
            name: None,
            dirs: Vec::new(),
            app_dirs: false,
            options: EngineOptions::default(),
        }
    }

    /// Sets `NAME`.
    ///
    /// # Examples
    /// ```
    /// use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
    /// assert_eq!(EngineConfig::new(Jinja2Backend).name("j2").name.as_deref(), Some("j2"));
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets `DIRS`.
    ///
    /// # Examples
    /// ```
    /// use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
    /// assert_eq!(EngineConfig::new(Jinja2Backend).dirs(["a", "b"]).dirs.len(), 2);
    /// ```
    pub fn dirs<P: Into<PathBuf>>(mut self, dirs: impl IntoIterator<Item = P>) -> Self {
        self.dirs = dirs.into_iter().map(Into::into).collect();
        self
    }

    /// Sets `APP_DIRS`.
    ///
    /// # Examples
    /// ```
    /// use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
    /// assert!(EngineConfig::new(Jinja2Backend).app_dirs(true).app_dirs);
    /// ```
    pub fn app_dirs(mut self, on: bool) -> Self {
        self.app_dirs = on;
        self
    }

    /// Sets `OPTIONS`.
    ///
    /// # Examples
    /// ```
    /// use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig, EngineOptions};
    /// let c = EngineConfig::new(Jinja2Backend).options(EngineOptions { debug: true, ..EngineOptions::default() });
    /// assert!(c.options.debug);
    /// ```
    pub fn options(mut self, options: EngineOptions) -> Self {
        self.options = options;
        self
    }
}

/// What a [`BackendFactory`] receives (Django's `params` dict after `NAME`/`DIRS`/`APP_DIRS`
/// defaults are applied, with the application directories resolved).
///
/// # Examples
/// ```
/// use nuages::template::backends::{jinja2::Jinja2Backend, BackendFactory, EngineOptions, EngineParams};
/// let params = EngineParams { name: "j".into(), template_dirs: vec![], options: EngineOptions::default() };
/// assert_eq!(Jinja2Backend.build(params).unwrap().name(), "j");
/// ```
#[derive(Debug, Clone)]
pub struct EngineParams {
    /// The alias.
    pub name: String,
    /// The directories to search, in order (`DIRS` then `<app>/<app_dirname>`).
    pub template_dirs: Vec<PathBuf>,
    /// `OPTIONS`.
    pub options: EngineOptions,
}

/// Django's `get_app_template_dirs(dirname)`: the `<app>/<dirname>` directories that exist.
pub(crate) fn app_template_dirs(apps: &[PathBuf], dirname: &str) -> Vec<PathBuf> {
    apps.iter()
        .map(|a| a.join(dirname))
        .filter(|p| p.is_dir())
        .collect()
}

/// Django's `BaseEngine.iter_template_filenames`: each directory joined with the name by
/// [`safe_join`](crate::utils::os::safe_join), directories the name would escape skipped.
///
/// # Examples
/// ```
/// use std::path::PathBuf;
/// use nuages::template::backends::iter_template_filenames;
/// let dirs = [PathBuf::from("/a"), PathBuf::from("/b")];
/// assert_eq!(iter_template_filenames(&dirs, "x.html"), [PathBuf::from("/a/x.html"), PathBuf::from("/b/x.html")]);
/// assert!(iter_template_filenames(&dirs, "../x.html").is_empty());
/// ```
pub fn iter_template_filenames(dirs: &[PathBuf], template_name: &str) -> Vec<PathBuf> {
    dirs.iter()
        .filter_map(|d| crate::utils::os::safe_join(d, template_name).ok())
        .collect()
}

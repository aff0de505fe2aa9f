//! The equivalent of `django/template/backends/jinja2.py`: Jinja2 templates, rendered by
//! [minijinja], with Django's conventions.
//!
//! * Templates are found in the engine's directories (`DIRS`, then `<app>/jinja2` with
//!   `APP_DIRS`), compiled once and cached; with `auto_reload` (default: `debug`) a changed
//!   file is compiled again.
//! * Rendered with a request, a template sees `request`, `csrf_input` (the hidden form field,
//!   safe HTML) and `csrf_token`, both lazy as in Django (the CSRF cookie is only marked as used
//!   when the template prints them), then the variables of the context processors. Being lazy
//!   objects, they become strings when printed or passed through `|string`
//!   (`{{ csrf_token|string|length }}`).
//! * Output is escaped with Django's escaping (`&<>"'`, not `/`) in every template unless
//!   [`Autoescape`](crate::template::backends::Autoescape) says otherwise; values print like
//!   Python's `str()` (`None`, `True`, `1.5`, `['a']`).
//! * Filters added to minijinja's: `date` and `time` with Django's format characters
//!   (`{{ d|date("Y-m-d") }}`), and Django-compatible `escape`/`e`/`safe`. Globals: `url(name,
//!   *args, **kwargs)` (also `args=[…]`, `kwargs={…}`) and `static(path)`.
//!
//! Not reproduced: Jinja2's `DebugUndefined` (an undefined variable prints as `""` in DEBUG
//! too), and Python-only Jinja2 features minijinja lacks. Values print through Python's
//! `str()` only at output; `~` concatenation uses minijinja's display (`true`, `none`).

mod filters;
mod values;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use minijinja::value::Value as MjValue;
use minijinja::{AutoEscape, Environment, ErrorKind, TemplateSource, UndefinedBehavior};

use self::values::{to_minijinja, CsrfInput, CsrfToken, RequestObject};
use crate::template::backends::{
    Backend, BackendFactory, ContextProcessor, EngineParams, Origin, Template,
};
use crate::template::{
    Context, TemplateDebug, TemplateDoesNotExist, TemplateError, TemplateRenderError,
    TemplateSyntaxError, Tried,
};
use crate::HttpRequest;

/// The name minijinja gives templates made from a string (Jinja2's display name).
const STRING_TEMPLATE: &str = "<template>";

/// `BACKEND = "django.template.backends.jinja2.Jinja2"`.
///
/// # Examples
/// ```
/// use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
/// use nuages::template::{Context, Engines};
/// let engines = Engines::new([EngineConfig::new(Jinja2Backend)]).unwrap();
/// let t = engines.get("jinja2").unwrap().from_string("Hello {{ name }}!").unwrap();
/// assert_eq!(t.render(&Context::new().with("name", "<World>"), None).unwrap(), "Hello &lt;World&gt;!");
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Jinja2Backend;

impl BackendFactory for Jinja2Backend {
    fn default_name(&self) -> &str {
        "jinja2"
    }

    fn app_dirname(&self) -> Option<&str> {
        Some("jinja2")
    }

    fn build(&self, params: EngineParams) -> Result<Arc<dyn Backend>, TemplateError> {
        Ok(Arc::new(Jinja2::new(params)?))
    }
}

/// A Jinja2 engine (Django's `Jinja2` backend instance).
///
/// # Examples
/// ```
/// use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
/// use nuages::template::Engines;
/// let engines = Engines::new([EngineConfig::new(Jinja2Backend)]).unwrap();
/// assert_eq!(engines.get("jinja2").unwrap().name(), "jinja2");
/// ```
#[derive(Debug)]
pub struct Jinja2 {
    name: String,
    dirs: Arc<[PathBuf]>,
    env: Arc<Environment<'static>>,
    context_processors: Arc<[ContextProcessor]>,
}

impl Jinja2 {
    /// Builds the engine: environment options, loader over the template directories,
    /// formatter, filters and globals, then the `environment` hook.
    ///
    /// # Errors
    /// [`TemplateError::ImproperlyConfigured`] for invalid syntax options.
    ///
    /// # Examples
    /// ```
    /// use nuages::template::backends::{jinja2::Jinja2, Backend, EngineOptions, EngineParams};
    /// let engine = Jinja2::new(EngineParams { name: "j".into(), template_dirs: vec![], options: EngineOptions::default() }).unwrap();
    /// assert_eq!(engine.name(), "j");
    /// ```
    pub fn new(params: EngineParams) -> Result<Self, TemplateError> {
        let o = params.options;
        let dirs: Arc<[PathBuf]> = params.template_dirs.into();
        let mut env = Environment::new();
        let loader_dirs = Arc::clone(&dirs);
        env.set_loader(move |name| load(&loader_dirs, name));
        env.set_auto_reload(o.auto_reload.unwrap_or(o.debug));
        env.set_debug(true);
        let autoescape = o.autoescape.clone();
        env.set_auto_escape_callback(move |name| {
            let name = (name != STRING_TEMPLATE).then_some(name);
            if autoescape.applies_to(name) {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        if o.strict_undefined {
            env.set_undefined_behavior(UndefinedBehavior::Strict);
        }
        let syntax = minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(o.keep_trailing_newline)
            .trim_blocks(o.trim_blocks)
            .lstrip_blocks(o.lstrip_blocks)
            .build()
            .map_err(|e| TemplateError::ImproperlyConfigured(e.to_string()))?;
        env.set_syntax(syntax);
        filters::install(
            &mut env,
            o.html_escape,
            o.static_url.clone(),
            o.url_reverser.clone(),
        );
        if let Some(hook) = &o.environment {
            hook.call(&mut env);
        }
        Ok(Jinja2 {
            name: params.name,
            dirs,
            env: Arc::new(env),
            context_processors: o.context_processors.into(),
        })
    }

    /// The minijinja environment.
    ///
    /// # Examples
    /// ```
    /// use nuages::template::backends::{jinja2::Jinja2, EngineOptions, EngineParams};
    /// let engine = Jinja2::new(EngineParams { name: "j".into(), template_dirs: vec![], options: EngineOptions::default() }).unwrap();
    /// assert_eq!(engine.env().render_str("{{ none }}", ()).unwrap(), "None");
    /// ```
    pub fn env(&self) -> &Environment<'static> {
        &self.env
    }

    fn tried(&self, name: &str) -> Vec<Tried> {
        let Some(pieces) = split_template_path(name) else {
            return Vec::new();
        };
        self.dirs
            .iter()
            .map(|d| Tried {
                path: pieces.iter().fold(d.clone(), |p, s| p.join(s)),
                template_name: name.to_owned(),
                status: "Source does not exist".into(),
            })
            .collect()
    }
}

impl Backend for Jinja2 {
    fn name(&self) -> &str {
        &self.name
    }

    fn template_dirs(&self) -> &[PathBuf] {
        &self.dirs
    }

    fn get_template(&self, name: &str) -> Result<Arc<dyn Template>, TemplateError> {
        let file = match self.env.get_template(name) {
            Ok(_) => find(&self.dirs, name),
            Err(e) if e.kind() == ErrorKind::TemplateNotFound => {
                return Err(TemplateError::DoesNotExist(TemplateDoesNotExist {
                    name: name.to_owned(),
                    tried: self.tried(name),
                    backend: Some(self.name.clone()),
                    chain: Vec::new(),
                }));
            }
            Err(e) => return Err(convert_error(&e)),
        };
        Ok(Arc::new(Jinja2Template {
            env: Arc::clone(&self.env),
            name: name.to_owned(),
            origin: Origin {
                name: file,
                template_name: Some(name.to_owned()),
            },
            context_processors: Arc::clone(&self.context_processors),
        }))
    }

    fn from_string(&self, source: &str) -> Result<Arc<dyn Template>, TemplateError> {
        let mut env = (*self.env).clone();
        env.add_template_owned(STRING_TEMPLATE, source.to_owned())
            .map_err(|e| convert_error(&e))?;
        Ok(Arc::new(Jinja2Template {
            env: Arc::new(env),
            name: STRING_TEMPLATE.to_owned(),
            origin: Origin::default(),
            context_processors: Arc::clone(&self.context_processors),
        }))
    }
}

/// A compiled Jinja2 template.
///
/// # Examples
/// ```
/// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Context, Engines};
/// let engines = Engines::new([EngineConfig::new(Jinja2Backend)]).unwrap();
/// let t = engines.get("jinja2").unwrap().from_string("{{ [1, 'a'] }}").unwrap();
/// assert_eq!(t.render(&Context::new(), None).unwrap(), "[1, &#x27;a&#x27;]");
/// ```
#[derive(Debug)]
pub struct Jinja2Template {
    env: Arc<Environment<'static>>,
    name: String,
    origin: Origin,
    context_processors: Arc<[ContextProcessor]>,
}

impl Template for Jinja2Template {
    fn render(
        &self,
        context: &Context,
        request: Option<&HttpRequest>,
    ) -> Result<String, TemplateError> {
        let mut vars: indexmap::IndexMap<MjValue, MjValue> = context
            .iter()
            .map(|(k, v)| (MjValue::from(k), to_minijinja(v)))
            .collect();
        if let Some(request) = request {
            let req = Arc::new(RequestObject::new(request));
            vars.insert("request".into(), MjValue::from_dyn_object(Arc::clone(&req)));
            vars.insert(
                "csrf_input".into(),
                MjValue::from_object(CsrfInput(Arc::clone(&req))),
            );
            vars.insert("csrf_token".into(), MjValue::from_object(CsrfToken(req)));
            for processor in self.context_processors.iter() {
                for (k, v) in &processor.call(request) {
                    vars.insert(MjValue::from(k.as_str()), to_minijinja(v));
                }
            }
        }
        let template = self
            .env
            .get_template(&self.name)
            .map_err(|e| convert_error(&e))?;
        template
            .render(MjValue::from(vars))
            .map_err(|e| convert_error(&e))
    }

    fn origin(&self) -> &Origin {
        &self.origin
    }
}

/// Jinja2's `split_template_path`: `/`-separated pieces, `.` and empty ones dropped; a piece
/// that is `..` (or holds a `\`) means the template does not exist.
fn split_template_path(name: &str) -> Option<Vec<&str>> {
    let mut pieces = Vec::new();
    for piece in name.split('/') {
        if piece == ".." || piece.contains('\\') || piece.contains('\0') {
            return None;
        }
        if !piece.is_empty() && piece != "." {
            pieces.push(piece);
        }
    }
    Some(pieces)
}

/// The first file of `dirs` holding the template.
fn find(dirs: &[PathBuf], name: &str) -> Option<PathBuf> {
    let pieces = split_template_path(name)?;
    dirs.iter()
        .map(|d| pieces.iter().fold(d.clone(), |p, s| p.join(s)))
        .find(|p| p.is_file())
}

fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

/// Jinja2's `FileSystemLoader(dirs)`: the first directory holding the file wins; the file is
/// UTF-8; an up-to-date check (mtime, size) lets `auto_reload` re-read it.
fn load(dirs: &[PathBuf], name: &str) -> Result<Option<TemplateSource>, minijinja::Error> {
    let Some(path) = find(dirs, name) else {
        return Ok(None);
    };
    let stamp_then = stamp(&path);
    let source = std::fs::read_to_string(&path).map_err(|e| {
        minijinja::Error::new(
            ErrorKind::InvalidOperation,
            format!("could not read template {}: {e}", path.display()),
        )
    })?;
    let mut src = TemplateSource::new(source);
    if let Some(s) = stamp_then {
        src = src.with_uptodate_check(move || stamp(&path) == Some(s));
    }
    Ok(Some(src))
}

/// A minijinja error as Django's exception: compile-time kinds are `TemplateSyntaxError`
/// (Jinja2 also reports unknown filters and tests when compiling), others render errors.
fn convert_error(outer: &minijinja::Error) -> TemplateError {
    // An error inside an included template is wrapped by the includer's: report the innermost
    // one that knows where it happened.
    let mut e = outer;
    let mut cur: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(outer);
    while let Some(src) = cur {
        if let Some(inner) = src.downcast_ref::<minijinja::Error>() {
            if inner.line().is_some() {
                e = inner;
            }
        }
        cur = src.source();
    }
    let message = match e.detail() {
        Some(d) => d.to_owned(),
        None => e.kind().to_string(),
    };
    let debug = Box::new(TemplateDebug::from_source(
        e.name().map(str::to_owned),
        message,
        e.line().unwrap_or(0),
        e.template_source(),
    ));
    match e.kind() {
        ErrorKind::SyntaxError
        | ErrorKind::UnknownFilter
        | ErrorKind::UnknownTest
        | ErrorKind::BadEscape
        | ErrorKind::UnknownBlock => TemplateError::Syntax(TemplateSyntaxError { debug }),
        ErrorKind::TemplateNotFound => {
            TemplateError::DoesNotExist(TemplateDoesNotExist::new(e.detail().unwrap_or_default()))
        }
        kind => TemplateError::Render(TemplateRenderError {
            kind: kind.to_string(),
            debug,
        }),
    }
}

//! The equivalent of `django/template/loader.py`: [`get_template`], [`select_template`] and
//! [`render_to_string`] over the configured [`Engines`].

use std::fmt;
use std::sync::Arc;

use crate::template::backends::{Backend, Template};
use crate::template::{Context, Engines, TemplateDoesNotExist, TemplateError};
use crate::HttpRequest;

/// What names a template: one name, names to try in order, or a template already loaded
/// (the `template_name` argument of `render_to_string` and `TemplateResponse`).
///
/// # Examples
/// ```
/// use nuages::template::loader::TemplateName;
/// assert!(matches!(TemplateName::from("a.html"), TemplateName::Name(_)));
/// assert!(matches!(TemplateName::from(["a.html", "b.html"]), TemplateName::Names(_)));
/// ```
#[derive(Clone)]
pub enum TemplateName {
    /// `get_template(name)`.
    Name(String),
    /// `select_template(names)`.
    Names(Vec<String>),
    /// A template object, used as it is.
    Template(Arc<dyn Template>),
}

impl fmt::Debug for TemplateName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateName::Name(n) => f.debug_tuple("Name").field(n).finish(),
            TemplateName::Names(n) => f.debug_tuple("Names").field(n).finish(),
            TemplateName::Template(t) => f.debug_tuple("Template").field(t.origin()).finish(),
        }
    }
}

impl From<&str> for TemplateName {
    fn from(n: &str) -> Self {
        TemplateName::Name(n.to_owned())
    }
}

impl From<String> for TemplateName {
    fn from(n: String) -> Self {
        TemplateName::Name(n)
    }
}

impl From<Vec<String>> for TemplateName {
    fn from(n: Vec<String>) -> Self {
        TemplateName::Names(n)
    }
}

impl From<&[&str]> for TemplateName {
    fn from(n: &[&str]) -> Self {
        TemplateName::Names(n.iter().map(|s| (*s).to_owned()).collect())
    }
}

impl<const N: usize> From<[&str; N]> for TemplateName {
    fn from(n: [&str; N]) -> Self {
        TemplateName::Names(n.iter().map(|s| (*s).to_owned()).collect())
    }
}

impl From<Arc<dyn Template>> for TemplateName {
    fn from(t: Arc<dyn Template>) -> Self {
        TemplateName::Template(t)
    }
}

fn engine_list<'a>(
    engines: &'a Engines,
    using: Option<&str>,
) -> Result<Vec<&'a Arc<dyn Backend>>, TemplateError> {
    match using {
        None => Ok(engines.all().collect()),
        Some(alias) => Ok(vec![engines.get(alias)?]),
    }
}

/// Django's `get_template(name, using=None)`: the first engine that has the template wins.
///
/// # Errors
/// [`TemplateError::DoesNotExist`] whose `chain` holds each engine's error (and so every path
/// tried); a syntax error stops the search, as in Django.
///
/// # Examples
/// ```
/// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Engines, TemplateError};
/// let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs(["/nonexistent"])]).unwrap();
/// let Err(TemplateError::DoesNotExist(e)) = nuages::template::loader::get_template(&engines, "x.html", None) else { panic!() };
/// assert_eq!(e.all_tried()[0].path, std::path::Path::new("/nonexistent/x.html"));
/// ```
pub fn get_template(
    engines: &Engines,
    name: &str,
    using: Option<&str>,
) -> Result<Arc<dyn Template>, TemplateError> {
    let mut chain = Vec::new();
    for engine in engine_list(engines, using)? {
        match engine.get_template(name) {
            Ok(t) => return Ok(t),
            Err(TemplateError::DoesNotExist(e)) => chain.push(e),
            Err(e) => return Err(e),
        }
    }
    Err(TemplateError::DoesNotExist(TemplateDoesNotExist {
        chain,
        ..TemplateDoesNotExist::new(name)
    }))
}

/// Django's `select_template(names, using=None)`: each name in order, on each engine.
///
/// # Errors
/// [`TemplateError::DoesNotExist`] named after all the names (comma-separated) with the whole
/// chain, or `No template names provided` for an empty list.
///
/// # Examples
/// ```
/// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Engines, TemplateError};
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("default.html"), "default").unwrap();
/// let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
/// let t = nuages::template::loader::select_template(&engines, &["custom.html", "default.html"], None).unwrap();
/// assert_eq!(t.origin().template_name.as_deref(), Some("default.html"));
/// ```
pub fn select_template<S: AsRef<str>>(
    engines: &Engines,
    names: &[S],
    using: Option<&str>,
) -> Result<Arc<dyn Template>, TemplateError> {
    let list = engine_list(engines, using)?;
    let mut chain = Vec::new();
    for name in names {
        for engine in &list {
            match engine.get_template(name.as_ref()) {
                Ok(t) => return Ok(t),
                Err(TemplateError::DoesNotExist(e)) => chain.push(e),
                Err(e) => return Err(e),
            }
        }
    }
    if names.is_empty() {
        return Err(TemplateDoesNotExist::new("No template names provided").into());
    }
    let joined: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    Err(TemplateError::DoesNotExist(TemplateDoesNotExist {
        chain,
        ..TemplateDoesNotExist::new(joined.join(", "))
    }))
}

/// Resolves a [`TemplateName`] to a template.
pub(crate) fn resolve(
    engines: &Engines,
    name: &TemplateName,
    using: Option<&str>,
) -> Result<Arc<dyn Template>, TemplateError> {
    match name {
        TemplateName::Name(n) => get_template(engines, n, using),
        TemplateName::Names(n) => select_template(engines, n, using),
        TemplateName::Template(t) => Ok(Arc::clone(t)),
    }
}

/// Django's `render_to_string(template_name, context, request, using)`.
///
/// # Errors
/// Loading or rendering errors.
///
/// # Examples
/// ```
/// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Context, Engines};
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("b.html"), "{{ csrf_token|string|length }}").unwrap();
/// let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
/// let req = nuages::test::RequestFactory::new().get("/").build();
/// let out = nuages::template::loader::render_to_string(&engines, ["a.html", "b.html"], &Context::new(), Some(&req), None);
/// assert_eq!(out.unwrap(), "64");
/// ```
pub fn render_to_string(
    engines: &Engines,
    name: impl Into<TemplateName>,
    context: &Context,
    request: Option<&HttpRequest>,
    using: Option<&str>,
) -> Result<String, TemplateError> {
    resolve(engines, &name.into(), using)?.render(context, request)
}

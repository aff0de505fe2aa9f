//! The equivalent of `django/template/exceptions.py`: [`TemplateDoesNotExist`] and
//! [`TemplateSyntaxError`], plus [`TemplateRenderError`] for the errors a backend raises while
//! rendering, all gathered in [`TemplateError`].
//!
//! Every error that comes from a template carries a [`TemplateDebug`] (Django's
//! `template_debug` dict): template name, line, message and the surrounding source lines, so
//! that a DEBUG 500 page can show where rendering failed.

use std::fmt;
use std::path::PathBuf;

/// One place a loader looked for a template (Django's `(origin, status)` pair of `tried`).
///
/// # Examples
/// ```
/// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Engines, TemplateError};
/// let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs(["/a"])]).unwrap();
/// let Err(TemplateError::DoesNotExist(e)) = engines.get_template("x.html") else { panic!() };
/// let tried = e.all_tried();
/// assert_eq!((tried[0].template_name.as_str(), tried[0].status.as_str()), ("x.html", "Source does not exist"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tried {
    /// The file that was looked at (`origin.name`).
    pub path: PathBuf,
    /// The name that was asked for (`origin.template_name`).
    pub template_name: String,
    /// Why it was not used (Django's loaders say `Source does not exist`).
    pub status: String,
}

/// Django's `TemplateDoesNotExist`: no engine found the template.
///
/// `tried` lists the files looked at by this backend; `chain` holds the errors of each engine
/// (and each name, for [`select_template`](crate::template::loader::select_template)).
///
/// # Examples
/// ```
/// use nuages::template::TemplateDoesNotExist;
/// let e = TemplateDoesNotExist::new("missing.html");
/// assert_eq!(e.to_string(), "missing.html");
/// assert!(e.all_tried().is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateDoesNotExist {
    /// The message: the template name (or the names, comma-separated).
    pub name: String,
    /// The files this backend looked at.
    pub tried: Vec<Tried>,
    /// The alias of the backend that raised it.
    pub backend: Option<String>,
    /// The errors of the engines that were tried, in order.
    pub chain: Vec<TemplateDoesNotExist>,
}

impl TemplateDoesNotExist {
    /// An error for `name`, with nothing tried.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(nuages::template::TemplateDoesNotExist::new("a.html").name, "a.html");
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        TemplateDoesNotExist {
            name: name.into(),
            tried: Vec::new(),
            backend: None,
            chain: Vec::new(),
        }
    }

    /// Every path tried, this error's and those of its chain, in order.
    ///
    /// # Examples
    /// ```
    /// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Engines, TemplateError};
    /// let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs(["/a", "/b"])]).unwrap();
    /// let Err(TemplateError::DoesNotExist(e)) = engines.get_template("x.html") else { panic!() };
    /// assert_eq!(e.all_tried().len(), 2);
    /// ```
    pub fn all_tried(&self) -> Vec<&Tried> {
        let mut out: Vec<&Tried> = self.tried.iter().collect();
        for e in &self.chain {
            out.extend(e.all_tried());
        }
        out
    }
}

impl fmt::Display for TemplateDoesNotExist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl std::error::Error for TemplateDoesNotExist {}

/// Where in a template an error happened: Django's `template_debug` dict, built by
/// `get_exception_info` (ten lines of context on each side).
///
/// # Examples
/// ```
/// use nuages::template::TemplateDebug;
/// let d = TemplateDebug::from_source(Some("t.html".into()), "unexpected end".into(), 2, Some("a\nb {{\nc"));
/// assert_eq!(d.during, "b {{");
/// assert_eq!((d.total, d.top, d.bottom), (3, 0, 3));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateDebug {
    /// The template's name (or file name).
    pub name: Option<String>,
    /// The error message.
    pub message: String,
    /// The lines shown, numbered from 1.
    pub source_lines: Vec<(usize, String)>,
    /// The line of the error (from 1).
    pub line: usize,
    /// The text of that line.
    pub during: String,
    /// The number of lines of the source.
    pub total: usize,
    /// The index of the first line shown.
    pub top: usize,
    /// The index after the last line shown.
    pub bottom: usize,
}

impl TemplateDebug {
    /// Django's `get_exception_info`: the source is stripped, split on `\n`, and the lines
    /// around `line` kept.
    ///
    /// # Examples
    /// ```
    /// let d = nuages::template::TemplateDebug::from_source(None, "boom".into(), 30, Some(&"x\n".repeat(40)));
    /// assert_eq!((d.top, d.bottom, d.source_lines.len()), (19, 40, 21));
    /// ```
    pub fn from_source(
        name: Option<String>,
        message: String,
        line: usize,
        source: Option<&str>,
    ) -> Self {
        const CONTEXT_LINES: usize = 10;
        let Some(source) = source else {
            return TemplateDebug {
                name,
                message,
                source_lines: Vec::new(),
                line,
                during: String::new(),
                total: 0,
                top: 0,
                bottom: 0,
            };
        };
        let lines: Vec<(usize, String)> = nuages_py::builtins::strip(source)
            .split('\n')
            .enumerate()
            .map(|(i, l)| (i + 1, l.to_owned()))
            .collect();
        let total = lines.len();
        let during = line
            .checked_sub(1)
            .and_then(|i| lines.get(i))
            .map(|(_, l)| l.clone())
            .unwrap_or_default();
        let top = line.saturating_sub(CONTEXT_LINES + 1);
        let bottom = total.min(line.saturating_add(CONTEXT_LINES));
        TemplateDebug {
            name,
            message,
            source_lines: lines.get(top..bottom.max(top)).unwrap_or_default().to_vec(),
            line,
            during,
            total,
            top,
            bottom,
        }
    }
}

/// Django's `TemplateSyntaxError`: a template that cannot be compiled (or an unknown filter,
/// test or block, which Jinja2 reports at compile time).
///
/// # Examples
/// ```
/// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Engines, TemplateError};
/// let engines = Engines::new([EngineConfig::new(Jinja2Backend)]).unwrap();
/// let Err(TemplateError::Syntax(e)) = engines.get("jinja2").unwrap().from_string("{% for %}") else { panic!() };
/// assert_eq!(e.debug.line, 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSyntaxError {
    /// Template, line, message and source context.
    pub debug: Box<TemplateDebug>,
}

impl fmt::Display for TemplateSyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_located(f, &self.debug)
    }
}

impl std::error::Error for TemplateSyntaxError {}

/// An error raised while rendering (Jinja2's `UndefinedError`, a failing filter, a
/// `NoReverseMatch` from `url()`, …), with where it happened.
///
/// # Examples
/// ```
/// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Context, Engines, TemplateError};
/// let engines = Engines::new([EngineConfig::new(Jinja2Backend)]).unwrap();
/// let t = engines.get("jinja2").unwrap().from_string("a\n{{ x.y }}").unwrap();
/// let Err(TemplateError::Render(e)) = t.render(&Context::new(), None) else { panic!() };
/// assert_eq!((e.debug.line, e.debug.during.as_str()), (2, "{{ x.y }}"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRenderError {
    /// What kind of error the engine reported (e.g. `undefined value`).
    pub kind: String,
    /// Template, line, message and source context.
    pub debug: Box<TemplateDebug>,
}

impl fmt::Display for TemplateRenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_located(f, &self.debug)
    }
}

impl std::error::Error for TemplateRenderError {}

fn write_located(f: &mut fmt::Formatter<'_>, d: &TemplateDebug) -> fmt::Result {
    f.write_str(&d.message)?;
    match &d.name {
        Some(name) if d.line > 0 => write!(f, " (in {name}, line {})", d.line),
        Some(name) => write!(f, " (in {name})"),
        None if d.line > 0 => write!(f, " (line {})", d.line),
        None => Ok(()),
    }
}

/// Any error of the template layer.
///
/// Each converts into [`crate::Error`] as an internal error (500), as in Django, where these
/// exceptions reach `handler500` (or the DEBUG technical page).
///
/// # Examples
/// ```
/// use nuages::template::{TemplateDoesNotExist, TemplateError};
/// let e = TemplateError::from(TemplateDoesNotExist::new("x.html"));
/// assert!(e.debug().is_none());
/// let err: nuages::Error = e.into();
/// assert_eq!(err.kind(), nuages::ErrorKind::Internal);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TemplateError {
    /// No engine has the template.
    DoesNotExist(TemplateDoesNotExist),
    /// The template does not compile.
    Syntax(TemplateSyntaxError),
    /// Rendering failed.
    Render(TemplateRenderError),
    /// The engine configuration is invalid (Django's `ImproperlyConfigured`,
    /// `InvalidTemplateEngineError`), or an operation is not supported by the backend.
    ImproperlyConfigured(String),
}

impl TemplateError {
    /// Where the error happened in a template, when it comes from one.
    ///
    /// # Examples
    /// ```
    /// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Engines};
    /// let engines = Engines::new([EngineConfig::new(Jinja2Backend)]).unwrap();
    /// let e = engines.get("jinja2").unwrap().from_string("{{").unwrap_err();
    /// assert_eq!(e.debug().unwrap().line, 1);
    /// ```
    pub fn debug(&self) -> Option<&TemplateDebug> {
        match self {
            TemplateError::Syntax(e) => Some(&e.debug),
            TemplateError::Render(e) => Some(&e.debug),
            _ => None,
        }
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateError::DoesNotExist(e) => e.fmt(f),
            TemplateError::Syntax(e) => e.fmt(f),
            TemplateError::Render(e) => e.fmt(f),
            TemplateError::ImproperlyConfigured(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for TemplateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TemplateError::DoesNotExist(e) => Some(e),
            TemplateError::Syntax(e) => Some(e),
            TemplateError::Render(e) => Some(e),
            TemplateError::ImproperlyConfigured(_) => None,
        }
    }
}

impl From<TemplateDoesNotExist> for TemplateError {
    fn from(e: TemplateDoesNotExist) -> Self {
        TemplateError::DoesNotExist(e)
    }
}

impl From<TemplateSyntaxError> for TemplateError {
    fn from(e: TemplateSyntaxError) -> Self {
        TemplateError::Syntax(e)
    }
}

impl From<TemplateRenderError> for TemplateError {
    fn from(e: TemplateRenderError) -> Self {
        TemplateError::Render(e)
    }
}

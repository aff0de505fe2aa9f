//! The equivalent of `django/template/utils.py`: [`Engines`], Django's `EngineHandler` — the
//! configured template engines (the `TEMPLATES` setting), built once.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use indexmap::IndexMap;

use crate::core::checks::CheckMessage;
use crate::template::backends::{app_template_dirs, Backend, EngineConfig, EngineParams, Template};
use crate::template::loader::{self, TemplateName};
use crate::template::{Context, TemplateError};
use crate::{HttpRequest, HttpResponse};

/// The template engines, in `TEMPLATES` order, by alias. Cheap to clone (shared).
///
/// # Examples
/// ```
/// use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
/// use nuages::template::Engines;
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("hi.html"), "Hi {{ who }}").unwrap();
/// let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
/// let ctx = nuages::template::Context::new().with("who", "Bob & Alice");
/// assert_eq!(engines.render_to_string("hi.html", &ctx, None).unwrap(), "Hi Bob &amp; Alice");
/// assert!(engines.get_template("nope.html").is_err());
/// ```
#[derive(Clone)]
pub struct Engines {
    engines: Arc<IndexMap<String, Arc<dyn Backend>>>,
    /// Each engine's `DIRS`, as configured (for [`Engines::check`]).
    dirs: Arc<IndexMap<String, Vec<PathBuf>>>,
}

impl Engines {
    /// Builds every engine of `configs` (no application directories).
    ///
    /// # Errors
    /// [`TemplateError::ImproperlyConfigured`]: duplicate aliases (Django's message), or an
    /// engine that fails to build.
    ///
    /// # Examples
    /// ```
    /// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Engines};
    /// let engines = Engines::new([EngineConfig::new(Jinja2Backend)]).unwrap();
    /// assert_eq!(engines.aliases().collect::<Vec<_>>(), ["jinja2"]);
    /// ```
    pub fn new(configs: impl IntoIterator<Item = EngineConfig>) -> Result<Self, TemplateError> {
        Engines::with_apps(configs, Vec::<PathBuf>::new())
    }

    /// Builds every engine; with `APP_DIRS`, an engine also searches `<app>/<app_dirname>`
    /// for each application directory of `apps` (Django's installed applications), in order.
    ///
    /// # Errors
    /// As [`Engines::new`]; also a backend that has no application directory name while
    /// `APP_DIRS` is on.
    ///
    /// # Examples
    /// ```
    /// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Engines};
    /// let app = tempfile::tempdir().unwrap();
    /// std::fs::create_dir(app.path().join("jinja2")).unwrap();
    /// let engines = Engines::with_apps([EngineConfig::new(Jinja2Backend).app_dirs(true)], [app.path()]).unwrap();
    /// assert_eq!(engines.get("jinja2").unwrap().template_dirs(), [app.path().join("jinja2")]);
    /// ```
    pub fn with_apps<P: Into<PathBuf>>(
        configs: impl IntoIterator<Item = EngineConfig>,
        apps: impl IntoIterator<Item = P>,
    ) -> Result<Self, TemplateError> {
        let apps: Vec<PathBuf> = apps.into_iter().map(Into::into).collect();
        let configs: Vec<EngineConfig> = configs.into_iter().collect();
        let names: Vec<String> = configs
            .iter()
            .map(|c| {
                c.name
                    .clone()
                    .unwrap_or_else(|| c.backend.default_name().to_owned())
            })
            .collect();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for n in &names {
            *counts.entry(n).or_default() += 1;
        }
        let mut duplicates: Vec<&str> = names
            .iter()
            .map(String::as_str)
            .filter(|n| counts[n] > 1)
            .collect();
        duplicates.dedup();
        if !duplicates.is_empty() {
            return Err(TemplateError::ImproperlyConfigured(format!(
                "Template engine aliases aren't unique, duplicates: {}. Set a unique NAME for each engine in settings.TEMPLATES.",
                duplicates.join(", ")
            )));
        }
        let mut engines = IndexMap::new();
        let mut dirs = IndexMap::new();
        for (config, name) in configs.into_iter().zip(names) {
            dirs.insert(name.clone(), config.dirs.clone());
            let mut template_dirs = config.dirs.clone();
            if config.app_dirs {
                let dirname = config.backend.app_dirname().ok_or_else(|| {
                    TemplateError::ImproperlyConfigured(format!(
                        "{:?} doesn't support loading templates from installed applications.",
                        config.backend
                    ))
                })?;
                template_dirs.extend(app_template_dirs(&apps, dirname));
            }
            let engine = config.backend.build(EngineParams {
                name: name.clone(),
                template_dirs,
                options: config.options,
            })?;
            engines.insert(name, engine);
        }
        Ok(Engines {
            engines: Arc::new(engines),
            dirs: Arc::new(dirs),
        })
    }

    /// The system checks of the engines: a `DIRS` entry that is not a directory
    /// (`templates.W900`, see [`crate::core::checks::templates`]). Building the engines does
    /// not fail on it; [`App::builder().build()`](crate::AppBuilder::build) logs it.
    ///
    /// # Examples
    /// ```
    /// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Engines};
    /// let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs(["/no/such/templates"])]).unwrap();
    /// let messages = engines.check();
    /// assert_eq!(messages[0].id.as_deref(), Some("templates.W900"));
    /// assert!(messages[0].msg.contains("'/no/such/templates' of the template engine 'jinja2'"));
    /// ```
    pub fn check(&self) -> Vec<CheckMessage> {
        crate::core::checks::templates::check_template_dirs(self)
    }

    /// Each engine's alias and `DIRS`, in order.
    pub(crate) fn configured_dirs(&self) -> impl Iterator<Item = (&str, &[PathBuf])> + '_ {
        self.dirs.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// The engine named `alias` (`engines[alias]`).
    ///
    /// # Errors
    /// Django's `InvalidTemplateEngineError` as [`TemplateError::ImproperlyConfigured`].
    ///
    /// # Examples
    /// ```
    /// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Engines};
    /// let engines = Engines::new([EngineConfig::new(Jinja2Backend).name("j")]).unwrap();
    /// assert_eq!(engines.get("j").unwrap().name(), "j");
    /// assert!(engines.get("jinja2").is_err());
    /// ```
    pub fn get(&self, alias: &str) -> Result<&Arc<dyn Backend>, TemplateError> {
        self.engines.get(alias).ok_or_else(|| {
            TemplateError::ImproperlyConfigured(format!(
                "Could not find config for '{alias}' in settings.TEMPLATES"
            ))
        })
    }

    /// Every engine, in order (`engines.all()`).
    ///
    /// # Examples
    /// ```
    /// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Engines};
    /// let engines = Engines::new([EngineConfig::new(Jinja2Backend)]).unwrap();
    /// assert_eq!(engines.all().count(), 1);
    /// ```
    pub fn all(&self) -> impl Iterator<Item = &Arc<dyn Backend>> + '_ {
        self.engines.values()
    }

    /// The aliases, in order.
    ///
    /// # Examples
    /// ```
    /// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Engines};
    /// let engines = Engines::new([EngineConfig::new(Jinja2Backend).name("a"), EngineConfig::new(Jinja2Backend).name("b")]).unwrap();
    /// assert_eq!(engines.aliases().collect::<Vec<_>>(), ["a", "b"]);
    /// ```
    pub fn aliases(&self) -> impl Iterator<Item = &str> + '_ {
        self.engines.keys().map(String::as_str)
    }

    /// [`loader::get_template`] over every engine.
    ///
    /// # Errors
    /// As [`loader::get_template`].
    ///
    /// # Examples
    /// ```
    /// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Engines};
    /// let engines = Engines::new([EngineConfig::new(Jinja2Backend)]).unwrap();
    /// assert!(engines.get_template("none.html").is_err());
    /// ```
    pub fn get_template(&self, name: &str) -> Result<Arc<dyn Template>, TemplateError> {
        loader::get_template(self, name, None)
    }

    /// [`loader::select_template`] over every engine.
    ///
    /// # Errors
    /// As [`loader::select_template`].
    ///
    /// # Examples
    /// ```
    /// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Engines};
    /// let engines = Engines::new([EngineConfig::new(Jinja2Backend)]).unwrap();
    /// let e = engines.select_template(&["a.html", "b.html"]).unwrap_err();
    /// assert_eq!(e.to_string(), "a.html, b.html");
    /// ```
    pub fn select_template<S: AsRef<str>>(
        &self,
        names: &[S],
    ) -> Result<Arc<dyn Template>, TemplateError> {
        loader::select_template(self, names, None)
    }

    /// [`loader::render_to_string`] over every engine.
    ///
    /// # Errors
    /// As [`loader::render_to_string`].
    ///
    /// # Examples
    /// ```
    /// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Context, Engines};
    /// let dir = tempfile::tempdir().unwrap();
    /// std::fs::write(dir.path().join("n.txt"), "{{ n + 1 }}").unwrap();
    /// let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// assert_eq!(engines.render_to_string("n.txt", &Context::new().with("n", 1), None).unwrap(), "2");
    /// ```
    pub fn render_to_string(
        &self,
        name: impl Into<TemplateName>,
        context: &Context,
        request: Option<&HttpRequest>,
    ) -> Result<String, TemplateError> {
        loader::render_to_string(self, name, context, request, None)
    }
}

impl Engines {
    /// Django's `django.shortcuts.render(request, template_name, context)`: the template
    /// rendered with the request into a 200 `text/html; charset=utf-8` response.
    ///
    /// # Errors
    /// Loading or rendering errors.
    ///
    /// # Examples
    /// ```
    /// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Context, Engines};
    /// let dir = tempfile::tempdir().unwrap();
    /// std::fs::write(dir.path().join("404.html"), "Not here: {{ request.path }}").unwrap();
    /// let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// let req = nuages::test::RequestFactory::new().get("/gone").build();
    /// let resp = engines.render(&req, "404.html", &Context::new()).unwrap()
    ///     .with_status(http::StatusCode::NOT_FOUND);
    /// assert_eq!((resp.status_code(), resp.content().unwrap()), (404, &b"Not here: /gone"[..]));
    /// ```
    pub fn render(
        &self,
        request: &HttpRequest,
        name: impl Into<TemplateName>,
        context: &Context,
    ) -> Result<HttpResponse, TemplateError> {
        let content = self.render_to_string(name, context, Some(request))?;
        Ok(HttpResponse::new(content))
    }
}

/// The engines of the application, from the request: those of the `App` serving it
/// ([`AppBuilder::templates`](crate::AppBuilder::templates)), or [`Engines`] put in the
/// request's extensions (`request.extensions_mut().insert(engines.clone())`, for a request made
/// without an application).
///
/// # Examples
/// ```
/// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Engines, RequestEnginesExt};
/// let engines = Engines::new([EngineConfig::new(Jinja2Backend)]).unwrap();
/// let mut req = nuages::test::RequestFactory::new().get("/").build();
/// assert!(req.engines().is_none());
/// req.extensions_mut().insert(engines);
/// assert!(req.engines().is_some());
/// ```
pub trait RequestEnginesExt {
    /// The engines the handler attached, if any.
    fn engines(&self) -> Option<&Engines>;
}

impl RequestEnginesExt for HttpRequest {
    fn engines(&self) -> Option<&Engines> {
        self.app_value::<Engines>()
            .or_else(|| self.extensions().get::<Engines>())
    }
}

impl fmt::Debug for Engines {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.engines.keys()).finish()
    }
}

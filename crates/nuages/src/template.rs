//! The equivalent of `django.template`'s multiple-engines half: backends, the loader
//! functions, [`Engines`] (the `TEMPLATES` setting) and template responses.
//!
//! ```
//! use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig, EngineOptions};
//! use nuages::template::{Context, Engines};
//!
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(
//!     dir.path().join("books.html"),
//!     "{% for b in books %}<li>{{ b.title }} ({{ b.published|date(\"Y-m-d\") }})</li>{% endfor %}",
//! ).unwrap();
//! let engines = Engines::new([EngineConfig::new(Jinja2Backend)
//!     .dirs([dir.path()])
//!     .options(EngineOptions { debug: true, ..EngineOptions::default() })])
//! .unwrap();
//! let published = chrono::NaiveDate::from_ymd_opt(2019, 6, 1).unwrap();
//! let book = nuages::template::Value::from_iter([
//!     ("title", nuages::template::Value::from("Rust & Web <Servers>")),
//!     ("published", published.into()),
//! ]);
//! let ctx = Context::new().with("books", vec![book]);
//! assert_eq!(
//!     engines.render_to_string("books.html", &ctx, None).unwrap(),
//!     "<li>Rust &amp; Web &lt;Servers&gt; (2019-06-01)</li>",
//! );
//! ```
//!
//! | Django | nuages |
//! |---|---|
//! | `TEMPLATES = [{"BACKEND": …, "DIRS": …, "APP_DIRS": …, "OPTIONS": …}]` | [`Engines::new`]`([`[`EngineConfig`](backends::EngineConfig)`])` |
//! | `django.template.loader.get_template`, `select_template`, `render_to_string` | [`loader`] |
//! | `django.template.backends.jinja2.Jinja2` | [`backends::jinja2::Jinja2Backend`] |
//! | `TemplateResponse`, `SimpleTemplateResponse` | [`response::TemplateResponse`] |
//! | `TemplateDoesNotExist`, `TemplateSyntaxError` | [`TemplateDoesNotExist`], [`TemplateSyntaxError`] |
//! | `django.shortcuts.render` | [`Engines::render`] |
//! | `django.template.context_processors.static`, `media`, `tz`, `csp` (Django 6.0) | [`context_processors`] |
//!
//! # Wiring into an application
//!
//! The engines are plain values; the application owns them:
//!
//! * build [`Engines`] once at start-up from the `TEMPLATES` equivalent (a list of
//!   [`EngineConfig`](backends::EngineConfig)), with `EngineOptions::debug` = `DEBUG`,
//!   `static_url` = `STATIC_URL`, the context processors, and `Engines::with_apps` for
//!   `APP_DIRS`;
//! * insert a clone into each request's extensions so views reach them through
//!   [`RequestEnginesExt::engines`];
//! * after the view middleware (and `process_template_response`), pass every view response
//!   through [`response::render_lazy_response`], so that views may return
//!   [`TemplateResponse::into_lazy_response`](response::TemplateResponse::into_lazy_response);
//! * a DEBUG technical 500 page can show [`TemplateError::debug`] (template, line, source).

pub mod backends;
mod context;
pub mod context_processors;
pub mod exceptions;
pub mod loader;
pub mod response;
mod utils;

pub use self::context::{Context, SharedObject, TemplateObject, Value};
pub use self::exceptions::{
    TemplateDebug, TemplateDoesNotExist, TemplateError, TemplateRenderError, TemplateSyntaxError,
    Tried,
};
pub use self::utils::{Engines, RequestEnginesExt};

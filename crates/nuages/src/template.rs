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

pub mod backends;
mod context;
pub mod context_processors;
pub mod exceptions;
pub mod loader;
pub mod response;
mod utils;

pub use self::context::{Context, Value};
pub use self::exceptions::{
    TemplateDebug, TemplateDoesNotExist, TemplateError, TemplateRenderError, TemplateSyntaxError,
    Tried,
};
pub use self::utils::Engines;

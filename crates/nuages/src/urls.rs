//! URL routing (↔ `django.urls`): path converters, `path()` / `re_path()` / `include()`,
//! resolving a path to a view and reversing a URL name to a path.
//!
//! A URLconf is a list of [`UrlEntry`] built with [`path`], [`re_path`] and [`include()`], compiled
//! once into a [`Urls`] resolver (↔ `ROOT_URLCONF`; custom converters are registered on
//! [`Urls::builder`], not globally). Every configuration error is reported by that compilation as
//! an [`ImproperlyConfigured`](crate::core::exceptions::ImproperlyConfigured); what is merely
//! suspicious (a duplicate namespace, a name that can never be reversed, a route starting with
//! `/`, …) is reported by [`Urls::check`] as Django's system check warnings.
//!
//! ```
//! use nuages::urls::{include, path, re_path, Urls, Value};
//! use nuages::views::ViewFn;
//!
//! let polls = vec![
//!     path("", ViewFn::named("polls::index")).name("index"),
//!     path("<int:question_id>/", ViewFn::named("polls::detail")).name("detail"),
//! ];
//! let urls = Urls::new(vec![
//!     path("polls/", include(polls).app_name("polls")),
//!     re_path(r"^articles/(?P<year>[0-9]{4})/$", ViewFn::named("articles::year")).name("year"),
//! ])
//! .unwrap();
//!
//! // resolve()
//! let m = urls.resolve("/polls/5/").unwrap();
//! assert_eq!(m.view_name(), "polls:detail");
//! assert_eq!(m.kwarg("question_id"), Some(&Value::Int(5)));
//! assert!(urls.resolve("/polls/five/").is_err());
//!
//! // reverse()
//! let url = nuages::reverse!(urls, "polls:detail", question_id = 5).unwrap();
//! assert_eq!(url, "/polls/5/");
//! assert_eq!(nuages::reverse!(urls, "year", "2024").unwrap(), "/articles/2024/");
//! ```
//!
//! Differences from Django:
//! * `int` parameters are `i64`: a number that does not fit does not match (Python accepts any
//!   size);
//! * regexes use the `regex` crate (no look-around or back-references; `$` only matches at the
//!   very end, where Python's `$` also matches before a final `\n`); Python's `\Z` is accepted;
//! * a pattern whose regex `reverse()` cannot handle (Django raises `ValueError`) is simply never
//!   matched by `reverse()`;
//! * reversing by view function is not supported (URL names only).

pub mod base;
pub mod conf;
pub mod converters;
pub mod exceptions;
pub mod resolvers;

pub use self::base::{RequestUrlsExt, Reverse};
pub use self::conf::{
    include, path, re_path, Include, PathTarget, URLPattern, URLResolver, UrlEntry,
};
pub use self::converters::{ConversionError, Converter, ConverterRegistry, Value};
pub use self::exceptions::{NoReverseMatch, Resolver404};
pub use self::resolvers::{ResolverMatch, UrlKwargs, Urls, UrlsBuilder};

//! The equivalent of `django/template/context_processors.py` for the processors that make
//! sense without the rest of Django: `static`, `media` and `tz`, built from the setting values
//! they read (`STATIC_URL`, `MEDIA_URL`, `TIME_ZONE`).
//!
//! `request`, `csrf_token` and `csrf_input` are always given by the Jinja2 backend when it
//! renders with a request; `debug` (SQL queries) and `i18n` have no counterpart here.

use crate::template::backends::ContextProcessor;
use crate::template::Context;

/// Django's `static` processor: `STATIC_URL` in every context rendered with a request.
///
/// # Examples
/// ```
/// let p = nuages::template::context_processors::static_url("/static/");
/// let req = nuages::test::RequestFactory::new().get("/").build();
/// assert_eq!(p.call(&req).get("STATIC_URL"), Some(&"/static/".into()));
/// ```
pub fn static_url(static_url: impl Into<String>) -> ContextProcessor {
    let url = static_url.into();
    ContextProcessor::new(move |_| Context::new().with("STATIC_URL", url.clone()))
}

/// Django's `media` processor: `MEDIA_URL`.
///
/// # Examples
/// ```
/// let p = nuages::template::context_processors::media_url("/media/");
/// let req = nuages::test::RequestFactory::new().get("/").build();
/// assert_eq!(p.call(&req).get("MEDIA_URL"), Some(&"/media/".into()));
/// ```
pub fn media_url(media_url: impl Into<String>) -> ContextProcessor {
    let url = media_url.into();
    ContextProcessor::new(move |_| Context::new().with("MEDIA_URL", url.clone()))
}

/// Django's `tz` processor: `TIME_ZONE`, the name of the current time zone (the default one:
/// nuages has no per-request activation).
///
/// # Examples
/// ```
/// let p = nuages::template::context_processors::tz("UTC");
/// let req = nuages::test::RequestFactory::new().get("/").build();
/// assert_eq!(p.call(&req).get("TIME_ZONE"), Some(&"UTC".into()));
/// ```
pub fn tz(time_zone: impl Into<String>) -> ContextProcessor {
    let name = time_zone.into();
    ContextProcessor::new(move |_| Context::new().with("TIME_ZONE", name.clone()))
}

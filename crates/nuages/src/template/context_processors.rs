//! The equivalent of `django/template/context_processors.py` for the processors that make
//! sense without the rest of Django: `static`, `media` and `tz`, built from the setting values
//! they read (`STATIC_URL`, `MEDIA_URL`, `TIME_ZONE`), and Django 6.0's `csp` ([`csp`]).
//!
//! `request`, `csrf_token` and `csrf_input` are always given by the Jinja2 backend when it
//! renders with a request; `debug` (SQL queries) and `i18n` have no counterpart here.

use std::sync::Arc;

use crate::template::backends::ContextProcessor;
use crate::template::{Context, TemplateObject, Value};
use crate::utils::csp::LazyNonce;

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

/// Django 6.0's `csp` processor: `csp_nonce`, the request's [`LazyNonce`]
/// ([`RequestCspExt::csp_nonce`](crate::middleware::csp::RequestCspExt::csp_nonce)), or `None`
/// without [`ContentSecurityPolicyMiddleware`](crate::middleware::csp::ContentSecurityPolicyMiddleware).
///
/// Printing it (`<script nonce="{{ csp_nonce }}">`) generates the nonce, so the middleware puts
/// it in the header; `{% if csp_nonce %}` is true only once something generated it, and does
/// not generate it.
///
/// # Examples
/// ```
/// use nuages::middleware::csp::ContentSecurityPolicyMiddleware;
/// use nuages::shortcuts::render;
/// use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig, EngineOptions};
/// use nuages::template::{context_processors, Context};
/// use nuages::utils::csp::{CspPolicy, CSP};
/// use nuages::{urls::path, App, HttpRequest, Result, HttpResponse, Settings};
///
/// # let dir = tempfile::tempdir().unwrap();
/// # std::fs::write(dir.path().join("page.html"), "<script nonce=\"{{ csp_nonce }}\"></script>").unwrap();
/// async fn page(req: HttpRequest) -> Result<HttpResponse> {
///     render(&req, "page.html", Context::new())
/// }
///
/// let app = App::builder()
///     .settings(Settings {
///         debug: true,
///         secure_csp: CspPolicy::new().directive("script-src", [CSP::NONCE]),
///         ..Settings::default()
///     })
///     .templates([EngineConfig::new(Jinja2Backend).dirs([dir.path()]).options(EngineOptions {
///         context_processors: vec![context_processors::csp()],
///         ..EngineOptions::default()
///     })])
///     .middleware(ContentSecurityPolicyMiddleware::new())
///     .urls([path("page", page)])
///     .build()
///     .unwrap();
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let resp = nuages::test::Client::new(app).get("/page").send().await;
/// let nonce = resp.text().split('"').nth(1).unwrap().to_owned();
/// assert_eq!(nonce.len(), 22);
/// assert_eq!(resp.header("content-security-policy").unwrap(), format!("script-src 'nonce-{nonce}'"));
/// # });
/// ```
pub fn csp() -> ContextProcessor {
    ContextProcessor::new(|request| {
        let value = match request.attached().get_arc::<LazyNonce>() {
            Some(nonce) => Value::object(CspNonce(nonce)),
            None => Value::None,
        };
        Context::new().with("csp_nonce", value)
    })
}

/// The `csp_nonce` of a template: the request's [`LazyNonce`] (shared with the middleware).
#[derive(Debug)]
struct CspNonce(Arc<LazyNonce>);

impl TemplateObject for CspNonce {
    fn attr(&self, _name: &str) -> Option<Value> {
        None
    }

    fn to_str(&self) -> String {
        self.0.as_str().to_owned()
    }

    fn is_true(&self) -> bool {
        self.0.is_generated()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::middleware::csp::get_nonce;
    use crate::test::RequestFactory;

    #[test]
    fn csp_nonce_is_lazy() {
        let p = csp();
        let plain = RequestFactory::new().get("/").build();
        assert_eq!(p.call(&plain).get("csp_nonce"), Some(&Value::None));

        let mut req = RequestFactory::new().get("/").build();
        req.attached_mut().insert(Arc::new(LazyNonce::new()));
        let ctx = p.call(&req);
        let Some(Value::Object(obj)) = ctx.get("csp_nonce") else {
            panic!("csp_nonce is an object");
        };
        assert!(!obj.0.is_true());
        assert!(!req.csp_nonce_generated());
        let printed = obj.0.to_str();
        assert!(obj.0.is_true());
        assert_eq!(get_nonce(&req).unwrap().get(), Some(printed.as_str()));
    }

    trait Generated {
        fn csp_nonce_generated(&self) -> bool;
    }

    impl Generated for crate::HttpRequest {
        fn csp_nonce_generated(&self) -> bool {
            get_nonce(self).is_some_and(LazyNonce::is_generated)
        }
    }
}

//! The equivalent of `django/middleware/csp.py` (Django 6.0): [`ContentSecurityPolicyMiddleware`]
//! and the request's nonce ([`RequestCspExt::csp_nonce`], Django's `get_nonce(request)`).

use std::sync::Arc;

use http::header::HeaderName;

use super::{FromSettings, MiddlewareMixin};
use crate::conf::Settings;
use crate::core::exceptions::ImproperlyConfigured;
use crate::http::response::header_value;
use crate::utils::csp::{CspPolicy, LazyNonce, CSP};
use crate::views::decorators::csp::{CspOverride, CspReportOnlyOverride};
use crate::{Error, HttpRequest, HttpResponse};

/// `ContentSecurityPolicyMiddleware`: gives every request a [`LazyNonce`]
/// ([`RequestCspExt::csp_nonce`]) and sets `Content-Security-Policy` from `SECURE_CSP` and
/// `Content-Security-Policy-Report-Only` from `SECURE_CSP_REPORT_ONLY`
/// ([`Settings::secure_csp`], [`Settings::secure_csp_report_only`]) on the way out.
///
/// As Django 6.0's:
/// * an empty policy sends no header (both are empty by default);
/// * a header the response already has is left alone;
/// * the [`csp_override`](crate::views::decorators::csp::csp_override) and
///   [`csp_report_only_override`](crate::views::decorators::csp::csp_report_only_override)
///   decorators (or a [`CspOverride`] / [`CspReportOnlyOverride`] response extension) replace
///   the setting for a response, an empty one disabling the header;
/// * [`CSP::NONCE`] becomes `'nonce-<value>'` only if the nonce was used while handling the
///   request (a template printed `csp_nonce`, the view read it); otherwise it is dropped.
///
/// Both policies are checked when the application is built: one that cannot make a header value
/// is `ImproperlyConfigured`.
///
/// # Examples
/// ```
/// use nuages::middleware::csp::{ContentSecurityPolicyMiddleware, RequestCspExt};
/// use nuages::utils::csp::{CspPolicy, CSP};
/// use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
///
/// async fn page(req: HttpRequest) -> HttpResponse {
///     let nonce = req.csp_nonce().expect("middleware installed");
///     HttpResponse::new(format!("<script nonce=\"{nonce}\"></script>"))
/// }
/// async fn plain(_req: HttpRequest) -> HttpResponse { HttpResponse::new("plain") }
///
/// let app = App::builder()
///     .settings(Settings {
///         debug: true,
///         secure_csp: CspPolicy::new().directive("script-src", [CSP::SELF, CSP::NONCE]),
///         ..Settings::default()
///     })
///     .middleware(ContentSecurityPolicyMiddleware::new())
///     .urls([path("page", page), path("plain", plain)])
///     .build()
///     .unwrap();
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let client = nuages::test::Client::new(app);
/// let resp = client.get("/page").send().await;
/// let nonce = resp.text().split('"').nth(1).unwrap().to_owned();
/// assert_eq!(
///     resp.header("content-security-policy").unwrap(),
///     format!("script-src 'self' 'nonce-{nonce}'")
/// );
/// // The nonce was not used: no nonce in the header.
/// let resp = client.get("/plain").send().await;
/// assert_eq!(resp.header("content-security-policy").as_deref(), Some("script-src 'self'"));
/// assert_eq!(resp.header("content-security-policy-report-only").as_deref(), None);
/// # });
/// ```
#[derive(Debug)]
pub struct ContentSecurityPolicyMiddleware {
    policies: FromSettings<Policies>,
}

/// SECURE_CSP and SECURE_CSP_REPORT_ONLY, checked.
#[derive(Debug)]
struct Policies {
    enforce: Arc<CspPolicy>,
    report_only: Arc<CspPolicy>,
}

fn policies(settings: &Settings) -> Result<Policies, ImproperlyConfigured> {
    let check = |name: &str, policy: &CspPolicy| {
        policy
            .check()
            .map_err(|e| ImproperlyConfigured::new(format!("{name}: {e}")))
    };
    check("SECURE_CSP", &settings.secure_csp)?;
    check("SECURE_CSP_REPORT_ONLY", &settings.secure_csp_report_only)?;
    Ok(Policies {
        enforce: Arc::new(settings.secure_csp.clone()),
        report_only: Arc::new(settings.secure_csp_report_only.clone()),
    })
}

impl Default for ContentSecurityPolicyMiddleware {
    fn default() -> Self {
        ContentSecurityPolicyMiddleware::new()
    }
}

impl ContentSecurityPolicyMiddleware {
    /// The middleware; it reads SECURE_CSP and SECURE_CSP_REPORT_ONLY from the application's
    /// settings.
    pub fn new() -> Self {
        ContentSecurityPolicyMiddleware {
            policies: FromSettings::new(policies),
        }
    }
}

/// Sets `header` from `config` unless `config` is empty or the response has the header.
fn set_policy(
    response: &mut HttpResponse,
    header: HeaderName,
    config: &CspPolicy,
    nonce: &LazyNonce,
) -> Result<(), Error> {
    if config.is_empty() || response.headers().contains_key(&header) {
        return Ok(());
    }
    let value = header_value(&config.build(nonce.get())).map_err(Error::internal)?;
    response.headers_mut().insert(header, value);
    Ok(())
}

impl MiddlewareMixin for ContentSecurityPolicyMiddleware {
    fn configure(&mut self, settings: &Settings) -> Result<(), ImproperlyConfigured> {
        self.policies.configure(settings)
    }

    /// `request._csp_nonce = LazyNonce()`.
    fn process_request(&self, request: &mut HttpRequest) -> Result<Option<HttpResponse>, Error> {
        request.attached_mut().insert(Arc::new(LazyNonce::new()));
        Ok(None)
    }

    fn process_response(
        &self,
        request: &HttpRequest,
        mut response: HttpResponse,
    ) -> Result<HttpResponse, Error> {
        let policies = self.policies.get(request.settings())?;
        let Some(nonce) = request.attached().get::<LazyNonce>() else {
            return Ok(response);
        };
        let enforce = match response.extensions().get::<CspOverride>() {
            Some(o) => Arc::clone(&o.0),
            None => Arc::clone(&policies.enforce),
        };
        let report_only = match response.extensions().get::<CspReportOnlyOverride>() {
            Some(o) => Arc::clone(&o.0),
            None => Arc::clone(&policies.report_only),
        };
        set_policy(&mut response, CSP::HEADER_ENFORCE, &enforce, nonce)?;
        set_policy(&mut response, CSP::HEADER_REPORT_ONLY, &report_only, nonce)?;
        Ok(response)
    }
}

/// Django's `get_nonce(request)` on [`HttpRequest`]: the request's [`LazyNonce`], which
/// [`ContentSecurityPolicyMiddleware`] attached.
///
/// # Examples
/// ```
/// use nuages::middleware::csp::RequestCspExt;
/// let req = nuages::test::RequestFactory::new().get("/").build();
/// assert!(req.csp_nonce().is_none()); // no ContentSecurityPolicyMiddleware ran
/// ```
pub trait RequestCspExt {
    /// The request's nonce, `None` when [`ContentSecurityPolicyMiddleware`] is not installed
    /// (Django's `get_nonce(request)` returns `None` then). Reading its value
    /// ([`LazyNonce::as_str`], printing it) generates it and puts it in the header.
    #[doc(alias = "request._csp_nonce")]
    #[doc(alias = "get_nonce")]
    fn csp_nonce(&self) -> Option<&LazyNonce>;
}

impl RequestCspExt for HttpRequest {
    fn csp_nonce(&self) -> Option<&LazyNonce> {
        get_nonce(self)
    }
}

/// Django's `get_nonce(request)`: [`RequestCspExt::csp_nonce`].
///
/// # Examples
/// ```
/// let req = nuages::test::RequestFactory::new().get("/").build();
/// assert!(nuages::middleware::csp::get_nonce(&req).is_none());
/// ```
pub fn get_nonce(request: &HttpRequest) -> Option<&LazyNonce> {
    request.attached().get::<LazyNonce>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test::RequestFactory;

    #[test]
    fn configure_refuses_bad_policies() {
        let mut mw = ContentSecurityPolicyMiddleware::new();
        let settings = Settings {
            secure_csp_report_only: CspPolicy::new().directive("default-src", "a\r\nb"),
            ..Settings::default()
        };
        let err = mw.configure(&settings).unwrap_err();
        assert!(
            err.message().starts_with("SECURE_CSP_REPORT_ONLY: "),
            "{err}"
        );
        assert!(mw.configure(&Settings::default()).is_ok());
    }

    #[test]
    fn header_set_only_when_missing_and_configured() {
        let nonce = LazyNonce::new();
        let policy = CspPolicy::new().directive("default-src", [CSP::SELF, CSP::NONCE]);
        let mut r = HttpResponse::new("");
        set_policy(&mut r, CSP::HEADER_ENFORCE, &CspPolicy::new(), &nonce).unwrap();
        assert!(r.header("content-security-policy").is_none());
        set_policy(&mut r, CSP::HEADER_ENFORCE, &policy, &nonce).unwrap();
        assert_eq!(
            r.header("content-security-policy").as_deref(),
            Some("default-src 'self'")
        );
        let value = nonce.as_str().to_owned();
        set_policy(&mut r, CSP::HEADER_ENFORCE, &policy, &nonce).unwrap();
        assert_eq!(
            r.header("content-security-policy").as_deref(),
            Some("default-src 'self'")
        );
        set_policy(&mut r, CSP::HEADER_REPORT_ONLY, &policy, &nonce).unwrap();
        assert_eq!(
            r.header("content-security-policy-report-only").unwrap(),
            format!("default-src 'self' 'nonce-{value}'")
        );
    }

    #[test]
    fn nonce_travels_with_the_request() {
        let mut req = RequestFactory::new().get("/").build();
        assert!(req.csp_nonce().is_none());
        req.attached_mut().insert(Arc::new(LazyNonce::new()));
        let fork = req.fork();
        let value = req.csp_nonce().unwrap().as_str().to_owned();
        assert_eq!(fork.csp_nonce().unwrap().get(), Some(value.as_str()));
    }
}

//! The equivalent of `django/views/decorators/csp.py` (Django 6.0): [`csp_override`] and
//! [`csp_report_only_override`].
//!
//! Each puts its policy on the view's responses (Django's `response._csp_config` and
//! `response._csp_ro_config`) as a [`CspOverride`] or [`CspReportOnlyOverride`] extension; the
//! [`ContentSecurityPolicyMiddleware`](crate::middleware::csp::ContentSecurityPolicyMiddleware)
//! uses it instead of `SECURE_CSP` / `SECURE_CSP_REPORT_ONLY`. An empty policy
//! ([`CspPolicy::new()`]) sends no header for that view, as Django's `csp_override({})`.
//!
//! A view may also insert the extension on a response itself, as a Django view may set
//! `response._csp_config`.

use std::sync::Arc;

use crate::utils::csp::CspPolicy;
use crate::views::{IntoViewFn, ViewFn};
use crate::HttpResponse;

/// `response._csp_config`: the policy the middleware sends as `Content-Security-Policy` for
/// this response, instead of `SECURE_CSP` (empty: no header).
///
/// # Examples
/// ```
/// use nuages::utils::csp::{CspPolicy, CSP};
/// use nuages::views::decorators::csp::CspOverride;
/// let mut response = nuages::HttpResponse::new("page");
/// response.extensions_mut().insert(CspOverride::new(CspPolicy::new().directive("default-src", [CSP::NONE])));
/// assert!(response.extensions().get::<CspOverride>().is_some());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CspOverride(pub Arc<CspPolicy>);

/// `response._csp_ro_config`: the policy the middleware sends as
/// `Content-Security-Policy-Report-Only` for this response, instead of
/// `SECURE_CSP_REPORT_ONLY` (empty: no header).
///
/// # Examples
/// ```
/// use nuages::views::decorators::csp::CspReportOnlyOverride;
/// let o = CspReportOnlyOverride::new(nuages::utils::csp::CspPolicy::new());
/// assert!(o.policy().is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CspReportOnlyOverride(pub Arc<CspPolicy>);

impl CspOverride {
    /// The override of `policy`.
    pub fn new(policy: CspPolicy) -> Self {
        CspOverride(Arc::new(policy))
    }

    /// The policy.
    pub fn policy(&self) -> &CspPolicy {
        &self.0
    }
}

impl CspReportOnlyOverride {
    /// The override of `policy`.
    pub fn new(policy: CspPolicy) -> Self {
        CspReportOnlyOverride(Arc::new(policy))
    }

    /// The policy.
    pub fn policy(&self) -> &CspPolicy {
        &self.0
    }
}

/// Both overrides empty: the response gets no CSP header from the middleware (Django 6.0
/// decorates its DEBUG pages, `technical_404_response` and `technical_500_response`, with
/// `csp_override({})` and `csp_report_only_override({})`).
pub(crate) fn exempt_from_csp(response: &mut HttpResponse) {
    response
        .extensions_mut()
        .insert(CspOverride::new(CspPolicy::new()));
    response
        .extensions_mut()
        .insert(CspReportOnlyOverride::new(CspPolicy::new()));
}

fn set_on_responses<M, T: Clone + Send + Sync + 'static>(
    marker: T,
    view: impl IntoViewFn<M>,
) -> ViewFn {
    view.into_view_fn().wrap(move |request, inner| {
        let marker = marker.clone();
        async move {
            let mut response: HttpResponse = inner.call(request).await?;
            response.extensions_mut().insert(marker);
            Ok(response)
        }
    })
}

/// `csp_override(config)`: the view's responses get `config` as their
/// `Content-Security-Policy` instead of `SECURE_CSP`; an empty policy sends none.
///
/// A policy that cannot make a header value (a newline in it) fails each response with
/// `BadHeaderError` (a 500), as in Django; [`CspPolicy::check`] finds it beforehand.
///
/// # Examples
/// ```
/// use nuages::middleware::csp::ContentSecurityPolicyMiddleware;
/// use nuages::utils::csp::{CspPolicy, CSP};
/// use nuages::views::decorators::csp::csp_override;
/// use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
///
/// async fn page(_req: HttpRequest) -> HttpResponse { HttpResponse::new("page") }
///
/// let app = App::builder()
///     .settings(Settings {
///         debug: true,
///         secure_csp: CspPolicy::new().directive("default-src", [CSP::SELF]),
///         ..Settings::default()
///     })
///     .middleware(ContentSecurityPolicyMiddleware::new())
///     .urls([
///         path("images", csp_override(
///             CspPolicy::new().directive("default-src", [CSP::SELF]).directive("img-src", [CSP::SELF, "data:"]),
///             page,
///         )),
///         path("none", csp_override(CspPolicy::new(), page)),
///     ])
///     .build()
///     .unwrap();
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let client = nuages::test::Client::new(app);
/// let resp = client.get("/images").send().await;
/// assert_eq!(resp.header("content-security-policy").as_deref(), Some("default-src 'self'; img-src 'self' data:"));
/// assert_eq!(client.get("/none").send().await.header("content-security-policy").as_deref(), None);
/// # });
/// ```
pub fn csp_override<M>(config: CspPolicy, view: impl IntoViewFn<M>) -> ViewFn {
    set_on_responses(CspOverride::new(config), view)
}

/// `csp_report_only_override(config)`: the view's responses get `config` as their
/// `Content-Security-Policy-Report-Only` instead of `SECURE_CSP_REPORT_ONLY`; an empty
/// policy sends none.
///
/// # Examples
/// ```
/// use nuages::utils::csp::{CspPolicy, CSP};
/// use nuages::views::decorators::csp::{csp_report_only_override, CspReportOnlyOverride};
/// use nuages::{HttpRequest, HttpResponse};
///
/// async fn page(_req: HttpRequest) -> HttpResponse { HttpResponse::new("page") }
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let view = csp_report_only_override(CspPolicy::new().directive("default-src", [CSP::NONE]), page);
/// let resp = view.call(nuages::test::RequestFactory::new().get("/").build()).await.unwrap();
/// let o = resp.extensions().get::<CspReportOnlyOverride>().unwrap();
/// assert_eq!(o.policy().build(None), "default-src 'none'");
/// # });
/// ```
pub fn csp_report_only_override<M>(config: CspPolicy, view: impl IntoViewFn<M>) -> ViewFn {
    set_on_responses(CspReportOnlyOverride::new(config), view)
}

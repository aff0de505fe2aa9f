//! The equivalent of `django/middleware/security.py`.

use http::header::{HeaderName, HeaderValue};

use super::{FromSettings, MiddlewareMixin};
use crate::conf::Settings;
use crate::core::exceptions::ImproperlyConfigured;
use crate::{Error, HttpRequest, HttpResponse};

/// `SecurityMiddleware`: HTTPS redirect (SECURE_SSL_REDIRECT, SECURE_SSL_HOST,
/// SECURE_REDIRECT_EXEMPT), HSTS on secure requests, `X-Content-Type-Options: nosniff`,
/// `Referrer-Policy` and `Cross-Origin-Opener-Policy` — each header only if not already set.
/// It reads the `SECURE_*` settings of the application.
#[derive(Debug)]
pub struct SecurityMiddleware {
    config: FromSettings<Config>,
}

impl Default for SecurityMiddleware {
    fn default() -> Self {
        SecurityMiddleware::new()
    }
}

#[derive(Debug)]
struct Config {
    sts: Option<HeaderValue>,
    nosniff: bool,
    referrer_policy: Option<HeaderValue>,
    coop: Option<HeaderValue>,
    redirect: bool,
    redirect_host: Option<String>,
    redirect_exempt: Vec<fancy_regex::Regex>,
}

static REFERRER_POLICY: HeaderName = HeaderName::from_static("referrer-policy");
static COOP: HeaderName = HeaderName::from_static("cross-origin-opener-policy");

impl SecurityMiddleware {
    /// The middleware.
    pub fn new() -> Self {
        SecurityMiddleware {
            config: FromSettings::new(Config::new),
        }
    }
}

impl Config {
    /// Django's `__init__`: reads the settings.
    fn new(settings: &Settings) -> Result<Self, ImproperlyConfigured> {
        let bad = |what: &str| ImproperlyConfigured::new(format!("invalid {what}"));
        let sts = if settings.secure_hsts_seconds > 0 {
            let mut v = format!("max-age={}", settings.secure_hsts_seconds);
            if settings.secure_hsts_include_subdomains {
                v.push_str("; includeSubDomains");
            }
            if settings.secure_hsts_preload {
                v.push_str("; preload");
            }
            Some(HeaderValue::from_str(&v).map_err(|_| bad("SECURE_HSTS_SECONDS"))?)
        } else {
            None
        };
        // Django tests these settings for truthiness: an empty string disables them.
        let non_empty = |o: &Option<String>| o.as_ref().filter(|s| !s.is_empty()).cloned();
        let referrer_policy = match &non_empty(&settings.secure_referrer_policy) {
            Some(p) => {
                let joined = p.split(',').map(str::trim).collect::<Vec<_>>().join(",");
                Some(HeaderValue::from_str(&joined).map_err(|_| bad("SECURE_REFERRER_POLICY"))?)
            }
            None => None,
        };
        let coop = match &non_empty(&settings.secure_cross_origin_opener_policy) {
            Some(p) => Some(
                HeaderValue::from_str(p).map_err(|_| bad("SECURE_CROSS_ORIGIN_OPENER_POLICY"))?,
            ),
            None => None,
        };
        let redirect_exempt = settings
            .secure_redirect_exempt
            .iter()
            .map(|r| {
                fancy_regex::Regex::new(r).map_err(|e| {
                    ImproperlyConfigured::new(format!(
                        "invalid SECURE_REDIRECT_EXEMPT pattern {r:?}: {e}"
                    ))
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Config {
            sts,
            nosniff: settings.secure_content_type_nosniff,
            referrer_policy,
            coop,
            redirect: settings.secure_ssl_redirect,
            redirect_host: non_empty(&settings.secure_ssl_host),
            redirect_exempt,
        })
    }

    fn process_request(&self, request: &HttpRequest) -> Result<Option<HttpResponse>, Error> {
        if !self.redirect || request.is_secure() {
            return Ok(None);
        }
        let full = request.path();
        let path = full.trim_start_matches('/');
        if self
            .redirect_exempt
            .iter()
            .any(|p| p.is_match(path).unwrap_or(false))
        {
            return Ok(None);
        }
        let host = match &self.redirect_host {
            Some(h) => h.clone(),
            None => request.get_host()?,
        };
        Ok(Some(HttpResponse::permanent_redirect(&format!(
            "https://{host}{}",
            request.get_full_path()
        ))?))
    }

    fn process_response(&self, secure: bool, response: &mut HttpResponse) {
        use http::header::Entry;
        let headers = response.headers_mut();
        if let Some(sts) = &self.sts {
            if secure {
                if let Entry::Vacant(slot) = headers.entry(http::header::STRICT_TRANSPORT_SECURITY)
                {
                    slot.insert(sts.clone());
                }
            }
        }
        if self.nosniff {
            if let Entry::Vacant(slot) = headers.entry(http::header::X_CONTENT_TYPE_OPTIONS) {
                slot.insert(HeaderValue::from_static("nosniff"));
            }
        }
        if let Some(rp) = &self.referrer_policy {
            if let Entry::Vacant(slot) = headers.entry(&REFERRER_POLICY) {
                slot.insert(rp.clone());
            }
        }
        if let Some(coop) = &self.coop {
            if let Entry::Vacant(slot) = headers.entry(&COOP) {
                slot.insert(coop.clone());
            }
        }
    }
}

impl MiddlewareMixin for SecurityMiddleware {
    fn configure(&mut self, settings: &Settings) -> Result<(), ImproperlyConfigured> {
        self.config.configure(settings)
    }

    fn process_request(&self, request: &mut HttpRequest) -> Result<Option<HttpResponse>, Error> {
        self.config
            .get(request.settings())?
            .process_request(request)
    }

    fn process_response(
        &self,
        request: &HttpRequest,
        mut response: HttpResponse,
    ) -> Result<HttpResponse, Error> {
        let config = self.config.get(request.settings())?;
        config.process_response(request.is_secure(), &mut response);
        Ok(response)
    }
}

//! The Origin and Referer checks of `CsrfViewMiddleware` (`_origin_verified`,
//! `_check_referer`) and the cached views of CSRF_TRUSTED_ORIGINS they use.

use std::collections::{HashMap, HashSet};

use super::reasons::{
    REASON_BAD_REFERER, REASON_INSECURE_REFERER, REASON_MALFORMED_REFERER, REASON_NO_REFERER,
};
use super::Config;
use crate::core::exceptions::ImproperlyConfigured;
use crate::utils::http::is_same_domain;
use crate::HttpRequest;
use nuages_py::urllib_parse::{clean, urlsplit};

/// Django's cached properties over CSRF_TRUSTED_ORIGINS.
#[derive(Debug, Default)]
pub(super) struct TrustedOrigins {
    /// `csrf_trusted_origins_hosts`: every origin's netloc without leading `*`.
    hosts: Vec<String>,
    /// `allowed_origins_exact`: the origins without `*`, verbatim.
    exact: HashSet<String>,
    /// `allowed_origin_subdomains`: scheme → netlocs (leading `*` stripped) of wildcard origins.
    subdomains: HashMap<String, Vec<String>>,
}

impl TrustedOrigins {
    pub(super) fn new(origins: &[String]) -> Result<Self, ImproperlyConfigured> {
        let mut t = TrustedOrigins::default();
        for origin in origins {
            // Django's system check `4_0.E001`.
            if !origin.contains("://") {
                return Err(ImproperlyConfigured::new(format!(
                    "As of Django 4.0, the values in the CSRF_TRUSTED_ORIGINS setting must start with a scheme (usually http:// or https://) but found {origin}. See the release notes for details."
                )));
            }
            let cleaned = clean(origin);
            let parsed = urlsplit(&cleaned, "").map_err(|e| {
                ImproperlyConfigured::new(format!(
                    "invalid CSRF_TRUSTED_ORIGINS entry {origin:?}: {e}"
                ))
            })?;
            let host = parsed.netloc.trim_start_matches('*').to_owned();
            if origin.contains('*') {
                t.subdomains
                    .entry(parsed.scheme.into_owned())
                    .or_default()
                    .push(host.clone());
            } else {
                t.exact.insert(origin.clone());
            }
            t.hosts.push(host);
        }
        Ok(t)
    }

    /// `_origin_verified(request)` for the request's `Origin` header value.
    pub(super) fn origin_verified(&self, request: &HttpRequest, request_origin: &str) -> bool {
        if let Ok(good_host) = request.get_host() {
            let scheme = if request.is_secure() { "https" } else { "http" };
            let good = request_origin.len() == scheme.len() + 3 + good_host.len()
                && request_origin.starts_with(scheme)
                && request_origin[scheme.len()..].starts_with("://")
                && request_origin.ends_with(good_host.as_str());
            if good {
                return true;
            }
        }
        if self.exact.contains(request_origin) {
            return true;
        }
        let cleaned = clean(request_origin);
        let Ok(parsed) = urlsplit(&cleaned, "") else {
            return false;
        };
        self.subdomains
            .get(&*parsed.scheme)
            .is_some_and(|hosts| hosts.iter().any(|h| is_same_domain(parsed.netloc, h)))
    }

    /// `_check_referer(request)`: `Err(reason)` when the request must be rejected.
    pub(super) fn check_referer(
        &self,
        request: &HttpRequest,
        config: &Config,
    ) -> Result<(), String> {
        let Some(referer) = request.header(http::header::REFERER) else {
            return Err(REASON_NO_REFERER.to_owned());
        };
        let cleaned = clean(&referer);
        let Ok(parsed) = urlsplit(&cleaned, "") else {
            return Err(REASON_MALFORMED_REFERER.to_owned());
        };
        if parsed.scheme.is_empty() || parsed.netloc.is_empty() {
            return Err(REASON_MALFORMED_REFERER.to_owned());
        }
        if parsed.scheme != "https" {
            return Err(REASON_INSECURE_REFERER.to_owned());
        }
        if self.hosts.iter().any(|h| is_same_domain(parsed.netloc, h)) {
            return Ok(());
        }
        // `referer.geturl()`: scheme is `https` and the netloc is not empty here, so
        // `urlunsplit` gives back these parts.
        let bad = || {
            let mut url = format!("https://{}{}", parsed.netloc, parsed.path);
            if !parsed.query.is_empty() {
                url.push('?');
                url.push_str(parsed.query);
            }
            if !parsed.fragment.is_empty() {
                url.push('#');
                url.push_str(parsed.fragment);
            }
            REASON_BAD_REFERER.replacen("%s", &url, 1)
        };
        let good_referer = match &config.cookie_domain {
            // Allow matching the current host:port exactly if it's permitted by ALLOWED_HOSTS.
            None => request.get_host().map_err(|_| bad())?,
            Some(domain) => {
                let port = request.get_port();
                if port != "443" && port != "80" {
                    format!("{domain}:{port}")
                } else {
                    domain.clone()
                }
            }
        };
        if is_same_domain(parsed.netloc, &good_referer) {
            Ok(())
        } else {
            Err(bad())
        }
    }
}

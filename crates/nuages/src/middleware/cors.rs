//! The CORS middleware of django-cors-headers (`corsheaders.middleware.CorsMiddleware`), with
//! its settings and exact behaviour.

use http::header::{HeaderName, HeaderValue};
use http::Method;

use super::{Middleware, Next};
use crate::core::exceptions::ImproperlyConfigured;
use crate::utils::cache::patch_vary_headers;
use crate::views::BoxFuture;
use crate::{Error, HttpRequest, HttpResponse};

static ALLOW_ORIGIN: HeaderName = HeaderName::from_static("access-control-allow-origin");
static EXPOSE_HEADERS: HeaderName = HeaderName::from_static("access-control-expose-headers");
static ALLOW_CREDENTIALS: HeaderName = HeaderName::from_static("access-control-allow-credentials");
static ALLOW_HEADERS: HeaderName = HeaderName::from_static("access-control-allow-headers");
static ALLOW_METHODS: HeaderName = HeaderName::from_static("access-control-allow-methods");
static MAX_AGE: HeaderName = HeaderName::from_static("access-control-max-age");
static REQUEST_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-request-private-network");
static ALLOW_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-allow-private-network");

/// `CorsMiddleware`, configured with django-cors-headers' settings (defaults as in
/// `corsheaders.defaults`).
///
/// # Examples
/// ```
/// use nuages::middleware::cors::CorsMiddleware;
/// let cors = CorsMiddleware::builder()
///     .allowed_origins(["https://example.com", "http://localhost:8080"])
///     .build()
///     .unwrap();
/// # let _ = cors;
/// ```
#[derive(Debug, Clone)]
pub struct CorsMiddleware {
    allowed_origins: Vec<(String, String)>,
    allow_null_origin: bool,
    origin_regexes: Vec<regex::Regex>,
    allow_all_origins: bool,
    allow_credentials: bool,
    allow_private_network: bool,
    allow_headers: HeaderValue,
    allow_methods: HeaderValue,
    expose_headers: Option<HeaderValue>,
    preflight_max_age: Option<HeaderValue>,
    urls_regex: regex::Regex,
}

/// Builder for [`CorsMiddleware`] (`CORS_*` settings).
#[derive(Debug, Clone)]
pub struct CorsBuilder {
    allowed_origins: Vec<String>,
    origin_regexes: Vec<String>,
    allow_all_origins: bool,
    allow_credentials: bool,
    allow_private_network: bool,
    allow_headers: Vec<String>,
    allow_methods: Vec<String>,
    expose_headers: Vec<String>,
    preflight_max_age: u64,
    urls_regex: String,
}

impl Default for CorsBuilder {
    fn default() -> Self {
        CorsBuilder {
            allowed_origins: Vec::new(),
            origin_regexes: Vec::new(),
            allow_all_origins: false,
            allow_credentials: false,
            allow_private_network: false,
            allow_headers: [
                "accept",
                "authorization",
                "content-type",
                "user-agent",
                "x-csrftoken",
                "x-requested-with",
            ]
            .map(String::from)
            .to_vec(),
            allow_methods: ["DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT"]
                .map(String::from)
                .to_vec(),
            expose_headers: Vec::new(),
            preflight_max_age: 86400,
            urls_regex: "^.*$".to_owned(),
        }
    }
}

fn strs<I, S>(items: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    items.into_iter().map(Into::into).collect()
}

impl CorsBuilder {
    /// `CORS_ALLOWED_ORIGINS`.
    pub fn allowed_origins<I: IntoIterator<Item = S>, S: Into<String>>(mut self, o: I) -> Self {
        self.allowed_origins = strs(o);
        self
    }
    /// `CORS_ALLOWED_ORIGIN_REGEXES` (matched at the start of the origin, like `re.match`).
    pub fn allowed_origin_regexes<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        r: I,
    ) -> Self {
        self.origin_regexes = strs(r);
        self
    }
    /// `CORS_ALLOW_ALL_ORIGINS`.
    pub fn allow_all_origins(mut self, on: bool) -> Self {
        self.allow_all_origins = on;
        self
    }
    /// `CORS_ALLOW_CREDENTIALS`.
    pub fn allow_credentials(mut self, on: bool) -> Self {
        self.allow_credentials = on;
        self
    }
    /// `CORS_ALLOW_PRIVATE_NETWORK`.
    pub fn allow_private_network(mut self, on: bool) -> Self {
        self.allow_private_network = on;
        self
    }
    /// `CORS_ALLOW_HEADERS`.
    pub fn allow_headers<I: IntoIterator<Item = S>, S: Into<String>>(mut self, h: I) -> Self {
        self.allow_headers = strs(h);
        self
    }
    /// `CORS_ALLOW_METHODS`.
    pub fn allow_methods<I: IntoIterator<Item = S>, S: Into<String>>(mut self, m: I) -> Self {
        self.allow_methods = strs(m);
        self
    }
    /// `CORS_EXPOSE_HEADERS`.
    pub fn expose_headers<I: IntoIterator<Item = S>, S: Into<String>>(mut self, h: I) -> Self {
        self.expose_headers = strs(h);
        self
    }
    /// `CORS_PREFLIGHT_MAX_AGE` (0 = no header).
    pub fn preflight_max_age(mut self, seconds: u64) -> Self {
        self.preflight_max_age = seconds;
        self
    }
    /// `CORS_URLS_REGEX` (matched at the start of `path_info`).
    pub fn urls_regex(mut self, r: impl Into<String>) -> Self {
        self.urls_regex = r.into();
        self
    }

    /// Builds the middleware.
    ///
    /// # Errors
    /// An invalid regex or header value.
    pub fn build(self) -> Result<CorsMiddleware, ImproperlyConfigured> {
        let anchored = |r: &str| {
            regex::Regex::new(&format!("^(?:{r})"))
                .map_err(|e| ImproperlyConfigured::new(format!("invalid CORS regex {r:?}: {e}")))
        };
        let hv = |s: String, what: &str| {
            HeaderValue::from_str(&s)
                .map_err(|_| ImproperlyConfigured::new(format!("invalid {what}")))
        };
        let mut allow_null_origin = false;
        let mut allowed_origins = Vec::new();
        for o in &self.allowed_origins {
            if o == "null" {
                allow_null_origin = true;
            }
            let (scheme, netloc) = split_origin(o).unwrap_or_default();
            allowed_origins.push((scheme, netloc));
        }
        Ok(CorsMiddleware {
            allowed_origins,
            allow_null_origin,
            origin_regexes: self
                .origin_regexes
                .iter()
                .map(|r| anchored(r))
                .collect::<Result<_, _>>()?,
            allow_all_origins: self.allow_all_origins,
            allow_credentials: self.allow_credentials,
            allow_private_network: self.allow_private_network,
            allow_headers: hv(self.allow_headers.join(", "), "CORS_ALLOW_HEADERS")?,
            allow_methods: hv(self.allow_methods.join(", "), "CORS_ALLOW_METHODS")?,
            expose_headers: if self.expose_headers.is_empty() {
                None
            } else {
                Some(hv(self.expose_headers.join(", "), "CORS_EXPOSE_HEADERS")?)
            },
            preflight_max_age: (self.preflight_max_age > 0)
                .then(|| HeaderValue::from(self.preflight_max_age)),
            urls_regex: anchored(&self.urls_regex)?,
        })
    }
}

/// `urllib.parse.urlsplit(origin)`'s `(scheme, netloc)`; `None` where Python raises ValueError.
fn split_origin(origin: &str) -> Option<(String, String)> {
    let (scheme, rest) = match origin.find(':') {
        Some(i)
            if i > 0
                && origin.as_bytes()[0].is_ascii_alphabetic()
                && origin[..i]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')) =>
        {
            (origin[..i].to_ascii_lowercase(), &origin[i + 1..])
        }
        _ => (String::new(), origin),
    };
    let netloc = match rest.strip_prefix("//") {
        Some(r) => {
            let end = r.find(['/', '?', '#']).unwrap_or(r.len());
            &r[..end]
        }
        None => "",
    };
    // Python rejects unbalanced IPv6 brackets.
    if netloc.contains('[') != netloc.contains(']') {
        return None;
    }
    Some((scheme, netloc.to_owned()))
}

impl CorsMiddleware {
    /// A builder with django-cors-headers' defaults.
    pub fn builder() -> CorsBuilder {
        CorsBuilder::default()
    }

    fn origin_allowed(&self, origin: &str, scheme: &str, netloc: &str) -> bool {
        (origin == "null" && self.allow_null_origin)
            || self
                .allowed_origins
                .iter()
                .any(|(s, n)| s == scheme && n == netloc)
            || self.origin_regexes.iter().any(|r| r.is_match(origin))
    }

    fn add_response_headers(
        &self,
        method: &Method,
        origin: Option<&str>,
        private_network: bool,
        response: &mut HttpResponse,
    ) {
        // Only fails if an existing Vary value is not valid text; then it is left alone.
        let _ = patch_vary_headers(response.headers_mut(), &["origin"]);
        let Some(origin) = origin.filter(|o| !o.is_empty()) else {
            return;
        };
        let Some((scheme, netloc)) = split_origin(origin) else {
            return;
        };
        if !self.allow_all_origins && !self.origin_allowed(origin, &scheme, &netloc) {
            return;
        }
        let headers = response.headers_mut();
        if self.allow_all_origins && !self.allow_credentials {
            headers.insert(ALLOW_ORIGIN.clone(), HeaderValue::from_static("*"));
        } else if let Ok(v) = crate::http::response::header_value(origin) {
            headers.insert(ALLOW_ORIGIN.clone(), v);
        }
        if self.allow_credentials {
            headers.insert(ALLOW_CREDENTIALS.clone(), HeaderValue::from_static("true"));
        }
        if let Some(e) = &self.expose_headers {
            headers.insert(EXPOSE_HEADERS.clone(), e.clone());
        }
        if method == Method::OPTIONS {
            headers.insert(ALLOW_HEADERS.clone(), self.allow_headers.clone());
            headers.insert(ALLOW_METHODS.clone(), self.allow_methods.clone());
            if let Some(m) = &self.preflight_max_age {
                headers.insert(MAX_AGE.clone(), m.clone());
            }
        }
        if self.allow_private_network && private_network {
            headers.insert(
                ALLOW_PRIVATE_NETWORK.clone(),
                HeaderValue::from_static("true"),
            );
        }
    }
}

impl Middleware for CorsMiddleware {
    fn call<'a>(
        &'a self,
        request: HttpRequest,
        next: Next,
    ) -> BoxFuture<'a, Result<HttpResponse, Error>> {
        Box::pin(async move {
            let enabled = self.urls_regex.is_match(request.path_info());
            if !enabled {
                return Ok(next.run(request).await);
            }
            let method = request.method().clone();
            let origin = request.header("origin").map(|o| o.into_owned());
            let private_network =
                request.header(REQUEST_PRIVATE_NETWORK.as_str()).as_deref() == Some("true");
            let preflight = method == Method::OPTIONS
                && request
                    .headers()
                    .contains_key("access-control-request-method");
            let mut response = if preflight {
                let mut r = HttpResponse::empty();
                r.headers_mut()
                    .insert(http::header::CONTENT_LENGTH, HeaderValue::from_static("0"));
                r
            } else {
                next.run(request).await
            };
            self.add_response_headers(&method, origin.as_deref(), private_network, &mut response);
            Ok(response)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(
            split_origin("https://example.com"),
            Some(("https".into(), "example.com".into()))
        );
        assert_eq!(
            split_origin("HTTPS://Example.com/"),
            Some(("https".into(), "Example.com".into()))
        );
        assert_eq!(split_origin("null"), Some((String::new(), String::new())));
        assert_eq!(split_origin("http://[::1"), None);
    }
}

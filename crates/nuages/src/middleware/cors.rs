//! The CORS middleware of django-cors-headers (`corsheaders.middleware.CorsMiddleware`), with
//! its settings and exact behaviour.

use http::header::{HeaderName, HeaderValue};
use http::Method;

use super::{FromSettings, MiddlewareMixin};
use crate::conf::Settings;
use crate::core::exceptions::ImproperlyConfigured;
use crate::utils::cache::patch_vary_static;
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

/// `CorsMiddleware`, configured by django-cors-headers' settings (`CORS_ALLOWED_ORIGINS`,
/// `CORS_ALLOW_CREDENTIALS`, …, defaults as in `corsheaders.defaults`) on the application's
/// [`Settings`].
///
/// # Examples
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use nuages::middleware::cors::CorsMiddleware;
/// use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
///
/// async fn api(_req: HttpRequest) -> HttpResponse { HttpResponse::new("{}") }
/// let app = App::builder()
///     .settings(Settings {
///         debug: true,
///         cors_allowed_origins: vec!["https://example.com".into()],
///         ..Settings::default()
///     })
///     .middleware(CorsMiddleware::new())
///     .urls([path("api", api)])
///     .build()
///     .unwrap();
/// let resp = nuages::test::Client::new(app)
///     .get("/api")
///     .header("Origin", "https://example.com")
///     .send()
///     .await;
/// assert_eq!(resp.header("access-control-allow-origin").as_deref(), Some("https://example.com"));
/// # });
/// ```
#[derive(Debug)]
pub struct CorsMiddleware {
    config: FromSettings<Config>,
}

impl Default for CorsMiddleware {
    fn default() -> Self {
        CorsMiddleware::new()
    }
}

#[derive(Debug)]
struct Config {
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
    /// CORS_URLS_REGEX is the default `^.*$`, which every path matches.
    all_urls: bool,
}

impl Config {
    /// Reads the `CORS_*` settings.
    fn new(s: &Settings) -> Result<Config, ImproperlyConfigured> {
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
        for o in &s.cors_allowed_origins {
            if o == "null" {
                allow_null_origin = true;
            }
            let (scheme, netloc) = split_origin(o).unwrap_or_default();
            allowed_origins.push((scheme, netloc));
        }
        Ok(Config {
            allowed_origins,
            allow_null_origin,
            origin_regexes: s
                .cors_allowed_origin_regexes
                .iter()
                .map(|r| anchored(r))
                .collect::<Result<_, _>>()?,
            allow_all_origins: s.cors_allow_all_origins,
            allow_credentials: s.cors_allow_credentials,
            allow_private_network: s.cors_allow_private_network,
            allow_headers: hv(s.cors_allow_headers.join(", "), "CORS_ALLOW_HEADERS")?,
            allow_methods: hv(s.cors_allow_methods.join(", "), "CORS_ALLOW_METHODS")?,
            expose_headers: if s.cors_expose_headers.is_empty() {
                None
            } else {
                Some(hv(s.cors_expose_headers.join(", "), "CORS_EXPOSE_HEADERS")?)
            },
            preflight_max_age: (s.cors_preflight_max_age > 0)
                .then(|| HeaderValue::from(s.cors_preflight_max_age)),
            urls_regex: anchored(&s.cors_urls_regex)?,
            all_urls: s.cors_urls_regex == "^.*$",
        })
    }
}

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
    /// The middleware; it reads the `CORS_*` settings of the application.
    pub fn new() -> Self {
        CorsMiddleware {
            config: FromSettings::new(Config::new),
        }
    }
}

impl Config {
    fn origin_allowed(&self, origin: &str, scheme: &str, netloc: &str) -> bool {
        (origin == "null" && self.allow_null_origin)
            || self
                .allowed_origins
                .iter()
                .any(|(s, n)| s == scheme && n == netloc)
            || self.origin_regexes.iter().any(|r| r.is_match(origin))
    }

    fn add_response_headers(&self, request: &HttpRequest, response: &mut HttpResponse) {
        // Only fails if an existing Vary value is not valid text; then it is left alone.
        let _ = patch_vary_static(response.headers_mut(), "origin");
        let origin = request.header(http::header::ORIGIN);
        let Some(origin) = origin.as_deref().filter(|o| !o.is_empty()) else {
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
        if request.method() == Method::OPTIONS {
            headers.insert(ALLOW_HEADERS.clone(), self.allow_headers.clone());
            headers.insert(ALLOW_METHODS.clone(), self.allow_methods.clone());
            if let Some(m) = &self.preflight_max_age {
                headers.insert(MAX_AGE.clone(), m.clone());
            }
        }
        if self.allow_private_network
            && request.header(&REQUEST_PRIVATE_NETWORK).as_deref() == Some("true")
        {
            headers.insert(
                ALLOW_PRIVATE_NETWORK.clone(),
                HeaderValue::from_static("true"),
            );
        }
    }
}

impl Config {
    /// `is_enabled(request)`: the path matches CORS_URLS_REGEX.
    fn is_enabled(&self, request: &HttpRequest) -> bool {
        self.all_urls || self.urls_regex.is_match(request.path_info())
    }
}

impl MiddlewareMixin for CorsMiddleware {
    fn configure(&mut self, settings: &Settings) -> Result<(), ImproperlyConfigured> {
        self.config.configure(settings)
    }

    /// `check_preflight(request)`: a preflight request is answered here, with an empty body.
    fn process_request(&self, request: &mut HttpRequest) -> Result<Option<HttpResponse>, Error> {
        let config = self.config.get(request.settings())?;
        let preflight = *request.method() == Method::OPTIONS
            && request
                .headers()
                .contains_key("access-control-request-method");
        if !preflight || !config.is_enabled(request) {
            return Ok(None);
        }
        let mut r = HttpResponse::empty();
        r.headers_mut()
            .insert(http::header::CONTENT_LENGTH, HeaderValue::from_static("0"));
        Ok(Some(r))
    }

    fn process_response(
        &self,
        request: &HttpRequest,
        mut response: HttpResponse,
    ) -> Result<HttpResponse, Error> {
        let config = self.config.get(request.settings())?;
        if !config.is_enabled(request) {
            return Ok(response);
        }
        config.add_response_headers(request, &mut response);
        Ok(response)
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

    /// `Access-Control-Allow-Private-Network: true` answers a request asking for it, only with
    /// CORS_ALLOW_PRIVATE_NETWORK and an allowed origin (django-cors-headers 4).
    #[tokio::test]
    async fn private_network_only_when_allowed_and_asked() {
        use crate::urls::path;

        async fn api(_req: HttpRequest) -> HttpResponse {
            HttpResponse::new("{}")
        }
        let client = |allow: bool| {
            let app = crate::App::builder()
                .settings(Settings {
                    debug: true,
                    cors_allowed_origins: vec!["https://example.com".into()],
                    cors_allow_private_network: allow,
                    ..Settings::default()
                })
                .middleware(CorsMiddleware::new())
                .urls([path("api", api)])
                .build()
                .expect("app builds");
            crate::test::Client::new(app)
        };
        let answer = |allow: bool, origin: &'static str, asked: &'static str| async move {
            let response = client(allow)
                .get("/api")
                .header("Origin", origin)
                .header("Access-Control-Request-Private-Network", asked)
                .send()
                .await;
            response
                .header("access-control-allow-private-network")
                .map(str::to_owned)
        };
        assert_eq!(
            answer(true, "https://example.com", "true").await.as_deref(),
            Some("true")
        );
        assert_eq!(answer(true, "https://example.com", "false").await, None);
        assert_eq!(answer(true, "https://other.example", "true").await, None);
        assert_eq!(answer(false, "https://example.com", "true").await, None);
    }
}

//! The equivalent of `django/middleware/common.py`.

use http::header::CONTENT_LENGTH;
use http::Method;

use super::{FromSettings, MiddlewareMixin};
use crate::conf::Settings;
use crate::core::exceptions::{ImproperlyConfigured, PermissionDenied};
use crate::http::response::content_length_value;
use crate::urls::RequestUrlsExt;
use crate::utils::http::escape_leading_slashes;
use crate::{Error, HttpRequest, HttpResponse};

/// `CommonMiddleware`: refuses the User-Agents of DISALLOWED_USER_AGENTS (403), validates the
/// host (`get_host()`, so a bad Host is a 400 here), PREPEND_WWW (a host without `www.` gets a
/// 301 to `scheme://www.host/path`, with the slash of APPEND_SLASH in the same redirect),
/// APPEND_SLASH (a 404 whose path plus `/` resolves becomes a 301 to it) and `Content-Length`
/// on non-streaming responses.
///
/// # Examples
/// ```
/// use nuages::middleware::common::CommonMiddleware;
/// use nuages::test::Client;
/// use nuages::urls::path;
/// use nuages::{App, HttpRequest, HttpResponse, Settings};
///
/// async fn home(_: HttpRequest) -> HttpResponse { HttpResponse::new("home") }
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let app = App::builder()
///     .settings(Settings {
///         allowed_hosts: vec!["example.com".into(), "www.example.com".into()],
///         prepend_www: true,
///         disallowed_user_agents: vec!["^BadBot".into()],
///         secret_key: "x".into(),
///         ..Settings::default()
///     })
///     .middleware(CommonMiddleware::new())
///     .urls([path("home/", home)])
///     .build()
///     .unwrap();
/// let client = Client::new(app);
/// let r = client.get("/home?a=1").header("host", "example.com").send().await;
/// assert_eq!(r.status(), 301);
/// assert_eq!(r.header("location").as_deref(), Some("http://www.example.com/home/?a=1"));
/// let r = client.get("/home/").header("host", "www.example.com")
///     .header("user-agent", "BadBot/1.0").send().await;
/// assert_eq!(r.status(), 403);
/// # });
/// ```
#[derive(Debug)]
pub struct CommonMiddleware {
    config: FromSettings<Config>,
}

/// What `CommonMiddleware` reads from the settings once.
#[derive(Debug)]
struct Config {
    disallowed_user_agents: Vec<fancy_regex::Regex>,
}

impl Config {
    fn new(settings: &Settings) -> Result<Self, ImproperlyConfigured> {
        let disallowed_user_agents = settings
            .disallowed_user_agents
            .iter()
            .map(|r| {
                fancy_regex::Regex::new(r).map_err(|e| {
                    ImproperlyConfigured::new(format!(
                        "invalid DISALLOWED_USER_AGENTS pattern {r:?}: {e}"
                    ))
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Config {
            disallowed_user_agents,
        })
    }
}

impl CommonMiddleware {
    /// The middleware; it reads DISALLOWED_USER_AGENTS, PREPEND_WWW and APPEND_SLASH from the
    /// application's settings.
    pub fn new() -> Self {
        CommonMiddleware {
            config: FromSettings::new(Config::new),
        }
    }
}

impl Default for CommonMiddleware {
    fn default() -> Self {
        CommonMiddleware::new()
    }
}

/// Django's `should_redirect_with_slash`.
fn should_redirect_with_slash(request: &HttpRequest) -> bool {
    let path_info = request.path_info();
    if !request.settings().append_slash || path_info.ends_with('/') {
        return false;
    }
    let Some(urls) = request.urls() else {
        return false;
    };
    if urls.is_valid_path(path_info) {
        return false;
    }
    urls.resolve_view(&format!("{path_info}/"))
        .is_some_and(|view| view.attrs().should_append_slash)
}

/// Django's `get_full_path_with_slash`: the full path with a slash appended, refused in DEBUG
/// for the methods whose data a redirect would lose.
fn full_path_with_slash(request: &HttpRequest) -> Result<String, Error> {
    let new_path = escape_leading_slashes(&request.get_full_path_append_slash()).into_owned();
    if request.settings().debug
        && matches!(
            *request.method(),
            Method::DELETE | Method::POST | Method::PUT | Method::PATCH
        )
    {
        let host = request.get_host()?;
        return Err(Error::msg(format!(
            "You called this URL via {method}, but the URL doesn't end in a slash and you have APPEND_SLASH set. nuages can't redirect to the slash URL while maintaining {method} data. Change your form to point to {host}{new_path} (note the trailing slash), or set APPEND_SLASH=False in your settings.",
            method = request.method()
        )));
    }
    Ok(new_path)
}

impl MiddlewareMixin for CommonMiddleware {
    fn configure(&mut self, settings: &Settings) -> Result<(), ImproperlyConfigured> {
        self.config.configure(settings)
    }

    /// Refuses DISALLOWED_USER_AGENTS, validates the host, and redirects for PREPEND_WWW.
    fn process_request(&self, request: &mut HttpRequest) -> Result<Option<HttpResponse>, Error> {
        let config = self.config.get(request.settings())?;
        if !config.disallowed_user_agents.is_empty() {
            if let Some(agent) = request.header(http::header::USER_AGENT) {
                // A pattern too costly to run (fancy-regex's backtrack limit) does not match.
                if config
                    .disallowed_user_agents
                    .iter()
                    .any(|r| r.is_match(&agent).unwrap_or(false))
                {
                    return Err(PermissionDenied::new("Forbidden user agent").into());
                }
            }
        }
        let host = request.validated_host()?;
        if !request.settings().prepend_www || host.is_empty() || host.starts_with("www.") {
            return Ok(None);
        }
        let path = if should_redirect_with_slash(request) {
            full_path_with_slash(request)?
        } else {
            request.get_full_path()
        };
        let to = format!("{}://www.{host}{path}", request.scheme());
        Ok(Some(HttpResponse::permanent_redirect(&to)?))
    }

    /// APPEND_SLASH for a 404, and `Content-Length`.
    fn process_response(
        &self,
        request: &HttpRequest,
        mut response: HttpResponse,
    ) -> Result<HttpResponse, Error> {
        if response.status_code() == 404 && should_redirect_with_slash(request) {
            let new_path = full_path_with_slash(request)?;
            return Ok(HttpResponse::permanent_redirect(&new_path)?);
        }
        set_content_length(&mut response);
        Ok(response)
    }
}

/// `Content-Length` on a non-streaming response that has none.
fn set_content_length(response: &mut HttpResponse) {
    if response.is_streaming() {
        return;
    }
    let len = response.complete_content().len();
    if let http::header::Entry::Vacant(slot) = response.headers_mut().entry(CONTENT_LENGTH) {
        slot.insert(content_length_value(len));
    }
}

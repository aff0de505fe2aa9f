//! The equivalent of `django/middleware/csrf.py`: [`CsrfViewMiddleware`], [`get_token`] and
//! [`rotate_token`].
//!
//! The algorithm is Django 5.2's, step for step:
//!
//! * On every request the CSRF cookie (`CSRF_COOKIE_NAME`) is read: a valid secret (32
//!   characters, or a 64-character masked one from Django < 4.0, unmasked) becomes the
//!   request's secret; a malformed one is replaced by a new random secret that is sent back.
//! * After URL resolution (so an unknown URL is a 404 whatever the method) and before the view,
//!   requests whose method is not GET, HEAD, OPTIONS or TRACE, to views not marked
//!   [`csrf_exempt`](crate::views::decorators::csrf::csrf_exempt), are checked: the `Origin`
//!   header if present (same origin or CSRF_TRUSTED_ORIGINS, with `*.` wildcards), otherwise the
//!   `Referer` for secure requests; then the cookie must be present and the token — the
//!   `csrfmiddlewaretoken` field of a POST form, else the `X-CSRFToken` header
//!   (CSRF_HEADER_NAME) — must match it (masked or not, compared in constant time). A failure
//!   answers the CSRF_FAILURE_VIEW ([`csrf_failure`](crate::views::csrf::csrf_failure)) with
//!   Django's reason, and the view is not called.
//! * When the secret was used ([`get_token`]) or renewed, the response gets
//!   `Set-Cookie: csrftoken=…; expires=…; Max-Age=31449600; Path=/; SameSite=Lax` and
//!   `Vary: Cookie`.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use nuages::middleware::csrf::{get_token, CsrfViewMiddleware};
//! use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
//!
//! async fn form(req: HttpRequest) -> HttpResponse {
//!     HttpResponse::new(get_token(&req)) // the masked token to put in the form
//! }
//! async fn submit(_req: HttpRequest) -> HttpResponse {
//!     HttpResponse::new("ok")
//! }
//!
//! let app = App::builder()
//!     .settings(Settings { debug: true, allowed_hosts: vec!["testserver".into()], ..Settings::default() })
//!     .urls(vec![path("form", form), path("submit", submit)])
//!     .middleware(CsrfViewMiddleware::new())
//!     .build()
//!     .unwrap();
//! let client = nuages::test::Client::new(app);
//! assert_eq!(client.post("/submit").send().await.status(), 403); // no CSRF cookie
//! let token = client.get("/form").send().await.text(); // sets the csrftoken cookie
//! let resp = client.post("/submit").form(&[("csrfmiddlewaretoken", &token)]).send().await;
//! assert_eq!(resp.text(), "ok");
//! # });
//! ```

mod origin;
pub mod reasons;
mod token;

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use http::Method;

use self::origin::TrustedOrigins;
pub use self::reasons::{
    REASON_BAD_ORIGIN, REASON_BAD_REFERER, REASON_CSRF_TOKEN_MISSING, REASON_INCORRECT_LENGTH,
    REASON_INSECURE_REFERER, REASON_INVALID_CHARACTERS, REASON_MALFORMED_REFERER,
    REASON_NO_CSRF_COOKIE, REASON_NO_REFERER,
};
use super::MiddlewareMixin;
use crate::conf::Settings;
use crate::core::exceptions::ImproperlyConfigured;
use crate::http::cookie::SetCookie;
use crate::urls::ResolverMatch;
use crate::utils::cache::patch_vary_static;
use crate::views::{BoxFuture, ViewFn};
use crate::{Error, HttpRequest, HttpResponse};
use nuages_py::builtins::title;
use nuages_py::repr::str_repr;

/// `CSRF_SECRET_LENGTH`: the length of the secret kept in the cookie.
pub const CSRF_SECRET_LENGTH: usize = 32;
/// `CSRF_TOKEN_LENGTH`: the length of a masked token (mask + ciphered secret).
pub const CSRF_TOKEN_LENGTH: usize = 2 * CSRF_SECRET_LENGTH;
/// `CSRF_ALLOWED_CHARS`: the alphabet of secrets and tokens.
pub const CSRF_ALLOWED_CHARS: &str =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/// `CSRF_SESSION_KEY` (only meaningful with CSRF_USE_SESSIONS, which nuages does not support).
pub const CSRF_SESSION_KEY: &str = "_csrftoken";

/// The CSRF failure view (`CSRF_FAILURE_VIEW`): gets the request and Django's reason string.
pub type CsrfFailureView = Arc<dyn Fn(&HttpRequest, &str) -> HttpResponse + Send + Sync>;

/// The `CSRF_*` settings the algorithm reads.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) cookie_name: String,
    cookie_age: Option<i64>,
    pub(crate) cookie_domain: Option<String>,
    cookie_path: String,
    cookie_secure: bool,
    cookie_httponly: bool,
    cookie_samesite: Option<String>,
    header_name: String,
    trusted_origins: Vec<String>,
    use_sessions: bool,
}

impl Config {
    fn from_settings(s: &Settings) -> Config {
        Config {
            cookie_name: s.csrf_cookie_name.clone(),
            cookie_age: s.csrf_cookie_age,
            cookie_domain: s.csrf_cookie_domain.clone(),
            cookie_path: s.csrf_cookie_path.clone(),
            cookie_secure: s.csrf_cookie_secure,
            cookie_httponly: s.csrf_cookie_httponly,
            cookie_samesite: s.csrf_cookie_samesite.clone(),
            header_name: s.csrf_header_name.clone(),
            trusted_origins: s.csrf_trusted_origins.clone(),
            use_sessions: s.csrf_use_sessions,
        }
    }
}

/// A request extension that turns the checks off for this request (Django's
/// `request._dont_enforce_csrf_checks`, set by its test client): the cookie handling and
/// [`get_token`] keep working.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DontEnforceCsrfChecks;

/// `CsrfViewMiddleware`: see the [module documentation](self). It reads the `CSRF_*` settings
/// of the application.
pub struct CsrfViewMiddleware {
    failure_view: CsrfFailureView,
    inner: OnceLock<Arc<Inner>>,
}

impl fmt::Debug for CsrfViewMiddleware {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CsrfViewMiddleware")
            .field("config", &self.inner.get().map(|i| &i.config))
            .finish_non_exhaustive()
    }
}

impl Default for CsrfViewMiddleware {
    fn default() -> Self {
        CsrfViewMiddleware::new()
    }
}

impl CsrfViewMiddleware {
    /// The middleware, answering failures with Django's
    /// [`csrf_failure`](crate::views::csrf::csrf_failure) page.
    pub fn new() -> Self {
        CsrfViewMiddleware {
            failure_view: Arc::new(crate::views::csrf::csrf_failure),
            inner: OnceLock::new(),
        }
    }

    /// Replaces the failure view (`CSRF_FAILURE_VIEW`): it gets the request and Django's reason.
    pub fn failure_view(
        mut self,
        view: impl Fn(&HttpRequest, &str) -> HttpResponse + Send + Sync + 'static,
    ) -> Self {
        self.failure_view = Arc::new(view);
        self.inner = OnceLock::new();
        self
    }

    fn inner(&self, settings: &Settings) -> Result<&Arc<Inner>, ImproperlyConfigured> {
        if let Some(inner) = self.inner.get() {
            return Ok(inner);
        }
        let inner = Arc::new(Inner::new(
            Config::from_settings(settings),
            Arc::clone(&self.failure_view),
        )?);
        Ok(self.inner.get_or_init(|| inner))
    }
}

// ===== per-request state =====

/// What Django keeps in `request.META["CSRF_COOKIE"]`, `META["CSRF_COOKIE_NEEDS_UPDATE"]` and
/// `request.csrf_processing_done`.
#[derive(Debug, Default)]
struct CsrfState {
    secret: Option<String>,
    needs_update: bool,
    processing_done: bool,
}

/// Shared between the request (as an extension, for [`get_token`] and the decorators) and the
/// middleware, which still holds it when the response comes back after the view consumed the
/// request.
struct Shared {
    inner: Arc<Inner>,
    state: Mutex<CsrfState>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, CsrfState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The state of `request` (attached to it), created (with `inner`) and attached if there is
/// none yet.
fn handle_for(request: &mut HttpRequest, inner: &Arc<Inner>) -> Arc<Shared> {
    if let Some(shared) = request.attached().get_arc::<Shared>() {
        return shared;
    }
    let shared = Arc::new(Shared {
        inner: Arc::clone(inner),
        state: Mutex::new(CsrfState::default()),
    });
    request.attached_mut().insert(Arc::clone(&shared));
    shared
}

/// `_add_new_csrf_cookie(request)`.
fn add_new_csrf_cookie(state: &mut CsrfState) -> String {
    let secret = token::new_csrf_string();
    state.secret = Some(secret.clone());
    state.needs_update = true;
    secret
}

/// Django's `get_token(request)`: the masked CSRF token for a form or an AJAX header (a new
/// mask each call). A new secret is created if the request has none. As a side effect the
/// middleware (or a CSRF decorator) sends the CSRF cookie and `Vary: Cookie` with the response.
///
/// Without [`CsrfViewMiddleware`] or a CSRF decorator on the request, the token is that of a
/// fresh secret that no cookie will carry (as in Django without the middleware).
pub fn get_token(request: &HttpRequest) -> String {
    let Some(shared) = request.attached().get::<Shared>() else {
        return token::mask_cipher_secret(&token::new_csrf_string());
    };
    let mut state = shared.lock();
    let secret = match &state.secret {
        Some(s) => {
            let s = s.clone();
            // The cookie is used: send it again to renew its expiry.
            state.needs_update = true;
            s
        }
        None => add_new_csrf_cookie(&mut state),
    };
    drop(state);
    token::mask_cipher_secret(&secret)
}

/// Django's `rotate_token(request)`: a new secret for this request (done on login), sent as the
/// new CSRF cookie with the response.
pub fn rotate_token(request: &HttpRequest) {
    if let Some(shared) = request.attached().get::<Shared>() {
        add_new_csrf_cookie(&mut shared.lock());
    }
}

// ===== the algorithm =====

/// Where the non-POST token is read: a header, or another `request.META` key.
#[derive(Debug)]
enum TokenHeader {
    Header(String),
    Meta(String),
}

/// Which of Django's classes runs: the middleware (and `csrf_protect`), or the variants used by
/// `requires_csrf_token` and `ensure_csrf_cookie` whose `_reject` returns `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Protect,
    RequiresToken,
    EnsureCookie,
}

struct Inner {
    config: Config,
    failure_view: CsrfFailureView,
    trusted: TrustedOrigins,
    token_header: TokenHeader,
    /// `repr(HttpHeaders.parse_header_name(CSRF_HEADER_NAME))`, for the reason strings.
    header_label: String,
}

impl fmt::Debug for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inner")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// The algorithm with the request's own settings, for a CSRF decorator on a request that no
/// [`CsrfViewMiddleware`] handles.
fn settings_inner(request: &HttpRequest) -> Result<Arc<Inner>, ImproperlyConfigured> {
    Ok(Arc::new(Inner::new(
        Config::from_settings(request.settings()),
        Arc::new(crate::views::csrf::csrf_failure),
    )?))
}

impl Inner {
    fn new(config: Config, failure_view: CsrfFailureView) -> Result<Self, ImproperlyConfigured> {
        if config.use_sessions {
            return Err(ImproperlyConfigured::new(
                "CSRF_USE_SESSIONS is not supported by nuages: the CSRF secret is kept in a cookie",
            ));
        }
        let trusted = TrustedOrigins::new(&config.trusted_origins)?;
        // Fail now rather than on the first response.
        set_cookie_for(&config, "x".repeat(CSRF_SECRET_LENGTH))
            .build()
            .map_err(|e| ImproperlyConfigured::new(format!("invalid CSRF cookie settings: {e}")))?;
        // HttpHeaders.parse_header_name.
        let name = &config.header_name;
        let (token_header, parsed) = if let Some(rest) = name.strip_prefix("HTTP_") {
            (
                TokenHeader::Header(rest.replace('_', "-").to_ascii_lowercase()),
                Some(title(&rest.replace('_', "-"))),
            )
        } else if name == "CONTENT_TYPE" || name == "CONTENT_LENGTH" {
            (
                TokenHeader::Meta(name.clone()),
                Some(title(&name.replace('_', "-"))),
            )
        } else {
            (TokenHeader::Meta(name.clone()), None)
        };
        let header_label = parsed.map_or_else(|| "None".to_owned(), |p| str_repr(&p));
        Ok(Inner {
            config,
            failure_view,
            trusted,
            token_header,
            header_label,
        })
    }

    /// `_get_secret(request)`: the secret of the request's cookie; `Err` is the
    /// `InvalidTokenFormat` reason.
    fn get_secret(&self, request: &HttpRequest) -> Result<Option<String>, &'static str> {
        let Some(cookie) = request.cookie(&self.config.cookie_name) else {
            return Ok(None);
        };
        token::check_token_format(cookie)?;
        // Django versions before 4.0 masked the secret before storing.
        if cookie.len() == CSRF_TOKEN_LENGTH {
            Ok(Some(token::unmask_cipher_token(cookie)))
        } else {
            Ok(Some(cookie.to_owned()))
        }
    }

    /// `process_request(request)`.
    fn process_request(&self, state: &mut CsrfState, request: &HttpRequest) {
        match self.get_secret(request) {
            Err(_) => {
                add_new_csrf_cookie(state);
            }
            Ok(Some(secret)) => state.secret = Some(secret),
            Ok(None) => {}
        }
    }

    /// The synchronous start of `process_view`: `true` when the request must be checked
    /// ([`Inner::check`]); otherwise it was accepted or skipped.
    fn needs_check(&self, state: &mut CsrfState, request: &HttpRequest, exempt: bool) -> bool {
        if state.processing_done || exempt {
            return false;
        }
        // Assume that anything not defined as 'safe' by RFC 9110 needs protection.
        let safe = matches!(
            *request.method(),
            Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
        );
        if safe
            || request
                .extensions()
                .get::<DontEnforceCsrfChecks>()
                .is_some()
        {
            state.processing_done = true;
            return false;
        }
        true
    }

    /// The checks of `process_view`: `Ok(Some(reason))` to reject.
    async fn check(&self, request: &mut HttpRequest) -> Result<Option<String>, Error> {
        if let Some(origin) = request.header(http::header::ORIGIN) {
            if !self.trusted.origin_verified(request, &origin) {
                return Ok(Some(REASON_BAD_ORIGIN.replacen("%s", &origin, 1)));
            }
        } else if request.is_secure() {
            if let Err(reason) = self.trusted.check_referer(request, &self.config) {
                return Ok(Some(reason));
            }
        }
        self.check_token(request).await
    }

    /// `_check_token(request)`.
    async fn check_token(&self, request: &mut HttpRequest) -> Result<Option<String>, Error> {
        let secret = match self.get_secret(request) {
            Ok(Some(s)) => s,
            Ok(None) => return Ok(Some(REASON_NO_CSRF_COOKIE.to_owned())),
            Err(reason) => return Ok(Some(format!("CSRF cookie {reason}."))),
        };
        let mut request_token = String::new();
        if *request.method() == Method::POST {
            match request.form().await {
                Ok(post) => {
                    request_token = post.get("csrfmiddlewaretoken").unwrap_or("").to_owned();
                }
                // UnreadablePostError (the connection broke while reading): ignored, the
                // request gets a 403 below.
                Err(e) if e.is::<hyper::Error>() || e.is::<std::io::Error>() => {}
                Err(e) => return Err(e),
            }
        }
        let from_post = !request_token.is_empty();
        if !from_post {
            let header = match &self.token_header {
                TokenHeader::Header(name) => request.header(name).map(|v| v.into_owned()),
                TokenHeader::Meta(key) => request.meta().get(key).map(str::to_owned),
            };
            match header {
                Some(h) => request_token = h,
                None => return Ok(Some(REASON_CSRF_TOKEN_MISSING.to_owned())),
            }
        }
        let bad_token = |reason: &str| {
            if from_post {
                format!("CSRF token from POST {reason}.")
            } else {
                format!(
                    "CSRF token from the {} HTTP header {reason}.",
                    self.header_label
                )
            }
        };
        if let Err(reason) = token::check_token_format(&request_token) {
            return Ok(Some(bad_token(reason)));
        }
        if !token::does_token_match(&request_token, &secret) {
            return Ok(Some(bad_token("incorrect")));
        }
        Ok(None)
    }

    /// `_reject(request, reason)`: the failure view's answer, logged like Django's
    /// `log_response` on `django.security.csrf`.
    fn reject(&self, request: &HttpRequest, reason: &str) -> HttpResponse {
        let response = (self.failure_view)(request, reason);
        tracing::warn!(
            target: "django.security.csrf",
            "Forbidden ({reason}): {}",
            crate::utils::log::log_message_escape(&request.path())
        );
        response
    }

    /// `process_response(request, response)`.
    fn process_response(&self, shared: &Shared, response: &mut HttpResponse) -> Result<(), Error> {
        let secret = {
            let mut state = shared.lock();
            if !state.needs_update {
                return Ok(());
            }
            // Unset the flag so that another instance (decorator + middleware) does not set the
            // cookie again.
            state.needs_update = false;
            state.secret.clone().unwrap_or_default()
        };
        // `_set_csrf_cookie`.
        response.set_cookie(set_cookie_for(&self.config, secret))?;
        patch_vary_static(response.headers_mut(), "Cookie")?;
        Ok(())
    }
}

/// The `set_cookie` arguments of `_set_csrf_cookie`.
fn set_cookie_for(config: &Config, secret: String) -> SetCookie {
    let mut cookie = SetCookie::new(config.cookie_name.as_str(), secret)
        .path(config.cookie_path.as_str())
        .secure(config.cookie_secure)
        .httponly(config.cookie_httponly);
    if let Some(age) = config.cookie_age {
        cookie = cookie.max_age(age);
    }
    if let Some(domain) = &config.cookie_domain {
        cookie = cookie.domain(domain.as_str());
    }
    if let Some(samesite) = &config.cookie_samesite {
        cookie = cookie.samesite(samesite.as_str());
    }
    cookie
}

impl MiddlewareMixin for CsrfViewMiddleware {
    fn configure(&mut self, settings: &Settings) -> Result<(), ImproperlyConfigured> {
        self.inner = OnceLock::new();
        self.inner(settings).map(drop)
    }

    fn process_request(&self, request: &mut HttpRequest) -> Result<Option<HttpResponse>, Error> {
        let inner = self.inner(request.settings())?;
        let shared = handle_for(request, inner);
        inner.process_request(&mut shared.lock(), request);
        Ok(None)
    }

    fn process_response(
        &self,
        request: &HttpRequest,
        mut response: HttpResponse,
    ) -> Result<HttpResponse, Error> {
        if let Some(shared) = request.attached().get::<Shared>() {
            shared.inner.process_response(shared, &mut response)?;
        }
        Ok(response)
    }

    fn process_view<'a>(
        &'a self,
        request: &'a mut HttpRequest,
        view: &'a ResolverMatch,
    ) -> Option<BoxFuture<'a, Result<Option<HttpResponse>, Error>>> {
        let exempt = view.func().attrs().csrf_exempt;
        let inner = match self.inner(request.settings()) {
            Ok(inner) => inner,
            Err(e) => return Some(Box::pin(std::future::ready(Err(e.into())))),
        };
        // Attached by `call`; attached now if the middleware runs only as a view hook.
        let shared = handle_for(request, inner);
        if !inner.needs_check(&mut shared.lock(), request, exempt) {
            return None;
        }
        Some(Box::pin(async move {
            match inner.check(request).await? {
                Some(reason) => Ok(Some(inner.reject(request, &reason))),
                None => {
                    // `_accept`.
                    shared.lock().processing_done = true;
                    Ok(None)
                }
            }
        }))
    }
}

/// Django's `decorator_from_middleware(CsrfViewMiddleware)` and its two variants: runs
/// `process_request`, `process_view` (with the wrapped view), the view and `process_response`
/// around `view`, with the configuration of the [`CsrfViewMiddleware`] serving the request, or
/// the default configuration without one.
pub(crate) fn decorate(view: ViewFn, mode: Mode) -> ViewFn {
    view.wrap(move |mut request, view| async move {
        let shared = match request.attached().get_arc::<Shared>() {
            Some(shared) => shared,
            None => {
                let inner = settings_inner(&request)?;
                handle_for(&mut request, &inner)
            }
        };
        let inner = Arc::clone(&shared.inner);
        inner.process_request(&mut shared.lock(), &request);
        let exempt = view.attrs().csrf_exempt;
        let check = inner.needs_check(&mut shared.lock(), &request, exempt);
        if check {
            match inner.check(&mut request).await? {
                Some(reason) => {
                    if mode == Mode::Protect {
                        return Ok(inner.reject(&request, &reason));
                    }
                    // `_reject` returns None for requires_csrf_token and ensure_csrf_cookie.
                }
                None => shared.lock().processing_done = true,
            }
        }
        if mode == Mode::EnsureCookie {
            // Force process_response to send the cookie.
            get_token(&request);
        }
        let mut response = view.call(request).await?;
        inner.process_response(&shared, &mut response)?;
        Ok(response)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn configure(settings: Settings) -> Result<(), ImproperlyConfigured> {
        CsrfViewMiddleware::new().configure(&settings)
    }

    #[test]
    fn header_labels() {
        let label = |name: &str| {
            let settings = Settings {
                csrf_header_name: name.to_owned(),
                ..Settings::default()
            };
            let view = Arc::new(crate::views::csrf::csrf_failure);
            Inner::new(Config::from_settings(&settings), view)
                .unwrap()
                .header_label
        };
        assert_eq!(label("HTTP_X_CSRFTOKEN"), "'X-Csrftoken'");
        assert_eq!(label("HTTP_X_XSRF2TOKEN"), "'X-Xsrf2Token'");
        assert_eq!(label("CONTENT_TYPE"), "'Content-Type'");
        assert_eq!(label("REMOTE_USER"), "None");
    }

    #[test]
    fn bad_settings() {
        assert!(configure(Settings {
            csrf_use_sessions: true,
            ..Settings::default()
        })
        .is_err());
        assert!(configure(Settings {
            csrf_trusted_origins: vec!["example.com".into()],
            ..Settings::default()
        })
        .is_err());
        assert!(configure(Settings {
            csrf_cookie_samesite: Some("sometimes".into()),
            ..Settings::default()
        })
        .is_err());
        assert!(configure(Settings::default()).is_ok());
    }
}

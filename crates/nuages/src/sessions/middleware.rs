//! The equivalent of `django/contrib/sessions/middleware.py`.

use std::sync::Arc;

use super::backends::SessionStore;
use super::base::{Clock, Session, SessionBase, SessionConfig};
use super::exceptions::{SessionError, SessionInterrupted};
use crate::http::cookie::SetCookie;
use crate::middleware::{Middleware, Next};
use crate::signing::MaxAge;
use crate::utils::cache::patch_vary_headers;
use crate::views::BoxFuture;
use crate::{Error, HttpRequest, HttpResponse};

/// `SessionMiddleware`: gives each request a [`Session`] (see
/// [`RequestSessionExt::session`](crate::sessions::RequestSessionExt::session)) for the key in
/// the SESSION_COOKIE_NAME cookie, and on the way out, exactly like Django:
///
/// - a session that is empty while the client sent a session cookie: the cookie is deleted
///   (`delete_cookie` with SESSION_COOKIE_PATH, SESSION_COOKIE_DOMAIN, SESSION_COOKIE_SAMESITE)
///   and `Vary: Cookie` is added;
/// - otherwise `Vary: Cookie` when the view accessed the session, and when it was modified (or
///   SESSION_SAVE_EVERY_REQUEST) and is not empty, for responses below 500: the session is
///   saved and its cookie set, `sessionid=…; expires=…; HttpOnly; Max-Age=1209600; Path=/;
///   SameSite=Lax` with the default settings (no `expires`/`Max-Age` when the session expires at
///   browser close);
/// - a session deleted meanwhile by a concurrent request ([`SessionError::Update`]) is a 400
///   ([`SessionInterrupted`]).
///
/// # Examples
/// ```
/// use nuages::sessions::{RequestSessionExt, SessionConfig, SessionMiddleware, SignedCookieStore};
/// use nuages::{urls::path, App, HttpRequest, HttpResponse, Result, Settings};
///
/// async fn login(req: HttpRequest) -> Result<HttpResponse> {
///     let session = req.session().expect("SessionMiddleware");
///     session.cycle_key().await?;
///     session.set("user_id", 42).await?;
///     Ok(HttpResponse::new("welcome"))
/// }
///
/// let app = App::builder()
///     .settings(Settings { secret_key: "s3cr3t".into(), ..Settings::default() })
///     .middleware(SessionMiddleware::new(SignedCookieStore::new(), SessionConfig::default()))
///     .urls(vec![path("login", login)])
///     .build()
///     .unwrap();
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let resp = nuages::test::Client::new(app).get("/login").send().await;
/// assert_eq!(resp.header("vary"), Some("Cookie"));
/// assert!(resp.set_cookies()[0].starts_with("sessionid=eyJ1c2VyX2lkIjo0Mn0:"));
/// assert!(resp.set_cookies()[0].ends_with("; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax"));
/// # });
/// ```
pub struct SessionMiddleware {
    store: Arc<dyn SessionStore>,
    config: Arc<SessionConfig>,
    clock: Clock,
}

impl std::fmt::Debug for SessionMiddleware {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionMiddleware")
            .field("store", &self.store.name())
            .field("config", &self.config)
            .field("clock", &self.clock)
            .finish()
    }
}

impl SessionMiddleware {
    /// The middleware for a store (Django's SESSION_ENGINE) and the `SESSION_*` settings. An
    /// `Arc<dyn SessionStore>` is a store too, to share one with other code.
    pub fn new(store: impl SessionStore, config: SessionConfig) -> Self {
        SessionMiddleware {
            store: Arc::new(store),
            config: Arc::new(config),
            clock: Clock::system(),
        }
    }

    /// Uses another clock for sessions and cookie expiry dates (tests).
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The `SESSION_*` settings.
    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    /// Django's `process_response`.
    async fn process_response(
        &self,
        session: &Session,
        cookie_sent: bool,
        response: &mut HttpResponse,
    ) -> Result<(), Error> {
        let config = &*self.config;
        let mut base = session.lock().await;
        let accessed = base.accessed();
        let modified = base.modified();
        let empty = base.is_empty();
        let mut need_vary_cookie;
        if cookie_sent && empty {
            response.delete_cookie_with(
                &config.cookie_name,
                Some(&config.cookie_path),
                config.cookie_domain.as_deref(),
                config.cookie_samesite.as_deref(),
            )?;
            need_vary_cookie = true;
        } else {
            need_vary_cookie = accessed;
            if (modified || config.save_every_request) && !empty {
                let store = &*self.store;
                base.load_with(store, false).await?;
                let max_age = if base.expire_at_browser_close(base.stored_expiry()) {
                    None
                } else {
                    Some(base.expiry_age(base.stored_expiry())?)
                };
                if response.status_code() < 500 {
                    store.save(&mut base, false).await.map_err(|e| match e {
                        SessionError::Update => SessionInterrupted::new(
                            "The request's session was deleted before the request completed. \
                             The user may have logged out in a concurrent request, for example.",
                        )
                        .into_error(),
                        other => Error::from(other),
                    })?;
                    // Django passes `session_key` as is; a backend leaving it None writes "None".
                    let value = base.session_key().unwrap_or("None");
                    response
                        .cookies_mut()
                        .set_cookie_at(self.session_cookie(value, max_age), self.clock.now())?;
                    need_vary_cookie = true;
                }
            }
        }
        drop(base);
        if need_vary_cookie {
            patch_vary_headers(response.headers_mut(), &["Cookie"])?;
        }
        Ok(())
    }

    /// The `set_cookie(...)` arguments of the session cookie.
    fn session_cookie(&self, value: &str, max_age: Option<MaxAge>) -> SetCookie {
        let config = &*self.config;
        let mut cookie = SetCookie::new(config.cookie_name.as_str(), value)
            .path(config.cookie_path.as_str())
            .secure(config.cookie_secure)
            .httponly(config.cookie_httponly);
        if let Some(max_age) = max_age {
            // Django also passes expires=http_date(now + max_age), which set_cookie derives
            // from max_age itself to the same string.
            cookie = cookie.max_age(max_age);
        }
        if let Some(domain) = &config.cookie_domain {
            cookie = cookie.domain(domain.as_str());
        }
        if let Some(samesite) = &config.cookie_samesite {
            cookie = cookie.samesite(samesite.as_str());
        }
        cookie
    }
}

impl Middleware for SessionMiddleware {
    fn call<'a>(
        &'a self,
        mut request: HttpRequest,
        next: Next,
    ) -> BoxFuture<'a, Result<HttpResponse, Error>> {
        Box::pin(async move {
            let key = request.cookie(&self.config.cookie_name).map(str::to_owned);
            let cookie_sent = key.is_some();
            let base = SessionBase::new(
                key,
                Arc::clone(&self.config),
                Arc::clone(request.settings_shared()),
            )
            .with_clock(self.clock.clone());
            let session = Session::new(Arc::clone(&self.store), base);
            request.extensions_mut().insert(session.clone());
            let mut response = next.run(request).await;
            self.process_response(&session, cookie_sent, &mut response)
                .await?;
            Ok(response)
        })
    }
}

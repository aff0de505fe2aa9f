//! The equivalent of `django/contrib/sessions/middleware.py`.

use std::sync::Arc;

use super::backends::base::{Clock, Session, SessionBase, SessionStore};
use super::backends::SignedCookieStore;
use super::exceptions::{SessionError, SessionInterrupted};
use crate::conf::Settings;
use crate::core::exceptions::ImproperlyConfigured;
use crate::http::cookie::SetCookie;
use crate::middleware::phases::{Phases, ResponsePhase};
use crate::middleware::{Middleware, Next};
use crate::signing::MaxAge;
use crate::utils::cache::patch_vary_static;
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
///   ([`SessionInterrupted`]);
/// - a store that fails (down, or slower than DATABASE_TIMEOUT / REDIS_TIMEOUT) fails the
///   request (500, logged to `django.contrib.sessions`): the session is never taken for empty.
///
/// [`SessionMiddleware::new`] builds the store of SESSION_ENGINE
/// ([`backends::from_settings`](super::backends::from_settings)) when the application is built;
/// its connections open on first use.
///
/// # Examples
/// ```
/// use nuages::conf::SessionEngine;
/// use nuages::sessions::{RequestSessionExt, SessionMiddleware};
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
///     .settings(Settings {
///         secret_key: "s3cr3t".into(),
///         session_engine: SessionEngine::SignedCookies,
///         ..Settings::default()
///     })
///     .middleware(SessionMiddleware::new())
///     .urls(vec![path("login", login)])
///     .build()
///     .unwrap();
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let resp = nuages::test::Client::new(app).get("/login").send().await;
/// assert_eq!(resp.header("vary").as_deref(), Some("Cookie"));
/// assert!(resp.set_cookies()[0].starts_with("sessionid=eyJ1c2VyX2lkIjo0Mn0:"));
/// assert!(resp.set_cookies()[0].ends_with("; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax"));
/// # });
/// ```
pub struct SessionMiddleware {
    /// The store: given with [`SessionMiddleware::with_store`], or made from SESSION_ENGINE
    /// when the application is built.
    store: Option<Arc<dyn SessionStore>>,
    clock: Clock,
}

impl std::fmt::Debug for SessionMiddleware {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionMiddleware")
            .field("store", &self.store.as_ref().map(|s| s.name()))
            .field("clock", &self.clock)
            .finish()
    }
}

impl Default for SessionMiddleware {
    fn default() -> Self {
        SessionMiddleware::new()
    }
}

impl SessionMiddleware {
    /// The middleware with the store named by the SESSION_ENGINE setting; the other
    /// `SESSION_*` settings of the application shape the cookie.
    pub fn new() -> Self {
        SessionMiddleware {
            store: None,
            clock: Clock::system(),
        }
    }

    /// The middleware with a store of your own (a custom backend, or one shared with other
    /// code: an `Arc<dyn SessionStore>` is a store too), instead of SESSION_ENGINE's.
    pub fn with_store(store: impl SessionStore) -> Self {
        SessionMiddleware {
            store: Some(Arc::new(store)),
            clock: Clock::system(),
        }
    }

    fn store(&self) -> Arc<dyn SessionStore> {
        match &self.store {
            Some(store) => Arc::clone(store),
            None => Arc::new(SignedCookieStore::new()),
        }
    }

    /// Uses another clock for sessions and cookie expiry dates (tests).
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Django's `process_response`.
    async fn process_response(
        &self,
        session: &Session,
        cookie_sent: bool,
        response: &mut HttpResponse,
    ) -> Result<(), Error> {
        let mut base = session.lock().await;
        let settings = Arc::clone(base.settings_shared());
        let config = &*settings;
        let accessed = base.accessed();
        let modified = base.modified();
        let empty = base.is_empty();
        let mut need_vary_cookie;
        if cookie_sent && empty {
            response.delete_cookie_with(
                &config.session_cookie_name,
                Some(&config.session_cookie_path),
                config.session_cookie_domain.as_deref(),
                config.session_cookie_samesite.as_deref(),
            )?;
            need_vary_cookie = true;
        } else {
            need_vary_cookie = accessed;
            if (modified || config.session_save_every_request) && !empty {
                let store = Arc::clone(session.store());
                base.load_with(&*store, false).await?;
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
                        .set_cookie_at(session_cookie(config, value, max_age), self.clock.now())?;
                    need_vary_cookie = true;
                }
            }
        }
        drop(base);
        if need_vary_cookie {
            patch_vary_static(response.headers_mut(), "Cookie")?;
        }
        Ok(())
    }
}

/// The `set_cookie(...)` arguments of the session cookie.
fn session_cookie(settings: &Settings, value: &str, max_age: Option<MaxAge>) -> SetCookie {
    let mut cookie = SetCookie::new(settings.session_cookie_name.as_str(), value)
        .path(settings.session_cookie_path.as_str())
        .secure(settings.session_cookie_secure)
        .httponly(settings.session_cookie_httponly);
    if let Some(max_age) = max_age {
        // Django also passes expires=http_date(now + max_age), which set_cookie derives
        // from max_age itself to the same string.
        cookie = cookie.max_age(max_age);
    }
    if let Some(domain) = &settings.session_cookie_domain {
        cookie = cookie.domain(domain.as_str());
    }
    if let Some(samesite) = &settings.session_cookie_samesite {
        cookie = cookie.samesite(samesite.as_str());
    }
    cookie
}

/// `request.session`, made on first use: a request that never touches its session and sent no
/// session cookie costs no session state.
pub(crate) struct LazySession {
    key: Option<String>,
    settings: Arc<Settings>,
    store: Arc<dyn SessionStore>,
    clock: Clock,
    session: std::sync::OnceLock<Session>,
}

impl LazySession {
    /// The session, made now if it was not yet.
    pub(crate) fn get(&self) -> &Session {
        self.session.get_or_init(|| {
            let base = SessionBase::new(self.key.clone(), Arc::clone(&self.settings))
                .with_clock(self.clock.clone());
            Session::for_request(Arc::clone(&self.store), base, self.key.is_some())
        })
    }

    /// What `process_response` looks at: the session if it was made, or if the request sent
    /// a cookie (an invalid one makes an empty session, whose cookie is deleted).
    fn for_response(&self) -> Option<&Session> {
        match self.session.get() {
            Some(session) => Some(session),
            None if self.key.is_some() => Some(self.get()),
            None => None,
        }
    }
}

impl SessionMiddleware {
    /// Django's `process_request`: the session of the request's cookie, attached to it.
    fn attach_session(&self, request: &mut HttpRequest) -> Arc<LazySession> {
        let settings = Arc::clone(request.settings_shared());
        let key = request
            .cookie(&settings.session_cookie_name)
            .map(str::to_owned);
        let lazy = Arc::new(LazySession {
            key,
            settings,
            store: self.store(),
            clock: self.clock.clone(),
            session: std::sync::OnceLock::new(),
        });
        request.attached_mut().insert(Arc::clone(&lazy));
        lazy
    }
}

impl Middleware for SessionMiddleware {
    fn configure(&mut self, settings: &Settings) -> Result<(), ImproperlyConfigured> {
        if self.store.is_none() {
            self.store = Some(super::backends::from_settings(settings)?);
        }
        Ok(())
    }

    async fn call(&self, mut request: HttpRequest, next: Next<'_>) -> Result<HttpResponse, Error> {
        let lazy = self.attach_session(&mut request);
        let mut response = next.run(request).await;
        if let Some(session) = lazy.for_response() {
            self.process_response(session, session.cookie_sent(), &mut response)
                .await?;
        }
        Ok(response)
    }

    fn phases(self: Arc<Self>) -> Option<Arc<dyn Phases>> {
        Some(self)
    }
}

impl Phases for SessionMiddleware {
    fn request_phase(&self, request: &mut HttpRequest) -> Result<Option<HttpResponse>, Error> {
        self.attach_session(request);
        Ok(None)
    }

    fn response_phase<'a>(
        &'a self,
        request: &'a HttpRequest,
        mut response: HttpResponse,
    ) -> ResponsePhase<'a> {
        let Some(session) = request
            .attached()
            .get::<LazySession>()
            .and_then(LazySession::for_response)
        else {
            return ResponsePhase::Ready(Ok(response));
        };
        // The usual case, a session the view did not touch: nothing to write, nothing to wait
        // for.
        if let Some(base) = session.try_lock() {
            // What process_response would do: delete the cookie of an emptied session, send
            // `Vary: Cookie` for an accessed one, save a modified one.
            let delete = session.cookie_sent() && base.is_empty();
            let save = (base.modified() || base.settings_shared().session_save_every_request)
                && !base.is_empty();
            let untouched = !(base.accessed() || delete || save);
            if untouched {
                return ResponsePhase::Ready(Ok(response));
            }
        }
        ResponsePhase::Pending(Box::pin(async move {
            self.process_response(session, session.cookie_sent(), &mut response)
                .await?;
            Ok(response)
        }))
    }
}

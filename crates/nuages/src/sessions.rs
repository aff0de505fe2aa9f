//! The equivalent of `django.contrib.sessions`: per-visitor data kept across requests, behind a
//! cookie.
//!
//! - [`SessionMiddleware`] (`django.contrib.sessions.middleware.SessionMiddleware`) puts a
//!   [`Session`] on every request and saves it, sets or deletes the cookie and adds
//!   `Vary: Cookie` on the way out, with Django's exact rules and `Set-Cookie` strings;
//! - [`Session`] is `request.session` ([`RequestSessionExt::session`]): loaded lazily on first
//!   use, JSON values ([`serde_json::Value`]) with typed helpers (`get::<T>`, `set`), `flush`,
//!   `cycle_key`, `set_expiry`, …;
//! - [`backends::SessionStore`] is the backend interface; SESSION_ENGINE picks one of
//!   Django's five engines, each storing exactly what Django's does, so sessions are shared
//!   with a Django site on the same store: [`DatabaseStore`] (`db`, the default: the
//!   `django_session` table on SQLite or PostgreSQL), [`CacheStore`] (`cache`, Redis),
//!   [`CachedDatabaseStore`] (`cached_db`), [`FileStore`] (`file`) and
//!   [`SignedCookieStore`] (`signed_cookies`: the data in the cookie itself, signed with
//!   SECRET_KEY);
//! - [`management::clearsessions`] is `manage.py clearsessions`.
//!
//! The `SESSION_*` settings are fields of [`Settings`](crate::Settings) (`session_cookie_age`,
//! `session_engine`, …).
//!
//! # Examples
//! ```
//! use nuages::sessions::{RequestSessionExt, SessionMiddleware};
//! use nuages::{urls::path, App, HttpRequest, HttpResponse, Result, Settings};
//!
//! async fn set_session(req: HttpRequest) -> Result<HttpResponse> {
//!     let mut session = req.session().expect("SessionMiddleware").load().await?;
//!     session.insert("username", "john_doe");
//!     let visits = session.get::<i64>("visit_count")?.unwrap_or(0);
//!     session.insert("visit_count", visits + 1);
//!     Ok(HttpResponse::new("Session data set"))
//! }
//!
//! async fn logout(req: HttpRequest) -> Result<HttpResponse> {
//!     req.session().expect("SessionMiddleware").flush().await?;
//!     Ok(HttpResponse::new("bye"))
//! }
//!
//! let app = App::builder()
//!     .settings(Settings {
//!         secret_key: "s3cr3t".into(),
//!         // SESSION_ENGINE is `db` by default; an in-memory SQLite keeps the example hermetic.
//!         database_url: "sqlite::memory:".into(),
//!         ..Settings::default()
//!     })
//!     .middleware(SessionMiddleware::new())
//!     .urls(vec![path("set", set_session), path("logout", logout)])
//!     .build()
//!     .unwrap();
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let client = nuages::test::Client::new(app);
//! let resp = client.get("/set").send().await;
//! assert!(resp.set_cookies()[0].starts_with("sessionid="));
//! let resp = client.get("/logout").send().await;
//! assert_eq!(
//!     resp.set_cookies(),
//!     ["sessionid=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax"]
//! );
//! # });
//! ```

pub mod backends;
pub mod exceptions;
pub mod management;
pub mod middleware;

pub use backends::base::{
    Clock, Expiry, Session, SessionBase, SessionData, SessionGuard, SessionStore, EXPIRY_KEY,
};
pub use backends::signed_cookies::SignedCookieStore;
pub use backends::{CacheStore, CachedDatabaseStore, DatabaseStore, FileStore};
pub use exceptions::{InvalidSessionKey, SessionError, SessionInterrupted, SuspiciousSession};
pub use middleware::SessionMiddleware;

use crate::HttpRequest;

/// `request.session` on [`HttpRequest`]: the [`Session`] that [`SessionMiddleware`] attached.
///
/// # Examples
/// ```
/// use nuages::sessions::RequestSessionExt;
/// let req = nuages::test::RequestFactory::new().get("/").build();
/// assert!(req.session().is_none()); // no SessionMiddleware ran
/// ```
pub trait RequestSessionExt {
    /// The request's session, `None` when [`SessionMiddleware`] is not installed (Django raises
    /// `AttributeError` there).
    #[doc(alias = "request.session")]
    fn session(&self) -> Option<&Session>;
}

impl RequestSessionExt for HttpRequest {
    fn session(&self) -> Option<&Session> {
        Some(self.attached().get::<middleware::LazySession>()?.get())
    }
}

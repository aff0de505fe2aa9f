//! The equivalent of `django/contrib/sessions/backends/signed_cookies.py`: the session data
//! lives in the cookie itself, signed (and, when it helps, compressed) with SECRET_KEY.

use super::base::{SessionBase, SessionData, SessionStore};
use crate::sessions::exceptions::SessionError;
use crate::signing::{self, MaxAge};
use crate::views::BoxFuture;

/// The salt of the signed-cookie backend.
pub const SALT: &str = "django.contrib.sessions.backends.signed_cookies";

/// `django.contrib.sessions.backends.signed_cookies.SessionStore`: the "session key" is the
/// data itself, `signing.dumps(session, salt=SALT, compress=True)` keyed on SECRET_KEY (a
/// TimestampSigner), read back with `max_age = SESSION_COOKIE_AGE` and SECRET_KEY_FALLBACKS. A
/// tampered, expired or unreadable cookie is an empty session, which is then marked modified
/// (so Django sends a fresh cookie): nothing here ever fails.
///
/// Values are byte-for-byte Django's: a cookie set by one is read by the other.
///
/// # Examples
/// ```
/// use std::sync::Arc;
/// use chrono::DateTime;
/// use nuages::sessions::backends::SessionStore;
/// use nuages::sessions::{Clock, SessionBase, SignedCookieStore};
/// use nuages::Settings;
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let settings = Arc::new(Settings {
///     secret_key: "nuages-reference-secret-key-do-not-use-in-production".into(),
///     ..Settings::default()
/// });
/// let clock = Clock::fixed(DateTime::from_timestamp(1_700_000_000, 0).unwrap());
/// let store = SignedCookieStore::new();
///
/// let mut s = SessionBase::new(None, settings.clone()).with_clock(clock.clone());
/// let data = s.load_with(&store, false).await.unwrap();
/// data.insert("username".into(), "john_doe".into());
/// data.insert("visit_count".into(), 1.into());
/// store.save(&mut s, false).await.unwrap();
/// // What Django's SessionStore.save() produces for the same data, key and time:
/// let value = "eyJ1c2VybmFtZSI6ImpvaG5fZG9lIiwidmlzaXRfY291bnQiOjF9:1r31eq:\
///              3qKhJ63z54OZqN4C3o1-96iiVMSVKG7YD6aANcbVSzQ";
/// assert_eq!(s.session_key(), Some(value));
///
/// let mut back = SessionBase::new(Some(value.into()), settings).with_clock(clock);
/// assert_eq!(back.load_with(&store, false).await.unwrap()["visit_count"], 1);
/// # });
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SignedCookieStore;

impl SignedCookieStore {
    /// The store.
    pub fn new() -> Self {
        SignedCookieStore
    }

    /// Django's `_get_session_key()`: the signed, compressed data.
    fn session_key_for(session: &SessionBase, data: &SessionData) -> Result<String, SessionError> {
        let secret = &session.settings().secret_key;
        signing::dumps_at(data, secret, SALT, true, session.now())
            .map_err(|e| SessionError::Serialization(e.to_string()))
    }
}

impl SessionStore for SignedCookieStore {
    fn load<'a>(
        &'a self,
        session: &'a mut SessionBase,
    ) -> BoxFuture<'a, Result<SessionData, SessionError>> {
        let max_age = MaxAge::Seconds(session.get_session_cookie_age());
        let loaded = session
            .session_key()
            .map(|key| session.loads(key, SALT, Some(max_age)));
        match loaded {
            Some(Ok(data)) => Box::pin(std::future::ready(Ok(data))),
            // BadSignature, ValueError, …: Django resets the session with create().
            _ => Box::pin(async move {
                self.create(session).await?;
                Ok(SessionData::new())
            }),
        }
    }

    fn exists<'a>(&'a self, _session_key: &'a str) -> BoxFuture<'a, Result<bool, SessionError>> {
        Box::pin(std::future::ready(Ok(false)))
    }

    fn create<'a>(
        &'a self,
        session: &'a mut SessionBase,
    ) -> BoxFuture<'a, Result<(), SessionError>> {
        session.set_modified(true);
        Box::pin(std::future::ready(Ok(())))
    }

    fn save<'a>(
        &'a self,
        session: &'a mut SessionBase,
        _must_create: bool,
    ) -> BoxFuture<'a, Result<(), SessionError>> {
        Box::pin(async move {
            let data = session.load_with(self, false).await?;
            let data = std::mem::take(data);
            let key = Self::session_key_for(session, &data);
            session.set_cache(Some(data));
            session.set_session_key(Some(key?));
            session.set_modified(true);
            Ok(())
        })
    }

    fn delete<'a>(
        &'a self,
        session: &'a mut SessionBase,
        _session_key: Option<&'a str>,
    ) -> BoxFuture<'a, Result<(), SessionError>> {
        session.set_session_key(None);
        session.set_cache(Some(SessionData::new()));
        session.set_modified(true);
        Box::pin(std::future::ready(Ok(())))
    }

    fn cycle_key<'a>(
        &'a self,
        session: &'a mut SessionBase,
    ) -> BoxFuture<'a, Result<(), SessionError>> {
        self.save(session, false)
    }

    fn clear_expired(&self) -> BoxFuture<'_, Result<(), SessionError>> {
        Box::pin(std::future::ready(Ok(())))
    }

    fn name(&self) -> &'static str {
        "signed_cookies"
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::DateTime;

    use super::*;
    use crate::conf::Settings;
    use crate::sessions::backends::base::Clock;

    const KEY: &str = "nuages-reference-secret-key-do-not-use-in-production";

    fn session(value: Option<&str>, at: i64) -> SessionBase {
        let settings = Arc::new(Settings {
            secret_key: KEY.into(),
            ..Settings::default()
        });
        let t = DateTime::from_timestamp(at, 0).unwrap_or_default();
        SessionBase::new(value.map(str::to_owned), settings).with_clock(Clock::fixed(t))
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .map(|rt| rt.block_on(f))
            .unwrap_or_else(|e| panic!("runtime: {e}"))
    }

    #[test]
    fn empty_session_is_e30() {
        let mut s = session(None, 1_700_000_000);
        block_on(SignedCookieStore.save(&mut s, false)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            s.session_key(),
            Some("e30:1r31eq:IIVZi966cuY8FXYobz23QXRNboG9pvJPB5Aqpl2pLJU")
        );
    }

    #[test]
    fn expired_or_tampered_is_empty_and_modified() {
        let good = "eyJ1c2VybmFtZSI6ImpvaG5fZG9lIiwidmlzaXRfY291bnQiOjF9:1r31eq:3qKhJ63z54OZqN4C3o1-96iiVMSVKG7YD6aANcbVSzQ";
        let age = Settings::default().session_cookie_age;
        // Exactly SESSION_COOKIE_AGE old: still valid.
        let mut s = session(Some(good), 1_700_000_000 + age);
        let data = block_on(s.load_with(&SignedCookieStore, false)).map(|d| d.clone());
        assert_eq!(data.map(|d| d.len()).ok(), Some(2));
        assert!(!s.modified());
        // One second more: expired.
        let mut s = session(Some(good), 1_700_000_000 + age + 1);
        let data = block_on(s.load_with(&SignedCookieStore, false)).map(|d| d.clone());
        assert_eq!(data.map(|d| d.len()).ok(), Some(0));
        assert!(s.modified() && s.session_key() == Some(good));
        // Tampered.
        let bad = good.replacen("eyJ1", "eyJ2", 1);
        let mut s = session(Some(&bad), 1_700_000_000);
        let data = block_on(s.load_with(&SignedCookieStore, false)).map(|d| d.clone());
        assert_eq!(data.map(|d| d.len()).ok(), Some(0));
        assert!(s.modified());
    }
}

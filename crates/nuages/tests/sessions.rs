//! `django.contrib.sessions` with the signed-cookie backend, through the test client and an
//! application using [`SessionMiddleware`]; every `session.*` golden case of
//! `tests/data/golden/signing.json` through the session API; and wire compatibility with
//! cookies produced by real Django 5.2.

mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, Utc};
use nuages::conf::SessionEngine;
use nuages::sessions::backends::{random_session_key, SessionStore};
use nuages::sessions::{
    Clock, Expiry, RequestSessionExt, Session, SessionBase, SessionData, SessionError,
    SessionMiddleware, SignedCookieStore,
};
use nuages::test::Client;
use nuages::urls::path;
use nuages::views::BoxFuture;
use nuages::{App, Error, HttpRequest, HttpResponse, JsonResponse, Result, Settings};
use serde_json::{json, Value};

/// The SECRET_KEY of the Django reference (ROUTES.md §1).
const SECRET_KEY: &str = "nuages-reference-secret-key-do-not-use-in-production";
/// 2023-11-14T22:13:20Z, base62 `1r31eq`.
const T0: i64 = 1_700_000_000;

/// Produced by the Django reference server (Django 5.2, signed_cookies engine, SECRET_KEY above):
/// `curl -s -i -H 'Host: testserver' http://127.0.0.1:8001/set_session` answered
/// `Set-Cookie: sessionid=<this>; expires=Sun, 06 Dec 2026 00:43:32 GMT; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax`
/// Its data is `{"username": "john_doe", "visit_count": 1}`, signed at [`DJANGO_SERVER_SIGNED_AT`].
const DJANGO_SERVER_COOKIE: &str = "eyJ1c2VybmFtZSI6ImpvaG5fZG9lIiwidmlzaXRfY291bnQiOjF9:1xUvg4:JsoSuoJdlV_NLLKPjvuKfcyqLgltdHXxaZlcZLC6pRs";
/// `signing.b62_decode("1xUvg4")`.
const DJANGO_SERVER_SIGNED_AT: i64 = 1_795_308_212;

/// Produced by Django 5.2 in the reference venv, with the clock frozen at [`T0`]
/// (`mock.patch("time.time", return_value=1700000000.0)`):
/// ```python
/// s = SessionStore()  # django.contrib.sessions.backends.signed_cookies
/// s["username"] = "john_doe"; s["visit_count"] = 1
/// s.save(); s.session_key
/// ```
const DJANGO_T0_COOKIE: &str = "eyJ1c2VybmFtZSI6ImpvaG5fZG9lIiwidmlzaXRfY291bnQiOjF9:1r31eq:3qKhJ63z54OZqN4C3o1-96iiVMSVKG7YD6aANcbVSzQ";

/// As [`DJANGO_T0_COOKIE`], for a compressible session with non-ASCII text and an expiry:
/// ```python
/// s = SessionStore()
/// s["cart"] = ["apple", "banana", "apple", "banana", "apple", "banana"]
/// s["user"] = {"name": "Zoë", "id": 42, "tags": ["a", "b", "a", "b"]}
/// s["ratio"] = 0.5
/// s.set_expiry(3600)
/// s.save(); s.session_key
/// ```
const DJANGO_T0_COMPRESSED: &str = ".eJyFjFEKwjAQRO8y34ssav3Yo6ilbOsiAU1CNgWl9O6mvYDMxwzDzFswaamQGzTnl4Ewamxq4V_RE2a3AlkQ9W0QXNN9ZraxbcIDcj4Sqj59p2-_jbF7vxKK1pAgfOgIg5t7SHGwTw7lCzldmNcfthgvZQ:1r31eq:LvIMOUwCYMLTC8Hf_jscrfKCA3EGPQTcgsVQy8POfSY";

/// The same session signed by Django's server a few seconds later (timestamp `1xUvhQ`).
const DJANGO_SERVER_COMPRESSED: &str = ".eJyFjFEKwjAQRO8y34ssav3Yo6ilbOsiAU1CNgWl9O6mvYDMxwzDzFswaamQGzTnl4Ewamxq4V_RE2a3AlkQ9W0QXNN9ZraxbcIDcj4Sqj59p2-_jbF7vxKK1pAgfOgIg5t7SHGwTw7lCzldmNcfthgvZQ:1xUvhQ:zwmCpVTncRjcU1VjSi7l-RXEpLfcmt597pIzLSZxgHE";

fn compressed_data() -> Value {
    json!({
        "cart": ["apple", "banana", "apple", "banana", "apple", "banana"],
        "user": {"name": "Zoë", "id": 42, "tags": ["a", "b", "a", "b"]},
        "ratio": 0.5,
        "_session_expiry": 3600
    })
}

fn at(epoch: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(epoch, 0).expect("valid epoch")
}

/// The settings of these tests: the signed-cookie engine (the library default is `db`).
fn settings() -> Settings {
    Settings {
        secret_key: SECRET_KEY.into(),
        allowed_hosts: vec!["testserver".into()],
        session_engine: SessionEngine::SignedCookies,
        ..Settings::default()
    }
}

fn session_of(req: &HttpRequest) -> Result<&Session> {
    req.session()
        .ok_or_else(|| Error::msg("SessionMiddleware is not installed"))
}

// ----- the views (the seed app's set_session/get_session, and friends) -----

async fn set_session(req: HttpRequest) -> Result<HttpResponse> {
    let mut s = session_of(&req)?.load().await?;
    s.insert("username", "john_doe");
    let n = s.get::<i64>("visit_count")?.unwrap_or(0) + 1;
    s.insert("visit_count", n);
    Ok(HttpResponse::new("Session data set"))
}

async fn get_session(req: HttpRequest) -> Result<HttpResponse> {
    let s = session_of(&req)?.load().await?;
    let username = s
        .get::<String>("username")?
        .unwrap_or_else(|| "Guest".into());
    let visits = s.get::<i64>("visit_count")?.unwrap_or(0);
    Ok(HttpResponse::new(format!(
        "Hello {username}! Visits: {visits}"
    )))
}

async fn dump(req: HttpRequest) -> Result<HttpResponse> {
    let s = session_of(&req)?.load().await?;
    Ok(JsonResponse::new(&Value::Object(s.data().clone()))?)
}

async fn untouched(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("untouched")
}

async fn logout(req: HttpRequest) -> Result<HttpResponse> {
    session_of(&req)?.flush().await?;
    Ok(HttpResponse::new("bye"))
}

async fn login(req: HttpRequest) -> Result<HttpResponse> {
    let session = session_of(&req)?;
    session.cycle_key().await?;
    session.set("user_id", 42).await?;
    Ok(HttpResponse::new("welcome"))
}

async fn modify_then_500(req: HttpRequest) -> Result<HttpResponse> {
    session_of(&req)?.insert("x", 1).await?;
    Ok(HttpResponse::new("oops").with_status(http::StatusCode::INTERNAL_SERVER_ERROR))
}

async fn modify_then_fail(req: HttpRequest) -> Result<HttpResponse> {
    session_of(&req)?.insert("x", 1).await?;
    Err(Error::msg("view failed"))
}

async fn expire_in_300(req: HttpRequest) -> Result<HttpResponse> {
    session_of(&req)?.set_expiry(300).await?;
    Ok(HttpResponse::new("300"))
}

async fn expire_at_close(req: HttpRequest) -> Result<HttpResponse> {
    session_of(&req)?.set_expiry(Expiry::BrowserClose).await?;
    Ok(HttpResponse::new("close"))
}

async fn remove_all(req: HttpRequest) -> Result<HttpResponse> {
    let mut s = session_of(&req)?.load().await?;
    let keys: Vec<String> = s.keys().map(str::to_owned).collect();
    for k in keys {
        s.remove(&k);
    }
    Ok(HttpResponse::new("emptied"))
}

/// Modifies the session, then deletes its record behind its back (a concurrent logout).
async fn delete_record(req: HttpRequest) -> Result<HttpResponse> {
    let session = session_of(&req)?;
    session.insert("x", 1).await?;
    let store = Arc::clone(session.store());
    store.delete(&mut *session.lock().await, None).await?;
    Ok(HttpResponse::new("deleted"))
}

fn app_with(middleware: SessionMiddleware) -> App {
    app_with_settings(settings(), middleware)
}

fn app_with_settings(settings: Settings, middleware: SessionMiddleware) -> App {
    App::builder()
        .settings(settings)
        .middleware(middleware)
        .urls(vec![
            path("set_session", set_session),
            path("get_session", get_session),
            path("dump", dump),
            path("untouched", untouched),
            path("logout", logout),
            path("login", login),
            path("modify_then_500", modify_then_500),
            path("modify_then_fail", modify_then_fail),
            path("expire_in_300", expire_in_300),
            path("expire_at_close", expire_at_close),
            path("remove_all", remove_all),
            path("delete_record", delete_record),
        ])
        .build()
        .expect("valid app")
}

fn app_at(settings: Settings, now: i64) -> App {
    app_with_settings(
        settings,
        SessionMiddleware::new().with_clock(Clock::fixed(at(now))),
    )
}

fn app() -> App {
    app_with(SessionMiddleware::new())
}

const DELETED: &str =
    "sessionid=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax";

// ----- through the middleware -----

#[tokio::test]
async fn visit_counter_round_trips() {
    let client = Client::new(app());
    let r = client.get("/get_session").send().await;
    assert_eq!(r.text(), "Hello Guest! Visits: 0");
    for n in 1..=3 {
        let r = client.get("/set_session").send().await;
        assert_eq!(r.text(), "Session data set");
        assert_eq!(r.set_cookies().len(), 1, "visit {n}");
        let r = client.get("/get_session").send().await;
        assert_eq!(r.text(), format!("Hello john_doe! Visits: {n}"));
        assert!(
            r.set_cookies().is_empty(),
            "reading does not re-set the cookie"
        );
        assert_eq!(r.header("vary"), Some("Cookie"));
    }
}

#[tokio::test]
async fn set_cookie_is_byte_identical_to_django() {
    // Django at the same instant: the spec's observed cookie format (rule J.136), with the value
    // Django's SessionStore.save() produces for this data at T0.
    let client = Client::new(app_at(settings(), T0));
    let r = client.get("/set_session").send().await;
    assert_eq!(
        r.set_cookies(),
        [format!(
            "sessionid={DJANGO_T0_COOKIE}; expires=Tue, 28 Nov 2023 22:13:20 GMT; HttpOnly; \
             Max-Age=1209600; Path=/; SameSite=Lax"
        )]
    );
    assert_eq!(r.header("vary"), Some("Cookie"));
}

#[tokio::test]
async fn vary_cookie_only_when_accessed() {
    let client = Client::new(app());
    // No cookie, session untouched: nothing.
    let r = client.get("/untouched").send().await;
    assert_eq!(r.header("vary"), None);
    assert!(r.set_cookies().is_empty());
    // No cookie, session read: Vary, but an empty unmodified session sets no cookie.
    let r = client.get("/get_session").send().await;
    assert_eq!(r.header("vary"), Some("Cookie"));
    assert!(r.set_cookies().is_empty());
    // A valid cookie, session untouched: not loaded, nothing added.
    client.get("/set_session").send().await;
    let r = client.get("/untouched").send().await;
    assert_eq!(r.header("vary"), None);
    assert!(r.set_cookies().is_empty());
}

#[tokio::test]
async fn garbage_and_tampered_cookies_are_empty_sessions() {
    let client = Client::new(app_at(settings(), T0));
    // Like Django: a bad cookie of 8+ characters is reset with create(), so the (empty)
    // session is saved again: `e30` is `{}`.
    let fresh_empty = "sessionid=e30:1r31eq:IIVZi966cuY8FXYobz23QXRNboG9pvJPB5Aqpl2pLJU; \
                       expires=Tue, 28 Nov 2023 22:13:20 GMT; HttpOnly; Max-Age=1209600; Path=/; \
                       SameSite=Lax";
    let tampered = DJANGO_T0_COOKIE.replacen("eyJ1c2Vy", "eyJ2c2Vy", 1);
    let bad_sig = format!("{}x", &DJANGO_T0_COOKIE[..DJANGO_T0_COOKIE.len() - 1]);
    for cookie in [
        "garbagegarbage",
        "a:b:c:d:e",
        tampered.as_str(),
        bad_sig.as_str(),
    ] {
        let r = client
            .get("/get_session")
            .header("Cookie", &format!("sessionid={cookie}"))
            .send()
            .await;
        assert_eq!(r.text(), "Hello Guest! Visits: 0", "{cookie}");
        assert_eq!(r.set_cookies(), [fresh_empty], "{cookie}");
        assert_eq!(r.header("vary"), Some("Cookie"), "{cookie}");
        // Untouched: the bad cookie is left alone.
        let r = client
            .get("/untouched")
            .header("Cookie", &format!("sessionid={cookie}"))
            .send()
            .await;
        assert!(r.set_cookies().is_empty(), "{cookie}");
        assert_eq!(r.header("vary"), None, "{cookie}");
    }
    // Shorter than 8 characters (or empty): no session key at all, so the session is empty
    // and the cookie is deleted, even when the view does not touch the session.
    for cookie in ["", "short", "1234567"] {
        for url in ["/get_session", "/untouched"] {
            let r = client
                .get(url)
                .header("Cookie", &format!("sessionid={cookie}"))
                .send()
                .await;
            assert_eq!(r.set_cookies(), [DELETED], "{url} {cookie:?}");
            assert_eq!(r.header("vary"), Some("Cookie"), "{url} {cookie:?}");
        }
    }
}

#[tokio::test]
async fn expired_cookie_is_an_empty_session() {
    let age = settings().session_cookie_age;
    let client = Client::new(app_at(settings(), T0 + age));
    let r = client
        .get("/get_session")
        .header("Cookie", &format!("sessionid={DJANGO_T0_COOKIE}"))
        .send()
        .await;
    assert_eq!(r.text(), "Hello john_doe! Visits: 1", "exactly max_age old");
    let client = Client::new(app_at(settings(), T0 + age + 1));
    let r = client
        .get("/get_session")
        .header("Cookie", &format!("sessionid={DJANGO_T0_COOKIE}"))
        .send()
        .await;
    assert_eq!(r.text(), "Hello Guest! Visits: 0", "one second too old");
}

#[tokio::test]
async fn flush_deletes_the_cookie() {
    let client = Client::new(app());
    client.get("/set_session").send().await;
    assert!(client.cookies().contains_key("sessionid"));
    let r = client.get("/logout").send().await;
    assert_eq!(r.set_cookies(), [DELETED]);
    assert_eq!(r.header("vary"), Some("Cookie"));
    assert!(!client.cookies().contains_key("sessionid"));
    let r = client.get("/get_session").send().await;
    assert_eq!(r.text(), "Hello Guest! Visits: 0");
}

#[tokio::test]
async fn flush_without_cookie_sets_nothing() {
    // test_flush_empty_without_session_cookie_doesnt_set_cookie
    let client = Client::new(app());
    let r = client.get("/logout").send().await;
    assert!(r.set_cookies().is_empty());
    assert_eq!(r.header("vary"), Some("Cookie"));
}

#[tokio::test]
async fn emptied_session_deletes_the_cookie() {
    let client = Client::new(app());
    client.get("/set_session").send().await;
    let r = client.get("/remove_all").send().await;
    // The signed-cookie key stays until saved, so Django saves `{}` rather than deleting.
    assert_eq!(r.set_cookies().len(), 1);
    assert!(r.set_cookies()[0].starts_with("sessionid=e30:"));
}

#[tokio::test]
async fn no_save_on_server_errors() {
    // test_session_save_on_500: accessed and modified, but a 500 skips the save.
    let client = Client::new(app());
    for url in ["/modify_then_500", "/modify_then_fail"] {
        let r = client.get(url).send().await;
        assert_eq!(r.status(), 500, "{url}");
        assert!(r.set_cookies().is_empty(), "{url}");
    }
    let r = client.get("/modify_then_500").send().await;
    assert_eq!(r.header("vary"), Some("Cookie"));
}

#[tokio::test]
async fn cycle_key_keeps_the_data() {
    let client = Client::new(app());
    client.get("/set_session").send().await;
    let r = client.get("/login").send().await;
    assert_eq!(r.set_cookies().len(), 1);
    let r = client.get("/dump").send().await;
    assert_eq!(
        r.json().ok(),
        Some(json!({"username": "john_doe", "visit_count": 1, "user_id": 42}))
    );
}

#[tokio::test]
async fn expiry_settings_shape_the_cookie() {
    let client = Client::new(app_at(settings(), T0));
    let r = client.get("/expire_in_300").send().await;
    let c = &r.set_cookies()[0];
    assert!(
        c.ends_with(
            "; expires=Tue, 14 Nov 2023 22:18:20 GMT; HttpOnly; Max-Age=300; Path=/; SameSite=Lax"
        ),
        "{c}"
    );
    let r = client.get("/expire_at_close").send().await;
    let c = &r.set_cookies()[0];
    assert!(c.ends_with("; HttpOnly; Path=/; SameSite=Lax"), "{c}");
    assert!(!c.contains("expires") && !c.contains("Max-Age"), "{c}");

    let config = Settings {
        session_expire_at_browser_close: true,
        ..settings()
    };
    let client = Client::new(app_at(config, T0));
    let r = client.get("/set_session").send().await;
    assert_eq!(
        r.set_cookies(),
        [format!(
            "sessionid={DJANGO_T0_COOKIE}; HttpOnly; Path=/; SameSite=Lax"
        )]
    );
}

#[tokio::test]
async fn cookie_settings() {
    // test_secure_session_cookie, test_httponly_session_cookie, test_samesite_session_cookie,
    // test_session_delete_on_end_with_custom_domain_and_path.
    let config = Settings {
        session_cookie_name: "sid".into(),
        session_cookie_age: 60,
        session_cookie_domain: Some(".example.local".into()),
        session_cookie_secure: true,
        session_cookie_httponly: false,
        session_cookie_path: "/example/".into(),
        session_cookie_samesite: Some("Strict".into()),
        ..settings()
    };
    let client = Client::new(app_at(config, T0));
    let r = client.get("/set_session").send().await;
    let c = &r.set_cookies()[0];
    assert!(c.starts_with("sid=eyJ1c2VybmFtZSI6ImpvaG5fZG9lIiwidmlzaXRfY291bnQiOjF9:1r31eq:"));
    assert!(
        c.ends_with(
            "; Domain=.example.local; expires=Tue, 14 Nov 2023 22:14:20 GMT; Max-Age=60; \
             Path=/example/; SameSite=Strict; Secure"
        ),
        "{c}"
    );
    let r = client.get("/logout").send().await;
    assert_eq!(
        r.set_cookies(),
        [
            "sid=\"\"; Domain=.example.local; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; \
          Path=/example/; SameSite=Strict"
        ]
    );

    let config = Settings {
        session_cookie_samesite: None,
        ..settings()
    };
    let client = Client::new(app_at(config, T0));
    let r = client.get("/set_session").send().await;
    assert!(r.set_cookies()[0].ends_with("; HttpOnly; Max-Age=1209600; Path=/"));
}

#[tokio::test]
async fn save_every_request() {
    let config = Settings {
        session_save_every_request: true,
        ..settings()
    };
    let client = Client::new(app_at(config, T0));
    // Nothing to save without a session.
    let r = client.get("/untouched").send().await;
    assert!(r.set_cookies().is_empty());
    assert_eq!(r.header("vary"), None);
    // With one, the cookie is refreshed on every response, accessed or not.
    client.get("/set_session").send().await;
    let r = client.get("/untouched").send().await;
    assert_eq!(r.set_cookies().len(), 1);
    assert!(r.set_cookies()[0].starts_with(&format!("sessionid={DJANGO_T0_COOKIE};")));
    assert_eq!(r.header("vary"), Some("Cookie"));
}

// ----- wire compatibility with Django -----

#[tokio::test]
async fn cookie_from_the_django_server_loads() {
    let client = Client::new(app_at(settings(), DJANGO_SERVER_SIGNED_AT + 3600));
    let r = client
        .get("/get_session")
        .header("Cookie", &format!("sessionid={DJANGO_SERVER_COOKIE}"))
        .send()
        .await;
    assert_eq!(r.text(), "Hello john_doe! Visits: 1");
    assert!(r.set_cookies().is_empty());

    // Continuing the Django session in nuages.
    client.set_cookie("sessionid", DJANGO_SERVER_COOKIE);
    client.get("/set_session").send().await;
    let r = client.get("/get_session").send().await;
    assert_eq!(r.text(), "Hello john_doe! Visits: 2");

    for (cookie, now) in [
        (DJANGO_SERVER_COMPRESSED, DJANGO_SERVER_SIGNED_AT + 60),
        (DJANGO_T0_COMPRESSED, T0),
    ] {
        let client = Client::new(app_at(settings(), now));
        let r = client
            .get("/dump")
            .header("Cookie", &format!("sessionid={cookie}"))
            .send()
            .await;
        assert_eq!(r.json().ok(), Some(compressed_data()), "{cookie}");
    }
}

#[tokio::test]
async fn nuages_cookies_are_what_django_writes() {
    // The same data, key and instant give Django's bytes exactly (compressed or not), so Django
    // reads nuages's cookies (also checked by `reference_server_reads_nuages_cookie`).
    for (data, expected) in [
        (
            json!({"username": "john_doe", "visit_count": 1}),
            DJANGO_T0_COOKIE,
        ),
        (compressed_data(), DJANGO_T0_COMPRESSED),
    ] {
        let mut s = base(None, T0);
        let Value::Object(map) = data else {
            panic!("object")
        };
        s.set_cache(Some(map));
        SignedCookieStore.save(&mut s, false).await.expect("save");
        assert_eq!(s.session_key(), Some(expected));
    }
}

// ----- the session object -----

fn base(key: Option<&str>, now: i64) -> SessionBase {
    SessionBase::new(key.map(str::to_owned), Arc::new(settings())).with_clock(Clock::fixed(at(now)))
}

#[tokio::test]
async fn lazy_load_and_flags() {
    let session = Session::new(
        Arc::new(SignedCookieStore),
        base(Some(DJANGO_T0_COOKIE), T0),
    );
    assert!(!session.accessed().await);
    assert!(!session.is_empty().await, "a key, not loaded");
    assert!(!session.lock().await.is_loaded());
    assert_eq!(session.len().await.ok(), Some(2));
    assert!(session.accessed().await && !session.modified().await);
    assert_eq!(session.get::<i64>("visit_count").await.ok(), Some(Some(1)));
    assert!(matches!(
        session.get::<i64>("username").await,
        Err(SessionError::Serialization(_))
    ));
    assert_eq!(
        session.keys().await.ok(),
        Some(vec!["username".to_owned(), "visit_count".to_owned()])
    );
    assert!(!session.modified().await);

    // pop / remove of a missing key change nothing.
    assert_eq!(session.pop::<i64>("missing").await.ok(), Some(None));
    assert_eq!(session.remove("missing").await.ok(), Some(None));
    assert!(!session.modified().await);
    // setdefault of an existing key neither.
    assert_eq!(
        session.setdefault("username", "x").await.ok(),
        Some(json!("john_doe"))
    );
    assert!(!session.modified().await);
    assert_eq!(
        session.setdefault("lang", "fr").await.ok(),
        Some(json!("fr"))
    );
    assert!(session.modified().await);

    session.set_modified(false).await;
    assert_eq!(
        session.pop::<String>("lang").await.ok(),
        Some(Some("fr".into()))
    );
    assert!(session.modified().await);
    assert!(session.contains("username").await.unwrap_or(false));
    assert_eq!(
        session.items().await.ok(),
        Some(vec![
            ("username".to_owned(), json!("john_doe")),
            ("visit_count".to_owned(), json!(1))
        ])
    );
}

#[tokio::test]
async fn clear_does_not_load_and_flush_drops_the_key() {
    let session = Session::new(
        Arc::new(SignedCookieStore),
        base(Some(DJANGO_T0_COOKIE), T0),
    );
    session.clear().await;
    {
        let state = session.lock().await;
        assert!(state.accessed() && state.modified());
        assert_eq!(state.cache().map(SessionData::len), Some(0));
        assert!(state.session_key().is_some());
        assert!(!state.is_empty());
    }
    session.flush().await.expect("flush");
    assert_eq!(session.session_key().await, None);
    assert!(session.is_empty().await);
}

#[tokio::test]
async fn expiry_api() {
    let session = Session::new(Arc::new(SignedCookieStore), base(None, T0));
    assert_eq!(session.get_expiry_age().await.ok(), Some(1_209_600));
    assert_eq!(
        session.get_expire_at_browser_close().await.ok(),
        Some(false)
    );
    session.set_expiry(300).await.expect("set");
    assert_eq!(session.get_expiry_age().await.ok(), Some(300));
    assert_eq!(
        session.get_expiry_date().await.ok(),
        Some(at(T0) + TimeDelta::seconds(300))
    );
    session.set_expiry(TimeDelta::hours(1)).await.expect("set");
    assert_eq!(
        session.get_value("_session_expiry").await.ok(),
        Some(Some(json!("2023-11-14T23:13:20+00:00")))
    );
    assert_eq!(session.get_expiry_age().await.ok(), Some(3600));
    session.set_expiry(Expiry::BrowserClose).await.expect("set");
    assert_eq!(session.get_expire_at_browser_close().await.ok(), Some(true));
    session.set_expiry(None::<i64>).await.expect("set");
    assert!(!session.contains("_session_expiry").await.unwrap_or(true));
    assert_eq!(session.get_expiry_age().await.ok(), Some(1_209_600));
}

#[tokio::test]
async fn test_cookie_helpers() {
    let session = Session::new(Arc::new(SignedCookieStore), base(None, T0));
    let mut s = session.load().await.expect("load");
    assert!(!s.test_cookie_worked());
    s.set_test_cookie();
    assert!(s.test_cookie_worked());
    s.delete_test_cookie();
    assert!(!s.test_cookie_worked() && s.is_empty());
}

// ----- golden cases (tests/data/golden/signing.json, kinds session.*) -----

#[tokio::test]
async fn golden_session_cases() {
    let golden: Value = support::golden("signing.json");
    let key = golden["secret_key"].as_str().expect("secret_key");
    let settings = Arc::new(Settings {
        secret_key: key.into(),
        ..Settings::default()
    });
    let mut checked = 0;
    for (i, case) in golden["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .enumerate()
    {
        let kind = case["kind"].as_str().unwrap_or_default();
        if !kind.starts_with("session.") {
            continue;
        }
        let label = format!("case {i} ({kind})");
        let frozen = at(case["frozen_epoch"].as_i64().unwrap_or(T0));
        let mut s = SessionBase::new(None, Arc::clone(&settings)).with_clock(Clock::fixed(frozen));
        match kind {
            "session.db.encode" => {
                let salt = case["key_salt"].as_str().expect("key_salt");
                let data = case["session_dict"].as_object().expect("dict");
                let encoded = s.encode(data, salt).expect("encode");
                assert_eq!(
                    encoded,
                    case["session_data"].as_str().unwrap_or_default(),
                    "{label}"
                );
                assert_eq!(
                    Value::Object(s.decode(&encoded, salt)),
                    case["decode"],
                    "{label}"
                );
            }
            "session.db.decode_garbage" => {
                let garbage = case["session_data"].as_str().expect("session_data");
                let decoded = s.decode(garbage, "django.contrib.sessions.SessionStore");
                assert_eq!(Value::Object(decoded), case["decode"], "{label}");
            }
            "session.signed_cookies.key" => {
                let data = case["session_dict"].as_object().expect("dict");
                s.set_cache(Some(data.clone()));
                SignedCookieStore.save(&mut s, false).await.expect("save");
                let cookie = case["cookie_value"].as_str().expect("cookie_value");
                assert_eq!(s.session_key(), Some(cookie), "{label}");
                let mut back = SessionBase::new(Some(cookie.into()), Arc::clone(&settings))
                    .with_clock(Clock::fixed(frozen));
                let loaded = back
                    .load_with(&SignedCookieStore, false)
                    .await
                    .expect("load");
                assert_eq!(Value::Object(loaded.clone()), case["loads"], "{label}");
            }
            other => panic!("{label}: unknown session case kind {other}"),
        }
        checked += 1;
    }
    assert_eq!(checked, 4, "every session.* golden case is checked");
}

// ----- another backend on the same trait: Django's cache backend, in memory -----

/// `django.contrib.sessions.backends.cache.SessionStore` over a map, to check that a
/// key/value backend fits [`SessionStore`] and the middleware unchanged.
#[derive(Debug, Default)]
struct MemoryStore(Mutex<HashMap<String, String>>);

impl MemoryStore {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl SessionStore for MemoryStore {
    fn load<'a>(
        &'a self,
        s: &'a mut SessionBase,
    ) -> BoxFuture<'a, Result<SessionData, SessionError>> {
        Box::pin(async move {
            let stored = s.session_key().and_then(|k| self.map().get(k).cloned());
            match stored {
                Some(encoded) => Ok(s.decode(&encoded, self.key_salt())),
                None => {
                    s.set_session_key(None);
                    Ok(SessionData::new())
                }
            }
        })
    }

    fn exists<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<bool, SessionError>> {
        Box::pin(async move { Ok(self.map().contains_key(key)) })
    }

    fn create<'a>(&'a self, s: &'a mut SessionBase) -> BoxFuture<'a, Result<(), SessionError>> {
        Box::pin(async move {
            for _ in 0..10_000 {
                s.set_session_key(Some(random_session_key()));
                match self.save(s, true).await {
                    Err(SessionError::Create) => continue,
                    other => other?,
                }
                s.set_modified(true);
                return Ok(());
            }
            Err(SessionError::backend("Unable to create a new session key."))
        })
    }

    fn save<'a>(
        &'a self,
        s: &'a mut SessionBase,
        must_create: bool,
    ) -> BoxFuture<'a, Result<(), SessionError>> {
        Box::pin(async move {
            let Some(key) = s.session_key().map(str::to_owned) else {
                return self.create(s).await;
            };
            let data = s.load_with(self, must_create).await?.clone();
            let encoded = s.encode(&data, self.key_salt())?;
            let mut map = self.map();
            match (must_create, map.contains_key(&key)) {
                (true, true) => return Err(SessionError::Create),
                (false, false) => return Err(SessionError::Update),
                _ => {}
            }
            map.insert(key, encoded);
            Ok(())
        })
    }

    fn delete<'a>(
        &'a self,
        s: &'a mut SessionBase,
        key: Option<&'a str>,
    ) -> BoxFuture<'a, Result<(), SessionError>> {
        Box::pin(async move {
            if let Some(k) = key.or(s.session_key()) {
                self.map().remove(k);
            }
            Ok(())
        })
    }
}

#[tokio::test]
async fn a_key_value_backend_plugs_in() {
    let store = Arc::new(MemoryStore::default());
    let shared: Arc<dyn SessionStore> = store.clone();
    let app = app_with(SessionMiddleware::with_store(shared));
    let client = Client::new(app.clone());
    client.get("/set_session").send().await;
    let key = client.cookies()["sessionid"].clone();
    assert_eq!(key.len(), 32);
    assert!(store.map().contains_key(&key));
    let r = client.get("/set_session").send().await;
    assert_eq!(r.set_cookies().len(), 1, "same key, refreshed cookie");
    assert_eq!(client.cookies()["sessionid"], key);
    let r = client.get("/get_session").send().await;
    assert_eq!(r.text(), "Hello john_doe! Visits: 2");

    // cycle_key: new key, same data, old record gone.
    client.get("/login").send().await;
    let new_key = client.cookies()["sessionid"].clone();
    assert_ne!(new_key, key);
    assert!(!store.map().contains_key(&key));
    let r = client.get("/get_session").send().await;
    assert_eq!(r.text(), "Hello john_doe! Visits: 2");

    // An unknown key: dropped on load, and the now empty session's cookie deleted.
    let r = Client::new(app)
        .get("/get_session")
        .header("Cookie", "sessionid=unknownunknownunknown")
        .send()
        .await;
    assert_eq!(r.text(), "Hello Guest! Visits: 0");
    assert_eq!(r.set_cookies(), [DELETED]);

    // flush: record deleted, cookie deleted.
    let r = client.get("/logout").send().await;
    assert_eq!(r.set_cookies(), [DELETED]);
    assert!(store.map().is_empty());

    // A record deleted by a concurrent request before the middleware saves: a 400
    // (SessionInterrupted), like test_session_update_error_redirect.
    client.get("/set_session").send().await;
    let r = client.get("/delete_record").send().await;
    assert_eq!(r.status(), 400);
    assert!(r.set_cookies().is_empty());

    assert_eq!(
        store.clear_expired().await.err().map(|e| e.to_string()),
        Some("This backend does not support clear_expired().".to_owned())
    );
}

//! Sessions shared with real Django 5.2: the reference server (`shared/reference-django/run`,
//! with `SESSION_BACKEND=db|file|cache|cached_db`, or its default signed cookies) and a nuages app on the same database,
//! directory or Redis. A session set through Django's `/set_session` is read and updated by
//! nuages's `/get_session` and `/set_session`, and the reverse; a logout on one side is seen
//! on the other.
//!
//! Skipped (with a printed notice) when `shared/` is not beside the repository (or named by
//! `NUAGES_SHARED`), and for PostgreSQL / Redis when `NUAGES_TEST_DATABASE_URL` /
//! `NUAGES_TEST_REDIS_URL` are not set.

mod session_support;

use nuages::conf::SessionEngine;
use nuages::test::TestServer;
use nuages::Settings;
use session_support::*;

/// Both directions, and a logout, between the Django reference on `django` and nuages with
/// `settings`.
async fn exchange(what: &str, django: &Process, settings: Settings) {
    let nuages = TestServer::start(app(settings))
        .await
        .expect("nuages server");
    let n = nuages.addr().port();
    let d = django.port;

    // Django creates and updates the session; nuages reads and updates it; Django sees that.
    let first = http_get(d, "/set_session", None).await;
    assert_eq!(first.status, 200, "{what}: {first:?}");
    let key = session_cookie(&first.set_cookies).expect("Django's session cookie");
    assert_eq!(
        key.len(),
        32,
        "{what}: a server-side session key, not signed data: {key}"
    );
    http_get(d, "/set_session", Some(&key)).await;
    let r = http_get(n, "/get_session", Some(&key)).await;
    assert_eq!(
        r.body, "Hello john_doe! Visits: 2",
        "{what}: nuages reads Django's session"
    );
    let r = http_get(n, "/set_session", Some(&key)).await;
    assert_eq!(
        session_cookie(&r.set_cookies).as_deref(),
        Some(key.as_str()),
        "{what}"
    );
    let r = http_get(d, "/get_session", Some(&key)).await;
    assert_eq!(
        r.body, "Hello john_doe! Visits: 3",
        "{what}: Django reads nuages's update"
    );

    // nuages creates it; Django reads and updates it; nuages sees that.
    let r = http_get(n, "/set_session", None).await;
    let key2 = session_cookie(&r.set_cookies).expect("nuages's session cookie");
    let r = http_get(d, "/get_session", Some(&key2)).await;
    assert_eq!(
        r.body, "Hello john_doe! Visits: 1",
        "{what}: Django reads nuages's session"
    );
    http_get(d, "/set_session", Some(&key2)).await;
    let r = http_get(n, "/get_session", Some(&key2)).await;
    assert_eq!(
        r.body, "Hello john_doe! Visits: 2",
        "{what}: nuages reads Django's update"
    );

    // A logout through nuages ends the session for Django too.
    http_get(n, "/logout", Some(&key2)).await;
    let r = http_get(d, "/get_session", Some(&key2)).await;
    assert_eq!(
        r.body, "Hello Guest! Visits: 0",
        "{what}: flushed for Django"
    );
    nuages.shutdown().await.ok();
}

/// `signed_cookies` (the reference's default engine): the data travels in the cookie, signed
/// with the shared SECRET_KEY, so each side reads and extends the other's cookie.
#[tokio::test]
async fn signed_cookies_with_django() {
    let Some(django) = start_django("signed_cookies_with_django", &[]).await else {
        return;
    };
    let nuages = TestServer::start(app(settings(SessionEngine::SignedCookies)))
        .await
        .expect("nuages server");
    let (n, d) = (nuages.addr().port(), django.port);

    let r = http_get(d, "/set_session", None).await;
    let cookie = session_cookie(&r.set_cookies).expect("Django's session cookie");
    let r = http_get(n, "/get_session", Some(&cookie)).await;
    assert_eq!(
        r.body, "Hello john_doe! Visits: 1",
        "nuages reads Django's cookie"
    );
    let r = http_get(n, "/set_session", Some(&cookie)).await;
    let cookie = session_cookie(&r.set_cookies).expect("nuages's session cookie");
    let r = http_get(d, "/get_session", Some(&cookie)).await;
    assert_eq!(
        r.body, "Hello john_doe! Visits: 2",
        "Django reads nuages's cookie"
    );
    let r = http_get(d, "/set_session", Some(&cookie)).await;
    let cookie = session_cookie(&r.set_cookies).expect("Django's updated cookie");
    let r = http_get(n, "/get_session", Some(&cookie)).await;
    assert_eq!(
        r.body, "Hello john_doe! Visits: 3",
        "nuages reads Django's update"
    );
    nuages.shutdown().await.ok();
}

#[tokio::test]
async fn db_on_sqlite_with_django() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("shared.sqlite3");
    let env = [
        ("SESSION_BACKEND", "db".to_owned()),
        ("REFERENCE_SQLITE_PATH", file.display().to_string()),
    ];
    let Some(django) = start_django("db_on_sqlite_with_django", &env).await else {
        return;
    };
    let settings = Settings {
        database_url: format!("sqlite://{}", file.display()),
        ..settings(SessionEngine::Db)
    };
    exchange("db/sqlite", &django, settings).await;
}

/// nuages creates the table on a fresh PostgreSQL database; Django then adopts it
/// (`migrate --fake-initial`) and shares the sessions.
#[tokio::test]
async fn db_on_postgres_with_django() {
    let Some(admin) = pg_url("db_on_postgres_with_django") else {
        return;
    };
    if shared_dir().is_none() {
        println!("SKIPPED db_on_postgres_with_django: shared/reference-django not found");
        return;
    }
    let db = PgDatabase::create(&admin).await;
    let settings = Settings {
        database_url: db.url.clone(),
        ..settings(SessionEngine::Db)
    };
    // nuages first: its DDL must be what Django expects.
    let client = nuages::test::Client::new(app(settings.clone()));
    client.get("/set_session").send().await;
    let early = client.cookies()["sessionid"].clone();
    let env = [
        ("SESSION_BACKEND", "db".to_owned()),
        ("REFERENCE_DATABASE_URL", db.url.clone()),
    ];
    let Some(django) = start_django("db_on_postgres_with_django", &env).await else {
        return;
    };
    let r = http_get(django.port, "/get_session", Some(&early)).await;
    assert_eq!(
        r.body, "Hello john_doe! Visits: 1",
        "Django reads a row of nuages's table"
    );
    exchange("db/postgres", &django, settings).await;
    drop(django);
    db.drop_it().await;
}

#[tokio::test]
async fn file_with_django() {
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [
        ("SESSION_BACKEND", "file".to_owned()),
        (
            "REFERENCE_SESSION_FILE_PATH",
            dir.path().display().to_string(),
        ),
    ];
    let Some(django) = start_django("file_with_django", &env).await else {
        return;
    };
    let settings = Settings {
        session_file_path: Some(dir.path().into()),
        ..settings(SessionEngine::File)
    };
    exchange("file", &django, settings).await;
}

/// The pickle stretch: Django's RedisCache values (pickle protocol 5) read and written.
#[tokio::test]
async fn cache_on_redis_with_django() {
    let Some(url) = redis_url("cache_on_redis_with_django") else {
        return;
    };
    let env = [
        ("SESSION_BACKEND", "cache".to_owned()),
        ("REFERENCE_REDIS_URL", url.clone()),
    ];
    let Some(django) = start_django("cache_on_redis_with_django", &env).await else {
        return;
    };
    let settings = Settings {
        redis_url: url,
        ..settings(SessionEngine::Cache)
    };
    exchange("cache", &django, settings).await;
}

#[tokio::test]
async fn cached_db_with_django() {
    let Some(url) = redis_url("cached_db_with_django") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("cached.sqlite3");
    let env = [
        ("SESSION_BACKEND", "cached_db".to_owned()),
        ("REFERENCE_SQLITE_PATH", file.display().to_string()),
        ("REFERENCE_REDIS_URL", url.clone()),
    ];
    let Some(django) = start_django("cached_db_with_django", &env).await else {
        return;
    };
    let settings = Settings {
        database_url: format!("sqlite://{}", file.display()),
        redis_url: url,
        ..settings(SessionEngine::CachedDb)
    };
    exchange("cached_db", &django, settings).await;
}

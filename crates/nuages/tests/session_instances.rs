//! Several nuages instances behind a load balancer, sharing sessions through PostgreSQL or
//! Redis with no sticky routing:
//!
//! - two `seed_app` processes (the example binary, `cargo build --example seed_app`) on
//!   different ports, configured by `NUAGES_SESSION_ENGINE` / `NUAGES_DATABASE_URL` /
//!   `NUAGES_REDIS_URL`: a client alternating between them sees every `/set_session` update;
//! - two independent apps (each with its own pool) served on two ports: a logout through one
//!   is seen by the other, and a write racing that logout gets a 400 instead of bringing the
//!   session back.
//!
//! Needs `NUAGES_TEST_DATABASE_URL` / `NUAGES_TEST_REDIS_URL` (and, for the processes, the
//! built `seed_app`); prints `SKIPPED …` otherwise.

mod session_support;

use std::path::PathBuf;
use std::time::Duration;

use nuages::conf::SessionEngine;
use nuages::test::TestServer;
use nuages::Settings;
use session_support::*;

fn seed_app_binary(test: &str) -> Option<PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let bin = target.join("debug/examples/seed_app");
    if !bin.is_file() {
        println!(
            "SKIPPED {test}: {} not built (cargo build --example seed_app)",
            bin.display()
        );
        return None;
    }
    Some(bin)
}

/// Two seed_app processes with `env`; a client alternating between them.
async fn alternate_between_processes(test: &str, env: &[(&str, String)]) {
    let Some(bin) = seed_app_binary(test) else {
        return;
    };
    let mut instances = Vec::new();
    for _ in 0..2 {
        let port = free_port();
        let args = ["--addr".to_owned(), format!("127.0.0.1:{port}")];
        instances.push(Process::start(&bin, &args, env, port, Duration::from_secs(60)).await);
    }
    let (a, b) = (instances[0].port, instances[1].port);
    let first = http_get(a, "/set_session", None).await;
    assert_eq!(first.status, 200, "{test}: {first:?}");
    let key = session_cookie(&first.set_cookies).expect("session cookie");
    assert_eq!(key.len(), 32, "{test}: a server-side key");
    for visit in 2..=10 {
        let port = if visit % 2 == 0 { b } else { a };
        let r = http_get(port, "/set_session", Some(&key)).await;
        assert_eq!(r.status, 200, "{test}: visit {visit}");
        assert_eq!(
            session_cookie(&r.set_cookies).as_deref(),
            Some(key.as_str()),
            "{test}"
        );
        let other = if port == a { b } else { a };
        let r = http_get(other, "/get_session", Some(&key)).await;
        assert_eq!(r.body, format!("Hello john_doe! Visits: {visit}"), "{test}");
    }
}

#[tokio::test]
async fn two_seed_apps_share_postgres() {
    let Some(admin) = pg_url("two_seed_apps_share_postgres") else {
        return;
    };
    let db = PgDatabase::create(&admin).await;
    let env = [
        ("NUAGES_SESSION_ENGINE", "db".to_owned()),
        ("NUAGES_DATABASE_URL", db.url.clone()),
    ];
    alternate_between_processes("two_seed_apps_share_postgres", &env).await;
    db.drop_it().await;
}

#[tokio::test]
async fn two_seed_apps_share_redis() {
    let Some(url) = redis_url("two_seed_apps_share_redis") else {
        return;
    };
    let env = [
        ("NUAGES_SESSION_ENGINE", "cache".to_owned()),
        ("NUAGES_REDIS_URL", url),
        ("NUAGES_CACHE_KEY_PREFIX", unique("inst")),
    ];
    alternate_between_processes("two_seed_apps_share_redis", &env).await;
}

#[tokio::test]
async fn two_seed_apps_share_cached_db() {
    let (Some(admin), Some(url)) = (
        pg_url("two_seed_apps_share_cached_db"),
        redis_url("two_seed_apps_share_cached_db"),
    ) else {
        return;
    };
    let db = PgDatabase::create(&admin).await;
    let env = [
        ("NUAGES_SESSION_ENGINE", "cached_db".to_owned()),
        ("NUAGES_DATABASE_URL", db.url.clone()),
        ("NUAGES_REDIS_URL", url),
        ("NUAGES_CACHE_KEY_PREFIX", unique("inst")),
    ];
    alternate_between_processes("two_seed_apps_share_cached_db", &env).await;
    db.drop_it().await;
}

/// Two instances (separate apps, separate pools) on one store: updates, a logout, and a
/// write racing the logout.
async fn flush_and_race(what: &str, settings: Settings) {
    let a = TestServer::start(app(settings.clone()))
        .await
        .expect("server a");
    let b = TestServer::start(app(settings)).await.expect("server b");
    let (pa, pb) = (a.addr().port(), b.addr().port());

    let r = http_get(pa, "/set_session", None).await;
    let key = session_cookie(&r.set_cookies).expect("cookie");
    http_get(pb, "/set_session", Some(&key)).await;
    assert_eq!(
        http_get(pa, "/get_session", Some(&key)).await.body,
        "Hello john_doe! Visits: 2",
        "{what}"
    );

    // A logout through B is seen by A at once.
    let r = http_get(pb, "/logout", Some(&key)).await;
    assert!(
        r.set_cookies[0].starts_with("sessionid=\"\";"),
        "{what}: {r:?}"
    );
    let r = http_get(pa, "/get_session", Some(&key)).await;
    assert_eq!(
        r.body, "Hello Guest! Visits: 0",
        "{what}: flushed for A too"
    );

    // A write on A racing a logout on B: A's save finds the session gone (400), and the
    // session stays gone on both instances.
    for round in 0..3 {
        let r = http_get(pa, "/set_session", None).await;
        let key = session_cookie(&r.set_cookies).expect("cookie");
        let slow = {
            let key = key.clone();
            tokio::spawn(async move { http_get(pa, "/slow_set", Some(&key)).await })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(http_get(pb, "/logout", Some(&key)).await.status, 200);
        let r = slow.await.expect("request");
        assert_eq!(
            r.status, 400,
            "{what} round {round}: SessionInterrupted: {r:?}"
        );
        assert!(
            session_cookie(&r.set_cookies).is_none(),
            "{what}: no new key"
        );
        for port in [pa, pb] {
            let r = http_get(port, "/get_session", Some(&key)).await;
            assert_eq!(r.body, "Hello Guest! Visits: 0", "{what}: not resurrected");
        }
    }
    a.shutdown().await.ok();
    b.shutdown().await.ok();
}

#[tokio::test]
async fn two_instances_on_postgres_flush_and_race() {
    let Some(admin) = pg_url("two_instances_on_postgres_flush_and_race") else {
        return;
    };
    let db = PgDatabase::create(&admin).await;
    let settings = Settings {
        database_url: db.url.clone(),
        ..settings(SessionEngine::Db)
    };
    flush_and_race("db/postgres", settings).await;
    db.drop_it().await;
}

#[tokio::test]
async fn two_instances_on_redis_flush_and_race() {
    let Some(url) = redis_url("two_instances_on_redis_flush_and_race") else {
        return;
    };
    let settings = Settings {
        redis_url: url,
        cache_key_prefix: unique("inst"),
        ..settings(SessionEngine::Cache)
    };
    flush_and_race("cache/redis", settings).await;
}

#[tokio::test]
async fn two_instances_on_cached_db_flush_and_race() {
    let (Some(admin), Some(url)) = (
        pg_url("two_instances_on_cached_db_flush_and_race"),
        redis_url("two_instances_on_cached_db_flush_and_race"),
    ) else {
        return;
    };
    let db = PgDatabase::create(&admin).await;
    let settings = Settings {
        database_url: db.url.clone(),
        redis_url: url,
        cache_key_prefix: unique("inst"),
        ..settings(SessionEngine::CachedDb)
    };
    flush_and_race("cached_db", settings).await;
    db.drop_it().await;
}

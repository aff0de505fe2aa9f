//! The server-side session engines (`db` on SQLite and PostgreSQL, `cache` and `cached_db` on
//! Redis, `file`) through an application and the test client: Django's semantics including
//! the unhappy paths (a session deleted during a request, tampered data, expiry, a store that
//! is down), the same suite for every engine.
//!
//! PostgreSQL and Redis tests run when `NUAGES_TEST_DATABASE_URL` / `NUAGES_TEST_REDIS_URL` are
//! set (`.ci/run` sets them) and print `SKIPPED …` otherwise.

mod session_support;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use nuages::conf::SessionEngine;
use nuages::sessions::backends::{
    CacheStore, CachedDatabaseStore, DatabaseStore, FileStore, SessionStore,
};
use nuages::sessions::{Clock, SessionMiddleware};
use nuages::test::Client;
use nuages::Settings;
use session_support::*;

/// Direct access to where an engine keeps a session, to check or damage it behind the app's
/// back.
enum Backdoor {
    Sqlite(PathBuf),
    Postgres(String),
    Redis {
        url: String,
        prefix: String,
        key_prefix: &'static str,
    },
    File(PathBuf),
}

impl Backdoor {
    async fn sql(url: &str, sql: &str, key: &str) -> u64 {
        use sqlx::Connection;
        if url.starts_with("sqlite") {
            let mut c = sqlx::SqliteConnection::connect(url).await.expect("sqlite");
            let q = sql.replace("$1", "?1");
            sqlx::query(&q)
                .bind(key)
                .execute(&mut c)
                .await
                .expect("sql")
                .rows_affected()
        } else {
            let mut c = sqlx::PgConnection::connect(url).await.expect("postgres");
            sqlx::query(sql)
                .bind(key)
                .execute(&mut c)
                .await
                .expect("sql")
                .rows_affected()
        }
    }

    async fn redis(url: &str, cmd: &redis::Cmd) -> redis::Value {
        let client = redis::Client::open(url).expect("redis url");
        let mut conn = client
            .get_multiplexed_async_connection()
            .await
            .expect("redis connection");
        cmd.query_async(&mut conn).await.expect("redis command")
    }

    fn db_url(&self) -> Option<String> {
        match self {
            Backdoor::Sqlite(p) => Some(format!("sqlite://{}", p.display())),
            Backdoor::Postgres(u) => Some(u.clone()),
            _ => None,
        }
    }

    fn redis_key(prefix: &str, key_prefix: &str, key: &str) -> String {
        format!("{prefix}:1:{key_prefix}{key}")
    }

    async fn exists(&self, key: &str) -> bool {
        match self {
            Backdoor::Redis {
                url,
                prefix,
                key_prefix,
            } => {
                let k = Self::redis_key(prefix, key_prefix, key);
                Self::redis(url, redis::cmd("EXISTS").arg(k)).await == redis::Value::Int(1)
            }
            Backdoor::File(dir) => dir.join(format!("sessionid{key}")).exists(),
            other => {
                let url = other.db_url().unwrap_or_default();
                // An UPDATE that changes nothing tells whether the row is there.
                Self::sql(
                    &url,
                    "UPDATE django_session SET session_key = session_key WHERE session_key = $1",
                    key,
                )
                .await
                    == 1
            }
        }
    }

    async fn remove(&self, key: &str) {
        match self {
            Backdoor::Redis {
                url,
                prefix,
                key_prefix,
            } => {
                let k = Self::redis_key(prefix, key_prefix, key);
                Self::redis(url, redis::cmd("DEL").arg(k)).await;
            }
            Backdoor::File(dir) => {
                let _ = std::fs::remove_file(dir.join(format!("sessionid{key}")));
            }
            other => {
                let url = other.db_url().unwrap_or_default();
                Self::sql(
                    &url,
                    "DELETE FROM django_session WHERE session_key = $1",
                    key,
                )
                .await;
            }
        }
    }

    async fn corrupt(&self, key: &str) {
        match self {
            Backdoor::Redis {
                url,
                prefix,
                key_prefix,
            } => {
                let k = Self::redis_key(prefix, key_prefix, key);
                Self::redis(url, redis::cmd("SET").arg(k).arg("\u{80}garbage").arg("XX")).await;
            }
            Backdoor::File(dir) => {
                std::fs::write(dir.join(format!("sessionid{key}")), "tampered:data:here")
                    .expect("write");
            }
            other => {
                let url = other.db_url().unwrap_or_default();
                Self::sql(
                    &url,
                    "UPDATE django_session SET session_data = 'eyJ1c2VybmFtZSI6ImV2ZSJ9:1r31eq:forged' \
                     WHERE session_key = $1",
                    key,
                )
                .await;
            }
        }
    }
}

fn is_session_key(k: &str) -> bool {
    k.len() == 32
        && k.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// Django's session semantics on one engine.
async fn suite(engine: &str, settings: Settings, door: Backdoor) {
    let client = Client::new(app(settings.clone()));

    // A fresh visitor: no session, no cookie.
    let r = client.get("/get_session").send().await;
    assert_eq!(
        (r.status(), r.text()),
        (200, "Hello Guest! Visits: 0".into()),
        "{engine}"
    );
    assert!(r.set_cookies().is_empty(), "{engine}");

    // Created, then updated: a 32-character key from [a-z0-9], the row behind it.
    client.get("/set_session").send().await;
    let r = client.get("/set_session").send().await;
    let key = session_cookie(r.set_cookies()).expect("session cookie");
    assert!(is_session_key(&key), "{engine}: {key}");
    assert!(door.exists(&key).await, "{engine}: stored");
    let r = client.get("/get_session").send().await;
    assert_eq!(r.text(), "Hello john_doe! Visits: 2", "{engine}");
    assert!(
        r.set_cookies().is_empty(),
        "{engine}: unmodified, not saved"
    );

    // cycle_key() on a session that was not loaded: same data, new key, old record gone.
    let r = client.get("/login").send().await;
    let new_key = session_cookie(r.set_cookies()).expect("new key");
    assert!(is_session_key(&new_key) && new_key != key, "{engine}");
    assert!(!door.exists(&key).await, "{engine}: old key deleted");
    let dump = client.get("/dump").send().await.json().expect("json");
    assert_eq!(dump["visit_count"], 2, "{engine}: data kept");
    assert_eq!(dump["user_id"], 42, "{engine}");

    // The old key is worthless now, and its cookie is deleted (never resurrected).
    let other = Client::new(app(settings.clone()));
    other.set_cookie("sessionid", &key);
    let r = other.get("/get_session").send().await;
    assert_eq!(r.text(), "Hello Guest! Visits: 0", "{engine}");
    assert!(
        r.set_cookies()[0].starts_with("sessionid=\"\";"),
        "{engine}"
    );
    assert!(!door.exists(&key).await, "{engine}");

    // The session is deleted while a request is using it: the save is a 400
    // (SessionInterrupted), the session does not come back, no new key is handed out.
    let slow = {
        let client = Client::new(app(settings.clone()));
        client.set_cookie("sessionid", &new_key);
        tokio::spawn(async move { client.get("/slow_set").send().await })
    };
    tokio::time::sleep(Duration::from_millis(150)).await;
    door.remove(&new_key).await;
    let r = slow.await.expect("request");
    assert_eq!(r.status(), 400, "{engine}: SessionInterrupted");
    assert!(
        session_cookie(r.set_cookies()).is_none(),
        "{engine}: no new key"
    );
    assert!(!door.exists(&new_key).await, "{engine}: not resurrected");

    // flush() (logout) without loading: record deleted, cookie deleted.
    let client = Client::new(app(settings.clone()));
    client.get("/set_session").send().await;
    let key = client.cookies()["sessionid"].clone();
    let r = client.get("/logout").send().await;
    assert!(
        r.set_cookies()[0].starts_with("sessionid=\"\"; expires=Thu, 01 Jan 1970"),
        "{engine}"
    );
    assert!(!door.exists(&key).await, "{engine}: flushed");

    // Tampered data: an empty session, not a 500 (for cached_db the cached copy would win, as
    // in Django: tested on its own below).
    if engine != "cached_db" {
        let client = Client::new(app(settings.clone()));
        client.get("/set_session").send().await;
        let key = client.cookies()["sessionid"].clone();
        door.corrupt(&key).await;
        let r = client.get("/get_session").send().await;
        assert_eq!(
            (r.status(), r.text()),
            (200, "Hello Guest! Visits: 0".into()),
            "{engine}"
        );
    }

    // Expiry is enforced by the store: 15 days later the session is not found.
    let client = Client::new(app(settings.clone()));
    client.get("/set_session").send().await;
    let key = client.cookies()["sessionid"].clone();
    let later = Clock::fixed(Utc::now() + TimeDelta::days(15));
    // (The Redis copy of cache and cached_db expires by its TTL, on Redis's own clock.)
    if !matches!(door, Backdoor::Redis { .. }) && engine != "cached_db" {
        let future = Client::new(app_with(
            settings.clone(),
            SessionMiddleware::new().with_clock(later.clone()),
        ));
        future.set_cookie("sessionid", &key);
        let r = future.get("/get_session").send().await;
        assert_eq!(r.text(), "Hello Guest! Visits: 0", "{engine}: expired");
    }
    // … and clear_expired() removes it.
    let store: Arc<dyn SessionStore> = match engine {
        "cache" => Arc::new(CacheStore::from_settings(&settings).expect("store")),
        "cached_db" => Arc::new(
            CachedDatabaseStore::from_settings(&settings)
                .expect("store")
                .with_clock(later.clone()),
        ),
        "file" => Arc::new(
            FileStore::from_settings(&settings)
                .expect("store")
                .with_clock(later),
        ),
        _ => Arc::new(
            DatabaseStore::from_settings(&settings)
                .expect("store")
                .with_clock(later),
        ),
    };
    store.clear_expired().await.expect("clear_expired");
    if matches!(door, Backdoor::Redis { .. }) {
        assert!(
            door.exists(&key).await,
            "{engine}: Redis expires keys by itself"
        );
    } else {
        assert!(!door.exists(&key).await, "{engine}: cleared");
    }
}

#[tokio::test]
async fn db_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("sub/sessions.sqlite3");
    let settings = Settings {
        database_url: format!("sqlite://{}", file.display()),
        ..settings(SessionEngine::Db)
    };
    suite("db", settings, Backdoor::Sqlite(file.clone())).await;
    assert!(
        file.is_file(),
        "the file (and its directory) were created on first use"
    );
}

#[tokio::test]
async fn db_on_postgres() {
    let Some(admin) = pg_url("db_on_postgres") else {
        return;
    };
    let db = PgDatabase::create(&admin).await;
    let settings = Settings {
        database_url: db.url.clone(),
        ..settings(SessionEngine::Db)
    };
    suite("db", settings, Backdoor::Postgres(db.url.clone())).await;
    // The table is Django's.
    let n = db
        .execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = 'django_session' AND \
             ((column_name = 'session_key' AND data_type = 'character varying' AND \
               character_maximum_length = 40) OR (column_name = 'session_data' AND data_type = \
               'text') OR (column_name = 'expire_date' AND data_type = 'timestamp with time zone'))",
        )
        .await;
    assert_eq!(n, 3);
    let n = db
        .execute(
            "SELECT 1 FROM pg_indexes WHERE tablename = 'django_session' AND indexname IN \
             ('django_session_pkey', 'django_session_session_key_c0390e0f_like', \
              'django_session_expire_date_a5c62663')",
        )
        .await;
    assert_eq!(n, 3);
    db.drop_it().await;
}

#[tokio::test]
async fn file_engine() {
    let dir = tempfile::tempdir().expect("tempdir");
    let settings = Settings {
        session_file_path: Some(dir.path().into()),
        ..settings(SessionEngine::File)
    };
    suite("file", settings, Backdoor::File(dir.path().into())).await;
    // Only session files are left: the temporary files were renamed over them.
    for entry in std::fs::read_dir(dir.path()).expect("dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            name.starts_with("sessionid") && !name.contains("_out_"),
            "{name}"
        );
    }
}

#[tokio::test]
async fn cache_engine_on_redis() {
    let Some(url) = redis_url("cache_engine_on_redis") else {
        return;
    };
    let prefix = unique("t");
    let settings = Settings {
        redis_url: url.clone(),
        cache_key_prefix: prefix.clone(),
        ..settings(SessionEngine::Cache)
    };
    let door = Backdoor::Redis {
        url: url.clone(),
        prefix: prefix.clone(),
        key_prefix: "django.contrib.sessions.cache",
    };
    suite("cache", settings.clone(), door).await;
    // Expiry is Redis's TTL, SESSION_COOKIE_AGE seconds.
    let client = Client::new(app(settings));
    client.get("/set_session").send().await;
    let key = client.cookies()["sessionid"].clone();
    let ttl = Backdoor::redis(
        &url,
        redis::cmd("TTL").arg(format!("{prefix}:1:django.contrib.sessions.cache{key}")),
    )
    .await;
    assert!(
        matches!(ttl, redis::Value::Int(t) if (1_209_590..=1_209_600).contains(&t)),
        "{ttl:?}"
    );
}

#[tokio::test]
async fn cached_db_engine_on_sqlite_and_redis() {
    let Some(url) = redis_url("cached_db_engine_on_sqlite_and_redis") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("cached.sqlite3");
    let settings = Settings {
        database_url: format!("sqlite://{}", file.display()),
        redis_url: url.clone(),
        cache_key_prefix: unique("t"),
        ..settings(SessionEngine::CachedDb)
    };
    suite(
        "cached_db",
        settings.clone(),
        Backdoor::Sqlite(file.clone()),
    )
    .await;

    // The cache is written through; reads come from it, and fall back to the database.
    let client = Client::new(app(settings.clone()));
    client.get("/set_session").send().await;
    let key = client.cookies()["sessionid"].clone();
    let cache = Backdoor::Redis {
        url: url.clone(),
        prefix: settings.cache_key_prefix.clone(),
        key_prefix: "django.contrib.sessions.cached_db",
    };
    assert!(cache.exists(&key).await, "written through");
    cache.remove(&key).await;
    assert_eq!(
        client.get("/get_session").send().await.text(),
        "Hello john_doe! Visits: 1"
    );
    assert!(cache.exists(&key).await, "refilled from the database");
    cache.corrupt(&key).await;
    assert_eq!(
        client.get("/get_session").send().await.text(),
        "Hello john_doe! Visits: 1"
    );
    // Tampered data in the database (and no cached copy): an empty session, not a 500.
    Backdoor::Sqlite(file).corrupt(&key).await;
    cache.remove(&key).await;
    let r = client.get("/get_session").send().await;
    assert_eq!(
        (r.status(), r.text()),
        (200, "Hello Guest! Visits: 0".into())
    );
}

#[tokio::test]
async fn cached_db_engine_on_postgres_and_redis() {
    let (Some(admin), Some(url)) = (
        pg_url("cached_db_engine_on_postgres_and_redis"),
        redis_url("cached_db_engine_on_postgres_and_redis"),
    ) else {
        return;
    };
    let db = PgDatabase::create(&admin).await;
    let settings = Settings {
        database_url: db.url.clone(),
        redis_url: url,
        cache_key_prefix: unique("t"),
        ..settings(SessionEngine::CachedDb)
    };
    suite("cached_db", settings, Backdoor::Postgres(db.url.clone())).await;
    db.drop_it().await;
}

/// A store that is down answers 500 (and logs), never an empty session that would then
/// overwrite the real one; `cached_db` keeps working on the database when Redis is down.
#[tokio::test]
async fn stores_that_are_down_are_500s() {
    let down = |engine| Settings {
        database_url: "postgres://postgres@127.0.0.1:1/nothing".into(),
        database_timeout: Duration::from_millis(500),
        redis_url: "redis://127.0.0.1:1/0".into(),
        redis_timeout: Duration::from_millis(500),
        ..settings(engine)
    };
    for engine in [SessionEngine::Db, SessionEngine::Cache] {
        let client = Client::new(app(down(engine)));
        client.set_cookie("sessionid", "abcdefgh12345678abcdefgh12345678");
        let r = client.get("/get_session").send().await;
        assert_eq!(r.status(), 500, "{engine:?} load");
        assert!(r.set_cookies().is_empty(), "{engine:?}");
        let client = Client::new(app(down(engine)));
        let r = client.get("/set_session").send().await;
        assert_eq!(r.status(), 500, "{engine:?} create");
        assert!(r.set_cookies().is_empty(), "{engine:?}");
        let r = client.get("/logout").send().await;
        assert_eq!(r.status(), 200, "{engine:?}: no key, nothing to delete");
    }
    // cached_db with Redis down and the database up.
    let dir = tempfile::tempdir().expect("tempdir");
    let settings = Settings {
        database_url: format!("sqlite://{}", dir.path().join("db.sqlite3").display()),
        ..down(SessionEngine::CachedDb)
    };
    let client = Client::new(app(settings));
    client.get("/set_session").send().await;
    let r = client.get("/set_session").send().await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        client.get("/get_session").send().await.text(),
        "Hello john_doe! Visits: 2"
    );
    // … but a logout that cannot remove the cached copy fails rather than leave it readable.
    assert_eq!(client.get("/logout").send().await.status(), 500);
}

/// SECRET_KEY_FALLBACKS: data signed with the previous key is still read.
#[tokio::test]
async fn secret_key_fallbacks_decode_stored_sessions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = Settings {
        database_url: format!("sqlite://{}", dir.path().join("db.sqlite3").display()),
        secret_key: "old-key".into(),
        ..settings(SessionEngine::Db)
    };
    let client = Client::new(app(old.clone()));
    client.get("/set_session").send().await;
    let key = client.cookies()["sessionid"].clone();
    let rotated = Settings {
        secret_key: "new-key".into(),
        secret_key_fallbacks: vec!["old-key".into()],
        ..old.clone()
    };
    let client = Client::new(app(rotated));
    client.set_cookie("sessionid", &key);
    assert_eq!(client.get("/set_session").send().await.status(), 200);
    assert_eq!(
        client.get("/get_session").send().await.text(),
        "Hello john_doe! Visits: 2"
    );
    // Without the fallback the data is unreadable: an empty session (logged), not a 500.
    let client = Client::new(app(Settings {
        secret_key: "newer-key".into(),
        ..old
    }));
    client.set_cookie("sessionid", &key);
    let r = client.get("/get_session").send().await;
    assert_eq!(
        (r.status(), r.text()),
        (200, "Hello Guest! Visits: 0".into())
    );
}

/// The default engine needs no set-up: `db` on SQLite, file and table made on first use.
#[tokio::test]
async fn default_engine_is_db_on_sqlite() {
    let s = Settings::default();
    assert_eq!(s.session_engine, SessionEngine::Db);
    assert_eq!(s.database_url, "sqlite://nuages.sqlite3");
    let client = Client::new(app(Settings {
        database_url: "sqlite::memory:".into(),
        ..settings(SessionEngine::default())
    }));
    client.get("/set_session").send().await;
    assert_eq!(
        client.get("/get_session").send().await.text(),
        "Hello john_doe! Visits: 1"
    );
    assert!(is_session_key(&client.cookies()["sessionid"]));
}

/// A missing SESSION_FILE_PATH is refused when the app is built, as Django does.
#[test]
fn file_engine_needs_an_existing_directory() {
    let settings = Settings {
        session_file_path: Some("/nonexistent/nuages/sessions".into()),
        ..settings(SessionEngine::File)
    };
    let err = nuages::App::builder()
        .settings(settings)
        .middleware(SessionMiddleware::new())
        .build()
        .expect_err("ImproperlyConfigured");
    assert!(err.to_string().contains("doesn't exist"), "{err}");
}

//! Shared helpers of the session-engine tests: the seed app's session views, fresh PostgreSQL
//! databases and Redis key prefixes per test, a tiny HTTP/1.1 client, and the Django
//! reference server.
#![allow(dead_code)] // each test file uses a part

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use nuages::sessions::{RequestSessionExt, Session, SessionMiddleware};
use nuages::urls::path;
use nuages::{App, Error, HttpRequest, HttpResponse, Result, Settings};
use rand::Rng;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The SECRET_KEY of the Django reference (ROUTES.md §1).
pub const SECRET_KEY: &str = "nuages-reference-secret-key-do-not-use-in-production";

/// A random lower-case suffix for database names and key prefixes.
pub fn unique(prefix: &str) -> String {
    let mut rng = rand::thread_rng();
    let tail: String = (0..10)
        .map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[rng.gen_range(0..36)]))
        .collect();
    format!("{prefix}{tail}")
}

/// `NUAGES_TEST_DATABASE_URL`, or a printed skip notice.
pub fn pg_url(test: &str) -> Option<String> {
    let url = std::env::var("NUAGES_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        println!("SKIPPED {test}: NUAGES_TEST_DATABASE_URL is not set (PostgreSQL tests skipped)");
    }
    url
}

/// `NUAGES_TEST_REDIS_URL`, or a printed skip notice.
pub fn redis_url(test: &str) -> Option<String> {
    let url = std::env::var("NUAGES_TEST_REDIS_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        println!("SKIPPED {test}: NUAGES_TEST_REDIS_URL is not set (Redis tests skipped)");
    }
    url
}

/// A PostgreSQL database made for one test (`CREATE DATABASE nuages_test_…`), dropped by
/// [`PgDatabase::drop_it`].
pub struct PgDatabase {
    pub url: String,
    admin_url: String,
    name: String,
}

fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    format!("{}/{name}{query}", &base[..path_start])
}

impl PgDatabase {
    pub async fn create(admin_url: &str) -> PgDatabase {
        use sqlx::Connection;
        let name = unique("nuages_test_");
        let mut conn = sqlx::PgConnection::connect(admin_url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {admin_url}: {e}"));
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut conn)
            .await
            .expect("CREATE DATABASE");
        conn.close().await.ok();
        PgDatabase {
            url: with_database(admin_url, &name),
            admin_url: admin_url.to_owned(),
            name,
        }
    }

    /// Runs SQL on the test database.
    pub async fn execute(&self, sql: &str) -> u64 {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&self.url)
            .await
            .expect("connect");
        let n = sqlx::query(sql)
            .execute(&mut conn)
            .await
            .expect(sql)
            .rows_affected();
        conn.close().await.ok();
        n
    }

    pub async fn drop_it(self) {
        use sqlx::Connection;
        if let Ok(mut conn) = sqlx::PgConnection::connect(&self.admin_url).await {
            let _ = sqlx::query(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ))
            .execute(&mut conn)
            .await;
            conn.close().await.ok();
        }
    }
}

fn session_of(req: &HttpRequest) -> Result<&Session> {
    req.session()
        .ok_or_else(|| Error::msg("SessionMiddleware is not installed"))
}

/// The seed app's `/set_session`.
pub async fn set_session(req: HttpRequest) -> Result<HttpResponse> {
    let mut s = session_of(&req)?.load().await?;
    s.insert("username", "john_doe");
    let n = s.get::<i64>("visit_count")?.unwrap_or(0) + 1;
    s.insert("visit_count", n);
    Ok(HttpResponse::new("Session data set"))
}

/// The seed app's `/get_session`.
pub async fn get_session(req: HttpRequest) -> Result<HttpResponse> {
    let s = session_of(&req)?.load().await?;
    let username = s
        .get::<String>("username")?
        .unwrap_or_else(|| "Guest".into());
    let visits = s.get::<i64>("visit_count")?.unwrap_or(0);
    Ok(HttpResponse::new(format!(
        "Hello {username}! Visits: {visits}"
    )))
}

/// `flush()` without loading (logout).
pub async fn logout(req: HttpRequest) -> Result<HttpResponse> {
    session_of(&req)?.flush().await?;
    Ok(HttpResponse::new("bye"))
}

/// `cycle_key()` without loading first, then a write (login).
pub async fn login(req: HttpRequest) -> Result<HttpResponse> {
    let session = session_of(&req)?;
    session.cycle_key().await?;
    session.set("user_id", 42).await?;
    Ok(HttpResponse::new("welcome"))
}

/// `/set_session` that takes its time between loading and the save on the way out, so a
/// concurrent request can delete the session in between.
pub async fn slow_set(req: HttpRequest) -> Result<HttpResponse> {
    {
        let mut s = session_of(&req)?.load().await?;
        let n = s.get::<i64>("visit_count")?.unwrap_or(0) + 1;
        s.insert("visit_count", n);
    }
    tokio::time::sleep(Duration::from_millis(400)).await;
    Ok(HttpResponse::new("slowly set"))
}

/// The session as JSON.
pub async fn dump(req: HttpRequest) -> Result<HttpResponse> {
    let s = session_of(&req)?.load().await?;
    Ok(nuages::JsonResponse::new(&serde_json::Value::Object(
        s.data().clone(),
    ))?)
}

/// The test settings on a session engine.
pub fn settings(engine: nuages::conf::SessionEngine) -> Settings {
    Settings {
        secret_key: SECRET_KEY.into(),
        allowed_hosts: vec!["testserver".into(), "127.0.0.1".into(), "localhost".into()],
        session_engine: engine,
        ..Settings::default()
    }
}

/// The app of these tests with `middleware`.
pub fn app_with(settings: Settings, middleware: SessionMiddleware) -> App {
    App::builder()
        .settings(settings)
        .middleware(middleware)
        .urls(vec![
            path("set_session", set_session),
            path("get_session", get_session),
            path("logout", logout),
            path("login", login),
            path("slow_set", slow_set),
            path("dump", dump),
        ])
        .build()
        .expect("valid app")
}

/// The app with the store of SESSION_ENGINE.
pub fn app(settings: Settings) -> App {
    app_with(settings, SessionMiddleware::new())
}

/// The value of the `sessionid` cookie in `Set-Cookie` header values.
pub fn session_cookie(set_cookies: &[String]) -> Option<String> {
    set_cookies.iter().find_map(|c| {
        let v = c.strip_prefix("sessionid=")?;
        Some(v.split(';').next().unwrap_or_default().to_owned())
    })
}

/// An HTTP answer of [`http_get`].
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub set_cookies: Vec<String>,
    pub body: String,
}

/// `GET path` over a fresh connection to `127.0.0.1:port`, with the session cookie.
pub async fn http_get(port: u16, path: &str, session: Option<&str>) -> Answer {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap_or_else(|e| panic!("connect to port {port}: {e}"));
    let cookie = session.map_or_else(String::new, |s| format!("Cookie: sessionid={s}\r\n"));
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: testserver\r\n{cookie}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let set_cookies = lines
        .filter_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("set-cookie")
                .then(|| value.trim().to_owned())
        })
        .collect();
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Answer {
        status,
        set_cookies,
        body,
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Waits until `127.0.0.1:port` answers `/hello` (or the deadline passes).
pub async fn wait_for_port(port: u16, deadline: Duration) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < deadline {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    false
}

/// `shared/` (from `NUAGES_SHARED`, or `../shared` beside the repository).
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("NUAGES_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    dir.join("reference-django/run").is_file().then_some(dir)
}

/// A process killed (SIGTERM, then SIGKILL) when dropped.
pub struct Process {
    child: Child,
    pub port: u16,
}

impl Process {
    /// Starts `program` with `args` and `env`, waiting for `port` to answer.
    pub async fn start(
        program: &std::path::Path,
        args: &[String],
        env: &[(&str, String)],
        port: u16,
        deadline: Duration,
    ) -> Process {
        let mut cmd = Command::new(program);
        cmd.args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
        let process = Process { child, port };
        assert!(
            wait_for_port(port, deadline).await,
            "{} did not listen on port {port}",
            program.display()
        );
        process
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        for _ in 0..50 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Django reference (`shared/reference-django/run PORT`) with `env`, or `None` (printed)
/// when `shared/` is not there.
pub async fn start_django(test: &str, env: &[(&str, String)]) -> Option<Process> {
    let Some(shared) = shared_dir() else {
        println!("SKIPPED {test}: shared/reference-django not found (set NUAGES_SHARED)");
        return None;
    };
    // One start at a time: the first one may create the reference's virtualenv.
    static STARTING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _one_at_a_time = STARTING.lock().await;
    let port = free_port();
    Some(
        Process::start(
            &shared.join("reference-django/run"),
            &[port.to_string()],
            env,
            port,
            Duration::from_secs(600),
        )
        .await,
    )
}

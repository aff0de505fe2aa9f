//! A whole request through the HTTP server: `nuages::server::serve_connection` (the
//! connection of `Server`: the request-head checks, the limits and timeouts, hyper-util's
//! HTTP/1.1 + HTTP/2 prior knowledge) serving a nuages `App` (middleware, URL resolution, views reading `GET`, `COOKIES`, `META`, the host,
//! `Accept`, the session, `POST`/`FILES` and JSON bodies) over an in-memory `tokio::io::duplex`
//! pipe. The fuzzed bytes are written as the client's side of the connection, which is then
//! half-closed; the whole exchange must end (the server closes the connection) within a few
//! seconds, and must never panic (the app turns a panic into a 500, but libFuzzer's panic
//! hook aborts first).
//!
//! The server keeps `half_close` on, so requests whose client has closed its side run to
//! the end.
//!
//! Input: the bytes the client sends. With `NUAGES_FUZZ_ECHO=1` the responses are printed.
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use nuages::conf::SessionEngine;
use nuages::middleware::clickjacking::XFrameOptionsMiddleware;
use nuages::middleware::common::CommonMiddleware;
use nuages::middleware::cors::CorsMiddleware;
use nuages::middleware::csrf::CsrfViewMiddleware;
use nuages::middleware::gzip::GZipMiddleware;
use nuages::middleware::security::SecurityMiddleware;
use nuages::prelude::*;
use nuages::server::Limits;
use nuages::sessions::SessionMiddleware;
use nuages::urls::{path, re_path};
use nuages::views::decorators::csrf::csrf_exempt;
use nuages::{App, HttpRequest, HttpResponse, Result, Settings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Longest a whole exchange may take before it counts as a hang.
const HANG: Duration = Duration::from_secs(10);

/// Touches what a view usually reads from the request head.
fn read_head(req: &HttpRequest) -> String {
    let mut out = String::new();
    if let Ok(q) = req.query() {
        out.push_str(&q.urlencode(None));
    }
    for (k, v) in req.cookies() {
        out.push_str(k);
        out.push_str(v);
    }
    out.push_str(&format!("{:?}", req.get_host()));
    out.push_str(&req.get_port());
    out.push_str(&format!(
        "{:?}",
        req.build_absolute_uri(Some("../x?y#z")).ok()
    ));
    out.push_str(&req.get_full_path());
    out.push_str(req.scheme());
    for (k, v) in req.meta().iter() {
        out.push_str(k);
        out.push_str(v);
    }
    out.push_str(&format!(
        "{:?}{:?}{:?}",
        req.content_type(),
        req.content_params(),
        req.preferred_type(&["text/html", "application/json"])
    ));
    let _ = req.get_signed_cookie("signed", "salt", None);
    out
}

async fn head(req: HttpRequest) -> Result<HttpResponse> {
    let mut out = read_head(&req);
    if let Some(session) = req.session() {
        if let Ok(Some(v)) = session.get::<String>("k").await {
            out.push_str(&v);
        }
        session.set("k", req.path_info().to_owned()).await?;
    }
    Ok(HttpResponse::new(out))
}

async fn form(req: HttpRequest) -> Result<HttpResponse> {
    let out = read_head(&req);
    let post = req.form().await?;
    let files = req.files().await?;
    Ok(HttpResponse::new(format!(
        "{out}{}{}",
        post.urlencode(None),
        files.len()
    )))
}

async fn json(req: HttpRequest) -> Result<HttpResponse> {
    let body = req.body().await?;
    match nuages::py::json::loads(&body) {
        Ok(value) => Ok(HttpResponse::new(value.to_string())),
        Err(e) => Ok(HttpResponse::new(e.to_string()).with_status(http::StatusCode::BAD_REQUEST)),
    }
}

async fn int(_req: HttpRequest, n: i64) -> HttpResponse {
    HttpResponse::new(n.to_string())
}

fn app() -> &'static App {
    static APP: OnceLock<App> = OnceLock::new();
    APP.get_or_init(|| {
        let settings = Settings {
            debug: false,
            secret_key: "nuages-fuzz-secret-key".into(),
            allowed_hosts: vec!["testserver".into(), ".example.com".into(), "[::1]".into()],
            session_engine: SessionEngine::SignedCookies,
            cors_allowed_origins: vec!["https://example.com".into()],
            data_upload_max_memory_size: Some(4096),
            file_upload_max_memory_size: 64,
            ..Settings::default()
        };
        App::builder()
            .settings(settings)
            .urls(vec![
                path("form/", csrf_exempt(form)),
                path("json/", csrf_exempt(json)),
                path("int/<int:n>/", int),
                path("protected/", form),
                re_path(r"^h/", head),
                path("", head),
            ])
            .middleware(CorsMiddleware::new())
            .middleware(GZipMiddleware::new())
            .middleware(SecurityMiddleware::new())
            .middleware(SessionMiddleware::new())
            .middleware(CommonMiddleware::new())
            .middleware(CsrfViewMiddleware::new())
            .middleware(XFrameOptionsMiddleware::new())
            .build()
            .expect("a valid configuration")
    })
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

/// `NUAGES_FUZZ_ECHO=1` prints each response on standard error (to look at an input:
/// `cargo +nightly fuzz run request_head <file>`).
fn echo() -> bool {
    static ECHO: OnceLock<bool> = OnceLock::new();
    *ECHO.get_or_init(|| std::env::var_os("NUAGES_FUZZ_ECHO").is_some())
}

fuzz_target!(|data: &[u8]| {
    let app = app().clone();
    runtime().block_on(async move {
        let (mut client, server) = tokio::io::duplex(16 * 1024);
        let local = "127.0.0.1:8000".parse().expect("an address");
        let peer = "127.0.0.1:50000".parse().expect("an address");
        let conn = nuages::server::serve_connection(app, Limits::default(), server, local, peer);
        let exchange = async {
            let talk = async {
                // The server may close before reading everything: a write error is fine.
                let _ = client.write_all(data).await;
                let _ = client.shutdown().await;
                let mut response = Vec::new();
                let _ = client.read_to_end(&mut response).await;
                response
            };
            let (_, response) = tokio::join!(conn, talk);
            response
        };
        let response = tokio::time::timeout(HANG, exchange)
            .await
            .unwrap_or_else(|_| panic!("the exchange did not end within {HANG:?}"));
        if echo() {
            eprintln!("{}", String::from_utf8_lossy(&response));
        }
        if !response.is_empty() && !data.starts_with(b"PRI ") {
            assert!(
                response.starts_with(b"HTTP/1."),
                "not an HTTP/1 response: {:?}",
                String::from_utf8_lossy(&response[..response.len().min(64)])
            );
        }
    });
});

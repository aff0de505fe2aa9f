//! The seed application: every route of `shared/seed-app/ROUTES.md`, the same app the Django
//! reference serves, with the same settings and middleware order.
//!
//! ```sh
//! cargo run --example seed_app                          # 127.0.0.1:8000
//! cargo run --example seed_app -- --addr 127.0.0.1:9000
//! ```

mod views;

use std::path::PathBuf;

use nuages::conf::SessionEngine;
use nuages::middleware::clickjacking::XFrameOptionsMiddleware;
use nuages::middleware::common::CommonMiddleware;
use nuages::middleware::cors::CorsMiddleware;
use nuages::middleware::csrf::CsrfViewMiddleware;
use nuages::middleware::gzip::GZipMiddleware;
use nuages::middleware::security::SecurityMiddleware;
use nuages::sessions::SessionMiddleware;
use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig, EngineOptions};
use nuages::urls::{path, re_path, UrlEntry};
use nuages::views::decorators::csrf::csrf_exempt;
use nuages::views::decorators::http::{require_get, require_http_methods};
use nuages::views::generic::{RedirectView, TemplateView, View};
use nuages::{App, Settings};

use http::Method;

/// The directory holding `templates/` and `data/`.
pub fn base_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/seed_app")
}

/// The settings of ROUTES.md §1 (sessions in signed cookies, as the Django reference by
/// default), with the `NUAGES_*` environment variables applied on top: e.g.
/// `NUAGES_SESSION_ENGINE=db NUAGES_DATABASE_URL=postgres://…`, `NUAGES_SESSION_ENGINE=cache
/// NUAGES_REDIS_URL=redis://…`, `NUAGES_SESSION_ENGINE=file NUAGES_SESSION_FILE_PATH=/dir`.
pub fn settings() -> Settings {
    let routes_md = Settings {
        debug: false,
        secret_key: "nuages-reference-secret-key-do-not-use-in-production".into(),
        allowed_hosts: vec!["127.0.0.1".into(), "localhost".into(), "testserver".into()],
        secure_hsts_seconds: 3600,
        secure_hsts_include_subdomains: true,
        secure_hsts_preload: true,
        secure_ssl_redirect: true,
        secure_redirect_exempt: vec![r"^(?!secure/)".into()],
        secure_proxy_ssl_header: Some((
            http::HeaderName::from_static("x-forwarded-proto"),
            "https".into(),
        )),
        cors_allowed_origins: vec![
            "https://example.com".into(),
            "https://sub.example.com".into(),
            "http://localhost:8080".into(),
            "http://127.0.0.1:9000".into(),
        ],
        session_engine: SessionEngine::SignedCookies,
        ..Settings::default()
    };
    routes_md.with_env().unwrap_or_else(|e| {
        eprintln!("seed_app: {e}");
        std::process::exit(2)
    })
}

/// TEMPLATES: the reference's `templates/`, with Jinja2 copies in `templates/jinja2/` (searched
/// first) of the templates whose syntax differs. Django keeps a template's trailing newline;
/// Jinja2 keeps it with `keep_trailing_newline`.
pub fn templates() -> EngineConfig {
    let dir = base_dir().join("templates");
    EngineConfig::new(Jinja2Backend)
        .dirs([dir.join("jinja2"), dir])
        .options(EngineOptions {
            keep_trailing_newline: true,
            ..EngineOptions::default()
        })
}

/// The URLconf (refproject/urls.py).
pub fn urlpatterns() -> Vec<UrlEntry> {
    use views::*;
    vec![
        path("hello", hello).name("hello"),
        path("hello-write", hello_write),
        path("hello-get-only", require_get(hello_get_only)),
        path(
            "status",
            require_http_methods([Method::GET, Method::HEAD], csrf_exempt(status)),
        ),
        path("params/", params),
        path("hello/<name>/", hello_url),
        path("random/<int:n>/", random_vals),
        path("", home).name("home"),
        path("user_data", user_data),
        path("users_list", users_list),
        path("timestamp", timestamp_data),
        path("show_headers", show_headers),
        path("custom_headers", custom_headers),
        path("set_cookie", set_cookie),
        path("read_cookie", read_cookie),
        path("delete_cookie", delete_cookie),
        path("process_form", csrf_exempt(process_form)),
        path("process_json", csrf_exempt(process_json)),
        path("upload_file", csrf_exempt(upload_file)),
        path("download/<filename>", download_file),
        path("download_csv", download_csv),
        path("old_view", old_view),
        path("redirect_view", redirect_view),
        path("old_page", old_page),
        path("not_found", not_found),
        path("server_error", server_error),
        path("created", created),
        path("client_ip", get_client_ip),
        path("request_info", request_info),
        path("set_session", set_session),
        path("get_session", get_session),
        path("content_negotiation", content_negotiation),
        path("etag", etag_example),
        path("last_modified", last_modified_example),
        path("conditional", conditional_view),
        path("csp", csp_view),
        path("protected", basic_auth_required(protected_view)),
        path("signed_cookie/set", set_signed_cookie),
        path("signed_cookie/read", read_signed_cookie),
        path("cbv", MyView.as_view()),
        path("querydict", querydict_example),
        path("querydict_dict", querydict_dict),
        path("modern_headers", modern_header_access),
        path("not_modified", not_modified_view),
        path("forbidden", forbidden_view),
        path("bad_request", bad_request_view),
        path("gone", gone_view),
        path("async", async_view),
        path("about/", TemplateView::new("about.html").as_view()),
        path(
            "go-home/",
            RedirectView {
                pattern_name: Some("home".into()),
                ..RedirectView::default()
            }
            .as_view(),
        ),
        path("books/", BookListView.as_view()),
        path("async-cbv/", AsyncView.as_view()),
        path("secure/", secure_view),
        re_path(r"^media/(?P<path>.*)$", media_serve),
    ]
}

/// The application: settings, URLconf, MIDDLEWARE (ROUTES.md §1.1) and error handlers.
pub fn app() -> App {
    App::builder()
        .settings(settings())
        .urls(urlpatterns())
        .templates([templates()])
        .middleware(CorsMiddleware::new())
        .middleware(GZipMiddleware::new())
        .middleware(SecurityMiddleware::new())
        .middleware(SessionMiddleware::new())
        .middleware(CommonMiddleware::new())
        .middleware(CsrfViewMiddleware::new())
        .middleware(XFrameOptionsMiddleware::new())
        .handler404(views::custom_404)
        .handler500(views::custom_500)
        .build()
        .expect("valid configuration")
}

/// The command line: the address, and whether to log each request (`--dev-log`; the seed app
/// runs with `DEBUG = False`, like the reference, so the log is off by default).
fn parse_args() -> Result<(String, bool), String> {
    let mut args = std::env::args().skip(1);
    let mut addr = "127.0.0.1:8000".to_owned();
    let mut dev_log = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--addr" => addr = args.next().ok_or("--addr needs a value")?,
            s if s.starts_with("--addr=") => addr = s["--addr=".len()..].to_owned(),
            "--dev-log" => dev_log = true,
            "-h" | "--help" => {
                println!("usage: seed_app [--addr HOST:PORT] [--dev-log]");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok((addr, dev_log))
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_target(false)
        .with_level(false)
        .with_ansi(false)
        .without_time()
        .init();
    let (addr, dev_log) = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("seed_app: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = views::ensure_data_files() {
        eprintln!("seed_app: cannot prepare data files: {e}");
        std::process::exit(1);
    }
    let server = match nuages::server::Server::bind(&addr).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("seed_app: cannot bind {addr}: {e}");
            std::process::exit(1);
        }
    };
    tracing::info!("seed_app listening on http://{addr}/");
    if let Err(e) = server.dev_log(dev_log).serve(app()).await {
        eprintln!("seed_app: {e}");
        std::process::exit(1);
    }
}

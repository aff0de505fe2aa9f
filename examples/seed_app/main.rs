//! The seed application: every route of `shared/seed-app/ROUTES.md`, the same app the Django
//! reference serves, with the same settings and middleware order.
//!
//! ```sh
//! cargo run --example seed_app                          # 127.0.0.1:8000
//! cargo run --example seed_app -- --addr 127.0.0.1:9000
//! ```

mod views;

use std::path::PathBuf;

use nuages::middleware::clickjacking::XFrameOptionsMiddleware;
use nuages::middleware::common::CommonMiddleware;
use nuages::middleware::cors::CorsMiddleware;
use nuages::middleware::security::SecurityMiddleware;
use nuages::urls::{path, re_path, UrlEntry};
use nuages::views::decorators::csrf::csrf_exempt;
use nuages::views::decorators::http::{require_get, require_http_methods};
use nuages::{App, Settings};

use http::Method;

/// The directory holding `templates/` and `data/`.
pub fn base_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/seed_app")
}

/// The settings of ROUTES.md §1.
pub fn settings() -> Settings {
    let mut s = Settings::default();
    s.debug = false;
    s.secret_key = "nuages-reference-secret-key-do-not-use-in-production".into();
    s.allowed_hosts = vec!["127.0.0.1".into(), "localhost".into(), "testserver".into()];
    s.secure_hsts_seconds = 3600;
    s.secure_hsts_include_subdomains = true;
    s.secure_hsts_preload = true;
    s.secure_ssl_redirect = true;
    s.secure_redirect_exempt = vec![r"^(?!secure/)".into()];
    s.secure_proxy_ssl_header = Some((
        http::HeaderName::from_static("x-forwarded-proto"),
        "https".into(),
    ));
    s
}

/// The URLconf (refproject/urls.py).
pub fn urlpatterns() -> Vec<UrlEntry> {
    use views::*;
    vec![
        path("hello", hello).name("hello").into(),
        path("hello-write", hello_write).into(),
        path("hello-get-only", require_get(hello_get_only)).into(),
        path(
            "status",
            require_http_methods([Method::GET, Method::HEAD], csrf_exempt(status)),
        )
        .into(),
        path("params/", params).into(),
        path("hello/<name>/", hello_url).into(),
        path("random/<int:n>/", random_vals).into(),
        path("", home).name("home").into(),
        path("user_data", user_data).into(),
        path("users_list", users_list).into(),
        path("timestamp", timestamp_data).into(),
        path("show_headers", show_headers).into(),
        path("custom_headers", custom_headers).into(),
        path("set_cookie", set_cookie).into(),
        path("read_cookie", read_cookie).into(),
        path("delete_cookie", delete_cookie).into(),
        path("process_form", csrf_exempt(process_form)).into(),
        path("process_json", csrf_exempt(process_json)).into(),
        path("upload_file", csrf_exempt(upload_file)).into(),
        path("download/<filename>", download_file).into(),
        path("download_csv", download_csv).into(),
        path("old_view", old_view).into(),
        path("redirect_view", redirect_view).into(),
        path("old_page", old_page).into(),
        path("not_found", not_found).into(),
        path("server_error", server_error).into(),
        path("created", created).into(),
        path("client_ip", get_client_ip).into(),
        path("request_info", request_info).into(),
        path("set_session", set_session).into(),
        path("get_session", get_session).into(),
        path("content_negotiation", content_negotiation).into(),
        path("etag", etag_example).into(),
        path("last_modified", last_modified_example).into(),
        path("conditional", conditional_view).into(),
        path("csp", csp_view).into(),
        path("protected", basic_auth_required(protected_view)).into(),
        path("signed_cookie/set", set_signed_cookie).into(),
        path("signed_cookie/read", read_signed_cookie).into(),
        path("cbv", csrf_exempt(my_view)).into(),
        path("querydict", querydict_example).into(),
        path("querydict_dict", querydict_dict).into(),
        path("modern_headers", modern_header_access).into(),
        path("not_modified", not_modified_view).into(),
        path("forbidden", forbidden_view).into(),
        path("bad_request", bad_request_view).into(),
        path("gone", gone_view).into(),
        path("async", async_view).into(),
        path("about/", about_view).into(),
        path("go-home/", go_home).into(),
        path("books/", book_list_view).into(),
        path("async-cbv/", async_cbv).into(),
        path("secure/", secure_view).into(),
        re_path(r"^media/(?P<path>.*)$", media_serve).into(),
    ]
}

/// The application: settings, URLconf, MIDDLEWARE (ROUTES.md §1.1) and error handlers.
pub fn app() -> App {
    let settings = settings();
    let cors = CorsMiddleware::builder()
        .allowed_origins([
            "https://example.com",
            "https://sub.example.com",
            "http://localhost:8080",
            "http://127.0.0.1:9000",
        ])
        .build()
        .expect("valid CORS settings");
    let security = SecurityMiddleware::new(&settings).expect("valid security settings");
    App::builder()
        .settings(settings)
        .urls(urlpatterns())
        .middleware(cors)
        .middleware(security)
        .middleware(CommonMiddleware::new())
        .middleware(XFrameOptionsMiddleware::new())
        .handler404(views::custom_404)
        .handler500(views::custom_500)
        .build()
        .expect("valid configuration")
}

fn parse_addr() -> Result<String, String> {
    let mut args = std::env::args().skip(1);
    let mut addr = "127.0.0.1:8000".to_owned();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--addr" => addr = args.next().ok_or("--addr needs a value")?,
            s if s.starts_with("--addr=") => addr = s["--addr=".len()..].to_owned(),
            "-h" | "--help" => {
                println!("usage: seed_app [--addr HOST:PORT]");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(addr)
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_target(false)
        .without_time()
        .init();
    let addr = match parse_addr() {
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
    if let Err(e) = server.dev_log(true).serve(app()).await {
        eprintln!("seed_app: {e}");
        std::process::exit(1);
    }
}

//! `notes_site`: a small, complete site to copy when starting a project — the Rust
//! counterpart of what `django-admin startproject` + one app give you.
//!
//! Notes are kept in the visitor's session (the `db` session engine on a SQLite file), added
//! and deleted through CSRF-protected forms, listed by a class-based view; a page uploads small
//! text or image files; `/api/notes/` is a JSON API. See `examples/notes_site/README.md`.
//!
//! ```sh
//! cargo run --example notes_site -- --debug                 # http://127.0.0.1:8000/
//! cargo run --example notes_site -- --debug --addr 127.0.0.1:9000 --db /tmp/notes.sqlite3
//! NOTES_SECRET_KEY=… cargo run --example notes_site         # DEBUG off: the key is required
//! ```

pub mod views;

use std::path::PathBuf;

use http::{Method, StatusCode};
use nuages::conf::SessionEngine;
use nuages::middleware::clickjacking::XFrameOptionsMiddleware;
use nuages::middleware::common::CommonMiddleware;
use nuages::middleware::csrf::CsrfViewMiddleware;
use nuages::middleware::security::SecurityMiddleware;
use nuages::middleware::Next;
use nuages::sessions::SessionMiddleware;
use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig, EngineOptions};
use nuages::urls::{path, re_path, UrlEntry};
use nuages::views::decorators::csrf::csrf_exempt;
use nuages::views::decorators::http::{require_http_methods, require_post};
use nuages::views::generic::{TemplateView, View};
use nuages::{App, HttpRequest, HttpResponse, Settings};

/// The development-only SECRET_KEY, used when DEBUG is on and `NOTES_SECRET_KEY` is unset.
const DEV_SECRET_KEY: &str = "notes-site-insecure-development-key-change-me";

/// The command line, shown for `--help` and after a wrong argument.
pub const USAGE: &str = "usage: notes_site [--debug] [--db PATH] [--addr HOST:PORT]";

/// The largest request body accepted, by its `Content-Length` (a front server's
/// `client_max_body_size`): the multipart parser would otherwise spool a huge upload to disk
/// before the upload view can refuse it.
pub const MAX_REQUEST_BYTES: u64 = 1024 * 1024;

/// The URL prefix of the static files (`STATIC_URL`).
pub const STATIC_URL: &str = "/static/";

/// The project directory: `templates/` and `static/` live here (Django's `BASE_DIR`). In a
/// project of your own, where `main.rs` sits in `src/`, this is `env!("CARGO_MANIFEST_DIR")`.
pub fn base_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/notes_site")
}

/// What varies between runs: the command line and the environment, gathered in one place.
#[derive(Debug, Clone)]
pub struct Config {
    /// `DEBUG` (`--debug`).
    pub debug: bool,
    /// The SQLite file of the sessions (`--db PATH`).
    pub db: PathBuf,
    /// `SECRET_KEY` (the `NOTES_SECRET_KEY` environment variable).
    pub secret_key: Option<String>,
    /// The address to listen on (`--addr HOST:PORT`).
    pub addr: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            debug: false,
            db: std::env::temp_dir().join("nuages-notes-site.sqlite3"),
            secret_key: None,
            addr: "127.0.0.1:8000".to_owned(),
        }
    }
}

impl Config {
    /// The configuration from the command line (`--debug`, `--db PATH`, `--addr HOST:PORT`)
    /// and the environment (`NOTES_SECRET_KEY`).
    ///
    /// # Errors
    /// An unknown argument or a missing value, as a message for the user.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Config, String> {
        let mut config = Config {
            secret_key: std::env::var("NOTES_SECRET_KEY")
                .ok()
                .filter(|k| !k.is_empty()),
            ..Config::default()
        };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--debug" => config.debug = true,
                "--db" => config.db = args.next().ok_or("--db needs a path")?.into(),
                "--addr" => config.addr = args.next().ok_or("--addr needs HOST:PORT")?,
                other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
            }
        }
        Ok(config)
    }
}

/// settings.py: every setting of the site, in one place.
///
/// # Errors
/// Without `NOTES_SECRET_KEY` outside DEBUG (a development key is only used in DEBUG).
pub fn settings(config: &Config) -> Result<Settings, String> {
    let secret_key = match (&config.secret_key, config.debug) {
        (Some(key), _) => key.clone(),
        (None, true) => DEV_SECRET_KEY.to_owned(),
        (None, false) => {
            return Err("set NOTES_SECRET_KEY (or run with --debug for a development key)".into())
        }
    };
    Ok(Settings {
        debug: config.debug,
        secret_key,
        // `testserver` is the host of `nuages::test::Client` (Django's test runner adds it
        // itself); add the site's real domain here when deploying.
        allowed_hosts: vec!["127.0.0.1".into(), "localhost".into(), "testserver".into()],
        session_engine: SessionEngine::Db,
        // `sqlite://` + an absolute path gives `sqlite:///abs/path`; a relative one stays
        // relative to the working directory.
        database_url: format!("sqlite://{}", config.db.display()),
        static_url: Some(STATIC_URL.to_owned()),
        staticfiles_dirs: vec![base_dir().join("static")],
        // Uploads are small: refuse request bodies (other than files) above 256 KiB.
        data_upload_max_memory_size: Some(256 * 1024),
        ..Settings::default()
    })
}

/// TEMPLATES: Jinja2 templates from `templates/`, with `static()` knowing STATIC_URL.
pub fn templates(config: &Config) -> EngineConfig {
    EngineConfig::new(Jinja2Backend)
        .dirs([base_dir().join("templates")])
        .options(EngineOptions {
            debug: config.debug,
            static_url: Some(STATIC_URL.to_owned()),
            ..EngineOptions::default()
        })
}

/// urls.py: the URLconf, with the static files served in DEBUG
/// (`staticfiles_urlpatterns()`).
pub fn urlpatterns(config: &Config) -> Vec<UrlEntry> {
    let mut urls = vec![
        path("", views::NoteListView.as_view()).name("home"),
        path(
            "notes/add/",
            require_http_methods([Method::GET, Method::POST], views::note_add),
        )
        .name("note-add"),
        path("notes/<int:id>/delete/", require_post(views::note_delete)).name("note-delete"),
        path(
            "upload/",
            require_http_methods([Method::GET, Method::POST], views::upload),
        )
        .name("upload"),
        path(
            "api/notes/",
            require_http_methods([Method::GET, Method::POST], csrf_exempt(views::api_notes)),
        )
        .name("api-notes"),
        path("about/", TemplateView::new("about.html").as_view()).name("about"),
    ];
    if config.debug {
        urls.push(re_path(r"^static/(?P<path>.*)$", views::static_serve));
    }
    urls
}

/// The application: settings, URLconf, TEMPLATES and the MIDDLEWARE of a Django
/// `startproject` (in the same order; the first is the outermost), with a request-size limit
/// after SecurityMiddleware (so its 413 has the security headers).
///
/// # Errors
/// A configuration error (see [`settings`]), as a message for the user.
pub fn app(config: &Config) -> Result<App, String> {
    App::builder()
        .settings(settings(config)?)
        .urls(urlpatterns(config))
        .templates([templates(config)])
        .middleware(SecurityMiddleware::new())
        .middleware(nuages::middleware::from_fn(limit_request_body))
        .middleware(SessionMiddleware::new())
        .middleware(CommonMiddleware::new())
        .middleware(CsrfViewMiddleware::new())
        .middleware(XFrameOptionsMiddleware::new())
        .build()
        .map_err(|e| e.to_string())
}

/// Refuses a request announcing a body larger than [`MAX_REQUEST_BYTES`] with 413, before
/// anything reads it.
async fn limit_request_body(req: HttpRequest, next: Next<'static>) -> HttpResponse {
    match req.content_length() {
        Some(length) if length > MAX_REQUEST_BYTES => HttpResponse::new("Request body too large.")
            .with_content_type("text/plain; charset=utf-8")
            .with_status(StatusCode::PAYLOAD_TOO_LARGE),
        _ => next.run(req).await,
    }
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return;
    }
    let result = async {
        let config = Config::from_args(std::env::args().skip(1))?;
        let app = app(&config)?;
        let server = nuages::server::Server::bind(&config.addr)
            .await
            .map_err(|e| format!("cannot bind {}: {e}", config.addr))?;
        println!(
            "notes_site on http://{}/ (DEBUG={}, sessions in {})",
            config.addr,
            config.debug,
            config.db.display()
        );
        server
            .dev_log(config.debug)
            .serve(app)
            .await
            .map_err(|e| e.to_string())
    };
    if let Err(e) = result.await {
        eprintln!("notes_site: {e}");
        std::process::exit(2);
    }
}

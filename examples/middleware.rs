//! Middleware: a custom middleware (a struct implementing `Middleware`, configured from the
//! settings), a one-off closure with `from_fn`, and Django's built-ins — `SecurityMiddleware`,
//! `CommonMiddleware` (APPEND_SLASH), `GZipMiddleware` and `XFrameOptionsMiddleware` — in
//! MIDDLEWARE order (the first is the outermost).
//!
//! Django:
//! ```python
//! class RequestCounter:
//!     def __init__(self, get_response): self.get_response = get_response; self.count = 0
//!     def __call__(self, request):
//!         self.count += 1
//!         response = self.get_response(request)
//!         response['X-Request-Count'] = str(self.count)
//!         return response
//! MIDDLEWARE = ['django.middleware.security.SecurityMiddleware', 'app.RequestCounter',
//!     'django.middleware.gzip.GZipMiddleware', 'django.middleware.common.CommonMiddleware',
//!     'app.block_private', 'django.middleware.clickjacking.XFrameOptionsMiddleware']
//! ```
//!
//! Try it (`cargo run --example middleware`):
//! ```sh
//! curl -i http://127.0.0.1:8000/page/      # X-Request-Count, X-Frame-Options: DENY, nosniff…
//! curl -i http://127.0.0.1:8000/page       # 301 to /page/ (APPEND_SLASH)
//! curl -i --compressed http://127.0.0.1:8000/long/   # Content-Encoding: gzip
//! curl -i http://127.0.0.1:8000/private/   # 403 from the closure middleware
//! ```

use std::sync::atomic::{AtomicU64, Ordering};

use nuages::core::exceptions::ImproperlyConfigured;
use nuages::http_types::StatusCode;
use nuages::middleware::clickjacking::XFrameOptionsMiddleware;
use nuages::middleware::common::CommonMiddleware;
use nuages::middleware::gzip::GZipMiddleware;
use nuages::middleware::security::SecurityMiddleware;
use nuages::middleware::{from_fn, Middleware, Next};
use nuages::urls::path;
use nuages::{App, HttpRequest, HttpResponse, Result, Settings};

/// Counts the requests it has seen and says so in `X-Request-Count`; with DEBUG on it also
/// names the server in `X-Debug-Server` (read once, when the application is built).
#[derive(Debug, Default)]
pub struct RequestCounter {
    count: AtomicU64,
    debug: bool,
}

impl Middleware for RequestCounter {
    fn configure(&mut self, settings: &Settings) -> Result<(), ImproperlyConfigured> {
        self.debug = settings.debug;
        Ok(())
    }

    async fn call(&self, request: HttpRequest, next: Next<'_>) -> Result<HttpResponse> {
        let n = self.count.fetch_add(1, Ordering::Relaxed) + 1;
        let mut response = next.run(request).await;
        response.set_header("X-Request-Count", &n.to_string())?;
        if self.debug {
            response.set_header("X-Debug-Server", "nuages")?;
        }
        Ok(response)
    }
}

async fn page(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("<p>A page behind five middleware.</p>")
}

async fn long(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("All work and no play makes Jack a dull boy. ".repeat(50))
        .with_content_type("text/plain")
}

/// The application.
pub fn app() -> App {
    App::builder()
        .settings(Settings {
            debug: true,
            ..Settings::default()
        })
        .middleware(SecurityMiddleware::new())
        .middleware(RequestCounter::default())
        .middleware(GZipMiddleware::new())
        .middleware(CommonMiddleware::new())
        // A function middleware: answers by itself for /private/, without calling the view.
        .middleware(from_fn(|request: HttpRequest, next: Next<'_>| async move {
            if request.path().starts_with("/private/") {
                return HttpResponse::new("Forbidden").with_status(StatusCode::FORBIDDEN);
            }
            next.run(request).await
        }))
        .middleware(XFrameOptionsMiddleware::new())
        .urls(vec![
            path("page/", page),
            path("long/", long),
            path("private/", page),
        ])
        .build()
        .expect("valid configuration")
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .skip_while(|a| a != "--addr")
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8000".into());
    eprintln!("middleware: http://{addr}/page/");
    nuages::server::Server::bind(&addr)
        .await?
        .dev_log(true)
        .serve(app())
        .await
}

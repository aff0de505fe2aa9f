//! Cross-origin requests with `CorsMiddleware` (django-cors-headers): allowed origins, a
//! preflight `OPTIONS` answered by the middleware, credentials, exposed headers, and the
//! middleware limited to `/api/` by `CORS_URLS_REGEX`.
//!
//! Django (with django-cors-headers):
//! ```python
//! MIDDLEWARE = ['corsheaders.middleware.CorsMiddleware', 'django.middleware.common.CommonMiddleware']
//! CORS_ALLOWED_ORIGINS = ['https://example.com', 'http://localhost:8080']
//! CORS_ALLOW_CREDENTIALS = True
//! CORS_EXPOSE_HEADERS = ['X-Total-Count']
//! CORS_URLS_REGEX = r'^/api/.*$'
//! ```
//!
//! Try it (`cargo run --example cors`):
//! ```sh
//! curl -i -H 'Origin: https://example.com' http://127.0.0.1:8000/api/items
//! curl -i -X OPTIONS -H 'Origin: https://example.com' -H 'Access-Control-Request-Method: PUT' \
//!     http://127.0.0.1:8000/api/items                       # preflight: 200, Allow-Methods…
//! curl -i -H 'Origin: https://evil.example' http://127.0.0.1:8000/api/items   # no CORS headers
//! curl -i -H 'Origin: https://example.com' http://127.0.0.1:8000/page         # not under /api/
//! ```

use nuages::middleware::common::CommonMiddleware;
use nuages::middleware::cors::CorsMiddleware;
use nuages::urls::path;
use nuages::{App, HttpRequest, HttpResponse, JsonResponse, Settings};
use serde_json::json;

async fn items(_req: HttpRequest) -> HttpResponse {
    JsonResponse::value(json!({"items": ["a", "b"]})).with_header("X-Total-Count", "2")
}

async fn page(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("same-origin only")
}

/// The application: CorsMiddleware first, as django-cors-headers asks.
pub fn app() -> App {
    App::builder()
        .settings(Settings {
            debug: true,
            cors_allowed_origins: vec![
                "https://example.com".into(),
                "http://localhost:8080".into(),
            ],
            cors_allow_credentials: true,
            cors_expose_headers: vec!["X-Total-Count".into()],
            cors_urls_regex: r"^/api/.*$".into(),
            ..Settings::default()
        })
        .middleware(CorsMiddleware::new())
        .middleware(CommonMiddleware::new())
        .urls(vec![path("api/items", items), path("page", page)])
        .build()
        .expect("valid configuration")
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .skip_while(|a| a != "--addr")
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8000".into());
    eprintln!("cors: http://{addr}/api/items");
    nuages::server::Server::bind(&addr)
        .await?
        .dev_log(true)
        .serve(app())
        .await
}

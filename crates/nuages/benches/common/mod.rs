//! What the benches share: the seed app's MIDDLEWARE around a plaintext view.

use nuages::middleware::{
    clickjacking::XFrameOptionsMiddleware, common::CommonMiddleware, cors::CorsMiddleware,
    csrf::CsrfViewMiddleware, gzip::GZipMiddleware, security::SecurityMiddleware,
};
use nuages::sessions::SessionMiddleware;
use nuages::urls::path;
use nuages::{App, HttpRequest, HttpResponse, Settings};

/// The plaintext view of the bench scenarios.
pub async fn plaintext(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("Hello, World!").with_content_type("text/plain")
}

/// Settings for the benches (any host, sessions in signed cookies).
pub fn settings() -> Settings {
    Settings {
        allowed_hosts: vec!["*".into()],
        secret_key: "bench".into(),
        cors_allowed_origins: vec!["https://example.com".into()],
        session_engine: nuages::conf::SessionEngine::SignedCookies,
        ..Settings::default()
    }
}

/// The seed app's MIDDLEWARE (CORS, GZip, Security, Session on signed cookies, Common, CSRF,
/// XFrame) around the plaintext view at `/plaintext`.
pub fn stack_app() -> App {
    App::builder()
        .settings(settings())
        .middleware(CorsMiddleware::new())
        .middleware(GZipMiddleware::new())
        .middleware(SecurityMiddleware::new())
        .middleware(SessionMiddleware::new())
        .middleware(CommonMiddleware::new())
        .middleware(CsrfViewMiddleware::new())
        .middleware(XFrameOptionsMiddleware::new())
        .urls(vec![path("plaintext", plaintext)])
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

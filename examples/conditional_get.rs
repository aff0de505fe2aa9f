//! Conditional GET: the `@etag`, `@last_modified` and `@condition` decorators (304 Not
//! Modified, 412 Precondition Failed), and `ConditionalGetMiddleware` adding an ETag to every
//! other GET response.
//!
//! Django:
//! ```python
//! MIDDLEWARE = ['django.middleware.http.ConditionalGetMiddleware']
//! @etag(lambda req: '"v1"')
//! def article(req): return HttpResponse('Article v1')
//! @last_modified(lambda req: datetime(2023, 10, 26, 10, 0, tzinfo=UTC))
//! def news(req): return HttpResponse('News of the day')
//! @condition(etag_func=..., last_modified_func=...)
//! def latest(req): return HttpResponse('Latest content')
//! def plain(req): return HttpResponse('no validators of its own')
//! ```
//!
//! Try it (`cargo run --example conditional_get`):
//! ```sh
//! curl -i http://127.0.0.1:8000/article                               # ETag: "v1"
//! curl -i -H 'If-None-Match: "v1"' http://127.0.0.1:8000/article      # 304
//! curl -i -X PUT -H 'If-Match: "v0"' http://127.0.0.1:8000/article    # 412
//! curl -i -H 'If-Modified-Since: Thu, 26 Oct 2023 10:00:00 GMT' http://127.0.0.1:8000/news  # 304
//! curl -i http://127.0.0.1:8000/plain      # ETag from ConditionalGetMiddleware (md5 of the body)
//! ```

use nuages::chrono::{DateTime, TimeZone, Utc};
use nuages::middleware::http::ConditionalGetMiddleware;
use nuages::urls::path;
use nuages::views::decorators::http::{condition, etag, last_modified};
use nuages::{App, HttpRequest, HttpResponse, Settings};

/// When the news last changed.
fn news_date(_req: &HttpRequest) -> Option<DateTime<Utc>> {
    Utc.with_ymd_and_hms(2023, 10, 26, 10, 0, 0).single()
}

/// The article's version, as an ETag (quoted, as Django wants it).
fn article_etag(_req: &HttpRequest) -> Option<String> {
    Some("\"v1\"".to_owned())
}

async fn article(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("Article v1")
}

async fn news(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("News of the day")
}

async fn latest(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("Latest content")
}

async fn plain(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("no validators of its own")
}

/// The application. The decorators answer 304/412 before the view runs; the middleware
/// computes an ETag from the body of responses that have none, and answers 304 after it.
pub fn app() -> App {
    App::builder()
        .settings(Settings {
            debug: true,
            ..Settings::default()
        })
        .middleware(ConditionalGetMiddleware::new())
        .urls(vec![
            path("article", etag(article_etag, article)),
            path("news", last_modified(news_date, news)),
            path("latest", condition(article_etag, news_date, latest)),
            path("plain", plain),
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
    eprintln!("conditional_get: http://{addr}/article");
    nuages::server::Server::bind(&addr)
        .await?
        .dev_log(true)
        .serve(app())
        .await
}

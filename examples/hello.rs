//! Plain-text responses, method restrictions and URL parameters: the first sections of the
//! HTTP handling guide.
//!
//! Django:
//! ```python
//! def hello(req): return HttpResponse('Hello there!', content_type='text/plain')
//! @require_GET
//! def hello_get_only(req): ...
//! def hello_url(req, name): return HttpResponse(f'hello {name}')
//! path('hello', views.hello, name='hello'), path('hello/<str:name>/', views.hello_url)
//! ```
//!
//! Try it (`cargo run --example hello`):
//! ```sh
//! curl -i http://127.0.0.1:8000/hello
//! curl -i http://127.0.0.1:8000/hello-write
//! curl -i -X POST http://127.0.0.1:8000/hello-get-only     # 405, Allow: GET
//! curl -i 'http://127.0.0.1:8000/params/?a=1&b=2&a=3'     # {"a": "3", "b": "2"}
//! curl -i http://127.0.0.1:8000/hello/ann/
//! curl -i http://127.0.0.1:8000/square/12/
//! ```

use nuages::http_types::Method;
use nuages::urls::path;
use nuages::views::decorators::http::{require_get, require_http_methods};
use nuages::{App, HttpRequest, HttpResponse, JsonResponse, Result, Settings};

/// `HttpResponse('Hello there!', content_type='text/plain')`.
async fn hello(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("Hello there!").with_content_type("text/plain")
}

/// An empty response written to afterwards (`http_response.write('Ahoy!')`).
async fn hello_write(_req: HttpRequest) -> Result<HttpResponse> {
    let mut response = HttpResponse::new("").with_content_type("text/plain");
    response.write("Ahoy!")?;
    Ok(response)
}

/// `status(req)`: `HttpResponse(status=200)`, for GET and HEAD only.
async fn status(_req: HttpRequest) -> HttpResponse {
    HttpResponse::empty()
}

/// `request.GET.dict()` as JSON: the last value of each key, as Django's `QueryDict.dict()`.
async fn params(req: HttpRequest) -> Result<HttpResponse> {
    Ok(JsonResponse::object(req.query()?.dict()))
}

/// `<name>` (a `str` converter) arrives as a `String`.
async fn hello_url(_req: HttpRequest, name: String) -> HttpResponse {
    HttpResponse::new(format!("hello {name}"))
}

/// `<int:n>` arrives as an integer; `/square/x/` does not match (404).
async fn square(_req: HttpRequest, n: i64) -> HttpResponse {
    HttpResponse::new(n.saturating_mul(n).to_string())
}

/// The application: `DEBUG = True`, so `localhost` and `testserver` are allowed hosts.
pub fn app() -> App {
    App::builder()
        .settings(Settings {
            debug: true,
            ..Settings::default()
        })
        .urls(vec![
            path("hello", hello).name("hello"),
            path("hello-write", hello_write),
            path("hello-get-only", require_get(hello)),
            path(
                "status",
                require_http_methods([Method::GET, Method::HEAD], status),
            ),
            path("params/", params),
            path("hello/<name>/", hello_url),
            path("square/<int:n>/", square),
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
    eprintln!("hello: http://{addr}/hello");
    nuages::server::Server::bind(&addr)
        .await?
        .dev_log(true)
        .serve(app())
        .await
}

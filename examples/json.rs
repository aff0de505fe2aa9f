//! `JsonResponse`: a dict, a list (`safe=False`), dates through Django's encoder, and JSON
//! request bodies.
//!
//! Django:
//! ```python
//! def user_data(req): return JsonResponse({'name': 'John Doe', 'age': 30})
//! def users_list(req): return JsonResponse([{'id': 1}, {'id': 2}], safe=False)
//! def timestamp(req): return JsonResponse({'timestamp': datetime(2024, 1, 2, 3, 4, 5)})
//! def echo(req): data = json.loads(req.body); return JsonResponse({'received': data})
//! ```
//!
//! Try it (`cargo run --example json`):
//! ```sh
//! curl -i http://127.0.0.1:8000/user
//! curl -i http://127.0.0.1:8000/users
//! curl -i http://127.0.0.1:8000/timestamp
//! curl -i -H 'Content-Type: application/json' -d '{"name": "Ann"}' http://127.0.0.1:8000/echo
//! curl -i -H 'Content-Type: application/json' -d '{oops' http://127.0.0.1:8000/echo   # 400
//! ```

use nuages::chrono::NaiveDate;
use nuages::http_types::StatusCode;
use nuages::urls::path;
use nuages::views::decorators::csrf::csrf_exempt;
use nuages::views::decorators::http::require_post;
use nuages::{App, ErrorKind, HttpRequest, HttpResponse, JsonResponse, Result, Settings};
use serde_json::json;

/// A dict: `{"name": "John Doe", "age": 30, "email": "john@example.com"}`.
async fn user(_req: HttpRequest) -> HttpResponse {
    JsonResponse::value(json!({"name": "John Doe", "age": 30, "email": "john@example.com"}))
}

/// A list needs `safe=False`: without it Django raises `TypeError` (here: a 500).
async fn users(_req: HttpRequest) -> Result<HttpResponse> {
    let users = json!([{"id": 1, "name": "John"}, {"id": 2, "name": "Jane"}]);
    Ok(JsonResponse::builder().safe(false).build(&users)?)
}

/// Dates as `DjangoJSONEncoder` writes them (ISO 8601, milliseconds).
async fn timestamp(_req: HttpRequest) -> Result<HttpResponse> {
    #[derive(serde::Serialize)]
    struct Data {
        #[serde(with = "nuages::core::serializers::json::naive_datetime")]
        timestamp: nuages::chrono::NaiveDateTime,
        message: &'static str,
    }
    let timestamp = NaiveDate::from_ymd_opt(2024, 1, 2)
        .and_then(|d| d.and_hms_micro_opt(3, 4, 5, 678_901))
        .unwrap_or_default();
    Ok(JsonResponse::new(&Data {
        timestamp,
        message: "Hello",
    })?)
}

/// `request.json_value()`: malformed JSON is answered `{"error": "Invalid JSON"}` (400) by the
/// view; any other error (a Content-Type that is not JSON: 415) goes to the error handlers.
async fn echo(req: HttpRequest) -> Result<HttpResponse> {
    match req.json_value().await {
        Ok(data) => Ok(JsonResponse::value(
            json!({"status": "success", "received": data}),
        )),
        Err(e) if e.kind() == ErrorKind::BadRequest => Ok(JsonResponse::builder()
            .status(StatusCode::BAD_REQUEST)
            .build(&json!({"error": "Invalid JSON"}))?),
        Err(e) => Err(e),
    }
}

/// The application.
pub fn app() -> App {
    App::builder()
        .settings(Settings {
            debug: true,
            ..Settings::default()
        })
        .urls(vec![
            path("user", user),
            path("users", users),
            path("timestamp", timestamp),
            path("echo", csrf_exempt(require_post(echo))),
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
    eprintln!("json: http://{addr}/user");
    nuages::server::Server::bind(&addr)
        .await?
        .dev_log(true)
        .serve(app())
        .await
}

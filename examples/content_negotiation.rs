//! Content negotiation: one view answering JSON, HTML or plain text according to `Accept`
//! (`request.get_preferred_type()`, Django 5.2), with `Vary: Accept` and a 406 when nothing
//! offered is acceptable.
//!
//! Django:
//! ```python
//! @vary_on_headers('Accept')
//! def message(req):
//!     match req.get_preferred_type(['application/json', 'text/html', 'text/plain']):
//!         case 'application/json': return JsonResponse({'message': 'Hello', 'status': 'ok'})
//!         case 'text/html': return HttpResponse('<p>Message: Hello</p>')
//!         case 'text/plain': return HttpResponse('Message: Hello', content_type='text/plain')
//!     return HttpResponse(status=406)
//! ```
//!
//! Try it (`cargo run --example content_negotiation`):
//! ```sh
//! curl -i -H 'Accept: application/json' http://127.0.0.1:8000/message
//! curl -i -H 'Accept: text/html,*/*;q=0.8' http://127.0.0.1:8000/message
//! curl -i -H 'Accept: text/plain' http://127.0.0.1:8000/message
//! curl -i -H 'Accept: image/png' http://127.0.0.1:8000/message    # 406
//! ```

use nuages::http_types::StatusCode;
use nuages::urls::path;
use nuages::views::decorators::vary::vary_on_headers;
use nuages::{App, HttpRequest, HttpResponse, JsonResponse, Settings};
use serde_json::json;

/// What the view can produce, in its order of preference on ties.
const OFFERS: [&str; 3] = ["application/json", "text/html", "text/plain"];

async fn message(req: HttpRequest) -> HttpResponse {
    match req.preferred_type(&OFFERS) {
        Some("application/json") => {
            JsonResponse::value(json!({"message": "Hello", "status": "ok"}))
        }
        Some("text/html") => HttpResponse::new("<p>Message: Hello</p>"),
        Some(_) => HttpResponse::new("Message: Hello").with_content_type("text/plain"),
        None => HttpResponse::new("Not Acceptable").with_status(StatusCode::NOT_ACCEPTABLE),
    }
}

/// The application.
pub fn app() -> App {
    App::builder()
        .settings(Settings {
            debug: true,
            ..Settings::default()
        })
        .urls(vec![path("message", vary_on_headers(&["Accept"], message))])
        .build()
        .expect("valid configuration")
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .skip_while(|a| a != "--addr")
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8000".into());
    eprintln!("content_negotiation: http://{addr}/message");
    nuages::server::Server::bind(&addr)
        .await?
        .dev_log(true)
        .serve(app())
        .await
}

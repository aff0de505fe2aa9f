//! Form posts: `request.POST` behind `CsrfViewMiddleware`, and a `csrf_exempt` API endpoint.
//!
//! Django:
//! ```python
//! def contact(req):
//!     if req.method == 'POST':
//!         name = req.POST.get('name', '')
//!         if not name: return JsonResponse({'errors': {'name': ['This field is required.']}}, status=400)
//!         return JsonResponse({'status': 'success', 'name': name, 'email': req.POST.get('email', '')})
//!     return HttpResponse(f'<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{get_token(req)}">…')
//! MIDDLEWARE = ['django.middleware.csrf.CsrfViewMiddleware']
//! ```
//!
//! Try it (`cargo run --example forms`):
//! ```sh
//! curl -i -c jar.txt http://127.0.0.1:8000/contact        # the form, and the csrftoken cookie
//! curl -i -b jar.txt -d name=Ann http://127.0.0.1:8000/contact                # 403: no token
//! curl -i -b jar.txt -d "name=Ann&csrfmiddlewaretoken=$(awk '/csrftoken/{print $7}' jar.txt)" \
//!     http://127.0.0.1:8000/contact                                           # 200
//! curl -i -d 'name=Ann&email=ann@example.com' http://127.0.0.1:8000/api/contact   # exempt
//! curl -i -d 'email=x' http://127.0.0.1:8000/api/contact                      # 400
//! ```

use nuages::http_types::{Method, StatusCode};
use nuages::middleware::csrf::{get_token, CsrfViewMiddleware};
use nuages::urls::path;
use nuages::views::decorators::csrf::csrf_exempt;
use nuages::{App, HttpRequest, HttpResponse, JsonResponse, Result, Settings};
use serde_json::json;

/// GET: the form with its CSRF token (`{% csrf_token %}`); POST: the submitted fields.
async fn contact(req: HttpRequest) -> Result<HttpResponse> {
    if req.method() != Method::POST {
        let token = get_token(&req);
        return Ok(HttpResponse::new(format!(
            "<form method=\"post\">\
             <input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\"{token}\">\
             <input name=\"name\"><input name=\"email\"><button>Send</button></form>"
        )));
    }
    let post = req.form().await?;
    let name = post.get("name").unwrap_or("");
    if name.is_empty() {
        return Ok(JsonResponse::builder()
            .status(StatusCode::BAD_REQUEST)
            .build(&json!({"errors": {"name": ["This field is required."]}}))?);
    }
    Ok(JsonResponse::value(json!({
        "status": "success",
        "name": name,
        "email": post.get("email").unwrap_or(""),
    })))
}

/// The application: `CsrfViewMiddleware` checks every unsafe request but the exempt view.
pub fn app() -> App {
    App::builder()
        .settings(Settings {
            debug: true,
            secret_key: "examples-forms-secret-key".into(),
            ..Settings::default()
        })
        .middleware(CsrfViewMiddleware::new())
        .urls(vec![
            path("contact", contact),
            path("api/contact", csrf_exempt(contact)),
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
    eprintln!("forms: http://{addr}/contact");
    nuages::server::Server::bind(&addr)
        .await?
        .dev_log(true)
        .serve(app())
        .await
}

//! Cookies: setting one with `max_age`, reading `request.COOKIES`, deleting it.
//!
//! Django:
//! ```python
//! def set_cookie(req):
//!     r = HttpResponse('Cookie has been set'); r.set_cookie('username', 'john_doe', max_age=3600)
//!     return r
//! def read_cookie(req): return HttpResponse(f"Hello, {req.COOKIES.get('username', 'Guest')}!")
//! def delete_cookie(req): r = HttpResponse('Cookie has been deleted'); r.delete_cookie('username'); return r
//! ```
//!
//! Try it (`cargo run --example cookies`):
//! ```sh
//! curl -i -c jar.txt http://127.0.0.1:8000/set_cookie
//! curl -i -b jar.txt http://127.0.0.1:8000/read_cookie       # Hello, john_doe!
//! curl -i -b jar.txt http://127.0.0.1:8000/delete_cookie     # Max-Age=0, expires in 1970
//! curl -i http://127.0.0.1:8000/read_cookie                  # Hello, Guest!
//! ```

use nuages::http::cookie::SetCookie;
use nuages::urls::path;
use nuages::{App, HttpRequest, HttpResponse, Result, Settings};

/// `set_cookie('username', 'john_doe', max_age=3600, httponly=True, samesite='Lax')`:
/// `Max-Age` and the matching `expires` are both sent, as Django sends them.
async fn set_cookie(_req: HttpRequest) -> Result<HttpResponse> {
    let mut response = HttpResponse::new("Cookie has been set");
    response.set_cookie(
        SetCookie::new("username", "john_doe")
            .max_age(3600)
            .httponly(true)
            .samesite("Lax"),
    )?;
    Ok(response)
}

/// `request.COOKIES.get('username', 'Guest')`.
async fn read_cookie(req: HttpRequest) -> HttpResponse {
    let username = req.cookie("username").unwrap_or("Guest");
    HttpResponse::new(format!("Hello, {username}!"))
}

/// `delete_cookie('username')`: an empty value that expired in 1970.
async fn delete_cookie(_req: HttpRequest) -> Result<HttpResponse> {
    let mut response = HttpResponse::new("Cookie has been deleted");
    response.delete_cookie("username")?;
    Ok(response)
}

/// The application.
pub fn app() -> App {
    App::builder()
        .settings(Settings {
            debug: true,
            ..Settings::default()
        })
        .urls(vec![
            path("set_cookie", set_cookie),
            path("read_cookie", read_cookie),
            path("delete_cookie", delete_cookie),
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
    eprintln!("cookies: http://{addr}/set_cookie");
    nuages::server::Server::bind(&addr)
        .await?
        .dev_log(true)
        .serve(app())
        .await
}

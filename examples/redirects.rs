//! Redirects: `HttpResponseRedirect` (302), `HttpResponsePermanentRedirect` (301), the
//! `redirect()` shortcut by URL name with arguments, and an unsafe target refused.
//!
//! Django:
//! ```python
//! def old_view(req): return HttpResponseRedirect('/new-url/')
//! def old_page(req): return HttpResponsePermanentRedirect('/new-page/')
//! def to_hello(req): return redirect('hello')
//! def to_article(req, pk): return redirect('article', pk=pk)
//! def bad(req): return HttpResponseRedirect('javascript:alert(1)')   # DisallowedRedirect
//! ```
//!
//! Try it (`cargo run --example redirects`):
//! ```sh
//! curl -i http://127.0.0.1:8000/old_view            # 302, Location: /new-url/
//! curl -i http://127.0.0.1:8000/old_page            # 301, Location: /new-page/
//! curl -i http://127.0.0.1:8000/redirect_view       # 302, Location: /hello
//! curl -i http://127.0.0.1:8000/old-article/7/      # 302, Location: /articles/7/
//! curl -iL http://127.0.0.1:8000/old-article/7/     # follows it: "article 7"
//! curl -i http://127.0.0.1:8000/bad                 # 400 (DisallowedRedirect)
//! ```

use nuages::shortcuts::{redirect, redirect_with};
use nuages::urls::path;
use nuages::{App, HttpRequest, HttpResponse, Result, Settings};

/// `HttpResponseRedirect('/new-url/')`.
async fn old_view(_req: HttpRequest) -> Result<HttpResponse> {
    Ok(HttpResponse::redirect("/new-url/")?)
}

/// `HttpResponsePermanentRedirect('/new-page/')`.
async fn old_page(_req: HttpRequest) -> Result<HttpResponse> {
    Ok(HttpResponse::permanent_redirect("/new-page/")?)
}

/// `redirect('hello')`: a URL name, reversed.
async fn redirect_view(req: HttpRequest) -> Result<HttpResponse> {
    redirect(&req, "hello")
}

/// `redirect('article', pk=pk)`.
async fn old_article(req: HttpRequest, pk: i64) -> Result<HttpResponse> {
    redirect_with(&req, "article").kwarg("pk", pk).send()
}

/// A scheme other than http, https and ftp: Django's `DisallowedRedirect`, a 400.
async fn bad(_req: HttpRequest) -> Result<HttpResponse> {
    Ok(HttpResponse::redirect("javascript:alert(1)")?)
}

async fn hello(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("Hello there!")
}

async fn article(_req: HttpRequest, pk: i64) -> HttpResponse {
    HttpResponse::new(format!("article {pk}"))
}

/// The application.
pub fn app() -> App {
    App::builder()
        .settings(Settings {
            debug: true,
            ..Settings::default()
        })
        .urls(vec![
            path("hello", hello).name("hello"),
            path("articles/<int:pk>/", article).name("article"),
            path("old_view", old_view),
            path("old_page", old_page),
            path("redirect_view", redirect_view),
            path("old-article/<int:pk>/", old_article),
            path("bad", bad),
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
    eprintln!("redirects: http://{addr}/old_view");
    nuages::server::Server::bind(&addr)
        .await?
        .dev_log(true)
        .serve(app())
        .await
}

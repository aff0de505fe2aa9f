//! The application measured by `shared/bench/run` beside raw hyper, axum, actix-web and Django:
//! the same endpoints, written the way a nuages user would write them.
//!
//! ```sh
//! cargo build --release --example bench_app
//! ../shared/bench/run --cand 'target/release/examples/bench_app --addr 127.0.0.1:{port}'
//! # with the seed app's MIDDLEWARE (CORS, GZip, Security, sessions in signed cookies, Common,
//! # CSRF, XFrame) around every view:
//! ../shared/bench/run --cand 'target/release/examples/bench_app --middleware --addr 127.0.0.1:{port}'
//! # one current-thread runtime per core, each on its own SO_REUSEPORT listener:
//! ../shared/bench/run --cand 'target/release/examples/bench_app --per-core --addr 127.0.0.1:{port}'
//! ```

use std::sync::Arc;

use nuages::http::cookie::SetCookie;
use nuages::http::response::FileResponse;
use nuages::urls::{path, UrlEntry};
use nuages::{App, HttpRequest, HttpResponse, JsonResponse, Result, Settings};

async fn plaintext(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("Hello, World!").with_content_type("text/plain")
}

#[derive(serde::Serialize)]
struct Message {
    message: &'static str,
}

async fn json(_req: HttpRequest) -> Result<HttpResponse> {
    let body = JsonResponse::builder()
        .params(nuages::py::json::JsonDumpsParams::new().separators(",", ":"))
        .build(&Message {
            message: "Hello, World!",
        })?;
    Ok(body)
}

async fn hello(_req: HttpRequest, name: String) -> HttpResponse {
    HttpResponse::new(format!("hello {name}")).with_content_type("text/plain")
}

fn compact() -> nuages::py::json::JsonDumpsParams {
    nuages::py::json::JsonDumpsParams::new().separators(",", ":")
}

async fn params(req: HttpRequest) -> Result<HttpResponse> {
    Ok(JsonResponse::builder()
        .params(compact())
        .build(&req.query()?.dict())?)
}

async fn form(req: HttpRequest) -> Result<HttpResponse> {
    let post = req.form().await?;
    Ok(JsonResponse::builder()
        .params(compact())
        .build(&post.dict())?)
}

async fn upload(req: HttpRequest) -> Result<HttpResponse> {
    match req.files().await?.get("file") {
        Some(f) => {
            Ok(HttpResponse::new(format!("received {}", f.size())).with_content_type("text/plain"))
        }
        None => Ok(HttpResponse::bad_request("no file")),
    }
}

async fn cookie(req: HttpRequest) -> Result<HttpResponse> {
    let user = req.cookie("username").unwrap_or("anonymous").to_owned();
    let mut r = HttpResponse::new(format!("hello {user}")).with_content_type("text/plain");
    r.set_cookie(SetCookie::new("username", user).max_age(3600))?;
    Ok(r)
}

async fn download(
    _req: HttpRequest,
    file: Arc<Option<std::path::PathBuf>>,
) -> Result<HttpResponse> {
    match file.as_ref() {
        Some(p) => Ok(FileResponse::new()
            .content_type("application/octet-stream")
            .open(p)
            .await?),
        None => Ok(HttpResponse::not_found("no download file")),
    }
}

async fn route(_req: HttpRequest, (id, n): (u64, u64)) -> HttpResponse {
    HttpResponse::new(format!("route{n} {id}")).with_content_type("text/plain")
}

fn urls() -> Vec<UrlEntry> {
    let file = Arc::new(std::env::var_os("BENCH_DOWNLOAD_FILE").map(std::path::PathBuf::from));
    let mut v = vec![
        path("plaintext", plaintext),
        path("json", json),
        path("hello/<name>/", hello),
        path("params/", params),
        path("form", nuages::views::decorators::csrf::csrf_exempt(form)),
        path(
            "upload",
            nuages::views::decorators::csrf::csrf_exempt(upload),
        ),
        path("cookie", cookie),
        path("download", move |req: HttpRequest| {
            download(req, Arc::clone(&file))
        }),
    ];
    for i in 0..1000u64 {
        v.push(path(&format!("r/route{i}/<int:id>/"), route).kwargs([("n", i)]));
    }
    v
}

/// The seed app's MIDDLEWARE, in its order.
fn with_seed_middleware(builder: nuages::AppBuilder) -> nuages::AppBuilder {
    use nuages::middleware::{
        clickjacking::XFrameOptionsMiddleware, common::CommonMiddleware, cors::CorsMiddleware,
        csrf::CsrfViewMiddleware, gzip::GZipMiddleware, security::SecurityMiddleware,
    };
    builder
        .middleware(CorsMiddleware::new())
        .middleware(GZipMiddleware::new())
        .middleware(SecurityMiddleware::new())
        .middleware(nuages::sessions::SessionMiddleware::new())
        .middleware(CommonMiddleware::new())
        .middleware(CsrfViewMiddleware::new())
        .middleware(XFrameOptionsMiddleware::new())
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut addr = "127.0.0.1:8000".to_owned();
    let mut middleware = false;
    let mut per_core = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--addr" => addr = args.next().unwrap_or(addr),
            "--middleware" => middleware = true,
            "--per-core" => per_core = true,
            other => {
                eprintln!("bench_app: unknown argument {other:?} (--addr HOST:PORT, --middleware, --per-core)");
                std::process::exit(2);
            }
        }
    }
    let mut builder = App::builder().settings(Settings {
        allowed_hosts: vec!["*".into()],
        secret_key: "bench".into(),
        cors_allowed_origins: vec!["https://example.com".into()],
        session_engine: nuages::conf::SessionEngine::SignedCookies,
        ..Settings::default()
    });
    if middleware {
        builder = with_seed_middleware(builder);
    }
    let app = builder
        .urls(urls())
        .build()
        .map_err(std::io::Error::other)?;
    if per_core {
        let addr = addr.parse().map_err(std::io::Error::other)?;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let server = nuages::server::PerCore::bind(addr, threads)?;
        eprintln!("bench_app listening on http://{addr} ({threads} threads, SO_REUSEPORT)");
        return server.serve(app, |server| server);
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(async move {
            let server = nuages::server::Server::bind(&addr).await?;
            eprintln!("bench_app listening on http://{addr}");
            server.serve(app).await
        })
}

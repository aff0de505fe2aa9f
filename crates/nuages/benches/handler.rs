//! In-process cost of one request through `App::handle` and `into_http` (no socket): the
//! framework's own overhead per request, for each shape of `examples/bench_app` (the same
//! views, the same requests as `shared/bench`'s scenarios). Prints ns/request.
//!
//! `BENCH_URI=<shape>` runs one shape, `BENCH_ITERS=<n>` sets the measured iterations (default
//! 200,000) and `BENCH_WARMUP=<n>` the warm-up ones (default a twentieth). For instruction
//! counts that noise cannot blur:
//!
//! ```sh
//! cargo bench --bench handler --no-run
//! BENCH_URI=json BENCH_ITERS=10000 BENCH_WARMUP=0 valgrind --tool=callgrind target/release/deps/handler-…
//! ```
//!
//! gives the instructions per request as (Ir of 10,000 iterations − Ir of 0) / 10,000.

use std::hint::black_box;
use std::time::Instant;

use bytes::Bytes;
use nuages::http::cookie::SetCookie;
use nuages::http::RequestBody;
use nuages::urls::{path, UrlEntry};
use nuages::views::decorators::csrf::csrf_exempt;
use nuages::{App, HttpRequest, HttpResponse, JsonResponse, Result};

mod common;

use common::{plaintext, settings, stack_app};

#[derive(serde::Serialize)]
struct Message {
    message: &'static str,
}

fn compact() -> nuages::py::json::JsonDumpsParams {
    nuages::py::json::JsonDumpsParams::new().separators(",", ":")
}

async fn json(_req: HttpRequest) -> Result<HttpResponse> {
    Ok(JsonResponse::builder().params(compact()).build(&Message {
        message: "Hello, World!",
    })?)
}

async fn hello(_req: HttpRequest, name: String) -> HttpResponse {
    HttpResponse::new(format!("hello {name}")).with_content_type("text/plain")
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

async fn cookie(req: HttpRequest) -> Result<HttpResponse> {
    let user = req.cookie("username").unwrap_or("anonymous").to_owned();
    let mut r = HttpResponse::new(format!("hello {user}")).with_content_type("text/plain");
    r.set_cookie(SetCookie::new("username", user).max_age(3600))?;
    Ok(r)
}

async fn route(_req: HttpRequest, (id, n): (u64, u64)) -> HttpResponse {
    HttpResponse::new(format!("route{n} {id}")).with_content_type("text/plain")
}

/// `bench_app`'s URLconf (without the upload and download views).
fn app() -> App {
    let mut v: Vec<UrlEntry> = vec![
        path("plaintext", plaintext),
        path("json", json),
        path("hello/<name>/", hello),
        path("params/", params),
        path("form", csrf_exempt(form)),
        path("cookie", cookie),
    ];
    for i in 0..1000u64 {
        v.push(path(&format!("r/route{i}/<int:id>/"), route).kwargs([("n", i)]));
    }
    App::builder().settings(settings()).urls(v).build().unwrap()
}

/// The body of the `form` scenario (`shared/bench/wrk/form.lua`): 10 urlencoded fields.
const FORM_BODY: &[u8] = b"first_name=Jean&last_name=Reinhardt&email=django%40example.com\
&instrument=guitar&style=gypsy+jazz&city=Liberchies&country=Belgium\
&born=1910&tune=Minor+Swing&band=Quintette+du+Hot+Club+de+France";

/// The request of a shape, as the server hands it to the application.
fn request(app: &App, shape: &str, uri: &str) -> HttpRequest {
    let builder = http::Request::builder()
        .uri(uri)
        .header("host", "localhost");
    let (builder, body) = match shape {
        "form" => (
            builder
                .method(http::Method::POST)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("content-length", FORM_BODY.len()),
            RequestBody::from(Bytes::from_static(FORM_BODY)),
        ),
        "cookie" => (
            builder.header("cookie", "username=django; theme=dark"),
            RequestBody::empty(),
        ),
        _ => (builder, RequestBody::empty()),
    };
    let (parts, ()) = builder.body(()).unwrap().into_parts();
    app.request(parts, body)
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let plain = app();
    let stack = stack_app();
    let only = std::env::var("BENCH_URI").ok();
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u32>().ok());
    for (name, app, uri) in [
        ("plaintext", &plain, "/plaintext"),
        ("stack", &stack, "/plaintext"),
        ("json", &plain, "/json"),
        ("hello", &plain, "/hello/world/"),
        ("params", &plain, "/params/?a=1&b=2"),
        ("form", &plain, "/form"),
        ("cookie", &plain, "/cookie"),
        ("first", &plain, "/r/route0/1/"),
        ("last", &plain, "/r/route999/1/"),
    ] {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let iters = env("BENCH_ITERS").unwrap_or(200_000);
        let warmup = env("BENCH_WARMUP").unwrap_or(iters / 20);
        let run = || async {
            let req = request(app, name, uri);
            let response = app.handle(req).await.into_http();
            assert_eq!(response.status(), 200, "{name}");
            black_box(response);
        };
        rt.block_on(async {
            for _ in 0..warmup {
                run().await;
            }
        });
        let start = Instant::now();
        rt.block_on(async {
            for _ in 0..iters {
                run().await;
            }
        });
        println!(
            "{name:<10} {uri:<18} {:>8.1} ns/request",
            start.elapsed().as_nanos() as f64 / f64::from(iters.max(1))
        );
    }
}

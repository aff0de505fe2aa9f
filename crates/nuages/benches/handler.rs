//! In-process cost of one request through `App::handle` (no socket): the framework's own
//! overhead per request, for the bench app's shapes. Prints ns/iter.

use std::hint::black_box;
use std::time::Instant;

use nuages::urls::{path, UrlEntry};
use nuages::{App, HttpRequest, HttpResponse, Settings};

mod common;

use common::{plaintext, stack_app};

#[derive(serde::Serialize)]
struct Message {
    message: &'static str,
}

async fn json(_req: HttpRequest) -> nuages::Result<HttpResponse> {
    Ok(nuages::JsonResponse::builder()
        .params(nuages::py::json::JsonDumpsParams::new().separators(",", ":"))
        .build(&Message {
            message: "Hello, World!",
        })?)
}

async fn hello(_req: HttpRequest, name: String) -> HttpResponse {
    HttpResponse::new(format!("hello {name}")).with_content_type("text/plain")
}

async fn cookie(req: HttpRequest) -> nuages::Result<HttpResponse> {
    let user = req.cookie("username").unwrap_or("anonymous").to_owned();
    let mut r = HttpResponse::new(format!("hello {user}")).with_content_type("text/plain");
    r.set_cookie(nuages::http::cookie::SetCookie::new("username", user).max_age(3600))?;
    Ok(r)
}

async fn route(_req: HttpRequest, (id, n): (u64, u64)) -> HttpResponse {
    HttpResponse::new(format!("route{n} {id}")).with_content_type("text/plain")
}

fn app() -> App {
    let mut v: Vec<UrlEntry> = vec![
        path("plaintext", plaintext),
        path("json", json),
        path("hello/<name>/", hello),
        path("cookie", cookie),
    ];
    for i in 0..1000u64 {
        v.push(path(&format!("r/route{i}/<int:id>/"), route).kwargs([("n", i)]));
    }
    App::builder()
        .settings(Settings {
            allowed_hosts: vec!["*".into()],
            secret_key: "b".into(),
            ..Settings::default()
        })
        .urls(v)
        .build()
        .unwrap()
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let plain = app();
    let stack = stack_app();
    let only = std::env::var("BENCH_URI").ok();
    for (name, app, uri) in [
        ("plaintext", &plain, "/plaintext"),
        ("stack", &stack, "/plaintext"),
        ("json", &plain, "/json"),
        ("hello", &plain, "/hello/world/"),
        ("cookie", &plain, "/cookie"),
        ("first", &plain, "/r/route0/1/"),
        ("last", &plain, "/r/route999/1/"),
    ] {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let iters: u32 = std::env::var("BENCH_ITERS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(200_000);
        let run = || async {
            let mut builder = http::Request::get(uri).header("host", "localhost");
            if name == "cookie" {
                builder = builder.header("cookie", "username=django; theme=dark");
            }
            let (parts, ()) = builder.body(()).unwrap().into_parts();
            let req = app.request(parts, nuages::http::RequestBody::empty());
            black_box(app.handle(req).await.into_http());
        };
        rt.block_on(async {
            for _ in 0..iters / 20 {
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
            "{name:<10} {uri:<16} {:>8.1} ns/request",
            start.elapsed().as_nanos() as f64 / f64::from(iters)
        );
    }
}

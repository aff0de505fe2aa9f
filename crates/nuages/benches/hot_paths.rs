//! Criterion micro-benchmarks of the per-request hot paths (`cargo bench --bench hot_paths`):
//! request construction, QueryDict and Cookie-header parsing, URL resolution among 10 and 1,000
//! routes, Set-Cookie formatting, signing, JsonResponse serialization and the seed app's
//! middleware chain. For before/after comparisons that noise cannot blur, count instructions:
//! `HOT_PATHS_LOOP=<workload>:<iterations>` runs one of the [`WORKLOADS`] in a plain loop
//! instead of criterion, so that
//!
//! ```sh
//! cargo bench --bench hot_paths --no-run
//! HOT_PATHS_LOOP=json/message:10000 valgrind --tool=callgrind target/release/deps/hot_paths-…
//! ```
//!
//! gives the instructions per request as (Ir of 10,000 iterations − Ir of 0) / 10,000.

// `criterion_group!` defines an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use bytes::Bytes;
use http::header::{HeaderValue, CONTENT_TYPE};

use criterion::{criterion_group, BatchSize, Criterion};
use nuages::core::signing::{Signer, TimestampSigner};
use nuages::http::cookie::parse_cookie;
use nuages::http::cookie::SetCookie;
use nuages::http::{QueryDict, RequestBody};
use nuages::py::codecs::Charset;
use nuages::py::json::JsonDumpsParams;
use nuages::urls::{path, Urls};
use nuages::views::ViewFn;
use nuages::{App, HttpResponse, JsonResponse};

mod common;

use common::{plaintext, settings, stack_app};

fn urls(n: usize) -> Urls {
    let patterns = (0..n).map(|i| {
        let name: &'static str = Box::leak(format!("route{i}").into_boxed_str());
        path(&format!("r/route{i}/<int:id>/"), ViewFn::named(name)).name(name)
    });
    Urls::new(patterns).unwrap_or_else(|e| panic!("URLconf: {e}"))
}

fn parts(uri: &str) -> http::request::Parts {
    let (parts, ()) = http::Request::get(uri)
        .header("host", "localhost")
        .header("cookie", "username=django; theme=dark")
        .header("user-agent", "bench/1.0")
        .body(())
        .unwrap_or_else(|e| panic!("{e}"))
        .into_parts();
    parts
}

fn request(c: &mut Criterion) {
    let app = App::builder()
        .settings(settings())
        .urls(vec![path("plaintext", plaintext)])
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    c.bench_function("request/construct", |b| {
        b.iter_batched(
            || parts("/plaintext?a=1&b=2"),
            |p| black_box(app.request(p, RequestBody::empty())),
            BatchSize::SmallInput,
        )
    });
}

fn parsing(c: &mut Criterion) {
    let query = "a=1&b=2&name=caf%C3%A9&empty=&flag&list=1&list=2&plus=a+b";
    c.bench_function("query_dict/parse", |b| {
        b.iter(|| black_box(QueryDict::parse(black_box(query))))
    });
    let cookie = "sessionid=abc123def456; csrftoken=Zx9yW8vU7tS6rQ5pO4nM3lK2jI1hG0fE; theme=dark; username=django";
    c.bench_function("form/parse_10_fields", |b| b.iter(form_parse));
    c.bench_function("form/parse_dict_json", |b| b.iter(form_parse_dict_json));
    let post = QueryDict::parse_bytes(FORM_BODY, None, None).unwrap_or_else(|e| panic!("{e}"));
    c.bench_function("query_dict/dict_to_json", |b| {
        b.iter(|| dict_to_json(&post))
    });
    c.bench_function("params/dict_json", |b| b.iter(params_dict_json));
    c.bench_function("form/request_view", |b| b.iter(form_request_view));
    c.bench_function("cookie/parse", |b| {
        b.iter(|| black_box(parse_cookie(black_box(cookie))))
    });
}

fn resolution(c: &mut Criterion) {
    for n in [10, 1000] {
        let urls = urls(n);
        let first = "/r/route0/1/".to_owned();
        let last = format!("/r/route{}/1/", n - 1);
        c.bench_function(&format!("urls/resolve_first_of_{n}"), |b| {
            b.iter(|| black_box(urls.resolve(black_box(&first))))
        });
        c.bench_function(&format!("urls/resolve_last_of_{n}"), |b| {
            b.iter(|| black_box(urls.resolve(black_box(&last))))
        });
    }
}

fn cookies_and_signing(c: &mut Criterion) {
    c.bench_function("set_cookie/format", |b| {
        b.iter(|| {
            let morsel = SetCookie::new("username", "django")
                .max_age(3600)
                .httponly(true)
                .samesite("Lax")
                .build();
            black_box(morsel.map(|m| m.header_value()))
        })
    });
    let signer = Signer::new("bench-secret-key");
    let signed = signer.sign("hello world");
    c.bench_function("signing/sign", |b| {
        b.iter(|| black_box(signer.sign(black_box("hello world"))))
    });
    c.bench_function("signing/unsign", |b| {
        b.iter(|| black_box(signer.unsign(black_box(&signed)).is_ok()))
    });
    let ts = TimestampSigner::new("bench-secret-key");
    let stamped = ts.sign("hello world");
    c.bench_function("signing/timestamp_unsign", |b| {
        b.iter(|| black_box(ts.unsign(black_box(&stamped), None).is_ok()))
    });
}

/// The body of the `form` scenario of `shared/bench` (`wrk/form.lua`): 10 urlencoded fields.
const FORM_BODY: &[u8] = b"first_name=Jean&last_name=Reinhardt&email=django%40example.com\
&instrument=guitar&style=gypsy+jazz&city=Liberchies&country=Belgium\
&born=1910&tune=Minor+Swing&band=Quintette+du+Hot+Club+de+France";

/// The value of the `json` scenario.
#[derive(serde::Serialize)]
struct Message {
    message: &'static str,
}

fn compact() -> JsonDumpsParams {
    JsonDumpsParams::new().separators(",", ":")
}

/// The `json` scenario's view body: a compact JsonResponse of `Message`, built and dropped.
#[inline(never)]
fn json_message() {
    let response = JsonResponse::builder().params(compact()).build(&Message {
        message: "Hello, World!",
    });
    black_box(response.map(|r| r.status_code()).ok());
}

/// The baseline of `json_message`: `serde_json::to_vec` and the smallest response carrying it
/// (what axum's `Json` does).
#[inline(never)]
fn serde_json_message() {
    let body = serde_json::to_vec(black_box(&Message {
        message: "Hello, World!",
    }));
    let response = body.map(|body| {
        let mut r = HttpResponse::new(Bytes::from(body));
        r.set_header_value(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        r
    });
    black_box(response.map(|r| r.status_code()).ok());
}

/// `serde_json::to_vec` alone.
#[inline(never)]
fn serde_json_to_vec() {
    black_box(
        serde_json::to_vec(black_box(&Message {
            message: "Hello, World!",
        }))
        .ok(),
    );
}

/// `request.POST` parsing as `form()` does it for the 10 fields.
#[inline(never)]
fn form_parse() {
    let post = QueryDict::parse_bytes(black_box(FORM_BODY), Some(&Charset::UTF_8), Some(1000));
    black_box(post.map(|q| q.len()).ok());
}

/// The `form` scenario's view body after reading: parse the 10 fields, `dict()` as compact JSON.
#[inline(never)]
fn form_parse_dict_json() {
    let Ok(post) = QueryDict::parse_bytes(black_box(FORM_BODY), Some(&Charset::UTF_8), Some(1000))
    else {
        return;
    };
    let response = JsonResponse::builder()
        .params(compact())
        .build(&post.dict());
    black_box(response.map(|r| r.status_code()).ok());
}

/// The `params` scenario's view body: `request.GET.dict()` of `a=1&b=2` as compact JSON.
#[inline(never)]
fn params_dict_json() {
    let query = QueryDict::parse(black_box("a=1&b=2"));
    let response = JsonResponse::builder()
        .params(compact())
        .build(&query.dict());
    black_box(response.map(|r| r.status_code()).ok());
}

/// `dict()` as compact JSON for an already parsed dict (the 10 form fields).
#[inline(never)]
fn dict_to_json(post: &QueryDict) {
    let response = JsonResponse::builder()
        .params(compact())
        .build(&post.dict());
    black_box(response.map(|r| r.status_code()).ok());
}

/// A bare app and a current-thread runtime for the workloads that build requests.
fn form_app() -> &'static (App, tokio::runtime::Runtime) {
    static APP: std::sync::OnceLock<(App, tokio::runtime::Runtime)> = std::sync::OnceLock::new();
    APP.get_or_init(|| {
        let app = App::builder()
            .settings(settings())
            .urls(vec![path("plaintext", plaintext)])
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        (app, rt)
    })
}

/// A POST of [`FORM_BODY`] as the `form` scenario sends it.
fn form_request(app: &App) -> nuages::HttpRequest {
    let (parts, ()) = http::Request::post("/form")
        .header("host", "localhost")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("content-length", FORM_BODY.len())
        .body(())
        .unwrap_or_else(|e| panic!("{e}"))
        .into_parts();
    app.request(parts, RequestBody::from(Bytes::from_static(FORM_BODY)))
}

/// The `form` scenario's view on a request built in process: `req.form()`, then `dict()` as
/// compact JSON.
#[inline(never)]
fn form_request_view() {
    let (app, rt) = form_app();
    let req = form_request(app);
    let response = rt.block_on(async {
        let post = req.form().await.ok()?;
        JsonResponse::builder()
            .params(compact())
            .build(&post.dict())
            .ok()
    });
    black_box(response.map(|r| r.status_code()));
}

/// What [`form_request_view`] costs before the view runs: building and dropping the request.
#[inline(never)]
fn form_request_only() {
    let (app, _) = form_app();
    black_box(form_request(app));
}

/// The workloads [`loop_mode`] can run, by name.
const WORKLOADS: &[(&str, fn())] = &[
    ("json/message", json_message),
    ("json/serde_json_response", serde_json_message),
    ("json/serde_json_to_vec", serde_json_to_vec),
    ("form/parse", form_parse),
    ("form/parse_dict_json", form_parse_dict_json),
    ("params/dict_json", params_dict_json),
    ("form/request_view", form_request_view),
    ("form/request_only", form_request_only),
];

/// Runs `HOT_PATHS_LOOP=<workload>:<iterations>` and returns true, or returns false when the
/// variable is not set.
fn loop_mode() -> bool {
    let Ok(spec) = std::env::var("HOT_PATHS_LOOP") else {
        return false;
    };
    let (name, count) = spec.split_once(':').unwrap_or((&spec, "1"));
    let count: usize = count
        .parse()
        .unwrap_or_else(|e| panic!("HOT_PATHS_LOOP count {count:?}: {e}"));
    let Some((_, run)) = WORKLOADS.iter().find(|(n, _)| *n == name) else {
        let names: Vec<_> = WORKLOADS.iter().map(|(n, _)| *n).collect();
        panic!("unknown workload {name:?}; one of {names:?}");
    };
    for _ in 0..count {
        run();
    }
    true
}

fn json(c: &mut Criterion) {
    c.bench_function("json_response/message_compact", |b| b.iter(json_message));
    c.bench_function("json_response/serde_json_response", |b| {
        b.iter(serde_json_message)
    });
    c.bench_function("json_response/serde_json_to_vec", |b| {
        b.iter(serde_json_to_vec)
    });
    c.bench_function("json_response/object", |b| {
        b.iter(|| black_box(JsonResponse::object([("message", "Hello, World!")])))
    });
    let data = serde_json::json!({
        "a": "1", "b": [1, 2, 3.5, null, true], "c": {"d": "é", "e": "<tag>"}
    });
    c.bench_function("json_response/nested", |b| {
        b.iter(|| black_box(JsonResponse::new(black_box(&data))))
    });
}

fn middleware_chain(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let bare = App::builder()
        .settings(settings())
        .urls(vec![path("plaintext", plaintext)])
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let stack = stack_app();
    for (name, app) in [("handle/bare", &bare), ("handle/seed_middleware", &stack)] {
        c.bench_function(name, |b| {
            b.iter_batched(
                || parts("/plaintext"),
                |p| {
                    let req = app.request(p, RequestBody::empty());
                    black_box(rt.block_on(app.handle(req)).into_http())
                },
                BatchSize::SmallInput,
            )
        });
    }
}

criterion_group!(
    benches,
    request,
    parsing,
    resolution,
    cookies_and_signing,
    json,
    middleware_chain
);
fn main() {
    if loop_mode() {
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}

//! Criterion micro-benchmarks of the per-request hot paths (`cargo bench --bench hot_paths`):
//! request construction, QueryDict and Cookie-header parsing, URL resolution among 10 and 1,000
//! routes, Set-Cookie formatting, signing, JsonResponse serialization and the seed app's
//! middleware chain. For before/after comparisons that noise cannot blur, run the `handler`
//! bench under `valgrind --tool=callgrind` (instruction counts).

// `criterion_group!` defines an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use nuages::core::signing::{Signer, TimestampSigner};
use nuages::http::cookie::parse_cookie;
use nuages::http::cookie::SetCookie;
use nuages::http::{QueryDict, RequestBody};
use nuages::urls::{path, Urls};
use nuages::views::ViewFn;
use nuages::{App, JsonResponse};

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

fn json(c: &mut Criterion) {
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
criterion_main!(benches);

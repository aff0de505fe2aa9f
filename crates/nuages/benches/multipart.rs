//! In-process cost of one multipart upload (`cargo bench --bench multipart`): a body with one
//! 1 MiB file in field `file` (the peer bench's `upload` scenario), delivered in frames of
//! 16–64 KiB sliced from one buffer (as hyper hands out slices of its read buffer), parsed by
//! `MultiPartParser::parse` (`parser`) or through `App::handle` with the bench app's view
//! (`handle`: `req.files().await?.get("file")`, answering `received {size}`). `copy` is the
//! floor: the same frames copied once into a buffer of the body's size.
//!
//! Prints ns/iteration. For comparisons noise cannot blur, count instructions:
//! `valgrind --tool=callgrind target/release/deps/multipart-*` with `BENCH_ITERS=N` for two
//! values of N (the difference over the difference of N is the cost of one upload);
//! `BENCH_ONLY=parser|handle|copy` runs one of them.

use std::convert::Infallible;
use std::hint::black_box;
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use futures_util::stream;
use http_body_util::StreamBody;
use hyper::body::Frame;
use nuages::http::multipart::{Limits, MultiPartParser};
use nuages::http::RequestBody;
use nuages::urls::path;
use nuages::utils::charset::Charset;
use nuages::views::decorators::csrf::csrf_exempt;
use nuages::{App, HttpRequest, HttpResponse, Settings};

const BOUNDARY: &str = "----nuagesbench7MA4YWxkTrZu0gW";
const FILE_SIZE: usize = 1024 * 1024;
/// The frame sizes the body is cut into, in turn.
const FRAMES: [usize; 5] = [16 * 1024, 24 * 1024, 64 * 1024, 40 * 1024, 32 * 1024];

/// `shared/bench/wrk/upload.lua`'s body: 1 MiB of pseudo-random bytes as `blob.bin`.
fn body() -> Bytes {
    let mut x: u64 = 12345;
    let block: Vec<u8> = (0..4096)
        .map(|_| {
            x = (x * 1_103_515_245 + 12345) % 2_147_483_648;
            ((x / 65536) % 256) as u8
        })
        .collect();
    let mut body = BytesMut::new();
    body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
    body.extend_from_slice(
        b"Content-Disposition: form-data; name=\"file\"; filename=\"blob.bin\"\r\n\
          Content-Type: application/octet-stream\r\n\r\n",
    );
    for _ in 0..FILE_SIZE / block.len() {
        body.extend_from_slice(&block);
    }
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body.freeze()
}

/// `body` cut into frames of the [`FRAMES`] sizes (slices of it: no copy).
fn frames(body: &Bytes) -> Vec<Bytes> {
    let mut out = Vec::new();
    let mut at = 0;
    for size in FRAMES.iter().cycle() {
        if at == body.len() {
            break;
        }
        let end = (at + size).min(body.len());
        out.push(body.slice(at..end));
        at = end;
    }
    out
}

async fn upload(req: HttpRequest) -> nuages::Result<HttpResponse> {
    match req.files().await?.get("file") {
        Some(f) => {
            Ok(HttpResponse::new(format!("received {}", f.size())).with_content_type("text/plain"))
        }
        None => Ok(HttpResponse::bad_request("no file")),
    }
}

fn app() -> App {
    App::builder()
        .settings(Settings {
            allowed_hosts: vec!["*".into()],
            secret_key: "bench".into(),
            ..Settings::default()
        })
        .urls(vec![path("upload", csrf_exempt(upload))])
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let body = body();
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let parser = MultiPartParser::new(Limits::default(), Charset::UTF_8);
    let app = app();
    let iters: u32 = std::env::var("BENCH_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let only = std::env::var("BENCH_ONLY").ok();

    let parse = || async {
        let input = stream::iter(frames(&body).into_iter().map(Ok::<_, Infallible>));
        let (_, files) = parser
            .parse(&content_type, input)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(files.get("file").map(|f| f.size()), Some(FILE_SIZE as u64));
        black_box(files);
    };
    let handle = || async {
        let (parts, ()) = http::Request::post("/upload")
            .header("host", "localhost")
            .header("content-type", &content_type)
            .header("content-length", body.len())
            .body(())
            .unwrap_or_else(|e| panic!("{e}"))
            .into_parts();
        let frames = frames(&body)
            .into_iter()
            .map(|b| Ok::<_, Infallible>(Frame::data(b)));
        let input = RequestBody::new(StreamBody::new(stream::iter(frames)));
        let response = app.handle(app.request(parts, input)).await;
        assert_eq!(response.status(), 200);
        black_box(response.into_http());
    };
    let copy = || async {
        let mut out = Vec::with_capacity(body.len());
        for frame in frames(&body) {
            out.extend_from_slice(&frame);
        }
        black_box(out);
    };

    for name in ["parser", "handle", "copy"] {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let start = rt.block_on(async {
            // Warm-up: a tenth of the iterations.
            for _ in 0..iters / 10 {
                match name {
                    "parser" => parse().await,
                    "handle" => handle().await,
                    _ => copy().await,
                }
            }
            let start = Instant::now();
            for _ in 0..iters {
                match name {
                    "parser" => parse().await,
                    "handle" => handle().await,
                    _ => copy().await,
                }
            }
            start
        });
        println!(
            "{name:<7} {:>10.1} ns/upload",
            start.elapsed().as_nanos() as f64 / f64::from(iters)
        );
    }
}

//! The real server over a socket: HTTP/1.1 keep-alive, HTTP/2 prior knowledge, limits, panics
//! and graceful shutdown with a request in flight.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::{TokioExecutor, TokioIo};
use nuages::test::TestServer;
use nuages::urls::path;
use nuages::{App, HttpRequest, HttpResponse, Settings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn hello(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("Hello there!").with_content_type("text/plain")
}

/// Header names as a Django view would set them.
async fn spelled(_req: HttpRequest) -> HttpResponse {
    let mut r = HttpResponse::new("spelled").with_headers([("X-A", "1")]);
    r.set_header("x-Mixed-Case", "v").unwrap();
    r.set_header("content-language", "fr").unwrap();
    r.set_header_value(http::header::ETAG, http::HeaderValue::from_static("\"e\""));
    r
}

async fn slow(_req: HttpRequest) -> HttpResponse {
    tokio::time::sleep(Duration::from_millis(600)).await;
    HttpResponse::new("slow done")
}

async fn boom(_req: HttpRequest) -> HttpResponse {
    panic!("view exploded")
}

fn app() -> App {
    App::builder()
        .settings(Settings {
            allowed_hosts: vec!["127.0.0.1".into(), "localhost".into()],
            secret_key: "test".into(),
            ..Settings::default()
        })
        .urls(vec![
            path("hello", hello),
            path("spelled", spelled),
            path("slow", slow),
            path("boom", boom),
        ])
        // CommonMiddleware validates the Host, as in Django's default MIDDLEWARE.
        .middleware(nuages::middleware::common::CommonMiddleware::new())
        .build()
        .unwrap()
}

/// Reads one HTTP/1.1 response with a Content-Length body from the stream.
async fn read_response(stream: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(
            n > 0,
            "connection closed early: {}",
            String::from_utf8_lossy(&buf)
        );
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let head = &text[..end];
            let len = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap())
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return text;
            }
        }
    }
}

#[tokio::test]
async fn http1_keep_alive_serves_several_requests_on_one_connection() {
    let server = TestServer::start(app()).await.unwrap();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    for _ in 0..3 {
        stream
            .write_all(b"GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .await
            .unwrap();
        let resp = read_response(&mut stream).await;
        assert!(resp.starts_with("HTTP/1.1 200 OK\r\n"), "{resp}");
        assert!(resp.ends_with("Hello there!"), "{resp}");
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn http1_header_names_are_title_case_as_under_gunicorn() {
    let server = TestServer::start(app()).await.unwrap();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream
        .write_all(b"GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let resp = read_response(&mut stream).await;
    assert!(resp.contains("\r\nContent-Type: text/plain\r\n"), "{resp}");
    assert!(resp.contains("\r\nContent-Length: 12\r\n"), "{resp}");
    server.shutdown().await.unwrap();
}

/// Rules 62 and 71: a name keeps the spelling it was set with (`x-Mixed-Case`, as Django and
/// gunicorn send it), nuages's own names are Django's (`ETag`), in `items()` order (`headers=`
/// before the Content-Type).
#[tokio::test]
async fn http1_header_names_keep_the_spelling_they_were_set_with() {
    let server = TestServer::start(app()).await.unwrap();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    for _ in 0..2 {
        // Twice: the second response uses the cached spellings.
        stream
            .write_all(b"GET /spelled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .await
            .unwrap();
        let resp = read_response(&mut stream).await;
        let lines = [
            "\r\nX-A: 1\r\n",
            "\r\nContent-Type: text/html; charset=utf-8\r\n",
            "\r\nx-Mixed-Case: v\r\n",
            "\r\ncontent-language: fr\r\n",
            "\r\nETag: \"e\"\r\n",
        ];
        let at: Vec<usize> = lines
            .iter()
            .map(|line| {
                resp.find(line)
                    .unwrap_or_else(|| panic!("{line:?} in {resp}"))
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "order: {resp}");
        assert!(resp.contains("\r\nContent-Length: 7\r\n"), "{resp}");
        assert!(resp.ends_with("\r\n\r\nspelled"), "{resp}");
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn http2_prior_knowledge() {
    let server = TestServer::start(app()).await.unwrap();
    let stream = TcpStream::connect(server.addr()).await.unwrap();
    let (mut sender, conn) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(conn);
    let req = http::Request::builder()
        .uri(format!("http://127.0.0.1:{}/hello", server.addr().port()))
        .body(Empty::<Bytes>::new())
        .unwrap();
    let resp = sender.send_request(req).await.unwrap();
    assert_eq!(resp.version(), http::Version::HTTP_2);
    assert_eq!(resp.status(), 200);
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], b"Hello there!");
    drop(sender);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn graceful_shutdown_lets_the_request_in_flight_finish() {
    let server = TestServer::start(app()).await.unwrap();
    let addr = server.addr();
    let in_flight = tokio::spawn(async move {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(b"GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .await
            .unwrap();
        read_response(&mut stream).await
    });
    tokio::time::sleep(Duration::from_millis(150)).await;
    let started = std::time::Instant::now();
    server.shutdown().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "shutdown did not wait for the request"
    );
    let resp = in_flight.await.unwrap();
    assert!(resp.starts_with("HTTP/1.1 200 OK\r\n"), "{resp}");
    assert!(resp.ends_with("slow done"));
    // No new connections after shutdown.
    assert!(TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn a_panicking_view_is_a_500_for_that_request_only() {
    let server = TestServer::start(app()).await.unwrap();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream
        .write_all(b"GET /boom HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let resp = read_response(&mut stream).await;
    assert!(
        resp.starts_with("HTTP/1.1 500 Internal Server Error\r\n"),
        "{resp}"
    );
    assert!(resp.contains("Server Error (500)"));
    // The same connection and the server keep working.
    stream
        .write_all(b"GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let resp = read_response(&mut stream).await;
    assert!(resp.starts_with("HTTP/1.1 200 OK\r\n"), "{resp}");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn hostile_input_gets_djangos_answers() {
    let server = TestServer::start(app()).await.unwrap();
    let cases: &[(&[u8], &str)] = &[
        (
            b"GET /hello HTTP/1.1\r\nHost: evil.com\r\n\r\n",
            "HTTP/1.1 400 Bad Request",
        ),
        (
            b"GET /hello HTTP/1.1\r\nHost: localhost:abc\r\n\r\n",
            "HTTP/1.1 400 Bad Request",
        ),
        (
            b"GET /hello?%%%&&=&a=%zz HTTP/1.1\r\nHost: localhost\r\nCookie: ;;=;\"\r\n\r\n",
            "HTTP/1.1 200 OK",
        ),
        (
            b"GET /nope HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "HTTP/1.1 404 Not Found",
        ),
    ];
    for (raw, expected) in cases {
        let mut stream = TcpStream::connect(server.addr()).await.unwrap();
        stream.write_all(raw).await.unwrap();
        let resp = read_response(&mut stream).await;
        assert!(
            resp.starts_with(expected),
            "{}: {resp}",
            String::from_utf8_lossy(raw)
        );
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn oversized_headers_are_refused() {
    let server = TestServer::start(app()).await.unwrap();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    let big = "a".repeat(100 * 1024);
    let req = format!("GET /hello HTTP/1.1\r\nHost: localhost\r\nX-Big: {big}\r\n\r\n");
    let _ = stream.write_all(req.as_bytes()).await;
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut buf)).await;
    let text = String::from_utf8_lossy(&buf);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 431"),
        "{text}"
    );
    server.shutdown().await.unwrap();
}

/// A body stream that records when it is dropped (a content object Django's `close()` closes).
struct Observed {
    chunks: Option<usize>,
    dropped: Arc<AtomicBool>,
}

impl futures_core::Stream for Observed {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let chunk = match &mut self.chunks {
            Some(0) => None,
            Some(n) => {
                *n -= 1;
                Some(Ok(Bytes::from_static(b"chunk")))
            }
            // Endless: only the client going away ends it.
            None => Some(Ok(Bytes::from(vec![b'x'; 64 * 1024]))),
        };
        std::task::Poll::Ready(chunk)
    }
}

impl Drop for Observed {
    fn drop(&mut self) {
        self.dropped.store(true, Ordering::SeqCst);
    }
}

async fn eventually(what: &str, check: impl Fn() -> bool) {
    for _ in 0..200 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{what} did not happen");
}

/// Rule 65: the content of a response is closed (dropped) once its body has been sent, or when
/// the client goes away before; then the `request_finished` callbacks run, once per request.
#[tokio::test]
async fn content_is_closed_and_request_finished_runs_when_the_response_is_done() {
    let dropped = Arc::new(AtomicBool::new(false));
    let finished = Arc::new(AtomicUsize::new(0));
    let (view_dropped, seen) = (Arc::clone(&dropped), Arc::clone(&finished));
    let flag = Arc::clone(&dropped);
    let view = move |req: HttpRequest| {
        let dropped = Arc::clone(&view_dropped);
        async move {
            dropped.store(false, Ordering::SeqCst);
            let chunks = (req.path() == "/chunks").then_some(3);
            HttpResponse::streaming_stream(Observed { chunks, dropped })
        }
    };
    let app = App::builder()
        .settings(Settings {
            allowed_hosts: vec!["127.0.0.1".into()],
            secret_key: "test".into(),
            ..Settings::default()
        })
        .urls(vec![path("chunks", view.clone()), path("endless", view)])
        .on_request_finished(move || {
            // The content is closed first, as Django's close() closes it before the signal.
            assert!(
                flag.load(Ordering::SeqCst),
                "content closed before request_finished"
            );
            seen.fetch_add(1, Ordering::SeqCst);
        })
        .build()
        .unwrap();
    let server = TestServer::start(app).await.unwrap();

    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream
        .write_all(b"GET /chunks HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut resp = Vec::new();
    stream.read_to_end(&mut resp).await.unwrap();
    let resp = String::from_utf8(resp).unwrap();
    assert!(resp.contains("chunk\r\n"), "{resp}");
    eventually("closing the sent content", || {
        dropped.load(Ordering::SeqCst)
    })
    .await;
    eventually("request_finished", || finished.load(Ordering::SeqCst) == 1).await;

    // The client reads a little of an endless body and goes away.
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream
        .write_all(b"GET /endless HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0; 4096];
    let n = stream.read(&mut buf).await.unwrap();
    assert!(n > 0);
    assert!(!dropped.load(Ordering::SeqCst), "still sending");
    drop(stream);
    eventually("closing the unsent content", || {
        dropped.load(Ordering::SeqCst)
    })
    .await;
    eventually("request_finished once more", || {
        finished.load(Ordering::SeqCst) == 2
    })
    .await;
    server.shutdown().await.unwrap();
    assert_eq!(finished.load(Ordering::SeqCst), 2, "once per request");
}

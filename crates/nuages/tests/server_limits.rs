//! The server against hostile and unusual clients, over a real socket: gunicorn's request-head
//! checks with its error page, RFC 9112's Host and request-target rules, the header, idle and
//! body timeouts (408), the connection and per-connection request limits, HTTP/2 settings.

use std::time::{Duration, Instant};

use nuages::server::Limits;
use nuages::test::TestServer;
use nuages::urls::path;
use nuages::{App, HttpRequest, HttpResponse, Result, Settings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn hello(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("Hello there!").with_content_type("text/plain")
}

async fn host(req: HttpRequest) -> Result<HttpResponse> {
    Ok(HttpResponse::new(format!(
        "{} {}",
        req.get_host()?,
        req.path()
    )))
}

async fn echo(req: HttpRequest) -> Result<HttpResponse> {
    let body = req.body().await?;
    Ok(HttpResponse::new(body))
}

async fn swallow(req: HttpRequest) -> HttpResponse {
    let read = req.body().await;
    HttpResponse::new(format!("read: {}", read.is_ok()))
}

async fn slow(_req: HttpRequest) -> HttpResponse {
    tokio::time::sleep(Duration::from_millis(500)).await;
    HttpResponse::new("slow done")
}

fn app() -> App {
    App::builder()
        .settings(Settings {
            allowed_hosts: vec!["127.0.0.1".into(), "testserver".into()],
            secret_key: "test".into(),
            ..Settings::default()
        })
        .urls(vec![
            path("hello", hello),
            path("host", host),
            path("echo", echo),
            path("slow", slow),
            path("swallow", swallow),
        ])
        .build()
        .unwrap()
}

/// Sends `request`, then reads until the server closes the connection or `wait` passes.
/// Returns what was read and whether the connection was closed.
async fn exchange(server: &TestServer, request: &[u8], wait: Duration) -> (String, bool) {
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(request).await.unwrap();
    read_until_close(&mut stream, wait).await
}

async fn read_until_close(stream: &mut TcpStream, wait: Duration) -> (String, bool) {
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + wait;
    let mut chunk = [0u8; 4096];
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&out).into_owned(), true),
            Ok(Ok(n)) => out.extend_from_slice(&chunk[..n]),
            Err(_) => return (String::from_utf8_lossy(&out).into_owned(), false),
        }
    }
}

fn status(response: &str) -> &str {
    response.get(9..12).unwrap_or("")
}

fn body(response: &str) -> &str {
    response.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

const SHORT: Duration = Duration::from_secs(2);

#[tokio::test]
async fn gunicorn_request_line_checks_answer_with_its_error_page() {
    let server = TestServer::start(app()).await.unwrap();
    let (r, closed) = exchange(
        &server,
        b"get /hello HTTP/1.1\r\nHost: testserver\r\n\r\n",
        SHORT,
    )
    .await;
    assert_eq!(status(&r), "400", "{r}");
    assert!(closed);
    assert!(r.contains("Connection: close\r\n"), "{r}");
    assert!(r.contains("Content-Type: text/html\r\n"), "{r}");
    assert_eq!(
        body(&r),
        "<html>\n  <head>\n    <title>Bad Request</title>\n  </head>\n  <body>\n    <h1><p>Bad Request</p></h1>\n    Invalid Method &#x27;Invalid HTTP method: &#x27;get&#x27;&#x27;\n  </body>\n</html>\n"
    );
    for (request, code) in [
        (&b"GE /hello HTTP/1.1\r\nHost: testserver\r\n\r\n"[..], "400"),
        (b"G#T /hello HTTP/1.1\r\nHost: testserver\r\n\r\n", "400"),
        (b"GET hello HTTP/1.1\r\nHost: testserver\r\n\r\n", "400"),
        (b"GET * HTTP/1.1\r\nHost: testserver\r\n\r\n", "400"),
        (b"GET /caf\xc3\xa9 HTTP/1.1\r\nHost: testserver\r\n\r\n", "400"),
        (b"CONNECT testserver:443 HTTP/1.1\r\nHost: testserver\r\n\r\n", "501"),
        (b"GET /hello HTTP/1.1\r\nHost: testserver\r\nHost: testserver\r\n\r\n", "400"),
        (b"GET /hello HTTP/1.1\r\nHost: testserver\r\nContent-Type: a\r\nContent-Type: b\r\n\r\n", "400"),
        (b"GET /hello HTTP/1.1\r\nHost: testserver\r\nExpect: teapot\r\n\r\n", "417"),
        // RFC 9112 §3.2 (beyond gunicorn): HTTP/1.1 needs a Host.
        (b"GET /hello HTTP/1.1\r\n\r\n", "400"),
        // hyper's parser: obsolete folding, control characters, a space before the colon.
        (b"GET /hello HTTP/1.1\r\nHost: testserver\r\nX-A: a\r\n b\r\n\r\n", "400"),
        (b"GET /hello HTTP/1.1\r\nHost: testserver\r\nX-A: a\x01b\r\n\r\n", "400"),
        (b"GET /hello HTTP/1.1\r\nHost: testserver\r\nX-A : b\r\n\r\n", "400"),
    ] {
        let (r, _) = exchange(&server, request, SHORT).await;
        assert_eq!(status(&r), code, "{}: {r}", String::from_utf8_lossy(request));
    }
    // Accepted: an extension method, HTTP/1.0 without Host, OPTIONS *.
    let (r, _) = exchange(
        &server,
        b"PROPFIND /hello HTTP/1.1\r\nHost: testserver\r\nConnection: close\r\n\r\n",
        SHORT,
    )
    .await;
    assert_eq!(status(&r), "200", "{r}");
    let (r, _) = exchange(&server, b"GET /hello HTTP/1.0\r\n\r\n", SHORT).await;
    assert_eq!(status(&r), "200", "{r}");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn size_limits_answer_414_and_431() {
    let server = TestServer::start(app()).await.unwrap();
    let line = format!(
        "GET /hello?{} HTTP/1.1\r\nHost: testserver\r\n\r\n",
        "a".repeat(5000)
    );
    let (r, _) = exchange(&server, line.as_bytes(), SHORT).await;
    assert_eq!(status(&r), "414", "{r}");
    assert!(
        body(&r).contains("Request Line is too large (5020 &gt; 4094)"),
        "{r}"
    );
    let field = format!(
        "GET /hello HTTP/1.1\r\nHost: testserver\r\nX-A: {}\r\n\r\n",
        "a".repeat(9000)
    );
    let (r, _) = exchange(&server, field.as_bytes(), SHORT).await;
    assert_eq!(status(&r), "431", "{r}");
    let many: String = (0..101).map(|i| format!("X-{i}: 1\r\n")).collect();
    let many = format!("GET /hello HTTP/1.1\r\nHost: testserver\r\n{many}\r\n");
    let (r, _) = exchange(&server, many.as_bytes(), SHORT).await;
    assert_eq!(status(&r), "431", "{r}");
    let huge: String = (0..20)
        .map(|i| format!("X-{i}: {}\r\n", "b".repeat(4000)))
        .collect();
    let huge = format!("GET /hello HTTP/1.1\r\nHost: testserver\r\n{huge}\r\n");
    let (r, _) = exchange(&server, huge.as_bytes(), SHORT).await;
    assert_eq!(status(&r), "431", "{r}");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_configured_header_count_limit_is_kept() {
    let server = TestServer::start_with(
        app(),
        quick(Limits {
            max_headers: 10,
            ..Limits::default()
        }),
    )
    .await
    .unwrap();
    let head = |n: usize| {
        let lines: String = (0..n).map(|i| format!("X-{i}: 1\r\n")).collect();
        format!("GET /hello HTTP/1.1\r\nHost: testserver\r\nConnection: close\r\n{lines}\r\n")
    };
    // Host and Connection count: 8 more lines make 10.
    let (r, _) = exchange(&server, head(8).as_bytes(), SHORT).await;
    assert_eq!(status(&r), "200", "{r}");
    let (r, _) = exchange(&server, head(9).as_bytes(), SHORT).await;
    assert_eq!(status(&r), "431", "{r}");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn absolute_form_is_served_with_its_authority_as_the_host() {
    let server = TestServer::start(app()).await.unwrap();
    let (r, _) = exchange(
        &server,
        b"GET http://testserver/host?x=1 HTTP/1.1\r\nHost: elsewhere\r\nConnection: close\r\n\r\n",
        SHORT,
    )
    .await;
    assert_eq!(status(&r), "200", "{r}");
    assert_eq!(body(&r), "testserver /host");
    // The authority is checked against ALLOWED_HOSTS like any host.
    let (r, _) = exchange(
        &server,
        b"GET http://evil.example/host HTTP/1.1\r\nHost: testserver\r\nConnection: close\r\n\r\n",
        SHORT,
    )
    .await;
    assert_eq!(status(&r), "400", "{r}");
    // Another scheme than ours is not served.
    let (r, _) = exchange(
        &server,
        b"GET https://testserver/host HTTP/1.1\r\nHost: testserver\r\n\r\n",
        SHORT,
    )
    .await;
    assert_eq!(status(&r), "400", "{r}");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn underscored_headers_never_reach_the_application() {
    async fn meta(req: HttpRequest) -> HttpResponse {
        HttpResponse::new(format!("{:?}", req.meta().get("HTTP_X_FORWARDED_FOR")))
    }
    let app = App::builder()
        .settings(Settings {
            allowed_hosts: vec!["testserver".into()],
            secret_key: "test".into(),
            ..Settings::default()
        })
        .urls(vec![path("meta", meta)])
        .build()
        .unwrap();
    let server = TestServer::start(app).await.unwrap();
    let (r, _) = exchange(
        &server,
        b"GET /meta HTTP/1.1\r\nHost: testserver\r\nX_Forwarded_For: 6.6.6.6\r\nConnection: close\r\n\r\n",
        SHORT,
    )
    .await;
    assert_eq!(body(&r), "None", "{r}");
    server.shutdown().await.unwrap();
}

fn quick(limits: Limits) -> impl FnOnce(nuages::server::Server) -> nuages::server::Server {
    move |server| server.limits(limits)
}

#[tokio::test]
async fn a_head_that_does_not_arrive_in_time_gets_408() {
    let limits = Limits {
        header_read_timeout: Some(Duration::from_millis(300)),
        ..Limits::default()
    };
    let server = TestServer::start_with(app(), quick(limits)).await.unwrap();
    let started = Instant::now();
    let (r, closed) = exchange(&server, b"GET /hello HTTP/1.1\r\nHost: test", SHORT).await;
    assert!(closed, "{r}");
    assert_eq!(status(&r), "408", "{r}");
    assert!(started.elapsed() >= Duration::from_millis(250));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn idle_keep_alive_connections_are_closed_quietly() {
    let limits = Limits {
        keep_alive_timeout: Some(Duration::from_millis(300)),
        ..Limits::default()
    };
    let server = TestServer::start_with(app(), quick(limits)).await.unwrap();
    // Never a byte: closed without an answer.
    let (r, closed) = exchange(&server, b"", SHORT).await;
    assert!(closed);
    assert_eq!(r, "");
    // After a response: closed once idle.
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream
        .write_all(b"GET /hello HTTP/1.1\r\nHost: testserver\r\n\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let (r, closed) = read_until_close(&mut stream, SHORT).await;
    assert!(closed);
    assert_eq!(status(&r), "200", "{r}");
    assert!(started.elapsed() >= Duration::from_millis(250));
    // A view slower than the idle timeout is not cut.
    let (r, _) = exchange(
        &server,
        b"GET /slow HTTP/1.1\r\nHost: testserver\r\nConnection: close\r\n\r\n",
        SHORT,
    )
    .await;
    assert_eq!(body(&r), "slow done", "{r}");
    server.shutdown().await.unwrap();
}

/// The end of a request does not wake the connection (`server/io.rs`): the idle timeout still
/// starts when the response has been written, also after a request that ran longer than it.
#[tokio::test]
async fn the_idle_timeout_starts_when_a_long_request_ends() {
    let limits = Limits {
        keep_alive_timeout: Some(Duration::from_millis(300)),
        ..Limits::default()
    };
    let server = TestServer::start_with(app(), quick(limits)).await.unwrap();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    for _ in 0..2 {
        stream
            .write_all(b"GET /slow HTTP/1.1\r\nHost: testserver\r\n\r\n")
            .await
            .unwrap();
        let mut got = Vec::new();
        let mut chunk = [0u8; 4096];
        while !got.ends_with(b"slow done") {
            let n = tokio::time::timeout(SHORT, stream.read(&mut chunk))
                .await
                .expect("the slow view answers")
                .unwrap();
            assert_ne!(n, 0, "closed while a request was in flight");
            got.extend_from_slice(&chunk[..n]);
        }
    }
    // Kept open while idle for less than the timeout, closed after it.
    let answered = Instant::now();
    let (r, closed) = read_until_close(&mut stream, SHORT).await;
    assert!(closed, "not closed after {:?}", answered.elapsed());
    assert_eq!(r, "");
    let idle = answered.elapsed();
    assert!(idle >= Duration::from_millis(250), "closed after {idle:?}");
    assert!(idle < Duration::from_millis(1500), "closed after {idle:?}");
    server.shutdown().await.unwrap();
}

/// HTTP/2: a connection without open streams is closed once idle for the keep-alive timeout,
/// counted from the end of its last stream (here one that ran longer than the timeout).
#[tokio::test]
async fn an_idle_http2_connection_is_closed_after_its_last_stream() {
    use bytes::Bytes;
    use http_body_util::{BodyExt, Empty};
    use hyper_util::rt::{TokioExecutor, TokioIo};

    let limits = Limits {
        keep_alive_timeout: Some(Duration::from_millis(300)),
        ..Limits::default()
    };
    let server = TestServer::start_with(app(), quick(limits)).await.unwrap();
    let stream = TcpStream::connect(server.addr()).await.unwrap();
    let (mut sender, conn) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .unwrap();
    let conn = tokio::spawn(conn);
    let req = http::Request::builder()
        .uri(format!("http://testserver:{}/slow", server.addr().port()))
        .body(Empty::<Bytes>::new())
        .unwrap();
    let resp = sender.send_request(req).await.unwrap();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], b"slow done");
    let answered = Instant::now();
    tokio::time::timeout(Duration::from_secs(3), conn)
        .await
        .expect("the server closes the idle connection")
        .unwrap()
        .ok();
    let idle = answered.elapsed();
    assert!(idle >= Duration::from_millis(250), "closed after {idle:?}");
    assert!(idle < Duration::from_millis(1500), "closed after {idle:?}");
    drop(sender);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_body_that_stops_arriving_gets_408_and_a_closed_connection() {
    let limits = Limits {
        body_read_timeout: Some(Duration::from_millis(300)),
        ..Limits::default()
    };
    let server = TestServer::start_with(app(), quick(limits)).await.unwrap();
    let (r, closed) = exchange(
        &server,
        b"POST /echo HTTP/1.1\r\nHost: testserver\r\nContent-Length: 10\r\n\r\nabc",
        SHORT,
    )
    .await;
    assert!(closed, "{r}");
    assert_eq!(status(&r), "408", "{r}");
    // The view returned the body error with `?`: its 408 page.
    assert!(r.contains("Request Timeout (408)"), "{r}");
    // A view that swallows the error still owes a 408.
    let (r, closed) = exchange(
        &server,
        b"POST /swallow HTTP/1.1\r\nHost: testserver\r\nContent-Length: 10\r\n\r\nabc",
        SHORT,
    )
    .await;
    assert!(closed, "{r}");
    assert_eq!(status(&r), "408", "{r}");
    assert!(r.contains("The request body did not arrive in time"), "{r}");
    // A complete body is echoed.
    let (r, _) = exchange(
        &server,
        b"POST /echo HTTP/1.1\r\nHost: testserver\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc",
        SHORT,
    )
    .await;
    assert_eq!(body(&r), "abc", "{r}");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_body_trickled_below_the_minimum_rate_gets_408() {
    let limits = Limits {
        min_body_rate: Some(1000),
        min_body_rate_grace: Duration::from_millis(300),
        ..Limits::default()
    };
    let server = TestServer::start_with(app(), quick(limits)).await.unwrap();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream
        .write_all(b"POST /echo HTTP/1.1\r\nHost: testserver\r\nContent-Length: 100\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    for _ in 0..20 {
        if stream.write_all(b"x").await.is_err() {
            break;
        }
        let (r, closed) = read_until_close(&mut stream, Duration::from_millis(100)).await;
        answer.push_str(&r);
        if closed {
            break;
        }
    }
    assert_eq!(status(&answer), "408", "{answer}");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn max_requests_per_connection_closes_after_the_last() {
    let limits = Limits {
        max_requests_per_connection: Some(2),
        ..Limits::default()
    };
    let server = TestServer::start_with(app(), quick(limits)).await.unwrap();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream
        .write_all(b"GET /hello HTTP/1.1\r\nHost: testserver\r\n\r\n")
        .await
        .unwrap();
    let (first, closed) = read_until_close(&mut stream, Duration::from_millis(300)).await;
    assert!(!closed, "{first}");
    assert_eq!(status(&first), "200");
    stream
        .write_all(b"GET /hello HTTP/1.1\r\nHost: testserver\r\n\r\n")
        .await
        .unwrap();
    let (second, closed) = read_until_close(&mut stream, SHORT).await;
    assert!(closed, "{second}");
    assert_eq!(status(&second), "200");
    assert!(
        second.to_ascii_lowercase().contains("connection: close"),
        "{second}"
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn connections_over_the_maximum_wait_for_a_free_slot() {
    let limits = Limits {
        max_connections: Some(1),
        ..Limits::default()
    };
    let server = TestServer::start_with(app(), quick(limits)).await.unwrap();
    let mut first = TcpStream::connect(server.addr()).await.unwrap();
    first
        .write_all(b"GET /hello HTTP/1.1\r\nHost: testserver\r\n\r\n")
        .await
        .unwrap();
    let (r, _) = read_until_close(&mut first, Duration::from_millis(300)).await;
    assert_eq!(status(&r), "200");
    // The second connection is accepted by the kernel but not served while the first is open.
    let mut second = TcpStream::connect(server.addr()).await.unwrap();
    second
        .write_all(b"GET /hello HTTP/1.1\r\nHost: testserver\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (r, _) = read_until_close(&mut second, Duration::from_millis(400)).await;
    assert_eq!(r, "", "served while the only slot was taken");
    drop(first);
    let (r, _) = read_until_close(&mut second, SHORT).await;
    assert_eq!(status(&r), "200", "{r}");
    server.shutdown().await.unwrap();
}

/// Reads the server's first HTTP/2 SETTINGS frame after the client preface.
#[tokio::test]
async fn http2_settings_carry_the_limits() {
    let server = TestServer::start(app()).await.unwrap();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream
        .write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
        .await
        .unwrap();
    let mut head = [0u8; 9];
    tokio::time::timeout(SHORT, stream.read_exact(&mut head))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(head[3], 4, "a SETTINGS frame first");
    let len = usize::from(head[0]) << 16 | usize::from(head[1]) << 8 | usize::from(head[2]);
    let mut payload = vec![0u8; len];
    stream.read_exact(&mut payload).await.unwrap();
    let settings: Vec<(u16, u32)> = payload
        .chunks(6)
        .map(|c| {
            (
                u16::from_be_bytes([c[0], c[1]]),
                u32::from_be_bytes([c[2], c[3], c[4], c[5]]),
            )
        })
        .collect();
    // MAX_CONCURRENT_STREAMS, INITIAL_WINDOW_SIZE, MAX_HEADER_LIST_SIZE.
    assert!(settings.contains(&(0x3, 200)), "{settings:?}");
    assert!(settings.contains(&(0x4, 1 << 20)), "{settings:?}");
    assert!(settings.contains(&(0x6, 64 * 1024)), "{settings:?}");
    drop(stream);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn graceful_shutdown_finishes_in_flight_requests_and_refuses_new_ones() {
    let server = TestServer::start(app()).await.unwrap();
    let addr = server.addr();
    let mut busy = TcpStream::connect(addr).await.unwrap();
    busy.write_all(b"GET /slow HTTP/1.1\r\nHost: testserver\r\n\r\n")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let shutdown = tokio::spawn(server.shutdown());
    let (r, closed) = read_until_close(&mut busy, SHORT).await;
    assert_eq!(body(&r), "slow done", "{r}");
    assert!(closed, "the connection closes after the in-flight response");
    shutdown.await.unwrap().unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "new connections are refused"
    );
}

#[tokio::test]
async fn an_http2_preface_mid_http1_and_http1_after_an_http2_preface_close_the_connection() {
    let server = TestServer::start(app()).await.unwrap();
    // HTTP/1.1 first, then the HTTP/2 preface as the next "request".
    let (r, closed) = exchange(
        &server,
        b"GET /hello HTTP/1.1\r\nHost: testserver\r\n\r\nPRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        SHORT,
    )
    .await;
    assert!(closed, "{r}");
    assert_eq!(status(&r), "200", "{r}");
    assert_eq!(r.matches("HTTP/1.1 ").count(), 1, "{r}");
    // The preface, then an HTTP/1 request instead of frames: the HTTP/2 connection ends
    // (GOAWAY) without an HTTP/1 answer.
    let (r, closed) = exchange(
        &server,
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nGET /hello HTTP/1.1\r\nHost: testserver\r\n\r\n",
        SHORT,
    )
    .await;
    assert!(closed);
    assert!(!r.contains("HTTP/1.1"), "{r}");
    // The server goes on serving.
    let (r, _) = exchange(&server, b"GET /hello HTTP/1.0\r\n\r\n", SHORT).await;
    assert_eq!(body(&r), "Hello there!");
    server.shutdown().await.unwrap();
}

/// An HTTP/2 frame: length, type, flags, stream, payload.
fn frame(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
    let len = payload.len();
    let mut out = vec![(len >> 16) as u8, (len >> 8) as u8, len as u8, kind, flags];
    out.extend_from_slice(&stream.to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// Reads frames until a GOAWAY (returns its error code) or the connection closes (`None`).
async fn goaway(stream: &mut TcpStream) -> Option<u32> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16384];
    loop {
        while buf.len() >= 9 {
            let len = usize::from(buf[0]) << 16 | usize::from(buf[1]) << 8 | usize::from(buf[2]);
            if buf.len() < 9 + len {
                break;
            }
            if buf[3] == 7 {
                let p = &buf[9..9 + len];
                return Some(u32::from_be_bytes([p[4], p[5], p[6], p[7]]));
            }
            buf.drain(..9 + len);
        }
        match tokio::time::timeout(SHORT, stream.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n]),
            _ => return None,
        }
    }
}

const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

#[tokio::test]
async fn http2_rapid_reset_floods_end_with_goaway() {
    let server = TestServer::start(app()).await.unwrap();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    let mut out = PREFACE.to_vec();
    out.extend(frame(4, 0, 0, &[]));
    // GET / on stream n (HPACK static table: :method GET, :scheme http, :path /), reset at once.
    for n in 0..200u32 {
        let id = 2 * n + 1;
        out.extend(frame(1, 0x4 | 0x1, id, &[0x82, 0x86, 0x84]));
        out.extend(frame(3, 0, id, &8u32.to_be_bytes()));
    }
    stream.write_all(&out).await.unwrap();
    // ENHANCE_YOUR_CALM (0xb).
    assert_eq!(goaway(&mut stream).await, Some(0xb));
    drop(stream);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn http2_continuation_floods_are_bounded_by_the_header_list_size() {
    let server = TestServer::start(app()).await.unwrap();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    let mut out = PREFACE.to_vec();
    out.extend(frame(4, 0, 0, &[]));
    // HEADERS without END_HEADERS, then CONTINUATION frames of literal headers, never ending.
    out.extend(frame(1, 0x1, 1, &[0x82, 0x86, 0x84]));
    stream.write_all(&out).await.unwrap();
    // A literal header without indexing: name "x-a", value 8,000 bytes.
    let mut literal = vec![0x00, 3, b'x', b'-', b'a', 0x7f];
    let mut rest = 8000 - 127;
    while rest >= 128 {
        literal.push((rest % 128) as u8 | 0x80);
        rest /= 128;
    }
    literal.push(rest as u8);
    literal.extend(std::iter::repeat_n(b'v', 8000));
    let mut sent = 0usize;
    let refused = loop {
        if stream.write_all(&frame(9, 0, 1, &literal)).await.is_err() {
            break true;
        }
        sent += literal.len();
        if sent > 4 * 1024 * 1024 {
            break false;
        }
    };
    // The server stops reading or says GOAWAY long before 4 MiB of header block.
    assert!(
        refused || goaway(&mut stream).await.is_some(),
        "{sent} bytes of CONTINUATION accepted"
    );
    drop(stream);
    server.shutdown().await.unwrap();
}

/// A stream of 64 KiB chunks, endless, that records when it is dropped.
struct Endless(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl futures_core::Stream for Endless {
    type Item = Result<bytes::Bytes, std::io::Error>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(Some(Ok(bytes::Bytes::from(vec![b'x'; 64 * 1024]))))
    }
}

impl Drop for Endless {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

#[tokio::test]
async fn a_client_leaving_mid_download_drops_the_stream() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let dropped = Arc::new(AtomicBool::new(false));
    let flag = dropped.clone();
    let download = move |_req: HttpRequest| {
        let flag = flag.clone();
        async move { HttpResponse::streaming(Box::pin(Endless(flag))) }
    };
    let app = App::builder()
        .settings(Settings {
            allowed_hosts: vec!["testserver".into()],
            secret_key: "test".into(),
            ..Settings::default()
        })
        .urls(vec![path("download", download)])
        .build()
        .unwrap();
    let server = TestServer::start(app).await.unwrap();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream
        .write_all(b"GET /download HTTP/1.1\r\nHost: testserver\r\n\r\n")
        .await
        .unwrap();
    let mut got = vec![0u8; 256 * 1024];
    stream.read_exact(&mut got).await.unwrap();
    assert!(!dropped.load(Ordering::SeqCst));
    drop(stream);
    for _ in 0..100 {
        if dropped.load(Ordering::SeqCst) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        dropped.load(Ordering::SeqCst),
        "the response stream outlived its client"
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_client_that_closes_its_side_after_the_request_still_gets_the_response() {
    let server = TestServer::start(app()).await.unwrap();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream
        .write_all(b"GET /slow HTTP/1.1\r\nHost: testserver\r\n\r\n")
        .await
        .unwrap();
    stream.shutdown().await.unwrap();
    let (r, closed) = read_until_close(&mut stream, SHORT).await;
    assert!(closed);
    assert_eq!(body(&r), "slow done", "{r}");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn serve_connection_serves_any_byte_stream_with_the_checks() {
    let (mut client, io) = tokio::io::duplex(64 * 1024);
    let local = "127.0.0.1:8000".parse().unwrap();
    let peer = "127.0.0.1:50000".parse().unwrap();
    tokio::spawn(nuages::server::serve_connection(
        app(),
        Limits::default(),
        io,
        local,
        peer,
    ));
    client
        .write_all(b"get /hello HTTP/1.1\r\nHost: testserver\r\n\r\nGET /hello HTTP/1.1\r\nHost: testserver\r\n\r\n")
        .await
        .unwrap();
    let mut out = Vec::new();
    client.read_to_end(&mut out).await.unwrap();
    let out = String::from_utf8_lossy(&out);
    // The refused head closes the connection: the second request is never served.
    assert_eq!(status(&out), "400", "{out}");
    assert!(!out.contains("Hello there!"), "{out}");
}

//! Every case of golden `conditional.json`, checked one by one:
//!
//! * `decorator` cases: the generator's five decorated views (`both`, `etag_only`,
//!   `last_modified_only`, `weak_etag`, `none_values`, each over a view returning
//!   `HttpResponse('content')` with `X-View: ran`) served by an [`App`] and driven by the test
//!   [`Client`]: status, whether the view ran, `ETag`, `Last-Modified`, the body and the exact
//!   set of response headers;
//! * `middleware` cases: the generator's seven inner views behind [`ConditionalGetMiddleware`],
//!   same checks;
//! * `not_modified_vectors.json` (made by `tests/data/not_modified_vectors.py`): what a 304
//!   keeps of a view's response — no Content-Type — compared on the wire, line by line.

mod support;

use chrono::{DateTime, TimeZone, Utc};
use http::{HeaderMap, Method, StatusCode};
use nuages::middleware::http::ConditionalGetMiddleware;
use nuages::test::{Client, TestResponse};
use nuages::urls::path;
use nuages::views::decorators::http::{condition, etag, last_modified};
use nuages::{App, HttpRequest, HttpResponse, Settings};
use serde_json::{Map, Value};

const LM_STR: &str = "Sun, 21 Oct 2007 23:21:47 GMT";

fn lm() -> Option<DateTime<Utc>> {
    Utc.with_ymd_and_hms(2007, 10, 21, 23, 21, 47).single()
}

async fn body(_req: HttpRequest) -> HttpResponse {
    let mut r = HttpResponse::new("content");
    r.set_header("X-View", "ran").unwrap();
    r
}

fn settings() -> Settings {
    Settings {
        debug: true,
        allowed_hosts: vec!["testserver".into()],
        ..Settings::default()
    }
}

/// The generator's `views` dict, one route per view name.
fn decorator_app() -> App {
    App::builder()
        .settings(settings())
        .urls(vec![
            path("both", condition(|_| Some("abc"), |_| lm(), body)),
            path("etag_only", etag(|_| Some("\"abc\""), body)),
            path("last_modified_only", last_modified(|_| lm(), body)),
            path("weak_etag", etag(|_| Some("W/\"abc\""), body)),
            path(
                "none_values",
                condition(|_| None::<String>, |_| None::<DateTime<Utc>>, body),
            ),
        ])
        .build()
        .unwrap()
}

fn with(mut r: HttpResponse, headers: &[(&str, &str)]) -> HttpResponse {
    for (k, v) in headers {
        r.set_header(k, v).unwrap();
    }
    r
}

/// The generator's `mw_view_factory(kind)`.
fn mw_view(kind: &str) -> HttpResponse {
    let content = || HttpResponse::new("content");
    match kind {
        "plain" => content(),
        "with_etag" => with(content(), &[("ETag", "\"xyz\"")]),
        "with_lm" => with(content(), &[("Last-Modified", LM_STR)]),
        "cache_no_store" => with(content(), &[("Cache-Control", "no-store")]),
        "status_404" => content().with_status(StatusCode::NOT_FOUND),
        "empty" => HttpResponse::new(""),
        "with_headers" => with(
            content(),
            &[
                ("ETag", "\"xyz\""),
                ("Cache-Control", "max-age=60"),
                ("Content-Language", "en"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "x=1"),
                ("X-Other", "dropped?"),
            ],
        ),
        other => panic!("unknown view_response {other}"),
    }
}

const MW_KINDS: [&str; 7] = [
    "plain",
    "with_etag",
    "with_lm",
    "cache_no_store",
    "status_404",
    "empty",
    "with_headers",
];

fn middleware_app() -> App {
    let mut urls = Vec::new();
    for kind in MW_KINDS {
        urls.push(path(
            kind,
            move |_req: HttpRequest| async move { mw_view(kind) },
        ));
    }
    App::builder()
        .settings(settings())
        .middleware(ConditionalGetMiddleware::new())
        .urls(urls)
        .build()
        .unwrap()
}

async fn send(client: &Client, url: &str, case: &Value) -> TestResponse {
    let method = Method::from_bytes(case["method"].as_str().unwrap().as_bytes()).unwrap();
    let mut req = client.request(method, url);
    for (k, v) in case["request_headers"].as_object().unwrap() {
        req = req.header(k, v.as_str().unwrap());
    }
    req.send().await
}

/// The response's headers must be exactly the expected ones (names case-insensitive).
fn check_headers(name: &str, expected: &Map<String, Value>, got: &HeaderMap) {
    for (k, v) in expected {
        let values: Vec<&str> = got
            .get_all(k.as_str())
            .iter()
            .map(|h| h.to_str().unwrap())
            .collect();
        assert_eq!(values, [v.as_str().unwrap()], "{name}: header {k}");
    }
    for k in got.keys() {
        assert!(
            expected.keys().any(|e| e.eq_ignore_ascii_case(k.as_str())),
            "{name}: unexpected header {k}: {:?}",
            got.get(k)
        );
    }
}

fn opt_str(v: &Value) -> Option<&str> {
    v.as_str()
}

#[tokio::test]
async fn golden_conditional_cases() {
    let golden: Value = support::golden("conditional.json");
    let cases = golden["cases"].as_array().unwrap();
    // The cases were recorded with RequestFactory, which keeps the body of HEAD responses.
    let decorators = Client::new(decorator_app()).conditional_content_removal(false);
    let middleware = Client::new(middleware_app()).conditional_content_removal(false);
    let (mut n_decorator, mut n_middleware, mut n_note) = (0, 0, 0);
    for (i, case) in cases.iter().enumerate() {
        match case["kind"].as_str().unwrap() {
            "decorator" => {
                let view = case["view"].as_str().unwrap();
                let name = format!(
                    "#{i} decorator {view} {} {}",
                    case["method"], case["request_headers"]
                );
                let r = send(&decorators, &format!("/{view}"), case).await;
                assert_eq!(
                    u64::from(r.status()),
                    case["status"].as_u64().unwrap(),
                    "{name}: status"
                );
                assert_eq!(
                    r.header("x-view") == Some("ran"),
                    case["view_ran"].as_bool().unwrap(),
                    "{name}: view_ran"
                );
                assert_eq!(r.header("etag"), opt_str(&case["etag"]), "{name}: ETag");
                assert_eq!(
                    r.header("last-modified"),
                    opt_str(&case["last_modified"]),
                    "{name}: Last-Modified"
                );
                assert_eq!(
                    r.text(),
                    case["content"].as_str().unwrap(),
                    "{name}: content"
                );
                check_headers(
                    &name,
                    case["response_headers"].as_object().unwrap(),
                    r.headers(),
                );
                n_decorator += 1;
            }
            "middleware" => {
                let kind = case["view_response"].as_str().unwrap();
                let name = format!(
                    "#{i} middleware {kind} {} {}",
                    case["method"], case["request_headers"]
                );
                let r = send(&middleware, &format!("/{kind}"), case).await;
                assert_eq!(
                    u64::from(r.status()),
                    case["status"].as_u64().unwrap(),
                    "{name}: status"
                );
                assert_eq!(
                    r.text(),
                    case["content"].as_str().unwrap(),
                    "{name}: content"
                );
                check_headers(
                    &name,
                    case["response_headers"].as_object().unwrap(),
                    r.headers(),
                );
                n_middleware += 1;
            }
            "note" => {
                let md5 = case["md5_of_content"].as_str().unwrap();
                let mut r = HttpResponse::new("content");
                nuages::utils::cache::set_response_etag(&mut r);
                assert_eq!(
                    r.header("etag").as_deref(),
                    Some(format!("\"{md5}\"").as_str())
                );
                n_note += 1;
            }
            other => panic!("unknown case kind {other}"),
        }
    }
    assert_eq!((n_decorator, n_middleware, n_note), (512, 105, 1));
    assert_eq!(cases.len(), 618);
}

/// The view of `not_modified_vectors.py`: a Content-Type, headers set with Django's spellings
/// (`VIEW_HEADERS`) and two cookies.
async fn full_view(_req: HttpRequest) -> HttpResponse {
    let vectors = support::data("not_modified_vectors.json");
    let mut r = HttpResponse::new("body").with_content_type("text/plain; charset=latin-1");
    for pair in vectors["view_headers"].as_array().expect("view_headers") {
        let (name, value) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
        r.set_header(name, value).unwrap();
    }
    let cookie = nuages::http::cookie::SetCookie::new;
    r.set_cookie(cookie("a", "1").path("/doc")).unwrap();
    r.set_cookie(cookie("b", "2").httponly(true)).unwrap();
    r
}

/// The response head as sent: status and header lines (`Name: value`), in order.
async fn head_on_the_wire(addr: std::net::SocketAddr, request: &str) -> (u16, Vec<String>, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").expect("a head");
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap()[9..12].parse().unwrap();
    (status, lines.map(str::to_owned).collect(), body.to_owned())
}

/// A 304 keeps what Django's `_not_modified` keeps (Cache-Control, Content-Location, Date,
/// ETag, Expires, Last-Modified, Vary, in that order, and the cookies) and has no Content-Type,
/// even a view's: `HttpResponseNotModified` deletes it. Checked on the wire against
/// `not_modified_vectors.json`: header lines in order and spelling, then Set-Cookie.
#[tokio::test]
async fn not_modified_keeps_djangos_headers_on_the_wire() {
    let vectors = support::data("not_modified_vectors.json");
    let settings = || Settings {
        allowed_hosts: vec!["127.0.0.1".into()],
        secret_key: "x".into(),
        ..Settings::default()
    };
    let middleware_app = App::builder()
        .settings(settings())
        .urls([path("doc", full_view)])
        .middleware(ConditionalGetMiddleware::new())
        .build()
        .unwrap();
    let decorator_app = App::builder()
        .settings(settings())
        .urls([
            path(
                "condition/doc",
                condition(|_| Some("\"v1\""), |_| None::<DateTime<Utc>>, full_view),
            ),
            path("etag/doc", etag(|_| Some("\"v1\""), full_view)),
        ])
        .build()
        .unwrap();
    let middleware = nuages::test::TestServer::start(middleware_app)
        .await
        .unwrap();
    let decorators = nuages::test::TestServer::start(decorator_app)
        .await
        .unwrap();
    let cases = vectors["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 9);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let (kind, condition) = name.split_once(' ').unwrap();
        let (addr, path) = match kind {
            "middleware" => (middleware.addr(), "/doc".to_owned()),
            other => (decorators.addr(), format!("/{other}/doc")),
        };
        let precondition = match condition {
            "HTTP_IF_NONE_MATCH" => "If-None-Match: \"v1\"\r\n",
            "HTTP_IF_MODIFIED_SINCE" => "If-Modified-Since: Sun, 21 Oct 2007 23:21:47 GMT\r\n",
            _ => "",
        };
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{precondition}Connection: close\r\n\r\n"
        );
        let (status, lines, body) = head_on_the_wire(addr, &request).await;
        assert_eq!(
            u64::from(status),
            case["status"].as_u64().unwrap(),
            "{name}: status"
        );
        // Django's items(), then one Set-Cookie per cookie; what the server adds itself
        // (Content-Length of a 200, Date when the view set none, Connection) is left out.
        let mut expected: Vec<String> = case["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| {
                format!(
                    "{}: {}",
                    pair[0].as_str().unwrap(),
                    pair[1].as_str().unwrap()
                )
            })
            .collect();
        let has_date = expected.iter().any(|l| l.starts_with("Date: "));
        for cookie in case["cookies"].as_array().unwrap() {
            expected.push(format!("Set-Cookie: {}", cookie.as_str().unwrap()));
        }
        let sent: Vec<String> = lines
            .into_iter()
            .filter(|l| {
                !(l.starts_with("Content-Length: ")
                    || l.starts_with("Connection: ")
                    || (!has_date && l.starts_with("Date: ")))
            })
            .collect();
        assert_eq!(sent, expected, "{name}: header lines");
        assert_eq!(body, case["content"].as_str().unwrap(), "{name}: body");
    }
    middleware.shutdown().await.unwrap();
    decorators.shutdown().await.unwrap();
}

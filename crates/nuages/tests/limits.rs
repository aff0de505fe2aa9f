//! Request-side limits: each answers the status Django answers and logs exactly one line
//! (Django's `response_for_exception`), with request data escaped as Django 5.2's
//! `log_response` escapes it; the JSON body helper and its limits; request bodies sent with
//! a `Content-Encoding`.

mod support;

use std::future::Future;
use std::io::Write as _;

use nuages::http::request::{ContentEncodingError, JsonBodyError};
use nuages::test::Client;
use nuages::urls::path;
use nuages::{App, BadRequest, HttpRequest, HttpResponse, Result, Settings};

fn settings() -> Settings {
    Settings {
        secret_key: "test-key".into(),
        allowed_hosts: vec!["testserver".into()],
        ..Settings::default()
    }
}

async fn json_view(req: HttpRequest) -> Result<HttpResponse> {
    let value = req.json_value().await?;
    Ok(HttpResponse::new(value.to_string()))
}

#[derive(serde::Deserialize)]
struct Order {
    item: String,
    quantity: u32,
}

async fn order_view(req: HttpRequest) -> Result<HttpResponse> {
    let order: Order = req.json().await?;
    Ok(HttpResponse::new(format!(
        "{} x{}",
        order.item, order.quantity
    )))
}

async fn body_view(req: HttpRequest) -> Result<HttpResponse> {
    let body = req.body().await?;
    Ok(HttpResponse::new(body))
}

async fn form_view(req: HttpRequest) -> Result<HttpResponse> {
    let post = req.form().await?;
    let mut pairs: Vec<String> = post.items().map(|(k, v)| format!("{k}={v}")).collect();
    pairs.sort();
    Ok(HttpResponse::new(pairs.join("&")))
}

async fn files_view(req: HttpRequest) -> Result<HttpResponse> {
    let files = req.files().await?;
    let post = req.form().await?;
    Ok(HttpResponse::new(format!(
        "{} files, {} fields",
        files.len(),
        post.len()
    )))
}

async fn read_view(mut req: HttpRequest) -> Result<HttpResponse> {
    let rest = req.read_to_end().await?;
    Ok(HttpResponse::new(rest))
}

async fn query_view(req: HttpRequest) -> Result<HttpResponse> {
    Ok(HttpResponse::new(format!("{}", req.query()?.len())))
}

async fn bad_view(_req: HttpRequest) -> Result<HttpResponse> {
    Err(BadRequest::new("nope"))?
}

fn app(settings: Settings) -> Client {
    let app = App::builder()
        .settings(settings)
        .urls(vec![
            path("json/", json_view),
            path("order/", order_view),
            path("body/", body_view),
            path("form/", form_view),
            path("files/", files_view),
            path("read/", read_view),
            path("query/", query_view),
            path("bad/", bad_view),
        ])
        .build()
        .expect("valid app");
    Client::new(app)
}

/// Runs `f` on a current-thread runtime and returns its output with what it logged.
fn logged<T>(f: impl Future<Output = T>) -> (T, String) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    support::logged(|| rt.block_on(f))
}

/// Asserts that `log` is exactly one line, containing every part of `expected`.
#[track_caller]
fn one_line(log: &str, expected: &[&str]) {
    assert_eq!(
        log.lines().count(),
        1,
        "exactly one log line expected:\n{log}"
    );
    for part in expected {
        assert!(log.contains(part), "{part:?} not in {log:?}");
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn multipart(fields: usize, files: usize, file_size: usize) -> Vec<u8> {
    let mut body = Vec::new();
    for i in 0..fields {
        write!(
            body,
            "--b\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nv{i}\r\n"
        )
        .unwrap();
    }
    for i in 0..files {
        write!(
            body,
            "--b\r\nContent-Disposition: form-data; name=\"u{i}\"; filename=\"u{i}.txt\"\r\n\
             Content-Type: text/plain\r\n\r\n"
        )
        .unwrap();
        body.extend(std::iter::repeat_n(b'x', file_size));
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"--b--\r\n");
    body
}

// ---------------------------------------------------------------------------------------------
// Django's limits: status and one log line
// ---------------------------------------------------------------------------------------------

#[test]
fn data_upload_max_memory_size_is_400_logged_on_django_security() {
    let client = app(Settings {
        data_upload_max_memory_size: Some(10),
        ..settings()
    });
    for url in ["/body/", "/read/", "/json/"] {
        let (r, log) = logged(
            client
                .post(url)
                .body("0123456789ab")
                .content_type("application/json")
                .send(),
        );
        assert_eq!(r.status(), 400, "{url}");
        one_line(
            &log,
            &[
                "ERROR",
                "django.security.RequestDataTooBig",
                "Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.",
            ],
        );
    }
    let (r, log) = logged(
        client
            .post("/form/")
            .body("a=0123456789")
            .content_type("application/x-www-form-urlencoded")
            .send(),
    );
    assert_eq!(r.status(), 400);
    one_line(&log, &["django.security.RequestDataTooBig"]);
    // Exactly at the limit is fine.
    assert_eq!(
        client
            .post("/body/")
            .body("0123456789")
            .send()
            .await_blocking()
            .status(),
        200
    );
}

#[test]
fn data_upload_max_number_fields_is_400_logged_on_django_security() {
    let client = app(Settings {
        data_upload_max_number_fields: Some(3),
        ..settings()
    });
    let message =
        "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS.";
    let (r, log) = logged(client.get("/query/?a=1&b=2&c=3&d=4").send());
    assert_eq!(r.status(), 400);
    one_line(
        &log,
        &["ERROR", "django.security.TooManyFieldsSent", message],
    );
    assert_eq!(
        client
            .get("/query/?a=1&b=2&c=3")
            .send()
            .await_blocking()
            .text(),
        "3"
    );

    let (r, log) = logged(
        client
            .post("/form/")
            .form(&[("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")])
            .send(),
    );
    assert_eq!(r.status(), 400);
    one_line(&log, &["django.security.TooManyFieldsSent", message]);

    let (r, log) = logged(
        client
            .post("/files/")
            .body(multipart(4, 0, 0))
            .content_type("multipart/form-data; boundary=b")
            .send(),
    );
    assert_eq!(r.status(), 400);
    one_line(&log, &["django.security.TooManyFieldsSent", message]);
}

#[test]
fn data_upload_max_number_files_is_400_logged_on_django_security() {
    let client = app(Settings {
        data_upload_max_number_files: Some(2),
        ..settings()
    });
    let (r, log) = logged(
        client
            .post("/files/")
            .body(multipart(0, 3, 10))
            .content_type("multipart/form-data; boundary=b")
            .send(),
    );
    assert_eq!(r.status(), 400);
    one_line(
        &log,
        &[
            "ERROR",
            "django.security.TooManyFilesSent",
            "The number of files exceeded settings.DATA_UPLOAD_MAX_NUMBER_FILES.",
        ],
    );
    let ok = client
        .post("/files/")
        .body(multipart(1, 2, 10))
        .content_type("multipart/form-data; boundary=b")
        .send()
        .await_blocking();
    assert_eq!(ok.text(), "2 files, 1 fields");
}

#[test]
fn bad_request_and_multipart_errors_log_djangos_lines() {
    let client = app(settings());
    let (r, log) = logged(client.get("/bad/").send());
    assert_eq!(r.status(), 400);
    one_line(&log, &["WARN", "django.request", "nope: /bad/"]);

    let (r, log) = logged(
        client
            .post("/files/")
            .body("--x--")
            .content_type("multipart/form-data")
            .send(),
    );
    assert_eq!(r.status(), 400);
    one_line(
        &log,
        &[
            "WARN",
            "django.request",
            "Bad request (Unable to parse request body): /files/",
        ],
    );
}

#[test]
fn logged_paths_are_escaped_like_django() {
    // Django 5.2 logs `log_response` arguments through `unicode_escape`: a path cannot start
    // a new log line, and non-ASCII is shown as escapes.
    let client = app(settings());
    let (r, log) = logged(
        client
            .get("/nope%0d%0aERROR%20forged%1b[31m/caf%C3%A9")
            .send(),
    );
    assert_eq!(r.status(), 404);
    one_line(
        &log,
        &["Not Found: /nope\\r\\nERROR forged\\x1b[31m/caf\\xe9"],
    );
    let (_, log) = logged(client.get("/bad/").query(&[("x", "\n")]).send());
    one_line(&log, &["nope: /bad/"]);
    assert_eq!(
        nuages::utils::log::log_message_escape("/a\\b\u{2028}\u{1f600}"),
        "/a\\\\b\\u2028\\U0001f600"
    );
}

// ---------------------------------------------------------------------------------------------
// request.json()
// ---------------------------------------------------------------------------------------------

#[test]
fn json_parses_and_deserializes() {
    let client = app(settings());
    let r = client
        .post("/order/")
        .body(r#"{"item": "tea", "quantity": 2}"#)
        .content_type("application/json; charset=utf-8")
        .send()
        .await_blocking();
    assert_eq!(r.text(), "tea x2");
    let r = client
        .post("/json/")
        .body(r#"{"type": "about:blank"}"#)
        .content_type("application/problem+json")
        .send()
        .await_blocking();
    assert_eq!(r.status(), 200);
    // A document that does not fit the type: 400 (axum says 422).
    let (r, log) = logged(
        client
            .post("/order/")
            .body(r#"{"item": "tea", "quantity": -1}"#)
            .content_type("application/json")
            .send(),
    );
    assert_eq!(r.status(), 400);
    one_line(
        &log,
        &[
            "Failed to deserialize the JSON body into the target type",
            ": /order/",
        ],
    );
}

#[test]
fn json_refuses_other_content_types_with_415() {
    let client = app(settings());
    for ct in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("text/json"),
    ] {
        let mut req = client.post("/json/").body("{}");
        if let Some(ct) = ct {
            req = req.content_type(ct);
        }
        let (r, log) = logged(req.send());
        assert_eq!(r.status(), 415, "{ct:?}");
        assert!(
            r.text().contains("Unsupported Media Type (415)"),
            "{}",
            r.text()
        );
        one_line(
            &log,
            &[
                "WARN",
                "Unsupported Media Type: /json/",
                "Expected request with `Content-Type: application/json`",
            ],
        );
    }
}

#[test]
fn hostile_json_is_a_typed_400() {
    let client = app(settings());
    let million_digits = format!("[{}]", "9".repeat(1_000_000));
    let cases: [(&str, Vec<u8>); 7] = [
        ("nested-array bomb", "[".repeat(100_000).into_bytes()),
        ("nested-object bomb", "{\"a\":".repeat(100_000).into_bytes()),
        ("million-digit number", million_digits.into_bytes()),
        ("invalid UTF-8", b"[\"\xff\xfe\"]".to_vec()),
        ("trailing garbage", b"{\"a\": 1} x".to_vec()),
        ("two documents", b"[1][2]".to_vec()),
        ("empty body", Vec::new()),
    ];
    for (name, body) in cases {
        let (r, log) = logged(
            client
                .post("/json/")
                .body(body)
                .content_type("application/json")
                .send(),
        );
        assert_eq!(r.status(), 400, "{name}");
        one_line(
            &log,
            &[
                "WARN",
                "Failed to parse the request body as JSON",
                ": /json/",
            ],
        );
    }
}

#[test]
fn json_max_depth_is_the_setting() {
    let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let client = app(settings());
    let send = |client: &Client, body: String| {
        client
            .post("/json/")
            .body(body)
            .content_type("application/json")
            .send()
            .await_blocking()
    };
    assert_eq!(send(&client, nested(64)).status(), 200);
    let r = logged(
        client
            .post("/json/")
            .body(nested(65))
            .content_type("application/json")
            .send(),
    );
    assert_eq!(r.0.status(), 400);
    one_line(&r.1, &["nested deeper than JSON_MAX_DEPTH (64)"]);
    // Brackets inside strings do not count.
    assert_eq!(
        send(&client, format!("[\"{}\"]", "[".repeat(1000))).status(),
        200
    );

    let client = app(Settings {
        json_max_depth: 127,
        ..settings()
    });
    assert_eq!(send(&client, nested(127)).status(), 200);
    assert_eq!(send(&client, nested(128)).status(), 400);
    let err = App::builder()
        .settings(Settings {
            json_max_depth: 128,
            ..settings()
        })
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("JSON_MAX_DEPTH"), "{err}");
}

#[test]
fn json_errors_are_typed() {
    let rf = nuages::test::RequestFactory::new();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let req = rf
        .post("/", "[".repeat(100_000))
        .content_type("application/json")
        .build();
    let err = rt.block_on(req.json_value()).unwrap_err();
    assert!(matches!(
        err.downcast_ref::<JsonBodyError>(),
        Some(JsonBodyError::TooDeep { max_depth: 64 })
    ));
    let req = rf.post("/", "{}").content_type("text/plain").build();
    let err = rt.block_on(req.json_value()).unwrap_err();
    assert!(matches!(
        err.downcast_ref::<JsonBodyError>(),
        Some(JsonBodyError::UnsupportedMediaType { content_type }) if content_type == "text/plain"
    ));
    // The body is cached: json() again, with another type.
    let req = rf
        .post("/", "[1, 2]")
        .content_type("application/json")
        .build();
    assert_eq!(rt.block_on(req.json::<Vec<u8>>()).unwrap(), [1, 2]);
    assert_eq!(
        rt.block_on(req.json_value()).unwrap(),
        serde_json::json!([1, 2])
    );
}

// ---------------------------------------------------------------------------------------------
// Content-Encoding of request bodies
// ---------------------------------------------------------------------------------------------

#[test]
fn encoded_bodies_are_415_unless_enabled() {
    let client = app(settings());
    let form = gzip(b"a=1");
    for url in ["/body/", "/form/", "/files/", "/read/", "/json/"] {
        let ct = match url {
            "/json/" => "application/json",
            "/files/" => "multipart/form-data; boundary=b",
            _ => "application/x-www-form-urlencoded",
        };
        let (r, log) = logged(
            client
                .post(url)
                .body(form.clone())
                .content_type(ct)
                .header("content-encoding", "gzip")
                .send(),
        );
        assert_eq!(r.status(), 415, "{url}");
        one_line(
            &log,
            &[
                "Unsupported Media Type: ",
                url,
                "Unsupported request Content-Encoding: 'gzip'",
            ],
        );
    }
    for coding in ["br", "deflate", "gzip, gzip", "compress"] {
        let r = client
            .post("/body/")
            .body("x")
            .header("content-encoding", coding)
            .send()
            .await_blocking();
        assert_eq!(r.status(), 415, "{coding}");
    }
    // identity, and an empty body, are read as they are.
    for coding in ["identity", "Identity, identity", ""] {
        let r = client
            .post("/body/")
            .body("plain")
            .header("content-encoding", coding)
            .send()
            .await_blocking();
        assert_eq!(r.text(), "plain", "{coding:?}");
    }
    let r = client
        .post("/form/")
        .content_type("application/x-www-form-urlencoded")
        .header("content-encoding", "br")
        .send()
        .await_blocking();
    assert_eq!(r.status(), 200);
}

#[test]
fn a_refused_coding_leaves_the_body_unread() {
    let rf = nuages::test::RequestFactory::new();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let req = rf.post("/", "abc").header("content-encoding", "br").build();
    let err = rt.block_on(req.body()).unwrap_err();
    assert!(matches!(
        err.downcast_ref::<ContentEncodingError>(),
        Some(ContentEncodingError::Unsupported { content_encoding }) if content_encoding == "br"
    ));
    // Still the same answer, not RawPostDataException.
    assert_eq!(rt.block_on(req.body()).unwrap_err().status(), 415);
    let mut req = req;
    assert_eq!(
        &rt.block_on(async { req.take_body().unwrap().chunk().await })
            .unwrap()
            .unwrap()[..],
        b"abc"
    );
}

fn gzip_settings() -> Settings {
    Settings {
        request_body_encodings: vec!["gzip".into()],
        ..settings()
    }
}

#[test]
fn gzip_bodies_are_decoded_when_enabled() {
    let client = app(gzip_settings());
    for coding in ["gzip", "x-gzip", "GZIP", "identity, gzip"] {
        let r = client
            .post("/form/")
            .body(gzip(b"a=1&b=2"))
            .content_type("application/x-www-form-urlencoded")
            .header("content-encoding", coding)
            .send()
            .await_blocking();
        assert_eq!(r.text(), "a=1&b=2", "{coding}");
    }
    let r = client
        .post("/order/")
        .body(gzip(br#"{"item": "tea", "quantity": 3}"#))
        .content_type("application/json")
        .header("content-encoding", "gzip")
        .send()
        .await_blocking();
    assert_eq!(r.text(), "tea x3");
    let r = client
        .post("/files/")
        .body(gzip(&multipart(2, 2, 100_000)))
        .content_type("multipart/form-data; boundary=b")
        .header("content-encoding", "gzip")
        .send()
        .await_blocking();
    assert_eq!(r.text(), "2 files, 2 fields");
    let big = "x".repeat(200_000);
    let r = client
        .post("/read/")
        .body(gzip(big.as_bytes()))
        .header("content-encoding", "gzip")
        .send()
        .await_blocking();
    assert_eq!(r.text(), big);
}

#[test]
fn a_gzip_bomb_is_request_data_too_big() {
    // 64 MiB of zeros in ~64 KiB; the limit is 1 MiB of decoded data.
    let bomb = {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..64 {
            enc.write_all(&zeros).unwrap();
        }
        enc.finish().unwrap()
    };
    assert!(bomb.len() < 1 << 20);
    let client = app(Settings {
        data_upload_max_memory_size: Some(1 << 20),
        ..gzip_settings()
    });
    for (url, ct) in [
        ("/body/", "application/octet-stream"),
        ("/read/", "application/octet-stream"),
        ("/json/", "application/json"),
        ("/form/", "application/x-www-form-urlencoded"),
        ("/files/", "multipart/form-data; boundary=b"),
    ] {
        let (r, log) = logged(
            client
                .post(url)
                .body(bomb.clone())
                .content_type(ct)
                .header("content-encoding", "gzip")
                .send(),
        );
        assert_eq!(r.status(), 400, "{url}");
        one_line(&log, &["django.security.RequestDataTooBig"]);
    }
}

#[test]
fn corrupt_gzip_is_400() {
    let client = app(gzip_settings());
    let good = gzip(b"hello world, hello world");
    let mut trailing = good.clone();
    trailing.extend_from_slice(b"junk");
    let mut bad_crc = good.clone();
    let n = bad_crc.len();
    bad_crc[n - 6] ^= 0xff;
    let cases: [(&str, Vec<u8>); 4] = [
        ("not gzip", b"plain text".to_vec()),
        ("truncated", good[..good.len() - 4].to_vec()),
        ("trailing data", trailing),
        ("bad crc", bad_crc),
    ];
    for (name, body) in cases {
        let (r, log) = logged(
            client
                .post("/body/")
                .body(body)
                .header("content-encoding", "gzip")
                .send(),
        );
        assert_eq!(r.status(), 400, "{name}");
        one_line(&log, &["WARN", "Invalid gzip request body", ": /body/"]);
    }
}

#[test]
fn request_body_encodings_are_checked() {
    let err = App::builder()
        .settings(Settings {
            request_body_encodings: vec!["br".into()],
            ..settings()
        })
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("REQUEST_BODY_ENCODINGS"), "{err}");
    let s = Settings::default()
        .with_vars(|k| (k == "NUAGES_REQUEST_BODY_ENCODINGS").then(|| "gzip".into()))
        .unwrap();
    assert_eq!(s.request_body_encodings, ["gzip"]);
}

/// `.await` for the tests that do not capture logs.
trait AwaitBlocking: Future + Sized {
    fn await_blocking(self) -> Self::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(self)
    }
}

impl<F: Future> AwaitBlocking for F {}

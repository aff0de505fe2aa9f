//! Hostile input through the test client and the `App`: open redirects, header and cookie
//! injection, cookie bombs, parameter floods, invalid UTF-8, panics, clients that disconnect
//! mid-upload. Expected values come from real Django 5.2 (`tests/data/redirect_safety_vectors.py`
//! and `tests/data/hostile_vectors.py`) where Django has an answer.

mod support;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::StreamBody;
use nuages::http::cookie::{parse_cookie, CookieError, SetCookie};
use nuages::http::response::FileResponse;
use nuages::middleware::common::CommonMiddleware;
use nuages::middleware::{from_fn, Next};
use nuages::test::Client;
use nuages::urls::path;
use nuages::utils::http::url_has_allowed_host_and_scheme;
use nuages::views::generic::RedirectView;
use nuages::{App, HttpRequest, HttpResponse, Result, Settings};
use serde_json::Value;

fn settings() -> Settings {
    Settings {
        secret_key: "test-key".into(),
        allowed_hosts: vec!["testserver".into()],
        ..Settings::default()
    }
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

// ---------------------------------------------------------------------------------------------
// Open redirects
// ---------------------------------------------------------------------------------------------

#[test]
fn url_has_allowed_host_and_scheme_matches_django_on_hostile_urls() {
    let vectors = support::data("redirect_safety_vectors.json");
    let hosts: Vec<String> = serde_json::from_value(vectors["allowed_hosts"].clone()).unwrap();
    let cases = vectors["cases"].as_array().unwrap();
    assert!(cases.len() >= 130);
    let mut failures = Vec::new();
    for case in cases {
        let url = case["url"].as_str().unwrap();
        let https = case["require_https"].as_bool().unwrap();
        let expected = case["safe"].as_bool().unwrap();
        if url_has_allowed_host_and_scheme(Some(url), &hosts, https) != expected {
            failures.push(format!(
                "{url:?} (require_https={https}): Django says {expected}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

async fn next_view(req: HttpRequest) -> Result<HttpResponse> {
    // The pattern Django documents for `?next=`: check, else a safe default.
    let next = req.query()?.get("next").map(str::to_owned);
    let hosts = [req.get_host()?];
    let target = match next.as_deref() {
        Some(n) if url_has_allowed_host_and_scheme(Some(n), &hosts, req.is_secure()) => n,
        _ => "/",
    };
    nuages::shortcuts::redirect(&req, target)
}

async fn raw_redirect(req: HttpRequest) -> Result<HttpResponse> {
    let to = req.query()?.get("to").unwrap_or("/").to_owned();
    Ok(HttpResponse::redirect(&to)?)
}

fn redirect_app(settings: Settings) -> Client {
    let app = App::builder()
        .settings(settings)
        .middleware(CommonMiddleware::new())
        .urls(vec![
            path("login/", next_view),
            path("go/", raw_redirect),
            path("home/", |_req: HttpRequest| async {
                HttpResponse::new("home")
            }),
            path(
                "old/",
                RedirectView {
                    url: Some("/new/".into()),
                    query_string: true,
                    ..Default::default()
                }
                .as_view(),
            ),
            // Any path ending in a slash exists, so APPEND_SLASH redirects every other one.
            nuages::urls::re_path(r"^.*/$", |_req: HttpRequest| async {
                HttpResponse::new("any")
            }),
        ])
        .build()
        .expect("valid app");
    Client::new(app)
}

#[test]
fn redirects_that_take_input_stay_on_site() {
    let client = redirect_app(settings());
    for next in [
        "//evil.com",
        "/\\evil.com",
        "\\\\evil.com",
        "https:evil.com",
        "http:///evil.com",
        " //evil.com",
        "\t//evil.com",
        "java\nscript:alert(1)",
        "\u{1}javascript:alert(1)",
    ] {
        let r = block_on(client.get("/login/").query(&[("next", next)]).send());
        assert_eq!(
            (r.status(), r.header("location")),
            (302, Some("/")),
            "{next:?}"
        );
    }
    let r = block_on(
        client
            .get("/login/")
            .query(&[("next", "/home/?a=1")])
            .send(),
    );
    assert_eq!(r.header("location"), Some("/home/?a=1"));

    // HttpResponseRedirect refuses unsafe schemes (DisallowedRedirect, 400) as Django does;
    // a CR/LF in the target is percent-encoded by iri_to_uri, never a new header.
    for (to, status, location) in [
        ("javascript:alert(1)", 400, None),
        ("data:text/html,x", 400, None),
        (
            "/a\r\nSet-Cookie: x=1",
            302,
            Some("/a%0D%0ASet-Cookie:%20x=1"),
        ),
        // Django's documented behaviour: HttpResponseRedirect itself does not check hosts.
        ("//evil.com", 302, Some("//evil.com")),
    ] {
        let r = block_on(client.get("/go/").query(&[("to", to)]).send());
        assert_eq!(
            (r.status(), r.header("location")),
            (status, location),
            "{to:?}"
        );
        assert!(r.header("set-cookie").is_none());
    }

    // APPEND_SLASH on a scheme-relative-looking path: Django's escape_leading_slashes.
    let r = block_on(client.get("//evil.com").send());
    assert_eq!(
        (r.status(), r.header("location")),
        (301, Some("/%2Fevil.com/"))
    );
    let r = block_on(client.get("//evil.com/home").send());
    assert_eq!(r.header("location"), Some("/%2Fevil.com/home/"));
    let r = block_on(client.get("///\\evil.com").send());
    assert_eq!(r.header("location"), Some("/%2F/%5Cevil.com/"));

    // RedirectView's query_string only appends the query: the target stays its own.
    let r = block_on(client.get("/old/?next=//evil.com&x=%0d%0a").send());
    assert_eq!(r.header("location"), Some("/new/?next=//evil.com&x=%0d%0a"));

    // PREPEND_WWW redirects to www.<Host>, and Host is validated by ALLOWED_HOSTS first.
    let client = redirect_app(Settings {
        prepend_www: true,
        allowed_hosts: vec!["testserver".into(), "www.testserver".into()],
        ..settings()
    });
    let r = block_on(client.get("/home/").header("host", "evil.com").send());
    assert_eq!(r.status(), 400);
    let r = block_on(client.get("/home/").send());
    assert_eq!(r.header("location"), Some("http://www.testserver/home/"));
}

// ---------------------------------------------------------------------------------------------
// Header and cookie injection
// ---------------------------------------------------------------------------------------------

#[test]
fn newlines_in_headers_never_reach_the_wire() {
    for value in ["a\r\nX-Injected: 1", "a\nb", "a\rb"] {
        let r = HttpResponse::new("").with_header("X-Custom", value);
        let e = r.build_error().expect("refused").to_string();
        assert!(e.starts_with("Header values can't contain newlines"), "{e}");
        let wire = r.into_http();
        assert_eq!(wire.status(), 500);
        assert!(wire.headers().get("x-custom").is_none());
        assert!(wire.headers().get("x-injected").is_none());

        let r = HttpResponse::new("").with_content_type(format!("text/html{value}"));
        assert!(r.build_error().is_some(), "content_type {value:?}");
        assert_eq!(r.into_http().status(), 500);
    }
    // NUL is not a newline for Django, but no HTTP header can carry it: still a 500.
    let r = HttpResponse::new("").with_header("X-Custom", "a\0b");
    assert_eq!(r.into_http().status(), 500);
    // Header names too.
    let r = HttpResponse::new("").with_header("X-A\r\nX-B", "1");
    assert_eq!(r.into_http().status(), 500);
}

#[test]
fn cookie_injection_is_an_error() {
    let mut r = HttpResponse::new("");
    // Values are quoted with octal escapes, as by Python's http.cookies: no injection.
    r.set_cookie(SetCookie::new("a", "b\r\nX-Injected: 1"))
        .unwrap();
    assert_eq!(
        r.cookies().get("a").unwrap().header_value(),
        "a=\"b\\015\\012X-Injected: 1\"; Path=/"
    );
    // Names: Django's CookieError.
    for name in ["a\nb", "a\rb", "a\0b", "a;b", ""] {
        assert!(matches!(
            r.set_cookie(SetCookie::new(name, "v")),
            Err(CookieError::IllegalKey(_))
        ));
    }
    // path, domain, raw expires: Django 5.2 hands them to the WSGI server as they are; nuages
    // refuses them (a Set-Cookie line that cannot be sent is never dropped silently either).
    let cases = [
        SetCookie::new("p", "v").path("/\r\nX-Injected: 1"),
        SetCookie::new("d", "v").domain("example.com\nX: 1"),
        SetCookie::new("n", "v").path("/\0"),
        SetCookie::new("e", "v").expires(nuages::http::cookie::Expires::Raw("x\r\ny".into())),
    ];
    for cookie in cases {
        let name = cookie.name().to_owned();
        let err = r.set_cookie(cookie).unwrap_err();
        assert!(
            matches!(err, CookieError::IllegalAttribute { .. }),
            "{name}: {err}"
        );
        assert!(r.cookies().get(&name).is_none(), "{name} left in the jar");
    }
    let settings = settings();
    let err = r
        .set_signed_cookie(&settings, SetCookie::new("s", "v").path("/\n"), "salt")
        .unwrap_err();
    assert!(matches!(
        err,
        CookieError::IllegalAttribute {
            attribute: "path",
            ..
        }
    ));
    r.set_signed_cookie(&settings, SetCookie::new("s", "b\r\nc"), "salt")
        .unwrap();
    assert!(r
        .cookies()
        .get("s")
        .unwrap()
        .header_value()
        .starts_with("s=\"b\\015\\012c:"));
    let err = r
        .delete_cookie_with("d", Some("/\r\n"), None, None)
        .unwrap_err();
    assert!(matches!(err, CookieError::IllegalAttribute { .. }));
    let wire = r.into_http();
    for v in wire.headers().get_all("set-cookie") {
        assert!(!v.as_bytes().iter().any(|&b| b == b'\r' || b == b'\n'));
    }
    assert_eq!(wire.headers().get_all("set-cookie").iter().count(), 2);
}

#[test]
fn file_response_filenames_are_encoded() {
    let r = FileResponse::new()
        .as_attachment(true)
        .filename("a\r\nX-Injected: 1.txt")
        .from_bytes("x");
    // Django: attachment; filename*=utf-8''a%0D%0AX-Injected%3A%201.txt
    assert_eq!(
        r.header("content-disposition").as_deref(),
        Some("attachment; filename*=utf-8''a%0D%0AX-Injected%3A%201.txt")
    );
    let wire = r.into_http();
    assert!(wire.headers().get("x-injected").is_none());
}

// ---------------------------------------------------------------------------------------------
// Cookie bombs and floods
// ---------------------------------------------------------------------------------------------

#[test]
fn pathological_cookie_headers_parse_as_in_django() {
    let vectors = support::data("hostile_vectors.json");
    let mut checked = 0;
    for case in support::cases_of(&vectors, "parse_cookie") {
        let header = case["header"].as_str().unwrap();
        let parsed: Vec<(String, String)> = parse_cookie(header).into_iter().collect();
        let expected: Vec<(String, String)> =
            serde_json::from_value(case["parsed"].clone()).unwrap();
        assert_eq!(parsed, expected, "parse_cookie({header:?})");
        checked += 1;
    }
    assert_eq!(checked, 29);
}

async fn cookies_view(req: HttpRequest) -> HttpResponse {
    let cookies = req.cookies();
    let longest = cookies.values().map(String::len).max().unwrap_or(0);
    HttpResponse::new(format!("{} {longest}", cookies.len()))
}

async fn query_view(req: HttpRequest) -> Result<HttpResponse> {
    Ok(HttpResponse::new(format!("{}", req.query()?.len())))
}

async fn echo_view(req: HttpRequest) -> Result<HttpResponse> {
    let post: Vec<(String, Vec<String>)> = req
        .form()
        .await?
        .lists()
        .map(|(k, v)| (k.to_owned(), v.to_vec()))
        .collect();
    let get: Vec<(String, Vec<String>)> = req
        .query()?
        .lists()
        .map(|(k, v)| (k.to_owned(), v.to_vec()))
        .collect();
    let body = serde_json::json!({
        "path_info": req.path_info(),
        "full_path": req.get_full_path(),
        "get": get,
        "post": post,
        "header": req.header("x-data"),
        "meta": req.meta().get("HTTP_X_DATA"),
    });
    Ok(HttpResponse::new(body.to_string()))
}

fn flood_app(settings: Settings) -> App {
    App::builder()
        .settings(settings)
        .urls(vec![
            path("cookies/", cookies_view),
            path("query/", query_view),
            nuages::urls::re_path(r"(?s)^.*$", echo_view),
        ])
        .build()
        .expect("valid app")
}

#[test]
fn cookie_bombs_are_parsed_in_linear_time() {
    let client = Client::new(flood_app(settings()));
    let many: Vec<String> = (0..3000).map(|i| format!("c{i}=v{i}")).collect();
    let r = block_on(
        client
            .get("/cookies/")
            .header("cookie", &many.join("; "))
            .send(),
    );
    assert_eq!(r.text(), "3000 5");
    let big = format!("big={}", "x".repeat(8192));
    let r = block_on(client.get("/cookies/").header("cookie", &big).send());
    assert_eq!(r.text(), "1 8192");
    // Long runs of separators and quotes, ~1 MiB of them.
    for unit in [";", "=", "\"", "\\\"", "; =\""] {
        let header = unit.repeat((1 << 20) / unit.len());
        assert!(parse_cookie(&header).len() <= 1, "{unit:?}");
    }
}

#[test]
fn a_hundred_thousand_parameters() {
    // A URI is at most 64 KiB (the http crate refuses longer ones before nuages sees them), so
    // the 100,000 parameters come in a form body, and 10,000 in the query string.
    let query: String = (0..10_000).map(|i| format!("{i}&")).collect();
    let url = format!("/query/?{query}");
    let form: String = (0..100_000).map(|i| format!("p{i}=1&")).collect();
    let client = Client::new(flood_app(settings()));
    let (r, log) = support::logged(|| block_on(client.get(&url).send()));
    assert_eq!(r.status(), 400);
    assert!(log.contains("django.security.TooManyFieldsSent"), "{log}");
    let post = || {
        client
            .post("/echo/")
            .body(form.clone())
            .content_type("application/x-www-form-urlencoded")
    };
    let (r, log) = support::logged(|| block_on(post().send()));
    assert_eq!(r.status(), 400);
    assert!(log.contains("django.security.TooManyFieldsSent"), "{log}");

    let client = Client::new(flood_app(Settings {
        data_upload_max_number_fields: None,
        ..settings()
    }));
    assert_eq!(block_on(client.get(&url).send()).text(), "10000");
    let r = block_on(
        client
            .post("/echo/")
            .body(form.clone())
            .content_type("application/x-www-form-urlencoded")
            .send(),
    );
    let echoed: Value = serde_json::from_slice(r.content()).unwrap();
    assert_eq!(echoed["post"].as_array().unwrap().len(), 100_000);
}

// ---------------------------------------------------------------------------------------------
// Invalid UTF-8
// ---------------------------------------------------------------------------------------------

fn send_raw(app: &App, uri: &[u8], body: &[u8], header: Option<&[u8]>) -> Value {
    let mut req = http::Request::builder()
        .uri(http::Uri::from_maybe_shared(Bytes::copy_from_slice(uri)).expect("uri"))
        .header("host", "testserver");
    if !body.is_empty() {
        req = req
            .method("POST")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("content-length", body.len());
    }
    if let Some(h) = header {
        req = req.header("x-data", http::HeaderValue::from_bytes(h).expect("header"));
    }
    let req = req
        .body(http_body_util::Full::new(Bytes::copy_from_slice(body)))
        .unwrap();
    let resp = block_on(app.call_http(req));
    assert_eq!(resp.status(), 200);
    let body = block_on(resp.into_body().collect_bytes()).unwrap();
    serde_json::from_slice(&body).unwrap()
}

fn latin1(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("latin-1"))
        .collect()
}

#[test]
fn invalid_utf8_is_decoded_as_django_decodes_it() {
    let app = flood_app(settings());
    let vectors = support::data("hostile_vectors.json");
    let mut checked = 0;
    for case in vectors["cases"].as_array().unwrap() {
        let raw = case["raw"].as_str().unwrap_or_default();
        match case["kind"].as_str().unwrap() {
            "path" => {
                let got = send_raw(&app, raw.as_bytes(), b"", None);
                assert_eq!(got["path_info"], case["path_info"], "path {raw}");
                assert_eq!(got["full_path"], case["full_path"], "full path {raw}");
            }
            "query" if !raw.is_ascii() => {
                // Raw non-ASCII bytes in a query string never reach an application: the http
                // crate (and so hyper) refuses the request line.
                let uri = [b"/?".as_slice(), &latin1(raw)].concat();
                assert!(http::Uri::from_maybe_shared(Bytes::from(uri)).is_err());
            }
            "query" => {
                let got = send_raw(&app, &[b"/?".as_slice(), &latin1(raw)].concat(), b"", None);
                assert_eq!(got["get"], case["lists"], "query {raw:?}");
            }
            "form" => {
                let got = send_raw(&app, b"/", &latin1(raw), None);
                assert_eq!(got["post"], case["lists"], "form {raw:?}");
            }
            "header" if http::HeaderValue::from_bytes(&latin1(raw)).is_err() => {
                // DEL and other controls: hyper refuses the header before nuages sees it.
                assert!(raw.bytes().any(|b| b < b' ' || b == 0x7f), "{raw:?}");
            }
            "header" => {
                let got = send_raw(&app, b"/", b"", Some(&latin1(raw)));
                assert_eq!(got["header"], case["value"], "header {raw:?}");
                assert_eq!(got["meta"], case["meta"], "META {raw:?}");
            }
            _ => continue,
        }
        checked += 1;
    }
    assert_eq!(checked, 26);
}

// ---------------------------------------------------------------------------------------------
// Panics
// ---------------------------------------------------------------------------------------------

async fn panicking_view(req: HttpRequest) -> HttpResponse {
    if req.query_string() == "boom" {
        panic!("view exploded\r\nERROR forged line");
    }
    HttpResponse::new("fine")
}

fn panicking_middleware(
    req: HttpRequest,
    next: Next<'static>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = HttpResponse> + Send>> {
    Box::pin(async move {
        if req.path() == "/mw-panic/" {
            panic!("middleware exploded");
        }
        next.run(req).await
    })
}

#[test]
fn panics_stay_in_their_request() {
    let app = App::builder()
        .settings(settings())
        .middleware(from_fn(panicking_middleware))
        .urls(vec![
            path("view/", panicking_view),
            path("mw-panic/", panicking_view),
        ])
        .build()
        .expect("valid app");
    let client = Client::new(app);
    let before = nuages::core::exceptions::panic_count();
    let (r, log) = support::logged(|| block_on(client.get("/view/?boom").send()));
    assert_eq!(r.status(), 500);
    assert_eq!(log.lines().count(), 1, "{log}");
    assert!(
        log.contains("ERROR") && log.contains("django.request"),
        "{log}"
    );
    assert!(
        log.contains("Internal Server Error: /view/: panicked (panic #"),
        "{log}"
    );
    // The message is there, its CR/LF escaped.
    assert!(
        log.contains("view exploded\\r\\nERROR forged line"),
        "{log}"
    );
    assert!(nuages::core::exceptions::panic_count() > before);
    // The same App serves the next request.
    assert_eq!(block_on(client.get("/view/").send()).text(), "fine");

    let (r, log) = support::logged(|| block_on(client.get("/mw-panic/").send()));
    assert_eq!(r.status(), 500);
    assert_eq!(log.lines().count(), 1, "{log}");
    assert!(log.contains("middleware exploded"), "{log}");
    assert_eq!(block_on(client.get("/view/").send()).text(), "fine");
    assert!(nuages::core::exceptions::panic_count() >= before + 2);
}

// ---------------------------------------------------------------------------------------------
// Uploads: temporary files are deleted
// ---------------------------------------------------------------------------------------------

fn entries(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).unwrap().count()
}

#[test]
fn a_client_that_disconnects_mid_upload_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let seen = Arc::new(Mutex::new(None::<usize>));
    let app = App::builder()
        .settings(Settings {
            file_upload_max_memory_size: 1000,
            file_upload_temp_dir: Some(dir.path().to_path_buf()),
            ..settings()
        })
        .urls(vec![path("upload/", |req: HttpRequest| async move {
            req.files().await?;
            Ok::<_, nuages::Error>(HttpResponse::new("done"))
        })])
        .build()
        .unwrap();
    let head = "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"big.bin\"\r\n\r\n";
    let chunk = Bytes::from(vec![b'x'; 64 * 1024]);
    let dir_path = dir.path().to_path_buf();
    let seen_in_stream = Arc::clone(&seen);
    let chunks = futures_util::stream::iter(0..6).map(move |i| match i {
        0 => Ok(http_body::Frame::data(Bytes::from(head))),
        1..=4 => Ok(http_body::Frame::data(chunk.clone())),
        _ => {
            // The client goes away: the file being received exists now…
            *seen_in_stream.lock().unwrap() = Some(entries(&dir_path));
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "client went away",
            ))
        }
    });
    let req = http::Request::post("/upload/")
        .header("host", "testserver")
        .header("content-type", "multipart/form-data; boundary=b")
        .body(StreamBody::new(chunks))
        .unwrap();
    let resp = block_on(app.call_http(req));
    assert_eq!(resp.status(), 500);
    assert_eq!(
        *seen.lock().unwrap(),
        Some(1),
        "a temporary file was being written"
    );
    // …and is gone once the request failed.
    assert_eq!(entries(dir.path()), 0);
}

#[test]
fn temporary_files_are_deleted_with_the_request() {
    let dir = tempfile::tempdir().unwrap();
    let kept = Arc::new(Mutex::new(Vec::<PathBuf>::new()));
    let in_view = Arc::clone(&kept);
    let app = App::builder()
        .settings(Settings {
            file_upload_max_memory_size: 1000,
            file_upload_temp_dir: Some(dir.path().to_path_buf()),
            ..settings()
        })
        .urls(vec![path("upload/", move |req: HttpRequest| {
            let kept = Arc::clone(&in_view);
            async move {
                let files = req.files().await?;
                for name in ["a", "b"] {
                    let path = files.get(name).unwrap().temporary_file_path().unwrap();
                    assert!(path.exists());
                    kept.lock().unwrap().push(path.to_path_buf());
                }
                Ok::<_, nuages::Error>(HttpResponse::new(format!("{}", files.len())))
            }
        })])
        .build()
        .unwrap();
    let mut body = Vec::new();
    for name in ["a", "b"] {
        body.extend_from_slice(
            format!("--b\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}.bin\"\r\n\r\n").as_bytes(),
        );
        body.extend(std::iter::repeat_n(b'y', 5000));
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"--b--\r\n");
    let client = Client::new(app);
    let r = block_on(
        client
            .post("/upload/")
            .body(body)
            .content_type("multipart/form-data; boundary=b")
            .send(),
    );
    assert_eq!(r.text(), "2");
    let kept = kept.lock().unwrap();
    assert_eq!(kept.len(), 2);
    for path in kept.iter() {
        assert!(!path.exists(), "{} survived the request", path.display());
    }
    assert_eq!(entries(dir.path()), 0);
}

use futures_util::StreamExt as _;

// ---------------------------------------------------------------------------------------------
// Sessions: a request that ends early gives its database connection back
// ---------------------------------------------------------------------------------------------

#[test]
fn requests_that_end_mid_body_return_their_database_connection() {
    use futures_util::StreamExt;
    use nuages::prelude::RequestSessionExt;
    use nuages::sessions::SessionMiddleware;
    use std::time::Duration;

    let dir = tempfile::tempdir().unwrap();
    let app = App::builder()
        .settings(Settings {
            session_engine: nuages::conf::SessionEngine::Db,
            database_url: format!("sqlite://{}", dir.path().join("s.sqlite3").display()),
            // One connection: a single one kept by a request that ended would make every later
            // session request wait for the timeout and fail.
            database_pool_size: 1,
            database_timeout: Duration::from_secs(2),
            ..settings()
        })
        .middleware(SessionMiddleware::new())
        .urls(vec![path("visit/", |req: HttpRequest| async move {
            let session = req.session().expect("SessionMiddleware");
            let visits = session.get::<u64>("visits").await?.unwrap_or(0);
            session.set("visits", visits + 1).await?;
            let body = req.body().await?;
            Ok::<_, nuages::Error>(HttpResponse::new(format!("{visits} {}", body.len())))
        })])
        .build()
        .unwrap();
    fn request<B>(body: B) -> http::Request<B> {
        http::Request::post("/visit/")
            .header("host", "testserver")
            .body(body)
            .unwrap()
    }
    block_on(async {
        for i in 0..10 {
            // The client goes away mid-body: the body read fails…
            let failing = futures_util::stream::iter([
                Ok(http_body::Frame::data(Bytes::from_static(b"part"))),
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "client went away",
                )),
            ]);
            let resp = app.call_http(request(StreamBody::new(failing))).await;
            assert_eq!(resp.status(), 400, "{i}: the unreadable body");
            // …or the server drops the request's future while its body is awaited.
            let stalled = futures_util::stream::iter([Ok::<_, std::io::Error>(
                http_body::Frame::data(Bytes::from_static(b"part")),
            )])
            .chain(futures_util::stream::pending());
            let dropped = tokio::time::timeout(
                Duration::from_millis(50),
                app.call_http(request(StreamBody::new(stalled))),
            )
            .await;
            assert!(dropped.is_err(), "{i}: the stalled request finished");
        }
        // Every connection is back: a whole request gets one at once.
        let complete = futures_util::stream::iter([Ok::<_, std::io::Error>(
            http_body::Frame::data(Bytes::from_static(b"done")),
        )]);
        let started = std::time::Instant::now();
        let resp = app.call_http(request(StreamBody::new(complete))).await;
        assert_eq!(resp.status(), 200);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "waited {:?} for a connection",
            started.elapsed()
        );
    });
}

//! Clauses of spec rules that no other test asserted: the urlencoded charset message (42), the
//! empty POST of a JSON body (43), a missing signed cookie (46), `delete_header`/`setdefault`
//! (72), `tell()` on a stream (158), SecurityMiddleware leaving headers already set (225, 226),
//! `no_append_slash` (232), CommonMiddleware's Content-Length on complete responses only (233),
//! the default upload limits (56), the SuspiciousSession log (141), redirect's URL fallback and
//! model-like targets (84), require_http_methods' 405 log (186) and `items()` spelling (71). The audit of every rule: `conformance/spec_audit.md`.

mod support;

use bytes::Bytes;
use nuages::http::response::StreamingErrorKind;
use nuages::middleware::common::CommonMiddleware;
use nuages::middleware::security::SecurityMiddleware;
use nuages::test::{Client, RequestFactory};
use nuages::urls::path;
use nuages::views::decorators::common::no_append_slash;
use nuages::{App, HttpRequest, HttpResponse, Settings};

#[tokio::test]
async fn rule_42_a_urlencoded_body_in_another_charset_is_djangos_bad_request() {
    let req = RequestFactory::new()
        .post("/", "a=1")
        .content_type("application/x-www-form-urlencoded; charset=latin-1")
        .build();
    let err = req.form().await.unwrap_err();
    assert_eq!(err.status(), http::StatusCode::BAD_REQUEST);
    assert_eq!(
        err.to_string(),
        "HTTP requests with the 'application/x-www-form-urlencoded' content type must be UTF-8 encoded."
    );
}

#[tokio::test]
async fn rule_43_a_json_body_gives_an_empty_post_and_keeps_the_body() {
    let req = RequestFactory::new()
        .post("/", "{\"a\": 1}")
        .content_type("application/json")
        .build();
    assert!(req.form().await.unwrap().is_empty());
    assert_eq!(&req.body().await.unwrap()[..], b"{\"a\": 1}");
}

#[test]
fn rule_46_a_missing_signed_cookie_is_none() {
    let req = RequestFactory::new().get("/").build();
    // Django's KeyError (or `default=`): `None`, which `unwrap_or` turns into the default.
    let value = req.get_signed_cookie("absent", "", None).unwrap();
    assert_eq!(value.as_deref().unwrap_or("default"), "default");
}

#[test]
fn rule_72_delete_header_and_setdefault_as_a_case_insensitive_dict() {
    let mut r = HttpResponse::new("");
    r.set_header("X-Thing", "1").unwrap();
    r.setdefault("x-THING", "2").unwrap();
    assert_eq!(
        r.header("X-Thing").as_deref(),
        Some("1"),
        "setdefault keeps"
    );
    r.setdefault("X-Other", "3").unwrap();
    assert_eq!(r.header("x-other").as_deref(), Some("3"), "setdefault sets");
    r.delete_header("X-THING");
    assert!(!r.has_header("x-thing"));
    r.delete_header("never-set"); // no error when missing
    assert!(r.has_header("X-OTHER"));
}

#[test]
fn rule_158_tell_on_a_stream_is_an_os_error() {
    let r = HttpResponse::streaming_iter([Bytes::from_static(b"a")]);
    let err = r.tell().unwrap_err();
    assert_eq!(err.kind(), StreamingErrorKind::Tell);
    assert_eq!(err.python_exception(), "OSError");
    assert_eq!(
        err.to_string(),
        "This StreamingHttpResponse instance cannot tell its position"
    );
}

async fn with_own_headers(_: HttpRequest) -> HttpResponse {
    HttpResponse::new("x")
        .with_header("X-Content-Type-Options", "custom")
        .with_header("Referrer-Policy", "no-referrer")
        .with_header("Cross-Origin-Opener-Policy", "unsafe-none")
        .with_header("Strict-Transport-Security", "max-age=1")
}

async fn plain(_: HttpRequest) -> HttpResponse {
    HttpResponse::new("plain")
}

async fn streamed(_: HttpRequest) -> HttpResponse {
    HttpResponse::streaming_iter([Bytes::from_static(b"a"), Bytes::from_static(b"b")])
}

fn settings() -> Settings {
    Settings {
        allowed_hosts: vec!["testserver".into()],
        secret_key: "x".into(),
        secure_hsts_seconds: 3600,
        secure_hsts_include_subdomains: true,
        secure_hsts_preload: true,
        ..Settings::default()
    }
}

#[tokio::test]
async fn rules_225_226_security_headers_already_set_are_kept() {
    let app = App::builder()
        .settings(settings())
        .middleware(SecurityMiddleware::new())
        .urls([path("own", with_own_headers), path("plain", plain)])
        .build()
        .unwrap();
    let client = Client::new(app);
    let r = client.get("/own").secure(true).send().await;
    assert_eq!(r.header("x-content-type-options"), Some("custom"));
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(r.header("cross-origin-opener-policy"), Some("unsafe-none"));
    assert_eq!(r.header("strict-transport-security"), Some("max-age=1"));
    // The defaults where the view set nothing; HSTS only on a secure request.
    let r = client.get("/plain").secure(true).send().await;
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        r.header("strict-transport-security"),
        Some("max-age=3600; includeSubDomains; preload")
    );
    let r = client.get("/plain").send().await;
    assert_eq!(r.header("strict-transport-security"), None);
}

#[tokio::test]
async fn rules_232_233_no_append_slash_and_content_length() {
    let app = App::builder()
        .settings(settings())
        .middleware(CommonMiddleware::new())
        .urls([
            path("plain", plain),
            path("slashed/", plain),
            path("opt-out/", no_append_slash(plain)),
            path("stream", streamed),
        ])
        .build()
        .unwrap();
    let client = Client::new(app);
    let r = client.get("/plain").send().await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.header("content-length"), Some("5"));
    // APPEND_SLASH redirects to a view that takes the slash…
    let r = client.get("/slashed").send().await;
    assert_eq!(r.status(), 301);
    assert_eq!(r.header("location"), Some("/slashed/"));
    // … but not to a no_append_slash view.
    let r = client.get("/opt-out").send().await;
    assert_eq!(r.status(), 404, "no redirect to a no_append_slash view");
    // A streaming response gets no Content-Length.
    let r = client.get("/stream").send().await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.header("content-length"), None);
}

#[test]
fn rule_56_the_upload_limits_default_to_djangos() {
    let s = Settings::default();
    assert_eq!(s.data_upload_max_memory_size, Some(2_621_440));
    assert_eq!(s.file_upload_max_memory_size, 2_621_440);
    assert_eq!(s.data_upload_max_number_fields, Some(1000));
    assert_eq!(s.data_upload_max_number_files, Some(100));
}

#[test]
fn rule_141_a_bad_session_signature_is_an_empty_session_logged_as_suspicious() {
    use nuages::sessions::SessionBase;
    let settings = std::sync::Arc::new(Settings {
        secret_key: "k".into(),
        ..Settings::default()
    });
    let session = SessionBase::new(None, settings);
    let salt = "django.contrib.sessions.SessionStore";
    let encoded = session
        .encode(&serde_json::Map::from_iter([("a".into(), 1.into())]), salt)
        .expect("encode");
    let tampered = format!("{encoded}x");
    let (data, log) = support::logged(|| session.decode(&tampered, salt));
    assert!(data.is_empty(), "decode failures return {{}}");
    assert!(
        log.contains("django.security.SuspiciousSession") && log.contains("Session data corrupted"),
        "{log}"
    );
    // A value with no signature at all is Django's BadSignature too ("No ':' found"): logged.
    let (data, log) = support::logged(|| session.decode("not-signed", salt));
    assert!(data.is_empty());
    assert!(log.contains("SuspiciousSession"), "{log}");
    // A good value logs nothing.
    let (data, log) = support::logged(|| session.decode(&encoded, salt));
    assert_eq!(data.get("a"), Some(&1.into()));
    assert!(log.is_empty(), "{log}");
}

async fn to_file(req: HttpRequest) -> nuages::Result<HttpResponse> {
    nuages::shortcuts::redirect(&req, "page.html")
}

async fn to_relative(req: HttpRequest) -> nuages::Result<HttpResponse> {
    nuages::shortcuts::redirect(&req, "../up/")
}

async fn to_unknown(req: HttpRequest) -> nuages::Result<HttpResponse> {
    nuages::shortcuts::redirect(&req, "no-such-name")
}

#[tokio::test]
async fn rule_84_redirect_falls_back_to_a_url_only_with_a_slash_or_a_dot() {
    let app = App::builder()
        .settings(settings())
        .urls([
            path("file", to_file),
            path("relative", to_relative),
            path("unknown", to_unknown).name("unknown-view"),
        ])
        .build()
        .unwrap();
    let client = Client::new(app);
    let r = client.get("/file").send().await;
    assert_eq!((r.status(), r.header("location")), (302, Some("page.html")));
    let r = client.get("/relative").send().await;
    assert_eq!((r.status(), r.header("location")), (302, Some("../up/")));
    // Neither a URL name nor URL-like: NoReverseMatch, a 500.
    let r = client.get("/unknown").send().await;
    assert_eq!(r.status(), 500);
}

struct Article {
    pk: i64,
}

impl nuages::shortcuts::GetAbsoluteUrl for Article {
    fn get_absolute_url(&self) -> String {
        format!("/articles/{}/", self.pk)
    }
}

/// An object whose URL looks like a URL name: it is used as is, never reversed.
struct NamedLikeAView;

impl nuages::shortcuts::GetAbsoluteUrl for NamedLikeAView {
    fn get_absolute_url(&self) -> String {
        "home".to_owned()
    }
}

async fn to_article(req: HttpRequest) -> nuages::Result<HttpResponse> {
    nuages::shortcuts::redirect(&req, &Article { pk: 7 })
}

async fn to_named_like_a_view(req: HttpRequest) -> nuages::Result<HttpResponse> {
    nuages::shortcuts::redirect_with(&req, &NamedLikeAView)
        .permanent()
        .send()
}

async fn to_dot_slash(req: HttpRequest) -> nuages::Result<HttpResponse> {
    // "./home" is also a URL name here; Django returns ./ and ../ URLs before reversing.
    nuages::shortcuts::redirect(&req, "./home")
}

async fn to_home_by_name(req: HttpRequest) -> nuages::Result<HttpResponse> {
    let name = String::from("home");
    nuages::shortcuts::redirect(&req, &name)
}

#[tokio::test]
async fn rule_84_redirect_tries_objects_relative_urls_then_names_in_djangos_order() {
    let app = App::builder()
        .settings(settings())
        .urls([
            path("", plain).name("home"),
            path("dot-home/", plain).name("./home"),
            path("article", to_article),
            path("named", to_named_like_a_view),
            path("dot", to_dot_slash),
            path("by-name", to_home_by_name),
        ])
        .build()
        .unwrap();
    let client = Client::new(app);
    let r = client.get("/article").send().await;
    assert_eq!(
        (r.status(), r.header("location")),
        (302, Some("/articles/7/"))
    );
    let r = client.get("/named").send().await;
    assert_eq!((r.status(), r.header("location")), (301, Some("home")));
    let r = client.get("/dot").send().await;
    assert_eq!((r.status(), r.header("location")), (302, Some("./home")));
    let r = client.get("/by-name").send().await;
    assert_eq!((r.status(), r.header("location")), (302, Some("/")));
}

#[test]
fn rule_186_require_http_methods_logs_its_405_on_django_request() {
    use nuages::views::decorators::http::require_http_methods;
    let app = App::builder()
        .settings(settings())
        .urls([path(
            "only-get/",
            require_http_methods([http::Method::GET], plain),
        )])
        .build()
        .unwrap();
    let client = Client::new(app);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (status, log) = support::logged(|| {
        runtime.block_on(async { client.post("/only-get/").send().await.status() })
    });
    assert_eq!(status, 405);
    assert!(
        log.contains("WARN django.request: Method Not Allowed (POST): /only-get/"),
        "{log}"
    );
    let (status, log) = support::logged(|| {
        runtime.block_on(async { client.get("/only-get/").send().await.status() })
    });
    assert_eq!(status, 200);
    assert!(!log.contains("Method Not Allowed"), "{log}");
}

/// Rule 71, as Django 5.2 answers it: `r["x-a"] = "1"; r["X-B"] = "b"; r["X-A"] = "2"` gives
/// `[("Content-Type", …), ("X-A", "2"), ("X-B", "b")]` (first place, last spelling); after
/// `del r["content-type"]; r["Content-Type"] = "t"` the Content-Type comes last.
#[test]
fn rule_71_items_keep_the_first_place_and_the_last_spelling() {
    let items = |r: &HttpResponse| -> Vec<(String, String)> {
        r.items()
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    };
    let pairs = |p: &[(&str, &str)]| -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    let mut r = HttpResponse::empty();
    r.set_header("x-a", "1").unwrap();
    r.set_header("X-B", "b").unwrap();
    r.set_header("X-A", "2").unwrap();
    assert_eq!(
        items(&r),
        pairs(&[
            ("Content-Type", "text/html; charset=utf-8"),
            ("X-A", "2"),
            ("X-B", "b")
        ])
    );
    r.delete_header("content-type");
    r.set_header("Content-Type", "t").unwrap();
    assert_eq!(
        items(&r),
        pairs(&[("X-A", "2"), ("X-B", "b"), ("Content-Type", "t")])
    );
}

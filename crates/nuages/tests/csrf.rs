//! `CsrfViewMiddleware`, `get_token`/`rotate_token`, the CSRF decorators and the failure page,
//! through the test `Client` (Django's `tests/csrf_tests` behaviours).

use std::sync::atomic::{AtomicUsize, Ordering};

use nuages::middleware::csrf::{
    get_token, rotate_token, CsrfViewMiddleware, DontEnforceCsrfChecks,
};
use nuages::middleware::{Middleware, Next};
use nuages::test::{Client, TestResponse};
use nuages::urls::{path, UrlEntry};
use nuages::views::decorators::csrf::{
    csrf_exempt, csrf_protect, ensure_csrf_cookie, requires_csrf_token,
};
use nuages::views::decorators::http::require_get;
use nuages::{App, Error, HttpRequest, HttpResponse, Result, Settings};

/// A secret and its masked form, computed by Django 5.2 (`_unmask_cipher_token(MASKED) ==
/// SECRET`); the reference server accepts this cookie/header pair.
const SECRET: &str = "vw4q5C7gEoqOMwYd8UUSjVQOTHOD8RLB";
const MASKED: &str = "Zt9aQ7cR2mKx0LpB4vWn8YsE1uHj6GdFkP3qLz9XwA0bC7dE2fG5hJ8iK1lM4nO6";
/// A well-formed secret that is not `SECRET`.
const OTHER: &str = "abcdefghijklmnopqrstuvwxyzABCDEF";

/// Fetched once from the Django 5.2 reference server (DEBUG=False):
/// `curl -s -X POST -H 'Host: testserver' http://127.0.0.1:8001/hello` (1367 bytes).
const REF_NO_COOKIE: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
  <meta http-equiv="content-type" content="text/html; charset=utf-8">
  <meta name="robots" content="NONE,NOARCHIVE">
  <title>403 Forbidden</title>
  <style>
    html * { padding:0; margin:0; }
    body * { padding:10px 20px; }
    body * * { padding:0; }
    body { font-family: sans-serif; background:#eee; color:#000; }
    body>div { border-bottom:1px solid #ddd; }
    h1 { font-weight:normal; margin-bottom:.4em; }
    h1 span { font-size:60%; color:#666; font-weight:normal; }
    #info { background:#f6f6f6; }
    #info ul { margin: 0.5em 4em; }
    #info p, #summary p { padding-top:10px; }
    #summary { background: #ffc; }
    #explanation { background:#eee; border-bottom: 0px none; }
  </style>
</head>
<body>
<div id="summary">
  <h1>Forbidden <span>(403)</span></h1>
  <p>CSRF verification failed. Request aborted.</p>


  <p>You are seeing this message because this site requires a CSRF cookie when submitting forms. This cookie is required for security reasons, to ensure that your browser is not being hijacked by third parties.</p>
  <p>If you have configured your browser to disable cookies, please re-enable them, at least for this site, or for “same-origin” requests.</p>

</div>

<div id="explanation">
  <p><small>More information is available with DEBUG=True.</small></p>
</div>

</body>
</html>
"##;

/// Fetched once from the reference server (DEBUG=False), a secure POST without Referer:
/// `curl -s -X POST -H 'Host: testserver' -H 'X-Forwarded-Proto: https' http://127.0.0.1:8001/hello` (1852 bytes).
const REF_NO_REFERER: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
  <meta http-equiv="content-type" content="text/html; charset=utf-8">
  <meta name="robots" content="NONE,NOARCHIVE">
  <title>403 Forbidden</title>
  <style>
    html * { padding:0; margin:0; }
    body * { padding:10px 20px; }
    body * * { padding:0; }
    body { font-family: sans-serif; background:#eee; color:#000; }
    body>div { border-bottom:1px solid #ddd; }
    h1 { font-weight:normal; margin-bottom:.4em; }
    h1 span { font-size:60%; color:#666; font-weight:normal; }
    #info { background:#f6f6f6; }
    #info ul { margin: 0.5em 4em; }
    #info p, #summary p { padding-top:10px; }
    #summary { background: #ffc; }
    #explanation { background:#eee; border-bottom: 0px none; }
  </style>
</head>
<body>
<div id="summary">
  <h1>Forbidden <span>(403)</span></h1>
  <p>CSRF verification failed. Request aborted.</p>

  <p>You are seeing this message because this HTTPS site requires a “Referer header” to be sent by your web browser, but none was sent. This header is required for security reasons, to ensure that your browser is not being hijacked by third parties.</p>
  <p>If you have configured your browser to disable “Referer” headers, please re-enable them, at least for this site, or for HTTPS connections, or for “same-origin” requests.</p>
  <p>If you are using the &lt;meta name=&quot;referrer&quot; content=&quot;no-referrer&quot;&gt; tag or including the “Referrer-Policy: no-referrer” header, please remove them. The CSRF protection requires the “Referer” header to do strict referer checking. If you’re concerned about privacy, use alternatives like &lt;a rel=&quot;noreferrer&quot; …&gt; for links to third-party sites.</p>


</div>

<div id="explanation">
  <p><small>More information is available with DEBUG=True.</small></p>
</div>

</body>
</html>
"##;

/// Rendered once by Django 5.2 itself (`django.views.csrf.csrf_failure` with DEBUG=True, in the
/// reference virtualenv; the reference server runs with DEBUG=False) for the reason
/// `Origin checking failed - http://evil.com/<x>&"' does not match any trusted origins.` (2575 bytes).
const REF_DEBUG_BAD_ORIGIN: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
  <meta http-equiv="content-type" content="text/html; charset=utf-8">
  <meta name="robots" content="NONE,NOARCHIVE">
  <title>403 Forbidden</title>
  <style>
    html * { padding:0; margin:0; }
    body * { padding:10px 20px; }
    body * * { padding:0; }
    body { font-family: sans-serif; background:#eee; color:#000; }
    body>div { border-bottom:1px solid #ddd; }
    h1 { font-weight:normal; margin-bottom:.4em; }
    h1 span { font-size:60%; color:#666; font-weight:normal; }
    #info { background:#f6f6f6; }
    #info ul { margin: 0.5em 4em; }
    #info p, #summary p { padding-top:10px; }
    #summary { background: #ffc; }
    #explanation { background:#eee; border-bottom: 0px none; }
  </style>
</head>
<body>
<div id="summary">
  <h1>Forbidden <span>(403)</span></h1>
  <p>CSRF verification failed. Request aborted.</p>


</div>

<div id="info">
  <h2>Help</h2>
    
    <p>Reason given for failure:</p>
    <pre>
    Origin checking failed - http://evil.com/&lt;x&gt;&amp;&quot;&#x27; does not match any trusted origins.
    </pre>
    

  <p>In general, this can occur when there is a genuine Cross Site Request Forgery, or when
  <a
  href="https://docs.djangoproject.com/en/5.2/ref/csrf/">Django’s
  CSRF mechanism</a> has not been used correctly.  For POST forms, you need to
  ensure:</p>

  <ul>
    <li>Your browser is accepting cookies.</li>

    <li>The view function passes a <code>request</code> to the template’s <a
    href="https://docs.djangoproject.com/en/5.2/topics/templates/#django.template.backends.base.Template.render"><code>render</code></a>
    method.</li>

    <li>In the template, there is a <code>{% csrf_token
    %}</code> template tag inside each POST form that
    targets an internal URL.</li>

    <li>If you are not using <code>CsrfViewMiddleware</code>, then you must use
    <code>csrf_protect</code> on any views that use the <code>csrf_token</code>
    template tag, as well as those that accept the POST data.</li>

    <li>The form has a valid CSRF token. After logging in in another browser
    tab or hitting the back button after a login, you may need to reload the
    page with the form, because the token is rotated after a login.</li>
  </ul>

  <p>You’re seeing the help section of this page because you have <code>DEBUG =
  True</code> in your Django settings file. Change that to <code>False</code>,
  and only the initial error message will be displayed.  </p>

  <p>You can customize this page using the CSRF_FAILURE_VIEW setting.</p>
</div>

</body>
</html>
"##;

static VIEW_CALLS: AtomicUsize = AtomicUsize::new(0);

async fn hello(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("Hello there!").with_content_type("text/plain")
}

async fn counted(_req: HttpRequest) -> HttpResponse {
    VIEW_CALLS.fetch_add(1, Ordering::SeqCst);
    HttpResponse::new("counted")
}

async fn token(req: HttpRequest) -> HttpResponse {
    HttpResponse::new(get_token(&req))
}

async fn two_tokens(req: HttpRequest) -> HttpResponse {
    let a = get_token(&req);
    let b = get_token(&req);
    HttpResponse::new(format!("{a} {b}"))
}

async fn rotate(req: HttpRequest) -> HttpResponse {
    rotate_token(&req);
    HttpResponse::new("rotated")
}

async fn echo_body(req: HttpRequest) -> Result<HttpResponse> {
    let body = req.body().await?.clone();
    Ok(HttpResponse::new(body))
}

async fn echo_name(req: HttpRequest) -> Result<HttpResponse> {
    let name = req.form().await?.get("name").unwrap_or("").to_owned();
    Ok(HttpResponse::new(name))
}

fn urls() -> Vec<UrlEntry> {
    vec![
        path("hello", hello),
        path("counted", counted),
        path("token", token),
        path("two-tokens", two_tokens),
        path("rotate", rotate),
        path("echo-body", echo_body),
        path("echo-name", echo_name),
        path("get-only", require_get(hello)),
        path("exempt", csrf_exempt(hello)),
        path("exempt-get-only", require_get(csrf_exempt(hello))),
        path("protect-token", csrf_protect(token)),
    ]
}

fn settings(debug: bool) -> Settings {
    Settings {
        debug,
        secret_key: "csrf-tests".into(),
        allowed_hosts: vec!["testserver".into()],
        ..Settings::default()
    }
}

/// A failure view answering the bare reason, to check Django's reason strings.
fn reason_view(_req: &HttpRequest, reason: &str) -> HttpResponse {
    HttpResponse::forbidden(reason.to_owned())
}

fn app(settings: Settings, middleware: CsrfViewMiddleware) -> App {
    App::builder()
        .settings(settings)
        .urls(urls())
        .middleware(middleware)
        .build()
        .expect("valid app")
}

/// Default settings, DEBUG off: Django's failure page.
fn client() -> Client {
    Client::new(app(settings(false), CsrfViewMiddleware::new()))
}

/// The failure view answers the reason.
fn reason_client_with(settings: Settings) -> Client {
    Client::new(app(
        settings,
        CsrfViewMiddleware::new().failure_view(reason_view),
    ))
}

fn reason_client() -> Client {
    reason_client_with(settings(false))
}

/// A client holding the CSRF cookie `SECRET`.
fn cookie_client() -> Client {
    let c = reason_client();
    c.set_cookie("csrftoken", SECRET);
    c
}

fn assert_rejected(resp: &TestResponse, reason: &str) {
    assert_eq!(resp.status(), 403, "body: {}", resp.text());
    assert_eq!(resp.text(), reason);
}

/// The CSRF cookie the response sets, checked against Django's attributes.
fn csrf_cookie(resp: &TestResponse) -> String {
    let sc = resp
        .set_cookies()
        .iter()
        .find(|c| c.starts_with("csrftoken="))
        .unwrap_or_else(|| panic!("no CSRF cookie in {:?}", resp.set_cookies()));
    let parts: Vec<&str> = sc.split("; ").collect();
    assert_eq!(parts.len(), 5, "{sc}");
    assert!(
        parts[1].starts_with("expires=") && parts[1].ends_with(" GMT"),
        "{sc}"
    );
    assert_eq!(&parts[2..], ["Max-Age=31449600", "Path=/", "SameSite=Lax"]);
    let value = parts[0]["csrftoken=".len()..].to_owned();
    assert_eq!(value.len(), 32, "{sc}");
    assert!(value.bytes().all(|b| b.is_ascii_alphanumeric()));
    value
}

// ===== safe methods, the failure page =====

#[tokio::test]
async fn safe_methods_pass_without_cookie() {
    let c = client();
    for method in ["GET", "HEAD", "OPTIONS", "TRACE"] {
        let resp = c.request(method.parse().unwrap(), "/hello").send().await;
        assert_eq!(resp.status(), 200, "{method}");
        assert!(resp.set_cookies().is_empty(), "{method}");
        assert_eq!(resp.header("vary"), None);
    }
}

#[tokio::test]
async fn post_without_cookie_is_the_reference_page() {
    let before = VIEW_CALLS.load(Ordering::SeqCst);
    let resp = client().post("/counted").form(&[("a", "1")]).send().await;
    assert_eq!(resp.status(), 403);
    assert_eq!(
        resp.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(resp.text(), REF_NO_COOKIE);
    assert_eq!(resp.content().len(), 1367);
    assert!(resp.set_cookies().is_empty());
    assert_eq!(resp.header("vary"), None);
    assert_eq!(
        VIEW_CALLS.load(Ordering::SeqCst),
        before,
        "the view must not run"
    );
}

#[tokio::test]
async fn secure_post_without_referer_is_the_reference_page() {
    let resp = client().post("/hello").secure(true).send().await;
    assert_eq!(resp.status(), 403);
    assert_eq!(resp.text(), REF_NO_REFERER);
}

#[tokio::test]
async fn debug_page_shows_the_escaped_reason() {
    let c = Client::new(app(settings(true), CsrfViewMiddleware::new()));
    let resp = c
        .post("/hello")
        .header("Origin", "http://evil.com/<x>&\"'")
        .send()
        .await;
    assert_eq!(resp.status(), 403);
    assert_eq!(resp.text(), REF_DEBUG_BAD_ORIGIN);
}

#[tokio::test]
async fn other_unsafe_methods_are_checked() {
    let c = reason_client();
    for method in ["PUT", "PATCH", "DELETE", "PROPFIND"] {
        let resp = c
            .request(method.parse().unwrap(), "/hello")
            .body("x")
            .send()
            .await;
        assert_rejected(&resp, "CSRF cookie not set.");
    }
}

// ===== tokens =====

#[tokio::test]
async fn get_token_sets_the_cookie_and_the_token_is_accepted() {
    let c = reason_client();
    let resp = c.get("/token").send().await;
    assert_eq!(resp.status(), 200);
    let secret = csrf_cookie(&resp);
    assert_eq!(resp.header("vary"), Some("Cookie"));
    let masked = resp.text();
    assert_eq!(masked.len(), 64);
    assert_ne!(&masked[32..], secret, "the token is masked");
    // From the form field.
    let resp = c
        .post("/hello")
        .form(&[("a", "1"), ("csrfmiddlewaretoken", &masked)])
        .send()
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text(), "Hello there!");
    assert!(resp.set_cookies().is_empty(), "the token was not used");
    // From the header, masked or not.
    for t in [masked.as_str(), secret.as_str()] {
        let resp = c.post("/hello").header("X-CSRFToken", t).send().await;
        assert_eq!(resp.status(), 200);
    }
    // Other methods use the header too.
    let resp = c
        .delete("/hello")
        .header("X-CSRFToken", &masked)
        .send()
        .await;
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn django_masked_token_matches() {
    let c = cookie_client();
    let resp = c
        .post("/hello")
        .form(&[("csrfmiddlewaretoken", MASKED)])
        .send()
        .await;
    assert_eq!(resp.status(), 200);
    let resp = c.put("/hello").header("X-CSRFToken", MASKED).send().await;
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn a_new_mask_every_time() {
    let c = cookie_client();
    let resp = c.get("/two-tokens").send().await;
    let text = resp.text();
    let (a, b) = text.split_once(' ').unwrap();
    assert_ne!(a, b);
    // The existing secret is sent again (expiry renewed), not replaced.
    assert_eq!(csrf_cookie(&resp), SECRET);
    for t in [a, b] {
        let resp = c.post("/hello").header("X-CSRFToken", t).send().await;
        assert_eq!(resp.status(), 200);
    }
}

#[tokio::test]
async fn reasons_for_bad_tokens() {
    let c = cookie_client();
    let post = |token: String| {
        let c = c.clone();
        async move {
            c.post("/hello")
                .form(&[("csrfmiddlewaretoken", token.as_str())])
                .send()
                .await
        }
    };
    let header = |token: String| {
        let c = c.clone();
        async move { c.post("/hello").header("X-CSRFToken", &token).send().await }
    };
    assert_rejected(&post(OTHER.into()).await, "CSRF token from POST incorrect.");
    assert_rejected(
        &post(token_of(OTHER)).await,
        "CSRF token from POST incorrect.",
    );
    assert_rejected(
        &post("a".repeat(31)).await,
        "CSRF token from POST has incorrect length.",
    );
    assert_rejected(
        &post(format!("{}!", "a".repeat(31))).await,
        "CSRF token from POST has invalid characters.",
    );
    assert_rejected(
        &post(format!("{}é", "a".repeat(63))).await,
        "CSRF token from POST has invalid characters.",
    );
    assert_rejected(
        &header(OTHER.into()).await,
        "CSRF token from the 'X-Csrftoken' HTTP header incorrect.",
    );
    assert_rejected(
        &header("abc".into()).await,
        "CSRF token from the 'X-Csrftoken' HTTP header has incorrect length.",
    );
    assert_rejected(
        &header(format!("{}-", "a".repeat(63))).await,
        "CSRF token from the 'X-Csrftoken' HTTP header has invalid characters.",
    );
    // A present but empty header is a token of length 0.
    assert_rejected(
        &header(String::new()).await,
        "CSRF token from the 'X-Csrftoken' HTTP header has incorrect length.",
    );
    // No token at all, and an empty form field (falls back to the header).
    assert_rejected(
        &c.post("/hello").form(&[("a", "1")]).send().await,
        "CSRF token missing.",
    );
    assert_rejected(&post(String::new()).await, "CSRF token missing.");
    let resp = c
        .post("/hello")
        .form(&[("csrfmiddlewaretoken", "")])
        .header("X-CSRFToken", MASKED)
        .send()
        .await;
    assert_eq!(resp.status(), 200);
    // The form field wins over the header.
    assert_rejected(
        &c.post("/hello")
            .form(&[("csrfmiddlewaretoken", OTHER)])
            .header("X-CSRFToken", MASKED)
            .send()
            .await,
        "CSRF token from POST incorrect.",
    );
}

/// A masked token of `secret` (any mask): `MASKED`'s mask shifted by the difference.
fn token_of(secret: &str) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let idx = |c: u8| CHARS.iter().position(|&x| x == c).unwrap();
    let mask = &MASKED[..32];
    let mut out = mask.to_owned();
    for (s, m) in secret.bytes().zip(mask.bytes()) {
        out.push(char::from(CHARS[(idx(s) + idx(m)) % 62]));
    }
    out
}

#[tokio::test]
async fn token_of_is_djangos_masking() {
    assert_eq!(token_of(SECRET), MASKED);
}

#[tokio::test]
async fn only_post_reads_the_form() {
    let c = cookie_client();
    // A PUT form body is not request.POST: the field is ignored, the header is required.
    let resp = c
        .put("/hello")
        .form(&[("csrfmiddlewaretoken", MASKED)])
        .send()
        .await;
    assert_rejected(&resp, "CSRF token missing.");
    // A JSON POST: the token comes from the header and the body stays readable by the view.
    let resp = c
        .post("/echo-body")
        .json(&serde_json::json!({"a": 1}))
        .header("X-CSRFToken", MASKED)
        .send()
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text(), r#"{"a":1}"#);
    // A urlencoded POST: the view still sees the form.
    let resp = c
        .post("/echo-name")
        .form(&[("name", "Ann"), ("csrfmiddlewaretoken", MASKED)])
        .send()
        .await;
    assert_eq!(resp.text(), "Ann");
}

#[tokio::test]
async fn multipart_token() {
    let c = cookie_client();
    let body = format!(
        "--BOUNDARY\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n{MASKED}\r\n--BOUNDARY\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nBob\r\n--BOUNDARY--\r\n"
    );
    let resp = c
        .post("/echo-name")
        .content_type("multipart/form-data; boundary=BOUNDARY")
        .body(body)
        .send()
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text(), "Bob");
}

#[tokio::test]
async fn broken_form_bodies_are_400() {
    let c = cookie_client();
    // request.POST raises (non-UTF-8 urlencoded charset): Django's process_view propagates it.
    let resp = c
        .post("/hello")
        .content_type("application/x-www-form-urlencoded; charset=latin-1")
        .body("a=1")
        .send()
        .await;
    assert_eq!(resp.status(), 400);
}

// ===== the cookie =====

#[tokio::test]
async fn malformed_cookies() {
    let c = reason_client();
    for (value, reason) in [
        ("abc", "CSRF cookie has incorrect length."),
        ("", "CSRF cookie has incorrect length."),
        (
            "abcdefghijklmnopqrstuvwxyzABCDE!",
            "CSRF cookie has invalid characters.",
        ),
    ] {
        let resp = c
            .post("/hello")
            .header("Cookie", &format!("csrftoken={value}"))
            .header("X-CSRFToken", MASKED)
            .send()
            .await;
        assert_rejected(&resp, reason);
        // process_request replaced the bad secret: the rejection carries a new cookie.
        csrf_cookie(&resp);
        assert_eq!(resp.header("vary"), Some("Cookie"));
    }
    // A GET with a bad cookie gets a fresh one too.
    let resp = c
        .get("/hello")
        .header("Cookie", "csrftoken=abc")
        .send()
        .await;
    assert_eq!(resp.status(), 200);
    csrf_cookie(&resp);
}

#[tokio::test]
async fn masked_cookie_from_old_django_is_accepted() {
    let c = reason_client();
    c.set_cookie("csrftoken", MASKED);
    let resp = c.post("/hello").header("X-CSRFToken", SECRET).send().await;
    assert_eq!(resp.status(), 200);
    assert!(resp.set_cookies().is_empty());
    // When the token is used, the cookie is rewritten unmasked.
    let resp = c.get("/token").send().await;
    assert_eq!(csrf_cookie(&resp), SECRET);
}

#[tokio::test]
async fn rotate_token_sets_a_new_cookie() {
    let c = cookie_client();
    let resp = c.get("/rotate").send().await;
    let new = csrf_cookie(&resp);
    assert_ne!(new, SECRET);
    assert_eq!(
        c.cookies().get("csrftoken").map(String::as_str),
        Some(new.as_str())
    );
    // The old token no longer matches.
    let resp = c.post("/hello").header("X-CSRFToken", MASKED).send().await;
    assert_rejected(
        &resp,
        "CSRF token from the 'X-Csrftoken' HTTP header incorrect.",
    );
}

#[tokio::test]
async fn cookie_settings() {
    let c = reason_client_with(Settings {
        csrf_cookie_name: "xsrf".into(),
        csrf_cookie_age: None,
        csrf_cookie_domain: Some(".example.com".into()),
        csrf_cookie_path: "/app".into(),
        csrf_cookie_secure: true,
        csrf_cookie_httponly: true,
        csrf_cookie_samesite: Some("Strict".into()),
        csrf_header_name: "HTTP_X_XSRF_TOKEN".into(),
        ..settings(false)
    });
    let resp = c.get("/token").send().await;
    let sc = &resp.set_cookies()[0];
    let value = &sc["xsrf=".len()..sc.find(';').unwrap()];
    assert_eq!(
        sc,
        &format!("xsrf={value}; Domain=.example.com; HttpOnly; Path=/app; SameSite=Strict; Secure")
    );
    let masked = resp.text();
    let resp = c
        .post("/hello")
        .header("X-XSRF-Token", &masked)
        .send()
        .await;
    assert_eq!(resp.status(), 200);
    let resp = c.post("/hello").header("X-XSRF-Token", OTHER).send().await;
    assert_rejected(
        &resp,
        "CSRF token from the 'X-Xsrf-Token' HTTP header incorrect.",
    );
    // The default header name is not read any more.
    let resp = c.post("/hello").header("X-CSRFToken", &masked).send().await;
    assert_rejected(&resp, "CSRF token missing.");
}

// ===== exemption, resolution, view decorators =====

#[tokio::test]
async fn exempt_views_pass() {
    let c = reason_client();
    let resp = c.post("/exempt").form(&[("a", "1")]).send().await;
    assert_eq!(resp.status(), 200);
    // require_GET outside csrf_exempt keeps the mark (functools.wraps): 405, not 403.
    let resp = c.post("/exempt-get-only").send().await;
    assert_eq!(resp.status(), 405);
}

#[tokio::test]
async fn check_runs_before_method_decorators() {
    let c = reason_client();
    let resp = c.post("/get-only").send().await;
    assert_rejected(&resp, "CSRF cookie not set.");
    let resp = c.put("/get-only").body("x").send().await;
    assert_rejected(&resp, "CSRF cookie not set.");
    // With a valid token the decorator runs: 405.
    let c = cookie_client();
    let resp = c
        .post("/get-only")
        .header("X-CSRFToken", MASKED)
        .send()
        .await;
    assert_eq!(resp.status(), 405);
}

#[tokio::test]
async fn unknown_urls_are_404() {
    let c = reason_client();
    let resp = c.post("/no-such-page").form(&[("a", "1")]).send().await;
    assert_eq!(resp.status(), 404);
    let resp = client().delete("/no-such-page").send().await;
    assert_eq!(resp.status(), 404);
}

struct NoEnforce;

impl Middleware for NoEnforce {
    async fn call(
        &self,
        mut request: HttpRequest,
        next: Next<'_>,
    ) -> std::result::Result<HttpResponse, Error> {
        request.extensions_mut().insert(DontEnforceCsrfChecks);
        Ok(next.run(request).await)
    }
}

#[tokio::test]
async fn dont_enforce_csrf_checks() {
    let app = App::builder()
        .settings(settings(false))
        .urls(urls())
        .middleware(NoEnforce)
        .middleware(CsrfViewMiddleware::default())
        .build()
        .unwrap();
    let c = Client::new(app);
    assert_eq!(c.post("/hello").send().await.status(), 200);
    // get_token still works.
    csrf_cookie(&c.post("/token").send().await);
}

// ===== Origin =====

#[tokio::test]
async fn origin_checks() {
    let c = cookie_client();
    let with_origin = |origin: &'static str, secure: bool| {
        let c = c.clone();
        async move {
            c.post("/hello")
                .header("Origin", origin)
                .header("X-CSRFToken", MASKED)
                .secure(secure)
                .send()
                .await
        }
    };
    assert_eq!(with_origin("http://testserver", false).await.status(), 200);
    assert_eq!(with_origin("https://testserver", true).await.status(), 200);
    // A secure request with a good Origin needs no Referer.
    assert_rejected(
        &with_origin("http://testserver", true).await,
        "Origin checking failed - http://testserver does not match any trusted origins.",
    );
    assert_rejected(
        &with_origin("https://testserver", false).await,
        "Origin checking failed - https://testserver does not match any trusted origins.",
    );
    assert_rejected(
        &with_origin("http://evil.com", false).await,
        "Origin checking failed - http://evil.com does not match any trusted origins.",
    );
    assert_rejected(
        &with_origin("null", false).await,
        "Origin checking failed - null does not match any trusted origins.",
    );
    // The Origin check comes before the cookie check.
    let resp = reason_client()
        .post("/hello")
        .header("Origin", "http://evil.com")
        .send()
        .await;
    assert_rejected(
        &resp,
        "Origin checking failed - http://evil.com does not match any trusted origins.",
    );
}

#[tokio::test]
async fn trusted_origins() {
    let c = reason_client_with(Settings {
        csrf_trusted_origins: vec![
            "https://trusted.com".into(),
            "https://*.example.com".into(),
            "http://*.dev.test:8080".into(),
        ],
        ..settings(false)
    });
    c.set_cookie("csrftoken", SECRET);
    for (origin, ok) in [
        ("https://trusted.com", true),
        ("http://trusted.com", false),
        ("https://sub.trusted.com", false),
        ("https://example.com", true),
        ("https://a.b.example.com", true),
        // Django lower-cases only the pattern (is_same_domain).
        ("https://A.Example.com", false),
        ("http://sub.example.com", false),
        ("https://evilexample.com", false),
        ("http://x.dev.test:8080", true),
        ("http://x.dev.test", false),
        ("https://[bad", false),
    ] {
        let resp = c
            .post("/hello")
            .header("Origin", origin)
            .header("X-CSRFToken", MASKED)
            .send()
            .await;
        if ok {
            assert_eq!(resp.status(), 200, "{origin}: {}", resp.text());
        } else {
            assert_rejected(
                &resp,
                &format!("Origin checking failed - {origin} does not match any trusted origins."),
            );
        }
    }
}

// ===== Referer (secure requests without Origin) =====

async fn secure_post(c: &Client, referer: Option<&str>) -> TestResponse {
    let mut r = c.post("/hello").secure(true).header("X-CSRFToken", MASKED);
    if let Some(referer) = referer {
        r = r.header("Referer", referer);
    }
    r.send().await
}

#[tokio::test]
async fn referer_checks() {
    let c = cookie_client();
    assert_rejected(
        &secure_post(&c, None).await,
        "Referer checking failed - no Referer.",
    );
    for malformed in [
        "https://",
        "testserver/page",
        "//testserver/",
        "https://[::1",
    ] {
        assert_rejected(
            &secure_post(&c, Some(malformed)).await,
            "Referer checking failed - Referer is malformed.",
        );
    }
    assert_rejected(
        &secure_post(&c, Some("http://testserver/page")).await,
        "Referer checking failed - Referer is insecure while host is secure.",
    );
    assert_rejected(
        &secure_post(&c, Some("https://evil.com/page?q=1#f")).await,
        "Referer checking failed - https://evil.com/page?q=1#f does not match any trusted origins.",
    );
    assert_rejected(
        &secure_post(&c, Some("HTTPS://evil.com")).await,
        "Referer checking failed - https://evil.com does not match any trusted origins.",
    );
    assert_rejected(
        &secure_post(&c, Some("https://testserver:444/")).await,
        "Referer checking failed - https://testserver:444/ does not match any trusted origins.",
    );
    assert_eq!(
        secure_post(&c, Some("https://testserver/page"))
            .await
            .status(),
        200
    );
    // Django's is_same_domain lower-cases the pattern only, not the Referer's host.
    assert_rejected(
        &secure_post(&c, Some("https://TestServer")).await,
        "Referer checking failed - https://TestServer does not match any trusted origins.",
    );
    // Plain HTTP requests do not look at the Referer.
    let resp = c
        .post("/hello")
        .header("Referer", "http://evil.com/")
        .header("X-CSRFToken", MASKED)
        .send()
        .await;
    assert_eq!(resp.status(), 200);
    // Referer checks come before the cookie check.
    assert_rejected(
        &reason_client().post("/hello").secure(true).send().await,
        "Referer checking failed - no Referer.",
    );
}

#[tokio::test]
async fn referer_trusted_origins_and_cookie_domain() {
    let c = reason_client_with(Settings {
        csrf_trusted_origins: vec!["https://trusted.com".into(), "https://*.example.com".into()],
        ..settings(false)
    });
    c.set_cookie("csrftoken", SECRET);
    for referer in [
        "https://trusted.com/form",
        "https://example.com/",
        "https://a.example.com/x",
    ] {
        assert_eq!(
            secure_post(&c, Some(referer)).await.status(),
            200,
            "{referer}"
        );
    }
    assert_eq!(
        secure_post(&c, Some("https://other.com/")).await.status(),
        403
    );

    let c = reason_client_with(Settings {
        csrf_cookie_domain: Some(".example.com".into()),
        ..settings(false)
    });
    c.set_cookie("csrftoken", SECRET);
    assert_eq!(
        secure_post(&c, Some("https://www.example.com/"))
            .await
            .status(),
        200
    );
    // With CSRF_COOKIE_DOMAIN the request's own host no longer counts.
    assert_rejected(
        &secure_post(&c, Some("https://testserver/")).await,
        "Referer checking failed - https://testserver/ does not match any trusted origins.",
    );
}

// ===== decorators =====

#[tokio::test]
async fn decorators_without_middleware() {
    let app = App::builder()
        .settings(settings(false))
        .urls(vec![
            path("protect", csrf_protect(hello)),
            path("protect-token", csrf_protect(token)),
            path("requires", requires_csrf_token(token)),
            path("ensure", ensure_csrf_cookie(hello)),
            path("plain", hello),
            path("protect-exempt", csrf_protect(csrf_exempt(hello))),
        ])
        .build()
        .unwrap();
    let c = Client::new(app);
    // No middleware: undecorated views are not checked.
    assert_eq!(c.post("/plain").send().await.status(), 200);
    let resp = c.post("/protect").send().await;
    assert_eq!(resp.status(), 403);
    assert_eq!(resp.text(), REF_NO_COOKIE);
    assert_eq!(c.post("/protect-exempt").send().await.status(), 200);
    // requires_csrf_token never rejects, and its token works.
    let resp = c.post("/requires").send().await;
    assert_eq!(resp.status(), 200);
    let masked = resp.text();
    csrf_cookie(&resp);
    let resp = c
        .post("/protect")
        .header("X-CSRFToken", &masked)
        .send()
        .await;
    assert_eq!(resp.status(), 200);
    // ensure_csrf_cookie always sends the cookie.
    let resp = c.get("/ensure").send().await;
    assert_eq!(resp.text(), "Hello there!");
    csrf_cookie(&resp);
    assert_eq!(resp.header("vary"), Some("Cookie"));
    let resp = c.get("/protect-token").send().await;
    csrf_cookie(&resp);
}

#[tokio::test]
async fn decorator_and_middleware_set_the_cookie_once() {
    let c = reason_client();
    let resp = c.get("/protect-token").send().await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.set_cookies().len(), 1);
    let masked = resp.text();
    let resp = c
        .post("/protect-token")
        .header("X-CSRFToken", &masked)
        .send()
        .await;
    assert_eq!(resp.status(), 200);
}

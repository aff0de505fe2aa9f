//! The handler through the test Client: views (sync, async, typed kwargs), error mapping,
//! middleware order and hooks, decorators, body limits.

use std::sync::{Arc, Mutex};

use http::{Method, StatusCode};
use nuages::http::cookie::SetCookie;
use nuages::middleware::common::CommonMiddleware;
use nuages::middleware::{Middleware, Next};
use nuages::test::Client;
use nuages::urls::{path, re_path, RequestUrlsExt, ResolverMatch};
use nuages::views::decorators::http::{
    require_get, require_http_methods, require_post, require_safe,
};
use nuages::views::BoxFuture;
use nuages::{
    App, AppBuilder, BadRequest, Error, Http404, HttpRequest, HttpResponse, JsonResponse,
    PermissionDenied, Result, Settings,
};

fn settings(debug: bool) -> Settings {
    Settings {
        debug,
        secret_key: "test-key".into(),
        allowed_hosts: vec!["testserver".into()],
        ..Settings::default()
    }
}

async fn hello(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("Hello there!").with_content_type("text/plain")
}

fn sync_view(req: HttpRequest) -> HttpResponse {
    // Blocking is fine here: sync views run on the blocking pool.
    std::thread::sleep(std::time::Duration::from_millis(5));
    HttpResponse::new(format!("sync {}", req.method()))
}

async fn typed(_req: HttpRequest, (year, slug): (i32, String)) -> HttpResponse {
    HttpResponse::new(format!("{year}:{slug}"))
}

async fn uuid_view(_req: HttpRequest, u: uuid::Uuid) -> HttpResponse {
    HttpResponse::new(u.to_string())
}

async fn not_found(_req: HttpRequest) -> Result<HttpResponse> {
    Err(Http404::new("No such thing").into())
}

async fn denied(_req: HttpRequest) -> Result<HttpResponse> {
    Err(PermissionDenied::default().into())
}

async fn bad(_req: HttpRequest) -> Result<HttpResponse> {
    Err(BadRequest::new("nope").into())
}

async fn io_error(_req: HttpRequest) -> Result<HttpResponse> {
    Err(std::io::Error::other("secret internal detail").into())
}

async fn echo_body(req: HttpRequest) -> Result<HttpResponse> {
    let body = req.body().await?.clone();
    Ok(HttpResponse::new(body))
}

async fn form(req: HttpRequest) -> Result<HttpResponse> {
    let f = req.form().await?;
    Ok(JsonResponse::new(&f.dict())?)
}

async fn query(req: HttpRequest) -> Result<HttpResponse> {
    Ok(JsonResponse::new(&req.query()?.dict())?)
}

async fn set_c(_req: HttpRequest) -> Result<HttpResponse> {
    let mut r = HttpResponse::new("set");
    r.set_cookie(SetCookie::new("username", "john_doe").max_age(3600))?;
    Ok(r)
}

async fn read_c(req: HttpRequest) -> HttpResponse {
    HttpResponse::new(format!(
        "Hello, {}!",
        req.cookie("username").unwrap_or("Guest")
    ))
}

async fn reverse_view(req: HttpRequest) -> Result<HttpResponse> {
    Ok(HttpResponse::redirect(&nuages::reverse!(
        req,
        "typed",
        year = 2024,
        slug = "a-b"
    )?)?)
}

fn urls() -> Vec<nuages::urls::UrlEntry> {
    vec![
        path("hello", hello).name("hello"),
        path("sync", sync_view),
        path("t/<int:year>/<slug:slug>/", typed).name("typed"),
        path("u/<uuid:u>/", uuid_view),
        path("404", not_found),
        path("403", denied),
        path("400", bad),
        path("500", io_error),
        path("body", echo_body),
        path("form", form),
        path("query", query),
        path("set", set_c),
        path("read", read_c),
        path("rev", reverse_view),
        path("get-only", require_get(hello)),
        path("post-only", require_post(hello)),
        path("safe", require_safe(hello)),
        path(
            "methods",
            require_http_methods(
                [Method::PUT, Method::from_bytes(b"PROPFIND").unwrap()],
                hello,
            ),
        ),
        path("slash/", hello),
        re_path(r"^re/(?P<n>[0-9]+)$", |req: HttpRequest, _n: String| {
            hello(req)
        }),
    ]
}

fn app_with(debug: bool, f: impl FnOnce(AppBuilder) -> AppBuilder) -> Client {
    Client::new(
        f(App::builder().settings(settings(debug)).urls(urls()))
            .build()
            .unwrap(),
    )
}

fn client() -> Client {
    app_with(false, |b| b)
}

#[tokio::test]
async fn async_sync_and_typed_views() {
    let c = client();
    let r = c.get("/hello").send().await;
    assert_eq!((r.status(), r.text().as_str()), (200, "Hello there!"));
    assert_eq!(r.header("content-type"), Some("text/plain"));
    assert_eq!(c.post("/sync").send().await.text(), "sync POST");
    assert_eq!(c.get("/t/0042/a-b/").send().await.text(), "42:a-b");
    let u = "12345678-1234-5678-1234-567812345678";
    assert_eq!(c.get(&format!("/u/{u}/")).send().await.text(), u);
    // Uppercase hex does not match the uuid converter: 404.
    assert_eq!(
        c.get("/u/12345678-1234-5678-1234-56781234567A/")
            .send()
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn errors_map_to_handlers_without_leaking() {
    let c = client();
    for (path, status, title) in [
        ("/404", 404, "Not Found"),
        ("/403", 403, "403 Forbidden"),
        ("/400", 400, "Bad Request (400)"),
        ("/500", 500, "Server Error (500)"),
        ("/missing", 404, "Not Found"),
    ] {
        let r = c.get(path).send().await;
        assert_eq!(r.status(), status, "{path}");
        assert!(
            r.text().contains(&format!("<title>{title}</title>")),
            "{path}: {}",
            r.text()
        );
        assert!(!r.text().contains("secret internal detail"));
    }
}

#[tokio::test]
async fn debug_pages_show_patterns_and_errors() {
    let c = app_with(true, |b| b);
    let r = c.get("/missing").send().await;
    assert_eq!(r.status(), 404);
    assert!(
        r.text().contains("t/&lt;int:year&gt;/&lt;slug:slug&gt;/"),
        "{}",
        r.text()
    );
    assert!(r.text().contains("hello"));
    let r = c.get("/500").send().await;
    assert_eq!(r.status(), 500);
    assert!(r.text().contains("secret internal detail"));
}

#[tokio::test]
async fn custom_error_handlers_replace_the_defaults() {
    let c = app_with(false, |b| {
        b.handler404(|req: HttpRequest, _e: Error| async move {
            HttpResponse::not_found(format!("custom 404 for {}", req.path()))
        })
        .handler500(|_req: HttpRequest, _e: Error| HttpResponse::server_error("custom 500"))
    });
    assert_eq!(c.get("/nope").send().await.text(), "custom 404 for /nope");
    assert_eq!(c.get("/500").send().await.text(), "custom 500");
}

#[tokio::test]
async fn method_decorators_answer_405_with_allow() {
    let c = client();
    let r = c.head("/get-only").send().await;
    assert_eq!(r.status(), 405);
    assert_eq!(r.header("allow"), Some("GET"));
    assert_eq!(r.content(), b"");
    assert_eq!(
        c.get("/post-only").send().await.header("allow"),
        Some("POST")
    );
    assert_eq!(c.post("/post-only").send().await.status(), 200);
    assert_eq!(
        c.delete("/safe").send().await.header("allow"),
        Some("GET, HEAD")
    );
    assert_eq!(c.head("/safe").send().await.status(), 200);
    assert_eq!(
        c.get("/methods").send().await.header("allow"),
        Some("PUT, PROPFIND")
    );
}

#[tokio::test]
async fn cookies_persist_across_requests() {
    let c = client();
    assert_eq!(c.get("/read").send().await.text(), "Hello, Guest!");
    let r = c.get("/set").send().await;
    let sc = &r.set_cookies()[0];
    assert!(sc.starts_with("username=john_doe; expires="), "{sc}");
    assert!(sc.ends_with("; Max-Age=3600; Path=/"), "{sc}");
    assert_eq!(c.get("/read").send().await.text(), "Hello, john_doe!");
}

#[tokio::test]
async fn bodies_forms_queries_and_limits() {
    let c = client();
    assert_eq!(
        c.post("/body").body("raw bytes").send().await.text(),
        "raw bytes"
    );
    let r = c
        .post("/form")
        .form(&[("name", "Ann"), ("name", "Bob"), ("e", "x y")])
        .send()
        .await;
    assert_eq!(r.text(), r#"{"name": "Bob", "e": "x y"}"#);
    // Form data is only parsed for POST.
    assert_eq!(c.put("/form").form(&[("a", "1")]).send().await.text(), "{}");
    let r = c
        .post("/form")
        .body("a=1")
        .content_type("application/x-www-form-urlencoded; charset=latin-1")
        .send()
        .await;
    assert_eq!(r.status(), 400);
    assert_eq!(
        c.get("/query?a=1&a=2&b").send().await.text(),
        r#"{"a": "2", "b": ""}"#
    );

    let small = Client::new(
        App::builder()
            .settings(Settings {
                data_upload_max_memory_size: Some(10),
                data_upload_max_number_fields: Some(3),
                ..settings(false)
            })
            .urls(urls())
            .build()
            .unwrap(),
    );
    assert_eq!(
        small.post("/body").body("0123456789").send().await.status(),
        200
    );
    assert_eq!(
        small
            .post("/body")
            .body("0123456789A")
            .send()
            .await
            .status(),
        400
    );
    assert_eq!(small.get("/query?a=1&b=2&c=3").send().await.status(), 200);
    assert_eq!(small.get("/query?a=1&b=2&c=3&").send().await.status(), 400);
}

#[tokio::test]
async fn reverse_and_redirect() {
    let r = client().get("/rev").send().await;
    assert_eq!(r.status(), 302);
    assert_eq!(r.header("location"), Some("/t/2024/a-b/"));
}

#[tokio::test]
async fn append_slash_redirects_only_when_the_slashed_path_resolves() {
    let c = app_with(false, |b| b.middleware(CommonMiddleware::new()));
    let r = c.get("/slash?x=1").send().await;
    assert_eq!(r.status(), 301);
    assert_eq!(r.header("location"), Some("/slash/?x=1"));
    assert_eq!(c.post("/slash").send().await.status(), 301);
    assert_eq!(c.get("/nothing").send().await.status(), 404);
    assert_eq!(
        c.get("/slash/").send().await.header("content-length"),
        Some("12")
    );
    let r = c.get("/missing").header("Host", "evil.com").send().await;
    assert_eq!(r.status(), 400);
}

/// Records the order in which hooks run.
struct Recorder {
    name: &'static str,
    log: Arc<Mutex<Vec<String>>>,
    answer_view: bool,
    handle_exception: bool,
}

impl Middleware for Recorder {
    async fn call(&self, request: HttpRequest, next: Next<'_>) -> Result<HttpResponse> {
        self.log
            .lock()
            .unwrap()
            .push(format!("{} request", self.name));
        let resp = next.run(request).await;
        self.log
            .lock()
            .unwrap()
            .push(format!("{} response {}", self.name, resp.status_code()));
        Ok(resp)
    }

    fn process_view<'a>(
        &'a self,
        _request: &'a mut HttpRequest,
        view: &'a ResolverMatch,
    ) -> Option<BoxFuture<'a, Result<Option<HttpResponse>>>> {
        let route = view.route().to_owned();
        self.log
            .lock()
            .unwrap()
            .push(format!("{} view {route}", self.name));
        let answer = self.answer_view;
        Some(Box::pin(async move {
            Ok(answer
                .then(|| HttpResponse::new("from process_view").with_status(StatusCode::ACCEPTED)))
        }))
    }

    fn process_exception(&self, _request: &HttpRequest, error: &Error) -> Option<HttpResponse> {
        self.log
            .lock()
            .unwrap()
            .push(format!("{} exception {}", self.name, error.kind() as u8));
        self.handle_exception
            .then(|| HttpResponse::new("handled").with_status(StatusCode::IM_A_TEAPOT))
    }
}

#[tokio::test]
async fn middleware_onion_order_and_hooks() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let mk = |name, answer_view, handle_exception| Recorder {
        name,
        log: log.clone(),
        answer_view,
        handle_exception,
    };
    let c = app_with(false, |b| {
        b.middleware(mk("A", false, false))
            .middleware(mk("B", false, true))
            .middleware(mk("C", false, false))
    });
    assert_eq!(c.get("/hello").send().await.status(), 200);
    assert_eq!(
        *log.lock().unwrap(),
        [
            "A request",
            "B request",
            "C request",
            "A view hello",
            "B view hello",
            "C view hello",
            "C response 200",
            "B response 200",
            "A response 200"
        ]
    );
    log.lock().unwrap().clear();
    // process_exception runs in reverse order; B's answer stops the chain.
    let r = c.get("/500").send().await;
    assert_eq!((r.status(), r.text().as_str()), (418, "handled"));
    let l = log.lock().unwrap().clone();
    let exc: Vec<_> = l
        .iter()
        .filter(|s| s.contains("exception"))
        .cloned()
        .collect();
    assert_eq!(exc, ["C exception 3", "B exception 3"]);
    log.lock().unwrap().clear();
    // Unresolved URLs run no process_view.
    assert_eq!(c.get("/missing").send().await.status(), 404);
    assert!(!log.lock().unwrap().iter().any(|s| s.contains("view")));

    let log2 = Arc::new(Mutex::new(Vec::new()));
    let c = app_with(false, |b| {
        b.middleware(Recorder {
            name: "X",
            log: log2.clone(),
            answer_view: true,
            handle_exception: false,
        })
        .middleware(Recorder {
            name: "Y",
            log: log2.clone(),
            answer_view: false,
            handle_exception: false,
        })
    });
    let r = c.get("/hello").send().await;
    assert_eq!((r.status(), r.text().as_str()), (202, "from process_view"));
    assert!(
        !log2.lock().unwrap().iter().any(|s| s == "Y view hello"),
        "the first answer skips later hooks"
    );
}

/// A middleware whose own error becomes a response at its level (convert_exception_to_response).
struct Failing;

impl Middleware for Failing {
    async fn call(&self, _request: HttpRequest, _next: Next<'_>) -> Result<HttpResponse> {
        Err(Error::from(PermissionDenied::default()))
    }
}

struct Tag;

impl Middleware for Tag {
    async fn call(&self, request: HttpRequest, next: Next<'_>) -> Result<HttpResponse> {
        let mut r = next.run(request).await;
        r.set_header("X-Tag", "outer")?;
        Ok(r)
    }
}

#[tokio::test]
async fn middleware_errors_become_responses_seen_by_outer_layers() {
    let c = app_with(false, |b| b.middleware(Tag).middleware(Failing));
    let r = c.get("/hello").send().await;
    assert_eq!(r.status(), 403);
    assert_eq!(r.header("x-tag"), Some("outer"));
}

#[tokio::test]
async fn the_app_is_a_tower_service() {
    use tower::ServiceExt;
    let app = App::builder()
        .settings(settings(false))
        .urls(urls())
        .build()
        .unwrap();
    let req = http::Request::builder()
        .uri("/hello")
        .header("host", "testserver")
        .body(http_body_util::Empty::<bytes::Bytes>::new())
        .unwrap();
    let resp = app.oneshot(req).await.unwrap();
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn a_tower_layer_runs_as_a_middleware() {
    let layer =
        tower::util::MapResponseLayer::new(|mut r: http::Response<nuages::http::ResponseBody>| {
            r.headers_mut()
                .insert("x-layer", http::HeaderValue::from_static("yes"));
            r
        });
    let c = app_with(false, |b| {
        b.layer(layer).middleware(CommonMiddleware::new())
    });
    let r = c.get("/hello").send().await;
    assert_eq!(r.header("x-layer"), Some("yes"));
    assert_eq!(r.text(), "Hello there!");
    // Errors below the layer are responses by the time the layer sees them.
    assert_eq!(
        c.get("/missing").send().await.header("x-layer"),
        Some("yes")
    );
}

/// Sets `request.encoding` and parses the form before the layers below run.
struct ReadsForm;

impl Middleware for ReadsForm {
    async fn call(&self, mut request: HttpRequest, next: Next<'_>) -> Result<HttpResponse> {
        request.set_encoding(nuages::utils::charset::Charset::from_label("latin-1").unwrap());
        request.form().await?;
        Ok(next.run(request).await)
    }
}

/// What a view observes below a tower layer.
async fn observe(req: HttpRequest) -> Result<HttpResponse> {
    use nuages::sessions::RequestSessionExt;
    let text = format!(
        "form={:?} encoding={:?} header={:?} session={} match={:?} body={:?}",
        req.form().await?.get("a"),
        req.encoding().map(|c| c.name().to_owned()),
        req.header("x-from-layer"),
        req.session().is_some(),
        req.resolver_match().map(|m| m.view_name()),
        req.body().await.map(|b| b.len()).ok(),
    );
    Ok(HttpResponse::new(text))
}

#[tokio::test]
async fn a_tower_layer_keeps_what_the_view_observes() {
    let layer =
        tower::util::MapRequestLayer::new(|mut r: http::Request<nuages::http::RequestBody>| {
            r.headers_mut()
                .insert("x-from-layer", http::HeaderValue::from_static("1"));
            r
        });
    let app = App::builder()
        .settings(settings(false))
        .urls([path("observe", observe).name("observe")])
        .middleware(nuages::sessions::SessionMiddleware::new())
        .middleware(ReadsForm)
        .layer(layer)
        .build()
        .unwrap();
    let client = Client::new(app);
    let r = client.post("/observe").form(&[("a", "1")]).send().await;
    assert_eq!(
        r.text(),
        "form=Some(\"1\") encoding=Some(\"latin-1\") header=Some(\"1\") session=true \
         match=Some(\"observe\") body=Some(3)"
    );
    // A multipart body is parsed as it streams: only the parsed POST can cross the layer.
    let body = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n2\r\n--b--\r\n";
    let r = client
        .post("/observe")
        .content_type("multipart/form-data; boundary=b")
        .body(body)
        .send()
        .await;
    assert!(r.text().starts_with("form=Some(\"2\") "), "{}", r.text());
}

async fn narrow(_: HttpRequest, n: i64) -> HttpResponse {
    HttpResponse::new(format!("i64 {n}"))
}

async fn wide(_: HttpRequest, n: u128) -> HttpResponse {
    HttpResponse::new(format!("u128 {n}"))
}

async fn text(_: HttpRequest, n: String) -> HttpResponse {
    HttpResponse::new(format!("str {n}"))
}

/// `<int:n>` matches any number of digits (spec rule 237); the view's type decides: a value
/// that does not fit it is a 404.
#[tokio::test]
async fn int_arguments_of_any_length() {
    let app = App::builder()
        .settings(settings(false))
        .urls([
            path("narrow/<int:n>/", narrow),
            path("wide/<int:n>/", wide),
            path("text/<int:n>/", text),
        ])
        .build()
        .unwrap();
    let client = Client::new(app);
    let big = "340282366920938463463374607431768211455"; // u128::MAX
    let r = client.get(&format!("/narrow/{big}/")).send().await;
    assert_eq!(r.status(), 404);
    let r = client.get("/narrow/9223372036854775807/").send().await;
    assert_eq!(r.text(), "i64 9223372036854775807");
    let r = client.get(&format!("/wide/00{big}/")).send().await;
    assert_eq!(r.text(), format!("u128 {big}"));
    let r = client.get(&format!("/wide/{big}0/")).send().await;
    assert_eq!(r.status(), 404, "beyond u128");
    let r = client.get(&format!("/text/{big}0/")).send().await;
    assert_eq!(r.text(), format!("str {big}0"));
}

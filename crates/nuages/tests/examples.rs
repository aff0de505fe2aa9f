//! The topic examples (`examples/*.rs`), each driven in-process through its `app()` with the
//! test client, asserting the responses their doc comments promise.

use nuages::test::Client;

#[path = "../../../examples/hello.rs"]
#[allow(dead_code)]
mod hello;

#[path = "../../../examples/json.rs"]
#[allow(dead_code)]
mod json;

#[path = "../../../examples/cookies.rs"]
#[allow(dead_code)]
mod cookies;

#[path = "../../../examples/forms.rs"]
#[allow(dead_code)]
mod forms;

#[path = "../../../examples/uploads.rs"]
#[allow(dead_code)]
mod uploads;

#[path = "../../../examples/downloads.rs"]
#[allow(dead_code)]
mod downloads;

#[path = "../../../examples/streaming_csv.rs"]
#[allow(dead_code)]
mod streaming_csv;

#[path = "../../../examples/redirects.rs"]
#[allow(dead_code)]
mod redirects;

#[path = "../../../examples/sessions.rs"]
#[allow(dead_code)]
mod sessions;

#[path = "../../../examples/content_negotiation.rs"]
#[allow(dead_code)]
mod content_negotiation;

#[path = "../../../examples/conditional_get.rs"]
#[allow(dead_code)]
mod conditional_get;

#[path = "../../../examples/class_based_views.rs"]
#[allow(dead_code)]
mod class_based_views;

#[path = "../../../examples/templates.rs"]
#[allow(dead_code)]
mod templates;

#[path = "../../../examples/middleware.rs"]
#[allow(dead_code)]
mod middleware;

#[path = "../../../examples/cors.rs"]
#[allow(dead_code)]
mod cors;

#[path = "../../../examples/signing.rs"]
#[allow(dead_code)]
mod signing;

/// A test client for `app`, sending `Host: localhost`: an allowed host of a DEBUG app whose
/// ALLOWED_HOSTS is empty (`testserver` is only added by Django's test runner).
fn client(app: nuages::App) -> Client {
    Client::new(app).default_header("Host", "localhost")
}

/// The `Set-Cookie` line for the cookie `name`.
fn set_cookie<'a>(resp: &'a nuages::test::TestResponse, name: &str) -> Option<&'a str> {
    resp.set_cookies()
        .iter()
        .map(String::as_str)
        .find(|c| c.starts_with(&format!("{name}=")))
}

// --- hello ------------------------------------------------------------------------------

#[tokio::test]
async fn hello_texts_methods_and_parameters() {
    let c = client(hello::app());
    let r = c.get("/hello").send().await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.header("content-type"), Some("text/plain"));
    assert_eq!(r.text(), "Hello there!");
    assert_eq!(c.get("/hello-write").send().await.text(), "Ahoy!");

    let r = c.post("/hello-get-only").send().await;
    assert_eq!((r.status(), r.header("allow")), (405, Some("GET")));
    assert_eq!(c.get("/hello-get-only").send().await.status(), 200);
    assert_eq!(c.head("/status").send().await.status(), 200);
    let r = c.put("/status").send().await;
    assert_eq!((r.status(), r.header("allow")), (405, Some("GET, HEAD")));

    let r = c.get("/params/?a=1&b=2&a=3").send().await;
    assert_eq!(r.text(), r#"{"a": "3", "b": "2"}"#);
    assert_eq!(c.get("/hello/ann/").send().await.text(), "hello ann");
    assert_eq!(c.get("/square/12/").send().await.text(), "144");
    assert_eq!(c.get("/square/x/").send().await.status(), 404);
}

// --- json -------------------------------------------------------------------------------

#[tokio::test]
async fn json_dict_list_dates_and_bodies() {
    let c = client(json::app());
    let r = c.get("/user").send().await;
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        r.text(),
        r#"{"name": "John Doe", "age": 30, "email": "john@example.com"}"#
    );
    let r = c.get("/users").send().await;
    assert_eq!(
        r.text(),
        r#"[{"id": 1, "name": "John"}, {"id": 2, "name": "Jane"}]"#
    );
    // DjangoJSONEncoder: microseconds cut to milliseconds.
    let r = c.get("/timestamp").send().await;
    assert_eq!(
        r.text(),
        r#"{"timestamp": "2024-01-02T03:04:05.678", "message": "Hello"}"#
    );

    let r = c
        .post("/echo")
        .json(&serde_json::json!({"name": "Ann", "tags": [1, 2]}))
        .send()
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json().unwrap(),
        serde_json::json!({"status": "success", "received": {"name": "Ann", "tags": [1, 2]}})
    );
    let r = c
        .post("/echo")
        .body("{oops")
        .content_type("application/json")
        .send()
        .await;
    assert_eq!(
        (r.status(), r.text()),
        (400, r#"{"error": "Invalid JSON"}"#.into())
    );
    let r = c
        .post("/echo")
        .body("name=Ann")
        .content_type("text/plain")
        .send()
        .await;
    assert_eq!(r.status(), 415);
    assert_eq!(c.get("/echo").send().await.status(), 405);
}

// --- cookies ----------------------------------------------------------------------------

#[tokio::test]
async fn cookies_set_read_delete() {
    let c = client(cookies::app());
    assert_eq!(c.get("/read_cookie").send().await.text(), "Hello, Guest!");
    let r = c.get("/set_cookie").send().await;
    let line = set_cookie(&r, "username").expect("a username cookie");
    assert!(line.starts_with("username=john_doe; expires="), "{line}");
    assert!(
        line.ends_with("; HttpOnly; Max-Age=3600; Path=/; SameSite=Lax"),
        "{line}"
    );
    assert_eq!(
        c.get("/read_cookie").send().await.text(),
        "Hello, john_doe!"
    );
    let r = c.get("/delete_cookie").send().await;
    assert_eq!(
        set_cookie(&r, "username"),
        Some("username=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/")
    );
    assert_eq!(c.get("/read_cookie").send().await.text(), "Hello, Guest!");
}

// --- forms ------------------------------------------------------------------------------

#[tokio::test]
async fn forms_need_the_csrf_token() {
    let c = client(forms::app());
    let r = c.get("/contact").send().await;
    assert_eq!(r.status(), 200);
    let page = r.text();
    let start = page.find("value=\"").expect("a token field") + "value=\"".len();
    let token = &page[start..start + 64];
    assert!(set_cookie(&r, "csrftoken").is_some());

    let r = c.post("/contact").form(&[("name", "Ann")]).send().await;
    assert_eq!(r.status(), 403);
    let r = c
        .post("/contact")
        .form(&[
            ("name", "Ann"),
            ("email", "ann@example.com"),
            ("csrfmiddlewaretoken", token),
        ])
        .send()
        .await;
    assert_eq!(r.status(), 200, "{}", r.text());
    assert_eq!(
        r.text(),
        r#"{"status": "success", "name": "Ann", "email": "ann@example.com"}"#
    );

    // The cookie's unmasked secret is accepted too (what the curl commands send).
    let secret = c.cookies()["csrftoken"].clone();
    assert_eq!(secret.len(), 32);
    let r = c
        .post("/contact")
        .form(&[("name", "Cy"), ("csrfmiddlewaretoken", &secret)])
        .send()
        .await;
    assert_eq!(r.status(), 200, "{}", r.text());

    // The exempt endpoint: no token, no cookie needed; a missing name is a 400.
    let api = client(forms::app());
    let r = api
        .post("/api/contact")
        .form(&[("name", "Bo")])
        .send()
        .await;
    assert_eq!(
        r.text(),
        r#"{"status": "success", "name": "Bo", "email": ""}"#
    );
    let r = api
        .post("/api/contact")
        .form(&[("email", "x")])
        .send()
        .await;
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.text(),
        r#"{"errors": {"name": ["This field is required."]}}"#
    );
}

// --- uploads ----------------------------------------------------------------------------

#[tokio::test]
async fn uploads_are_saved() {
    let c = client(uploads::app());
    let content = b"id,name\n1,Ann\n".repeat(100);
    let r = c
        .post("/upload")
        .multipart(
            &[("note", "first")],
            &[("file", "../people.csv", "text/csv", &content)],
        )
        .send()
        .await;
    assert_eq!(r.status(), 200, "{}", r.text());
    // The client's directories are dropped from the name (Django's sanitize_file_name).
    assert_eq!(
        r.json().unwrap(),
        serde_json::json!({"name": "people.csv", "size": 1400, "content_type": "text/csv", "note": "first"})
    );
    let saved = std::fs::read(uploads::upload_dir().join("people.csv")).unwrap();
    assert_eq!(saved, content);

    let r = c
        .post("/upload")
        .multipart(&[("note", "x")], &[])
        .send()
        .await;
    assert_eq!(r.status(), 400);
    assert_eq!(c.get("/upload").send().await.status(), 405);
}

// --- downloads --------------------------------------------------------------------------

#[tokio::test]
async fn downloads_serve_files() {
    let c = client(downloads::app());
    let on_disk = std::fs::read(downloads::downloads_dir().join("hello.txt")).unwrap();
    let r = c.get("/download/hello.txt").send().await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.content(), &on_disk[..]);
    assert_eq!(r.header("content-type"), Some("text/plain"));
    assert_eq!(
        r.header("content-length"),
        Some(on_disk.len().to_string().as_str())
    );
    assert_eq!(
        r.header("content-disposition"),
        Some("attachment; filename=\"hello.txt\"")
    );

    let r = c.get("/view/report.json").send().await;
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        r.header("content-disposition"),
        Some("inline; filename=\"report.json\"")
    );
    let r = c
        .get("/view/hello.txt")
        .header("Range", "bytes=0-4")
        .send()
        .await;
    assert_eq!((r.status(), r.text()), (206, "Hello".to_owned()));

    assert_eq!(c.get("/download/nope.txt").send().await.status(), 404);
    assert_eq!(
        c.get("/download/..%2FCargo.toml").send().await.status(),
        404
    );
    assert_eq!(c.get("/download/.hidden").send().await.status(), 404);
}

// --- streaming_csv ----------------------------------------------------------------------

#[tokio::test]
async fn streaming_csv_rows() {
    let c = client(streaming_csv::app());
    let r = c.get("/csv?rows=3").send().await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.header("content-type"), Some("text/csv"));
    assert_eq!(r.header("content-length"), None, "a stream has no length");
    assert_eq!(
        r.header("content-disposition"),
        Some("attachment; filename=\"somefilename.csv\"")
    );
    assert_eq!(
        r.text(),
        "Name,Square,Note\r\n\
         Row 0,0,\"say \"\"hi\"\", twice\"\r\n\
         Row 1,1,\"say \"\"hi\"\", twice\"\r\n\
         Row 2,4,\"say \"\"hi\"\", twice\"\r\n"
    );
    let r = c.get("/csv").send().await;
    assert_eq!(r.text().lines().count(), 10_001);
    assert_eq!(c.get("/csv?rows=x").send().await.status(), 400);
    assert_eq!(c.get("/csv?rows=1000001").send().await.status(), 400);
    assert_eq!(streaming_csv::writerow(&["a\nb", "c"]), "\"a\nb\",c\r\n");
}

// --- redirects --------------------------------------------------------------------------

#[tokio::test]
async fn redirects_by_url_and_name() {
    let c = client(redirects::app());
    let r = c.get("/old_view").send().await;
    assert_eq!((r.status(), r.header("location")), (302, Some("/new-url/")));
    let r = c.get("/old_page").send().await;
    assert_eq!(
        (r.status(), r.header("location")),
        (301, Some("/new-page/"))
    );
    let r = c.get("/redirect_view").send().await;
    assert_eq!((r.status(), r.header("location")), (302, Some("/hello")));
    let r = c.get("/old-article/7/").send().await;
    assert_eq!(
        (r.status(), r.header("location")),
        (302, Some("/articles/7/"))
    );
    assert_eq!(c.get("/articles/7/").send().await.text(), "article 7");
    assert_eq!(c.get("/bad").send().await.status(), 400);
}

// --- sessions ---------------------------------------------------------------------------

#[tokio::test]
async fn sessions_in_sqlite() {
    let c = client(sessions::app());
    assert_eq!(
        c.get("/get_session").send().await.text(),
        "Hello Guest! Visits: 0"
    );
    let r = c.get("/set_session").send().await;
    assert_eq!(r.text(), "Session data set");
    let line = set_cookie(&r, "sessionid").expect("a session cookie");
    assert!(
        line.contains("; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax"),
        "{line}"
    );
    let key = c.cookies()["sessionid"].clone();
    assert_eq!(key.len(), 32);
    c.get("/set_session").send().await;
    assert_eq!(
        c.get("/get_session").send().await.text(),
        "Hello john_doe! Visits: 2"
    );

    // The row is in the django_session table of the SQLite file.
    let url = format!("sqlite://{}", sessions::database_path().display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let rows: (i64,) = sqlx::query_as("SELECT count(*) FROM django_session WHERE session_key = ?")
        .bind(&key)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows.0, 1);

    // Another client has its own session.
    let other = client(sessions::app());
    assert_eq!(
        other.get("/get_session").send().await.text(),
        "Hello Guest! Visits: 0"
    );

    let r = c.get("/logout").send().await;
    assert_eq!(
        set_cookie(&r, "sessionid"),
        Some("sessionid=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax")
    );
    let rows: (i64,) = sqlx::query_as("SELECT count(*) FROM django_session WHERE session_key = ?")
        .bind(&key)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows.0, 0);
    assert_eq!(
        c.get("/get_session").send().await.text(),
        "Hello Guest! Visits: 0"
    );
}

// --- content_negotiation ----------------------------------------------------------------

#[tokio::test]
async fn content_negotiation_by_accept() {
    let c = client(content_negotiation::app());
    let r = c
        .get("/message")
        .header("Accept", "application/json")
        .send()
        .await;
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.text(), r#"{"message": "Hello", "status": "ok"}"#);
    assert_eq!(r.header("vary"), Some("Accept"));
    let r = c
        .get("/message")
        .header("Accept", "text/html,*/*;q=0.8")
        .send()
        .await;
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(r.text(), "<p>Message: Hello</p>");
    let r = c
        .get("/message")
        .header("Accept", "text/plain")
        .send()
        .await;
    assert_eq!(
        (r.header("content-type"), r.text()),
        (Some("text/plain"), "Message: Hello".into())
    );
    // No Accept header means */*: the first offer.
    let r = c.get("/message").send().await;
    assert_eq!(r.header("content-type"), Some("application/json"));
    let r = c.get("/message").header("Accept", "image/png").send().await;
    assert_eq!(r.status(), 406);
}

// --- conditional_get --------------------------------------------------------------------

#[tokio::test]
async fn conditional_get_decorators_and_middleware() {
    let c = client(conditional_get::app());
    let r = c.get("/article").send().await;
    assert_eq!((r.status(), r.header("etag")), (200, Some("\"v1\"")));
    let r = c
        .get("/article")
        .header("If-None-Match", "\"v1\"")
        .send()
        .await;
    assert_eq!((r.status(), r.content()), (304, &b""[..]));
    assert_eq!(r.header("etag"), Some("\"v1\""));
    let r = c.put("/article").header("If-Match", "\"v0\"").send().await;
    assert_eq!(r.status(), 412);

    let r = c.get("/news").send().await;
    assert_eq!(
        r.header("last-modified"),
        Some("Thu, 26 Oct 2023 10:00:00 GMT")
    );
    let r = c
        .get("/news")
        .header("If-Modified-Since", "Thu, 26 Oct 2023 10:00:00 GMT")
        .send()
        .await;
    assert_eq!(r.status(), 304);
    let r = c
        .get("/news")
        .header("If-Modified-Since", "Wed, 25 Oct 2023 10:00:00 GMT")
        .send()
        .await;
    assert_eq!((r.status(), r.text()), (200, "News of the day".into()));

    let r = c.get("/latest").send().await;
    assert_eq!(r.header("etag"), Some("\"v1\""));
    assert_eq!(
        r.header("last-modified"),
        Some("Thu, 26 Oct 2023 10:00:00 GMT")
    );

    // ConditionalGetMiddleware: an ETag from the body's MD5, then 304 for it.
    let r = c.get("/plain").send().await;
    let etag = r
        .header("etag")
        .expect("an ETag from the middleware")
        .to_owned();
    let md5 = {
        use md5::{Digest, Md5};
        Md5::digest(b"no validators of its own")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    assert_eq!(etag, format!("\"{md5}\""));
    let r = c.get("/plain").header("If-None-Match", &etag).send().await;
    assert_eq!(r.status(), 304);
}

// --- class_based_views ------------------------------------------------------------------

#[tokio::test]
async fn class_based_views_dispatch() {
    let c = client(class_based_views::app());
    assert_eq!(c.get("/items/7/").send().await.text(), "item 7");
    let r = c.post("/items/7/").form(&[("name", "lamp")]).send().await;
    assert_eq!((r.status(), r.text()), (200, "updated 7: lamp".into()));
    let r = c.delete("/items/7/").send().await;
    assert_eq!(r.status(), 405);
    assert_eq!(r.header("allow"), Some("GET, POST, HEAD, OPTIONS"));
    let r = c.options("/items/7/").send().await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.header("allow"), Some("GET, POST, HEAD, OPTIONS"));
    assert_eq!(r.header("content-length"), Some("0"));
    let r = c.head("/items/7/").send().await;
    assert_eq!((r.status(), r.content()), (200, &b""[..]));

    let r = c.get("/about/").send().await;
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    let page = r.text();
    assert!(page.contains("<title>About - nuages</title>"), "{page}");
    assert!(page.contains("<p>About the CBVs.</p>"), "{page}");

    let r = c.get("/old/7/").send().await;
    assert_eq!((r.status(), r.header("location")), (301, Some("/items/7/")));
    let r = c.get("/go/7/?ref=mail").send().await;
    assert_eq!(
        (r.status(), r.header("location")),
        (302, Some("/items/7/?ref=mail"))
    );
}

// --- templates --------------------------------------------------------------------------

#[tokio::test]
async fn templates_inherit_and_escape() {
    let c = client(templates::app());
    let r = c.get("/").send().await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    let page = r.text();
    assert!(page.starts_with("<!doctype html>"), "{page}");
    assert!(page.contains("<title>Books - nuages</title>"), "{page}");
    assert!(
        page.contains("<nav><a href=\"/\">Home</a> | <a href=\"/about/\">About</a></nav>"),
        "{page}"
    );
    assert!(page.contains("<h1>Hello, world!</h1>"), "{page}");
    assert!(
        page.contains("<li>Django for Beginners (2021)</li>\n  <li>Rust &amp; Web &lt;Servers&gt; (2019)</li>"),
        "{page}"
    );
    assert!(
        page.contains("<input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\""),
        "{page}"
    );
    // Printing csrf_input marks the CSRF cookie as used.
    assert!(set_cookie(&r, "csrftoken").is_some());

    let r = c.get("/").query(&[("name", "<b>Ann</b>")]).send().await;
    assert!(r.text().contains("<h1>Hello, &lt;b&gt;Ann&lt;/b&gt;!</h1>"));
    let r = c.get("/about/").send().await;
    assert!(r.text().contains("<title>About - nuages</title>"));
    assert!(r.text().contains("<p>About us.</p>"));
}

// --- middleware -------------------------------------------------------------------------

#[tokio::test]
async fn middleware_custom_and_builtin() {
    let c = client(middleware::app());
    let r = c.get("/page/").send().await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.header("x-request-count"), Some("1"));
    assert_eq!(r.header("x-debug-server"), Some("nuages"));
    assert_eq!(r.header("x-frame-options"), Some("DENY"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(r.header("referrer-policy"), Some("same-origin"));
    assert_eq!(r.header("cross-origin-opener-policy"), Some("same-origin"));
    assert_eq!(
        c.get("/page/").send().await.header("x-request-count"),
        Some("2")
    );

    // CommonMiddleware's APPEND_SLASH.
    let r = c.get("/page").send().await;
    assert_eq!((r.status(), r.header("location")), (301, Some("/page/")));

    let r = c
        .get("/long/")
        .header("Accept-Encoding", "gzip")
        .send()
        .await;
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_eq!(r.header("vary"), Some("Accept-Encoding"));
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(r.content()), &mut text)
        .unwrap();
    assert_eq!(
        text,
        "All work and no play makes Jack a dull boy. ".repeat(50)
    );
    let r = c.get("/long/").send().await;
    assert_eq!(r.header("content-encoding"), None);

    let r = c.get("/private/").send().await;
    assert_eq!((r.status(), r.text()), (403, "Forbidden".into()));
    // The closure runs inside the counter (counted) and outside XFrameOptionsMiddleware, whose
    // header its own answer does not get.
    assert_eq!(r.header("x-request-count"), Some("6"));
    assert_eq!(r.header("x-frame-options"), None);
}

// --- cors -------------------------------------------------------------------------------

#[tokio::test]
async fn cors_origins_and_preflight() {
    let c = client(cors::app());
    let r = c
        .get("/api/items")
        .header("Origin", "https://example.com")
        .send()
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://example.com")
    );
    assert_eq!(r.header("access-control-allow-credentials"), Some("true"));
    assert_eq!(
        r.header("access-control-expose-headers"),
        Some("X-Total-Count")
    );
    assert_eq!(r.header("vary"), Some("origin"));

    let r = c
        .options("/api/items")
        .header("Origin", "https://example.com")
        .header("Access-Control-Request-Method", "PUT")
        .send()
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.header("content-length"), Some("0"));
    assert_eq!(
        r.header("access-control-allow-methods"),
        Some("DELETE, GET, OPTIONS, PATCH, POST, PUT")
    );
    assert_eq!(r.header("access-control-max-age"), Some("86400"));

    let r = c
        .get("/api/items")
        .header("Origin", "https://evil.example")
        .send()
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.header("access-control-allow-origin"), None);
    let r = c
        .get("/page")
        .header("Origin", "https://example.com")
        .send()
        .await;
    assert_eq!(r.header("access-control-allow-origin"), None);
}

// --- signing ----------------------------------------------------------------------------

#[tokio::test]
async fn signing_cookies_values_and_tokens() {
    let c = client(signing::app());
    assert_eq!(c.get("/color/read").send().await.text(), "No color yet.");
    let r = c.get("/color/set").send().await;
    let line = set_cookie(&r, "color").expect("a color cookie");
    assert!(line.starts_with("color=blue:"), "{line}");
    let value = c.cookies()["color"].clone();
    // Django's format: value:timestamp:signature, the key derived from the name and the salt.
    assert_eq!(value.matches(':').count(), 2, "{value}");
    let checked = nuages::signing::unsign_cookie(
        "color",
        &value,
        "prefs",
        None,
        "examples-signing-secret-key",
        &[] as &[&str],
        nuages::chrono::Utc::now(),
    );
    assert_eq!(checked.ok(), Some("blue"));
    assert_eq!(
        c.get("/color/read").send().await.text(),
        "The value is blue"
    );

    c.set_cookie("color", &value.replace("blue", "red"));
    let r = c.get("/color/read").send().await;
    assert_eq!(
        (r.status(), r.text()),
        (400, "Invalid signed cookie.".into())
    );

    let r = c.get("/sign?value=hello").send().await;
    assert_eq!(
        r.text(),
        nuages::signing::Signer::new("examples-signing-secret-key").sign("hello")
    );
    assert!(r.text().starts_with("hello:"));

    let token = c.get("/token?user=ann").send().await.text();
    let r = c.get("/verify").query(&[("token", &token)]).send().await;
    assert_eq!((r.status(), r.text()), (200, r#"{"user": "ann"}"#.into()));
    let forged = format!("x{token}");
    let r = c.get("/verify").query(&[("token", &forged)]).send().await;
    assert_eq!((r.status(), r.text()), (400, "Bad token.".into()));
    // Older than max_age (600 s): expired.
    let old = nuages::signing::dumps_at(
        &serde_json::json!({"user": "ann"}),
        "examples-signing-secret-key",
        "tokens",
        true,
        nuages::chrono::Utc::now() - nuages::chrono::TimeDelta::minutes(11),
    )
    .unwrap();
    let r = c.get("/verify").query(&[("token", &old)]).send().await;
    assert_eq!((r.status(), r.text()), (400, "Token expired.".into()));
    // A token signed with another salt is refused too.
    let other = nuages::signing::dumps(
        &serde_json::json!({"user": "ann"}),
        "examples-signing-secret-key",
        "other",
        true,
    )
    .unwrap();
    let r = c.get("/verify").query(&[("token", &other)]).send().await;
    assert_eq!(r.status(), 400);
}

//! The DEBUG pages (Django's `technical_404_response` and `technical_500_response`): the URL
//! patterns tried (with their names) when nothing matched, the view that raised `Http404` when
//! one did; the request information (GET, POST, FILES, COOKIES, META) and the settings of the
//! 500 page, with secrets masked as Django's `SafeExceptionReporterFilter` masks them; and none
//! of it when DEBUG is off.

use nuages::middleware::{Middleware, Next};
use nuages::test::Client;
use nuages::urls::{include, path};
use nuages::{App, Http404, HttpRequest, HttpResponse, Result, Settings};

const SECRET_KEY: &str = "debug-pages-secret-key-value";
const SESSION: &str = "session-cookie-value-0123";
const CSRF: &str = "csrf-cookie-value-4567";
const AUTHORIZATION: &str = "Bearer authorization-value-89ab";
const API_KEY: &str = "api-key-value-cdef";
const USER_AGENT: &str = "nuages-debug-test-agent/1.0";
/// Django's `cleansed_substitute` as the page's `pprint` shows it (a quoted string, escaped).
const MASK: &str = "&#x27;********************&#x27;";

async fn book(_req: HttpRequest, id: i64) -> Result<HttpResponse> {
    if id == 1 {
        return Ok(HttpResponse::new("the book"));
    }
    Err(Http404::new("No Book matches the given query.").into())
}

async fn boom(_req: HttpRequest) -> Result<HttpResponse> {
    Err(std::io::Error::other("the view failed").into())
}

/// Reads the form (and files), then fails.
async fn form_then_boom(req: HttpRequest) -> Result<HttpResponse> {
    let fields = req.form().await?.len();
    let files = req.files().await?.len();
    Err(std::io::Error::other(format!("failed after {fields} fields and {files} files")).into())
}

fn settings(debug: bool) -> Settings {
    Settings {
        debug,
        secret_key: SECRET_KEY.into(),
        allowed_hosts: vec!["localhost".into()],
        ..Settings::default()
    }
}

fn client_with(settings: Settings) -> Client {
    let app = App::builder()
        .settings(settings)
        .urls(vec![
            path("books/<int:id>/", book).name("book"),
            path("boom/", boom),
            path("form/", form_then_boom).name("form"),
            path("shop/", include([path("items/", boom).name("items")])),
        ])
        .build()
        .expect("valid configuration");
    Client::new(app).default_header("host", "localhost")
}

fn client(debug: bool) -> Client {
    client_with(settings(debug))
}

/// The page's row for `name`: `<tr><td>name</td><td class="code"><pre>value</pre></td></tr>`.
fn row(name: &str, value: &str) -> String {
    format!("<tr><td>{name}</td><td class=\"code\"><pre>{value}</pre></td></tr>")
}

/// The request of the 500 tests: a query string, cookies (the session and CSRF ones among
/// them) and secret headers.
async fn failing_request(client: &Client) -> nuages::test::TestResponse {
    client
        .get("/boom/?q=rust&tag=first-tag&tag=last-tag")
        .header(
            "cookie",
            &format!("sessionid={SESSION}; csrftoken={CSRF}; theme=dark"),
        )
        .header("authorization", AUTHORIZATION)
        .header("x-api-key", API_KEY)
        .header("user-agent", USER_AGENT)
        .send()
        .await
}

#[tokio::test]
async fn unmatched_path_lists_the_patterns_tried_with_their_names() {
    let r = client(true).get("/nothing/here").send().await;
    assert_eq!(r.status(), 404);
    let page = r.text();
    assert!(
        page.contains("<title>Page not found at /nothing/here</title>"),
        "{page}"
    );
    // technical_404.html: `[name='…']` after the last pattern of a named row; the quotes are
    // the template's own text (only the name is escaped).
    assert!(
        page.contains("<li><code>books/&lt;int:id&gt;/ [name='book']</code></li>"),
        "{page}"
    );
    assert!(page.contains("<li><code>boom/</code></li>"), "{page}");
    // An include whose prefix did not match is one row, as in Django (no name: a resolver).
    assert!(page.contains("<li><code>shop/</code></li>"), "{page}");
    assert!(
        page.contains("The current path, <code>nothing/here</code>, didn’t match any of these.")
    );
    assert!(!page.contains("Raised by:"), "{page}");
    // Under a matching prefix, a row is the chain of patterns; the name follows the last one.
    let page = client(true).get("/shop/nothing").send().await.text();
    assert!(
        page.contains("<li><code>shop/</code> <code>items/ [name='items']</code></li>"),
        "{page}"
    );
    assert!(
        page.contains("The current path, <code>shop/nothing</code>, didn’t match any of these."),
        "{page}"
    );
}

#[tokio::test]
async fn the_empty_path_is_named_so() {
    let page = client(true).get("/").send().await.text();
    assert!(
        page.contains("The empty path didn’t match any of these."),
        "{page}"
    );
}

#[tokio::test]
async fn a_view_raising_http404_is_named() {
    let r = client(true).get("/books/2/").send().await;
    assert_eq!(r.status(), 404);
    let page = r.text();
    assert!(page.contains("<tr><th>Raised by:</th><td>"), "{page}");
    assert!(page.contains("book</td></tr>"), "{page}");
    assert!(page.contains("No Book matches the given query."), "{page}");
    assert!(!page.contains("tried these URL patterns"), "{page}");
}

#[tokio::test]
async fn debug_off_shows_the_standard_404_page() {
    for uri in ["/nothing/here", "/books/2/"] {
        let r = client(false).get(uri).send().await;
        assert_eq!(r.status(), 404);
        let page = r.text();
        assert!(!page.contains("Raised by:"), "{page}");
        assert!(!page.contains("URL patterns"), "{page}");
        assert!(!page.contains("[name="), "{page}");
        assert!(!page.contains("DEBUG = True"), "{page}");
    }
}

#[tokio::test]
async fn the_500_page_shows_the_request_information() {
    let r = failing_request(&client(true)).await;
    assert_eq!(r.status(), 500);
    let page = r.text();
    assert!(page.contains("the view failed"), "{page}");
    assert!(page.contains("<h2>Request information</h2>"), "{page}");
    assert!(
        page.contains("<td>http://localhost/boom/?q=rust&amp;tag=first-tag&amp;tag=last-tag</td>"),
        "{page}"
    );
    assert!(page.contains("<tr><th>Raised during:</th><td>"), "{page}");
    // GET: every key with its last value, as Django's `request.GET.items()`.
    assert!(page.contains(&row("q", "&#x27;rust&#x27;")), "{page}");
    assert!(page.contains(&row("tag", "&#x27;last-tag&#x27;")), "{page}");
    assert!(!page.contains("first-tag&#x27;"), "{page}");
    // A GET has no POST or FILES.
    assert!(page.contains("<p>No POST data</p>"), "{page}");
    assert!(page.contains("<p>No FILES data</p>"), "{page}");
    // COOKIES: the names, in the order sent; the session and CSRF cookies masked.
    let cookies = [
        row("sessionid", MASK),
        row("csrftoken", MASK),
        row("theme", "&#x27;dark&#x27;"),
    ];
    let at: Vec<usize> = cookies
        .iter()
        .map(|c| {
            page.find(c.as_str())
                .unwrap_or_else(|| panic!("{c}\n{page}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{page}");
    // META in Django's spelling, sorted by key; the secret headers masked.
    let meta = [
        row("HTTP_AUTHORIZATION", MASK),
        row("HTTP_COOKIE", MASK),
        row("HTTP_HOST", "&#x27;localhost&#x27;"),
        row("HTTP_USER_AGENT", &format!("&#x27;{USER_AGENT}&#x27;")),
        row("HTTP_X_API_KEY", MASK),
        row("PATH_INFO", "&#x27;/boom/&#x27;"),
        row(
            "QUERY_STRING",
            "&#x27;q=rust&amp;tag=first-tag&amp;tag=last-tag&#x27;",
        ),
        row("REQUEST_METHOD", "&#x27;GET&#x27;"),
        row("SERVER_NAME", "&#x27;testserver&#x27;"),
    ];
    let at: Vec<usize> = meta
        .iter()
        .map(|m| {
            page.find(m.as_str())
                .unwrap_or_else(|| panic!("{m}\n{page}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{page}");
}

#[tokio::test]
async fn the_500_page_shows_the_settings_masked_and_sorted() {
    let page = failing_request(&client(true)).await.text();
    assert!(
        page.contains("<h3 id=\"settings-info\">Settings</h3>"),
        "{page}"
    );
    let settings = [
        row("ALLOWED_HOSTS", "[&quot;localhost&quot;]"),
        row("CACHE_KEY_PREFIX", "********************"),
        row("DEBUG", "true"),
        row("SECRET_KEY", "********************"),
        row("SECRET_KEY_FALLBACKS", "********************"),
        row("SESSION_COOKIE_NAME", "&quot;sessionid&quot;"),
    ];
    let at: Vec<usize> = settings
        .iter()
        .map(|s| {
            page.find(s.as_str())
                .unwrap_or_else(|| panic!("{s}\n{page}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{page}");
}

#[tokio::test]
async fn the_500_page_never_shows_the_secrets() {
    let page = failing_request(&client(true)).await.text();
    for secret in [
        SECRET_KEY,
        SESSION,
        CSRF,
        AUTHORIZATION,
        "authorization-value",
        API_KEY,
    ] {
        assert!(!page.contains(secret), "{secret} shown:\n{page}");
    }
    assert!(page.contains(MASK), "{page}");
}

#[tokio::test]
async fn a_custom_session_cookie_name_is_masked() {
    let c = client_with(Settings {
        session_cookie_name: "my_site_session".into(),
        ..settings(true)
    });
    let page = c
        .get("/boom/")
        .header(
            "cookie",
            "my_site_session=s3ss10n; sessionid=not-the-session",
        )
        .send()
        .await
        .text();
    assert!(page.contains(&row("my_site_session", MASK)), "{page}");
    assert!(!page.contains("s3ss10n"), "{page}");
    // Only SESSION_COOKIE_NAME is; another `sessionid` is an ordinary cookie.
    assert!(
        page.contains(&row("sessionid", "&#x27;not-the-session&#x27;")),
        "{page}"
    );
}

#[tokio::test]
async fn debug_off_shows_none_of_it() {
    let r = failing_request(&client(false)).await;
    assert_eq!(r.status(), 500);
    let page = r.text();
    assert!(page.contains("<h1>Server Error (500)</h1>"), "{page}");
    for shown in [
        SECRET_KEY,
        SESSION,
        CSRF,
        API_KEY,
        "authorization-value",
        USER_AGENT,
        "the view failed",
        "Request information",
        "rust",
        "sessionid",
        "HTTP_",
        "********************",
        "DEBUG = True",
    ] {
        assert!(!page.contains(shown), "{shown} shown:\n{page}");
    }
}

#[tokio::test]
async fn the_500_page_shows_the_post_and_files_the_view_parsed() {
    let page = client(true)
        .post("/form/")
        .form(&[
            ("title", "first"),
            ("title", "last"),
            ("password", "hunter2"),
        ])
        .send()
        .await
        .text();
    assert!(page.contains("failed after 2 fields and 0 files"), "{page}");
    assert!(page.contains(&row("title", "&#x27;last&#x27;")), "{page}");
    // As in Django, whose filter is not active with DEBUG on: POST values are shown as sent.
    assert!(
        page.contains(&row("password", "&#x27;hunter2&#x27;")),
        "{page}"
    );
    assert!(page.contains("<p>No FILES data</p>"), "{page}");

    let page = client(true)
        .post("/form/")
        .multipart(
            &[("title", "notes")],
            &[("doc", "a.txt", "text/plain", b"hello")],
        )
        .send()
        .await
        .text();
    assert!(page.contains("failed after 1 fields and 1 files"), "{page}");
    assert!(page.contains(&row("title", "&#x27;notes&#x27;")), "{page}");
    assert!(
        page.contains(&row(
            "doc",
            "&lt;InMemoryUploadedFile: a.txt (text/plain)&gt;"
        )),
        "{page}"
    );
}

#[tokio::test]
async fn a_form_nobody_read_is_not_available() {
    let page = client(true)
        .post("/boom/")
        .form(&[("title", "unread-title")])
        .send()
        .await
        .text();
    assert!(
        page.contains(
            "<p>POST data not available: the request body was not read before the error</p>"
        ),
        "{page}"
    );
    assert!(page.contains("<p>No FILES data</p>"), "{page}");
    assert!(!page.contains("unread-title"), "{page}");
    // A body that is not a form is no POST data, as in Django.
    let page = client(true)
        .post("/boom/")
        .json(&serde_json::json!({"a": 1}))
        .send()
        .await
        .text();
    assert!(page.contains("<p>No POST data</p>"), "{page}");
}

/// Reads the form before the view, as CsrfViewMiddleware does.
struct ReadsTheForm;

impl Middleware for ReadsTheForm {
    async fn call(&self, request: HttpRequest, next: Next<'_>) -> Result<HttpResponse> {
        request.form().await?;
        Ok(next.run(request).await)
    }
}

#[tokio::test]
async fn a_form_a_middleware_read_is_shown() {
    let app = App::builder()
        .settings(settings(true))
        .middleware(ReadsTheForm)
        .urls(vec![path("boom/", boom)])
        .build()
        .expect("valid configuration");
    let page = Client::new(app)
        .default_header("host", "localhost")
        .post("/boom/")
        .form(&[("title", "read-by-the-middleware")])
        .send()
        .await
        .text();
    assert!(page.contains("the view failed"), "{page}");
    assert!(
        page.contains(&row("title", "&#x27;read-by-the-middleware&#x27;")),
        "{page}"
    );
}

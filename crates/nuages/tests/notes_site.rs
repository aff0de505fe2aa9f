//! The `notes_site` example driven through the test client: pages, CSRF, post/redirect/get,
//! delete, upload, the JSON API, static files, and sessions kept in SQLite across two
//! applications built on the same database file.

#[allow(dead_code)]
#[path = "../../../examples/notes_site/main.rs"]
mod notes_site;

use nuages::test::{Client, TestResponse};
use serde_json::json;

use notes_site::{app, settings, Config};

/// A DEBUG configuration on a fresh SQLite file in `dir`.
fn config(dir: &tempfile::TempDir) -> Config {
    Config {
        debug: true,
        db: dir.path().join("sessions.sqlite3"),
        secret_key: Some("notes-site-test-key".into()),
        ..Config::default()
    }
}

fn client(config: &Config) -> Client {
    Client::new(app(config).expect("valid configuration"))
}

/// The `csrfmiddlewaretoken` of the first form in a page.
fn csrf_token(page: &TestResponse) -> String {
    let html = page.text();
    let marker = "name=\"csrfmiddlewaretoken\" value=\"";
    let start = html.find(marker).expect("a CSRF field") + marker.len();
    let end = html[start..].find('"').expect("end of the value") + start;
    html[start..end].to_owned()
}

/// GETs `page` and returns the CSRF token its form carries (the cookie is kept).
async fn token_from(client: &Client, page: &str) -> String {
    let resp = client.get(page).send().await;
    assert_eq!(resp.status(), 200, "{page}");
    csrf_token(&resp)
}

async fn add_note(client: &Client, text: &str) -> TestResponse {
    let token = token_from(client, "/notes/add/").await;
    client
        .post("/notes/add/")
        .form(&[("csrfmiddlewaretoken", &token), ("text", text)])
        .send()
        .await
}

async fn upload(
    client: &Client,
    filename: &str,
    content_type: &str,
    content: &[u8],
) -> TestResponse {
    let token = token_from(client, "/upload/").await;
    client
        .post("/upload/")
        .multipart(
            &[("csrfmiddlewaretoken", &token)],
            &[("file", filename, content_type, content)],
        )
        .send()
        .await
}

#[tokio::test]
async fn home_page_renders_the_base_template_with_the_startproject_headers() {
    let dir = tempfile::tempdir().unwrap();
    let resp = client(&config(&dir)).get("/").send().await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = resp.text();
    assert!(
        html.contains("<title>Your notes · notes_site</title>"),
        "{html}"
    );
    assert!(html.contains("No notes yet."), "{html}");
    assert!(html.contains(r#"href="/static/notes.css""#), "{html}");
    assert!(
        html.contains(r#"<a href="/notes/add/">Add a note</a>"#),
        "{html}"
    );
    // SecurityMiddleware and XFrameOptionsMiddleware.
    assert_eq!(resp.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(resp.header("referrer-policy"), Some("same-origin"));
    assert_eq!(resp.header("x-frame-options"), Some("DENY"));
}

#[tokio::test]
async fn common_middleware_appends_the_slash() {
    let dir = tempfile::tempdir().unwrap();
    let resp = client(&config(&dir)).get("/about").send().await;
    assert_eq!(resp.status(), 301);
    assert_eq!(resp.header("location"), Some("/about/"));
}

#[tokio::test]
async fn posting_a_note_without_the_csrf_token_is_forbidden() {
    let dir = tempfile::tempdir().unwrap();
    let client = client(&config(&dir));
    let resp = client
        .post("/notes/add/")
        .form(&[("text", "sneaky")])
        .send()
        .await;
    assert_eq!(resp.status(), 403);
    // With the cookie but a wrong token: still refused.
    token_from(&client, "/notes/add/").await;
    let resp = client
        .post("/notes/add/")
        .form(&[
            ("csrfmiddlewaretoken", "x".repeat(64).as_str()),
            ("text", "sneaky"),
        ])
        .send()
        .await;
    assert_eq!(resp.status(), 403);
    assert!(!client.get("/").send().await.text().contains("sneaky"));
}

#[tokio::test]
async fn a_valid_note_redirects_home_and_is_listed_with_a_flash_message() {
    let dir = tempfile::tempdir().unwrap();
    let client = client(&config(&dir));
    let resp = add_note(&client, "  buy <milk>  ").await;
    assert_eq!(resp.status(), 302);
    assert_eq!(resp.header("location"), Some("/"));
    let html = client.get("/").send().await.text();
    assert!(
        html.contains(r#"<span class="text">buy &lt;milk&gt;</span>"#),
        "{html}"
    );
    assert!(html.contains("<li>Note 1 added.</li>"), "{html}");
    assert!(html.contains(r#"action="/notes/1/delete/""#), "{html}");
    // The flash message is shown once.
    let html = client.get("/").send().await.text();
    assert!(!html.contains("Note 1 added."), "{html}");
    assert!(html.contains("buy &lt;milk&gt;"), "{html}");
}

#[tokio::test]
async fn an_invalid_note_shows_the_form_again_with_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let client = client(&config(&dir));
    let resp = add_note(&client, "   ").await;
    assert_eq!(resp.status(), 200);
    let html = resp.text();
    assert!(
        html.contains(r#"<p class="error">This field is required.</p>"#),
        "{html}"
    );
    assert!(html.contains(r#"name="csrfmiddlewaretoken""#), "{html}");

    let long = "é".repeat(501);
    let resp = add_note(&client, &long).await;
    assert_eq!(resp.status(), 200);
    let html = resp.text();
    assert!(
        html.contains("Ensure this value has at most 500 characters (it has 501)."),
        "{html}"
    );
    // The text typed is kept in the form.
    assert!(html.contains(&long), "the textarea keeps the input");
    assert!(client
        .get("/")
        .send()
        .await
        .text()
        .contains("No notes yet."));
}

#[tokio::test]
async fn deleting_a_note_needs_post_and_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let client = client(&config(&dir));
    assert_eq!(add_note(&client, "first").await.status(), 302);
    assert_eq!(add_note(&client, "second").await.status(), 302);

    assert_eq!(client.get("/notes/1/delete/").send().await.status(), 405);
    assert_eq!(client.post("/notes/1/delete/").send().await.status(), 403);

    let token = token_from(&client, "/").await;
    let resp = client
        .post("/notes/1/delete/")
        .form(&[("csrfmiddlewaretoken", &token)])
        .send()
        .await;
    assert_eq!(resp.status(), 302);
    assert_eq!(resp.header("location"), Some("/"));
    let html = client.get("/").send().await.text();
    assert!(!html.contains(">first<"), "{html}");
    assert!(html.contains(">second<"), "{html}");
    assert!(html.contains("Note 1 deleted."), "{html}");

    let resp = client
        .post("/notes/1/delete/")
        .form(&[("csrfmiddlewaretoken", &token)])
        .send()
        .await;
    assert_eq!(resp.status(), 404);
}

#[tokio::test]
async fn an_uploaded_text_file_is_listed_afterwards() {
    let dir = tempfile::tempdir().unwrap();
    let client = client(&config(&dir));
    let resp = upload(&client, "hello.txt", "text/plain", b"hello <world>\n").await;
    assert_eq!(resp.status(), 302);
    assert_eq!(resp.header("location"), Some("/upload/"));
    let html = client.get("/upload/").send().await.text();
    assert!(html.contains("<li>Uploaded hello.txt.</li>"), "{html}");
    assert!(
        html.contains("<strong>hello.txt</strong> (text/plain, 14 bytes)"),
        "{html}"
    );
    assert!(html.contains("<pre>hello &lt;world&gt;\n</pre>"), "{html}");

    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert_eq!(
        upload(&client, "dot.png", "image/png", png).await.status(),
        302
    );
    let html = client.get("/upload/").send().await.text();
    assert!(
        html.contains("<strong>dot.png</strong> (image/png, 16 bytes)"),
        "{html}"
    );
    assert!(html.contains("<strong>hello.txt</strong>"), "{html}");
}

#[tokio::test]
async fn bad_uploads_are_refused_with_an_error_on_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let client = client(&config(&dir));
    let big = vec![b'a'; 64 * 1024 + 1];
    let resp = upload(&client, "big.txt", "text/plain", &big).await;
    assert_eq!(resp.status(), 200);
    assert!(
        resp.text()
            .contains("The file is too large (65537 bytes; at most 65536)."),
        "{}",
        resp.text()
    );
    let resp = upload(&client, "x.zip", "application/zip", b"PK").await;
    assert_eq!(resp.status(), 200);
    assert!(resp
        .text()
        .contains("Only text and image files are accepted, not application/zip."));
    let resp = upload(&client, "empty.txt", "text/plain", b"").await;
    assert_eq!(resp.status(), 200);
    assert!(resp.text().contains("The submitted file is empty."));
    // Without the CSRF token the upload never reaches the view.
    let resp = client
        .post("/upload/")
        .multipart(
            &[("csrfmiddlewaretoken", "")],
            &[("file", "a.txt", "text/plain", b"a")],
        )
        .send()
        .await;
    assert_eq!(resp.status(), 403);
    assert!(client
        .get("/upload/")
        .send()
        .await
        .text()
        .contains("Nothing uploaded yet."));
}

#[tokio::test]
async fn the_json_api_lists_and_adds_notes() {
    let dir = tempfile::tempdir().unwrap();
    let client = client(&config(&dir));
    let resp = client.get("/api/notes/").send().await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.header("content-type"), Some("application/json"));
    assert_eq!(resp.json().unwrap(), json!({"notes": []}));

    // csrf_exempt: no token needed, but the body must be JSON.
    let resp = client
        .post("/api/notes/")
        .json(&json!({"text": "from the API"}))
        .send()
        .await;
    assert_eq!(resp.status(), 201);
    assert_eq!(resp.header("location"), Some("/api/notes/"));
    let note = resp.json().unwrap();
    assert_eq!(note["id"], 1);
    assert_eq!(note["text"], "from the API");

    let resp = client.get("/api/notes/").send().await;
    assert_eq!(resp.json().unwrap()["notes"][0]["text"], "from the API");
    assert!(client.get("/").send().await.text().contains("from the API"));

    let resp = client
        .post("/api/notes/")
        .json(&json!({"text": ""}))
        .send()
        .await;
    assert_eq!(resp.status(), 400);
    assert_eq!(
        resp.json().unwrap(),
        json!({"errors": {"text": ["This field is required."]}})
    );
    let resp = client
        .post("/api/notes/")
        .content_type("application/json")
        .body("{not json")
        .send()
        .await;
    assert_eq!(resp.status(), 400);
    assert_eq!(resp.json().unwrap(), json!({"error": "Invalid JSON."}));
    // A cross-site form can only send form encodings: refused.
    let resp = client
        .post("/api/notes/")
        .form(&[("text", "forged")])
        .send()
        .await;
    assert_eq!(resp.status(), 415);
    // require_http_methods(["GET", "POST"]).
    let resp = client.delete("/api/notes/").send().await;
    assert_eq!(resp.status(), 405);
    assert_eq!(resp.header("allow"), Some("GET, POST"));
    assert_eq!(
        client.get("/api/notes/").send().await.json().unwrap()["notes"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn static_files_are_served_in_debug_only() {
    let dir = tempfile::tempdir().unwrap();
    let resp = client(&config(&dir)).get("/static/notes.css").send().await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.header("content-type"), Some("text/css"));
    assert!(resp.text().contains("font-family"));
    let resp = client(&config(&dir))
        .get("/static/missing.css")
        .send()
        .await;
    assert_eq!(resp.status(), 404);

    let production = Config {
        debug: false,
        ..config(&dir)
    };
    let resp = client(&production).get("/static/notes.css").send().await;
    assert_eq!(resp.status(), 404);
}

#[tokio::test]
async fn sessions_persist_in_sqlite_across_two_apps_on_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(&dir);
    let first = client(&config);
    assert_eq!(add_note(&first, "kept on disk").await.status(), 302);
    let sessionid = first.cookies()["sessionid"].clone();
    assert!(config.db.is_file(), "the SQLite file exists");
    drop(first);

    let second = client(&config);
    second.set_cookie("sessionid", &sessionid);
    let html = second.get("/").send().await.text();
    assert!(html.contains("kept on disk"), "{html}");

    // Another database file knows nothing of that session.
    let other_dir = tempfile::tempdir().unwrap();
    let third = client(&self::config(&other_dir));
    third.set_cookie("sessionid", &sessionid);
    assert!(third.get("/").send().await.text().contains("No notes yet."));
}

#[test]
fn the_secret_key_has_a_development_default_only_in_debug() {
    let dir = tempfile::tempdir().unwrap();
    let without_key = Config {
        secret_key: None,
        ..config(&dir)
    };
    assert!(!settings(&without_key).unwrap().secret_key.is_empty());
    let production = Config {
        debug: false,
        ..without_key
    };
    assert!(settings(&production)
        .unwrap_err()
        .contains("NOTES_SECRET_KEY"));
    assert!(app(&production).is_err());
}

#[test]
fn the_command_line_sets_debug_the_database_and_the_address() {
    let args = [
        "--debug",
        "--db",
        "/tmp/x.sqlite3",
        "--addr",
        "0.0.0.0:9000",
    ];
    let config = Config::from_args(args.map(String::from)).unwrap();
    assert!(config.debug);
    assert_eq!(config.db, std::path::PathBuf::from("/tmp/x.sqlite3"));
    assert_eq!(config.addr, "0.0.0.0:9000");
    assert!(settings(&config).unwrap().database_url == "sqlite:///tmp/x.sqlite3");
    assert!(Config::from_args(["--db".to_owned()]).is_err());
    assert!(Config::from_args(["--nope".to_owned()]).is_err());
    let default = Config::from_args(Vec::new()).unwrap();
    assert!(!default.debug);
    assert!(default.db.starts_with(std::env::temp_dir()));
}

#[tokio::test]
async fn a_body_over_the_size_limit_is_refused_before_any_view() {
    let dir = tempfile::tempdir().unwrap();
    let client = client(&config(&dir));
    let token = token_from(&client, "/upload/").await;
    let big = vec![b'a'; 1024 * 1024 + 1];
    let resp = client
        .post("/upload/")
        .multipart(
            &[("csrfmiddlewaretoken", &token)],
            &[("file", "huge.txt", "text/plain", &big[..])],
        )
        .send()
        .await;
    assert_eq!(resp.status(), 413);
    assert_eq!(resp.text(), "Request body too large.");
    assert_eq!(resp.header("x-content-type-options"), Some("nosniff"));
    assert!(client
        .get("/upload/")
        .send()
        .await
        .text()
        .contains("Nothing uploaded yet."));
}

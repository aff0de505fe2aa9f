//! The DEBUG 404 page (Django's `technical_404_response`): the URL patterns tried when nothing
//! matched, the view that raised `Http404` when one did, and neither when DEBUG is off.

use nuages::test::Client;
use nuages::urls::path;
use nuages::{App, Http404, HttpRequest, HttpResponse, Result, Settings};

async fn book(_req: HttpRequest, id: i64) -> Result<HttpResponse> {
    if id == 1 {
        return Ok(HttpResponse::new("the book"));
    }
    Err(Http404::new("No Book matches the given query.").into())
}

fn client(debug: bool) -> Client {
    let app = App::builder()
        .settings(Settings {
            debug,
            secret_key: "debug-pages-test".into(),
            allowed_hosts: vec!["localhost".into()],
            ..Settings::default()
        })
        .urls(vec![path("books/<int:id>/", book).name("book")])
        .build()
        .expect("valid configuration");
    Client::new(app).default_header("host", "localhost")
}

#[tokio::test]
async fn unmatched_path_lists_the_patterns_tried() {
    let r = client(true).get("/nothing/here").send().await;
    assert_eq!(r.status(), 404);
    let page = r.text();
    assert!(
        page.contains("<title>Page not found at /nothing/here</title>"),
        "{page}"
    );
    assert!(page.contains("<li>books/&lt;int:id&gt;/"), "{page}");
    assert!(
        page.contains("The current path, <code>nothing/here</code>, didn’t match any of these.")
    );
    assert!(!page.contains("Raised by:"), "{page}");
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
async fn debug_off_shows_the_standard_page() {
    for uri in ["/nothing/here", "/books/2/"] {
        let r = client(false).get(uri).send().await;
        assert_eq!(r.status(), 404);
        let page = r.text();
        assert!(!page.contains("Raised by:"), "{page}");
        assert!(!page.contains("URL patterns"), "{page}");
        assert!(!page.contains("DEBUG = True"), "{page}");
    }
}

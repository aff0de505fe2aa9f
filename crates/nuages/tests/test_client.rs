//! The test client's multipart bodies (Django's `encode_multipart`) and its removal of the
//! body of HEAD, 1xx, 204 and 304 responses (Django's `conditional_content_removal`).

use http::StatusCode;
use nuages::test::{encode_multipart, Client, BOUNDARY, MULTIPART_CONTENT};
use nuages::urls::path;
use nuages::views::decorators::csrf::csrf_exempt;
use nuages::{App, HttpRequest, HttpResponse, Result, Settings};

async fn upload(req: HttpRequest) -> Result<HttpResponse> {
    let post = req.form().await?;
    let files = req.files().await?;
    let mut out = format!("ct={}\n", req.content_type());
    for (k, v) in post.items() {
        out.push_str(&format!("field {k}={v}\n"));
    }
    for (field, list) in files.lists() {
        for f in list {
            let data = f.read_all().await?;
            out.push_str(&format!(
                "file {field}: {} {} {}\n",
                f.name(),
                f.content_type(),
                String::from_utf8_lossy(&data)
            ));
        }
    }
    Ok(HttpResponse::new(out))
}

async fn page(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("a body")
}

async fn not_modified(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("stale").with_status(StatusCode::NOT_MODIFIED)
}

async fn no_content(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("nothing").with_status(StatusCode::NO_CONTENT)
}

async fn stream(_req: HttpRequest) -> HttpResponse {
    HttpResponse::streaming_iter(["a", "b"].map(bytes::Bytes::from))
}

fn client() -> Client {
    let app = App::builder()
        .settings(Settings {
            debug: true,
            ..Settings::default()
        })
        .urls(vec![
            path("upload", csrf_exempt(upload)),
            path("page", page),
            path("304", not_modified),
            path("204", no_content),
            path("stream", stream),
        ])
        .build()
        .expect("valid configuration");
    Client::new(app)
}

#[test]
fn encode_multipart_matches_django() {
    // django.test.client.encode_multipart(BOUNDARY, {"name": "Ann", "f": SimpleUploadedFile(
    // "notes.txt", b"hi", "text/plain")}).
    let body = encode_multipart(
        BOUNDARY,
        &[("name", "Ann")],
        &[("f", "notes.txt", "text/plain", b"hi")],
    );
    let expected = "--BoUnDaRyStRiNg\r\n\
        Content-Disposition: form-data; name=\"name\"\r\n\r\nAnn\r\n\
        --BoUnDaRyStRiNg\r\n\
        Content-Disposition: form-data; name=\"f\"; filename=\"notes.txt\"\r\n\
        Content-Type: text/plain\r\n\r\nhi\r\n\
        --BoUnDaRyStRiNg--\r\n";
    assert_eq!(std::str::from_utf8(&body).unwrap(), expected);
    assert_eq!(
        MULTIPART_CONTENT,
        "multipart/form-data; boundary=BoUnDaRyStRiNg"
    );
}

#[test]
fn encode_multipart_guesses_type_and_names() {
    // No content type: guessed from the name; no file name: the field's; a path: its basename.
    let body = encode_multipart(
        "B",
        &[],
        &[
            ("a", "dir/pic.png", "", b"1"),
            ("b", "", "", b"2"),
            ("c", "x.unknownext", "", b"3"),
        ],
    );
    let text = String::from_utf8(body.to_vec()).unwrap();
    assert!(text.contains("name=\"a\"; filename=\"pic.png\"\r\nContent-Type: image/png\r\n"));
    assert!(
        text.contains("name=\"b\"; filename=\"b\"\r\nContent-Type: application/octet-stream\r\n")
    );
    assert!(
        text.contains("filename=\"x.unknownext\"\r\nContent-Type: application/octet-stream\r\n")
    );
    assert!(text.ends_with("\r\n3\r\n--B--\r\n"));
}

#[tokio::test]
async fn multipart_reaches_post_and_files() {
    let resp = client()
        .post("/upload")
        .multipart(
            &[("title", "Report"), ("tag", "a"), ("tag", "b")],
            &[
                ("doc", "r.txt", "text/plain", b"line 1\nline 2"),
                ("doc", "s.csv", "", b"x,y"),
            ],
        )
        .send()
        .await;
    assert_eq!(resp.status(), 200, "{}", resp.text());
    assert_eq!(
        resp.text(),
        "ct=multipart/form-data\n\
         field title=Report\nfield tag=b\n\
         file doc: r.txt text/plain line 1\nline 2\n\
         file doc: s.csv text/csv x,y\n"
    );
}

#[tokio::test]
async fn head_responses_have_no_body() {
    let c = client();
    let get = c.get("/page").send().await;
    assert_eq!(get.text(), "a body");
    let head = c.head("/page").send().await;
    assert_eq!(head.status(), 200);
    assert_eq!(head.content(), b"");
    // The headers stay, Content-Length included, as Django's test client keeps them.
    assert_eq!(head.header("content-length"), get.header("content-length"));
    let head = c.head("/stream").send().await;
    assert_eq!(head.content(), b"");
    assert_eq!(c.get("/stream").send().await.text(), "ab");
}

#[tokio::test]
async fn no_body_for_304_and_204() {
    let c = client();
    let r = c.get("/304").send().await;
    assert_eq!((r.status(), r.content()), (304, &b""[..]));
    let r = c.get("/204").send().await;
    assert_eq!((r.status(), r.content()), (204, &b""[..]));
}

#[tokio::test]
async fn content_removal_can_be_turned_off() {
    let raw = client().conditional_content_removal(false);
    assert_eq!(raw.head("/page").send().await.content(), b"a body");
    assert_eq!(raw.get("/304").send().await.content(), b"stale");
    assert_eq!(raw.head("/stream").send().await.content(), b"ab");
}

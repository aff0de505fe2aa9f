//! The request as a file (Django's `read`, `readline`, `readlines`), `RawPostDataException`
//! (rule 44 of the spec's request section), and `request.urlconf` per request.

use std::sync::Arc;

use nuages::http::request::RawPostDataException;
use nuages::test::{Client, RequestFactory};
use nuages::urls::{path, RequestUrlsExt, Urls};
use nuages::{middleware, App, HttpRequest, HttpResponse, Settings};

#[tokio::test]
async fn body_after_reading_the_stream_is_raw_post_data_exception() {
    let mut req = RequestFactory::new().post("/", "a=1&b=2").build();
    assert_eq!(&req.read(3).await.unwrap()[..], b"a=1");
    let err = req.body().await.unwrap_err();
    assert!(
        err.downcast_ref::<RawPostDataException>().is_some(),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "You cannot access body after reading from request's data stream"
    );
    // The rest is still readable.
    assert_eq!(&req.read_to_end().await.unwrap()[..], b"&b=2");
}

#[tokio::test]
async fn reading_after_body_reads_the_cached_bytes() {
    let mut req = RequestFactory::new().post("/", "x\ny\n").build();
    assert_eq!(&req.body().await.unwrap()[..], b"x\ny\n");
    assert_eq!(req.readlines().await.unwrap(), ["x\n", "y\n"]);
    assert!(req.readline().await.unwrap().is_empty());
    // body stays available: it was read first.
    assert_eq!(&req.body().await.unwrap()[..], b"x\ny\n");
}

#[tokio::test]
async fn a_multipart_post_consumes_the_stream() {
    let body = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--B--\r\n";
    let mut req = RequestFactory::new()
        .post("/", body)
        .content_type("multipart/form-data; boundary=B")
        .build();
    assert_eq!(req.form().await.unwrap().get("a"), Some("1"));
    let err = req.body().await.unwrap_err();
    assert!(
        err.downcast_ref::<RawPostDataException>().is_some(),
        "{err}"
    );
    assert!(req.read(1).await.is_err(), "the stream is gone");
}

#[tokio::test]
async fn a_line_longer_than_the_memory_limit_is_refused() {
    let settings = Settings {
        data_upload_max_memory_size: Some(10),
        ..Settings::default()
    };
    let mut req = RequestFactory::with_settings(settings)
        .post("/", "0123456789abcdef-no-newline")
        .build();
    let err = req.readline().await.unwrap_err();
    assert_eq!(err.status(), http::StatusCode::BAD_REQUEST, "{err}");
}

async fn main_site(_: HttpRequest) -> HttpResponse {
    HttpResponse::new("main")
}

async fn api(req: HttpRequest) -> HttpResponse {
    HttpResponse::new(format!("api {}", req.reverse("api-item").unwrap()))
}

#[tokio::test]
async fn a_middleware_sets_the_urlconf_of_one_request() {
    let api_urls = Arc::new(Urls::new([path("items/", api).name("api-item")]).unwrap());
    let app = App::builder()
        .settings(Settings {
            allowed_hosts: vec!["*".into()],
            secret_key: "x".into(),
            ..Settings::default()
        })
        .urls([path("", main_site)])
        .middleware(middleware::from_fn(move |mut req: HttpRequest, next| {
            let api_urls = Arc::clone(&api_urls);
            async move {
                if req.header("host").as_deref() == Some("api.example.com") {
                    req.set_urlconf(api_urls);
                }
                next.run(req).await
            }
        }))
        .build()
        .unwrap();
    let client = Client::new(app);
    assert_eq!(client.get("/").send().await.text(), "main");
    assert_eq!(client.get("/items/").send().await.status(), 404);
    let r = client
        .get("/items/")
        .header("host", "api.example.com")
        .send()
        .await;
    assert_eq!(r.text(), "api /items/");
    let r = client
        .get("/")
        .header("host", "api.example.com")
        .send()
        .await;
    assert_eq!(
        r.status(),
        404,
        "the main site's URLs are not this request's"
    );
}

//! Sync views (plain `fn`, run on a blocking thread) reading the body, `POST`, `FILES` and the
//! session through `async_to_sync` and the `*_blocking` methods.

use nuages::conf::SessionEngine;
use nuages::sessions::{RequestSessionExt, SessionMiddleware};
use nuages::test::Client;
use nuages::urls::path;
use nuages::utils::sync::{async_to_sync, NotInSyncContext};
use nuages::{App, Error, HttpRequest, HttpResponse, Result, Settings};

fn echo(request: HttpRequest) -> Result<HttpResponse> {
    Ok(HttpResponse::new(request.body_blocking()?))
}

fn form(request: HttpRequest) -> Result<HttpResponse> {
    let post = request.form_blocking()?;
    let files = request.files_blocking()?;
    Ok(HttpResponse::new(format!(
        "{} {}",
        post.get("a").unwrap_or("-"),
        files.len()
    )))
}

fn count(request: HttpRequest) -> Result<HttpResponse> {
    let session = request
        .session()
        .ok_or_else(|| Error::msg("SessionMiddleware is not installed"))?;
    let n: i64 = async_to_sync(session.get("n"))??.unwrap_or(0) + 1;
    async_to_sync(session.set("n", &n))??;
    Ok(HttpResponse::new(n.to_string()))
}

fn app() -> App {
    App::builder()
        .settings(Settings {
            secret_key: "sync-views".into(),
            allowed_hosts: vec!["testserver".into()],
            session_engine: SessionEngine::SignedCookies,
            ..Settings::default()
        })
        .middleware(SessionMiddleware::new())
        .urls([path("echo", echo), path("form", form), path("count", count)])
        .build()
        .expect("app")
}

#[tokio::test]
async fn sync_views_read_the_body_post_files_and_session() {
    let client = Client::new(app());
    assert_eq!(client.post("/echo").body("abc").send().await.text(), "abc");
    let r = client.post("/form").form(&[("a", "1")]).send().await;
    assert_eq!(r.text(), "1 0");
    assert_eq!(client.get("/count").send().await.text(), "1");
    assert_eq!(client.get("/count").send().await.text(), "2");
}

#[tokio::test]
async fn async_to_sync_on_an_async_task_is_refused() {
    assert_eq!(async_to_sync(async { 1 }), Err(NotInSyncContext));
    let req = nuages::test::RequestFactory::new().post("/", "x").build();
    let err = req.body_blocking().unwrap_err();
    assert!(err.to_string().contains("AsyncToSync"), "{err}");
    // The body is untouched: the async API still reads it.
    assert_eq!(&req.body().await.unwrap()[..], b"x");
}

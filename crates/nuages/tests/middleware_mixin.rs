//! `MiddlewareMixin`s run as one layer of the chain: the order of their phases, and Django's
//! `convert_exception_to_response` around each of them (an answer or an error in
//! `process_request`, an error or a panic in `process_response`), alone and next to
//! `Middleware`s written with `call`.

use std::sync::{Arc, Mutex};

use nuages::middleware::{Middleware, MiddlewareMixin, Next};
use nuages::test::Client;
use nuages::urls::path;
use nuages::{App, AppBuilder, Error, HttpRequest, HttpResponse, Result, Settings};

type Log = Arc<Mutex<Vec<String>>>;

/// What a mixin does in each phase.
#[derive(Clone, Copy, PartialEq)]
enum Act {
    Pass,
    Answer,
    Fail,
    Panic,
}

struct Mixin {
    name: &'static str,
    log: Log,
    request: Act,
    response: Act,
}

impl MiddlewareMixin for Mixin {
    fn process_request(&self, request: &mut HttpRequest) -> Result<Option<HttpResponse>> {
        self.log
            .lock()
            .unwrap()
            .push(format!("{} request {}", self.name, request.path()));
        match self.request {
            Act::Pass => Ok(None),
            Act::Answer => Ok(Some(
                HttpResponse::new(format!("answered by {}", self.name))
                    .with_status(http::StatusCode::ACCEPTED),
            )),
            Act::Fail => Err(Error::msg("process_request failed")),
            Act::Panic => panic!("process_request panicked"),
        }
    }

    fn process_response(
        &self,
        request: &HttpRequest,
        response: HttpResponse,
    ) -> Result<HttpResponse> {
        self.log.lock().unwrap().push(format!(
            "{} response {} {}",
            self.name,
            request.path(),
            response.status_code()
        ));
        match self.response {
            Act::Pass | Act::Answer => {
                let tag = match response.header("x-seen") {
                    Some(seen) => format!("{seen},{}", self.name),
                    None => self.name.to_owned(),
                };
                Ok(response.with_header("X-Seen", tag))
            }
            Act::Fail => Err(Error::msg("process_response failed")),
            Act::Panic => panic!("process_response panicked"),
        }
    }
}

/// A `Middleware` written with `call`, between mixins.
struct Around {
    log: Log,
}

impl Middleware for Around {
    async fn call(&self, request: HttpRequest, next: Next<'_>) -> Result<HttpResponse> {
        self.log.lock().unwrap().push("around request".into());
        let response = next.run(request).await;
        self.log
            .lock()
            .unwrap()
            .push(format!("around response {}", response.status_code()));
        Ok(response)
    }
}

async fn page(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("page")
}

fn builder() -> AppBuilder {
    App::builder()
        .settings(Settings {
            debug: false,
            secret_key: "x".into(),
            allowed_hosts: vec!["testserver".into()],
            ..Settings::default()
        })
        .urls([path("page", page)])
}

fn mixin(name: &'static str, log: &Log, request: Act, response: Act) -> Mixin {
    Mixin {
        name,
        log: Arc::clone(log),
        request,
        response,
    }
}

/// The app with the mixins `a`, `b` and `c` (outermost first), `b` acting as told.
fn abc(log: &Log, b_request: Act, b_response: Act) -> App {
    builder()
        .middleware(mixin("a", log, Act::Pass, Act::Pass))
        .middleware(mixin("b", log, b_request, b_response))
        .middleware(mixin("c", log, Act::Pass, Act::Pass))
        .build()
        .unwrap()
}

async fn run(app: App, log: &Log) -> (u16, String, Option<String>, Vec<String>) {
    let r = Client::new(app).get("/page").send().await;
    let entries = std::mem::take(&mut *log.lock().unwrap());
    (
        r.status(),
        r.text(),
        r.header("x-seen").map(str::to_owned),
        entries,
    )
}

#[tokio::test]
async fn phases_run_in_django_order() {
    let log = Log::default();
    let app = abc(&log, Act::Pass, Act::Pass);
    let (status, text, seen, entries) = run(app, &log).await;
    assert_eq!((status, text.as_str()), (200, "page"));
    assert_eq!(seen.as_deref(), Some("c,b,a"));
    assert_eq!(
        entries,
        [
            "a request /page",
            "b request /page",
            "c request /page",
            "c response /page 200",
            "b response /page 200",
            "a response /page 200",
        ]
    );
}

#[tokio::test]
async fn an_answer_goes_through_its_own_process_response_and_those_above() {
    let log = Log::default();
    let app = abc(&log, Act::Answer, Act::Pass);
    let (status, text, seen, entries) = run(app, &log).await;
    assert_eq!((status, text.as_str()), (202, "answered by b"));
    assert_eq!(seen.as_deref(), Some("b,a"));
    assert_eq!(
        entries,
        [
            "a request /page",
            "b request /page",
            "b response /page 202",
            "a response /page 202",
        ]
    );
}

#[tokio::test]
async fn a_failed_process_request_is_answered_there_without_its_process_response() {
    for act in [Act::Fail, Act::Panic] {
        let log = Log::default();
        let app = abc(&log, act, Act::Pass);
        let (status, text, seen, entries) = run(app, &log).await;
        assert_eq!(status, 500);
        assert!(text.contains("Server Error (500)"), "{text}");
        assert_eq!(seen.as_deref(), Some("a"));
        assert_eq!(
            entries,
            ["a request /page", "b request /page", "a response /page 500"]
        );
    }
}

#[tokio::test]
async fn a_failed_process_response_is_answered_there_and_seen_above() {
    for act in [Act::Fail, Act::Panic] {
        let log = Log::default();
        let app = abc(&log, Act::Pass, act);
        let (status, _, seen, entries) = run(app, &log).await;
        assert_eq!(status, 500);
        // c's header was on the response b failed on; the error page replaces it.
        assert_eq!(seen.as_deref(), Some("a"));
        assert_eq!(
            entries,
            [
                "a request /page",
                "b request /page",
                "c request /page",
                "c response /page 200",
                "b response /page 200",
                "a response /page 500",
            ]
        );
    }
}

#[tokio::test]
async fn a_middleware_with_call_splits_the_mixins_into_two_groups() {
    let log = Log::default();
    let app = builder()
        .middleware(mixin("a", &log, Act::Pass, Act::Pass))
        .middleware(Around {
            log: Arc::clone(&log),
        })
        .middleware(mixin("b", &log, Act::Answer, Act::Pass))
        .build()
        .unwrap();
    let (status, _, seen, entries) = run(app, &log).await;
    assert_eq!(status, 202);
    assert_eq!(seen.as_deref(), Some("b,a"));
    assert_eq!(
        entries,
        [
            "a request /page",
            "around request",
            "b request /page",
            "b response /page 202",
            "around response 202",
            "a response /page 202",
        ]
    );
}

#[tokio::test]
async fn a_mixin_runs_alone_as_a_middleware() {
    use nuages::http::{RequestBody, ResponseBody};
    use nuages::middleware::layer::MiddlewareLayer;
    use tower::{ServiceBuilder, ServiceExt};

    let log = Log::default();
    let inner = tower::service_fn(|_req: http::Request<RequestBody>| async {
        Ok::<_, std::convert::Infallible>(http::Response::new(ResponseBody::full("inner")))
    });
    let layer = MiddlewareLayer::new(
        mixin("solo", &log, Act::Pass, Act::Pass),
        Settings::default(),
    )
    .unwrap();
    let svc = ServiceBuilder::new().layer(layer).service(inner);
    let request = http::Request::builder()
        .uri("/x")
        .body(RequestBody::empty())
        .unwrap();
    let resp = svc.oneshot(request).await.unwrap();
    assert_eq!(resp.headers()["x-seen"], "solo");
    assert_eq!(
        *log.lock().unwrap(),
        ["solo request /x", "solo response /x 200"]
    );
}

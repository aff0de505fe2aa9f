//! Templates through an application: `AppBuilder::templates`, `shortcuts::render`, lazy
//! `TemplateResponse`s and `process_template_response`, template errors on the DEBUG page and
//! error handlers that render templates.

use nuages::middleware::Middleware;
use nuages::shortcuts::render;
use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
use nuages::template::response::{lazy_template_mut, TemplateResponse};
use nuages::template::{Context, RequestEnginesExt};
use nuages::test::Client;
use nuages::urls::path;
use nuages::{App, Error, HttpRequest, HttpResponse, Result, Settings};

fn templates() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("page.html", "page {{ who }}"),
        ("other.html", "other {{ who }}"),
        ("broken.html", "line 1\n{% for x in %}\nline 3"),
        ("fails.html", "a\n{{ 1 / 0 }}\nc"),
        ("404.html", "custom not found: {{ request.path }}"),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

async fn page(req: HttpRequest) -> Result<HttpResponse> {
    render(&req, "page.html", Context::new().with("who", "<me>"))
}

async fn lazy(req: HttpRequest) -> Result<HttpResponse> {
    let engines = req.engines().expect("engines").clone();
    Ok(TemplateResponse::new(
        &req,
        &engines,
        "page.html",
        Context::new().with("who", "lazy"),
    )
    .into_lazy_response())
}

async fn broken(req: HttpRequest) -> Result<HttpResponse> {
    render(&req, "broken.html", Context::new())
}

async fn fails(req: HttpRequest) -> Result<HttpResponse> {
    render(&req, "fails.html", Context::new())
}

async fn missing(req: HttpRequest) -> Result<HttpResponse> {
    render(&req, ["nope.html", "neither.html"], Context::new())
}

/// Switches the template of lazy responses, like a middleware's `process_template_response`.
struct SwitchTemplate;

impl Middleware for SwitchTemplate {
    fn process_template_response(
        &self,
        _request: &HttpRequest,
        mut response: HttpResponse,
    ) -> Result<HttpResponse, Error> {
        if let Some(mut pending) = lazy_template_mut(&mut response) {
            pending.set_template_name("other.html");
        }
        Ok(response)
    }
}

fn app(debug: bool, dir: &tempfile::TempDir) -> App {
    App::builder()
        .settings(Settings {
            debug,
            secret_key: "k".into(),
            allowed_hosts: vec!["testserver".into()],
            ..Settings::default()
        })
        .templates([EngineConfig::new(Jinja2Backend).dirs([dir.path()])])
        .middleware(SwitchTemplate)
        .urls([
            path("page", page),
            path("lazy", lazy),
            path("broken", broken),
            path("fails", fails),
            path("missing", missing),
        ])
        .handler404(|req: HttpRequest, _e: Error| async move {
            render(&req, "404.html", Context::new())
                .map(|r| r.with_status(http::StatusCode::NOT_FOUND))
        })
        .build()
        .unwrap()
}

#[tokio::test]
async fn render_and_lazy_responses() {
    let dir = templates();
    let c = Client::new(app(false, &dir));
    let r = c.get("/page").send().await;
    assert_eq!((r.status(), r.text()), (200, "page &lt;me&gt;".to_owned()));
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    // Rendered after the middleware changed the template.
    assert_eq!(c.get("/lazy").send().await.text(), "other lazy");
}

#[tokio::test]
async fn template_errors_on_the_debug_page() {
    let dir = templates();
    let c = Client::new(app(true, &dir));
    let r = c.get("/broken").send().await;
    assert_eq!(r.status(), 500);
    let text = r.text();
    assert!(text.contains("<h2>Template error</h2>"), "{text}");
    assert!(
        text.contains("In template <code>broken.html</code>, error at line 2"),
        "{text}"
    );
    assert!(
        text.contains("<tr class=\"error\"><th>2</th><td>{% for x in %}</td></tr>"),
        "{text}"
    );

    let text = c.get("/fails").send().await.text();
    assert!(
        text.contains("In template <code>fails.html</code>, error at line 2"),
        "{text}"
    );

    let r = c.get("/missing").send().await;
    assert_eq!(r.status(), 500);
    let text = r.text();
    assert!(text.contains("Template-loader postmortem"), "{text}");
    assert!(
        text.contains("nope.html") && text.contains("neither.html"),
        "{text}"
    );
    assert!(text.contains("(Source does not exist)"), "{text}");
}

#[tokio::test]
async fn outside_debug_template_errors_are_the_plain_500() {
    let dir = templates();
    let c = Client::new(app(false, &dir));
    let r = c.get("/broken").send().await;
    assert_eq!(r.status(), 500);
    assert!(r.text().contains("<h1>Server Error (500)</h1>"));
    assert!(!r.text().contains("broken.html"));
}

#[tokio::test]
async fn error_handlers_render_templates() {
    let dir = templates();
    let c = Client::new(app(false, &dir));
    let r = c.get("/nowhere/").send().await;
    assert_eq!(r.status(), 404);
    assert_eq!(r.text(), "custom not found: /nowhere/");
}

#[test]
fn a_broken_templates_setting_stops_the_build() {
    let err = App::builder()
        .settings(Settings {
            debug: true,
            ..Settings::default()
        })
        .templates([
            EngineConfig::new(Jinja2Backend),
            EngineConfig::new(Jinja2Backend),
        ])
        .build()
        .unwrap_err();
    assert!(err.message().starts_with("TEMPLATES: "), "{err}");
}

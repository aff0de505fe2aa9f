//! The template layer: engines and loaders (tried paths, chains, aliases), the Jinja2
//! backend's Django conventions (request, lazy CSRF values, context processors, `url()`,
//! `static()`, autoescape, reload), errors with template/line, and `TemplateResponse`.

mod support;

use std::sync::Arc;

use nuages::middleware::csrf::CsrfViewMiddleware;
use nuages::template::backends::{
    jinja2::Jinja2Backend, Autoescape, ContextProcessor, EngineConfig, EngineOptions,
};
use nuages::template::response::TemplateResponse;
use nuages::template::{Context, Engines, TemplateError, Value};
use nuages::urls::path;
use nuages::{App, HttpRequest, HttpResponse, Settings};
use serde_json::Value as Json;

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, body) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, body).expect("write");
    }
    dir
}

fn jinja2(dirs: &[&std::path::Path], options: EngineOptions) -> EngineConfig {
    EngineConfig::new(Jinja2Backend)
        .dirs(dirs.iter().map(|d| d.to_path_buf()))
        .options(options)
}

#[test]
fn first_directory_then_first_engine_wins() {
    let a = dir_with(&[("t.html", "a")]);
    let b = dir_with(&[("t.html", "b"), ("only_b.html", "only b")]);
    let engines = Engines::new([
        jinja2(&[a.path()], EngineOptions::default()).name("first"),
        jinja2(&[b.path()], EngineOptions::default()).name("second"),
    ])
    .expect("engines");
    let ctx = Context::new();
    assert_eq!(engines.render_to_string("t.html", &ctx, None).unwrap(), "a");
    assert_eq!(
        engines.render_to_string("only_b.html", &ctx, None).unwrap(),
        "only b"
    );
    let t = nuages::template::loader::get_template(&engines, "t.html", Some("second")).unwrap();
    assert_eq!(t.render(&ctx, None).unwrap(), "b");
    assert_eq!(
        t.origin().name.as_deref(),
        Some(b.path().join("t.html").as_path())
    );
    assert_eq!(engines.aliases().collect::<Vec<_>>(), ["first", "second"]);
}

#[test]
fn does_not_exist_lists_every_path_tried() {
    let a = dir_with(&[]);
    let b = dir_with(&[]);
    let engines = Engines::new([
        jinja2(&[a.path(), b.path()], EngineOptions::default()).name("one"),
        jinja2(&[b.path()], EngineOptions::default()).name("two"),
    ])
    .unwrap();
    let Err(TemplateError::DoesNotExist(e)) = engines.get_template("sub/x.html") else {
        panic!("expected TemplateDoesNotExist")
    };
    assert_eq!(e.to_string(), "sub/x.html");
    assert_eq!(e.chain.len(), 2);
    assert_eq!(e.chain[0].backend.as_deref(), Some("one"));
    let tried: Vec<_> = e.all_tried().iter().map(|t| t.path.clone()).collect();
    assert_eq!(
        tried,
        [
            a.path().join("sub/x.html"),
            b.path().join("sub/x.html"),
            b.path().join("sub/x.html")
        ]
    );
    assert!(e
        .all_tried()
        .iter()
        .all(|t| t.status == "Source does not exist"));

    let Err(TemplateError::DoesNotExist(e)) = engines.select_template(&["a.html", "b.html"]) else {
        panic!()
    };
    assert_eq!(e.to_string(), "a.html, b.html");
    assert_eq!(e.chain.len(), 4);
    let Err(TemplateError::DoesNotExist(e)) = engines.select_template::<&str>(&[]) else {
        panic!()
    };
    assert_eq!(e.to_string(), "No template names provided");
}

#[test]
fn traversal_names_are_not_found() {
    let root = dir_with(&[("inner/t.html", "x"), ("secret.html", "s")]);
    let engines = Engines::new([jinja2(
        &[&root.path().join("inner")],
        EngineOptions::default(),
    )])
    .unwrap();
    for name in ["../secret.html", "a/../../secret.html", "..\\secret.html"] {
        assert!(
            matches!(
                engines.get_template(name),
                Err(TemplateError::DoesNotExist(_))
            ),
            "{name}"
        );
    }
    // Jinja2 reads a leading "/" or "./" as relative to the directory.
    assert!(engines.get_template("/t.html").is_ok());
    assert!(engines.get_template("./t.html").is_ok());
}

#[test]
fn configuration_errors_use_djangos_messages() {
    let e = Engines::new([
        EngineConfig::new(Jinja2Backend),
        EngineConfig::new(Jinja2Backend),
    ])
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Template engine aliases aren't unique, duplicates: jinja2. Set a unique NAME for each engine in settings.TEMPLATES."
    );
    let engines = Engines::new([EngineConfig::new(Jinja2Backend)]).unwrap();
    assert_eq!(
        engines.get("django").unwrap_err().to_string(),
        "Could not find config for 'django' in settings.TEMPLATES"
    );
}

#[test]
fn app_dirs_search_each_applications_jinja2_directory() {
    let apps = dir_with(&[
        ("blog/jinja2/post.html", "post"),
        ("shop/templates/x.html", "no"),
    ]);
    let engines = Engines::with_apps(
        [EngineConfig::new(Jinja2Backend).app_dirs(true)],
        [apps.path().join("blog"), apps.path().join("shop")],
    )
    .unwrap();
    let ctx = Context::new();
    assert_eq!(
        engines.render_to_string("post.html", &ctx, None).unwrap(),
        "post"
    );
    assert!(engines.get_template("x.html").is_err());
    assert_eq!(
        engines.get("jinja2").unwrap().template_dirs(),
        [apps.path().join("blog/jinja2")]
    );
}

#[test]
fn syntax_error_names_template_line_and_cause() {
    let d = dir_with(&[("bad.html", "line 1\nline 2 {% if %}\nline 3")]);
    let engines = Engines::new([jinja2(&[d.path()], EngineOptions::default())]).unwrap();
    let Err(TemplateError::Syntax(e)) = engines.get_template("bad.html") else {
        panic!("expected a syntax error")
    };
    assert_eq!(e.debug.name.as_deref(), Some("bad.html"));
    assert_eq!(e.debug.line, 2);
    assert_eq!(e.debug.during, "line 2 {% if %}");
    assert_eq!(e.debug.total, 3);
    assert!(!e.debug.message.is_empty());
    assert!(e.to_string().contains("(in bad.html, line 2)"), "{e}");

    let d = dir_with(&[("f.html", "{{ x|no_such_filter }}")]);
    let engines = Engines::new([jinja2(&[d.path()], EngineOptions::default())]).unwrap();
    let r = engines.render_to_string("f.html", &Context::new(), None);
    assert!(matches!(r, Err(TemplateError::Syntax(_))), "{r:?}");
}

#[test]
fn render_error_names_template_and_line() {
    let d = dir_with(&[
        ("page.html", "ok\n{% include 'inc.html' %}"),
        ("inc.html", "a\nb {{ missing.attr }}"),
    ]);
    let engines = Engines::new([jinja2(&[d.path()], EngineOptions::default())]).unwrap();
    let Err(TemplateError::Render(e)) =
        engines.render_to_string("page.html", &Context::new(), None)
    else {
        panic!("expected a render error")
    };
    assert_eq!(e.debug.name.as_deref(), Some("inc.html"));
    assert_eq!(e.debug.line, 2);
    assert_eq!(e.debug.during, "b {{ missing.attr }}");

    let strict = EngineOptions {
        strict_undefined: true,
        ..EngineOptions::default()
    };
    let engines = Engines::new([jinja2(&[], strict)]).unwrap();
    let t = engines
        .get("jinja2")
        .unwrap()
        .from_string("{{ nope }}")
        .unwrap();
    assert!(matches!(
        t.render(&Context::new(), None),
        Err(TemplateError::Render(_))
    ));
    let err: nuages::Error = t.render(&Context::new(), None).unwrap_err().into();
    assert_eq!(err.kind(), nuages::ErrorKind::Internal);
}

#[test]
fn autoescape_choices() {
    let d = dir_with(&[
        ("a.html", "{{ v }}"),
        ("a.txt", "{{ v }}"),
        ("a.XML", "{{ v }}"),
    ]);
    let ctx = Context::new().with("v", "<&>");
    let always = Engines::new([jinja2(&[d.path()], EngineOptions::default())]).unwrap();
    assert_eq!(
        always.render_to_string("a.txt", &ctx, None).unwrap(),
        "&lt;&amp;&gt;"
    );
    let by_ext = Engines::new([jinja2(
        &[d.path()],
        EngineOptions {
            autoescape: Autoescape::html(),
            ..EngineOptions::default()
        },
    )])
    .unwrap();
    assert_eq!(by_ext.render_to_string("a.txt", &ctx, None).unwrap(), "<&>");
    assert_eq!(
        by_ext.render_to_string("a.html", &ctx, None).unwrap(),
        "&lt;&amp;&gt;"
    );
    assert_eq!(
        by_ext.render_to_string("a.XML", &ctx, None).unwrap(),
        "&lt;&amp;&gt;"
    );
    let never = Engines::new([jinja2(
        &[d.path()],
        EngineOptions {
            autoescape: Autoescape::Never,
            ..EngineOptions::default()
        },
    )])
    .unwrap();
    assert_eq!(never.render_to_string("a.html", &ctx, None).unwrap(), "<&>");
    let safe = Context::new().with("v", Value::safe("<b>"));
    assert_eq!(
        always.render_to_string("a.html", &safe, None).unwrap(),
        "<b>"
    );
}

#[test]
fn date_and_time_filters_use_djangos_format_characters() {
    let engines = Engines::new([jinja2(&[], EngineOptions::default())]).unwrap();
    let e = engines.get("jinja2").unwrap();
    let dt = chrono::NaiveDate::from_ymd_opt(2022, 11, 2)
        .and_then(|d| d.and_hms_opt(18, 5, 7))
        .unwrap();
    let ctx = Context::new()
        .with("d", dt)
        .with("s", "2022-11-02")
        .with("n", Value::None);
    let render = |src: &str| e.from_string(src).unwrap().render(&ctx, None).unwrap();
    assert_eq!(
        render(r#"{{ d|date("D, d M Y H:i:s") }}"#),
        "Wed, 02 Nov 2022 18:05:07"
    );
    assert_eq!(render("{{ d|date }}"), "Nov. 2, 2022");
    assert_eq!(render(r#"{{ d|date("jS \\o\\f F") }}"#), "2nd of November");
    assert_eq!(render("{{ d|time }}"), "6:05 p.m.");
    assert_eq!(render(r#"{{ s|date("Y") }}|{{ n|date("Y") }}"#), "|");
    let date_only = Context::new().with("d", dt.date());
    let t = e.from_string(r#"{{ d|date("H") }}"#).unwrap();
    assert!(matches!(
        t.render(&date_only, None),
        Err(TemplateError::Render(_))
    ));
}

#[test]
fn context_processors_run_with_a_request_and_win() {
    let opts = EngineOptions {
        context_processors: vec![ContextProcessor::new(|req: &HttpRequest| {
            Context::new()
                .with("who", "processor")
                .with("path", req.path().into_owned())
        })],
        ..EngineOptions::default()
    };
    let engines = Engines::new([jinja2(&[], opts)]).unwrap();
    let t = engines
        .get("jinja2")
        .unwrap()
        .from_string("{{ who }} {{ path }}")
        .unwrap();
    let ctx = Context::new().with("who", "view");
    assert_eq!(t.render(&ctx, None).unwrap(), "view ");
    let req = nuages::test::RequestFactory::new().get("/p/").build();
    assert_eq!(t.render(&ctx, Some(&req)).unwrap(), "processor /p/");
}

#[test]
fn request_variables() {
    let engines = Engines::new([jinja2(&[], EngineOptions::default())]).unwrap();
    let e = engines.get("jinja2").unwrap();
    let req = nuages::test::RequestFactory::new()
        .get("/a/b?x=1&x=2")
        .header("User-Agent", "ua/1")
        .build();
    let t = e
        .from_string(
            "{{ request.method }}|{{ request.get_full_path() }}|{{ request.GET.x }}|{{ request.headers.user_agent }}|{{ request.headers['User-Agent'] }}|{{ request.is_secure() }}|{{ request }}",
        )
        .unwrap();
    assert_eq!(
        t.render(&Context::new(), Some(&req)).unwrap(),
        "GET|/a/b?x=1&amp;x=2|2|ua/1|ua/1|False|&lt;WSGIRequest: GET &#x27;/a/b?x=1&amp;x=2&#x27;&gt;"
    );
    // Without a request there is no `request`, `csrf_input` or `csrf_token`.
    let t = e
        .from_string("[{{ request }}{{ csrf_token }}{{ csrf_input }}]")
        .unwrap();
    assert_eq!(t.render(&Context::new(), None).unwrap(), "[]");
}

#[test]
fn static_global_matches_djangos_staticfiles_urls() {
    let data: Json = support::data("templates_vectors.json");
    for case in data["static"].as_array().expect("static") {
        let base = case["static_url"].as_str().unwrap();
        let p = case["path"].as_str().unwrap();
        assert_eq!(
            nuages::templatetags::static_url(base, p).unwrap(),
            case["url"].as_str().unwrap(),
            "{case}"
        );
    }
    let opts = EngineOptions {
        static_url: Some("static/".into()),
        ..EngineOptions::default()
    };
    let engines = Engines::new([jinja2(&[], opts)]).unwrap();
    let t = engines
        .get("jinja2")
        .unwrap()
        .from_string("{{ static('css/a b.css') }}")
        .unwrap();
    assert_eq!(
        t.render(&Context::new(), None).unwrap(),
        "/static/css/a%20b.css"
    );
    let none = Engines::new([jinja2(&[], EngineOptions::default())]).unwrap();
    let t = none
        .get("jinja2")
        .unwrap()
        .from_string("{{ static('x') }}")
        .unwrap();
    assert!(t.render(&Context::new(), None).is_err());
}

#[test]
fn url_global_with_a_reverser_hook() {
    let reverser = |name: &str, args: &[Value], kwargs: &[(String, Value)]| {
        Ok::<_, nuages::Error>(format!("/{name}/{args:?}/{kwargs:?}"))
    };
    let opts = EngineOptions {
        url_reverser: Some(Arc::new(reverser)),
        ..EngineOptions::default()
    };
    let engines = Engines::new([jinja2(&[], opts)]).unwrap();
    let e = engines.get("jinja2").unwrap();
    let t = e.from_string("{% autoescape false %}{{ url('detail', 7, slug='x') }}|{{ url('d', args=[1], kwargs={'k': 'v'}) }}{% endautoescape %}").unwrap();
    assert_eq!(
        t.render(&Context::new(), None).unwrap(),
        r#"/detail/[Int(7)]/[("slug", Str("x"))]|/d/[Int(1)]/[("k", Str("v"))]"#
    );
    let none = Engines::new([jinja2(&[], EngineOptions::default())]).unwrap();
    let t = none
        .get("jinja2")
        .unwrap()
        .from_string("{{ url('x') }}")
        .unwrap();
    assert!(t.render(&Context::new(), None).is_err());
}

async fn url_view(req: HttpRequest) -> nuages::Result<HttpResponse> {
    let engines = Engines::new([jinja2(&[], EngineOptions::default())])?;
    let t = engines
        .get("jinja2")?
        .from_string("{{ url('article', year=2024) }} {{ url('hello') }}")?;
    Ok(HttpResponse::new(t.render(&Context::new(), Some(&req))?))
}

async fn noop(_req: HttpRequest) -> HttpResponse {
    HttpResponse::empty()
}

#[tokio::test]
async fn url_global_reverses_with_the_requests_urlconf() {
    let app = App::builder()
        .settings(Settings {
            debug: true,
            ..Settings::default()
        })
        .urls(vec![
            path("hello", noop).name("hello"),
            path("articles/<int:year>/", |r: HttpRequest, _year: i64| noop(r)).name("article"),
            path("u", url_view),
        ])
        .build()
        .unwrap();
    let resp = nuages::test::Client::new(app).get("/u").send().await;
    assert_eq!(resp.text(), "/articles/2024/ /hello");
}

async fn csrf_view(req: HttpRequest) -> nuages::Result<HttpResponse> {
    let engines = Engines::new([jinja2(&[], EngineOptions::default())])?;
    let source = if req.path() == "/with" {
        "<form>{{ csrf_input }}</form>"
    } else {
        "<p>no form</p>"
    };
    let t = engines.get("jinja2")?.from_string(source)?;
    Ok(HttpResponse::new(t.render(&Context::new(), Some(&req))?))
}

#[tokio::test]
async fn csrf_values_are_lazy_like_djangos() {
    let app = App::builder()
        .settings(Settings {
            debug: true,
            ..Settings::default()
        })
        .middleware(CsrfViewMiddleware::default())
        .urls(vec![path("with", csrf_view), path("without", csrf_view)])
        .build()
        .unwrap();
    let client = nuages::test::Client::new(app);
    let resp = client.get("/without").send().await;
    assert_eq!(resp.text(), "<p>no form</p>");
    assert!(resp
        .set_cookies()
        .iter()
        .all(|c| !c.starts_with("csrftoken=")));
    let resp = client.get("/with").send().await;
    let body = resp.text();
    let prefix = r#"<form><input type="hidden" name="csrfmiddlewaretoken" value=""#;
    assert!(
        body.starts_with(prefix) && body.ends_with(r#""></form>"#),
        "{body}"
    );
    let token = &body[prefix.len()..body.len() - r#""></form>"#.len()];
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert!(resp
        .set_cookies()
        .iter()
        .any(|c| c.starts_with("csrftoken=")));
}

#[test]
fn templates_are_cached_and_reloaded_when_asked() {
    let d = dir_with(&[("t.html", "one")]);
    let cached = Engines::new([jinja2(&[d.path()], EngineOptions::default())]).unwrap();
    let reloading = Engines::new([jinja2(
        &[d.path()],
        EngineOptions {
            debug: true,
            ..EngineOptions::default()
        },
    )])
    .unwrap();
    let ctx = Context::new();
    assert_eq!(
        cached.render_to_string("t.html", &ctx, None).unwrap(),
        "one"
    );
    assert_eq!(
        reloading.render_to_string("t.html", &ctx, None).unwrap(),
        "one"
    );
    std::fs::write(d.path().join("t.html"), "two, longer").unwrap();
    assert_eq!(
        cached.render_to_string("t.html", &ctx, None).unwrap(),
        "one"
    );
    assert_eq!(
        reloading.render_to_string("t.html", &ctx, None).unwrap(),
        "two, longer"
    );
}

#[test]
fn template_response_changes_before_rendering() {
    let d = dir_with(&[("a.html", "A{{ n }}"), ("b.html", "B{{ n }}")]);
    let engines = Engines::new([jinja2(&[d.path()], EngineOptions::default())]).unwrap();
    let mut resp = TemplateResponse::simple(&engines, "a.html", Context::new().with("n", 1));
    assert_eq!(resp.rendered_content().unwrap().as_deref(), Some("A1"));
    let pending = resp.pending_mut().unwrap();
    pending.set_template_name(["missing.html", "b.html"]);
    pending.context_data_mut().insert("n", 2);
    resp.add_post_render_callback(|mut r| {
        r.set_header("X-Rendered", "yes").unwrap();
        r
    });
    resp.response_mut().set_header("X-Before", "1").unwrap();
    resp.render().unwrap();
    assert!(resp.is_rendered());
    // A second render does nothing; later callbacks run at once.
    resp.render().unwrap();
    resp.add_post_render_callback(|mut r| {
        r.set_header("X-Late", "yes").unwrap();
        r
    });
    let r = resp.into_response().unwrap();
    assert_eq!(r.content().unwrap(), b"B2");
    assert_eq!(r.header("x-rendered").as_deref(), Some("yes"));
    assert_eq!(r.header("x-late").as_deref(), Some("yes"));
    assert_eq!(r.header("x-before").as_deref(), Some("1"));

    let mut failing = TemplateResponse::simple(&engines, "nope.html", Context::new());
    assert!(failing.render().is_err());
    assert!(!failing.is_rendered());
    assert_eq!(
        failing.content().unwrap_err().to_string(),
        "The response content must be rendered before it can be accessed."
    );
    let r = TemplateResponse::simple(&engines, "a.html", Context::new())
        .content_type("text/plain")
        .unwrap()
        .into_response()
        .unwrap();
    assert_eq!(r.header("content-type").as_deref(), Some("text/plain"));
}

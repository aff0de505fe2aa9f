//! Golden vectors produced by Django 5.2 (`tests/data/golden/middleware.json`) for class-based
//! views and the method decorators: kinds `view_dispatch` (24 cases), `as_view_kwargs` (2),
//! `decorator` (20) and `redirect_view` (56), checked case by case.
//!
//! The generator calls the views directly (`view(rf.generic(method, "/"))`), so the views here
//! are called directly too, except `redirect_view`, which needs a URLconf for `pattern_name`:
//! those cases go through an [`App`] without middleware whose URLconf has the generator's
//! `int/<int:n>/` pattern (named `int`) and the view at `src/` with the case's URL kwargs as
//! the pattern's extra kwargs (the generator passes them to the view as `**kwargs`).
//!
//! `as_view_kwargs` is Django's `TypeError` at `as_view()` for a keyword that is not an
//! attribute of the class. In nuages `as_view()` takes a struct literal, so such a program does
//! not compile; the `compile_fail` doctests of `views::generic::base` (run by `cargo test`)
//! are that check, and [`as_view_kwargs`] below makes sure each case's keyword is one of them.

mod support;

use http::Method;
use nuages::urls::{path, Value as UrlValue};
use nuages::views::decorators::http::{
    require_get, require_http_methods, require_post, require_safe,
};
use nuages::views::generic::{base, RedirectView, View};
use nuages::views::ViewFn;
use nuages::{App, HttpRequest, HttpResponse, Settings};
use serde_json::Value as Json;

fn method(name: &str) -> Method {
    Method::from_bytes(name.as_bytes()).expect("method")
}

fn request(m: &str, uri: &str) -> HttpRequest {
    nuages::test::RequestFactory::new()
        .request(method(m), uri)
        .build()
}

/// Python's `repr()` of a kwargs dict.
fn kwargs_repr(kwargs: &nuages::urls::UrlKwargs) -> String {
    let items: Vec<String> = kwargs
        .iter()
        .map(|(k, v)| {
            let v = match v {
                UrlValue::Int(n) => n.to_string(),
                other => nuages::py::repr::str_repr(&other.to_string()),
            };
            format!("{}: {v}", nuages::py::repr::str_repr(k))
        })
        .collect();
    format!("{{{}}}", items.join(", "))
}

/// The generator's `V`: get and post.
struct GetPost;

#[nuages::views::view]
impl View for GetPost {
    fn get(&self, request: HttpRequest) -> HttpResponse {
        HttpResponse::new(format!("GET {}", kwargs_repr(base::url_kwargs(&request))))
            .with_header("X-Len", "7")
    }

    fn post(&self, _request: HttpRequest) -> HttpResponse {
        HttpResponse::new("POST")
    }
}

/// The generator's `OnlyPost`.
struct OnlyPost;

#[nuages::views::view]
impl View for OnlyPost {
    fn post(&self, _request: HttpRequest) -> HttpResponse {
        HttpResponse::new("POST")
    }
}

/// Django's bare `View`.
struct BaseView;

#[nuages::views::view]
impl View for BaseView {}

fn assert_headers(case: &Json, response: &HttpResponse) {
    let want = case["response_headers"].as_object().expect("headers");
    let got: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().expect("ascii").to_owned()))
        .collect();
    assert_eq!(got.len(), want.len(), "{case}: headers {got:?}");
    for (name, value) in want {
        let name = name.to_ascii_lowercase();
        let found = got
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str());
        assert_eq!(found, value.as_str(), "{case}: header {name}");
    }
}

#[tokio::test]
async fn view_dispatch() {
    let golden = support::golden("middleware.json");
    let cases = support::cases_of(&golden, "view_dispatch");
    assert_eq!(cases.len(), 24);
    for case in &cases {
        let view = match case["view"].as_str().expect("view") {
            "get+post" => GetPost.as_view(),
            "post-only" => OnlyPost.as_view(),
            "base View" => BaseView.as_view(),
            other => panic!("unknown view {other}"),
        };
        let m = case["method"].as_str().expect("method");
        let response = view.call(request(m, "/")).await.expect("response");
        assert_eq!(
            u64::from(response.status_code()),
            case["status"].as_u64().expect("status"),
            "{case}"
        );
        assert_headers(case, &response);
        assert_eq!(
            std::str::from_utf8(response.content().unwrap()).expect("utf-8"),
            case["content"].as_str().expect("content"),
            "{case}"
        );
    }
}

/// The `compile_fail` doctests of `views::generic::base` that refuse an unknown `as_view()`
/// attribute: `(keyword, the struct literal that must not compile)`.
const REFUSED_AT_COMPILE_TIME: &[(&str, &str)] = &[
    (
        "nonexistent",
        "TemplateView { nonexistent: 1, ..Default::default() }.as_view()",
    ),
    (
        "get",
        "TemplateView { get: 1, ..Default::default() }.as_view()",
    ),
];

#[test]
fn as_view_kwargs() {
    let golden = support::golden("middleware.json");
    let cases = support::cases_of(&golden, "as_view_kwargs");
    assert_eq!(cases.len(), 2);
    let source = include_str!("../src/views/generic/base.rs");
    for case in &cases {
        assert_eq!(case["error"]["exception"], "TypeError", "{case}");
        let keywords = case["kwargs"].as_array().expect("kwargs");
        for keyword in keywords {
            let keyword = keyword.as_str().expect("keyword");
            let (_, literal) = REFUSED_AT_COMPILE_TIME
                .iter()
                .find(|(k, _)| *k == keyword)
                .unwrap_or_else(|| panic!("no compile_fail doctest for {keyword:?}"));
            // The literal is the body of a `compile_fail` doctest in the module's docs.
            let at = source
                .find(literal)
                .unwrap_or_else(|| panic!("doctest for {keyword:?} is gone"));
            let fence = source[..at].rfind("```").expect("doctest fence");
            assert!(
                source[fence..].starts_with("```compile_fail"),
                "the doctest for {keyword:?} must be compile_fail"
            );
        }
    }
}

fn decorated(name: &str, view: impl Fn() -> ViewFn) -> ViewFn {
    match name {
        "require_GET" => require_get(view()),
        "require_POST" => require_post(view()),
        "require_safe" => require_safe(view()),
        "require_http_methods(['GET','POST'])" => {
            require_http_methods([Method::GET, Method::POST], view())
        }
        other => panic!("unknown decorator {other}"),
    }
}

/// A class view answering every method with `ok` (the generator's `plain` as a class).
struct Plain;

#[nuages::views::view]
impl View for Plain {
    async fn get(&self, _r: HttpRequest) -> HttpResponse {
        HttpResponse::new("ok")
    }
    async fn post(&self, _r: HttpRequest) -> HttpResponse {
        HttpResponse::new("ok")
    }
    async fn put(&self, _r: HttpRequest) -> HttpResponse {
        HttpResponse::new("ok")
    }
    async fn options(&self, _r: HttpRequest) -> HttpResponse {
        HttpResponse::new("ok")
    }
}

/// `require_safe` applied with `method_decorator(…, name="dispatch")`.
struct SafeDispatch;

#[nuages::views::view]
#[method_decorator(require_safe, name = "dispatch")]
impl View for SafeDispatch {
    async fn get(&self, _r: HttpRequest) -> HttpResponse {
        HttpResponse::new("ok")
    }
    async fn post(&self, _r: HttpRequest) -> HttpResponse {
        HttpResponse::new("ok")
    }
    async fn put(&self, _r: HttpRequest) -> HttpResponse {
        HttpResponse::new("ok")
    }
    async fn options(&self, _r: HttpRequest) -> HttpResponse {
        HttpResponse::new("ok")
    }
}

/// Each case on a function view (the generator's), on a class view's `as_view()`, and, for
/// `require_safe`, through `method_decorator` on `dispatch`: the same status and `Allow`.
#[tokio::test]
async fn decorator() {
    async fn plain(_request: HttpRequest) -> HttpResponse {
        HttpResponse::new("ok")
    }
    let golden = support::golden("middleware.json");
    let cases = support::cases_of(&golden, "decorator");
    assert_eq!(cases.len(), 20);
    for case in &cases {
        let name = case["decorator"].as_str().expect("decorator");
        let m = case["method"].as_str().expect("method");
        let mut views = vec![
            decorated(name, || nuages::views::IntoViewFn::into_view_fn(plain)),
            decorated(name, || Plain.as_view()),
        ];
        if name == "require_safe" {
            views.push(SafeDispatch.as_view());
        }
        for view in views {
            let response = view.call(request(m, "/")).await.expect("response");
            assert_eq!(
                u64::from(response.status_code()),
                case["status"].as_u64().expect("status"),
                "{case}"
            );
            assert_eq!(
                response.header("allow").as_deref(),
                case["allow"].as_str(),
                "{case}"
            );
        }
    }
}

fn redirect_view(init: &serde_json::Map<String, Json>) -> RedirectView {
    let mut view = RedirectView::default();
    for (key, value) in init {
        match key.as_str() {
            "url" => view.url = value.as_str().map(str::to_owned),
            "pattern_name" => view.pattern_name = value.as_str().map(str::to_owned),
            "permanent" => view.permanent = value.as_bool().expect("bool"),
            "query_string" => view.query_string = value.as_bool().expect("bool"),
            other => panic!("unknown RedirectView attribute {other}"),
        }
    }
    view
}

#[tokio::test]
async fn redirect_view_cases() {
    async fn target(_request: HttpRequest, _n: i64) -> HttpResponse {
        HttpResponse::empty()
    }
    let golden = support::golden("middleware.json");
    let cases = support::cases_of(&golden, "redirect_view");
    assert_eq!(cases.len(), 56);
    for case in &cases {
        let view = redirect_view(case["init"].as_object().expect("init"));
        let kwargs: Vec<(String, UrlValue)> = case["url_kwargs"]
            .as_object()
            .expect("kwargs")
            .iter()
            .map(|(k, v)| (k.clone(), UrlValue::Int(v.as_i64().expect("int kwarg"))))
            .collect();
        let app = App::builder()
            .settings(Settings {
                debug: true,
                ..Settings::default()
            })
            .urls([
                path("int/<int:n>/", target).name("int"),
                path("src/", view.as_view()).kwargs(kwargs),
            ])
            .build()
            .expect("app");
        let client = nuages::test::Client::new(app);
        let m = method(case["method"].as_str().expect("method"));
        let response = client
            .request(m, case["path"].as_str().expect("path"))
            .send()
            .await;
        assert_eq!(
            u64::from(response.status()),
            case["status"].as_u64().expect("status"),
            "{case}"
        );
        assert_eq!(
            response.header("location"),
            case["location"].as_str(),
            "{case}"
        );
        if response.status() == 410 {
            assert!(response.content().is_empty(), "{case}");
        }
    }
}

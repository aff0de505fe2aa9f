//! Golden vectors produced by Django 6.0 (`tests/data/csp_vectors.json`, made by
//! `tests/data/csp_vectors.py`): `build_policy` cases, ContentSecurityPolicyMiddleware with
//! the `csp_override` / `csp_report_only_override` decorators through a real [`App`] and the
//! test [`Client`], and the `csp` context processor in Jinja2 templates.
//!
//! Nonces are random: in the vectors `{nonce}` stands for the value the view or the template
//! printed, and the header must hold that same value.

mod support;

use std::collections::BTreeSet;

use nuages::middleware::csp::{ContentSecurityPolicyMiddleware, RequestCspExt};
use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig, EngineOptions};
use nuages::template::{context_processors, Context, RequestEnginesExt};
use nuages::test::{Client, TestResponse};
use nuages::urls::path;
use nuages::utils::csp::{build_policy, CspPolicy, CspValue, CSP};
use nuages::views::decorators::csp::{csp_override, csp_report_only_override};
use nuages::views::ViewFn;
use nuages::{App, HttpRequest, HttpResponse, Result, Settings};
use serde_json::Value as Json;

fn vectors() -> Json {
    support::data("csp_vectors.json")
}

fn cases(kind: &str) -> Vec<Json> {
    vectors()[kind].as_array().expect(kind).clone()
}

fn strings(v: &Json) -> Vec<String> {
    v.as_array()
        .expect("list")
        .iter()
        .map(|s| s.as_str().expect("str").to_owned())
        .collect()
}

/// The Python dict of the vectors as a [`CspPolicy`].
fn policy(config: &Json) -> CspPolicy {
    let mut policy = CspPolicy::new();
    for pair in config.as_array().expect("config") {
        let name = pair[0].as_str().expect("directive");
        let value = &pair[1]["value"];
        let value = match pair[1]["type"].as_str().expect("type") {
            "none" => CspValue::None,
            "bool" => CspValue::Bool(value.as_bool().expect("bool")),
            "str" => CspValue::Str(value.as_str().expect("str").to_owned()),
            "list" | "tuple" => CspValue::List(strings(value)),
            "set" => CspValue::Set(strings(value).into_iter().collect::<BTreeSet<_>>()),
            other => panic!("unknown value type {other}"),
        };
        policy.insert(name, value);
    }
    policy
}

fn opt_policy(config: &Json) -> Option<CspPolicy> {
    (!config.is_null()).then(|| policy(config))
}

#[test]
fn constants() {
    let v = vectors();
    assert!(v["django"].as_str().unwrap().starts_with("6.0"));
    let c = v["constants"].as_object().expect("constants");
    let ours = [
        ("NONE", CSP::NONE),
        ("REPORT_SAMPLE", CSP::REPORT_SAMPLE),
        ("SELF", CSP::SELF),
        ("STRICT_DYNAMIC", CSP::STRICT_DYNAMIC),
        ("UNSAFE_EVAL", CSP::UNSAFE_EVAL),
        ("UNSAFE_HASHES", CSP::UNSAFE_HASHES),
        ("UNSAFE_INLINE", CSP::UNSAFE_INLINE),
        ("WASM_UNSAFE_EVAL", CSP::WASM_UNSAFE_EVAL),
        ("NONCE", CSP::NONCE),
    ];
    // Every Django constant has its Rust counterpart (the two headers below).
    assert_eq!(c.len(), ours.len() + 2);
    for (name, value) in ours {
        assert_eq!(c[name], value, "CSP.{name}");
    }
    assert!(c["HEADER_ENFORCE"]
        .as_str()
        .unwrap()
        .eq_ignore_ascii_case(CSP::HEADER_ENFORCE.as_str()));
    assert!(c["HEADER_REPORT_ONLY"]
        .as_str()
        .unwrap()
        .eq_ignore_ascii_case(CSP::HEADER_REPORT_ONLY.as_str()));
}

#[test]
fn build_policy_golden() {
    let cases = cases("build_policy");
    assert_eq!(cases.len(), 32);
    for case in &cases {
        let name = case["name"].as_str().expect("name");
        let config = policy(&case["config"]);
        let nonce = case["nonce"].as_str();
        assert_eq!(
            build_policy(&config, nonce),
            case["policy"].as_str().expect("policy"),
            "build_policy case {name}"
        );
    }
}

// ===== the middleware =====

async fn base_view(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("base")
}

async fn nonce_view(req: HttpRequest) -> HttpResponse {
    let nonce = req.csp_nonce().expect("the middleware attached a nonce");
    HttpResponse::new(nonce.to_string())
}

async fn header_view(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("header").with_header("Content-Security-Policy", "default-src 'none'")
}

async fn ro_header_nonce_view(req: HttpRequest) -> HttpResponse {
    let nonce = req.csp_nonce().expect("nonce").to_string();
    HttpResponse::new(nonce).with_header("Content-Security-Policy-Report-Only", "img-src 'none'")
}

fn view(name: &str) -> ViewFn {
    use nuages::views::IntoViewFn;
    match name {
        "base" => base_view.into_view_fn(),
        "nonce" => nonce_view.into_view_fn(),
        "header" => header_view.into_view_fn(),
        "ro_header_nonce" => ro_header_nonce_view.into_view_fn(),
        other => panic!("unknown view {other}"),
    }
}

fn settings(case: &Json) -> Settings {
    Settings {
        secret_key: "csp-vectors".into(),
        allowed_hosts: vec!["testserver".into()],
        secure_csp: policy(&case["secure_csp"]),
        secure_csp_report_only: policy(&case["secure_csp_report_only"]),
        ..Settings::default()
    }
}

/// The nonce printed in `body` where the vector's body has its first `{nonce}` (the caller
/// then compares the whole body).
fn nonce_in(name: &str, expected_body: &str, body: &str) -> Option<String> {
    let (before, _) = expected_body.split_once("{nonce}")?;
    let nonce = body
        .strip_prefix(before)
        .and_then(|rest| rest.get(..22))
        .unwrap_or_else(|| panic!("{name}: body {body:?} does not match {expected_body:?}"));
    Some(nonce.to_owned())
}

/// Checks the body and both CSP headers of `resp` against the case.
fn check(name: &str, case: &Json, resp: &TestResponse) {
    let body = resp.text();
    let expected_body = case["body"].as_str().expect("body");
    let nonce = nonce_in(name, expected_body, &body);
    if let Some(nonce) = &nonce {
        assert_eq!(nonce.len(), 22, "{name}: nonce {nonce:?}");
        assert!(
            nonce
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{name}: nonce {nonce:?}"
        );
        assert_eq!(
            body,
            expected_body.replace("{nonce}", nonce),
            "{name}: body"
        );
    } else {
        assert_eq!(body, expected_body, "{name}: body");
    }
    for (header, key) in [
        ("content-security-policy", "csp"),
        ("content-security-policy-report-only", "csp_report_only"),
    ] {
        let expected = case[key]
            .as_str()
            .map(|v| v.replace("{nonce}", nonce.as_deref().unwrap_or("{nonce}")));
        assert_eq!(resp.header(header), expected.as_deref(), "{name}: {header}");
        assert!(
            resp.headers().get_all(header).iter().count() <= 1,
            "{name}: {header} repeated"
        );
    }
}

#[tokio::test]
async fn middleware_golden() {
    let cases = cases("middleware");
    assert_eq!(cases.len(), 23);
    for case in &cases {
        let name = case["name"].as_str().expect("name");
        let mut v = view(case["view"].as_str().expect("view"));
        // The generator applies csp_override first, then csp_report_only_override.
        if let Some(p) = opt_policy(&case["csp_override"]) {
            v = csp_override(p, v);
        }
        if let Some(p) = opt_policy(&case["csp_report_only_override"]) {
            v = csp_report_only_override(p, v);
        }
        let app = App::builder()
            .settings(settings(case))
            .middleware(ContentSecurityPolicyMiddleware::new())
            .urls([path("v/", v)])
            .build()
            .unwrap_or_else(|e| panic!("{name}: App::build: {e}"));
        let resp = Client::new(app).get("/v/").send().await;
        assert_eq!(
            u64::from(resp.status()),
            case["status"].as_u64().expect("status"),
            "{name}: status"
        );
        check(name, case, &resp);
    }
}

// ===== the DEBUG pages =====

async fn error_view(_req: HttpRequest) -> Result<HttpResponse> {
    Err(nuages::Error::msg("boom"))
}

#[tokio::test]
async fn debug_pages_golden() {
    let cases = cases("debug_pages");
    assert_eq!(cases.len(), 4);
    for case in &cases {
        let name = case["name"].as_str().expect("name");
        let app = App::builder()
            .settings(Settings {
                debug: case["debug"].as_bool().expect("debug"),
                ..settings(case)
            })
            .middleware(ContentSecurityPolicyMiddleware::new())
            .urls([path("v/", error_view)])
            .build()
            .unwrap_or_else(|e| panic!("{name}: App::build: {e}"));
        let resp = Client::new(app)
            .get(case["path"].as_str().expect("path"))
            .send()
            .await;
        assert_eq!(
            u64::from(resp.status()),
            case["status"].as_u64().expect("status"),
            "{name}: status"
        );
        for (header, key) in [
            ("content-security-policy", "csp"),
            ("content-security-policy-report-only", "csp_report_only"),
        ] {
            assert_eq!(resp.header(header), case[key].as_str(), "{name}: {header}");
        }
    }
}

// ===== the `csp` context processor =====

#[tokio::test]
async fn template_golden() {
    let cases = cases("template");
    assert_eq!(cases.len(), 6);
    for case in &cases {
        let name = case["name"].as_str().expect("name");
        let source = case["template"].as_str().expect("template").to_owned();
        let render = move |req: HttpRequest| {
            let source = source.clone();
            async move {
                let engine = req.engines().expect("engines").get("jinja2")?;
                let text = engine
                    .from_string(&source)?
                    .render(&Context::new(), Some(&req))?;
                Result::<HttpResponse>::Ok(HttpResponse::new(text))
            }
        };
        let mut builder = App::builder()
            .settings(settings(case))
            .templates([EngineConfig::new(Jinja2Backend).options(EngineOptions {
                context_processors: vec![context_processors::csp()],
                ..EngineOptions::default()
            })])
            .urls([path("t/", render)]);
        if case["middleware"].as_bool().expect("middleware") {
            builder = builder.middleware(ContentSecurityPolicyMiddleware::new());
        }
        let app = builder
            .build()
            .unwrap_or_else(|e| panic!("{name}: App::build: {e}"));
        let resp = Client::new(app).get("/t/").send().await;
        assert_eq!(resp.status(), 200, "{name}: status {}", resp.text());
        check(name, case, &resp);
    }
}

/// The vectors can fail: a policy that differs from Django's is noticed.
#[test]
fn a_wrong_policy_is_noticed() {
    let case = &cases("build_policy")[1];
    let config = policy(&case["config"]).directive("img-src", [CSP::SELF]);
    assert_ne!(
        build_policy(&config, None),
        case["policy"].as_str().unwrap()
    );
}

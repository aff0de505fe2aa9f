//! Golden vectors produced by Django 5.2 (`tests/data/golden/middleware.json`), kinds `security`
//! (SecurityMiddleware) and `append_slash` (CommonMiddleware's APPEND_SLASH), each case driven
//! through a real [`App`] with the in-process test [`Client`].
//!
//! The other kinds of the file (`view_dispatch`, `as_view_kwargs`, `decorator`, `redirect_view`)
//! belong to class-based views and decorators: `tests/views_generic_golden.rs` checks them case
//! by case.

mod support;

use std::collections::BTreeMap;

use nuages::middleware::common::CommonMiddleware;
use nuages::middleware::security::SecurityMiddleware;
use nuages::test::{Client, TestResponse};
use nuages::urls::path;
use nuages::views::{Args, IntoViewFn};
use nuages::{App, HttpRequest, HttpResponse, Settings};
use serde_json::Value as Json;

/// Kinds of middleware.json that are not about middleware: class-based views and decorators.
const OTHER_KINDS: &[&str] = &[
    "view_dispatch",
    "as_view_kwargs",
    "decorator",
    "redirect_view",
];

/// The generator's SECRET_KEY (any non-empty key would do: nothing here is signed).
const SECRET: &str = "django-insecure-golden-key";

/// The generator's ALLOWED_HOSTS (`setup_django()`).
const ALLOWED_HOSTS: &[&str] = &[
    "testserver",
    "example.com",
    ".example.org",
    "[::1]",
    "127.0.0.1",
];

fn base_settings() -> Settings {
    Settings {
        secret_key: SECRET.into(),
        allowed_hosts: ALLOWED_HOSTS.iter().map(|h| (*h).to_owned()).collect(),
        ..Settings::default()
    }
}

#[test]
fn every_kind_is_known() {
    let golden = support::golden("middleware.json");
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for case in golden["cases"].as_array().expect("cases") {
        let kind = case["kind"].as_str().expect("kind");
        assert!(
            kind == "security" || kind == "append_slash" || OTHER_KINDS.contains(&kind),
            "unexpected kind {kind}"
        );
        *counts.entry(kind.to_owned()).or_default() += 1;
    }
    assert_eq!(counts["security"], 20);
    assert_eq!(counts["append_slash"], 12);
}

// ===== SecurityMiddleware =====

/// Maps the case's Django settings onto [`Settings`] (the unnamed ones keep Django's defaults).
fn security_settings(name: &str, s: &serde_json::Map<String, Json>) -> Settings {
    let mut settings = base_settings();
    for (key, value) in s {
        let str_or_none = |v: &Json| v.as_str().map(str::to_owned);
        match key.as_str() {
            "SECURE_HSTS_SECONDS" => {
                settings.secure_hsts_seconds = value.as_u64().expect("HSTS seconds")
            }
            "SECURE_HSTS_INCLUDE_SUBDOMAINS" => {
                settings.secure_hsts_include_subdomains = value.as_bool().expect("bool")
            }
            "SECURE_HSTS_PRELOAD" => settings.secure_hsts_preload = value.as_bool().expect("bool"),
            "SECURE_CONTENT_TYPE_NOSNIFF" => {
                settings.secure_content_type_nosniff = value.as_bool().expect("bool")
            }
            "SECURE_REFERRER_POLICY" => {
                settings.secure_referrer_policy = match value {
                    // Django joins a list with "," (no stripping); a string is split on "," and
                    // each item stripped by the middleware.
                    Json::Array(items) => Some(
                        items
                            .iter()
                            .map(|i| i.as_str().expect("policy"))
                            .collect::<Vec<_>>()
                            .join(","),
                    ),
                    other => str_or_none(other),
                }
            }
            "SECURE_CROSS_ORIGIN_OPENER_POLICY" => {
                settings.secure_cross_origin_opener_policy = str_or_none(value)
            }
            "SECURE_SSL_REDIRECT" => settings.secure_ssl_redirect = value.as_bool().expect("bool"),
            "SECURE_SSL_HOST" => settings.secure_ssl_host = str_or_none(value),
            "SECURE_REDIRECT_EXEMPT" => {
                settings.secure_redirect_exempt = value
                    .as_array()
                    .expect("exempt list")
                    .iter()
                    .map(|r| r.as_str().expect("regex").to_owned())
                    .collect()
            }
            other => panic!("{name}: unmapped setting {other}"),
        }
    }
    settings
}

async fn ok(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("ok")
}

async fn ok_any(req: HttpRequest, _path: String) -> HttpResponse {
    ok(req).await
}

fn security_app(name: &str, settings: Settings) -> App {
    App::builder()
        .settings(settings)
        // The generator's inner view answers every path.
        .urls(vec![path("<path:p>", ok_any)])
        .middleware(SecurityMiddleware::new())
        .build()
        .unwrap_or_else(|e| panic!("{name}: App::build: {e}"))
}

/// The response's headers as (lower-cased name → value), Set-Cookie excluded.
fn header_map(name: &str, resp: &TestResponse) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (k, v) in resp.headers() {
        let value = v
            .to_str()
            .unwrap_or_else(|_| panic!("{name}: header {k} is not ASCII"));
        assert!(
            out.insert(k.as_str().to_owned(), value.to_owned())
                .is_none(),
            "{name}: header {k} repeated"
        );
    }
    out
}

fn expected_headers(case: &Json) -> BTreeMap<String, String> {
    case["response_headers"]
        .as_object()
        .expect("response_headers")
        .iter()
        .map(|(k, v)| {
            (
                k.to_ascii_lowercase(),
                v.as_str().expect("header value").to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn security_golden() {
    let golden = support::golden("middleware.json");
    let cases = support::cases_of(&golden, "security");
    assert_eq!(cases.len(), 20);
    for (i, case) in cases.iter().enumerate() {
        let settings_json = case["settings"].as_object().expect("settings");
        let secure = case["secure_request"].as_bool().expect("secure_request");
        let path = case["path"].as_str().expect("path");
        let name = format!(
            "security case #{i}: settings={} secure={secure} path={path:?}",
            case["settings"]
        );
        let app = security_app(&name, security_settings(&name, settings_json));
        let resp = Client::new(app)
            .get(path)
            .header("Host", "example.com")
            .secure(secure)
            .send()
            .await;
        assert_eq!(
            u64::from(resp.status()),
            case["status"].as_u64().expect("status"),
            "{name}: status"
        );
        assert_eq!(
            header_map(&name, &resp),
            expected_headers(case),
            "{name}: response headers"
        );
    }
}

// ===== CommonMiddleware: APPEND_SLASH =====

/// The generator's inner view: "inner view always returns 404".
async fn not_found(_req: HttpRequest, _args: Args) -> HttpResponse {
    HttpResponse::not_found("not found")
}

/// The request path Django's `RequestFactory` builds from the generator's `path` argument: it
/// is parsed with `urlparse`, so a leading `//host` is a network location, not part of the
/// path (`rf.get("//evil.com/int/5").path == "/int/5"`, Host stays `testserver`). The result
/// is then percent-encoded as a client would send it.
fn factory_path(path: &str) -> String {
    let path = match path.strip_prefix("//") {
        Some(rest) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => path,
    };
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Django's `escape()` of the DEBUG page (the message is shown HTML-escaped).
fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

#[tokio::test]
async fn append_slash_golden() {
    let golden = support::golden("middleware.json");
    let cases = support::cases_of(&golden, "append_slash");
    assert_eq!(cases.len(), 12);
    for (i, case) in cases.iter().enumerate() {
        let path = case["path"].as_str().expect("path");
        let method = case["method"].as_str().expect("method");
        let query = case["query"].as_str().expect("query");
        let debug = case["DEBUG"].as_bool().expect("DEBUG");
        let name =
            format!("append_slash case #{i}: {method} {path:?} query={query:?} DEBUG={debug}");
        let app = App::builder()
            .settings(Settings {
                debug,
                ..base_settings()
            })
            .resolver(support::urls::golden_urls(not_found.into_view_fn()))
            .middleware(CommonMiddleware::new())
            .build()
            .unwrap_or_else(|e| panic!("{name}: App::build: {e}"));
        let mut uri = factory_path(path);
        if !query.is_empty() {
            uri.push('?');
            uri.push_str(query);
        }
        let method = http::Method::from_bytes(method.as_bytes()).expect("method");
        let resp = Client::new(app).request(method, &uri).send().await;
        match case.get("error") {
            // Django's CommonMiddleware raises RuntimeError; in nuages the middleware's error
            // becomes the DEBUG 500 page, which shows the message.
            Some(error) => {
                assert_eq!(error["exception"], "RuntimeError", "{name}");
                // The message names nuages where Django's names Django (a DEBUG page only).
                let message = error["message"]
                    .as_str()
                    .expect("message")
                    .replace("Django can't", "nuages can't")
                    .replace("in your Django settings", "in your settings");
                assert_eq!(resp.status(), 500, "{name}: status");
                assert!(
                    resp.text().contains(&html_escape(&message)),
                    "{name}: the DEBUG page should show {message:?}, got {}",
                    resp.text()
                );
                assert_eq!(resp.header("location"), None, "{name}: Location");
            }
            None => {
                assert_eq!(
                    u64::from(resp.status()),
                    case["status"].as_u64().expect("status"),
                    "{name}: status"
                );
                assert_eq!(
                    resp.header("location"),
                    case["location"].as_str(),
                    "{name}: Location"
                );
            }
        }
    }
}

//! Golden tests: the request's host, scheme and path helpers against Django 5.2
//! (tests/data/golden/requests.json, kinds get_host, raw_host, scheme, full_path and
//! build_absolute_uri).

mod support;

use nuages::http::host::{get_host, get_port, raw_host, scheme_from_proxy_header};
use nuages::utils::encoding::{build_absolute_uri, full_path};
use serde_json::Value;

/// Kinds of requests.json tested elsewhere: `headers` (the `HttpHeaders` mapping) belongs to
/// the request object's module.
const OTHER_KINDS: &[&str] = &["headers"];
const KINDS: &[&str] = &[
    "get_host",
    "raw_host",
    "scheme",
    "full_path",
    "build_absolute_uri",
];

#[test]
fn every_case_is_covered() {
    let golden = support::golden("requests.json");
    for case in golden["cases"].as_array().expect("cases") {
        let kind = case["kind"].as_str().expect("kind");
        assert!(
            KINDS.contains(&kind) || OTHER_KINDS.contains(&kind),
            "unexpected kind {kind}"
        );
    }
}

fn expect_host(
    name: &str,
    result: Result<&str, nuages::core::exceptions::DisallowedHost>,
    case: &Value,
    key: &str,
) {
    match (result, case.get(key), case.get("error")) {
        (Ok(host), Some(expected), None) => {
            assert_eq!(host, expected.as_str().expect("str"), "{name}")
        }
        (Err(err), None, Some(error)) => {
            assert_eq!(error["exception"], "DisallowedHost", "{name}");
            assert_eq!(
                err.to_string(),
                error["message"].as_str().expect("message"),
                "{name}"
            );
        }
        (result, _, _) => panic!("{name}: got {result:?}, expected {case}"),
    }
}

#[test]
fn get_host_golden() {
    let golden = support::golden("requests.json");
    let cases = support::cases_of(&golden, "get_host");
    assert_eq!(cases.len(), 92);
    for case in &cases {
        let host = case["HTTP_HOST"].as_str().expect("host");
        let debug = case["DEBUG"].as_bool().expect("debug");
        let allowed: Vec<String> =
            serde_json::from_value(case["ALLOWED_HOSTS"].clone()).expect("hosts");
        let name = format!("get_host({host:?}, DEBUG={debug}, ALLOWED_HOSTS={allowed:?})");
        // META = {HTTP_HOST: h, SERVER_NAME: "fallback", SERVER_PORT: "80"}.
        let raw = raw_host(None, Some(host), "fallback", "80", false, false);
        expect_host(&name, get_host(&raw, &allowed, debug), case, "result");
    }
}

#[test]
fn raw_host_golden() {
    let golden = support::golden("requests.json");
    let cases = support::cases_of(&golden, "raw_host");
    assert_eq!(cases.len(), 7);
    for case in &cases {
        let meta = &case["META"];
        let get = |key: &str| meta.get(key).and_then(Value::as_str);
        let use_xfh = case["USE_X_FORWARDED_HOST"].as_bool().expect("bool");
        let [header, secure_value] =
            [0, 1].map(|i| case["SECURE_PROXY_SSL_HEADER"][i].as_str().expect("str"));
        let name = format!("raw_host(META={meta}, USE_X_FORWARDED_HOST={use_xfh})");
        let secure = scheme_from_proxy_header(get(header), secure_value).unwrap_or(false);
        let port = get_port(
            get("HTTP_X_FORWARDED_PORT"),
            get("SERVER_PORT").unwrap_or(""),
            false,
        );
        let raw = raw_host(
            get("HTTP_X_FORWARDED_HOST"),
            get("HTTP_HOST"),
            get("SERVER_NAME").unwrap_or(""),
            port,
            secure,
            use_xfh,
        );
        // The generator ran with ALLOWED_HOSTS = ["*"], DEBUG = False.
        expect_host(&name, get_host(&raw, &["*"], false), case, "get_host");
    }
}

#[test]
fn scheme_golden() {
    let golden = support::golden("requests.json");
    let cases = support::cases_of(&golden, "scheme");
    assert_eq!(cases.len(), 6);
    for case in &cases {
        let proto = case["X-Forwarded-Proto"].as_str();
        let expected = case["SECURE_PROXY_SSL_HEADER"][1].as_str().expect("str");
        // Without the header, HttpRequest falls back to "http".
        let secure = scheme_from_proxy_header(proto, expected).unwrap_or(false);
        let scheme = if secure { "https" } else { "http" };
        assert_eq!(scheme, case["scheme"], "X-Forwarded-Proto: {proto:?}");
        assert_eq!(secure, case["is_secure"], "X-Forwarded-Proto: {proto:?}");
    }
}

#[test]
fn full_path_golden() {
    let golden = support::golden("requests.json");
    let cases = support::cases_of(&golden, "full_path");
    assert_eq!(cases.len(), 9);
    for case in &cases {
        let path = case["path"].as_str().expect("path");
        let qs = case["QUERY_STRING"].as_str().expect("qs");
        let name = format!("path {path:?} + {qs:?}");
        assert_eq!(
            full_path(path, qs, false),
            case["get_full_path"],
            "{name}: get_full_path"
        );
        assert_eq!(
            full_path(path, qs, true),
            case["get_full_path_force_slash"],
            "{name}: force_append_slash"
        );
        let uri = build_absolute_uri("http", "example.com", path, qs, None).expect("valid");
        assert_eq!(
            uri, case["build_absolute_uri"],
            "{name}: build_absolute_uri()"
        );
    }
}

#[test]
fn build_absolute_uri_golden() {
    let golden = support::golden("requests.json");
    let cases = support::cases_of(&golden, "build_absolute_uri");
    assert_eq!(cases.len(), 15);
    for case in &cases {
        let location = case["location"].as_str().expect("location");
        let path = case["request_path"].as_str().expect("path");
        let host = case["host"].as_str().expect("host");
        // The generator's request has QUERY_STRING "z=1" and no proxy header (scheme http).
        let uri = build_absolute_uri("http", host, path, "z=1", Some(location));
        assert_eq!(
            uri.as_deref().map_err(ToString::to_string),
            Ok(case["result"].as_str().expect("result")),
            "{location:?}"
        );
    }
}

//! Golden vectors produced by Django 5.2 (`tests/data/golden/requests.json`), checked through a
//! real [`nuages::HttpRequest`] built by [`RequestFactory`]: the `headers` kind (`request.headers`
//! and `request.META`), and the `get_host`, `raw_host`, `scheme`, `full_path` and
//! `build_absolute_uri` kinds through the request's methods (`get_host`, `scheme`, `is_secure`,
//! `get_full_path`, `get_full_path_append_slash`, `build_absolute_uri`). The pure functions
//! behind them are checked against the same cases in `tests/requests_pure.rs`.
//!
//! The generator sets `request.META` directly; here each META entry becomes what a client or
//! server provides: `HTTP_*` keys and `CONTENT_TYPE`/`CONTENT_LENGTH` become headers,
//! `SERVER_NAME`/`SERVER_PORT` the factory's server, `QUERY_STRING` the URI's query.

mod support;

use http::header::HeaderName;
use nuages::test::{FactoryRequest, RequestFactory};
use nuages::{HttpRequest, Settings};
use serde_json::{Map, Value};

const KINDS: &[&str] = &[
    "get_host",
    "raw_host",
    "scheme",
    "full_path",
    "build_absolute_uri",
    "headers",
];

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("list")
        .iter()
        .map(|s| s.as_str().expect("string").to_owned())
        .collect()
}

/// `SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")` → (`x-forwarded-proto`, `https`).
fn proxy_ssl_header(v: &Value) -> Option<(HeaderName, String)> {
    let pair = strings(v);
    let [meta_key, value] = pair.as_slice() else {
        panic!("SECURE_PROXY_SSL_HEADER should be a pair: {v}");
    };
    Some((header_name_of_meta_key(meta_key), value.clone()))
}

fn header_name_of_meta_key(key: &str) -> HeaderName {
    let name = key
        .strip_prefix("HTTP_")
        .unwrap_or(key)
        .to_ascii_lowercase()
        .replace('_', "-");
    HeaderName::from_bytes(name.as_bytes()).expect("header name")
}

fn settings(allowed_hosts: Vec<String>) -> Settings {
    Settings {
        secret_key: "django-insecure-golden-key".into(),
        allowed_hosts,
        ..Settings::default()
    }
}

/// A GET request for `uri` carrying the case's META.
fn request_with_meta(
    factory: &RequestFactory,
    uri: &str,
    meta: &Map<String, Value>,
) -> HttpRequest {
    let mut req: FactoryRequest = factory.get(uri);
    let mut server_name = None;
    let mut server_port = None;
    for (key, value) in meta {
        let value = value.as_str().expect("META value");
        match key.as_str() {
            "SERVER_NAME" => server_name = Some(value),
            "SERVER_PORT" => server_port = Some(value),
            k if k.starts_with("HTTP_") || k == "CONTENT_TYPE" || k == "CONTENT_LENGTH" => {
                req = req.header(header_name_of_meta_key(k).as_str(), value);
            }
            other => panic!("unmapped META key {other}"),
        }
    }
    if server_name.is_some() || server_port.is_some() {
        req = req.server(
            server_name.unwrap_or("testserver"),
            server_port.unwrap_or("80"),
        );
    }
    req.build()
}

#[test]
fn every_kind_is_covered() {
    let golden = support::golden("requests.json");
    for case in golden["cases"].as_array().expect("cases") {
        let kind = case["kind"].as_str().expect("kind");
        assert!(KINDS.contains(&kind), "unexpected kind {kind}");
    }
}

/// Compares a `get_host()` result with the case's expected host (`key`) or error.
fn expect_host(name: &str, req: &HttpRequest, case: &Value, key: &str) {
    match (req.get_host(), case.get(key), case.get("error")) {
        (Ok(host), Some(expected), None) => {
            assert_eq!(host, expected.as_str().expect("str"), "{name}: get_host")
        }
        (Err(err), None, Some(error)) => {
            assert_eq!(error["exception"], "DisallowedHost", "{name}");
            assert_eq!(
                err.to_string(),
                error["message"].as_str().expect("message"),
                "{name}: error message"
            );
            // A view or middleware returning it answers 400.
            let e: nuages::Error = err.into();
            assert_eq!(e.kind(), nuages::ErrorKind::BadRequest, "{name}");
        }
        (result, _, _) => panic!("{name}: got {result:?}, expected {case}"),
    }
}

#[test]
fn get_host_golden() {
    let golden = support::golden("requests.json");
    let cases = support::cases_of(&golden, "get_host");
    assert_eq!(cases.len(), 92);
    for (i, case) in cases.iter().enumerate() {
        let host = case["HTTP_HOST"].as_str().expect("host");
        let debug = case["DEBUG"].as_bool().expect("debug");
        let allowed = strings(&case["ALLOWED_HOSTS"]);
        let name = format!("get_host #{i}: Host={host:?} DEBUG={debug} ALLOWED_HOSTS={allowed:?}");
        let factory = RequestFactory::with_settings(Settings {
            debug,
            ..settings(allowed)
        });
        // The generator's META: {HTTP_HOST: …, SERVER_NAME: 'fallback', SERVER_PORT: '80'}.
        let req = factory
            .get("/")
            .header("Host", host)
            .server("fallback", "80")
            .build();
        expect_host(&name, &req, case, "result");
    }
}

#[test]
fn raw_host_golden() {
    let golden = support::golden("requests.json");
    let cases = support::cases_of(&golden, "raw_host");
    assert_eq!(cases.len(), 7);
    for (i, case) in cases.iter().enumerate() {
        let meta = case["META"].as_object().expect("META");
        let xfh = case["USE_X_FORWARDED_HOST"].as_bool().expect("bool");
        let name = format!(
            "raw_host #{i}: META={} USE_X_FORWARDED_HOST={xfh}",
            case["META"]
        );
        // The generator runs these with ALLOWED_HOSTS = ['*'].
        let factory = RequestFactory::with_settings(Settings {
            use_x_forwarded_host: xfh,
            secure_proxy_ssl_header: proxy_ssl_header(&case["SECURE_PROXY_SSL_HEADER"]),
            ..settings(vec!["*".into()])
        });
        let req = request_with_meta(&factory, "/", meta);
        expect_host(&name, &req, case, "get_host");
    }
}

#[test]
fn scheme_golden() {
    let golden = support::golden("requests.json");
    let cases = support::cases_of(&golden, "scheme");
    assert_eq!(cases.len(), 6);
    for (i, case) in cases.iter().enumerate() {
        let proto = case["X-Forwarded-Proto"].as_str();
        let name = format!("scheme #{i}: X-Forwarded-Proto={proto:?}");
        let factory = RequestFactory::with_settings(Settings {
            secure_proxy_ssl_header: proxy_ssl_header(&case["SECURE_PROXY_SSL_HEADER"]),
            ..settings(vec!["*".into()])
        });
        let mut req = factory.get("/").header("Host", "example.com");
        if let Some(p) = proto {
            req = req.header("X-Forwarded-Proto", p);
        }
        let req = req.build();
        assert_eq!(req.scheme(), case["scheme"], "{name}: scheme");
        assert_eq!(req.is_secure(), case["is_secure"], "{name}: is_secure");
    }
}

/// A path as a client sends it: every byte outside the unreserved set and `/` percent-encoded,
/// so that the server's decoding gives back exactly `path` (the generator assigns the decoded
/// `request.path` directly; `%` itself becomes `%25`).
fn encode_path(path: &str) -> String {
    let mut out = String::new();
    let bytes = path.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        // A second leading `/` would make the URI `//authority…`.
        let leading_double = i == 1 && b == b'/';
        if (b.is_ascii_alphanumeric() || b"/-._~".contains(&b)) && !leading_double {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A query string as a client sends it: non-ASCII bytes, spaces and controls percent-encoded,
/// everything else (including existing escapes) verbatim. The generator's QUERY_STRING is a
/// Python str (`q=☃`, `q=a b`) that a URI cannot carry raw; `iri_to_uri`, which
/// `get_full_path` applies, maps both forms to the same result.
fn encode_query(query: &str) -> String {
    let mut out = String::new();
    for b in query.bytes() {
        if b.is_ascii_graphic() {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[test]
fn full_path_golden() {
    let golden = support::golden("requests.json");
    let cases = support::cases_of(&golden, "full_path");
    assert_eq!(cases.len(), 9);
    let factory = RequestFactory::with_settings(settings(vec!["*".into()]));
    for (i, case) in cases.iter().enumerate() {
        let path = case["path"].as_str().expect("path");
        let qs = case["QUERY_STRING"].as_str().expect("QUERY_STRING");
        let name = format!("full_path #{i}: path={path:?} QUERY_STRING={qs:?}");
        let mut uri = encode_path(path);
        if !qs.is_empty() {
            uri.push('?');
            uri.push_str(&encode_query(qs));
        }
        let req = factory.get(&uri).header("Host", "example.com").build();
        assert_eq!(req.path(), path, "{name}: request.path (URI {uri:?})");
        assert_eq!(req.path_info(), path, "{name}: request.path_info");
        assert_eq!(
            req.get_full_path(),
            case["get_full_path"].as_str().expect("get_full_path"),
            "{name}: get_full_path()"
        );
        assert_eq!(
            req.get_full_path_append_slash(),
            case["get_full_path_force_slash"]
                .as_str()
                .expect("get_full_path_force_slash"),
            "{name}: get_full_path(force_append_slash=True)"
        );
        assert_eq!(
            req.build_absolute_uri(None)
                .unwrap_or_else(|e| panic!("{name}: build_absolute_uri: {e}")),
            case["build_absolute_uri"]
                .as_str()
                .expect("build_absolute_uri"),
            "{name}: build_absolute_uri()"
        );
        assert_eq!(req.scheme(), "http", "{name}: scheme");
        assert!(!req.is_secure(), "{name}: is_secure");
    }
}

#[test]
fn build_absolute_uri_golden() {
    let golden = support::golden("requests.json");
    let cases = support::cases_of(&golden, "build_absolute_uri");
    assert_eq!(cases.len(), 15);
    let factory = RequestFactory::with_settings(settings(vec!["*".into()]));
    for (i, case) in cases.iter().enumerate() {
        let request_path = case["request_path"].as_str().expect("request_path");
        let host = case["host"].as_str().expect("host");
        let location = case["location"].as_str().expect("location");
        let name = format!("build_absolute_uri #{i}: location={location:?}");
        // The generator's META: {HTTP_HOST: host, QUERY_STRING: 'z=1'}.
        let req = factory
            .get(&format!("{request_path}?z=1"))
            .header("Host", host)
            .build();
        assert_eq!(
            req.build_absolute_uri(Some(location))
                .unwrap_or_else(|e| panic!("{name}: {e}")),
            case["result"].as_str().expect("result"),
            "{name}"
        );
    }
}

#[test]
fn headers_golden() {
    let golden = support::golden("requests.json");
    let cases = support::cases_of(&golden, "headers");
    assert_eq!(cases.len(), 1);
    let case = &cases[0];
    let meta = case["META"].as_object().expect("META");
    let expected = case["headers"].as_object().expect("headers");
    let factory = RequestFactory::new();
    // CONTENT_LENGTH: 3 comes from a 3-byte body (the factory adds the header itself).
    let mut req = factory.post("/", "abc");
    let mut server_name = None;
    for (key, value) in meta {
        let value = value.as_str().expect("META value");
        match key.as_str() {
            "SERVER_NAME" => server_name = Some(value),
            "CONTENT_LENGTH" => assert_eq!(value, "3", "headers: body length"),
            k => req = req.header(header_name_of_meta_key(k).as_str(), value),
        }
    }
    let req = req.server(server_name.expect("SERVER_NAME"), "80").build();

    // request.headers: every header Django lists, under its name in any spelling.
    for (header, value) in expected {
        let value = value.as_str().expect("header value");
        let name = format!("headers: request.headers[{header:?}]");
        assert_eq!(req.header(header).as_deref(), Some(value), "{name}");
        assert_eq!(
            req.header(&header.to_ascii_lowercase()).as_deref(),
            Some(value),
            "{name} (lower-case)"
        );
        assert_eq!(
            req.header(&header.to_ascii_uppercase().replace('-', "_"))
                .as_deref(),
            Some(value),
            "{name} (upper-case, underscores)"
        );
    }
    // request.headers as a list: Django's Title-Case names, in any order.
    let mut listed: Vec<(String, String)> = req
        .http_headers()
        .iter()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    listed.sort();
    let mut expected_items: Vec<(String, String)> = expected
        .iter()
        .map(|(n, v)| (n.clone(), v.as_str().expect("value").to_owned()))
        .collect();
    expected_items.sort();
    assert_eq!(listed, expected_items, "headers: request.headers.items()");
    // … and nothing else: SERVER_NAME is not a header.
    let mut names: Vec<String> = req.headers().keys().map(|k| k.to_string()).collect();
    names.sort();
    let mut expected_names: Vec<String> = expected.keys().map(|k| k.to_ascii_lowercase()).collect();
    expected_names.sort();
    assert_eq!(names, expected_names, "headers: the header names");
    assert_eq!(req.header("server-name"), None, "headers: SERVER_NAME");

    // request.META: the same values under their CGI names.
    for (key, value) in meta {
        assert_eq!(
            req.meta().get(key),
            value.as_str(),
            "headers: request.META[{key:?}]"
        );
    }
}

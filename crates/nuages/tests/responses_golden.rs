//! Golden vectors produced by Django 5.2 (`tests/data/golden/responses.json`) checked against
//! nuages's [`HttpResponse`] API, case by case: kinds `content_type`, `content`, `write`,
//! `header`, `headers_kwarg`, `header_case`, `subclass`, `redirect`, `shortcut_redirect`,
//! `streaming` and `file_like`.
//!
//! Django has one class per kind of response; nuages has one type with a constructor per
//! class (`HttpResponseRedirect("/x")` ↔ `HttpResponse::redirect("/x")`), and its `Debug` output
//! is Django's `repr()`.
//!
//! Header names: `response.items()` is compared exactly, with Django's order and spelling of
//! names (`HttpResponse::items`).

mod support;

use bytes::Bytes;
use futures_util::StreamExt;
use http::Method;
use nuages::http::response::Content;
use nuages::urls::{path, Value as UrlValue};
use nuages::views::ViewFn;
use nuages::{HttpResponse, JsonResponse};
use serde_json::Value;

/// Kinds of responses.json checked in other test files.
const OTHER_KINDS: &[(&str, &str)] = &[
    ("reason_phrase", "tests/reason.rs"),
    ("reason_phrase_probe", "tests/reason.rs"),
    ("status_validation", "tests/reason.rs"),
    ("custom_reason", "tests/reason.rs"),
    ("json", "tests/json.rs"),
];

/// The kinds checked here, with their number of cases.
const KINDS: &[(&str, usize)] = &[
    ("content_type", 7),
    ("content", 9),
    ("write", 1),
    ("header", 10),
    ("headers_kwarg", 2),
    ("header_case", 1),
    ("subclass", 14),
    ("redirect", 21),
    ("shortcut_redirect", 5),
    ("streaming", 1),
    ("file_like", 2),
];

/// Cases that cannot be reproduced at all, as (kind, case key, reason). Each must exist in the
/// golden file.
const EXCLUDED: &[(&str, &str, &str)] = &[
    (
        "content",
        "bytearray",
        // Python iterates a bytearray as ints (`bytearray(b"ba")` → `9897`); Rust bytes are
        // bytes: `HttpResponse::new(vec![b'b', b'a'])` is `ba`. No equivalent input type.
        "Python-only coercion of a bytearray as an iterable of ints",
    ),
    (
        "content",
        "none",
        // `HttpResponse(None)` stringifies None as `"None"`; Rust content is bytes, there is no
        // None to coerce.
        "Python-only str(None) coercion",
    ),
];

fn cases_of(golden: &Value, kind: &str) -> Vec<Value> {
    let cases: Vec<Value> = golden["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .filter(|c| c["kind"] == kind)
        .cloned()
        .collect();
    let expected = KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, n)| *n)
        .unwrap_or_else(|| panic!("kind {kind} not listed in KINDS"));
    assert_eq!(cases.len(), expected, "number of {kind} cases");
    cases
}

fn excluded(kind: &str, key: &str) -> bool {
    EXCLUDED.iter().any(|(k, c, _)| *k == kind && *c == key)
}

fn s(v: &Value) -> &str {
    v.as_str()
        .unwrap_or_else(|| panic!("expected a string, got {v}"))
}

/// Bytes as Latin-1 text (how Django's str header values go on the wire, and how the generator
/// decoded `content`).
fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The response's `items()`: (name as spelled, Latin-1 value), in order.
fn header_items(r: &HttpResponse) -> Vec<(String, String)> {
    r.items()
        .into_iter()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// A golden `items()` / `headers` list of pairs.
fn golden_items(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .expect("items")
        .iter()
        .map(|pair| {
            let pair = pair.as_array().expect("pair");
            (s(&pair[0]).to_owned(), s(&pair[1]).to_owned())
        })
        .collect()
}

#[test]
fn every_case_is_accounted_for() {
    let golden = support::golden("responses.json");
    for case in golden["cases"].as_array().expect("cases") {
        let kind = s(&case["kind"]);
        assert!(
            KINDS.iter().any(|(k, _)| *k == kind) || OTHER_KINDS.iter().any(|(k, _)| *k == kind),
            "unexpected kind {kind}"
        );
    }
    for (kind, _) in KINDS {
        cases_of(&golden, kind);
    }
    // Every exclusion names a real case.
    for (kind, key, reason) in EXCLUDED {
        let found = golden["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .any(|c| c["kind"] == *kind && case_key(c) == *key);
        assert!(
            found,
            "excluded case {kind}/{key} ({reason}) not in golden file"
        );
    }
    assert_eq!(EXCLUDED.len(), 2);
}

/// The key naming a case in [`EXCLUDED`].
fn case_key(case: &Value) -> String {
    match s(&case["kind"]) {
        "content" => s(&case["input_kind"]).to_owned(),
        "headers_kwarg" => {
            let names: Vec<&String> = case["headers"]
                .as_object()
                .expect("headers")
                .keys()
                .collect();
            match case.get("content_type") {
                Some(_) => format!(
                    "{}+content_type",
                    names
                        .iter()
                        .map(|n| n.as_str())
                        .collect::<Vec<_>>()
                        .join("+")
                ),
                None => names
                    .iter()
                    .map(|n| n.as_str())
                    .collect::<Vec<_>>()
                    .join("+"),
            }
        }
        other => other.to_owned(),
    }
}

#[test]
fn content_type_golden() {
    for (i, case) in cases_of(&support::golden("responses.json"), "content_type")
        .iter()
        .enumerate()
    {
        let kwargs = case["kwargs"].as_object().expect("kwargs");
        let name = format!("content_type #{i}: HttpResponse('é', **{})", case["kwargs"]);
        let content_type = kwargs.get("content_type").map(s);
        let charset = kwargs.get("charset").map(s);
        // Django's keyword arguments are builder calls: content_type= → with_content_type,
        // charset= → with_charset; the text is encoded when the response is built.
        let mut r = HttpResponse::new("é");
        if let Some(ct) = content_type {
            r = r.with_content_type(ct.to_owned());
        }
        if let Some(cs) = charset {
            r = r.with_charset(cs);
        }
        assert!(r.build_error().is_none(), "{name}: {:?}", r.build_error());
        assert_eq!(
            r.header("content-type").as_deref(),
            Some(s(&case["content_type_header"])),
            "{name}: Content-Type"
        );
        assert_eq!(r.charset(), s(&case["charset"]), "{name}: charset");
        assert_eq!(
            hex(r.content().unwrap()),
            s(&case["body_hex_for_e_acute"]),
            "{name}: content"
        );
        assert_eq!(r.text().unwrap(), "é", "{name}: text");
    }
}

#[test]
fn content_golden() {
    let mut skipped = 0;
    for (i, case) in cases_of(&support::golden("responses.json"), "content")
        .iter()
        .enumerate()
    {
        let kind = s(&case["input_kind"]);
        let repr = s(&case["input_repr"]);
        let name = format!("content #{i}: HttpResponse({repr})");
        if excluded("content", kind) {
            skipped += 1;
            continue;
        }
        // The Rust equivalent of each Python input, checked against the recorded repr.
        let (expected_repr, r) = match kind {
            "str" => ("'hello'", HttpResponse::new("hello")),
            "bytes" => ("b'hello'", HttpResponse::new(&b"hello"[..])),
            "int" => ("12345", HttpResponse::new(12345)),
            "list_of_str" => ("['a', 'b', 'c']", ["a", "b", "c"].into_iter().collect()),
            "list_mixed" => (
                "['a', b'b', 3]",
                [Content::from("a"), Content::from(b"b"), Content::from(3)]
                    .into_iter()
                    .collect(),
            ),
            "memoryview" => (
                "memoryview(b'mv')",
                HttpResponse::new(Bytes::from_static(b"mv")),
            ),
            "empty" => ("''", HttpResponse::new("")),
            other => panic!("{name}: unmapped input kind {other}"),
        };
        assert_eq!(
            repr, expected_repr,
            "{name}: input changed in the golden file"
        );
        assert_eq!(
            latin1(r.content().unwrap()),
            s(&case["content"]),
            "{name}: content"
        );
    }
    assert_eq!(skipped, 2, "content: excluded cases");
}

#[test]
fn write_golden() {
    let cases = cases_of(&support::golden("responses.json"), "write");
    let case = &cases[0];
    assert_eq!(case["initial"], "abc");
    assert_eq!(case["writes"], serde_json::json!(["def", "b'ghi'"]));
    let mut r = HttpResponse::new("abc");
    r.write("def").unwrap();
    r.write(b"ghi").unwrap();
    let name = "write: HttpResponse('abc'), write('def'), write(b'ghi')";
    assert_eq!(
        latin1(r.content().unwrap()),
        s(&case["content"]),
        "{name}: content"
    );
    assert_eq!(
        r.tell().unwrap() as u64,
        case["tell"].as_u64().unwrap(),
        "{name}: tell"
    );
    assert_eq!(r.writable(), case["writable"], "{name}: writable");
    assert_eq!(r.seekable(), case["seekable"], "{name}: seekable");
    assert_eq!(r.readable(), case["readable"], "{name}: readable");
}

/// The value of a `header` case, from its Python repr.
fn header_value_of(repr: &str) -> &'static str {
    match repr {
        "'bar'" => "bar",
        "'café'" => "café",
        "'☃'" => "☃",
        "'a\\nb'" => "a\nb",
        "'a\\rb'" => "a\rb",
        "'x'" => "x",
        // Django decodes bytes values (ASCII here) and str()s ints: nuages takes text.
        "b'bytes'" => "bytes",
        "123" => "123",
        "' padded '" => " padded ",
        other => panic!("unmapped header value {other}"),
    }
}

#[test]
fn header_golden() {
    for (i, case) in cases_of(&support::golden("responses.json"), "header")
        .iter()
        .enumerate()
    {
        let header = s(&case["name"]);
        let repr = s(&case["value_repr"]);
        let name = format!("header #{i}: response[{header:?}] = {repr}");
        let mut r = HttpResponse::empty();
        let result = r.set_header(header, header_value_of(repr));
        match case.get("error") {
            Some(error) => {
                let err = result.expect_err(&name);
                assert_eq!(
                    err.to_string(),
                    s(&error["message"]),
                    "{name}: error message"
                );
                assert!(
                    matches!(
                        s(&error["exception"]),
                        "BadHeaderError" | "UnicodeEncodeError"
                    ),
                    "{name}"
                );
                assert_eq!(header_items(&r).len(), 1, "{name}: nothing set");
            }
            None => {
                result.unwrap_or_else(|e| panic!("{name}: {e}"));
                let stored = r
                    .headers()
                    .get(header)
                    .unwrap_or_else(|| panic!("{name}: not stored"));
                assert_eq!(
                    latin1(stored.as_bytes()),
                    s(&case["stored"]),
                    "{name}: stored"
                );
                let mut items = header_items(&r);
                items.retain(|(k, _)| !k.eq_ignore_ascii_case("content-type"));
                assert_eq!(items, golden_items(&case["items"]), "{name}: items");
            }
        }
    }
}

#[test]
fn headers_kwarg_golden() {
    let mut skipped = 0;
    for (i, case) in cases_of(&support::golden("responses.json"), "headers_kwarg")
        .iter()
        .enumerate()
    {
        let key = case_key(case);
        let name = format!(
            "headers_kwarg #{i}: HttpResponse(headers={})",
            case["headers"]
        );
        if excluded("headers_kwarg", &key) {
            skipped += 1;
            continue;
        }
        // HttpResponse(headers={...}, content_type=...): with_headers and with_content_type.
        let headers: Vec<(String, String)> = case["headers"]
            .as_object()
            .expect("headers")
            .iter()
            .map(|(k, v)| (k.clone(), s(v).to_owned()))
            .collect();
        let mut r = HttpResponse::empty();
        if let Some(ct) = case.get("content_type") {
            r = r.with_content_type(s(ct).to_owned());
        }
        let r = r.with_headers(headers);
        if let Some(error) = case.get("error") {
            assert_eq!(error["exception"], "ValueError", "{name}: exception");
            assert_eq!(
                r.build_error().map(|e| e.to_string()).as_deref(),
                Some(s(&error["message"])),
                "{name}: error"
            );
            continue;
        }
        assert!(r.build_error().is_none(), "{name}: {:?}", r.build_error());
        assert_eq!(
            header_items(&r),
            golden_items(&case["items"]),
            "{name}: items"
        );
        for (k, v) in case["headers"].as_object().expect("headers") {
            assert_eq!(
                r.header(k).as_deref(),
                Some(s(v)),
                "{name}: response[{k:?}]"
            );
            assert_eq!(
                r.header(&k.to_ascii_uppercase()).as_deref(),
                Some(s(v)),
                "{name}: response[{k:?}] (upper-case)"
            );
        }
    }
    assert_eq!(skipped, 0, "headers_kwarg: excluded cases");
}

#[test]
fn header_case_golden() {
    let cases = cases_of(&support::golden("responses.json"), "header_case");
    let case = &cases[0];
    let set = s(&case["set"]);
    let name = format!("header_case: response[{set:?}] = 'v'");
    let mut r = HttpResponse::empty();
    r.set_header(set, "v")
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        r.header("x-mixed-case").as_deref(),
        Some(s(&case["get_lower"])),
        "{name}: get"
    );
    assert_eq!(
        r.has_header("X-MIXED-CASE"),
        case["has_header_upper"],
        "{name}: has_header"
    );
    assert_eq!(
        header_items(&r),
        golden_items(&case["items"]),
        "{name}: items"
    );
}

/// The nuages response for a `subclass` case.
fn subclass_response(class: &str) -> HttpResponse {
    match class {
        "HttpResponse" => HttpResponse::empty(),
        "HttpResponseRedirect" => HttpResponse::redirect("/next/").unwrap(),
        "HttpResponseRedirect(preserve_request)" => {
            HttpResponse::redirect_preserve_request("/next/").unwrap()
        }
        "HttpResponsePermanentRedirect" => HttpResponse::permanent_redirect("/next/").unwrap(),
        "HttpResponsePermanentRedirect(preserve_request)" => {
            HttpResponse::permanent_redirect_preserve_request("/next/").unwrap()
        }
        "HttpResponseNotModified" => HttpResponse::not_modified(),
        "HttpResponseBadRequest" => HttpResponse::bad_request(""),
        "HttpResponseNotFound" => HttpResponse::not_found(""),
        "HttpResponseForbidden" => HttpResponse::forbidden(""),
        "HttpResponseNotAllowed" => {
            HttpResponse::not_allowed(&[Method::GET, Method::from_bytes(b"post").expect("method")])
        }
        "HttpResponseGone" => HttpResponse::gone(""),
        "HttpResponseServerError" => HttpResponse::server_error(""),
        "JsonResponse" => JsonResponse::new(&serde_json::json!({"a": 1})).unwrap(),
        "StreamingHttpResponse" => HttpResponse::streaming_iter(["a", "b"].map(Bytes::from)),
        other => panic!("unmapped class {other}"),
    }
}

#[test]
fn subclass_golden() {
    for (i, case) in cases_of(&support::golden("responses.json"), "subclass")
        .iter()
        .enumerate()
    {
        let class = s(&case["class"]);
        let name = format!("subclass #{i}: {class}");
        let r = subclass_response(class);
        assert_eq!(
            u64::from(r.status_code()),
            case["status_code"].as_u64().expect("status"),
            "{name}: status_code"
        );
        assert_eq!(
            r.reason_phrase(),
            s(&case["reason_phrase"]),
            "{name}: reason_phrase"
        );
        assert_eq!(format!("{r:?}"), s(&case["repr"]), "{name}: repr");
        assert_eq!(
            header_items(&r),
            golden_items(&case["headers"]),
            "{name}: headers"
        );
    }
}

/// A `redirect` case's target (long ones are recorded as a Python expression).
fn redirect_target(target: &str) -> String {
    match target {
        "'/' + 'a'*16384" => format!("/{}", "a".repeat(16384)),
        "'/' + 'a'*16383" => format!("/{}", "a".repeat(16383)),
        t => t.to_owned(),
    }
}

/// Compares a Location with a golden value (`(len N)` for long ones).
fn check_location(name: &str, what: &str, actual: Option<&str>, expected: &str) {
    let actual = actual.unwrap_or_else(|| panic!("{name}: no {what}"));
    match expected
        .strip_prefix("(len ")
        .and_then(|r| r.strip_suffix(')'))
    {
        Some(n) => assert_eq!(actual.len().to_string(), n, "{name}: {what} length"),
        None => assert_eq!(actual, expected, "{name}: {what}"),
    }
}

#[test]
fn redirect_golden() {
    for (i, case) in cases_of(&support::golden("responses.json"), "redirect")
        .iter()
        .enumerate()
    {
        assert_eq!(case["class"], "HttpResponseRedirect");
        let target = s(&case["target"]);
        let name = format!("redirect #{i}: HttpResponseRedirect({target:?})");
        let result = HttpResponse::redirect(&redirect_target(target));
        match case.get("error") {
            Some(error) => {
                assert_eq!(error["exception"], "DisallowedRedirect", "{name}");
                let err = result.expect_err(&name);
                assert_eq!(err.to_string(), s(&error["message"]), "{name}: message");
                // Raised from a view, it is a SuspiciousOperation: 400.
                let e: nuages::Error = err.into();
                assert_eq!(e.kind(), nuages::ErrorKind::BadRequest, "{name}");
            }
            None => {
                let r = result.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(
                    u64::from(r.status_code()),
                    case["status_code"].as_u64().expect("status"),
                    "{name}: status"
                );
                check_location(
                    &name,
                    "Location",
                    r.header("location").as_deref(),
                    s(&case["location"]),
                );
                check_location(&name, "url", r.url(), s(&case["url"]));
            }
        }
    }
}

#[test]
fn shortcut_redirect_golden() {
    let app = nuages::App::builder()
        .settings(nuages::Settings {
            debug: true,
            ..nuages::Settings::default()
        })
        .urls(vec![path("int/<int:n>/", ViewFn::named("v")).name("int")])
        .build()
        .expect("URLconf");
    let (parts, ()) = http::Request::get("/").body(()).unwrap().into_parts();
    let urls = app.request(parts, nuages::http::RequestBody::empty());
    for (i, case) in cases_of(&support::golden("responses.json"), "shortcut_redirect")
        .iter()
        .enumerate()
    {
        let to = s(&case["to"]);
        let name = format!(
            "shortcut_redirect #{i}: redirect({to:?}, **{})",
            case["kwargs"]
        );
        let (r, expected_location) = if to.starts_with("url name 'int'") {
            // redirect("int", n=5) with the generator's `int/<int:n>/` pattern.
            let r = nuages::shortcuts::redirect_with(&urls, "int")
                .kwarg("n", UrlValue::Int(5))
                .send()
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            (r, s(&case["location"]).to_owned())
        } else {
            let kwargs = case["kwargs"].as_object().expect("kwargs");
            let flag = |k: &str| kwargs.get(k).and_then(Value::as_bool).unwrap_or(false);
            let (permanent, preserve) = (flag("permanent"), flag("preserve_request"));
            let mut redirect = nuages::shortcuts::redirect_with(&urls, to);
            if permanent {
                redirect = redirect.permanent();
            }
            if preserve {
                redirect = redirect.preserve_request();
            }
            let r = redirect.send().unwrap_or_else(|e| panic!("{name}: {e}"));
            // The class's repr starts with its name.
            let class = s(&case["class"]);
            let repr = format!("{r:?}");
            assert!(
                repr.starts_with(&format!("<{class} ")),
                "{name}: expected a {class}, got {repr}"
            );
            (r, to.to_owned())
        };
        assert_eq!(
            u64::from(r.status_code()),
            case["status_code"].as_u64().expect("status"),
            "{name}: status"
        );
        assert_eq!(
            r.url(),
            Some(expected_location.as_str()),
            "{name}: Location"
        );
    }
}

/// Drains a streaming response, chunk by chunk.
async fn chunks(r: &mut HttpResponse) -> Vec<Bytes> {
    let mut stream = r.take_stream().expect("a streaming response");
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        out.push(chunk.expect("chunk"));
    }
    out
}

#[tokio::test]
async fn streaming_golden() {
    let cases = cases_of(&support::golden("responses.json"), "streaming");
    let case = &cases[0];
    let name = "streaming: StreamingHttpResponse(['a', b'b', 'é'])";
    assert_eq!(case["input_repr"], "['a', b'b', 'é']");
    // Text chunks are encoded with the response's charset, bytes are kept (rule 156).
    let mut r = HttpResponse::streaming_iter([
        Content::from("a"),
        Content::from(&b"b"[..]),
        Content::from("é"),
    ]);
    assert_eq!(r.is_streaming(), case["streaming"], "{name}: streaming");
    assert_eq!(
        header_items(&r),
        golden_items(&case["headers"]),
        "{name}: headers"
    );
    let error = r.content().unwrap_err();
    assert_eq!(
        error.python_exception(),
        case["content_access_error"]["exception"],
        "{name}: content"
    );
    assert_eq!(
        error.to_string(),
        s(&case["content_access_error"]["message"]),
        "{name}: content"
    );
    let got: Vec<String> = chunks(&mut r)
        .await
        .iter()
        .map(|c| String::from_utf8(c.to_vec()).expect("UTF-8 chunk"))
        .collect();
    let expected: Vec<&str> = case["chunks"]
        .as_array()
        .expect("chunks")
        .iter()
        .map(s)
        .collect();
    assert_eq!(got, expected, "{name}: streaming_content");

    // write() is Django's OSError, and leaves the stream alone.
    let mut r = HttpResponse::streaming_iter([Bytes::from_static(b"a")]);
    assert!(!r.writable(), "{name}: writable");
    let error = r.write("x").unwrap_err();
    assert_eq!(
        error.to_string(),
        s(&case["write_error"]["message"]),
        "{name}: write"
    );
    assert_eq!(case["write_error"]["exception"], "OSError");
    assert_eq!(
        chunks(&mut r).await,
        [Bytes::from_static(b"a")],
        "{name}: after write"
    );
}

#[test]
fn file_like_golden() {
    let cases = cases_of(&support::golden("responses.json"), "file_like");
    let mut r = HttpResponse::new("abc");
    let before = &cases[0];
    assert_eq!(before["content"], "abc");
    assert_eq!(
        r.tell().unwrap() as u64,
        before["tell"].as_u64().expect("tell"),
        "file_like #0: tell"
    );
    assert_eq!(r.closed(), before["closed_before"], "file_like #0: closed");
    r.close();
    assert_eq!(
        r.closed(),
        cases[1]["after_close_closed"],
        "file_like #1: closed after close()"
    );
}

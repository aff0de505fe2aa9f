//! Response charsets against vectors from Django 5.2 (`tests/data/response_charset_vectors.json`,
//! made by `response_charset_vectors.py`): DEFAULT_CHARSET for the default Content-Type and for
//! text content (rules 57–61), `charset=` and `content_type=`, `write()`, iterable content
//! (rule 63), Python's encoding errors and the status range (rule 66), and the text chunks of a
//! `StreamingHttpResponse`, encoded with the response's charset as they are sent (rule 156).
//!
//! Django's keyword arguments are builder calls: `content_type=` → `with_content_type`,
//! `charset=` → `with_charset`, `status=` → `with_status`. A response built from a view goes
//! through the handler, which applies DEFAULT_CHARSET; what Django's constructor raises is a
//! 500 from the handler and the response's `build_error` when built directly.

mod support;

use std::sync::Arc;

use bytes::Bytes;
use http::StatusCode;
use nuages::http::reason::validate_status;
use nuages::http::response::Content;
use nuages::test::Client;
use nuages::urls::path;
use nuages::{App, HttpRequest, HttpResponse, Settings};
use serde_json::Value;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn content(item: &Value) -> Content {
    if let Some(t) = item["text"].as_str() {
        Content::from(t.to_owned())
    } else if let Some(h) = item["bytes_hex"].as_str() {
        Content::from(unhex(h))
    } else {
        Content::from(item["int"].as_i64().expect("int"))
    }
}

/// The response Django's `HttpResponse(content, **kwargs)` plus `write()`s builds.
fn build(case: &Value) -> Result<HttpResponse, nuages::Error> {
    let mut r = match case["content"].as_array() {
        Some(items) if case["streaming"] == true => {
            HttpResponse::streaming_iter(items.iter().map(content).collect::<Vec<_>>())
        }
        Some(items) => items.iter().map(content).collect(),
        None => HttpResponse::new(content(&case["content"])),
    };
    let kwargs = &case["kwargs"];
    if let Some(ct) = kwargs["content_type"].as_str() {
        r = r.with_content_type(ct.to_owned());
    }
    if let Some(cs) = kwargs["charset"].as_str() {
        r = r.with_charset(cs);
    }
    if let Some(status) = kwargs["status"].as_u64() {
        // http::StatusCode cannot hold a status under 100: the number is checked first.
        r = match StatusCode::from_u16(status as u16) {
            Ok(code) => r.with_status(code),
            Err(_) => return Err(validate_status(status as i64).unwrap_err().into()),
        };
    }
    for w in case["writes"].as_array().expect("writes") {
        r.write(content(w))?;
    }
    Ok(r)
}

fn app(default_charset: &str, cases: Arc<Vec<Value>>) -> App {
    let view = move |req: HttpRequest| {
        let cases = Arc::clone(&cases);
        async move {
            let i: usize = req
                .query()
                .expect("query")
                .get("i")
                .unwrap_or("0")
                .parse()
                .expect("i");
            build(&cases[i])
        }
    };
    App::builder()
        .settings(Settings {
            allowed_hosts: vec!["*".into()],
            secret_key: "x".into(),
            default_charset: default_charset.to_owned(),
            ..Settings::default()
        })
        .urls([path("case", view)])
        .build()
        .expect("app")
}

#[tokio::test]
async fn response_charsets_match_django() {
    let golden = support::data("response_charset_vectors.json");
    let cases: Arc<Vec<Value>> = Arc::new(golden["cases"].as_array().expect("cases").clone());
    assert_eq!(cases.len(), 53);
    assert_eq!(cases.iter().filter(|c| c["streaming"] == true).count(), 10);
    for (i, case) in cases.iter().enumerate() {
        let default_charset = case["default_charset"].as_str().expect("default_charset");
        let name = format!("#{i} {} (DEFAULT_CHARSET={default_charset})", case["name"]);
        let client = Client::new(app(default_charset, Arc::clone(&cases)));
        let r = client.get(&format!("/case?i={i}")).send().await;
        if let Some(error) = case.get("error") {
            assert_eq!(r.status(), 500, "{name}: {error}");
            if default_charset == "utf-8" {
                // Built directly: the error Django's constructor raises, with its message.
                let message = match build(case) {
                    Ok(r) => r.build_error().map(|e| e.to_string()),
                    Err(e) => Some(e.to_string()),
                };
                assert_eq!(
                    message.as_deref(),
                    error["message"].as_str(),
                    "{name}: error"
                );
            }
            continue;
        }
        assert_eq!(
            u64::from(r.status()),
            case["status"].as_u64().expect("status"),
            "{name}: status"
        );
        assert_eq!(
            r.header("content-type"),
            case["content_type"].as_str(),
            "{name}: Content-Type"
        );
        if let Some(error) = case.get("iteration_error") {
            // Headers first, then the chunk that does not encode fails the stream.
            let mut built = build(case).expect("built");
            let mut stream = built.take_stream().expect("a stream");
            let mut failure = None;
            while let Some(chunk) = futures_util::StreamExt::next(&mut stream).await {
                if let Err(e) = chunk {
                    failure = Some(e.to_string());
                    break;
                }
            }
            assert_eq!(
                failure.as_deref(),
                error["message"].as_str(),
                "{name}: error"
            );
            continue;
        }
        let expected = match case["chunks_hex"].as_array() {
            Some(chunks) => chunks.iter().map(|c| c.as_str().expect("hex")).collect(),
            None => case["body_hex"].as_str().expect("body_hex").to_owned(),
        };
        assert_eq!(hex(r.content()), expected, "{name}: body");
        if default_charset == "utf-8" {
            let built = build(case).expect("built");
            assert_eq!(built.charset(), case["charset"].as_str().expect("charset"));
        }
    }
}

#[test]
fn a_status_outside_django_range_is_refused_everywhere() {
    let mut r = HttpResponse::empty();
    let too_big = StatusCode::from_u16(600).expect("600");
    assert_eq!(
        r.set_status(too_big).unwrap_err().to_string(),
        "HTTP status code must be an integer from 100 to 599."
    );
    assert_eq!(r.status_code(), 200, "unchanged");
    assert!(r
        .set_status(StatusCode::from_u16(599).expect("599"))
        .is_ok());
    let built = HttpResponse::new(Bytes::new()).with_status(too_big);
    assert_eq!(built.status_code(), 200);
    assert!(built.build_error().is_some());
}

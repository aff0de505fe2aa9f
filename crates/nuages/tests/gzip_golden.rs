//! Every case of golden `gzip.json` through `GZipMiddleware::process_response` (random header
//! padding forced to 0, as the generator did; the zlib backend is CPython's, so even the
//! compressed lengths are identical).

mod support;

use bytes::Bytes;
use nuages::middleware::gzip::GZipMiddleware;
use nuages::HttpResponse;
use serde_json::Value;

fn incompressible() -> Vec<u8> {
    let hex = include_str!("data/gzip_incompressible_500.hex").trim();
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

fn with(mut r: HttpResponse, name: &str, value: &str) -> HttpResponse {
    r.set_header(name, value).unwrap();
    r
}

fn mk(kind: &str) -> HttpResponse {
    let compressible = Bytes::from(b"hello world ".repeat(50));
    match kind {
        "compressible_600" => HttpResponse::new(compressible),
        "short_199" => HttpResponse::new(vec![b'a'; 199]),
        "exact_200" => HttpResponse::new(vec![b'a'; 200]),
        "incompressible_500" => {
            HttpResponse::new(incompressible()).with_content_type("application/octet-stream")
        }
        "already_encoded" => with(HttpResponse::new(compressible), "Content-Encoding", "br"),
        "strong_etag" => with(HttpResponse::new(compressible), "ETag", "\"abc\""),
        "weak_etag" => with(HttpResponse::new(compressible), "ETag", "W/\"abc\""),
        "vary_cookie" => with(HttpResponse::new(compressible), "Vary", "Cookie"),
        "vary_star" => with(HttpResponse::new(compressible), "Vary", "*"),
        "vary_accept_encoding_lower" => {
            with(HttpResponse::new(compressible), "Vary", "accept-encoding")
        }
        "streaming" => HttpResponse::streaming_iter(vec![
            Bytes::from_static(b"hello "),
            Bytes::from(b"world ".repeat(10)),
        ]),
        "streaming_short" => HttpResponse::streaming_iter(vec![Bytes::from_static(b"x")]),
        "streaming_with_content_length" => with(
            HttpResponse::streaming_iter(vec![Bytes::from(vec![b'x'; 10])]),
            "Content-Length",
            "10",
        ),
        "status_404" => HttpResponse::new(compressible).with_status(http::StatusCode::NOT_FOUND),
        "json" => HttpResponse::new(compressible).with_content_type("application/json"),
        "image" => HttpResponse::new(compressible).with_content_type("image/png"),
        other => panic!("unknown response kind {other}"),
    }
}

async fn body(r: HttpResponse) -> (http::response::Parts, Vec<u8>) {
    let (parts, body) = r.into_http().into_parts();
    (parts, body.collect_bytes().await.unwrap().to_vec())
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(data)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[tokio::test]
async fn golden_gzip_cases() {
    let golden: Value = support::golden("gzip.json");
    let mw = GZipMiddleware::new().max_random_bytes(0);
    let mut checked = 0;
    for case in golden["cases"].as_array().unwrap() {
        let kind = case["response"].as_str().unwrap();
        let ae = case["accept_encoding"].as_str().unwrap_or("");
        let name = format!("{kind} / {ae:?}");
        let (_, original) = body(mk(kind)).await;
        let out = mw.process_response(ae, mk(kind));
        assert_eq!(
            out.status_code() as u64,
            case["status"].as_u64().unwrap(),
            "{name}"
        );
        let (parts, raw) = body(out).await;
        let compressed = parts
            .headers
            .get("content-encoding")
            .is_some_and(|v| v == "gzip");
        assert_eq!(
            compressed,
            case["compressed"].as_bool().unwrap(),
            "{name}: compressed"
        );
        assert_eq!(
            original.len() as u64,
            case["original_length"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            raw.len() as u64,
            case["output_length_with_zero_random_padding"]
                .as_u64()
                .unwrap(),
            "{name}: output length"
        );
        let decompressed = if compressed {
            gunzip(&raw)
        } else {
            raw.clone()
        };
        assert_eq!(
            decompressed == original,
            case["decompressed_matches_original"].as_bool().unwrap(),
            "{name}"
        );
        if let Some(hex) = case["gzip_header_hex"].as_str() {
            let got: String = raw[..12].iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(got, hex, "{name}: gzip header");
        }
        let expected = case["response_headers"].as_object().unwrap();
        for (k, v) in expected {
            assert_eq!(
                parts.headers.get(k.as_str()).map(|h| h.to_str().unwrap()),
                Some(v.as_str().unwrap()),
                "{name}: header {k}"
            );
        }
        for k in parts.headers.keys() {
            assert!(
                expected.keys().any(|e| e.eq_ignore_ascii_case(k.as_str())),
                "{name}: unexpected header {k}"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 58);
}

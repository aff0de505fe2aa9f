//! GZipMiddleware's encodings beyond Django (brotli and zstd, off by default): negotiation,
//! round trips through the crates' own decoders, Django's rules (size, already encoded, Vary,
//! ETag, Content-Length, only if shorter), the BREACH padding, and streams that deliver each
//! chunk decodably before they end.
#![cfg(all(feature = "brotli", feature = "zstd"))]

use std::io::Read;

use bytes::Bytes;
use futures_util::{FutureExt, StreamExt};
use nuages::http::body::BodyStream;
use nuages::middleware::gzip::{negotiate, Encoding, GZipMiddleware};
use nuages::test::Client;
use nuages::urls::path;
use nuages::{App, HttpRequest, HttpResponse, Settings};

fn text() -> Vec<u8> {
    b"hello world ".repeat(50)
}

/// A longer body that compresses, but not trivially (a few hundred KiB of varied words).
fn long_text() -> Vec<u8> {
    let words = [
        "nuages", "django", "brotli", "zstd", "gzip", "tokio", "hyper", "tower",
    ];
    let mut state: u32 = 12345;
    let mut out = Vec::new();
    while out.len() < 300_000 {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
        out.extend_from_slice(words[(state >> 16) as usize % words.len()].as_bytes());
        out.extend_from_slice(format!(" {} ", state % 1000).as_bytes());
    }
    out
}

/// The first `n` bytes of [`long_text`].
fn some_text(n: usize) -> Vec<u8> {
    long_text()[..n].to_vec()
}

/// Bytes that do not compress.
fn noise(n: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

fn all() -> GZipMiddleware {
    GZipMiddleware::new().brotli(true).zstd(true)
}

fn decode(encoding: &str, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match encoding {
        "br" => {
            brotli::Decompressor::new(data, 4096)
                .read_to_end(&mut out)
                .expect("brotli decodes");
        }
        "zstd" => out = zstd::stream::decode_all(data).expect("zstd decodes"),
        "gzip" => {
            flate2::read::GzDecoder::new(data)
                .read_to_end(&mut out)
                .expect("gzip decodes");
        }
        other => panic!("unexpected encoding {other}"),
    }
    out
}

/// What a decoder produces from a prefix of a compressed stream, without its end: everything
/// it reads before it runs out of input.
fn decode_prefix(encoding: &str, data: &[u8]) -> Vec<u8> {
    let mut reader: Box<dyn Read + '_> = match encoding {
        "br" => Box::new(brotli::Decompressor::new(data, 4096)),
        "zstd" => Box::new(zstd::stream::read::Decoder::new(data).expect("decoder")),
        other => panic!("unexpected encoding {other}"),
    };
    let mut out = Vec::new();
    let mut buf = [0; 4096];
    loop {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => return out,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
}

/// `a == b` for long bodies, without printing them.
fn same(a: &[u8], b: &[u8]) -> bool {
    a == b
}

async fn split(r: HttpResponse) -> (http::response::Parts, Vec<u8>) {
    let (parts, body) = r.into_http().into_parts();
    (parts, body.collect_bytes().await.expect("body").to_vec())
}

fn content_encoding(parts: &http::response::Parts) -> Option<&str> {
    parts
        .headers
        .get("content-encoding")
        .map(|v| v.to_str().expect("ascii"))
}

fn header<'a>(parts: &'a http::response::Parts, name: &str) -> Option<&'a str> {
    parts.headers.get(name).map(|v| v.to_str().expect("ascii"))
}

/// The coding chosen for `ae` by `mw`, for a compressible complete body.
fn chosen(mw: &GZipMiddleware, ae: &str) -> Option<String> {
    let r = mw.process_response(ae, HttpResponse::new(text()));
    r.headers()
        .get("content-encoding")
        .map(|v| v.to_str().expect("ascii").to_owned())
}

#[test]
fn negotiation_table() {
    let br_only = GZipMiddleware::new().brotli(true);
    let zstd_only = GZipMiddleware::new().zstd(true);
    let django = GZipMiddleware::new();
    let cases: &[(&GZipMiddleware, &str, Option<&str>)] = &[
        // Browsers: everything at q=1, the server's preference decides.
        (&all(), "gzip, deflate, br, zstd", Some("br")),
        (&all(), "zstd, gzip, br", Some("br")),
        (&all(), "gzip, deflate, br", Some("br")),
        (&all(), "gzip, zstd", Some("zstd")),
        (&all(), "gzip", Some("gzip")),
        (&all(), "deflate, gzip", Some("gzip")),
        // Weights.
        (&all(), "br;q=0.5, gzip", Some("gzip")),
        (&all(), "br;q=0.5, zstd;q=0.6, gzip;q=0.4", Some("zstd")),
        (&all(), "br;q=0.999, zstd", Some("zstd")),
        (&all(), "br;q=1.0, zstd;q=1", Some("br")),
        (&all(), "br; q=0.2 , gzip ;q=0.1", Some("br")),
        (&all(), "zstd;q=0.001", Some("zstd")),
        // q=0: not acceptable.
        (&all(), "br;q=0, gzip", Some("gzip")),
        (&all(), "br;q=0, zstd;q=0, gzip;q=0", None),
        (&all(), "gzip;q=0", None),
        (&all(), "gzip;q=0.000, br;q=0.0", None),
        // `*` covers the codings not named.
        (&all(), "*", Some("br")),
        (&all(), "*;q=0.5, gzip", Some("gzip")),
        (&all(), "*;q=0.5, br;q=0", Some("zstd")),
        (&all(), "*;q=0", None),
        (&all(), "*;q=0, gzip;q=0.1", Some("gzip")),
        // Tokens are case-insensitive; x-gzip is gzip.
        (&all(), "BR", Some("br")),
        (&all(), "Zstd;Q=1", Some("zstd")),
        (&all(), "GZIP", Some("gzip")),
        (&all(), "x-gzip", Some("gzip")),
        // identity.
        (&all(), "identity", None),
        (&all(), "gzip;q=0.5, identity", None),
        (&all(), "identity;q=0.5, br;q=0.5", Some("br")),
        (&all(), "identity;q=0, br", Some("br")),
        // Nothing acceptable.
        (&all(), "", None),
        (&all(), "deflate", None),
        (&all(), "compress, deflate;q=0.5", None),
        (&all(), "brotli, zstandard, gzipped", None),
        // A malformed weight leaves its element out.
        (&all(), "br;q=2, gzip", Some("gzip")),
        (&all(), "br;q=high, zstd;q=1.5, gzip;q=0.1", Some("gzip")),
        (&all(), "br;q=0.1234, zstd", Some("zstd")),
        (&all(), ",, ;q=1, zstd", Some("zstd")),
        // Disabled encodings are never chosen.
        (&br_only, "zstd, gzip;q=0.5", Some("gzip")),
        (&br_only, "zstd", None),
        (&br_only, "br;q=0.1, zstd", Some("br")),
        (&zstd_only, "br", None),
        (&zstd_only, "br, gzip;q=0.2, zstd;q=0.1", Some("gzip")),
        (&zstd_only, "br, zstd;q=0.1", Some("zstd")),
        // Neither enabled: Django's regex, q-values ignored.
        (&django, "br", None),
        (&django, "br, zstd", None),
        (&django, "gzip;q=0", Some("gzip")),
        (&django, "br;q=1, gzip;q=0.1", Some("gzip")),
        (&django, "GZIP", None),
        (&django, "x-gzip", Some("gzip")),
        (&django, "*", None),
    ];
    for (mw, ae, expected) in cases {
        assert_eq!(chosen(mw, ae).as_deref(), *expected, "{ae:?} with {mw:?}");
    }
    // Explicitly disabled through the builder is the same as never enabled.
    let off = GZipMiddleware::new().brotli(false).zstd(false);
    for ae in ["br", "zstd", "gzip;q=0", "*"] {
        assert_eq!(chosen(&off, ae), chosen(&django, ae), "{ae:?}");
    }
}

#[test]
fn negotiate_respects_the_offered_order_and_list() {
    let all = [Encoding::Brotli, Encoding::Zstd, Encoding::Gzip];
    assert_eq!(negotiate("br, zstd, gzip", &all), Some(Encoding::Brotli));
    assert_eq!(
        negotiate("br, zstd, gzip", &[Encoding::Gzip, Encoding::Zstd]),
        Some(Encoding::Gzip)
    );
    assert_eq!(negotiate("br, zstd, gzip", &[]), None);
    assert_eq!(negotiate("*", &[Encoding::Zstd]), Some(Encoding::Zstd));
    // The highest weight of repeated elements counts.
    assert_eq!(
        negotiate("br;q=0.1, zstd;q=0.5, br;q=0.9", &all),
        Some(Encoding::Brotli)
    );
    assert_eq!(Encoding::Zstd.as_str(), "zstd");
    assert_eq!(Encoding::Gzip.header_value(), "gzip");
}

#[tokio::test]
async fn complete_bodies_round_trip() {
    for padding in [0, 100] {
        let mw = all().max_random_bytes(padding);
        for (encoding, ae) in [("br", "br"), ("zstd", "zstd"), ("gzip", "gzip")] {
            for body in [text(), long_text(), vec![b'a'; 200]] {
                let r = mw.process_response(ae, HttpResponse::new(body.clone()));
                let (parts, raw) = split(r).await;
                assert_eq!(content_encoding(&parts), Some(encoding), "{ae}");
                assert!(raw.len() < body.len(), "{ae}: {} bytes", raw.len());
                assert_eq!(
                    header(&parts, "content-length"),
                    Some(raw.len().to_string().as_str()),
                    "{ae}"
                );
                assert_eq!(header(&parts, "vary"), Some("Accept-Encoding"), "{ae}");
                assert!(
                    same(&decode(encoding, &raw), &body),
                    "{ae} padding {padding}"
                );
            }
        }
    }
}

#[tokio::test]
async fn streamed_bodies_round_trip() {
    let chunks: Vec<Bytes> = vec![
        Bytes::from_static(b"hello "),
        Bytes::new(),
        Bytes::from(b"world ".repeat(10)),
        Bytes::from(long_text()),
        Bytes::from_static(b"x"),
    ];
    let whole: Vec<u8> = chunks.iter().flat_map(|c| c.to_vec()).collect();
    for padding in [0, 100] {
        let mw = all().max_random_bytes(padding);
        for encoding in ["br", "zstd"] {
            let mut response = HttpResponse::streaming_iter(chunks.clone());
            response
                .set_header("Content-Length", "123")
                .expect("header");
            let r = mw.process_response(encoding, response);
            assert!(r.is_streaming());
            let (parts, raw) = split(r).await;
            assert_eq!(content_encoding(&parts), Some(encoding));
            assert_eq!(header(&parts, "content-length"), None, "{encoding}");
            assert_eq!(header(&parts, "vary"), Some("Accept-Encoding"));
            assert!(
                same(&decode(encoding, &raw), &whole),
                "{encoding} padding {padding}"
            );
        }
    }
    // A stream shorter than 200 bytes is compressed too (Django's rule), and an empty one.
    for encoding in ["br", "zstd"] {
        for body in [vec![Bytes::from_static(b"x")], vec![]] {
            let expected: Vec<u8> = body.iter().flat_map(|c| c.to_vec()).collect();
            let r = all().process_response(encoding, HttpResponse::streaming_iter(body));
            let (parts, raw) = split(r).await;
            assert_eq!(content_encoding(&parts), Some(encoding));
            assert!(same(&decode(encoding, &raw), &expected));
        }
    }
}

/// A stream fed by hand: the test decides when each chunk arrives and when it ends.
fn channel_stream() -> (tokio::sync::mpsc::UnboundedSender<Bytes>, BodyStream) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Bytes>();
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (Ok(chunk), rx))
    });
    (tx, Box::pin(stream))
}

/// Everything `stream` yields without waiting.
fn drain_ready(stream: &mut BodyStream) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    loop {
        match stream.next().now_or_never() {
            Some(Some(chunk)) => out.extend_from_slice(&chunk.expect("chunk")),
            Some(None) => return (out, true),
            None => return (out, false),
        }
    }
}

#[tokio::test]
async fn streams_deliver_each_chunk_before_they_end() {
    for padding in [0, 100] {
        for encoding in ["br", "zstd"] {
            let (tx, stream) = channel_stream();
            let mut r = all()
                .max_random_bytes(padding)
                .process_response(encoding, HttpResponse::streaming(stream));
            assert_eq!(
                r.headers().get("content-encoding").map(|v| v.as_bytes()),
                Some(encoding.as_bytes())
            );
            let mut compressed = r.take_stream().expect("a stream");
            let mut sent = Vec::new();
            let mut received = Vec::new();
            for chunk in [
                b"first chunk, ".to_vec(),
                b"second ".repeat(40),
                long_text(),
            ] {
                tx.send(Bytes::from(chunk.clone())).expect("send");
                sent.extend_from_slice(&chunk);
                let (bytes, ended) = drain_ready(&mut compressed);
                assert!(!ended, "{encoding}: the stream ended early");
                assert!(!bytes.is_empty(), "{encoding}: nothing delivered");
                received.extend_from_slice(&bytes);
                // Decodable now, before the stream's end, and all of it.
                let decoded = decode_prefix(encoding, &received);
                assert!(
                    same(&decoded, &sent),
                    "{encoding} padding {padding}: {} of {} bytes decoded",
                    decoded.len(),
                    sent.len()
                );
            }
            drop(tx);
            let (rest, ended) = drain_ready(&mut compressed);
            assert!(ended);
            received.extend_from_slice(&rest);
            assert!(same(&decode(encoding, &received), &sent), "{encoding}");
        }
    }
}

#[tokio::test]
async fn first_chunk_decodes_on_its_own() {
    // With padding off, the first compressed chunk alone decodes to the first chunk.
    for encoding in ["br", "zstd"] {
        let (tx, stream) = channel_stream();
        let mut r = all()
            .max_random_bytes(0)
            .process_response(encoding, HttpResponse::streaming(stream));
        let mut compressed = r.take_stream().expect("a stream");
        tx.send(Bytes::from_static(b"<html><head><title>first</title>"))
            .expect("send");
        let first = tokio::time::timeout(std::time::Duration::from_secs(5), compressed.next())
            .await
            .expect("the first chunk is delivered while the stream is still open")
            .expect("a first chunk")
            .expect("no error");
        assert_eq!(
            decode_prefix(encoding, &first),
            b"<html><head><title>first</title>",
            "{encoding}"
        );
        assert!(compressed.next().now_or_never().is_none(), "{encoding}");
    }
}

#[tokio::test]
async fn etag_vary_and_content_length() {
    for encoding in ["br", "zstd"] {
        let mut response = HttpResponse::new(text());
        response.set_header("ETag", "\"abc\"").expect("etag");
        response.set_header("Vary", "Cookie").expect("vary");
        let (parts, raw) = split(all().process_response(encoding, response)).await;
        assert_eq!(header(&parts, "etag"), Some("W/\"abc\""), "{encoding}");
        assert_eq!(
            header(&parts, "vary"),
            Some("Cookie, Accept-Encoding"),
            "{encoding}"
        );
        assert_eq!(
            header(&parts, "content-length"),
            Some(raw.len().to_string().as_str())
        );

        let mut response = HttpResponse::new(text());
        response.set_header("ETag", "W/\"abc\"").expect("etag");
        response
            .set_header("Vary", "accept-encoding")
            .expect("vary");
        let (parts, _) = split(all().process_response(encoding, response)).await;
        assert_eq!(header(&parts, "etag"), Some("W/\"abc\""), "{encoding}");
        assert_eq!(
            header(&parts, "vary"),
            Some("accept-encoding"),
            "{encoding}"
        );

        // A stream's strong ETag is weakened too.
        let mut response = HttpResponse::streaming_iter(vec![Bytes::from(text())]);
        response.set_header("ETag", "\"abc\"").expect("etag");
        let (parts, _) = split(all().process_response(encoding, response)).await;
        assert_eq!(header(&parts, "etag"), Some("W/\"abc\""), "{encoding}");
    }
}

#[tokio::test]
async fn small_encoded_and_incompressible_bodies_are_untouched() {
    for encoding in ["br", "zstd"] {
        // Under 200 bytes: untouched, not even Vary.
        let body = vec![b'a'; 199];
        let (parts, raw) =
            split(all().process_response(encoding, HttpResponse::new(body.clone()))).await;
        assert_eq!(content_encoding(&parts), None, "{encoding}");
        assert_eq!(header(&parts, "vary"), None, "{encoding}");
        assert_eq!(raw, body);

        // Already encoded: untouched, not even Vary.
        let mut response = HttpResponse::new(text());
        response.set_header("Content-Encoding", "gzip").expect("ce");
        let (parts, raw) = split(all().process_response(encoding, response)).await;
        assert_eq!(content_encoding(&parts), Some("gzip"), "{encoding}");
        assert_eq!(header(&parts, "vary"), None, "{encoding}");
        assert_eq!(raw, text());

        // An already encoded stream too.
        let mut response = HttpResponse::streaming_iter(vec![Bytes::from(text())]);
        response.set_header("Content-Encoding", "br").expect("ce");
        let (parts, raw) = split(all().process_response(encoding, response)).await;
        assert_eq!(content_encoding(&parts), Some("br"), "{encoding}");
        assert_eq!(raw, text());

        // Compressed form not shorter: the original body, with Vary, strong ETag kept.
        let body = noise(500);
        let mut response = HttpResponse::new(body.clone());
        response.set_header("ETag", "\"n\"").expect("etag");
        let (parts, raw) = split(all().process_response(encoding, response)).await;
        assert_eq!(content_encoding(&parts), None, "{encoding}");
        assert_eq!(
            header(&parts, "vary"),
            Some("Accept-Encoding"),
            "{encoding}"
        );
        assert_eq!(header(&parts, "etag"), Some("\"n\""), "{encoding}");
        assert_eq!(raw, body);
    }
}

#[tokio::test]
async fn breach_padding_varies_the_length() {
    for encoding in ["br", "zstd"] {
        let mut lengths = std::collections::BTreeSet::new();
        for _ in 0..40 {
            let r = all().process_response(encoding, HttpResponse::new(some_text(5000)));
            let (_, raw) = split(r).await;
            assert!(same(&decode(encoding, &raw), &some_text(5000)));
            lengths.insert(raw.len());
        }
        assert!(lengths.len() > 5, "{encoding}: lengths {lengths:?}");
        let spread = lengths.last().unwrap_or(&0) - lengths.first().unwrap_or(&0);
        // At most 99 bytes of padding, plus the few bytes that frame it (a brotli metadata
        // block's header, absent without padding).
        assert!(spread < 100 + 8, "{encoding}: spread {spread}");

        let mut lengths = std::collections::BTreeSet::new();
        for _ in 0..5 {
            let r = all()
                .max_random_bytes(0)
                .process_response(encoding, HttpResponse::new(some_text(5000)));
            lengths.insert(split(r).await.1.len());
        }
        assert_eq!(lengths.len(), 1, "{encoding}: no padding, one length");
    }
    // zstd: the padding is a skippable frame in front of the data frame.
    let r = all()
        .max_random_bytes(100)
        .process_response("zstd", HttpResponse::new(text()));
    let (_, raw) = split(r).await;
    assert_eq!(&raw[..4], &[0x50, 0x2a, 0x4d, 0x18]);
    let skip = u32::from_le_bytes([raw[4], raw[5], raw[6], raw[7]]) as usize;
    assert!(skip < 100);
    assert_eq!(&raw[8 + skip..12 + skip], &[0x28, 0xb5, 0x2f, 0xfd]);
    let r = all()
        .max_random_bytes(0)
        .process_response("zstd", HttpResponse::new(text()));
    let (_, raw) = split(r).await;
    assert_eq!(&raw[..4], &[0x28, 0xb5, 0x2f, 0xfd]);
}

#[tokio::test]
async fn levels_change_the_output() {
    let fast = GZipMiddleware::new()
        .max_random_bytes(0)
        .brotli(true)
        .brotli_quality(0)
        .zstd(true)
        .zstd_level(1);
    let best = GZipMiddleware::new()
        .max_random_bytes(0)
        .brotli(true)
        .brotli_quality(99)
        .zstd(true)
        .zstd_level(99);
    for encoding in ["br", "zstd"] {
        let (_, a) =
            split(fast.process_response(encoding, HttpResponse::new(some_text(30_000)))).await;
        let (_, b) =
            split(best.process_response(encoding, HttpResponse::new(some_text(30_000)))).await;
        assert!(b.len() < a.len(), "{encoding}: {} vs {}", b.len(), a.len());
        assert!(same(&decode(encoding, &a), &some_text(30_000)));
        assert!(same(&decode(encoding, &b), &some_text(30_000)));
    }
}

async fn page(_: HttpRequest) -> HttpResponse {
    HttpResponse::new(text())
}

async fn stream_page(_: HttpRequest) -> HttpResponse {
    HttpResponse::streaming_iter(vec![Bytes::from(text()), Bytes::from(long_text())])
}

fn app(
    settings: Settings,
    mw: GZipMiddleware,
) -> Result<App, nuages::core::exceptions::ImproperlyConfigured> {
    App::builder()
        .settings(Settings {
            allowed_hosts: vec!["*".into()],
            secret_key: "x".into(),
            ..settings
        })
        .middleware(mw)
        .urls([path("page/", page), path("stream/", stream_page)])
        .build()
}

#[tokio::test]
async fn settings_enable_the_encodings() {
    let client = Client::new(
        app(
            Settings {
                gzip_brotli: true,
                gzip_zstd: true,
                gzip_zstd_level: 19,
                ..Settings::default()
            },
            GZipMiddleware::new(),
        )
        .expect("app"),
    );
    for (ae, encoding) in [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip, zstd", "zstd"),
        ("gzip", "gzip"),
    ] {
        let r = client
            .get("/page/")
            .header("accept-encoding", ae)
            .send()
            .await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.header("content-encoding"), Some(encoding), "{ae}");
        assert_eq!(r.header("vary"), Some("Accept-Encoding"));
        assert!(same(&decode(encoding, r.content()), &text()), "{ae}");

        let r = client
            .get("/stream/")
            .header("accept-encoding", ae)
            .send()
            .await;
        assert_eq!(r.header("content-encoding"), Some(encoding), "{ae}");
        let mut whole = text();
        whole.extend_from_slice(&long_text());
        assert!(same(&decode(encoding, r.content()), &whole), "{ae}");
    }
    let r = client.get("/page/").send().await;
    assert_eq!(r.header("content-encoding"), None);
    assert_eq!(r.content(), text());

    // The builder wins over the settings.
    let client = Client::new(
        app(
            Settings {
                gzip_brotli: true,
                ..Settings::default()
            },
            GZipMiddleware::new().brotli(false),
        )
        .expect("app"),
    );
    let r = client
        .get("/page/")
        .header("accept-encoding", "br, gzip")
        .send()
        .await;
    assert_eq!(r.header("content-encoding"), Some("gzip"));
}

#[tokio::test]
async fn default_settings_are_django() {
    let client = Client::new(app(Settings::default(), GZipMiddleware::new()).expect("app"));
    let r = client
        .get("/page/")
        .header("accept-encoding", "br, zstd")
        .send()
        .await;
    assert_eq!(r.header("content-encoding"), None);
    assert_eq!(r.header("vary"), Some("Accept-Encoding"));
    let r = client
        .get("/page/")
        .header("accept-encoding", "gzip;q=0")
        .send()
        .await;
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert!(same(&decode("gzip", r.content()), &text()));
}

#[test]
fn invalid_levels_stop_the_build() {
    for settings in [
        Settings {
            gzip_brotli_quality: 12,
            ..Settings::default()
        },
        Settings {
            gzip_zstd_level: 0,
            ..Settings::default()
        },
        Settings {
            gzip_zstd_level: 20,
            ..Settings::default()
        },
    ] {
        let error = app(settings, GZipMiddleware::new()).expect_err("refused");
        assert!(error.to_string().contains("GZIP_"), "{error}");
    }
    // Builder levels are clamped instead.
    assert!(app(
        Settings::default(),
        GZipMiddleware::new().brotli_quality(50).zstd_level(-3)
    )
    .is_ok());
}

#[test]
fn settings_read_from_the_environment() {
    let settings = Settings::default()
        .with_vars(|name| match name {
            "NUAGES_GZIP_BROTLI" => Some("true".into()),
            "NUAGES_GZIP_ZSTD" => Some("1".into()),
            "NUAGES_GZIP_BROTLI_QUALITY" => Some("5".into()),
            "NUAGES_GZIP_ZSTD_LEVEL" => Some("7".into()),
            _ => None,
        })
        .expect("settings");
    assert!(settings.gzip_brotli && settings.gzip_zstd);
    assert_eq!(settings.gzip_brotli_quality, 5);
    assert_eq!(settings.gzip_zstd_level, 7);
    let defaults = Settings::default();
    assert!(!defaults.gzip_brotli && !defaults.gzip_zstd);
    assert_eq!(defaults.gzip_brotli_quality, 4);
    assert_eq!(defaults.gzip_zstd_level, 3);
}

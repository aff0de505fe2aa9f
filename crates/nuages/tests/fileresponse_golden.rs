//! FileResponse against golden vectors from Django 5.2 (`tests/data/golden/fileresponse.json`):
//! files opened by path, in-memory bytes (Django's `BytesIO`/`StringIO`), an open file at a
//! position (rule 161), explicit content types; then the opt-in `Range` support (beyond Django).

mod support;

use std::io::SeekFrom;

use bytes::Bytes;
use futures_util::StreamExt;
use nuages::http::response::FileResponse;
use nuages::test::RequestFactory;
use nuages::HttpResponse;
use serde_json::Value;
use tokio::io::AsyncSeekExt;

/// The kinds of fileresponse.json checked here, with their number of cases; the rest are
/// checked in `tests/utils_http.rs` (`content_disposition_header`).
const KINDS: &[(&str, usize)] = &[
    ("open_file", 62),
    ("bytesio_with_filename", 10),
    ("bytesio_noname", 1),
    ("bytesio_seeked", 1),
    ("explicit_content_type", 1),
    ("stringio", 1),
    ("explicit_disposition_header", 1),
];

async fn body(mut r: HttpResponse) -> Vec<u8> {
    let mut stream = r.take_stream().expect("a streaming response");
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        out.extend_from_slice(&chunk.expect("chunk"));
    }
    out
}

/// `dict(response.items())`: the same names, spelled and ordered as Django's, with the same
/// values.
fn check_headers(name: &str, r: &HttpResponse, expected: &Value) {
    let expected = expected.as_object().expect("headers");
    let items: Vec<(String, String)> = r
        .items()
        .into_iter()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let wanted: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().expect("value").to_owned()))
        .collect();
    assert_eq!(items, wanted, "{name}: items()");
    for h in ["content-type", "content-length", "content-disposition"] {
        assert_eq!(
            r.has_header(h),
            expected.keys().any(|k| k.eq_ignore_ascii_case(h)),
            "{name}: presence of {h}"
        );
    }
    assert!(r.is_streaming(), "{name}: streaming");
}

#[tokio::test]
async fn file_responses_match_django() {
    let golden = support::golden("fileresponse.json");
    let cases = golden["cases"].as_array().expect("cases");
    for (kind, n) in KINDS {
        let count = cases.iter().filter(|c| c["kind"] == *kind).count();
        assert_eq!(count, *n, "number of {kind} cases");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut checked = 0;
    for (i, case) in cases.iter().enumerate() {
        let kind = case["kind"].as_str().expect("kind");
        let name = format!(
            "#{i} {kind} {}",
            case.get("filename").unwrap_or(&Value::Null)
        );
        let as_attachment = case["as_attachment"].as_bool().unwrap_or(false);
        let options = FileResponse::new().as_attachment(as_attachment);
        let (r, expected_body) = match kind {
            "open_file" => {
                let filename = case["filename"].as_str().expect("filename");
                let size = case["file_size"].as_u64().expect("file_size") as usize;
                let path = dir.path().join(filename);
                std::fs::write(&path, vec![b'x'; size]).expect("write");
                (options.open(&path).await.expect("open"), vec![b'x'; size])
            }
            "bytesio_with_filename" => {
                let filename = case["filename_param"].as_str().expect("filename_param");
                let content = case["content"].as_str().expect("content").to_owned();
                // filename="" is Django's default: no name.
                let options = if filename.is_empty() {
                    options
                } else {
                    options.filename(filename)
                };
                (options.from_bytes(content.clone()), content.into_bytes())
            }
            "bytesio_noname" => {
                let content = case["content"].as_str().expect("content").to_owned();
                (options.from_bytes(content.clone()), content.into_bytes())
            }
            "bytesio_seeked" => {
                // An open file at position 2: what is left of it is sent.
                let content = case["content"].as_str().expect("content");
                let path = dir.path().join("seeked.bin");
                std::fs::write(&path, content).expect("write");
                let mut file = tokio::fs::File::open(&path).await.expect("open");
                let seek = case["seek"].as_u64().expect("seek");
                file.seek(SeekFrom::Start(seek)).await.expect("seek");
                let r = options.from_file(file).await.expect("from_file");
                let expected = case["body"].as_str().expect("body").as_bytes().to_vec();
                (r, expected)
            }
            "explicit_content_type" => {
                let r = options
                    .content_type(case["content_type_param"].as_str().expect("ct"))
                    .filename(case["filename_param"].as_str().expect("filename"))
                    .from_bytes("abcdef");
                (r, b"abcdef".to_vec())
            }
            "explicit_disposition_header" => {
                // FileResponse(BytesIO(b"abcdef"), headers={"Content-Disposition": …},
                // filename="x.txt", as_attachment=True): Django's computed disposition wins.
                let headers = case["headers_param"].as_object().expect("headers_param");
                let r = options
                    .headers(
                        headers
                            .iter()
                            .map(|(k, v)| (k.clone(), v.as_str().expect("v").to_owned())),
                    )
                    .filename("x.txt")
                    .as_attachment(true)
                    .from_bytes("abcdef");
                (r, b"abcdef".to_vec())
            }
            "stringio" => {
                let r = options
                    .filename(case["filename_param"].as_str().expect("filename"))
                    .from_bytes("text");
                (r, b"text".to_vec())
            }
            _ => continue,
        };
        check_headers(&name, &r, &case["headers"]);
        assert_eq!(format!("{r:?}").split(' ').next(), Some("<FileResponse"));
        assert_eq!(body(r).await, expected_body, "{name}: body");
        checked += 1;
    }
    assert_eq!(checked, KINDS.iter().map(|(_, n)| n).sum::<usize>());
}

#[tokio::test]
async fn any_async_reader_is_streamed() {
    let reader = std::io::Cursor::new(b"a,b\n1,2\n".to_vec());
    let r = FileResponse::new()
        .filename("t.csv")
        .from_reader(reader, None);
    assert_eq!(r.header("content-type").as_deref(), Some("text/csv"));
    assert_eq!(r.header("content-length"), None, "size unknown: chunked");
    assert_eq!(body(r).await, b"a,b\n1,2\n");
    let r = FileResponse::new().from_reader(&b"xyz"[..], Some(3));
    assert_eq!(r.header("content-length").as_deref(), Some("3"));
    assert_eq!(body(r).await, b"xyz");
}

fn get(range: Option<&str>, if_range: Option<&str>) -> nuages::HttpRequest {
    let mut req = RequestFactory::new().get("/dl");
    if let Some(r) = range {
        req = req.header("Range", r);
    }
    if let Some(ir) = if_range {
        req = req.header("If-Range", ir);
    }
    req.build()
}

#[tokio::test]
async fn ranges_are_off_by_default_as_in_django() {
    let r = FileResponse::new().from_bytes("abcdef");
    assert_eq!(r.status_code(), 200);
    assert!(!r.has_header("accept-ranges"));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.txt");
    std::fs::write(&path, "abcdef").expect("write");
    let r = FileResponse::new().open(&path).await.expect("open");
    assert!(!r.has_header("etag"), "Django's FileResponse sends no ETag");
}

#[tokio::test]
async fn single_ranges_of_bytes() {
    let cases: &[(&str, u16, Option<&str>, &str)] = &[
        ("bytes=0-2", 206, Some("bytes 0-2/6"), "abc"),
        ("bytes=2-", 206, Some("bytes 2-5/6"), "cdef"),
        ("bytes=-2", 206, Some("bytes 4-5/6"), "ef"),
        ("bytes=4-100", 206, Some("bytes 4-5/6"), "ef"),
        ("bytes=6-", 416, Some("bytes */6"), ""),
        ("bytes=0-1,3-4", 200, None, "abcdef"),
        ("items=0-1", 200, None, "abcdef"),
        ("bytes=3-1", 200, None, "abcdef"),
    ];
    for (range, status, content_range, expected) in cases {
        let r = FileResponse::new()
            .ranges(&get(Some(range), None))
            .from_bytes(Bytes::from_static(b"abcdef"));
        assert_eq!(r.status_code(), *status, "{range}");
        assert_eq!(
            r.header("content-range").as_deref(),
            *content_range,
            "{range}"
        );
        assert_eq!(
            r.header("accept-ranges").as_deref(),
            Some("bytes"),
            "{range}"
        );
        assert_eq!(
            r.header("content-length").as_deref(),
            Some(expected.len().to_string().as_str()),
            "{range}"
        );
        assert_eq!(body(r).await, expected.as_bytes(), "{range}");
    }
}

#[tokio::test]
async fn file_ranges_resume_with_if_range() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.bin");
    let data: Vec<u8> = (0..=255u8).cycle().take(200_000).collect();
    std::fs::write(&path, &data).expect("write");

    let first = FileResponse::new()
        .ranges(&get(None, None))
        .open(&path)
        .await
        .expect("open");
    assert_eq!(first.status_code(), 200);
    let etag = first.header("etag").expect("etag").into_owned();
    let last_modified = first
        .header("last-modified")
        .expect("last-modified")
        .into_owned();
    assert!(etag.starts_with('"'), "strong ETag: {etag}");
    assert_eq!(body(first).await, data);

    // Resume from byte 150,000 with the ETag, then with the date: 206.
    for validator in [etag.as_str(), last_modified.as_str()] {
        let r = FileResponse::new()
            .ranges(&get(Some("bytes=150000-"), Some(validator)))
            .open(&path)
            .await
            .expect("open");
        assert_eq!(r.status_code(), 206, "If-Range {validator}");
        assert_eq!(
            r.header("content-range").as_deref(),
            Some("bytes 150000-199999/200000")
        );
        assert_eq!(r.header("content-length").as_deref(), Some("50000"));
        assert_eq!(body(r).await, &data[150_000..]);
    }
    // A changed file (another ETag) or a weak ETag: the whole file.
    for validator in ["\"other\"", "W/\"x\"", "Mon, 01 Jan 2001 00:00:00 GMT"] {
        let r = FileResponse::new()
            .ranges(&get(Some("bytes=150000-"), Some(validator)))
            .open(&path)
            .await
            .expect("open");
        assert_eq!(r.status_code(), 200, "If-Range {validator}");
        assert_eq!(r.header("content-length").as_deref(), Some("200000"));
    }
    // A file opened at a position: the range is of what is left.
    let mut file = tokio::fs::File::open(&path).await.expect("open");
    file.seek(SeekFrom::Start(100_000)).await.expect("seek");
    let r = FileResponse::new()
        .ranges(&get(Some("bytes=0-9"), None))
        .from_file(file)
        .await
        .expect("from_file");
    assert_eq!(
        r.header("content-range").as_deref(),
        Some("bytes 0-9/100000")
    );
    assert_eq!(body(r).await, &data[100_000..100_010]);
}

#[tokio::test]
async fn head_and_readers_ignore_ranges() {
    let head = RequestFactory::new()
        .request(http::Method::HEAD, "/dl")
        .header("Range", "bytes=0-1")
        .build();
    let r = FileResponse::new().ranges(&head).from_bytes("abcdef");
    assert_eq!(r.status_code(), 200);
    let r = FileResponse::new()
        .ranges(&get(Some("bytes=0-1"), None))
        .from_reader(&b"abcdef"[..], Some(6));
    assert_eq!(r.status_code(), 200);
    assert_eq!(body(r).await, b"abcdef");
}

/// How many of this process's file descriptors are open on `path` (Linux: `/proc/self/fd`).
#[cfg(target_os = "linux")]
fn open_fds(path: &std::path::Path) -> usize {
    let path = path.canonicalize().expect("canonical path");
    std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd")
        .filter_map(|entry| std::fs::read_link(entry.ok()?.path()).ok())
        .filter(|target| *target == path)
        .count()
}

/// Rule 169: the file is closed when the response is dropped, sent or not (Django closes it in
/// `close()`), and once its body has been read to the end.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn the_file_is_closed_when_the_response_is_done() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("closed.bin");
    std::fs::write(&path, vec![b'z'; 200_000]).expect("write");
    assert_eq!(open_fds(&path), 0);

    let r = FileResponse::new().open(&path).await.expect("open");
    assert_eq!(open_fds(&path), 1, "open while the response is pending");
    drop(r);
    assert_eq!(
        open_fds(&path),
        0,
        "closed when an unsent response is dropped"
    );

    let r = FileResponse::new().open(&path).await.expect("open");
    let mut body = r.into_http().into_body();
    let first = http_body_util::BodyExt::frame(&mut body).await;
    assert!(first.is_some(), "a first chunk");
    assert_eq!(open_fds(&path), 1, "open while being sent");
    drop(body);
    assert_eq!(
        open_fds(&path),
        0,
        "closed when a half-sent body is dropped"
    );

    let mut r = FileResponse::new().open(&path).await.expect("open");
    let mut stream = r.take_stream().expect("a stream");
    let mut sent = 0;
    while let Some(chunk) = stream.next().await {
        sent += chunk.expect("chunk").len();
    }
    assert_eq!(sent, 200_000);
    assert_eq!(
        open_fds(&path),
        0,
        "closed once read to the end, response still alive"
    );
    drop((stream, r));
}

//! Multipart parsing checked against Django 5.2 (tests/data/multipart_vectors.json, made by
//! tests/data/multipart_vectors.py), plus streaming and resource tests.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};

use base64::Engine as _;
use bytes::Bytes;
use futures_core::Stream;
use futures_util::stream;
use nuages::core::files::uploadedfile::{FileStorage, UploadedFile};
use nuages::http::multipart::{Files, Limits, MultiPartParser, MultipartError};
use nuages::http::query_dict::QueryDict;
use nuages::utils::charset::Charset;
use serde_json::Value;

/// Cases where Django puts a file in memory or on disk depending on the size of the whole
/// body; nuages decides per file (in memory iff size <= FILE_UPLOAD_MAX_MEMORY_SIZE).
const STORAGE_DECIDED_PER_FILE: &[&str] = &["small_and_big_files_small_limit"];

/// How each case's body is split into chunks (whole body, then small pieces).
const CHUNKINGS: &[usize] = &[usize::MAX, 1, 7, 1000];

type Outcome = Result<(QueryDict, Files), MultipartError>;

fn b64(text: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("valid base64 in vectors")
}

fn limits(case: &Value) -> Limits {
    let l = &case["limits"];
    Limits {
        data_upload_max_memory_size: l["data_upload_max_memory_size"].as_u64(),
        data_upload_max_number_fields: l["data_upload_max_number_fields"]
            .as_u64()
            .map(|n| n as usize),
        data_upload_max_number_files: l["data_upload_max_number_files"]
            .as_u64()
            .map(|n| n as usize),
        file_upload_max_memory_size: l["file_upload_max_memory_size"].as_u64().unwrap(),
    }
}

fn chunked(body: &[u8], size: usize) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Unpin {
    let chunks: Vec<_> = body
        .chunks(size.min(body.len().max(1)))
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    stream::iter(chunks)
}

fn error_class(err: &MultipartError) -> &'static str {
    match err {
        MultipartError::Parser(_) => "MultiPartParserError",
        MultipartError::TooManyFieldsSent(_) => "TooManyFieldsSent",
        MultipartError::TooManyFilesSent(_) => "TooManyFilesSent",
        MultipartError::RequestDataTooBig(_) => "RequestDataTooBig",
        MultipartError::Io(_) => "Io",
        _ => "unknown",
    }
}

fn storage_class(file: &UploadedFile) -> &'static str {
    match file.storage() {
        FileStorage::InMemory(_) => "InMemoryUploadedFile",
        FileStorage::Temporary(_) => "TemporaryUploadedFile",
    }
}

async fn check_ok(
    case: &str,
    name: &str,
    expected: &Value,
    limits: &Limits,
    post: &QueryDict,
    files: &Files,
) {
    let expected_post: Vec<(String, Vec<String>)> =
        serde_json::from_value(expected["post"].clone()).unwrap();
    let post_lists: Vec<(String, Vec<String>)> = post
        .lists()
        .map(|(k, v)| (k.to_owned(), v.to_vec()))
        .collect();
    assert_eq!(post_lists, expected_post, "{name}: POST");
    assert!(!post.is_mutable(), "{name}: POST must be immutable");

    let expected_files = expected["files"].as_array().unwrap();
    let keys: Vec<&str> = files.keys().collect();
    let expected_keys: Vec<&str> = expected_files
        .iter()
        .map(|entry| entry[0].as_str().unwrap())
        .collect();
    assert_eq!(keys, expected_keys, "{name}: FILES keys");
    for entry in expected_files {
        let key = entry[0].as_str().unwrap();
        let list = files.get_list(key);
        let wanted = entry[1].as_array().unwrap();
        assert_eq!(
            list.len(),
            wanted.len(),
            "{name}: number of files under {key}"
        );
        for (file, want) in list.iter().zip(wanted) {
            let what = format!("{name}: file {key}/{}", want["name"]);
            assert_eq!(file.name(), want["name"].as_str().unwrap(), "{what}: name");
            assert_eq!(file.size(), want["size"].as_u64().unwrap(), "{what}: size");
            assert_eq!(
                file.content_type(),
                want["content_type"].as_str().unwrap(),
                "{what}: content type"
            );
            assert_eq!(file.charset(), want["charset"].as_str(), "{what}: charset");
            let extra: BTreeMap<String, String> =
                serde_json::from_value(want["content_type_extra"].clone()).unwrap();
            let got_extra: BTreeMap<String, String> = file
                .content_type_extra()
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            assert_eq!(got_extra, extra, "{what}: content_type_extra");
            let content = file.read_all().await.unwrap();
            assert_eq!(
                content,
                b64(want["content_b64"].as_str().unwrap()),
                "{what}: content"
            );
            let per_file = if file.size() <= limits.file_upload_max_memory_size {
                "InMemoryUploadedFile"
            } else {
                "TemporaryUploadedFile"
            };
            assert_eq!(storage_class(file), per_file, "{what}: storage");
            let django = want["class"].as_str().unwrap();
            if STORAGE_DECIDED_PER_FILE.contains(&case) {
                // The body is over FILE_UPLOAD_MAX_MEMORY_SIZE: Django puts every file on disk.
                assert_eq!(
                    django, "TemporaryUploadedFile",
                    "{what}: Django's storage class"
                );
                continue;
            }
            assert_eq!(per_file, django, "{what}: Django's storage class");
            assert_eq!(
                file.temporary_file_path().is_some(),
                django == "TemporaryUploadedFile",
                "{what}: temporary_file_path"
            );
        }
    }
}

async fn check_case(case: &Value) {
    let name = case["name"].as_str().unwrap();
    let body = b64(case["body_b64"].as_str().unwrap());
    let content_type = case["content_type"].as_str().unwrap();
    let encoding = Charset::from_label(case["encoding"].as_str().unwrap()).unwrap();
    let limits = limits(case);
    let expected = &case["expected"];
    let upload_dir = tempfile::tempdir().unwrap();
    let parser = MultiPartParser::new(limits, encoding).with_upload_dir(upload_dir.path());

    for &size in CHUNKINGS {
        let outcome: Outcome = parser.parse(content_type, chunked(&body, size)).await;
        let label = format!("{name} (chunks of {size})");
        match (outcome, expected.get("ok"), expected.get("error")) {
            (Ok((post, files)), Some(ok), _) => {
                check_ok(name, &label, ok, &limits, &post, &files).await;
            }
            (Err(err), _, Some(error)) => {
                assert_eq!(
                    error_class(&err),
                    error["class"].as_str().unwrap(),
                    "{label}: class"
                );
                assert_eq!(
                    err.to_string(),
                    error["message"].as_str().unwrap(),
                    "{label}: message"
                );
                assert!(err.is_client_error(), "{label}: client error");
            }
            (outcome, _, _) => panic!("{label}: expected {expected}, got {outcome:?}"),
        }
        assert_eq!(
            std::fs::read_dir(upload_dir.path()).unwrap().count(),
            0,
            "{label}: temporary files left behind"
        );
    }
}

#[tokio::test]
async fn django_vectors() {
    let data: Value = support::data("multipart_vectors.json");
    let cases = data["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 109, "expected the full vector set");
    for name in STORAGE_DECIDED_PER_FILE {
        assert!(
            cases.iter().any(|c| c["name"] == *name),
            "exclusion {name} names no case"
        );
    }
    for case in cases {
        check_case(case).await;
    }
}

/// A body of one `size`-byte file part, generated in 64 KiB chunks, that checks on every
/// chunk how far the data on disk lags behind what was sent.
struct BigUpload {
    head: Option<Bytes>,
    remaining: u64,
    tail: Option<Bytes>,
    sent: u64,
    upload_dir: std::path::PathBuf,
    max_lag: u64,
}

impl BigUpload {
    fn on_disk(&self) -> u64 {
        std::fs::read_dir(&self.upload_dir)
            .unwrap()
            .map(|entry| entry.unwrap().metadata().map_or(0, |m| m.len()))
            .sum()
    }
}

impl Stream for BigUpload {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let lag = self.sent.saturating_sub(self.on_disk());
        self.max_lag = self.max_lag.max(lag);
        let chunk = if let Some(head) = self.head.take() {
            head
        } else if self.remaining > 0 {
            let len = self.remaining.min(64 * 1024);
            self.remaining -= len;
            Bytes::from(vec![b'z'; len as usize])
        } else if let Some(tail) = self.tail.take() {
            tail
        } else {
            return Poll::Ready(None);
        };
        self.sent += chunk.len() as u64;
        Poll::Ready(Some(Ok(chunk)))
    }
}

#[tokio::test]
async fn big_files_stream_to_a_temporary_file() {
    const SIZE: u64 = 50 * 1024 * 1024;
    let upload_dir = tempfile::tempdir().unwrap();
    let mut body = BigUpload {
        head: Some(Bytes::from_static(
            b"--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"big.bin\"\r\n\
              Content-Type: application/octet-stream\r\n\r\n",
        )),
        remaining: SIZE,
        tail: Some(Bytes::from_static(b"\r\n--B--\r\n")),
        sent: 0,
        upload_dir: upload_dir.path().to_owned(),
        max_lag: 0,
    };
    let parser =
        MultiPartParser::new(Limits::default(), Charset::UTF_8).with_upload_dir(upload_dir.path());
    let (post, files) = parser
        .parse("multipart/form-data; boundary=B", &mut body)
        .await
        .unwrap();
    assert!(post.is_empty());
    let file = files.get("f").unwrap();
    assert_eq!(file.size(), SIZE);
    assert!(matches!(file.storage(), FileStorage::Temporary(_)));
    let path = file.temporary_file_path().unwrap().to_owned();
    assert_eq!(path.parent(), Some(upload_dir.path()));
    assert_eq!(std::fs::metadata(&path).unwrap().len(), SIZE);
    // Never more than the in-memory threshold plus a few MiB of buffers between the network
    // and the disk.
    let bound = Limits::default().file_upload_max_memory_size + 4 * 1024 * 1024;
    assert!(body.max_lag <= bound, "lag {} > {bound}", body.max_lag);
    drop(files);
    assert!(!path.exists(), "temporary file not deleted");
}

fn field_part(name: &str, value: &str) -> String {
    format!("--B\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
}

#[tokio::test]
async fn many_small_parts_in_one_big_chunk() {
    let mut body: String = (0..20_000)
        .map(|i| field_part(&format!("f{i}"), "v"))
        .collect();
    body.push_str("--B--\r\n");
    let limits = Limits {
        data_upload_max_number_fields: None,
        ..Limits::default()
    };
    let parser = MultiPartParser::new(limits, Charset::UTF_8);
    let (post, _) = parser
        .parse(
            "multipart/form-data; boundary=B",
            chunked(body.as_bytes(), usize::MAX),
        )
        .await
        .unwrap();
    assert_eq!(post.len(), 20_000);
    assert_eq!(post.get("f19999"), Some("v"));
}

#[tokio::test]
async fn oversized_headers_and_preambles_are_rejected_without_buffering_them() {
    let parser = MultiPartParser::new(Limits::default(), Charset::UTF_8);
    let header = format!(
        "--B\r\nContent-Disposition: form-data; name=\"{}",
        "n".repeat(10 * 1024 * 1024)
    );
    let preamble = "p".repeat(10 * 1024 * 1024);
    for body in [header, preamble] {
        let err = parser
            .parse(
                "multipart/form-data; boundary=B",
                chunked(body.as_bytes(), 4096),
            )
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "Request max total header size exceeded.");
    }
}

#[tokio::test]
async fn stream_errors_are_io_errors_and_leave_no_files() {
    let upload_dir = tempfile::tempdir().unwrap();
    let head = "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n\r\n";
    let chunks = vec![
        Ok(Bytes::from(head)),
        Ok(Bytes::from(vec![b'x'; 3_000_000])),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "gone",
        )),
    ];
    let parser =
        MultiPartParser::new(Limits::default(), Charset::UTF_8).with_upload_dir(upload_dir.path());
    let err = parser
        .parse("multipart/form-data; boundary=B", stream::iter(chunks))
        .await
        .unwrap_err();
    match &err {
        MultipartError::Io(io) => assert_eq!(io.kind(), std::io::ErrorKind::ConnectionReset),
        other => panic!("expected an I/O error, got {other:?}"),
    }
    assert!(!err.is_client_error());
    assert_eq!(std::fs::read_dir(upload_dir.path()).unwrap().count(), 0);
}

/// Bodies whose multipart structure is cut short but that Django parses leniently (golden
/// `truncated_no_closing_boundary`, `truncated_in_headers`): when the HTTP body itself ends
/// early (the stream fails, as a body shorter than its Content-Length does), the parse is an
/// I/O error, never a complete POST.
#[tokio::test]
async fn a_truncated_http_body_is_never_a_complete_form() {
    let data: Value = support::data("multipart_vectors.json");
    let parser = MultiPartParser::new(Limits::default(), Charset::UTF_8);
    for name in ["truncated_no_closing_boundary", "truncated_in_headers"] {
        let case = data["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap();
        let body = b64(case["body_b64"].as_str().unwrap());
        assert!(
            case["expected"].get("ok").is_some(),
            "{name}: Django parses it"
        );
        for &size in CHUNKINGS {
            let mut chunks: Vec<Result<Bytes, std::io::Error>> = body
                .chunks(size.min(body.len()))
                .map(|c| Ok(Bytes::copy_from_slice(c)))
                .collect();
            chunks.push(Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "body shorter than Content-Length",
            )));
            let outcome = parser
                .parse(case["content_type"].as_str().unwrap(), stream::iter(chunks))
                .await;
            match outcome {
                Err(MultipartError::Io(err)) => {
                    assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof, "{name}")
                }
                other => panic!("{name} (chunks of {size}): expected an I/O error, got {other:?}"),
            }
        }
    }
}

#[tokio::test]
async fn errors_after_a_big_file_delete_it() {
    let upload_dir = tempfile::tempdir().unwrap();
    let mut body = format!(
        "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n\r\n{}\r\n",
        "x".repeat(100)
    );
    body.push_str(&field_part("a", &"y".repeat(200)));
    body.push_str("--B--\r\n");
    let limits = Limits {
        data_upload_max_memory_size: Some(100),
        file_upload_max_memory_size: 10,
        ..Limits::default()
    };
    let parser = MultiPartParser::new(limits, Charset::UTF_8).with_upload_dir(upload_dir.path());
    let err = parser
        .parse(
            "multipart/form-data; boundary=B",
            chunked(body.as_bytes(), 16),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, MultipartError::RequestDataTooBig(_)),
        "{err:?}"
    );
    assert_eq!(std::fs::read_dir(upload_dir.path()).unwrap().count(), 0);
}

#[test]
fn parse_futures_are_send() {
    fn assert_send<T: Send>(_: T) {}
    let parser = MultiPartParser::new(Limits::default(), Charset::UTF_8);
    assert_send(parser.parse("multipart/form-data; boundary=B", chunked(b"", 1)));
}

#[tokio::test]
async fn uploaded_files_read_back_in_chunks() {
    let upload_dir = tempfile::tempdir().unwrap();
    let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let mut body =
        b"--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"d.bin\"\r\n\r\n".to_vec();
    body.extend_from_slice(&content);
    body.extend_from_slice(b"\r\n--B--\r\n");
    let limits = Limits {
        file_upload_max_memory_size: 1000,
        ..Limits::default()
    };
    let parser = MultiPartParser::new(limits, Charset::UTF_8).with_upload_dir(upload_dir.path());
    let (_, files) = parser
        .parse("multipart/form-data; boundary=B", chunked(&body, 3333))
        .await
        .unwrap();
    let file = files.get("f").unwrap();
    let name = file
        .temporary_file_path()
        .and_then(Path::file_name)
        .unwrap();
    assert!(name.to_str().unwrap().ends_with(".upload.bin"), "{name:?}");
    let chunks: Vec<Bytes> = futures_util::TryStreamExt::try_collect(file.chunks())
        .await
        .unwrap();
    assert_eq!(chunks.len(), 4);
    assert_eq!(chunks.concat(), content);
}

/// One file part `f` holding `content`, a part without a name (skipped by Django without
/// being read: where the next part starts depends on Django's 64 KiB chunks), then a field.
fn file_body(content: &[u8], skipped: usize) -> Bytes {
    let mut body =
        b"--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n\r\n".to_vec();
    body.extend_from_slice(content);
    body.extend_from_slice(b"\r\n--B\r\nContent-Type: text/plain\r\n\r\n");
    // Lines that are not headers, and blank lines: wherever a part starts in them, its
    // header block ends within 1024 bytes.
    body.extend((0..skipped).map(|i| match i % 504 {
        n if n < 500 => b'y',
        n => b"\r\n\r\n"[n - 500],
    }));
    body.extend_from_slice(
        b"\r\n--B\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\nx\r\n--B--\r\n",
    );
    Bytes::from(body)
}

/// `body` in frames cut at `cuts` (ascending), sliced from it as hyper slices its buffer.
fn frames(body: &Bytes, cuts: &[usize]) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    let mut at = 0;
    let mut out = Vec::new();
    for &cut in cuts.iter().chain([&body.len()]) {
        out.push(Ok(body.slice(at..cut)));
        at = cut;
    }
    stream::iter(out)
}

/// `(POST, [(field, name, content, in memory)])` of a parse.
type Summary = (
    Vec<(String, Vec<String>)>,
    Vec<(String, String, Vec<u8>, bool)>,
);

async fn summary(outcome: Outcome) -> Result<Summary, &'static str> {
    let (post, files) = outcome.map_err(|e| error_class(&e))?;
    let post = post
        .lists()
        .map(|(k, v)| (k.to_owned(), v.to_vec()))
        .collect();
    let mut out = Vec::new();
    for key in files.keys() {
        for file in files.get_list(key) {
            let content = file.read_all().await.unwrap().to_vec();
            assert_eq!(file.size(), content.len() as u64);
            let in_memory = matches!(file.storage(), FileStorage::InMemory(_));
            out.push((key.to_owned(), file.name().to_owned(), content, in_memory));
        }
    }
    Ok((post, out))
}

#[tokio::test]
async fn in_memory_files_hold_the_pieces_received() {
    let content: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
    let body = file_body(&content, 0);
    let cuts: Vec<usize> = (1..body.len()).step_by(16 * 1024 + 7).collect();
    let parser = MultiPartParser::new(Limits::default(), Charset::UTF_8);
    let (_, files) = parser
        .parse("multipart/form-data; boundary=B", frames(&body, &cuts))
        .await
        .unwrap();
    let file = files.get("f").unwrap();
    let FileStorage::InMemory(stored) = file.storage() else {
        panic!("expected an in-memory file");
    };
    assert_eq!(*stored, content[..]);
    assert!(stored.pieces().len() > cuts.len() / 2, "{stored:?}");
    // Every piece is a slice of the body received: nothing was copied.
    let received = body.as_ptr_range();
    for piece in stored.pieces() {
        let piece = piece.as_ptr_range();
        assert!(
            received.start <= piece.start && piece.end <= received.end,
            "a piece was copied"
        );
    }
    assert_eq!(file.read_all().await.unwrap(), content);
    let chunks: Vec<Bytes> = futures_util::TryStreamExt::try_collect(file.chunks())
        .await
        .unwrap();
    assert_eq!(chunks, [content]);
}

#[tokio::test]
async fn files_at_the_memory_limit_stay_in_memory() {
    const LIMIT: u64 = 1000;
    let upload_dir = tempfile::tempdir().unwrap();
    let limits = Limits {
        file_upload_max_memory_size: LIMIT,
        ..Limits::default()
    };
    let parser = MultiPartParser::new(limits, Charset::UTF_8).with_upload_dir(upload_dir.path());
    for size in [LIMIT - 1, LIMIT, LIMIT + 1] {
        let content: Vec<u8> = (0..size).map(|i| (i % 7) as u8 + b'a').collect();
        let body = file_body(&content, 0);
        let start = body.len() - content.len() - 100;
        // Frames ending just before, at and after the limit, and one frame for all.
        for step in [1, 999, 1000, 1001, body.len()] {
            let cuts: Vec<usize> = (start..body.len()).step_by(step).skip(1).collect();
            let outcome = parser
                .parse("multipart/form-data; boundary=B", frames(&body, &cuts))
                .await;
            let (_, files) = summary(outcome).await.unwrap();
            let (_, _, got, in_memory) = &files[0];
            assert_eq!(got, &content, "size {size}, frames of {step}");
            assert_eq!(*in_memory, size <= LIMIT, "size {size}, frames of {step}");
        }
    }
}

#[tokio::test]
async fn frames_cut_anywhere_near_a_separator_or_a_chunk_give_the_same_result() {
    let content: Vec<u8> = (0..70_000u32).map(|i| (i % 249) as u8).collect();
    let body = file_body(&content, 70_000);
    let parse = |cuts: Vec<usize>| {
        let body = body.clone();
        async move {
            let limits = Limits {
                file_upload_max_memory_size: 65_536,
                ..Limits::default()
            };
            let parser = MultiPartParser::new(limits, Charset::UTF_8);
            let outcome = parser
                .parse("multipart/form-data; boundary=B", frames(&body, &cuts))
                .await;
            summary(outcome).await
        }
    };
    let whole = parse(Vec::new()).await.unwrap();
    let after = vec![("after".to_owned(), vec!["x".to_owned()])];
    assert_eq!((whole.0.clone(), whole.1.len()), (after, 1));
    assert_eq!(whole.1[0].2, content);
    // Around every separator (and the skipped part's look-alikes) and every 64 KiB offset.
    let marks = memchr::memmem::find_iter(&body, b"--B")
        .chain((1..=body.len() / 65_536).map(|k| k * 65_536))
        .collect::<Vec<_>>();
    let mut checked = 0;
    for mark in marks {
        for cut in mark.saturating_sub(24).max(1)..(mark + 24).min(body.len()) {
            assert_eq!(parse(vec![cut]).await, Ok(whole.clone()), "cut at {cut}");
            assert_eq!(
                parse(vec![cut, cut + 1]).await,
                Ok(whole.clone()),
                "cut at {cut} and {}",
                cut + 1
            );
            checked += 1;
        }
    }
    assert!(checked > 200, "{checked}");
}

//! `multipart/form-data` parsing (Django's `MultiPartParser`) of a fuzzed body with the fixed
//! boundary `xYzZY`, delivered in fuzz-chosen chunk sizes, with small limits so that files are
//! spilled to temporary files and the field/file/size limits are reached.
//!
//! Input: one byte `n`, then `n % 8` chunk sizes (bytes; 0 means 1, used in turn), then a flag
//! byte (bit 0: ISO-8859-1 instead of UTF-8; bit 1: a `charset=` parameter in the content
//! type), then the body.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use bytes::Bytes;
use futures_util::stream;
use libfuzzer_sys::fuzz_target;
use nuages::http::multipart::{Limits, MultiPartParser, MultipartError};
use nuages::utils::charset::Charset;

const LIMITS: Limits = Limits {
    data_upload_max_memory_size: Some(512),
    data_upload_max_number_fields: Some(16),
    data_upload_max_number_files: Some(4),
    file_upload_max_memory_size: 32,
};

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

/// A directory of its own for the temporary files, to check that none is left behind.
fn upload_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("nuages-fuzz-multipart-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let n = usize::from(n % 8).min(rest.len());
    let (sizes, rest) = rest.split_at(n);
    let Some((&flags, body)) = rest.split_first() else {
        return;
    };
    let sizes: Vec<usize> = if sizes.is_empty() {
        vec![body.len().max(1)]
    } else {
        sizes.iter().map(|&s| usize::from(s).max(1)).collect()
    };
    let mut chunks = Vec::new();
    let mut offset = 0;
    for size in sizes.iter().cycle() {
        if offset >= body.len() {
            break;
        }
        let end = (offset + size).min(body.len());
        chunks.push(Ok::<_, std::io::Error>(Bytes::copy_from_slice(
            &body[offset..end],
        )));
        offset = end;
    }
    let encoding = if flags & 1 == 0 {
        Charset::UTF_8
    } else {
        Charset::LATIN_1
    };
    let content_type = if flags & 2 == 0 {
        "multipart/form-data; boundary=xYzZY"
    } else {
        "multipart/form-data; charset=utf-8; boundary=\"xYzZY\""
    };
    let parser = MultiPartParser::new(LIMITS, encoding).with_upload_dir(upload_dir());
    runtime().block_on(async {
        match parser.parse(content_type, stream::iter(chunks)).await {
            Ok((post, files)) => {
                assert!(files.len() <= 4 && post.len() <= 16);
                for (_, file) in files.iter() {
                    let content = file.read_all().await.expect("an upload can be read back");
                    assert_eq!(content.len() as u64, file.size());
                    assert_eq!(file.temporary_file_path().is_some(), file.size() > 32);
                }
            }
            Err(MultipartError::Io(e)) => panic!("I/O error on an in-memory body: {e}"),
            Err(_) => {}
        }
    });
    // Every temporary file is deleted with its upload, or when the parse fails.
    let left = std::fs::read_dir(upload_dir())
        .expect("the upload directory")
        .count();
    assert_eq!(left, 0, "temporary files left behind");
});

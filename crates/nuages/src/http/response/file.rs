//! `FileResponse`: a file, in-memory bytes or any async reader, streamed in constant memory.

use std::io::SeekFrom;
use std::path::Path;
use std::time::SystemTime;

use bytes::Bytes;
use http::header::{HeaderValue, ACCEPT_RANGES, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE};
use http::{Method, StatusCode};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;

use super::HttpResponse;
use crate::http::request::HttpRequest;
use crate::utils::http::content_disposition_header;
use crate::utils::http::range::{
    epoch_seconds, file_etag, if_range_matches, parse_range, ByteRange,
};

/// Options of Django's `FileResponse(file, as_attachment=False, filename="")`, then the source:
/// a path ([`FileResponse::open`]), an open file at its current position
/// ([`FileResponse::from_file`]), bytes in memory ([`FileResponse::from_bytes`], Django's
/// `BytesIO`) or any async reader ([`FileResponse::from_reader`]).
///
/// Beyond Django, [`FileResponse::ranges`] answers a single `Range` request (206, or 416),
/// so that browsers can resume downloads; it is off by default, as Django ignores `Range`.
///
/// # Examples
/// ```no_run
/// # async fn f() -> std::io::Result<()> {
/// use nuages::http::response::FileResponse;
/// let resp = FileResponse::new().as_attachment(true).open("data/report.csv").await?;
/// assert_eq!(resp.header("content-type").as_deref(), Some("text/csv"));
/// # Ok(()) }
/// ```
///
/// ```
/// use nuages::http::response::FileResponse;
/// // FileResponse(io.BytesIO(b"abc"), filename="custom.csv")
/// let resp = FileResponse::new().filename("custom.csv").from_bytes("abc");
/// assert_eq!(resp.header("content-type").as_deref(), Some("text/csv"));
/// assert_eq!(resp.header("content-length").as_deref(), Some("3"));
/// assert_eq!(resp.header("content-disposition").as_deref(), Some("inline; filename=\"custom.csv\""));
/// ```
#[derive(Debug, Clone, Default)]
pub struct FileResponse {
    as_attachment: bool,
    filename: Option<String>,
    content_type: Option<String>,
    headers: Vec<(String, String)>,
    range: Option<RangeRequest>,
}

/// The `Range` and `If-Range` headers of the request a [`FileResponse`] answers.
#[derive(Debug, Clone, Default)]
struct RangeRequest {
    range: Option<String>,
    if_range: Option<String>,
}

/// The read size. Django reads 4096-byte blocks; the size of the chunks is not visible to the
/// client (the body has a Content-Length), and 64 KiB reads cost far fewer trips to the blocking
/// pool while keeping memory constant.
const BLOCK_SIZE: usize = 64 * 1024;

/// What the response sends of a representation of `len` bytes.
enum Part {
    /// Everything (200, or the status the response already has).
    Whole,
    /// `start..start + count` (206).
    Range { start: u64, count: u64 },
    /// Nothing: 416.
    Unsatisfiable,
}

impl FileResponse {
    /// Default options (inline, file name from the path, content type guessed, no ranges).
    pub fn new() -> Self {
        FileResponse::default()
    }

    /// `as_attachment=True`: `Content-Disposition: attachment; …`.
    pub fn as_attachment(mut self, on: bool) -> Self {
        self.as_attachment = on;
        self
    }

    /// `filename=`: the name announced in Content-Disposition (directories are dropped).
    pub fn filename(mut self, name: impl Into<String>) -> Self {
        self.filename = Some(name.into());
        self
    }

    /// An explicit Content-Type (no guessing).
    pub fn content_type(mut self, ct: impl Into<String>) -> Self {
        self.content_type = Some(ct.into());
        self
    }

    /// `headers=`: headers set first, as [`HttpResponse::with_headers`] sets them; then
    /// Django's `set_headers` sets Content-Length, Content-Type (unless given to
    /// [`FileResponse::content_type`]: a Content-Type here is replaced, as Django replaces it) and
    /// Content-Disposition (when there is one to compute), over these.
    ///
    /// # Examples
    /// ```
    /// use nuages::http::response::FileResponse;
    /// // FileResponse(BytesIO(b"abcdef"), headers={"Content-Disposition": "inline; custom",
    /// //     "X-Tag": "t"}, filename="x.txt", as_attachment=True)
    /// let resp = FileResponse::new()
    ///     .headers([("Content-Disposition", "inline; custom"), ("X-Tag", "t")])
    ///     .filename("x.txt")
    ///     .as_attachment(true)
    ///     .from_bytes("abcdef");
    /// assert_eq!(resp.header("content-disposition").as_deref(), Some("attachment; filename=\"x.txt\""));
    /// assert_eq!(resp.header("x-tag").as_deref(), Some("t"));
    /// ```
    pub fn headers<I, K, V>(mut self, headers: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        self.headers
            .extend(headers.into_iter().map(|(k, v)| (k.into(), v.into())));
        self
    }

    /// Answers the `Range` of `request` (beyond Django, which sends the whole file): a single
    /// satisfiable byte range of a GET is a 206 with `Content-Range`, a range past the end a
    /// 416 with `Content-Range: bytes */<len>`; several ranges, another unit or an `If-Range`
    /// that does not match (a strong ETag or the exact Last-Modified date) get the whole file.
    /// The response announces `Accept-Ranges: bytes`, and for files an `ETag` (modification
    /// time and size) and `Last-Modified`, so that a client can resume a download.
    ///
    /// Ranges apply to [`FileResponse::open`], [`FileResponse::from_file`] and
    /// [`FileResponse::from_bytes`]; a [`FileResponse::from_reader`] cannot seek and is always
    /// sent whole.
    ///
    /// # Examples
    /// ```
    /// use nuages::http::response::FileResponse;
    /// let req = nuages::test::RequestFactory::new().get("/dl").header("Range", "bytes=2-").build();
    /// let resp = FileResponse::new().ranges(&req).from_bytes("abcdef");
    /// assert_eq!(resp.status_code(), 206);
    /// assert_eq!(resp.header("content-range").as_deref(), Some("bytes 2-5/6"));
    /// assert_eq!(resp.header("content-length").as_deref(), Some("4"));
    /// ```
    pub fn ranges(mut self, request: &HttpRequest) -> Self {
        let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok());
        self.range = Some(RangeRequest {
            range: (request.method() == Method::GET)
                .then(|| header("range").map(str::to_owned))
                .flatten(),
            if_range: header("if-range").map(str::to_owned),
        });
        self
    }

    /// Opens `path` and builds the streaming response: Content-Length from the file size,
    /// Content-Type guessed from the file name, Content-Disposition as Django computes it.
    ///
    /// # Errors
    /// The file cannot be opened or is not a regular file.
    pub async fn open(self, path: impl AsRef<Path>) -> std::io::Result<HttpResponse> {
        let path = path.as_ref();
        let file = tokio::fs::File::open(path).await?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.file_response(file, name).await
    }

    /// An open file, from its current position to its end (Django's
    /// `FileResponse(open(...))` after a `seek()`): Content-Length is the size minus the
    /// position. A `tokio::fs::File` has no name: give one with [`FileResponse::filename`]
    /// for the Content-Type and Content-Disposition.
    ///
    /// # Errors
    /// The file is not a regular file, or its position cannot be read.
    pub async fn from_file(self, file: tokio::fs::File) -> std::io::Result<HttpResponse> {
        self.file_response(file, String::new()).await
    }

    async fn file_response(
        self,
        mut file: tokio::fs::File,
        path_name: String,
    ) -> std::io::Result<HttpResponse> {
        let meta = file.metadata().await?;
        if !meta.is_file() {
            return Err(std::io::Error::other("not a regular file"));
        }
        let position = file.stream_position().await?;
        let len = meta.len().saturating_sub(position);
        let modified = meta.modified().ok();
        let validators = Validators::of_file(modified, meta.len());
        let part = self.part(len, Some(&validators));
        let mut resp = self.shell(&path_name, len, &part, Some(&validators));
        if let Part::Range { start, count } = part {
            file.seek(SeekFrom::Start(position + start)).await?;
            resp.set_streaming_content(Box::pin(ReaderStream::with_capacity(
                file.take(count),
                BLOCK_SIZE,
            )));
        } else if !matches!(part, Part::Unsatisfiable) {
            resp.set_streaming_content(Box::pin(ReaderStream::with_capacity(file, BLOCK_SIZE)));
        }
        Ok(resp)
    }

    /// Bytes in memory (Django's `FileResponse(io.BytesIO(...))`): Content-Length is their
    /// length; the file name, if any, comes from [`FileResponse::filename`].
    ///
    /// # Examples
    /// ```
    /// use nuages::http::response::FileResponse;
    /// let resp = FileResponse::new().as_attachment(true).from_bytes(vec![0u8; 10]);
    /// assert_eq!(resp.header("content-type").as_deref(), Some("application/octet-stream"));
    /// assert_eq!(resp.header("content-disposition").as_deref(), Some("attachment"));
    /// assert!(resp.is_streaming());
    /// ```
    pub fn from_bytes(self, content: impl Into<Bytes>) -> HttpResponse {
        let content = content.into();
        let len = content.len() as u64;
        let part = self.part(len, None);
        let mut resp = self.shell("", len, &part, None);
        let body = match part {
            Part::Whole => content,
            Part::Range { start, count } => content.slice(start as usize..(start + count) as usize),
            Part::Unsatisfiable => return resp,
        };
        resp.set_streaming_content(Box::pin(futures_util::stream::iter([Ok(body)])));
        resp
    }

    /// Any async reader, read to its end in 64 KiB blocks. `len`, when known, is sent as
    /// Content-Length (Django sends one only when it can find the size); without it the body
    /// is chunked. A reader cannot seek: [`FileResponse::ranges`] does not apply.
    ///
    /// # Examples
    /// ```
    /// use nuages::http::response::FileResponse;
    /// let reader = std::io::Cursor::new(b"id,name\n".to_vec());
    /// let resp = FileResponse::new().filename("users.csv").from_reader(reader, Some(8));
    /// assert_eq!(resp.header("content-type").as_deref(), Some("text/csv"));
    /// assert_eq!(resp.header("content-length").as_deref(), Some("8"));
    /// ```
    pub fn from_reader<R>(mut self, reader: R, len: Option<u64>) -> HttpResponse
    where
        R: AsyncRead + Send + 'static,
    {
        self.range = None;
        let mut resp = self.shell("", len.unwrap_or(0), &Part::Whole, None);
        if len.is_none() {
            resp.remove_header_name(&CONTENT_LENGTH);
        }
        resp.set_streaming_content(Box::pin(ReaderStream::with_capacity(reader, BLOCK_SIZE)));
        resp
    }

    /// Which part of `len` bytes to send.
    fn part(&self, len: u64, validators: Option<&Validators>) -> Part {
        let Some(RangeRequest {
            range: Some(range),
            if_range,
        }) = &self.range
        else {
            return Part::Whole;
        };
        if let Some(if_range) = if_range {
            let matches = validators.is_some_and(|v| if_range_matches(if_range, &v.etag, v.mtime));
            if !matches {
                return Part::Whole;
            }
        }
        match parse_range(range, len) {
            ByteRange::Full => Part::Whole,
            ByteRange::Partial { start, end } => Part::Range {
                start,
                count: end - start + 1,
            },
            ByteRange::Unsatisfiable => Part::Unsatisfiable,
        }
    }

    /// The response without its content: Django's `set_headers`, then the range headers. An
    /// explicit content type that is not a valid header value is the response's
    /// [`HttpResponse::build_error`] (a 500), as with any builder.
    fn shell(
        &self,
        path_name: &str,
        len: u64,
        part: &Part,
        validators: Option<&Validators>,
    ) -> HttpResponse {
        let name = match &self.filename {
            Some(f) => f.rsplit(['/', '\\']).next().unwrap_or(f).to_owned(),
            None => path_name.to_owned(),
        };
        let resp = HttpResponse::streaming(Box::pin(futures_util::stream::empty()))
            .with_class("FileResponse")
            .with_headers(self.headers.iter().map(|(k, v)| (k, v.clone())));
        // set_headers, with Django's spellings.
        let mut resp = match &self.content_type {
            Some(ct) => resp.with_content_type(ct.clone()),
            None => resp.with_header("Content-Type", guess_type(&name)),
        }
        .with_header_value(CONTENT_LENGTH, HeaderValue::from(len));
        let name_opt = (!name.is_empty()).then_some(name.as_str());
        if let Some(cd) = content_disposition_header(self.as_attachment, name_opt) {
            resp = resp.with_header("Content-Disposition", cd);
        }
        if self.range.is_none() {
            return resp;
        }
        resp = resp.with_header_value(ACCEPT_RANGES, HeaderValue::from_static("bytes"));
        if let Some(v) = validators {
            resp = resp.with_header("ETag", v.etag.clone());
            if let Some(date) = &v.last_modified {
                resp = resp.with_header("Last-Modified", date.clone());
            }
        }
        match *part {
            Part::Whole => resp,
            Part::Range { start, count } => resp
                .with_status(StatusCode::PARTIAL_CONTENT)
                .with_header_value(CONTENT_LENGTH, HeaderValue::from(count))
                .with_header(
                    "Content-Range",
                    format!("bytes {start}-{}/{len}", start + count - 1),
                ),
            Part::Unsatisfiable => {
                let mut resp = resp
                    .with_status(StatusCode::RANGE_NOT_SATISFIABLE)
                    .with_header_value(CONTENT_LENGTH, HeaderValue::from(0))
                    .with_header(CONTENT_RANGE, format!("bytes */{len}"));
                resp.remove_header_name(&CONTENT_TYPE);
                resp
            }
        }
    }
}

/// The validators of a file: a strong ETag and its modification time.
struct Validators {
    etag: String,
    mtime: i64,
    last_modified: Option<String>,
}

impl Validators {
    fn of_file(modified: Option<SystemTime>, size: u64) -> Validators {
        let mtime = modified.map_or(0, epoch_seconds);
        Validators {
            etag: file_etag(modified, size),
            mtime,
            last_modified: crate::utils::http::http_date(mtime).ok(),
        }
    }
}

/// Python's `mimetypes.guess_type` for the common types (the compression encodings override the
/// type, as in Django); `application/octet-stream` when unknown.
pub fn guess_type(filename: &str) -> &'static str {
    let lower = filename.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "gz" | "tgz" => return "application/gzip",
        "br" => return "application/x-brotli",
        "bz2" => return "application/x-bzip",
        "xz" => return "application/x-xz",
        _ => {}
    }
    if filename.ends_with(".Z") {
        return "application/x-compress";
    }
    match ext {
        "txt" => "text/plain",
        "html" | "htm" => "text/html",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "json" => "application/json",
        "csv" => "text/csv",
        "xml" => "text/xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "ico" => "image/vnd.microsoft.icon",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        "wasm" => "application/wasm",
        "" => "application/octet-stream",
        _ => mime_guess::from_ext(ext)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    }
}

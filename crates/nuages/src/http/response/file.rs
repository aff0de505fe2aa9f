//! `FileResponse`: a file streamed from disk in constant memory.

use std::path::Path;

use http::header::{HeaderValue, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE};
use tokio_util::io::ReaderStream;

use super::HttpResponse;
use crate::utils::http::content_disposition_header;

/// Options of Django's `FileResponse(file, as_attachment=False, filename="")`.
///
/// # Examples
/// ```no_run
/// # async fn f() -> std::io::Result<()> {
/// use nuages::http::response::FileResponse;
/// let resp = FileResponse::new().as_attachment(true).open("data/report.csv").await?;
/// assert_eq!(resp.header("content-type"), Some("text/csv"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct FileResponse {
    as_attachment: bool,
    filename: Option<String>,
    content_type: Option<String>,
}

/// The read size. Django reads 4096-byte blocks; the size of the chunks is not visible to the
/// client (the body has a Content-Length), and 64 KiB reads cost far fewer trips to the blocking
/// pool while keeping memory constant.
const BLOCK_SIZE: usize = 64 * 1024;

impl FileResponse {
    /// Default options (inline, file name from the path, content type guessed).
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

    /// Opens `path` and builds the streaming response: Content-Length from the file size,
    /// Content-Type guessed from the file name, Content-Disposition as Django computes it.
    ///
    /// # Errors
    /// The file cannot be opened or is not a regular file.
    pub async fn open(self, path: impl AsRef<Path>) -> std::io::Result<HttpResponse> {
        let path = path.as_ref();
        let file = tokio::fs::File::open(path).await?;
        let meta = file.metadata().await?;
        if !meta.is_file() {
            return Err(std::io::Error::other("not a regular file"));
        }
        let name = match &self.filename {
            Some(f) => f.rsplit(['/', '\\']).next().unwrap_or(f).to_owned(),
            None => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        let stream = ReaderStream::with_capacity(file, BLOCK_SIZE);
        let mut resp = HttpResponse::streaming(Box::pin(stream)).with_class("FileResponse");
        let ct = match &self.content_type {
            Some(ct) => ct.clone(),
            None => guess_type(&name).to_owned(),
        };
        resp.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_str(&ct).map_err(std::io::Error::other)?,
        );
        resp.headers_mut()
            .insert(CONTENT_LENGTH, HeaderValue::from(meta.len()));
        let name_opt = if name.is_empty() {
            None
        } else {
            Some(name.as_str())
        };
        if let Some(cd) = content_disposition_header(self.as_attachment, name_opt) {
            if let Ok(v) = super::header_value(&cd) {
                resp.headers_mut().insert(CONTENT_DISPOSITION, v);
            }
        }
        Ok(resp)
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

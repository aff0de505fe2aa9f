//! [`StaticFiles`]: `STATIC_URL` served from `STATICFILES_DIRS` in constant memory, with the
//! HTTP caching and range machinery a production file server has (beyond Django, which leaves
//! this to a web server or WhiteNoise).

use std::future::Future;
use std::io::SeekFrom;
use std::path::PathBuf;

use http::header::{
    HeaderName, HeaderValue, ACCEPT_RANGES, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH,
    CONTENT_RANGE, CONTENT_TYPE, ETAG, LAST_MODIFIED,
};
use http::{Method, StatusCode};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;

use super::{find_file, guess_type};
use crate::utils::cache::get_conditional_response;
use crate::utils::http::http_date;
use crate::utils::http::range::{
    epoch_seconds, file_etag, if_range_matches, parse_range, ByteRange,
};
use crate::{Http404, HttpRequest, HttpResponse};

/// Reads of 64 KiB: memory stays constant whatever the file size.
const BLOCK_SIZE: usize = 64 * 1024;

/// Serves the files of `STATICFILES_DIRS` under `STATIC_URL`.
///
/// * The first directory holding the path wins (Django's `FileSystemFinder` order); paths are
///   normalized and must stay inside the directory, symbolic links included.
/// * Responses stream the file (64 KiB reads) with `Content-Length`, `Content-Type` (and
///   `Content-Encoding`) as [`serve`](super::serve), a strong `ETag` (from the modification
///   time and size), `Last-Modified`, `Accept-Ranges: bytes` and an optional `Cache-Control`.
/// * `If-None-Match` / `If-Modified-Since` answer 304 and `If-Match` /
///   `If-Unmodified-Since` 412, with Django's `get_conditional_response` rules.
/// * A single `Range` answers 206 with `Content-Range`; an unsatisfiable one 416 with
///   `Content-Range: bytes */<len>`; several ranges, or an `If-Range` that no longer matches,
///   the whole file (200).
/// * Methods other than GET and HEAD: 405 with `Allow: GET, HEAD`.
///
/// # Examples
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use nuages::views::static_files::StaticFiles;
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("app.js"), "console.log(1)").unwrap();
/// let files = StaticFiles::new("/static/", [dir.path()]);
/// let req = nuages::test::RequestFactory::new().get("/static/app.js").header("Range", "bytes=0-6").build();
/// let path = files.strip_prefix(&req.path()).unwrap().to_owned();
/// let resp = files.serve(&req, &path).await.unwrap();
/// assert_eq!(resp.status_code(), 206);
/// assert_eq!(resp.header("content-range").as_deref(), Some("bytes 0-6/14"));
/// assert_eq!(resp.header("content-type").as_deref(), Some("text/javascript"));
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct StaticFiles {
    url: String,
    /// Each directory, and its resolved path (symbolic links followed) when it existed at
    /// construction.
    dirs: Vec<(PathBuf, Option<PathBuf>)>,
    cache_control: Option<HeaderValue>,
}

impl StaticFiles {
    /// A server for `static_url` (a path such as `/static/`; a relative `static/` gets the
    /// script prefix `/`) over `dirs`, searched in order.
    ///
    /// # Examples
    /// ```
    /// let files = nuages::views::static_files::StaticFiles::new("assets", ["static"]);
    /// assert_eq!(files.url(), "/assets/");
    /// ```
    pub fn new<P: Into<PathBuf>>(static_url: &str, dirs: impl IntoIterator<Item = P>) -> Self {
        let mut url = if static_url.starts_with('/') {
            static_url.to_owned()
        } else {
            format!("/{static_url}")
        };
        if !url.ends_with('/') {
            url.push('/');
        }
        StaticFiles {
            url,
            dirs: dirs
                .into_iter()
                .map(|d| {
                    let d: PathBuf = d.into();
                    let real = std::fs::canonicalize(&d).ok();
                    (d, real)
                })
                .collect(),
            cache_control: None,
        }
    }

    /// Adds `Cache-Control: <value>` to the file responses (e.g. `public, max-age=31536000,
    /// immutable` for hashed names).
    ///
    /// # Errors
    /// A value that is not a valid header.
    ///
    /// # Examples
    /// ```
    /// let files = nuages::views::static_files::StaticFiles::new("/static/", ["static"]);
    /// assert!(files.cache_control("max-age=60").is_ok());
    /// ```
    pub fn cache_control(mut self, value: &str) -> Result<Self, crate::Error> {
        self.cache_control = Some(HeaderValue::from_str(value).map_err(crate::Error::from)?);
        Ok(self)
    }

    /// The URL prefix, with its slashes (`/static/`).
    ///
    /// # Examples
    /// ```
    /// assert_eq!(nuages::views::static_files::StaticFiles::new("/s", ["d"]).url(), "/s/");
    /// ```
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The part of a request path below the prefix, if the path is under it.
    ///
    /// # Examples
    /// ```
    /// let files = nuages::views::static_files::StaticFiles::new("static/", ["assets"]);
    /// assert_eq!(files.strip_prefix("/static/css/a.css"), Some("css/a.css"));
    /// assert_eq!(files.strip_prefix("/other/a.css"), None);
    /// ```
    pub fn strip_prefix<'a>(&self, request_path: &'a str) -> Option<&'a str> {
        request_path.strip_prefix(self.url.as_str())
    }

    /// Answers a request for `path` (relative to the prefix).
    ///
    /// # Errors
    /// [`Http404`] with staticfiles' messages (`'x.css' could not be found`, `Directory indexes
    /// are not allowed here.`), or an I/O error.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let dir = tempfile::tempdir().unwrap();
    /// std::fs::write(dir.path().join("a.css"), "a{}").unwrap();
    /// let files = nuages::views::static_files::StaticFiles::new("/static/", [dir.path()]);
    /// let req = nuages::test::RequestFactory::new().get("/static/a.css").build();
    /// let etag = files.serve(&req, "a.css").await.unwrap().header("etag").unwrap().into_owned();
    /// let again = nuages::test::RequestFactory::new().get("/static/a.css").header("If-None-Match", &etag).build();
    /// assert_eq!(files.serve(&again, "a.css").await.unwrap().status_code(), 304);
    /// # });
    /// ```
    pub fn serve<'a>(
        &'a self,
        request: &HttpRequest,
        path: &'a str,
    ) -> impl Future<Output = crate::Result<HttpResponse>> + Send + 'a {
        // The future owns a copy of the request's head (a request is not `Sync`) and only
        // borrows it between awaits.
        let request = request.fork();
        async move {
            let head = match *request.method() {
                Method::GET => false,
                Method::HEAD => true,
                _ => return Ok(HttpResponse::not_allowed(&[Method::GET, Method::HEAD])),
            };
            let found = self.find(path).await?;
            match self.plan(&request, head, found) {
                Plan::Respond(response) => Ok(response),
                Plan::Stream {
                    path,
                    shell,
                    status,
                    start,
                    count,
                    len,
                } => stream(&path, shell, status, start, count, len).await,
            }
        }
    }

    /// The first file of the directories named by `path`.
    async fn find(&self, path: &str) -> crate::Result<(PathBuf, std::fs::Metadata)> {
        for (dir, real) in &self.dirs {
            if let Some(f) = find_file(dir, real.as_deref(), path).await {
                return Ok(f);
            }
        }
        if path.is_empty() || path.ends_with('/') {
            return Err(Http404::new("Directory indexes are not allowed here.").into());
        }
        Err(Http404::new(format!("'{path}' could not be found")).into())
    }

    /// Validators, preconditions and range: what to answer.
    fn plan(
        &self,
        request: &HttpRequest,
        head: bool,
        (fullpath, meta): (PathBuf, std::fs::Metadata),
    ) -> Plan {
        let len = meta.len();
        let modified = meta.modified().ok();
        let mtime = modified.map_or(0, epoch_seconds);
        let etag = file_etag(modified, len);

        let mut shell = HttpResponse::empty();
        let (content_type, encoding) = guess_type(&fullpath.to_string_lossy());
        set(
            &mut shell,
            CONTENT_TYPE,
            content_type.unwrap_or("application/octet-stream"),
        );
        if let Some(enc) = encoding {
            set(&mut shell, CONTENT_ENCODING, enc);
        }
        set(&mut shell, ETAG, &etag);
        if let Ok(date) = http_date(mtime) {
            set(&mut shell, LAST_MODIFIED, &date);
        }
        set(&mut shell, ACCEPT_RANGES, "bytes");
        if let Some(cc) = &self.cache_control {
            shell.set_header_value(CACHE_CONTROL, cc.clone());
        }
        let shell = get_conditional_response(request, Some(&etag), Some(mtime), Some(shell))
            .unwrap_or_default();
        if shell.status() != StatusCode::OK {
            return Plan::Respond(shell);
        }
        let range = match request.header("range") {
            Some(r) if !head => {
                let applies = request
                    .header("if-range")
                    .is_none_or(|ir| if_range_matches(&ir, &etag, mtime));
                if applies {
                    parse_range(&r, len)
                } else {
                    ByteRange::Full
                }
            }
            _ => ByteRange::Full,
        };
        let (status, start, count) = match range {
            ByteRange::Full => (StatusCode::OK, 0, len),
            ByteRange::Partial { start, end } => {
                (StatusCode::PARTIAL_CONTENT, start, end - start + 1)
            }
            ByteRange::Unsatisfiable => {
                let mut r = shell.with_status(StatusCode::RANGE_NOT_SATISFIABLE);
                set(&mut r, CONTENT_RANGE, &format!("bytes */{len}"));
                r.delete_header("content-type");
                r.delete_header("content-encoding");
                set(&mut r, CONTENT_LENGTH, "0");
                return Plan::Respond(r);
            }
        };
        Plan::Stream {
            path: fullpath,
            shell,
            status,
            start,
            count,
            len,
        }
    }
}

/// What [`StaticFiles::plan`] decided.
enum Plan {
    /// A complete answer (304, 412, 416).
    Respond(HttpResponse),
    /// Stream `count` bytes from `start`, with the headers of `shell`.
    Stream {
        path: PathBuf,
        shell: HttpResponse,
        status: StatusCode,
        start: u64,
        count: u64,
        len: u64,
    },
}

async fn stream(
    path: &std::path::Path,
    shell: HttpResponse,
    status: StatusCode,
    start: u64,
    count: u64,
    len: u64,
) -> crate::Result<HttpResponse> {
    let mut file = tokio::fs::File::open(path).await?;
    if start > 0 {
        file.seek(SeekFrom::Start(start)).await?;
    }
    let body = ReaderStream::with_capacity(file.take(count), BLOCK_SIZE);
    let mut response = HttpResponse::streaming_stream(body).with_status(status);
    *response.headers_mut() = shell.headers().clone();
    set(&mut response, CONTENT_LENGTH, &count.to_string());
    if status == StatusCode::PARTIAL_CONTENT {
        let end = start + count - 1;
        set(
            &mut response,
            CONTENT_RANGE,
            &format!("bytes {start}-{end}/{len}"),
        );
    }
    Ok(response)
}

fn set(response: &mut HttpResponse, name: HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        response.set_header_value(name, v);
    }
}

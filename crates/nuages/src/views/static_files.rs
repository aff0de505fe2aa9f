//! The equivalent of `django/views/static.py` (and `django/conf/urls/static.py`,
//! `django/contrib/staticfiles/views.py`): serving files below a directory, for development —
//! plus [`StaticFiles`], a production-grade server for `STATIC_URL` (ETags, ranges) that
//! Django leaves to a web server.
//!
//! [`serve`] behaves as Django's, down to messages and headers:
//!
//! * the path is normalized (`posixpath.normpath`, leading `/` dropped) and joined with
//!   [`safe_join`]: a path leaving the root (`../x`, `a/../../x`, `..`) is a
//!   `SuspiciousFileOperation` (400); an absolute path (`/etc/passwd`) stays inside the root;
//!   `%2e%2e`, `..%2f` or `..\` are literal names (the URL was decoded once, by the router),
//!   so they are 404s unless such a file exists; a NUL byte is a 404;
//! * a directory is a 404 (`Directory indexes are not allowed here.`) unless `show_indexes`,
//!   which answers Django's listing page;
//! * `If-Modified-Since` not older than the file's mtime answers 304 (`was_modified_since`);
//! * the response is a streamed `FileResponse` with `Content-Type` (and `Content-Encoding`
//!   for `.gz`, `.br`, `.bz2`, `.xz`, `.Z`) as Python's `mimetypes.guess_type`,
//!   `Content-Length`, `Last-Modified`, `Content-Disposition: inline; filename="…"`.
//!
//! One deliberate difference: a symbolic link whose target lies outside the root is a 404
//! (Django follows it).

mod server;
mod urls;

use crate::utils::http::range::epoch_seconds;
use std::future::Future;
use std::path::{Path, PathBuf};

use http::header::{HeaderValue, CONTENT_ENCODING, LAST_MODIFIED};

pub use self::server::StaticFiles;
pub use self::urls::{static_patterns, staticfiles_serve};
use crate::http::response::FileResponse;
use crate::utils::html::escape;
use crate::utils::http::{http_date, parse_http_date};
use crate::utils::os::{normpath, safe_join};
use crate::{Http404, HttpRequest, HttpResponse};

/// Django's `serve(request, path, document_root, show_indexes=False)`.
///
/// The returned future owns what it needs (it does not borrow the request), so it can be
/// awaited in any view.
///
/// # Errors
/// [`Http404`] for a missing file or a directory (without `show_indexes`),
/// a `SuspiciousOperation` (400) for a path leaving `document_root`, or an I/O error.
///
/// # Examples
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let root = tempfile::tempdir().unwrap();
/// std::fs::write(root.path().join("hello.txt"), "hi").unwrap();
/// let req = nuages::test::RequestFactory::new().get("/media/hello.txt").build();
/// let resp = nuages::views::static_files::serve(&req, "hello.txt", root.path(), false).await.unwrap();
/// assert_eq!(resp.header("content-type").as_deref(), Some("text/plain"));
/// assert_eq!(resp.header("content-length").as_deref(), Some("2"));
/// let err = nuages::views::static_files::serve(&req, "../x", root.path(), false).await.unwrap_err();
/// assert_eq!(err.kind(), nuages::ErrorKind::BadRequest);
/// # });
/// ```
pub fn serve(
    request: &HttpRequest,
    path: &str,
    document_root: impl AsRef<Path>,
    show_indexes: bool,
) -> impl Future<Output = crate::Result<HttpResponse>> + Send + 'static {
    // Only owned data in the future: a request is not `Sync`.
    let ims = request.header("if-modified-since").map(|h| h.into_owned());
    serve_path(
        ims,
        path.to_owned(),
        document_root.as_ref().to_path_buf(),
        show_indexes,
    )
}

async fn serve_path(
    if_modified_since: Option<String>,
    path: String,
    root: PathBuf,
    show_indexes: bool,
) -> crate::Result<HttpResponse> {
    let path = normpath(&path);
    let path = path.trim_start_matches('/');
    let fullpath = safe_join(&root, path)?;
    let Some(meta) = metadata_inside(&root, &fullpath).await else {
        return Err(does_not_exist(&fullpath));
    };
    if meta.is_dir() {
        if show_indexes {
            return directory_index(path, &fullpath).await;
        }
        return Err(Http404::new("Directory indexes are not allowed here.").into());
    }
    let mtime = meta.modified().map(epoch_seconds).unwrap_or(0);
    if !was_modified_since(if_modified_since.as_deref(), mtime) {
        return Ok(HttpResponse::not_modified());
    }
    let (content_type, encoding) = guess_type(&fullpath.to_string_lossy());
    let mut response = FileResponse::new()
        .content_type(content_type.unwrap_or("application/octet-stream"))
        .open(&fullpath)
        .await?;
    if let Ok(date) = http_date(mtime) {
        if let Ok(v) = HeaderValue::from_str(&date) {
            response.set_header_value(LAST_MODIFIED, v);
        }
    }
    if let Some(enc) = encoding {
        response.set_header_value(CONTENT_ENCODING, HeaderValue::from_static(enc));
    }
    Ok(response)
}

fn does_not_exist(fullpath: &Path) -> crate::Error {
    Http404::new(format!("“{}” does not exist", fullpath.display())).into()
}

/// The metadata of `fullpath` (following links) if it exists and its real location is inside
/// the real `root`.
pub(crate) async fn metadata_inside(root: &Path, fullpath: &Path) -> Option<std::fs::Metadata> {
    let real_root = tokio::fs::canonicalize(root).await.ok()?;
    metadata_inside_real(&real_root, fullpath).await
}

/// [`metadata_inside`] with the root already resolved.
async fn metadata_inside_real(real_root: &Path, fullpath: &Path) -> Option<std::fs::Metadata> {
    let meta = tokio::fs::metadata(fullpath).await.ok()?;
    let real = tokio::fs::canonicalize(fullpath).await.ok()?;
    real.starts_with(real_root).then_some(meta)
}

/// Django's `was_modified_since(header, mtime)`: `false` only when `header` is a valid HTTP
/// date not older than `mtime`.
///
/// # Examples
/// ```
/// use nuages::views::static_files::was_modified_since;
/// assert!(!was_modified_since(Some("Tue, 14 Nov 2023 22:13:20 GMT"), 1_700_000_000));
/// assert!(was_modified_since(Some("Tue, 14 Nov 2023 22:13:19 GMT"), 1_700_000_000));
/// assert!(was_modified_since(Some("garbage"), 0));
/// assert!(was_modified_since(None, 0));
/// ```
pub fn was_modified_since(header: Option<&str>, mtime: i64) -> bool {
    match header.map(parse_http_date) {
        Some(Ok(header_mtime)) => mtime > header_mtime,
        _ => true,
    }
}

/// Python's `mimetypes.guess_type(path)`: the type and the encoding. Compression suffixes
/// (`.gz` gzip, `.Z` compress, `.bz2` bzip2, `.xz` xz, `.br` br) give the encoding and the
/// type of what they compress; `.tgz`, `.taz`, `.tz`, `.tbz2`, `.txz`, `.svgz` are read as
/// `.tar.gz` (and so on), as Python's `suffix_map` does.
///
/// # Examples
/// ```
/// use nuages::views::static_files::guess_type;
/// assert_eq!(guess_type("a/style.css.gz"), (Some("text/css"), Some("gzip")));
/// assert_eq!(guess_type("x.tgz"), (Some("application/x-tar"), Some("gzip")));
/// assert_eq!(guess_type("README"), (None, None));
/// assert_eq!(guess_type(".hidden"), (None, None));
/// ```
pub fn guess_type(path: &str) -> (Option<&'static str>, Option<&'static str>) {
    let mut name = basename(path).to_owned();
    loop {
        let ext = splitext(&name).1.to_ascii_lowercase();
        let replacement = match ext.as_str() {
            ".svgz" => ".svg.gz",
            ".tgz" | ".taz" | ".tz" => ".tar.gz",
            ".tbz2" => ".tar.bz2",
            ".txz" => ".tar.xz",
            _ => break,
        };
        let stem_len = name.len() - ext.len();
        name.truncate(stem_len);
        name.push_str(replacement);
    }
    let (stem, ext) = splitext(&name);
    let encoding = match ext {
        ".gz" => Some("gzip"),
        ".Z" => Some("compress"),
        ".bz2" => Some("bzip2"),
        ".xz" => Some("xz"),
        ".br" => Some("br"),
        _ => None,
    };
    let typed = if encoding.is_some() { stem } else { &name };
    let ext = splitext(typed).1.to_ascii_lowercase();
    let content_type = match ext.as_str() {
        "" | ".gz" | ".z" | ".bz2" | ".xz" | ".br" => None,
        _ => match crate::http::response::guess_type(typed) {
            "application/octet-stream" => None,
            t => Some(t),
        },
    };
    (content_type, encoding)
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Python's `posixpath.splitext` of a file name: leading dots are not an extension.
fn splitext(name: &str) -> (&str, &str) {
    let lead = name.len() - name.trim_start_matches('.').len();
    match name[lead..].rfind('.') {
        Some(i) => name.split_at(lead + i),
        None => (name, ""),
    }
}

/// `urllib.parse.quote(text, safe="/")` (Django's `urlencode` filter).
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"_.-~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Django's `directory_index(path, fullpath)`: its built-in listing page (entries in directory
/// order, dot files left out, directories with a trailing `/`).
///
/// # Errors
/// The directory cannot be read.
///
/// # Examples
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("a.txt"), "").unwrap();
/// let r = nuages::views::static_files::directory_index("docs", dir.path()).await.unwrap();
/// let html = String::from_utf8(r.content().unwrap().to_vec()).unwrap();
/// assert!(html.contains("<title>Index of docs/</title>"));
/// assert!(html.contains(r#"<li><a href="a.txt">a.txt</a></li>"#));
/// # });
/// ```
pub async fn directory_index(path: &str, fullpath: &Path) -> crate::Result<HttpResponse> {
    let mut files: Vec<String> = Vec::new();
    let mut entries = tokio::fs::read_dir(fullpath).await?;
    while let Some(entry) = entries.next_entry().await? {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let is_dir = tokio::fs::metadata(entry.path())
            .await
            .is_ok_and(|m| m.is_dir());
        files.push(if is_dir { format!("{name}/") } else { name });
    }
    Ok(HttpResponse::new(directory_index_html(
        &format!("{path}/"),
        &files,
    )))
}

fn directory_index_html(directory: &str, files: &[String]) -> String {
    let dir = escape(directory);
    let mut out = format!(
        "\n<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    \
         <meta http-equiv=\"Content-type\" content=\"text/html; charset=utf-8\">\n    \
         <meta http-equiv=\"Content-Language\" content=\"en-us\">\n    \
         <meta name=\"robots\" content=\"NONE,NOARCHIVE\">\n    \
         <title>Index of {dir}</title>\n  </head>\n  <body>\n    <h1>Index of {dir}</h1>\n    <ul>\n      "
    );
    if directory != "/" {
        out.push_str("\n      <li><a href=\"../\">../</a></li>\n      ");
    }
    out.push_str("\n      ");
    for f in files {
        out.push_str(&format!(
            "\n      <li><a href=\"{}\">{}</a></li>\n      ",
            escape(&quote(f)),
            escape(f)
        ));
    }
    out.push_str("\n    </ul>\n  </body>\n</html>\n");
    out
}

/// The file a request path names below `root`, when it is a regular file inside `root`
/// (links included if their target is inside; `real_root` is `root` resolved, when known):
/// used by [`StaticFiles`].
pub(crate) async fn find_file(
    root: &Path,
    real_root: Option<&Path>,
    path: &str,
) -> Option<(PathBuf, std::fs::Metadata)> {
    let normalized = normpath(path);
    let fullpath = safe_join(root, normalized.trim_start_matches('/')).ok()?;
    let meta = match real_root {
        Some(real) => metadata_inside_real(real, &fullpath).await?,
        None => metadata_inside(root, &fullpath).await?,
    };
    meta.is_file().then_some((fullpath, meta))
}

//! The equivalents of `django.conf.urls.static.static` (URL patterns serving a directory in
//! DEBUG) and `django.contrib.staticfiles.views.serve` (serving through the finders).

use std::future::Future;
use std::path::{Path, PathBuf};

use super::{metadata_inside, serve};
use crate::core::exceptions::ImproperlyConfigured;
use crate::urls::{re_path, UrlEntry};
use crate::utils::os::{normpath, safe_join};
use crate::{Http404, HttpRequest};

/// Django's `static(prefix, document_root=…, show_indexes=…)`: in DEBUG, one URL pattern
/// `^<prefix>(?P<path>.*)$` served by [`serve`]; outside DEBUG, or for a prefix with a host
/// (`https://cdn.example.com/media/`, `//cdn/`), no pattern at all.
///
/// `debug` is Django's `settings.DEBUG`.
///
/// # Errors
/// `ImproperlyConfigured("Empty static prefix not permitted")`.
///
/// # Examples
/// ```
/// use nuages::views::static_files::static_patterns;
/// assert_eq!(static_patterns("/media/", "data/media", false, true).unwrap().len(), 1);
/// assert!(static_patterns("/media/", "data/media", false, false).unwrap().is_empty());
/// assert!(static_patterns("https://cdn.example.com/m/", "data", false, true).unwrap().is_empty());
/// assert!(static_patterns("", "data", false, true).is_err());
/// ```
pub fn static_patterns(
    prefix: &str,
    document_root: impl Into<PathBuf>,
    show_indexes: bool,
    debug: bool,
) -> Result<Vec<UrlEntry>, ImproperlyConfigured> {
    if prefix.is_empty() {
        return Err(ImproperlyConfigured::new(
            "Empty static prefix not permitted",
        ));
    }
    if !debug || has_netloc(prefix) {
        return Ok(Vec::new());
    }
    let root: PathBuf = document_root.into();
    let regex = format!(
        "^{}(?P<path>.*)$",
        re_escape(prefix.trim_start_matches('/'))
    );
    let view = move |request: HttpRequest, path: String| {
        let root = root.clone();
        async move { serve(&request, &path, &root, show_indexes).await }
    };
    Ok(vec![re_path(&regex, view)])
}

/// Whether `urlsplit(url).netloc` is not empty.
fn has_netloc(url: &str) -> bool {
    let rest = match url.split_once(':') {
        Some((scheme, rest))
            if scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            rest
        }
        _ => url,
    };
    rest.strip_prefix("//")
        .is_some_and(|r| !r.starts_with(['/', '?', '#']) && !r.is_empty())
}

/// Python's `re.escape`.
fn re_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if "()[]{}?*+-|^$\\.&~# \t\n\r\u{b}\u{c}".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Django's `django.contrib.staticfiles.views.serve(request, path, insecure=False)`: the file
/// found in the first of `dirs` (`STATICFILES_DIRS`, the `FileSystemFinder`) holding it,
/// served by [`serve`]. Outside DEBUG it is a 404 unless `insecure`.
///
/// # Errors
/// [`Http404`] (`'x' could not be found`, `Directory indexes are not allowed here.`), a
/// `SuspiciousOperation` for a path leaving a directory, or an I/O error.
///
/// # Examples
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("a.css"), "a{}").unwrap();
/// let req = nuages::test::RequestFactory::new().get("/static/a.css").build();
/// let dirs = [dir.path().to_path_buf()];
/// let serve = nuages::views::static_files::staticfiles_serve;
/// assert_eq!(serve(&req, "a.css", &dirs, true, false).await.unwrap().header("content-type").as_deref(), Some("text/css"));
/// assert!(serve(&req, "a.css", &dirs, false, false).await.is_err());
/// # });
/// ```
pub fn staticfiles_serve(
    request: &HttpRequest,
    path: &str,
    dirs: &[PathBuf],
    debug: bool,
    insecure: bool,
) -> impl Future<Output = crate::Result<crate::HttpResponse>> + Send + 'static {
    let ims = request.header("if-modified-since").map(|h| h.into_owned());
    let (path, dirs) = (path.to_owned(), dirs.to_vec());
    async move {
        if !debug && !insecure {
            return Err(Http404::default().into());
        }
        find_and_serve(ims, &path, &dirs).await
    }
}

async fn find_and_serve(
    ims: Option<String>,
    path: &str,
    dirs: &[PathBuf],
) -> crate::Result<crate::HttpResponse> {
    let normalized = normpath(path);
    let normalized = normalized.trim_start_matches('/');
    let mut found = None;
    for root in dirs {
        let candidate = safe_join(root, normalized)?;
        if metadata_inside(root, &candidate).await.is_some() {
            found = Some(candidate);
            break;
        }
    }
    let Some(absolute) = found else {
        if path.ends_with('/') || path.is_empty() {
            return Err(Http404::new("Directory indexes are not allowed here.").into());
        }
        return Err(Http404::new(format!("'{path}' could not be found")).into());
    };
    let document_root = absolute.parent().unwrap_or(Path::new("/"));
    let name = absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    super::serve_path(ims, name, document_root.to_path_buf(), false).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn netloc_and_escape_like_python() {
        assert!(has_netloc("//cdn/x"));
        assert!(has_netloc("http://cdn/x"));
        assert!(!has_netloc("/media/"));
        assert!(!has_netloc("media/"));
        assert!(!has_netloc("http:///x"));
        assert_eq!(re_escape("static-files/v1.2/"), r"static\-files/v1\.2/");
    }
}

//! The equivalent of `django.utils._os` (with the `posixpath` functions it relies on):
//! [`safe_join`], which refuses a path that leaves its base directory.
//!
//! Paths are handled as POSIX text, lexically — like Python's `os.path.abspath` and
//! `posixpath.normpath`, nothing is resolved on disk (symbolic links are not followed; see
//! [`crate::views::static_files`] for the serving code that also checks them).

use std::path::{Path, PathBuf};

use crate::SuspiciousOperation;

/// Python's `posixpath.normpath`: `.` and empty segments dropped, `..` folded; leading `..`
/// kept for relative paths, dropped at the root; two leading slashes kept (POSIX), three or
/// more become one; `""` becomes `"."`.
///
/// # Examples
/// ```
/// use nuages::utils::os::normpath;
/// assert_eq!(normpath("a/./b/../c/"), "a/c");
/// assert_eq!(normpath("../x"), "../x");
/// assert_eq!(normpath("/../x"), "/x");
/// assert_eq!(normpath("//a"), "//a");
/// assert_eq!(normpath(""), ".");
/// ```
pub fn normpath(path: &str) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let initial = if path.starts_with("//") && !path.starts_with("///") {
        2
    } else if path.starts_with('/') {
        1
    } else {
        0
    };
    let mut parts: Vec<&str> = Vec::new();
    for comp in path.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                if initial == 0 && parts.last().is_none_or(|p| *p == "..") {
                    parts.push("..");
                } else if parts.last().is_some() {
                    parts.pop();
                }
            }
            c => parts.push(c),
        }
    }
    let mut out = "/".repeat(initial);
    out.push_str(&parts.join("/"));
    if out.is_empty() {
        ".".to_owned()
    } else {
        out
    }
}

/// Python's `os.path.join(base, path)` then `os.path.abspath` for POSIX paths (a relative
/// result is made absolute against the current directory).
fn abspath_join(base: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_owned()
    } else if base.is_empty() || base.ends_with('/') {
        format!("{base}{path}")
    } else {
        format!("{base}/{path}")
    };
    abspath(&joined)
}

fn abspath(path: &str) -> String {
    if path.starts_with('/') {
        return normpath(path);
    }
    let cwd = std::env::current_dir()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "/".to_owned());
    normpath(&format!("{cwd}/{path}"))
}

/// Django's `safe_join(base, *paths)`: the normalized absolute path of `base` joined with
/// `path`, provided it lies inside `base` (or is `base` itself, or `base` is the root).
///
/// # Errors
/// Django's `SuspiciousFileOperation` (a [`SuspiciousOperation`], answered with 400) with its
/// message when the result is outside `base`.
///
/// # Examples
/// ```
/// use nuages::utils::os::safe_join;
/// assert_eq!(safe_join("/srv/media", "img/logo.png").unwrap().to_str(), Some("/srv/media/img/logo.png"));
/// assert!(safe_join("/srv/media", "../secret").is_err());
/// assert!(safe_join("/srv/media", "/etc/passwd").is_err());
/// assert!(safe_join("/dir", "/../d").is_err());
/// ```
pub fn safe_join(base: impl AsRef<Path>, path: &str) -> Result<PathBuf, SuspiciousOperation> {
    let base = base.as_ref().to_string_lossy();
    let final_path = abspath_join(&base, path);
    let base_path = abspath(&base);
    let inside = final_path.starts_with(&format!("{base_path}/"))
        || final_path == base_path
        || dirname(&base_path) == base_path;
    if !inside {
        return Err(SuspiciousOperation::new(format!(
            "The joined path ({final_path}) is located outside of the base path component ({base_path})"
        )));
    }
    Ok(PathBuf::from(final_path))
}

/// Python's `posixpath.dirname`.
fn dirname(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => {
            let head = &path[..=i];
            let trimmed = head.trim_end_matches('/');
            if trimmed.is_empty() {
                head
            } else {
                trimmed
            }
        }
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normpath_like_python() {
        for (i, o) in [
            ("/", "/"),
            ("///a//b", "/a/b"),
            ("a/..", "."),
            ("a/../..", ".."),
            ("./", "."),
            ("/..", "/"),
            ("//../a", "//a"),
            ("a/b/../../../c", "../c"),
        ] {
            assert_eq!(normpath(i), o, "{i}");
        }
    }

    #[test]
    fn root_base_allows_everything() {
        assert!(safe_join("/", "etc/passwd").is_ok());
        assert_eq!(dirname("/a/b"), "/a");
        assert_eq!(dirname("/a"), "/");
    }
}

//! The equivalent of `django/core/checks/templates.py`, for what nuages's engines can get
//! wrong: nuages's `templates.W900`, a `DIRS` entry that is not a directory.
//!
//! Django does not check `DIRS` (a missing directory just never holds a template, so every
//! lookup falls through to the next one); nuages warns, because that is almost always a typo or
//! a path relative to another working directory.

use std::path::Path;

use crate::core::checks::CheckMessage;
use crate::template::Engines;
use nuages_py::repr::str_repr;

/// `templates.W900`: each `DIRS` entry of each engine that is not a directory (missing, or a
/// file). A relative entry is looked up from the current working directory, as the engines do.
///
/// # Examples
///
/// ```
/// use nuages::core::checks::templates::check_template_dirs;
/// use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
/// use nuages::template::Engines;
///
/// let dir = tempfile::tempdir().unwrap();
/// let missing = dir.path().join("templates");
/// let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path().to_path_buf(), missing.clone()])]).unwrap();
/// let messages = check_template_dirs(&engines);
/// assert_eq!(messages.len(), 1);
/// assert_eq!(
///     messages[0].to_string(),
///     format!(
///         "?: (templates.W900) The DIRS entry '{}' of the template engine 'jinja2' does not exist.\n\
///          \tHINT: Create it or remove it from DIRS.",
///         missing.display()
///     )
/// );
/// std::fs::create_dir(&missing).unwrap();
/// assert!(check_template_dirs(&engines).is_empty());
/// ```
pub fn check_template_dirs(engines: &Engines) -> Vec<CheckMessage> {
    let mut messages = Vec::new();
    for (alias, dirs) in engines.configured_dirs() {
        for dir in dirs {
            if let Some(problem) = dir_problem(dir) {
                messages.push(
                    CheckMessage::warning(format!(
                        "The DIRS entry {} of the template engine {} {problem}.",
                        str_repr(&dir.display().to_string()),
                        str_repr(alias)
                    ))
                    .hint("Create it or remove it from DIRS.")
                    .id("templates.W900"),
                );
            }
        }
    }
    messages
}

/// Why `dir` cannot hold templates, if it cannot.
fn dir_problem(dir: &Path) -> Option<&'static str> {
    if dir.is_dir() {
        None
    } else if dir.exists() {
        Some("is not a directory")
    } else {
        Some("does not exist")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::backends::{jinja2::Jinja2Backend, EngineConfig};

    #[test]
    fn names_engine_path_and_fix() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("base.html");
        std::fs::write(&file, "").unwrap();
        let engines = Engines::new([
            EngineConfig::new(Jinja2Backend).name("site"),
            EngineConfig::new(Jinja2Backend)
                .name("mail")
                .dirs([file.clone(), dir.path().to_path_buf()]),
        ])
        .unwrap();
        let messages = check_template_dirs(&engines);
        assert_eq!(messages.len(), 1);
        assert_eq!(
            messages[0].msg,
            format!(
                "The DIRS entry '{}' of the template engine 'mail' is not a directory.",
                file.display()
            )
        );
        assert_eq!(
            messages[0].hint.as_deref(),
            Some("Create it or remove it from DIRS.")
        );
    }
}

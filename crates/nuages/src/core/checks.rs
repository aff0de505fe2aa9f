//! The equivalent of `django.core.checks`: the messages of the system check framework and the
//! report `runserver` prints.
//!
//! nuages runs its checks once, when the application is built
//! ([`AppBuilder::build`](crate::AppBuilder::build)): the URLconf ([`Urls::check`](crate::urls::Urls::check),
//! [`urls`]), the template engines ([`Engines::check`](crate::template::Engines::check),
//! [`templates`]) and the settings. Warnings are logged once (`tracing::warn!`, target
//! `nuages::checks`, in the words of `runserver`) and kept on the application
//! ([`App::check_messages`](crate::App::check_messages)); an error fails the build with
//! [`ImproperlyConfigured`](crate::core::exceptions::ImproperlyConfigured). Messages whose id is
//! in `SILENCED_SYSTEM_CHECKS` ([`Settings::silenced_system_checks`](crate::Settings::silenced_system_checks))
//! are neither logged nor fatal.
//!
//! | id | level | what |
//! |---|---|---|
//! | `urls.W001` | Warning | an `include()` regex ending with `$` |
//! | `urls.W002` | Warning | a pattern beginning with `/` (only when `APPEND_SLASH`) |
//! | `urls.W003` | Warning | a URL name containing `:` |
//! | `urls.W005` | Warning | a URL namespace used more than once |
//! | `urls.W010` | Warning | a `path()` route with an unmatched `<` or `>` |
//! | `2_0.W001` | Warning | a `path()` route containing `(?P<`, beginning with `^` or ending with `$` |
//! | `urls.E006` | Error | `STATIC_URL` or `MEDIA_URL` not ending with `/` |
//! | `urls.W900` | Warning | nuages: two patterns of one namespace with the same name and the same arguments (the earlier can never be reversed) |
//! | `templates.W900` | Warning | nuages: a template engine's `DIRS` entry that is not a directory |
//!
//! Ids in the 900 range are nuages's own (Django has no such check); the others are Django's,
//! with Django's messages.
//!
//! Not carried over: Django's registry of check functions (`@register`, tags, `--deploy`), the
//! checks of parts nuages does not have (models, admin, …) and `urls.E009` (a class passed
//! instead of `as_view()`, which the type system rules out).
//!
//! # Examples
//!
//! ```
//! use nuages::core::checks::{CheckMessage, Level};
//!
//! let w = CheckMessage::warning("URL namespace 'blog' isn't unique.")
//!     .id("urls.W005")
//!     .hint("Give each include() its own namespace.");
//! assert_eq!(w.level, Level::Warning);
//! assert_eq!(
//!     w.to_string(),
//!     "?: (urls.W005) URL namespace 'blog' isn't unique.\n\tHINT: Give each include() its own namespace."
//! );
//! assert!(!w.is_serious());
//! assert!(w.is_silenced(&["urls.W005".to_string()]));
//! ```

pub mod templates;
pub mod urls;

use std::fmt;

/// The severity of a [`CheckMessage`] (Django's `DEBUG` … `CRITICAL` constants, 10 … 50).
///
/// # Examples
///
/// ```
/// use nuages::core::checks::Level;
/// assert!(Level::Warning < Level::Error);
/// assert_eq!(Level::Critical.value(), 50);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// `DEBUG` (10).
    Debug,
    /// `INFO` (20).
    Info,
    /// `WARNING` (30).
    Warning,
    /// `ERROR` (40): the application is not built.
    Error,
    /// `CRITICAL` (50): the application is not built.
    Critical,
}

impl Level {
    /// Django's numeric value of the level.
    pub fn value(self) -> u8 {
        match self {
            Level::Debug => 10,
            Level::Info => 20,
            Level::Warning => 30,
            Level::Error => 40,
            Level::Critical => 50,
        }
    }

    /// The heading of this level's group in the report (`WARNINGS`, `ERRORS`, …).
    fn group_name(self) -> &'static str {
        match self {
            Level::Debug => "DEBUGS",
            Level::Info => "INFOS",
            Level::Warning => "WARNINGS",
            Level::Error => "ERRORS",
            Level::Critical => "CRITICALS",
        }
    }
}

/// One finding of a system check (Django's `CheckMessage`, and its `Debug`, `Info`, `Warning`,
/// `Error` and `Critical` subclasses as [`CheckMessage::warning`] …).
///
/// Displayed as Django displays it: `obj: (id) msg` and, with a hint, `\n\tHINT: hint`; `obj`
/// is `?` when the message is about no particular object (all of nuages's checks).
///
/// # Examples
///
/// ```
/// use nuages::core::checks::CheckMessage;
///
/// let e = CheckMessage::error("The STATIC_URL setting must end with a slash.").id("urls.E006");
/// assert!(e.is_serious());
/// assert_eq!(e.to_string(), "?: (urls.E006) The STATIC_URL setting must end with a slash.");
/// assert_eq!(CheckMessage::info("no id").to_string(), "?: no id");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CheckMessage {
    /// The severity.
    pub level: Level,
    /// What is wrong.
    pub msg: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// What the message is about (shown instead of `?`).
    pub obj: Option<String>,
    /// The unique identifier, such as `urls.W005`, that `SILENCED_SYSTEM_CHECKS` names.
    pub id: Option<String>,
}

impl CheckMessage {
    /// A message of `level`, without hint, object or id.
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::core::checks::{CheckMessage, Level};
    /// assert_eq!(CheckMessage::new(Level::Info, "x"), CheckMessage::info("x"));
    /// ```
    pub fn new(level: Level, msg: impl Into<String>) -> Self {
        CheckMessage {
            level,
            msg: msg.into(),
            hint: None,
            obj: None,
            id: None,
        }
    }

    /// Django's `Debug(msg)`.
    pub fn debug(msg: impl Into<String>) -> Self {
        Self::new(Level::Debug, msg)
    }

    /// Django's `Info(msg)`.
    pub fn info(msg: impl Into<String>) -> Self {
        Self::new(Level::Info, msg)
    }

    /// Django's `Warning(msg)`.
    pub fn warning(msg: impl Into<String>) -> Self {
        Self::new(Level::Warning, msg)
    }

    /// Django's `Error(msg)`.
    pub fn error(msg: impl Into<String>) -> Self {
        Self::new(Level::Error, msg)
    }

    /// Django's `Critical(msg)`.
    pub fn critical(msg: impl Into<String>) -> Self {
        Self::new(Level::Critical, msg)
    }

    /// Sets the hint (the `hint=` argument).
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the object the message is about (the `obj=` argument).
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::core::checks::CheckMessage;
    /// let m = CheckMessage::warning("odd").obj("jinja2").id("templates.W900");
    /// assert_eq!(m.to_string(), "jinja2: (templates.W900) odd");
    /// ```
    pub fn obj(mut self, obj: impl Into<String>) -> Self {
        self.obj = Some(obj.into());
        self
    }

    /// Sets the id (the `id=` argument).
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Whether the message stops the application from being built: its level is `Error` or
    /// above (Django's `is_serious()`).
    pub fn is_serious(&self) -> bool {
        self.level >= Level::Error
    }

    /// Whether `silenced` (`SILENCED_SYSTEM_CHECKS`) names this message's id (Django's
    /// `is_silenced()`).
    pub fn is_silenced(&self, silenced: &[String]) -> bool {
        self.id
            .as_deref()
            .is_some_and(|id| silenced.iter().any(|s| s == id))
    }
}

impl fmt::Display for CheckMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.obj.as_deref().unwrap_or("?"))?;
        f.write_str(": ")?;
        if let Some(id) = self.id.as_deref().filter(|id| !id.is_empty()) {
            write!(f, "({id}) ")?;
        }
        f.write_str(&self.msg)?;
        if let Some(hint) = self.hint.as_deref().filter(|h| !h.is_empty()) {
            write!(f, "\n\tHINT: {hint}")?;
        }
        Ok(())
    }
}

/// The text `manage.py check` and `runserver` print for `messages` (Django's
/// `BaseCommand.check(display_num_errors=True)`): a header when something is visible, the
/// messages not `silenced` grouped by level (criticals first, each group sorted), and the
/// count.
///
/// # Examples
///
/// ```
/// use nuages::core::checks::{report, CheckMessage};
///
/// let messages = [
///     CheckMessage::warning("second").id("urls.W002"),
///     CheckMessage::warning("first").id("urls.W001"),
///     CheckMessage::warning("hidden").id("urls.W003"),
/// ];
/// assert_eq!(
///     report(&messages, &["urls.W003".to_string()]),
///     "System check identified some issues:\n\n\
///      WARNINGS:\n\
///      ?: (urls.W001) first\n\
///      ?: (urls.W002) second\n\n\
///      System check identified 2 issues (1 silenced)."
/// );
/// assert_eq!(report(&[], &[]), "System check identified no issues (0 silenced).");
/// ```
pub fn report(messages: &[CheckMessage], silenced: &[String]) -> String {
    let visible: Vec<&CheckMessage> = messages
        .iter()
        .filter(|m| !m.is_silenced(silenced))
        .collect();
    let silenced = messages.len() - visible.len();
    report_visible(&visible, silenced)
}

/// [`report`] of the messages left once `silenced` of them were silenced.
pub(crate) fn report_visible(visible: &[&CheckMessage], silenced: usize) -> String {
    let mut body = String::new();
    for level in [
        Level::Critical,
        Level::Error,
        Level::Warning,
        Level::Info,
        Level::Debug,
    ] {
        let mut lines: Vec<String> = visible
            .iter()
            .filter(|m| m.level == level)
            .map(|m| m.to_string())
            .collect();
        if lines.is_empty() {
            continue;
        }
        lines.sort();
        body.push('\n');
        body.push_str(level.group_name());
        body.push_str(":\n");
        body.push_str(&lines.join("\n"));
        body.push('\n');
    }
    let count = match visible.len() {
        0 => "no issues".to_owned(),
        1 => "1 issue".to_owned(),
        n => format!("{n} issues"),
    };
    let footer = format!("System check identified {count} ({silenced} silenced).");
    if visible.is_empty() {
        footer
    } else {
        format!("System check identified some issues:\n{body}\n{footer}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_like_django() {
        let m = CheckMessage::warning("msg").id("urls.W005");
        assert_eq!(m.to_string(), "?: (urls.W005) msg");
        let m = m.hint("do this");
        assert_eq!(m.to_string(), "?: (urls.W005) msg\n\tHINT: do this");
        // An empty id or hint is left out, as Django's `if self.id` / `if self.hint`.
        let m = CheckMessage::error("x").id("").hint("");
        assert_eq!(m.to_string(), "?: x");
    }

    #[test]
    fn levels() {
        assert_eq!(
            [
                Level::Debug,
                Level::Info,
                Level::Warning,
                Level::Error,
                Level::Critical
            ]
            .map(Level::value),
            [10, 20, 30, 40, 50]
        );
        assert!(!CheckMessage::warning("w").is_serious());
        assert!(CheckMessage::error("e").is_serious());
        assert!(CheckMessage::critical("c").is_serious());
        assert!(!CheckMessage::warning("w").is_silenced(&["".to_owned()]));
    }

    #[test]
    fn report_groups_by_level() {
        let messages = [
            CheckMessage::warning("w").id("a.W001"),
            CheckMessage::error("e").id("a.E001"),
            CheckMessage::critical("c"),
            CheckMessage::info("i"),
            CheckMessage::debug("d"),
        ];
        assert_eq!(
            report(&messages, &[]),
            "System check identified some issues:\n\
             \nCRITICALS:\n?: c\n\
             \nERRORS:\n?: (a.E001) e\n\
             \nWARNINGS:\n?: (a.W001) w\n\
             \nINFOS:\n?: i\n\
             \nDEBUGS:\n?: d\n\
             \nSystem check identified 5 issues (0 silenced)."
        );
        let one = [CheckMessage::warning("w").id("a.W001")];
        assert!(report(&one, &[]).ends_with("\n\nSystem check identified 1 issue (0 silenced)."));
        assert_eq!(
            report(&one, &["a.W001".to_owned()]),
            "System check identified no issues (1 silenced)."
        );
    }
}

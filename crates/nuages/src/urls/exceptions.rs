//! Errors of the URL routing layer (↔ `django.urls.exceptions`).
//!
//! * [`Resolver404`] — no URL pattern matched a path (Django turns it into an HTTP 404);
//! * [`NoReverseMatch`] — `reverse()` found no pattern for a name and its arguments.
//!
//! An invalid URLconf is an
//! [`ImproperlyConfigured`](crate::core::exceptions::ImproperlyConfigured), reported when the
//! URLconf is *built*, never while serving a request.

use std::fmt;

/// No URL pattern matched the requested path (↔ `django.urls.Resolver404`, a subclass of `Http404`).
///
/// Carries what Django's DEBUG 404 page shows: the unmatched path and every pattern that was
/// tried, in order.
///
/// # Examples
///
/// ```
/// use nuages::urls::{path, Urls};
/// use nuages::views::ViewFn;
///
/// let urls = Urls::new([path("about/", ViewFn::named("about")).name("about")]).unwrap();
/// let err = urls.resolve("/contact/").unwrap_err();
/// assert_eq!(err.path, "contact/");
/// assert_eq!(err.tried, vec![vec!["about/".to_string()]]);
/// assert_eq!(err.tried_names, vec![Some("about".to_string())]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolver404 {
    /// The part of the path that could not be resolved (↔ `args[0]["path"]`: for the root URLconf
    /// this is the path without its leading `/`; the full path if it does not start with `/`).
    pub path: String,
    /// The patterns tried, in order (↔ `args[0]["tried"]`). Each row is the chain of patterns from
    /// the root URLconf down to one leaf pattern (`include()` prefixes first), as their route or
    /// regex strings (`str(pattern.pattern)`).
    pub tried: Vec<Vec<String>>,
    /// For each row of [`tried`](Self::tried): the `name` of the row's last pattern, if any (the
    /// DEBUG page prints it as `[name='…']`).
    pub tried_names: Vec<Option<String>>,
}

impl fmt::Display for Resolver404 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Resolver404: no URL pattern matches '{}'", self.path)
    }
}

impl std::error::Error for Resolver404 {}

/// `reverse()` could not build a URL (↔ `django.urls.NoReverseMatch`).
///
/// The message is exactly Django's, e.g.
/// `Reverse for 'int' with no arguments not found. 1 pattern(s) tried: ['int/(?P<n>[0-9]+)/\\Z']`
/// or `'nope' is not a registered namespace`.
///
/// Mixing positional and keyword arguments also yields a `NoReverseMatch` (Django raises
/// `ValueError("Don't mix *args and **kwargs in call to reverse()!")`, same message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoReverseMatch {
    message: String,
}

impl NoReverseMatch {
    /// Creates the error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// The message (identical to Django's).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for NoReverseMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for NoReverseMatch {}

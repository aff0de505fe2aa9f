//! Errors raised by [`QueryDict`](super::QueryDict).

use std::error::Error;
use std::fmt;

use nuages_py::repr::write_str_repr;

/// A mutation was attempted on an immutable [`QueryDict`](super::QueryDict) (Django raises
/// `AttributeError("This QueryDict instance is immutable")`).
///
/// # Examples
///
/// ```
/// use nuages::http::query_dict::{ImmutableQueryDict, QueryDict};
///
/// let mut q = QueryDict::parse("a=1");
/// assert_eq!(q.set("a", "2"), Err(ImmutableQueryDict));
/// assert_eq!(ImmutableQueryDict.to_string(), "This QueryDict instance is immutable");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ImmutableQueryDict;

impl fmt::Display for ImmutableQueryDict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("This QueryDict instance is immutable")
    }
}

impl Error for ImmutableQueryDict {}

/// A key was looked up with [`QueryDict::getitem`](super::QueryDict::getitem) and is not
/// there. Like Python's `KeyError`, it displays as the `repr()` of the key: `'z'`.
///
/// # Examples
///
/// ```
/// use nuages::http::query_dict::QueryDict;
///
/// let err = QueryDict::parse("a=1").getitem("z").unwrap_err();
/// assert_eq!(err.key(), "z");
/// assert_eq!(err.to_string(), "'z'");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MultiValueDictKeyError {
    key: String,
}

impl MultiValueDictKeyError {
    /// An error for `key`.
    pub fn new(key: impl Into<String>) -> Self {
        MultiValueDictKeyError { key: key.into() }
    }

    /// The missing key.
    pub fn key(&self) -> &str {
        &self.key
    }
}

impl fmt::Display for MultiValueDictKeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_str_repr(f, &self.key)
    }
}

impl Error for MultiValueDictKeyError {}

//! The keyword arguments of a URL match (↔ `ResolverMatch.kwargs`, a `dict`).

use std::fmt;
use std::sync::Arc;

use smallvec::SmallVec;

use crate::urls::converters::Value;

/// Arguments held without a heap allocation of their own: a route names one or two.
const INLINE: usize = 2;

/// The keyword arguments of a URL match, in insertion order (↔ the `kwargs` `dict` of a
/// `ResolverMatch`): captured values and the extra `kwargs` of the pattern and its includes.
///
/// A route names a handful of arguments at most, so this is a small vector searched in order:
/// no hashing, up to two arguments stored inline (in the match, with no allocation of their
/// own), and the names are shared with the compiled URLconf rather than copied for every
/// request. Inserting a name that is present replaces its value in place, as assigning
/// to a `dict` key does.
///
/// # Examples
///
/// ```
/// use nuages::urls::{path, Urls, Value};
/// use nuages::views::ViewFn;
///
/// let urls = Urls::new([path("<int:year>/<slug:title>/", ViewFn::named("post"))
///     .kwargs([("format", "html")])])
/// .unwrap();
/// let m = urls.resolve("/2024/hello/").unwrap();
/// assert_eq!(m.kwargs.get("year"), Some(&Value::Int(2024)));
/// assert_eq!(m.kwargs["title"], Value::from("hello"));
/// let names: Vec<&str> = m.kwargs.keys().collect();
/// assert_eq!(names, ["year", "title", "format"]);
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct UrlKwargs {
    entries: SmallVec<[(Arc<str>, Value); INLINE]>,
}

impl UrlKwargs {
    /// No arguments.
    pub const fn new() -> Self {
        Self {
            entries: SmallVec::new_const(),
        }
    }

    /// Room for `capacity` arguments.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: SmallVec::with_capacity(capacity),
        }
    }

    /// Sets `name` to `value`: in place if `name` is present (its position is kept, as in a
    /// `dict`), else at the end. Returns the value it replaced.
    pub fn insert(&mut self, name: impl Into<Arc<str>>, value: Value) -> Option<Value> {
        let name = name.into();
        match self.entries.iter_mut().find(|(k, _)| **k == *name) {
            Some((_, slot)) => Some(std::mem::replace(slot, value)),
            None => {
                self.entries.push((name, value));
                None
            }
        }
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.entries
            .iter()
            .find(|(k, _)| &**k == name)
            .map(|(_, v)| v)
    }

    /// Whether `name` is present (↔ `name in kwargs`).
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The number of arguments.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The arguments, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Value)> + '_ {
        self.entries.iter().map(|(k, v)| (&**k, v))
    }

    /// The names, in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.entries.iter().map(|(k, _)| &**k)
    }

    /// The values, in order.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &Value> + '_ {
        self.entries.iter().map(|(_, v)| v)
    }
}

impl fmt::Debug for UrlKwargs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl std::ops::Index<&str> for UrlKwargs {
    type Output = Value;

    /// The value of `name`.
    ///
    /// # Panics
    ///
    /// If `name` is absent (like a `KeyError`); use [`UrlKwargs::get`] when it may be.
    fn index(&self, name: &str) -> &Value {
        match self.get(name) {
            Some(value) => value,
            None => panic!("no URL keyword argument named {name:?}"),
        }
    }
}

impl<K: Into<Arc<str>>> FromIterator<(K, Value)> for UrlKwargs {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Self {
        let mut kwargs = UrlKwargs::new();
        kwargs.extend(iter);
        kwargs
    }
}

impl<K: Into<Arc<str>>> Extend<(K, Value)> for UrlKwargs {
    fn extend<I: IntoIterator<Item = (K, Value)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl IntoIterator for UrlKwargs {
    type Item = (Arc<str>, Value);
    type IntoIter = IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        IntoIter(self.entries.into_iter())
    }
}

/// The arguments of a [`UrlKwargs`], by value and in order (its `into_iter()`).
pub struct IntoIter(smallvec::IntoIter<[(Arc<str>, Value); INLINE]>);

impl Iterator for IntoIter {
    type Item = (Arc<str>, Value);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for IntoIter {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back()
    }
}

impl ExactSizeIterator for IntoIter {}

impl std::iter::FusedIterator for IntoIter {}

impl fmt::Debug for IntoIter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.as_slice()).finish()
    }
}

impl<'a> IntoIterator for &'a UrlKwargs {
    type Item = (&'a str, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Arc<str>, Value)>,
        fn(&'a (Arc<str>, Value)) -> (&'a str, &'a Value),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (&**k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_replaces_in_place_like_a_dict() {
        let mut kw = UrlKwargs::new();
        assert_eq!(kw.insert("a", Value::Int(1)), None);
        kw.insert("b", Value::Int(2));
        assert_eq!(kw.insert("a", Value::Int(3)), Some(Value::Int(1)));
        assert_eq!(
            kw.iter().collect::<Vec<_>>(),
            [("a", &Value::Int(3)), ("b", &Value::Int(2))]
        );
        assert_eq!(kw.len(), 2);
        assert!(kw.contains_key("b") && !kw.contains_key("c"));
        assert_eq!(format!("{kw:?}"), r#"{"a": Int(3), "b": Int(2)}"#);
    }
}

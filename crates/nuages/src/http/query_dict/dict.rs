//! [`Dict`]: `QueryDict.dict()` as a view borrowing the dict's strings.

use std::fmt;
use std::iter::FusedIterator;

use indexmap::IndexMap;
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::entries::{self, Entries};

/// Every key of a [`QueryDict`](super::QueryDict) with its LAST value, in key order, keys with
/// an empty list left out (Django's `QueryDict.dict()`), borrowed from the dict: nothing is
/// copied until [`Dict::to_map`].
///
/// It serializes as a JSON object of strings, so `JsonResponse::new(&q.dict())` writes the
/// dict's own strings straight into the response body.
///
/// # Examples
///
/// ```
/// use nuages::http::query_dict::QueryDict;
/// use nuages::JsonResponse;
///
/// let q = QueryDict::parse("a=1&a=2&b=%C3%A9");
/// let dict = q.dict();
/// assert_eq!(dict.get("a").map(String::as_str), Some("2"));
/// assert_eq!(dict.iter().collect::<Vec<_>>(), [("a", "2"), ("b", "é")]);
/// let response = JsonResponse::new(&dict).unwrap();
/// assert_eq!(response.content().unwrap(), br#"{"a": "2", "b": "\u00e9"}"#);
/// ```
#[derive(Clone, Copy)]
pub struct Dict<'a> {
    lists: &'a Entries,
}

impl<'a> Dict<'a> {
    pub(super) fn new(lists: &'a Entries) -> Self {
        Dict { lists }
    }

    /// The last value of `key`; `None` if the key is missing or has an empty list.
    pub fn get(&self, key: &str) -> Option<&'a String> {
        self.lists
            .get(key)
            .and_then(|values| values.as_slice().last())
    }

    /// Whether `key` is in the dict (present with at least one value).
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The number of keys (those with an empty list are not counted). Counts them: O(keys).
    pub fn len(&self) -> usize {
        self.lists
            .iter()
            .filter(|(_, values)| !values.as_slice().is_empty())
            .count()
    }

    /// Whether there are no keys with a value.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// `(key, last value)` pairs, in key order.
    pub fn iter(&self) -> DictIter<'a> {
        DictIter {
            inner: self.lists.iter(),
        }
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &'a str> + 'a {
        self.iter().map(|(key, _)| key)
    }

    /// The last values, in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &'a str> + 'a {
        self.iter().map(|(_, value)| value)
    }

    /// An owned copy (Python's new `dict`).
    pub fn to_map(&self) -> IndexMap<String, String> {
        self.iter()
            .map(|(key, value)| (key.to_owned(), value.to_owned()))
            .collect()
    }
}

impl<'a> IntoIterator for Dict<'a> {
    type Item = (&'a str, &'a str);
    type IntoIter = DictIter<'a>;

    /// Same as [`Dict::iter`].
    fn into_iter(self) -> DictIter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &Dict<'a> {
    type Item = (&'a str, &'a str);
    type IntoIter = DictIter<'a>;

    /// Same as [`Dict::iter`].
    fn into_iter(self) -> DictIter<'a> {
        self.iter()
    }
}

impl From<Dict<'_>> for IndexMap<String, String> {
    fn from(dict: Dict<'_>) -> Self {
        dict.to_map()
    }
}

impl PartialEq for Dict<'_> {
    /// Python dict equality: the same keys with the same values, in any order.
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .all(|(key, value)| other.get(key).is_some_and(|v| v == value))
    }
}

impl Eq for Dict<'_> {}

impl fmt::Debug for Dict<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for Dict<'_> {
    /// Serializes as a map from each key to its last value (`{"a": "2"}`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// Iterator over the `(key, last value)` pairs of a [`Dict`].
#[derive(Clone, Debug)]
pub struct DictIter<'a> {
    inner: entries::Iter<'a>,
}

impl<'a> Iterator for DictIter<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        self.inner
            .by_ref()
            .find_map(|(key, values)| Some((key.as_str(), values.last()?)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, self.inner.size_hint().1)
    }
}

impl DoubleEndedIterator for DictIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.inner
            .by_ref()
            .rev()
            .find_map(|(key, values)| Some((key.as_str(), values.last()?)))
    }
}

impl FusedIterator for DictIter<'_> {}

#[cfg(test)]
mod tests {
    use indexmap::IndexMap;

    use crate::http::query_dict::QueryDict;
    use nuages_py::json::{dumps, JsonDumpsParams};

    /// `dict()` as the copy Django makes, to compare the view with.
    fn copied(q: &QueryDict) -> IndexMap<String, String> {
        q.items()
            .map(|(key, value)| (key.to_owned(), value.to_owned()))
            .collect()
    }

    #[test]
    fn serializes_like_the_copied_dict() {
        let mut with_empty = QueryDict::parse("x=1&e=2").copy();
        with_empty.set_list("e", Vec::<String>::new()).unwrap();
        with_empty.set_list("z", Vec::<String>::new()).unwrap();
        let dicts = [
            QueryDict::new(),
            QueryDict::parse("a=1&b=2"),
            QueryDict::parse("a=1&a=2&a=&b"),
            QueryDict::parse(
                "caf%C3%A9=cr%C3%A8me&ls=%E2%80%A8%E2%80%A9&s=%3C%2Fscript%3E&q=%22%5C&c=%01%1F%7F",
            ),
            QueryDict::parse("emoji=%F0%9F%98%80&bad=%ff%fe&lit=%zz&plus=a+b&=empty-key"),
            QueryDict::parse("1=int&1.5=float&null=None&true=bool"),
            with_empty,
        ];
        let params = [
            JsonDumpsParams::default(),
            JsonDumpsParams::default().separators(",", ":"),
            JsonDumpsParams::default().ensure_ascii(false),
            JsonDumpsParams::default().sort_keys(true).indent(2),
        ];
        for q in &dicts {
            for p in &params {
                let view = dumps(&q.dict(), p).unwrap();
                assert_eq!(view, dumps(&copied(q), p).unwrap(), "{q:?} {p:?}");
                assert_eq!(view, dumps(&q.dict().to_map(), p).unwrap());
            }
            assert_eq!(q.dict().len(), copied(q).len());
            assert_eq!(q.dict().is_empty(), copied(q).is_empty());
            let back: Vec<_> = q.dict().iter().rev().collect();
            let forth: Vec<_> = q.dict().iter().collect();
            assert_eq!(back, forth.into_iter().rev().collect::<Vec<_>>());
        }
        let q = &dicts[6];
        assert_eq!(dumps(&q.dict(), &params[1]).unwrap(), r#"{"x":"1"}"#);
        assert!(!q.dict().contains_key("e"));
        assert_eq!(q.dict().get("e"), None);
        assert_eq!(format!("{:?}", q.dict()), r#"{"x": "1"}"#);
    }

    #[test]
    fn equality_ignores_order() {
        let a = QueryDict::parse("a=1&b=2");
        let b = QueryDict::parse("b=2&a=0&a=1");
        let c = QueryDict::parse("a=1&b=3");
        assert_eq!(a.dict(), b.dict());
        assert_ne!(a.dict(), c.dict());
        assert_ne!(a.dict(), QueryDict::parse("a=1").dict());
    }
}

//! The keys of a [`QueryDict`](super::QueryDict), in first-appearance order, each with its
//! values.
//!
//! A query string or a form has a handful of keys, and comparing a key with a few others costs
//! less than hashing it once: up to [`SMALL`] keys live in a plain list that lookups scan.
//! Past that, the list becomes an [`IndexMap`] with its default SipHash, so that a request with
//! thousands of keys (up to `DATA_UPLOAD_MAX_NUMBER_FIELDS`) costs O(1) per key and cannot be
//! made quadratic by an attacker choosing them.

use std::iter::FusedIterator;

use indexmap::IndexMap;

use super::values::Values;

/// Most keys kept in the scanned list.
pub(super) const SMALL: usize = 16;

/// An ordered map from keys to their values (see the module's documentation).
#[derive(Clone, Debug)]
pub(super) enum Entries {
    /// At most [`SMALL`] keys, in order.
    Small(Vec<(String, Values)>),
    /// More than [`SMALL`] keys at some point (it stays indexed when keys are removed).
    Indexed(IndexMap<String, Values>),
}

impl Default for Entries {
    /// Empty, without allocating.
    fn default() -> Self {
        Entries::Small(Vec::new())
    }
}

impl Entries {
    /// Room for `additional` more keys.
    pub(super) fn reserve(&mut self, additional: usize) {
        match self {
            Entries::Small(list) if list.len().saturating_add(additional) <= SMALL => {
                list.reserve(additional)
            }
            Entries::Small(list) => {
                let mut map = IndexMap::with_capacity(list.len().saturating_add(additional));
                map.extend(list.drain(..));
                *self = Entries::Indexed(map);
            }
            Entries::Indexed(map) => map.reserve(additional),
        }
    }

    /// The values of `key`.
    pub(super) fn get(&self, key: &str) -> Option<&Values> {
        match self {
            Entries::Small(list) => list.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            Entries::Indexed(map) => map.get(key),
        }
    }

    /// The values of `key`, to change.
    pub(super) fn get_mut(&mut self, key: &str) -> Option<&mut Values> {
        match self {
            Entries::Small(list) => list.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            Entries::Indexed(map) => map.get_mut(key),
        }
    }

    /// Whether `key` is present.
    pub(super) fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The number of keys.
    pub(super) fn len(&self) -> usize {
        match self {
            Entries::Small(list) => list.len(),
            Entries::Indexed(map) => map.len(),
        }
    }

    /// Whether there are no keys.
    pub(super) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Gives `key` the values `values`: a present key keeps its position, a new one goes last.
    pub(super) fn insert(&mut self, key: String, values: Values) {
        *self.get_or_insert_with(key, || Values::Many(Vec::new())) = values;
    }

    /// Appends `value` to the values of `key`, adding the key last if it is new.
    pub(super) fn push(&mut self, key: String, value: String) {
        if let Some(values) = self.get_mut(&key) {
            values.push(value);
        } else {
            self.insert_new(key, Values::One(value));
        }
    }

    /// The values of `key`, first set to `default()` if the key is new (added last).
    pub(super) fn get_or_insert_with(
        &mut self,
        key: String,
        default: impl FnOnce() -> Values,
    ) -> &mut Values {
        let found = match self {
            Entries::Small(list) => list.iter().position(|(k, _)| *k == key),
            Entries::Indexed(map) => map.get_index_of(&key),
        };
        let index = match found {
            Some(index) => index,
            None => {
                self.insert_new(key, default());
                self.len() - 1
            }
        };
        match self {
            Entries::Small(list) => &mut list[index].1,
            Entries::Indexed(map) => &mut map[index],
        }
    }

    /// Adds `key`, which the caller has just looked up and not found, last.
    pub(super) fn insert_new(&mut self, key: String, values: Values) {
        if let Entries::Small(list) = self {
            if list.len() < SMALL {
                list.push((key, values));
                return;
            }
            self.reserve(1);
        }
        if let Entries::Indexed(map) = self {
            map.insert(key, values);
        }
    }

    /// Removes `key`, keeping the order of the others.
    pub(super) fn shift_remove(&mut self, key: &str) -> Option<Values> {
        match self {
            Entries::Small(list) => {
                let index = list.iter().position(|(k, _)| k == key)?;
                Some(list.remove(index).1)
            }
            Entries::Indexed(map) => map.shift_remove(key),
        }
    }

    /// Removes the last key.
    pub(super) fn pop(&mut self) -> Option<(String, Values)> {
        match self {
            Entries::Small(list) => list.pop(),
            Entries::Indexed(map) => map.pop(),
        }
    }

    /// Removes every key.
    pub(super) fn clear(&mut self) {
        match self {
            Entries::Small(list) => list.clear(),
            Entries::Indexed(map) => map.clear(),
        }
    }

    /// `(key, values)` pairs, in order.
    pub(super) fn iter(&self) -> Iter<'_> {
        match self {
            Entries::Small(list) => Iter::Small(list.iter()),
            Entries::Indexed(map) => Iter::Indexed(map.iter()),
        }
    }
}

impl PartialEq for Entries {
    /// Python dict equality: the same keys with the same values, in any order.
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Entries::Indexed(a), Entries::Indexed(b)) => a == b,
            _ => {
                self.len() == other.len()
                    && self
                        .iter()
                        .all(|(key, values)| other.get(key) == Some(values))
            }
        }
    }
}

impl Eq for Entries {}

impl<'a> IntoIterator for &'a Entries {
    type Item = (&'a String, &'a Values);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// Iterator over the `(key, values)` pairs of [`Entries`], in order.
#[derive(Clone, Debug)]
pub(super) enum Iter<'a> {
    /// Over the scanned list.
    Small(std::slice::Iter<'a, (String, Values)>),
    /// Over the map.
    Indexed(indexmap::map::Iter<'a, String, Values>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a String, &'a Values);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Small(inner) => inner.next().map(|(k, v)| (k, v)),
            Iter::Indexed(inner) => inner.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Iter::Small(inner) => inner.size_hint(),
            Iter::Indexed(inner) => inner.size_hint(),
        }
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Small(inner) => inner.next_back().map(|(k, v)| (k, v)),
            Iter::Indexed(inner) => inner.next_back(),
        }
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl FusedIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(value: &str) -> Values {
        Values::One(value.to_owned())
    }

    fn keys(entries: &Entries) -> Vec<&str> {
        entries.iter().map(|(k, _)| k.as_str()).collect()
    }

    /// The same operations on the list and on an IndexMap, across the change of form.
    #[test]
    fn behaves_as_an_index_map_on_both_sides_of_small() {
        let mut entries = Entries::default();
        let mut map: IndexMap<String, Values> = IndexMap::new();
        for n in 0..(SMALL * 2 + 3) {
            let key = format!("k{}", n % (SMALL + 5));
            entries.push(key.clone(), n.to_string());
            match map.get_mut(&key) {
                Some(values) => values.push(n.to_string()),
                None => {
                    map.insert(key, Values::One(n.to_string()));
                }
            }
            assert_eq!(entries, Entries::Indexed(map.clone()), "after {n}");
            assert_eq!(
                entries.iter().collect::<Vec<_>>(),
                map.iter().collect::<Vec<_>>()
            );
            assert_eq!(entries.len(), map.len());
            assert!(matches!(entries, Entries::Small(_)) == (map.len() <= SMALL));
        }
        assert_eq!(
            entries.get("k3").map(Values::as_slice).unwrap_or_default(),
            ["3", "24"]
        );
        assert_eq!(entries.iter().rev().count(), SMALL + 5);
        assert_eq!(entries.shift_remove("k0"), map.shift_remove("k0"));
        assert_eq!(entries.pop(), map.pop());
        assert_eq!(entries.shift_remove("absent"), None);
        assert_eq!(entries, Entries::Indexed(map.clone()));
        entries.clear();
        assert!(entries.is_empty());
    }

    #[test]
    fn insert_keeps_the_position_of_a_present_key() {
        let mut entries = Entries::default();
        entries.insert("a".into(), one("1"));
        entries.insert("b".into(), one("2"));
        entries.insert("a".into(), one("3"));
        assert_eq!(keys(&entries), ["a", "b"]);
        assert_eq!(entries.get("a"), Some(&one("3")));
        let values = entries.get_or_insert_with("c".into(), || one("4"));
        values.push("5".into());
        assert_eq!(
            entries.get("c").map(Values::as_slice).unwrap_or_default(),
            ["4", "5"]
        );
        assert_eq!(entries.shift_remove("a"), Some(one("3")));
        assert_eq!(keys(&entries), ["b", "c"]);
        assert!(!entries.contains_key("a"));
    }

    #[test]
    fn reserving_past_small_indexes_at_once() {
        let mut entries = Entries::default();
        entries.push("a".into(), "1".into());
        entries.reserve(SMALL);
        assert!(matches!(entries, Entries::Indexed(_)));
        assert_eq!(keys(&entries), ["a"]);
        let mut few = Entries::default();
        few.reserve(SMALL);
        assert!(matches!(few, Entries::Small(_)));
    }

    #[test]
    fn equality_ignores_order_and_form() {
        let mut a = Entries::default();
        a.push("x".into(), "1".into());
        a.push("y".into(), "2".into());
        let mut b = Entries::default();
        b.push("y".into(), "2".into());
        b.push("x".into(), "1".into());
        assert_eq!(a, b);
        let mut indexed = b.clone();
        indexed.reserve(SMALL + 1);
        assert_eq!(a, indexed);
        assert_eq!(indexed, a);
        b.push("x".into(), "3".into());
        assert_ne!(a, b);
        a.push("z".into(), "3".into());
        assert_ne!(a, b);
    }
}

//! The value list stored for one key.

use std::mem;

/// The values of one key. Most keys have exactly one value, which is stored inline so that
/// parsing `a=1` costs one allocation per string and none for a list.
#[derive(Clone, Debug)]
pub(super) enum Values {
    /// Exactly one value.
    One(String),
    /// Any number of values, possibly none (Django allows `setlist(key, [])`).
    Many(Vec<String>),
}

impl Values {
    /// All values, oldest first.
    pub(super) fn as_slice(&self) -> &[String] {
        match self {
            Values::One(value) => std::slice::from_ref(value),
            Values::Many(values) => values,
        }
    }

    /// The last value (what `q[key]` returns), `None` for an empty list.
    pub(super) fn last(&self) -> Option<&str> {
        self.as_slice().last().map(String::as_str)
    }

    /// Appends a value.
    pub(super) fn push(&mut self, value: String) {
        match self {
            Values::One(first) => {
                let first = mem::take(first);
                *self = Values::Many(vec![first, value]);
            }
            Values::Many(values) => values.push(value),
        }
    }

    /// The values as a growable list (converts the inline form).
    pub(super) fn as_vec_mut(&mut self) -> &mut Vec<String> {
        match self {
            Values::Many(values) => values,
            Values::One(first) => {
                let first = mem::take(first);
                *self = Values::Many(vec![first]);
                // Now the `Many` form: the recursion ends at once.
                self.as_vec_mut()
            }
        }
    }

    /// Takes the values out as a list.
    pub(super) fn into_vec(self) -> Vec<String> {
        match self {
            Values::One(value) => vec![value],
            Values::Many(values) => values,
        }
    }
}

impl PartialEq for Values {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Values {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_and_convert() {
        let mut values = Values::One("1".into());
        assert_eq!(values.last(), Some("1"));
        values.push("2".into());
        assert_eq!(values.as_slice(), ["1", "2"]);
        assert_eq!(values, Values::Many(vec!["1".into(), "2".into()]));
        let mut one = Values::One("x".into());
        one.as_vec_mut().push("y".into());
        assert_eq!(one.into_vec(), ["x", "y"]);
        assert_eq!(Values::Many(Vec::new()).last(), None);
    }
}

//! [`QueryDictBuilder`].

use super::values::Values;
use super::QueryDict;
use nuages_py::codecs::Charset;

/// Builds a [`QueryDict`] with given contents, charset and mutability (immutable and UTF-8
/// unless told otherwise). See [`QueryDict::builder`].
#[derive(Clone, Debug, Default)]
pub struct QueryDictBuilder {
    dict: QueryDict,
}

impl QueryDictBuilder {
    /// Appends `value` to the values of `key`.
    pub fn append(mut self, key: impl AsRef<str> + Into<String>, value: impl Into<String>) -> Self {
        self.dict.push(key, value.into());
        self
    }

    /// Replaces the values of `key` with `values`.
    pub fn list<I>(mut self, key: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let values = Values::Many(values.into_iter().map(Into::into).collect());
        self.dict.lists.insert(key.into(), values);
        self
    }

    /// Sets the charset.
    pub fn encoding(mut self, charset: Charset) -> Self {
        self.dict.encoding = charset;
        self
    }

    /// Sets whether the built dict is mutable.
    pub fn mutable(mut self, mutable: bool) -> Self {
        self.dict.mutable = mutable;
        self
    }

    /// The dict.
    pub fn build(self) -> QueryDict {
        self.dict
    }
}

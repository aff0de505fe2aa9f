//! Django's `QueryDict` (`django.http.request.QueryDict` on top of
//! `django.utils.datastructures.MultiValueDict`): an ordered multi-value map of query-string
//! or form fields.
//!
//! Parsing follows Python's `parse_qsl(keep_blank_values=True)` exactly: only `&` separates
//! pairs, `+` is a space, malformed `%` escapes stay literal, percent-decoded bytes are decoded
//! with the dict's charset (invalid sequences become U+FFFD), keys keep first-appearance order
//! and repeated keys accumulate their values in order.
//!
//! Dicts built from a request are immutable: every mutation returns
//! [`Err(ImmutableQueryDict)`](ImmutableQueryDict); [`QueryDict::copy`] gives a mutable copy.

mod builder;
mod dict;
mod encode;
mod entries;
mod errors;
mod lists;
mod parse;
mod values;

use std::fmt;

use serde::ser::{Serialize, SerializeMap, Serializer};

pub use self::builder::QueryDictBuilder;
pub use self::dict::{Dict, DictIter};
use self::entries::Entries;
pub use self::errors::{ImmutableQueryDict, MultiValueDictKeyError};
pub use self::lists::Lists;
use self::values::Values;
use nuages_py::codecs::Charset;
use nuages_py::repr::write_str_repr;

use crate::core::exceptions::TooManyFieldsSent;

/// Most entries a parse pre-allocates, whatever the number of `&` (which an attacker controls).
const MAX_RESERVE: usize = 64;

/// An ordered map from keys to lists of values, as Django gives `request.GET` and
/// `request.POST`.
///
/// Lookups with [`get`](QueryDict::get) / [`getitem`](QueryDict::getitem) return the LAST value
/// of a key; [`get_list`](QueryDict::get_list) returns all of them.
///
/// Equality is Python dict equality: same keys with the same value lists, in any key order;
/// the charset and mutability are ignored.
///
/// # Examples
///
/// ```
/// use nuages::http::query_dict::QueryDict;
///
/// let q = QueryDict::parse("a=1&a=2&b=x+y&c");
/// assert_eq!(q.get("a"), Some("2"));
/// assert_eq!(q.get_list("a"), ["1", "2"]);
/// assert_eq!(q.get("b"), Some("x y"));
/// assert_eq!(q.get("c"), Some(""));
/// assert_eq!(q.get("z"), None);
/// assert_eq!(q.urlencode(None), "a=1&a=2&b=x+y&c=");
///
/// let mut copy = q.copy();
/// copy.set("next", "/a&b/")?;
/// assert_eq!(copy.urlencode(Some("/")), "a=1&a=2&b=x%20y&c=&next=/a%26b/");
/// # Ok::<(), nuages::http::query_dict::ImmutableQueryDict>(())
/// ```
#[derive(Clone, Default)]
pub struct QueryDict {
    lists: Entries,
    encoding: Charset,
    mutable: bool,
}

impl QueryDict {
    /// An empty, immutable dict using UTF-8 (Django's `QueryDict()`). Does not allocate.
    pub fn new() -> Self {
        QueryDict::default()
    }

    /// An empty, mutable dict using UTF-8 (Django's `QueryDict(mutable=True)`).
    pub fn new_mutable() -> Self {
        QueryDict {
            mutable: true,
            ..QueryDict::default()
        }
    }

    /// A builder for a dict with given contents, charset and mutability.
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::http::query_dict::QueryDict;
    ///
    /// let q = QueryDict::builder().append("a", "1").list("b", ["2", "3"]).build();
    /// assert_eq!(q.urlencode(None), "a=1&b=2&b=3");
    /// assert!(!q.is_mutable());
    /// ```
    pub fn builder() -> QueryDictBuilder {
        QueryDictBuilder::default()
    }

    /// Parses a UTF-8 query string with no field limit into an immutable dict
    /// (Django's `QueryDict(query_string)`). `parse("")` does not allocate.
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::http::query_dict::QueryDict;
    ///
    /// let q = QueryDict::parse("a=1;b=2&%zz=%C3%A9&=");
    /// let lists: Vec<_> = q.lists().collect();
    /// assert_eq!(lists, [("a", &["1;b=2".to_owned()][..]), ("%zz", &["é".to_owned()][..]),
    ///                    ("", &["".to_owned()][..])]);
    /// ```
    pub fn parse(query_string: &str) -> Self {
        QueryDict::parse_fields(
            query_string,
            parse::field_count(query_string),
            Charset::UTF_8,
        )
    }

    /// Parses a query string with Django's options: `charset` (default UTF-8) decodes the
    /// percent-escaped bytes, and `max_num_fields` (`DATA_UPLOAD_MAX_NUMBER_FIELDS`, `None`
    /// for no limit) is checked BEFORE parsing against `1 + number of '&'` (empty segments
    /// count).
    ///
    /// # Errors
    ///
    /// [`TooManyFieldsSent`] when the query string has more fields than `max_num_fields`.
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::http::query_dict::QueryDict;
    /// use nuages::utils::charset::Charset;
    ///
    /// let latin1 = Charset::from_label("latin-1").unwrap();
    /// let q = QueryDict::parse_with("a=%E9", Some(&latin1), Some(1000))?;
    /// assert_eq!(q.get("a"), Some("é"));
    /// assert_eq!(q.encoding().name(), "latin-1");
    /// assert!(QueryDict::parse_with("a=1&&&", None, Some(3)).is_err());
    /// # Ok::<(), nuages::core::exceptions::TooManyFieldsSent>(())
    /// ```
    pub fn parse_with(
        query_string: &str,
        charset: Option<&Charset>,
        max_num_fields: Option<usize>,
    ) -> Result<Self, TooManyFieldsSent> {
        let fields = parse::field_count(query_string);
        if max_num_fields.is_some_and(|max| max < fields) {
            return Err(TooManyFieldsSent);
        }
        let charset = charset.cloned().unwrap_or(Charset::UTF_8);
        Ok(QueryDict::parse_fields(query_string, fields, charset))
    }

    /// Parses a raw (bytes) query string like Django's `QueryDict(bytes)`: the bytes are
    /// decoded with the charset, and if they are not valid in it the WHOLE string is decoded
    /// as ISO-8859-1; then parsing proceeds as in [`parse_with`](QueryDict::parse_with).
    ///
    /// # Errors
    ///
    /// [`TooManyFieldsSent`] when the query string has more fields than `max_num_fields`.
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::http::query_dict::QueryDict;
    ///
    /// let q = QueryDict::parse_bytes(b"a=\xe9&b=%E9", None, None)?;
    /// assert_eq!(q.get("a"), Some("é"));
    /// assert_eq!(q.get("b"), Some("\u{fffd}"));
    /// # Ok::<(), nuages::core::exceptions::TooManyFieldsSent>(())
    /// ```
    pub fn parse_bytes(
        query_string: &[u8],
        charset: Option<&Charset>,
        max_num_fields: Option<usize>,
    ) -> Result<Self, TooManyFieldsSent> {
        let charset = charset.unwrap_or(&Charset::UTF_8);
        let text = charset
            .decode_strict(query_string)
            .unwrap_or_else(|| Charset::LATIN_1.decode_lossy(query_string));
        QueryDict::parse_with(&text, Some(charset), max_num_fields)
    }

    /// Parses without a field limit; `fields` is [`parse::field_count`] of `query_string`.
    fn parse_fields(query_string: &str, fields: usize, encoding: Charset) -> Self {
        let mut lists = Entries::default();
        if fields > 0 {
            lists.reserve(fields.min(MAX_RESERVE));
            parse::parse_into(query_string, &encoding, &mut lists);
        }
        QueryDict {
            lists,
            encoding,
            mutable: false,
        }
    }

    /// An immutable UTF-8 dict giving `value` to every key, repeated keys included
    /// (Django's `QueryDict.fromkeys(keys, value)`).
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::http::query_dict::QueryDict;
    ///
    /// let q = QueryDict::from_keys(["a", "a", "b"], "v");
    /// assert_eq!(q.urlencode(None), "a=v&a=v&b=v");
    /// ```
    #[doc(alias = "fromkeys")]
    pub fn from_keys<I>(keys: I, value: &str) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str> + Into<String>,
    {
        keys.into_iter().map(|key| (key, value)).collect()
    }

    /// A mutable deep copy, whatever the mutability of `self` (Django's `copy()`).
    #[doc(alias = "__deepcopy__")]
    pub fn copy(&self) -> Self {
        QueryDict {
            lists: self.lists.clone(),
            encoding: self.encoding.clone(),
            mutable: true,
        }
    }

    /// Whether mutations are allowed.
    pub fn is_mutable(&self) -> bool {
        self.mutable
    }

    /// The same dict, now mutable (without copying).
    pub fn into_mutable(mut self) -> Self {
        self.mutable = true;
        self
    }

    /// The same dict, now immutable (what Django does to `request.POST` once parsed).
    pub fn into_immutable(mut self) -> Self {
        self.mutable = false;
        self
    }

    /// The charset used to decode and `urlencode` (Django's `encoding`).
    pub fn encoding(&self) -> &Charset {
        &self.encoding
    }

    /// Records a new charset for [`urlencode`](QueryDict::urlencode). Like Django's
    /// `QueryDict.encoding` setter, the stored strings are not re-decoded and mutability is
    /// not required.
    pub fn set_encoding(&mut self, charset: Charset) {
        self.encoding = charset;
    }

    /// The last value of `key`; `None` if the key is missing or has an empty list.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.lists.get(key).and_then(Values::last)
    }

    /// The last value of `key`, or `default` if the key is missing or has an empty list
    /// (Django's `get(key, default)`).
    #[doc(alias = "get")]
    pub fn get_or<'a>(&'a self, key: &str, default: &'a str) -> &'a str {
        self.get(key).unwrap_or(default)
    }

    /// The last value of `key` (Django's `q[key]`).
    ///
    /// # Errors
    ///
    /// [`MultiValueDictKeyError`] when the key is missing. Also when its list is empty
    /// (only possible after `set_list(key, [])`), where Django returns `[]`, which has no
    /// string counterpart.
    #[doc(alias = "__getitem__")]
    pub fn getitem(&self, key: &str) -> Result<&str, MultiValueDictKeyError> {
        self.get(key)
            .ok_or_else(|| MultiValueDictKeyError::new(key))
    }

    /// All values of `key`, oldest first; empty if the key is missing.
    #[doc(alias = "getlist")]
    pub fn get_list(&self, key: &str) -> &[String] {
        self.lists.get(key).map_or(&[], Values::as_slice)
    }

    /// All values of `key`, or `default` if the key is missing (a present key with an empty
    /// list gives the empty list, as in Django).
    #[doc(alias = "getlist")]
    pub fn get_list_or<'a>(&'a self, key: &str, default: &'a [String]) -> &'a [String] {
        self.lists.get(key).map_or(default, Values::as_slice)
    }

    /// Whether `key` is present (Django's `key in q`).
    #[doc(alias = "__contains__")]
    pub fn contains_key(&self, key: &str) -> bool {
        self.lists.contains_key(key)
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.lists.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }

    /// The keys, in first-appearance order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator + '_ {
        self.lists.iter().map(|(key, _)| key.as_str())
    }

    /// The last value of every key (keys with an empty list are skipped).
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &str> + '_ {
        self.lists.iter().filter_map(|(_, values)| values.last())
    }

    /// `(key, last value)` pairs (keys with an empty list are skipped).
    pub fn items(&self) -> impl DoubleEndedIterator<Item = (&str, &str)> + '_ {
        self.lists
            .iter()
            .filter_map(|(key, values)| Some((key.as_str(), values.last()?)))
    }

    /// `(key, all values)` pairs.
    pub fn lists(&self) -> Lists<'_> {
        Lists {
            inner: self.lists.iter(),
        }
    }

    /// Every key with its last value (keys with an empty list are skipped), as a view
    /// borrowing this dict's strings (Django's `dict()`); [`Dict::to_map`] copies it.
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::http::query_dict::QueryDict;
    ///
    /// let q = QueryDict::parse("a=1&a=2&b=x");
    /// assert_eq!(q.dict().iter().collect::<Vec<_>>(), [("a", "2"), ("b", "x")]);
    /// assert_eq!(q.dict().to_map()["a"], "2");
    /// ```
    pub fn dict(&self) -> Dict<'_> {
        Dict::new(&self.lists)
    }

    /// Encodes every `(key, value)` pair, in order, joined by `&`.
    ///
    /// Without `safe` (or with an empty one) this is Python's `urlencode`: space → `+` and
    /// everything but `A-Z a-z 0-9 _ . - ~` percent-escaped. With `safe` it is Python's
    /// `quote(…, safe)`: space → `%20`, and the ASCII characters of `safe` stay literal.
    /// Strings are first encoded with the dict's charset; text the charset cannot represent
    /// is encoded as UTF-8 (Django raises `UnicodeEncodeError`).
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::http::query_dict::QueryDict;
    ///
    /// let q = QueryDict::builder().append("next", "/a&b c/").build();
    /// assert_eq!(q.urlencode(None), "next=%2Fa%26b+c%2F");
    /// assert_eq!(q.urlencode(Some("/")), "next=/a%26b%20c/");
    /// ```
    pub fn urlencode(&self, safe: Option<&str>) -> String {
        let quoter = encode::Quoter::new(safe, &self.encoding);
        let mut out = String::new();
        for (key, values) in &self.lists {
            for value in values.as_slice() {
                if !out.is_empty() {
                    out.push('&');
                }
                quoter.push(&mut out, key, &self.encoding);
                out.push('=');
                quoter.push(&mut out, value, &self.encoding);
            }
        }
        out
    }

    fn assert_mutable(&self) -> Result<(), ImmutableQueryDict> {
        if self.mutable {
            Ok(())
        } else {
            Err(ImmutableQueryDict)
        }
    }

    /// Appends without checking mutability (construction).
    fn push<K: AsRef<str> + Into<String>>(&mut self, key: K, value: String) {
        match self.lists.get_mut(key.as_ref()) {
            Some(values) => values.push(value),
            None => self.lists.insert_new(key.into(), Values::One(value)),
        }
    }

    /// Replaces the values of `key` with `[value]`, keeping the key's position
    /// (Django's `q[key] = value`).
    ///
    /// # Errors
    ///
    /// [`ImmutableQueryDict`] if the dict is immutable.
    #[doc(alias = "__setitem__")]
    pub fn set<K, V>(&mut self, key: K, value: V) -> Result<(), ImmutableQueryDict>
    where
        K: AsRef<str> + Into<String>,
        V: Into<String>,
    {
        self.assert_mutable()?;
        let value = Values::One(value.into());
        match self.lists.get_mut(key.as_ref()) {
            Some(values) => *values = value,
            None => self.lists.insert_new(key.into(), value),
        }
        Ok(())
    }

    /// Replaces the values of `key` with `list` (Django's `setlist`).
    ///
    /// # Errors
    ///
    /// [`ImmutableQueryDict`] if the dict is immutable.
    #[doc(alias = "setlist")]
    pub fn set_list<K, I>(&mut self, key: K, list: I) -> Result<(), ImmutableQueryDict>
    where
        K: Into<String>,
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.assert_mutable()?;
        self.lists.insert(
            key.into(),
            Values::Many(list.into_iter().map(Into::into).collect()),
        );
        Ok(())
    }

    /// Appends `value` to the values of `key` (Django's `appendlist`).
    ///
    /// # Errors
    ///
    /// [`ImmutableQueryDict`] if the dict is immutable.
    #[doc(alias = "appendlist")]
    pub fn append_list<K, V>(&mut self, key: K, value: V) -> Result<(), ImmutableQueryDict>
    where
        K: AsRef<str> + Into<String>,
        V: Into<String>,
    {
        self.assert_mutable()?;
        self.push(key, value.into());
        Ok(())
    }

    /// Sets `key` to `[default]` if it is missing, then returns its last value (Django's
    /// `setdefault`). A present key with an empty list also gets `[default]` (Django would
    /// return `[]`).
    ///
    /// # Errors
    ///
    /// [`ImmutableQueryDict`] if the dict is immutable.
    #[doc(alias = "setdefault")]
    pub fn set_default<K, V>(&mut self, key: K, default: V) -> Result<&str, ImmutableQueryDict>
    where
        K: Into<String>,
        V: Into<String>,
    {
        self.assert_mutable()?;
        let values = self
            .lists
            .get_or_insert_with(key.into(), || Values::Many(Vec::new()));
        if values.last().is_none() {
            *values = Values::One(default.into());
        }
        Ok(values.last().unwrap_or_default())
    }

    /// Sets the values of `key` to `default_list` if it is missing, then returns its (live)
    /// list of values (Django's `setlistdefault`).
    ///
    /// # Errors
    ///
    /// [`ImmutableQueryDict`] if the dict is immutable.
    #[doc(alias = "setlistdefault")]
    pub fn set_list_default<K, I>(
        &mut self,
        key: K,
        default_list: I,
    ) -> Result<&mut Vec<String>, ImmutableQueryDict>
    where
        K: Into<String>,
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.assert_mutable()?;
        let values = self.lists.get_or_insert_with(key.into(), || {
            Values::Many(default_list.into_iter().map(Into::into).collect())
        });
        Ok(values.as_vec_mut())
    }

    /// Appends every value of `other` to this dict's lists (Django's `update`, which extends
    /// rather than replaces). Unlike Django, an immutable dict refuses even an empty update.
    ///
    /// # Errors
    ///
    /// [`ImmutableQueryDict`] if the dict is immutable.
    pub fn update(&mut self, other: &QueryDict) -> Result<(), ImmutableQueryDict> {
        self.assert_mutable()?;
        for (key, values) in &other.lists {
            match self.lists.get_mut(key) {
                Some(mine) => mine.as_vec_mut().extend_from_slice(values.as_slice()),
                None => self.lists.insert_new(key.clone(), values.clone()),
            }
        }
        Ok(())
    }

    /// Appends every `(key, value)` pair (Django's `update` with a mapping or pairs).
    ///
    /// # Errors
    ///
    /// [`ImmutableQueryDict`] if the dict is immutable.
    #[doc(alias = "update")]
    pub fn update_pairs<I, K, V>(&mut self, pairs: I) -> Result<(), ImmutableQueryDict>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str> + Into<String>,
        V: Into<String>,
    {
        self.assert_mutable()?;
        for (key, value) in pairs {
            self.push(key, value.into());
        }
        Ok(())
    }

    /// Removes `key` and returns its list of values (`None` if missing, where Python raises
    /// `KeyError`); the other keys keep their order (Django's `pop`).
    ///
    /// # Errors
    ///
    /// [`ImmutableQueryDict`] if the dict is immutable.
    pub fn pop(&mut self, key: &str) -> Result<Option<Vec<String>>, ImmutableQueryDict> {
        self.assert_mutable()?;
        Ok(self.lists.shift_remove(key).map(Values::into_vec))
    }

    /// Removes and returns the most recently inserted key with its list (`None` when empty,
    /// where Python raises `KeyError`) (Django's `popitem`).
    ///
    /// # Errors
    ///
    /// [`ImmutableQueryDict`] if the dict is immutable.
    #[doc(alias = "popitem")]
    pub fn pop_item(&mut self) -> Result<Option<(String, Vec<String>)>, ImmutableQueryDict> {
        self.assert_mutable()?;
        Ok(self
            .lists
            .pop()
            .map(|(key, values)| (key, values.into_vec())))
    }

    /// Removes `key`, returning whether it was present (Django's `del q[key]`).
    ///
    /// # Errors
    ///
    /// [`ImmutableQueryDict`] if the dict is immutable.
    #[doc(alias = "__delitem__")]
    pub fn remove(&mut self, key: &str) -> Result<bool, ImmutableQueryDict> {
        self.assert_mutable()?;
        Ok(self.lists.shift_remove(key).is_some())
    }

    /// Removes every key.
    ///
    /// # Errors
    ///
    /// [`ImmutableQueryDict`] if the dict is immutable.
    pub fn clear(&mut self) -> Result<(), ImmutableQueryDict> {
        self.assert_mutable()?;
        self.lists.clear();
        Ok(())
    }
}

impl PartialEq for QueryDict {
    fn eq(&self, other: &Self) -> bool {
        self.lists == other.lists
    }
}

impl Eq for QueryDict {}

impl fmt::Debug for QueryDict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueryDict")
            .field("lists", &DebugLists(self))
            .field("encoding", &self.encoding.name())
            .field("mutable", &self.mutable)
            .finish()
    }
}

struct DebugLists<'a>(&'a QueryDict);

impl fmt::Debug for DebugLists<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.lists()).finish()
    }
}

impl fmt::Display for QueryDict {
    /// Django's `repr()`: `<QueryDict: {'a': ['1', '2']}>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<QueryDict: {")?;
        for (n, (key, values)) in self.lists().enumerate() {
            if n > 0 {
                f.write_str(", ")?;
            }
            write_str_repr(f, key)?;
            f.write_str(": [")?;
            for (m, value) in values.iter().enumerate() {
                if m > 0 {
                    f.write_str(", ")?;
                }
                write_str_repr(f, value)?;
            }
            f.write_str("]")?;
        }
        f.write_str("}>")
    }
}

impl<K, V> FromIterator<(K, V)> for QueryDict
where
    K: AsRef<str> + Into<String>,
    V: Into<String>,
{
    /// An immutable UTF-8 dict with the pairs appended in order.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let mut dict = QueryDict::new();
        for (key, value) in pairs {
            dict.push(key, value.into());
        }
        dict
    }
}

impl<'a> IntoIterator for &'a QueryDict {
    type Item = (&'a str, &'a [String]);
    type IntoIter = Lists<'a>;

    /// Same as [`QueryDict::lists`].
    fn into_iter(self) -> Lists<'a> {
        self.lists()
    }
}

impl Serialize for QueryDict {
    /// Serializes as a map from each key to the list of ALL its values, in order
    /// (`{"a": ["1", "2"]}`), so that no value is lost.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.lists.len()))?;
        for (key, values) in self.lists() {
            map.serialize_entry(key, values)?;
        }
        map.end()
    }
}

//! `PyJson`: the Python objects `json.loads` produces.

use std::fmt;

use indexmap::IndexMap;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use super::config::BIG_INT;
use super::{dumps, JsonDumpsParams, PyStr};

/// Python's limit on the digits of an `int` converted from text
/// (`sys.get_int_max_str_digits()`, Python 3.11 default).
pub const INT_MAX_STR_DIGITS: usize = 4300;

/// A Python `int` of any size.
///
/// # Examples
///
/// ```
/// use nuages_py::json::PyInt;
///
/// let big = PyInt::parse("-000123456789012345678901234567890").unwrap();
/// assert_eq!(big.to_string(), "-123456789012345678901234567890");
/// assert_eq!(PyInt::parse("-0").unwrap().as_i64(), Some(0));
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyInt(IntRepr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum IntRepr {
    Small(i64),
    /// Canonical decimal digits (optional `-`, no leading zero) of a value
    /// outside the `i64` range.
    Big(Box<str>),
}

impl PyInt {
    /// Parses `-?[0-9]+` (leading zeros allowed, like Python's `int()`).
    /// Returns `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if let Ok(v) = text.parse::<i64>() {
            return Some(Self(IntRepr::Small(v)));
        }
        let significant = digits.trim_start_matches('0');
        if significant.is_empty() {
            return Some(Self(IntRepr::Small(0)));
        }
        let mut canonical = String::with_capacity(significant.len() + 1);
        if negative {
            canonical.push('-');
        }
        canonical.push_str(significant);
        Some(match canonical.parse::<i64>() {
            Ok(v) => Self(IntRepr::Small(v)),
            Err(_) => Self(IntRepr::Big(canonical.into_boxed_str())),
        })
    }

    /// The value as `i64`, if it fits.
    pub fn as_i64(&self) -> Option<i64> {
        match &self.0 {
            IntRepr::Small(v) => Some(*v),
            IntRepr::Big(_) => None,
        }
    }

    /// The value as `i128`, if it fits.
    pub fn as_i128(&self) -> Option<i128> {
        match &self.0 {
            IntRepr::Small(v) => Some(i128::from(*v)),
            IntRepr::Big(digits) => digits.parse().ok(),
        }
    }

    /// The nearest `f64` (Python's `float(int)`, but infinite instead of
    /// `OverflowError` for huge values).
    pub fn to_f64(&self) -> f64 {
        match &self.0 {
            IntRepr::Small(v) => *v as f64,
            IntRepr::Big(digits) => digits.parse().unwrap_or(f64::NAN),
        }
    }
}

impl Default for PyInt {
    /// Zero.
    fn default() -> Self {
        Self(IntRepr::Small(0))
    }
}

impl_from!(PyInt {
    i64 => |v| Self(IntRepr::Small(v)),
    i32 => |v| Self(IntRepr::Small(i64::from(v))),
    u64 => |v| Self::from_wide(i64::try_from(v).ok(), || v.to_string()),
    i128 => |v| Self::from_wide(i64::try_from(v).ok(), || v.to_string()),
});

impl PyInt {
    /// An integer that fits `i64` (`small`), or its decimal digits.
    fn from_wide(small: Option<i64>, digits: impl FnOnce() -> String) -> Self {
        match small {
            Some(v) => Self(IntRepr::Small(v)),
            None => Self(IntRepr::Big(digits().into_boxed_str())),
        }
    }
}

impl fmt::Display for PyInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            IntRepr::Small(v) => fmt::Display::fmt(v, f),
            IntRepr::Big(digits) => f.write_str(digits),
        }
    }
}

impl fmt::Debug for PyInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for PyInt {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            IntRepr::Small(v) => serializer.serialize_i64(*v),
            IntRepr::Big(digits) => {
                if let Ok(v) = digits.parse::<i128>() {
                    serializer.serialize_i128(v)
                } else if let Ok(v) = digits.parse::<u128>() {
                    serializer.serialize_u128(v)
                } else {
                    serializer.serialize_newtype_struct(BIG_INT, &**digits)
                }
            }
        }
    }
}

/// A Python object as produced by `json.loads`: `None`, `bool`, `int`,
/// `float`, `str`, `list` or `dict`.
///
/// Objects keep insertion order; a duplicated key keeps the position of its
/// first occurrence and the value of its last, exactly like a Python dict.
/// `Display` is `json.dumps(value)` with the default options.
///
/// # Examples
///
/// ```
/// use nuages_py::json::{loads, PyJson};
///
/// let value = loads(br#"{"a": 1, "b": [NaN, "\ud800"], "a": 2}"#).unwrap();
/// assert_eq!(value.get("a"), Some(&PyJson::from(2)));
/// assert_eq!(value.to_string(), r#"{"a": 2, "b": [NaN, "\ud800"]}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Default)]
pub enum PyJson {
    /// `None` (`null`).
    #[default]
    Null,
    /// `bool`.
    Bool(bool),
    /// `int`.
    Int(PyInt),
    /// `float` (including `NaN` and the infinities).
    Float(f64),
    /// `str`.
    Str(PyStr),
    /// `list`.
    Array(Vec<PyJson>),
    /// `dict` with string keys.
    Object(IndexMap<PyStr, PyJson>),
}

impl PyJson {
    /// The Python type name (`dict`, `list`, `str`, `int`, `float`, `bool`,
    /// `NoneType`), handy for Python-like error messages.
    pub fn python_type(&self) -> &'static str {
        match self {
            PyJson::Null => "NoneType",
            PyJson::Bool(_) => "bool",
            PyJson::Int(_) => "int",
            PyJson::Float(_) => "float",
            PyJson::Str(_) => "str",
            PyJson::Array(_) => "list",
            PyJson::Object(_) => "dict",
        }
    }

    /// `dict.get(key)` on objects; `None` for other values or missing keys.
    pub fn get(&self, key: &str) -> Option<&PyJson> {
        self.as_object().and_then(|map| map.get(key))
    }

    /// The entries, if this is an object.
    pub fn as_object(&self) -> Option<&IndexMap<PyStr, PyJson>> {
        match self {
            PyJson::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&[PyJson]> {
        match self {
            PyJson::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The string, if this is a string without lone surrogates.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            PyJson::Str(s) => s.as_str(),
            _ => None,
        }
    }

    /// Whether this is an object (a Python `dict`).
    pub fn is_object(&self) -> bool {
        matches!(self, PyJson::Object(_))
    }
}

impl_from!(PyJson {
    bool => |v| PyJson::Bool(v),
    i64 => |v| PyJson::Int(v.into()),
    i32 => |v| PyJson::Int(v.into()),
    f64 => |v| PyJson::Float(v),
    &str => |v| PyJson::Str(v.into()),
    String => |v| PyJson::Str(v.into()),
    PyStr => |v| PyJson::Str(v),
    Vec<PyJson> => |v| PyJson::Array(v),
    IndexMap<PyStr, PyJson> => |v| PyJson::Object(v),
});

impl Serialize for PyJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            PyJson::Null => serializer.serialize_unit(),
            PyJson::Bool(v) => serializer.serialize_bool(*v),
            PyJson::Int(v) => v.serialize(serializer),
            PyJson::Float(v) => serializer.serialize_f64(*v),
            PyJson::Str(v) => v.serialize(serializer),
            PyJson::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            PyJson::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                for (key, value) in map {
                    out.serialize_entry(key, value)?;
                }
                out.end()
            }
        }
    }
}

impl fmt::Display for PyJson {
    /// `json.dumps(self)` with the default options (never fails: with
    /// `ensure_ascii` every string is representable).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = dumps(self, &JsonDumpsParams::default()).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

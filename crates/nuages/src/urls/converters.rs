//! Path converters (↔ `django.urls.converters`): the `<int:pk>` part of `path()` routes.
//!
//! A [`Converter`] supplies the regex a route parameter must match, turns the matched text into a
//! typed [`Value`] (`to_rust`, ↔ `to_python`) and turns a value back into URL text (`to_url`) for
//! `reverse()`. The built-ins are `int`, `str`, `slug`, `uuid` and `path`; custom converters are
//! registered by name on the URLconf builder (there is no process-global registry):
//!
//! ```
//! use nuages::urls::converters::{ConversionError, Converter, Value};
//! use nuages::urls::{path, Urls};
//! use nuages::views::ViewFn;
//!
//! struct FourDigitYear;
//!
//! impl Converter for FourDigitYear {
//!     fn regex(&self) -> &str {
//!         "[0-9]{4}"
//!     }
//!     fn to_rust(&self, s: &str) -> Result<Value, ConversionError> {
//!         s.parse::<i64>().map(Value::Int).map_err(|_| ConversionError::new("not a year"))
//!     }
//!     fn to_url(&self, v: &Value) -> Result<String, ConversionError> {
//!         v.as_int().map(|y| format!("{y:04}")).ok_or_else(|| ConversionError::new("not an int"))
//!     }
//! }
//!
//! let urls = Urls::builder()
//!     .register_converter("yyyy", FourDigitYear)
//!     .build([path("year/<yyyy:year>/", ViewFn::named("year")).name("year")])
//!     .unwrap();
//! assert_eq!(urls.resolve("/year/2024/").unwrap().kwarg("year"), Some(&Value::Int(2024)));
//! assert_eq!(nuages::reverse!(urls, "year", year = 24).unwrap(), "/year/0024/");
//! ```

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use uuid::Uuid;

use nuages_py::repr::str_repr;

use crate::core::exceptions::ImproperlyConfigured;

/// A typed URL argument: what a converter produces from the path and what `reverse()` accepts
/// (Django passes arbitrary Python objects; the common ones are `str`, `int` and `UUID`).
#[derive(Clone)]
pub enum Value {
    /// A string (`str`, `slug`, `path` converters and `re_path()` groups).
    Str(String),
    /// An integer (`int` converter).
    Int(i64),
    /// An integer beyond `i64` (`int` converter; Python's ints have no size): its decimal
    /// digits, without leading zeros. A view taking `i128`/`u128`/`u64` gets it when it fits;
    /// a narrower type or an overflow is a 404, as for any argument that does not convert.
    BigInt(String),
    /// A UUID (`uuid` converter).
    Uuid(Uuid),
    /// Any other value, produced by a custom converter (use [`Value::downcast_ref`]).
    Any(Arc<dyn Any + Send + Sync>),
}

impl Value {
    /// Wraps an arbitrary value (for custom converters).
    pub fn any<T: Any + Send + Sync>(value: T) -> Self {
        Value::Any(Arc::new(value))
    }

    /// The string, if this is a [`Value::Str`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The integer, if this is a [`Value::Int`].
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// The UUID, if this is a [`Value::Uuid`].
    pub fn as_uuid(&self) -> Option<&Uuid> {
        match self {
            Value::Uuid(u) => Some(u),
            _ => None,
        }
    }

    /// The wrapped value of a [`Value::Any`], if it is a `T`.
    pub fn downcast_ref<T: Any>(&self) -> Option<&T> {
        match self {
            Value::Any(a) => a.downcast_ref(),
            _ => None,
        }
    }

    /// Python's `str(value)`: the text of a string, integer or UUID; `None` for [`Value::Any`]
    /// (an opaque value has no canonical text: its converter's `to_url` must handle it).
    pub fn to_text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.clone()),
            Value::Int(n) => Some(n.to_string()),
            Value::BigInt(s) => Some(s.clone()),
            Value::Uuid(u) => Some(u.hyphenated().to_string()),
            Value::Any(_) => None,
        }
    }

    /// Appends Python's `repr(value)` (used in `NoReverseMatch` messages).
    pub(crate) fn write_py_repr(&self, out: &mut String) {
        match self {
            Value::Str(s) => out.push_str(&str_repr(s)),
            Value::Int(n) => out.push_str(&n.to_string()),
            Value::BigInt(s) => out.push_str(s),
            Value::Uuid(u) => {
                out.push_str("UUID('");
                out.push_str(&u.hyphenated().to_string());
                out.push_str("')");
            }
            Value::Any(_) => out.push_str("<object>"),
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => f.debug_tuple("Str").field(s).finish(),
            Value::Int(n) => f.debug_tuple("Int").field(n).finish(),
            Value::BigInt(s) => f.debug_tuple("BigInt").field(s).finish(),
            Value::Uuid(u) => f.debug_tuple("Uuid").field(u).finish(),
            Value::Any(_) => f.write_str("Any(..)"),
        }
    }
}

/// Python's `str(value)`; an opaque [`Value::Any`] displays as `<object>`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => f.write_str(s),
            Value::Int(n) => write!(f, "{n}"),
            Value::BigInt(s) => f.write_str(s),
            Value::Uuid(u) => write!(f, "{}", u.hyphenated()),
            Value::Any(_) => f.write_str("<object>"),
        }
    }
}

/// Values of different kinds are never equal (Python: `5 != "5"`); [`Value::Any`] values are equal
/// only if they are the same allocation.
impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::BigInt(a), Value::BigInt(b)) => a == b,
            (Value::Uuid(a), Value::Uuid(b)) => a == b,
            (Value::Any(a), Value::Any(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl_from!(Value {
    i64 => |n| Value::Int(n),
    i32 => |n| Value::Int(n.into()),
    u32 => |n| Value::Int(n.into()),
    /// Values above `i64::MAX` become a [`Value::BigInt`].
    u64 => |n| i64::try_from(n).map_or_else(|_| Value::BigInt(n.to_string()), Value::Int),
    /// Values above `i64::MAX` become a [`Value::BigInt`].
    usize => |n| i64::try_from(n).map_or_else(|_| Value::BigInt(n.to_string()), Value::Int),
    /// Values beyond `i64` become a [`Value::BigInt`].
    i128 => |n| i64::try_from(n).map_or_else(|_| Value::BigInt(n.to_string()), Value::Int),
    /// Values above `i64::MAX` become a [`Value::BigInt`].
    u128 => |n| i64::try_from(n).map_or_else(|_| Value::BigInt(n.to_string()), Value::Int),
    &str => |s| Value::Str(s.to_owned()),
    String => |s| Value::Str(s),
    Uuid => |u| Value::Uuid(u),
});

/// A converter rejected a value (↔ the `ValueError` raised by `to_python` / `to_url`).
///
/// While resolving, it means "this pattern does not match" (resolution continues with the next
/// pattern); while reversing, "this candidate does not fit".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionError {
    message: String,
}

impl ConversionError {
    /// Creates the error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConversionError {}

/// A path converter (↔ Django's converter protocol: `regex`, `to_python`, `to_url`).
pub trait Converter: Send + Sync + 'static {
    /// The regex a parameter must match (Rust `regex` syntax, no anchors, e.g. `[0-9]+`).
    fn regex(&self) -> &str;

    /// Converts the matched text to a value; an error means the pattern does not match.
    #[doc(alias = "to_python")]
    fn to_rust(&self, s: &str) -> Result<Value, ConversionError>;

    /// Converts a value to URL text for `reverse()`; the text must then match [`regex`](Self::regex),
    /// otherwise the candidate is rejected. An error means the candidate does not fit.
    fn to_url(&self, v: &Value) -> Result<String, ConversionError>;

    /// A value of the kind [`to_rust`](Self::to_rust) produces, used to check the views'
    /// arguments when the URLconf is built; `None` (the default) when any text may come.
    fn example(&self) -> Option<Value> {
        None
    }
}

impl fmt::Debug for dyn Converter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Converter")
            .field("regex", &self.regex())
            .finish_non_exhaustive()
    }
}

/// Python's `str(value)` for the built-in converters' `to_url` (an opaque value is rejected).
fn text_or_error(v: &Value) -> Result<String, ConversionError> {
    v.to_text()
        .ok_or_else(|| ConversionError::new("an opaque value has no URL representation"))
}

/// `int`: `[0-9]+` → [`Value::Int`], or [`Value::BigInt`] beyond `i64`.
///
/// As in Python, any number of digits matches: `/int/99999999999999999999/` resolves. The view
/// picks the width: an `i64` argument under that route is a 404 for such a path (the value does
/// not fit), an `i128`, `u128` or `String` argument receives it. Leading zeros are accepted and
/// dropped (`007` → 7).
///
/// # Examples
///
/// ```
/// use nuages::urls::converters::{Converter, IntConverter, Value};
///
/// assert_eq!(IntConverter.to_rust("007").unwrap(), Value::Int(7));
/// assert_eq!(
///     IntConverter.to_rust("0099999999999999999999").unwrap(),
///     Value::BigInt("99999999999999999999".into())
/// );
/// assert_eq!(IntConverter.to_url(&Value::Int(5)).unwrap(), "5");
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct IntConverter;

impl Converter for IntConverter {
    fn regex(&self) -> &str {
        "[0-9]+"
    }

    fn to_rust(&self, s: &str) -> Result<Value, ConversionError> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ConversionError::new(format!("invalid integer {s:?}")));
        }
        Ok(s.parse::<i64>().map(Value::Int).unwrap_or_else(|_| {
            let digits = s.trim_start_matches('0');
            Value::BigInt(digits.to_owned())
        }))
    }

    fn to_url(&self, v: &Value) -> Result<String, ConversionError> {
        text_or_error(v)
    }

    fn example(&self) -> Option<Value> {
        Some(Value::Int(0))
    }
}

/// `str`: `[^/]+` (any non-empty segment) → [`Value::Str`].
#[derive(Debug, Clone, Copy, Default)]
pub struct StringConverter;

impl Converter for StringConverter {
    fn regex(&self) -> &str {
        "[^/]+"
    }

    fn to_rust(&self, s: &str) -> Result<Value, ConversionError> {
        Ok(Value::Str(s.to_owned()))
    }

    fn to_url(&self, v: &Value) -> Result<String, ConversionError> {
        text_or_error(v)
    }
}

/// `slug`: `[-a-zA-Z0-9_]+` (ASCII only) → [`Value::Str`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SlugConverter;

impl Converter for SlugConverter {
    fn regex(&self) -> &str {
        "[-a-zA-Z0-9_]+"
    }

    fn to_rust(&self, s: &str) -> Result<Value, ConversionError> {
        Ok(Value::Str(s.to_owned()))
    }

    fn to_url(&self, v: &Value) -> Result<String, ConversionError> {
        text_or_error(v)
    }
}

/// `uuid`: lowercase hyphenated UUIDs only → [`Value::Uuid`].
#[derive(Debug, Clone, Copy, Default)]
pub struct UUIDConverter;

impl Converter for UUIDConverter {
    fn regex(&self) -> &str {
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    }

    fn to_rust(&self, s: &str) -> Result<Value, ConversionError> {
        Uuid::parse_str(s)
            .map(Value::Uuid)
            .map_err(|e| ConversionError::new(format!("invalid UUID {s:?}: {e}")))
    }

    fn to_url(&self, v: &Value) -> Result<String, ConversionError> {
        text_or_error(v)
    }

    fn example(&self) -> Option<Value> {
        Some(Value::Uuid(Uuid::nil()))
    }
}

/// `path`: `.+` (non-empty, may contain `/`) → [`Value::Str`].
#[derive(Debug, Clone, Copy, Default)]
pub struct PathConverter;

impl Converter for PathConverter {
    fn regex(&self) -> &str {
        ".+"
    }

    fn to_rust(&self, s: &str) -> Result<Value, ConversionError> {
        Ok(Value::Str(s.to_owned()))
    }

    fn to_url(&self, v: &Value) -> Result<String, ConversionError> {
        text_or_error(v)
    }
}

/// The converters a URLconf may use, by name (↔ `get_converters()`: `DEFAULT_CONVERTERS` plus
/// `register_converter()`), owned by one URLconf rather than the process.
///
/// # Examples
///
/// ```
/// use nuages::urls::converters::{ConverterRegistry, SlugConverter};
///
/// let mut registry = ConverterRegistry::new();
/// assert!(registry.get("int").is_some());
/// registry.register("myslug", SlugConverter).unwrap();
/// // Re-registering a name is an error (Django 6.0 behaviour; 5.x only warns).
/// assert!(registry.register("int", SlugConverter).is_err());
/// ```
#[derive(Clone)]
pub struct ConverterRegistry {
    converters: HashMap<String, Arc<dyn Converter>>,
}

impl ConverterRegistry {
    /// A registry holding the built-in converters `int`, `path`, `slug`, `str` and `uuid`.
    pub fn new() -> Self {
        let mut converters: HashMap<String, Arc<dyn Converter>> = HashMap::with_capacity(8);
        converters.insert("int".into(), Arc::new(IntConverter));
        converters.insert("path".into(), Arc::new(PathConverter));
        converters.insert("slug".into(), Arc::new(SlugConverter));
        converters.insert("str".into(), Arc::new(StringConverter));
        converters.insert("uuid".into(), Arc::new(UUIDConverter));
        Self { converters }
    }

    /// Registers a converter under `name` (↔ `register_converter(converter, type_name)`).
    ///
    /// # Errors
    ///
    /// [`ImproperlyConfigured`] if the name is already taken (built-in or registered).
    #[doc(alias = "register_converter")]
    pub fn register(
        &mut self,
        name: &str,
        converter: impl Converter,
    ) -> Result<(), ImproperlyConfigured> {
        self.register_arc(name, Arc::new(converter))
    }

    /// Like [`register`](Self::register), for a shared converter.
    ///
    /// # Errors
    ///
    /// [`ImproperlyConfigured`] if the name is already taken (built-in or registered).
    pub fn register_arc(
        &mut self,
        name: &str,
        converter: Arc<dyn Converter>,
    ) -> Result<(), ImproperlyConfigured> {
        if self.converters.contains_key(name) {
            return Err(ImproperlyConfigured::new(format!(
                "Converter {name} is already registered."
            )));
        }
        self.converters.insert(name.to_owned(), converter);
        Ok(())
    }

    /// The converter registered under `name`.
    pub fn get(&self, name: &str) -> Option<&Arc<dyn Converter>> {
        self.converters.get(name)
    }

    /// The registered names, sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::urls::converters::{ConverterRegistry, SlugConverter};
    ///
    /// let mut registry = ConverterRegistry::new();
    /// registry.register("tag", SlugConverter).unwrap();
    /// assert_eq!(registry.names(), ["int", "path", "slug", "str", "tag", "uuid"]);
    /// ```
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.converters.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }
}

impl Default for ConverterRegistry {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for ConverterRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConverterRegistry")
            .field("names", &self.names())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_conversions() {
        assert_eq!(IntConverter.to_rust("5").unwrap(), Value::Int(5));
        assert!(IntConverter.to_rust("").is_err());
        assert_eq!(IntConverter.to_url(&Value::from("007")).unwrap(), "007");
        assert!(IntConverter.to_url(&Value::any(1u8)).is_err());
        let u = "12345678-1234-5678-1234-567812345678";
        assert_eq!(
            UUIDConverter.to_rust(u).unwrap(),
            Value::Uuid(Uuid::parse_str(u).unwrap())
        );
        assert_eq!(
            UUIDConverter
                .to_url(&Value::Uuid(Uuid::parse_str(u).unwrap()))
                .unwrap(),
            u
        );
        assert_eq!(
            StringConverter.to_rust("a b").unwrap(),
            Value::Str("a b".into())
        );
    }

    #[test]
    fn value_helpers() {
        let v = Value::any(42u8);
        assert_eq!(v.downcast_ref::<u8>(), Some(&42));
        assert_eq!(v, v.clone());
        assert_ne!(v, Value::any(42u8));
        assert_ne!(Value::Int(5), Value::from("5"));
        assert_eq!(Value::from(u64::MAX), Value::BigInt(u64::MAX.to_string()));
        assert_eq!(Value::from(3usize).as_int(), Some(3));
        assert_eq!(Value::from("x").as_str(), Some("x"));
        let mut s = String::new();
        Value::Int(5).write_py_repr(&mut s);
        s.push(' ');
        Value::from("a'b").write_py_repr(&mut s);
        assert_eq!(s, "5 \"a'b\"");
        assert_eq!(Value::Int(-3).to_string(), "-3");
    }

    #[test]
    fn registry_rejects_duplicates() {
        let mut r = ConverterRegistry::new();
        assert_eq!(
            r.register("int", IntConverter).unwrap_err().message(),
            "Converter int is already registered."
        );
        r.register("x", IntConverter).unwrap();
        assert!(r.register("x", IntConverter).is_err());
        assert_eq!(r.get("x").map(|c| c.regex()), Some("[0-9]+"));
    }
}

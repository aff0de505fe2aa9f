//! Python's `json` module: byte-exact `json.dumps` and `json.loads`.
//!
//! * [`dumps`] serializes any `serde::Serialize` value the way
//!   `json.dumps(value, **params)` does: `", "` / `": "` separators,
//!   `ensure_ascii` `\uXXXX` escapes, Python float repr (`1e+16`, `1e-05`,
//!   `NaN`, `Infinity`), `indent`, `sort_keys`, Python's key coercion.
//! * [`loads`] parses request bytes like `json.loads(bytes)` into a
//!   [`PyJson`] (big ints, `NaN`, lone surrogates, duplicate keys), with
//!   distinct errors for Python's `JSONDecodeError`, `UnicodeDecodeError`,
//!   `RecursionError` and `ValueError`.

/// The parts of a `serde::Serializer` impl for a serializer that accepts no compound value:
/// the seven `Serialize*` types are `Impossible`, `serialize_newtype_variant` returns the
/// given result and each `serialize_<compound>` method returns `Err` of the given expression.
macro_rules! no_compounds {
    (
        $ok:ty, $err:ty;
        newtype_variant: $newtype_variant:expr,
        seq: $seq:expr,
        tuple: $tuple:expr,
        tuple_struct: $tuple_struct:expr,
        tuple_variant: $tuple_variant:expr,
        map: $map:expr,
        struct: $struct:expr,
        struct_variant: $struct_variant:expr,
    ) => {
        type SerializeSeq = serde::ser::Impossible<$ok, $err>;
        type SerializeTuple = serde::ser::Impossible<$ok, $err>;
        type SerializeTupleStruct = serde::ser::Impossible<$ok, $err>;
        type SerializeTupleVariant = serde::ser::Impossible<$ok, $err>;
        type SerializeMap = serde::ser::Impossible<$ok, $err>;
        type SerializeStruct = serde::ser::Impossible<$ok, $err>;
        type SerializeStructVariant = serde::ser::Impossible<$ok, $err>;

        fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<$ok, $err> {
            $newtype_variant
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, $err> {
            Err($seq)
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, $err> {
            Err($tuple)
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, $err> {
            Err($tuple_struct)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, $err> {
            Err($tuple_variant)
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, $err> {
            Err($map)
        }
        fn serialize_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStruct, $err> {
            Err($struct)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, $err> {
            Err($struct_variant)
        }
    };
}

mod capture;
mod config;
mod decode;
mod error;
mod keys;
mod probe;
mod pyjson;
mod pystr;
mod scanner;
mod ser;
mod value;
mod write;

use std::borrow::Cow;

use serde::Serialize;

pub use error::{JsonDecodeError, LoadsError, UnicodeDecodeError};
pub use probe::is_json_object;
pub use pyjson::{PyInt, PyJson, INT_MAX_STR_DIGITS};
pub use pystr::PyStr;

/// The `indent` argument of `json.dumps`: a number of spaces or a string
/// repeated once per nesting level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Indent {
    /// `indent=2` → two spaces per level (`indent=0` still adds newlines).
    Spaces(usize),
    /// `indent="\t"` → the string itself per level.
    Str(String),
}

impl From<usize> for Indent {
    fn from(n: usize) -> Self {
        Indent::Spaces(n)
    }
}

impl From<&str> for Indent {
    fn from(s: &str) -> Self {
        Indent::Str(s.to_owned())
    }
}

impl From<String> for Indent {
    fn from(s: String) -> Self {
        Indent::Str(s)
    }
}

/// Options of `json.dumps` (the keyword arguments Django's
/// `JsonResponse(json_dumps_params=…)` passes on).
///
/// The default is Python's: no indent, separators `", "` and `": "`,
/// `ensure_ascii=True`, `sort_keys=False`, `allow_nan=True`. With an indent
/// and no explicit separators the item separator becomes `","`.
///
/// # Examples
///
/// ```
/// use nuages_py::json::{dumps, JsonDumpsParams};
///
/// let params = JsonDumpsParams::new().indent(2).sort_keys(true);
/// let body = dumps(&serde_json::json!({"b": 2, "a": [1]}), &params).unwrap();
/// assert_eq!(body, "{\n  \"a\": [\n    1\n  ],\n  \"b\": 2\n}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[doc(alias = "json_dumps_params")]
pub struct JsonDumpsParams {
    /// `indent`: `None` for the compact single-line form.
    pub indent: Option<Indent>,
    /// `separators=(item_separator, key_separator)`; `None` for the defaults. The usual ones
    /// (`","`, `", "`, `":"`, `": "`) are borrowed.
    pub separators: Option<(Cow<'static, str>, Cow<'static, str>)>,
    /// `ensure_ascii`: escape every non-ASCII character as `\uXXXX`.
    pub ensure_ascii: bool,
    /// `sort_keys`: sort object keys (Python's ordering of the original keys).
    pub sort_keys: bool,
    /// `allow_nan`: write `NaN`/`Infinity` instead of failing.
    pub allow_nan: bool,
}

impl Default for JsonDumpsParams {
    fn default() -> Self {
        Self {
            indent: None,
            separators: None,
            ensure_ascii: true,
            sort_keys: false,
            allow_nan: true,
        }
    }
}

impl JsonDumpsParams {
    /// Python's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `indent` (`2`, `"\t"`, …).
    pub fn indent(mut self, indent: impl Into<Indent>) -> Self {
        self.indent = Some(indent.into());
        self
    }

    /// Sets `separators=(item, key)`, e.g. `(",", ":")` for compact output. The usual
    /// separators are not copied: building these options per request allocates nothing.
    pub fn separators(mut self, item: impl AsRef<str>, key: impl AsRef<str>) -> Self {
        self.separators = Some((separator(item.as_ref()), separator(key.as_ref())));
        self
    }

    /// Sets `ensure_ascii`.
    pub fn ensure_ascii(mut self, ensure_ascii: bool) -> Self {
        self.ensure_ascii = ensure_ascii;
        self
    }

    /// Sets `sort_keys`.
    pub fn sort_keys(mut self, sort_keys: bool) -> Self {
        self.sort_keys = sort_keys;
        self
    }

    /// Sets `allow_nan`.
    pub fn allow_nan(mut self, allow_nan: bool) -> Self {
        self.allow_nan = allow_nan;
        self
    }
}

/// `text` as a separator: borrowed when it is one of those Python programs use.
fn separator(text: &str) -> Cow<'static, str> {
    match text {
        "," => Cow::Borrowed(","),
        ", " => Cow::Borrowed(", "),
        ":" => Cow::Borrowed(":"),
        ": " => Cow::Borrowed(": "),
        "" => Cow::Borrowed(""),
        other => Cow::Owned(other.to_owned()),
    }
}

/// The first buffer of a document: one allocation holds most response bodies.
const INITIAL_CAPACITY: usize = 256;

/// Appends `json.dumps(value, **params)` to `out`. On error `out` may hold
/// a partial document.
pub fn dumps_into<T: Serialize + ?Sized>(
    value: &T,
    params: &JsonDumpsParams,
    out: &mut String,
) -> Result<(), serde_json::Error> {
    let cfg = config::Config::new(params);
    value.serialize(&mut ser::PySerializer::new(out, &cfg))
}

/// Python's `json.dumps(value, **params)`.
///
/// Errors carry Python's messages, e.g. `Out of range float values are not
/// JSON compliant` (with `allow_nan(false)`), `Object of type bytes is not
/// JSON serializable`, or the message of a `Serialize` impl's custom error.
///
/// Rust-only shapes follow serde_json's conventions (unit variants as
/// strings, other variants as `{"Variant": …}`); `f32` values are written
/// with their own shortest digits.
///
/// # Examples
///
/// ```
/// use nuages_py::json::{dumps, JsonDumpsParams};
///
/// let value = serde_json::json!({"name": "café ☃", "f": 1e20, "g": 0.1});
/// let text = dumps(&value, &JsonDumpsParams::default()).unwrap();
/// assert_eq!(text, r#"{"name": "caf\u00e9 \u2603", "f": 1e+20, "g": 0.1}"#);
/// ```
#[doc(alias = "json.dumps")]
pub fn dumps<T: Serialize + ?Sized>(
    value: &T,
    params: &JsonDumpsParams,
) -> Result<String, serde_json::Error> {
    let mut out = String::with_capacity(INITIAL_CAPACITY);
    dumps_into(value, params, &mut out)?;
    Ok(out)
}

/// [`dumps`] of a `serde_json::Value` (what `json!` builds), which cannot fail: a `Value`
/// holds no non-finite float, no non-string key and nothing unserializable.
///
/// # Examples
///
/// ```
/// use nuages_py::json::{dumps_value, JsonDumpsParams};
///
/// let value = serde_json::json!({"b": [1, 2.5, null], "a": "é"});
/// assert_eq!(dumps_value(&value, &JsonDumpsParams::default()), r#"{"b": [1, 2.5, null], "a": "\u00e9"}"#);
/// let sorted = JsonDumpsParams::default().sort_keys(true).separators(",", ":");
/// assert_eq!(dumps_value(&value, &sorted), r#"{"a":"\u00e9","b":[1,2.5,null]}"#);
/// ```
#[doc(alias = "json.dumps")]
pub fn dumps_value(value: &serde_json::Value, params: &JsonDumpsParams) -> String {
    let mut out = String::with_capacity(INITIAL_CAPACITY);
    value::write_value(value, &config::Config::new(params), &mut out);
    out
}

/// [`dumps`] as UTF-8 bytes (`json.dumps(value, **params).encode()`), in the buffer the
/// document was written to (no copy).
pub fn to_vec<T: Serialize + ?Sized>(
    value: &T,
    params: &JsonDumpsParams,
) -> Result<Vec<u8>, serde_json::Error> {
    dumps(value, params).map(String::into_bytes)
}

/// Nesting limit of [`loads`]: the deepest document accepted by the
/// reference application (Python's recursion limit of 1000 minus the frames
/// of a Django view under gunicorn). Deeper input gives
/// [`LoadsError::Recursion`], like Python's `RecursionError`.
pub const DEFAULT_MAX_DEPTH: usize = 958;

/// Python's `json.loads(bytes)`.
///
/// The encoding is detected like `json.detect_encoding` (UTF-8 with or
/// without BOM, UTF-16/32 with BOM or by the zero-byte pattern) and decoded
/// with `surrogatepass`; the scanner is CPython's (`NaN`, `Infinity`,
/// `-Infinity`, big integers, lone surrogate escapes, strict control
/// characters, duplicate keys: last value at the first position).
///
/// # Examples
///
/// ```
/// use nuages_py::json::{loads, LoadsError};
///
/// let value = loads(b"\xef\xbb\xbf[1, 2.5, 1E400, 123456789012345678901234567890]").unwrap();
/// assert_eq!(value.to_string(), "[1, 2.5, Infinity, 123456789012345678901234567890]");
///
/// let err = loads(b"[1,]").unwrap_err();
/// assert_eq!(err.to_string(), "Expecting value: line 1 column 4 (char 3)");
/// assert!(matches!(loads(b"\"\xff\""), Err(LoadsError::Unicode(_))));
/// ```
#[doc(alias = "json.loads")]
pub fn loads(bytes: &[u8]) -> Result<PyJson, LoadsError> {
    loads_with_max_depth(bytes, DEFAULT_MAX_DEPTH)
}

/// [`loads`] with a custom nesting limit.
///
/// Parsing never recurses natively, but dropping or serializing a value
/// nested many thousands of levels deep does: keep the limit moderate.
pub fn loads_with_max_depth(bytes: &[u8], max_depth: usize) -> Result<PyJson, LoadsError> {
    match decode::decode(bytes)? {
        decode::Decoded::Str(text) => parse_str(&text, max_depth),
        decode::Decoded::Gen(bytes) => scanner::Scanner::new(&bytes, None, max_depth).decode(),
    }
}

/// Python's `json.loads(str)`: like [`loads`] without the decoding step; a
/// leading U+FEFF is rejected (`Unexpected UTF-8 BOM (decode using utf-8-sig)`).
pub fn loads_str(text: &str) -> Result<PyJson, LoadsError> {
    if text.starts_with('\u{feff}') {
        return Err(LoadsError::Decode(JsonDecodeError::at(
            "Unexpected UTF-8 BOM (decode using utf-8-sig)",
            text.as_bytes(),
            0,
        )));
    }
    parse_str(text, DEFAULT_MAX_DEPTH)
}

fn parse_str(text: &str, max_depth: usize) -> Result<PyJson, LoadsError> {
    scanner::Scanner::new(text.as_bytes(), Some(text), max_depth).decode()
}

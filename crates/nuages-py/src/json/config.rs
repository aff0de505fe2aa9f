//! What the serializers of `json.dumps` share: the options resolved once per call, the marker
//! names of the private newtypes, and the checks and errors both the value and the key
//! serializer use.

use std::borrow::Cow;

use serde::ser::Error as _;
use serde_json::Error;

use super::{Indent, JsonDumpsParams};

/// Newtype-struct name used by `PyStr` for strings holding lone surrogates
/// (the inner value is their generalised UTF-8 bytes).
pub(crate) const GEN_UTF8_STR: &str = "$nuages_py::json::GenUtf8Str";
/// Newtype-struct name used by `PyInt` for integers wider than 128 bits
/// (the inner value is the decimal digits).
pub(crate) const BIG_INT: &str = "$nuages_py::json::BigInt";

/// `json.dumps` options resolved once per call.
#[derive(Debug)]
pub(crate) struct Config<'p> {
    pub(crate) indent: Option<Cow<'p, str>>,
    pub(crate) item_sep: &'p str,
    pub(crate) key_sep: &'p str,
    pub(crate) ensure_ascii: bool,
    pub(crate) sort_keys: bool,
    pub(crate) allow_nan: bool,
}

impl<'p> Config<'p> {
    pub(crate) fn new(params: &'p JsonDumpsParams) -> Self {
        let indent = params.indent.as_ref().map(|indent| match indent {
            Indent::Spaces(n) => Cow::Owned(" ".repeat(*n)),
            Indent::Str(s) => Cow::Borrowed(s.as_str()),
        });
        let (item_sep, key_sep) = match &params.separators {
            Some((item, key)) => (&**item, &**key),
            None if indent.is_some() => (",", ": "),
            None => (", ", ": "),
        };
        Self {
            indent,
            item_sep,
            key_sep,
            ensure_ascii: params.ensure_ascii,
            sort_keys: params.sort_keys,
            allow_nan: params.allow_nan,
        }
    }
}

/// Appends a separator; the one-byte ones (`,`, `:`) without a call to `memcpy`.
#[inline]
fn push_separator(out: &mut String, separator: &str) {
    match separator.as_bytes() {
        // A one-byte string is one ASCII character.
        &[byte] => out.push(char::from(byte)),
        _ => out.push_str(separator),
    }
}

pub(crate) fn out_of_range_float() -> Error {
    Error::custom("Out of range float values are not JSON compliant")
}

/// `-?[0-9]+`
pub(crate) fn is_integer_literal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

impl Config<'_> {
    /// A new line and the indentation of `level` (only with `indent`).
    #[inline]
    pub(crate) fn newline(&self, out: &mut String, level: usize) {
        if let Some(indent) = &self.indent {
            out.push('\n');
            for _ in 0..level {
                out.push_str(indent);
            }
        }
    }

    /// Before an item of a container at `level`: the item separator unless `first`.
    #[inline]
    pub(crate) fn item(&self, out: &mut String, level: usize, first: bool) {
        if !first {
            push_separator(out, self.item_sep);
        }
        self.newline(out, level);
    }

    /// After an object key: the key separator.
    #[inline]
    pub(crate) fn key_separator(&self, out: &mut String) {
        push_separator(out, self.key_sep);
    }

    /// Closes a container whose items were at `level + 1`.
    #[inline]
    pub(crate) fn close(&self, out: &mut String, level: usize, bracket: char, empty: bool) {
        if !empty {
            self.newline(out, level);
        }
        out.push(bracket);
    }
}

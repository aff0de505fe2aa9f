//! Object keys: Python's key coercion (`str`, `int`, `float`, `bool`, `None`)
//! and `sort_keys` ordering.

use std::cmp::Ordering;

use serde::ser::{self, Error as _, Serialize};
use serde_json::Error;

use super::capture::{capture, Captured};
use super::config::{is_integer_literal, out_of_range_float, Config, BIG_INT, GEN_UTF8_STR};
use super::write;

/// The original key value, kept for `sort_keys` (Python sorts the keys
/// before converting them to strings).
#[derive(Debug, Clone)]
pub(crate) enum SortKey {
    Null,
    Int(i128),
    Float(f64),
    /// Generalised UTF-8 bytes: their byte order is the code point order.
    Str(Vec<u8>),
}

impl SortKey {
    fn python_type(&self) -> &'static str {
        match self {
            SortKey::Null => "NoneType",
            SortKey::Int(_) => "int",
            SortKey::Float(_) => "float",
            SortKey::Str(_) => "str",
        }
    }
}

/// One buffered `key: value` pair of a sorted object.
#[derive(Debug)]
pub(crate) struct SortEntry {
    pub(crate) sort: SortKey,
    pub(crate) key: String,
    pub(crate) value: String,
}

/// Exact comparison of an integer with a non-NaN float.
fn cmp_int_float(int: i128, float: f64) -> Ordering {
    const LIMIT: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0; // 2**127
    if float >= LIMIT {
        return Ordering::Less;
    }
    if float < -LIMIT {
        return Ordering::Greater;
    }
    let truncated = float.trunc();
    // In range: the conversion is exact.
    let whole = truncated as i128;
    int.cmp(&whole).then(if float > truncated {
        Ordering::Less
    } else if float < truncated {
        Ordering::Greater
    } else {
        Ordering::Equal
    })
}

/// A total preorder on comparable keys (numbers together, strings together).
/// NaN sorts after every number.
fn cmp_keys(a: &SortKey, b: &SortKey) -> Ordering {
    match (a, b) {
        (SortKey::Str(a), SortKey::Str(b)) => a.cmp(b),
        (SortKey::Int(a), SortKey::Int(b)) => a.cmp(b),
        (SortKey::Float(a), SortKey::Float(b)) => a
            .partial_cmp(b)
            .unwrap_or_else(|| a.is_nan().cmp(&b.is_nan())),
        (SortKey::Int(_), SortKey::Float(f)) if f.is_nan() => Ordering::Less,
        (SortKey::Float(f), SortKey::Int(_)) if f.is_nan() => Ordering::Greater,
        (SortKey::Int(i), SortKey::Float(f)) => cmp_int_float(*i, *f),
        (SortKey::Float(f), SortKey::Int(i)) => cmp_int_float(*i, *f).reverse(),
        _ => Ordering::Equal,
    }
}

/// Sorts buffered entries like Python's `sorted(dct.items())`; keys that
/// Python cannot compare (`None`, `str` mixed with numbers) are an error.
pub(crate) fn sort_entries(entries: &mut [SortEntry]) -> Result<(), Error> {
    if entries.len() < 2 {
        return Ok(());
    }
    let mut first_str = None;
    let mut first_other = None;
    for entry in entries.iter() {
        match &entry.sort {
            SortKey::Null => {
                let other = entries
                    .iter()
                    .find(|e| !std::ptr::eq(*e, entry))
                    .map_or("NoneType", |e| e.sort.python_type());
                return Err(unorderable("NoneType", other));
            }
            SortKey::Str(_) => first_str = first_str.or(Some(&entry.sort)),
            other => first_other = first_other.or(Some(other)),
        }
    }
    if let (Some(s), Some(o)) = (first_str, first_other) {
        return Err(unorderable(s.python_type(), o.python_type()));
    }
    entries.sort_by(|a, b| cmp_keys(&a.sort, &b.sort));
    Ok(())
}

fn unorderable(a: &str, b: &str) -> Error {
    Error::custom(format_args!(
        "'<' not supported between instances of '{a}' and '{b}'"
    ))
}

fn bad_key(type_name: &str) -> Error {
    Error::custom(format_args!(
        "keys must be str, int, float, bool or None, not {type_name}"
    ))
}

/// Serializes one object key as a quoted JSON string.
#[derive(Debug)]
pub(crate) struct KeySerializer<'k> {
    out: &'k mut String,
    cfg: &'k Config<'k>,
    want_sort: bool,
}

impl<'k> KeySerializer<'k> {
    pub(crate) fn new(out: &'k mut String, cfg: &'k Config<'k>, want_sort: bool) -> Self {
        Self {
            out,
            cfg,
            want_sort,
        }
    }

    fn sort(&self, make: impl FnOnce() -> SortKey) -> Option<SortKey> {
        self.want_sort.then(make)
    }

    fn quoted(self, text: &str, sort: impl FnOnce() -> SortKey) -> Result<Option<SortKey>, Error> {
        self.out.push('"');
        self.out.push_str(text);
        self.out.push('"');
        Ok(self.sort(sort))
    }

    fn int<T: itoa::Integer>(self, v: T, sort: i128) -> Result<Option<SortKey>, Error> {
        self.out.push('"');
        write::write_int(self.out, v);
        self.out.push('"');
        Ok(self.sort(|| SortKey::Int(sort)))
    }
}

type KeyResult = Result<Option<SortKey>, Error>;

impl ser::Serializer for KeySerializer<'_> {
    type Ok = Option<SortKey>;
    type Error = Error;

    fn serialize_bool(self, v: bool) -> KeyResult {
        self.quoted(if v { "true" } else { "false" }, || {
            SortKey::Int(i128::from(v))
        })
    }
    fn serialize_i8(self, v: i8) -> KeyResult {
        self.int(v, i128::from(v))
    }
    fn serialize_i16(self, v: i16) -> KeyResult {
        self.int(v, i128::from(v))
    }
    fn serialize_i32(self, v: i32) -> KeyResult {
        self.int(v, i128::from(v))
    }
    fn serialize_i64(self, v: i64) -> KeyResult {
        self.int(v, i128::from(v))
    }
    fn serialize_i128(self, v: i128) -> KeyResult {
        self.int(v, v)
    }
    fn serialize_u8(self, v: u8) -> KeyResult {
        self.int(v, i128::from(v))
    }
    fn serialize_u16(self, v: u16) -> KeyResult {
        self.int(v, i128::from(v))
    }
    fn serialize_u32(self, v: u32) -> KeyResult {
        self.int(v, i128::from(v))
    }
    fn serialize_u64(self, v: u64) -> KeyResult {
        self.int(v, i128::from(v))
    }
    fn serialize_u128(self, v: u128) -> KeyResult {
        self.int(v, i128::try_from(v).unwrap_or(i128::MAX))
    }
    fn serialize_f32(self, v: f32) -> KeyResult {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> KeyResult {
        if !v.is_finite() && !self.cfg.allow_nan {
            return Err(out_of_range_float());
        }
        self.out.push('"');
        write::write_f64(self.out, v);
        self.out.push('"');
        Ok(self.sort(|| SortKey::Float(v)))
    }
    fn serialize_char(self, v: char) -> KeyResult {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> KeyResult {
        write::write_str(self.out, v, self.cfg.ensure_ascii);
        Ok(self.sort(|| SortKey::Str(v.as_bytes().to_vec())))
    }
    fn serialize_bytes(self, _: &[u8]) -> KeyResult {
        Err(bad_key("bytes"))
    }
    fn serialize_none(self) -> KeyResult {
        self.quoted("null", || SortKey::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> KeyResult {
        value.serialize(self)
    }
    fn serialize_unit(self) -> KeyResult {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> KeyResult {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> KeyResult {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> KeyResult {
        match name {
            GEN_UTF8_STR => match capture(value)? {
                Captured::Bytes(bytes) => {
                    write::write_gen_str(self.out, &bytes, self.cfg.ensure_ascii).map_err(|e| {
                        Error::custom(format_args!(
                            "'utf-8' codec can't encode character '\\u{:x}': surrogates not allowed",
                            e.code_point
                        ))
                    })?;
                    Ok(self.sort(|| SortKey::Str(bytes)))
                }
                Captured::Str(s) => self.serialize_str(&s),
            },
            BIG_INT => match capture(value)? {
                Captured::Str(digits) if is_integer_literal(&digits) => {
                    let approx = digits.parse::<f64>().unwrap_or(f64::NAN);
                    self.quoted(&digits, || SortKey::Float(approx))
                }
                _ => Err(Error::custom("invalid big integer")),
            },
            _ => value.serialize(self),
        }
    }
    no_compounds! {
        Option<SortKey>, Error;
        newtype_variant: Err(bad_key("dict")),
        seq: bad_key("list"),
        tuple: bad_key("tuple"),
        tuple_struct: bad_key("tuple"),
        tuple_variant: bad_key("dict"),
        map: bad_key("dict"),
        struct: bad_key("dict"),
        struct_variant: bad_key("dict"),
    }
    fn collect_str<T: std::fmt::Display + ?Sized>(self, value: &T) -> KeyResult {
        self.serialize_str(&value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_float_order() {
        assert_eq!(cmp_int_float(1, 1.5), Ordering::Less);
        assert_eq!(cmp_int_float(2, 1.5), Ordering::Greater);
        assert_eq!(cmp_int_float(1, 1.0), Ordering::Equal);
        assert_eq!(cmp_int_float(-1, -1.5), Ordering::Greater);
        assert_eq!(cmp_int_float(i128::MAX, 1e300), Ordering::Less);
        assert_eq!(
            cmp_int_float((1 << 53) + 1, 9007199254740992.0),
            Ordering::Greater
        );
    }
}

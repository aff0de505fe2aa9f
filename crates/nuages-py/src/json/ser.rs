//! The serde `Serializer` producing Python `json.dumps` output.

use std::fmt::Write as _;

use serde::ser::{self, Error as _, Serialize};
use serde_json::Error;

use super::capture::{capture, Captured};
use super::config::{is_integer_literal, out_of_range_float, Config, BIG_INT, GEN_UTF8_STR};
use super::keys::{sort_entries, KeySerializer, SortEntry, SortKey};
use super::write::{self, EscapingWriter};

fn not_serializable(type_name: &str) -> Error {
    Error::custom(format_args!(
        "Object of type {type_name} is not JSON serializable"
    ))
}

/// Writes Python-formatted JSON into a `String`.
#[derive(Debug)]
pub(crate) struct PySerializer<'a> {
    out: &'a mut String,
    cfg: &'a Config<'a>,
    level: usize,
    /// Where this document starts in `out` (error positions are relative).
    start: usize,
}

impl<'a> PySerializer<'a> {
    pub(crate) fn new(out: &'a mut String, cfg: &'a Config<'a>) -> Self {
        let start = out.len();
        Self {
            out,
            cfg,
            level: 0,
            start,
        }
    }

    #[inline]
    fn open(&mut self, bracket: char) {
        self.out.push(bracket);
        self.level += 1;
    }

    #[inline]
    fn item(&mut self, first: bool) {
        self.cfg.item(self.out, self.level, first);
    }

    #[inline]
    fn close(&mut self, bracket: char, empty: bool) {
        self.level = self.level.saturating_sub(1);
        self.cfg.close(self.out, self.level, bracket, empty);
    }

    /// Opens `{"variant": ` for externally tagged enum variants.
    fn open_variant(&mut self, variant: &str) {
        self.open('{');
        self.item(true);
        write::write_str(self.out, variant, self.cfg.ensure_ascii);
        self.cfg.key_separator(self.out);
    }

    fn write_gen_str(&mut self, bytes: &[u8]) -> Result<(), Error> {
        write::write_gen_str(self.out, bytes, self.cfg.ensure_ascii).map_err(|e| {
            // Python reports the position in the whole output text.
            let position = self.out.get(self.start..).map_or(0, |s| s.chars().count());
            Error::custom(format_args!(
                "'utf-8' codec can't encode character '\\u{:x}' in position {position}: \
                 surrogates not allowed",
                e.code_point
            ))
        })
    }

    fn compound(&mut self, state: State, close_outer: bool) -> Compound<'_, 'a> {
        Compound {
            ser: self,
            state,
            close_outer,
        }
    }

    fn map_state(&self) -> State {
        if self.cfg.sort_keys {
            State::Sorted {
                entries: Vec::new(),
                pending: None,
            }
        } else {
            State::Map { first: true }
        }
    }
}

/// Integers are written as their decimal text.
macro_rules! write_integers {
    ($($method:ident($ty:ty)),*) => {$(
        fn $method(self, v: $ty) -> Result<(), Error> {
            write::write_int(self.out, v);
            Ok(())
        }
    )*};
}

impl<'s, 'a> ser::Serializer for &'s mut PySerializer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'s, 'a>;
    type SerializeTuple = Compound<'s, 'a>;
    type SerializeTupleStruct = Compound<'s, 'a>;
    type SerializeTupleVariant = Compound<'s, 'a>;
    type SerializeMap = Compound<'s, 'a>;
    type SerializeStruct = Compound<'s, 'a>;
    type SerializeStructVariant = Compound<'s, 'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }
    write_integers!(
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u64(u64),
        serialize_u128(u128)
    );
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        if !v.is_finite() && !self.cfg.allow_nan {
            return Err(out_of_range_float());
        }
        write::write_f32(self.out, v);
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        if !v.is_finite() && !self.cfg.allow_nan {
            return Err(out_of_range_float());
        }
        write::write_f64(self.out, v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write::write_str(self.out, v, self.cfg.ensure_ascii);
        Ok(())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Error> {
        Err(not_serializable("bytes"))
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        match name {
            GEN_UTF8_STR => match capture(value)? {
                Captured::Bytes(bytes) => self.write_gen_str(&bytes),
                Captured::Str(s) => self.serialize_str(&s),
            },
            BIG_INT => match capture(value)? {
                Captured::Str(digits) if is_integer_literal(&digits) => {
                    self.out.push_str(&digits);
                    Ok(())
                }
                _ => Err(Error::custom("invalid big integer")),
            },
            _ => value.serialize(self),
        }
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.open_variant(variant);
        value.serialize(&mut *self)?;
        self.close('}', false);
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'s, 'a>, Error> {
        self.open('[');
        Ok(self.compound(State::Seq { first: true }, false))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'s, 'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'s, 'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'s, 'a>, Error> {
        self.open_variant(variant);
        self.open('[');
        Ok(self.compound(State::Seq { first: true }, true))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'s, 'a>, Error> {
        self.open('{');
        let state = self.map_state();
        Ok(self.compound(state, false))
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'s, 'a>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'s, 'a>, Error> {
        self.open_variant(variant);
        self.open('{');
        let state = self.map_state();
        Ok(self.compound(state, true))
    }
    fn collect_str<T: std::fmt::Display + ?Sized>(self, value: &T) -> Result<(), Error> {
        self.out.push('"');
        let mut writer = EscapingWriter {
            out: self.out,
            ensure_ascii: self.cfg.ensure_ascii,
        };
        write!(writer, "{value}").map_err(Error::custom)?;
        self.out.push('"');
        Ok(())
    }
}

#[derive(Debug)]
enum State {
    Seq {
        first: bool,
    },
    Map {
        first: bool,
    },
    Sorted {
        entries: Vec<SortEntry>,
        pending: Option<(SortKey, String)>,
    },
}

/// Serializer state for arrays and objects.
#[derive(Debug)]
pub(crate) struct Compound<'s, 'a> {
    ser: &'s mut PySerializer<'a>,
    state: State,
    /// Set for tuple/struct variants: `{"Variant": [...]}` needs a second `}`.
    close_outer: bool,
}

impl Compound<'_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        if let State::Seq { first } = &mut self.state {
            let was_first = std::mem::replace(first, false);
            self.ser.item(was_first);
        }
        value.serialize(&mut *self.ser)
    }

    fn key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        let cfg = self.ser.cfg;
        match &mut self.state {
            State::Map { first } => {
                let was_first = std::mem::replace(first, false);
                self.ser.item(was_first);
                key.serialize(KeySerializer::new(self.ser.out, cfg, false))?;
                cfg.key_separator(self.ser.out);
                Ok(())
            }
            State::Sorted { pending, .. } => {
                let mut text = String::new();
                let sort = key.serialize(KeySerializer::new(&mut text, cfg, true))?;
                *pending = Some((sort.unwrap_or(SortKey::Null), text));
                Ok(())
            }
            State::Seq { .. } => Err(Error::custom("key in a sequence")),
        }
    }

    /// A struct field's name: written straight out in an unsorted object (what
    /// [`Compound::key`] does for a string, without the key serializer).
    #[inline]
    fn field_name(&mut self, name: &'static str) -> Result<(), Error> {
        match &mut self.state {
            State::Map { first } => {
                let was_first = std::mem::replace(first, false);
                self.ser.item(was_first);
                write::write_str(self.ser.out, name, self.ser.cfg.ensure_ascii);
                self.ser.cfg.key_separator(self.ser.out);
                Ok(())
            }
            _ => self.key(name),
        }
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        match &mut self.state {
            State::Sorted { entries, pending } => {
                let (sort, key) = pending
                    .take()
                    .ok_or_else(|| Error::custom("value without a key"))?;
                let mut text = String::new();
                let mut child = PySerializer {
                    out: &mut text,
                    cfg: self.ser.cfg,
                    level: self.ser.level,
                    start: 0,
                };
                value.serialize(&mut child)?;
                entries.push(SortEntry {
                    sort,
                    key,
                    value: text,
                });
                Ok(())
            }
            _ => value.serialize(&mut *self.ser),
        }
    }

    fn finish(self, bracket: char) -> Result<(), Error> {
        let ser = self.ser;
        let empty = match self.state {
            State::Seq { first } | State::Map { first } => first,
            State::Sorted { mut entries, .. } => {
                sort_entries(&mut entries)?;
                for (i, entry) in entries.iter().enumerate() {
                    ser.item(i == 0);
                    ser.out.push_str(&entry.key);
                    ser.cfg.key_separator(ser.out);
                    ser.out.push_str(&entry.value);
                }
                entries.is_empty()
            }
        };
        ser.close(bracket, empty);
        if self.close_outer {
            ser.close('}', false);
        }
        Ok(())
    }
}

/// The sequence traits: every element goes through [`Compound::element`], `end` closes `]`.
macro_rules! impl_seq_like {
    ($($trait:ident::$method:ident),*) => {$(
        impl ser::$trait for Compound<'_, '_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }
            fn end(self) -> Result<(), Error> {
                self.finish(']')
            }
        }
    )*};
}

impl_seq_like!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// The struct traits: each field is a key and a value, `end` closes `}`.
macro_rules! impl_struct_like {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Compound<'_, '_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.field_name(key)?;
                self.value(value)
            }
            fn end(self) -> Result<(), Error> {
                self.finish('}')
            }
        }
    )*};
}

impl_struct_like!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.value(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish('}')
    }
}

#[cfg(test)]
mod tests {
    use serde::ser::{Serialize, SerializeStruct, SerializeStructVariant, Serializer};

    use crate::json::{dumps, JsonDumpsParams};

    type Pairs = &'static [(&'static str, &'static str)];

    /// A struct with the given fields, or a struct variant `V` of them.
    struct Fields(Pairs, bool);

    impl Serialize for Fields {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            if self.1 {
                let mut s = serializer.serialize_struct_variant("E", 0, "V", self.0.len())?;
                for (name, value) in self.0 {
                    s.serialize_field(name, value)?;
                }
                s.end()
            } else {
                let mut s = serializer.serialize_struct("S", self.0.len())?;
                for (name, value) in self.0 {
                    s.serialize_field(name, value)?;
                }
                s.end()
            }
        }
    }

    #[test]
    fn struct_fields_are_written_like_map_keys() {
        let cases: [Pairs; 4] = [
            &[],
            &[("message", "Hello, World!")],
            &[
                ("z", "1"),
                ("a", "2"),
                ("é</script>\u{2028}", "\u{1}\"\\"),
                ("", ""),
            ],
            &[("b\u{7f}", "😀"), ("tab\tname", "x"), ("a", "y")],
        ];
        let params = [
            JsonDumpsParams::default(),
            JsonDumpsParams::default().separators(",", ":"),
            JsonDumpsParams::default().ensure_ascii(false),
            JsonDumpsParams::default().sort_keys(true),
            JsonDumpsParams::default().indent(2).separators(";", "=>"),
        ];
        for pairs in cases {
            let map: serde_json::Map<String, serde_json::Value> = pairs
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).into()))
                .collect();
            let variant = serde_json::json!({ "V": map });
            for p in &params {
                let fields = dumps(&Fields(pairs, false), p).unwrap();
                assert_eq!(fields, dumps(&map, p).unwrap(), "{pairs:?} {p:?}");
                let fields = dumps(&Fields(pairs, true), p).unwrap();
                assert_eq!(fields, dumps(&variant, p).unwrap(), "{pairs:?} {p:?}");
            }
        }
    }
}

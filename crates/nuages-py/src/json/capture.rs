//! A tiny serializer capturing the payload of the private newtype structs
//! (`PyStr` with lone surrogates, `PyInt` wider than 128 bits).

use serde::ser::{self, Error as _, Serialize};
use serde_json::Error;

/// What a private newtype struct carried.
#[derive(Debug)]
pub(crate) enum Captured {
    /// Raw bytes (generalised UTF-8 of a string with lone surrogates).
    Bytes(Vec<u8>),
    /// Text (the digits of a big integer, or a lossy string).
    Str(String),
}

pub(crate) fn capture<T: Serialize + ?Sized>(value: &T) -> Result<Captured, Error> {
    value.serialize(Capture)
}

#[derive(Debug)]
struct Capture;

fn unexpected() -> Error {
    Error::custom("unexpected payload in a private newtype struct")
}

macro_rules! reject {
    ($($method:ident($($arg:ty),*);)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Captured, Error> {
            Err(unexpected())
        })*
    };
}

impl ser::Serializer for Capture {
    type Ok = Captured;
    type Error = Error;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_str(self, v: &str) -> Result<Captured, Error> {
        Ok(Captured::Str(v.to_owned()))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Captured, Error> {
        Ok(Captured::Bytes(v.to_vec()))
    }

    reject! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<Captured, Error> {
        Err(unexpected())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<Captured, Error> {
        Err(unexpected())
    }
    no_compounds! {
        Captured, Error;
        newtype_variant: Err(unexpected()),
        seq: unexpected(),
        tuple: unexpected(),
        tuple_struct: unexpected(),
        tuple_variant: unexpected(),
        map: unexpected(),
        struct: unexpected(),
        struct_variant: unexpected(),
    }
}

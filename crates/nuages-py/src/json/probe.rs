//! Is a value serialized as a JSON object? (`JsonResponse(safe=True)`
//! accepts only `dict`s.)

use std::fmt;

use serde::ser::{self, Serialize};

/// Short-circuits the probe: the answer is known at the first call.
#[derive(Debug)]
struct Answer(bool);

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "is object: {}", self.0)
    }
}

impl std::error::Error for Answer {}

impl ser::Error for Answer {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Answer(false)
    }
}

/// Whether `value` serializes as a JSON object (a Python `dict`): maps,
/// structs, struct and newtype enum variants. Only the outermost call of
/// the value's `Serialize` impl runs, so this is cheap.
///
/// # Examples
///
/// ```
/// use nuages_py::json::is_json_object;
///
/// assert!(is_json_object(&serde_json::json!({"a": 1})));
/// assert!(!is_json_object(&[1, 2]));
/// assert!(!is_json_object(&Option::<i32>::None));
/// ```
#[doc(alias = "safe")]
pub fn is_json_object<T: Serialize + ?Sized>(value: &T) -> bool {
    match value.serialize(Probe) {
        Ok(answer) | Err(Answer(answer)) => answer,
    }
}

#[derive(Debug)]
struct Probe;

macro_rules! not_object {
    ($($method:ident($($arg:ty),*);)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<bool, Answer> {
            Ok(false)
        })*
    };
}

impl ser::Serializer for Probe {
    type Ok = bool;
    type Error = Answer;

    not_object! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_i128(i128);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_u128(u128);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<bool, Answer> {
        value.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<bool, Answer> {
        value.serialize(self)
    }
    no_compounds! {
        bool, Answer;
        newtype_variant: Ok(true),
        seq: Answer(false),
        tuple: Answer(false),
        tuple_struct: Answer(false),
        tuple_variant: Answer(true),
        map: Answer(true),
        struct: Answer(true),
        struct_variant: Answer(true),
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, _: &T) -> Result<bool, Answer> {
        Ok(false)
    }
}

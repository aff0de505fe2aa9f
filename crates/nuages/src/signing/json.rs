//! Django's `JSONSerializer`: `json.dumps(obj, separators=(",", ":"))` with
//! Python's defaults (`ensure_ascii=True`, float `repr`), reproduced on top of
//! serde_json with a custom [`Formatter`].

use std::io::{self, Write};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::ser::Formatter;

use super::pyrepr::write_float_repr;
use super::SigningError;

/// The serializer used by [`dumps`](super::dumps), [`loads`](super::loads)
/// and `sign_object`: compact JSON exactly as Python's
/// `json.dumps(obj, separators=(",", ":"))` writes it.
///
/// * non-ASCII characters (and DEL) are written as `\uXXXX` escapes, with
///   UTF-16 surrogate pairs above U+FFFF (`ensure_ascii=True`);
/// * floats use Python's `repr` (`1e+16`, `1e-05`, `1.0`);
/// * map order is the serialization order of the value (insertion order for
///   `serde_json::Value`).
///
/// Known difference: NaN and infinities are written as `null` (serde_json
/// never hands them to the formatter) where Python writes `NaN`/`Infinity`.
///
/// # Examples
///
/// ```
/// use nuages::signing::JsonSerializer;
///
/// let bytes = JsonSerializer::dumps(&serde_json::json!({"é": "☃", "n": [1.0, null]})).unwrap();
/// assert_eq!(bytes, br#"{"\u00e9":"\u2603","n":[1.0,null]}"#);
/// let back: serde_json::Value = JsonSerializer::loads(&bytes).unwrap();
/// assert_eq!(back["é"], "☃");
/// ```
#[doc(alias = "JSONSerializer")]
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonSerializer;

impl JsonSerializer {
    /// `JSONSerializer().dumps(obj)`: the compact, ASCII-only JSON bytes.
    ///
    /// # Errors
    ///
    /// [`SigningError::Serialization`] when serde cannot serialize the value
    /// (for example a map with non-string keys).
    pub fn dumps<T: Serialize + ?Sized>(obj: &T) -> Result<Vec<u8>, SigningError> {
        let mut out = Vec::with_capacity(128);
        let mut ser = serde_json::Serializer::with_formatter(&mut out, PythonFormatter);
        obj.serialize(&mut ser)
            .map_err(|e| SigningError::Serialization(e.to_string()))?;
        Ok(out)
    }

    /// `JSONSerializer().loads(data)`: the bytes are decoded as Latin-1 (as
    /// Django does) and parsed as JSON.
    ///
    /// # Errors
    ///
    /// [`SigningError::Malformed`] when the data is not valid JSON for `T`.
    pub fn loads<T: DeserializeOwned>(data: &[u8]) -> Result<T, SigningError> {
        let parsed = if data.is_ascii() {
            serde_json::from_slice(data)
        } else {
            let text: String = data.iter().map(|&b| char::from(b)).collect();
            serde_json::from_str(&text)
        };
        parsed.map_err(|e| SigningError::Malformed(e.to_string()))
    }
}

/// serde_json formatter reproducing Python's `json.dumps` output.
struct PythonFormatter;

impl Formatter for PythonFormatter {
    fn write_f64<W: ?Sized + Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        let mut s = String::with_capacity(24);
        write_float_repr(&mut s, value);
        writer.write_all(s.as_bytes())
    }

    fn write_f32<W: ?Sized + Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        // Python has no single-precision floats: use the shortest decimal
        // form of the f32, laid out like Python's repr.
        let shortest: f64 = value.to_string().parse().unwrap_or(f64::from(value));
        self.write_f64(writer, shortest)
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let bytes = fragment.as_bytes();
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if c.is_ascii() && c != '\x7f' {
                continue;
            }
            writer.write_all(&bytes[start..i])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            start = i + c.len_utf8();
        }
        writer.write_all(&bytes[start..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dumps(v: &serde_json::Value) -> String {
        String::from_utf8(JsonSerializer::dumps(v).unwrap_or_default()).unwrap_or_default()
    }

    #[test]
    fn python_layout() {
        assert_eq!(dumps(&json!({"a": 1})), r#"{"a":1}"#);
        assert_eq!(
            dumps(&json!([1e16, 1e-5, 1e15, 0.1, -0.0, 2.5e-7])),
            "[1e+16,1e-05,1000000000000000.0,0.1,-0.0,2.5e-07]"
        );
        assert_eq!(
            dumps(&json!("\x7f\x01\u{2028}\u{1F600}\"\\/\n")),
            r#""\u007f\u0001\u2028\ud83d\ude00\"\\/\n""#
        );
    }

    #[test]
    fn loads_latin1() {
        let v: serde_json::Value = JsonSerializer::loads(b"\"caf\xe9\"").unwrap_or_default();
        assert_eq!(v, json!("café"));
        assert!(JsonSerializer::loads::<serde_json::Value>(b"{").is_err());
    }
}

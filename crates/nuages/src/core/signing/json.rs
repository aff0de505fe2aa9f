//! Django's `JSONSerializer`: `json.dumps(obj, separators=(",", ":")).encode("latin-1")`
//! with Python's `json.dumps` ([`nuages::py::json`](crate::py::json)).

use std::sync::LazyLock;

use nuages_py::json::{dumps_into, JsonDumpsParams};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::SigningError;

/// `separators=(",", ":")`, everything else Python's defaults.
static COMPACT: LazyLock<JsonDumpsParams> =
    LazyLock::new(|| JsonDumpsParams::new().separators(",", ":"));

/// The serializer used by [`dumps`](super::dumps), [`loads`](super::loads)
/// and `sign_object`: compact JSON exactly as Python's
/// `json.dumps(obj, separators=(",", ":"))` writes it.
///
/// * non-ASCII characters (and DEL) are written as `\uXXXX` escapes, with
///   UTF-16 surrogate pairs above U+FFFF (`ensure_ascii=True`);
/// * floats use Python's `repr` (`1e+16`, `1e-05`, `1.0`);
/// * map order is the serialization order of the value (insertion order for
///   `serde_json::Value`);
/// * NaN and the infinities are written `NaN`, `Infinity`, `-Infinity`, and
///   non-string keys are coerced like Python's (`1` → `"1"`).
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
    /// [`SigningError::Serialization`] with Python's message when `json.dumps`
    /// raises (for example `Object of type bytes is not JSON serializable`).
    pub fn dumps<T: Serialize + ?Sized>(obj: &T) -> Result<Vec<u8>, SigningError> {
        let mut out = String::with_capacity(128);
        dumps_into(obj, &COMPACT, &mut out)
            .map_err(|e| SigningError::Serialization(e.to_string()))?;
        Ok(out.into_bytes())
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
            dumps(&json!({"n": [1, {"b": true}]})),
            r#"{"n":[1,{"b":true}]}"#
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

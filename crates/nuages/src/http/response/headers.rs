//! Django's response-header rules: `response[name] = value`.

use std::fmt;

use http::header::{HeaderName, HeaderValue};
use nuages_py::repr::str_repr;

use super::HttpResponse;

/// A header name or value Django would refuse (`BadHeaderError`, or the `UnicodeEncodeError` for
/// a non-ASCII name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadHeaderError {
    message: String,
}

impl fmt::Display for BadHeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl BadHeaderError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        BadHeaderError {
            message: message.into(),
        }
    }
}

impl std::error::Error for BadHeaderError {}

/// Converts a header value the way Django's `ResponseHeaders._convert_to_charset` does: refuses
/// newlines, keeps Latin-1 text as Latin-1 bytes, MIME-encodes anything else
/// (`☃` → `=?utf-8?b?4piD?=`).
///
/// # Errors
/// A value containing `\n` or `\r`.
pub fn header_value(value: &str) -> Result<HeaderValue, BadHeaderError> {
    if value.contains('\n') || value.contains('\r') {
        return Err(BadHeaderError {
            message: format!(
                "Header values can't contain newlines (got {})",
                str_repr(value)
            ),
        });
    }
    let bytes: Vec<u8> = if value.chars().all(|c| (c as u32) < 0x100) {
        value.chars().map(|c| c as u32 as u8).collect()
    } else {
        let b64 = nuages_py::base64::b64encode(value.as_bytes());
        format!("=?utf-8?b?{b64}?=").into_bytes()
    };
    HeaderValue::from_bytes(&bytes).map_err(|_| BadHeaderError {
        message: format!(
            "Header value {} contains characters not allowed in HTTP",
            str_repr(value)
        ),
    })
}

/// Validates a header name: ASCII only, no newlines.
///
/// # Errors
/// Non-ASCII, newline or otherwise invalid names.
pub fn header_name(name: &str) -> Result<HeaderName, BadHeaderError> {
    if name.contains('\n') || name.contains('\r') {
        return Err(BadHeaderError {
            message: format!(
                "Header values can't contain newlines (got {})",
                str_repr(name)
            ),
        });
    }
    if let Some(message) = ascii_encode_error(name) {
        return Err(BadHeaderError { message });
    }
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| BadHeaderError {
        message: format!("{} is not a valid header name", str_repr(name)),
    })
}

/// Django's message for a non-ASCII header name: Python's `UnicodeEncodeError` of
/// `name.encode("ascii")` with Django's suffix. `None` for an ASCII name.
fn ascii_encode_error(name: &str) -> Option<String> {
    let ascii = nuages_py::codecs::Charset::from_label("ascii")?;
    let error = ascii.encode_strict(name).err()?;
    Some(format!(
        "{error}, HTTP response headers must be in ascii format"
    ))
}

impl HttpResponse {
    /// Sets a header from text with Django's rules (`response["X-Foo"] = "bar"`): newlines are
    /// refused, Latin-1 text is sent as Latin-1, other text is MIME-encoded.
    ///
    /// # Errors
    /// [`BadHeaderError`] for a newline or a non-ASCII name.
    ///
    /// # Examples
    /// ```
    /// let mut r = nuages::HttpResponse::new("");
    /// r.set_header("X-Custom-Header", "MyValue").unwrap();
    /// r.set_header("X-Snow", "☃").unwrap();
    /// assert_eq!(r.header("x-snow").as_deref(), Some("=?utf-8?b?4piD?="));
    /// assert!(r.set_header("X-Bad", "a\nb").is_err());
    /// ```
    #[doc(alias = "__setitem__")]
    pub fn set_header(&mut self, name: &str, value: &str) -> Result<(), BadHeaderError> {
        let header = header_name(name)?;
        let value = header_value(value)?;
        self.set_spelled_header(name, header, value);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert_eq!(header_value("café").unwrap().as_bytes(), b"caf\xe9");
        assert_eq!(header_value("☃").unwrap(), "=?utf-8?b?4piD?=");
        assert_eq!(
            header_value("a\nb").unwrap_err().to_string(),
            "Header values can't contain newlines (got 'a\\nb')"
        );
        assert_eq!(
            header_name("X-Föo").unwrap_err().to_string(),
            "'ascii' codec can't encode character '\\xf6' in position 3: ordinal not in range(128), HTTP response headers must be in ascii format"
        );
        assert!(header_name("X-☃")
            .unwrap_err()
            .to_string()
            .starts_with("'ascii' codec can't encode character '\\u2603' in position 2:"));
        assert!(header_name("X-éé-😀")
            .unwrap_err()
            .to_string()
            .starts_with("'ascii' codec can't encode characters in position 2-3:"));
        assert_eq!(header_value(" x ").unwrap(), " x ");
    }
}

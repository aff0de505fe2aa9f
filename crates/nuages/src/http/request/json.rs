//! `request.json()`: the body as JSON, with limits (beyond Django, which leaves
//! `json.loads(request.inner.body)` to the view; the checks follow axum's `Json` extractor).
//!
//! - The Content-Type must be `application/json` or `application/<anything>+json`, else
//!   415 Unsupported Media Type (axum's rule; `json.loads` in a Django view does not look).
//! - The body is [`HttpRequest::body`]: at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes
//!   (`RequestDataTooBig`, 400), decoded from an enabled `Content-Encoding`.
//! - Arrays and objects may nest JSON_MAX_DEPTH levels ([`Settings::json_max_depth`], 64 by
//!   default, at most 127, the deepest serde_json parses), checked by a linear scan before
//!   parsing: 100,000 `[` are a 400, not a stack overflow.
//! - Anything that is not one JSON document — a syntax error, invalid UTF-8, trailing
//!   characters, a number out of `f64`'s range such as a million-digit integer — is a 400,
//!   and so is a document that does not deserialize into the target type (axum answers that
//!   one with 422; nuages keeps Django's single client-error status).
//!
//! [`Settings::json_max_depth`]: crate::Settings::json_max_depth

use std::fmt;

use serde::de::DeserializeOwned;

use super::HttpRequest;
use crate::core::exceptions::ErrorKind;
use crate::Error;

/// The deepest nesting serde_json parses (its recursion limit of 128 counts one more).
pub(crate) const SERDE_JSON_MAX_DEPTH: usize = 127;

/// Why [`HttpRequest::json`] refused the body (the errors of reading the body itself,
/// `RequestDataTooBig` and the like, are passed on unchanged).
///
/// # Examples
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use nuages::http::request::JsonBodyError;
/// let req = nuages::test::RequestFactory::new()
///     .post("/", "[1] [2]")
///     .content_type("application/json")
///     .build();
/// let err = req.json_value().await.unwrap_err();
/// assert_eq!(err.status(), 400);
/// assert!(matches!(err.downcast_ref::<JsonBodyError>(), Some(JsonBodyError::Syntax(_))));
/// # });
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum JsonBodyError {
    /// The Content-Type is not JSON (415).
    UnsupportedMediaType {
        /// The request's media type (empty when there is no Content-Type).
        content_type: String,
    },
    /// Arrays and objects nest deeper than JSON_MAX_DEPTH (400).
    TooDeep {
        /// The limit.
        max_depth: usize,
    },
    /// The body is not one JSON document (400).
    Syntax(serde_json::Error),
    /// The document does not fit the target type (400).
    Data(serde_json::Error),
}

impl JsonBodyError {
    /// How the framework answers this error: 415 for
    /// [`JsonBodyError::UnsupportedMediaType`], else 400.
    pub fn kind(&self) -> ErrorKind {
        match self {
            JsonBodyError::UnsupportedMediaType { .. } => ErrorKind::UnsupportedMediaType,
            _ => ErrorKind::BadRequest,
        }
    }

    /// The framework error, with [`JsonBodyError::kind`].
    pub fn into_error(self) -> Error {
        Error::new(self.kind(), self)
    }
}

impl fmt::Display for JsonBodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonBodyError::UnsupportedMediaType { .. } => {
                f.write_str("Expected request with `Content-Type: application/json`")
            }
            JsonBodyError::TooDeep { max_depth } => write!(
                f,
                "Failed to parse the request body as JSON: nested deeper than \
                 JSON_MAX_DEPTH ({max_depth})"
            ),
            JsonBodyError::Syntax(e) => {
                write!(f, "Failed to parse the request body as JSON: {e}")
            }
            JsonBodyError::Data(e) => write!(
                f,
                "Failed to deserialize the JSON body into the target type: {e}"
            ),
        }
    }
}

impl std::error::Error for JsonBodyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JsonBodyError::Syntax(e) | JsonBodyError::Data(e) => Some(e),
            _ => None,
        }
    }
}

/// Whether arrays and objects nest deeper than `max` anywhere in `bytes` (brackets inside
/// strings do not count). One pass, no recursion; a malformed document is left to the parser.
fn nests_deeper_than(bytes: &[u8], max: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in bytes {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// Whether `media_type` (lower-cased, without parameters) is JSON: `application/json` or
/// `application/…+json`.
fn is_json(media_type: &str) -> bool {
    media_type
        .strip_prefix("application/")
        .is_some_and(|sub| sub == "json" || sub.ends_with("+json"))
}

impl HttpRequest {
    /// The body deserialized from JSON into `T` (beyond Django; see the
    /// [module documentation](crate::http::request::json) for the limits). The body is read once and cached, so
    /// `json()` may be called again, also with another `T`.
    ///
    /// # Errors
    /// [`JsonBodyError`]: a Content-Type other than JSON (415), nesting deeper than
    /// JSON_MAX_DEPTH, a body that is not one JSON document or does not fit `T` (400); and the
    /// errors of [`HttpRequest::body`] (`RequestDataTooBig`, a refused `Content-Encoding`).
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// #[derive(serde::Deserialize)]
    /// struct Order {
    ///     item: String,
    ///     quantity: u32,
    /// }
    /// let rf = nuages::test::RequestFactory::new();
    /// let req = rf
    ///     .post("/", r#"{"item": "tea", "quantity": 2}"#)
    ///     .content_type("application/json")
    ///     .build();
    /// let order: Order = req.json().await.unwrap();
    /// assert_eq!((order.item.as_str(), order.quantity), ("tea", 2));
    ///
    /// let deep = rf.post("/", "[".repeat(100_000)).content_type("application/json").build();
    /// assert_eq!(deep.json_value().await.unwrap_err().status(), 400);
    /// let text = rf.post("/", "{}").content_type("text/plain").build();
    /// assert_eq!(text.json_value().await.unwrap_err().status(), 415);
    /// # });
    /// ```
    pub async fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let media_type = self.content_type();
        if !is_json(&media_type) {
            return Err(JsonBodyError::UnsupportedMediaType {
                content_type: media_type.into_owned(),
            }
            .into_error());
        }
        let body = self.body().await?;
        let max_depth = self.inner.head.settings.json_max_depth;
        if nests_deeper_than(&body, max_depth) {
            return Err(JsonBodyError::TooDeep { max_depth }.into_error());
        }
        serde_json::from_slice(&body).map_err(|e| {
            match e.classify() {
                serde_json::error::Category::Data => JsonBodyError::Data(e),
                _ => JsonBodyError::Syntax(e),
            }
            .into_error()
        })
    }

    /// [`HttpRequest::json`] into a [`serde_json::Value`].
    ///
    /// # Errors
    /// As [`HttpRequest::json`].
    pub async fn json_value(&self) -> Result<serde_json::Value, Error> {
        self.json().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_scan_ignores_strings() {
        assert!(!nests_deeper_than(br#"[["[[[[", "\"[[["]]"#, 2));
        assert!(nests_deeper_than(b"[[[]]]", 2));
        assert!(!nests_deeper_than(b"[[]][[]]", 2));
        assert!(nests_deeper_than(br#"{"a":{"b":[1]}}"#, 2));
    }

    #[test]
    fn serde_json_limit_is_what_we_say() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let ok: Result<serde_json::Value, _> = serde_json::from_str(&nested(SERDE_JSON_MAX_DEPTH));
        assert!(ok.is_ok());
        let deeper: Result<serde_json::Value, _> =
            serde_json::from_str(&nested(SERDE_JSON_MAX_DEPTH + 1));
        assert!(deeper.is_err());
    }

    #[test]
    fn json_media_types() {
        assert!(is_json("application/json"));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("text/json") && !is_json("application/jsonx") && !is_json(""));
    }
}

//! `JsonResponse`: a response whose content is the JSON encoding of a value, byte-identical to
//! Django's (`json.dumps` with `DjangoJSONEncoder`).

use std::fmt;

use http::header::{self, HeaderValue};
use http::StatusCode;
use serde::Serialize;

use super::HttpResponse;
use nuages_py::json::{dumps_value, is_json_object, to_vec, JsonDumpsParams};

/// Why a [`JsonResponse`] could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum JsonResponseError {
    /// `safe` is on and the value is not an object (Django's `TypeError`).
    NotSafe,
    /// The value could not be serialized.
    Serialize(serde_json::Error),
}

impl fmt::Display for JsonResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonResponseError::NotSafe => f.write_str(
                "In order to allow non-dict objects to be serialized set the safe parameter to False.",
            ),
            JsonResponseError::Serialize(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for JsonResponseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JsonResponseError::NotSafe => None,
            JsonResponseError::Serialize(e) => Some(e),
        }
    }
}

/// Django's `JsonResponse`: `Content-Type: application/json`, the body as Python's `json.dumps`
/// writes it (`", "` and `": "` separators, non-ASCII escaped).
///
/// # Examples
/// ```
/// use nuages::JsonResponse;
/// let r = JsonResponse::new(&serde_json::json!({"name": "café", "n": [1, 2]})).unwrap();
/// assert_eq!(r.content().unwrap(), br#"{"name": "caf\u00e9", "n": [1, 2]}"#);
/// assert!(JsonResponse::new(&[1, 2]).is_err()); // safe=True refuses non-objects
/// let r = JsonResponse::builder().safe(false).build(&[1, 2]).unwrap();
/// assert_eq!(r.content().unwrap(), b"[1, 2]");
/// ```
#[derive(Debug, Clone)]
pub struct JsonResponse {
    safe: bool,
    status: StatusCode,
    params: JsonDumpsParams,
}

impl Default for JsonResponse {
    fn default() -> Self {
        JsonResponse {
            safe: true,
            status: StatusCode::OK,
            params: JsonDumpsParams::default(),
        }
    }
}

impl JsonResponse {
    /// `JsonResponse(data)` with `safe=True`.
    ///
    /// # Errors
    /// [`JsonResponseError::NotSafe`] for a non-object, or a serialization error.
    #[allow(clippy::new_ret_no_self)]
    pub fn new<T: Serialize + ?Sized>(data: &T) -> Result<HttpResponse, JsonResponseError> {
        JsonResponse::default().build(data)
    }

    /// Options: `safe`, `status`, `json_dumps_params`.
    pub fn builder() -> Self {
        JsonResponse::default()
    }

    /// `safe=` (default true): refuse values that are not JSON objects.
    pub fn safe(mut self, safe: bool) -> Self {
        self.safe = safe;
        self
    }

    /// `status=`.
    pub fn status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// `json_dumps_params=`: separators, indent, ensure_ascii, sort_keys.
    #[doc(alias = "json_dumps_params")]
    pub fn params(mut self, params: JsonDumpsParams) -> Self {
        self.params = params;
        self
    }

    /// Serializes `data` into a response.
    ///
    /// # Errors
    /// As [`JsonResponse::new`].
    pub fn build<T: Serialize + ?Sized>(
        &self,
        data: &T,
    ) -> Result<HttpResponse, JsonResponseError> {
        if self.safe && !is_json_object(data) {
            return Err(JsonResponseError::NotSafe);
        }
        let body = to_vec(data, &self.params).map_err(JsonResponseError::Serialize)?;
        Ok(self.respond(body))
    }

    /// A response for any JSON value built in code (`json!`), with these options; it cannot
    /// fail. The `safe` check does not apply: the value is sent as it is, like
    /// `JsonResponse(data, safe=False)` — use [`JsonResponse::build`] for Django's check.
    pub fn build_value(&self, data: serde_json::Value) -> HttpResponse {
        self.respond(dumps_value(&data, &self.params).into_bytes())
    }

    fn respond(&self, body: Vec<u8>) -> HttpResponse {
        let mut r = HttpResponse::new(body)
            .with_status(self.status)
            .with_class("JsonResponse");
        r.set_header_value(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        r
    }

    /// `JsonResponse(data)` for a JSON object given as its entries (a `HashMap`, an
    /// `IndexMap`, `QueryDict::dict()`, an array of pairs, …): it cannot fail, so no `?`.
    ///
    /// # Examples
    /// ```
    /// use nuages::JsonResponse;
    /// let r = JsonResponse::object([("name", "John"), ("city", "Zürich")]);
    /// assert_eq!(r.content().unwrap(), br#"{"name": "John", "city": "Z\u00fcrich"}"#);
    /// assert_eq!(r.header("content-type").as_deref(), Some("application/json"));
    /// ```
    pub fn object<K, V>(entries: impl IntoIterator<Item = (K, V)>) -> HttpResponse
    where
        K: Into<String>,
        V: Into<serde_json::Value>,
    {
        let map: serde_json::Map<String, serde_json::Value> = entries
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        JsonResponse::default().build_value(serde_json::Value::Object(map))
    }

    /// A response for a JSON value built in code (`json!`): it cannot fail, so no `?`. An
    /// object is Django's `JsonResponse(data)`; any other value is sent as it is, like
    /// `JsonResponse(data, safe=False)`.
    ///
    /// # Examples
    /// ```
    /// use nuages::JsonResponse;
    /// use serde_json::json;
    /// let r = JsonResponse::value(json!({"name": "John Doe", "age": 30}));
    /// assert_eq!(r.content().unwrap(), br#"{"name": "John Doe", "age": 30}"#);
    /// let list = JsonResponse::value(json!([{"id": 1}]));
    /// assert_eq!(list.content().unwrap(), br#"[{"id": 1}]"#);
    /// ```
    pub fn value(data: serde_json::Value) -> HttpResponse {
        JsonResponse::default().build_value(data)
    }
}

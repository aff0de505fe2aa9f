//! `JsonResponse`: a response whose content is the JSON encoding of a value, byte-identical to
//! Django's (`json.dumps` with `DjangoJSONEncoder`).

use std::cell::RefCell;
use std::fmt;

use bytes::Bytes;
use http::header::HeaderValue;
use http::StatusCode;
use serde::Serialize;

use super::HttpResponse;
use nuages_py::json::{dumps_into, dumps_value, is_json_object, to_vec, JsonDumpsParams};

/// Documents up to this size are written into the thread's scratch buffer and copied into a
/// body of their exact size: one allocation per response, where a buffer of its own would be
/// two (the buffer, and the `Bytes` handle sharing a buffer with spare capacity). Larger
/// documents keep the buffer they were written to.
const SCRATCH_LIMIT: usize = 16 * 1024;

thread_local! {
    /// Where [`serialize`] writes documents (kept between responses, at most
    /// [`SCRATCH_LIMIT`] bytes).
    static SCRATCH: RefCell<String> = const { RefCell::new(String::new()) };
}

/// `json.dumps(data, **params)` as the bytes of a body.
fn serialize<T: Serialize + ?Sized>(
    data: &T,
    params: &JsonDumpsParams,
) -> Result<Bytes, serde_json::Error> {
    let scratch = |cell: &RefCell<String>| {
        // Taken already: a `Serialize` impl building a JsonResponse of its own.
        let mut buf = cell.try_borrow_mut().ok()?;
        buf.clear();
        let result = dumps_into(data, params, &mut buf).map(|()| {
            if buf.len() <= SCRATCH_LIMIT {
                Bytes::copy_from_slice(buf.as_bytes())
            } else {
                Bytes::from(std::mem::take(&mut *buf).into_bytes())
            }
        });
        if buf.capacity() > SCRATCH_LIMIT {
            *buf = String::new();
        }
        Some(result)
    };
    match SCRATCH.try_with(scratch) {
        Ok(Some(result)) => result,
        // The thread is exiting, or the buffer is in use: a buffer of its own.
        _ => to_vec(data, params).map(Bytes::from),
    }
}

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

    /// Serializes `data` into a response: the document is written once, into the buffer that
    /// becomes the body.
    ///
    /// # Errors
    /// As [`JsonResponse::new`].
    pub fn build<T: Serialize + ?Sized>(
        &self,
        data: &T,
    ) -> Result<HttpResponse, JsonResponseError> {
        // A document is an object exactly when it starts with `{`, so `safe` is checked on the
        // output rather than by a second walk of the value. Django checks before serializing:
        // a non-object that also fails to serialize is still refused as not safe.
        match serialize(data, &self.params) {
            Ok(body) if !self.safe || body.first() == Some(&b'{') => Ok(self.respond(body)),
            Ok(_) => Err(JsonResponseError::NotSafe),
            Err(_) if self.safe && !is_json_object(data) => Err(JsonResponseError::NotSafe),
            Err(e) => Err(JsonResponseError::Serialize(e)),
        }
    }

    /// A response for any JSON value built in code (`json!`), with these options; it cannot
    /// fail. The `safe` check does not apply: the value is sent as it is, like
    /// `JsonResponse(data, safe=False)` — use [`JsonResponse::build`] for Django's check.
    pub fn build_value(&self, data: serde_json::Value) -> HttpResponse {
        self.respond(Bytes::from(dumps_value(&data, &self.params).into_bytes()))
    }

    fn respond(&self, body: Bytes) -> HttpResponse {
        let mut r =
            HttpResponse::with_bytes_and_type(body, HeaderValue::from_static("application/json"));
        r.inner.class = "JsonResponse";
        if self.status != StatusCode::OK {
            r = r.with_status(self.status);
        }
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::{JsonResponse, JsonResponseError};
    use nuages_py::json::{dumps, is_json_object, JsonDumpsParams};

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Newtype(u8),
        Tuple(u8, u8),
        Struct { side: f64 },
    }

    #[derive(Serialize)]
    struct Message {
        message: &'static str,
    }

    #[derive(Serialize)]
    struct Wrapper<T>(T);

    /// `safe` decided on the output agrees with the probe Django's order needs, and the body
    /// is `dumps`'s.
    fn check<T: Serialize + ?Sized>(value: &T) {
        for params in [
            JsonDumpsParams::default(),
            JsonDumpsParams::default().separators(",", ":"),
            JsonDumpsParams::default().indent(2).sort_keys(true),
        ] {
            let built = JsonResponse::builder().params(params.clone()).build(value);
            match (is_json_object(value), dumps(value, &params)) {
                (true, Ok(text)) => {
                    let body = built.unwrap_or_else(|e| panic!("{text}: {e}"));
                    assert_eq!(body.content().unwrap(), text.as_bytes());
                }
                (false, _) => assert!(
                    matches!(built, Err(JsonResponseError::NotSafe)),
                    "{params:?}"
                ),
                (true, Err(e)) => match built {
                    Err(JsonResponseError::Serialize(got)) => {
                        assert_eq!(got.to_string(), e.to_string())
                    }
                    other => panic!("{other:?}"),
                },
            }
            let unsafe_ok = JsonResponse::builder()
                .safe(false)
                .params(params.clone())
                .build(value);
            match dumps(value, &params) {
                Ok(text) => assert_eq!(unsafe_ok.unwrap().content().unwrap(), text.as_bytes()),
                Err(_) => assert!(matches!(unsafe_ok, Err(JsonResponseError::Serialize(_)))),
            }
        }
    }

    #[test]
    fn safe_is_decided_as_django_decides_it() {
        check(&Message {
            message: "Hello, World!",
        });
        check(&Message {
            message: "</script>\u{2028}é\u{1}",
        });
        check(&Wrapper(Message { message: "newtype" }));
        check(&Some(Message { message: "some" }));
        check(&BTreeMap::<String, u8>::new());
        check(&serde_json::json!({"a": [1, 2.5, null], "b": {}}));
        check(&BTreeMap::from([(1.5f64.to_bits(), "k"), (2, "v")]));
        check(&indexmap::IndexMap::from([(true, 1), (false, 2)]));
        check(&indexmap::IndexMap::from([(None, 1), (Some(2), 3)]));
        check(&Shape::Unit);
        check(&Shape::Newtype(1));
        check(&Shape::Tuple(1, 2));
        check(&Shape::Struct { side: 0.1 });
        check(&[1, 2]);
        check("a string");
        check(&Option::<u8>::None);
        check(&42);
        check(&Wrapper("{not an object"));
        // Not serializable: bytes as a value, a list as a key, NaN with allow_nan=False.
        check(&BTreeMap::from([("b", serde_bytes_like())]));
        check(&[serde_bytes_like()]);
        check(&BTreeMap::from([(vec![1], 1)]));
    }

    #[test]
    fn a_non_object_failing_to_serialize_is_not_safe_first() {
        let strict = JsonDumpsParams::default().allow_nan(false);
        let list = JsonResponse::builder()
            .params(strict.clone())
            .build(&[f64::NAN]);
        assert!(matches!(list, Err(JsonResponseError::NotSafe)));
        let object = JsonResponse::builder()
            .params(strict)
            .build(&BTreeMap::from([("x", f64::NAN)]));
        match object {
            Err(JsonResponseError::Serialize(e)) => {
                assert_eq!(
                    e.to_string(),
                    "Out of range float values are not JSON compliant"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    /// A value whose `Serialize` impl builds a JsonResponse of its own, while the outer one is
    /// being written into the thread's scratch buffer.
    struct Nested(usize);

    impl Serialize for Nested {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let inner = JsonResponse::new(&BTreeMap::from([("x", "é".repeat(self.0))]))
                .map_err(serde::ser::Error::custom)?;
            let text = String::from_utf8_lossy(inner.content().unwrap_or_default()).into_owned();
            serializer.serialize_str(&text)
        }
    }

    #[test]
    fn documents_small_large_and_nested() {
        for n in [0, 1, 100, 20_000] {
            let value = BTreeMap::from([("inner", Nested(n)), ("again", Nested(n))]);
            let body = JsonResponse::new(&value).unwrap();
            let inner = dumps(
                &BTreeMap::from([("x", "é".repeat(n))]),
                &JsonDumpsParams::default(),
            )
            .unwrap();
            let expected = dumps(
                &BTreeMap::from([("inner", &inner), ("again", &inner)]),
                &JsonDumpsParams::default(),
            )
            .unwrap();
            assert_eq!(body.content().unwrap(), expected.as_bytes(), "{n}");
        }
        // After a document over the scratch limit, small ones are still written correctly.
        let small = JsonResponse::new(&BTreeMap::from([("a", 1)])).unwrap();
        assert_eq!(small.content().unwrap(), br#"{"a": 1}"#);
    }

    /// A value serde serializes with `serialize_bytes`.
    fn serde_bytes_like() -> Bytes {
        Bytes(vec![1, 2])
    }

    struct Bytes(Vec<u8>);

    impl Serialize for Bytes {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_bytes(&self.0)
        }
    }
}

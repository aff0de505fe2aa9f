//! The equivalent of `django/http/`: requests, responses, QueryDict, cookies.

pub mod accept;
pub mod body;
pub mod cookie;
pub mod host;
pub mod multipart;
pub mod query_dict;
pub mod reason;
pub mod request;
pub mod response;

pub use self::body::{RequestBody, ResponseBody};
pub use self::query_dict::QueryDict;
pub use self::request::HttpRequest;
pub use self::response::{HttpResponse, JsonResponse};

/// Header bytes as Latin-1 text, the way WSGI presents header values to Django.
pub(crate) fn latin1(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(ascii) if bytes.is_ascii() => std::borrow::Cow::Borrowed(ascii),
        _ => std::borrow::Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

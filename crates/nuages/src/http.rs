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

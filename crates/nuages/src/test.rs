//! The equivalent of `django/test/client.py`: [`RequestFactory`] (a request, no middleware) and
//! [`Client`] (the whole application in-process, with cookies kept across requests), plus
//! [`TestServer`] to run the real server on a free port for socket tests.

mod client;
mod factory;
mod server;

pub use self::client::{
    encode_multipart, Client, MultipartFile, RequestBuilder, TestResponse, BOUNDARY,
    MULTIPART_CONTENT,
};
pub use self::factory::{FactoryRequest, RequestFactory};
pub use self::server::TestServer;

//! `RequestFactory`: builds [`HttpRequest`]s directly.

use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Method};

use crate::conf::Settings;
use crate::http::body::RequestBody;
use crate::http::request::ServerInfo;
use crate::HttpRequest;

/// Builds requests for unit-testing views without middleware (Django's `RequestFactory`).
/// Its default settings allow the host `testserver` (the SERVER_NAME used when no Host header is
/// given) and have DEBUG off.
///
/// # Examples
/// ```
/// let req = nuages::test::RequestFactory::new().post("/submit", "a=1").content_type("application/x-www-form-urlencoded").build();
/// assert_eq!(req.method(), "POST");
/// assert_eq!(req.content_type(), "application/x-www-form-urlencoded");
/// ```
#[derive(Debug, Clone)]
pub struct RequestFactory {
    settings: Arc<Settings>,
}

impl Default for RequestFactory {
    fn default() -> Self {
        RequestFactory::new()
    }
}

impl RequestFactory {
    /// A factory with test settings (ALLOWED_HOSTS = `testserver`, a test SECRET_KEY).
    pub fn new() -> Self {
        RequestFactory::with_settings(Settings {
            allowed_hosts: vec!["testserver".into()],
            secret_key: "nuages-test-secret-key".into(),
            ..Settings::default()
        })
    }

    /// A factory using `settings`.
    pub fn with_settings(settings: Settings) -> Self {
        RequestFactory {
            settings: Arc::new(settings),
        }
    }

    /// A request with any method.
    pub fn request(&self, method: Method, uri: &str) -> FactoryRequest {
        FactoryRequest {
            settings: Arc::clone(&self.settings),
            builder: http::Request::builder().method(method).uri(uri),
            body: Bytes::new(),
            secure: false,
            server: None,
        }
    }

    /// A GET request.
    pub fn get(&self, uri: &str) -> FactoryRequest {
        self.request(Method::GET, uri)
    }

    /// A POST request with a raw body.
    pub fn post(&self, uri: &str, body: impl Into<Bytes>) -> FactoryRequest {
        let mut r = self.request(Method::POST, uri);
        r.body = body.into();
        r
    }
}

/// A request being built by a [`RequestFactory`].
#[derive(Debug)]
pub struct FactoryRequest {
    settings: Arc<Settings>,
    builder: http::request::Builder,
    body: Bytes,
    secure: bool,
    server: Option<(String, String)>,
}

impl FactoryRequest {
    /// Adds a header.
    ///
    /// # Panics
    /// If the name or value is not valid in HTTP.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("valid header name");
        let value = HeaderValue::from_str(value).expect("valid header value");
        self.builder = self.builder.header(name, value);
        self
    }

    /// Adds a header with raw bytes as its value (bytes beyond ASCII reach `request.META` as
    /// Latin-1, as from a WSGI server).
    ///
    /// # Panics
    /// If the name or value is not valid in HTTP.
    ///
    /// # Examples
    /// ```
    /// let req = nuages::test::RequestFactory::new().get("/").header_bytes("X-Name", b"caf\xe9").build();
    /// assert_eq!(req.meta().get("HTTP_X_NAME"), Some("caf\u{e9}"));
    /// ```
    pub fn header_bytes(mut self, name: &str, value: &[u8]) -> Self {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("valid header name");
        let value = HeaderValue::from_bytes(value).expect("valid header value");
        self.builder = self.builder.header(name, value);
        self
    }

    /// Sets the Content-Type.
    pub fn content_type(self, ct: &str) -> Self {
        self.header("content-type", ct)
    }

    /// Simulates an HTTPS request (`secure=True`).
    pub fn secure(mut self, on: bool) -> Self {
        self.secure = on;
        self
    }

    /// Sets `SERVER_NAME` and `SERVER_PORT` (default `testserver` and 80, or 443 when
    /// [`FactoryRequest::secure`]), like the `SERVER_NAME=…, SERVER_PORT=…` extras of Django's
    /// `RequestFactory`. They make the host when the request has no `Host` header.
    ///
    /// # Examples
    /// ```
    /// let req = nuages::test::RequestFactory::new().get("/").server("testserver", "8080").build();
    /// assert_eq!(req.meta().get("SERVER_PORT"), Some("8080"));
    /// assert_eq!(req.get_host().unwrap(), "testserver:8080");
    /// ```
    pub fn server(mut self, name: &str, port: &str) -> Self {
        self.server = Some((name.to_owned(), port.to_owned()));
        self
    }

    /// Builds the request.
    ///
    /// # Panics
    /// If the URI is invalid.
    pub fn build(self) -> HttpRequest {
        let len = self.body.len();
        let mut builder = self.builder;
        if len > 0 {
            builder = builder.header(http::header::CONTENT_LENGTH, len);
        }
        let (parts, ()) = builder.body(()).expect("valid request").into_parts();
        let mut req = HttpRequest::from_parts(parts, RequestBody::from(self.body), self.settings);
        req.set_remote_addr(Some(([127, 0, 0, 1], 0).into()));
        let (name, port) = match self.server {
            Some((name, port)) => (name.into(), port.into()),
            None => (
                "testserver".into(),
                if self.secure { "443" } else { "80" }.into(),
            ),
        };
        req.set_server(std::sync::Arc::new(ServerInfo {
            name,
            port,
            tls: self.secure,
        }));
        req
    }
}

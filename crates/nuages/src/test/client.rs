//! The in-process test `Client`.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use indexmap::IndexMap;

use crate::http::body::RequestBody;
use crate::http::request::ServerInfo;
use crate::App;

/// The multipart boundary of [`RequestBuilder::multipart`]: Django's test client's `BOUNDARY`.
pub const BOUNDARY: &str = "BoUnDaRyStRiNg";

/// The Content-Type of [`RequestBuilder::multipart`] bodies: Django's `MULTIPART_CONTENT`.
pub const MULTIPART_CONTENT: &str = "multipart/form-data; boundary=BoUnDaRyStRiNg";

/// One file of a multipart body: `(field name, file name, content type, content)`. An empty
/// content type is guessed from the file name (`application/octet-stream` if unknown) and an
/// empty file name becomes the field name, as Django's `encode_file` does.
pub type MultipartFile<'a> = (&'a str, &'a str, &'a str, &'a [u8]);

/// Django's `encode_multipart(boundary, data)` (django/test/client.py): the fields, then the
/// files, each part `--boundary`, its `Content-Disposition` (and `Content-Type` for a file), a
/// blank line and the value, lines joined by CRLF and closed by `--boundary--` and a CRLF.
///
/// # Examples
/// ```
/// use nuages::test::encode_multipart;
/// let body = encode_multipart("B", &[("a", "1")], &[("f", "x.txt", "", b"hi")]);
/// assert_eq!(
///     &body[..],
///     &b"--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n\
///        --B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n\
///        Content-Type: text/plain\r\n\r\nhi\r\n--B--\r\n"[..]
/// );
/// ```
pub fn encode_multipart(
    boundary: &str,
    fields: &[(&str, &str)],
    files: &[MultipartFile<'_>],
) -> Bytes {
    let mut out = Vec::new();
    for (name, value) in fields {
        out.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n")
                .as_bytes(),
        );
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    for (name, filename, content_type, content) in files {
        // Django sends `os.path.basename(file.name)`.
        let base = filename.rsplit('/').next().unwrap_or(filename);
        let content_type = match *content_type {
            "" => mime_guess::from_path(base)
                .first_raw()
                .unwrap_or("application/octet-stream"),
            ct => ct,
        };
        let base = if base.is_empty() { *name } else { base };
        out.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                 filename=\"{base}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        out.extend_from_slice(content);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Bytes::from(out)
}

/// Drives an [`App`] in-process, with no socket, through the full middleware stack, keeping
/// cookies across requests like Django's test `Client`.
///
/// # Examples
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
/// async fn hi(req: HttpRequest) -> HttpResponse {
///     HttpResponse::new(format!("hi {}", req.query().unwrap().get("n").unwrap_or("?")))
/// }
/// let app = App::builder().settings(Settings { debug: true, ..Settings::default() })
///     .urls(vec![path("hi", hi)]).build().unwrap();
/// let client = nuages::test::Client::new(app);
/// let resp = client.get("/hi").query(&[("n", "5")]).send().await;
/// assert_eq!(resp.status(), 200);
/// assert_eq!(resp.text(), "hi 5");
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    app: App,
    cookies: Arc<Mutex<IndexMap<String, String>>>,
    defaults: HeaderMap,
    content_removal: bool,
}

impl Client {
    /// A client for `app`.
    pub fn new(app: App) -> Self {
        Client {
            app,
            cookies: Arc::default(),
            defaults: HeaderMap::new(),
            content_removal: true,
        }
    }

    /// Whether the body of HEAD, 1xx, 204 and 304 responses is dropped, as Django's test
    /// client's `conditional_content_removal` drops it (and a server does): on by default.
    /// Off, responses are exactly what the application produced, as Django's
    /// `RequestFactory` and a direct call of the handler give them (to compare with vectors
    /// recorded that way).
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
    /// async fn page(_req: HttpRequest) -> HttpResponse { HttpResponse::new("body") }
    /// let app = App::builder().settings(Settings { debug: true, ..Settings::default() })
    ///     .urls(vec![path("page", page)]).build().unwrap();
    /// let client = nuages::test::Client::new(app);
    /// assert_eq!(client.head("/page").send().await.content(), b"");
    /// let raw = client.clone().conditional_content_removal(false);
    /// assert_eq!(raw.head("/page").send().await.content(), b"body");
    /// # });
    /// ```
    pub fn conditional_content_removal(mut self, on: bool) -> Self {
        self.content_removal = on;
        self
    }

    /// A header sent with every request.
    ///
    /// # Panics
    /// If the name or value is not valid in HTTP.
    pub fn default_header(mut self, name: &str, value: &str) -> Self {
        self.defaults.append(
            HeaderName::from_bytes(name.as_bytes()).expect("valid header name"),
            HeaderValue::from_str(value).expect("valid header value"),
        );
        self
    }

    /// The cookies the client holds.
    pub fn cookies(&self) -> IndexMap<String, String> {
        self.cookies.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// Sets a cookie sent with later requests.
    pub fn set_cookie(&self, name: &str, value: &str) {
        if let Ok(mut c) = self.cookies.lock() {
            c.insert(name.to_owned(), value.to_owned());
        }
    }

    /// A request with any method.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        RequestBuilder {
            client: self.clone(),
            method,
            path: path.to_owned(),
            query: None,
            headers: self.defaults.clone(),
            body: Bytes::new(),
            secure: false,
        }
    }

    /// GET.
    pub fn get(&self, path: &str) -> RequestBuilder {
        self.request(Method::GET, path)
    }
    /// POST.
    pub fn post(&self, path: &str) -> RequestBuilder {
        self.request(Method::POST, path)
    }
    /// PUT.
    pub fn put(&self, path: &str) -> RequestBuilder {
        self.request(Method::PUT, path)
    }
    /// PATCH.
    pub fn patch(&self, path: &str) -> RequestBuilder {
        self.request(Method::PATCH, path)
    }
    /// DELETE.
    pub fn delete(&self, path: &str) -> RequestBuilder {
        self.request(Method::DELETE, path)
    }
    /// HEAD.
    pub fn head(&self, path: &str) -> RequestBuilder {
        self.request(Method::HEAD, path)
    }
    /// OPTIONS.
    pub fn options(&self, path: &str) -> RequestBuilder {
        self.request(Method::OPTIONS, path)
    }
}

/// A request being prepared by a [`Client`].
#[derive(Debug)]
pub struct RequestBuilder {
    client: Client,
    method: Method,
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    body: Bytes,
    secure: bool,
}

impl RequestBuilder {
    /// Appends query parameters (urlencoded).
    pub fn query(mut self, pairs: &[(&str, &str)]) -> Self {
        let encoded = nuages_py::urllib_parse::urlencode(pairs.iter().copied());
        self.query = Some(match self.query.take().filter(|q| !q.is_empty()) {
            Some(q) => format!("{q}&{encoded}"),
            None => encoded,
        });
        self
    }

    /// Adds a header.
    ///
    /// # Panics
    /// If the name or value is not valid in HTTP.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.append(
            HeaderName::from_bytes(name.as_bytes()).expect("valid header name"),
            HeaderValue::from_str(value).expect("valid header value"),
        );
        self
    }

    /// A urlencoded form body.
    pub fn form(mut self, pairs: &[(&str, &str)]) -> Self {
        self.body = Bytes::from(nuages_py::urllib_parse::urlencode(pairs.iter().copied()));
        self.content_type("application/x-www-form-urlencoded")
    }

    /// A JSON body.
    pub fn json(mut self, value: &serde_json::Value) -> Self {
        self.body = Bytes::from(value.to_string());
        self.content_type("application/json")
    }

    /// A `multipart/form-data` body, as Django's `client.post(path, {"name": "x", "file": fp})`
    /// encodes it ([`encode_multipart`] with [`BOUNDARY`]): the fields, then the files.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use nuages::{urls::path, App, HttpRequest, HttpResponse, Result, Settings};
    /// async fn up(req: HttpRequest) -> Result<HttpResponse> {
    ///     let files = req.files().await?;
    ///     let f = files.get("file").expect("a file");
    ///     let title = req.form().await?.get("title").unwrap_or("").to_owned();
    ///     Ok(HttpResponse::new(format!("{title}: {} ({} bytes)", f.name(), f.size())))
    /// }
    /// let app = App::builder().settings(Settings { debug: true, ..Settings::default() })
    ///     .urls(vec![path("up", up)]).build().unwrap();
    /// let client = nuages::test::Client::new(app);
    /// let resp = client.post("/up")
    ///     .multipart(&[("title", "notes")], &[("file", "a.txt", "text/plain", b"hello")])
    ///     .send().await;
    /// assert_eq!(resp.text(), "notes: a.txt (5 bytes)");
    /// # });
    /// ```
    pub fn multipart(mut self, fields: &[(&str, &str)], files: &[MultipartFile<'_>]) -> Self {
        self.body = encode_multipart(BOUNDARY, fields, files);
        self.content_type(MULTIPART_CONTENT)
    }

    /// A raw body.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// Sets the Content-Type.
    pub fn content_type(mut self, ct: &str) -> Self {
        self.headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_str(ct).expect("valid content type"),
        );
        self
    }

    /// Simulates HTTPS (`secure=True`).
    pub fn secure(mut self, on: bool) -> Self {
        self.secure = on;
        self
    }

    /// Sends the request through the application.
    ///
    /// # Panics
    /// If the path is not a valid URI.
    pub async fn send(self) -> TestResponse {
        let RequestBuilder {
            client,
            method,
            path,
            query,
            mut headers,
            body,
            secure,
        } = self;
        let uri = match query {
            Some(q) if path.contains('?') => format!("{path}&{q}"),
            Some(q) => format!("{path}?{q}"),
            None => path,
        };
        if !headers.contains_key(http::header::COOKIE) {
            let jar = client.cookies();
            if !jar.is_empty() {
                let cookie = jar
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("; ");
                if let Ok(v) = HeaderValue::from_str(&cookie) {
                    headers.insert(http::header::COOKIE, v);
                }
            }
        }
        if !body.is_empty() {
            headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from(body.len()));
        }
        let is_head = method == Method::HEAD;
        let mut req = http::Request::builder()
            .method(method)
            .uri(uri.as_str())
            .body(())
            .expect("valid request");
        *req.headers_mut() = headers;
        let (parts, ()) = req.into_parts();
        let mut request = client.app.request(parts, RequestBody::from(body));
        request.set_remote_addr(Some(([127, 0, 0, 1], 0).into()));
        request.set_server(std::sync::Arc::new(ServerInfo {
            name: "testserver".into(),
            port: if secure { "443".into() } else { "80".into() },
            tls: secure,
        }));
        let response = client.app.handle(request).await.into_http();
        let (parts, body) = response.into_parts();
        let mut body = body.collect_bytes().await.unwrap_or_default();
        // Django's `conditional_content_removal`: no body for 1xx, 204, 304 or HEAD, as a
        // server sends none (the headers, Content-Length included, are kept).
        let status = parts.status;
        if client.content_removal
            && (is_head
                || status.is_informational()
                || status == StatusCode::NO_CONTENT
                || status == StatusCode::NOT_MODIFIED)
        {
            body = Bytes::new();
        }
        let set_cookies: Vec<String> = parts
            .headers
            .get_all(http::header::SET_COOKIE)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        if let Ok(mut jar) = client.cookies.lock() {
            for sc in &set_cookies {
                let first = sc.split(';').next().unwrap_or("");
                if let Some((k, v)) = first.split_once('=') {
                    let expired =
                        sc.contains("Max-Age=0") || sc.contains("expires=Thu, 01 Jan 1970");
                    if expired {
                        jar.shift_remove(k.trim());
                    } else {
                        jar.insert(k.trim().to_owned(), v.to_owned());
                    }
                }
            }
        }
        TestResponse {
            status: parts.status,
            headers: parts.headers,
            set_cookies,
            body,
        }
    }
}

/// A response received by the test [`Client`].
#[derive(Debug, Clone)]
pub struct TestResponse {
    status: StatusCode,
    headers: HeaderMap,
    set_cookies: Vec<String>,
    body: Bytes,
}

impl TestResponse {
    /// The status code.
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `Set-Cookie` header values.
    pub fn set_cookies(&self) -> &[String] {
        &self.set_cookies
    }

    /// The body.
    pub fn content(&self) -> &[u8] {
        &self.body
    }

    /// The body as text (lossy UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON.
    ///
    /// # Errors
    /// Invalid JSON.
    pub fn json(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

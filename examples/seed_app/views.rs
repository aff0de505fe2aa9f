//! The views of the seed application (reference-django/app/views.py).

use std::borrow::Cow;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use chrono::{NaiveDateTime, Utc};
use http::header::{HeaderValue, CONTENT_TYPE};
use http::{Method, StatusCode};
use md5::{Digest, Md5};
use nuages::http::cookie::SetCookie;
use nuages::http::response::FileResponse;
use nuages::sessions::{RequestSessionExt, Session};
use nuages::shortcuts::render;
use nuages::signing::Signer;
use nuages::template::{Context, Value};
use nuages::views::decorators::csrf::csrf_exempt;
use nuages::views::generic::{list, MultipleObjectMixin, TemplateResponseMixin, View};
use nuages::views::static_files::serve;
use nuages::views::{IntoViewFn, ViewFn};
use nuages::{Error, HttpRequest, HttpResponse, JsonResponse, Result};
use serde_json::json;

use super::base_dir;

const TEXT: &str = "text/plain";

/// Writes the generated data files that are not committed (`data/files/big.txt`, 5 MiB).
pub fn ensure_data_files() -> std::io::Result<()> {
    let path = base_dir().join("data/files/big.txt");
    if path
        .metadata()
        .map(|m| m.len() == 5 * 1024 * 1024)
        .unwrap_or(false)
    {
        return Ok(());
    }
    let mut out = Vec::with_capacity(5 * 1024 * 1024 + 100);
    let mut i = 0;
    while out.len() < 5 * 1024 * 1024 {
        out.extend_from_slice(
            format!("line {i:07}: the quick brown fox jumps over the lazy dog 0123456789\n")
                .as_bytes(),
        );
        i += 1;
    }
    out.truncate(5 * 1024 * 1024);
    std::fs::write(path, out)
}

// --- Plain text HttpResponse ---------------------------------------------------

pub async fn hello(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("Hello there!").with_content_type(TEXT)
}

pub async fn hello_write(_req: HttpRequest) -> Result<HttpResponse> {
    let mut r = HttpResponse::new("").with_content_type(TEXT);
    r.write("Ahoy!")?;
    Ok(r)
}

pub async fn hello_get_only(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("Hello there!").with_content_type(TEXT)
}

pub async fn status(_req: HttpRequest) -> HttpResponse {
    HttpResponse::empty()
}

// --- Query and path parameters -------------------------------------------------

pub async fn params(req: HttpRequest) -> Result<HttpResponse> {
    Ok(JsonResponse::object(req.query()?.dict()))
}

pub async fn home(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("Home page.").with_content_type(TEXT)
}

pub async fn hello_url(_req: HttpRequest, name: String) -> HttpResponse {
    HttpResponse::new(format!("hello {name}"))
}

pub async fn random_vals(_req: HttpRequest, n: u64) -> Result<HttpResponse> {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    let mut vals = serde_json::Map::new();
    for e in 1..=n {
        vals.insert(e.to_string(), json!(rng.gen_range(-100..=100)));
    }
    Ok(JsonResponse::value(json!({ "vals": vals })))
}

// --- JsonResponse ----------------------------------------------------------------

pub async fn user_data(_req: HttpRequest) -> Result<HttpResponse> {
    Ok(JsonResponse::value(
        json!({"name": "John Doe", "age": 30, "email": "john@example.com"}),
    ))
}

pub async fn users_list(_req: HttpRequest) -> Result<HttpResponse> {
    let users =
        json!([{"id": 1, "name": "John"}, {"id": 2, "name": "Jane"}, {"id": 3, "name": "Bob"}]);
    Ok(JsonResponse::builder().safe(false).build(&users)?)
}

pub async fn timestamp_data(_req: HttpRequest) -> Result<HttpResponse> {
    #[derive(serde::Serialize)]
    struct Data {
        #[serde(with = "nuages::core::serializers::json::naive_datetime")]
        timestamp: NaiveDateTime,
        message: &'static str,
    }
    Ok(JsonResponse::new(&Data {
        timestamp: Utc::now().naive_utc(),
        message: "Hello",
    })?)
}

// --- Headers ---------------------------------------------------------------------

pub async fn show_headers(req: HttpRequest) -> HttpResponse {
    let meta = req.meta();
    let ua = meta.get("HTTP_USER_AGENT").unwrap_or("Unknown");
    let ct = meta.get("CONTENT_TYPE").unwrap_or("Unknown");
    HttpResponse::new(format!("User-Agent: {ua}\nContent-Type: {ct}"))
}

pub async fn custom_headers(_req: HttpRequest) -> Result<HttpResponse> {
    let mut r = HttpResponse::new("Content with custom headers");
    r.set_header("X-Custom-Header", "MyValue")?;
    r.set_header("Cache-Control", "no-cache")?;
    Ok(r)
}

// --- Cookies ---------------------------------------------------------------------

pub async fn set_cookie(_req: HttpRequest) -> Result<HttpResponse> {
    let mut r = HttpResponse::new("Cookie has been set");
    r.set_cookie(SetCookie::new("username", "john_doe").max_age(3600))?;
    Ok(r)
}

pub async fn read_cookie(req: HttpRequest) -> HttpResponse {
    let username = req.cookie("username").unwrap_or("Guest");
    HttpResponse::new(format!("Hello, {username}!"))
}

pub async fn delete_cookie(_req: HttpRequest) -> Result<HttpResponse> {
    let mut r = HttpResponse::new("Cookie has been deleted");
    r.delete_cookie("username")?;
    Ok(r)
}

// --- POST data -------------------------------------------------------------------

pub async fn process_form(req: HttpRequest) -> Result<HttpResponse> {
    if req.method() == Method::POST {
        let post = req.form().await?;
        let name = post.get("name").unwrap_or("").to_owned();
        let email = post.get("email").unwrap_or("").to_owned();
        return Ok(JsonResponse::value(
            json!({"status": "success", "name": name, "email": email}),
        ));
    }
    Ok(HttpResponse::new("Send POST request"))
}

pub async fn process_json(req: HttpRequest) -> Result<HttpResponse> {
    use nuages::py::json::{dumps, loads, JsonDumpsParams, LoadsError};
    if req.method() == Method::POST {
        let body = req.body().await?.clone();
        return match loads(&body) {
            Ok(data) => {
                if !data.is_object() {
                    // `data.get('name', '')` on a non-dict raises AttributeError in the reference.
                    return Err(Error::msg("the JSON document is not an object"));
                }
                let received = dumps(&data, &JsonDumpsParams::default())?;
                let mut r = HttpResponse::new(format!(
                    "{{\"status\": \"success\", \"received\": {received}}}"
                ));
                r.headers_mut()
                    .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                Ok(r)
            }
            Err(LoadsError::Decode(_)) => Ok(JsonResponse::builder()
                .status(StatusCode::BAD_REQUEST)
                .build(&json!({"error": "Invalid JSON"}))?),
            Err(e) => Err(Error::msg(e.to_string())),
        };
    }
    Ok(JsonResponse::builder()
        .status(StatusCode::METHOD_NOT_ALLOWED)
        .build(&json!({"error": "POST required"}))?)
}

pub async fn upload_file(req: HttpRequest) -> Result<HttpResponse> {
    if req.method() == Method::POST {
        if let Some(file) = req.files().await?.get("file") {
            // DEVIATION (as the reference): written to a private temp dir, not /tmp/<name>.
            let dir = std::env::temp_dir().join("nuages-seed-uploads");
            tokio::fs::create_dir_all(&dir).await?;
            let mut out = tokio::fs::File::create(dir.join(file.name())).await?;
            let mut chunks = std::pin::pin!(file.chunks());
            while let Some(chunk) = futures_util::StreamExt::next(&mut chunks).await {
                tokio::io::AsyncWriteExt::write_all(&mut out, &chunk?).await?;
            }
            // tokio's File writes in the background: without a flush the last write may land
            // after the answer (or fail unseen), where Django's `with open(...)` has closed it.
            tokio::io::AsyncWriteExt::flush(&mut out).await?;
            return Ok(HttpResponse::new(format!(
                "File {} uploaded successfully",
                file.name()
            )));
        }
    }
    Ok(HttpResponse::new("Upload a file via POST named \"file\""))
}

// --- Downloads ---------------------------------------------------------------------

pub async fn download_file(_req: HttpRequest, filename: String) -> Result<HttpResponse> {
    let path = base_dir().join("data/files").join(&filename);
    if filename.contains('/') || !path.is_file() {
        return Ok(HttpResponse::not_found("File not found"));
    }
    let mut r = FileResponse::new().open(&path).await?;
    r.set_header(
        "Content-Disposition",
        &format!("attachment; filename=\"{filename}\""),
    )?;
    Ok(r)
}

pub async fn download_csv(_req: HttpRequest) -> HttpResponse {
    let rows = [
        "Name,Age,Email\r\n",
        "John,30,john@example.com\r\n",
        "Jane,25,jane@example.com\r\n",
    ];
    let mut r =
        HttpResponse::streaming_iter(rows.into_iter().map(|s| Bytes::from_static(s.as_bytes())));
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/csv"));
    r.headers_mut().insert(
        http::header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"data.csv\""),
    );
    r
}

// --- Redirects ---------------------------------------------------------------------

pub async fn old_view(_req: HttpRequest) -> Result<HttpResponse> {
    Ok(HttpResponse::redirect("/new-url/")?)
}

pub async fn redirect_view(req: HttpRequest) -> Result<HttpResponse> {
    nuages::shortcuts::redirect(&req, "hello")
}

pub async fn old_page(_req: HttpRequest) -> Result<HttpResponse> {
    Ok(HttpResponse::permanent_redirect("/new-page/")?)
}

// --- Status codes ------------------------------------------------------------------

pub async fn not_found(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("Resource not found").with_status(StatusCode::NOT_FOUND)
}

pub async fn server_error(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("Internal server error").with_status(StatusCode::INTERNAL_SERVER_ERROR)
}

pub async fn created(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("Resource created").with_status(StatusCode::CREATED)
}

// --- Request metadata ----------------------------------------------------------------

pub async fn get_client_ip(req: HttpRequest) -> HttpResponse {
    let meta = req.meta();
    let ip = match meta.get("HTTP_X_FORWARDED_FOR").filter(|v| !v.is_empty()) {
        Some(xff) => xff.split(',').next().unwrap_or("").to_owned(),
        None => meta.get("REMOTE_ADDR").unwrap_or("None").to_owned(),
    };
    HttpResponse::new(format!("Your IP address is: {ip}"))
}

pub async fn request_info(req: HttpRequest) -> Result<HttpResponse> {
    let info = json!({
        "method": req.method().as_str(),
        "path": req.path(),
        "scheme": req.scheme(),
        "is_secure": req.is_secure(),
        "is_ajax": req.header("X-Requested-With").as_deref() == Some("XMLHttpRequest"),
        "content_type": req.content_type(),
    });
    Ok(JsonResponse::new(&info)?)
}

// --- Sessions ------------------------------------------------------------------------

fn request_session(req: &HttpRequest) -> Result<&Session> {
    req.session()
        .ok_or_else(|| Error::msg("SessionMiddleware is not installed"))
}

/// Python's `str()` of a session value, as the f-string in get_session shows it.
fn py_str(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "None".to_owned(),
        serde_json::Value::Bool(true) => "True".to_owned(),
        serde_json::Value::Bool(false) => "False".to_owned(),
        other => other.to_string(),
    }
}

pub async fn set_session(req: HttpRequest) -> Result<HttpResponse> {
    let mut session = request_session(&req)?.load().await?;
    session.insert("username", "john_doe");
    let visit_count = session.get::<i64>("visit_count")?.unwrap_or(0) + 1;
    session.insert("visit_count", visit_count);
    Ok(HttpResponse::new("Session data set"))
}

pub async fn get_session(req: HttpRequest) -> Result<HttpResponse> {
    let session = request_session(&req)?.load().await?;
    let username = session
        .get_value("username")
        .map_or_else(|| "Guest".to_owned(), py_str);
    let visit_count = session
        .get_value("visit_count")
        .map_or_else(|| "0".to_owned(), py_str);
    Ok(HttpResponse::new(format!(
        "Hello {username}! Visits: {visit_count}"
    )))
}

// --- Content negotiation / caching ---------------------------------------------------

pub async fn content_negotiation(req: HttpRequest) -> Result<HttpResponse> {
    let accept = req.meta().get("HTTP_ACCEPT").unwrap_or("");
    if accept.contains("application/json") {
        return Ok(JsonResponse::value(
            json!({"message": "Hello", "status": "ok"}),
        ));
    }
    Ok(HttpResponse::new("Message: Hello").with_content_type(TEXT))
}

pub async fn etag_example(req: HttpRequest) -> Result<HttpResponse> {
    let content = "some content that might change";
    let etag = hex(&Md5::digest(content.as_bytes()));
    if req.header("If-None-Match").as_deref() == Some(etag.as_str()) {
        return Ok(HttpResponse::empty().with_status(StatusCode::NOT_MODIFIED));
    }
    let mut r = HttpResponse::new(content);
    r.set_header("ETag", &etag)?;
    Ok(r)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Python's `datetime.strptime(value, "%a, %d %b %Y %H:%M:%S %Z")` for the names Python accepts.
fn strptime_rfc1123(value: &str) -> Option<NaiveDateTime> {
    let (head, zone) = value.rsplit_once(' ')?;
    if !["GMT", "UTC"].iter().any(|z| z.eq_ignore_ascii_case(zone)) {
        return None;
    }
    let (wd, rest) = head.split_once(", ")?;
    let days = [
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    if !days.contains(&wd.to_ascii_lowercase().as_str()) {
        return None;
    }
    NaiveDateTime::parse_from_str(rest, "%d %b %Y %H:%M:%S").ok()
}

pub async fn last_modified_example(req: HttpRequest) -> Result<HttpResponse> {
    let last_modified = chrono::NaiveDate::from_ymd_opt(2023, 10, 26)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .ok_or_else(|| Error::msg("bad date"))?;
    if let Some(ims) = req.header("If-Modified-Since") {
        let parsed = strptime_rfc1123(&ims).ok_or_else(|| {
            Error::msg(format!(
                "time data {ims:?} does not match format '%a, %d %b %Y %H:%M:%S %Z'"
            ))
        })?;
        if last_modified <= parsed {
            return Ok(HttpResponse::empty().with_status(StatusCode::NOT_MODIFIED));
        }
    }
    let mut r = HttpResponse::new(format!(
        "Content last modified at {}",
        last_modified.format("%Y-%m-%dT%H:%M:%S")
    ));
    r.set_header(
        "Last-Modified",
        &last_modified
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string(),
    )?;
    Ok(r)
}

/// `latest_entry`: `datetime.datetime.now()` (naive, in TIME_ZONE = UTC).
fn latest_entry(_req: &HttpRequest) -> Option<chrono::DateTime<Utc>> {
    Some(Utc::now())
}

/// `entry_etag`: `md5(str(latest_entry(request)).encode()).hexdigest()`, where Python's
/// `str(datetime)` is `YYYY-MM-DD HH:MM:SS[.ffffff]` (no fraction when microsecond is 0).
fn entry_etag(req: &HttpRequest) -> Option<String> {
    let now = latest_entry(req)?;
    let text = if now.timestamp_subsec_micros() == 0 {
        now.format("%Y-%m-%d %H:%M:%S").to_string()
    } else {
        format!(
            "{}.{:06}",
            now.format("%Y-%m-%d %H:%M:%S"),
            now.timestamp_subsec_micros()
        )
    };
    Some(format!("{:x}", Md5::digest(text.as_bytes())))
}

/// `@condition(etag_func=entry_etag, last_modified_func=latest_entry)` over a view returning
/// `Latest content`.
pub async fn conditional_view(req: HttpRequest) -> Result<HttpResponse> {
    static VIEW: std::sync::LazyLock<ViewFn> = std::sync::LazyLock::new(|| {
        nuages::views::decorators::http::condition(entry_etag, latest_entry, |_req| async {
            HttpResponse::new("Latest content")
        })
    });
    VIEW.call(req).await
}

pub async fn csp_view(_req: HttpRequest) -> Result<HttpResponse> {
    let mut r = HttpResponse::new("Content with CSP");
    r.set_header("Content-Security-Policy", "default-src 'self'")?;
    Ok(r)
}

// --- Basic auth ----------------------------------------------------------------------

/// A user-written decorator, as in the seed: an ordinary function wrapping a view.
pub fn basic_auth_required<M>(view: impl IntoViewFn<M>) -> ViewFn {
    view.into_view_fn().wrap(|req, inner| async move {
        if let Some(auth) = req.meta().get("HTTP_AUTHORIZATION") {
            let parts: Vec<&str> = auth.split_whitespace().collect();
            if parts.len() == 2 && parts[0].to_lowercase() == "basic" {
                let decoded = base64::engine::general_purpose::STANDARD.decode(parts[1])?;
                let text = String::from_utf8(decoded)?;
                let creds: Vec<&str> = text.split(':').collect();
                let [uname, passwd] = creds[..] else {
                    return Err(Error::msg("not enough values to unpack"));
                };
                if uname == "user" && passwd == "password" {
                    return inner.call(req).await;
                }
            }
        }
        let mut r = HttpResponse::empty().with_status(StatusCode::UNAUTHORIZED);
        r.set_header("WWW-Authenticate", "Basic realm=\"Restricted\"")?;
        Ok(r)
    })
}

pub async fn protected_view(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("This is a protected view.")
}

// --- Error handlers ------------------------------------------------------------------

/// `render(request, '404.html', status=404)`.
pub async fn custom_404(req: HttpRequest, _e: Error) -> Result<HttpResponse> {
    Ok(render(&req, "404.html", Context::new())?.with_status(StatusCode::NOT_FOUND))
}

/// `render(request, '500.html', status=500)`.
pub async fn custom_500(req: HttpRequest, _e: Error) -> Result<HttpResponse> {
    Ok(render(&req, "500.html", Context::new())?.with_status(StatusCode::INTERNAL_SERVER_ERROR))
}

// --- Signed cookies --------------------------------------------------------------------

pub async fn set_signed_cookie(req: HttpRequest) -> Result<HttpResponse> {
    let signer = Signer::new(&req.settings().secret_key);
    let mut r = HttpResponse::new("Signed cookie set.");
    r.set_cookie(SetCookie::new("signed_cookie", signer.sign("my_value")))?;
    Ok(r)
}

pub async fn read_signed_cookie(req: HttpRequest) -> HttpResponse {
    let signer = Signer::new(&req.settings().secret_key);
    match req.cookie("signed_cookie").map(|c| signer.unsign(c)) {
        Some(Ok(value)) => HttpResponse::new(format!("The value is {value}")),
        _ => HttpResponse::new("Invalid or missing signed cookie.")
            .with_status(StatusCode::BAD_REQUEST),
    }
}

// --- Class-based views -----------------------------------------------------------------

/// `MyView(View)` with `get` and `post`, csrf-exempt through `method_decorator` on `dispatch`
/// (as the reference).
#[derive(Debug)]
pub struct MyView;

#[nuages::views::view]
#[method_decorator(csrf_exempt, name = "dispatch")]
impl View for MyView {
    fn get(&self, _request: HttpRequest) -> HttpResponse {
        HttpResponse::new("This is a GET request.")
    }

    fn post(&self, _request: HttpRequest) -> HttpResponse {
        HttpResponse::new("This is a POST request.")
    }
}

/// One of the reference's `BOOKS`.
#[derive(Debug, Clone)]
pub struct Book {
    title: &'static str,
    publication_date: (i32, u32, u32, u32, u32, u32),
}

impl Book {
    fn publication_date(&self) -> NaiveDateTime {
        let (y, mo, d, h, mi, s) = self.publication_date;
        chrono::NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|d| d.and_hms_opt(h, mi, s))
            .unwrap_or_default()
    }
}

impl From<Book> for Value {
    fn from(book: Book) -> Value {
        Value::from_iter([
            ("title", Value::from(book.title)),
            ("publication_date", Value::from(book.publication_date())),
        ])
    }
}

/// DEVIATION (as the reference): a fixed in-memory list instead of a database model.
const BOOKS: [Book; 3] = [
    Book {
        title: "Django for Beginners",
        publication_date: (2021, 3, 14, 9, 30, 0),
    },
    Book {
        title: "Two Scoops of Django",
        publication_date: (2022, 11, 2, 18, 5, 7),
    },
    Book {
        title: "Rust & Web <Servers>",
        publication_date: (2019, 6, 1, 0, 0, 0),
    },
];

/// The seed's `BookListView(ListView)` over `BOOKS`, with its custom `head()`.
#[derive(Debug)]
pub struct BookListView;

impl MultipleObjectMixin for BookListView {
    type Object = Book;

    fn get_queryset(&self, _request: &HttpRequest) -> Result<Cow<'_, [Book]>> {
        Ok(Cow::Borrowed(&BOOKS))
    }
}

impl TemplateResponseMixin for BookListView {
    fn template_name(&self) -> Option<&str> {
        Some("book_list.html")
    }
}

#[nuages::views::view]
impl View for BookListView {
    fn get(&self, request: HttpRequest) -> Result<HttpResponse> {
        list::get(self, &request)
    }

    fn head(&self, request: HttpRequest) -> Result<HttpResponse> {
        let books = self.get_queryset(&request)?;
        let last_book = books
            .iter()
            .max_by_key(|b| b.publication_date())
            .ok_or_else(|| Error::msg("max() arg is an empty sequence"))?;
        // RFC 1123 date format.
        Ok(HttpResponse::empty().with_header(
            "Last-Modified",
            last_book
                .publication_date()
                .format("%a, %d %b %Y %H:%M:%S GMT")
                .to_string(),
        ))
    }
}

/// `AsyncView(View)` with an async `get`.
#[derive(Debug)]
pub struct AsyncView;

#[nuages::views::view]
impl View for AsyncView {
    async fn get(&self, _request: HttpRequest) -> HttpResponse {
        tokio::time::sleep(Duration::from_secs(1)).await;
        HttpResponse::new("Hello async world!")
    }
}

// --- Misc shortcuts ----------------------------------------------------------------------

pub async fn querydict_example(req: HttpRequest) -> Result<HttpResponse> {
    let lists: Vec<(String, Vec<String>)> = req
        .query()?
        .lists()
        .map(|(k, v)| (k.to_owned(), v.to_vec()))
        .collect();
    // Like the seed: JsonResponse refuses a non-dict with safe=True → 500.
    Ok(JsonResponse::new(&lists)?)
}

pub async fn querydict_dict(req: HttpRequest) -> Result<HttpResponse> {
    let map: serde_json::Map<String, serde_json::Value> = req
        .query()?
        .lists()
        .map(|(k, v)| (k.to_owned(), json!(v)))
        .collect();
    Ok(JsonResponse::new(&map)?)
}

pub async fn modern_header_access(req: HttpRequest) -> HttpResponse {
    let ua = req
        .header("User-Agent")
        .map(|v| v.into_owned())
        .unwrap_or_else(|| "Unknown".into());
    HttpResponse::new(format!("User-Agent: {ua}"))
}

pub async fn not_modified_view(_req: HttpRequest) -> HttpResponse {
    HttpResponse::not_modified()
}

pub async fn forbidden_view(_req: HttpRequest) -> HttpResponse {
    HttpResponse::forbidden("You are not allowed here.")
}

pub async fn bad_request_view(_req: HttpRequest) -> HttpResponse {
    HttpResponse::bad_request("This was a bad request.")
}

pub async fn gone_view(_req: HttpRequest) -> HttpResponse {
    HttpResponse::gone("This resource is gone.")
}

pub async fn async_view(_req: HttpRequest) -> HttpResponse {
    tokio::time::sleep(Duration::from_secs(1)).await;
    HttpResponse::new("This is an async view.")
}

pub async fn secure_view(_req: HttpRequest) -> HttpResponse {
    HttpResponse::new("Secure content").with_content_type(TEXT)
}

/// `django.views.static.serve` with `document_root` = `data/media/` (the reference's
/// `re_path(r'^media/(?P<path>.*)$', serve, {'document_root': settings.MEDIA_ROOT})`).
pub async fn media_serve(req: HttpRequest, path: String) -> Result<HttpResponse> {
    serve(&req, &path, &base_dir().join("data/media"), false).await
}

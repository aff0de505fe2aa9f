//! The equivalent of `django/views/debug.py`: the pages shown instead of the error handlers'
//! answers when DEBUG is on — [`technical_404_response`] and [`technical_500_response`] — and
//! [`SafeExceptionReporterFilter`], which decides what of the settings, `META` and cookies
//! they may show.
//!
//! The pages are built only when an error is answered with DEBUG on: nothing of them runs on
//! the request path, and with DEBUG off the error handlers (`handler404`, `handler500`, …)
//! answer as before. As in Django 6.0, the pages get no Content-Security-Policy headers.
//!
//! # The technical 404 page
//! The path, the view that raised the 404 ("Raised by") when the path resolved, else the URL
//! patterns tried, in order, each row followed by `[name='…']` when its last pattern has a
//! name (as `technical_404.html` shows them).
//!
//! # The technical 500 page
//! The error's kind and message, the request method and URL, the view that was running
//! ("Raised during"), the server time, the error's causes, the template error or the
//! template-loader postmortem, then Django's "Request information":
//!
//! * **GET**: each key of the query with its last value (Django's `request.GET.items()`);
//! * **POST** and **FILES**: the form fields (last value of each) and the uploaded files by
//!   field name, when the view or a middleware had parsed the body before the error; a POST
//!   body nobody read is said to be unavailable (the error page does not read it);
//! * **COOKIES**, in the order sent;
//! * **META**, sorted by key (`HTTP_USER_AGENT`, `CONTENT_TYPE`, `PATH_INFO`, `QUERY_STRING`,
//!   `REQUEST_METHOD`, `SERVER_NAME`, …);
//!
//! and **Settings**, sorted by name. Values are shown as Python's `pprint` shows strings
//! (`'value'`); settings as their `Debug` text ([`Settings::safe_items`]).
//!
//! # What is masked
//! As Django's `SafeExceptionReporterFilter.cleanse_setting`: the value of every setting,
//! `META` key and cookie whose name matches `API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE`
//! case-insensitively (so `SECRET_KEY`, `HTTP_AUTHORIZATION`, `HTTP_X_API_KEY`, `HTTP_COOKIE`,
//! the `csrftoken` cookie), or is SESSION_COOKIE_NAME (the session cookie), is replaced by
//! [`CLEANSED_SUBSTITUTE`] (20 stars). As in Django, GET and POST values are shown as sent:
//! with DEBUG on, Django's filter is not active for them.
//!
//! # Examples
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use nuages::test::Client;
//! use nuages::urls::path;
//! use nuages::{App, HttpRequest, HttpResponse, Result, Settings};
//!
//! async fn boom(_req: HttpRequest) -> Result<HttpResponse> {
//!     Err(std::io::Error::other("the disk is full").into())
//! }
//! let app = App::builder()
//!     .settings(Settings {
//!         debug: true,
//!         secret_key: "s3cr3t".into(),
//!         allowed_hosts: vec!["testserver".into()],
//!         ..Settings::default()
//!     })
//!     .urls([path("boom/", boom)])
//!     .build()
//!     .unwrap();
//! let r = Client::new(app)
//!     .get("/boom/?q=rust")
//!     .header("Authorization", "Bearer t0ken")
//!     .send()
//!     .await;
//! assert_eq!(r.status(), 500);
//! let page = r.text();
//! assert!(page.contains("the disk is full"));
//! assert!(page.contains("<td>q</td>") && page.contains("&#x27;rust&#x27;"));
//! assert!(page.contains("<td>HTTP_AUTHORIZATION</td>"));
//! assert!(!page.contains("t0ken") && !page.contains("s3cr3t"));
//! # });
//! ```

use std::borrow::Cow;
use std::sync::Arc;

use http::{Method, StatusCode};
use nuages_py::repr::str_repr;

use crate::conf::{is_sensitive, Settings, CLEANSED_SUBSTITUTE};
use crate::core::files::uploadedfile::UploadedFile;
use crate::http::host::raw_host;
use crate::http::multipart::Files;
use crate::http::query_dict::QueryDict;
use crate::template::TemplateError;
use crate::urls::{RequestUrlsExt, Resolver404};
use crate::views::decorators::csp::exempt_from_csp;
use crate::views::defaults::escape;
use crate::{Error, HttpRequest, HttpResponse};

/// Django's `SafeExceptionReporterFilter`: which values of the settings, of `META` and of the
/// cookies the DEBUG error page may show.
///
/// A value is hidden — shown as [`CLEANSED_SUBSTITUTE`] — when its name is SESSION_COOKIE_NAME
/// or matches Django 5.2's `hidden_settings`,
/// `API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE`, case-insensitively (`re.I`).
///
/// # Examples
/// ```
/// use nuages::test::RequestFactory;
/// use nuages::views::debug::SafeExceptionReporterFilter;
///
/// let settings = nuages::Settings::default();
/// let filter = SafeExceptionReporterFilter::new(&settings);
/// assert!(filter.is_hidden("secret_key") && filter.is_hidden("My_Api_Url"));
/// assert!(filter.is_hidden("sessionid")); // SESSION_COOKIE_NAME
/// assert!(!filter.is_hidden("DEBUG"));
///
/// let request = RequestFactory::new()
///     .get("/")
///     .header("Authorization", "Bearer t0ken")
///     .header("Cookie", "sessionid=abc; csrftoken=xyz; theme=dark")
///     .build();
/// let filter = SafeExceptionReporterFilter::new(request.settings());
/// let stars = SafeExceptionReporterFilter::CLEANSED_SUBSTITUTE;
/// assert!(filter.safe_request_meta(&request).contains(&("HTTP_AUTHORIZATION", stars)));
/// assert_eq!(
///     filter.safe_cookies(&request),
///     [("sessionid", stars), ("csrftoken", stars), ("theme", "dark")]
/// );
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SafeExceptionReporterFilter<'a> {
    settings: &'a Settings,
}

impl<'a> SafeExceptionReporterFilter<'a> {
    /// Django's `cleansed_substitute`: what a hidden value is shown as (20 stars).
    #[doc(alias = "cleansed_substitute")]
    pub const CLEANSED_SUBSTITUTE: &'static str = CLEANSED_SUBSTITUTE;

    /// The filter of an application with `settings` (for SESSION_COOKIE_NAME and the settings
    /// it shows).
    pub fn new(settings: &'a Settings) -> Self {
        SafeExceptionReporterFilter { settings }
    }

    /// Whether the value named `key` is hidden: `key` is SESSION_COOKIE_NAME, or contains one
    /// of the words of `hidden_settings`, ignoring case.
    #[doc(alias = "hidden_settings")]
    pub fn is_hidden(&self, key: &str) -> bool {
        key == self.settings.session_cookie_name || is_sensitive(key)
    }

    /// Django's `cleanse_setting(key, value)` for a text value: [`CLEANSED_SUBSTITUTE`] when
    /// [`is_hidden(key)`](Self::is_hidden), else `value`.
    #[doc(alias = "cleanse_setting")]
    pub fn cleanse<'v>(&self, key: &str, value: &'v str) -> &'v str {
        if self.is_hidden(key) {
            CLEANSED_SUBSTITUTE
        } else {
            value
        }
    }

    /// Django's `get_safe_settings()`: every setting as `(name, Debug text)`, hidden ones
    /// masked (see [`Settings::safe_items`]), sorted by name as the page shows them.
    #[doc(alias = "get_safe_settings")]
    pub fn safe_settings(&self) -> Vec<(&'static str, String)> {
        let mut items = self.settings.safe_items();
        for (name, text) in &mut items {
            if *name == self.settings.session_cookie_name {
                *text = CLEANSED_SUBSTITUTE.to_owned();
            }
        }
        items.sort_unstable_by_key(|(name, _)| *name);
        items
    }

    /// Django's `get_safe_request_meta(request)`: `request.META` with hidden values masked,
    /// sorted by key as the page shows it (`dictsort:0`).
    #[doc(alias = "get_safe_request_meta")]
    pub fn safe_request_meta<'r>(&self, request: &'r HttpRequest) -> Vec<(&'r str, &'r str)> {
        let mut meta: Vec<(&str, &str)> = request
            .meta()
            .iter()
            .map(|(key, value)| (key, self.cleanse(key, value)))
            .collect();
        meta.sort_unstable_by_key(|(key, _)| *key);
        meta
    }

    /// Django's `get_safe_cookies(request)`: `request.COOKIES` with hidden values masked, in
    /// the order sent.
    #[doc(alias = "get_safe_cookies")]
    pub fn safe_cookies<'r>(&self, request: &'r HttpRequest) -> Vec<(&'r str, &'r str)> {
        request
            .cookies()
            .iter()
            .map(|(name, value)| (name.as_str(), self.cleanse(name, value)))
            .collect()
    }
}

/// The footer of both pages.
fn explanation(page: &str) -> String {
    format!(
        "  <footer id=\"explanation\">\n    <p>You’re seeing this error because you have <code>DEBUG = True</code>. Change that to <code>False</code>, and nuages will display a standard {page}.</p>\n  </footer>\n"
    )
}

/// Django's `technical_404_response`: the DEBUG 404 page (see the [module docs](self)). It
/// gets no Content-Security-Policy headers.
pub fn technical_404_response(request: &HttpRequest, error: &Error) -> HttpResponse {
    let mut body = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>Page not found at ",
    );
    let path = escape(&request.path());
    body.push_str(&path);
    body.push_str("</title>\n</head>\n<body>\n  <h1>Page not found <span>(404)</span></h1>\n");
    let r404 = error.downcast_ref::<Resolver404>();
    // Django's `raising_view_name`: the view that raised Http404, when the path resolved.
    let raised_by = match request.resolver_match() {
        Some(m) if r404.is_none() => format!(
            "<tr><th>Raised by:</th><td>{}</td></tr>",
            escape(m.func().name())
        ),
        _ => String::new(),
    };
    body.push_str(&format!(
        "  <table><tr><th>Request Method:</th><td>{}</td></tr><tr><th>Request URL:</th><td>{}</td></tr>{raised_by}</table>\n",
        escape(request.method().as_str()),
        escape(&raw_insecure_uri(request))
    ));
    if let Some(r404) = r404 {
        body.push_str("  <p>Using the URLconf of this application, nuages tried these URL patterns, in this order:</p>\n  <ol>\n");
        for (i, row) in r404.tried.iter().enumerate() {
            body.push_str("    <li>");
            let name = r404.tried_names.get(i).and_then(Option::as_deref);
            for (j, pattern) in row.iter().enumerate() {
                if j > 0 {
                    body.push(' ');
                }
                body.push_str("<code>");
                body.push_str(&escape(pattern));
                // technical_404.html: `{% if forloop.last and pat.name %}[name='…']{% endif %}`
                // (the quotes are the template's own text, not escaped).
                if let Some(name) = name.filter(|n| !n.is_empty() && j + 1 == row.len()) {
                    body.push_str(&format!(" [name='{}']", escape(name)));
                }
                body.push_str("</code>");
            }
            body.push_str("</li>\n");
        }
        body.push_str("  </ol>\n");
        if r404.path.is_empty() {
            body.push_str("  <p>The empty path didn’t match any of these.</p>\n");
        } else {
            body.push_str(&format!(
                "  <p>The current path, <code>{}</code>, didn’t match any of these.</p>\n",
                escape(&r404.path)
            ));
        }
    } else {
        body.push_str(&format!("  <p>{}</p>\n", escape(&error.to_string())));
    }
    body.push_str(&explanation("404 page"));
    body.push_str("</body>\n</html>\n");
    let mut response = HttpResponse::not_found(body);
    exempt_from_csp(&mut response);
    response
}

/// The template part of the DEBUG error page (Django's "Template error" and "Template-loader
/// postmortem"): the template, the line and the cause, or the paths tried.
fn template_section(error: &Error) -> String {
    let Some(template_error) = error.downcast_ref::<TemplateError>() else {
        return String::new();
    };
    let mut out = String::new();
    if let Some(debug) = template_error.debug() {
        out.push_str(&format!(
            "  <h2>Template error</h2>\n  <p>In template <code>{}</code>, error at line {}</p>\n  <p class=\"message\">{}</p>\n  <table class=\"source\">\n",
            escape(debug.name.as_deref().unwrap_or("<unknown source>")),
            debug.line,
            escape(&debug.message),
        ));
        for (number, line) in &debug.source_lines {
            let class = if *number == debug.line {
                " class=\"error\""
            } else {
                ""
            };
            out.push_str(&format!(
                "    <tr{class}><th>{number}</th><td>{}</td></tr>\n",
                escape(line)
            ));
        }
        out.push_str("  </table>\n");
    }
    if let TemplateError::DoesNotExist(missing) = template_error {
        out.push_str("  <h2>Template-loader postmortem</h2>\n  <ul>\n");
        let engines = std::iter::once(missing).chain(missing.chain.iter());
        for e in engines {
            for tried in &e.tried {
                out.push_str(&format!(
                    "    <li><code>{}</code> ({})</li>\n",
                    escape(&tried.path.display().to_string()),
                    escape(&tried.status)
                ));
            }
        }
        out.push_str("  </ul>\n");
    }
    out
}

/// A `Variable | Value` table of the "Request information" and "Settings" sections, or
/// `empty` (Django's "No GET data", …) when there are no rows. Names and values are escaped
/// here.
fn table<'v>(
    out: &mut String,
    id: &str,
    title: &str,
    header: &str,
    rows: impl IntoIterator<Item = (&'v str, Cow<'v, str>)>,
    empty: &str,
) {
    out.push_str(&format!("  <h3 id=\"{id}\">{title}</h3>\n"));
    let mut rows = rows.into_iter().peekable();
    if rows.peek().is_none() {
        out.push_str(&format!("  <p>{empty}</p>\n"));
        return;
    }
    out.push_str(&format!(
        "  <table class=\"req\">\n    <thead><tr><th scope=\"col\">{header}</th><th scope=\"col\">Value</th></tr></thead>\n    <tbody>\n"
    ));
    for (name, value) in rows {
        out.push_str(&format!(
            "      <tr><td>{}</td><td class=\"code\"><pre>{}</pre></td></tr>\n",
            escape(name),
            escape(&value)
        ));
    }
    out.push_str("    </tbody>\n  </table>\n");
}

/// A string value as the page's `pprint` filter shows it: Python's `repr`.
fn pprint(value: &str) -> Cow<'_, str> {
    Cow::Owned(str_repr(value))
}

/// An uploaded file as Django's `UploadedFile.__repr__` shows it:
/// `<InMemoryUploadedFile: name (content type)>`.
fn file_repr(file: &UploadedFile) -> Cow<'_, str> {
    let class = if file.temporary_file_path().is_some() {
        "TemporaryUploadedFile"
    } else {
        "InMemoryUploadedFile"
    };
    Cow::Owned(format!(
        "<{class}: {} ({})>",
        file.name(),
        file.content_type()
    ))
}

/// What the page can say of the request's `POST` and `FILES`.
enum FormData {
    /// Nothing to show: not a POST, or a body Django does not parse into `POST` (its
    /// `request.POST` and `request.FILES` are empty then).
    Empty,
    /// Parsed before the error (by the view or a middleware).
    Parsed(Arc<(QueryDict, Files)>),
    /// A form body (`multipart` or not) that nobody read before the error: the page does not
    /// read it.
    NotRead {
        /// Whether the body is `multipart/form-data` (and so may hold files).
        multipart: bool,
    },
}

impl FormData {
    fn of(request: &HttpRequest) -> FormData {
        if request.method() != Method::POST {
            return FormData::Empty;
        }
        if let Some(parsed) = request.parsed_form() {
            return FormData::Parsed(parsed);
        }
        match &*request.content_type() {
            "multipart/form-data" => FormData::NotRead { multipart: true },
            "application/x-www-form-urlencoded" => FormData::NotRead { multipart: false },
            _ => FormData::Empty,
        }
    }
}

/// Django's "Request information": GET, POST, FILES, COOKIES and META.
fn request_information(
    out: &mut String,
    request: &HttpRequest,
    filter: &SafeExceptionReporterFilter<'_>,
) {
    out.push_str("  <h2>Request information</h2>\n");
    match request.query() {
        Ok(query) => table(
            out,
            "get-info",
            "GET",
            "Variable",
            query.items().map(|(k, v)| (k, pprint(v))),
            "No GET data",
        ),
        Err(e) => out.push_str(&format!(
            "  <h3 id=\"get-info\">GET</h3>\n  <p>GET data not available: {}</p>\n",
            escape(&e.to_string())
        )),
    }
    let not_read = "not available: the request body was not read before the error";
    let (post, files) = match FormData::of(request) {
        FormData::Parsed(data) => {
            let (post, files) = &*data;
            table(
                out,
                "post-info",
                "POST",
                "Variable",
                post.items().map(|(k, v)| (k, pprint(v))),
                "No POST data",
            );
            table(
                out,
                "files-info",
                "FILES",
                "Variable",
                files.iter().map(|(k, f)| (k, file_repr(f))),
                "No FILES data",
            );
            (None, None)
        }
        FormData::Empty => (Some("No POST data".to_owned()), None),
        FormData::NotRead { multipart } => (
            Some(format!("POST data {not_read}")),
            multipart.then(|| format!("FILES data {not_read}")),
        ),
    };
    if let Some(post) = post {
        out.push_str(&format!(
            "  <h3 id=\"post-info\">POST</h3>\n  <p>{post}</p>\n  <h3 id=\"files-info\">FILES</h3>\n  <p>{}</p>\n",
            files.as_deref().unwrap_or("No FILES data")
        ));
    }
    table(
        out,
        "cookie-info",
        "COOKIES",
        "Variable",
        filter
            .safe_cookies(request)
            .into_iter()
            .map(|(k, v)| (k, pprint(v))),
        "No cookie data",
    );
    table(
        out,
        "meta-info",
        "META",
        "Variable",
        filter
            .safe_request_meta(request)
            .into_iter()
            .map(|(k, v)| (k, pprint(v))),
        "No META data",
    );
}

/// Django's `_get_raw_insecure_uri`: the scheme, the host as sent (not checked against
/// ALLOWED_HOSTS) and the full path.
fn raw_insecure_uri(request: &HttpRequest) -> String {
    let settings = request.settings();
    let forwarded = request.header("x-forwarded-host");
    let host = request.header(http::header::HOST);
    let meta = request.meta();
    let host = raw_host(
        forwarded.as_deref(),
        host.as_deref(),
        meta.get("SERVER_NAME").unwrap_or_default(),
        meta.get("SERVER_PORT").unwrap_or_default(),
        request.is_secure(),
        settings.use_x_forwarded_host,
    );
    format!("{}://{host}{}", request.scheme(), request.get_full_path())
}

/// Django's `technical_500_response`: the DEBUG error page (see the [module docs](self)),
/// with `status`. It gets no Content-Security-Policy headers.
pub fn technical_500_response(
    request: &HttpRequest,
    error: &Error,
    status: StatusCode,
) -> HttpResponse {
    let filter = SafeExceptionReporterFilter::new(request.settings());
    let mut causes = String::new();
    let mut source = std::error::Error::source(error.inner());
    while let Some(s) = source {
        causes.push_str(&format!("    <li>{}</li>\n", escape(&s.to_string())));
        source = s.source();
    }
    // Django's `raising_view_name`.
    let raised_during = match request.resolver_match() {
        Some(m) => format!(
            "<tr><th>Raised during:</th><td>{}</td></tr>",
            escape(m.func().name())
        ),
        None => String::new(),
    };
    let server_time =
        crate::utils::dateformat::format(chrono::Utc::now().naive_utc(), "r").unwrap_or_default();
    let mut body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>{kind:?} at {path}</title>\n</head>\n<body>\n  <h1>{kind:?} at {path}</h1>\n  <pre class=\"exception_value\">{msg}</pre>\n  <table class=\"meta\"><tr><th>Request Method:</th><td>{method}</td></tr><tr><th>Request URL:</th><td>{uri}</td></tr><tr><th>nuages Version:</th><td>{version}</td></tr><tr><th>Exception Type:</th><td>{kind:?}</td></tr>{raised_during}<tr><th>Server time:</th><td>{time}</td></tr></table>\n  <ul>\n{causes}  </ul>\n{template}",
        kind = error.kind(),
        path = escape(&request.path()),
        msg = escape(&error.to_string()),
        method = escape(request.method().as_str()),
        uri = escape(&raw_insecure_uri(request)),
        version = env!("CARGO_PKG_VERSION"),
        time = escape(&server_time),
        template = template_section(error),
    );
    request_information(&mut body, request, &filter);
    table(
        &mut body,
        "settings-info",
        "Settings",
        "Setting",
        filter
            .safe_settings()
            .into_iter()
            .map(|(k, v)| (k, Cow::Owned(v))),
        "No settings",
    );
    body.push_str(&explanation("page"));
    body.push_str("</body>\n</html>\n");
    let mut response = HttpResponse::new(body).with_status(status);
    exempt_from_csp(&mut response);
    response
}

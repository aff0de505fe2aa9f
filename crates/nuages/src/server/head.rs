//! The checks a request head passes before the application sees it: what gunicorn (the server
//! Django runs under in the reference deployment) refuses, refused the same way, plus the
//! RFC 9112 rules gunicorn leaves out (a `Host` header on HTTP/1.1, the authority of an
//! absolute-form target).
//!
//! hyper has already parsed the head (so framing, header-name and header-value syntax, obsolete
//! line folding and control characters are its 400s); what is left is checked here, in
//! gunicorn's order: the request-line length (414), the method (gunicorn refuses lower-case
//! letters, `#` and lengths outside 3–20), the request-target (printable ASCII only; `*` only for
//! OPTIONS; authority-form only for CONNECT), header-field sizes (431), singleton fields (`Host`
//! and `Content-Type` may appear once) and `Expect` (417 unless `100-continue`). Framing is
//! hyper's: it refuses `Transfer-Encoding` on HTTP/1.0 and codings that do not end in `chunked`,
//! merges identical repeated `Content-Length` lines (different ones are a 400), and drops a
//! `Content-Length` sent beside `Transfer-Encoding` and closes the connection after the response
//! (RFC 9112 §6.3) where gunicorn answers 400. Headers whose names contain `_` are dropped, as gunicorn and
//! `runserver` drop them, so that `X_Forwarded_For` can never pose as `X-Forwarded-For` in
//! `META`.
//!
//! A refused request gets gunicorn's own error page (`Connection: close`, `text/html`).

use http::header::{HeaderName, HeaderValue, CONNECTION, CONTENT_TYPE, EXPECT, HOST};
use http::{Method, StatusCode, Uri, Version};

use nuages_py::html::escape;
use nuages_py::repr::str_repr;

/// gunicorn's `limit_request_field_size` default: the longest header line, in bytes.
pub(crate) const DEFAULT_MAX_FIELD_SIZE: usize = 8190;
/// gunicorn's `limit_request_line` default: the longest request line, in bytes.
pub(crate) const DEFAULT_MAX_REQUEST_LINE: usize = 4094;

/// The limits [`check`] applies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HeadLimits {
    pub(crate) max_request_line: usize,
    pub(crate) max_field_size: usize,
    pub(crate) tls: bool,
}

/// Why a request head was refused: the status, its reason phrase and the message of gunicorn's
/// error page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rejection {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
}

impl Rejection {
    fn new(status: StatusCode, message: String) -> Self {
        Rejection { status, message }
    }

    /// `408 Request Timeout`, for a request body that did not arrive in time.
    pub(crate) fn timeout() -> Self {
        Rejection::new(
            StatusCode::REQUEST_TIMEOUT,
            "The request body did not arrive in time".to_owned(),
        )
    }

    fn request_line(line: &str) -> Self {
        Rejection::new(
            StatusCode::BAD_REQUEST,
            format!(
                "Invalid Request Line '{}'",
                format_args!("Invalid HTTP request line: {}", str_repr(line))
            ),
        )
    }

    fn header(name: &str) -> Self {
        Rejection::new(
            StatusCode::BAD_REQUEST,
            format!("Invalid HTTP Header: {}", str_repr(name)),
        )
    }

    /// The response gunicorn writes (`util.write_error`): an HTML page naming the reason and the
    /// message, `Connection: close`.
    pub(crate) fn response(&self) -> http::Response<Vec<u8>> {
        let reason = self.status.canonical_reason().unwrap_or("Error");
        let page = format!(
            "<html>\n  <head>\n    <title>{reason}</title>\n  </head>\n  <body>\n    <h1><p>{reason}</p></h1>\n    {}\n  </body>\n</html>\n",
            escape(&self.message)
        );
        let mut response = http::Response::new(latin1(&page));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(CONNECTION, HeaderValue::from_static("close"));
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/html"));
        response
    }
}

/// Encodes text whose characters are all at most U+00FF (bytes decoded as Latin-1, as gunicorn
/// decodes the request line) back to those bytes.
fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect()
}

/// Bytes as gunicorn sees them: decoded as Latin-1.
fn from_latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

fn version_text(version: Version) -> &'static str {
    match version {
        Version::HTTP_09 => "HTTP/0.9",
        Version::HTTP_10 => "HTTP/1.0",
        Version::HTTP_2 => "HTTP/2.0",
        Version::HTTP_3 => "HTTP/3.0",
        _ => "HTTP/1.1",
    }
}

/// The request-target as it was on the request line.
fn target_text(uri: &Uri) -> &str {
    if let Some(pq) = uri.path_and_query() {
        if uri.scheme().is_none() {
            return pq.as_str();
        }
    }
    // Absolute-form and authority-form: the whole URI is the target.
    ""
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Checks a parsed request head and normalises it for the application: an absolute-form target
/// becomes origin-form with its authority as the `Host`, and headers with `_` in their names are
/// dropped. HTTP/2 requests (whose pseudo-headers hyper has checked) only get the header checks.
///
/// # Errors
/// The [`Rejection`] to answer with.
pub(crate) fn check(
    parts: &mut http::request::Parts,
    limits: &HeadLimits,
) -> Result<(), Rejection> {
    let http1 = parts.version <= Version::HTTP_11;
    if http1 {
        check_request_line(parts, limits)?;
    }
    check_headers(parts, limits, http1)
}

fn check_request_line(
    parts: &mut http::request::Parts,
    limits: &HeadLimits,
) -> Result<(), Rejection> {
    let whole_uri;
    let target = match target_text(&parts.uri) {
        "" => {
            whole_uri = parts.uri.to_string();
            whole_uri.as_str()
        }
        t => t,
    };
    let method = parts.method.as_str();
    let version = version_text(parts.version);
    let line_len = method.len() + 1 + target.len() + 1 + version.len();
    if line_len > limits.max_request_line {
        // gunicorn reads 8 KiB at a time and reports how much it had read past the limit.
        return Err(Rejection::new(
            StatusCode::URI_TOO_LONG,
            format!(
                "Request Line is too large ({} > {})",
                line_len.min(8192),
                limits.max_request_line
            ),
        ));
    }
    let line = || from_latin1(format!("{method} {target} {version}").as_bytes());
    let m = method.as_bytes();
    if m.iter().any(|&b| b.is_ascii_lowercase() || b == b'#')
        || !(3..=20).contains(&m.len())
        || !m.iter().all(|&b| is_tchar(b))
    {
        return Err(Rejection::new(
            StatusCode::BAD_REQUEST,
            format!(
                "Invalid Method '{}'",
                format_args!("Invalid HTTP method: {}", str_repr(&from_latin1(m)))
            ),
        ));
    }
    if target.bytes().any(|b| !(0x21..=0x7e).contains(&b)) {
        return Err(Rejection::request_line(&line()));
    }
    let uri = &parts.uri;
    if uri.scheme().is_some() {
        // Absolute-form (RFC 9112 §3.2.2): the target's authority is the host, whatever `Host`
        // says; only our own scheme is served.
        let ours = if limits.tls { "https" } else { "http" };
        let authority = match (uri.scheme_str(), uri.authority()) {
            (Some(s), Some(a)) if s.eq_ignore_ascii_case(ours) => a.as_str().to_owned(),
            _ => return Err(Rejection::request_line(&line())),
        };
        let path = uri.path_and_query().map_or("/", |pq| pq.as_str());
        let origin: Uri = path.parse().map_err(|_| Rejection::request_line(&line()))?;
        let host =
            HeaderValue::from_str(&authority).map_err(|_| Rejection::request_line(&line()))?;
        parts.uri = origin;
        parts.headers.remove(HOST);
        parts.headers.insert(HOST, host);
    } else if uri.authority().is_some() {
        // Authority-form: only for CONNECT, which an origin server does not serve.
        if parts.method != Method::CONNECT {
            return Err(Rejection::request_line(&line()));
        }
        return Err(Rejection::new(
            StatusCode::NOT_IMPLEMENTED,
            "CONNECT is not served: nuages is an origin server, not a proxy".to_owned(),
        ));
    } else if uri.path() == "*" {
        if parts.method != Method::OPTIONS {
            return Err(Rejection::request_line(&line()));
        }
    } else if parts.method == Method::CONNECT {
        return Err(Rejection::request_line(&line()));
    }
    Ok(())
}

fn check_headers(
    parts: &http::request::Parts,
    limits: &HeadLimits,
    http1: bool,
) -> Result<(), Rejection> {
    let headers = &parts.headers;
    let mut previous: Option<&HeaderName> = None;
    let mut host = false;
    for (name, value) in headers.iter() {
        host |= name == HOST;
        // `name: value\r\n`, as gunicorn measures the line.
        if name.as_str().len() + 2 + value.len() + 2 > limits.max_field_size {
            return Err(Rejection::new(
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                "Error parsing headers: 'limit request headers fields size'".to_owned(),
            ));
        }
        let repeated = previous == Some(name);
        previous = Some(name);
        if repeated && (name == HOST || name == CONTENT_TYPE) {
            return Err(Rejection::header(&name.as_str().to_ascii_uppercase()));
        }
        if name == EXPECT && !value.as_bytes().eq_ignore_ascii_case(b"100-continue") {
            return Err(Rejection::new(
                StatusCode::EXPECTATION_FAILED,
                format!(
                    "Unable to comply with expectation: {}",
                    str_repr(&from_latin1(value.as_bytes()))
                ),
            ));
        }
    }
    // Headers whose name has an underscore are dropped as the request is built
    // (`HttpRequest::from_parts`, as gunicorn and runserver do).
    if http1 {
        // RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without a Host
        // header (gunicorn does not check it).
        if parts.version == Version::HTTP_11 && !host {
            return Err(Rejection::new(
                StatusCode::BAD_REQUEST,
                "Missing Host header (RFC 9112 §3.2)".to_owned(),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(raw: &str) -> http::request::Parts {
        let mut lines = raw.split("\r\n");
        let mut first = lines.next().unwrap_or_default().splitn(3, ' ');
        let method = first.next().unwrap_or_default();
        let target = first.next().unwrap_or_default();
        let version = match first.next() {
            Some("HTTP/1.0") => Version::HTTP_10,
            _ => Version::HTTP_11,
        };
        let mut builder = http::Request::builder()
            .method(method)
            .uri(target)
            .version(version);
        for line in lines.filter(|l| !l.is_empty()) {
            let (name, value) = line.split_once(": ").unwrap_or((line, ""));
            builder = builder.header(name, value);
        }
        builder
            .body(())
            .map(|r| r.into_parts().0)
            .unwrap_or_else(|e| panic!("{raw}: {e}"))
    }

    const LIMITS: HeadLimits = HeadLimits {
        max_request_line: DEFAULT_MAX_REQUEST_LINE,
        max_field_size: DEFAULT_MAX_FIELD_SIZE,
        tls: false,
    };

    fn checked(raw: &str) -> Result<http::request::Parts, Rejection> {
        let mut parts = head(raw);
        check(&mut parts, &LIMITS).map(|()| parts)
    }

    fn refused(raw: &str) -> (u16, String) {
        match checked(raw) {
            Err(r) => (r.status.as_u16(), r.message),
            Ok(p) => panic!("{raw}: accepted as {p:?}"),
        }
    }

    #[test]
    fn gunicorn_refuses_unconventional_methods() {
        assert_eq!(
            refused("get / HTTP/1.1\r\nHost: t"),
            (
                400,
                "Invalid Method 'Invalid HTTP method: 'get''".to_owned()
            )
        );
        assert_eq!(refused("GE / HTTP/1.1\r\nHost: t").0, 400);
        assert_eq!(refused("G#T / HTTP/1.1\r\nHost: t").0, 400);
        assert_eq!(
            refused("ABCDEFGHIJKLMNOPQRSTU / HTTP/1.1\r\nHost: t").0,
            400
        );
        assert!(checked("PROPFIND / HTTP/1.1\r\nHost: t").is_ok());
        assert!(checked("M-SEARCH / HTTP/1.1\r\nHost: t").is_ok());
    }

    #[test]
    fn request_target_forms() {
        assert_eq!(
            refused("GET show_headers HTTP/1.1\r\nHost: t"),
            (
                400,
                "Invalid Request Line 'Invalid HTTP request line: 'GET show_headers HTTP/1.1''"
                    .to_owned()
            )
        );
        assert_eq!(refused("GET * HTTP/1.1\r\nHost: t").0, 400);
        assert!(checked("OPTIONS * HTTP/1.1\r\nHost: t").is_ok());
        assert_eq!(
            refused("CONNECT example.com:443 HTTP/1.1\r\nHost: t").0,
            501
        );
        assert_eq!(refused("CONNECT / HTTP/1.1\r\nHost: t").0, 400);
        assert_eq!(refused("GET ftp://t/x HTTP/1.1\r\nHost: t").0, 400);
    }

    #[test]
    fn absolute_form_takes_its_host_from_the_target() {
        let parts = checked("GET http://example.com:8000/a?b=1 HTTP/1.1\r\nHost: other")
            .unwrap_or_else(|r| panic!("{r:?}"));
        assert_eq!(parts.uri, "/a?b=1");
        assert_eq!(parts.headers.get_all(HOST).iter().count(), 1);
        assert_eq!(parts.headers[HOST], "example.com:8000");
    }

    #[test]
    fn request_line_and_field_limits() {
        let long = format!("GET /{} HTTP/1.1\r\nHost: t", "a".repeat(5000));
        assert_eq!(
            refused(&long),
            (414, "Request Line is too large (5014 > 4094)".to_owned())
        );
        let fits = format!("GET /{} HTTP/1.1\r\nHost: t", "a".repeat(4094 - 14));
        assert!(checked(&fits).is_ok());
        let field = format!("GET / HTTP/1.1\r\nHost: t\r\nX-A: {}", "a".repeat(8190));
        assert_eq!(refused(&field).0, 431);
    }

    #[test]
    fn singleton_fields_expect_and_lengths() {
        assert_eq!(
            refused("GET / HTTP/1.1\r\nHost: t\r\nHost: t"),
            (400, "Invalid HTTP Header: 'HOST'".to_owned())
        );
        assert_eq!(
            refused("GET / HTTP/1.1\r\nHost: t\r\nContent-Type: a\r\nContent-Type: b"),
            (400, "Invalid HTTP Header: 'CONTENT-TYPE'".to_owned())
        );
        assert!(checked("GET / HTTP/1.1\r\nHost: t\r\nUser-Agent: a\r\nUser-Agent: b").is_ok());
        assert_eq!(
            refused("GET / HTTP/1.1\r\nHost: t\r\nExpect: foo"),
            (417, "Unable to comply with expectation: 'foo'".to_owned())
        );
        assert!(checked("POST / HTTP/1.1\r\nHost: t\r\nExpect: 100-Continue").is_ok());
    }

    #[test]
    fn host_is_required_on_http11_only() {
        assert_eq!(refused("GET / HTTP/1.1").0, 400);
        assert!(checked("GET / HTTP/1.0").is_ok());
    }

    #[test]
    fn the_error_page_is_gunicorns() {
        let r = Rejection::header("HOST").response();
        assert_eq!(r.status(), 400);
        assert_eq!(r.headers()[CONNECTION], "close");
        assert_eq!(
            String::from_utf8_lossy(r.body()),
            "<html>\n  <head>\n    <title>Bad Request</title>\n  </head>\n  <body>\n    <h1><p>Bad Request</p></h1>\n    Invalid HTTP Header: &#x27;HOST&#x27;\n  </body>\n</html>\n"
        );
    }
}

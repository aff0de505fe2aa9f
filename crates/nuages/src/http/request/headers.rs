//! Django's `HttpHeaders` (`request.headers`): the request's headers as Django lists them,
//! under Title-Case names built from `request.META`.

use http::header::{GetAll, HeaderName};
use http::{HeaderMap, HeaderValue};
use nuages_py::builtins::title;

use super::HttpRequest;

/// A header name for [`HttpRequest::header`]: a `&str`, case-insensitive with `_` read as `-`
/// (as Django's `request.headers` reads it), or a typed [`HeaderName`]
/// (`http::header::ORIGIN`), used as is, without parsing the name.
pub trait HeaderKey: sealed::Sealed {
    /// Every value of the header in `headers`.
    fn get_all(self, headers: &HeaderMap) -> GetAll<'_, HeaderValue>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for &str {}
    impl Sealed for &String {}
    impl Sealed for http::HeaderName {}
    impl Sealed for &http::HeaderName {}
}

impl HeaderKey for &str {
    fn get_all(self, headers: &HeaderMap) -> GetAll<'_, HeaderValue> {
        if self.contains('_') {
            headers.get_all(self.replace('_', "-"))
        } else {
            headers.get_all(self)
        }
    }
}

impl HeaderKey for &String {
    fn get_all(self, headers: &HeaderMap) -> GetAll<'_, HeaderValue> {
        self.as_str().get_all(headers)
    }
}

impl HeaderKey for HeaderName {
    fn get_all(self, headers: &HeaderMap) -> GetAll<'_, HeaderValue> {
        headers.get_all(self)
    }
}

impl HeaderKey for &HeaderName {
    fn get_all(self, headers: &HeaderMap) -> GetAll<'_, HeaderValue> {
        headers.get_all(self)
    }
}

/// `request.headers` as Django builds it: every `HTTP_*` key of META plus `CONTENT_TYPE` and
/// `CONTENT_LENGTH`, named in Title-Case with `-` (`HTTP_X_CUSTOM_HEADER` → `X-Custom-Header`),
/// looked up case-insensitively with `_` and `-` equivalent. Repeated headers are one value
/// joined with `,`, as in META.
///
/// Get it with [`HttpRequest::http_headers`]; [`HttpRequest::header`] reads one value the same
/// way without building the list.
///
/// # Examples
/// ```
/// let req = nuages::test::RequestFactory::new()
///     .get("/")
///     .header("x-custom-header", "1")
///     .header("accept", "*/*")
///     .build();
/// let headers = req.http_headers();
/// let names: Vec<&str> = headers.iter().map(|(name, _)| name).collect();
/// assert!(names.contains(&"X-Custom-Header") && names.contains(&"Accept"));
/// assert_eq!(headers.get("X_CUSTOM_HEADER"), Some("1"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct HttpHeaders {
    items: Vec<(String, String)>,
}

impl HttpHeaders {
    /// Django's `HttpHeaders.parse_header_name`: the header name of a META key, `None` for keys
    /// that are not headers (`SERVER_NAME`, …).
    ///
    /// # Examples
    /// ```
    /// use nuages::http::request::HttpHeaders;
    /// assert_eq!(HttpHeaders::parse_header_name("HTTP_X_CUSTOM_HEADER").as_deref(), Some("X-Custom-Header"));
    /// assert_eq!(HttpHeaders::parse_header_name("CONTENT_TYPE").as_deref(), Some("Content-Type"));
    /// assert_eq!(HttpHeaders::parse_header_name("SERVER_NAME"), None);
    /// ```
    pub fn parse_header_name(meta_key: &str) -> Option<String> {
        let name = match meta_key.strip_prefix("HTTP_") {
            Some(rest) => rest,
            None if meta_key == "CONTENT_TYPE" || meta_key == "CONTENT_LENGTH" => meta_key,
            None => return None,
        };
        Some(title(&name.replace('_', "-")))
    }

    /// Django's `HttpHeaders.to_wsgi_name`: the META key of a header name.
    ///
    /// # Examples
    /// ```
    /// use nuages::http::request::HttpHeaders;
    /// assert_eq!(HttpHeaders::to_wsgi_name("X-Custom-Header"), "HTTP_X_CUSTOM_HEADER");
    /// assert_eq!(HttpHeaders::to_wsgi_name("content-length"), "CONTENT_LENGTH");
    /// ```
    pub fn to_wsgi_name(header: &str) -> String {
        super::meta::meta_key(header)
    }

    /// The value of a header (case-insensitive, `_` and `-` equivalent).
    pub fn get(&self, name: &str) -> Option<&str> {
        let wanted = Self::to_wsgi_name(name);
        self.items
            .iter()
            .find(|(n, _)| Self::to_wsgi_name(n) == wanted)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the header is present.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The (Title-Case name, value) pairs, in META's order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.items.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// How many headers there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl HttpRequest {
    /// Django's `request.headers` as a list under Title-Case names ([`HttpHeaders`]), built from
    /// [`HttpRequest::meta`]. For one value, [`HttpRequest::header`] is cheaper.
    #[doc(alias = "headers")]
    pub fn http_headers(&self) -> HttpHeaders {
        let items = self
            .meta()
            .iter()
            .filter_map(|(key, value)| {
                HttpHeaders::parse_header_name(key).map(|name| (name, value.to_owned()))
            })
            .collect();
        HttpHeaders { items }
    }
}

impl<'a> IntoIterator for &'a HttpHeaders {
    type Item = (&'a str, &'a str);
    type IntoIter = Box<dyn Iterator<Item = (&'a str, &'a str)> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

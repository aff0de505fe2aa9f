//! The equivalent of `django/middleware/http.py`: [`ConditionalGetMiddleware`].

use http::header::{ETAG, LAST_MODIFIED};
use http::Method;

use super::MiddlewareMixin;
use crate::utils::cache::{
    cache_control_items, conditional_response, header_text, set_response_etag,
};
use crate::utils::http::parse_http_date_safe;
use crate::{Error, HttpRequest, HttpResponse};

/// `ConditionalGetMiddleware`: conditional GET for every view.
///
/// Only GET requests are processed (HEAD and unsafe methods pass through untouched, like
/// Django). A response without `ETag` gets one — the quoted MD5 of its content — unless it is
/// streaming, empty or marked `Cache-Control: no-store`. Then, if the response has an `ETag` or
/// a valid `Last-Modified`, the request's preconditions are evaluated against them with
/// [`get_conditional_response`](crate::utils::cache::get_conditional_response): a 2xx
/// response may become a 304 (keeping only `Cache-Control`, `Content-Location`, `Date`,
/// `ETag`, `Expires`, `Last-Modified`, `Vary` and the cookies) or a fresh 412; other statuses
/// are left alone.
///
/// # Examples
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use nuages::middleware::http::ConditionalGetMiddleware;
/// use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
///
/// async fn page(_req: HttpRequest) -> HttpResponse {
///     HttpResponse::new("content")
/// }
///
/// let app = App::builder()
///     .settings(Settings { debug: true, ..Settings::default() })
///     .middleware(ConditionalGetMiddleware::new())
///     .urls(vec![path("page", page)])
///     .build()
///     .unwrap();
/// let client = nuages::test::Client::new(app);
/// let first = client.get("/page").send().await;
/// let etag = first.header("etag").unwrap().to_owned();
/// assert_eq!(etag, "\"9a0364b9e99bb480dd25e1f0284c8555\"");
/// let again = client.get("/page").header("If-None-Match", &etag).send().await;
/// assert_eq!(again.status(), 304);
/// assert_eq!(again.content(), b"");
/// # });
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct ConditionalGetMiddleware;

impl ConditionalGetMiddleware {
    /// The middleware.
    pub fn new() -> Self {
        ConditionalGetMiddleware
    }

    /// Django's `needs_etag`: whether an `ETag` should be added, i.e. no `Cache-Control`
    /// directive is `no-store` (case-insensitive).
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::middleware::http::ConditionalGetMiddleware;
    /// use nuages::HttpResponse;
    ///
    /// let mut response = HttpResponse::new("x");
    /// assert!(ConditionalGetMiddleware::needs_etag(&response));
    /// response.set_header("Cache-Control", "private, No-Store").unwrap();
    /// assert!(!ConditionalGetMiddleware::needs_etag(&response));
    /// ```
    pub fn needs_etag(response: &HttpResponse) -> bool {
        cache_control_items(response.headers())
            .iter()
            .all(|directive| !directive.eq_ignore_ascii_case("no-store"))
    }

    /// Django's `process_response`; `request` supplies the method and the conditional headers.
    pub fn process_response(
        &self,
        request: &HttpRequest,
        mut response: HttpResponse,
    ) -> HttpResponse {
        // Too late to prevent an unsafe request with a 412, and a HEAD response has no body
        // to compute an accurate ETag from.
        if *request.method() != Method::GET {
            return response;
        }
        if Self::needs_etag(&response) && !response.headers().contains_key(ETAG) {
            set_response_etag(&mut response);
        }
        let etag = header_text(response.headers(), ETAG).filter(|e| !e.is_empty());
        let last_modified = header_text(response.headers(), LAST_MODIFIED)
            .and_then(|lm| parse_http_date_safe(&lm))
            .filter(|&t| t != 0);
        if etag.is_none() && last_modified.is_none() {
            return response;
        }
        conditional_response(request, etag.as_deref(), last_modified, response)
    }
}

impl MiddlewareMixin for ConditionalGetMiddleware {
    fn process_response(
        &self,
        request: &HttpRequest,
        response: HttpResponse,
    ) -> Result<HttpResponse, Error> {
        Ok(ConditionalGetMiddleware::process_response(
            self, request, response,
        ))
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;
    use crate::http::cookie::SetCookie;
    use crate::test::RequestFactory;

    fn get(headers: &[(&str, &str)]) -> HttpRequest {
        let mut f = RequestFactory::new().get("/");
        for (k, v) in headers {
            f = f.header(k, v);
        }
        f.build()
    }

    const CONTENT_ETAG: &str = "\"9a0364b9e99bb480dd25e1f0284c8555\"";

    #[test]
    fn etag_rules() {
        let mw = ConditionalGetMiddleware::new();
        let r = mw.process_response(&get(&[]), HttpResponse::new("content"));
        assert_eq!(r.header("etag").as_deref(), Some(CONTENT_ETAG));

        let stream = HttpResponse::streaming_iter(vec![Bytes::from_static(b"content")]);
        let r = mw.process_response(&get(&[("If-None-Match", "*")]), stream);
        assert_eq!((r.status_code(), r.header("etag")), (200, None));

        let mut r = HttpResponse::new("content");
        r.headers_mut().append(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("private"),
        );
        r.headers_mut().append(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("NO-STORE"),
        );
        let r = mw.process_response(&get(&[]), r);
        assert_eq!(r.header("etag"), None);

        let head = RequestFactory::new()
            .request(Method::HEAD, "/")
            .header("If-None-Match", CONTENT_ETAG)
            .build();
        let r = mw.process_response(&head, HttpResponse::new("content"));
        assert_eq!((r.status_code(), r.header("etag")), (200, None));
    }

    #[test]
    fn not_modified_keeps_cookies() {
        let mw = ConditionalGetMiddleware::new();
        let mut response = HttpResponse::new("content");
        response
            .set_cookie(SetCookie::new("session", "abc"))
            .unwrap();
        response.set_header("X-Other", "dropped").unwrap();
        let r = mw.process_response(&get(&[("If-None-Match", CONTENT_ETAG)]), response);
        assert_eq!(r.status_code(), 304);
        assert_eq!(r.cookies().iter().count(), 1);
        assert_eq!(r.header("x-other"), None);
        assert_eq!(r.header("content-type"), None);
        let http = r.into_http();
        assert_eq!(http.headers()["set-cookie"], "session=abc; Path=/");
    }

    #[test]
    fn last_modified_only() {
        let mw = ConditionalGetMiddleware::new();
        let with_lm = |lm: &str| {
            let mut r = HttpResponse::empty();
            r.set_header("Last-Modified", lm).unwrap();
            r
        };
        let ims = [("If-Modified-Since", "Sun, 21 Oct 2007 23:21:47 GMT")];
        let r = mw.process_response(&get(&ims), with_lm("Sat, 20 Oct 2007 23:21:47 GMT"));
        assert_eq!(r.status_code(), 304);
        // An unparsable Last-Modified, or the epoch (falsy), means no validator.
        let r = mw.process_response(&get(&ims), with_lm("garbage"));
        assert_eq!(r.status_code(), 200);
        let r = mw.process_response(&get(&ims), with_lm("Thu, 01 Jan 1970 00:00:00 GMT"));
        assert_eq!(r.status_code(), 200);
    }
}

//! Header names as Django keeps them: `ResponseHeaders` stores each name as it was last set, in
//! the order names were first set, and gunicorn writes them so on HTTP/1.1.
//!
//! [`HeaderOrder`] records that order and those spellings beside the response's
//! `http::HeaderMap` (which lower-cases names, and reorders them when one is removed). Names
//! nuages sets itself (typed [`HeaderName`]s) have Django's spelling of its own headers:
//! Title-Case, and `ETag`.
//!
//! On the wire, hyper's HTTP/1 server writes a name with the spelling found in a private
//! `HeaderCaseMap` extension of the response, and in Title-Case otherwise. The map can only be
//! made by hyper, when it parses a message with `preserve_header_case` ("to forward the cases
//! in a proxy-like fashion", hyper's documentation says): [`case_extensions`] has hyper parse a
//! request carrying the spellings, over an in-memory connection, and keeps the extensions of
//! that request (cached per set of spellings).

use std::borrow::Cow;
use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, ETAG, TRANSFER_ENCODING};

/// Django's order of the header names and the spelling each was last set with (`None`: the
/// default spelling, [`default_spelling`]).
#[derive(Debug, Clone, Default)]
pub(super) struct HeaderOrder(Vec<(HeaderName, Option<Box<str>>)>);

/// No recorded order: the header map's.
pub(super) static MAP_ORDER: HeaderOrder = HeaderOrder(Vec::new());

impl HeaderOrder {
    /// The order of `headers` as they are (valid while no header was removed).
    pub(super) fn of(headers: &HeaderMap) -> Self {
        HeaderOrder(headers.keys().map(|k| (k.clone(), None)).collect())
    }

    /// Records that `name` is set, with `spelling` (`None`: nuages's own, typed). `present`:
    /// whether the header map has it already. A name set again keeps its place and takes the
    /// new spelling; a name set anew goes last.
    pub(super) fn set(&mut self, name: &HeaderName, spelling: Option<&str>, present: bool) {
        let spelling = spelling
            .filter(|s| !is_default_spelling(s, name))
            .map(Box::from);
        match self.0.iter().position(|(n, _)| n == name) {
            Some(i) if present => self.0[i].1 = spelling,
            Some(i) => {
                self.0.remove(i);
                self.0.push((name.clone(), spelling));
            }
            None => self.0.push((name.clone(), spelling)),
        }
    }

    /// Whether `name` is recorded.
    pub(super) fn contains(&self, name: &HeaderName) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }

    /// Forgets `name` (a removed header).
    pub(super) fn remove(&mut self, name: &HeaderName) {
        self.0.retain(|(n, _)| n != name);
    }

    /// The names of `headers` in Django's order with their spellings: the recorded ones still
    /// present, then any set directly in the map.
    pub(super) fn names<'a>(
        &'a self,
        headers: &'a HeaderMap,
    ) -> impl Iterator<Item = (&'a HeaderName, Option<&'a str>)> + 'a {
        let recorded = self
            .0
            .iter()
            .filter(|(n, _)| headers.contains_key(n))
            .map(|(n, s)| (n, s.as_deref()));
        let rest = headers
            .keys()
            .filter(|k| !self.0.iter().any(|(n, _)| n == *k))
            .map(|k| (k, None));
        recorded.chain(rest)
    }
}

/// The spelling of a name nuages sets itself: Django's for its own headers, that is
/// Title-Case (as hyper writes it) except `ETag`.
pub(crate) fn default_spelling(name: &HeaderName) -> Cow<'static, str> {
    if name == ETAG {
        return Cow::Borrowed("ETag");
    }
    Cow::Owned(title_case(name.as_str()))
}

/// Whether `spelling` is [`default_spelling`] of `name` (without building it).
pub(super) fn is_default_spelling(spelling: &str, name: &HeaderName) -> bool {
    if name == ETAG {
        return spelling == "ETag";
    }
    is_title_case_of(spelling, name)
}

/// Whether `spelling` is `name` as hyper's `title_case` writes it.
fn is_title_case_of(spelling: &str, name: &HeaderName) -> bool {
    let name = name.as_str().as_bytes();
    spelling.len() == name.len()
        && spelling.bytes().zip(name).enumerate().all(|(i, (s, &n))| {
            let start = i == 0 || name[i - 1] == b'-';
            s == if start { n.to_ascii_uppercase() } else { n }
        })
}

/// hyper's `title_case`: upper case at the start and after each `-`.
fn title_case(name: &str) -> String {
    let mut prev = b'-';
    name.bytes()
        .map(|b| {
            let c = if prev == b'-' {
                b.to_ascii_uppercase()
            } else {
                b
            };
            prev = b;
            char::from(c)
        })
        .collect()
}

/// The response extensions that make hyper's HTTP/1 server write each of `names` (a name of
/// `headers` and its spelling) as spelled, once per value; `None` when every name is written
/// as hyper writes it anyway (Title-Case).
pub(super) fn case_extensions<'a>(
    headers: &HeaderMap,
    names: impl Iterator<Item = (&'a HeaderName, Option<&'a str>)>,
) -> Option<http::Extensions> {
    let mut request = Vec::new();
    let mut any = false;
    for (name, spelling) in names {
        // What hyper does not write by itself: custom spellings, and Django's `ETag`.
        let spelling = match spelling {
            Some(s) if !is_title_case_of(s, name) => s,
            None if name == ETAG => "ETag",
            _ => continue,
        };
        // The request must stay a request without a body.
        if name == TRANSFER_ENCODING {
            continue;
        }
        if !any {
            // Allocated only for a response that needs it.
            request.extend_from_slice(b"GET / HTTP/1.1\r\n");
            any = true;
        }
        for _ in headers.get_all(name) {
            request.extend_from_slice(spelling.as_bytes());
            request.extend_from_slice(b": 0\r\n");
        }
    }
    if !any {
        return None;
    }
    request.extend_from_slice(b"\r\n");
    static CACHE: OnceLock<Mutex<HashMap<Vec<u8>, http::Extensions>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    if let Some(found) = cache
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&request)
    {
        return Some(found.clone());
    }
    let extensions = parsed_extensions(&request)?;
    let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
    if cache.len() >= 512 {
        cache.clear();
    }
    cache.insert(request, extensions.clone());
    Some(extensions)
}

/// The extensions hyper's HTTP/1 server gives `request` (complete, in memory) when it keeps the
/// spelling of header names.
fn parsed_extensions(request: &[u8]) -> Option<http::Extensions> {
    let slot: Arc<Mutex<Option<http::Extensions>>> = Arc::default();
    let seen = Arc::clone(&slot);
    let service = hyper::service::service_fn(move |req: http::Request<hyper::body::Incoming>| {
        *seen.lock().unwrap_or_else(PoisonError::into_inner) = Some(req.extensions().clone());
        std::future::ready(Ok::<_, Infallible>(http::Response::new(
            http_body_util::Empty::<Bytes>::new(),
        )))
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .preserve_header_case(true)
        .serve_connection(Wire::new(request), service);
    let mut connection = std::pin::pin!(connection);
    let mut cx = Context::from_waker(std::task::Waker::noop());
    // Everything is in memory: each poll makes progress, and the request is parsed in the
    // first one; hyper may yield between steps.
    for _ in 0..16 {
        if slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
        {
            break;
        }
        if connection.as_mut().poll(&mut cx).is_ready() {
            break;
        }
    }
    let extensions = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
    extensions.filter(|e| !e.is_empty())
}

/// An in-memory connection: reads `input`, then the end; writes go nowhere.
struct Wire {
    input: Vec<u8>,
    read: usize,
}

impl Wire {
    fn new(input: &[u8]) -> Self {
        Wire {
            input: input.to_vec(),
            read: 0,
        }
    }
}

impl hyper::rt::Read for Wire {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        mut buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = &mut *self;
        let rest = &this.input[this.read..];
        let n = rest.len().min(buf.remaining());
        buf.put_slice(&rest[..n]);
        this.read += n;
        Poll::Ready(Ok(()))
    }
}

impl hyper::rt::Write for Wire {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn default_spellings_are_djangos() {
        assert_eq!(
            default_spelling(&http::header::CONTENT_TYPE),
            "Content-Type"
        );
        assert_eq!(default_spelling(&ETAG), "ETag");
        assert!(is_title_case_of(
            "X-Frame-Options",
            &http::header::X_FRAME_OPTIONS
        ));
        assert!(!is_title_case_of(
            "x-Frame-Options",
            &http::header::X_FRAME_OPTIONS
        ));
        assert!(!is_title_case_of("X-Frame", &http::header::X_FRAME_OPTIONS));
        assert!(is_default_spelling("ETag", &ETAG) && !is_default_spelling("Etag", &ETAG));
        assert_eq!(
            default_spelling(&HeaderName::from_static("x-frame-options")),
            "X-Frame-Options"
        );
    }

    #[test]
    fn order_keeps_first_place_and_last_spelling() {
        let mut headers = HeaderMap::new();
        let mut order = HeaderOrder::default();
        let a = HeaderName::from_static("x-a");
        let b = HeaderName::from_static("x-b");
        order.set(&a, Some("x-A"), false);
        headers.insert(a.clone(), HeaderValue::from_static("1"));
        order.set(&b, None, false);
        headers.insert(b.clone(), HeaderValue::from_static("2"));
        order.set(&a, Some("X-a"), true);
        let names: Vec<_> = order.names(&headers).collect();
        assert_eq!(names, [(&a, Some("X-a")), (&b, None)]);
        // Removed, then set again: last.
        headers.remove(&a);
        order.remove(&a);
        order.set(&a, Some("X-A"), false);
        headers.insert(a.clone(), HeaderValue::from_static("3"));
        let names: Vec<_> = order.names(&headers).collect();
        assert_eq!(names, [(&b, None), (&a, None)]);
    }

    #[test]
    fn hyper_makes_the_case_map() {
        let mut headers = HeaderMap::new();
        let name = HeaderName::from_static("x-mixed-case");
        headers.insert(name.clone(), HeaderValue::from_static("v"));
        let ext = case_extensions(&headers, [(&name, Some("x-Mixed-Case"))].into_iter());
        assert!(ext.is_some_and(|e| !e.is_empty()));
        let title = case_extensions(&headers, [(&name, Some("X-Mixed-Case"))].into_iter());
        assert!(title.is_none());
    }
}

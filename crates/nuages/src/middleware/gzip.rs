//! The equivalent of `django/middleware/gzip.py` (and `compress_string`/`compress_sequence`
//! of `django/utils/text.py`).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use http::header::{HeaderValue, CONTENT_ENCODING, CONTENT_LENGTH, ETAG};
use nuages_py::gzip::{self, GzipEncoder};
use rand::Rng;

use super::{Middleware, Next};
use crate::http::body::BodyStream;
use crate::utils::cache::patch_vary_headers;
use crate::{Error, HttpRequest, HttpResponse};

/// `GZipMiddleware`: compresses responses for clients whose `Accept-Encoding` matches the
/// case-sensitive regex `\bgzip\b` (q-values ignored, like Django), with Django's rules: bodies
/// under 200 bytes and already encoded responses are untouched; otherwise `Vary:
/// Accept-Encoding` is added; a complete body is replaced only if the compressed form is
/// shorter; streams are always compressed (chunk by chunk, in constant memory) and lose their
/// `Content-Length`; a strong `ETag` becomes weak. Like Django, 0–99 random bytes are added to
/// the gzip header (BREACH mitigation).
#[derive(Debug, Clone, Copy)]
pub struct GZipMiddleware {
    max_random_bytes: usize,
}

impl Default for GZipMiddleware {
    fn default() -> Self {
        GZipMiddleware {
            max_random_bytes: 100,
        }
    }
}

impl GZipMiddleware {
    /// The middleware (`max_random_bytes = 100`).
    pub fn new() -> Self {
        GZipMiddleware::default()
    }

    /// Changes `max_random_bytes` (0 disables the random header padding).
    pub fn max_random_bytes(mut self, n: usize) -> Self {
        self.max_random_bytes = n;
        self
    }

    fn random_len(&self) -> usize {
        if self.max_random_bytes == 0 {
            0
        } else {
            rand::thread_rng().gen_range(0..self.max_random_bytes)
        }
    }

    /// Django's `process_response`.
    pub fn process_response(
        &self,
        accept_encoding: &str,
        mut response: HttpResponse,
    ) -> HttpResponse {
        if !response.is_streaming() && response.complete_content().len() < 200 {
            return response;
        }
        if response.headers().contains_key(CONTENT_ENCODING) {
            return response;
        }
        let _ = patch_vary_headers(response.headers_mut(), &["Accept-Encoding"]);
        if !accepts_gzip(accept_encoding) {
            return response;
        }
        if let Some(stream) = response.take_stream() {
            response.set_streaming_content(compress_stream(stream, self.random_len()));
            response.headers_mut().remove(CONTENT_LENGTH);
        } else {
            let compressed = compress_string(response.complete_content(), self.random_len(), true);
            if compressed.len() >= response.complete_content().len() {
                return response;
            }
            let len = compressed.len();
            // Never fails: a non-304 response with content, or a 304 whose content was empty.
            let _ = response.set_content(compressed);
            response
                .headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from(len));
        }
        if let Some(etag) = response.headers().get(ETAG) {
            if etag.as_bytes().starts_with(b"\"") {
                let mut weak = b"W/".to_vec();
                weak.extend_from_slice(etag.as_bytes());
                if let Ok(v) = HeaderValue::from_bytes(&weak) {
                    response.headers_mut().insert(ETAG, v);
                }
            }
        }
        response
            .headers_mut()
            .insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        response
    }
}

/// `re.search(r"\bgzip\b", accept_encoding)`.
pub fn accepts_gzip(accept_encoding: &str) -> bool {
    let b = accept_encoding.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut from = 0;
    while let Some(pos) = accept_encoding[from..].find("gzip") {
        let start = from + pos;
        let end = start + 4;
        let before_ok = start == 0 || !word(b[start - 1]);
        let after_ok = end == b.len() || !word(b[end]);
        if before_ok && after_ok {
            return true;
        }
        from = start + 1;
    }
    false
}

/// Django's `_get_random_filename`-style FNAME: `random_len` bytes (`a`s here), present
/// when there is padding or `fname_always`.
fn fname(random_len: usize, fname_always: bool) -> Option<Vec<u8>> {
    (fname_always || random_len > 0).then(|| vec![b'a'; random_len])
}

/// Django's `compress_string(s, max_random_bytes=…)` with a given padding length: gzip
/// (level 6, mtime 0) with an FNAME field of `random_len` `a` bytes. `fname_always` sets the
/// FNAME flag even with no padding, as Django's non-streaming path does.
pub fn compress_string(data: &[u8], random_len: usize, fname_always: bool) -> Vec<u8> {
    gzip::compress(data, 6, fname(random_len, fname_always).as_deref(), 3)
}

/// Django's `compress_sequence`: a gzip stream over a stream of chunks, in constant memory.
pub fn compress_stream(inner: BodyStream, random_len: usize) -> BodyStream {
    Box::pin(GzipStream {
        inner,
        encoder: GzipEncoder::new(6),
        header: Some(gzip::header(fname(random_len, false).as_deref(), 255)),
        done: false,
    })
}

struct GzipStream {
    inner: BodyStream,
    encoder: GzipEncoder,
    header: Option<Vec<u8>>,
    done: bool,
}

impl Stream for GzipStream {
    type Item = Result<Bytes, io::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(h) = this.header.take() {
            return Poll::Ready(Some(Ok(Bytes::from(h))));
        }
        if this.done {
            return Poll::Ready(None);
        }
        loop {
            match this.inner.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(chunk))) => {
                    let mut out = Vec::new();
                    this.encoder.write(&chunk, &mut out);
                    if !out.is_empty() {
                        return Poll::Ready(Some(Ok(Bytes::from(out))));
                    }
                }
                Poll::Ready(None) => {
                    this.done = true;
                    let mut out = Vec::new();
                    this.encoder.finish(&mut out);
                    return Poll::Ready(Some(Ok(Bytes::from(out))));
                }
            }
        }
    }
}

impl Middleware for GZipMiddleware {
    async fn call(&self, request: HttpRequest, next: Next<'_>) -> Result<HttpResponse, Error> {
        let ae = request
            .header("accept-encoding")
            .map(|v| v.into_owned())
            .unwrap_or_default();
        let response = next.run(request).await;
        Ok(self.process_response(&ae, response))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gunzip(data: &[u8]) -> Vec<u8> {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(data)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn accept_encoding_regex() {
        for yes in [
            "gzip",
            "deflate,gzip",
            "x-gzip",
            "gzip;q=0",
            "br;q=1.0, gzip;q=0.8",
            "gzip, deflate, br",
        ] {
            assert!(accepts_gzip(yes), "{yes}");
        }
        for no in ["GZIP", "gzipped", "nogzip", "*", "identity", "deflate", ""] {
            assert!(!accepts_gzip(no), "{no}");
        }
    }

    #[test]
    fn compress_string_round_trips_with_python_header() {
        let data = b"hello world ".repeat(50);
        let z = compress_string(&data, 0, true);
        assert_eq!(&z[..12], &[0x1f, 0x8b, 8, 8, 0, 0, 0, 0, 0, 3, 0, 0xcb]);
        assert_eq!(z.len(), 40);
        assert_eq!(gunzip(&z), data);
        let z = compress_string(&data, 37, true);
        assert_eq!(z.len(), 77);
        assert_eq!(gunzip(&z), data);
    }
}

//! The equivalent of `django/middleware/gzip.py` (and `compress_string`/`compress_sequence`
//! of `django/utils/text.py`), with brotli and zstd beyond Django, off by default.
//!
//! # Encodings beyond Django
//!
//! With GZIP_BROTLI and GZIP_ZSTD off (the default), and no [`GZipMiddleware::brotli`] or
//! [`GZipMiddleware::zstd`], the middleware is Django's, byte for byte: gzip for clients whose
//! `Accept-Encoding` matches the regex `\bgzip\b`, q-values ignored.
//!
//! Once either is enabled, `Accept-Encoding` is read as RFC 9110 §12.5.3 says, by [`negotiate`]:
//! coding tokens are case-insensitive, `x-gzip` is `gzip`, each coding's weight is its own
//! `q` (1 when absent) or else that of `*`, `q=0` means "not acceptable", and the enabled coding
//! of highest weight wins, ties going to the server's preference: `br`, then `zstd`, then
//! `gzip`. A client that lists `identity` with a weight above every enabled coding's gets the
//! response uncompressed. No acceptable coding (or no `Accept-Encoding` at all) leaves the
//! response uncompressed: never a 406, as with Django.
//!
//! Django's other rules hold for every coding: bodies under 200 bytes and responses that
//! already have a `Content-Encoding` are untouched; otherwise `Vary: Accept-Encoding` is added;
//! a complete body is replaced only if its compressed form is shorter (and gets the new
//! `Content-Length`); a stream is always compressed and loses its `Content-Length`; a strong
//! `ETag` becomes weak. Streams are compressed chunk by chunk in constant memory, and with
//! brotli and zstd each chunk is flushed, so what a view yielded is decodable by the client
//! before the view yields the next (the gzip stream, as Django's `compress_sequence`, is not
//! flushed per chunk).
//!
//! ## BREACH padding
//!
//! `max_random_bytes` (default 100) pads every compressed response with a random length in
//! `0..max_random_bytes`, so that the compressed length does not reveal how well a secret
//! compressed with attacker-controlled text. Each coding has its own place for it:
//!
//! - gzip: a file name of that many bytes in the gzip header (Django's FNAME field);
//! - zstd: a skippable frame (RFC 8878 §3.1.2) before the data frame, 8 bytes of frame header
//!   plus that many zero bytes; decoders skip it;
//! - brotli: a metadata meta-block (RFC 7932 §9.2, `MNIBBLES = 0`) of that many zero bytes
//!   at the start of the stream, emitted by the encoder's `EMIT_METADATA` operation; decoders
//!   skip it.
//!
//! `max_random_bytes(0)` turns the padding off for all three.
//!
//! ## Levels
//!
//! Brotli quality GZIP_BROTLI_QUALITY (default 4, 0–11) and zstd level GZIP_ZSTD_LEVEL
//! (default 3, 1–19), fit for on-the-fly compression; gzip is level 6, as Django's. The
//! `brotli` and `zstd` cargo features (on by default) bring the encoders; enabling an encoding
//! whose feature is off is an `ImproperlyConfigured` error.
//!
//! # Examples
//!
//! ```
//! use nuages::middleware::gzip::GZipMiddleware;
//! use nuages::HttpResponse;
//!
//! # #[cfg(feature = "brotli")] {
//! let gzip = GZipMiddleware::new().brotli(true);
//! let body = "hello world ".repeat(50);
//! let response = gzip.process_response("gzip, br", HttpResponse::new(body));
//! assert_eq!(response.headers()["content-encoding"], "br");
//! assert_eq!(response.headers()["vary"], "Accept-Encoding");
//! # }
//! ```

use std::io;

use http::header::{HeaderValue, CONTENT_ENCODING, CONTENT_LENGTH, ETAG};
use nuages_py::gzip::{self, GzipEncoder};
use rand::Rng;

use super::MiddlewareMixin;
use crate::conf::Settings;
use crate::core::exceptions::ImproperlyConfigured;
use crate::http::body::BodyStream;
use crate::utils::cache::patch_vary_static;
use crate::{Error, HttpRequest, HttpResponse};

mod encoders;

use encoders::Codec;

/// `GZipMiddleware`: compresses responses for clients whose `Accept-Encoding` matches the
/// case-sensitive regex `\bgzip\b` (q-values ignored, like Django), with Django's rules: bodies
/// under 200 bytes and already encoded responses are untouched; otherwise `Vary:
/// Accept-Encoding` is added; a complete body is replaced only if the compressed form is
/// shorter; streams are always compressed (chunk by chunk, in constant memory) and lose their
/// `Content-Length`; a strong `ETag` becomes weak. Like Django, 0–99 random bytes are added to
/// the gzip header (BREACH mitigation).
///
/// Beyond Django, and off by default, it also speaks brotli (`br`) and zstd to clients that
/// prefer them: settings GZIP_BROTLI / GZIP_ZSTD (and their levels GZIP_BROTLI_QUALITY /
/// GZIP_ZSTD_LEVEL), or the builder methods, which take precedence over the settings. See the
/// [module documentation](self) for the negotiation and the padding.
///
/// # Examples
///
/// ```
/// use nuages::middleware::gzip::GZipMiddleware;
/// use nuages::HttpResponse;
///
/// let body = "hello world ".repeat(50);
/// // Django's behaviour: gzip whatever the q-values say.
/// let response = GZipMiddleware::new().process_response("gzip;q=0", HttpResponse::new(body));
/// assert_eq!(response.headers()["content-encoding"], "gzip");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct GZipMiddleware {
    max_random_bytes: usize,
    brotli: Option<bool>,
    brotli_quality: Option<u32>,
    zstd: Option<bool>,
    zstd_level: Option<i32>,
}

impl Default for GZipMiddleware {
    fn default() -> Self {
        GZipMiddleware {
            max_random_bytes: 100,
            brotli: None,
            brotli_quality: None,
            zstd: None,
            zstd_level: None,
        }
    }
}

/// The brotli quality of on-the-fly compression when neither GZIP_BROTLI_QUALITY nor
/// [`GZipMiddleware::brotli_quality`] says otherwise.
pub const DEFAULT_BROTLI_QUALITY: u32 = 4;

/// The zstd level of on-the-fly compression when neither GZIP_ZSTD_LEVEL nor
/// [`GZipMiddleware::zstd_level`] says otherwise.
pub const DEFAULT_ZSTD_LEVEL: i32 = 3;

/// The zstd levels accepted: 19 at most, whose window (8 MiB) is the largest RFC 9659 asks an
/// HTTP client to decode.
const ZSTD_LEVELS: std::ops::RangeInclusive<i32> = 1..=19;

/// The encodings beyond Django in force for one response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Extra {
    /// The brotli quality, when brotli is enabled.
    brotli: Option<u32>,
    /// The zstd level, when zstd is enabled.
    zstd: Option<i32>,
}

impl Extra {
    /// The codings offered, in the server's order of preference.
    fn offered(self) -> Vec<Encoding> {
        let mut offered = Vec::with_capacity(3);
        if self.brotli.is_some() {
            offered.push(Encoding::Brotli);
        }
        if self.zstd.is_some() {
            offered.push(Encoding::Zstd);
        }
        offered.push(Encoding::Gzip);
        offered
    }

    /// The encoder of `encoding`, unless it is gzip (Django's own path).
    fn codec(self, encoding: Encoding) -> Option<Codec> {
        match encoding {
            #[cfg(feature = "brotli")]
            Encoding::Brotli => self.brotli.map(Codec::Brotli),
            #[cfg(feature = "zstd")]
            Encoding::Zstd => self.zstd.map(Codec::Zstd),
            _ => None,
        }
    }
}

impl GZipMiddleware {
    /// The middleware (`max_random_bytes = 100`; brotli and zstd as the settings say, off by
    /// default).
    pub fn new() -> Self {
        GZipMiddleware::default()
    }

    /// Changes `max_random_bytes` (0 disables the random padding of every encoding).
    pub fn max_random_bytes(mut self, n: usize) -> Self {
        self.max_random_bytes = n;
        self
    }

    /// Enables or disables brotli (`Content-Encoding: br`) whatever GZIP_BROTLI says.
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::middleware::gzip::GZipMiddleware;
    /// use nuages::HttpResponse;
    ///
    /// let gzip = GZipMiddleware::new().brotli(true);
    /// let body = "hello world ".repeat(50);
    /// let response = gzip.process_response("gzip;q=0.8, br", HttpResponse::new(body.clone()));
    /// assert_eq!(response.headers()["content-encoding"], "br");
    /// // The client prefers gzip.
    /// let response = gzip.process_response("gzip, br;q=0.5", HttpResponse::new(body));
    /// assert_eq!(response.headers()["content-encoding"], "gzip");
    /// ```
    #[cfg(feature = "brotli")]
    pub fn brotli(mut self, enabled: bool) -> Self {
        self.brotli = Some(enabled);
        self
    }

    /// The brotli quality (clamped to 0–11) whatever GZIP_BROTLI_QUALITY says.
    #[cfg(feature = "brotli")]
    pub fn brotli_quality(mut self, quality: u32) -> Self {
        self.brotli_quality = Some(quality.min(11));
        self
    }

    /// Enables or disables zstd (`Content-Encoding: zstd`) whatever GZIP_ZSTD says.
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::middleware::gzip::GZipMiddleware;
    /// use nuages::HttpResponse;
    ///
    /// let gzip = GZipMiddleware::new().zstd(true);
    /// let body = "hello world ".repeat(50);
    /// let response = gzip.process_response("gzip, zstd", HttpResponse::new(body));
    /// assert_eq!(response.headers()["content-encoding"], "zstd");
    /// ```
    #[cfg(feature = "zstd")]
    pub fn zstd(mut self, enabled: bool) -> Self {
        self.zstd = Some(enabled);
        self
    }

    /// The zstd level (clamped to 1–19) whatever GZIP_ZSTD_LEVEL says.
    #[cfg(feature = "zstd")]
    pub fn zstd_level(mut self, level: i32) -> Self {
        self.zstd_level = Some(level.clamp(*ZSTD_LEVELS.start(), *ZSTD_LEVELS.end()));
        self
    }

    /// The encodings beyond Django from the builder alone (the defaults elsewhere).
    fn extra_without_settings(&self) -> Extra {
        Extra {
            brotli: self
                .brotli
                .unwrap_or(false)
                .then(|| self.brotli_quality.unwrap_or(DEFAULT_BROTLI_QUALITY)),
            zstd: self
                .zstd
                .unwrap_or(false)
                .then(|| self.zstd_level.unwrap_or(DEFAULT_ZSTD_LEVEL)),
        }
    }

    /// The encodings beyond Django from the builder, then `settings`.
    fn extra(&self, settings: &Settings) -> Result<Extra, ImproperlyConfigured> {
        let brotli = self.brotli.unwrap_or(settings.gzip_brotli);
        let zstd = self.zstd.unwrap_or(settings.gzip_zstd);
        let quality = self.brotli_quality.unwrap_or(settings.gzip_brotli_quality);
        let level = self.zstd_level.unwrap_or(settings.gzip_zstd_level);
        if brotli && !cfg!(feature = "brotli") {
            return Err(ImproperlyConfigured::new(
                "GZIP_BROTLI needs nuages' `brotli` cargo feature",
            ));
        }
        if zstd && !cfg!(feature = "zstd") {
            return Err(ImproperlyConfigured::new(
                "GZIP_ZSTD needs nuages' `zstd` cargo feature",
            ));
        }
        if quality > 11 {
            return Err(ImproperlyConfigured::new(format!(
                "GZIP_BROTLI_QUALITY must be 0–11, got {quality}"
            )));
        }
        if !ZSTD_LEVELS.contains(&level) {
            return Err(ImproperlyConfigured::new(format!(
                "GZIP_ZSTD_LEVEL must be 1–19, got {level}"
            )));
        }
        Ok(Extra {
            brotli: brotli.then_some(quality),
            zstd: zstd.then_some(level),
        })
    }

    fn random_len(&self) -> usize {
        if self.max_random_bytes == 0 {
            0
        } else {
            rand::thread_rng().gen_range(0..self.max_random_bytes)
        }
    }

    /// The random padding length of one response, `None` when padding is off.
    fn padding(&self) -> Option<usize> {
        (self.max_random_bytes > 0).then(|| self.random_len())
    }

    /// Django's `process_response`, with the encodings the builder enabled (the settings are
    /// read by the middleware's `call`, not here).
    pub fn process_response(&self, accept_encoding: &str, response: HttpResponse) -> HttpResponse {
        self.respond(self.extra_without_settings(), accept_encoding, response)
    }

    fn respond(
        &self,
        extra: Extra,
        accept_encoding: &str,
        mut response: HttpResponse,
    ) -> HttpResponse {
        if !response.is_streaming() && response.complete_content().len() < 200 {
            return response;
        }
        if response.headers().contains_key(CONTENT_ENCODING) {
            return response;
        }
        let _ = patch_vary_static(response.headers_mut(), "Accept-Encoding");
        let encoding = if extra == Extra::default() {
            // Django's rule, exactly.
            accepts_gzip(accept_encoding).then_some(Encoding::Gzip)
        } else {
            negotiate(accept_encoding, &extra.offered())
        };
        let Some(encoding) = encoding else {
            return response;
        };
        let codec = extra.codec(encoding);
        if response.is_streaming() {
            let prepared = match codec.map(|c| encoders::Prepared::new(c, None, self.padding())) {
                None => None,
                Some(Ok(prepared)) => Some(prepared),
                Some(Err(error)) => {
                    tracing::error!(target: "nuages::request", "{encoding:?} encoder: {error}");
                    return response;
                }
            };
            let Some(stream) = response.take_stream() else {
                return response;
            };
            let compressed = match prepared {
                None => compress_stream(stream, self.random_len()),
                Some(prepared) => prepared.into_stream(stream),
            };
            response.set_streaming_content(compressed);
            response.delete_header("content-length");
        } else {
            let compressed = match codec {
                None => compress_string(response.complete_content(), self.random_len(), true),
                Some(codec) => {
                    match encoders::compress(codec, response.complete_content(), self.padding()) {
                        Ok(compressed) => compressed,
                        Err(error) => {
                            tracing::error!(target: "nuages::request", "{encoding:?} encoder: {error}");
                            return response;
                        }
                    }
                }
            };
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
            .insert(CONTENT_ENCODING, encoding.header_value());
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

/// A content coding [`GZipMiddleware`] can answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// Brotli, `br` (RFC 7932).
    Brotli,
    /// Zstandard, `zstd` (RFC 8878, RFC 9659).
    Zstd,
    /// gzip, `gzip` (RFC 1952); `x-gzip` in `Accept-Encoding` names it too.
    Gzip,
}

impl Encoding {
    /// The coding's token, as in `Content-Encoding`.
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::middleware::gzip::Encoding;
    /// assert_eq!(Encoding::Brotli.as_str(), "br");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Zstd => "zstd",
            Encoding::Gzip => "gzip",
        }
    }

    /// The `Content-Encoding` header value.
    pub fn header_value(self) -> HeaderValue {
        HeaderValue::from_static(self.as_str())
    }

    /// Whether the `Accept-Encoding` token `token` (case-insensitive) names this coding.
    fn is_named(self, token: &str) -> bool {
        token.eq_ignore_ascii_case(self.as_str())
            || (self == Encoding::Gzip && token.eq_ignore_ascii_case("x-gzip"))
    }
}

/// A weight (RFC 9110 §12.4.2 `qvalue`) in thousandths: `0`, `0.5`, `1.000`; `None` for
/// anything else.
fn parse_qvalue(value: &str) -> Option<u16> {
    let (int, frac) = match value.split_once('.') {
        Some((int, frac)) => (int, frac),
        None => (value, ""),
    };
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = frac
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
    match int {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// The `(coding, weight)` pairs of an `Accept-Encoding` value, weights in thousandths (1000
/// when absent). An element whose weight is not a valid `qvalue` is left out.
fn accept_encoding_weights(accept_encoding: &str) -> impl Iterator<Item = (&str, u16)> {
    accept_encoding.split(',').filter_map(|element| {
        let mut parts = element.split(';');
        let coding = parts.next()?.trim();
        if coding.is_empty() {
            return None;
        }
        let mut weight = 1000;
        for param in parts {
            let (name, value) = param.split_once('=')?;
            if name.trim().eq_ignore_ascii_case("q") {
                weight = parse_qvalue(value.trim())?;
            }
        }
        Some((coding, weight))
    })
}

/// The coding of `offered` (in the server's order of preference) to answer a request with this
/// `Accept-Encoding` (RFC 9110 §12.5.3), or `None` for no compression.
///
/// Coding tokens are case-insensitive and `x-gzip` is `gzip`. A coding's weight is the highest
/// `q` of the elements that name it (1 when an element has none), or else that of `*`; a
/// coding neither named nor covered by `*` is not acceptable, nor is one of weight 0. The
/// acceptable coding of highest weight wins, ties going to the one first in `offered`. When
/// `identity` is named with a weight above the winner's, the answer is `None`: the client
/// prefers the response uncompressed. An empty `Accept-Encoding` accepts no coding. An element
/// with a malformed weight (`q=2`, `q=high`) is ignored.
///
/// # Examples
///
/// ```
/// use nuages::middleware::gzip::{negotiate, Encoding};
///
/// let all = [Encoding::Brotli, Encoding::Zstd, Encoding::Gzip];
/// assert_eq!(negotiate("gzip, deflate, br, zstd", &all), Some(Encoding::Brotli));
/// assert_eq!(negotiate("br;q=0.5, zstd;q=0.9, gzip", &all), Some(Encoding::Gzip));
/// assert_eq!(negotiate("br;q=0, *;q=0.1", &all), Some(Encoding::Zstd));
/// assert_eq!(negotiate("GZIP", &[Encoding::Gzip]), Some(Encoding::Gzip));
/// assert_eq!(negotiate("br", &[Encoding::Gzip]), None);
/// assert_eq!(negotiate("gzip;q=0.5, identity", &all), None);
/// assert_eq!(negotiate("", &all), None);
/// ```
pub fn negotiate(accept_encoding: &str, offered: &[Encoding]) -> Option<Encoding> {
    let mut star = None;
    let mut identity = None;
    let mut named: Vec<Option<u16>> = vec![None; offered.len()];
    for (coding, weight) in accept_encoding_weights(accept_encoding) {
        let best = |w: Option<u16>| Some(w.map_or(weight, |w| w.max(weight)));
        if coding == "*" {
            star = best(star);
        } else if coding.eq_ignore_ascii_case("identity") {
            identity = best(identity);
        } else {
            for (slot, encoding) in named.iter_mut().zip(offered) {
                if encoding.is_named(coding) {
                    *slot = best(*slot);
                }
            }
        }
    }
    let mut winner: Option<(Encoding, u16)> = None;
    for (encoding, weight) in offered.iter().zip(named) {
        let weight = weight.or(star).unwrap_or(0);
        if weight > 0 && winner.is_none_or(|(_, w)| weight > w) {
            winner = Some((*encoding, weight));
        }
    }
    let (encoding, weight) = winner?;
    match identity {
        Some(identity) if identity > weight => None,
        _ => Some(encoding),
    }
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

/// Django's `compress_sequence`: a gzip stream over a stream of chunks, in constant memory
/// (not flushed per chunk, as Django's is not).
pub fn compress_stream(inner: BodyStream, random_len: usize) -> BodyStream {
    let header = gzip::header(fname(random_len, false).as_deref(), 255);
    encoders::encoded_stream(inner, Box::new(GzipEncoder::new(6)), header, false)
}

impl encoders::ChunkEncoder for GzipEncoder {
    fn write(&mut self, data: &[u8], _flush: bool, out: &mut Vec<u8>) -> io::Result<()> {
        GzipEncoder::write(self, data, out);
        Ok(())
    }

    fn finish(&mut self, out: &mut Vec<u8>) -> io::Result<()> {
        GzipEncoder::finish(self, out);
        Ok(())
    }
}

impl MiddlewareMixin for GZipMiddleware {
    fn configure(&mut self, settings: &Settings) -> Result<(), ImproperlyConfigured> {
        self.extra(settings).map(drop)
    }

    fn process_response(
        &self,
        request: &HttpRequest,
        response: HttpResponse,
    ) -> Result<HttpResponse, Error> {
        // Too short to compress: nothing else to look at (Django's first test).
        if !response.is_streaming() && response.complete_content().len() < 200 {
            return Ok(response);
        }
        let extra = self.extra(request.settings())?;
        let ae = request.header(http::header::ACCEPT_ENCODING);
        Ok(self.respond(extra, ae.as_deref().unwrap_or(""), response))
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

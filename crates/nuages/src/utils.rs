//! The equivalent of `django/utils/`: encoding, HTTP, cache, date-format, HTML and decorator
//! helpers.

pub mod cache;
pub mod csp;
pub mod dateformat;
pub mod decorators;
pub mod encoding;
pub mod html;
pub mod http;
pub mod log;
pub mod os;
pub mod sync;

/// Python-compatible character sets: [`Charset`](nuages_py::codecs::Charset) is Python's
/// `codecs.lookup()` and codecs, from [`nuages::py::codecs`](crate::py::codecs).
pub mod charset {
    pub use nuages_py::codecs::Charset;
}

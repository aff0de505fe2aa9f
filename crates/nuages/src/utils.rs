//! The equivalent of `django/utils/`: encoding, HTTP and cache helpers.

pub mod cache;
pub mod encoding;
pub mod http;

/// Python-compatible character sets: [`Charset`](nuages_py::codecs::Charset) is Python's
/// `codecs.lookup()` and codecs, from [`nuages::py::codecs`](crate::py::codecs).
pub mod charset {
    pub use nuages_py::codecs::Charset;
}

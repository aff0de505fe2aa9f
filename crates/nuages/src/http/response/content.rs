//! What a response's content can be made of (Django's `HttpResponse.make_bytes`), and the
//! errors of content access and of the response builder.

use std::borrow::Cow;
use std::fmt;

use bytes::{Bytes, BytesMut};

use super::headers::BadHeaderError;
use crate::http::reason::InvalidStatus;

/// Content for a response or one piece of it: text, encoded with the response's charset
/// (Django's `str` content), or bytes, used as they are (`bytes`, `memoryview`).
///
/// Integers become their decimal text, as Django's `str(value)`.
///
/// # Examples
/// ```
/// use nuages::http::response::Content;
/// use nuages::HttpResponse;
///
/// // Django's HttpResponse(["a", b"b", 3]):
/// let r: HttpResponse = [Content::from("a"), Content::from(&b"b"[..]), Content::from(3)]
///     .into_iter()
///     .collect();
/// assert_eq!(r.content().unwrap(), b"ab3");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Text, encoded with the response's charset.
    Text(Cow<'static, str>),
    /// Bytes, as they are.
    Bytes(Bytes),
}

impl Content {
    /// Whether there is nothing in it.
    pub fn is_empty(&self) -> bool {
        match self {
            Content::Text(t) => t.is_empty(),
            Content::Bytes(b) => b.is_empty(),
        }
    }
}

impl From<&'static str> for Content {
    fn from(s: &'static str) -> Self {
        Content::Text(Cow::Borrowed(s))
    }
}

impl From<String> for Content {
    fn from(s: String) -> Self {
        Content::Text(Cow::Owned(s))
    }
}

impl From<&String> for Content {
    fn from(s: &String) -> Self {
        Content::Text(Cow::Owned(s.clone()))
    }
}

impl From<Cow<'static, str>> for Content {
    fn from(s: Cow<'static, str>) -> Self {
        Content::Text(s)
    }
}

impl From<Bytes> for Content {
    fn from(b: Bytes) -> Self {
        Content::Bytes(b)
    }
}

impl From<BytesMut> for Content {
    fn from(b: BytesMut) -> Self {
        Content::Bytes(b.freeze())
    }
}

impl From<Vec<u8>> for Content {
    fn from(b: Vec<u8>) -> Self {
        Content::Bytes(Bytes::from(b))
    }
}

impl From<Box<[u8]>> for Content {
    fn from(b: Box<[u8]>) -> Self {
        Content::Bytes(Bytes::from(b))
    }
}

impl From<&'static [u8]> for Content {
    fn from(b: &'static [u8]) -> Self {
        Content::Bytes(Bytes::from_static(b))
    }
}

impl<const N: usize> From<&'static [u8; N]> for Content {
    fn from(b: &'static [u8; N]) -> Self {
        Content::Bytes(Bytes::from_static(b))
    }
}

macro_rules! content_from_integer {
    ($($t:ty)*) => {$(
        impl From<$t> for Content {
            /// The decimal text of the number (Django's `str(value)`).
            fn from(n: $t) -> Self {
                Content::Text(Cow::Owned(n.to_string()))
            }
        }
    )*};
}
content_from_integer!(i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize);

/// What a streaming response (`StreamingHttpResponse`, `FileResponse`) does not have or do,
/// with Django's message and exception class.
///
/// # Examples
/// ```
/// let mut r = nuages::HttpResponse::streaming_iter([bytes::Bytes::from("a")]);
/// assert_eq!(
///     r.content().unwrap_err().to_string(),
///     "This StreamingHttpResponse instance has no `content` attribute. Use `streaming_content` instead."
/// );
/// assert_eq!(
///     r.write("x").unwrap_err().to_string(),
///     "This StreamingHttpResponse instance is not writable"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamingError {
    class: &'static str,
    kind: StreamingErrorKind,
}

/// Which access a [`StreamingError`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamingErrorKind {
    /// `.content` (AttributeError).
    Content,
    /// `.text` (AttributeError).
    Text,
    /// `write()` / `writelines()` (OSError).
    Write,
    /// `tell()` (OSError).
    Tell,
}

impl StreamingError {
    pub(crate) fn new(class: &'static str, kind: StreamingErrorKind) -> Self {
        StreamingError { class, kind }
    }

    /// Which access was refused.
    pub fn kind(&self) -> StreamingErrorKind {
        self.kind
    }

    /// The Python exception class Django raises (`AttributeError` or `OSError`).
    pub fn python_exception(&self) -> &'static str {
        match self.kind {
            StreamingErrorKind::Content | StreamingErrorKind::Text => "AttributeError",
            StreamingErrorKind::Write | StreamingErrorKind::Tell => "OSError",
        }
    }
}

impl fmt::Display for StreamingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let class = self.class;
        match self.kind {
            StreamingErrorKind::Content => write!(
                f,
                "This {class} instance has no `content` attribute. Use `streaming_content` instead."
            ),
            StreamingErrorKind::Text => {
                write!(f, "This {class} instance has no `text` attribute.")
            }
            StreamingErrorKind::Write => write!(f, "This {class} instance is not writable"),
            StreamingErrorKind::Tell => {
                write!(f, "This {class} instance cannot tell its position")
            }
        }
    }
}

impl std::error::Error for StreamingError {}

/// What Django's `HttpResponse(...)` constructor would have raised, kept by a builder method
/// of [`HttpResponse`](super::HttpResponse) (see
/// [`HttpResponse::build_error`](super::HttpResponse::build_error)). A response carrying one is
/// never sent: the framework answers it like an error raised by the view, a 500.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseError {
    /// A header name or value Django refuses (`BadHeaderError`, `UnicodeEncodeError`).
    Header(BadHeaderError),
    /// A status outside 100–599 (`ValueError`).
    Status(InvalidStatus),
    /// Text the response's charset cannot encode, or an unknown charset
    /// (`UnicodeEncodeError`, `LookupError`).
    Encode(String),
    /// `headers=` holds a Content-Type and `content_type=` is given too (`ValueError`).
    ContentTypeConflict,
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseError::Header(e) => e.fmt(f),
            ResponseError::Status(e) => e.fmt(f),
            ResponseError::Encode(message) => f.write_str(message),
            ResponseError::ContentTypeConflict => f.write_str(
                "'headers' must not contain 'Content-Type' when the 'content_type' parameter is provided.",
            ),
        }
    }
}

impl std::error::Error for ResponseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ResponseError::Header(e) => Some(e),
            ResponseError::Status(e) => Some(e),
            _ => None,
        }
    }
}

impl From<BadHeaderError> for ResponseError {
    fn from(e: BadHeaderError) -> Self {
        ResponseError::Header(e)
    }
}

impl From<InvalidStatus> for ResponseError {
    fn from(e: InvalidStatus) -> Self {
        ResponseError::Status(e)
    }
}

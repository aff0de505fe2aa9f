//! The errors of [`MultiPartParser::parse`](super::MultiPartParser::parse).

use std::error::Error;
use std::fmt;
use std::io;

use super::BoxError;
use crate::core::exceptions::{RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent};

/// Django's message when a part's headers do not fit in `MAX_TOTAL_HEADER_SIZE`.
pub(super) const HEADER_TOO_LARGE: &str = "Request max total header size exceeded.";

/// A malformed multipart request (Django's `MultiPartParserError`, answered with a 400).
///
/// # Examples
///
/// ```
/// use futures_util::stream;
/// use nuages::http::multipart::{Limits, MultiPartParser, MultipartError};
/// use nuages::utils::charset::Charset;
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let parser = MultiPartParser::new(Limits::default(), Charset::UTF_8);
/// let body = stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from("--x--"))]);
/// let err = parser.parse("multipart/form-data", body).await.unwrap_err();
/// assert!(matches!(err, MultipartError::Parser(_)));
/// assert_eq!(err.to_string(), "Invalid boundary in multipart: None");
/// # });
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MultiPartParserError(String);

impl MultiPartParserError {
    /// An error with `message`.
    pub fn new(message: impl Into<String>) -> Self {
        MultiPartParserError(message.into())
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MultiPartParserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Error for MultiPartParserError {}

/// Why [`MultiPartParser::parse`](super::MultiPartParser::parse) failed. Displays as
/// Django's message.
#[derive(Debug)]
#[non_exhaustive]
pub enum MultipartError {
    /// A malformed request (`MultiPartParserError`, 400).
    Parser(MultiPartParserError),
    /// Too many non-file fields (`TooManyFieldsSent`, 400).
    TooManyFieldsSent(TooManyFieldsSent),
    /// Too many files (`TooManyFilesSent`, 400).
    TooManyFilesSent(TooManyFilesSent),
    /// Too much non-file field data (`RequestDataTooBig`, 400).
    RequestDataTooBig(RequestDataTooBig),
    /// Reading the body or writing a temporary file failed.
    Io(io::Error),
}

impl MultipartError {
    /// Whether the request is at fault (Django answers these with a 400); `false` for
    /// [`MultipartError::Io`].
    pub fn is_client_error(&self) -> bool {
        !matches!(self, MultipartError::Io(_))
    }

    /// The framework error for this failure: a 400 for the client's mistakes (Django's
    /// `response_for_exception` answers `MultiPartParserError` and the limits that way), a 500
    /// for I/O errors.
    pub fn into_error(self) -> crate::Error {
        let kind = if self.is_client_error() {
            crate::ErrorKind::BadRequest
        } else {
            crate::ErrorKind::Internal
        };
        crate::Error::new(kind, self)
    }

    pub(super) fn from_body(err: BoxError) -> Self {
        match err.downcast::<io::Error>() {
            Ok(err) => MultipartError::Io(*err),
            Err(err) => MultipartError::Io(io::Error::other(err)),
        }
    }
}

impl fmt::Display for MultipartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MultipartError::Parser(err) => err.fmt(f),
            MultipartError::TooManyFieldsSent(err) => err.fmt(f),
            MultipartError::TooManyFilesSent(err) => err.fmt(f),
            MultipartError::RequestDataTooBig(err) => err.fmt(f),
            MultipartError::Io(err) => err.fmt(f),
        }
    }
}

impl Error for MultipartError {}

impl_from!(MultipartError {
    MultiPartParserError => |err| MultipartError::Parser(err),
    TooManyFieldsSent => |err| MultipartError::TooManyFieldsSent(err),
    TooManyFilesSent => |err| MultipartError::TooManyFilesSent(err),
    RequestDataTooBig => |err| MultipartError::RequestDataTooBig(err),
    io::Error => |err| MultipartError::Io(err),
});

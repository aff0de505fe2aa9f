//! The equivalent of `django.core.exceptions` (and `django.http.Http404`): the errors a view,
//! a middleware or the framework itself can raise, and how each maps to an HTTP answer.
//!
//! Views return `Result<HttpResponse, Error>`. Any `std::error::Error` converts into [`Error`]
//! with `?`; the framework classifies it when it converts, exactly like Django's
//! `response_for_exception`:
//!
//! | error | Django | answer |
//! |---|---|---|
//! | [`Http404`] | `Http404` | handler404 (404) |
//! | [`PermissionDenied`] | `PermissionDenied` | handler403 (403) |
//! | [`BadRequest`] | `BadRequest` | handler400 (400) |
//! | [`SuspiciousOperation`] (and [`DisallowedHost`], [`RequestDataTooBig`], …) | `SuspiciousOperation` | handler400 (400) |
//! | anything else, or a panic | any other exception | handler500 (500) |

use std::any::Any;
use std::borrow::Cow;
use std::fmt;

pub use crate::http::host::DisallowedHost;

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// How the framework answers an [`Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `Http404`: answered by handler404.
    NotFound,
    /// `PermissionDenied`: answered by handler403.
    PermissionDenied,
    /// `BadRequest`, `SuspiciousOperation` and its subclasses, `MultiPartParserError`: handler400.
    BadRequest,
    /// Any other error (or a panic): handler500.
    Internal,
}

impl ErrorKind {
    /// The HTTP status the default handler answers with.
    ///
    /// # Examples
    /// ```
    /// use nuages::ErrorKind;
    /// assert_eq!(ErrorKind::NotFound.status(), http::StatusCode::NOT_FOUND);
    /// ```
    pub fn status(self) -> http::StatusCode {
        match self {
            ErrorKind::NotFound => http::StatusCode::NOT_FOUND,
            ErrorKind::PermissionDenied => http::StatusCode::FORBIDDEN,
            ErrorKind::BadRequest => http::StatusCode::BAD_REQUEST,
            ErrorKind::Internal => http::StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The error type of views and middleware: any error, classified by [`ErrorKind`].
///
/// Like `anyhow::Error`, it does not itself implement `std::error::Error`, so that every error
/// type converts into it with `?`.
///
/// # Examples
/// ```
/// use nuages::{Error, ErrorKind, Http404};
/// let e: Error = Http404::new("No book matches the given query.").into();
/// assert_eq!(e.kind(), ErrorKind::NotFound);
/// let e: Error = std::io::Error::other("disk on fire").into();
/// assert_eq!(e.kind(), ErrorKind::Internal);
/// ```
pub struct Error {
    kind: ErrorKind,
    inner: BoxError,
}

impl Error {
    /// Wraps `error` with an explicit kind.
    pub fn new<E>(kind: ErrorKind, error: E) -> Self
    where
        E: Into<BoxError>,
    {
        Error {
            kind,
            inner: error.into(),
        }
    }

    /// An internal error (500) with a message.
    pub fn msg(message: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::Internal, Message(message.into()))
    }

    /// The class of the error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The wrapped error.
    pub fn inner(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.inner
    }

    /// Whether the wrapped error is a `T`.
    pub fn is<T: std::error::Error + 'static>(&self) -> bool {
        self.inner.is::<T>()
    }

    /// The wrapped error as a `T`, if it is one.
    pub fn downcast_ref<T: std::error::Error + 'static>(&self) -> Option<&T> {
        self.inner.downcast_ref::<T>()
    }

    /// Builds an internal error from a panic payload (a view that panicked).
    pub(crate) fn from_panic(payload: Box<dyn Any + Send>) -> Self {
        let text = if let Some(s) = payload.downcast_ref::<&'static str>() {
            (*s).to_owned()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "panic with a non-string payload".to_owned()
        };
        Error::msg(format!("panicked: {text}"))
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("inner", &self.inner)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.inner, f)
    }
}

fn classify(e: &(dyn std::error::Error + 'static)) -> ErrorKind {
    if e.is::<Http404>() {
        ErrorKind::NotFound
    } else if e.is::<PermissionDenied>() {
        ErrorKind::PermissionDenied
    } else if e.is::<BadRequest>()
        || e.is::<SuspiciousOperation>()
        || e.is::<DisallowedHost>()
        || e.is::<crate::http::response::DisallowedRedirect>()
        || e.is::<RequestDataTooBig>()
        || e.is::<crate::http::query_dict::TooManyFieldsSent>()
        || e.is::<crate::http::multipart::MultiPartParserError>()
        || e.is::<crate::http::multipart::TooManyFilesSent>()
        || e.is::<crate::http::multipart::RequestDataTooBig>()
        || e.downcast_ref::<crate::http::multipart::MultipartError>()
            .is_some_and(|m| m.is_client_error())
    {
        ErrorKind::BadRequest
    } else {
        ErrorKind::Internal
    }
}

impl<E> From<E> for Error
where
    E: std::error::Error + Send + Sync + 'static,
{
    fn from(error: E) -> Self {
        let kind = classify(&error);
        Error {
            kind,
            inner: Box::new(error),
        }
    }
}

#[derive(Debug)]
struct Message(Cow<'static, str>);

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Message {}

macro_rules! message_error {
    ($(#[$doc:meta])* $name:ident, $default:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            message: Cow<'static, str>,
        }

        impl $name {
            /// Creates the error with a message.
            pub fn new(message: impl Into<Cow<'static, str>>) -> Self {
                $name { message: message.into() }
            }

            /// The message.
            pub fn message(&self) -> &str {
                &self.message
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::new($default)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.message)
            }
        }

        impl std::error::Error for $name {}
    };
}

message_error!(
    /// Django's `Http404`: answered by handler404.
    ///
    /// # Examples
    /// ```
    /// async fn detail(_req: nuages::HttpRequest) -> nuages::Result<nuages::HttpResponse> {
    ///     Err(nuages::Http404::new("No such book").into())
    /// }
    /// ```
    Http404,
    ""
);
message_error!(
    /// Django's `PermissionDenied`: answered by handler403.
    PermissionDenied,
    ""
);
message_error!(
    /// Django's `BadRequest`: answered by handler400.
    BadRequest,
    ""
);
message_error!(
    /// Django's `SuspiciousOperation` (and the subclasses without their own type here, such as
    /// `SuspiciousFileOperation` or `DisallowedRedirect`): answered by handler400.
    SuspiciousOperation,
    ""
);
message_error!(
    /// Django's `RequestDataTooBig`: the body exceeded DATA_UPLOAD_MAX_MEMORY_SIZE (400).
    RequestDataTooBig,
    "Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE."
);
message_error!(
    /// Django's `ImproperlyConfigured`: a configuration error found at start-up.
    ImproperlyConfigured,
    ""
);

/// `Result<T, nuages::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

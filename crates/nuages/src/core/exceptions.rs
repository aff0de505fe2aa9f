//! The equivalent of `django.core.exceptions` (and `django.http.Http404`): the errors a view,
//! a middleware or the framework itself can raise, each knowing how it is answered.
//!
//! Views return `Result<HttpResponse, Error>`. An [`Error`] carries an [`ErrorKind`] fixed when
//! the error is created, the way hyper's and axum's errors carry theirs: the framework never
//! inspects an error afterwards to decide its status.
//!
//! | error | Django | kind | answer |
//! |---|---|---|---|
//! | [`Http404`] | `Http404` | [`ErrorKind::NotFound`] | handler404 (404) |
//! | [`PermissionDenied`] | `PermissionDenied` | [`ErrorKind::PermissionDenied`] | handler403 (403) |
//! | [`BadRequest`] | `BadRequest` | [`ErrorKind::BadRequest`] | handler400 (400) |
//! | [`SuspiciousOperation`], [`SuspiciousFileOperation`], [`DisallowedHost`], [`DisallowedRedirect`], [`TooManyFieldsSent`], [`TooManyFilesSent`], [`RequestDataTooBig`] | `SuspiciousOperation` and its subclasses | [`ErrorKind::BadRequest`] | handler400 (400) |
//! | [`JsonBodyError`](crate::http::request::JsonBodyError) for a Content-Type other than JSON, [`ContentEncodingError`](crate::http::request::ContentEncodingError) for a request body in a `Content-Encoding` not enabled | — (beyond Django) | [`ErrorKind::UnsupportedMediaType`] | a plain 415 page |
//! | any other error, or a panic | any other exception | [`ErrorKind::Internal`] | handler500 (500) |
//!
//! Each answer is logged on one line, as Django's `response_for_exception` logs it: a
//! `SuspiciousOperation` (and every subclass above) at ERROR on `django.security.<class>` with
//! its message; a `BadRequest` as `<message>: <path>` and a `MultiPartParserError` as
//! `Bad request (Unable to parse request body): <path>` at WARNING on `django.request`
//! (Django's logger name, as a `tracing` target); `Not Found: <path>`, `Forbidden (Permission denied): <path>`
//! and `Internal Server Error: <path>: <message>` likewise. Paths are escaped as Django 5.2
//! escapes them ([`log_message_escape`](crate::utils::log::log_message_escape)).
//!
//! `?` converts any `std::error::Error` into an [`Error`]: the Django exceptions above with
//! their own kind (decided from the static type at the conversion, not by downcasting later),
//! everything else as [`ErrorKind::Internal`] — exactly Django's "any other exception is a 500".
//! [`Error::new`] gives any error another kind.

use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use http::StatusCode;

use nuages_py::repr::str_repr as repr;

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
    /// A request body the application cannot read in the form it was sent (a Content-Type
    /// other than the one expected, a `Content-Encoding` that is not enabled): 415, RFC 9110
    /// §15.5.16. Beyond Django (which has no such error); answered with a plain page, or the
    /// technical page in DEBUG.
    UnsupportedMediaType,
    /// A request body the client sent too slowly ([`BodyReadTimeout`](crate::http::body::BodyReadTimeout),
    /// from the server's body timeouts): 408, and the server closes the connection. Beyond
    /// Django; answered with a plain page.
    RequestTimeout,
}

impl ErrorKind {
    /// The HTTP status the default handler answers with.
    ///
    /// # Examples
    /// ```
    /// use nuages::ErrorKind;
    /// assert_eq!(ErrorKind::NotFound.status(), http::StatusCode::NOT_FOUND);
    /// ```
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::PermissionDenied => StatusCode::FORBIDDEN,
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorKind::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The error type of views and middleware: any error, with the [`ErrorKind`] it was created with.
///
/// Like `anyhow::Error`, it does not itself implement `std::error::Error`, so that every error
/// type converts into it with `?` (it converts into `Box<dyn std::error::Error>` for code that
/// needs one).
///
/// # Examples
/// ```
/// use nuages::{Error, ErrorKind, Http404};
/// let e: Error = Http404::new("No book matches the given query.").into();
/// assert_eq!(e.kind(), ErrorKind::NotFound);
/// assert_eq!(e.status(), 404);
/// let e: Error = std::io::Error::other("disk on fire").into();
/// assert_eq!(e.kind(), ErrorKind::Internal);
/// let e = Error::new(ErrorKind::PermissionDenied, std::io::Error::other("read-only"));
/// assert_eq!(e.status(), 403);
/// ```
pub struct Error {
    kind: ErrorKind,
    raised: Raised,
    inner: BoxError,
}

/// Which Django exception an [`Error`] stands for, as far as logging goes (decided when the
/// error is created, like its kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Raised {
    /// Anything without a Django class of its own here.
    Other,
    /// `BadRequest`: logged as `<message>: <path>`.
    BadRequest,
    /// `MultiPartParserError`: `Bad request (Unable to parse request body): <path>`.
    MultiPartParser,
    /// A `SuspiciousOperation` subclass: its message on `django.security.<class>`.
    Suspicious(SecurityClass),
}

/// The `SuspiciousOperation` classes, each logged on `django.security.<class name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SecurityClass {
    SuspiciousOperation,
    SuspiciousFileOperation,
    DisallowedHost,
    DisallowedRedirect,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
}

impl Raised {
    /// The class of `error` when it is one of the Django exceptions of this module.
    fn of(error: &(dyn std::error::Error + Send + Sync + 'static)) -> Raised {
        use SecurityClass as S;
        macro_rules! classes {
            ($($t:ty => $raised:expr),+ $(,)?) => {
                $(if error.is::<$t>() {
                    return $raised;
                })+
            };
        }
        classes! {
            BadRequest => Raised::BadRequest,
            SuspiciousOperation => Raised::Suspicious(S::SuspiciousOperation),
            SuspiciousFileOperation => Raised::Suspicious(S::SuspiciousFileOperation),
            DisallowedHost => Raised::Suspicious(S::DisallowedHost),
            DisallowedRedirect => Raised::Suspicious(S::DisallowedRedirect),
            RequestDataTooBig => Raised::Suspicious(S::RequestDataTooBig),
            TooManyFieldsSent => Raised::Suspicious(S::TooManyFieldsSent),
            TooManyFilesSent => Raised::Suspicious(S::TooManyFilesSent),
        }
        Raised::Other
    }
}

/// Panics caught in views and middleware since the process started (see [`panic_count`]).
static PANICS: AtomicU64 = AtomicU64::new(0);

/// How many panics of views, middleware and error handlers the framework has caught (and
/// answered with a 500) since the process started. Each one is logged with its number
/// (`panicked (panic #3): <message>`).
///
/// # Examples
/// ```
/// let before = nuages::core::exceptions::panic_count();
/// assert!(nuages::core::exceptions::panic_count() >= before);
/// ```
pub fn panic_count() -> u64 {
    PANICS.load(Ordering::Relaxed)
}

impl Error {
    /// Wraps `error` with an explicit kind.
    pub fn new<E>(kind: ErrorKind, error: E) -> Self
    where
        E: Into<BoxError>,
    {
        let inner = error.into();
        Error {
            kind,
            raised: Raised::of(&*inner),
            inner,
        }
    }

    /// [`Error::new`] standing for the Django exception `raised` (for wrappers such as
    /// `MultipartError` whose variants are Django's exceptions).
    pub(crate) fn raised_as(mut self, raised: Raised) -> Self {
        self.raised = raised;
        self
    }

    /// Which Django exception this error stands for (for logging).
    pub(crate) fn raised(&self) -> Raised {
        self.raised
    }

    /// An internal error (500) with a message.
    pub fn msg(message: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::Internal, Message(message.into()))
    }

    /// A client error (400) wrapping `error` (Django answers `MultiPartParserError` and the
    /// `SuspiciousOperation` family this way).
    pub fn bad_request<E: Into<BoxError>>(error: E) -> Self {
        Error::new(ErrorKind::BadRequest, error)
    }

    /// An internal error (500) wrapping `error`, for errors that `?` cannot convert (a
    /// `Box<dyn Error>`, say): `.map_err(Error::internal)?`.
    pub fn internal<E: Into<BoxError>>(error: E) -> Self {
        Error::new(ErrorKind::Internal, error)
    }

    /// The class of the error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The status the default error handler answers with.
    pub fn status(&self) -> StatusCode {
        self.kind.status()
    }

    /// The wrapped error.
    pub fn inner(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.inner
    }

    /// The wrapped error, owned.
    pub fn into_inner(self) -> BoxError {
        self.inner
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
        let number = PANICS.fetch_add(1, Ordering::Relaxed) + 1;
        Error::msg(format!("panicked (panic #{number}): {text}"))
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

impl From<Error> for BoxError {
    fn from(error: Error) -> Self {
        error.inner
    }
}

/// The kind of the Django exceptions of this module, by static type: evaluated per
/// monomorphization of `From::from`, so it is decided at compile time for each `?`.
fn kind_of<E: 'static>() -> ErrorKind {
    let id = TypeId::of::<E>();
    macro_rules! kinds {
        ($($kind:ident: $($t:ty),+;)*) => {
            $($(if id == TypeId::of::<$t>() {
                return ErrorKind::$kind;
            })+)*
        };
    }
    kinds! {
        NotFound: Http404;
        PermissionDenied: PermissionDenied;
        BadRequest: BadRequest, SuspiciousOperation, SuspiciousFileOperation, DisallowedHost,
            DisallowedRedirect, TooManyFieldsSent, TooManyFilesSent, RequestDataTooBig;
    }
    ErrorKind::Internal
}

impl<E> From<E> for Error
where
    E: std::error::Error + Send + Sync + 'static,
{
    fn from(error: E) -> Self {
        let inner: BoxError = Box::new(error);
        Error {
            kind: kind_of::<E>(),
            raised: Raised::of(&*inner),
            inner,
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

macro_rules! exception {
    ($(#[$doc:meta])* $name:ident, $kind:ident, $default:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            message: Cow<'static, str>,
        }

        impl $name {
            /// How the framework answers this error.
            pub const KIND: ErrorKind = ErrorKind::$kind;

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

/// A `SuspiciousOperation` subclass whose message never varies.
macro_rules! fixed_exception {
    ($(#[$doc:meta])* $name:ident, $message:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct $name;

        impl $name {
            /// How the framework answers this error.
            pub const KIND: ErrorKind = ErrorKind::BadRequest;
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str($message)
            }
        }

        impl std::error::Error for $name {}
    };
}

exception!(
    /// Django's `Http404`: answered by handler404.
    ///
    /// # Examples
    /// ```
    /// async fn detail(_req: nuages::HttpRequest) -> nuages::Result<nuages::HttpResponse> {
    ///     Err(nuages::Http404::new("No such book"))?
    /// }
    /// ```
    Http404,
    NotFound,
    ""
);
exception!(
    /// Django's `PermissionDenied`: answered by handler403.
    PermissionDenied,
    PermissionDenied,
    ""
);
exception!(
    /// Django's `BadRequest`: answered by handler400.
    BadRequest,
    BadRequest,
    ""
);
exception!(
    /// Django's `SuspiciousOperation` (and the subclasses without their own type here): answered
    /// by handler400.
    SuspiciousOperation,
    BadRequest,
    ""
);
exception!(
    /// Django's `SuspiciousFileOperation`: a file path outside the allowed root (400).
    SuspiciousFileOperation,
    BadRequest,
    ""
);
exception!(
    /// Django's `DisallowedRedirect`: an unsafe redirect scheme or an over-long URL (400).
    DisallowedRedirect,
    BadRequest,
    ""
);
fixed_exception!(
    /// Django's `RequestDataTooBig`: the body exceeded DATA_UPLOAD_MAX_MEMORY_SIZE (400).
    RequestDataTooBig,
    "Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE."
);
fixed_exception!(
    /// Django's `TooManyFieldsSent`: more GET/POST parameters than
    /// DATA_UPLOAD_MAX_NUMBER_FIELDS (400).
    ///
    /// # Examples
    /// ```
    /// use nuages::core::exceptions::TooManyFieldsSent;
    /// use nuages::http::query_dict::QueryDict;
    ///
    /// let err = QueryDict::parse_with("a=1&b=2", None, Some(1)).unwrap_err();
    /// assert_eq!(err, TooManyFieldsSent);
    /// ```
    TooManyFieldsSent,
    "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
);
fixed_exception!(
    /// Django's `TooManyFilesSent`: more file parts than DATA_UPLOAD_MAX_NUMBER_FILES (400).
    TooManyFilesSent,
    "The number of files exceeded settings.DATA_UPLOAD_MAX_NUMBER_FILES."
);
exception!(
    /// Django's `ImproperlyConfigured`: a configuration error, reported when the application is
    /// built (a 500 if raised while serving).
    ImproperlyConfigured,
    Internal,
    ""
);

/// The `Host` (or `X-Forwarded-Host`) header is invalid or not allowed (Django's
/// `DisallowedHost`, a `SuspiciousOperation` answered with 400).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DisallowedHost {
    /// The host is not syntactically valid (`example.com@evil.com`, empty, bad port, …).
    InvalidDomain {
        /// The raw host.
        host: String,
    },
    /// The host is valid but matches no `ALLOWED_HOSTS` pattern.
    NotAllowed {
        /// The raw host.
        host: String,
        /// Its domain: lower-cased, port and trailing dot removed.
        domain: String,
    },
}

impl DisallowedHost {
    /// How the framework answers this error.
    pub const KIND: ErrorKind = ErrorKind::BadRequest;
}

impl fmt::Display for DisallowedHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidDomain { host } => write!(
                f,
                "Invalid HTTP_HOST header: {}. The domain name provided is not valid according to RFC 1034/1035.",
                repr(host)
            ),
            Self::NotAllowed { host, domain } => write!(
                f,
                "Invalid HTTP_HOST header: {}. You may need to add {} to ALLOWED_HOSTS.",
                repr(host),
                repr(domain)
            ),
        }
    }
}

impl std::error::Error for DisallowedHost {}

/// `Result<T, nuages::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_type() {
        let cases: [(Error, ErrorKind); 8] = [
            (Http404::default().into(), ErrorKind::NotFound),
            (
                PermissionDenied::default().into(),
                ErrorKind::PermissionDenied,
            ),
            (TooManyFieldsSent.into(), ErrorKind::BadRequest),
            (RequestDataTooBig.into(), ErrorKind::BadRequest),
            (
                DisallowedHost::InvalidDomain { host: "x".into() }.into(),
                ErrorKind::BadRequest,
            ),
            (ImproperlyConfigured::default().into(), ErrorKind::Internal),
            (std::fmt::Error.into(), ErrorKind::Internal),
            (
                Error::new(ErrorKind::NotFound, std::fmt::Error),
                ErrorKind::NotFound,
            ),
        ];
        for (error, kind) in cases {
            assert_eq!(error.kind(), kind, "{error:?}");
        }
        assert_eq!(Http404::KIND, ErrorKind::NotFound);
        assert_eq!(DisallowedHost::KIND, ErrorKind::BadRequest);
    }

    #[test]
    fn boxes_back_into_a_std_error() {
        let e: Error = Http404::new("gone").into();
        let boxed: BoxError = e.into();
        assert!(boxed.is::<Http404>());
    }
}

//! The equivalent of `django/core/handlers/`: the application that runs a request through the
//! middleware chain, the URL resolver and the view ([`base`]), and the conversion of errors into
//! responses ([`exception`]).

pub mod base;
pub mod exception;

pub use self::base::{App, AppBuilder};
pub use self::exception::{AsyncHandlerMarker, ErrorHandler, IntoErrorHandler, SyncHandlerMarker};

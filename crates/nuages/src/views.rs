//! The equivalent of `django/views/`: view callables, the default error views, and decorators.

pub mod csrf;
pub mod decorators;
pub mod defaults;
pub mod kwargs;
pub mod static_files;
mod view_fn;

pub use self::kwargs::{Args, FromKwargs, FromValue, Kwargs, RouteArg, ViewParams};
pub use self::view_fn::{
    AsyncMarker, BoxFuture, Callable, IntoViewFn, IntoViewResult, SyncMarker, ViewAttrs, ViewFn,
};

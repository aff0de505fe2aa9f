//! The equivalent of `django/views/`: view callables, the default error views, and decorators.

pub mod csrf;
pub mod decorators;
pub mod defaults;
pub mod static_files;
mod view_fn;

pub use self::view_fn::{
    Args, AsyncMarker, BoxFuture, FromKwargs, FromValue, Handler, IntoViewFn, IntoViewResult,
    Kwargs, SyncMarker, ViewAttrs, ViewFn,
};

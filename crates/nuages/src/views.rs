//! The equivalent of `django/views/`: view callables, class-based views ([`generic`]), the
//! default error views ([`defaults`]), the DEBUG error pages ([`debug`]), and decorators.

pub mod csrf;
pub mod debug;
pub mod decorators;
pub mod defaults;
pub mod generic;
pub mod kwargs;
pub mod static_files;
mod view_fn;

pub use self::generic::View;
/// `#[view]` on an `impl View for YourView` block: records the handlers it writes
/// ([`View::HANDLERS`]), refuses a mix of `fn` and `async fn` handlers (Django's
/// `ImproperlyConfigured`), runs a sync view on the blocking pool, and applies
/// `#[method_decorator(…)]` attributes ([`method_decorator`](crate::utils::decorators)).
///
/// See [`generic::base`] for examples.
pub use nuages_macros::view;

pub use self::kwargs::{Args, FromKwargs, FromValue, Kwargs, RouteArg, ViewParams};
pub use self::view_fn::{
    AsyncMarker, BoxFuture, Callable, IntoViewFn, IntoViewResult, SyncMarker, ViewAttrs, ViewClass,
    ViewFn,
};

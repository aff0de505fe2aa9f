//! The equivalent of `django/core/`: cache, the system checks, exceptions, files, handlers,
//! the paginator, serializers and signing (also at [`crate::signing`]).

pub mod cache;
pub mod checks;
pub mod exceptions;
pub mod files;
pub mod handlers;
pub mod paginator;
pub mod serializers;
pub mod signing;

//! The equivalent of `django/core/`: exceptions, handlers, the paginator and serializers.

pub mod cache;
pub mod exceptions;
pub mod files;
pub mod handlers;
pub mod paginator;
pub mod serializers;

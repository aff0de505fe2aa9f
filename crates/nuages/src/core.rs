//! The equivalent of `django/core/`: exceptions and serializers.

pub mod cache;
pub mod exceptions;
pub mod files;
pub mod handlers;
pub mod serializers;

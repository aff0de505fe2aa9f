//! The equivalent of `django/core/`: exceptions and serializers.

pub mod exceptions;
pub mod files;
pub mod paginator;
pub mod serializers;

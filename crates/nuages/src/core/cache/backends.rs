//! The equivalent of `django/core/cache/backends/`.

pub mod redis;

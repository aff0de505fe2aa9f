//! The equivalent of `django/core/cache/backends/`.

pub mod locmem;
pub mod redis;

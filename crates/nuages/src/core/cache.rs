//! The equivalent of `django.core.cache`: the cache the `cache` and `cached_db` session engines
//! keep sessions in.
//!
//! Only Django's `RedisCache` backend is reproduced ([`backends::redis::RedisCache`]), with its
//! key layout (`KEY_PREFIX:VERSION:key`) and value format (pickled, integers as is), so a cache
//! is shared with a Django site configured with
//! `CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": …}}`.

pub mod backends;

pub use backends::redis::{CacheError, RedisCache};

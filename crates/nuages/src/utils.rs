//! The equivalent of `django/utils/`: encoding, HTTP and cache helpers.

pub mod cache;
pub mod charset;
pub mod dateformat;
pub mod encoding;
pub mod http;
pub(crate) mod pystr;

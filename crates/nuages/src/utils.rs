//! The equivalent of `django/utils/`: encoding, HTTP and cache helpers.

pub mod cache;
pub mod charset;
pub mod dateformat;
pub mod encoding;
pub mod html;
pub mod http;
pub mod os;
pub(crate) mod pystr;

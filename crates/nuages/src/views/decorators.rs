//! The equivalent of `django/views/decorators/`: functions that wrap a view.
//!
//! A decorator takes a view (anything [`IntoViewFn`](crate::views::IntoViewFn)) and returns a
//! [`ViewFn`](crate::views::ViewFn), so they stack like Python decorators:
//! `require_get(csrf_exempt(view))`. Writing your own is an ordinary function using
//! [`ViewFn::wrap`](crate::views::ViewFn::wrap).

pub mod cache;
pub mod clickjacking;
pub mod common;
pub mod csp;
pub mod csrf;
pub mod http;
pub mod vary;

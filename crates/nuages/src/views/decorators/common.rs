//! The equivalent of `django/views/decorators/common.py`.

use crate::views::{IntoViewFn, ViewFn};

/// `no_append_slash`: CommonMiddleware's APPEND_SLASH never redirects to this view.
pub fn no_append_slash<M>(view: impl IntoViewFn<M>) -> ViewFn {
    view.into_view_fn()
        .with_attrs(|a| a.should_append_slash = false)
}

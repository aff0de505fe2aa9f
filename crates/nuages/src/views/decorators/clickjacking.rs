//! The equivalent of `django/views/decorators/clickjacking.py`.

use http::header::{HeaderValue, X_FRAME_OPTIONS};

use crate::views::{IntoViewFn, ViewFn};

/// Marker on a response: XFrameOptionsMiddleware leaves it alone (`xframe_options_exempt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XFrameOptionsExempt;

/// `xframe_options_exempt`: the response gets no X-Frame-Options header from the middleware.
pub fn xframe_options_exempt<M>(view: impl IntoViewFn<M>) -> ViewFn {
    view.into_view_fn().wrap(|request, inner| async move {
        let mut resp = inner.call(request).await?;
        resp.extensions_mut().insert(XFrameOptionsExempt);
        Ok(resp)
    })
}

fn set_xfo<M>(view: impl IntoViewFn<M>, value: &'static str) -> ViewFn {
    view.into_view_fn().wrap(move |request, inner| async move {
        let mut resp = inner.call(request).await?;
        if !resp.headers().contains_key(X_FRAME_OPTIONS) {
            resp.headers_mut()
                .insert(X_FRAME_OPTIONS, HeaderValue::from_static(value));
        }
        Ok(resp)
    })
}

/// `xframe_options_deny`: `X-Frame-Options: DENY` unless already set.
pub fn xframe_options_deny<M>(view: impl IntoViewFn<M>) -> ViewFn {
    set_xfo(view, "DENY")
}

/// `xframe_options_sameorigin`: `X-Frame-Options: SAMEORIGIN` unless already set.
pub fn xframe_options_sameorigin<M>(view: impl IntoViewFn<M>) -> ViewFn {
    set_xfo(view, "SAMEORIGIN")
}

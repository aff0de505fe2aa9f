//! The equivalent of `django/middleware/clickjacking.py`.

use http::header::{HeaderValue, X_FRAME_OPTIONS};

use super::{Middleware, Next};
use crate::views::decorators::clickjacking::XFrameOptionsExempt;
use crate::views::BoxFuture;
use crate::{Error, HttpRequest, HttpResponse};

/// `XFrameOptionsMiddleware`: sets `X-Frame-Options` (X_FRAME_OPTIONS, default `DENY`) on every
/// response that lacks it, unless the view is `xframe_options_exempt`.
#[derive(Debug, Clone, Copy, Default)]
pub struct XFrameOptionsMiddleware;

impl XFrameOptionsMiddleware {
    /// The middleware.
    pub fn new() -> Self {
        XFrameOptionsMiddleware
    }
}

impl Middleware for XFrameOptionsMiddleware {
    fn call<'a>(
        &'a self,
        request: HttpRequest,
        next: Next,
    ) -> BoxFuture<'a, Result<HttpResponse, Error>> {
        Box::pin(async move {
            let value = request.settings().x_frame_options.to_ascii_uppercase();
            let mut response = next.run(request).await;
            if response.headers().contains_key(X_FRAME_OPTIONS)
                || response.extensions().get::<XFrameOptionsExempt>().is_some()
            {
                return Ok(response);
            }
            let value = HeaderValue::from_str(&value).map_err(Error::from)?;
            response.headers_mut().insert(X_FRAME_OPTIONS, value);
            Ok(response)
        })
    }
}

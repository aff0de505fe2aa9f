//! The equivalent of `django/middleware/clickjacking.py`.

use http::header::{HeaderValue, X_FRAME_OPTIONS};

use super::{FromSettings, MiddlewareMixin};
use crate::conf::Settings;
use crate::core::exceptions::ImproperlyConfigured;
use crate::views::decorators::clickjacking::XFrameOptionsExempt;
use crate::{Error, HttpRequest, HttpResponse};

/// `XFrameOptionsMiddleware`: sets `X-Frame-Options` (X_FRAME_OPTIONS, default `DENY`) on every
/// response that lacks it, unless the view is `xframe_options_exempt`.
#[derive(Debug)]
pub struct XFrameOptionsMiddleware {
    value: FromSettings<HeaderValue>,
}

impl Default for XFrameOptionsMiddleware {
    fn default() -> Self {
        XFrameOptionsMiddleware::new()
    }
}

impl XFrameOptionsMiddleware {
    /// The middleware; it reads X_FRAME_OPTIONS from the application's settings.
    pub fn new() -> Self {
        XFrameOptionsMiddleware {
            value: FromSettings::new(|settings| {
                HeaderValue::from_str(&settings.x_frame_options.to_ascii_uppercase())
                    .map_err(|_| ImproperlyConfigured::new("invalid X_FRAME_OPTIONS"))
            }),
        }
    }
}

impl MiddlewareMixin for XFrameOptionsMiddleware {
    fn configure(&mut self, settings: &Settings) -> Result<(), ImproperlyConfigured> {
        self.value.configure(settings)
    }

    fn process_response(
        &self,
        request: &HttpRequest,
        mut response: HttpResponse,
    ) -> Result<HttpResponse, Error> {
        // Django's `get_xframe_options_value`; set only if the response has none.
        if response.extensions().get::<XFrameOptionsExempt>().is_none() {
            if let http::header::Entry::Vacant(slot) = response.headers_mut().entry(X_FRAME_OPTIONS)
            {
                slot.insert(self.value.get(request.settings())?.clone());
            }
        }
        Ok(response)
    }
}

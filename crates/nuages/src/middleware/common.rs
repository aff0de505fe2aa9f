//! The equivalent of `django/middleware/common.py`.

use http::header::{HeaderValue, CONTENT_LENGTH};
use http::Method;

use super::{Middleware, Next};
use crate::urls::RequestUrlsExt;
use crate::utils::http::escape_leading_slashes;
use crate::{Error, HttpRequest, HttpResponse};

/// `CommonMiddleware`: validates the host (`get_host()`, so a bad Host is a 400 here),
/// APPEND_SLASH (a 404 whose path plus `/` resolves becomes a 301 to it) and `Content-Length`
/// on non-streaming responses.
#[derive(Debug, Clone, Copy, Default)]
pub struct CommonMiddleware;

impl CommonMiddleware {
    /// The middleware; it reads APPEND_SLASH from the application's settings.
    pub fn new() -> Self {
        CommonMiddleware
    }
}

/// Django's `should_redirect_with_slash`.
fn should_redirect_with_slash(request: &HttpRequest) -> bool {
    let path_info = request.path_info();
    if !request.settings().append_slash || path_info.ends_with('/') {
        return false;
    }
    let Some(urls) = request.urls() else {
        return false;
    };
    if urls.is_valid_path(path_info) {
        return false;
    }
    urls.resolve_view(&format!("{path_info}/"))
        .is_some_and(|view| view.attrs().should_append_slash)
}

impl Middleware for CommonMiddleware {
    async fn call(&self, request: HttpRequest, next: Next<'_>) -> Result<HttpResponse, Error> {
        request.get_host()?;
        let head = request.head_handle();
        let mut response = next.run(request).await;
        if response.status_code() == 404 {
            let request = HttpRequest::from_head(head);
            if should_redirect_with_slash(&request) {
                let new_path =
                    escape_leading_slashes(&request.get_full_path_append_slash()).into_owned();
                if request.settings().debug
                    && matches!(
                        *request.method(),
                        Method::POST | Method::PUT | Method::PATCH
                    )
                {
                    let host = request.get_host()?;
                    return Err(Error::msg(format!(
                        "You called this URL via {method}, but the URL doesn't end in a slash and you have APPEND_SLASH set. nuages can't redirect to the slash URL while maintaining {method} data. Change your form to point to {host}{new_path} (note the trailing slash), or set APPEND_SLASH=False in your settings.",
                        method = request.method()
                    )));
                }
                return Ok(HttpResponse::permanent_redirect(&new_path)?);
            }
        }
        if !response.is_streaming() && !response.has_header("content-length") {
            let len = response.content().len();
            response
                .headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from(len));
        }
        Ok(response)
    }
}

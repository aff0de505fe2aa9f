//! The equivalent of `django/views/defaults.py`: the default error views, answering errors
//! with DEBUG off (the DEBUG pages are in [`debug`](super::debug)).

use http::StatusCode;

use crate::{Error, HttpRequest, HttpResponse};

fn error_page(title: &str, details: &str) -> String {
    format!(
        "\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>{title}</title>\n</head>\n<body>\n  <h1>{title}</h1><p>{details}</p>\n</body>\n</html>\n"
    )
}

/// Django's default `handler404` (no `404.html` template): `Not Found`.
pub fn page_not_found(_request: HttpRequest, _error: Error) -> HttpResponse {
    HttpResponse::not_found(error_page(
        "Not Found",
        "The requested resource was not found on this server.",
    ))
}

/// Django's default `handler500`: `Server Error (500)`.
pub fn server_error(_request: HttpRequest, _error: Error) -> HttpResponse {
    HttpResponse::server_error(error_page("Server Error (500)", ""))
}

/// Django's default `handler400`: `Bad Request (400)` (the error is not shown, as in Django).
pub fn bad_request(_request: HttpRequest, _error: Error) -> HttpResponse {
    HttpResponse::bad_request(error_page("Bad Request (400)", ""))
}

/// The answer to an [`ErrorKind::UnsupportedMediaType`](crate::ErrorKind) error (beyond
/// Django, which has no such error): `Unsupported Media Type (415)`, in the style of
/// [`bad_request`] (the error is not shown).
pub fn unsupported_media_type(_request: HttpRequest, _error: Error) -> HttpResponse {
    HttpResponse::new(error_page("Unsupported Media Type (415)", ""))
        .with_status(StatusCode::UNSUPPORTED_MEDIA_TYPE)
}

/// The answer to an [`ErrorKind::RequestTimeout`](crate::ErrorKind) error (beyond Django):
/// `Request Timeout (408)`, in the style of [`bad_request`].
pub fn request_timeout(_request: HttpRequest, _error: Error) -> HttpResponse {
    HttpResponse::new(error_page("Request Timeout (408)", ""))
        .with_status(StatusCode::REQUEST_TIMEOUT)
}

/// Django's default `handler403`: `403 Forbidden`.
pub fn permission_denied(_request: HttpRequest, _error: Error) -> HttpResponse {
    HttpResponse::forbidden(error_page("403 Forbidden", ""))
}

/// Django's `escape`: `html.escape(str(text))`.
pub(crate) fn escape(s: &str) -> String {
    nuages_py::html::escape(s).into_owned()
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_request_page_matches_django() {
        let page = error_page("Bad Request (400)", "");
        assert_eq!(page.len(), 143);
        assert_eq!(
            page,
            "\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Bad Request (400)</title>\n</head>\n<body>\n  <h1>Bad Request (400)</h1><p></p>\n</body>\n</html>\n"
        );
    }
}

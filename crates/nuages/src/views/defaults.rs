//! The equivalent of `django/views/defaults.py` (and the DEBUG pages of `views/debug.py`).

use http::StatusCode;

use crate::template::TemplateError;
use crate::urls::{RequestUrlsExt, Resolver404};
use crate::views::decorators::csp::exempt_from_csp;
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
/// The DEBUG 404 page: the path, the view that raised the 404 ("Raised by") when the path
/// resolved, else the URL patterns tried, in order. As in Django 6.0, it gets
/// no Content-Security-Policy headers.
pub fn technical_404(request: &HttpRequest, error: &Error) -> HttpResponse {
    let mut body = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>Page not found at ",
    );
    let path = escape(&request.path());
    body.push_str(&path);
    body.push_str("</title>\n</head>\n<body>\n  <h1>Page not found <span>(404)</span></h1>\n");
    // Django's `raising_view_name`: the view that raised Http404, when the path resolved.
    let raised_by = match request.resolver_match() {
        Some(m) if error.downcast_ref::<Resolver404>().is_none() => format!(
            "<tr><th>Raised by:</th><td>{}</td></tr>",
            escape(m.func().name())
        ),
        _ => String::new(),
    };
    body.push_str(&format!(
        "  <table><tr><th>Request Method:</th><td>{}</td></tr><tr><th>Request URL:</th><td>{}</td></tr>{raised_by}</table>\n",
        escape(request.method().as_str()),
        path
    ));
    if let Some(r404) = error.downcast_ref::<Resolver404>() {
        body.push_str("  <p>Using the URLconf of this application, nuages tried these URL patterns, in this order:</p>\n  <ol>\n");
        for tried in &r404.tried {
            body.push_str("    <li>");
            body.push_str(&escape(&tried.join(" ")));
            body.push_str("</li>\n");
        }
        body.push_str("  </ol>\n");
        body.push_str(&format!(
            "  <p>The current path, <code>{}</code>, didn’t match any of these.</p>\n",
            escape(request.path_info().trim_start_matches('/'))
        ));
    } else {
        body.push_str(&format!("  <p>{}</p>\n", escape(&error.to_string())));
    }
    body.push_str(
        "  <p>You’re seeing this error because you have <code>DEBUG = True</code>. Change that to <code>False</code>, and nuages will display a standard 404 page.</p>\n</body>\n</html>\n",
    );
    let mut response = HttpResponse::not_found(body);
    exempt_from_csp(&mut response);
    response
}

/// The template part of the DEBUG error page (Django's "Template error" and "Template-loader
/// postmortem"): the template, the line and the cause, or the paths tried.
fn template_section(error: &Error) -> String {
    let Some(template_error) = error.downcast_ref::<TemplateError>() else {
        return String::new();
    };
    let mut out = String::new();
    if let Some(debug) = template_error.debug() {
        out.push_str(&format!(
            "  <h2>Template error</h2>\n  <p>In template <code>{}</code>, error at line {}</p>\n  <p class=\"message\">{}</p>\n  <table class=\"source\">\n",
            escape(debug.name.as_deref().unwrap_or("<unknown source>")),
            debug.line,
            escape(&debug.message),
        ));
        for (number, line) in &debug.source_lines {
            let class = if *number == debug.line {
                " class=\"error\""
            } else {
                ""
            };
            out.push_str(&format!(
                "    <tr{class}><th>{number}</th><td>{}</td></tr>\n",
                escape(line)
            ));
        }
        out.push_str("  </table>\n");
    }
    if let TemplateError::DoesNotExist(missing) = template_error {
        out.push_str("  <h2>Template-loader postmortem</h2>\n  <ul>\n");
        let engines = std::iter::once(missing).chain(missing.chain.iter());
        for e in engines {
            for tried in &e.tried {
                out.push_str(&format!(
                    "    <li><code>{}</code> ({})</li>\n",
                    escape(&tried.path.display().to_string()),
                    escape(&tried.status)
                ));
            }
        }
        out.push_str("  </ul>\n");
    }
    out
}

/// The DEBUG error page: the error and its causes, and for a template error the template,
/// the line and the cause (or the paths tried). As in Django 6.0, it gets no
/// Content-Security-Policy headers.
pub fn technical_500(request: &HttpRequest, error: &Error, status: StatusCode) -> HttpResponse {
    let mut causes = String::new();
    let mut source = std::error::Error::source(error.inner());
    while let Some(s) = source {
        causes.push_str(&format!("    <li>{}</li>\n", escape(&s.to_string())));
        source = s.source();
    }
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>{kind:?} at {path}</title>\n</head>\n<body>\n  <h1>{kind:?} at {path}</h1>\n  <pre class=\"exception_value\">{msg}</pre>\n  <table><tr><th>Request Method:</th><td>{method}</td></tr><tr><th>Request URL:</th><td>{path}</td></tr></table>\n  <ul>\n{causes}  </ul>\n{template}  <p>You’re seeing this error because you have <code>DEBUG = True</code>. Change that to <code>False</code>, and nuages will display a standard page.</p>\n</body>\n</html>\n",
        kind = error.kind(),
        path = escape(&request.path()),
        msg = escape(&error.to_string()),
        method = escape(request.method().as_str()),
        template = template_section(error),
    );
    let mut response = HttpResponse::new(body).with_status(status);
    exempt_from_csp(&mut response);
    response
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

//! The equivalent of `django/shortcuts.py`: `redirect`.

use crate::urls::Value;
use crate::{Error, HttpRequest, HttpResponse};

/// Django's `redirect(to, *args, permanent=False, **kwargs)`: `to` is a URL name reversed (with
/// the request's URLconf and script prefix) with `args`/`kwargs`, or — when it is not a URL name
/// and contains `/` or `.` — a URL used as is. 302, or 301 when `permanent`.
///
/// # Errors
/// `NoReverseMatch` when `to` is neither a URL name nor URL-like; `DisallowedRedirect` for an
/// unsafe URL.
///
/// # Examples
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use nuages::{shortcuts::redirect, urls::path, App, HttpRequest, HttpResponse, Result, Settings};
/// async fn home(_req: HttpRequest) -> HttpResponse { HttpResponse::empty() }
/// async fn go(req: HttpRequest) -> Result<HttpResponse> { redirect(&req, "home", &[], &[], false) }
/// async fn away(req: HttpRequest) -> Result<HttpResponse> { redirect(&req, "/some/url/", &[], &[], true) }
/// let app = App::builder().settings(Settings { debug: true, ..Settings::default() })
///     .urls(vec![path("", home).name("home"), path("go", go), path("away", away)]).build().unwrap();
/// let client = nuages::test::Client::new(app);
/// let r = client.get("/go").send().await;
/// assert_eq!((r.status(), r.header("location")), (302, Some("/")));
/// let r = client.get("/away").send().await;
/// assert_eq!((r.status(), r.header("location")), (301, Some("/some/url/")));
/// # });
/// ```
pub fn redirect(
    request: &HttpRequest,
    to: &str,
    args: &[Value],
    kwargs: &[(&str, Value)],
    permanent: bool,
) -> Result<HttpResponse, Error> {
    let url = resolve_url(request, to, args, kwargs)?;
    Ok(if permanent {
        HttpResponse::permanent_redirect(&url)?
    } else {
        HttpResponse::redirect(&url)?
    })
}

/// `redirect(to, *args, permanent=…, preserve_request=True, **kwargs)` (Django 5.2): 307, or
/// 308 when `permanent`, so that clients repeat the method and body.
///
/// # Errors
/// As [`redirect`].
pub fn redirect_preserve_request(
    request: &HttpRequest,
    to: &str,
    args: &[Value],
    kwargs: &[(&str, Value)],
    permanent: bool,
) -> Result<HttpResponse, Error> {
    let url = resolve_url(request, to, args, kwargs)?;
    Ok(if permanent {
        HttpResponse::permanent_redirect_preserve_request(&url)?
    } else {
        HttpResponse::redirect_preserve_request(&url)?
    })
}

/// Django's `resolve_url`: a URL name reversed, else the string itself when it looks like a URL.
fn resolve_url(
    request: &HttpRequest,
    to: &str,
    args: &[Value],
    kwargs: &[(&str, Value)],
) -> Result<String, Error> {
    match request.reverse(to, args, kwargs) {
        Ok(u) => Ok(u),
        Err(_) if to.contains('/') || to.contains('.') => Ok(to.to_owned()),
        Err(e) => Err(e),
    }
}

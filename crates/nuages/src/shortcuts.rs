//! The equivalent of `django/shortcuts.py`: `redirect`.

use crate::urls::{Urls, Value};
use crate::{Error, HttpResponse};

/// Django's `redirect(to, *args, permanent=False, **kwargs)`: `to` is a URL name reversed with
/// `args`/`kwargs`, or — when it is not a URL name and contains `/` or `.` — a URL used as is.
///
/// # Errors
/// `NoReverseMatch` when `to` is neither a URL name nor URL-like; `DisallowedRedirect`.
pub fn redirect(
    urls: &Urls,
    to: &str,
    args: &[Value],
    kwargs: &[(&str, Value)],
    permanent: bool,
) -> Result<HttpResponse, Error> {
    let url = match urls.reverse(to, args, kwargs) {
        Ok(u) => u,
        Err(e) => {
            if to.contains('/') || to.contains('.') {
                to.to_owned()
            } else {
                return Err(e.into());
            }
        }
    };
    Ok(if permanent {
        HttpResponse::permanent_redirect(&url)?
    } else {
        HttpResponse::redirect(&url)?
    })
}

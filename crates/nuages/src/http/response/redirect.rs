//! `HttpResponseRedirect`, `HttpResponsePermanentRedirect` and Django's redirect safety rules.

use http::header::{self, HeaderValue};
use http::StatusCode;

use super::HttpResponse;
use crate::core::exceptions::DisallowedRedirect;
use crate::utils::encoding::iri_to_uri;

/// Django's `MAX_URL_REDIRECT_LENGTH`.
const MAX_URL_LENGTH: usize = 16384;

/// The scheme `urllib.parse.urlsplit` finds, lower-cased.
fn url_scheme(url: &str) -> Option<String> {
    // urlsplit first strips leading C0 controls and spaces and removes tab/CR/LF everywhere.
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
        .collect();
    let i = cleaned.find(':')?;
    let scheme = &cleaned[..i];
    let first = scheme.chars().next()?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    if scheme
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        Some(scheme.to_ascii_lowercase())
    } else {
        None
    }
}

fn redirect(url: &str, status: StatusCode) -> Result<HttpResponse, DisallowedRedirect> {
    if url.chars().count() > MAX_URL_LENGTH {
        return Err(DisallowedRedirect::new(format!(
            "Unsafe redirect exceeding {MAX_URL_LENGTH} characters"
        )));
    }
    if let Some(scheme) = url_scheme(url) {
        if !matches!(scheme.as_str(), "http" | "https" | "ftp") {
            return Err(DisallowedRedirect::new(format!(
                "Unsafe redirect to URL with protocol '{scheme}'"
            )));
        }
    }
    let location = iri_to_uri(url);
    let value = HeaderValue::from_str(&location)
        .map_err(|_| DisallowedRedirect::new(format!("Unsafe redirect to URL {location:?}")))?;
    let class = if matches!(status, StatusCode::FOUND | StatusCode::TEMPORARY_REDIRECT) {
        "HttpResponseRedirect"
    } else {
        "HttpResponsePermanentRedirect"
    };
    let mut r = HttpResponse::empty().with_status(status).with_class(class);
    r.inner.headers.insert(header::LOCATION, value);
    Ok(r)
}

impl HttpResponse {
    /// 302 to `url` (`HttpResponseRedirect`); the Location is `iri_to_uri(url)`.
    ///
    /// # Errors
    /// [`DisallowedRedirect`] for schemes other than http, https and ftp, or URLs over 16384
    /// characters.
    ///
    /// # Examples
    /// ```
    /// let r = nuages::HttpResponse::redirect("/café/?q=☃").unwrap();
    /// assert_eq!(r.status_code(), 302);
    /// assert_eq!(r.url(), Some("/caf%C3%A9/?q=%E2%98%83"));
    /// assert!(nuages::HttpResponse::redirect("javascript:alert(1)").is_err());
    /// ```
    #[doc(alias = "HttpResponseRedirect")]
    pub fn redirect(url: &str) -> Result<HttpResponse, DisallowedRedirect> {
        redirect(url, StatusCode::FOUND)
    }

    /// 307 (`HttpResponseRedirect(url, preserve_request=True)`).
    ///
    /// # Errors
    /// As [`HttpResponse::redirect`].
    pub fn redirect_preserve_request(url: &str) -> Result<HttpResponse, DisallowedRedirect> {
        redirect(url, StatusCode::TEMPORARY_REDIRECT)
    }

    /// 301 (`HttpResponsePermanentRedirect`).
    ///
    /// # Errors
    /// As [`HttpResponse::redirect`].
    #[doc(alias = "HttpResponsePermanentRedirect")]
    pub fn permanent_redirect(url: &str) -> Result<HttpResponse, DisallowedRedirect> {
        redirect(url, StatusCode::MOVED_PERMANENTLY)
    }

    /// 308 (`HttpResponsePermanentRedirect(url, preserve_request=True)`).
    ///
    /// # Errors
    /// As [`HttpResponse::redirect`].
    pub fn permanent_redirect_preserve_request(
        url: &str,
    ) -> Result<HttpResponse, DisallowedRedirect> {
        redirect(url, StatusCode::PERMANENT_REDIRECT)
    }

    /// The `Location` of a redirect (Django's `url` attribute; always ASCII, as redirects
    /// encode their target with `iri_to_uri`).
    pub fn url(&self) -> Option<&str> {
        self.headers()
            .get(http::header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert!(HttpResponse::redirect("HTTP://example.com").is_ok());
        assert!(HttpResponse::redirect("//example.com/x").is_ok());
        assert!(HttpResponse::redirect("?q=1").is_ok());
        for bad in [
            "javascript:x",
            "data:x",
            "mailto:a@b",
            "file:///x",
            "custom+scheme:x",
        ] {
            let e = HttpResponse::redirect(bad).unwrap_err();
            assert!(
                e.to_string()
                    .starts_with("Unsafe redirect to URL with protocol"),
                "{bad}"
            );
        }
        let long = format!("/{}", "a".repeat(16383));
        assert!(HttpResponse::redirect(&long).is_ok());
        let long = format!("/{}", "a".repeat(16384));
        assert_eq!(
            HttpResponse::redirect(&long).unwrap_err().to_string(),
            "Unsafe redirect exceeding 16384 characters"
        );
    }

    #[test]
    fn statuses() {
        assert_eq!(
            HttpResponse::redirect_preserve_request("/")
                .unwrap()
                .status_code(),
            307
        );
        assert_eq!(
            HttpResponse::permanent_redirect("/").unwrap().status_code(),
            301
        );
        assert_eq!(
            HttpResponse::permanent_redirect_preserve_request("/")
                .unwrap()
                .status_code(),
            308
        );
    }
}

//! `set_cookie`, `delete_cookie` and `set_signed_cookie`.

use crate::conf::Settings;
use crate::http::cookie::{CookieError, SetCookie};

use super::HttpResponse;

impl HttpResponse {
    /// Django's `set_cookie`: adds a `Set-Cookie` header rendered exactly as Django renders it.
    /// Setting a name twice replaces the earlier cookie (position kept).
    ///
    /// # Errors
    /// [`CookieError`]: an illegal name, an invalid `samesite`, or `expires` (a datetime)
    /// together with `max_age`.
    ///
    /// # Examples
    /// ```
    /// use nuages::http::cookie::SetCookie;
    /// let mut r = nuages::HttpResponse::new("");
    /// r.set_cookie(SetCookie::new("name", "value").path("/p").httponly(true)).unwrap();
    /// assert_eq!(r.cookies().get("name").unwrap().header_value(), "name=value; HttpOnly; Path=/p");
    /// ```
    pub fn set_cookie(&mut self, cookie: SetCookie) -> Result<(), CookieError> {
        self.cookies_mut().set_cookie(cookie)?;
        Ok(())
    }

    /// Django's `delete_cookie(key)` with `path="/"`: an expired, empty cookie.
    ///
    /// # Errors
    /// An illegal cookie name.
    pub fn delete_cookie(&mut self, key: &str) -> Result<(), CookieError> {
        self.delete_cookie_with(key, Some("/"), None, None)
    }

    /// Django's `delete_cookie(key, path, domain, samesite)` (`Secure` is added for `__Secure-`
    /// and `__Host-` names and for `samesite="none"`).
    ///
    /// # Errors
    /// An illegal cookie name or samesite value.
    pub fn delete_cookie_with(
        &mut self,
        key: &str,
        path: Option<&str>,
        domain: Option<&str>,
        samesite: Option<&str>,
    ) -> Result<(), CookieError> {
        self.cookies_mut()
            .delete_cookie(key, path, domain, samesite)?;
        Ok(())
    }

    /// Django's `set_signed_cookie(key, value, salt, **kwargs)`: the value is signed with a
    /// TimestampSigner keyed on SECRET_KEY (Django 5.2's v2 cookie salt).
    ///
    /// # Errors
    /// As [`HttpResponse::set_cookie`].
    pub fn set_signed_cookie(
        &mut self,
        settings: &Settings,
        cookie: SetCookie,
        salt: &str,
    ) -> Result<(), CookieError> {
        let signed =
            crate::signing::sign_cookie(cookie.name(), cookie.value(), salt, &settings.secret_key);
        self.set_cookie(cookie.with_value(signed))
    }
}

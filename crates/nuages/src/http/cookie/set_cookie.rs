//! Django's `HttpResponse.set_cookie`/`delete_cookie` arguments
//! ([`SetCookie`]) and the response's cookie jar ([`SimpleCookie`]).

use std::borrow::Cow;

use chrono::{DateTime, NaiveDateTime, TimeDelta, TimeZone, Utc};

use super::morsel::{check_key, http_date, CookieError};
use super::{MaxAge, Morsel};
use nuages_py::datetime::{epoch_seconds, whole_seconds};

/// The `expires` argument of `set_cookie`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expires {
    /// A datetime: Django turns it into `max_age = max(0, whole seconds of
    /// (expires - now) + 1 s)` and derives `expires` from that.
    At(DateTime<Utc>),
    /// A string copied verbatim into the `expires` attribute (no
    /// validation). An empty string behaves as if no `expires` was given.
    Raw(String),
}

impl<Tz: TimeZone> From<DateTime<Tz>> for Expires {
    /// Aware datetimes are converted to UTC.
    fn from(dt: DateTime<Tz>) -> Self {
        Self::At(dt.with_timezone(&Utc))
    }
}

impl_from!(Expires {
    /// Naive datetimes are taken as UTC, as Django does.
    NaiveDateTime => |dt| Self::At(dt.and_utc()),
    &str => |s| Self::Raw(s.to_owned()),
    String => |s| Self::Raw(s),
});

/// The three valid `SameSite` values, for convenience: `set_cookie` accepts
/// any spelling of them (`"lax"`, `"Lax"`, ...) and emits it unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SameSite {
    /// `Lax`.
    Lax,
    /// `Strict`.
    Strict,
    /// `None` (browsers then require `Secure`).
    None,
}

impl SameSite {
    /// The canonical spelling (`"Lax"`, `"Strict"`, `"None"`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Lax => "Lax",
            Self::Strict => "Strict",
            Self::None => "None",
        }
    }
}

impl From<SameSite> for String {
    fn from(s: SameSite) -> Self {
        s.as_str().to_owned()
    }
}

/// The arguments of Django's `set_cookie(key, value="", max_age=None,
/// expires=None, path="/", domain=None, secure=False, httponly=False,
/// samesite=None)`, as a builder.
///
/// [`build_at`](Self::build_at) produces a standalone [`Morsel`];
/// [`SimpleCookie::set_cookie_at`] applies it to a response's cookie jar
/// with Django's exact merge semantics.
///
/// # Examples
///
/// ```
/// use chrono::{DateTime, TimeDelta};
/// use nuages::http::cookie::{SameSite, SetCookie};
///
/// let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
/// let morsel = SetCookie::new("name", "value")
///     .max_age(3600)
///     .path("/p")
///     .domain("example.com")
///     .secure(true)
///     .httponly(true)
///     .samesite(SameSite::Strict)
///     .build_at(now)
///     .unwrap();
/// assert_eq!(
///     morsel.header_value(),
///     "name=value; Domain=example.com; expires=Tue, 14 Nov 2023 23:13:20 GMT; \
///      HttpOnly; Max-Age=3600; Path=/p; SameSite=Strict; Secure"
/// );
///
/// let at = SetCookie::new("name", "value").expires(now + TimeDelta::seconds(100));
/// assert_eq!(
///     at.build_at(now).unwrap().header_value(),
///     "name=value; expires=Tue, 14 Nov 2023 22:15:01 GMT; Max-Age=101; Path=/"
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SetCookie {
    name: String,
    value: String,
    max_age: Option<MaxAge>,
    expires: Option<Expires>,
    path: Option<Cow<'static, str>>,
    domain: Option<String>,
    secure: bool,
    httponly: bool,
    samesite: Option<String>,
}

/// The `expires` value `delete_cookie` uses.
const EPOCH_EXPIRES: &str = "Thu, 01 Jan 1970 00:00:00 GMT";

impl SetCookie {
    /// `set_cookie(name, value)` with the defaults (`path="/"`).
    #[must_use]
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
            max_age: None,
            expires: None,
            path: Some(Cow::Borrowed("/")),
            domain: None,
            secure: false,
            httponly: false,
            samesite: None,
        }
    }

    /// `delete_cookie(key, path, domain, samesite)`: an empty value with
    /// `max_age=0` and `expires=Thu, 01 Jan 1970 00:00:00 GMT`. `Secure` is
    /// added when the name starts with `__Secure-` or `__Host-`
    /// (case-sensitive) or `samesite` is `none` (any case). Django's default
    /// path is `Some("/")`.
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::http::cookie::SetCookie;
    ///
    /// let m = SetCookie::delete("name", Some("/"), None, Some("none")).build().unwrap();
    /// assert_eq!(
    ///     m.header_value(),
    ///     "name=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=none; Secure"
    /// );
    /// ```
    #[doc(alias = "delete_cookie")]
    #[must_use]
    pub fn delete(
        name: impl Into<String>,
        path: Option<&str>,
        domain: Option<&str>,
        samesite: Option<&str>,
    ) -> Self {
        let name = name.into();
        let secure = name.starts_with("__Secure-")
            || name.starts_with("__Host-")
            || samesite.is_some_and(|s| s.eq_ignore_ascii_case("none"));
        Self {
            name,
            value: String::new(),
            max_age: Some(MaxAge::Seconds(0)),
            expires: Some(Expires::Raw(EPOCH_EXPIRES.to_owned())),
            path: path.map(|p| Cow::Owned(p.to_owned())),
            domain: domain.map(str::to_owned),
            secure,
            httponly: false,
            samesite: samesite.map(str::to_owned),
        }
    }

    /// The cookie name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The cookie value (before quoting).
    #[must_use]
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The same cookie with another value (used by `set_signed_cookie`).
    #[must_use]
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = value.into();
        self
    }

    /// `max_age=`: seconds as an int, a float or a duration.
    #[must_use]
    pub fn max_age(mut self, max_age: impl Into<MaxAge>) -> Self {
        self.max_age = Some(max_age.into());
        self
    }

    /// `expires=`: a datetime (naive = UTC) or a raw string.
    #[must_use]
    pub fn expires(mut self, expires: impl Into<Expires>) -> Self {
        self.expires = Some(expires.into());
        self
    }

    /// `path=` (default `/`); an empty path omits the attribute.
    #[must_use]
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(Cow::Owned(path.into()));
        self
    }

    /// `path=None`: leaves the `Path` attribute out (or unchanged when the
    /// cookie was already set on the response).
    #[must_use]
    pub fn no_path(mut self) -> Self {
        self.path = None;
        self
    }

    /// `domain=`.
    #[must_use]
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// `secure=` (`true` adds `Secure`; `false` never removes it from an
    /// existing morsel, as in Django).
    #[must_use]
    pub fn secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// `httponly=` (same remark as [`secure`](Self::secure)).
    #[must_use]
    pub fn httponly(mut self, httponly: bool) -> Self {
        self.httponly = httponly;
        self
    }

    /// `samesite=`: `lax`, `none` or `strict` in any case, emitted as given;
    /// `""` leaves the attribute out. Anything else fails at build time.
    #[must_use]
    pub fn samesite(mut self, samesite: impl Into<String>) -> Self {
        self.samesite = Some(samesite.into());
        self
    }

    /// Builds the morsel at the current time.
    ///
    /// # Errors
    ///
    /// As [`build_at`](Self::build_at).
    pub fn build(self) -> Result<Morsel, CookieError> {
        self.build_at(Utc::now())
    }

    /// Builds the morsel with the clock at `now` (used for `Max-Age` →
    /// `expires` and datetime `expires` → `Max-Age`).
    ///
    /// # Errors
    ///
    /// [`CookieError::IllegalKey`], [`CookieError::ReservedKey`],
    /// [`CookieError::ExpiresWithMaxAge`], [`CookieError::InvalidSameSite`],
    /// [`CookieError::InvalidMaxAge`] or [`CookieError::DateOutOfRange`].
    pub fn build_at(mut self, now: DateTime<Utc>) -> Result<Morsel, CookieError> {
        check_key(&self.name)?;
        self.check_attributes()?;
        let name = std::mem::take(&mut self.name);
        let value = std::mem::take(&mut self.value);
        let mut morsel = Morsel::new(name, value);
        self.apply(&mut morsel, now)?;
        Ok(morsel)
    }

    /// Refuses a path, domain or raw expires that no header value can carry (checked before
    /// anything is changed).
    fn check_attributes(&self) -> Result<(), CookieError> {
        let raw_expires = match &self.expires {
            Some(Expires::Raw(raw)) => Some(raw.as_str()),
            _ => None,
        };
        for (attribute, value) in [
            ("path", self.path.as_deref()),
            ("domain", self.domain.as_deref()),
            ("expires", raw_expires),
        ] {
            if let Some(value) = value {
                if value.bytes().any(|b| (b < b' ' && b != b'\t') || b == 0x7f) {
                    return Err(CookieError::IllegalAttribute {
                        attribute,
                        value: value.to_owned(),
                    });
                }
            }
        }
        Ok(())
    }

    /// The attribute part of `set_cookie`, applied to a morsel whose key and
    /// value are already set, in Django's order (errors may leave the morsel
    /// partly updated, exactly as in Django).
    fn apply(self, m: &mut Morsel, now: DateTime<Utc>) -> Result<(), CookieError> {
        let mut max_age = self.max_age;
        // Django's `if not expires` after this block.
        let mut explicit_expires = false;
        match self.expires {
            Some(Expires::At(at)) => {
                let delta = at
                    .signed_duration_since(now)
                    .checked_add(&TimeDelta::seconds(1))
                    .unwrap_or(TimeDelta::MAX);
                if max_age.is_some() {
                    return Err(CookieError::ExpiresWithMaxAge);
                }
                // max(0, delta.days * 86400 + delta.seconds).
                max_age = Some(MaxAge::Seconds(whole_seconds(delta).max(0)));
            }
            Some(Expires::Raw(raw)) => {
                explicit_expires = !raw.is_empty();
                m.set_expires(raw);
            }
            None => m.set_expires(String::new()),
        }
        if let Some(max_age) = max_age {
            m.set_max_age(Some(
                max_age
                    .to_int()
                    .ok_or_else(|| CookieError::InvalidMaxAge(max_age.to_string()))?,
            ));
            if !explicit_expires {
                m.set_expires(http_date(epoch_seconds(&now) + max_age.as_secs_f64())?);
            }
        }
        if let Some(path) = self.path {
            m.set_path(path);
        }
        if let Some(domain) = self.domain {
            m.set_domain(domain);
        }
        if self.secure {
            m.set_secure(true);
        }
        if self.httponly {
            m.set_httponly(true);
        }
        if let Some(samesite) = self.samesite.filter(|s| !s.is_empty()) {
            if !["lax", "none", "strict"]
                .iter()
                .any(|v| v.eq_ignore_ascii_case(&samesite))
            {
                return Err(CookieError::InvalidSameSite(samesite));
            }
            m.set_samesite(samesite);
        }
        Ok(())
    }
}

/// A response's cookie jar (`HttpResponse.cookies`, a `SimpleCookie`): one
/// [`Morsel`] per name in first-set order, each rendered as its own
/// `Set-Cookie` header.
///
/// Setting a name again reuses its morsel like Django does: the value and
/// `expires` are replaced, but attributes not passed again (`Max-Age`,
/// `Domain`, `HttpOnly`, `Secure`, `SameSite`, and `Path` with `path=None`)
/// keep their previous values.
///
/// # Examples
///
/// ```
/// use nuages::http::cookie::{SetCookie, SimpleCookie};
///
/// let mut jar = SimpleCookie::new();
/// jar.set_cookie(SetCookie::new("a", "1")).unwrap();
/// jar.set_cookie(SetCookie::new("b", "2").httponly(true)).unwrap();
/// jar.set_cookie(SetCookie::new("a", "3")).unwrap();
/// let headers: Vec<String> = jar.iter().map(|m| m.header_value()).collect();
/// assert_eq!(headers, ["a=3; Path=/", "b=2; HttpOnly; Path=/"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimpleCookie {
    /// In first-set order; a response sets a handful of cookies, so a scan beats hashing.
    morsels: Vec<Morsel>,
}

impl SimpleCookie {
    /// An empty jar.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// `set_cookie(...)` at the current time.
    ///
    /// # Errors
    ///
    /// As [`set_cookie_at`](Self::set_cookie_at).
    pub fn set_cookie(&mut self, cookie: SetCookie) -> Result<&Morsel, CookieError> {
        self.set_cookie_at(cookie, Utc::now())
    }

    /// `set_cookie(...)` with the clock at `now`.
    ///
    /// # Errors
    ///
    /// The errors of [`SetCookie::build_at`]. As in Django, an invalid name
    /// leaves the jar untouched, while a later error (datetime `expires` with
    /// `max_age`, invalid `samesite`) leaves the morsel partly updated.
    pub fn set_cookie_at(
        &mut self,
        mut cookie: SetCookie,
        now: DateTime<Utc>,
    ) -> Result<&Morsel, CookieError> {
        check_key(&cookie.name)?;
        cookie.check_attributes()?;
        let name = std::mem::take(&mut cookie.name);
        let value = std::mem::take(&mut cookie.value);
        let index = match self.morsels.iter().position(|m| m.key() == name) {
            Some(i) => {
                self.morsels[i].set_value(value);
                i
            }
            None => {
                self.morsels.push(Morsel::new(name, value));
                self.morsels.len() - 1
            }
        };
        let morsel = &mut self.morsels[index];
        cookie.apply(morsel, now)?;
        Ok(morsel)
    }

    /// `delete_cookie(key, path, domain, samesite)` (see
    /// [`SetCookie::delete`]); does not depend on the clock.
    ///
    /// # Errors
    ///
    /// An invalid name or `samesite` value.
    pub fn delete_cookie(
        &mut self,
        key: &str,
        path: Option<&str>,
        domain: Option<&str>,
        samesite: Option<&str>,
    ) -> Result<&Morsel, CookieError> {
        self.set_cookie_at(
            SetCookie::delete(key, path, domain, samesite),
            DateTime::<Utc>::UNIX_EPOCH,
        )
    }

    /// The morsel for `name`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Morsel> {
        self.morsels.iter().find(|m| m.key() == name)
    }

    /// Puts a morsel in the jar as is, replacing the one of the same name (`cookies[key] =
    /// morsel`); the name is not checked.
    ///
    /// # Examples
    /// ```
    /// use nuages::http::cookie::SimpleCookie;
    /// let mut jar = SimpleCookie::new();
    /// jar.insert(nuages::http::cookie::Morsel::new("a".into(), "1".into()));
    /// assert_eq!(jar.get("a").unwrap().header_value(), "a=1");
    /// ```
    pub fn insert(&mut self, morsel: Morsel) {
        match self.morsels.iter().position(|m| m.key() == morsel.key()) {
            Some(i) => self.morsels[i] = morsel,
            None => self.morsels.push(morsel),
        }
    }

    /// Removes a cookie from the jar (`del response.cookies[name]`).
    pub fn remove(&mut self, name: &str) -> Option<Morsel> {
        let i = self.morsels.iter().position(|m| m.key() == name)?;
        Some(self.morsels.remove(i))
    }

    /// The morsels in order.
    pub fn iter(&self) -> impl Iterator<Item = &Morsel> + '_ {
        self.morsels.iter()
    }

    /// The number of cookies.
    #[must_use]
    pub fn len(&self) -> usize {
        self.morsels.len()
    }

    /// `true` when no cookie is set.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.morsels.is_empty()
    }
}

impl<'a> IntoIterator for &'a SimpleCookie {
    type Item = &'a Morsel;
    type IntoIter = std::slice::Iter<'a, Morsel>;

    fn into_iter(self) -> Self::IntoIter {
        self.morsels.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default()
    }

    #[test]
    fn resetting_keeps_old_attributes_like_django() {
        let mut jar = SimpleCookie::new();
        let first = SetCookie::new("c", "v")
            .httponly(true)
            .max_age(5)
            .samesite("Lax")
            .domain("d");
        assert!(jar.set_cookie_at(first, t0()).is_ok());
        assert!(jar.delete_cookie("c", Some("/"), None, None).is_ok());
        let m = jar
            .set_cookie_at(SetCookie::new("c", "new"), t0())
            .map(Morsel::header_value);
        assert_eq!(
            m.ok().as_deref(),
            Some("c=new; Domain=d; HttpOnly; Max-Age=0; Path=/; SameSite=Lax")
        );
        let bad = SetCookie::new("c", "zz").no_path().samesite("bad");
        assert!(jar.set_cookie_at(bad, t0()).is_err());
        let m = jar.get("c").map(Morsel::header_value);
        assert_eq!(
            m.as_deref(),
            Some("c=zz; Domain=d; HttpOnly; Max-Age=0; Path=/; SameSite=Lax")
        );
        assert!(jar
            .set_cookie_at(SetCookie::new("na me", "x"), t0())
            .is_err());
        assert_eq!(jar.len(), 1);
    }

    #[test]
    fn odd_values_error_instead_of_panicking() {
        let e = SetCookie::new("n", "v").max_age(f64::NAN).build_at(t0());
        assert!(matches!(e, Err(CookieError::InvalidMaxAge(_))));
        let e = SetCookie::new("n", "v").max_age(i64::MAX).build_at(t0());
        assert_eq!(e, Err(CookieError::DateOutOfRange));
        let far = DateTime::<Utc>::MAX_UTC;
        assert_eq!(
            SetCookie::new("n", "v").expires(far).build_at(t0()),
            Err(CookieError::DateOutOfRange)
        );
        let past = DateTime::<Utc>::MIN_UTC;
        let m = SetCookie::new("n", "v")
            .expires(past)
            .build_at(t0())
            .map(|m| m.header_value());
        assert_eq!(
            m.ok().as_deref(),
            Some("n=v; expires=Tue, 14 Nov 2023 22:13:20 GMT; Max-Age=0; Path=/")
        );
        assert_eq!(http_date(f64::NAN), Err(CookieError::DateOutOfRange));
        assert_eq!(
            http_date(-1.5).ok().as_deref(),
            Some("Wed, 31 Dec 1969 23:59:58 GMT")
        );
        assert_eq!(
            http_date(0.9999996).ok().as_deref(),
            Some("Thu, 01 Jan 1970 00:00:01 GMT")
        );
        let e = SetCookie::new("", "v").build_at(t0());
        assert_eq!(
            e.map_err(|e| e.to_string()),
            Err("Illegal key ''".to_owned())
        );
        let raw = SetCookie::new("n", "v")
            .expires("")
            .max_age(1)
            .build_at(t0())
            .map(|m| m.header_value());
        assert_eq!(
            raw.ok().as_deref(),
            Some("n=v; expires=Tue, 14 Nov 2023 22:13:21 GMT; Max-Age=1; Path=/")
        );
    }
}

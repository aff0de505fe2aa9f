//! The signed-cookie signer (`get_cookie_signer`, `_cookie_signer_salt`,
//! `_unsign_cookie`) and the helpers behind `HttpResponse.set_signed_cookie`
//! and `HttpRequest.get_signed_cookie`.

use chrono::{DateTime, Utc};

use super::{Algorithm, MaxAge, Signer, SigningError, TimestampSigner};

/// Prefix added to every key of the cookie signer (`b"django.http.cookies"`).
pub const COOKIE_SIGNER_KEY_PREFIX: &[u8] = b"django.http.cookies";

/// Default salt of [`get_cookie_signer`].
pub const COOKIE_SIGNER_DEFAULT_SALT: &str = "django.core.signing.get_cookie_signer";

/// `_cookie_signer_salt(cookie_name, salt)`: the v2 salt
/// `django.http.cookies.v2:<len(salt)>:<salt><cookie_name>` (the length
/// prefix keeps `(name, salt)` pairs from colliding). `len` counts code
/// points, as Python does.
///
/// # Examples
///
/// ```
/// use nuages::signing::cookie_signer_salt;
///
/// assert_eq!(cookie_signer_salt("mycookie", ""), "django.http.cookies.v2:0:mycookie");
/// assert_eq!(cookie_signer_salt("mycookie", "extra"), "django.http.cookies.v2:5:extramycookie");
/// ```
#[doc(alias = "_cookie_signer_salt")]
#[must_use]
pub fn cookie_signer_salt(cookie_name: &str, salt: &str) -> String {
    format!(
        "django.http.cookies.v2:{}:{salt}{cookie_name}",
        salt.chars().count()
    )
}

/// `_cookie_signer_legacy_salt(cookie_name, salt)`: `cookie_name + salt`,
/// the pre-v2 salt still accepted on read.
#[doc(alias = "_cookie_signer_legacy_salt")]
#[must_use]
pub fn cookie_signer_legacy_salt(cookie_name: &str, salt: &str) -> String {
    let mut out = String::with_capacity(cookie_name.len() + salt.len());
    out.push_str(cookie_name);
    out.push_str(salt);
    out
}

/// `get_cookie_signer(salt)`: a [`TimestampSigner`] keyed with
/// `b"django.http.cookies" + secret_key` (and the same prefix on each
/// fallback key), separator `:`, SHA-256. An empty salt means the
/// `TimestampSigner` default, as in Django; [`COOKIE_SIGNER_DEFAULT_SALT`] is
/// Django's default argument.
///
/// # Examples
///
/// ```
/// use chrono::DateTime;
/// use nuages::signing::{cookie_signer_salt, get_cookie_signer};
///
/// let signer = get_cookie_signer(
///     "django-insecure-golden-key",
///     &[] as &[&str],
///     &cookie_signer_salt("mycookie", ""),
/// );
/// let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
/// assert_eq!(
///     signer.sign_at("hello", now),
///     "hello:1r31eq:a8yjiRkXvLHMn-q7AgRERADDJdIsyKdqc-SBGBYOdm8"
/// );
/// ```
#[must_use]
pub fn get_cookie_signer<K: AsRef<[u8]>>(
    secret_key: impl AsRef<[u8]>,
    fallback_keys: &[K],
    salt: &str,
) -> TimestampSigner {
    let salt = if salt.is_empty() {
        super::TIMESTAMP_SIGNER_DEFAULT_SALT
    } else {
        salt
    };
    let key = prefixed(secret_key.as_ref());
    let fallbacks = fallback_keys.iter().map(|k| prefixed(k.as_ref())).collect();
    TimestampSigner::from_signer(Signer::from_parts(
        &key,
        ":".to_owned(),
        salt.to_owned(),
        Algorithm::Sha256,
        fallbacks,
    ))
}

fn prefixed(key: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(COOKIE_SIGNER_KEY_PREFIX.len() + key.len());
    out.extend_from_slice(COOKIE_SIGNER_KEY_PREFIX);
    out.extend_from_slice(key);
    out
}

/// The signed value `set_signed_cookie(name, value, salt=salt)` stores, at
/// the current time (`value:TIMESTAMP:SIGNATURE`, v2 salt). Pass it to
/// `set_cookie` as the cookie value.
#[must_use]
pub fn sign_cookie(name: &str, value: &str, salt: &str, secret_key: impl AsRef<[u8]>) -> String {
    sign_cookie_at(name, value, salt, secret_key, Utc::now())
}

/// [`sign_cookie`] with the clock at `now`.
///
/// # Examples
///
/// ```
/// use chrono::DateTime;
/// use nuages::signing::sign_cookie_at;
///
/// let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
/// assert_eq!(
///     sign_cookie_at("name", "value", "", "django-insecure-golden-key", now),
///     "value:1r31eq:9w7wTsvPoF18BbRPByD-M21FFbcjLXqro7QKUvTo71M"
/// );
/// ```
#[must_use]
pub fn sign_cookie_at(
    name: &str,
    value: &str,
    salt: &str,
    secret_key: impl AsRef<[u8]>,
    now: DateTime<Utc>,
) -> String {
    get_cookie_signer(secret_key, &[] as &[&[u8]], &cookie_signer_salt(name, salt))
        .sign_at(value, now)
}

/// `_unsign_cookie(signed_value, cookie_name=name, salt=salt,
/// max_age=max_age)` as used by `get_signed_cookie`, with
/// `SIGNED_COOKIE_LEGACY_SALT_FALLBACK = True` (Django's default): the v2
/// salt is tried first; on a bad signature (but not on expiry) the legacy
/// salt `name + salt` is tried.
///
/// `get_signed_cookie(default=...)` returns its default when the error
/// [`is_bad_signature`](SigningError::is_bad_signature).
///
/// # Errors
///
/// The errors of [`TimestampSigner::unsign_at`].
///
/// # Examples
///
/// ```
/// use chrono::{DateTime, TimeDelta};
/// use nuages::signing::{sign_cookie_at, unsign_cookie, MaxAge};
///
/// let key = "django-insecure-golden-key";
/// let t0 = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
/// let signed = sign_cookie_at("c", "hello", "s", key, t0);
/// let later = t0 + TimeDelta::seconds(10);
/// let none: &[&str] = &[];
/// assert_eq!(unsign_cookie("c", &signed, "s", Some(MaxAge::Seconds(11)), key, none, later).unwrap(), "hello");
/// assert!(unsign_cookie("c", &signed, "wrong", None, key, none, later).unwrap_err().is_bad_signature());
/// ```
#[doc(alias = "_unsign_cookie")]
pub fn unsign_cookie<'a, K: AsRef<[u8]>>(
    name: &str,
    signed_value: &'a str,
    salt: &str,
    max_age: Option<MaxAge>,
    secret_key: impl AsRef<[u8]>,
    fallback_keys: &[K],
    now: DateTime<Utc>,
) -> Result<&'a str, SigningError> {
    unsign_cookie_impl(
        name,
        signed_value,
        salt,
        max_age,
        (secret_key.as_ref(), fallback_keys),
        now,
        true,
    )
}

/// [`unsign_cookie`] with `SIGNED_COOKIE_LEGACY_SALT_FALLBACK = False`: only
/// the v2 salt is accepted.
///
/// # Errors
///
/// The errors of [`TimestampSigner::unsign_at`].
pub fn unsign_cookie_without_legacy_salt<'a, K: AsRef<[u8]>>(
    name: &str,
    signed_value: &'a str,
    salt: &str,
    max_age: Option<MaxAge>,
    secret_key: impl AsRef<[u8]>,
    fallback_keys: &[K],
    now: DateTime<Utc>,
) -> Result<&'a str, SigningError> {
    unsign_cookie_impl(
        name,
        signed_value,
        salt,
        max_age,
        (secret_key.as_ref(), fallback_keys),
        now,
        false,
    )
}

fn unsign_cookie_impl<'a, K: AsRef<[u8]>>(
    name: &str,
    signed_value: &'a str,
    salt: &str,
    max_age: Option<MaxAge>,
    (secret_key, fallback_keys): (&[u8], &[K]),
    now: DateTime<Utc>,
    legacy_fallback: bool,
) -> Result<&'a str, SigningError> {
    let v2 = get_cookie_signer(secret_key, fallback_keys, &cookie_signer_salt(name, salt));
    match v2.unsign_at(signed_value, max_age, now) {
        Err(err) if legacy_fallback && err.is_bad_signature() && !err.is_expired() => {
            let legacy = cookie_signer_legacy_salt(name, salt);
            get_cookie_signer(secret_key, fallback_keys, &legacy).unsign_at(
                signed_value,
                max_age,
                now,
            )
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_salt_only_when_enabled() {
        let key = "k";
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        let none: &[&str] = &[];
        let legacy = get_cookie_signer(key, none, "cextra").sign_at("v", now);
        assert_eq!(
            unsign_cookie("c", &legacy, "extra", None, key, none, now).ok(),
            Some("v")
        );
        assert!(
            unsign_cookie_without_legacy_salt("c", &legacy, "extra", None, key, none, now).is_err()
        );
        let rotated = sign_cookie_at("c", "v", "", "old", now);
        assert_eq!(
            unsign_cookie("c", &rotated, "", None, "new", &["old"], now).ok(),
            Some("v")
        );
        assert_eq!(cookie_signer_salt("c", "é"), "django.http.cookies.v2:1:éc");
    }
}

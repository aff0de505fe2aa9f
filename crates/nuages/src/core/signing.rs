//! `django.core.signing`: HMAC signing of strings and JSON-serializable
//! values, with optional timestamps, compression and key rotation.
//!
//! Everything is byte-compatible with Django 5.2: values signed here are
//! accepted by Django and vice versa (same key derivation
//! `H(salt + "signer" + key)`, same base64/base62 encodings, same JSON
//! layout, same zlib stream).
//!
//! Keys are passed explicitly (there is no global `SECRET_KEY`); functions
//! that depend on the clock have an `_at` variant taking the current time,
//! so tests can freeze it.
//!
//! # Examples
//!
//! ```
//! use nuages::signing::{Signer, TimestampSigner, MaxAge};
//!
//! let signer = Signer::new("django-insecure-golden-key");
//! let signed = signer.sign("hello");
//! assert_eq!(signed, "hello:AmEgtkcGq0c327Wa5jXnkpajXMZKdimFvKgNQHtJxWI");
//! assert_eq!(signer.unsign(&signed).unwrap(), "hello");
//!
//! let ts = TimestampSigner::new("secret");
//! let signed = ts.sign("value");
//! assert_eq!(ts.unsign(&signed, Some(MaxAge::Seconds(60))).unwrap(), "value");
//! ```

use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;

mod codec;
mod cookies;
mod json;
mod mac;
mod max_age;

pub use codec::{b62_decode, b62_encode};
pub use cookies::{
    cookie_signer_legacy_salt, cookie_signer_salt, get_cookie_signer, sign_cookie, sign_cookie_at,
    unsign_cookie, unsign_cookie_without_legacy_salt, COOKIE_SIGNER_DEFAULT_SALT,
    COOKIE_SIGNER_KEY_PREFIX,
};
pub use json::JsonSerializer;
pub use mac::{base64_hmac, salted_hmac, Algorithm};
pub use max_age::MaxAge;

use nuages_py::datetime::epoch_seconds;
use nuages_py::repr::{float_repr, str_repr};

use codec::{b64_decode, b64_encode, zlib_compress, zlib_decompress};
use mac::KeyedMac;

use crate::conf::Settings;

/// SECRET_KEY_FALLBACKS as signing keys.
fn fallbacks_of(settings: &Settings) -> Vec<Vec<u8>> {
    settings
        .secret_key_fallbacks
        .iter()
        .map(|k| k.as_bytes().to_vec())
        .collect()
}

/// Default salt of [`dumps`] and [`loads`] (`"django.core.signing"`).
pub const DEFAULT_DUMPS_SALT: &str = "django.core.signing";
/// Default salt of [`Signer`] (`module.ClassName` in Django).
pub const SIGNER_DEFAULT_SALT: &str = "django.core.signing.Signer";
/// Default salt of [`TimestampSigner`].
pub const TIMESTAMP_SIGNER_DEFAULT_SALT: &str = "django.core.signing.TimestampSigner";

/// Errors of `django.core.signing`.
///
/// [`is_bad_signature`](Self::is_bad_signature) tells whether Django would
/// raise `BadSignature` (of which `SignatureExpired` is a subclass); the
/// `Display` text is Django's exception message.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SigningError {
    /// `BadSignature('No "<sep>" found in value')`.
    NoSeparator(String),
    /// `BadSignature('Signature "<sig>" does not match')`.
    SignatureMismatch(String),
    /// `SignatureExpired("Signature age <age> > <max_age> seconds")`.
    SignatureExpired {
        /// Seconds elapsed since signing (`time.time() - timestamp`).
        age: f64,
        /// The limit that was exceeded.
        max_age: MaxAge,
    },
    /// `ValueError("Unsafe Signer separator: ...")` when building a signer.
    UnsafeSeparator(String),
    /// `InvalidAlgorithm`: the name is not a supported `hashlib` algorithm.
    InvalidAlgorithm(String),
    /// A correctly signed payload that cannot be decoded (bad timestamp,
    /// base64, zlib or JSON). Django raises `ValueError`/`zlib.error` here.
    Malformed(String),
    /// The value could not be serialized to JSON (Django: `TypeError`).
    Serialization(String),
}

impl SigningError {
    /// `true` for the errors Django reports as `BadSignature`, including
    /// `SignatureExpired`.
    #[must_use]
    pub fn is_bad_signature(&self) -> bool {
        matches!(
            self,
            Self::NoSeparator(_) | Self::SignatureMismatch(_) | Self::SignatureExpired { .. }
        )
    }

    /// `true` for `SignatureExpired`.
    #[must_use]
    pub fn is_expired(&self) -> bool {
        matches!(self, Self::SignatureExpired { .. })
    }

    /// The name of the Python exception class Django raises for this error.
    #[must_use]
    pub fn python_exception(&self) -> &'static str {
        match self {
            Self::NoSeparator(_) | Self::SignatureMismatch(_) => "BadSignature",
            Self::SignatureExpired { .. } => "SignatureExpired",
            Self::UnsafeSeparator(_) | Self::Malformed(_) => "ValueError",
            Self::InvalidAlgorithm(_) => "InvalidAlgorithm",
            Self::Serialization(_) => "TypeError",
        }
    }
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSeparator(sep) => write!(f, "No \"{sep}\" found in value"),
            Self::SignatureMismatch(sig) => write!(f, "Signature \"{sig}\" does not match"),
            Self::SignatureExpired { age, max_age } => {
                write!(f, "Signature age {} > {max_age} seconds", float_repr(*age))
            }
            Self::UnsafeSeparator(sep) => write!(
                f,
                "Unsafe Signer separator: {} (cannot be empty or consist of only A-z0-9-_=)",
                str_repr(sep)
            ),
            Self::InvalidAlgorithm(name) => write!(
                f,
                "{} is not an algorithm accepted by the hashlib module.",
                str_repr(name)
            ),
            Self::Malformed(msg) | Self::Serialization(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for SigningError {}

/// Django's `_SEP_UNSAFE = re.compile(r"^[A-z0-9-_=]*$")` (note `A-z` also
/// spans `[\]^_` and a backtick; `$` also matches before a final newline).
fn is_unsafe_separator(sep: &str) -> bool {
    let body = sep.strip_suffix('\n').unwrap_or(sep);
    body.bytes()
        .all(|b| matches!(b, b'A'..=b'z' | b'0'..=b'9' | b'-' | b'='))
}

/// `Signer`: appends `sep + signature` to a value and verifies it.
///
/// Build one with [`Signer::new`] (Django's defaults: `sep=":"`,
/// `salt="django.core.signing.Signer"`, `algorithm="sha256"`, no fallback
/// keys) or [`Signer::builder`]. The keyed HMAC state is computed once at
/// construction.
///
/// # Examples
///
/// ```
/// use nuages::signing::{Algorithm, Signer};
///
/// let signer = Signer::builder("django-insecure-golden-key")
///     .salt("my-salt")
///     .algorithm(Algorithm::Sha256)
///     .build()
///     .unwrap();
/// assert_eq!(signer.sign("hello"), "hello:vCQfapxwfAQzbHijr_kAvlgyG2BQDqck-SVan-CqSLE");
/// assert!(signer.unsign("hello:forged").is_err());
/// ```
#[derive(Clone)]
pub struct Signer {
    mac: KeyedMac,
    fallback_keys: Vec<Vec<u8>>,
    sep: String,
    salt: String,
    algorithm: Algorithm,
}

impl fmt::Debug for Signer {
    /// Keys are not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("sep", &self.sep)
            .field("salt", &self.salt)
            .field("algorithm", &self.algorithm)
            .field("fallback_keys", &self.fallback_keys.len())
            .finish_non_exhaustive()
    }
}

/// Builder for [`Signer`] and [`TimestampSigner`] (Django's keyword
/// arguments `sep`, `salt`, `algorithm`, `fallback_keys`).
#[derive(Clone)]
pub struct SignerBuilder {
    key: Vec<u8>,
    sep: String,
    salt: Option<String>,
    algorithm: Algorithm,
    fallback_keys: Vec<Vec<u8>>,
}

impl fmt::Debug for SignerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignerBuilder")
            .field("sep", &self.sep)
            .field("salt", &self.salt)
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

impl SignerBuilder {
    /// The separator (default `":"`); validated by `build`.
    #[must_use]
    pub fn sep(mut self, sep: impl Into<String>) -> Self {
        self.sep = sep.into();
        self
    }

    /// The salt; an empty salt means the class default, as in Django.
    #[must_use]
    pub fn salt(mut self, salt: impl Into<String>) -> Self {
        self.salt = Some(salt.into());
        self
    }

    /// The hash algorithm (default SHA-256).
    #[must_use]
    pub fn algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// Keys also accepted by `unsign`, tried in order after the main key
    /// (Django's `SECRET_KEY_FALLBACKS`).
    #[must_use]
    pub fn fallback_keys<I, K>(mut self, keys: I) -> Self
    where
        I: IntoIterator<Item = K>,
        K: AsRef<[u8]>,
    {
        self.fallback_keys = keys.into_iter().map(|k| k.as_ref().to_vec()).collect();
        self
    }

    fn finish(self, default_salt: &str) -> Result<Signer, SigningError> {
        if is_unsafe_separator(&self.sep) {
            return Err(SigningError::UnsafeSeparator(self.sep));
        }
        let salt = match self.salt {
            Some(s) if !s.is_empty() => s,
            _ => default_salt.to_owned(),
        };
        Ok(Signer::from_parts(
            &self.key,
            self.sep,
            salt,
            self.algorithm,
            self.fallback_keys,
        ))
    }

    /// Builds a [`Signer`] (default salt `django.core.signing.Signer`).
    ///
    /// # Errors
    ///
    /// [`SigningError::UnsafeSeparator`] when the separator is empty or only
    /// made of `A-z0-9-_=` characters.
    pub fn build(self) -> Result<Signer, SigningError> {
        self.finish(SIGNER_DEFAULT_SALT)
    }

    /// Builds a [`TimestampSigner`] (default salt
    /// `django.core.signing.TimestampSigner`).
    ///
    /// # Errors
    ///
    /// As [`build`](Self::build).
    pub fn build_timestamp(self) -> Result<TimestampSigner, SigningError> {
        self.finish(TIMESTAMP_SIGNER_DEFAULT_SALT)
            .map(|signer| TimestampSigner { signer })
    }
}

impl Signer {
    /// `Signer(key=key)` with Django's defaults.
    #[must_use]
    pub fn new(key: impl AsRef<[u8]>) -> Self {
        Self::from_parts(
            key.as_ref(),
            ":".to_owned(),
            SIGNER_DEFAULT_SALT.to_owned(),
            Algorithm::Sha256,
            Vec::new(),
        )
    }

    /// A [`SignerBuilder`] for non-default arguments.
    #[must_use]
    pub fn builder(key: impl AsRef<[u8]>) -> SignerBuilder {
        SignerBuilder {
            key: key.as_ref().to_vec(),
            sep: ":".to_owned(),
            salt: None,
            algorithm: Algorithm::Sha256,
            fallback_keys: Vec::new(),
        }
    }

    /// `Signer()` without `key=` or `fallback_keys=`: the SECRET_KEY and SECRET_KEY_FALLBACKS of
    /// `settings`, Django's defaults for the rest.
    ///
    /// # Examples
    /// ```
    /// use nuages::signing::Signer;
    /// use nuages::Settings;
    /// let old = Settings { secret_key: "old".into(), ..Settings::default() };
    /// let rotated = Settings {
    ///     secret_key: "new".into(),
    ///     secret_key_fallbacks: vec!["old".into()],
    ///     ..Settings::default()
    /// };
    /// let signed = Signer::from_settings(&old).sign("hello");
    /// assert_eq!(signed, Signer::new("old").sign("hello"));
    /// assert_eq!(Signer::from_settings(&rotated).unsign(&signed).unwrap(), "hello");
    /// assert_eq!(Signer::from_settings(&rotated).sign("hello"), Signer::new("new").sign("hello"));
    /// ```
    #[doc(alias = "Signer()")]
    #[must_use]
    pub fn from_settings(settings: &Settings) -> Self {
        Self::from_parts(
            settings.secret_key.as_bytes(),
            ":".to_owned(),
            SIGNER_DEFAULT_SALT.to_owned(),
            Algorithm::Sha256,
            fallbacks_of(settings),
        )
    }

    /// A [`SignerBuilder`] on the SECRET_KEY and SECRET_KEY_FALLBACKS of `settings` (Django's
    /// `Signer(salt=…)` and the like, where `key` and `fallback_keys` are left out).
    #[must_use]
    pub fn builder_from_settings(settings: &Settings) -> SignerBuilder {
        Self::builder(&settings.secret_key).fallback_keys(&settings.secret_key_fallbacks)
    }

    /// Assembles a signer from already validated parts.
    fn from_parts(
        key: &[u8],
        sep: String,
        salt: String,
        algorithm: Algorithm,
        fallback_keys: Vec<Vec<u8>>,
    ) -> Self {
        let mac = KeyedMac::new(algorithm, &[salt.as_bytes(), b"signer"], key);
        Self {
            mac,
            fallback_keys,
            sep,
            salt,
            algorithm,
        }
    }

    /// The effective salt.
    #[must_use]
    pub fn salt(&self) -> &str {
        &self.salt
    }

    /// The separator.
    #[must_use]
    pub fn sep(&self) -> &str {
        &self.sep
    }

    /// The hash algorithm.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// `signature(value)`: the base64 HMAC of `value` with the main key.
    #[must_use]
    pub fn signature(&self, value: &str) -> String {
        let mut out = String::with_capacity(88);
        self.mac.push_signature(value.as_bytes(), &mut out);
        out
    }

    /// `sign(value)`: `value + sep + signature(value)`.
    #[must_use]
    pub fn sign(&self, value: &str) -> String {
        let mut out = String::with_capacity(value.len() + self.sep.len() + 88);
        out.push_str(value);
        out.push_str(&self.sep);
        self.mac.push_signature(value.as_bytes(), &mut out);
        out
    }

    /// `unsign(signed_value)`: splits on the last separator and checks the
    /// signature (constant-time) against the main key, then each fallback
    /// key. Returns the value as a slice of the input.
    ///
    /// # Errors
    ///
    /// [`SigningError::NoSeparator`] or [`SigningError::SignatureMismatch`]
    /// (both `BadSignature` in Django).
    pub fn unsign<'a>(&self, signed_value: &'a str) -> Result<&'a str, SigningError> {
        let Some((value, sig)) = signed_value.rsplit_once(self.sep.as_str()) else {
            return Err(SigningError::NoSeparator(self.sep.clone()));
        };
        if self.mac.verify(value.as_bytes(), sig) {
            return Ok(value);
        }
        for key in &self.fallback_keys {
            let mac = KeyedMac::new(self.algorithm, &[self.salt.as_bytes(), b"signer"], key);
            if mac.verify(value.as_bytes(), sig) {
                return Ok(value);
            }
        }
        Err(SigningError::SignatureMismatch(sig.to_owned()))
    }

    /// `sign_object(obj, compress=...)`: JSON-serializes `obj` (see
    /// [`JsonSerializer`]), optionally zlib-compresses it (kept only when at
    /// least 2 bytes shorter, then flagged by a leading `.`), base64-encodes
    /// it and signs the result.
    ///
    /// # Errors
    ///
    /// [`SigningError::Serialization`] when `obj` cannot be serialized.
    pub fn sign_object<T: Serialize + ?Sized>(
        &self,
        obj: &T,
        compress: bool,
    ) -> Result<String, SigningError> {
        Ok(self.sign(&encode_payload(obj, compress)?))
    }

    /// `unsign_object(signed_obj)`: the reverse of [`sign_object`](Self::sign_object);
    /// the signature is checked before anything is decompressed.
    ///
    /// # Errors
    ///
    /// The errors of [`unsign`](Self::unsign), or [`SigningError::Malformed`]
    /// when the signed payload cannot be decoded into `T`.
    pub fn unsign_object<T: DeserializeOwned>(&self, signed_obj: &str) -> Result<T, SigningError> {
        decode_payload(self.unsign(signed_obj)?)
    }
}

/// JSON → optional zlib → base64 (with the `.` compression flag).
fn encode_payload<T: Serialize + ?Sized>(obj: &T, compress: bool) -> Result<String, SigningError> {
    let data = JsonSerializer::dumps(obj)?;
    if compress {
        let compressed = zlib_compress(&data);
        if compressed.len() + 1 < data.len() {
            let mut out = String::with_capacity(compressed.len() * 4 / 3 + 4);
            out.push('.');
            out.push_str(&b64_encode(&compressed));
            return Ok(out);
        }
    }
    Ok(b64_encode(&data))
}

/// base64 (with the `.` compression flag) → optional zlib → JSON.
fn decode_payload<T: DeserializeOwned>(base64d: &str) -> Result<T, SigningError> {
    match base64d.strip_prefix('.') {
        Some(rest) => JsonSerializer::loads(&zlib_decompress(&b64_decode(rest.as_bytes())?)?),
        None => JsonSerializer::loads(&b64_decode(base64d.as_bytes())?),
    }
}

/// `TimestampSigner`: a [`Signer`] that appends `sep + base62(int(time))`
/// before signing, so `unsign` can enforce a maximum age.
///
/// # Examples
///
/// ```
/// use chrono::{DateTime, TimeDelta};
/// use nuages::signing::{MaxAge, TimestampSigner};
///
/// let ts = TimestampSigner::new("django-insecure-golden-key");
/// let t0 = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
/// let signed = ts.sign_at("hello", t0);
/// assert_eq!(signed, "hello:1r31eq:hgptpi6mKxoIjuR3CxlEBWl6dtuS-p1AnAxkRovrCrc");
///
/// let later = t0 + TimeDelta::seconds(10);
/// assert_eq!(ts.unsign_at(&signed, Some(MaxAge::Seconds(10)), later).unwrap(), "hello");
/// let err = ts.unsign_at(&signed, Some(MaxAge::Seconds(9)), later).unwrap_err();
/// assert_eq!(err.to_string(), "Signature age 10.0 > 9 seconds");
/// ```
#[derive(Debug, Clone)]
pub struct TimestampSigner {
    signer: Signer,
}

impl TimestampSigner {
    /// `TimestampSigner(key=key)` with Django's defaults (salt
    /// `django.core.signing.TimestampSigner`). Use
    /// [`Signer::builder`]`(..).build_timestamp()` for other arguments.
    #[must_use]
    pub fn new(key: impl AsRef<[u8]>) -> Self {
        Self {
            signer: Signer::from_parts(
                key.as_ref(),
                ":".to_owned(),
                TIMESTAMP_SIGNER_DEFAULT_SALT.to_owned(),
                Algorithm::Sha256,
                Vec::new(),
            ),
        }
    }

    /// `TimestampSigner()` without `key=` or `fallback_keys=`: the SECRET_KEY and
    /// SECRET_KEY_FALLBACKS of `settings` (see [`Signer::from_settings`]). Use
    /// [`Signer::builder_from_settings`]`(..).build_timestamp()` for a salt.
    #[doc(alias = "TimestampSigner()")]
    #[must_use]
    pub fn from_settings(settings: &Settings) -> Self {
        Self {
            signer: Signer::from_parts(
                settings.secret_key.as_bytes(),
                ":".to_owned(),
                TIMESTAMP_SIGNER_DEFAULT_SALT.to_owned(),
                Algorithm::Sha256,
                fallbacks_of(settings),
            ),
        }
    }

    pub(crate) fn from_signer(signer: Signer) -> Self {
        Self { signer }
    }

    /// The underlying [`Signer`] (salt, separator, algorithm).
    #[must_use]
    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    /// `timestamp()`: base62 of `int(time.time())` at `now`.
    #[must_use]
    pub fn timestamp_at(now: DateTime<Utc>) -> String {
        // int() truncates towards zero; the value always fits in an i64.
        #[allow(clippy::cast_possible_truncation)]
        b62_encode(epoch_seconds(&now).trunc() as i64)
    }

    /// `sign(value)` at the current time.
    #[must_use]
    pub fn sign(&self, value: &str) -> String {
        self.sign_at(value, Utc::now())
    }

    /// `sign(value)` with the clock at `now`.
    #[must_use]
    pub fn sign_at(&self, value: &str, now: DateTime<Utc>) -> String {
        let ts = Self::timestamp_at(now);
        let mut stamped = String::with_capacity(value.len() + self.signer.sep.len() + ts.len());
        stamped.push_str(value);
        stamped.push_str(&self.signer.sep);
        stamped.push_str(&ts);
        self.signer.sign(&stamped)
    }

    /// `unsign(value, max_age=...)` at the current time.
    ///
    /// # Errors
    ///
    /// As [`unsign_at`](Self::unsign_at).
    pub fn unsign<'a>(
        &self,
        value: &'a str,
        max_age: Option<MaxAge>,
    ) -> Result<&'a str, SigningError> {
        self.unsign_at(value, max_age, Utc::now())
    }

    /// `unsign(value, max_age=...)` with the clock at `now`: checks the
    /// signature, then (when `max_age` is given) that
    /// `now - timestamp <= max_age`. A timestamp in the future is accepted.
    ///
    /// # Errors
    ///
    /// The errors of [`Signer::unsign`], [`SigningError::SignatureExpired`],
    /// or [`SigningError::Malformed`] for a signed value without a valid
    /// timestamp.
    pub fn unsign_at<'a>(
        &self,
        value: &'a str,
        max_age: Option<MaxAge>,
        now: DateTime<Utc>,
    ) -> Result<&'a str, SigningError> {
        let result = self.signer.unsign(value)?;
        let Some((value, timestamp)) = result.rsplit_once(self.signer.sep.as_str()) else {
            return Err(SigningError::Malformed(
                "not enough values to unpack (expected 2, got 1)".into(),
            ));
        };
        let timestamp = b62_decode(timestamp)?;
        if let Some(max_age) = max_age {
            #[allow(clippy::cast_precision_loss)]
            let age = epoch_seconds(&now) - timestamp as f64;
            if age > max_age.as_secs_f64() {
                return Err(SigningError::SignatureExpired { age, max_age });
            }
        }
        Ok(value)
    }

    /// `sign_object(obj, compress=...)` at the current time.
    ///
    /// # Errors
    ///
    /// [`SigningError::Serialization`] when `obj` cannot be serialized.
    pub fn sign_object<T: Serialize + ?Sized>(
        &self,
        obj: &T,
        compress: bool,
    ) -> Result<String, SigningError> {
        self.sign_object_at(obj, compress, Utc::now())
    }

    /// `sign_object(obj, compress=...)` with the clock at `now`.
    ///
    /// # Errors
    ///
    /// [`SigningError::Serialization`] when `obj` cannot be serialized.
    pub fn sign_object_at<T: Serialize + ?Sized>(
        &self,
        obj: &T,
        compress: bool,
        now: DateTime<Utc>,
    ) -> Result<String, SigningError> {
        Ok(self.sign_at(&encode_payload(obj, compress)?, now))
    }

    /// `unsign_object(signed_obj, max_age=...)` at the current time.
    ///
    /// # Errors
    ///
    /// As [`unsign_object_at`](Self::unsign_object_at).
    pub fn unsign_object<T: DeserializeOwned>(
        &self,
        signed_obj: &str,
        max_age: Option<MaxAge>,
    ) -> Result<T, SigningError> {
        self.unsign_object_at(signed_obj, max_age, Utc::now())
    }

    /// `unsign_object(signed_obj, max_age=...)` with the clock at `now`.
    ///
    /// # Errors
    ///
    /// The errors of [`unsign_at`](Self::unsign_at), or
    /// [`SigningError::Malformed`] when the payload cannot be decoded.
    pub fn unsign_object_at<T: DeserializeOwned>(
        &self,
        signed_obj: &str,
        max_age: Option<MaxAge>,
        now: DateTime<Utc>,
    ) -> Result<T, SigningError> {
        decode_payload(self.unsign_at(signed_obj, max_age, now)?)
    }
}

/// `dumps(obj, key, salt, compress=...)` at the current time: a URL-safe,
/// timestamped, signed (and optionally compressed) JSON string.
/// [`DEFAULT_DUMPS_SALT`] is Django's default salt; an empty salt means
/// `TimestampSigner`'s default.
///
/// # Errors
///
/// [`SigningError::Serialization`] when `obj` cannot be serialized.
///
/// # Examples
///
/// ```
/// use nuages::signing::{dumps, loads, DEFAULT_DUMPS_SALT};
///
/// let s = dumps(&serde_json::json!({"a": 1}), "secret", DEFAULT_DUMPS_SALT, false).unwrap();
/// assert!(s.starts_with("eyJhIjoxfQ:"));
/// let v: serde_json::Value = loads(&s, "secret", DEFAULT_DUMPS_SALT, None, &[] as &[&str]).unwrap();
/// assert_eq!(v["a"], 1);
/// ```
pub fn dumps<T: Serialize + ?Sized>(
    obj: &T,
    key: impl AsRef<[u8]>,
    salt: &str,
    compress: bool,
) -> Result<String, SigningError> {
    dumps_at(obj, key, salt, compress, Utc::now())
}

/// [`dumps`] with the clock at `now`.
///
/// # Errors
///
/// [`SigningError::Serialization`] when `obj` cannot be serialized.
pub fn dumps_at<T: Serialize + ?Sized>(
    obj: &T,
    key: impl AsRef<[u8]>,
    salt: &str,
    compress: bool,
    now: DateTime<Utc>,
) -> Result<String, SigningError> {
    timestamp_signer(key.as_ref(), salt, &[] as &[&[u8]]).sign_object_at(obj, compress, now)
}

/// `loads(s, key, salt, max_age=..., fallback_keys=...)` at the current time.
///
/// # Errors
///
/// As [`loads_at`].
pub fn loads<T: DeserializeOwned, K: AsRef<[u8]>>(
    s: &str,
    key: impl AsRef<[u8]>,
    salt: &str,
    max_age: Option<MaxAge>,
    fallback_keys: &[K],
) -> Result<T, SigningError> {
    loads_at(s, key, salt, max_age, fallback_keys, Utc::now())
}

/// [`loads`] with the clock at `now`.
///
/// # Errors
///
/// `BadSignature`-kind errors ([`SigningError::is_bad_signature`]) for a
/// wrong signature or an expired timestamp, [`SigningError::Malformed`] for
/// an undecodable payload.
pub fn loads_at<T: DeserializeOwned, K: AsRef<[u8]>>(
    s: &str,
    key: impl AsRef<[u8]>,
    salt: &str,
    max_age: Option<MaxAge>,
    fallback_keys: &[K],
    now: DateTime<Utc>,
) -> Result<T, SigningError> {
    timestamp_signer(key.as_ref(), salt, fallback_keys).unsign_object_at(s, max_age, now)
}

/// `TimestampSigner(key=key, salt=salt, fallback_keys=...)` with the default
/// separator and algorithm (cannot fail).
fn timestamp_signer<K: AsRef<[u8]>>(
    key: &[u8],
    salt: &str,
    fallback_keys: &[K],
) -> TimestampSigner {
    let salt = if salt.is_empty() {
        TIMESTAMP_SIGNER_DEFAULT_SALT
    } else {
        salt
    };
    TimestampSigner::from_signer(Signer::from_parts(
        key,
        ":".to_owned(),
        salt.to_owned(),
        Algorithm::Sha256,
        fallback_keys.iter().map(|k| k.as_ref().to_vec()).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separator_check_like_python_regex() {
        for sep in [
            "", "-", "_", "=", "a", "Z", "0", "ab", "[", "\\", "^", "`", "\n", "a\n",
        ] {
            assert!(is_unsafe_separator(sep), "{sep:?} should be unsafe");
        }
        for sep in [":", "/", "~", ".", "::", "\n\n", "é", "{"] {
            assert!(!is_unsafe_separator(sep), "{sep:?} should be safe");
        }
    }

    #[test]
    fn unsign_never_panics_on_odd_input() {
        let ts = TimestampSigner::new("k");
        for input in ["", ":", "::", "a:b:c", ":\u{e9}", "\u{2603}:\u{2603}"] {
            assert!(ts.unsign(input, Some(MaxAge::Seconds(1))).is_err());
        }
        // Validly signed but without a timestamp.
        let signed = ts.signer().sign("no-timestamp");
        assert!(matches!(
            ts.unsign(&signed, None),
            Err(SigningError::Malformed(_))
        ));
        let signed = ts.signer().sign("x:!!");
        assert!(matches!(
            ts.unsign(&signed, None),
            Err(SigningError::Malformed(_))
        ));
    }

    #[test]
    fn fallback_and_payload_errors() {
        let old = Signer::new("old");
        let new = Signer::builder("new").fallback_keys(["x", "old"]).build();
        let new = new.unwrap_or_else(|_| Signer::new("unreachable"));
        assert_eq!(new.unsign(&old.sign("v")).ok(), Some("v"));
        let garbage = Signer::new("k").sign(".bm90LXpsaWI");
        let err = Signer::new("k").unsign_object::<serde_json::Value>(&garbage);
        assert!(matches!(err, Err(SigningError::Malformed(_))));
        assert_eq!(
            "md4".parse::<Algorithm>().map_err(|e| e.to_string()),
            Err("'md4' is not an algorithm accepted by the hashlib module.".to_owned())
        );
    }
}

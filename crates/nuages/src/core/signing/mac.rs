//! `django.utils.crypto.salted_hmac` and the precomputed HMAC state used by
//! [`Signer`](super::Signer).

use std::fmt;
use std::str::FromStr;

use hmac::digest::{Digest, Key, KeyInit};
use hmac::{Hmac, Mac};
use nuages_py::binascii::{b2a_base64_slice, Alphabet};
use subtle::ConstantTimeEq;

use super::SigningError;

/// A hash algorithm accepted by Django's `salted_hmac` (a `hashlib` name).
///
/// # Examples
///
/// ```
/// use nuages::signing::Algorithm;
///
/// let algo: Algorithm = "sha512".parse().unwrap();
/// assert_eq!(algo, Algorithm::Sha512);
/// assert_eq!(Algorithm::default().name(), "sha256");
/// assert!("whirlpool".parse::<Algorithm>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Algorithm {
    /// `hashlib.md5`.
    Md5,
    /// `hashlib.sha1` (the default of `salted_hmac` and `base64_hmac`).
    Sha1,
    /// `hashlib.sha224`.
    Sha224,
    /// `hashlib.sha256` (the default of `Signer`).
    #[default]
    Sha256,
    /// `hashlib.sha384`.
    Sha384,
    /// `hashlib.sha512`.
    Sha512,
}

impl Algorithm {
    /// The `hashlib` name (`"sha256"`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Md5 => "md5",
            Self::Sha1 => "sha1",
            Self::Sha224 => "sha224",
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
        }
    }
}

impl FromStr for Algorithm {
    type Err = SigningError;

    /// Parses a `hashlib` name (case-sensitive, as `getattr(hashlib, name)`).
    fn from_str(name: &str) -> Result<Self, SigningError> {
        Ok(match name {
            "md5" => Self::Md5,
            "sha1" => Self::Sha1,
            "sha224" => Self::Sha224,
            "sha256" => Self::Sha256,
            "sha384" => Self::Sha384,
            "sha512" => Self::Sha512,
            _ => return Err(SigningError::InvalidAlgorithm(name.to_owned())),
        })
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Largest digest (SHA-512) and its unpadded base64 length.
const MAX_DIGEST: usize = 64;
const MAX_B64: usize = 88;

/// An HMAC keyed with `H(key_salt + secret)`, ready to be cloned per message.
#[derive(Clone)]
pub(crate) enum KeyedMac {
    Md5(Hmac<md5::Md5>),
    Sha1(Hmac<sha1::Sha1>),
    Sha224(Hmac<sha2::Sha224>),
    Sha256(Hmac<sha2::Sha256>),
    Sha384(Hmac<sha2::Sha384>),
    Sha512(Hmac<sha2::Sha512>),
}

impl fmt::Debug for KeyedMac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("KeyedMac").field(&self.algorithm()).finish()
    }
}

impl KeyedMac {
    /// `salted_hmac` key derivation: the HMAC key is `H(key_salt + secret)`
    /// where `key_salt` is the concatenation of `key_salt_parts`.
    pub(crate) fn new(algorithm: Algorithm, key_salt_parts: &[&[u8]], secret: &[u8]) -> Self {
        macro_rules! keyed {
            ($variant:ident, $digest:ty) => {{
                let mut hasher = <$digest as Digest>::new();
                for part in key_salt_parts {
                    hasher.update(part);
                }
                hasher.update(secret);
                let derived = hasher.finalize();
                // HMAC zero-pads keys shorter than the block size, so padding
                // the derived key ourselves gives the same MAC.
                let mut key = Key::<Hmac<$digest>>::default();
                for (dst, src) in key.iter_mut().zip(derived.iter()) {
                    *dst = *src;
                }
                Self::$variant(<Hmac<$digest> as KeyInit>::new(&key))
            }};
        }
        match algorithm {
            Algorithm::Md5 => keyed!(Md5, md5::Md5),
            Algorithm::Sha1 => keyed!(Sha1, sha1::Sha1),
            Algorithm::Sha224 => keyed!(Sha224, sha2::Sha224),
            Algorithm::Sha256 => keyed!(Sha256, sha2::Sha256),
            Algorithm::Sha384 => keyed!(Sha384, sha2::Sha384),
            Algorithm::Sha512 => keyed!(Sha512, sha2::Sha512),
        }
    }

    fn algorithm(&self) -> Algorithm {
        match self {
            Self::Md5(_) => Algorithm::Md5,
            Self::Sha1(_) => Algorithm::Sha1,
            Self::Sha224(_) => Algorithm::Sha224,
            Self::Sha256(_) => Algorithm::Sha256,
            Self::Sha384(_) => Algorithm::Sha384,
            Self::Sha512(_) => Algorithm::Sha512,
        }
    }

    /// Writes the MAC of `value` into `out`, returning its length.
    fn digest_into(&self, value: &[u8], out: &mut [u8; MAX_DIGEST]) -> usize {
        macro_rules! run {
            ($mac:expr) => {{
                let tag = $mac.clone().chain_update(value).finalize().into_bytes();
                let mut n = 0;
                for (dst, src) in out.iter_mut().zip(tag.iter()) {
                    *dst = *src;
                    n += 1;
                }
                n
            }};
        }
        match self {
            Self::Md5(m) => run!(m),
            Self::Sha1(m) => run!(m),
            Self::Sha224(m) => run!(m),
            Self::Sha256(m) => run!(m),
            Self::Sha384(m) => run!(m),
            Self::Sha512(m) => run!(m),
        }
    }

    /// The raw MAC of `value`.
    pub(crate) fn digest(&self, value: &[u8]) -> Vec<u8> {
        let mut buf = [0u8; MAX_DIGEST];
        let n = self.digest_into(value, &mut buf);
        buf[..n].to_vec()
    }

    /// Writes the unpadded URL-safe base64 MAC into `out`, returning it.
    fn b64_into<'b>(&self, value: &[u8], out: &'b mut [u8; MAX_B64]) -> &'b [u8] {
        let mut digest = [0u8; MAX_DIGEST];
        let n = self.digest_into(value, &mut digest);
        let len =
            b2a_base64_slice(&digest[..n], Alphabet::UrlSafe, false, &mut out[..]).unwrap_or(0);
        &out[..len]
    }

    /// Appends the signature (unpadded URL-safe base64 MAC) to `out`.
    pub(crate) fn push_signature(&self, value: &[u8], out: &mut String) {
        let mut buf = [0u8; MAX_B64];
        let sig = self.b64_into(value, &mut buf);
        out.extend(sig.iter().map(|&b| char::from(b)));
    }

    /// Constant-time check of `signature` against the MAC of `value`.
    pub(crate) fn verify(&self, value: &[u8], signature: &str) -> bool {
        let mut buf = [0u8; MAX_B64];
        let expected = self.b64_into(value, &mut buf);
        expected.ct_eq(signature.as_bytes()).into()
    }
}

/// `salted_hmac(key_salt, value, secret, algorithm=...)`: the HMAC of `value`
/// keyed with `H(key_salt + secret)`. Returns the raw digest (Django returns
/// the hmac object; call `.digest()` on it to get the same bytes).
///
/// # Examples
///
/// ```
/// use nuages::signing::{salted_hmac, Algorithm};
///
/// let mac = salted_hmac("salt", "value", "secret", Algorithm::Sha1);
/// assert_eq!(mac.len(), 20);
/// ```
#[must_use]
pub fn salted_hmac(
    key_salt: impl AsRef<[u8]>,
    value: impl AsRef<[u8]>,
    secret: impl AsRef<[u8]>,
    algorithm: Algorithm,
) -> Vec<u8> {
    KeyedMac::new(algorithm, &[key_salt.as_ref()], secret.as_ref()).digest(value.as_ref())
}

/// `base64_hmac(salt, value, key, algorithm)`: the [`salted_hmac`] digest as
/// URL-safe base64 without padding.
///
/// # Examples
///
/// ```
/// use nuages::signing::{base64_hmac, Algorithm};
///
/// // Signer(key="django-insecure-golden-key").signature("hello")
/// let sig = base64_hmac(
///     "django.core.signing.Signersigner",
///     "hello",
///     "django-insecure-golden-key",
///     Algorithm::Sha256,
/// );
/// assert_eq!(sig, "AmEgtkcGq0c327Wa5jXnkpajXMZKdimFvKgNQHtJxWI");
/// ```
#[must_use]
pub fn base64_hmac(
    salt: impl AsRef<[u8]>,
    value: impl AsRef<[u8]>,
    key: impl AsRef<[u8]>,
    algorithm: Algorithm,
) -> String {
    let mut out = String::with_capacity(MAX_B64);
    KeyedMac::new(algorithm, &[salt.as_ref()], key.as_ref())
        .push_signature(value.as_ref(), &mut out);
    out
}

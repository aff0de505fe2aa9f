//! Python's `base64` module: `b64encode`, `b64decode`, `urlsafe_b64encode`,
//! `urlsafe_b64decode` (decoding is [`binascii::a2b_base64`]'s
//! lenient mode, as with `validate=False`).

use crate::binascii::{self, a2b_base64, b2a_base64_into, Alphabet};

/// `base64.b64encode(data)` as text.
///
/// # Examples
///
/// ```
/// assert_eq!(nuages_py::base64::b64encode("☃".as_bytes()), "4piD");
/// ```
#[must_use]
pub fn b64encode(data: &[u8]) -> String {
    let mut out = String::new();
    b2a_base64_into(data, Alphabet::Standard, true, &mut out);
    out
}

/// `base64.urlsafe_b64encode(data)` as text (`-_` instead of `+/`, padded).
///
/// # Examples
///
/// ```
/// assert_eq!(nuages_py::base64::urlsafe_b64encode(b"\xfb\xff"), "-_8=");
/// ```
#[must_use]
pub fn urlsafe_b64encode(data: &[u8]) -> String {
    let mut out = String::new();
    b2a_base64_into(data, Alphabet::UrlSafe, true, &mut out);
    out
}

/// `base64.b64decode(data)`.
///
/// # Errors
///
/// [`binascii::Error`] where Python raises it.
pub fn b64decode(data: &[u8]) -> Result<Vec<u8>, binascii::Error> {
    a2b_base64(data)
}

/// `base64.urlsafe_b64decode(data)`: `-` and `_` are read as `+` and `/` (which stay valid).
///
/// # Errors
///
/// [`binascii::Error`] where Python raises it.
///
/// # Examples
///
/// ```
/// use nuages_py::base64::urlsafe_b64decode;
///
/// assert_eq!(urlsafe_b64decode(b"-_8=").unwrap(), b"\xfb\xff");
/// assert_eq!(urlsafe_b64decode(b"+/8=").unwrap(), b"\xfb\xff");
/// ```
pub fn urlsafe_b64decode(data: &[u8]) -> Result<Vec<u8>, binascii::Error> {
    let translated: Vec<u8> = data
        .iter()
        .map(|&b| match b {
            b'-' => b'+',
            b'_' => b'/',
            b => b,
        })
        .collect();
    a2b_base64(&translated)
}

//! Encodings used by `django.core.signing`: base62 timestamps, and Django's `b64_encode` /
//! `b64_decode` and zlib calls on top of Python's `base64` and `zlib`
//! ([`nuages::py`](crate::py)).

use nuages_py::base64::urlsafe_b64decode;
use nuages_py::binascii::{b2a_base64_into, Alphabet};
use nuages_py::zlib;

use super::SigningError;

const BASE62_ALPHABET: &[u8; 62] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `b62_encode(s)`: base62 with the alphabet `0-9A-Za-z`, negative numbers
/// prefixed with `-`.
///
/// # Examples
///
/// ```
/// use nuages::signing::b62_encode;
///
/// assert_eq!(b62_encode(0), "0");
/// assert_eq!(b62_encode(62), "10");
/// assert_eq!(b62_encode(-1), "-1");
/// assert_eq!(b62_encode(1_700_000_000), "1r31eq");
/// ```
#[must_use]
pub fn b62_encode(n: i64) -> String {
    if n == 0 {
        return "0".to_owned();
    }
    let mut buf = [0u8; 12];
    let mut pos = buf.len();
    let mut rest = n.unsigned_abs();
    while rest > 0 {
        pos -= 1;
        // rest % 62 < 62, so the index is in bounds and fits in usize.
        buf[pos] = BASE62_ALPHABET[usize::try_from(rest % 62).unwrap_or(0)];
        rest /= 62;
    }
    let mut out = String::with_capacity(buf.len() - pos + 1);
    if n < 0 {
        out.push('-');
    }
    out.extend(buf[pos..].iter().map(|&b| char::from(b)));
    out
}

/// `b62_decode(s)`, the inverse of [`b62_encode`].
///
/// Like Python, `"-"` decodes to 0.
///
/// # Errors
///
/// [`SigningError::Malformed`] for an empty string, a character outside the
/// alphabet, or a value that does not fit in an `i64`.
///
/// # Examples
///
/// ```
/// use nuages::signing::b62_decode;
///
/// assert_eq!(b62_decode("1r31eq").unwrap(), 1_700_000_000);
/// assert_eq!(b62_decode("-10").unwrap(), -62);
/// assert!(b62_decode("!").is_err());
/// ```
pub fn b62_decode(s: &str) -> Result<i64, SigningError> {
    let (negative, digits) = match s.as_bytes() {
        [] => return Err(SigningError::Malformed("string index out of range".into())),
        [b'-', rest @ ..] => (true, rest),
        all => (false, all),
    };
    let mut value: i128 = 0;
    for &d in digits {
        let digit = match d {
            b'0'..=b'9' => d - b'0',
            b'A'..=b'Z' => d - b'A' + 10,
            b'a'..=b'z' => d - b'a' + 36,
            _ => return Err(SigningError::Malformed("substring not found".into())),
        };
        value = value * 62 + i128::from(digit);
        if value > 1 << 63 {
            break;
        }
    }
    i64::try_from(if negative { -value } else { value })
        .map_err(|_| SigningError::Malformed(format!("timestamp {s:?} is out of range")))
}

/// `b64_encode`: `base64.urlsafe_b64encode(s).strip(b"=")`.
pub(crate) fn b64_encode(data: &[u8]) -> String {
    let mut out = String::new();
    b2a_base64_into(data, Alphabet::UrlSafe, false, &mut out);
    out
}

/// `b64_decode`: `base64.urlsafe_b64decode(s + b"=" * (-len(s) % 4))`, with binascii's
/// non-strict mode (characters outside the alphabet are skipped, decoding stops at a
/// completed padding sequence).
pub(crate) fn b64_decode(s: &[u8]) -> Result<Vec<u8>, SigningError> {
    let mut padded = Vec::with_capacity(s.len() + 3);
    padded.extend_from_slice(s);
    padded.resize(s.len() + (4 - s.len() % 4) % 4, b'=');
    urlsafe_b64decode(&padded).map_err(|e| SigningError::Malformed(e.to_string()))
}

/// `zlib.compress(data)` at the default level (6).
pub(crate) fn zlib_compress(data: &[u8]) -> Vec<u8> {
    zlib::compress(data, 6)
}

/// `zlib.decompress(data)`.
pub(crate) fn zlib_decompress(data: &[u8]) -> Result<Vec<u8>, SigningError> {
    zlib::decompress(data).map_err(|e| SigningError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn b64_lenient_like_python() {
        assert_eq!(b64_decode(b"eyJhIjoxfQ").ok(), Some(br#"{"a":1}"#.to_vec()));
        assert_eq!(b64_decode(b"YQ").ok(), Some(b"a".to_vec()));
        assert_eq!(b64_decode(b"Y!QQQ").ok(), Some(b"a\x04\x10".to_vec()));
        assert_eq!(b64_decode(b"YQ==YQ").ok(), Some(b"a".to_vec()));
        assert!(b64_decode(b"YQ=x").is_err());
        assert!(b64_decode("Y\u{e9}Q".as_bytes()).is_err());
        assert_eq!(
            b64_decode(b"Y!Q").map_err(|e| e.to_string()),
            Err("Incorrect padding".to_owned())
        );
        assert_eq!(b64_decode(b"+/-_").ok(), b64_decode(b"-_-_").ok());
        assert_eq!(
            b64_decode(b"YWJjZ").map_err(|e| e.to_string()),
            Err("Invalid base64-encoded string: number of data characters (5) cannot be 1 more than a multiple of 4".to_owned())
        );
        assert_eq!(b64_decode(b"").ok(), Some(Vec::new()));
    }

    #[test]
    fn b62_edges() {
        assert_eq!(b62_encode(i64::MIN), "-AzL8n0Y58m8");
        assert_eq!(b62_decode("AzL8n0Y58m7").ok(), Some(i64::MAX));
        assert!(b62_decode("AzL8n0Y58m8").is_err());
        assert_eq!(b62_decode("-").ok(), Some(0));
        assert!(b62_decode("").is_err());
    }
}

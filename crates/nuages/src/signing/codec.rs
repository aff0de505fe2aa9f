//! Encodings used by `django.core.signing`: base62 timestamps, URL-safe
//! base64 without padding (with Python's lenient decoder) and zlib.

use std::io::Write as _;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use flate2::write::ZlibEncoder;
use flate2::{Compression, Decompress, FlushDecompress, Status};

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

/// `b64_encode`: URL-safe base64 with the `=` padding stripped.
pub(crate) fn b64_encode(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

/// Value of one base64 character in either alphabet (Python's
/// `urlsafe_b64decode` maps `-_` to `+/` and then accepts both).
fn b64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// `b64_decode`: Python's `urlsafe_b64decode(s + "=" * (-len(s) % 4))`,
/// including binascii's non-strict mode (characters outside the alphabet
/// are skipped, decoding stops at a completed padding sequence).
pub(crate) fn b64_decode(s: &[u8]) -> Result<Vec<u8>, SigningError> {
    let pad = (4 - s.len() % 4) % 4;
    let mut out = Vec::with_capacity(s.len() / 4 * 3 + 3);
    let mut quad_pos = 0u8;
    let mut left: u8 = 0;
    let mut pads = 0usize;
    for &c in s.iter().chain(std::iter::repeat_n(&b'=', pad)) {
        if c == b'=' {
            if quad_pos >= 2 {
                pads += 1;
                if usize::from(quad_pos) + pads >= 4 {
                    return Ok(out);
                }
            }
            continue;
        }
        let Some(v) = b64_value(c) else { continue };
        pads = 0;
        match quad_pos {
            0 => {
                quad_pos = 1;
                left = v;
            }
            1 => {
                quad_pos = 2;
                out.push((left << 2) | (v >> 4));
                left = v & 0x0f;
            }
            2 => {
                quad_pos = 3;
                out.push((left << 4) | (v >> 2));
                left = v & 0x03;
            }
            _ => {
                quad_pos = 0;
                out.push((left << 6) | v);
                left = 0;
            }
        }
    }
    match quad_pos {
        0 => Ok(out),
        1 => Err(SigningError::Malformed(format!(
            "Invalid base64-encoded string: number of data characters ({}) cannot be 1 more than a multiple of 4",
            out.len() / 3 * 4 + 1
        ))),
        _ => Err(SigningError::Malformed("Incorrect padding".into())),
    }
}

/// `zlib.compress(data)` at the default level (6); the `zlib` backend of
/// flate2 produces the same bytes as CPython's zlib.
pub(crate) fn zlib_compress(data: &[u8]) -> Vec<u8> {
    let mut enc = ZlibEncoder::new(Vec::with_capacity(data.len() / 2 + 16), Compression::new(6));
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

/// `zlib.decompress(data)`: the whole stream must be present; data after
/// the end of the stream is ignored.
pub(crate) fn zlib_decompress(data: &[u8]) -> Result<Vec<u8>, SigningError> {
    let mut dec = Decompress::new(true);
    let mut out = Vec::with_capacity(data.len().saturating_mul(3).max(64));
    loop {
        let (in_before, out_before) = (dec.total_in(), dec.total_out());
        let input = usize::try_from(in_before)
            .ok()
            .and_then(|pos| data.get(pos..))
            .unwrap_or_default();
        if out.len() == out.capacity() {
            out.reserve(out.capacity());
        }
        let status = dec
            .decompress_vec(input, &mut out, FlushDecompress::None)
            .map_err(|e| {
                SigningError::Malformed(format!("Error -3 while decompressing data: {e}"))
            })?;
        if status == Status::StreamEnd {
            return Ok(out);
        }
        // There was room for output, so no progress means missing input.
        if dec.total_in() == in_before && dec.total_out() == out_before {
            return Err(SigningError::Malformed(
                "Error -5 while decompressing data: incomplete or truncated stream".into(),
            ));
        }
    }
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
    fn zlib_roundtrip_and_truncation() {
        let data = b"repeat-me repeat-me repeat-me repeat-me".repeat(40);
        let c = zlib_compress(&data);
        assert!(zlib_decompress(&c).ok() == Some(data.clone()));
        let mut trailing = c.clone();
        trailing.extend_from_slice(b"junk");
        assert!(zlib_decompress(&trailing).ok() == Some(data));
        assert!(zlib_decompress(&c[..c.len() - 6]).is_err());
        assert!(zlib_decompress(b"not zlib").is_err());
        assert!(zlib_decompress(b"").is_err());
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

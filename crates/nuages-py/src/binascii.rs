//! Python's `binascii`: `a2b_base64` (non-strict mode, as `base64.b64decode` uses it, also
//! as a streaming decoder) and `b2a_base64`.

use std::fmt;

/// `binascii.Error` raised by [`a2b_base64`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// `Incorrect padding`: the data stopped in the middle of a group.
    IncorrectPadding,
    /// The data ended one character after a whole number of groups.
    ExcessData {
        /// The number of data characters read.
        data_characters: usize,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::IncorrectPadding => f.write_str("Incorrect padding"),
            Self::ExcessData { data_characters } => write!(
                f,
                "Invalid base64-encoded string: number of data characters ({data_characters}) \
                 cannot be 1 more than a multiple of 4"
            ),
        }
    }
}

impl std::error::Error for Error {}

/// The state of CPython's `binascii.a2b_base64` (non-strict mode), fed piece by piece:
/// bytes outside the alphabet are skipped and decoding stops at the first complete padding.
///
/// # Examples
///
/// ```
/// use nuages_py::binascii::A2bBase64;
///
/// let mut decoder = A2bBase64::new();
/// let mut out = Vec::new();
/// decoder.feed(b"aG", &mut out);
/// decoder.feed(b"Vs\nbG8=", &mut out);
/// assert!(decoder.finish().is_ok());
/// assert_eq!(out, b"hello");
/// ```
#[derive(Debug, Default, Clone)]
pub struct A2bBase64 {
    quad_pos: u8,
    left: u8,
    pads: u8,
    /// A complete padding sequence was seen: the rest of the input is ignored.
    done: bool,
    /// Bytes written so far (for the error message).
    written: usize,
}

impl A2bBase64 {
    /// A decoder at the start of the data.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes `input`, the next piece of the data, appending to `out`.
    pub fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) {
        if self.done {
            return;
        }
        let before = out.len();
        for &byte in input {
            if byte == b'=' {
                if self.quad_pos >= 2 {
                    self.pads += 1;
                    if self.quad_pos + self.pads >= 4 {
                        self.done = true;
                        break;
                    }
                }
                continue;
            }
            let Some(value) = sextet(byte) else {
                continue;
            };
            self.pads = 0;
            match self.quad_pos {
                0 => {
                    self.quad_pos = 1;
                    self.left = value;
                }
                1 => {
                    self.quad_pos = 2;
                    out.push((self.left << 2) | (value >> 4));
                    self.left = value & 0x0f;
                }
                2 => {
                    self.quad_pos = 3;
                    out.push((self.left << 4) | (value >> 2));
                    self.left = value & 0x03;
                }
                _ => {
                    self.quad_pos = 0;
                    out.push((self.left << 6) | value);
                    self.left = 0;
                }
            }
        }
        self.written += out.len() - before;
    }

    /// Whether `a2b_base64` would succeed here: it stopped at padding or is on a group
    /// boundary.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.done || self.quad_pos == 0
    }

    /// Ends the data: `Ok` where `a2b_base64` returns, its error where it raises.
    ///
    /// # Errors
    ///
    /// [`Error`] when the data stopped inside a group.
    pub fn finish(self) -> Result<(), Error> {
        match self.quad_pos {
            _ if self.done => Ok(()),
            0 => Ok(()),
            1 => Err(Error::ExcessData {
                data_characters: self.written / 3 * 4 + 1,
            }),
            _ => Err(Error::IncorrectPadding),
        }
    }
}

/// The value of one character of the standard base64 alphabet.
fn sextet(byte: u8) -> Option<u8> {
    match byte {
        b'A'..=b'Z' => Some(byte - b'A'),
        b'a'..=b'z' => Some(byte - b'a' + 26),
        b'0'..=b'9' => Some(byte - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// `binascii.a2b_base64(data)` (non-strict mode): bytes outside the alphabet are skipped,
/// decoding stops at the first complete padding.
///
/// # Errors
///
/// [`Error`] where Python raises `binascii.Error`.
///
/// # Examples
///
/// ```
/// use nuages_py::binascii::a2b_base64;
///
/// assert_eq!(a2b_base64(b"Y!QQQ").unwrap(), b"a\x04\x10");
/// assert_eq!(a2b_base64(b"YQ==YQ").unwrap(), b"a");
/// assert_eq!(a2b_base64(b"Y!Q").unwrap_err().to_string(), "Incorrect padding");
/// ```
pub fn a2b_base64(data: &[u8]) -> Result<Vec<u8>, Error> {
    let mut decoder = A2bBase64::new();
    let mut out = Vec::with_capacity(data.len() / 4 * 3 + 3);
    decoder.feed(data, &mut out);
    decoder.finish().map(|()| out)
}

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URLSAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The alphabet of an encoder: `+/` (standard) or `-_` (URL-safe).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alphabet {
    /// `A-Za-z0-9+/`.
    Standard,
    /// `A-Za-z0-9-_` (`base64.urlsafe_b64encode`).
    UrlSafe,
}

/// Calls `emit` with each output byte of the base64 encoding of `data`.
fn encode_with(data: &[u8], alphabet: Alphabet, pad: bool, mut emit: impl FnMut(u8)) {
    let table = match alphabet {
        Alphabet::Standard => STANDARD,
        Alphabet::UrlSafe => URLSAFE,
    };
    let sym = |v: u32| table[(v & 0x3f) as usize];
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        emit(sym(n >> 18));
        emit(sym(n >> 12));
        if chunk.len() > 1 {
            emit(sym(n >> 6));
        } else if pad {
            emit(b'=');
        }
        if chunk.len() > 2 {
            emit(sym(n));
        } else if pad {
            emit(b'=');
        }
    }
}

/// `binascii.b2a_base64(data, newline=False)` with the given alphabet, padded or not,
/// appended to `out`.
pub fn b2a_base64_into(data: &[u8], alphabet: Alphabet, pad: bool, out: &mut String) {
    out.reserve(data.len().div_ceil(3) * 4);
    encode_with(data, alphabet, pad, |b| out.push(char::from(b)));
}

/// Like [`b2a_base64_into`] into a byte buffer; returns the number of bytes written, or
/// `None` (writing nothing) when `out` is too small.
#[must_use]
pub fn b2a_base64_slice(
    data: &[u8],
    alphabet: Alphabet,
    pad: bool,
    out: &mut [u8],
) -> Option<usize> {
    let len = if pad {
        data.len().div_ceil(3) * 4
    } else {
        (data.len() * 4).div_ceil(3)
    };
    let out = out.get_mut(..len)?;
    let mut i = 0;
    encode_with(data, alphabet, pad, |b| {
        out[i] = b;
        i += 1;
    });
    Some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(input: &[u8]) -> Option<Vec<u8>> {
        a2b_base64(input).ok()
    }

    /// Expected values from CPython 3.11 `base64.b64decode`.
    #[test]
    fn decodes_like_python() {
        assert_eq!(field(b"aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(field(b"aGVs\r\nbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(field(b"aGVsbG8").as_deref(), None);
        assert_eq!(field(b"abc"), None);
        assert_eq!(field(b"a"), None);
        assert_eq!(field(b"").as_deref(), Some(&b""[..]));
        assert_eq!(field(b"YQ==YmM=").as_deref(), Some(&b"a"[..]));
        assert_eq!(field(b"YQ=x=").as_deref(), Some(&b"a\x0c"[..]));
        assert_eq!(field(b"Y*W*J*j").as_deref(), Some(&b"abc"[..]));
        assert_eq!(field(b"====").as_deref(), Some(&b""[..]));
        assert_eq!(
            a2b_base64(b"YWJjZ").map_err(|e| e.to_string()),
            Err("Invalid base64-encoded string: number of data characters (5) cannot be 1 more than a multiple of 4".to_owned())
        );
    }

    #[test]
    fn streaming_matches_whole() {
        let mut decoder = A2bBase64::new();
        let mut out = Vec::new();
        for piece in [&b"YQ"[..], b"==", b"YmM="] {
            decoder.feed(piece, &mut out);
        }
        assert!(decoder.is_complete());
        assert_eq!(decoder.finish(), Ok(()));
        assert_eq!(out, b"a");
    }

    #[test]
    fn encodes() {
        let mut s = String::new();
        b2a_base64_into(b"\xfb\xff", Alphabet::Standard, true, &mut s);
        assert_eq!(s, "+/8=");
        s.clear();
        b2a_base64_into(b"\xfb\xff", Alphabet::UrlSafe, false, &mut s);
        assert_eq!(s, "-_8");
        let mut buf = [0u8; 8];
        assert_eq!(
            b2a_base64_slice(b"hello", Alphabet::UrlSafe, false, &mut buf),
            Some(7)
        );
        assert_eq!(&buf[..7], b"aGVsbG8");
        assert_eq!(
            b2a_base64_slice(b"hello", Alphabet::UrlSafe, true, &mut buf[..7]),
            None
        );
    }
}

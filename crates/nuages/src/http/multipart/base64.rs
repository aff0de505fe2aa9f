//! Base64 `Content-Transfer-Encoding`, decoded like Django does: with Python's lenient
//! `base64.b64decode()` (`binascii.a2b_base64` without `strict_mode`), which skips bytes
//! outside the alphabet and stops at the first complete padding.

/// Python's `base64.b64decode()` of a whole field value; `None` where Python raises
/// `binascii.Error` (Django then keeps the raw value).
pub(super) fn decode_field(input: &[u8]) -> Option<Vec<u8>> {
    let mut decoder = A2bBase64::default();
    let mut out = Vec::with_capacity(input.len() / 4 * 3);
    decoder.feed(input, &mut out);
    decoder.is_complete().then_some(out)
}

/// Streaming decoder for a base64-encoded file.
///
/// Django strips ASCII whitespace, decodes the data in runs whose length is a multiple of 4
/// and fails with "Could not decode base64 data." if a run does not decode or bytes are left
/// over. This decoder treats the whole file as one such run, so its result does not depend on
/// how the body was chunked.
#[derive(Debug, Default)]
pub(super) struct FileDecoder {
    inner: A2bBase64,
    /// Count of non-whitespace bytes seen, modulo 4.
    stripped_len: u8,
}

impl FileDecoder {
    /// Decodes `input` (a piece of the encoded data), appending to `out`.
    pub(super) fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) {
        let stripped = input.iter().filter(|b| !is_py_space(**b)).count();
        // `% 4` keeps the value below 4, so the cast is lossless.
        self.stripped_len = ((usize::from(self.stripped_len) + stripped % 4) % 4) as u8;
        self.inner.feed(input, out);
    }

    /// Whether the data was valid: a whole number of 4-byte groups that decoded completely.
    pub(super) fn finish(self) -> bool {
        self.stripped_len == 0 && self.inner.is_complete()
    }
}

/// `bytes.split()` whitespace.
fn is_py_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// The state of CPython's `binascii.a2b_base64` (non-strict mode).
#[derive(Debug, Default)]
struct A2bBase64 {
    quad_pos: u8,
    left: u8,
    pads: u8,
    /// A complete padding sequence was seen: the rest of the input is ignored.
    done: bool,
}

impl A2bBase64 {
    fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) {
        if self.done {
            return;
        }
        for &byte in input {
            if byte == b'=' {
                if self.quad_pos >= 2 {
                    self.pads += 1;
                    if self.quad_pos + self.pads >= 4 {
                        self.done = true;
                        return;
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
    }

    /// `a2b_base64` succeeds: it stopped at padding or ended on a group boundary.
    fn is_complete(&self) -> bool {
        self.done || self.quad_pos == 0
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn file(pieces: &[&[u8]]) -> Option<Vec<u8>> {
        let mut decoder = FileDecoder::default();
        let mut out = Vec::new();
        for piece in pieces {
            decoder.feed(piece, &mut out);
        }
        decoder.finish().then_some(out)
    }

    /// Expected values from CPython 3.11 `base64.b64decode`.
    #[test]
    fn field_values_decode_like_python() {
        assert_eq!(decode_field(b"aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(
            decode_field(b"aGVs\r\nbG8=").as_deref(),
            Some(&b"hello"[..])
        );
        assert_eq!(decode_field(b"aGVsbG8").as_deref(), None);
        assert_eq!(decode_field(b"abc"), None);
        assert_eq!(decode_field(b"a"), None);
        assert_eq!(decode_field(b"").as_deref(), Some(&b""[..]));
        assert_eq!(decode_field(b"YQ==YmM=").as_deref(), Some(&b"a"[..]));
        assert_eq!(decode_field(b"YQ=x=").as_deref(), Some(&b"a\x0c"[..]));
        assert_eq!(decode_field(b"Y*W*J*j").as_deref(), Some(&b"abc"[..]));
        assert_eq!(decode_field(b"====").as_deref(), Some(&b""[..]));
    }

    #[test]
    fn files_decode_across_pieces() {
        assert_eq!(
            file(&[b"aG", b"Vs\nbG", b"8="]).as_deref(),
            Some(&b"hello"[..])
        );
        assert_eq!(file(&[b"aGVsbG8"]), None);
        assert_eq!(file(&[b"aGVs*bG8="]), None);
        assert_eq!(file(&[b"YQ==", b"YmM="]).as_deref(), Some(&b"a"[..]));
        assert_eq!(file(&[]).as_deref(), Some(&b""[..]));
    }
}

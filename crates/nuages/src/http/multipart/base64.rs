//! Base64 `Content-Transfer-Encoding` of uploaded files, decoded like Django does: with
//! Python's lenient `base64.b64decode()` ([`nuages::py::binascii::A2bBase64`](crate::py::binascii::A2bBase64)).

use nuages_py::binascii::A2bBase64;
use nuages_py::builtins::is_space_byte;

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
        let stripped = input.iter().filter(|b| !is_space_byte(**b)).count();
        // `% 4` keeps the value below 4, so the cast is lossless.
        self.stripped_len = ((usize::from(self.stripped_len) + stripped % 4) % 4) as u8;
        self.inner.feed(input, out);
    }

    /// Whether the data was valid: a whole number of 4-byte groups that decoded completely.
    pub(super) fn finish(self) -> bool {
        self.stripped_len == 0 && self.inner.is_complete()
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

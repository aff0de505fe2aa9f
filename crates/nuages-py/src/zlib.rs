//! Python's `zlib.compress` / `zlib.decompress` (the `zlib` backend of flate2 produces the
//! same bytes as CPython's zlib).

use std::fmt;
use std::io::Write as _;

use flate2::write::ZlibEncoder;
use flate2::{Compression, Decompress, FlushDecompress, Status};

/// `zlib.error` raised by [`decompress`], with Python's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// `zlib.compress(data, level)` (Python's default level is 6; levels above 9 count as 9).
///
/// # Examples
///
/// ```
/// use nuages_py::zlib::{compress, decompress};
///
/// let data = b"repeat repeat repeat repeat";
/// assert_eq!(decompress(&compress(data, 6)).unwrap(), data);
/// ```
#[must_use]
pub fn compress(data: &[u8], level: u32) -> Vec<u8> {
    let mut enc = ZlibEncoder::new(
        Vec::with_capacity(data.len() / 2 + 16),
        Compression::new(level.min(9)),
    );
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

/// `zlib.decompress(data)`: the whole stream must be present; data after the end of the
/// stream is ignored.
///
/// # Errors
///
/// [`Error`] with Python's `Error -3 …` (invalid data) or `Error -5 …` (truncated stream)
/// message.
pub fn decompress(data: &[u8]) -> Result<Vec<u8>, Error> {
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
            .map_err(|e| Error(format!("Error -3 while decompressing data: {e}")))?;
        if status == Status::StreamEnd {
            return Ok(out);
        }
        // There was room for output, so no progress means missing input.
        if dec.total_in() == in_before && dec.total_out() == out_before {
            return Err(Error(
                "Error -5 while decompressing data: incomplete or truncated stream".into(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_truncation() {
        let data = b"repeat-me repeat-me repeat-me repeat-me".repeat(40);
        let c = compress(&data, 6);
        assert!(decompress(&c).ok() == Some(data.clone()));
        let mut trailing = c.clone();
        trailing.extend_from_slice(b"junk");
        assert!(decompress(&trailing).ok() == Some(data));
        assert!(decompress(&c[..c.len() - 6]).is_err());
        assert!(decompress(b"not zlib").is_err());
        assert!(decompress(b"").is_err());
    }
}

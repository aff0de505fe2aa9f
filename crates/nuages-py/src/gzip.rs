//! Python's `gzip.GzipFile` in write mode: the header (with `mtime=0` and an optional
//! `FNAME`), the raw deflate stream and the CRC-32 / size trailer, as CPython writes them.

use flate2::{Compress, Compression, Crc, FlushCompress, Status};

/// The 10-byte gzip header (`mtime` 0, no extra flags) and, when `fname` is given, the
/// `FNAME` field (the bytes and a NUL). `os` is the OS byte: CPython's `GzipFile` writes 255
/// ("unknown"), `gzip.compress()` 3.
#[must_use]
pub fn header(fname: Option<&[u8]>, os: u8) -> Vec<u8> {
    let flags = if fname.is_some() { 8 } else { 0 };
    let mut out = Vec::with_capacity(10 + fname.map_or(0, |f| f.len() + 1));
    out.extend_from_slice(&[0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, os]);
    if let Some(fname) = fname {
        out.extend_from_slice(fname);
        out.push(0);
    }
    out
}

/// The body of a gzip member: raw deflate data at a compression level, then the trailer.
///
/// # Examples
///
/// ```
/// use nuages_py::gzip::{header, GzipEncoder};
///
/// let mut out = header(None, 255);
/// let mut gz = GzipEncoder::new(6);
/// gz.write(b"hello ", &mut out);
/// gz.write(b"world", &mut out);
/// gz.finish(&mut out);
/// assert_eq!(&out[..4], &[0x1f, 0x8b, 8, 0]);
/// ```
#[derive(Debug)]
pub struct GzipEncoder {
    compress: Compress,
    crc: Crc,
}

impl GzipEncoder {
    /// An encoder at `level` (0–9; Django uses 6).
    #[must_use]
    pub fn new(level: u32) -> Self {
        Self {
            compress: Compress::new(Compression::new(level.min(9)), false),
            crc: Crc::new(),
        }
    }

    /// `GzipFile.write(data)`: appends the compressed bytes that are ready to `out`.
    pub fn write(&mut self, data: &[u8], out: &mut Vec<u8>) {
        self.crc.update(data);
        deflate(&mut self.compress, data, FlushCompress::None, out);
    }

    /// `GzipFile.close()`: flushes the deflate stream and appends the CRC-32 and the size
    /// (modulo 2**32), little-endian.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        deflate(&mut self.compress, &[], FlushCompress::Finish, out);
        out.extend_from_slice(&self.crc.sum().to_le_bytes());
        out.extend_from_slice(&self.crc.amount().to_le_bytes());
    }
}

fn deflate(c: &mut Compress, input: &[u8], flush: FlushCompress, out: &mut Vec<u8>) {
    let mut consumed = 0;
    loop {
        out.reserve(input.len().max(64) + 64);
        let before_in = c.total_in();
        let status = c.compress_vec(&input[consumed..], out, flush);
        consumed += usize::try_from(c.total_in() - before_in).unwrap_or(usize::MAX);
        let done_input = consumed >= input.len();
        let full = out.len() == out.capacity();
        match status {
            Ok(Status::StreamEnd) => return,
            Ok(_) if done_input && !full && !matches!(flush, FlushCompress::Finish) => return,
            Ok(_) => {}
            Err(_) => return,
        }
    }
}

/// A whole gzip member: [`header`] then the data compressed at `level`, then the trailer.
///
/// # Examples
///
/// ```
/// use nuages_py::gzip::compress;
///
/// let z = compress(&b"hello world ".repeat(50), 6, Some(b""), 3);
/// assert_eq!(&z[..12], &[0x1f, 0x8b, 8, 8, 0, 0, 0, 0, 0, 3, 0, 0xcb]);
/// assert_eq!(z.len(), 40);
/// ```
#[must_use]
pub fn compress(data: &[u8], level: u32, fname: Option<&[u8]>, os: u8) -> Vec<u8> {
    let mut out = header(fname, os);
    let mut encoder = GzipEncoder::new(level);
    encoder.crc.update(data);
    // One call with all the input, as `zlib.compress` makes it.
    deflate(&mut encoder.compress, data, FlushCompress::Finish, &mut out);
    out.extend_from_slice(&encoder.crc.sum().to_le_bytes());
    out.extend_from_slice(&encoder.crc.amount().to_le_bytes());
    out
}

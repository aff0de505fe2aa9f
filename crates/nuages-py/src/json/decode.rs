//! `json.loads(bytes)` step 1: `bytes.decode(detect_encoding(b), 'surrogatepass')`.

use std::borrow::Cow;

use super::error::UnicodeDecodeError;
use super::pystr::push_code_point;

/// The decoded document: UTF-8 text, or generalised UTF-8 when it holds
/// lone surrogates.
#[derive(Debug)]
pub(crate) enum Decoded<'a> {
    Str(Cow<'a, str>),
    Gen(Cow<'a, [u8]>),
}

/// The codec chosen by Python's `json.detect_encoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// `utf-8`, or `utf-8-sig` when a BOM has to be skipped first.
    Utf8 {
        bom: bool,
    },
    Utf16 {
        big_endian: bool,
        bom: bool,
    },
    Utf32 {
        big_endian: bool,
        bom: bool,
    },
}

/// `json.detect_encoding`: BOMs first, then the zero-byte pattern of the
/// first four (or two) bytes, defaulting to UTF-8.
fn detect_encoding(b: &[u8]) -> Encoding {
    if b.starts_with(&[0, 0, 0xfe, 0xff]) {
        return Encoding::Utf32 {
            big_endian: true,
            bom: true,
        };
    }
    if b.starts_with(&[0xff, 0xfe, 0, 0]) {
        return Encoding::Utf32 {
            big_endian: false,
            bom: true,
        };
    }
    if b.starts_with(&[0xfe, 0xff]) {
        return Encoding::Utf16 {
            big_endian: true,
            bom: true,
        };
    }
    if b.starts_with(&[0xff, 0xfe]) {
        return Encoding::Utf16 {
            big_endian: false,
            bom: true,
        };
    }
    if b.starts_with(&[0xef, 0xbb, 0xbf]) {
        return Encoding::Utf8 { bom: true };
    }
    let utf16 = |big_endian| Encoding::Utf16 {
        big_endian,
        bom: false,
    };
    let utf32 = |big_endian| Encoding::Utf32 {
        big_endian,
        bom: false,
    };
    if b.len() >= 4 {
        if b[0] == 0 {
            return if b[1] != 0 { utf16(true) } else { utf32(true) };
        }
        if b[1] == 0 {
            return if b[2] != 0 || b[3] != 0 {
                utf16(false)
            } else {
                utf32(false)
            };
        }
    } else if b.len() == 2 {
        if b[0] == 0 {
            return utf16(true);
        }
        if b[1] == 0 {
            return utf16(false);
        }
    }
    Encoding::Utf8 { bom: false }
}

/// Decodes request bytes exactly like `json.loads(bytes)` does before parsing.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded<'_>, UnicodeDecodeError> {
    match detect_encoding(bytes) {
        Encoding::Utf8 { bom } => decode_utf8(if bom { &bytes[3..] } else { bytes }),
        Encoding::Utf16 { big_endian, bom } => {
            decode_utf16(bytes, if bom { 2 } else { 0 }, big_endian)
        }
        Encoding::Utf32 { big_endian, bom } => {
            decode_utf32(bytes, if bom { 4 } else { 0 }, big_endian)
        }
    }
}

/// `ED A0..BF 80..BF`: a UTF-8-encoded surrogate, accepted by `surrogatepass`.
fn is_encoded_surrogate(b: &[u8]) -> bool {
    b.len() >= 3 && b[0] == 0xed && (0xa0..=0xbf).contains(&b[1]) && (0x80..=0xbf).contains(&b[2])
}

fn decode_utf8(bytes: &[u8]) -> Result<Decoded<'_>, UnicodeDecodeError> {
    let mut pos = 0;
    loop {
        let error = match std::str::from_utf8(&bytes[pos..]) {
            Ok(s) if pos == 0 => return Ok(Decoded::Str(Cow::Borrowed(s))),
            Ok(_) => return Ok(Decoded::Gen(Cow::Borrowed(bytes))),
            Err(e) => e,
        };
        let at = pos + error.valid_up_to();
        if is_encoded_surrogate(&bytes[at..]) {
            pos = at + 3;
            continue;
        }
        let byte = bytes[at];
        let (end, reason) = match error.error_len() {
            None => (bytes.len(), "unexpected end of data"),
            Some(1) if !(0xc2..=0xf4).contains(&byte) => (at + 1, "invalid start byte"),
            Some(n) => (at + n, "invalid continuation byte"),
        };
        return Err(UnicodeDecodeError {
            encoding: "utf-8",
            start: at,
            end,
            byte,
            reason,
        });
    }
}

fn finish(out: Vec<u8>, surrogates: bool) -> Decoded<'static> {
    if surrogates {
        return Decoded::Gen(Cow::Owned(out));
    }
    match String::from_utf8(out) {
        Ok(s) => Decoded::Str(Cow::Owned(s)),
        Err(e) => Decoded::Gen(Cow::Owned(e.into_bytes())),
    }
}

fn decode_utf16(
    bytes: &[u8],
    start: usize,
    big_endian: bool,
) -> Result<Decoded<'static>, UnicodeDecodeError> {
    let body = &bytes[start..];
    let unit = |i: usize| {
        let pair = [body[2 * i], body[2 * i + 1]];
        u32::from(if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        })
    };
    let units = body.len() / 2;
    let mut out = Vec::with_capacity(body.len());
    let mut surrogates = false;
    let mut i = 0;
    while i < units {
        let u = unit(i);
        i += 1;
        let cp =
            if (0xd800..0xdc00).contains(&u) && i < units && (0xdc00..0xe000).contains(&unit(i)) {
                let low = unit(i);
                i += 1;
                0x1_0000 + ((u - 0xd800) << 10) + (low - 0xdc00)
            } else {
                surrogates |= (0xd800..0xe000).contains(&u);
                u
            };
        push_code_point(&mut out, cp);
    }
    if body.len() % 2 == 1 {
        let last = bytes.len() - 1;
        return Err(UnicodeDecodeError {
            encoding: if big_endian { "utf-16-be" } else { "utf-16-le" },
            start: last,
            end: bytes.len(),
            byte: bytes[last],
            reason: "truncated data",
        });
    }
    Ok(finish(out, surrogates))
}

fn decode_utf32(
    bytes: &[u8],
    start: usize,
    big_endian: bool,
) -> Result<Decoded<'static>, UnicodeDecodeError> {
    let encoding = if big_endian { "utf-32-be" } else { "utf-32-le" };
    let body = &bytes[start..];
    let mut out = Vec::with_capacity(body.len());
    let mut surrogates = false;
    let chunks = body.chunks_exact(4);
    let rest = chunks.remainder();
    for (n, chunk) in chunks.enumerate() {
        let quad = [chunk[0], chunk[1], chunk[2], chunk[3]];
        let cp = if big_endian {
            u32::from_be_bytes(quad)
        } else {
            u32::from_le_bytes(quad)
        };
        if cp > 0x10_ffff {
            let at = start + 4 * n;
            return Err(UnicodeDecodeError {
                encoding,
                start: at,
                end: at + 4,
                byte: bytes[at],
                reason: "code point not in range(0x110000)",
            });
        }
        surrogates |= (0xd800..0xe000).contains(&cp);
        push_code_point(&mut out, cp);
    }
    if !rest.is_empty() {
        let at = bytes.len() - rest.len();
        return Err(UnicodeDecodeError {
            encoding,
            start: at,
            end: bytes.len(),
            byte: bytes[at],
            reason: "truncated data",
        });
    }
    Ok(finish(out, surrogates))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection() {
        assert_eq!(
            detect_encoding(b"1\x00"),
            Encoding::Utf16 {
                big_endian: false,
                bom: false
            }
        );
        assert_eq!(
            detect_encoding(b"\x001"),
            Encoding::Utf16 {
                big_endian: true,
                bom: false
            }
        );
        assert_eq!(
            detect_encoding(b"1\x00\x00\x00"),
            Encoding::Utf32 {
                big_endian: false,
                bom: false
            }
        );
        assert_eq!(
            detect_encoding(b"\x00\x00\x001"),
            Encoding::Utf32 {
                big_endian: true,
                bom: false
            }
        );
        assert_eq!(
            detect_encoding(b"\xff\xfe\x00\x00"),
            Encoding::Utf32 {
                big_endian: false,
                bom: true
            }
        );
        assert_eq!(detect_encoding(b"123"), Encoding::Utf8 { bom: false });
    }
}

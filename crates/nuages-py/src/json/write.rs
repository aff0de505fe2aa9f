//! Low-level writers: Python's string escaping (`encode_basestring` /
//! `encode_basestring_ascii`) and `json`'s spelling of floats (`float.__repr__` from
//! [`repr`](crate::repr), `NaN` / `Infinity` / `-Infinity` for the others).

/// `0` = copy verbatim, otherwise the byte needs an escape.
/// Bit 1: escaped in both modes, bit 2: escaped only with `ensure_ascii`.
const ALWAYS: u8 = 1;
const ASCII_ONLY: u8 = 2;

static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = ALWAYS;
        i += 1;
    }
    table[b'"' as usize] = ALWAYS;
    table[b'\\' as usize] = ALWAYS;
    table[0x7f] = ASCII_ONLY;
    let mut i = 0x80;
    while i < 0x100 {
        table[i] = ASCII_ONLY;
        i += 1;
    }
    table
};

const HEX: &[u8; 16] = b"0123456789abcdef";

#[inline]
fn needs_escape(byte: u8, ensure_ascii: bool) -> bool {
    let class = ESCAPE[byte as usize];
    class == ALWAYS || (ensure_ascii && class == ASCII_ONLY)
}

/// Writes `\uXXXX` (lower-case hex) for one UTF-16 code unit.
#[inline]
pub(crate) fn push_u_escape(out: &mut String, unit: u32) {
    let buf = [
        b'\\',
        b'u',
        HEX[((unit >> 12) & 0xf) as usize],
        HEX[((unit >> 8) & 0xf) as usize],
        HEX[((unit >> 4) & 0xf) as usize],
        HEX[(unit & 0xf) as usize],
    ];
    for b in buf {
        out.push(char::from(b));
    }
}

/// Writes the escape of one code point that needs escaping (an ASCII control
/// or special character, DEL or a non-ASCII code point with `ensure_ascii`).
#[inline]
fn push_code_point_escape(out: &mut String, cp: u32) {
    match cp {
        0x22 => out.push_str("\\\""),
        0x5c => out.push_str("\\\\"),
        0x0a => out.push_str("\\n"),
        0x0d => out.push_str("\\r"),
        0x09 => out.push_str("\\t"),
        0x08 => out.push_str("\\b"),
        0x0c => out.push_str("\\f"),
        0x1_0000.. => {
            let v = cp - 0x1_0000;
            push_u_escape(out, 0xd800 | ((v >> 10) & 0x3ff));
            push_u_escape(out, 0xdc00 | (v & 0x3ff));
        }
        _ => push_u_escape(out, cp),
    }
}

/// Writes `s` as a quoted JSON string exactly like Python's
/// `encode_basestring_ascii` (`ensure_ascii=True`) or `encode_basestring`.
pub(crate) fn write_str(out: &mut String, s: &str, ensure_ascii: bool) {
    out.reserve(s.len() + 2);
    out.push('"');
    write_str_body(out, s, ensure_ascii);
    out.push('"');
}

/// Writes the escaped contents of `s` (no surrounding quotes).
pub(crate) fn write_str_body(out: &mut String, s: &str, ensure_ascii: bool) {
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if !needs_escape(byte, ensure_ascii) {
            i += 1;
            continue;
        }
        // `i` is always on a char boundary: escapes start at ASCII bytes or
        // at leading bytes, and whole characters are skipped afterwards.
        out.push_str(&s[start..i]);
        if byte < 0x80 {
            push_code_point_escape(out, u32::from(byte));
            i += 1;
        } else if let Some(ch) = s[i..].chars().next() {
            push_code_point_escape(out, u32::from(ch));
            i += ch.len_utf8();
        } else {
            i += 1;
        }
        start = i;
    }
    out.push_str(&s[start..]);
}

/// A `fmt::Write` adapter escaping everything written through it.
#[derive(Debug)]
pub(crate) struct EscapingWriter<'w> {
    pub(crate) out: &'w mut String,
    pub(crate) ensure_ascii: bool,
}

impl std::fmt::Write for EscapingWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        write_str_body(self.out, s, self.ensure_ascii);
        Ok(())
    }
}

/// Decodes one code point of generalised UTF-8 (UTF-8 that may contain
/// encoded surrogates) starting at `bytes[i]`; returns the code point and
/// its encoded length. Invalid input decodes byte by byte as U+FFFD.
pub(crate) fn decode_gen_utf8(bytes: &[u8], i: usize) -> (u32, usize) {
    let b0 = u32::from(bytes[i]);
    let cont = |k: usize| bytes.get(i + k).map(|&b| u32::from(b) & 0x3f);
    match b0 {
        0x00..=0x7f => (b0, 1),
        0xc0..=0xdf => match cont(1) {
            Some(c1) => (((b0 & 0x1f) << 6) | c1, 2),
            None => (0xfffd, 1),
        },
        0xe0..=0xef => match (cont(1), cont(2)) {
            (Some(c1), Some(c2)) => (((b0 & 0x0f) << 12) | (c1 << 6) | c2, 3),
            _ => (0xfffd, 1),
        },
        0xf0..=0xf7 => match (cont(1), cont(2), cont(3)) {
            (Some(c1), Some(c2), Some(c3)) => {
                (((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, 4)
            }
            _ => (0xfffd, 1),
        },
        _ => (0xfffd, 1),
    }
}

/// Error raised when a lone surrogate must be written without
/// `ensure_ascii` (the output holds everything written before it).
#[derive(Debug)]
pub(crate) struct SurrogateNotAllowed {
    pub(crate) code_point: u32,
}

/// Writes a generalised UTF-8 string (which may hold lone surrogates).
///
/// With `ensure_ascii` surrogates are written as `\udXXX`; without it they
/// cannot be represented in UTF-8 and an error is returned (Django would
/// fail encoding the response content).
pub(crate) fn write_gen_str(
    out: &mut String,
    bytes: &[u8],
    ensure_ascii: bool,
) -> Result<(), SurrogateNotAllowed> {
    out.push('"');
    let mut i = 0;
    while i < bytes.len() {
        let (cp, len) = decode_gen_utf8(bytes, i);
        match char::from_u32(cp) {
            Some(ch) if cp < 0x80 && !needs_escape(cp as u8, ensure_ascii) => out.push(ch),
            Some(ch) if cp >= 0x80 && !ensure_ascii => out.push(ch),
            Some(_) => push_code_point_escape(out, cp),
            None if ensure_ascii => push_u_escape(out, cp),
            None => return Err(SurrogateNotAllowed { code_point: cp }),
        }
        i += len;
    }
    out.push('"');
    Ok(())
}

/// Writes `value` like Python's `json` does: `float.__repr__` (`0.1`, `1.0`, `1e+16`,
/// `1e-05`, `-0.0`) for finite values, else `NaN`, `Infinity`, `-Infinity`.
pub(crate) fn write_f64(out: &mut String, value: f64) {
    if value.is_nan() {
        out.push_str("NaN");
    } else if value.is_infinite() {
        out.push_str(if value > 0.0 { "Infinity" } else { "-Infinity" });
    } else {
        crate::repr::write_float_repr(out, value);
    }
}

/// Like [`write_f64`] with the shortest digits that round-trip an `f32`.
pub(crate) fn write_f32(out: &mut String, value: f32) {
    if value.is_finite() {
        crate::repr::write_f32_repr(out, value);
    } else {
        write_f64(out, f64::from(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repr(v: f64) -> String {
        let mut s = String::new();
        write_f64(&mut s, v);
        s
    }

    #[test]
    fn float_repr() {
        assert_eq!(repr(0.1), "0.1");
        assert_eq!(repr(1.0), "1.0");
        assert_eq!(repr(-0.0), "-0.0");
        assert_eq!(repr(0.0), "0.0");
        assert_eq!(repr(1e16), "1e+16");
        assert_eq!(repr(1e15), "1000000000000000.0");
        assert_eq!(repr(1e-5), "1e-05");
        assert_eq!(repr(1e-4), "0.0001");
        assert_eq!(repr(1e20), "1e+20");
        assert_eq!(repr(123456789012345680000.0), "1.2345678901234568e+20");
        assert_eq!(repr(1234567890123456.8), "1234567890123456.8");
        assert_eq!(repr(5e-324), "5e-324");
        assert_eq!(repr(f64::MAX), "1.7976931348623157e+308");
        assert_eq!(repr(f64::NAN), "NaN");
        assert_eq!(repr(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(repr(2f64.powi(-25)), "2.9802322387695312e-08");
        assert_eq!(repr(-(2f64.powi(-25))), "-2.9802322387695312e-08");
    }

    #[test]
    fn escapes() {
        let mut s = String::new();
        write_str(&mut s, "a\"\\\n\u{7f}é😀\u{1}", true);
        assert_eq!(s, r#""a\"\\\n\u007f\u00e9\ud83d\ude00\u0001""#);
        s.clear();
        write_str(&mut s, "a\u{7f}é\u{1f}", false);
        assert_eq!(s, "\"a\u{7f}é\\u001f\"");
    }
}

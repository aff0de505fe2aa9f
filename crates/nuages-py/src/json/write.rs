//! Low-level writers: Python's string escaping (`encode_basestring` /
//! `encode_basestring_ascii`) and `json`'s spelling of floats (`float.__repr__` from
//! [`repr`](crate::repr), `NaN` / `Infinity` / `-Infinity` for the others).

/// Whether a byte is escaped by `encode_basestring_ascii` (`ensure_ascii=True`): `"`, `\\`,
/// the C0 controls, DEL and every byte of a non-ASCII character.
static ESCAPE_ASCII: [bool; 256] = escape_table(true);
/// Whether a byte is escaped by `encode_basestring` (`ensure_ascii=False`): `"`, `\\` and the
/// C0 controls.
static ESCAPE_UTF8: [bool; 256] = escape_table(false);

const fn escape_table(ensure_ascii: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = true;
        i += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    if ensure_ascii {
        let mut i = 0x7f;
        while i < 0x100 {
            table[i] = true;
            i += 1;
        }
    }
    table
}

/// `0x01` in every byte of a word.
const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
/// `0x80` in every byte of a word.
const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);

/// Whether some byte of `word` is zero (exact as a yes/no answer).
#[inline(always)]
const fn has_zero_byte(word: u64) -> bool {
    word.wrapping_sub(ONES) & !word & HIGHS != 0
}

/// Whether some byte of `word` may need an escape: a C0 control, `"`, `\\`, and with
/// `ensure_ascii` DEL or a non-ASCII byte. Never false when a byte needs one; the bytes of a
/// flagged word are then looked at one by one.
#[inline(always)]
const fn word_may_need_escape(word: u64, ensure_ascii: bool) -> bool {
    // An ASCII byte below 0x20 borrows into its high bit (non-ASCII bytes are masked out).
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGHS != 0;
    let special =
        has_zero_byte(word ^ (ONES * b'"' as u64)) || has_zero_byte(word ^ (ONES * b'\\' as u64));
    let non_ascii = ensure_ascii && (word & HIGHS != 0 || has_zero_byte(word ^ (ONES * 0x7f)));
    below_space || special || non_ascii
}

/// The index of the first byte of `bytes[from..]` that needs an escape: eight bytes at a time,
/// then byte by byte.
#[inline]
fn find_escape(bytes: &[u8], from: usize, ensure_ascii: bool) -> Option<usize> {
    let table = if ensure_ascii {
        &ESCAPE_ASCII
    } else {
        &ESCAPE_UTF8
    };
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        if word_may_need_escape(u64::from_ne_bytes(word), ensure_ascii) {
            break;
        }
        i += 8;
    }
    bytes[i..]
        .iter()
        .position(|&b| table[usize::from(b)])
        .map(|n| i + n)
}

#[inline]
fn needs_escape(byte: u8, ensure_ascii: bool) -> bool {
    if ensure_ascii {
        ESCAPE_ASCII[usize::from(byte)]
    } else {
        ESCAPE_UTF8[usize::from(byte)]
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

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
#[inline]
pub(crate) fn write_str(out: &mut String, s: &str, ensure_ascii: bool) {
    out.reserve(s.len() + 2);
    out.push('"');
    write_str_body(out, s, ensure_ascii);
    out.push('"');
}

/// Writes the escaped contents of `s` (no surrounding quotes). The scan is inlined into the
/// caller: a string that needs no escape (most keys and values) is copied whole without a call.
#[inline]
pub(crate) fn write_str_body(out: &mut String, s: &str, ensure_ascii: bool) {
    match find_escape(s.as_bytes(), 0, ensure_ascii) {
        None => out.push_str(s),
        Some(first) => write_escaped(out, s, first, ensure_ascii),
    }
}

/// Writes `s` whose first byte needing an escape is at `first`: the runs that need no escape
/// are copied whole.
fn write_escaped(out: &mut String, s: &str, first: usize, ensure_ascii: bool) {
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut next = Some(first);
    while let Some(i) = next {
        // `i` is always on a char boundary: escapes start at ASCII bytes or at leading
        // bytes, and whole characters are skipped afterwards.
        out.push_str(&s[start..i]);
        let byte = bytes[i];
        start = if byte < 0x80 {
            push_code_point_escape(out, u32::from(byte));
            i + 1
        } else if let Some(ch) = s[i..].chars().next() {
            push_code_point_escape(out, u32::from(ch));
            i + ch.len_utf8()
        } else {
            i + 1
        };
        next = find_escape(bytes, start, ensure_ascii);
    }
    out.push_str(&s[start..]);
}

/// Writes an integer in decimal.
#[inline]
pub(crate) fn write_int<I: itoa::Integer>(out: &mut String, value: I) {
    out.push_str(itoa::Buffer::new().format(value));
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

    /// The escaping of Python's `encode_basestring(_ascii)` written char by char, as the
    /// reference for the word-at-a-time scan.
    fn reference(s: &str, ensure_ascii: bool) -> String {
        let mut out = String::from('"');
        for ch in s.chars() {
            let cp = u32::from(ch);
            match ch {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                _ if cp < 0x20 || (ensure_ascii && cp >= 0x7f) => {
                    let mut units = [0u16; 2];
                    for unit in ch.encode_utf16(&mut units) {
                        out.push_str(&format!("\\u{unit:04x}"));
                    }
                }
                _ => out.push(ch),
            }
        }
        out.push('"');
        out
    }

    #[test]
    fn word_scan_matches_the_char_by_char_reference() {
        let pieces = [
            "a",
            "Hello, World!",
            "\"",
            "\\",
            "\n",
            "\u{0}",
            "\u{1f}",
            " ",
            "~",
            "\u{7f}",
            "\u{80}",
            "é",
            "\u{2028}",
            "\u{2029}",
            "☃",
            "😀",
            "</script>",
            "\u{feff}",
            "\u{ffff}",
        ];
        // Every piece at every offset of a 16-byte window, so that each crosses word edges.
        for piece in pieces {
            for pad in 0..16 {
                for tail in [0, 1, 7, 9] {
                    let s = format!("{}{piece}{}", "x".repeat(pad), "y".repeat(tail));
                    for ensure_ascii in [true, false] {
                        let mut out = String::new();
                        write_str(&mut out, &s, ensure_ascii);
                        assert_eq!(out, reference(&s, ensure_ascii), "{s:?} {ensure_ascii}");
                    }
                }
            }
        }
        // Every byte value (as a char) beside plain text.
        for cp in (0..0x800).chain(0xfff0..0x1_0010) {
            let Some(ch) = char::from_u32(cp) else {
                continue;
            };
            let s = format!("abcdefg{ch}hijklmnopq{ch}");
            for ensure_ascii in [true, false] {
                let mut out = String::new();
                write_str(&mut out, &s, ensure_ascii);
                assert_eq!(
                    out,
                    reference(&s, ensure_ascii),
                    "U+{cp:04X} {ensure_ascii}"
                );
            }
        }
    }

    #[test]
    fn word_test_flags_every_escaped_byte() {
        for byte in 0..=255u8 {
            for lane in 0..8 {
                let mut word = *b"abcdefgh";
                word[lane] = byte;
                let word = u64::from_ne_bytes(word);
                for ensure_ascii in [true, false] {
                    if needs_escape(byte, ensure_ascii) {
                        assert!(word_may_need_escape(word, ensure_ascii), "{byte:#x} {lane}");
                    }
                }
            }
        }
        assert!(!word_may_need_escape(
            u64::from_ne_bytes(*b"Hello, W"),
            true
        ));
        assert!(!word_may_need_escape(
            u64::from_ne_bytes(*b"caf\xc3\xa9 ok"),
            false
        ));
    }

    #[test]
    fn integers() {
        let mut s = String::new();
        write_int(&mut s, i64::MIN);
        s.push(' ');
        write_int(&mut s, u128::MAX);
        s.push(' ');
        write_int(&mut s, 0u8);
        assert_eq!(
            s,
            "-9223372036854775808 340282366920938463463374607431768211455 0"
        );
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

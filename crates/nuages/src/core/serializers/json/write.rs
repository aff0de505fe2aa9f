//! Low-level writers: Python's string escaping (`encode_basestring` /
//! `encode_basestring_ascii`) and `float.__repr__`.

use std::fmt::Write as _;

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

/// A fixed-size stack buffer implementing `fmt::Write`.
#[derive(Debug)]
pub(crate) struct StackBuf<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> StackBuf<N> {
    pub(crate) const fn new() -> Self {
        Self {
            buf: [0; N],
            len: 0,
        }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl<const N: usize> std::fmt::Write for StackBuf<N> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        if end > N {
            return Err(std::fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Writes a finite float from its shortest round-trip scientific form
/// (`digits` without the dot, decimal exponent `exp` of the first digit)
/// with the rules of Python's `float_repr_style = 'short'`.
fn write_repr_parts(out: &mut String, negative: bool, digits: &[u8], exp: i32) {
    if negative {
        out.push('-');
    }
    let push_digits = |out: &mut String, d: &[u8]| {
        for &b in d {
            out.push(char::from(b));
        }
    };
    let decpt = exp + 1;
    let ndigits = digits.len() as i32;
    if decpt <= -4 || decpt > 16 {
        push_digits(out, &digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            push_digits(out, &digits[1..]);
        }
        let sign = if exp < 0 { '-' } else { '+' };
        let _ = write!(out, "e{sign}{:02}", exp.unsigned_abs());
    } else if decpt <= 0 {
        out.push_str("0.");
        for _ in 0..-decpt {
            out.push('0');
        }
        push_digits(out, digits);
    } else if decpt >= ndigits {
        push_digits(out, digits);
        for _ in 0..decpt - ndigits {
            out.push('0');
        }
        out.push_str(".0");
    } else {
        let split = decpt as usize;
        push_digits(out, &digits[..split]);
        out.push('.');
        push_digits(out, &digits[split..]);
    }
}

/// Splits Rust's `{:e}` output (`-1.2345e-7`) into sign, digits and exponent.
/// `tie_value` is the double being written, for Python's tie breaking.
fn write_from_lower_exp(out: &mut String, text: &[u8], tie_value: Option<f64>) {
    let (negative, rest) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let e_pos = rest.iter().position(|&b| b == b'e').unwrap_or(rest.len());
    let mut digits = [0u8; 24];
    let mut n = 0;
    for &b in &rest[..e_pos] {
        if b.is_ascii_digit() && n < digits.len() {
            digits[n] = b;
            n += 1;
        }
    }
    let exp = std::str::from_utf8(rest.get(e_pos + 1..).unwrap_or_default())
        .ok()
        .and_then(|e| e.parse::<i32>().ok())
        .unwrap_or(0);
    if n == 0 {
        digits[0] = b'0';
        n = 1;
    }
    if let Some((fixed, len, fixed_exp)) =
        tie_value.and_then(|v| python_tie_break(v, &digits[..n], exp))
    {
        write_repr_parts(out, negative, &fixed[..len], fixed_exp);
        return;
    }
    write_repr_parts(out, negative, &digits[..n], exp);
}

/// The exact decimal value of a finite non-zero double as `S × 10^q`
/// (`S` without trailing zeros), when `S` has at most 18 digits.
fn exact_short_decimal(value: f64) -> Option<(u128, i32)> {
    const LIMIT: u128 = 1_000_000_000_000_000_000; // 10**18
    let bits = value.abs().to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (mut m, mut e) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    if m == 0 {
        return None;
    }
    let tz = m.trailing_zeros();
    m >>= tz;
    e += tz as i32;
    let (s, q) = if e >= 0 {
        let mut fives = 0;
        let mut base = m;
        while base % 5 == 0 && fives < e {
            base /= 5;
            fives += 1;
        }
        let shift = e - fives;
        if shift >= 64 {
            return None;
        }
        (u128::from(base) << shift, fives)
    } else {
        let k = e.unsigned_abs();
        if k >= 26 {
            return None;
        }
        (u128::from(m) * 5u128.pow(k), e)
    };
    (s < LIMIT).then_some((s, q))
}

fn count_digits(mut v: u128) -> i32 {
    let mut n = 1;
    while v >= 10 {
        v /= 10;
        n += 1;
    }
    n
}

/// Python's `repr` (dtoa mode 0) breaks an exact tie between two shortest
/// candidates towards the even one; Rust's formatter rounds it up. Returns
/// the replacement `(digits, count, exponent)` when they differ.
fn python_tie_break(value: f64, digits: &[u8], exp: i32) -> Option<([u8; 24], usize, i32)> {
    let (s, q) = exact_short_decimal(value)?;
    if s % 10 != 5 || count_digits(s) != digits.len() as i32 + 1 {
        return None;
    }
    let lower = s / 10;
    let upper = lower + 1;
    let d: u128 = digits
        .iter()
        .fold(0, |acc, &b| acc * 10 + u128::from(b - b'0'));
    // Rescale D (last digit at 10^(exp-n+1)) to the unit 10^(q+1).
    let d_last = exp - digits.len() as i32 + 1;
    let scale = d_last - (q + 1);
    if !(0..=2).contains(&scale) {
        return None;
    }
    let d_scaled = d * 10u128.pow(scale as u32);
    if d_scaled != lower && d_scaled != upper {
        return None;
    }
    let even = if lower % 2 == 0 { lower } else { upper };
    if even == d_scaled {
        return None;
    }
    let mut text = StackBuf::<48>::new();
    let _ = write!(text, "{even}e{}", q + 1);
    let round_trips = std::str::from_utf8(text.as_bytes())
        .ok()
        .and_then(|t| t.parse::<f64>().ok())
        == Some(value.abs());
    if !round_trips {
        return None;
    }
    let mut out = [0u8; 24];
    let mut len = 0;
    let mut buf = StackBuf::<48>::new();
    let _ = write!(buf, "{even}");
    let all = buf.as_bytes();
    let significant = all.len() - all.iter().rev().take_while(|&&b| b == b'0').count();
    for &b in &all[..significant.max(1)] {
        out[len] = b;
        len += 1;
    }
    Some((out, len, q + 1 + all.len() as i32 - 1))
}

/// Writes `value` like Python's `float.__repr__` as used by `json.dumps`:
/// `0.1`, `1.0`, `1e+16`, `1e-05`, `-0.0`, `Infinity`, `-Infinity`, `NaN`.
pub(crate) fn write_f64(out: &mut String, value: f64) {
    if value.is_nan() {
        out.push_str("NaN");
    } else if value.is_infinite() {
        out.push_str(if value > 0.0 { "Infinity" } else { "-Infinity" });
    } else {
        let mut buf = StackBuf::<40>::new();
        let _ = write!(buf, "{value:e}");
        write_from_lower_exp(out, buf.as_bytes(), Some(value));
    }
}

/// Like [`write_f64`] with the shortest digits that round-trip an `f32`.
pub(crate) fn write_f32(out: &mut String, value: f32) {
    if value.is_nan() || value.is_infinite() {
        write_f64(out, f64::from(value));
    } else {
        let mut buf = StackBuf::<40>::new();
        let _ = write!(buf, "{value:e}");
        write_from_lower_exp(out, buf.as_bytes(), None);
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

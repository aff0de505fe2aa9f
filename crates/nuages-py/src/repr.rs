//! Python's `repr()` of `str` and `float` (CPython's `unicode_repr` and `float_repr` with
//! `float_repr_style = 'short'`), used for Django's error messages and by [`json`](crate::json).
//!
//! # Examples
//!
//! ```
//! use nuages_py::repr::{float_repr, str_repr};
//!
//! assert_eq!(float_repr(1e16), "1e+16");
//! assert_eq!(float_repr(0.1), "0.1");
//! assert_eq!(float_repr(f64::NAN), "nan");
//! assert_eq!(str_repr("a'b\n"), "\"a'b\\n\"");
//! ```

use std::fmt::{self, Write as _};

use crate::builtins::is_printable;

/// Python's `repr(s)` for a `str`: single quotes unless the text contains `'` and no `"`,
/// backslash escapes for the quote, `\\`, `\t`, `\n`, `\r`, and `\xXX` / `\uXXXX` /
/// `\UXXXXXXXX` for characters [`str.isprintable()`](crate::builtins::is_printable) rejects.
#[doc(alias = "unicode_repr")]
#[must_use]
pub fn str_repr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    // Writing into a String cannot fail.
    let _ = write_str_repr(&mut out, s);
    out
}

/// Writes [`str_repr`] of `s` into any `fmt::Write`.
///
/// # Errors
///
/// Only the errors of `out`.
pub fn write_str_repr<W: fmt::Write + ?Sized>(out: &mut W, s: &str) -> fmt::Result {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.write_char(quote)?;
    for c in s.chars() {
        match c {
            '\\' => out.write_str("\\\\")?,
            '\t' => out.write_str("\\t")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            c if c == quote => {
                out.write_char('\\')?;
                out.write_char(c)?;
            }
            c if is_printable(c) => out.write_char(c)?,
            c => {
                let cp = u32::from(c);
                if cp <= 0xff {
                    write!(out, "\\x{cp:02x}")?;
                } else if cp <= 0xffff {
                    write!(out, "\\u{cp:04x}")?;
                } else {
                    write!(out, "\\U{cp:08x}")?;
                }
            }
        }
    }
    out.write_char(quote)
}

/// Python's `repr(x)` for a float: `1.0`, `0.1`, `1e+16`, `1e-05`, `-0.0`, `inf`, `nan`.
#[must_use]
pub fn float_repr(x: f64) -> String {
    let mut out = String::with_capacity(24);
    write_float_repr(&mut out, x);
    out
}

/// Appends Python's `repr(x)` for a float to `out` (see [`float_repr`]).
///
/// The digits are the shortest that round-trip (as Rust's `{:e}` finds them); an exact tie
/// between two shortest candidates is broken towards the even one, as CPython's dtoa does.
/// The layout switches to exponent notation when the decimal exponent is `< -4` or `>= 16`.
pub fn write_float_repr(out: &mut String, x: f64) {
    if x.is_nan() {
        out.push_str("nan");
    } else if x.is_infinite() {
        out.push_str(if x > 0.0 { "inf" } else { "-inf" });
    } else {
        let mut buf = StackBuf::<40>::new();
        let _ = write!(buf, "{x:e}");
        write_from_lower_exp(out, buf.as_bytes(), Some(x));
    }
}

/// Like [`write_float_repr`] for an `f32` (Python has none): the shortest digits that
/// round-trip the `f32`, laid out like `float.__repr__`.
pub fn write_f32_repr(out: &mut String, x: f32) {
    if x.is_finite() {
        let mut buf = StackBuf::<40>::new();
        let _ = write!(buf, "{x:e}");
        write_from_lower_exp(out, buf.as_bytes(), None);
    } else {
        write_float_repr(out, f64::from(x));
    }
}

/// A fixed-size stack buffer implementing `fmt::Write`.
#[derive(Debug)]
struct StackBuf<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> StackBuf<N> {
    const fn new() -> Self {
        Self {
            buf: [0; N],
            len: 0,
        }
    }

    fn as_bytes(&self) -> &[u8] {
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

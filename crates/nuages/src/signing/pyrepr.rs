//! Python `repr()` re-implementations used to reproduce Django's messages and
//! JSON output byte for byte: `float.__repr__` and `str.__repr__`.

use std::fmt::Write as _;

/// Appends Python's `repr(x)` for a float (`1.0`, `0.1`, `1e+16`, `1e-05`,
/// `inf`, `nan`) to `out`.
///
/// Rust's `{:e}` formatting yields the same shortest round-tripping digits as
/// Python's `repr`; only the layout differs (Python switches to exponent
/// notation when the decimal exponent is `< -4` or `>= 16`).
pub(crate) fn write_float_repr(out: &mut String, x: f64) {
    if x.is_nan() {
        out.push_str("nan");
        return;
    }
    if x.is_infinite() {
        out.push_str(if x > 0.0 { "inf" } else { "-inf" });
        return;
    }
    if x == 0.0 {
        out.push_str(if x.is_sign_negative() { "-0.0" } else { "0.0" });
        return;
    }
    let mut sci = String::with_capacity(32);
    // Writing into a String cannot fail.
    let _ = write!(sci, "{x:e}");
    // `{:e}` gives the shortest round-tripping digit count, but on an exact
    // tie between two shortest candidates it may pick the other one than
    // Python, which takes the correctly rounded (half-even) digits: redo
    // the conversion in exact mode with that many digits.
    let digits = sci
        .split('e')
        .next()
        .map_or(1, |m| m.bytes().filter(u8::is_ascii_digit).count());
    if digits > 1 {
        sci.clear();
        let _ = write!(sci, "{x:.prec$e}", prec = digits - 1);
    }
    write_scientific_as_repr(out, &sci);
}

/// Converts Rust's `{:e}` output (`-1.2345e17`, `1e-5`) into Python's layout.
fn write_scientific_as_repr(out: &mut String, sci: &str) {
    let (negative, body) = match sci.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, sci),
    };
    let (mantissa, exponent) = body.split_once('e').unwrap_or((body, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let mut digits = String::with_capacity(mantissa.len());
    digits.extend(mantissa.chars().filter(char::is_ascii_digit));
    let ndigits = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    // value = 0.d1d2d3... * 10^decpt
    let decpt = exponent + 1;
    if negative {
        out.push('-');
    }
    if decpt > -4 && decpt <= 16 {
        if decpt <= 0 {
            out.push_str("0.");
            for _ in 0..-decpt {
                out.push('0');
            }
            out.push_str(&digits);
        } else if decpt >= ndigits {
            out.push_str(&digits);
            for _ in 0..(decpt - ndigits) {
                out.push('0');
            }
            out.push_str(".0");
        } else {
            let split = usize::try_from(decpt).unwrap_or(0);
            out.push_str(&digits[..split]);
            out.push('.');
            out.push_str(&digits[split..]);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let exp = decpt - 1;
        let _ = write!(
            out,
            "e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.unsigned_abs()
        );
    }
}

/// Python's `repr(x)` for a float.
pub(crate) fn float_repr(x: f64) -> String {
    let mut out = String::with_capacity(24);
    write_float_repr(&mut out, x);
    out
}

/// Python's `repr(s)` for a `str` (used in error messages such as
/// `Illegal key 'na me'`).
///
/// Printability follows Python for ASCII and Latin-1 and for the common
/// non-printable ranges above (separators, format characters, private use);
/// unassigned code points are treated as printable.
pub(crate) fn str_repr(s: &str) -> String {
    crate::utils::pystr::repr(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_like_python() {
        let cases: &[(f64, &str)] = &[
            (1.0, "1.0"),
            (10.0, "10.0"),
            (1.5, "1.5"),
            (0.1, "0.1"),
            (-0.0, "-0.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (2.5e-7, "2.5e-07"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (123_456_789_012_345_680.0, "1.2345678901234568e+17"),
            (1e300, "1e+300"),
            (5e-324, "5e-324"),
            (3600.0, "3600.0"),
            (864_001.5, "864001.5"),
            (-12.25, "-12.25"),
            (639_247_291_879_612.0 + 0.25, "639247291879612.2"),
            (0.125, "0.125"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
        ];
        for (x, expected) in cases {
            assert_eq!(float_repr(*x), *expected, "repr({x:?})");
        }
    }

    #[test]
    fn strings_like_python() {
        assert_eq!(str_repr("na me"), "'na me'");
        assert_eq!(str_repr("nämé"), "'nämé'");
        assert_eq!(str_repr("a'b"), "\"a'b\"");
        assert_eq!(str_repr("a'b\""), "'a\\'b\"'");
        assert_eq!(str_repr("\\"), "'\\\\'");
        assert_eq!(str_repr("a\nb\x00\u{a0}"), "'a\\nb\\x00\\xa0'");
        assert_eq!(str_repr("\u{2028}☃"), "'\\u2028☃'");
    }
}

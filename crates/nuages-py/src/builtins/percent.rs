//! Python's printf-style formatting with a mapping, `format % dict`: `%(name)s`, `%(name)r`,
//! `%(name)d`, `%(name)x`, `%(name)f`, … with flags, width and precision, and `%%`.

use std::fmt;

/// The exception Python's `str % dict` raises, with Python's message (`str(exc)`).
///
/// # Examples
/// ```
/// use nuages_py::builtins::{percent_format, PercentFormatError};
/// let err = percent_format("/%(pk)s/", &[]).unwrap_err();
/// assert_eq!(err, PercentFormatError::KeyError("pk".into()));
/// assert_eq!(err.to_string(), "'pk'");
/// assert_eq!(err.exception(), "KeyError");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PercentFormatError {
    /// `KeyError(key)`: the format names a key the kwargs do not have.
    KeyError(String),
    /// `TypeError`: a value of the wrong type for its conversion, or too few arguments.
    TypeError(String),
    /// `ValueError`: an unsupported conversion character or an incomplete format.
    ValueError(String),
    /// `OverflowError`: `%c` of a number outside `range(0x110000)`.
    OverflowError(String),
}

impl PercentFormatError {
    /// The Python exception's name.
    ///
    /// # Examples
    /// ```
    /// use nuages_py::builtins::PercentFormatError;
    /// assert_eq!(PercentFormatError::ValueError("incomplete format".into()).exception(), "ValueError");
    /// ```
    pub fn exception(&self) -> &'static str {
        match self {
            PercentFormatError::KeyError(_) => "KeyError",
            PercentFormatError::TypeError(_) => "TypeError",
            PercentFormatError::ValueError(_) => "ValueError",
            PercentFormatError::OverflowError(_) => "OverflowError",
        }
    }
}

impl fmt::Display for PercentFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PercentFormatError::KeyError(key) => f.write_str(&crate::repr::str_repr(key)),
            PercentFormatError::TypeError(m)
            | PercentFormatError::ValueError(m)
            | PercentFormatError::OverflowError(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for PercentFormatError {}

/// A value in the mapping: a `str`, an `int`, or another object as Python sees it.
///
/// # Examples
/// ```
/// use nuages_py::builtins::{percent_format, FormatArg};
/// let when = FormatArg::Object { type_name: "date", str: "2024-05-01".into(), repr: "datetime.date(2024, 5, 1)".into(), int: None };
/// assert_eq!(percent_format("%(d)s %(d)r", &[("d", when)]).unwrap(), "2024-05-01 datetime.date(2024, 5, 1)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatArg<'a> {
    /// A `str`.
    Str(&'a str),
    /// An `int`.
    Int(i64),
    /// Any other object: its type's name, `str()`, `repr()` and `int()` (`__int__`) if any.
    Object {
        /// `type(obj).__name__`, for error messages.
        type_name: &'a str,
        /// `str(obj)`.
        str: String,
        /// `repr(obj)`.
        repr: String,
        /// `int(obj)`, for `%d`, when the object has `__int__`.
        int: Option<u128>,
    },
}

/// An argument of one conversion: a value of the mapping, or the mapping itself (an unkeyed
/// `%s`).
enum Arg<'m, 'a> {
    Value(&'m FormatArg<'a>),
    Dict(&'m [(&'a str, FormatArg<'a>)]),
}

impl Arg<'_, '_> {
    fn type_name(&self) -> &str {
        match self {
            Arg::Value(FormatArg::Str(_)) => "str",
            Arg::Value(FormatArg::Int(_)) => "int",
            Arg::Value(FormatArg::Object { type_name, .. }) => type_name,
            Arg::Dict(_) => "dict",
        }
    }

    fn str(&self) -> String {
        match self {
            Arg::Value(FormatArg::Str(s)) => (*s).to_owned(),
            Arg::Value(FormatArg::Int(n)) => n.to_string(),
            Arg::Value(FormatArg::Object { str, .. }) => str.clone(),
            Arg::Dict(_) => self.repr(),
        }
    }

    fn repr(&self) -> String {
        fn one(v: &FormatArg<'_>) -> String {
            match v {
                FormatArg::Str(s) => crate::repr::str_repr(s),
                FormatArg::Int(n) => n.to_string(),
                FormatArg::Object { repr, .. } => repr.clone(),
            }
        }
        match self {
            Arg::Value(v) => one(v),
            Arg::Dict(d) => {
                let items: Vec<String> = d
                    .iter()
                    .map(|(k, v)| format!("{}: {}", crate::repr::str_repr(k), one(v)))
                    .collect();
                format!("{{{}}}", items.join(", "))
            }
        }
    }
}

#[derive(Default)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    precision: Option<usize>,
}

impl Spec {
    /// Pads `text` (no sign) to the width with spaces.
    fn pad(&self, text: &str, out: &mut String) {
        let len = text.chars().count();
        let fill = self.width.saturating_sub(len);
        if !self.left {
            out.extend(std::iter::repeat_n(' ', fill));
        }
        out.push_str(text);
        if self.left {
            out.extend(std::iter::repeat_n(' ', fill));
        }
    }

    /// Pads a number: `sign` and `prefix` first, then zeros (the `0` flag) or spaces.
    fn pad_number(&self, negative: bool, prefix: &str, digits: &str, out: &mut String) {
        let sign = if negative {
            "-"
        } else if self.plus {
            "+"
        } else if self.space {
            " "
        } else {
            ""
        };
        let len = sign.len() + prefix.len() + digits.len();
        let fill = self.width.saturating_sub(len);
        if self.left {
            out.push_str(sign);
            out.push_str(prefix);
            out.push_str(digits);
            out.extend(std::iter::repeat_n(' ', fill));
        } else if self.zero {
            out.push_str(sign);
            out.push_str(prefix);
            out.extend(std::iter::repeat_n('0', fill));
            out.push_str(digits);
        } else {
            out.extend(std::iter::repeat_n(' ', fill));
            out.push_str(sign);
            out.push_str(prefix);
            out.push_str(digits);
        }
    }
}

/// Python's `format % mapping` (printf-style formatting with a `dict`, in its order):
/// `%(name)s`, `%(name)r`, `%(name)d`, `%(name)x`, `%(name)f`, … with flags, width and
/// precision, `%%` for `%`; an unkeyed `%s` formats the dict itself. Errors are Python's,
/// message for message.
///
/// # Errors
/// [`PercentFormatError`]: `KeyError` for a missing name, `TypeError`/`ValueError` as Python.
///
/// # Examples
/// ```
/// use nuages_py::builtins::{percent_format, FormatArg};
/// let kwargs = [("pk", FormatArg::Int(42))];
/// assert_eq!(percent_format("/items/%(pk)s/%%2F/", &kwargs).unwrap(), "/items/42/%2F/");
/// assert_eq!(percent_format("/%(pk)05d/", &kwargs).unwrap(), "/00042/");
/// assert_eq!(percent_format("%s", &kwargs).unwrap(), "{'pk': 42}"); // the dict itself
/// assert_eq!(percent_format("/%(id)s/", &kwargs).unwrap_err().to_string(), "'id'");
/// ```
pub fn percent_format(
    format: &str,
    kwargs: &[(&str, FormatArg<'_>)],
) -> Result<String, PercentFormatError> {
    use PercentFormatError::{KeyError, TypeError, ValueError};
    let not_enough = || TypeError("not enough arguments for format string".into());
    let chars: Vec<char> = format.chars().collect();
    let mut out = String::with_capacity(format.len());
    let mut dict_available = true;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '%' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        i += 1;
        if chars.get(i) == Some(&'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let mut arg = None;
        if chars.get(i) == Some(&'(') {
            let start = i + 1;
            let mut depth = 1;
            i += 1;
            while i < chars.len() && depth > 0 {
                match chars[i] {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                i += 1;
            }
            if depth > 0 {
                return Err(ValueError("incomplete format key".into()));
            }
            let key: String = chars[start..i - 1].iter().collect();
            let value = kwargs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v)
                .ok_or(KeyError(key))?;
            arg = Some(Arg::Value(value));
            dict_available = false;
        }
        let mut spec = Spec::default();
        while let Some(c) = chars.get(i) {
            match c {
                '-' => spec.left = true,
                '+' => spec.plus = true,
                ' ' => spec.space = true,
                '#' => spec.alt = true,
                '0' => spec.zero = true,
                _ => break,
            }
            i += 1;
        }
        let star = |dict_available: &mut bool| {
            if arg.is_none() && *dict_available {
                *dict_available = false;
                Err(TypeError("* wants int".into()))
            } else {
                Err(not_enough())
            }
        };
        if chars.get(i) == Some(&'*') {
            return star(&mut dict_available);
        }
        while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
            spec.width = spec.width.saturating_mul(10).saturating_add(d as usize);
            i += 1;
        }
        if chars.get(i) == Some(&'.') {
            i += 1;
            if chars.get(i) == Some(&'*') {
                return star(&mut dict_available);
            }
            let mut p = 0usize;
            while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                p = p.saturating_mul(10).saturating_add(d as usize);
                i += 1;
            }
            spec.precision = Some(p);
        }
        while matches!(chars.get(i), Some('h' | 'l' | 'L')) {
            i += 1;
        }
        let Some(&conversion) = chars.get(i) else {
            return Err(ValueError("incomplete format".into()));
        };
        let index = i;
        i += 1;
        let arg = match arg {
            Some(a) => a,
            None if dict_available => {
                dict_available = false;
                Arg::Dict(kwargs)
            }
            None => return Err(not_enough()),
        };
        format_one(&mut out, &spec, conversion, index, &arg)?;
    }
    Ok(out)
}

fn format_one(
    out: &mut String,
    spec: &Spec,
    conversion: char,
    index: usize,
    arg: &Arg<'_, '_>,
) -> Result<(), PercentFormatError> {
    use PercentFormatError::{OverflowError, TypeError, ValueError};
    let truncate = |s: String| match spec.precision {
        Some(p) => s.chars().take(p).collect(),
        None => s,
    };
    match conversion {
        's' => spec.pad(&truncate(arg.str()), out),
        'r' => spec.pad(&truncate(arg.repr()), out),
        'a' => spec.pad(&truncate(ascii(&arg.repr())), out),
        'd' | 'i' | 'u' => {
            let (negative, magnitude) = match arg {
                Arg::Value(FormatArg::Int(n)) => (*n < 0, n.unsigned_abs().to_string()),
                Arg::Value(FormatArg::Object { int: Some(i), .. }) => (false, i.to_string()),
                _ => {
                    return Err(TypeError(format!(
                        "%{conversion} format: a real number is required, not {}",
                        arg.type_name()
                    )))
                }
            };
            let digits = zero_extend(magnitude, spec.precision);
            spec.pad_number(negative, "", &digits, out);
        }
        'x' | 'X' | 'o' => {
            let Arg::Value(FormatArg::Int(n)) = arg else {
                return Err(TypeError(format!(
                    "%{conversion} format: an integer is required, not {}",
                    arg.type_name()
                )));
            };
            let m = n.unsigned_abs();
            let (text, prefix) = match conversion {
                'x' => (format!("{m:x}"), "0x"),
                'X' => (format!("{m:X}"), "0X"),
                _ => (format!("{m:o}"), "0o"),
            };
            let digits = zero_extend(text, spec.precision);
            spec.pad_number(*n < 0, if spec.alt { prefix } else { "" }, &digits, out);
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
            let Arg::Value(FormatArg::Int(n)) = arg else {
                return Err(TypeError(format!(
                    "must be real number, not {}",
                    arg.type_name()
                )));
            };
            let x = *n as f64;
            let digits = format_float(x.abs(), conversion, spec.precision.unwrap_or(6), spec.alt);
            spec.pad_number(x < 0.0, "", &digits, out);
        }
        'c' => {
            let c = match arg {
                Arg::Value(FormatArg::Int(n)) => u32::try_from(*n)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| OverflowError("%c arg not in range(0x110000)".into()))?,
                Arg::Value(FormatArg::Str(s)) if s.chars().count() == 1 => {
                    s.chars().next().unwrap_or_default()
                }
                _ => return Err(TypeError("%c requires int or char".into())),
            };
            spec.pad(&c.to_string(), out);
        }
        other => {
            let shown = if (' '..='~').contains(&other) {
                other
            } else {
                '?'
            };
            return Err(ValueError(format!(
                "unsupported format character '{shown}' (0x{:x}) at index {index}",
                other as u32
            )));
        }
    }
    Ok(())
}

/// Python's `ascii()` of a `repr()`: non-ASCII characters escaped.
fn ascii(repr: &str) -> String {
    let mut out = String::with_capacity(repr.len());
    for c in repr.chars() {
        match c as u32 {
            0..=0x7f => out.push(c),
            n @ 0x80..=0xff => out.push_str(&format!("\\x{n:02x}")),
            n @ 0x100..=0xffff => out.push_str(&format!("\\u{n:04x}")),
            n => out.push_str(&format!("\\U{n:08x}")),
        }
    }
    out
}

/// `%.Nd`: the digits zero-extended to the precision.
fn zero_extend(digits: String, precision: Option<usize>) -> String {
    match precision {
        Some(p) if p > digits.len() => format!("{}{digits}", "0".repeat(p - digits.len())),
        _ => digits,
    }
}

/// `%e`, `%f`, `%g` of a non-negative float, as CPython formats them.
fn format_float(x: f64, conversion: char, precision: usize, alt: bool) -> String {
    let upper = conversion.is_ascii_uppercase();
    let text = match conversion.to_ascii_lowercase() {
        'f' => {
            let mut s = format!("{x:.precision$}");
            if alt && precision == 0 {
                s.push('.');
            }
            s
        }
        'e' => exponential(x, precision, alt),
        _ => {
            let p = precision.max(1);
            let exp = exponent_of(x, p - 1);
            if (-4..p as i64).contains(&exp) {
                let decimals = usize::try_from(p as i64 - 1 - exp).unwrap_or(0);
                let s = format!("{x:.decimals$}");
                if alt {
                    if decimals == 0 {
                        format!("{s}.")
                    } else {
                        s
                    }
                } else {
                    strip_zeros(&s)
                }
            } else {
                let s = exponential(x, p - 1, alt);
                if alt {
                    s
                } else {
                    let (mantissa, e) = s.split_once('e').unwrap_or((&s, ""));
                    format!("{}e{e}", strip_zeros(mantissa))
                }
            }
        }
    };
    if upper {
        text.to_ascii_uppercase()
    } else {
        text
    }
}

/// The decimal exponent of `x` rounded to `decimals` digits after the first.
fn exponent_of(x: f64, decimals: usize) -> i64 {
    let s = format!("{x:.decimals$e}");
    s.rsplit_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0)
}

/// `%.Ne`: `d.ddde+XX` (at least two exponent digits).
fn exponential(x: f64, precision: usize, alt: bool) -> String {
    let s = format!("{x:.precision$e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let dot = if alt && precision == 0 { "." } else { "" };
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}{dot}e{sign}{:02}", exp.abs())
}

fn strip_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s.to_owned()
    }
}

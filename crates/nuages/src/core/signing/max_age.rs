//! [`MaxAge`]: a Python `int | float | datetime.timedelta` number of seconds,
//! shared by `set_cookie(max_age=...)` and `TimestampSigner.unsign(max_age=...)`.

use std::fmt;

use chrono::TimeDelta;
use nuages_py::datetime::total_seconds;
use nuages_py::repr::write_float_repr;

/// A lifetime in seconds, as Django accepts it: an `int`, a `float` or a
/// `datetime.timedelta`.
///
/// The variant matters for byte-exactness: Django formats the value it was
/// given (`Signature age 10.0 > 9 seconds` for an int,
/// `... > 50.0 seconds` for a timedelta) and `set_cookie` adds the exact float
/// to the current time before truncating.
///
/// # Examples
///
/// ```
/// use nuages::signing::MaxAge;
///
/// assert_eq!(MaxAge::from(9).to_string(), "9");
/// assert_eq!(MaxAge::from(10.5).to_string(), "10.5");
/// assert_eq!(MaxAge::from(std::time::Duration::from_secs(50)).to_string(), "50.0");
/// assert_eq!(MaxAge::from(10.9).to_int(), Some(10));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MaxAge {
    /// Whole seconds (Python `int`).
    Seconds(i64),
    /// Fractional seconds (Python `float`).
    Float(f64),
    /// A duration (Python `datetime.timedelta`); counts as
    /// `timedelta.total_seconds()`, a float.
    Delta(TimeDelta),
}

impl MaxAge {
    /// The value as Python would add it to `time.time()`: a float number of
    /// seconds (`timedelta.total_seconds()` for durations).
    #[must_use]
    pub fn as_secs_f64(&self) -> f64 {
        match *self {
            // Python converts the int to the nearest float before adding.
            #[allow(clippy::cast_precision_loss)]
            Self::Seconds(s) => s as f64,
            Self::Float(f) => f,
            Self::Delta(d) => total_seconds(d),
        }
    }

    /// Python's `int(max_age)` (truncation towards zero); `None` for NaN,
    /// infinities and values outside the `i64` range.
    #[must_use]
    pub fn to_int(&self) -> Option<i64> {
        match *self {
            Self::Seconds(s) => Some(s),
            Self::Float(_) | Self::Delta(_) => {
                let f = self.as_secs_f64().trunc();
                // i64::MAX as f64 rounds up to 2^63, which is out of range.
                #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
                if f.is_finite() && f >= i64::MIN as f64 && f < i64::MAX as f64 {
                    Some(f as i64)
                } else {
                    None
                }
            }
        }
    }
}

impl fmt::Display for MaxAge {
    /// Python's `str()` of the value: `9`, `10.5`, `50.0` (timedeltas are
    /// shown as their `total_seconds()` float, as Django does).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Seconds(s) => write!(f, "{s}"),
            Self::Float(_) | Self::Delta(_) => {
                let mut s = String::with_capacity(24);
                write_float_repr(&mut s, self.as_secs_f64());
                f.write_str(&s)
            }
        }
    }
}

impl_from!(MaxAge {
    i64 => |s| Self::Seconds(s),
    i32 => |s| Self::Seconds(i64::from(s)),
    u32 => |s| Self::Seconds(i64::from(s)),
    f64 => |s| Self::Float(s),
    TimeDelta => |d| Self::Delta(d),
    /// Durations beyond chrono's range (about 292 million years) saturate.
    std::time::Duration => |d| Self::Delta(TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)),
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_seconds_like_python() {
        let d = TimeDelta::days(10) + TimeDelta::milliseconds(1500);
        assert_eq!(MaxAge::from(d).as_secs_f64(), 864_001.5);
        assert_eq!(MaxAge::from(d).to_int(), Some(864_001));
        assert_eq!(MaxAge::from(TimeDelta::hours(1)).to_string(), "3600.0");
        assert_eq!(MaxAge::from(-1.5).to_int(), Some(-1));
        assert_eq!(MaxAge::from(f64::NAN).to_int(), None);
        assert_eq!(MaxAge::from(1e300).to_int(), None);
    }
}

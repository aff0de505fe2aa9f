//! Python's `datetime` arithmetic on `chrono` values: `timedelta.total_seconds()`, the
//! `days * 86400 + seconds` floor, `datetime.isoformat()` of aware UTC datetimes, and
//! `time.time()` as a float.

use chrono::{DateTime, TimeDelta, Utc};

/// Python's `timedelta.total_seconds()`: microseconds divided by 10**6, correctly rounded
/// (nanosecond precision, which Python lacks, is kept when present).
///
/// # Examples
///
/// ```
/// use chrono::TimeDelta;
/// use nuages_py::datetime::total_seconds;
///
/// assert_eq!(total_seconds(TimeDelta::days(10) + TimeDelta::milliseconds(1500)), 864_001.5);
/// assert_eq!(total_seconds(TimeDelta::microseconds(-1)), -1e-6);
/// ```
#[must_use]
pub fn total_seconds(d: TimeDelta) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    match d.num_nanoseconds() {
        Some(ns) if ns % 1000 == 0 => (ns / 1000) as f64 / 1e6,
        Some(ns) => ns as f64 / 1e9,
        None => match d.num_microseconds() {
            Some(us) => us as f64 / 1e6,
            None => d.num_milliseconds() as f64 / 1e3,
        },
    }
}

/// `delta.days * 86400 + delta.seconds`: the whole seconds of a `timedelta`, rounded down
/// (Python normalises `timedelta` so that only `days` is negative).
///
/// # Examples
///
/// ```
/// use chrono::TimeDelta;
/// use nuages_py::datetime::whole_seconds;
///
/// assert_eq!(whole_seconds(TimeDelta::milliseconds(1500)), 1);
/// assert_eq!(whole_seconds(TimeDelta::milliseconds(-1500)), -2);
/// ```
#[must_use]
pub fn whole_seconds(d: TimeDelta) -> i64 {
    let s = d.num_seconds();
    if d.subsec_nanos() < 0 {
        s - 1
    } else {
        s
    }
}

/// Python's `datetime.isoformat()` of an aware UTC datetime:
/// `2023-11-14T22:13:20+00:00`, with `.ffffff` only when there are microseconds.
///
/// # Examples
///
/// ```
/// use chrono::DateTime;
/// use nuages_py::datetime::isoformat;
///
/// let t = DateTime::from_timestamp(1_700_000_000, 5_000).unwrap();
/// assert_eq!(isoformat(t), "2023-11-14T22:13:20.000005+00:00");
/// ```
#[must_use]
pub fn isoformat(at: DateTime<Utc>) -> String {
    let micros = at.timestamp_subsec_micros();
    if micros == 0 {
        at.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
    } else {
        format!("{}.{micros:06}+00:00", at.format("%Y-%m-%dT%H:%M:%S"))
    }
}

/// Python's `time.time()` at the instant `now`: seconds since the epoch as a float
/// (`ns / 1e9`, exact when there is no sub-second part).
///
/// # Examples
///
/// ```
/// use chrono::DateTime;
/// use nuages_py::datetime::epoch_seconds;
///
/// let t = DateTime::from_timestamp(1_700_000_000, 500_000_000).unwrap();
/// assert_eq!(epoch_seconds(&t), 1_700_000_000.5);
/// ```
#[doc(alias = "time.time")]
#[must_use]
pub fn epoch_seconds(now: &DateTime<Utc>) -> f64 {
    let secs = now.timestamp();
    let nanos = now.timestamp_subsec_nanos();
    #[allow(clippy::cast_precision_loss)]
    if nanos == 0 {
        secs as f64
    } else {
        (i128::from(secs) * 1_000_000_000 + i128::from(nanos)) as f64 / 1e9
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_seconds_like_python() {
        assert_eq!(total_seconds(TimeDelta::hours(1)), 3600.0);
        assert_eq!(total_seconds(TimeDelta::nanoseconds(1)), 1e-9);
        assert_eq!(whole_seconds(TimeDelta::zero()), 0);
        assert_eq!(whole_seconds(TimeDelta::seconds(-3)), -3);
    }
}

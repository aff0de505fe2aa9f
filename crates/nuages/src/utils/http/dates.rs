//! HTTP dates: `http_date`, `parse_http_date`, `parse_http_date_safe`.

use std::fmt;
use std::sync::LazyLock;
use std::time::{SystemTime, UNIX_EPOCH};

use regex::{Captures, Regex};

use crate::utils::pystr::repr;

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Seconds from 0001-01-01T00:00:00Z (Python's `datetime.min`) to the epoch.
const MIN_EPOCH: i64 = -62_135_596_800;
/// Seconds from the epoch to 9999-12-31T23:59:59Z (Python's `datetime.max`).
const MAX_EPOCH: i64 = 253_402_300_799;

/// Error of [`http_date`] / [`parse_http_date`], with Python's `ValueError` message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpDateError {
    /// The timestamp is outside Python's `datetime` range (years 1–9999).
    OutOfRange(i64),
    /// The string matches none of the three HTTP date formats.
    InvalidFormat(String),
    /// The string has the right shape but is not a real date (e.g. `31 Feb`, hour 24).
    InvalidDate(String),
}

impl fmt::Display for HttpDateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OutOfRange(_) => f.write_str("year is out of range"),
            Self::InvalidFormat(date) => {
                write!(f, "{} is not in a valid HTTP date format", repr(date))
            }
            Self::InvalidDate(date) => write!(f, "{} is not a valid date", repr(date)),
        }
    }
}

impl std::error::Error for HttpDateError {}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `(year, month, day)` of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Both values are small positive numbers by construction.
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Formats a timestamp as an RFC 1123 date in GMT (Django's `http_date`, i.e.
/// `email.utils.formatdate(epoch, usegmt=True)`).
///
/// # Errors
///
/// [`HttpDateError::OutOfRange`] outside years 1–9999, where Python raises.
///
/// # Examples
///
/// ```
/// use nuages::utils::http::http_date;
///
/// assert_eq!(http_date(1_700_000_000).unwrap(), "Tue, 14 Nov 2023 22:13:20 GMT");
/// ```
pub fn http_date(epoch_seconds: i64) -> Result<String, HttpDateError> {
    if !(MIN_EPOCH..=MAX_EPOCH).contains(&epoch_seconds) {
        return Err(HttpDateError::OutOfRange(epoch_seconds));
    }
    let days = epoch_seconds.div_euclid(86_400);
    let secs = epoch_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    // 1970-01-01 was a Thursday (index 3 with Monday = 0).
    let weekday = WEEKDAYS[usize::try_from((days + 3).rem_euclid(7)).unwrap_or(0)];
    let month = MONTHS[usize::try_from(month - 1).unwrap_or(0)];
    Ok(format!(
        "{weekday}, {day:02} {month} {year:04} {:02}:{:02}:{:02} GMT",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    ))
}

/// [`http_date`] of the current time.
pub fn http_date_now() -> String {
    http_date(now_epoch()).unwrap_or_default()
}

fn now_epoch() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

// Django's regexes; Python's `\w` is `[\p{L}\p{N}_]` and a final `$` also matches before
// a trailing newline.
const D: &str = r"(?P<day>[0-9]{2})";
const D2: &str = r"(?P<day>[ 0-9][0-9])";
const M: &str = r"(?P<mon>[\p{L}\p{N}_]{3})";
const Y: &str = r"(?P<year>[0-9]{4})";
const Y2: &str = r"(?P<year>[0-9]{2})";
const T: &str = r"(?P<hour>[0-9]{2}):(?P<min>[0-9]{2}):(?P<sec>[0-9]{2})";

static DATE_FORMATS: LazyLock<[Regex; 3]> = LazyLock::new(|| {
    let w = r"[\p{L}\p{N}_]";
    [
        format!(r"\A{w}{{3}}, {D} {M} {Y} {T} GMT\n?\z"),
        format!(r"\A{w}{{6,9}}, {D}-{M}-{Y2} {T} GMT\n?\z"),
        format!(r"\A{w}{{3}} {M} {D2} {T} {Y}\n?\z"),
    ]
    .map(|re| Regex::new(&re).expect("static regex is valid"))
});

/// Parses an HTTP date (RFC 1123, RFC 850 or asctime) into epoch seconds, like Django's
/// `parse_http_date`. Two-digit RFC 850 years more than 50 years in the future are taken
/// to be in the previous century, relative to the current year.
///
/// # Errors
///
/// [`HttpDateError::InvalidFormat`] or [`HttpDateError::InvalidDate`], with Django's messages.
///
/// # Examples
///
/// ```
/// use nuages::utils::http::parse_http_date;
///
/// assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Ok(784_111_777));
/// assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Ok(784_111_777));
/// assert!(parse_http_date("yesterday").is_err());
/// ```
pub fn parse_http_date(date: &str) -> Result<i64, HttpDateError> {
    let (year, _, _) = civil_from_days(now_epoch().div_euclid(86_400));
    parse_http_date_relative_to(date, year)
}

/// [`parse_http_date`] with an explicit current year for the two-digit-year rule.
///
/// # Errors
///
/// As [`parse_http_date`].
pub fn parse_http_date_relative_to(date: &str, current_year: i64) -> Result<i64, HttpDateError> {
    let caps = DATE_FORMATS
        .iter()
        .find_map(|re| re.captures(date))
        .ok_or_else(|| HttpDateError::InvalidFormat(date.to_owned()))?;
    timestamp(&caps, current_year).ok_or_else(|| HttpDateError::InvalidDate(date.to_owned()))
}

fn timestamp(caps: &Captures<'_>, current_year: i64) -> Option<i64> {
    let num = |name: &str| -> Option<i64> { caps.name(name)?.as_str().trim_start().parse().ok() };
    let mut year = num("year")?;
    if year < 100 {
        let current_century = current_year - current_year.rem_euclid(100);
        if year - current_year.rem_euclid(100) > 50 {
            year += current_century - 100;
        } else {
            year += current_century;
        }
    }
    let mon = caps.name("mon")?.as_str();
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(mon))?;
    let month = u32::try_from(month + 1).ok()?;
    let day = u32::try_from(num("day")?).ok()?;
    let (hour, min, sec) = (num("hour")?, num("min")?, num("sec")?);
    if !(1..=9999).contains(&year)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || min > 59
        || sec > 59
    {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + min * 60 + sec)
}

/// [`parse_http_date`], returning `None` for invalid input.
///
/// # Examples
///
/// ```
/// use nuages::utils::http::parse_http_date_safe;
///
/// assert_eq!(parse_http_date_safe("Sunday, 06-Nov-94 08:49:37 GMT"), Some(784_111_777));
/// assert_eq!(parse_http_date_safe("Sun, 31 Feb 1994 08:49:37 GMT"), None);
/// ```
pub fn parse_http_date_safe(date: &str) -> Option<i64> {
    parse_http_date(date).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_formatdate() {
        assert_eq!(http_date(0).unwrap(), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(
            http_date(1_193_008_907).unwrap(),
            "Sun, 21 Oct 2007 23:21:47 GMT"
        );
        assert_eq!(http_date(-1).unwrap(), "Wed, 31 Dec 1969 23:59:59 GMT");
        assert_eq!(
            http_date(951_782_400).unwrap(),
            "Tue, 29 Feb 2000 00:00:00 GMT"
        );
        assert_eq!(
            http_date(MIN_EPOCH).unwrap(),
            "Mon, 01 Jan 0001 00:00:00 GMT"
        );
        assert_eq!(
            http_date(MAX_EPOCH).unwrap(),
            "Fri, 31 Dec 9999 23:59:59 GMT"
        );
        assert_eq!(
            http_date(MAX_EPOCH + 1),
            Err(HttpDateError::OutOfRange(MAX_EPOCH + 1))
        );
        assert_eq!(
            http_date(MIN_EPOCH - 1),
            Err(HttpDateError::OutOfRange(MIN_EPOCH - 1))
        );
        assert!(http_date_now().ends_with(" GMT"));
    }

    /// Spec rule 192 / Django's `HttpDateProcessingTests`.
    #[test]
    fn parses_the_three_formats() {
        let lm = 1_193_008_907; // Sun, 21 Oct 2007 23:21:47 GMT
        assert_eq!(parse_http_date("Sun, 21 Oct 2007 23:21:47 GMT"), Ok(lm));
        assert_eq!(parse_http_date("Sunday, 21-Oct-07 23:21:47 GMT"), Ok(lm));
        assert_eq!(parse_http_date("Sun Oct 21 23:21:47 2007"), Ok(lm));
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Ok(784_111_777));
        assert_eq!(parse_http_date("Sun, 21 oct 2007 23:21:47 GMT\n"), Ok(lm));
        assert_eq!(
            parse_http_date("Sun, 29 Feb 2004 00:00:00 GMT"),
            Ok(1_078_012_800)
        );
        assert_eq!(parse_http_date("Xyz, 21 Oct 2007 23:21:47 GMT"), Ok(lm));
        // Four-digit years below 100 get the two-digit treatment too (observed in Django).
        assert_eq!(
            parse_http_date_relative_to("Sun, 21 Oct 0000 23:21:47 GMT", 2026),
            Ok(972_170_507)
        );
        assert_eq!(
            parse_http_date_relative_to("Sun, 21 Oct 0099 23:21:47 GMT", 2026),
            Ok(940_548_107)
        );
    }

    #[test]
    fn two_digit_years() {
        // Django's test_parsing_rfc850 cases (relative to the current year).
        for (current, date, expected_year) in [
            (2019, "Tuesday, 31-Dec-69 08:49:37 GMT", 2069),
            (2019, "Tuesday, 10-Nov-70 08:49:37 GMT", 1970),
            (2019, "Sunday, 06-Nov-94 08:49:37 GMT", 1994),
            (2020, "Wednesday, 31-Dec-70 08:49:37 GMT", 2070),
            (2020, "Friday, 31-Dec-71 08:49:37 GMT", 1971),
            (2048, "Sunday, 31-Dec-00 08:49:37 GMT", 2000),
            (2048, "Friday, 31-Dec-99 08:49:37 GMT", 1999),
        ] {
            let got = parse_http_date_relative_to(date, current).unwrap();
            let (year, _, _) = civil_from_days(got.div_euclid(86_400));
            assert_eq!(year, expected_year, "{date} in {current}");
        }
    }

    #[test]
    fn invalid_dates() {
        assert_eq!(
            parse_http_date("Sun, 31 Feb 2007 23:21:47 GMT")
                .unwrap_err()
                .to_string(),
            "'Sun, 31 Feb 2007 23:21:47 GMT' is not a valid date"
        );
        assert_eq!(
            parse_http_date("Mon, 21 Oct 2007").unwrap_err().to_string(),
            "'Mon, 21 Oct 2007' is not in a valid HTTP date format"
        );
        for bad in [
            "Sun, 21 Oct 2007 24:00:00 GMT",
            "Sun, 21 Oct 2007 23:60:00 GMT",
            "Sun, 21 Oct 2007 23:00:60 GMT",
            "Sun, 21 Foo 2007 23:21:47 GMT",
            "Sun, 00 Oct 2007 23:21:47 GMT",
            "Sun, 21 Oct 2007 23:21:47 GMT\n\n",
            " Sun, 21 Oct 2007 23:21:47 GMT",
            "Sun, 21 Oct 2007 23:21:47 UTC",
            "",
        ] {
            assert_eq!(parse_http_date_safe(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn civil_round_trip() {
        for days in [-719_162, -1, 0, 1, 10_957, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}

//! HTTP dates: `http_date`, `parse_http_date`, `parse_http_date_safe`.

use std::fmt;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, Utc};
use nuages_py::email_utils::formatdate;
use nuages_py::repr::str_repr;
use regex::{Captures, Regex};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

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
                write!(f, "{} is not in a valid HTTP date format", str_repr(date))
            }
            Self::InvalidDate(date) => write!(f, "{} is not a valid date", str_repr(date)),
        }
    }
}

impl std::error::Error for HttpDateError {}

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
    // |epoch_seconds| is far below 2**53 wherever formatdate succeeds: the conversion is exact.
    #[allow(clippy::cast_precision_loss)]
    let timeval = epoch_seconds as f64;
    formatdate(timeval, true).map_err(|_| HttpDateError::OutOfRange(epoch_seconds))
}

/// [`http_date`] of the current time.
pub fn http_date_now() -> String {
    http_date(Utc::now().timestamp()).unwrap_or_default()
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
    parse_http_date_relative_to(date, i64::from(Utc::now().year()))
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
    if !(1..=9999).contains(&year) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let time = date.and_hms_opt(
        u32::try_from(hour).ok()?,
        u32::try_from(min).ok()?,
        u32::try_from(sec).ok()?,
    )?;
    Some(time.and_utc().timestamp())
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

    /// Seconds from 0001-01-01T00:00:00Z (Python's `datetime.min`) to the epoch.
    const MIN_EPOCH: i64 = -62_135_596_800;
    /// Seconds from the epoch to 9999-12-31T23:59:59Z (Python's `datetime.max`).
    const MAX_EPOCH: i64 = 253_402_300_799;

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
            let year = chrono::DateTime::from_timestamp(got, 0).unwrap().year();
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
}

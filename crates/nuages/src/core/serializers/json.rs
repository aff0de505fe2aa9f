//! Django's `DjangoJSONEncoder` (django/core/serializers/json.py): the
//! date/time, duration, decimal and UUID formats of its `default()`, as
//! newtype wrappers and as `#[serde(with = "…")]` helpers.
//!
//! Python's `json.dumps` itself is [`nuages::py::json::dumps`](crate::py::json::dumps):
//! serializing these types with it is `json.dumps(value, cls=DjangoJSONEncoder, **params)`.
//!
//! ```
//! use chrono::NaiveDate;
//! use nuages::core::serializers::json::JsonDate;
//! use nuages::py::json::{dumps, JsonDumpsParams};
//!
//! let day = JsonDate(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
//! let text = dumps(&[day], &JsonDumpsParams::new()).unwrap();
//! assert_eq!(text, r#"["2024-02-29"]"#);
//! ```

use std::fmt;

use chrono::{
    DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone,
    Timelike,
};
use serde::ser::{Error as _, Serialize, Serializer};

/// Message of Django's `ValueError` for aware `datetime.time` values.
pub const AWARE_TIME_ERROR: &str = "JSON can't represent timezone-aware times.";

fn write_date(f: &mut fmt::Formatter<'_>, date: NaiveDate) -> fmt::Result {
    use chrono::Datelike;
    let year = date.year();
    if year < 0 {
        write!(f, "-{:04}", year.unsigned_abs())?;
    } else {
        write!(f, "{year:04}")?;
    }
    write!(f, "-{:02}-{:02}", date.month(), date.day())
}

/// `HH:MM:SS` then `.mmm` when the microsecond is non-zero (Django truncates
/// `isoformat()` to milliseconds). A leap second is written as second 60.
fn write_time(f: &mut fmt::Formatter<'_>, time: NaiveTime) -> fmt::Result {
    let nanos = time.nanosecond();
    let (second, nanos) = if nanos >= 1_000_000_000 {
        (time.second() + 1, nanos - 1_000_000_000)
    } else {
        (time.second(), nanos)
    };
    write!(f, "{:02}:{:02}:{second:02}", time.hour(), time.minute())?;
    let micros = nanos / 1_000;
    if micros != 0 {
        write!(f, ".{:03}", micros / 1_000)?;
    }
    Ok(())
}

/// `Z` for UTC, otherwise `±HH:MM[:SS]` like Python's `isoformat()`.
fn write_offset(f: &mut fmt::Formatter<'_>, offset_seconds: i32) -> fmt::Result {
    if offset_seconds == 0 {
        return f.write_str("Z");
    }
    let sign = if offset_seconds < 0 { '-' } else { '+' };
    let total = offset_seconds.unsigned_abs();
    let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60);
    write!(f, "{sign}{hours:02}:{minutes:02}")?;
    if seconds != 0 {
        write!(f, ":{seconds:02}")?;
    }
    Ok(())
}

/// An aware datetime formatted like `DjangoJSONEncoder`:
/// `2024-01-02T03:04:05.123+05:30`, `2024-01-02T03:04:05.120Z`.
///
/// # Examples
///
/// ```
/// use chrono::{FixedOffset, TimeZone};
/// use nuages::core::serializers::json::JsonDateTime;
/// use nuages::py::json::{dumps, JsonDumpsParams};
///
/// let tz = FixedOffset::east_opt(5 * 3600 + 1800).unwrap();
/// let dt = tz.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
/// let json = dumps(&JsonDateTime(dt), &JsonDumpsParams::default()).unwrap();
/// assert_eq!(json, r#""2024-01-02T03:04:05+05:30""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonDateTime<Tz: TimeZone = FixedOffset>(pub DateTime<Tz>);

impl<Tz: TimeZone> fmt::Display for JsonDateTime<Tz> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = self.0.naive_local();
        write_date(f, local.date())?;
        f.write_str("T")?;
        write_time(f, local.time())?;
        write_offset(f, self.0.offset().fix().local_minus_utc())
    }
}

impl<Tz: TimeZone> Serialize for JsonDateTime<Tz> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A naive datetime formatted like `DjangoJSONEncoder`: `2024-01-02T03:04:05.123`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct JsonNaiveDateTime(pub NaiveDateTime);

impl fmt::Display for JsonNaiveDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_date(f, self.0.date())?;
        f.write_str("T")?;
        write_time(f, self.0.time())
    }
}

impl Serialize for JsonNaiveDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A date formatted like `date.isoformat()`: `2024-02-29`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct JsonDate(pub NaiveDate);

impl fmt::Display for JsonDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_date(f, self.0)
    }
}

impl Serialize for JsonDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A naive time formatted like `DjangoJSONEncoder`: `13:14:15.999`, `13:14:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct JsonTime(pub NaiveTime);

impl fmt::Display for JsonTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_time(f, self.0)
    }
}

impl Serialize for JsonTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A timezone-aware time (Python `datetime.time` with a `tzinfo`).
///
/// `DjangoJSONEncoder` refuses these: serializing always fails with
/// [`AWARE_TIME_ERROR`] (`JSON can't represent timezone-aware times.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct JsonAwareTime(pub NaiveTime, pub FixedOffset);

impl Serialize for JsonAwareTime {
    fn serialize<S: Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
        Err(S::Error::custom(AWARE_TIME_ERROR))
    }
}

/// A duration formatted like Django's `duration_iso_string`:
/// `P1DT02H03M04S`, `P0DT00H00M01.000005S`, `-P0DT23H59M55S`.
///
/// Sub-microsecond precision is truncated (Python has microseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[doc(alias = "duration_iso_string")]
#[doc(alias = "timedelta")]
pub struct JsonDuration(pub TimeDelta);

impl fmt::Display for JsonDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.0.num_seconds();
        let nanos = self.0.subsec_nanos();
        let negative = seconds < 0 || nanos < 0;
        let abs_seconds = seconds.unsigned_abs();
        let micros = nanos.unsigned_abs() / 1_000;
        let sign = if negative && (abs_seconds != 0 || micros != 0) {
            "-"
        } else {
            ""
        };
        let (days, rem) = (abs_seconds / 86_400, abs_seconds % 86_400);
        let (hours, minutes, secs) = (rem / 3600, rem / 60 % 60, rem % 60);
        write!(f, "{sign}P{days}DT{hours:02}H{minutes:02}M{secs:02}")?;
        if micros != 0 {
            write!(f, ".{micros:06}")?;
        }
        f.write_str("S")
    }
}

impl Serialize for JsonDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A decimal number serialized as a JSON string of its text, like Django's
/// `str(Decimal)`: `JsonDecimal("1.10")` → `"1.10"`. Any `Display` type works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct JsonDecimal<T = String>(pub T);

impl<T: fmt::Display> Serialize for JsonDecimal<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

/// A UUID serialized as its hyphenated lower-case string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct JsonUuid(pub ::uuid::Uuid);

impl Serialize for JsonUuid {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buf = ::uuid::Uuid::encode_buffer();
        serializer.serialize_str(self.0.hyphenated().encode_lower(&mut buf))
    }
}

/// `#[serde(with = "nuages::core::serializers::json::datetime")]` for
/// `chrono::DateTime<Tz>` fields.
pub mod datetime {
    use super::*;

    /// Serializes like [`JsonDateTime`].
    pub fn serialize<S: Serializer, Tz: TimeZone>(
        value: &DateTime<Tz>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        JsonDateTime(value.clone()).serialize(serializer)
    }
}

/// `#[serde(with = "nuages::core::serializers::json::naive_datetime")]` for
/// `chrono::NaiveDateTime` fields.
pub mod naive_datetime {
    use super::*;

    /// Serializes like [`JsonNaiveDateTime`].
    pub fn serialize<S: Serializer>(
        value: &NaiveDateTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        JsonNaiveDateTime(*value).serialize(serializer)
    }
}

/// `#[serde(with = "nuages::core::serializers::json::date")]` for
/// `chrono::NaiveDate` fields.
pub mod date {
    use super::*;

    /// Serializes like [`JsonDate`].
    pub fn serialize<S: Serializer>(value: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        JsonDate(*value).serialize(serializer)
    }
}

/// `#[serde(with = "nuages::core::serializers::json::time")]` for
/// `chrono::NaiveTime` fields.
pub mod time {
    use super::*;

    /// Serializes like [`JsonTime`].
    pub fn serialize<S: Serializer>(value: &NaiveTime, serializer: S) -> Result<S::Ok, S::Error> {
        JsonTime(*value).serialize(serializer)
    }
}

/// `#[serde(with = "nuages::core::serializers::json::duration")]` for
/// `chrono::TimeDelta` fields.
#[doc(alias = "timedelta")]
pub mod duration {
    use super::*;

    /// Serializes like [`JsonDuration`].
    pub fn serialize<S: Serializer>(value: &TimeDelta, serializer: S) -> Result<S::Ok, S::Error> {
        JsonDuration(*value).serialize(serializer)
    }
}

/// `#[serde(with = "nuages::core::serializers::json::decimal")]` for any
/// `Display` decimal type (serialized as a string, like `str(Decimal)`).
pub mod decimal {
    use super::*;

    /// Serializes `value`'s text as a JSON string.
    pub fn serialize<S: Serializer, T: fmt::Display>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }
}

/// `#[serde(with = "nuages::core::serializers::json::uuid")]` for
/// `uuid::Uuid` fields.
pub mod uuid {
    use super::*;

    /// Serializes like [`JsonUuid`].
    pub fn serialize<S: Serializer>(
        value: &::uuid::Uuid,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        JsonUuid(*value).serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        let d = |td: TimeDelta| JsonDuration(td).to_string();
        assert_eq!(
            d(TimeDelta::days(1) + TimeDelta::seconds(7384)),
            "P1DT02H03M04S"
        );
        assert_eq!(d(TimeDelta::zero()), "P0DT00H00M00S");
        assert_eq!(
            d(TimeDelta::days(-1) + TimeDelta::seconds(5)),
            "-P0DT23H59M55S"
        );
        assert_eq!(d(TimeDelta::microseconds(-1)), "-P0DT00H00M00.000001S");
        assert_eq!(d(TimeDelta::nanoseconds(-500)), "P0DT00H00M00S");
        assert_eq!(d(TimeDelta::days(-3)), "-P3DT00H00M00S");
    }

    #[test]
    fn offsets_with_seconds() {
        let tz = FixedOffset::west_opt(3600 + 61).unwrap();
        let dt = tz.with_ymd_and_hms(1, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(JsonDateTime(dt).to_string(), "0001-01-01T00:00:00-01:01:01");
    }
}

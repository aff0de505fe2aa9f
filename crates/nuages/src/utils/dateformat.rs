//! The equivalent of `django.utils.dateformat`: PHP-`date()`-style formatting with Django's
//! format characters (the `date` and `time` template filters use it).
//!
//! | char | meaning | example |
//! |---|---|---|
//! | `a` `A` | `a.m.`/`p.m.`, `AM`/`PM` | `p.m.` |
//! | `b` `M` `N` `F` `E` | month: `jan`, `Jan`, AP style `Jan.`, `January`, alternative name | |
//! | `c` | ISO 8601 (`isoformat()`) | `2008-01-02T10:30:00.000123` |
//! | `d` `j` | day of month, zero-padded or not | `01`, `1` |
//! | `D` `l` | weekday, `Fri` or `Friday` | |
//! | `e` `T` `O` `Z` | time-zone name, abbreviation, `+0200`, offset in seconds | |
//! | `f` `g` `G` `h` `H` `i` `s` `u` `P` | times: `1:30`, `1`, `13`, `01`, `13`, `30`, `07`, microseconds, `1:30 p.m.`/`noon`/`midnight` | |
//! | `I` | `1` during daylight-saving time, else `0` | |
//! | `L` | leap year (`True`/`False`) | |
//! | `m` `n` | month number, zero-padded or not | |
//! | `o` `W` | ISO year and week | |
//! | `r` | RFC 5322 date | `Thu, 21 Dec 2000 16:01:07 +0200` |
//! | `S` | English ordinal suffix | `st` |
//! | `t` | days in the month | `31` |
//! | `U` | seconds since the epoch | |
//! | `w` `z` | weekday (0 = Sunday), day of the year | |
//! | `y` `Y` | year, 2 or 4 digits | |
//!
//! A backslash escapes the next character. Time zones are fixed offsets ([`TzInfo`]): a naive
//! datetime is read in the *default time zone* (Django's `TIME_ZONE`, UTC unless given), which
//! is also what Django does with its process time zone for `U`. Zone rules (DST transitions of
//! named zones) are not included: pass aware values with their offset, name and DST flag.

use std::fmt;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// A fixed time zone: UTC offset, name (`tzname()`) and whether DST is in effect (`dst()`).
///
/// # Examples
/// ```
/// use nuages::utils::dateformat::TzInfo;
/// assert_eq!(TzInfo::fixed(7200).name(), "UTC+02:00");
/// assert_eq!(TzInfo::utc().name(), "UTC");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TzInfo {
    offset: i32,
    name: String,
    dst: bool,
}

impl TzInfo {
    /// UTC (`datetime.timezone.utc`, `zoneinfo.ZoneInfo("UTC")`).
    ///
    /// # Examples
    /// ```
    /// assert_eq!(nuages::utils::dateformat::TzInfo::utc().offset(), 0);
    /// ```
    pub fn utc() -> Self {
        TzInfo::named("UTC", 0, false)
    }

    /// Python's `datetime.timezone(timedelta(seconds=offset))`: named `UTC±HH:MM`.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(nuages::utils::dateformat::TzInfo::fixed(-16200).name(), "UTC-04:30");
    /// ```
    pub fn fixed(offset_seconds: i32) -> Self {
        if offset_seconds == 0 {
            return TzInfo::utc();
        }
        let sign = if offset_seconds < 0 { '-' } else { '+' };
        let a = offset_seconds.unsigned_abs();
        let mut name = format!("UTC{sign}{:02}:{:02}", a / 3600, a / 60 % 60);
        if a % 60 != 0 {
            name.push_str(&format!(":{:02}", a % 60));
        }
        TzInfo::named(name, offset_seconds, false)
    }

    /// A zone with an explicit name (e.g. `CEST`, offset 7200, DST on).
    ///
    /// # Examples
    /// ```
    /// let tz = nuages::utils::dateformat::TzInfo::named("CEST", 7200, true);
    /// assert!(tz.is_dst());
    /// ```
    pub fn named(name: impl Into<String>, offset_seconds: i32, dst: bool) -> Self {
        TzInfo {
            offset: offset_seconds,
            name: name.into(),
            dst,
        }
    }

    /// The UTC offset in seconds.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(nuages::utils::dateformat::TzInfo::fixed(3600).offset(), 3600);
    /// ```
    pub fn offset(&self) -> i32 {
        self.offset
    }

    /// The name (`tzname()`).
    ///
    /// # Examples
    /// ```
    /// assert_eq!(nuages::utils::dateformat::TzInfo::named("IST", 19800, false).name(), "IST");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether daylight-saving time is in effect.
    ///
    /// # Examples
    /// ```
    /// assert!(!nuages::utils::dateformat::TzInfo::utc().is_dst());
    /// ```
    pub fn is_dst(&self) -> bool {
        self.dst
    }
}

/// A value to format: Python's `date`, naive or aware `datetime`, or `time`.
///
/// # Examples
/// ```
/// use nuages::utils::dateformat::DateValue;
/// let d = chrono::NaiveDate::from_ymd_opt(2021, 3, 14).unwrap();
/// assert!(matches!(DateValue::from(d), DateValue::Date(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateValue {
    /// A `datetime.date`.
    Date(NaiveDate),
    /// A naive `datetime.datetime` (read in the default time zone).
    DateTime(NaiveDateTime),
    /// An aware `datetime.datetime`: wall-clock time in `TzInfo`.
    Aware(NaiveDateTime, TzInfo),
    /// A `datetime.time`.
    Time(NaiveTime),
}

impl From<NaiveDate> for DateValue {
    fn from(d: NaiveDate) -> Self {
        DateValue::Date(d)
    }
}

impl From<NaiveDateTime> for DateValue {
    fn from(d: NaiveDateTime) -> Self {
        DateValue::DateTime(d)
    }
}

impl From<NaiveTime> for DateValue {
    fn from(t: NaiveTime) -> Self {
        DateValue::Time(t)
    }
}

impl<Tz: chrono::TimeZone> From<chrono::DateTime<Tz>> for DateValue {
    fn from(d: chrono::DateTime<Tz>) -> Self {
        let offset = chrono::Offset::fix(d.offset()).local_minus_utc();
        DateValue::Aware(d.naive_local(), TzInfo::fixed(offset))
    }
}

impl DateValue {
    fn time(&self) -> Option<NaiveTime> {
        match self {
            DateValue::Date(_) => None,
            DateValue::DateTime(d) | DateValue::Aware(d, _) => Some(d.time()),
            DateValue::Time(t) => Some(*t),
        }
    }

    fn date(&self) -> Option<NaiveDate> {
        match self {
            DateValue::Date(d) => Some(*d),
            DateValue::DateTime(d) | DateValue::Aware(d, _) => Some(d.date()),
            DateValue::Time(_) => None,
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            DateValue::Date(_) => "datetime.date",
            DateValue::DateTime(_) | DateValue::Aware(..) => "datetime.datetime",
            DateValue::Time(_) => "datetime.time",
        }
    }
}

/// Why a value could not be formatted (Python's exception in Django).
///
/// # Examples
/// ```
/// let d = chrono::NaiveDate::from_ymd_opt(2021, 3, 14).unwrap();
/// let e = nuages::utils::dateformat::format(d, "a").unwrap_err();
/// assert_eq!(e.to_string(), "The format for date objects may not contain time-related format specifiers (found 'a').");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DateFormatError {
    /// `TypeError`: a time-related character in the format of a `date`.
    TimeSpecifierOnDate(char),
    /// `AttributeError`: the character needs a part the value does not have (a date part of a
    /// `time`, or a date character given to `time_format`).
    Unsupported {
        /// The format character.
        specifier: char,
        /// The Python type of the value.
        type_name: &'static str,
    },
    /// `TypeError`: `r` or `U` of a `time` (`datetime.combine` needs a date).
    TimeCombine,
}

impl DateFormatError {
    /// Whether Django raises `TypeError` (else `AttributeError`).
    ///
    /// # Examples
    /// ```
    /// let t = chrono::NaiveTime::from_hms_opt(1, 0, 0).unwrap();
    /// assert!(!nuages::utils::dateformat::format(t, "Y").unwrap_err().is_type_error());
    /// ```
    pub fn is_type_error(&self) -> bool {
        !matches!(self, DateFormatError::Unsupported { .. })
    }
}

impl fmt::Display for DateFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateFormatError::TimeSpecifierOnDate(c) => write!(
                f,
                "The format for date objects may not contain time-related format specifiers (found '{c}')."
            ),
            DateFormatError::Unsupported { specifier, type_name } => {
                write!(f, "'{type_name}' value has no part for format character '{specifier}'")
            }
            DateFormatError::TimeCombine => {
                f.write_str("combine() argument 1 must be datetime.date, not datetime.time")
            }
        }
    }
}

impl std::error::Error for DateFormatError {}

const FORMAT_CHARS: &str = "aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ";
/// The characters `TimeFormat` knows (`hasattr(TimeFormat, piece)`).
const TIME_CHARS: &str = "aAefgGhHiOPsTuZ";

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_AP: [&str; 12] = [
    "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
    "Dec.",
];
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Django's `DateFormat` (and, with [`DateFormat::time_only`], `TimeFormat`).
///
/// # Examples
/// ```
/// use nuages::utils::dateformat::DateFormat;
/// let d = chrono::NaiveDate::from_ymd_opt(2003, 10, 7).unwrap().and_hms_opt(11, 39, 0).unwrap();
/// assert_eq!(DateFormat::new(d).format("jS F Y H:i").unwrap(), "7th October 2003 11:39");
/// ```
#[derive(Debug, Clone)]
pub struct DateFormat {
    data: DateValue,
    timezone: Option<TzInfo>,
    default_tz: TzInfo,
    time_only: bool,
}

impl DateFormat {
    /// A formatter for `value`, with UTC as the default time zone.
    ///
    /// # Examples
    /// ```
    /// let d = chrono::NaiveDate::from_ymd_opt(2021, 3, 14).unwrap();
    /// assert_eq!(nuages::utils::dateformat::DateFormat::new(d).format("l").unwrap(), "Sunday");
    /// ```
    pub fn new(value: impl Into<DateValue>) -> Self {
        DateFormat::with_default_timezone(value, TzInfo::utc())
    }

    /// A formatter reading naive datetimes (and dates, for `r` and `U`) in `default_tz`.
    ///
    /// # Examples
    /// ```
    /// use nuages::utils::dateformat::{DateFormat, TzInfo};
    /// let d = chrono::NaiveDate::from_ymd_opt(2021, 3, 14).unwrap().and_hms_opt(9, 30, 0).unwrap();
    /// let df = DateFormat::with_default_timezone(d, TzInfo::named("CET", 3600, false));
    /// assert_eq!(df.format("O T U").unwrap(), "+0100 CET 1615710600");
    /// ```
    pub fn with_default_timezone(value: impl Into<DateValue>, default_tz: TzInfo) -> Self {
        let data = value.into();
        let timezone = match &data {
            DateValue::DateTime(_) => Some(default_tz.clone()),
            DateValue::Aware(_, tz) => Some(tz.clone()),
            _ => None,
        };
        DateFormat {
            data,
            timezone,
            default_tz,
            time_only: false,
        }
    }

    /// Restricts the formatter to `TimeFormat`'s characters (what `time_format` does).
    ///
    /// # Examples
    /// ```
    /// let t = chrono::NaiveTime::from_hms_opt(13, 5, 0).unwrap();
    /// assert_eq!(nuages::utils::dateformat::DateFormat::new(t).time_only().format("g:i A").unwrap(), "1:05 PM");
    /// ```
    pub fn time_only(mut self) -> Self {
        self.time_only = true;
        self
    }

    /// Formats with `format_string` (`Formatter.format`).
    ///
    /// # Errors
    /// A [`DateFormatError`] where Django raises.
    ///
    /// # Examples
    /// ```
    /// let d = chrono::NaiveDate::from_ymd_opt(2021, 3, 1).unwrap();
    /// assert_eq!(nuages::utils::dateformat::DateFormat::new(d).format(r"jS \o\f F").unwrap(), "1st of March");
    /// ```
    pub fn format(&self, format_string: &str) -> Result<String, DateFormatError> {
        let chars: Vec<char> = format_string.chars().collect();
        let mut out = String::with_capacity(format_string.len() + 8);
        let mut literal = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let escaped = i > 0 && chars[i - 1] == '\\';
            if FORMAT_CHARS.contains(c) && !escaped {
                unescape_into(&literal, &mut out);
                literal.clear();
                if matches!(self.data, DateValue::Date(_)) && TIME_CHARS.contains(c) {
                    return Err(DateFormatError::TimeSpecifierOnDate(c));
                }
                self.piece(c, &mut out)?;
            } else {
                literal.push(c);
            }
        }
        unescape_into(&literal, &mut out);
        Ok(out)
    }

    fn unsupported(&self, c: char) -> DateFormatError {
        DateFormatError::Unsupported {
            specifier: c,
            type_name: self.data.type_name(),
        }
    }

    fn piece(&self, c: char, out: &mut String) -> Result<(), DateFormatError> {
        use std::fmt::Write as _;
        if TIME_CHARS.contains(c) {
            return self.time_piece(c, out);
        }
        if self.time_only {
            return Err(self.unsupported(c));
        }
        match c {
            'c' => out.push_str(&isoformat(&self.data)),
            'I' => match &self.timezone {
                None => {}
                Some(tz) => out.push(if tz.dst { '1' } else { '0' }),
            },
            'r' => out.push_str(&self.rfc5322()?),
            'U' => {
                let _ = write!(out, "{}", self.timestamp()?);
            }
            _ => {
                let d = self.data.date().ok_or_else(|| self.unsupported(c))?;
                date_piece(c, d, out);
            }
        }
        Ok(())
    }

    fn time_piece(&self, c: char, out: &mut String) -> Result<(), DateFormatError> {
        use std::fmt::Write as _;
        let t = self.data.time().ok_or_else(|| self.unsupported(c))?;
        let (h, m) = (t.hour(), t.minute());
        let h12 = if h % 12 == 0 { 12 } else { h % 12 };
        match c {
            'a' => out.push_str(if h > 11 { "p.m." } else { "a.m." }),
            'A' => out.push_str(if h > 11 { "PM" } else { "AM" }),
            'e' => {
                if let (Some(_), DateValue::Aware(_, tz)) = (&self.timezone, &self.data) {
                    out.push_str(&tz.name);
                }
            }
            'f' => push_f(out, h12, m),
            'g' => {
                let _ = write!(out, "{h12}");
            }
            'G' => {
                let _ = write!(out, "{h}");
            }
            'h' => {
                let _ = write!(out, "{h12:02}");
            }
            'H' => {
                let _ = write!(out, "{h:02}");
            }
            'i' => {
                let _ = write!(out, "{m:02}");
            }
            'O' => {
                if let Some(tz) = &self.timezone {
                    let sign = if tz.offset < 0 { '-' } else { '+' };
                    let a = tz.offset.unsigned_abs();
                    let _ = write!(out, "{sign}{:02}{:02}", a / 3600, a / 60 % 60);
                }
            }
            'P' => {
                if m == 0 && h == 0 {
                    out.push_str("midnight");
                } else if m == 0 && h == 12 {
                    out.push_str("noon");
                } else {
                    push_f(out, h12, m);
                    out.push_str(if h > 11 { " p.m." } else { " a.m." });
                }
            }
            's' => {
                let _ = write!(out, "{:02}", t.second());
            }
            'T' => {
                if let Some(tz) = &self.timezone {
                    out.push_str(&tz.name);
                }
            }
            'u' => {
                let _ = write!(out, "{:06}", micros(t));
            }
            // 'Z'
            _ => {
                if let Some(tz) = &self.timezone {
                    let _ = write!(out, "{}", tz.offset);
                }
            }
        }
        Ok(())
    }

    /// The value as an aware (wall time, zone) pair, as `r` and `U` see it.
    fn aware(&self) -> Result<(NaiveDateTime, &TzInfo), DateFormatError> {
        match &self.data {
            DateValue::Date(d) => Ok((d.and_time(NaiveTime::MIN), &self.default_tz)),
            DateValue::DateTime(d) => Ok((*d, &self.default_tz)),
            DateValue::Aware(d, tz) => Ok((*d, tz)),
            DateValue::Time(_) => Err(DateFormatError::TimeCombine),
        }
    }

    fn rfc5322(&self) -> Result<String, DateFormatError> {
        let (d, tz) = self.aware()?;
        let sign = if tz.offset < 0 { '-' } else { '+' };
        let a = tz.offset.unsigned_abs();
        let mut zone = format!("{sign}{:02}{:02}", a / 3600, a / 60 % 60);
        if a % 60 != 0 {
            zone.push_str(&format!("{:02}", a % 60));
        }
        let wd = &WEEKDAYS[d.weekday().num_days_from_monday() as usize][..3];
        let mon = &MONTHS[d.month0() as usize][..3];
        Ok(format!(
            "{wd}, {:02} {mon} {:04} {:02}:{:02}:{:02} {zone}",
            d.day(),
            d.year(),
            d.hour(),
            d.minute(),
            d.second()
        ))
    }

    fn timestamp(&self) -> Result<i64, DateFormatError> {
        let (d, tz) = self.aware()?;
        Ok(d.and_utc().timestamp() - i64::from(tz.offset))
    }
}

fn micros(t: NaiveTime) -> u32 {
    (t.nanosecond() / 1000).min(999_999)
}

fn push_f(out: &mut String, h12: u32, m: u32) {
    use std::fmt::Write as _;
    if m == 0 {
        let _ = write!(out, "{h12}");
    } else {
        let _ = write!(out, "{h12}:{m:02}");
    }
}

/// `re_escaped.sub(r"\1", piece)`: a backslash followed by any character but a newline.
fn unescape_into(piece: &str, out: &mut String) {
    let mut it = piece.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\\' {
            if let Some(&n) = it.peek() {
                if n != '\n' {
                    out.push(n);
                    it.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
}

fn date_piece(c: char, d: NaiveDate, out: &mut String) {
    use std::fmt::Write as _;
    let month = d.month0() as usize;
    let wd = d.weekday().num_days_from_monday() as usize;
    let _ = match c {
        'b' => write!(out, "{}", MONTHS[month][..3].to_ascii_lowercase()),
        'd' => write!(out, "{:02}", d.day()),
        'D' => write!(out, "{}", &WEEKDAYS[wd][..3]),
        'E' | 'F' => write!(out, "{}", MONTHS[month]),
        'j' => write!(out, "{}", d.day()),
        'l' => write!(out, "{}", WEEKDAYS[wd]),
        'L' => write!(out, "{}", if d.leap_year() { "True" } else { "False" }),
        'm' => write!(out, "{:02}", d.month()),
        'M' => write!(out, "{}", &MONTHS[month][..3]),
        'n' => write!(out, "{}", d.month()),
        'N' => write!(out, "{}", MONTHS_AP[month]),
        'o' => write!(out, "{}", d.iso_week().year()),
        'S' => write!(out, "{}", ordinal_suffix(d.day())),
        't' => write!(out, "{}", days_in_month(d)),
        'w' => write!(out, "{}", d.weekday().num_days_from_sunday()),
        'W' => write!(out, "{}", d.iso_week().week()),
        'y' => write!(out, "{:02}", d.year().rem_euclid(100)),
        'Y' => write!(out, "{:04}", d.year()),
        // 'z'
        _ => write!(out, "{}", d.ordinal()),
    };
}

fn ordinal_suffix(day: u32) -> &'static str {
    if (11..=13).contains(&day) {
        return "th";
    }
    match day % 10 {
        1 => "st",
        2 => "nd",
        3 => "rd",
        _ => "th",
    }
}

fn days_in_month(d: NaiveDate) -> u32 {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|n| n.pred_opt())
        .map_or(31, |l| l.day())
}

/// Python's `isoformat()` of a date, datetime or time.
fn isoformat(v: &DateValue) -> String {
    fn time_iso(t: NaiveTime) -> String {
        let us = micros(t);
        let base = format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());
        if us == 0 {
            base
        } else {
            format!("{base}.{us:06}")
        }
    }
    fn date_iso(d: NaiveDate) -> String {
        format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
    }
    match v {
        DateValue::Date(d) => date_iso(*d),
        DateValue::DateTime(d) => format!("{}T{}", date_iso(d.date()), time_iso(d.time())),
        DateValue::Aware(d, tz) => {
            let sign = if tz.offset < 0 { '-' } else { '+' };
            let a = tz.offset.unsigned_abs();
            let mut off = format!("{sign}{:02}:{:02}", a / 3600, a / 60 % 60);
            if a % 60 != 0 {
                off.push_str(&format!(":{:02}", a % 60));
            }
            format!("{}T{}{off}", date_iso(d.date()), time_iso(d.time()))
        }
        DateValue::Time(t) => time_iso(*t),
    }
}

/// `django.utils.dateformat.format(value, format_string)` (default time zone UTC).
///
/// # Errors
/// A [`DateFormatError`] where Django raises.
///
/// # Examples
/// ```
/// let d = chrono::NaiveDate::from_ymd_opt(2022, 11, 2).unwrap();
/// assert_eq!(nuages::utils::dateformat::format(d, "Y-m-d").unwrap(), "2022-11-02");
/// assert_eq!(nuages::utils::dateformat::format(d, r"\Y\e\s").unwrap(), "Yes");
/// assert!(nuages::utils::dateformat::format(d, "H:i").is_err());
/// ```
pub fn format(value: impl Into<DateValue>, format_string: &str) -> Result<String, DateFormatError> {
    DateFormat::new(value).format(format_string)
}

/// `django.utils.dateformat.time_format(value, format_string)`: only time characters.
///
/// # Errors
/// A [`DateFormatError`] where Django raises (a date character is an `AttributeError`).
///
/// # Examples
/// ```
/// let t = chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap();
/// assert_eq!(nuages::utils::dateformat::time_format(t, "P").unwrap(), "noon");
/// assert!(nuages::utils::dateformat::time_format(t, "Y").is_err());
/// ```
pub fn time_format(
    value: impl Into<DateValue>,
    format_string: &str,
) -> Result<String, DateFormatError> {
    DateFormat::new(value).time_only().format(format_string)
}

/// The format a named setting stands for in Django's `en` locale (`get_format`), or the
/// argument itself.
///
/// # Examples
/// ```
/// use nuages::utils::dateformat::get_format;
/// assert_eq!(get_format("DATE_FORMAT"), "N j, Y");
/// assert_eq!(get_format("Y-m-d"), "Y-m-d");
/// ```
pub fn get_format(format_type: &str) -> &str {
    match format_type {
        "DATE_FORMAT" => "N j, Y",
        "TIME_FORMAT" => "P",
        "DATETIME_FORMAT" => "N j, Y, P",
        "YEAR_MONTH_FORMAT" => "F Y",
        "MONTH_DAY_FORMAT" => "F j",
        "SHORT_DATE_FORMAT" => "m/d/Y",
        "SHORT_DATETIME_FORMAT" => "m/d/Y P",
        other => other,
    }
}

/// The `date` template filter (`django.template.defaultfilters.date`): `None` format means
/// `DATE_FORMAT`; a value without the needed parts gives `""`.
///
/// # Errors
/// Django's `TypeError`s (a time character for a `date`) propagate.
///
/// # Examples
/// ```
/// let t = chrono::NaiveTime::from_hms_opt(9, 30, 0).unwrap();
/// assert_eq!(nuages::utils::dateformat::date_filter(&t.into(), Some("Y")).unwrap(), "");
/// ```
pub fn date_filter(value: &DateValue, arg: Option<&str>) -> Result<String, DateFormatError> {
    let df = DateFormat::new(value.clone());
    match df.format(get_format(
        arg.filter(|a| !a.is_empty()).unwrap_or("DATE_FORMAT"),
    )) {
        Err(e) if !e.is_type_error() => match df.format(arg.unwrap_or("None")) {
            Err(e) if !e.is_type_error() => Ok(String::new()),
            r => r,
        },
        r => r,
    }
}

/// The `time` template filter (`django.template.defaultfilters.time`): `None` format means
/// `TIME_FORMAT`; any error gives `""`.
///
/// # Examples
/// ```
/// let t = chrono::NaiveTime::from_hms_opt(0, 0, 0).unwrap();
/// assert_eq!(nuages::utils::dateformat::time_filter(&t.into(), None), "midnight");
/// ```
pub fn time_filter(value: &DateValue, arg: Option<&str>) -> String {
    let tf = DateFormat::new(value.clone()).time_only();
    tf.format(get_format(
        arg.filter(|a| !a.is_empty()).unwrap_or("TIME_FORMAT"),
    ))
    .or_else(|_| tf.format(arg.unwrap_or("None")))
    .unwrap_or_default()
}

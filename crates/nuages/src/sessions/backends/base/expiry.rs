//! `set_expiry` / `get_expiry_age` / `get_expiry_date`: the `_session_expiry` value (an int of
//! seconds, or an ISO 8601 datetime string) and how Django reads it back.

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;

use nuages_py::datetime::{isoformat, whole_seconds};

use crate::sessions::exceptions::SessionError;
use crate::signing::MaxAge;

/// The argument of `set_expiry(value)`.
///
/// # Examples
/// ```
/// use chrono::TimeDelta;
/// use nuages::sessions::Expiry;
/// assert_eq!(Expiry::from(300), Expiry::Seconds(300));
/// assert_eq!(Expiry::from(TimeDelta::hours(1)), Expiry::In(TimeDelta::hours(1)));
/// assert_eq!(Expiry::from(None::<i64>), Expiry::Global);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// `set_expiry(None)`: back to the global policy (SESSION_COOKIE_AGE,
    /// SESSION_EXPIRE_AT_BROWSER_CLOSE).
    Global,
    /// `set_expiry(0)`: the cookie expires when the browser closes.
    BrowserClose,
    /// `set_expiry(int)`: that many seconds of inactivity (`0` is [`Expiry::BrowserClose`]).
    Seconds(i64),
    /// `set_expiry(timedelta)`: at now + the duration (stored as an ISO datetime).
    In(TimeDelta),
    /// `set_expiry(datetime)`: at that time (stored as an ISO datetime).
    At(DateTime<Utc>),
}

impl From<i64> for Expiry {
    fn from(seconds: i64) -> Self {
        Expiry::Seconds(seconds)
    }
}

impl From<TimeDelta> for Expiry {
    fn from(d: TimeDelta) -> Self {
        Expiry::In(d)
    }
}

impl From<std::time::Duration> for Expiry {
    fn from(d: std::time::Duration) -> Self {
        Expiry::In(TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX))
    }
}

impl From<DateTime<Utc>> for Expiry {
    fn from(at: DateTime<Utc>) -> Self {
        Expiry::At(at)
    }
}

impl<T: Into<Expiry>> From<Option<T>> for Expiry {
    fn from(v: Option<T>) -> Self {
        v.map_or(Expiry::Global, Into::into)
    }
}

impl Expiry {
    /// The value stored under `_session_expiry` (`None`: remove it).
    pub(crate) fn stored_value(self, now: DateTime<Utc>) -> Option<Value> {
        match self {
            Expiry::Global => None,
            Expiry::BrowserClose => Some(Value::from(0)),
            Expiry::Seconds(s) => Some(Value::from(s)),
            Expiry::In(d) => Some(Value::from(isoformat(
                now.checked_add_signed(d)
                    .unwrap_or(DateTime::<Utc>::MAX_UTC),
            ))),
            Expiry::At(at) => Some(Value::from(isoformat(at))),
        }
    }
}

/// `datetime.fromisoformat(s)` for the aware forms Django compares with `timezone.now()`.
fn fromisoformat(s: &str) -> Result<DateTime<Utc>, SessionError> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| {
            SessionError::InvalidExpiry(format!("{s:?} is not an aware ISO 8601 datetime"))
        })
}

/// Python truthiness of a JSON value.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Python's `expiry == 0` (`False == 0` and `0.0 == 0` hold).
pub(crate) fn is_zero(v: &Value) -> bool {
    match v {
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        _ => false,
    }
}

/// A number of seconds as Python holds it (`True` is 1).
fn seconds(v: &Value) -> Result<MaxAge, SessionError> {
    match v {
        Value::Bool(b) => Ok(MaxAge::Seconds(i64::from(*b))),
        Value::Number(n) => Ok(match n.as_i64() {
            Some(i) => MaxAge::Seconds(i),
            None => MaxAge::Float(n.as_f64().unwrap_or(f64::MAX)),
        }),
        other => Err(SessionError::InvalidExpiry(format!(
            "{other} is not a number of seconds"
        ))),
    }
}

/// `get_expiry_age(modification=now, expiry=expiry)`.
pub(crate) fn expiry_age(
    expiry: Option<&Value>,
    now: DateTime<Utc>,
    cookie_age: i64,
) -> Result<MaxAge, SessionError> {
    match expiry {
        Some(v) if truthy(v) => match v {
            Value::String(s) => Ok(MaxAge::Seconds(whole_seconds(
                fromisoformat(s)?.signed_duration_since(now),
            ))),
            other => seconds(other),
        },
        _ => Ok(MaxAge::Seconds(cookie_age)),
    }
}

/// `get_expiry_date(modification=now, expiry=expiry)`.
pub(crate) fn expiry_date(
    expiry: Option<&Value>,
    now: DateTime<Utc>,
    cookie_age: i64,
) -> Result<DateTime<Utc>, SessionError> {
    if let Some(Value::String(s)) = expiry {
        return fromisoformat(s);
    }
    let age = match expiry {
        Some(v) if truthy(v) => seconds(v)?,
        _ => MaxAge::Seconds(cookie_age),
    };
    let delta = match age {
        MaxAge::Seconds(s) => TimeDelta::try_seconds(s),
        MaxAge::Float(f) if f.is_finite() && f.abs() < 1e15 => {
            #[allow(clippy::cast_possible_truncation)]
            let micros = (f * 1e6).round() as i64;
            Some(TimeDelta::microseconds(micros))
        }
        MaxAge::Delta(d) => Some(d),
        MaxAge::Float(_) => None,
    };
    delta
        .and_then(|d| now.checked_add_signed(d))
        .ok_or_else(|| SessionError::InvalidExpiry(format!("{age} seconds is out of range")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default()
    }

    #[test]
    fn iso_like_python() {
        assert_eq!(isoformat(t0()), "2023-11-14T22:13:20+00:00");
        let t = t0() + TimeDelta::microseconds(1500);
        assert_eq!(isoformat(t), "2023-11-14T22:13:20.001500+00:00");
        assert_eq!(
            fromisoformat("2023-11-14T22:13:20.001500+00:00").ok(),
            Some(t)
        );
        assert_eq!(fromisoformat("2023-11-14T23:13:20+01:00").ok(), Some(t0()));
        assert!(fromisoformat("2023-11-14T22:13:20").is_err());
    }

    #[test]
    fn ages() {
        let age = |v: Value| expiry_age(Some(&v), t0(), 1209600).ok();
        assert_eq!(expiry_age(None, t0(), 10).ok(), Some(MaxAge::Seconds(10)));
        assert_eq!(age(json!(0)), Some(MaxAge::Seconds(1209600)));
        assert_eq!(age(json!("")), Some(MaxAge::Seconds(1209600)));
        assert_eq!(age(json!(300)), Some(MaxAge::Seconds(300)));
        assert_eq!(age(json!(2.5)), Some(MaxAge::Float(2.5)));
        assert_eq!(age(json!(true)), Some(MaxAge::Seconds(1)));
        assert_eq!(
            age(json!("2023-11-14T23:13:20+00:00")),
            Some(MaxAge::Seconds(3600))
        );
        // Rounded down, like timedelta.days * 86400 + timedelta.seconds.
        assert_eq!(
            age(json!("2023-11-14T22:13:19.500000+00:00")),
            Some(MaxAge::Seconds(-1))
        );
        assert!(age(json!([1])).is_none());
        assert!(age(json!("tomorrow")).is_none());
    }

    #[test]
    fn dates_and_zero() {
        let date = |v: Value| expiry_date(Some(&v), t0(), 60).ok();
        assert_eq!(
            expiry_date(None, t0(), 60).ok(),
            Some(t0() + TimeDelta::seconds(60))
        );
        assert_eq!(date(json!(10)), Some(t0() + TimeDelta::seconds(10)));
        assert_eq!(date(json!(0)), Some(t0() + TimeDelta::seconds(60)));
        assert_eq!(date(json!("2023-11-14T22:13:20+00:00")), Some(t0()));
        assert!(is_zero(&json!(0)) && is_zero(&json!(0.0)) && is_zero(&json!(false)));
        assert!(!is_zero(&json!(1)) && !is_zero(&json!("0")));
        let stored = Expiry::In(TimeDelta::seconds(5)).stored_value(t0());
        assert_eq!(stored, Some(json!("2023-11-14T22:13:25+00:00")));
        assert_eq!(Expiry::BrowserClose.stored_value(t0()), Some(json!(0)));
        assert_eq!(Expiry::Global.stored_value(t0()), None);
    }
}

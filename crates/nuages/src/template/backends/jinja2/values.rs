//! Context values as minijinja sees them, and Python's `str()` of them.
//!
//! Jinja2 prints values with Python's `str()`: `None`, `True`, `1.0`, `['a', 1]`,
//! `{'k': 'v'}`, `2021-03-14 09:30:00`. minijinja's own display differs (`none`, `true`, …), so
//! the backend's formatter prints through [`py_str`].

use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex};

use chrono::{Datelike, Timelike};
use minijinja::value::{Enumerator, Object, ObjectRepr, Value as MjValue, ValueKind};

use crate::template::{SharedObject, Value};
use crate::utils::dateformat::DateValue;
use crate::HttpRequest;

/// A neutral context value as a minijinja value.
pub(crate) fn to_minijinja(v: &Value) -> MjValue {
    match v {
        Value::None => MjValue::from(()),
        Value::Bool(b) => MjValue::from(*b),
        Value::Int(i) => MjValue::from(*i),
        Value::Float(f) => MjValue::from(*f),
        Value::Str(s) => MjValue::from(s.as_str()),
        Value::Safe(s) => MjValue::from_safe_string(s.clone()),
        Value::Date(d) => MjValue::from_object(DateObject(d.clone())),
        Value::List(l) => MjValue::from(l.iter().map(to_minijinja).collect::<Vec<_>>()),
        Value::Map(m) => MjValue::from(
            m.iter()
                .map(|(k, v)| (MjValue::from(k.as_str()), to_minijinja(v)))
                .collect::<indexmap::IndexMap<MjValue, MjValue>>(),
        ),
        Value::Object(o) => MjValue::from_object(ObjectAdapter(o.clone())),
    }
}

/// A minijinja value back as a neutral value (for `url()` arguments).
pub(crate) fn from_minijinja(v: &MjValue) -> Value {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => Value::None,
        ValueKind::Bool => Value::Bool(v.is_true()),
        ValueKind::Number if v.is_integer() => {
            i64::try_from(v.clone()).map_or_else(|_| Value::Str(v.to_string()), Value::Int)
        }
        ValueKind::Number => Value::Float(f64::try_from(v.clone()).unwrap_or(f64::NAN)),
        ValueKind::String if v.is_safe() => Value::Safe(v.as_str().unwrap_or("").to_owned()),
        ValueKind::String => Value::Str(v.as_str().unwrap_or("").to_owned()),
        ValueKind::Seq | ValueKind::Iterable => Value::List(
            v.try_iter()
                .map(|it| it.map(|x| from_minijinja(&x)).collect())
                .unwrap_or_default(),
        ),
        ValueKind::Map => Value::Map(
            v.try_iter()
                .map(|it| {
                    it.map(|k| {
                        let val = v.get_item(&k).unwrap_or_default();
                        (py_str(&k), from_minijinja(&val))
                    })
                    .collect()
                })
                .unwrap_or_default(),
        ),
        _ => match (
            v.downcast_object_ref::<DateObject>(),
            v.downcast_object_ref::<ObjectAdapter>(),
        ) {
            (Some(d), _) => Value::Date(d.0.clone()),
            (None, Some(o)) => Value::Object(o.0.clone()),
            (None, None) => Value::Str(py_str(v)),
        },
    }
}

/// A [`TemplateObject`](crate::template::TemplateObject) as minijinja sees it.
#[derive(Debug)]
pub(crate) struct ObjectAdapter(pub(crate) SharedObject);

impl Object for ObjectAdapter {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        if self.0 .0.items().is_some() {
            ObjectRepr::Iterable
        } else {
            ObjectRepr::Plain
        }
    }

    fn get_value(self: &Arc<Self>, key: &MjValue) -> Option<MjValue> {
        if let Some(name) = key.as_str() {
            return self.0 .0.attr(name).map(|v| to_minijinja(&v));
        }
        let index = usize::try_from(key.clone()).ok()?;
        let items = self.0 .0.items()?;
        items.get(index).map(to_minijinja)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        match self.0 .0.items() {
            Some(items) => Enumerator::Values(items.iter().map(to_minijinja).collect()),
            None => Enumerator::NonEnumerable,
        }
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &mut minijinja::State<'_, '_>,
        method: &str,
        args: &[MjValue],
    ) -> Result<MjValue, minijinja::Error> {
        let args: Vec<Value> = args.iter().map(from_minijinja).collect();
        match self.0 .0.call_method(method, &args) {
            Some(Ok(v)) => Ok(to_minijinja(&v)),
            Some(Err(message)) => Err(minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                message,
            )),
            None => Err(minijinja::Error::from(minijinja::ErrorKind::UnknownMethod)),
        }
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0 .0.to_str())
    }

    fn is_true(self: &Arc<Self>) -> bool {
        self.0 .0.is_true()
    }
}

/// Python's `str(value)`.
pub(crate) fn py_str(v: &MjValue) -> String {
    let mut out = String::new();
    write_py(&mut out, v, false);
    out
}

fn write_py(out: &mut String, v: &MjValue, repr: bool) {
    if let Some(o) = v.downcast_object_ref::<ObjectAdapter>() {
        out.push_str(&o.0 .0.to_str());
        return;
    }
    match v.kind() {
        ValueKind::Undefined => {}
        ValueKind::None => out.push_str("None"),
        ValueKind::Bool => out.push_str(if v.is_true() { "True" } else { "False" }),
        ValueKind::Number if v.is_integer() => {
            let _ = write!(out, "{v}");
        }
        ValueKind::Number => match f64::try_from(v.clone()) {
            Ok(f) => push_float(out, f),
            Err(_) => {
                let _ = write!(out, "{v}");
            }
        },
        ValueKind::String if repr => {
            out.push_str(&nuages_py::repr::str_repr(v.as_str().unwrap_or("")))
        }
        ValueKind::String => out.push_str(v.as_str().unwrap_or("")),
        ValueKind::Seq | ValueKind::Iterable => {
            out.push('[');
            if let Ok(it) = v.try_iter() {
                for (i, item) in it.enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write_py(out, &item, true);
                }
            }
            out.push(']');
        }
        ValueKind::Map => {
            out.push('{');
            if let Ok(it) = v.try_iter() {
                for (i, k) in it.enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write_py(out, &k, true);
                    out.push_str(": ");
                    write_py(out, &v.get_item(&k).unwrap_or_default(), true);
                }
            }
            out.push('}');
        }
        _ => match v.downcast_object_ref::<DateObject>() {
            Some(d) if repr => out.push_str(&d.repr()),
            _ => {
                let _ = write!(out, "{v}");
            }
        },
    }
}

/// Python's `str(x)` of a float (`repr`: `nan`, `inf`, `1e+16`, `0.1`).
fn push_float(out: &mut String, f: f64) {
    nuages_py::repr::write_float_repr(out, f);
}

/// A `date`, `datetime` or `time` in a template: prints like Python's `str()`, exposes
/// `year`, `month`, `day`, `hour`, `minute`, `second`, `microsecond`, and `isoformat()`,
/// `weekday()`, `isoweekday()`.
#[derive(Debug, Clone)]
pub(crate) struct DateObject(pub(crate) DateValue);

impl DateObject {
    fn date(&self) -> Option<chrono::NaiveDate> {
        match &self.0 {
            DateValue::Date(d) => Some(*d),
            DateValue::DateTime(d) | DateValue::Aware(d, _) => Some(d.date()),
            DateValue::Time(_) => None,
        }
    }

    fn time(&self) -> Option<chrono::NaiveTime> {
        match &self.0 {
            DateValue::Date(_) => None,
            DateValue::DateTime(d) | DateValue::Aware(d, _) => Some(d.time()),
            DateValue::Time(t) => Some(*t),
        }
    }

    fn isoformat(&self, sep: char) -> String {
        let iso = crate::utils::dateformat::format(self.0.clone(), "c").unwrap_or_default();
        iso.replacen('T', &sep.to_string(), 1)
    }

    /// Python's `repr()`: `datetime.date(2021, 3, 14)`, trailing zero fields left out.
    fn repr(&self) -> String {
        let mut fields: Vec<i64> = Vec::new();
        let class = match &self.0 {
            DateValue::Date(_) => "date",
            DateValue::Time(_) => "time",
            _ => "datetime",
        };
        if let Some(d) = self.date() {
            fields.extend([
                i64::from(d.year()),
                i64::from(d.month()),
                i64::from(d.day()),
            ]);
        }
        if let Some(t) = self.time() {
            let mut tf = vec![
                i64::from(t.hour()),
                i64::from(t.minute()),
                i64::from(t.second()),
                i64::from(t.nanosecond() / 1000),
            ];
            let keep = if class == "time" { 1 } else { 2 };
            while tf.len() > keep && tf.last() == Some(&0) {
                tf.pop();
            }
            fields.extend(tf);
        }
        let mut s = format!("datetime.{class}(");
        s.push_str(
            &fields
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        );
        if let DateValue::Aware(_, tz) = &self.0 {
            if tz.offset() == 0 && tz.name() == "UTC" {
                s.push_str(", tzinfo=datetime.timezone.utc");
            } else {
                let _ = write!(
                    s,
                    ", tzinfo=datetime.timezone(datetime.timedelta(seconds={}))",
                    tz.offset()
                );
            }
        }
        s.push(')');
        s
    }
}

impl Object for DateObject {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn get_value(self: &Arc<Self>, key: &MjValue) -> Option<MjValue> {
        let (d, t) = (self.date(), self.time());
        Some(MjValue::from(match key.as_str()? {
            "year" => d?.year(),
            "month" => d?.month() as i32,
            "day" => d?.day() as i32,
            "hour" => t?.hour() as i32,
            "minute" => t?.minute() as i32,
            "second" => t?.second() as i32,
            "microsecond" => (t?.nanosecond() / 1000) as i32,
            _ => return None,
        }))
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &mut minijinja::State<'_, '_>,
        method: &str,
        args: &[MjValue],
    ) -> Result<MjValue, minijinja::Error> {
        match method {
            "isoformat" => {
                let sep = args
                    .first()
                    .and_then(|a| a.as_str())
                    .and_then(|s| s.chars().next())
                    .unwrap_or('T');
                Ok(MjValue::from(self.isoformat(sep)))
            }
            "weekday" | "isoweekday" => {
                let d = self.date().ok_or_else(|| {
                    minijinja::Error::new(
                        minijinja::ErrorKind::UnknownMethod,
                        "time has no weekday",
                    )
                })?;
                let n = d.weekday().num_days_from_monday();
                Ok(MjValue::from(if method == "weekday" { n } else { n + 1 }))
            }
            _ => Err(minijinja::Error::from(minijinja::ErrorKind::UnknownMethod)),
        }
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.isoformat(' '))
    }
}

/// The `request` variable: the request's attributes and a few of its methods.
#[derive(Debug)]
pub(crate) struct RequestObject {
    request: Mutex<HttpRequest>,
}

impl RequestObject {
    /// A copy of `request` sharing its head and extensions (the CSRF state among them).
    pub(crate) fn new(request: &HttpRequest) -> Self {
        let mut copy = request.fork();
        *copy.extensions_mut() = request.extensions().clone();
        RequestObject {
            request: Mutex::new(copy),
        }
    }

    /// Runs `f` with the request.
    pub(crate) fn with<T>(&self, f: impl FnOnce(&HttpRequest) -> T) -> T {
        let guard = self.request.lock().unwrap_or_else(|e| e.into_inner());
        f(&guard)
    }
}

impl Object for RequestObject {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn get_value(self: &Arc<Self>, key: &MjValue) -> Option<MjValue> {
        let key = key.as_str()?;
        self.with(|r| {
            Some(match key {
                "method" => MjValue::from(r.method().as_str()),
                "path" => MjValue::from(r.path().into_owned()),
                "path_info" => MjValue::from(r.path_info()),
                "scheme" => MjValue::from(r.scheme()),
                "encoding" => MjValue::from(()),
                "GET" => StrMap::value(
                    r.query()
                        .map(|q| {
                            q.items()
                                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                                .collect()
                        })
                        .unwrap_or_default(),
                    false,
                ),
                "COOKIES" => StrMap::value(
                    r.cookies()
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                    false,
                ),
                "headers" => StrMap::value(
                    r.headers()
                        .iter()
                        .map(|(k, v)| {
                            let v = String::from_utf8_lossy(v.as_bytes()).into_owned();
                            (k.as_str().to_owned(), v)
                        })
                        .collect(),
                    true,
                ),
                _ => return None,
            })
        })
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &mut minijinja::State<'_, '_>,
        method: &str,
        _args: &[MjValue],
    ) -> Result<MjValue, minijinja::Error> {
        self.with(|r| match method {
            "get_full_path" => Ok(MjValue::from(r.get_full_path())),
            "is_secure" => Ok(MjValue::from(r.is_secure())),
            "get_host" => r.get_host().map(MjValue::from).map_err(|e| {
                minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string())
            }),
            "build_absolute_uri" => r.build_absolute_uri(None).map(MjValue::from).map_err(|e| {
                minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string())
            }),
            _ => Err(minijinja::Error::from(minijinja::ErrorKind::UnknownMethod)),
        })
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.with(|r| {
            write!(
                f,
                "<WSGIRequest: {} {}>",
                r.method(),
                nuages_py::repr::str_repr(&r.get_full_path())
            )
        })
    }
}

/// A string-to-string map in the order given, where a repeated key gives its last value
/// (QueryDict's `__getitem__`). `request.headers` is case-insensitive and also answers to
/// `_` for `-` (`request.headers.user_agent`), like Django's `HttpHeaders`.
#[derive(Debug)]
struct StrMap {
    items: Vec<(String, String)>,
    headers: bool,
}

impl StrMap {
    fn value(items: Vec<(String, String)>, headers: bool) -> MjValue {
        MjValue::from_object(StrMap { items, headers })
    }
}

impl Object for StrMap {
    fn get_value(self: &Arc<Self>, key: &MjValue) -> Option<MjValue> {
        let key = key.as_str()?;
        let wanted = if self.headers {
            key.replace('_', "-")
        } else {
            key.to_owned()
        };
        self.items
            .iter()
            .rev()
            .find(|(k, _)| {
                if self.headers {
                    k.eq_ignore_ascii_case(&wanted)
                } else {
                    *k == wanted
                }
            })
            .map(|(_, v)| MjValue::from(v.as_str()))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let mut keys: Vec<MjValue> = Vec::new();
        for (k, _) in &self.items {
            let k = MjValue::from(k.as_str());
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        Enumerator::Values(keys)
    }
}

/// The lazy `csrf_token`: the token is only made (and the cookie only marked as used) when
/// the template prints it.
#[derive(Debug)]
pub(crate) struct CsrfToken(pub(crate) Arc<RequestObject>);

impl Object for CsrfToken {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.with(crate::template::backends::utils::csrf_token))
    }
}

/// The lazy `csrf_input` (safe HTML).
#[derive(Debug)]
pub(crate) struct CsrfInput(pub(crate) Arc<RequestObject>);

impl Object for CsrfInput {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.with(crate::template::backends::utils::csrf_input))
    }
}

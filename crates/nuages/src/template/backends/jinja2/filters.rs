//! The output formatter (Django's escaping), the filters and the `url()`/`static()` globals
//! the Jinja2 backend installs.

use std::sync::Arc;

use minijinja::value::{Kwargs, Rest, Value as MjValue};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State};

use super::values::{from_minijinja, py_str, CsrfInput, DateObject, RequestObject};
use crate::template::backends::{HtmlEscape, UrlReverser};
use crate::template::Value;
use crate::utils::dateformat;
use crate::utils::html::escape_into;

/// HTML-escapes `text` into `out` in `style`.
fn escape_styled(text: &str, style: HtmlEscape, out: &mut String) {
    match style {
        HtmlEscape::Django => escape_into(text, out),
        HtmlEscape::MarkupSafe => {
            for c in text.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&#34;"),
                    '\'' => out.push_str("&#39;"),
                    c => out.push(c),
                }
            }
        }
    }
}

/// Prints a value: safe strings and `csrf_input` as they are, anything else as Python's
/// `str()`, escaped (in `style`) when autoescape is on.
fn format_value(
    out: &mut Output<'_>,
    state: &State<'_, '_>,
    value: &MjValue,
    style: HtmlEscape,
) -> Result<(), Error> {
    if value.is_safe() {
        return out
            .write_str(value.as_str().unwrap_or(""))
            .map_err(Error::from);
    }
    if value.downcast_object_ref::<CsrfInput>().is_some() {
        return out.write_str(&value.to_string()).map_err(Error::from);
    }
    let text = py_str(value);
    if matches!(state.auto_escape(), AutoEscape::None) {
        out.write_str(&text).map_err(Error::from)
    } else {
        let mut escaped = String::with_capacity(text.len() + 8);
        escape_styled(&text, style, &mut escaped);
        out.write_str(&escaped).map_err(Error::from)
    }
}

/// `escape` / `e`: escapes in `style`; a safe value is returned unchanged (markupsafe).
fn escape_filter(value: &MjValue, style: HtmlEscape) -> MjValue {
    if value.is_safe() {
        return value.clone();
    }
    let mut out = String::new();
    escape_styled(&py_str(value), style, &mut out);
    MjValue::from_safe_string(out)
}

/// `safe`: the value's `str()` marked safe.
fn safe_filter(value: MjValue) -> MjValue {
    if value.is_safe() {
        return value;
    }
    MjValue::from_safe_string(py_str(&value))
}

fn date_value(value: &MjValue) -> Option<dateformat::DateValue> {
    value
        .downcast_object_ref::<DateObject>()
        .map(|d| d.0.clone())
}

/// Django's `date` filter: `value|date("Y-m-d")`, `value|date` (DATE_FORMAT); `""` for
/// `None`, `""` and values that are not dates.
fn date_filter(value: MjValue, format: Option<String>) -> Result<String, Error> {
    let Some(d) = date_value(&value) else {
        return Ok(String::new());
    };
    dateformat::date_filter(&d, format.as_deref())
        .map_err(|e| Error::new(ErrorKind::InvalidOperation, e.to_string()))
}

/// Django's `time` filter: `value|time("H:i")`, `value|time` (TIME_FORMAT).
fn time_filter(value: MjValue, format: Option<String>) -> String {
    date_value(&value).map_or_else(String::new, |d| {
        dateformat::time_filter(&d, format.as_deref())
    })
}

/// Installs the formatter, the filters, and the globals.
pub(crate) fn install(
    env: &mut Environment<'static>,
    style: HtmlEscape,
    static_url: Option<String>,
    reverser: Option<Arc<dyn UrlReverser>>,
) {
    env.set_formatter(move |out, state, value| format_value(out, state, value, style));
    env.add_filter("escape", move |v: MjValue| escape_filter(&v, style));
    env.add_filter("e", move |v: MjValue| escape_filter(&v, style));
    env.add_filter("safe", safe_filter);
    env.add_filter("date", date_filter);
    env.add_filter("time", time_filter);
    env.add_function(
        "url",
        move |state: &State<'_, '_>, viewname: String, args: Rest<MjValue>, kwargs: Kwargs| {
            url(state, reverser.as_deref(), &viewname, &args.0, &kwargs)
        },
    );
    env.add_function("static", move |path: String| match &static_url {
        Some(base) => crate::templatetags::static_url(base, &path)
            .map_err(|e| Error::new(ErrorKind::InvalidOperation, e.to_string())),
        None => Err(Error::new(
            ErrorKind::InvalidOperation,
            "static() needs STATIC_URL (EngineOptions::static_url)",
        )),
    });
}

/// `url(viewname, *args, **kwargs)`, also accepting Django's `reverse` keywords
/// `args=[…]` and `kwargs={…}`.
fn url(
    state: &State<'_, '_>,
    reverser: Option<&dyn UrlReverser>,
    viewname: &str,
    args: &[MjValue],
    kwargs: &Kwargs,
) -> Result<String, Error> {
    let mut url_args: Vec<Value> = args.iter().map(from_minijinja).collect();
    let mut url_kwargs: Vec<(String, Value)> = Vec::new();
    for key in kwargs.args() {
        let v: MjValue = kwargs.get(key)?;
        match key {
            "args" => url_args.extend(v.try_iter()?.map(|x| from_minijinja(&x))),
            "kwargs" => {
                for k in v.try_iter()? {
                    let item = v.get_item(&k)?;
                    url_kwargs.push((py_str(&k), from_minijinja(&item)));
                }
            }
            "current_app" | "urlconf" => {}
            other => url_kwargs.push((other.to_owned(), from_minijinja(&v))),
        }
    }
    let request = state
        .lookup("request")
        .and_then(|r| r.downcast_object::<RequestObject>());
    let fail = |e: crate::Error| Error::new(ErrorKind::InvalidOperation, e.to_string());
    match (reverser, &request) {
        (Some(r), Some(req)) => {
            req.with(|req| r.reverse(Some(req), viewname, &url_args, &url_kwargs))
        }
        (Some(r), None) => r.reverse(None, viewname, &url_args, &url_kwargs),
        (None, Some(req)) => {
            req.with(|req| reverse_with_request(req, viewname, &url_args, &url_kwargs))
        }
        (None, None) => Err(crate::Error::msg(
            "url() needs a request (its URLconf) or a UrlReverser in the engine options",
        )),
    }
    .map_err(fail)
}

/// `reverse()` against the request's URLconf and script prefix.
fn reverse_with_request(
    req: &crate::HttpRequest,
    viewname: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
) -> Result<String, crate::Error> {
    let to_url = |v: &Value| match v {
        Value::Int(i) => crate::urls::Value::from(*i),
        Value::Str(s) | Value::Safe(s) => crate::urls::Value::from(s.as_str()),
        other => crate::urls::Value::from(py_str(&super::values::to_minijinja(other))),
    };
    use crate::urls::RequestUrlsExt;
    Ok(req
        .reverse_with(viewname)
        .args(args.iter().map(to_url))
        .kwargs(kwargs.iter().map(|(k, v)| (k.as_str(), to_url(v))))
        .build()?)
}

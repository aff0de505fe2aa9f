//! Golden vectors produced by Django 5.2 (`tests/data/golden/cookies.json`, kinds `set` and
//! `multiple`) checked through the response API: [`HttpResponse::set_cookie`],
//! [`HttpResponse::delete_cookie_with`] and [`HttpResponse::set_signed_cookie`], then the
//! `Set-Cookie` headers of [`HttpResponse::into_http`].
//!
//! The golden file was recorded with the clock frozen at `frozen_epoch`; the response API uses
//! the real clock. So:
//! * an `expires` derived from `max_age` is compared as a placeholder, and checked separately
//!   to be `now + max_age`;
//! * a signed cookie's timestamp and signature (`value:TIMESTAMP:SIGNATURE`) are compared as
//!   placeholders, and the cookie is checked to round-trip through `get_signed_cookie`;
//! * cases whose `Max-Age` itself comes from the clock (a datetime `expires`) are listed in
//!   [`EXCLUDED`]. The cookie module is checked against every case with the frozen clock in
//!   `tests/cookies.rs`.

mod support;

use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, NaiveDateTime, TimeDelta};
use nuages::http::cookie::{Expires, MaxAge, SetCookie};
use nuages::test::RequestFactory;
use nuages::{HttpResponse, Settings};
use regex::Regex;
use serde_json::Value;

/// `set` cases that depend on the clock beyond `expires`, keyed by their `kwargs_iso.expires`:
/// with a datetime `expires`, Django sets `Max-Age = expires - now + 1 s`, which against the
/// real clock is not the recorded value (0 for these 2023 dates).
const EXCLUDED: &[(&str, &str)] = &[
    (
        "2023-11-14T22:15:00",
        "naive datetime expires: Max-Age from the clock",
    ),
    (
        "2023-11-15T22:13:20+00:00",
        "aware datetime expires: Max-Age from the clock",
    ),
    (
        "2023-11-15T05:13:20+05:00",
        "offset datetime expires: Max-Age from the clock",
    ),
    (
        "2023-11-13T22:13:20+00:00",
        "past datetime expires: Max-Age from the clock",
    ),
    (
        "2023-11-14T22:15:00.500000+00:00",
        "datetime expires with microseconds: Max-Age from the clock",
    ),
];

fn as_str<'a>(v: &'a Value, what: &str) -> &'a str {
    v.as_str()
        .unwrap_or_else(|| panic!("{what} should be a string: {v}"))
}

/// Parses `datetime.timedelta(days=10, seconds=1, microseconds=500000)`.
fn parse_timedelta_repr(repr: &str) -> TimeDelta {
    let inner = repr
        .strip_prefix("datetime.timedelta(")
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or_else(|| panic!("not a timedelta repr: {repr}"));
    let mut delta = TimeDelta::zero();
    for part in inner.split(", ").filter(|p| !p.is_empty()) {
        let (unit, n) = part.split_once('=').expect("unit=value");
        let n: i64 = n.parse().expect("integer component");
        delta += match unit {
            "days" => TimeDelta::days(n),
            "seconds" => TimeDelta::seconds(n),
            "microseconds" => TimeDelta::microseconds(n),
            other => panic!("unexpected timedelta unit {other}"),
        };
    }
    delta
}

/// The case's `max_age` keyword argument.
fn max_age_of(v: &Value) -> MaxAge {
    match v {
        Value::String(repr) => MaxAge::Delta(parse_timedelta_repr(repr)),
        number => match number.as_i64() {
            Some(i) => MaxAge::Seconds(i),
            None => MaxAge::Float(number.as_f64().expect("max_age number")),
        },
    }
}

/// Parses the ISO-8601 form of a (naive or aware) datetime.
fn parse_iso(iso: &str) -> Expires {
    match DateTime::parse_from_rfc3339(iso) {
        Ok(aware) => Expires::from(aware),
        Err(_) => Expires::from(
            NaiveDateTime::parse_from_str(iso, "%Y-%m-%dT%H:%M:%S%.f").expect("naive ISO datetime"),
        ),
    }
}

/// Applies the `set_cookie` keyword arguments of a case.
fn apply_kwargs(mut cookie: SetCookie, case: &Value) -> SetCookie {
    let kwargs = case["kwargs"].as_object().expect("kwargs object");
    for (name, value) in kwargs {
        cookie = match name.as_str() {
            "max_age" => cookie.max_age(max_age_of(value)),
            "expires" => match case["kwargs_iso"].get("expires") {
                Some(iso) => cookie.expires(parse_iso(as_str(iso, "kwargs_iso.expires"))),
                None => cookie.expires(as_str(value, "expires")),
            },
            "path" => match value {
                Value::Null => cookie.no_path(),
                path => cookie.path(as_str(path, "path")),
            },
            "domain" => cookie.domain(as_str(value, "domain")),
            "secure" => cookie.secure(value.as_bool().expect("secure bool")),
            "httponly" => cookie.httponly(value.as_bool().expect("httponly bool")),
            "samesite" => cookie.samesite(as_str(value, "samesite")),
            // Consumed by set_signed_cookie.
            "salt" => cookie,
            other => panic!("unexpected kwarg {other}"),
        };
    }
    cookie
}

fn now_secs() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs_f64()
}

/// What of a header depends on the clock, and is replaced by a placeholder.
struct Masks {
    expires: Regex,
    signature: Regex,
}

impl Masks {
    fn new() -> Self {
        Masks {
            expires: Regex::new(
                r"expires=[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT",
            )
            .expect("regex"),
            // TimestampSigner: `:` base62 timestamp `:` base64url SHA-256 (43 characters).
            signature: Regex::new(r":[0-9A-Za-z]{1,11}:[A-Za-z0-9_-]{43}").expect("regex"),
        }
    }

    fn apply(&self, s: &str, expires: bool, signature: bool) -> String {
        let mut out = s.to_owned();
        if expires {
            out = self
                .expires
                .replace(&out, "expires=<now + max_age>")
                .into_owned();
        }
        if signature {
            out = self
                .signature
                .replace(&out, ":<timestamp>:<signature>")
                .into_owned();
        }
        out
    }
}

/// Checks that the header's `expires` is `now + max_age` (to the second, for a clock read
/// between `before` and `after`).
fn check_expires(label: &str, header: &str, max_age: f64, before: f64, after: f64) {
    let date = header
        .split("; ")
        .find_map(|a| a.strip_prefix("expires="))
        .unwrap_or_else(|| panic!("{label}: no expires in {header}"));
    let at = nuages::utils::http::parse_http_date(date)
        .unwrap_or_else(|e| panic!("{label}: bad expires {date:?}: {e}")) as f64;
    assert!(
        (before + max_age).floor() <= at && at <= (after + max_age).floor(),
        "{label}: expires {date} is not now + {max_age}s"
    );
}

/// What Django leaves in `response.cookies` after a failed `set_cookie` (not recorded in the
/// golden file; checked with Django 5.2): `self.cookies[key] = value` runs first, so a refused
/// name leaves nothing, while a later `ValueError` leaves the morsel with the attributes set
/// before the error.
fn left_after_error(label: &str, error: &Value) -> Vec<String> {
    let message = as_str(&error["message"], "message");
    match as_str(&error["exception"], "exception") {
        "CookieError" => vec![],
        "ValueError" if message == "'expires' and 'max_age' can't be used together." => {
            vec!["name=value".to_owned()]
        }
        "ValueError" if message.starts_with("samesite must be") => {
            vec!["name=value; Path=/".to_owned()]
        }
        other => panic!("{label}: unexpected error {other}: {message}"),
    }
}

fn check_set_case(index: usize, case: &Value, settings: &Settings, masks: &Masks) {
    let method = as_str(&case["method"], "method");
    let args: Vec<&str> = case["args"]
        .as_array()
        .expect("args array")
        .iter()
        .map(|a| as_str(a, "arg"))
        .collect();
    let label = format!("set #{index}: {method}{:?} {}", args, case["kwargs"]);
    let name = args[0];
    let kwargs = &case["kwargs"];
    let str_kwarg = |k: &str| kwargs.get(k).and_then(Value::as_str);

    let mut response = HttpResponse::empty();
    let before = now_secs();
    let result = match method {
        "set_cookie" => response.set_cookie(apply_kwargs(
            SetCookie::new(name, args.get(1).copied().unwrap_or("")),
            case,
        )),
        "delete_cookie" => response.delete_cookie_with(
            name,
            Some(str_kwarg("path").unwrap_or("/")),
            str_kwarg("domain"),
            str_kwarg("samesite"),
        ),
        "set_signed_cookie" => response.set_signed_cookie(
            settings,
            apply_kwargs(SetCookie::new(name, args[1]), case),
            str_kwarg("salt").unwrap_or(""),
        ),
        other => panic!("{label}: unknown method {other}"),
    };
    let after = now_secs();

    if let Some(error) = case.get("error") {
        let err = result.expect_err(&label);
        assert_eq!(
            err.python_exception(),
            as_str(&error["exception"], "exception"),
            "{label}: exception"
        );
        assert_eq!(
            err.to_string(),
            as_str(&error["message"], "message"),
            "{label}: message"
        );
        let left: Vec<String> = response
            .into_http()
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| String::from_utf8(v.as_bytes().to_vec()).expect("UTF-8"))
            .collect();
        assert_eq!(
            left,
            left_after_error(&label, error),
            "{label}: Set-Cookie left after the error"
        );
        return;
    }
    result.unwrap_or_else(|e| panic!("{label}: unexpected error {e}"));

    // The clock-dependent parts.
    let max_age = kwargs.get("max_age").map(max_age_of);
    let expires_from_clock = max_age.is_some() && kwargs.get("expires").is_none();
    let signed = method == "set_signed_cookie";

    let morsel = response
        .cookies()
        .get(name)
        .unwrap_or_else(|| panic!("{label}: no cookie {name:?}"))
        .clone();
    assert_eq!(
        masks.apply(morsel.value(), false, signed),
        masks.apply(as_str(&case["morsel_value"], "value"), false, signed),
        "{label}: morsel value"
    );
    assert_eq!(
        masks.apply(morsel.coded_value(), false, signed),
        masks.apply(as_str(&case["morsel_coded_value"], "coded"), false, signed),
        "{label}: morsel coded value"
    );

    // One Set-Cookie header, Django's Morsel.OutputString() (raw UTF-8 above U+00FF).
    let http = response.into_http();
    let headers: Vec<String> = http
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| String::from_utf8(v.as_bytes().to_vec()).expect("UTF-8 Set-Cookie"))
        .collect();
    let [header] = headers.as_slice() else {
        panic!("{label}: expected one Set-Cookie header, got {headers:?}");
    };
    let expected = masks.apply(
        as_str(&case["set_cookie_header_value"], "header"),
        expires_from_clock,
        signed,
    );
    assert_eq!(
        expected.contains("expires=<now + max_age>"),
        expires_from_clock,
        "{label}: expires placeholder"
    );
    assert_eq!(
        expected.contains(":<timestamp>:<signature>"),
        signed,
        "{label}: signature placeholder"
    );
    assert_eq!(
        masks.apply(header, expires_from_clock, signed),
        expected,
        "{label}: Set-Cookie"
    );
    if expires_from_clock {
        let max_age = max_age.expect("max_age").as_secs_f64();
        check_expires(&label, header, max_age, before, after);
    }
    if signed {
        // The value is the original one, signed: it round-trips through get_signed_cookie
        // when the client sends it back.
        let expected = as_str(&case["get_signed_cookie"], "get_signed_cookie");
        let request = RequestFactory::with_settings(settings.clone())
            .get("/")
            .header("Cookie", &format!("{name}={}", morsel.coded_value()))
            .build();
        let salt = str_kwarg("salt").unwrap_or("");
        assert_eq!(
            request
                .get_signed_cookie(name, salt, None)
                .unwrap_or_else(|e| panic!("{label}: get_signed_cookie: {e}")),
            Some(expected.to_owned()),
            "{label}: get_signed_cookie"
        );
    }
}

#[test]
fn set_cookie_through_the_response() {
    let golden = support::golden("cookies.json");
    let secret = as_str(&golden["secret_key"], "secret_key");
    let settings = Settings {
        secret_key: secret.to_owned(),
        allowed_hosts: vec!["testserver".into()],
        ..Settings::default()
    };
    let masks = Masks::new();
    let mut checked = 0;
    let mut excluded = Vec::new();
    for (index, case) in golden["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .enumerate()
    {
        if case["kind"] != "set" {
            continue;
        }
        let iso = case["kwargs_iso"].get("expires").and_then(Value::as_str);
        if case.get("error").is_none() {
            if let Some(iso) = iso {
                let listed = EXCLUDED.iter().any(|(k, _)| *k == iso);
                assert!(
                    listed,
                    "set #{index}: datetime expires {iso} not in EXCLUDED"
                );
                excluded.push(iso);
                continue;
            }
        }
        check_set_case(index, case, &settings, &masks);
        checked += 1;
    }
    assert_eq!(checked, 54, "set cases checked");
    assert_eq!(excluded.len(), EXCLUDED.len(), "every exclusion used once");
}

#[test]
fn multiple_cookies_through_the_response() {
    let golden = support::golden("cookies.json");
    let cases: Vec<&Value> = golden["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .filter(|c| c["kind"] == "multiple")
        .collect();
    assert_eq!(cases.len(), 1);
    let case = cases[0];
    let calls: Vec<&str> = case["calls"]
        .as_array()
        .expect("calls")
        .iter()
        .map(|c| as_str(c, "call"))
        .collect();
    assert_eq!(
        calls,
        [
            "set_cookie('a','1')",
            "set_cookie('b','2',httponly=True)",
            "set_cookie('a','3')"
        ],
        "multiple: the calls replayed below no longer match the golden file"
    );
    let mut response = HttpResponse::new("");
    response.set_cookie(SetCookie::new("a", "1")).expect("a=1");
    response
        .set_cookie(SetCookie::new("b", "2").httponly(true))
        .expect("b=2");
    response.set_cookie(SetCookie::new("a", "3")).expect("a=3");
    let http = response.into_http();
    let headers: Vec<&str> = http
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("ASCII"))
        .collect();
    let expected: Vec<&str> = case["set_cookie_headers"]
        .as_array()
        .expect("headers")
        .iter()
        .map(|h| as_str(h, "header"))
        .collect();
    assert_eq!(headers, expected, "multiple: Set-Cookie headers, in order");
}

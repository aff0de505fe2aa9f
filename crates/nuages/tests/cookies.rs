//! Golden tests for cookies (tests/data/golden/cookies.json, produced by
//! Django 5.2 with the clock frozen at `frozen_epoch`): `set_cookie`,
//! `delete_cookie`, `set_signed_cookie`/`get_signed_cookie`, several
//! cookies on one response, and `parse_cookie`.

mod support;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use nuages::http::cookie::{parse_cookie, Expires, MaxAge, SetCookie, SimpleCookie};
use nuages::signing::{sign_cookie_at, unsign_cookie};
use serde_json::Value;

fn at(epoch: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(epoch, 0).expect("epoch in range")
}

fn as_str<'a>(v: &'a Value, what: &str) -> &'a str {
    v.as_str()
        .unwrap_or_else(|| panic!("{what} should be a string: {v}"))
}

/// A JSON number as Python's int or float.
fn max_age_number(v: &Value) -> MaxAge {
    match v.as_i64() {
        Some(i) => MaxAge::Seconds(i),
        None => MaxAge::Float(v.as_f64().expect("max_age number")),
    }
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

/// Parses the ISO-8601 form of a (naive or aware) datetime.
fn parse_iso(iso: &str) -> Expires {
    match DateTime::parse_from_rfc3339(iso) {
        Ok(aware) => Expires::from(aware),
        Err(_) => Expires::from(
            NaiveDateTime::parse_from_str(iso, "%Y-%m-%dT%H:%M:%S%.f").expect("naive ISO datetime"),
        ),
    }
}

/// Applies the `set_cookie` keyword arguments of a golden case.
fn apply_kwargs(mut cookie: SetCookie, case: &Value) -> SetCookie {
    let kwargs = case["kwargs"].as_object().expect("kwargs object");
    for (name, value) in kwargs {
        cookie = match name.as_str() {
            "max_age" => match value {
                Value::String(repr) => cookie.max_age(parse_timedelta_repr(repr)),
                number => cookie.max_age(max_age_number(number)),
            },
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

fn check_set_case(index: usize, case: &Value, secret: &str, now: DateTime<Utc>) {
    let method = as_str(&case["method"], "method");
    let args: Vec<&str> = case["args"]
        .as_array()
        .expect("args array")
        .iter()
        .map(|a| as_str(a, "arg"))
        .collect();
    let label = format!("case #{index}: {method}{:?} {}", args, case["kwargs"]);
    let name = args[0];
    let kwargs = &case["kwargs"];
    let str_kwarg = |k: &str| kwargs.get(k).and_then(Value::as_str);
    let cookie = match method {
        "set_cookie" => apply_kwargs(
            SetCookie::new(name, args.get(1).copied().unwrap_or("")),
            case,
        ),
        "delete_cookie" => SetCookie::delete(
            name,
            Some(str_kwarg("path").unwrap_or("/")),
            str_kwarg("domain"),
            str_kwarg("samesite"),
        ),
        "set_signed_cookie" => {
            let salt = str_kwarg("salt").unwrap_or("");
            let signed = sign_cookie_at(name, args[1], salt, secret, now);
            apply_kwargs(SetCookie::new(name, signed), case)
        }
        other => panic!("{label}: unknown method {other}"),
    };

    // The standalone builder and the response jar must agree.
    let built = cookie.clone().build_at(now);
    let mut jar = SimpleCookie::new();
    let result = jar.set_cookie_at(cookie, now).cloned();
    assert_eq!(built, result, "{label}: build_at and SimpleCookie disagree");

    if let Some(error) = case.get("error") {
        let err = result.expect_err(&label);
        assert_eq!(
            err.python_exception(),
            as_str(&error["exception"], "exception"),
            "{label}"
        );
        assert_eq!(
            err.to_string(),
            as_str(&error["message"], "message"),
            "{label}"
        );
        return;
    }
    let morsel = result.unwrap_or_else(|e| panic!("{label}: unexpected error {e}"));
    assert_eq!(
        morsel.header_value(),
        as_str(&case["set_cookie_header_value"], "header"),
        "{label}: header value"
    );
    assert_eq!(
        morsel.value(),
        as_str(&case["morsel_value"], "value"),
        "{label}: value"
    );
    assert_eq!(
        morsel.coded_value(),
        as_str(&case["morsel_coded_value"], "coded"),
        "{label}: coded value"
    );
    // The header must be sendable as-is (raw UTF-8 above U+00FF).
    assert!(
        http::HeaderValue::from_bytes(morsel.header_value().as_bytes()).is_ok(),
        "{label}: not a valid header value"
    );
    if let Some(expected) = case.get("get_signed_cookie") {
        let salt = str_kwarg("salt").unwrap_or("");
        let none: &[&str] = &[];
        let value = unsign_cookie(name, morsel.value(), salt, None, secret, none, now)
            .unwrap_or_else(|e| panic!("{label}: get_signed_cookie failed: {e}"));
        assert_eq!(
            value,
            as_str(expected, "get_signed_cookie"),
            "{label}: get_signed_cookie"
        );
    }
}

fn check_multiple(case: &Value, now: DateTime<Utc>) {
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
    let mut jar = SimpleCookie::new();
    for cookie in [
        SetCookie::new("a", "1"),
        SetCookie::new("b", "2").httponly(true),
        SetCookie::new("a", "3"),
    ] {
        jar.set_cookie_at(cookie, now).expect("valid cookie");
    }
    let headers: Vec<String> = jar.iter().map(|m| m.header_value()).collect();
    let expected: Vec<&str> = case["set_cookie_headers"]
        .as_array()
        .expect("headers")
        .iter()
        .map(|h| as_str(h, "header"))
        .collect();
    assert_eq!(headers, expected, "multiple: Set-Cookie headers");
}

fn check_get_signed_cookie(index: usize, case: &Value, secret: &str) {
    let label = format!("case #{index}: get_signed_cookie {}", case["kwargs"]);
    let kwargs = &case["kwargs"];
    let salt = kwargs.get("salt").and_then(Value::as_str).unwrap_or("");
    let max_age = kwargs.get("max_age").map(max_age_number);
    let default = kwargs.get("default").and_then(Value::as_str);
    let now = at(case["now"].as_i64().expect("now"));
    let signed = as_str(&case["cookie_value"], "cookie_value");
    let none: &[&str] = &[];
    let result = match (
        unsign_cookie("c", signed, salt, max_age, secret, none, now),
        default,
    ) {
        (Err(e), Some(default)) if e.is_bad_signature() => Ok(default),
        (other, _) => other,
    };
    match case.get("error") {
        Some(error) => {
            let err = result.expect_err(&label);
            assert_eq!(
                err.python_exception(),
                as_str(&error["exception"], "exception"),
                "{label}"
            );
            assert_eq!(
                err.to_string(),
                as_str(&error["message"], "message"),
                "{label}"
            );
        }
        None => assert_eq!(
            result.unwrap_or_else(|e| panic!("{label}: {e}")),
            as_str(&case["result"], "result"),
            "{label}"
        ),
    }
}

fn check_parse_cookie(index: usize, case: &Value) {
    let header = as_str(&case["header"], "header");
    let parsed: Vec<(String, String)> = parse_cookie(header).into_iter().collect();
    let expected: Vec<(String, String)> = case["result"]
        .as_object()
        .expect("result object")
        .iter()
        .map(|(k, v)| (k.clone(), as_str(v, "value").to_owned()))
        .collect();
    assert_eq!(parsed, expected, "case #{index}: parse_cookie({header:?})");
}

#[test]
fn golden_cookies() {
    let golden = support::golden("cookies.json");
    let secret = as_str(&golden["secret_key"], "secret_key");
    let now = at(golden["frozen_epoch"].as_i64().expect("frozen_epoch"));
    assert_eq!(golden["frozen_http_date"], "Tue, 14 Nov 2023 22:13:20 GMT");
    let cases = golden["cases"].as_array().expect("cases");
    let mut checked: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, case) in cases.iter().enumerate() {
        let kind = as_str(&case["kind"], "kind");
        match kind {
            "set" => check_set_case(index, case, secret, now),
            "multiple" => check_multiple(case, now),
            "get_signed_cookie" => check_get_signed_cookie(index, case, secret),
            "parse_cookie" => check_parse_cookie(index, case),
            other => panic!("case #{index}: unknown kind {other}"),
        }
        *checked.entry(kind).or_default() += 1;
    }
    assert_eq!(
        checked.values().sum::<usize>(),
        cases.len(),
        "every case checked"
    );
    assert_eq!(checked["set"], 59);
    assert_eq!(checked["parse_cookie"], 30);
    assert_eq!(checked["get_signed_cookie"], 4);
    assert_eq!(checked["multiple"], 1);
}

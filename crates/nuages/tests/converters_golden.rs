//! Golden vectors produced by Django 5.2 (`tests/data/golden/converters.json`): every `resolve`,
//! `reverse` and `reverse_query` case, against the URLconf of the generator's `golden_urls`
//! module (including its custom `yyyy` converter).

mod support;

use nuages::urls::converters::Value;
use nuages::urls::Urls;
use nuages::views::ViewFn;
use serde_json::Value as Json;

/// A golden value (`"str"`, `{"type": "int"|"uuid", "value": …}`) as a `Value`.
fn value(j: &Json, case: &str) -> Value {
    match j {
        Json::String(s) => Value::Str(s.clone()),
        Json::Object(o) => match o.get("type").and_then(Json::as_str) {
            Some("int") => match o["value"].as_i64() {
                Some(n) => Value::Int(n),
                // Beyond i64 serde_json reads the number as a float: the exact digits are the
                // run of digits in the case's path whose float value it is.
                None => {
                    let approx = o["value"].as_f64().expect("a number");
                    let digits = case
                        .split(|c: char| !c.is_ascii_digit())
                        .find(|run| run.len() > 18 && run.parse::<f64>().ok() == Some(approx))
                        .unwrap_or_else(|| panic!("{case}: no digits for {approx}"));
                    Value::BigInt(digits.trim_start_matches('0').to_owned())
                }
            },
            Some("uuid") => Value::Uuid(
                o["value"]
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| panic!("{case}: bad uuid")),
            ),
            other => panic!("{case}: unknown value type {other:?}"),
        },
        other => panic!("{case}: unexpected value {other}"),
    }
}

fn string(j: &Json) -> String {
    j.as_str().unwrap_or_default().to_owned()
}

fn check_resolve(urls: &Urls, case: &Json) {
    let p = case["path"].as_str().expect("path");
    let name = format!("resolve {p:?}");
    let result = urls.resolve(p);
    if !case["match"].as_bool().expect("match") {
        assert!(result.is_err(), "{name}: expected no match, got {result:?}");
        return;
    }
    let m = result.unwrap_or_else(|e| panic!("{name}: expected a match, got {e:?}"));
    assert_eq!(m.url_name(), case["url_name"].as_str(), "{name}: url_name");
    assert_eq!(
        m.view_name(),
        string(&case["view_name"]),
        "{name}: view_name"
    );
    assert_eq!(
        m.namespace(),
        string(&case["namespace"]),
        "{name}: namespace"
    );
    assert_eq!(m.app_name(), string(&case["app_name"]), "{name}: app_name");
    assert_eq!(m.route(), string(&case["route"]), "{name}: route");
    let args: Vec<Value> = case["args"]
        .as_array()
        .expect("args")
        .iter()
        .map(|a| value(a, &name))
        .collect();
    let got_args: Vec<Value> = m.args.iter().map(|a| Value::Str(a.clone())).collect();
    assert_eq!(got_args, args, "{name}: args");
    let kwargs: Vec<(String, Value)> = case["kwargs"]
        .as_object()
        .expect("kwargs")
        .iter()
        .map(|(k, v)| (k.clone(), value(v, &name)))
        .collect();
    let got: Vec<(String, Value)> = m
        .kwargs
        .iter()
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect();
    assert_eq!(got, kwargs, "{name}: kwargs (values and order)");
}

fn call_args(case: &Json, name: &str) -> (Vec<Value>, Vec<(String, Value)>) {
    let args = case["args"]
        .as_array()
        .map(|a| a.iter().map(|v| value(v, name)).collect())
        .unwrap_or_default();
    let kwargs = case["kwargs"]
        .as_object()
        .expect("kwargs")
        .iter()
        .map(|(k, v)| (k.clone(), value(v, name)))
        .collect();
    (args, kwargs)
}

fn check_reverse(urls: &Urls, case: &Json) {
    let view = case["name"].as_str().expect("name");
    let name = format!(
        "reverse {view:?} args={} kwargs={}",
        case["args"], case["kwargs"]
    );
    let (args, kwargs) = call_args(case, &name);
    let kwargs: Vec<(&str, Value)> = kwargs
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    let result = urls
        .reverse_with(view)
        .args(args.iter().cloned())
        .kwargs(kwargs.iter().map(|(k, v)| (*k, v.clone())))
        .build();
    if let Some(expected) = case.get("result") {
        assert_eq!(
            result.as_deref().ok(),
            expected.as_str(),
            "{name}: {result:?}"
        );
    } else {
        let error = &case["error"];
        assert_eq!(error["exception"], "NoReverseMatch", "{name}");
        let err = result.expect_err(&name);
        assert_eq!(
            err.message(),
            error["message"].as_str().unwrap(),
            "{name}: message"
        );
    }
}

fn check_reverse_query(urls: &Urls, case: &Json) {
    let view = case["name"].as_str().expect("name");
    let name = format!(
        "reverse_query {view:?} kwargs={} query={} fragment={}",
        case["kwargs"], case["query"], case["fragment"]
    );
    let (_, kwargs) = call_args(case, &name);
    let mut r = urls.reverse_with(view);
    for (k, v) in &kwargs {
        r = r.kwarg(k, v.clone());
    }
    if let Some(q) = case["query"].as_object() {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (k, v) in q {
            match v {
                Json::Array(items) => {
                    pairs.extend(items.iter().map(|i| (k.clone(), string(i))));
                }
                v => pairs.push((k.clone(), string(v))),
            }
        }
        r = r.query(pairs);
    }
    if let Some(f) = case["fragment"].as_str() {
        r = r.fragment(f);
    }
    let url = r.build().unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(url, case["result"].as_str().expect("result"), "{name}");
}

#[test]
fn golden_converters() {
    let golden = support::golden("converters.json");
    let urls = support::urls::golden_urls(ViewFn::named("golden_urls.v"));
    let cases = golden["cases"].as_array().expect("cases");
    let mut counts = (0, 0, 0);
    for case in cases {
        match case["kind"].as_str() {
            Some("resolve") => {
                check_resolve(&urls, case);
                counts.0 += 1;
            }
            Some("reverse") => {
                check_reverse(&urls, case);
                counts.1 += 1;
            }
            Some("reverse_query") => {
                check_reverse_query(&urls, case);
                counts.2 += 1;
            }
            other => panic!("unknown case kind {other:?}"),
        }
    }
    assert_eq!(counts.0 + counts.1 + counts.2, cases.len());
    assert!(
        counts.0 > 40 && counts.1 > 40 && counts.2 == 3,
        "{counts:?}"
    );
}

#[test]
fn golden_converter_regexes() {
    use nuages::urls::converters::ConverterRegistry;
    let golden = support::golden("converters.json");
    let mut registry = ConverterRegistry::new();
    registry
        .register("yyyy", support::urls::FourDigitYear)
        .unwrap();
    for (name, info) in golden["converters"].as_object().expect("converters") {
        let conv = registry
            .get(name)
            .unwrap_or_else(|| panic!("converter {name} missing"));
        assert_eq!(
            conv.regex(),
            info["regex"].as_str().unwrap(),
            "converter {name}"
        );
    }
}

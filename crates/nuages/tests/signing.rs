//! Golden tests for `django.core.signing` (tests/data/golden/signing.json,
//! produced by Django 5.2 with the clock frozen where time matters).

mod support;

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use nuages::signing::{
    b62_decode, b62_encode, cookie_signer_salt, dumps_at, get_cookie_signer, loads_at,
    unsign_cookie, Algorithm, JsonSerializer, MaxAge, Signer, SigningError, TimestampSigner,
    DEFAULT_DUMPS_SALT,
};
use serde_json::Value;

const NO_KEYS: &[&str] = &[];

fn at(epoch: &Value) -> DateTime<Utc> {
    DateTime::from_timestamp(epoch.as_i64().expect("epoch"), 0).expect("epoch in range")
}

fn s<'a>(v: &'a Value, what: &str) -> &'a str {
    v.as_str()
        .unwrap_or_else(|| panic!("{what} should be a string: {v}"))
}

fn opt_str(v: &Value) -> Option<&str> {
    v.as_str()
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|k| s(k, "string"))
        .collect()
}

/// Compares an error with the golden `{"exception", "message"}`.
fn check_error(err: &SigningError, expected: &Value, label: &str) {
    assert_eq!(
        err.python_exception(),
        s(&expected["exception"], "exception"),
        "{label}"
    );
    assert_eq!(
        err.to_string(),
        s(&expected["message"], "message"),
        "{label}"
    );
}

fn signer(key: &str, salt: Option<&str>, sep: &str, algorithm: Option<&str>) -> Signer {
    let mut builder = Signer::builder(key).sep(sep);
    if let Some(salt) = salt {
        builder = builder.salt(salt);
    }
    if let Some(name) = algorithm {
        builder = builder.algorithm(name.parse::<Algorithm>().expect("known algorithm"));
    }
    builder.build().expect("valid separator")
}

fn check_sign(label: &str, case: &Value) {
    let signer = signer(
        s(&case["key"], "key"),
        opt_str(&case["salt"]),
        s(&case["sep"], "sep"),
        opt_str(&case["algorithm"]),
    );
    let value = s(&case["value"], "value");
    assert_eq!(
        signer.salt(),
        s(&case["effective_salt"], "salt"),
        "{label}: salt"
    );
    assert_eq!(
        signer.algorithm().name(),
        s(&case["effective_algorithm"], "algorithm"),
        "{label}: algorithm"
    );
    assert_eq!(
        signer.signature(value),
        s(&case["signature"], "signature"),
        "{label}"
    );
    let signed = signer.sign(value);
    assert_eq!(signed, s(&case["signed"], "signed"), "{label}: sign");
    assert_eq!(
        signer.unsign(&signed).ok(),
        Some(s(&case["unsign"], "unsign")),
        "{label}"
    );
}

fn check_unsign(label: &str, case: &Value) {
    let signer = Signer::new(s(&case["key"], "key"));
    let input = s(&case["input"], "input");
    match case.get("error") {
        Some(error) => check_error(&signer.unsign(input).expect_err(label), error, label),
        None => assert_eq!(
            signer.unsign(input).ok(),
            Some(s(&case["result"], "result")),
            "{label}"
        ),
    }
}

fn check_sep(label: &str, case: &Value) {
    let result = Signer::builder("k").sep(s(&case["sep"], "sep")).build();
    if case["allowed"].as_bool().expect("allowed") {
        assert!(result.is_ok(), "{label}: should be allowed");
    } else {
        check_error(&result.expect_err(label), &case["error"], label);
    }
}

fn check_fallback(label: &str, case: &Value) {
    let signed = s(&case["signed"], "signed");
    assert_eq!(
        Signer::new(s(&case["signed_with_key"], "key")).sign("rotate-me"),
        signed,
        "{label}: sign"
    );
    let signer = Signer::builder(s(&case["unsign_key"], "key"))
        .fallback_keys(strings(&case["fallback_keys"]))
        .build()
        .expect("default separator");
    match case.get("error") {
        Some(error) => check_error(&signer.unsign(signed).expect_err(label), error, label),
        None => assert_eq!(
            signer.unsign(signed).ok(),
            Some(s(&case["result"], "result")),
            "{label}"
        ),
    }
}

fn check_b62(label: &str, case: &Value) {
    let n = case["int"].as_i64().expect("int");
    let encoded = b62_encode(n);
    assert_eq!(encoded, s(&case["encoded"], "encoded"), "{label}");
    assert_eq!(
        b62_decode(&encoded).ok(),
        case["roundtrip"].as_i64(),
        "{label}: roundtrip"
    );
}

fn check_timestamp_sign(label: &str, case: &Value) {
    let now = at(&case["frozen_epoch"]);
    let mut builder = Signer::builder(s(&case["key"], "key"));
    if let Some(salt) = opt_str(&case["salt"]) {
        builder = builder.salt(salt);
    }
    let ts = builder.build_timestamp().expect("default separator");
    assert_eq!(
        ts.signer().salt(),
        s(&case["effective_salt"], "salt"),
        "{label}: salt"
    );
    assert_eq!(
        TimestampSigner::timestamp_at(now),
        s(&case["timestamp_b62"], "ts"),
        "{label}"
    );
    let signed = ts.sign_at(s(&case["value"], "value"), now);
    assert_eq!(signed, s(&case["signed"], "signed"), "{label}: sign");
    assert_eq!(
        ts.unsign_at(&signed, None, now).ok(),
        Some(s(&case["unsign"], "unsign")),
        "{label}"
    );
}

fn check_unsign_max_age(label: &str, case: &Value, key: &str) {
    let ts = TimestampSigner::new(key);
    let signed = s(&case["signed"], "signed");
    assert_eq!(
        ts.sign_at("hello", at(&case["signed_at_epoch"])),
        signed,
        "{label}: sign"
    );
    let max_age = match &case["max_age"] {
        Value::Null => None,
        v if case["max_age_is_timedelta"].as_bool().expect("flag") => {
            let secs = v.as_f64().expect("seconds");
            assert_eq!(
                secs.fract(),
                0.0,
                "{label}: whole-second timedelta expected"
            );
            #[allow(clippy::cast_possible_truncation)]
            Some(MaxAge::from(TimeDelta::seconds(secs as i64)))
        }
        v => Some(MaxAge::Seconds(v.as_i64().expect("int max_age"))),
    };
    let result = ts.unsign_at(signed, max_age, at(&case["now_epoch"]));
    match case.get("error") {
        Some(error) => check_error(&result.expect_err(label), error, label),
        None => assert_eq!(result.ok(), Some(s(&case["result"], "result")), "{label}"),
    }
}

fn check_dumps(label: &str, case: &Value, key: &str) {
    let now = at(&case["frozen_epoch"]);
    let obj = &case["obj"];
    let salt = s(&case["salt"], "salt");
    let compress = case["compress"].as_bool().expect("compress");
    let json = JsonSerializer::dumps(obj).expect("serializable");
    assert_eq!(
        String::from_utf8(json).ok().as_deref(),
        Some(s(&case["serialized_json"], "json")),
        "{label}: serialized JSON"
    );
    let out = dumps_at(obj, key, salt, compress, now).expect("dumps");
    assert_eq!(out, s(&case["output"], "output"), "{label}: dumps");
    assert_eq!(
        out.starts_with('.'),
        case["payload_is_compressed"].as_bool().expect("flag"),
        "{label}: compression flag"
    );
    let back: Value = loads_at(&out, key, salt, None, NO_KEYS, now).expect("loads");
    assert_eq!(back, case["loads"], "{label}: loads");
}

fn check_sign_object(label: &str, case: &Value, key: &str) {
    let signer = Signer::new(key);
    let obj = &case["obj"];
    for (compress, field) in [(false, "output"), (true, "output_compressed")] {
        let out = signer.sign_object(obj, compress).expect("serializable");
        assert_eq!(out, s(&case[field], field), "{label}: {field}");
        let back: Value = signer.unsign_object(&out).expect("unsign_object");
        assert_eq!(&back, obj, "{label}: unsign_object ({field})");
    }
}

fn check_loads(label: &str, case: &Value, key: &str, frozen: DateTime<Utc>) {
    let now = case.get("now_epoch").map_or(frozen, at);
    let max_age = case
        .get("max_age")
        .and_then(Value::as_i64)
        .map(MaxAge::Seconds);
    let input = s(&case["input"], "input");
    let result = loads_at::<Value, _>(input, key, s(&case["salt"], "salt"), max_age, NO_KEYS, now);
    match case.get("error") {
        Some(error) => check_error(&result.expect_err(label), error, label),
        None => assert_eq!(result.ok().as_ref(), Some(&case["result"]), "{label}"),
    }
}

fn check_cookie_signer(label: &str, case: &Value, key: &str, now: DateTime<Utc>) {
    let name = s(&case["cookie_name"], "name");
    let salt = s(&case["salt"], "salt");
    let signer_salt = s(&case["signer_salt"], "signer_salt");
    let legacy = case["kind"] == "cookie_signer_legacy";
    if !legacy {
        assert_eq!(cookie_signer_salt(name, salt), signer_salt, "{label}: salt");
    }
    assert_eq!(
        s(&case["signer_key"], "signer_key"),
        format!("django.http.cookies{key}"),
        "{label}: key"
    );
    let signer = get_cookie_signer(key, NO_KEYS, signer_salt);
    let signed = signer.sign_at(s(&case["value"], "value"), now);
    assert_eq!(signed, s(&case["signed"], "signed"), "{label}: sign");
    if legacy {
        let value = unsign_cookie(name, &signed, salt, None, key, NO_KEYS, now);
        assert_eq!(
            value.ok(),
            Some(s(&case["unsign_via_request_api"], "unsign")),
            "{label}"
        );
    }
}

/// Session encodings are `dumps(..., compress=True)` with the backend's salt.
fn check_session(label: &str, case: &Value, key: &str, frozen: DateTime<Utc>) {
    match s(&case["kind"], "kind") {
        "session.db.encode" => {
            let salt = s(&case["key_salt"], "key_salt");
            let now = at(&case["frozen_epoch"]);
            let data = &case["session_dict"];
            let encoded = dumps_at(data, key, salt, true, now).expect("dumps");
            assert_eq!(encoded, s(&case["session_data"], "session_data"), "{label}");
            let back: Value = loads_at(&encoded, key, salt, None, NO_KEYS, now).expect("loads");
            assert_eq!(back, case["decode"], "{label}: decode");
        }
        "session.db.decode_garbage" => {
            // SessionBase.decode() returns {} whenever loads() fails.
            let salt = "django.contrib.sessions.SessionStore";
            let garbage = s(&case["session_data"], "session_data");
            let decoded = loads_at::<Value, _>(garbage, key, salt, None, NO_KEYS, frozen)
                .unwrap_or_else(|_| Value::Object(serde_json::Map::new()));
            assert_eq!(decoded, case["decode"], "{label}");
        }
        _ => {
            let salt = s(&case["salt"], "salt");
            let now = at(&case["frozen_epoch"]);
            let encoded = dumps_at(&case["session_dict"], key, salt, true, now).expect("dumps");
            assert_eq!(encoded, s(&case["cookie_value"], "cookie_value"), "{label}");
            let back: Value = loads_at(&encoded, key, salt, None, NO_KEYS, now).expect("loads");
            assert_eq!(back, case["loads"], "{label}: loads");
        }
    }
}

#[test]
fn golden_signing() {
    let golden = support::golden("signing.json");
    let key = s(&golden["secret_key"], "secret_key");
    let frozen = at(&golden["frozen_epoch"]);
    let cases = golden["cases"].as_array().expect("cases");
    let mut checked: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, case) in cases.iter().enumerate() {
        let kind = s(&case["kind"], "kind");
        let label = format!("case #{index} ({kind})");
        match kind {
            "Signer.sign" => check_sign(&label, case),
            "Signer.unsign" => check_unsign(&label, case),
            "Signer.sep_check" => check_sep(&label, case),
            "Signer.fallback" => check_fallback(&label, case),
            "b62_encode" => check_b62(&label, case),
            "TimestampSigner.sign" => check_timestamp_sign(&label, case),
            "TimestampSigner.unsign_max_age" => check_unsign_max_age(&label, case, key),
            "dumps" => check_dumps(&label, case, key),
            "Signer.sign_object" => check_sign_object(&label, case, key),
            "loads" => check_loads(&label, case, key, frozen),
            "cookie_signer" | "cookie_signer_legacy" => {
                check_cookie_signer(&label, case, key, frozen)
            }
            "session.db.encode" | "session.db.decode_garbage" | "session.signed_cookies.key" => {
                check_session(&label, case, key, frozen);
            }
            other => panic!("{label}: unknown kind {other}"),
        }
        *checked.entry(kind).or_default() += 1;
    }
    assert_eq!(
        checked.values().sum::<usize>(),
        cases.len(),
        "every case checked"
    );
    assert_eq!(checked["Signer.sign"], 109);
    assert_eq!(checked["dumps"], 44);
    assert_eq!(checked.len(), 15, "all kinds present: {checked:?}");
}

#[test]
fn dumps_default_salt_matches_spec_example() {
    let now = DateTime::from_timestamp(1_700_000_000, 0).expect("epoch");
    let out = dumps_at(
        &serde_json::json!({"a": 1}),
        "django-insecure-golden-key",
        DEFAULT_DUMPS_SALT,
        false,
        now,
    );
    assert_eq!(
        out.ok().as_deref(),
        Some("eyJhIjoxfQ:1r31eq:AMycU7EePQwelx3E1JCskcEhW3qKG37UDKE-km3c7bc")
    );
}

// ----- key=None: SECRET_KEY and SECRET_KEY_FALLBACKS from the settings (spec rule 118) -----

#[test]
fn signers_without_a_key_read_the_settings() {
    let before = nuages::Settings {
        secret_key: "old-key".into(),
        ..nuages::Settings::default()
    };
    let rotated = nuages::Settings {
        secret_key: "new-key".into(),
        secret_key_fallbacks: vec!["older-key".into(), "old-key".into()],
        ..nuages::Settings::default()
    };
    let t0 = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).expect("t0");

    // Signer(): the key and Django's default salt; a value signed before the rotation still
    // unsigns through the fallbacks, a new one is signed with the new key.
    let signed = Signer::from_settings(&before).sign("v");
    assert_eq!(signed, Signer::new("old-key").sign("v"));
    assert_eq!(
        Signer::from_settings(&rotated).unsign(&signed).unwrap(),
        "v"
    );
    assert!(Signer::new("new-key").unsign(&signed).is_err());
    assert_eq!(
        Signer::from_settings(&rotated).sign("v"),
        Signer::new("new-key").sign("v")
    );

    // TimestampSigner(): the same keys, the TimestampSigner salt.
    let ts = TimestampSigner::from_settings(&before).sign_at("v", t0);
    assert_eq!(ts, TimestampSigner::new("old-key").sign_at("v", t0));
    assert_eq!(
        TimestampSigner::from_settings(&rotated)
            .unsign_at(&ts, None, t0)
            .unwrap(),
        "v"
    );

    // Signer(salt=…): the builder keeps the settings' keys.
    let salted = Signer::builder_from_settings(&before)
        .salt("x")
        .build()
        .unwrap()
        .sign("v");
    assert_eq!(
        salted,
        Signer::builder("old-key")
            .salt("x")
            .build()
            .unwrap()
            .sign("v")
    );
    let rotated_salted = Signer::builder_from_settings(&rotated)
        .salt("x")
        .build()
        .unwrap();
    assert_eq!(rotated_salted.unsign(&salted).unwrap(), "v");
}

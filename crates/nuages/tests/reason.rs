//! Reason phrases and status validation against Django's golden vectors
//! (`responses.json`, kinds `reason_phrase`, `reason_phrase_probe`,
//! `status_validation`, `custom_reason`).

mod support;

use http::StatusCode;
use nuages::http::reason::{
    parse_status, reason_phrase, resolve_reason_phrase, status_from_float, validate_status,
    InvalidStatus, DEFAULT_STATUS, UNKNOWN_STATUS_PHRASE,
};
use serde_json::Value;

fn cases(kind: &str) -> Vec<Value> {
    let cases = support::cases_of(&support::golden("responses.json"), kind);
    assert!(!cases.is_empty(), "no {kind} cases");
    cases
}

fn status(case: &Value) -> u16 {
    u16::try_from(case["status"].as_u64().expect("status")).expect("u16")
}

#[test]
fn reason_phrases_match_python_table() {
    let cases = cases("reason_phrase");
    assert_eq!(cases.len(), 62);
    for case in &cases {
        let code = status(case);
        assert_eq!(reason_phrase(code), case["reason_phrase"], "status {code}");
    }
    // The golden file lists every known code in 100..=599: all others are unknown.
    for code in 100..=599u16 {
        if !cases.iter().any(|c| status(c) == code) {
            assert_eq!(reason_phrase(code), UNKNOWN_STATUS_PHRASE, "status {code}");
        }
    }
}

#[test]
fn reason_phrase_probes() {
    for case in cases("reason_phrase_probe") {
        let code = status(&case);
        assert_eq!(reason_phrase(code), case["reason_phrase"], "probe {code}");
    }
}

/// Rebuilds Django's `HttpResponse(status=<repr>)` check from the Python repr.
fn validate_repr(repr: &str) -> Result<StatusCode, InvalidStatus> {
    if repr == "None" {
        Ok(DEFAULT_STATUS)
    } else if let Some(text) = repr.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        parse_status(text)
    } else if repr.contains('.') {
        status_from_float(repr.parse().expect("float repr"))
    } else {
        validate_status(repr.parse().expect("int repr"))
    }
}

#[test]
fn status_validation() {
    let cases = cases("status_validation");
    assert_eq!(cases.len(), 6);
    for case in &cases {
        let repr = case["status_repr"].as_str().expect("repr");
        let result = validate_repr(repr);
        match case.get("error") {
            Some(error) => {
                let err = result.expect_err(repr);
                assert_eq!(err.python_exception(), error["exception"], "status {repr}");
                assert_eq!(
                    err.to_string(),
                    error["message"].as_str().expect("message"),
                    "status {repr}"
                );
            }
            None => {
                let code = result.unwrap_or_else(|e| panic!("status {repr}: {e}"));
                assert_eq!(
                    u64::from(code.as_u16()),
                    case["status_code"],
                    "status {repr}"
                );
                assert_eq!(
                    reason_phrase(code.as_u16()),
                    case["reason_phrase"],
                    "status {repr}"
                );
            }
        }
    }
}

#[test]
fn custom_reason() {
    for case in cases("custom_reason") {
        let custom = case["reason"].as_str().expect("reason");
        assert_eq!(
            resolve_reason_phrase(status(&case), Some(custom)),
            case["reason_phrase"],
            "custom reason {custom}"
        );
    }
    assert_eq!(resolve_reason_phrase(418, None), "I'm a Teapot");
}

#[test]
fn validation_edges() {
    assert_eq!(validate_status(100).map(|s| s.as_u16()), Ok(100));
    assert_eq!(validate_status(599).map(|s| s.as_u16()), Ok(599));
    assert_eq!(validate_status(-200), Err(InvalidStatus::OutOfRange));
    assert_eq!(validate_status(i64::MAX), Err(InvalidStatus::OutOfRange));
    assert_eq!(parse_status(""), Err(InvalidStatus::NotAnInteger));
    assert_eq!(parse_status("2e2"), Err(InvalidStatus::NotAnInteger));
    assert_eq!(
        status_from_float(f64::NAN),
        Err(InvalidStatus::NotAnInteger)
    );
    assert_eq!(status_from_float(99.99), Err(InvalidStatus::OutOfRange));
}

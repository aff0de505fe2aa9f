//! Golden tests: `Accept` negotiation against Django 5.2 (tests/data/golden/accept.json).

mod support;

use nuages::http::accept::AcceptedTypes;
use serde_json::Value;

fn str_list(v: &Value) -> Vec<&str> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|s| s.as_str().expect("string"))
        .collect()
}

#[test]
fn accept_golden_cases() {
    let golden = support::golden("accept.json");
    let cases = golden["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 28);
    let mut checks = 0;
    for case in cases {
        let header = case["accept"].as_str();
        let name = format!("Accept: {header:?}");
        let accepted = AcceptedTypes::parse(header).unwrap_or_else(|e| panic!("{name}: {e}"));

        let rendered: Vec<String> = accepted.iter().map(ToString::to_string).collect();
        assert_eq!(
            rendered,
            str_list(&case["accepted_types"]),
            "{name}: accepted_types"
        );

        let qualities: Vec<f64> = accepted.iter().map(|m| m.quality()).collect();
        let expected: Vec<f64> = case["accepted_types_quality"]
            .as_array()
            .expect("qualities")
            .iter()
            .map(|q| q.as_f64().expect("number"))
            .collect();
        assert_eq!(qualities, expected, "{name}: quality");

        let specificities: Vec<u64> = accepted
            .iter()
            .map(|m| u64::from(m.specificity()))
            .collect();
        let expected: Vec<u64> = case["accepted_types_specificity"]
            .as_array()
            .expect("specificities")
            .iter()
            .map(|s| s.as_u64().expect("integer"))
            .collect();
        assert_eq!(specificities, expected, "{name}: specificity");

        for entry in case["get_preferred_type"].as_array().expect("preferred") {
            let offers = str_list(&entry["offers"]);
            let expected = entry["result"].as_str();
            assert_eq!(
                accepted.preferred_type(&offers),
                expected,
                "{name}: get_preferred_type({offers:?})"
            );
            checks += 1;
        }
        for (media_type, expected) in case["accepts"].as_object().expect("accepts") {
            let expected = expected.as_bool().expect("bool");
            assert_eq!(
                accepted.accepts(media_type),
                expected,
                "{name}: accepts({media_type:?})"
            );
            checks += 1;
        }
    }
    assert_eq!(checks, 28 * (12 + 9));
}

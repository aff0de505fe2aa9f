//! Shared helpers of the golden-vector tests.

#[allow(dead_code)] // not every test file uses it
pub mod urls;

use serde_json::Value;

/// Loads `tests/data/golden/<name>` (vectors produced by real Django).
#[allow(dead_code)] // not every test file uses it
pub fn golden(name: &str) -> Value {
    data(&format!("golden/{name}"))
}

/// Loads the JSON file `tests/data/<path>`.
#[allow(dead_code)] // not every test file uses it
pub fn data(path: &str) -> Value {
    let path = format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The cases of one `kind`.
#[allow(dead_code)] // not every test file uses it
pub fn cases_of(golden: &Value, kind: &str) -> Vec<Value> {
    golden["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .filter(|c| c["kind"] == kind)
        .cloned()
        .collect()
}

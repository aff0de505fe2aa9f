//! The JSON decoder for request bodies: nuages-py's Python-exact `json.loads(bytes)` (encoding
//! detection, CPython's scanner, the nesting limit), and `json.dumps` of what it returns.
//!
//! Input: the body bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nuages::py::json::{dumps, loads, loads_str, loads_with_max_depth, JsonDumpsParams};

fuzz_target!(|data: &[u8]| {
    let _ = loads_with_max_depth(data, 16);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = loads_str(text);
    }
    let Ok(value) = loads(data) else { return };
    // `json.loads(json.dumps(v))` gives back the value: dumping it again gives the same text.
    let params = JsonDumpsParams::new();
    let first = dumps(&value, &params).expect("a loaded value dumps");
    let again = loads(first.as_bytes()).unwrap_or_else(|e| panic!("{first:?} does not load: {e}"));
    assert_eq!(dumps(&again, &params).expect("dumps"), first);
    let _ = dumps(
        &value,
        &JsonDumpsParams::new()
            .indent(2)
            .sort_keys(true)
            .ensure_ascii(false),
    );
    let _ = value.to_string();
});

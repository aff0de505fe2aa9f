//! `django.utils.http.parse_header_parameters` (on Python's `email.message` parameter
//! parsing with RFC 2231 continuations and charsets).
//!
//! Input: the header line (lossy UTF-8).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nuages::py::builtins::lower;
use nuages::utils::http::parse_header_parameters;

fuzz_target!(|data: &[u8]| {
    let line = String::from_utf8_lossy(data);
    let Ok((main, params)) = parse_header_parameters(&line) else {
        return;
    };
    // The main value and the names of `name=value` parameters are lower-cased (Python's
    // `_parseparam`); a bare attribute (no `=`, value "") keeps its case.
    assert_eq!(lower(&main), main.as_str());
    for (name, value) in &params {
        assert!(!name.is_empty());
        if !value.is_empty() {
            assert_eq!(lower(name), name.as_str(), "parameter name {name:?}");
        }
    }
    if !line.contains(';') {
        assert!(params.is_empty());
    }
});

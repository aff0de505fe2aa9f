//! The request `Cookie` header parser (Django's `django.http.cookie.parse_cookie`, with
//! Python's `http.cookies._unquote`), and `_quote`/`_unquote` on the parsed values.
//!
//! Input: the header's bytes, read as ISO-8859-1 as `HttpRequest::cookies()` reads them (and
//! also as UTF-8 text when they are valid UTF-8).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nuages::http::cookie::{parse_cookie, quote, unquote};
use nuages::py::builtins::strip;

fn check(header: &str) {
    let cookies = parse_cookie(header);
    for (name, value) in &cookies {
        // Names are stripped, and a chunk with an empty name and value is skipped.
        assert_eq!(strip(name), name.as_str());
        assert!(!name.contains(';'));
        // `_unquote(_quote(v)) == v` for every str in Python.
        assert_eq!(unquote(&quote(value)), value.as_str(), "quote round trip");
    }
    let _ = unquote(header);
}

fuzz_target!(|data: &[u8]| {
    let latin1: String = data.iter().map(|&b| char::from(b)).collect();
    check(&latin1);
    if let Ok(text) = std::str::from_utf8(data) {
        check(text);
    }
});

//! The JSON decoders for request bodies: `HttpRequest::json_value()` (serde_json behind the
//! JSON_MAX_DEPTH scan and the body limits: an `Err` the view answers with 400/415, or the
//! value serde_json reads), and nuages-py's Python-exact `json.loads(bytes)` (encoding
//! detection, CPython's scanner, the nesting limit), and `json.dumps` of what it returns.
//!
//! Input: the body bytes.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use nuages::http::RequestBody;
use nuages::py::json::{dumps, loads, loads_str, loads_with_max_depth, JsonDumpsParams};
use nuages::{App, Settings};

fn app() -> &'static App {
    static APP: OnceLock<App> = OnceLock::new();
    APP.get_or_init(|| {
        App::builder()
            .settings(Settings {
                secret_key: "nuages-fuzz-secret-key".into(),
                allowed_hosts: vec!["testserver".into()],
                data_upload_max_memory_size: Some(64 * 1024),
                ..Settings::default()
            })
            .build()
            .expect("a valid configuration")
    })
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
    })
}

/// `request.json_value()` on a POST of `data` as `application/json`: never a panic, and a
/// value exactly when serde_json reads one within the depth limit.
fn request_json(data: &[u8]) {
    let (parts, ()) = http::Request::post("/")
        .header("host", "testserver")
        .header("content-type", "application/json")
        .body(())
        .expect("a request")
        .into_parts();
    let request = app().request(parts, RequestBody::from(data.to_vec()));
    let got = runtime().block_on(request.json_value());
    if let Ok(value) = got {
        let direct: serde_json::Value =
            serde_json::from_slice(data).expect("json_value read what serde_json refuses");
        assert_eq!(value, direct);
    }
}

fuzz_target!(|data: &[u8]| {
    request_json(data);
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

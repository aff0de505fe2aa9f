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

/// What `f` logs through `tracing` (a fmt subscriber writing into a buffer, with targets).
#[allow(dead_code)] // not every test file uses it
pub fn logged<T>(f: impl FnOnce() -> T) -> (T, String) {
    use std::sync::{Arc, Mutex};
    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("lock").extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buf = Buf::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .without_time()
        .finish();
    let out = tracing::subscriber::with_default(subscriber, f);
    let text = String::from_utf8(buf.0.lock().expect("lock").clone()).expect("utf-8");
    (out, text)
}

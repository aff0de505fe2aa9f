//! Inputs found by the fuzz targets (`fuzz/`, see fuzz/README.md), kept as regression tests:
//! each is fed through the same API as its target and must give Django's answer (or a typed
//! error), never a panic. Input bytes live in `tests/data/fuzz/<target>/`.

use std::path::PathBuf;

use nuages::py::json::{loads, LoadsError, DEFAULT_MAX_DEPTH};
use nuages::utils::http::parse_header_parameters;

/// The bytes of `tests/data/fuzz/<target>/<name>`.
fn input(target: &str, name: &str) -> Vec<u8> {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests/data/fuzz", target, name]
        .iter()
        .collect();
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `header_params`: a bare attribute (no `=`) keeps its case, as Python's `_parseparam` keeps
/// it, while `name=value` names are lower-cased; RFC 2231 continuations (`URL*0`) come after
/// the plain parameters, as `email.utils.decode_params` puts them (checked against Python's
/// `email.message.Message.get_params()`). The fuzz target's first property wrongly expected
/// every name in lower case.
#[test]
fn header_params_bare_attribute_keeps_its_case() {
    let line = String::from_utf8(input("header_params", "bare-attribute-keeps-case")).unwrap();
    assert_eq!(
        line,
        r#"message/external-body; access-type=URL; URL*0="ftp://"; URL*1("cs.utk.edu@pub""#
    );
    let (main, params) = parse_header_parameters(&line).expect("no RFC 2231 error");
    assert_eq!(main, "message/external-body");
    let params: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        params,
        [
            ("access-type", "URL"),
            (r#"URL*1("cs.utk.edu@pub""#, ""),
            ("url", "ftp://"),
        ]
    );
}

/// `json_body`: a nested-array bomb (100,000 `[`) is Python's `RecursionError`, without native
/// recursion: it is decoded on a thread with a 64 KiB stack.
#[test]
fn json_nested_array_bomb_is_a_recursion_error() {
    for open in [b'[', b'{'] {
        let bomb: Vec<u8> = if open == b'[' {
            vec![b'['; 100_000]
        } else {
            b"{\"a\":".repeat(100_000)
        };
        let result = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || loads(&bomb).map(|_| ()))
            .expect("a thread")
            .join()
            .expect("no stack overflow");
        let container = if open == b'[' { "array" } else { "object" };
        assert_eq!(result, Err(LoadsError::Recursion { container }));
    }
}

/// `json_body`: the nesting limit is exact: `DEFAULT_MAX_DEPTH` levels load, one more does not.
#[test]
fn json_nesting_limit() {
    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert!(loads(nested(DEFAULT_MAX_DEPTH).as_bytes()).is_ok());
    assert_eq!(
        loads(nested(DEFAULT_MAX_DEPTH + 1).as_bytes()),
        Err(LoadsError::Recursion { container: "array" })
    );
}

//! Inputs found by the fuzz targets (`fuzz/`, see fuzz/README.md), kept as regression tests:
//! each is fed through the same API as its target and must give Django's answer (or a typed
//! error), never a panic. Input bytes live in `tests/data/fuzz/<target>/`.

use nuages::py::json::{loads, LoadsError, DEFAULT_MAX_DEPTH};

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

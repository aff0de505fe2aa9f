//! How much room a new response's header map starts with.
//!
//! `http::HeaderMap`'s first insert allocates its smallest table: 8 slots and 6 entries, under
//! the 1 KiB that glibc's malloc serves from its per-thread cache. A view's own headers fit;
//! the seed app's middleware adds up to seven, and the seventh makes the map grow — a new
//! table, a rehash and a reallocation of the entries to 1.2 KiB, past that cache — on every
//! response. Sizing every map for twelve entries would make the common small response pay for
//! the large allocation instead.
//!
//! So each thread remembers how many headers its last response was sent with (as hyper's
//! adaptive read buffer remembers how much the last read filled): a response built after one
//! that needed more than the smallest table starts with room for as many. It is a hint for the
//! allocation only; no response's headers depend on it.

use std::cell::Cell;

use http::HeaderMap;

/// Entries of the smallest table (`HeaderMap::new()`'s first insert).
const SMALLEST: usize = 6;

/// The largest room the hint asks for (a response with more headers grows as usual).
const MOST: usize = 24;

thread_local! {
    static LAST: Cell<u8> = const { Cell::new(0) };
}

/// An empty header map with room for as many headers as this thread's last response had.
pub(super) fn new_map() -> HeaderMap {
    let last = usize::from(LAST.with(Cell::get));
    if last > SMALLEST {
        HeaderMap::with_capacity(last)
    } else {
        HeaderMap::new()
    }
}

/// Records that a response is being sent with `count` headers.
pub(super) fn record(count: usize) {
    // Bounded: a response with hundreds of headers does not make the next ones allocate as
    // much.
    let count = u8::try_from(count.min(MOST)).unwrap_or(u8::MAX);
    LAST.with(|last| last.set(count));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_starts_with_the_room_the_last_response_needed() {
        record(2);
        assert_eq!(
            new_map().capacity(),
            0,
            "the smallest table, allocated on first insert"
        );
        record(9);
        assert!(new_map().capacity() >= 9);
        record(10_000);
        let capacity = new_map().capacity();
        assert!((MOST..MOST * 2).contains(&capacity), "{capacity}");
        record(SMALLEST);
        assert_eq!(new_map().capacity(), 0);
    }
}

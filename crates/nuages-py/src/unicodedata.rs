//! `unicodedata.category()` checks, on the Unicode tables of the `regex` crate.

use std::sync::LazyLock;

use regex::Regex;

/// Whether `unicodedata.category(c)[0] == "C"`: a control, format, surrogate, private-use or
/// unassigned code point.
///
/// # Examples
///
/// ```
/// use nuages_py::unicodedata::is_other;
///
/// assert!(is_other('\0') && is_other('\u{200b}'));
/// assert!(!is_other('a') && !is_other(' '));
/// ```
#[must_use]
pub fn is_other(c: char) -> bool {
    static OTHER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\A\p{C}\z").expect("static regex is valid"));
    let mut buf = [0u8; 4];
    OTHER.is_match(c.encode_utf8(&mut buf))
}

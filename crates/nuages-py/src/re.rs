//! Python's `re` module helpers that do not need a regex engine: `re.escape()`.

/// Appends Python's `re.escape(s)` (3.7+: only the special characters
/// `()[]{}?*+-|^$\\.&~#` and whitespace are escaped) to `out`.
///
/// # Examples
///
/// ```
/// let mut out = String::new();
/// nuages_py::re::escape_into("a.b/c d", &mut out);
/// assert_eq!(out, "a\\.b/c\\ d");
/// ```
pub fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        if "()[]{}?*+-|^$\\.&~# \t\n\r\u{b}\u{c}".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Python's `re.escape(s)` as a new string (see [`escape_into`]).
#[must_use]
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_into(s, &mut out);
    out
}

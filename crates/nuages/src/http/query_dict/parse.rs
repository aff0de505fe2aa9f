//! Query-string parsing: Python's `urllib.parse.parse_qsl(keep_blank_values=True)`.

use indexmap::map::Entry;
use indexmap::IndexMap;

use super::values::Values;
use crate::utils::charset::Charset;

/// Number of fields Python's `parse_qsl` counts for `max_num_fields`: `1 + qs.count("&")`,
/// or 0 for an empty string (empty segments count too).
pub(super) fn field_count(qs: &str) -> usize {
    if qs.is_empty() {
        0
    } else {
        1 + qs.bytes().filter(|&b| b == b'&').count()
    }
}

/// Parses `qs` into `lists`, appending values in order. Only `&` separates pairs, empty
/// segments are skipped, a segment without `=` has an empty value and only the first `=`
/// splits.
pub(super) fn parse_into(qs: &str, charset: &Charset, lists: &mut IndexMap<String, Values>) {
    for segment in qs.split('&') {
        if segment.is_empty() {
            continue;
        }
        let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
        let name = unquote_plus(name, charset);
        let value = unquote_plus(value, charset);
        match lists.entry(name) {
            Entry::Occupied(mut entry) => entry.get_mut().push(value),
            Entry::Vacant(entry) => {
                entry.insert(Values::One(value));
            }
        }
    }
}

/// Python's `unquote(s.replace("+", " "), encoding=charset, errors="replace")`.
///
/// Without any `%` the text is returned as is (Python's fast path, whatever the charset).
/// Otherwise every maximal run of ASCII characters is percent-decoded to bytes and decoded
/// with the charset (invalid sequences become U+FFFD, malformed escapes stay literal), while
/// non-ASCII characters are kept untouched.
pub(super) fn unquote_plus(s: &str, charset: &Charset) -> String {
    let bytes = s.as_bytes();
    if !bytes.contains(&b'%') {
        return if bytes.contains(&b'+') {
            s.replace('+', " ")
        } else {
            s.to_owned()
        };
    }
    if charset.is_utf8() {
        // For UTF-8, decoding the whole component at once gives the same text as decoding
        // each ASCII run separately: a literal non-ASCII character always starts with a lead
        // byte, which ends any incomplete sequence before it exactly like the end of a run.
        let mut buf = Vec::with_capacity(bytes.len());
        percent_decode_plus(bytes, &mut buf);
        return match String::from_utf8(buf) {
            Ok(text) => text,
            Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
        };
    }
    let mut out = String::with_capacity(bytes.len());
    let mut buf = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let ascii = rest.as_bytes()[0].is_ascii();
        let end = rest
            .bytes()
            .position(|b| b.is_ascii() != ascii)
            .unwrap_or(rest.len());
        // Both ends are at ASCII/non-ASCII boundaries, hence char boundaries.
        let (run, tail) = rest.split_at(end);
        rest = tail;
        if !ascii {
            out.push_str(run);
        } else if charset.is_ascii_compatible() && !run.contains('%') {
            out.extend(run.chars().map(|c| if c == '+' { ' ' } else { c }));
        } else {
            buf.clear();
            percent_decode_plus(run.as_bytes(), &mut buf);
            out.push_str(&charset.decode_lossy(&buf));
        }
    }
    out
}

/// Python's `unquote_to_bytes(s.replace("+", " "))`: `+` becomes a space, `%XX` with two hex
/// digits becomes the byte, anything else (`%`, `%2`, `%zz`) is kept literally.
fn percent_decode_plus(bytes: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        match byte {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = bytes.get(i + 1).copied().and_then(hex_value);
                let lo = bytes.get(i + 2).copied().and_then(hex_value);
                if let (Some(hi), Some(lo)) = (hi, lo) {
                    out.push(hi << 4 | lo);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            _ => out.push(byte),
        }
        i += 1;
    }
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unquote(s: &str, label: &str) -> String {
        unquote_plus(s, &Charset::from_label(label).unwrap())
    }

    #[test]
    fn unquote_matches_python() {
        // Expected values observed with CPython 3.11's urllib.parse.unquote.
        assert_eq!(unquote("a+b", "utf-8"), "a b");
        assert_eq!(unquote("%2B%2b", "utf-8"), "++");
        assert_eq!(unquote("%%41%", "utf-8"), "%A%");
        assert_eq!(unquote("%2+", "utf-8"), "%2 ");
        assert_eq!(unquote("%C3%A9", "utf-8"), "é");
        assert_eq!(unquote("%C3é%A9", "utf-8"), "\u{fffd}é\u{fffd}");
        assert_eq!(unquote("%C3%A9", "latin-1"), "Ã©");
        assert_eq!(unquote("é%E9+", "latin-1"), "éé ");
        assert_eq!(unquote("%A4", "iso-8859-15"), "€");
        assert_eq!(unquote("%81", "cp1252"), "\u{fffd}");
        // Without '%' Python returns the text untouched, even for UTF-16.
        assert_eq!(unquote("ab", "utf-16"), "ab");
        assert_eq!(unquote("%61%00", "utf-16"), "a");
        assert_eq!(unquote("%61%00é%62", "utf-16-le"), "aé\u{fffd}");
    }

    #[test]
    fn counts_fields_like_parse_qsl() {
        assert_eq!(field_count(""), 0);
        assert_eq!(field_count("a"), 1);
        assert_eq!(field_count("&&"), 3);
        assert_eq!(field_count("a=1;b=2"), 1);
    }
}

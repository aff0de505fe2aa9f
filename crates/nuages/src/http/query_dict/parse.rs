//! Query-string parsing: Python's `urllib.parse.parse_qsl(keep_blank_values=True)`.

use indexmap::map::Entry;
use indexmap::IndexMap;

use super::values::Values;
use nuages_py::codecs::Charset;
use nuages_py::urllib_parse::unquote_plus;

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
        let name = unquote_plus(name, charset).into_owned();
        let value = unquote_plus(value, charset).into_owned();
        match lists.entry(name) {
            Entry::Occupied(mut entry) => entry.get_mut().push(value),
            Entry::Vacant(entry) => {
                entry.insert(Values::One(value));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_fields_like_parse_qsl() {
        assert_eq!(field_count(""), 0);
        assert_eq!(field_count("a"), 1);
        assert_eq!(field_count("&&"), 3);
        assert_eq!(field_count("a=1;b=2"), 1);
    }
}

//! Query-string parsing: Python's `urllib.parse.parse_qsl(keep_blank_values=True)`.

use super::entries::Entries;
use nuages_py::codecs::Charset;
use nuages_py::urllib_parse::unquote_plus;

/// Number of fields Python's `parse_qsl` counts for `max_num_fields`: `1 + qs.count("&")`,
/// or 0 for an empty string (empty segments count too).
pub(super) fn field_count(qs: &str) -> usize {
    if qs.is_empty() {
        0
    } else {
        1 + memchr::memchr_iter(b'&', qs.as_bytes()).count()
    }
}

/// What a byte means to the parser: nothing, the end of a pair, the end of a name, or the start
/// of something [`unquote_plus`] decodes.
const PLAIN: u8 = 0;
const AMPERSAND: u8 = 1;
const EQUALS: u8 = 2;
const ESCAPE: u8 = 3;

static CLASS: [u8; 256] = {
    let mut table = [PLAIN; 256];
    table[b'&' as usize] = AMPERSAND;
    table[b'=' as usize] = EQUALS;
    table[b'%' as usize] = ESCAPE;
    table[b'+' as usize] = ESCAPE;
    table
};

/// One name or value: copied as it is when it holds no `%` and no `+` (what `unquote_plus`
/// would return unchanged, whatever the charset), else decoded.
fn decode(part: &str, escaped: bool, charset: &Charset) -> String {
    if escaped {
        unquote_plus(part, charset).into_owned()
    } else {
        part.to_owned()
    }
}

/// Parses `qs` into `lists`, appending values in order. Only `&` separates pairs, empty
/// segments are skipped, a segment without `=` has an empty value and only the first `=`
/// splits. One pass over the bytes finds the separators and whether each part needs decoding.
pub(super) fn parse_into(qs: &str, charset: &Charset, lists: &mut Entries) {
    let bytes = qs.as_bytes();
    let mut start = 0;
    while start <= bytes.len() {
        let mut equals = None;
        let (mut escaped_name, mut escaped_value) = (false, false);
        let mut end = start;
        while let Some(&byte) = bytes.get(end) {
            match CLASS[usize::from(byte)] {
                PLAIN => {}
                AMPERSAND => break,
                EQUALS if equals.is_none() => equals = Some(end),
                ESCAPE if equals.is_none() => escaped_name = true,
                ESCAPE => escaped_value = true,
                _ => {}
            }
            end += 1;
        }
        // `&`, `=` and the end are ASCII or the end: every slice is on char boundaries.
        if end > start {
            let (name, value) = match equals {
                Some(eq) => (&qs[start..eq], &qs[eq + 1..end]),
                None => (&qs[start..end], ""),
            };
            let name = decode(name, escaped_name, charset);
            let value = decode(value, escaped_value, charset);
            lists.push(name, value);
        }
        start = end + 1;
    }
}

#[cfg(test)]
mod tests {
    use indexmap::IndexMap;

    use super::*;

    /// The parser as written before the one-pass scan: `split` and `split_once`, and
    /// `unquote_plus` on every part.
    fn reference(qs: &str, charset: &Charset) -> Vec<(String, Vec<String>)> {
        let mut lists: IndexMap<String, Vec<String>> = IndexMap::new();
        for segment in qs.split('&').filter(|s| !s.is_empty()) {
            let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
            lists
                .entry(unquote_plus(name, charset).into_owned())
                .or_default()
                .push(unquote_plus(value, charset).into_owned());
        }
        lists.into_iter().collect()
    }

    fn parsed(qs: &str, charset: &Charset) -> Vec<(String, Vec<String>)> {
        let mut lists = Entries::default();
        parse_into(qs, charset, &mut lists);
        lists
            .iter()
            .map(|(key, values)| (key.clone(), values.as_slice().to_vec()))
            .collect()
    }

    #[test]
    fn one_pass_matches_split_and_unquote() {
        let cases = [
            "",
            "&",
            "&&a&&",
            "=",
            "==",
            "a",
            "a=",
            "=b",
            "a=1&b=2",
            "a=1=2&a==3",
            "a+b=c+d&a%20b=c%2Bd",
            "+=+&%=%&%%=%%41",
            "caf%C3%A9=cr%C3%A8me&é=è&%E2%80%A8=%E2%80%A9",
            "bad=%ff%fe&%zz=%z&lone=%ED%A0%80",
            "s=%3C%2Fscript%3E&q=%22%5C&c=%01%1F%7F",
            "a=1;b=2&c=3?d=4#e",
            "first_name=Jean&email=django%40example.com&style=gypsy+jazz",
            "dup=1&dup=2&other&dup=3",
        ];
        let latin1 = Charset::from_label("latin-1").unwrap_or(Charset::UTF_8);
        let utf16 = Charset::from_label("utf-16").unwrap_or(Charset::UTF_8);
        for qs in cases {
            for charset in [&Charset::UTF_8, &latin1, &utf16] {
                assert_eq!(
                    parsed(qs, charset),
                    reference(qs, charset),
                    "{qs:?} {}",
                    charset.name()
                );
            }
        }
    }

    #[test]
    fn counts_fields_like_parse_qsl() {
        assert_eq!(field_count(""), 0);
        assert_eq!(field_count("a"), 1);
        assert_eq!(field_count("&&"), 3);
        assert_eq!(field_count("a=1;b=2"), 1);
    }
}

//! `QueryDict` parsing (Django's `QueryDict(query_string, encoding=…)` with and without
//! `DATA_UPLOAD_MAX_NUMBER_FIELDS`) and the `urlencode()` round trip.
//!
//! Input: one option byte (charset, field limit), then the raw query string.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nuages::http::QueryDict;
use nuages::utils::charset::Charset;

/// The lists of a dict, owned, to compare two dicts.
fn lists(q: &QueryDict) -> Vec<(String, Vec<String>)> {
    q.lists().map(|(k, v)| (k.to_owned(), v.to_vec())).collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&options, query)) = data.split_first() else {
        return;
    };
    let charset = match options & 3 {
        0 => Charset::UTF_8,
        1 => Charset::LATIN_1,
        2 => Charset::from_label("cp1252").expect("a known charset"),
        _ => Charset::from_label("utf-16").expect("a known charset"),
    };
    let max_num_fields = (options & 4 != 0).then_some(usize::from(options >> 3));

    // QueryDict(bytes): strict decoding, else the whole string as ISO-8859-1.
    let parsed = QueryDict::parse_bytes(query, Some(&charset), max_num_fields);
    // Python's parse_qsl counts `1 + qs.count("&")` fields (0 for ""); in an ASCII-compatible
    // charset the decoded string has the bytes' `&`s.
    let ascii_compatible = options & 3 != 3;
    let fields = if query.is_empty() {
        0
    } else {
        1 + query.iter().filter(|&&b| b == b'&').count()
    };
    match (&parsed, max_num_fields) {
        (Err(_), None) => panic!("TooManyFieldsSent without a limit"),
        (result, Some(max)) if ascii_compatible => {
            assert_eq!(
                result.is_err(),
                max < fields,
                "{fields} fields, limit {max}"
            );
        }
        _ => {}
    }
    let Ok(q) = parsed else { return };
    let _ = q.dict();
    let _ = q.urlencode(Some("/"));
    let encoded = q.urlencode(None);
    // For UTF-8 and ISO-8859-1 every parsed character can be encoded again, so parsing the
    // encoded form gives back the same lists.
    if charset.name() == Charset::UTF_8.name() || charset.name() == Charset::LATIN_1.name() {
        let again = QueryDict::parse_with(&encoded, Some(&charset), None).expect("no limit");
        assert_eq!(
            lists(&q),
            lists(&again),
            "urlencode round trip of {encoded:?}"
        );
    }

    // QueryDict(str).
    if let Ok(text) = std::str::from_utf8(query) {
        let q = QueryDict::parse(text);
        let again = QueryDict::parse(&q.urlencode(None));
        assert_eq!(lists(&q), lists(&again));
        let _ = QueryDict::parse_with(text, Some(&charset), max_num_fields);
        let mut m = q.copy().into_mutable();
        if let Some(key) = q.keys().next() {
            let _ = m.set(key.to_owned(), text.to_owned());
            let _ = m.pop(key);
        }
        let _ = m.urlencode(None);
    }
});

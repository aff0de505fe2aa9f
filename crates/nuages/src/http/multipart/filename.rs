//! `MultiPartParser.sanitize_file_name`, on top of Python's `html.unescape()` and
//! `str.isprintable()` ([`nuages::py`](crate::py)).

use nuages_py::builtins::is_printable;
use nuages_py::html::unescape;

/// Django's `MultiPartParser.sanitize_file_name` (alias `IE_sanitize`): unescapes HTML
/// character references (browsers send `&#NNNN;` for characters the form's charset lacks),
/// keeps what follows the last `/` and then the last `\`, drops characters Python does not
/// consider printable, and rejects `""`, `"."` and `".."` (`None`: the part is skipped).
///
/// The result is untrusted: it may still be something like `C:name.txt`.
#[doc(alias = "IE_sanitize")]
pub(super) fn sanitize_file_name(file_name: &str) -> Option<String> {
    let unescaped = unescape(file_name);
    let base = unescaped.rsplit('/').next().unwrap_or_default();
    let base = base.rsplit('\\').next().unwrap_or_default();
    let printable: String = base.chars().filter(|&c| is_printable(c)).collect();
    match &*printable {
        "" | "." | ".." => None,
        _ => Some(printable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_matches_django() {
        let cases = [
            ("../../etc/pa ss.txt", Some("pa ss.txt")),
            ("C:\\dir\\file.txt", Some("file.txt")),
            ("a\\b/c\\d.txt", Some("d.txt")),
            ("..", None),
            (".", None),
            ("dir/", None),
            ("a&#x2F;b&#47;c&#233;.txt", Some("c\u{e9}.txt")),
            ("a\tb\x7fc\u{85}\u{a0}d\u{200b}.txt", Some("abcd.txt")),
            (" ", Some(" ")),
            ("\u{2028}", None),
        ];
        for (input, expected) in cases {
            assert_eq!(
                sanitize_file_name(input).as_deref(),
                expected,
                "input {input:?}"
            );
        }
    }
}

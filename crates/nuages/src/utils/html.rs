//! The equivalent of `django.utils.html` (the part templates need): Django's HTML escaping.
//!
//! Django escapes exactly five characters (`html.escape` with quotes):
//! `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`, `"` → `&quot;`, `'` → `&#x27;`. Unlike
//! minijinja's default HTML escaping, `/` is left alone.

use std::borrow::Cow;

/// Django's `escape(text)`: the five HTML special characters encoded.
///
/// # Examples
/// ```
/// use nuages::utils::html::escape;
/// assert_eq!(escape(r#"Rust & <Web> "x" 'y' a/b"#), "Rust &amp; &lt;Web&gt; &quot;x&quot; &#x27;y&#x27; a/b");
/// ```
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text
        .bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    escape_into(text, &mut out);
    Cow::Owned(out)
}

/// Appends `text` escaped like [`escape`] to `out`, without an intermediate `String`.
///
/// # Examples
/// ```
/// let mut out = String::from("<p>");
/// nuages::utils::html::escape_into("a<b", &mut out);
/// assert_eq!(out, "<p>a&lt;b");
/// ```
pub fn escape_into(text: &str, out: &mut String) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

/// Django's `format_html` for one argument: `template` with its `{}` replaced by the
/// escaped `arg` (the result is safe HTML).
///
/// # Examples
/// ```
/// use nuages::utils::html::format_html1;
/// assert_eq!(format_html1("<b>{}</b>", "<i>"), "<b>&lt;i&gt;</b>");
/// ```
pub fn format_html1(template: &str, arg: &str) -> String {
    match template.split_once("{}") {
        Some((a, b)) => {
            let mut out = String::with_capacity(template.len() + arg.len());
            out.push_str(a);
            escape_into(arg, &mut out);
            out.push_str(b);
            out
        }
        None => template.to_owned(),
    }
}

//! Python's `html` module: `html.escape()` and `html.unescape()` (with the
//! `html.entities.html5` table).

use std::borrow::Cow;

use self::entities::{INVALID_CHARREFS, NAMED};

mod entities;

/// Python's `html.escape(s, quote=True)`: `&`, `<`, `>`, `"` and `'` become `&amp;`,
/// `&lt;`, `&gt;`, `&quot;` and `&#x27;`. Borrows when there is nothing to escape.
///
/// # Examples
///
/// ```
/// use nuages_py::html::escape;
///
/// assert_eq!(escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;");
/// ```
#[must_use]
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Python's `html.unescape(s)`: named (HTML5 table, with the longest-prefix rule for
/// references without `;`) and numeric character references, with Python's replacements for
/// invalid code points. Borrows when `s` has no `&`.
///
/// # Examples
///
/// ```
/// use nuages_py::html::unescape;
///
/// assert_eq!(unescape("&ltx&gt &#233;&notit;"), "<x> \u{e9}\u{ac}it;");
/// ```
#[must_use]
pub fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let consumed = if after.starts_with('#') {
            numeric_reference(after, &mut out)
        } else {
            named_reference(after, &mut out)
        };
        match consumed {
            Some(len) => rest = &after[len..],
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `#[0-9]+;?` or `#[xX][0-9a-fA-F]+;?` after the `&`: writes the replacement and returns the
/// length matched.
fn numeric_reference(s: &str, out: &mut String) -> Option<usize> {
    let bytes = s.as_bytes();
    let (start, radix) = match bytes.get(1) {
        Some(b'0'..=b'9') => (1, 10),
        Some(b'x' | b'X') if bytes.get(2).is_some_and(u8::is_ascii_hexdigit) => (2, 16),
        _ => return None,
    };
    let digits = bytes[start..]
        .iter()
        .take_while(|b| {
            if radix == 10 {
                b.is_ascii_digit()
            } else {
                b.is_ascii_hexdigit()
            }
        })
        .count();
    let end = start + digits;
    // Saturate: anything past U+10FFFF is replaced the same way.
    let num = s[start..end].chars().fold(0u32, |acc, c| {
        let digit = c.to_digit(radix).unwrap_or(0);
        acc.saturating_mul(radix)
            .saturating_add(digit)
            .min(0x11_0000)
    });
    let end = if bytes.get(end) == Some(&b';') {
        end + 1
    } else {
        end
    };
    if let Ok(i) = INVALID_CHARREFS.binary_search_by_key(&num, |(n, _)| *n) {
        out.push(INVALID_CHARREFS[i].1);
    } else if (0xd800..=0xdfff).contains(&num) || num > 0x10_ffff {
        out.push('\u{fffd}');
    } else if !is_invalid_codepoint(num) {
        out.extend(char::from_u32(num));
    }
    Some(end)
}

/// `html._invalid_codepoints`: control characters, U+FDD0..U+FDEF and the noncharacters
/// U+xFFFE / U+xFFFF of every plane (dropped by `html.unescape()`).
fn is_invalid_codepoint(num: u32) -> bool {
    matches!(num, 0x1..=0x8 | 0xb | 0xe..=0x1f | 0x7f..=0x9f | 0xfdd0..=0xfdef)
        || (num & 0xfffe) == 0xfffe
}

/// `[^\t\n\f <&#;]{1,32};?` after the `&`: writes the replacement (the entity, the longest
/// entity prefix followed by the rest, or the text itself) and returns the length matched.
fn named_reference(s: &str, out: &mut String) -> Option<usize> {
    let mut end = 0;
    for (count, (i, c)) in s.char_indices().enumerate() {
        if count == 32 || matches!(c, '\t' | '\n' | '\x0c' | ' ' | '<' | '&' | '#' | ';') {
            break;
        }
        end = i + c.len_utf8();
    }
    if end == 0 {
        return None;
    }
    if s[end..].starts_with(';') {
        end += 1;
    }
    let name = &s[..end];
    if let Some(value) = lookup(name) {
        out.push_str(value);
        return Some(end);
    }
    // The longest prefix of at least two characters that is an entity.
    let boundaries: Vec<usize> = name.char_indices().map(|(i, _)| i).skip(2).collect();
    for &cut in boundaries.iter().rev() {
        if let Some(value) = lookup(&name[..cut]) {
            out.push_str(value);
            out.push_str(&name[cut..]);
            return Some(end);
        }
    }
    out.push('&');
    out.push_str(name);
    Some(end)
}

fn lookup(name: &str) -> Option<&'static str> {
    NAMED
        .binary_search_by(|(key, _)| key.cmp(&name))
        .ok()
        .map(|i| NAMED[i].1)
}

//! Python's `http.cookies`: `_quote` / `_unquote`, `_LegalChars`, `Morsel`'s key validation
//! and `Morsel.OutputString()`.

use std::borrow::Cow;
use std::fmt;

use crate::repr::str_repr;

/// `http.cookies.CookieError` raised by [`check_key`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CookieError {
    /// `CookieError("Illegal key '<name>'")`: the name is empty or contains a
    /// character outside ``A-Za-z0-9!#$%&'*+-.^_`|~:``.
    IllegalKey(String),
    /// `CookieError("Attempt to set a reserved key '<name>'")`: the name is an
    /// attribute name (`expires`, `path`, `max-age`, ... case-insensitively).
    ReservedKey(String),
}

impl fmt::Display for CookieError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::IllegalKey(key) => write!(f, "Illegal key {}", str_repr(key)),
            Self::ReservedKey(key) => write!(f, "Attempt to set a reserved key {}", str_repr(key)),
        }
    }
}

impl std::error::Error for CookieError {}

/// Characters a cookie value may contain without quoting (Python's
/// `http.cookies._LegalChars`); also the legal characters of cookie names.
#[must_use]
#[inline]
pub fn is_legal_char(b: u8) -> bool {
    LEGAL[usize::from(b)]
}

/// [`is_legal_char`] for every byte: one load per character of a name or value.
static LEGAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
                    | b':'
            );
        b += 1;
    }
    table
};

/// Python's `http.cookies._quote(value)`, as used for `Set-Cookie` values.
///
/// A non-empty value made only of `A-Za-z0-9!#$%&'*+-.^_`|~:` is returned
/// as is. Anything else is wrapped in double quotes with `"` → `\"`,
/// `\` → `\\`, and every other character below U+0100 that is not one of
/// those legal characters or `` ()/<=>?@[]{}`` (controls, `;`, `,`, DEL,
/// Latin-1) written as a 3-digit octal escape. Characters above U+00FF are
/// kept raw (Django sends them as UTF-8 bytes).
///
/// # Examples
///
/// ```
/// use nuages_py::http_cookies::quote;
///
/// assert_eq!(quote("value"), "value");
/// assert_eq!(quote(""), "\"\"");
/// assert_eq!(quote("a;b"), "\"a\\073b\"");
/// assert_eq!(quote("café"), "\"caf\\351\"");
/// assert_eq!(quote("snow☃man"), "\"snow☃man\"");
/// ```
#[doc(alias = "_quote")]
#[must_use]
pub fn quote(value: &str) -> Cow<'_, str> {
    if !value.is_empty() && value.bytes().all(is_legal_char) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' ' | '(' | ')' | '/' | '<' | '=' | '>' | '?' | '@' | '[' | ']' | '{' | '}' => {
                out.push(c);
            }
            c if c.is_ascii() && is_legal_char(c as u8) => out.push(c),
            c if u32::from(c) < 0x100 => {
                let n = u32::from(c);
                out.push('\\');
                for shift in [6, 3, 0] {
                    // Each octal digit is < 8.
                    out.push(char::from(b'0' + ((n >> shift) & 7) as u8));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    Cow::Owned(out)
}

/// Python's `http.cookies._unquote(value)`, as used by Django's `parse_cookie`.
///
/// Only a value of at least two characters that starts and ends with `"` is
/// changed: the quotes are removed, `\ooo` (first digit 0–3) becomes the
/// character with that code point (`\303\251` is `Ã©`, not `é`), and a
/// backslash followed by any other character except a newline becomes that
/// character. Everything else is returned unchanged.
///
/// # Examples
///
/// ```
/// use nuages_py::http_cookies::unquote;
///
/// assert_eq!(unquote("\"q\\\"uo\\073ted\""), "q\"uo;ted");
/// assert_eq!(unquote("\"unterminated"), "\"unterminated");
/// assert_eq!(unquote("\\012"), "\\012");
/// ```
#[doc(alias = "_unquote")]
#[must_use]
pub fn unquote(value: &str) -> Cow<'_, str> {
    let inner = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) if value.len() >= 2 => inner,
        _ => return Cow::Borrowed(value),
    };
    let bytes = inner.as_bytes();
    let mut out = String::with_capacity(inner.len());
    let mut start = 0;
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'\\') {
        let k = i + offset;
        let next = inner[k + 1..].chars().next();
        match next {
            // `[\\].` does not match a newline (nor a trailing backslash).
            None | Some('\n') => {
                i = k + 1;
                continue;
            }
            Some(_) => {}
        }
        out.push_str(&inner[start..k]);
        match bytes.get(k + 1..k + 4) {
            Some(&[a @ b'0'..=b'3', b @ b'0'..=b'7', c @ b'0'..=b'7']) => {
                let code = (a - b'0') * 64 + (b - b'0') * 8 + (c - b'0');
                out.push(char::from(code));
                i = k + 4;
            }
            _ => {
                let c = next.unwrap_or('\\');
                out.push(c);
                i = k + 1 + c.len_utf8();
            }
        }
        start = i;
    }
    out.push_str(&inner[start..]);
    Cow::Owned(out)
}

/// Attribute names `Morsel` reserves (`Morsel._reserved`, compared case-insensitively).
pub const RESERVED: [&str; 9] = [
    "expires", "path", "comment", "domain", "max-age", "secure", "httponly", "version", "samesite",
];

/// `Morsel.set()`'s key validation.
///
/// # Errors
///
/// [`CookieError`] for a reserved or illegal key.
pub fn check_key(key: &str) -> Result<(), CookieError> {
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(key)) {
        return Err(CookieError::ReservedKey(key.to_owned()));
    }
    if key.is_empty() || !key.bytes().all(is_legal_char) {
        return Err(CookieError::IllegalKey(key.to_owned()));
    }
    Ok(())
}

/// One cookie as Python's `http.cookies.Morsel` holds it: name, value, the
/// quoted value and the attributes (an empty string means "not set").
///
/// [`header_value`](Self::header_value) renders `Morsel.OutputString()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Morsel {
    key: String,
    value: String,
    /// The quoted value when it differs from `value` (most values need no quoting).
    coded_value: Option<String>,
    expires: String,
    max_age: Option<i64>,
    path: Cow<'static, str>,
    domain: String,
    secure: bool,
    httponly: bool,
    samesite: Cow<'static, str>,
}

/// The quoted form of `value` when quoting changes it.
fn coded(value: &str) -> Option<String> {
    match quote(value) {
        Cow::Borrowed(_) => None,
        Cow::Owned(quoted) => Some(quoted),
    }
}

impl Morsel {
    /// `Morsel.set(key, value, _quote(value))` on a new morsel: the key is not checked (see
    /// [`check_key`]).
    #[must_use]
    pub fn new(key: String, value: String) -> Self {
        Self {
            coded_value: coded(&value),
            key,
            value,
            expires: String::new(),
            max_age: None,
            path: Cow::Borrowed(""),
            domain: String::new(),
            secure: false,
            httponly: false,
            samesite: Cow::Borrowed(""),
        }
    }

    /// The cookie name.
    #[must_use]
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The value as given.
    #[must_use]
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Replaces the value (and the coded value, [`quote`]d), keeping the attributes.
    pub fn set_value(&mut self, value: String) {
        self.coded_value = coded(&value);
        self.value = value;
    }

    /// Sets the `expires` attribute (`""` unsets it).
    pub fn set_expires(&mut self, expires: String) {
        self.expires = expires;
    }

    /// Sets the `Max-Age` attribute.
    pub fn set_max_age(&mut self, max_age: Option<i64>) {
        self.max_age = max_age;
    }

    /// Sets the `Path` attribute (`""` unsets it).
    pub fn set_path(&mut self, path: impl Into<Cow<'static, str>>) {
        self.path = path.into();
    }

    /// Sets the `Domain` attribute (`""` unsets it).
    pub fn set_domain(&mut self, domain: String) {
        self.domain = domain;
    }

    /// Sets the `Secure` flag.
    pub fn set_secure(&mut self, secure: bool) {
        self.secure = secure;
    }

    /// Sets the `HttpOnly` flag.
    pub fn set_httponly(&mut self, httponly: bool) {
        self.httponly = httponly;
    }

    /// Sets the `SameSite` attribute (`""` unsets it).
    pub fn set_samesite(&mut self, samesite: impl Into<Cow<'static, str>>) {
        self.samesite = samesite.into();
    }

    /// The value as sent ([`quote`]d).
    #[must_use]
    pub fn coded_value(&self) -> &str {
        self.coded_value.as_deref().unwrap_or(&self.value)
    }

    /// The `expires` attribute (`""` when unset).
    #[must_use]
    pub fn expires(&self) -> &str {
        &self.expires
    }

    /// The `Max-Age` attribute.
    #[must_use]
    pub fn max_age(&self) -> Option<i64> {
        self.max_age
    }

    /// The `Path` attribute (`""` when unset).
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The `Domain` attribute (`""` when unset).
    #[must_use]
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The `Secure` flag.
    #[must_use]
    pub fn secure(&self) -> bool {
        self.secure
    }

    /// The `HttpOnly` flag.
    #[must_use]
    pub fn httponly(&self) -> bool {
        self.httponly
    }

    /// The `SameSite` attribute (`""` when unset).
    #[must_use]
    pub fn samesite(&self) -> &str {
        &self.samesite
    }

    /// `Morsel.OutputString()`: the `Set-Cookie` header value,
    /// `name=value` then the set attributes in Python's (sorted) order:
    /// `Domain`, `expires`, `HttpOnly`, `Max-Age`, `Path`, `SameSite`,
    /// `Secure`.
    ///
    /// Attribute values are not escaped, and characters above U+00FF in the
    /// value are kept raw (Django sends them as UTF-8 bytes).
    #[doc(alias = "OutputString")]
    #[must_use]
    pub fn header_value(&self) -> String {
        let mut out = String::with_capacity(
            self.key.len() + self.coded_value().len() + self.path.len() + self.domain.len() + 80,
        );
        self.write_header_value(&mut out);
        out
    }

    /// Appends [`header_value`](Self::header_value) to `out`.
    pub fn write_header_value(&self, out: &mut String) {
        out.push_str(&self.key);
        out.push('=');
        out.push_str(self.coded_value());
        let mut attr = |name: &str, value: &str| {
            out.push_str("; ");
            out.push_str(name);
            if !value.is_empty() {
                out.push('=');
                out.push_str(value);
            }
        };
        if !self.domain.is_empty() {
            attr("Domain", &self.domain);
        }
        if !self.expires.is_empty() {
            attr("expires", &self.expires);
        }
        if self.httponly {
            attr("HttpOnly", "");
        }
        if let Some(max_age) = self.max_age {
            attr("Max-Age", itoa::Buffer::new().format(max_age));
        }
        if !self.path.is_empty() {
            attr("Path", &self.path);
        }
        if !self.samesite.is_empty() {
            attr("SameSite", &self.samesite);
        }
        if self.secure {
            attr("Secure", "");
        }
    }
}

impl fmt::Display for Morsel {
    /// Same text as [`Morsel::header_value`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.header_value())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_chars_are_pythons() {
        // http.cookies._LegalChars = string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~:"
        let legal =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~:";
        for b in 0..=255u8 {
            assert_eq!(is_legal_char(b), legal.as_bytes().contains(&b), "{b:#x}");
        }
    }
}

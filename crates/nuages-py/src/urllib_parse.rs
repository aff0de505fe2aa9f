//! Python 3.11's `urllib.parse`: `urlsplit` (with its validation), `urlparse`,
//! `urlunsplit` / `urlunparse`, `urljoin`, and the quoting functions `quote`,
//! `quote_plus`, `quote_from_bytes`, `unquote`, `unquote_plus`, `unquote_to_bytes`.
//!
//! Every `safe=` argument is a [`Safe`] set: Python's always-safe characters
//! (`A-Za-z0-9_.-~`) plus the ASCII characters of the `safe` string.
//!
//! # Examples
//!
//! ```
//! use nuages_py::urllib_parse::{quote, quote_plus, unquote, urljoin, Safe};
//!
//! assert_eq!(quote("/a b/é", Safe::DEFAULT), "/a%20b/%C3%A9");
//! assert_eq!(quote_plus("a b&c", Safe::NONE), "a+b%26c");
//! assert_eq!(unquote("%E2%98%83%zz"), "☃%zz");
//! assert_eq!(urljoin("http://a/b/c/d;p?q", "../g").unwrap(), "http://a/b/g");
//! ```

use std::borrow::Cow;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::codecs::Charset;

/// `ValueError` raised by Python's `urlsplit` for a malformed network location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvalidUrl {
    /// Unbalanced `[` / `]` in the netloc.
    UnbalancedBrackets,
    /// `[v…]` that is not a valid IPvFuture literal.
    InvalidIpvFuture,
    /// An IPv4 address in brackets.
    BracketedIpv4,
    /// A bracketed host that is not an IP address.
    InvalidIpAddress(String),
    /// Non-ASCII characters that NFKC-normalise to URL delimiters (e.g. `／`, `℀`).
    NfkcDelimiters(String),
}

impl fmt::Display for InvalidUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnbalancedBrackets => f.write_str("Invalid IPv6 URL"),
            Self::InvalidIpvFuture => f.write_str("IPvFuture address is invalid"),
            Self::BracketedIpv4 => f.write_str("An IPv4 address cannot be in brackets"),
            Self::InvalidIpAddress(host) => {
                write!(
                    f,
                    "{} does not appear to be an IPv4 or IPv6 address",
                    crate::repr::str_repr(host)
                )
            }
            Self::NfkcDelimiters(netloc) => {
                write!(
                    f,
                    "netloc '{netloc}' contains invalid characters under NFKC normalization"
                )
            }
        }
    }
}

impl std::error::Error for InvalidUrl {}

const USES_RELATIVE: &[&str] = &[
    "", "ftp", "http", "gopher", "nntp", "imap", "wais", "file", "https", "shttp", "mms",
    "prospero", "rtsp", "rtsps", "rtspu", "sftp", "svn", "svn+ssh", "ws", "wss",
];
const USES_NETLOC: &[&str] = &[
    "", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms", "https", "shttp",
    "snews", "prospero", "rtsp", "rtsps", "rtspu", "rsync", "svn", "svn+ssh", "sftp", "nfs", "git",
    "git+ssh", "ws", "wss",
];
const USES_PARAMS: &[&str] = &[
    "", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp", "rtsp", "rtsps", "rtspu",
    "sip", "sips", "mms", "sftp", "tel",
];

/// The characters (Unicode 14) whose NFKC form contains one of `/?#@:`.
const NFKC_DELIMITERS: &[char] = &[
    '\u{2047}', '\u{2048}', '\u{2049}', '\u{2100}', '\u{2101}', '\u{2105}', '\u{2106}', '\u{2a74}',
    '\u{fe13}', '\u{fe16}', '\u{fe55}', '\u{fe56}', '\u{fe5f}', '\u{fe6b}', '\u{ff03}', '\u{ff0f}',
    '\u{ff1a}', '\u{ff1f}', '\u{ff20}',
];

/// A URL split in the five components of Python's `SplitResult`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitUrl<'a> {
    /// The scheme, lower-cased (or the default scheme).
    pub scheme: Cow<'a, str>,
    /// The network location (`user@host:port`), empty without `//`.
    pub netloc: &'a str,
    /// The path.
    pub path: &'a str,
    /// The query, without `?`.
    pub query: &'a str,
    /// The fragment, without `#`.
    pub fragment: &'a str,
}

/// The cleaning step of `urlsplit`: strip leading C0 controls and spaces, drop every
/// `\t`, `\r` and `\n`.
pub fn clean(url: &str) -> Cow<'_, str> {
    let url = url.trim_start_matches(|c: char| c <= ' ');
    if url.contains(['\t', '\r', '\n']) {
        Cow::Owned(
            url.chars()
                .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
                .collect(),
        )
    } else {
        Cow::Borrowed(url)
    }
}

/// `urllib.parse.urlsplit(url, scheme)` for an already [`clean`]ed `url`.
///
/// # Errors
///
/// [`InvalidUrl`] where Python raises `ValueError`.
pub fn urlsplit<'a>(url: &'a str, default_scheme: &'a str) -> Result<SplitUrl<'a>, InvalidUrl> {
    let mut scheme = Cow::Borrowed(default_scheme);
    let mut rest = url;
    if let Some(i) = url.find(':') {
        let candidate = &url[..i];
        if i > 0
            && candidate.as_bytes()[0].is_ascii_alphabetic()
            && candidate
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        {
            scheme = if candidate.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(candidate.to_ascii_lowercase())
            } else {
                Cow::Borrowed(candidate)
            };
            rest = &url[i + 1..];
        }
    }
    let mut netloc = "";
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        netloc = &after[..end];
        rest = &after[end..];
        let (open, close) = (netloc.contains('['), netloc.contains(']'));
        if open != close {
            return Err(InvalidUrl::UnbalancedBrackets);
        }
        if open {
            let inner = netloc.split_once('[').map_or("", |(_, r)| r);
            let bracketed = inner.split_once(']').map_or(inner, |(h, _)| h);
            check_bracketed_host(bracketed)?;
        }
    }
    let mut fragment = "";
    if let Some((before, frag)) = rest.split_once('#') {
        rest = before;
        fragment = frag;
    }
    let mut query = "";
    if let Some((before, q)) = rest.split_once('?') {
        rest = before;
        query = q;
    }
    if !netloc.is_ascii() && netloc.contains(NFKC_DELIMITERS) {
        return Err(InvalidUrl::NfkcDelimiters(netloc.to_owned()));
    }
    Ok(SplitUrl {
        scheme,
        netloc,
        path: rest,
        query,
        fragment,
    })
}

/// `urllib.parse._check_bracketed_host`.
fn check_bracketed_host(host: &str) -> Result<(), InvalidUrl> {
    if let Some(future) = host.strip_prefix('v') {
        // \Av[a-fA-F0-9]+\..+\Z
        let hex_len = future.bytes().take_while(u8::is_ascii_hexdigit).count();
        let valid = hex_len > 0
            && future[hex_len..]
                .strip_prefix('.')
                .is_some_and(|r| !r.is_empty());
        return if valid {
            Ok(())
        } else {
            Err(InvalidUrl::InvalidIpvFuture)
        };
    }
    if host.parse::<Ipv4Addr>().is_ok() {
        return Err(InvalidUrl::BracketedIpv4);
    }
    // ipaddress.IPv6Address accepts a non-empty `%scope` suffix.
    let address = match host.split_once('%') {
        Some((addr, scope)) if !scope.is_empty() && !scope.contains('%') => addr,
        Some(_) => "",
        None => host,
    };
    if address.parse::<Ipv6Addr>().is_ok() {
        Ok(())
    } else {
        Err(InvalidUrl::InvalidIpAddress(host.to_owned()))
    }
}

/// `urlparse`: [`urlsplit`] plus the `;params` of the last path segment.
///
/// # Errors
///
/// As [`urlsplit`].
pub fn urlparse<'a>(
    url: &'a str,
    default_scheme: &'a str,
) -> Result<(SplitUrl<'a>, &'a str), InvalidUrl> {
    let mut split = urlsplit(url, default_scheme)?;
    let mut params = "";
    if USES_PARAMS.contains(&&*split.scheme) && split.path.contains(';') {
        let from = split.path.rfind('/').unwrap_or(0);
        if let Some(i) = split.path[from..].find(';').map(|i| i + from) {
            params = &split.path[i + 1..];
            split.path = &split.path[..i];
        }
    }
    Ok((split, params))
}

/// `urlunsplit((scheme, netloc, path, query, fragment))`.
#[must_use]
pub fn urlunsplit(split: &SplitUrl<'_>) -> String {
    urlunparse(split, split.path, "")
}

/// `urlunparse((scheme, netloc, path, params, query, fragment))`, with `path` in place of
/// `split.path`.
#[must_use]
pub fn urlunparse(split: &SplitUrl<'_>, path: &str, params: &str) -> String {
    let mut url = String::with_capacity(split.scheme.len() + split.netloc.len() + path.len() + 16);
    url.push_str(path);
    if !params.is_empty() {
        url.push(';');
        url.push_str(params);
    }
    if !split.netloc.is_empty()
        || (!split.scheme.is_empty()
            && USES_NETLOC.contains(&&*split.scheme)
            && !url.starts_with("//"))
    {
        if !url.is_empty() && !url.starts_with('/') {
            url.insert(0, '/');
        }
        url.insert_str(0, split.netloc);
        url.insert_str(0, "//");
    }
    if !split.scheme.is_empty() {
        url.insert(0, ':');
        url.insert_str(0, &split.scheme);
    }
    if !split.query.is_empty() {
        url.push('?');
        url.push_str(split.query);
    }
    if !split.fragment.is_empty() {
        url.push('#');
        url.push_str(split.fragment);
    }
    url
}

/// `urllib.parse.urljoin(base, url)` (RFC 3986 resolution as implemented by Python 3.11).
///
/// # Errors
///
/// As [`urlsplit`], for either argument.
pub fn urljoin(base: &str, url: &str) -> Result<String, InvalidUrl> {
    if base.is_empty() {
        return Ok(url.to_owned());
    }
    if url.is_empty() {
        return Ok(base.to_owned());
    }
    let base_clean = clean(base);
    let (bsplit, bparams) = urlparse(&base_clean, "")?;
    let url_clean = clean(url);
    let (mut split, mut params) = urlparse(&url_clean, &bsplit.scheme)?;
    if split.scheme != bsplit.scheme || !USES_RELATIVE.contains(&&*split.scheme) {
        return Ok(url.to_owned());
    }
    if USES_NETLOC.contains(&&*split.scheme) {
        if !split.netloc.is_empty() {
            return Ok(urlunparse(&split, split.path, params));
        }
        split.netloc = bsplit.netloc;
    }
    if split.path.is_empty() && params.is_empty() {
        params = bparams;
        if split.query.is_empty() {
            split.query = bsplit.query;
        }
        return Ok(urlunparse(&split, bsplit.path, params));
    }

    let mut base_parts: Vec<&str> = bsplit.path.split('/').collect();
    if base_parts.last().is_some_and(|last| !last.is_empty()) {
        // The last item is not a directory, so it is not part of the resolution.
        base_parts.pop();
    }
    let segments: Vec<&str> = if split.path.starts_with('/') {
        split.path.split('/').collect()
    } else {
        let mut segments = base_parts;
        segments.extend(split.path.split('/'));
        // Drop empty inner segments (they would produce redundant slashes).
        if segments.len() > 2 {
            let last = segments.len() - 1;
            let mut kept: Vec<&str> = Vec::with_capacity(segments.len());
            kept.push(segments[0]);
            kept.extend(segments[1..last].iter().copied().filter(|s| !s.is_empty()));
            kept.push(segments[last]);
            segments = kept;
        }
        segments
    };
    let mut resolved: Vec<&str> = Vec::with_capacity(segments.len());
    for seg in &segments {
        match *seg {
            ".." => {
                resolved.pop();
            }
            "." => {}
            seg => resolved.push(seg),
        }
    }
    if segments.last().is_some_and(|s| *s == "." || *s == "..") {
        resolved.push("");
    }
    let path = resolved.join("/");
    let path = if path.is_empty() { "/" } else { path.as_str() };
    Ok(urlunparse(&split, path, params))
}

/// Python's `_ALWAYS_SAFE`: `A-Z a-z 0-9 _ . - ~`.
const ALWAYS_SAFE_BITS: u128 = {
    let mut bits = 0u128;
    let mut b = 0u8;
    while b < 128 {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'~') {
            bits |= 1 << b;
        }
        b += 1;
    }
    bits
};

/// The `safe=` argument of the quoting functions: the bytes written as they are.
///
/// It always holds Python's always-safe characters (`A-Za-z0-9_.-~`); only the ASCII
/// characters of a `safe` string count (Python encodes it with `"ascii", "ignore"`).
///
/// # Examples
///
/// ```
/// use nuages_py::urllib_parse::{quote, Safe};
///
/// const IRI: Safe = Safe::new("/#%[]=:;$&()+,!?*@'~");
/// assert_eq!(quote("/I ♥ Django/?q=%20", IRI), "/I%20%E2%99%A5%20Django/?q=%20");
/// assert!(Safe::NONE.contains(b'~') && !Safe::NONE.contains(b'/'));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Safe(u128);

impl Safe {
    /// `safe=""`: only the always-safe characters (`quote_plus`'s and `urlencode`'s default).
    pub const NONE: Safe = Safe(ALWAYS_SAFE_BITS);
    /// `safe="/"`: `quote()`'s default.
    pub const DEFAULT: Safe = Safe::new("/");

    /// `safe=safe` given as a string.
    #[must_use]
    pub const fn new(safe: &str) -> Safe {
        Safe::from_bytes(safe.as_bytes())
    }

    /// `safe=safe` given as bytes (non-ASCII bytes never count).
    #[must_use]
    pub const fn from_bytes(safe: &[u8]) -> Safe {
        let mut bits = ALWAYS_SAFE_BITS;
        let mut i = 0;
        while i < safe.len() {
            if safe[i] < 128 {
                bits |= 1 << safe[i];
            }
            i += 1;
        }
        Safe(bits)
    }

    /// Whether `byte` is written as it is.
    #[must_use]
    pub const fn contains(self, byte: u8) -> bool {
        byte < 128 && self.0 & (1 << byte) != 0
    }
}

impl Default for Safe {
    /// [`Safe::DEFAULT`] (`"/"`).
    fn default() -> Self {
        Safe::DEFAULT
    }
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `quote_from_bytes(bytes, safe)` to `out`; with `plus`, spaces become `+`
/// (`quote_plus`). Escapes use upper-case hex digits.
pub fn push_quoted(out: &mut String, bytes: &[u8], safe: Safe, plus: bool) {
    for &byte in bytes {
        if safe.contains(byte) {
            out.push(char::from(byte));
        } else if plus && byte == b' ' {
            out.push('+');
        } else {
            out.push('%');
            out.push(char::from(HEX_UPPER[usize::from(byte >> 4)]));
            out.push(char::from(HEX_UPPER[usize::from(byte & 0xf)]));
        }
    }
}

fn quote_impl(bytes: &[u8], safe: Safe, plus: bool) -> Option<String> {
    if bytes.iter().all(|&b| safe.contains(b)) {
        return None;
    }
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2 + 8);
    push_quoted(&mut out, bytes, safe, plus);
    Some(out)
}

/// `urllib.parse.quote(s, safe)` with the default UTF-8 encoding; borrows when nothing needs
/// escaping.
#[must_use]
pub fn quote(s: &str, safe: Safe) -> Cow<'_, str> {
    quote_impl(s.as_bytes(), safe, false).map_or(Cow::Borrowed(s), Cow::Owned)
}

/// `urllib.parse.quote_plus(s, safe)`: like [`quote`], with spaces written as `+`.
#[must_use]
pub fn quote_plus(s: &str, safe: Safe) -> Cow<'_, str> {
    quote_impl(s.as_bytes(), safe, true).map_or(Cow::Borrowed(s), Cow::Owned)
}

/// `urllib.parse.urlencode(query, doseq=True)` for string pairs: `key=value` joined with `&`,
/// each side `quote_plus(…, safe="")`; a key given several times gives several pairs.
///
/// # Examples
///
/// ```
/// use nuages_py::urllib_parse::urlencode;
/// assert_eq!(urlencode([("q", "a b"), ("q", "c&d"), ("tilde*", "~")]), "q=a+b&q=c%26d&tilde%2A=~");
/// ```
#[must_use]
pub fn urlencode<K, V>(query: impl IntoIterator<Item = (K, V)>) -> String
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut out = String::new();
    for (k, v) in query {
        if !out.is_empty() {
            out.push('&');
        }
        push_quoted(&mut out, k.as_ref().as_bytes(), Safe::NONE, true);
        out.push('=');
        push_quoted(&mut out, v.as_ref().as_bytes(), Safe::NONE, true);
    }
    out
}

/// `urllib.parse.quote_from_bytes(bytes, safe)`.
#[must_use]
pub fn quote_from_bytes(bytes: &[u8], safe: Safe) -> String {
    let mut out = String::with_capacity(bytes.len() + 8);
    push_quoted(&mut out, bytes, safe, false);
    out
}

/// The value of one hexadecimal digit (either case).
#[must_use]
pub const fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Appends `unquote_to_bytes(bytes)` to `out`, with `+` read as a space when `plus`.
fn push_unquoted(bytes: &[u8], plus: bool, out: &mut Vec<u8>) {
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        match byte {
            b'+' if plus => out.push(b' '),
            b'%' => {
                let hi = bytes.get(i + 1).copied().and_then(hex_digit);
                let lo = bytes.get(i + 2).copied().and_then(hex_digit);
                if let (Some(hi), Some(lo)) = (hi, lo) {
                    out.push((hi << 4) | lo);
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

/// `urllib.parse.unquote_to_bytes(s)`: `%XX` with two hex digits becomes the byte, anything
/// else (`%`, `%2`, `%zz`) is kept literally. Borrows when there is no `%`.
#[must_use]
pub fn unquote_to_bytes(s: &[u8]) -> Cow<'_, [u8]> {
    if !s.contains(&b'%') {
        return Cow::Borrowed(s);
    }
    let mut out = Vec::with_capacity(s.len());
    push_unquoted(s, false, &mut out);
    Cow::Owned(out)
}

/// `urllib.parse.unquote(s)` (UTF-8, `errors="replace"`).
#[must_use]
pub fn unquote(s: &str) -> Cow<'_, str> {
    unquote_impl(s, &Charset::UTF_8, false)
}

/// `urllib.parse.unquote(s, encoding=charset, errors="replace")`.
///
/// Without any `%` the text is returned as is (Python's fast path, whatever the charset).
/// Otherwise every maximal run of ASCII characters is percent-decoded to bytes and decoded
/// with the charset (invalid sequences become U+FFFD, malformed escapes stay literal), while
/// non-ASCII characters are kept untouched.
#[must_use]
pub fn unquote_with<'a>(s: &'a str, charset: &Charset) -> Cow<'a, str> {
    unquote_impl(s, charset, false)
}

/// `urllib.parse.unquote_plus(s, encoding=charset, errors="replace")`: [`unquote_with`]
/// after replacing `+` with a space.
///
/// # Examples
///
/// ```
/// use nuages_py::codecs::Charset;
/// use nuages_py::urllib_parse::unquote_plus;
///
/// assert_eq!(unquote_plus("a+b%20c%C3%A9", &Charset::UTF_8), "a b cé");
/// assert_eq!(unquote_plus("caf%E9", &Charset::LATIN_1), "café");
/// ```
#[must_use]
pub fn unquote_plus<'a>(s: &'a str, charset: &Charset) -> Cow<'a, str> {
    unquote_impl(s, charset, true)
}

fn unquote_impl<'a>(s: &'a str, charset: &Charset, plus: bool) -> Cow<'a, str> {
    let bytes = s.as_bytes();
    if !bytes.contains(&b'%') {
        return if plus && bytes.contains(&b'+') {
            Cow::Owned(s.replace('+', " "))
        } else {
            Cow::Borrowed(s)
        };
    }
    if charset.is_utf8() {
        // For UTF-8, decoding the whole component at once gives the same text as decoding
        // each ASCII run separately: a literal non-ASCII character always starts with a lead
        // byte, which ends any incomplete sequence before it exactly like the end of a run.
        let mut buf = Vec::with_capacity(bytes.len());
        push_unquoted(bytes, plus, &mut buf);
        return Cow::Owned(match String::from_utf8(buf) {
            Ok(text) => text,
            Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
        });
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
            out.extend(run.chars().map(|c| if plus && c == '+' { ' ' } else { c }));
        } else {
            buf.clear();
            push_unquoted(run.as_bytes(), plus, &mut buf);
            out.push_str(&charset.decode_lossy(&buf));
        }
    }
    Cow::Owned(out)
}

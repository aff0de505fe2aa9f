//! The parts of Python 3.11's `urllib.parse` Django's URL helpers depend on: `urlsplit`
//! (with its validation), `urlparse`, `urlunsplit`/`urlunparse` and `urljoin`.

use std::borrow::Cow;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

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
                    crate::utils::pystr::repr(host)
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
pub(crate) struct SplitUrl<'a> {
    pub(crate) scheme: Cow<'a, str>,
    pub(crate) netloc: &'a str,
    pub(crate) path: &'a str,
    pub(crate) query: &'a str,
    pub(crate) fragment: &'a str,
}

/// The cleaning step of `urlsplit`: strip leading C0 controls and spaces, drop every
/// `\t`, `\r` and `\n`.
pub(crate) fn clean(url: &str) -> Cow<'_, str> {
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
pub(crate) fn urlsplit<'a>(
    url: &'a str,
    default_scheme: &'a str,
) -> Result<SplitUrl<'a>, InvalidUrl> {
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
fn urlparse<'a>(
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

/// `urlunparse((scheme, netloc, path, params, query, fragment))`.
fn urlunparse(split: &SplitUrl<'_>, path: &str, params: &str) -> String {
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
pub(crate) fn urljoin(base: &str, url: &str) -> Result<String, InvalidUrl> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn split(url: &str) -> Result<(String, String, String, String, String), InvalidUrl> {
        let cleaned = clean(url);
        let s = urlsplit(&cleaned, "")?;
        Ok((
            s.scheme.into_owned(),
            s.netloc.into(),
            s.path.into(),
            s.query.into(),
            s.fragment.into(),
        ))
    }

    #[test]
    fn urlsplit_matches_python() {
        let t = |a: &str, b: &str, c: &str, d: &str, e: &str| {
            Ok((
                a.to_owned(),
                b.to_owned(),
                c.to_owned(),
                d.to_owned(),
                e.to_owned(),
            ))
        };
        assert_eq!(
            split("HTTP://Host:80/p;x?q=1#f"),
            t("http", "Host:80", "/p;x", "q=1", "f")
        );
        assert_eq!(split("////double"), t("", "", "//double", "", ""));
        assert_eq!(split(" \x01//a\tb/c\n"), t("", "ab", "/c", "", ""));
        assert_eq!(split("mailto:a@b.c"), t("mailto", "", "a@b.c", "", ""));
        assert_eq!(split("1http://x"), t("", "", "1http://x", "", ""));
        assert_eq!(split("path:80"), t("path", "", "80", "", ""));
        assert_eq!(split("//[::1]:80/x"), t("", "[::1]:80", "/x", "", ""));
        assert_eq!(
            split("//[fe80::1%eth0]/"),
            t("", "[fe80::1%eth0]", "/", "", "")
        );
        assert_eq!(split("//[v1.x]/"), t("", "[v1.x]", "/", "", ""));
        assert_eq!(split("//[::1/x"), Err(InvalidUrl::UnbalancedBrackets));
        assert_eq!(split("//[1.2.3.4]/"), Err(InvalidUrl::BracketedIpv4));
        assert_eq!(split("//[v.x]/"), Err(InvalidUrl::InvalidIpvFuture));
        assert_eq!(
            split("//[zz]/").unwrap_err().to_string(),
            "'zz' does not appear to be an IPv4 or IPv6 address"
        );
        assert!(split("//a\u{ff0f}b/").is_err());
        assert!(split("//caf\u{e9}/").is_ok());
    }

    #[test]
    fn urljoin_matches_python() {
        let base = "http://a/b/c/d;p?q";
        // RFC 3986 section 5.4 examples as resolved by CPython 3.11.
        for (rel, expected) in [
            ("g:h", "g:h"),
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"),
            ("g#s", "http://a/b/c/g#s"),
            (";x", "http://a/b/c/;x"),
            ("g;x", "http://a/b/c/g;x"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("./", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("/../g", "http://a/g"),
            ("g.", "http://a/b/c/g."),
            ("..g", "http://a/b/c/..g"),
            ("./../g", "http://a/b/g"),
            ("g/./h", "http://a/b/c/g/h"),
            ("g/../h", "http://a/b/c/h"),
            ("http:g", "http://a/b/c/g"),
            ("http:", "http://a/b/c/d;p?q"),
            ("a//b", "http://a/b/c/a/b"),
        ] {
            assert_eq!(urljoin(base, rel).unwrap(), expected, "{rel:?}");
        }
        assert_eq!(urljoin("", "x").unwrap(), "x");
        assert_eq!(urljoin("http://h/p", "//").unwrap(), "http://h/p");
        assert_eq!(
            urljoin("http://h/p", "///triple").unwrap(),
            "http://h/triple"
        );
    }
}

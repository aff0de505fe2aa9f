//! Host, port and scheme logic of Django's `HttpRequest` (`get_host`, `_get_raw_host`,
//! `get_port`, `scheme`), as pure functions of the request's headers and settings.

use std::borrow::Cow;

use crate::core::exceptions::DisallowedHost;
use crate::utils::http::is_same_domain;
use nuages_py::builtins::{lower, strip};

/// `ALLOWED_HOSTS` used when `DEBUG` is on and `ALLOWED_HOSTS` is empty.
pub const DEBUG_ALLOWED_HOSTS: [&str; 3] = [".localhost", "127.0.0.1", "[::1]"];

/// Matches Django's `host_validation_re`
/// (`^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::([0-9]+))?$`) against an already
/// lower-cased host; returns the length of the domain part and the port.
fn match_host(host: &str) -> Option<(usize, &str)> {
    let bytes = host.as_bytes();
    let domain_len = if let Some(inner) = host.strip_prefix('[') {
        let close = inner.find(']')?;
        let (before, after) = inner[..close].split_once(':')?;
        let hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
        if !before.bytes().all(hex)
            || after.is_empty()
            || !after.bytes().all(|b| hex(b) || b == b'.' || b == b':')
        {
            return None;
        }
        close + 2
    } else {
        let len = bytes.iter().position(|&b| b == b':').unwrap_or(bytes.len());
        let valid =
            |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'.' || *b == b'-';
        if len == 0 || !bytes[..len].iter().all(valid) {
            return None;
        }
        len
    };
    let port = match &host[domain_len..] {
        "" => "",
        rest => {
            let port = rest.strip_prefix(':')?;
            if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            port
        }
    };
    Some((domain_len, port))
}

/// Splits a host into its lower-cased domain (one trailing dot removed) and its port
/// (empty when absent), Django's `split_domain_port`. `None` when the host is not
/// syntactically valid, including an empty domain (e.g. `.`), where Django returns `""`.
///
/// # Examples
///
/// ```
/// use nuages::http::host::split_domain_port;
///
/// assert_eq!(split_domain_port("Example.COM.:8080").unwrap(), ("example.com".into(), "8080"));
/// assert_eq!(split_domain_port("[::1]").unwrap(), ("[::1]".into(), ""));
/// assert_eq!(split_domain_port("example.com@evil.com"), None);
/// ```
pub fn split_domain_port(host: &str) -> Option<(Cow<'_, str>, &str)> {
    let lowered = lower(host);
    let (domain_len, port) = match_host(&lowered)?;
    // The port is ASCII digits at the end of the string, which lower-casing never changes:
    // it is also a suffix of `host`.
    let port = host.get(host.len().checked_sub(port.len())?..)?;
    let strip_dot = |d: &str| d.strip_suffix('.').unwrap_or(d).len();
    let domain = match lowered {
        Cow::Borrowed(l) => Cow::Borrowed(&l[..strip_dot(&l[..domain_len])]),
        Cow::Owned(mut l) => {
            let len = strip_dot(&l[..domain_len]);
            l.truncate(len);
            Cow::Owned(l)
        }
    };
    if domain.is_empty() {
        return None;
    }
    Some((domain, port))
}

/// Whether a (lower-cased, port-less) domain matches one of the `ALLOWED_HOSTS` patterns:
/// exact (case-insensitive), `.example.org` for the domain and its subdomains, or `*`.
/// Django's `validate_host`.
///
/// # Examples
///
/// ```
/// use nuages::http::host::validate_host;
///
/// assert!(validate_host("a.example.org", &[".example.org"]));
/// assert!(validate_host("anything", &["*"]));
/// assert!(!validate_host("evil.com", &["example.com"]));
/// ```
pub fn validate_host<S: AsRef<str>>(domain: &str, allowed_hosts: &[S]) -> bool {
    allowed_hosts.iter().any(|pattern| {
        let pattern = pattern.as_ref();
        pattern == "*" || is_same_domain(domain, pattern)
    })
}

/// Validates a raw host against `ALLOWED_HOSTS` and returns it unchanged (original case,
/// port and trailing dot kept), Django's `HttpRequest.get_host` once the raw host is known
/// (see [`raw_host`]). With `debug` and no allowed hosts, [`DEBUG_ALLOWED_HOSTS`] apply.
///
/// # Errors
///
/// [`DisallowedHost`] with Django's message when the host is invalid or not allowed.
///
/// # Examples
///
/// ```
/// use nuages::http::host::get_host;
///
/// let allowed = ["example.com".to_owned()];
/// assert_eq!(get_host("EXAMPLE.COM:8080", &allowed, false), Ok("EXAMPLE.COM:8080"));
/// assert_eq!(
///     get_host("evil.com", &allowed, false).unwrap_err().to_string(),
///     "Invalid HTTP_HOST header: 'evil.com'. You may need to add 'evil.com' to ALLOWED_HOSTS."
/// );
/// assert_eq!(get_host("localhost:8000", &[] as &[String], true), Ok("localhost:8000"));
/// ```
pub fn get_host<'a, S: AsRef<str>>(
    raw_host: &'a str,
    allowed_hosts: &[S],
    debug: bool,
) -> Result<&'a str, DisallowedHost> {
    let Some((domain, _port)) = split_domain_port(raw_host) else {
        return Err(DisallowedHost::InvalidDomain {
            host: raw_host.to_owned(),
        });
    };
    let allowed = if debug && allowed_hosts.is_empty() {
        validate_host(&domain, &DEBUG_ALLOWED_HOSTS)
    } else {
        validate_host(&domain, allowed_hosts)
    };
    if allowed {
        Ok(raw_host)
    } else {
        Err(DisallowedHost::NotAllowed {
            host: raw_host.to_owned(),
            domain: domain.into_owned(),
        })
    }
}

/// The host before validation, Django's `HttpRequest._get_raw_host`: `X-Forwarded-Host`
/// (verbatim) when `use_x_forwarded_host` and present, else `Host`, else `server_name` plus
/// `:port` unless the port is the scheme's default (443 when `secure`, else 80).
/// `server_port` is the value of [`get_port`].
///
/// # Examples
///
/// ```
/// use nuages::http::host::raw_host;
///
/// assert_eq!(raw_host(None, Some("h"), "srv", "80", false, false), "h");
/// assert_eq!(raw_host(Some("fwd"), Some("h"), "srv", "80", false, true), "fwd");
/// assert_eq!(raw_host(None, None, "srv", "8080", false, false), "srv:8080");
/// assert_eq!(raw_host(None, None, "srv", "443", true, false), "srv");
/// ```
pub fn raw_host<'a>(
    x_forwarded_host: Option<&'a str>,
    host_header: Option<&'a str>,
    server_name: &'a str,
    server_port: &str,
    secure: bool,
    use_x_forwarded_host: bool,
) -> Cow<'a, str> {
    match (
        x_forwarded_host.filter(|_| use_x_forwarded_host),
        host_header,
    ) {
        (Some(host), _) | (None, Some(host)) => Cow::Borrowed(host),
        (None, None) => {
            if server_port == if secure { "443" } else { "80" } {
                Cow::Borrowed(server_name)
            } else {
                Cow::Owned(format!("{server_name}:{server_port}"))
            }
        }
    }
}

/// The request's port as a string, Django's `HttpRequest.get_port`: `X-Forwarded-Port`
/// when `use_x_forwarded_port` and present, else `SERVER_PORT`.
///
/// # Examples
///
/// ```
/// use nuages::http::host::get_port;
///
/// assert_eq!(get_port(Some("8443"), "80", true), "8443");
/// assert_eq!(get_port(Some("8443"), "80", false), "80");
/// ```
pub fn get_port<'a>(
    x_forwarded_port: Option<&'a str>,
    server_port: &'a str,
    use_x_forwarded_port: bool,
) -> &'a str {
    match x_forwarded_port {
        Some(port) if use_x_forwarded_port => port,
        _ => server_port,
    }
}

/// Applies `SECURE_PROXY_SSL_HEADER`: `None` when the header is absent (fall back to the
/// connection's scheme), else whether its first comma-separated item, stripped, equals
/// `expected` (case-sensitively). `Some(true)` means `https`.
///
/// # Examples
///
/// ```
/// use nuages::http::host::scheme_from_proxy_header;
///
/// assert_eq!(scheme_from_proxy_header(Some(" https ,x"), "https"), Some(true));
/// assert_eq!(scheme_from_proxy_header(Some("HTTPS"), "https"), Some(false));
/// assert_eq!(scheme_from_proxy_header(None, "https"), None);
/// ```
pub fn scheme_from_proxy_header(header_value: Option<&str>, expected: &str) -> Option<bool> {
    let value = header_value?;
    let first = value.split_once(',').map_or(value, |(first, _)| first);
    Some(strip(first) == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_syntax() {
        for valid in [
            "example.com",
            "-example.com",
            "xn--caf-dma.example.org",
            "127.0.0.1:80",
            "[::1]:8000",
            "[::ffff:127.0.0.1]",
            "[:1]",
            "[::]",
            "a..b",
            "example.com.",
            "\u{212a}.com",
        ] {
            assert!(split_domain_port(valid).is_some(), "{valid:?}");
        }
        for invalid in [
            "",
            ".",
            ".:80",
            "example.com:",
            "example.com:abc",
            "example.com:8080:80",
            "[::1",
            "[::1]x",
            "[]",
            "[1]",
            "[g::1]",
            "[::1]:",
            "example.com/path",
            "exa mple.com",
            "example.com\n",
            "caf\u{e9}.com",
            "example.com:\u{661}",
        ] {
            assert_eq!(split_domain_port(invalid), None, "{invalid:?}");
        }
        assert_eq!(
            split_domain_port("[::1]:8000").unwrap(),
            ("[::1]".into(), "8000")
        );
        assert_eq!(
            split_domain_port("\u{212a}.com:80").unwrap(),
            ("k.com".into(), "80")
        );
    }

    #[test]
    fn messages() {
        let err = get_host("a'b", &["*"], false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Invalid HTTP_HOST header: \"a'b\". The domain name provided is not valid according to RFC 1034/1035."
        );
        let err = get_host("Evil.COM.:80", &["example.com"], false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Invalid HTTP_HOST header: 'Evil.COM.:80'. You may need to add 'evil.com' to ALLOWED_HOSTS."
        );
    }

    #[test]
    fn debug_defaults() {
        let none: [&str; 0] = [];
        assert!(get_host("localhost", &none, true).is_ok());
        assert!(get_host("sub.localhost", &none, true).is_ok());
        assert!(get_host("[::1]:8000", &none, true).is_ok());
        assert!(get_host("example.com", &none, true).is_err());
        assert!(get_host("localhost", &none, false).is_err());
    }
}

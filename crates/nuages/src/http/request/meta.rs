//! `request.META`: Django's CGI-style view of the request.

use std::borrow::Cow;

use indexmap::IndexMap;

use super::{latin1, HttpRequest};

/// Django's `request.META`: `HTTP_*` keys for headers, plus `CONTENT_TYPE`, `CONTENT_LENGTH`,
/// `QUERY_STRING`, `REMOTE_ADDR`, `REMOTE_HOST`, `REQUEST_METHOD`, `SERVER_NAME`, `SERVER_PORT`,
/// `PATH_INFO`, `SCRIPT_NAME` and `SERVER_PROTOCOL`.
///
/// # Examples
/// ```
/// let req = nuages::test::RequestFactory::new().get("/x?a=1").header("X-Custom", "v").build();
/// let meta = req.meta();
/// assert_eq!(meta.get("HTTP_X_CUSTOM"), Some("v"));
/// assert_eq!(meta.get("QUERY_STRING"), Some("a=1"));
/// assert_eq!(meta.get("REQUEST_METHOD"), Some("GET"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Meta {
    vars: IndexMap<String, String>,
}

/// The META key of a header name: `user-agent` → `HTTP_USER_AGENT`, `content-type` →
/// `CONTENT_TYPE`.
pub fn meta_key(header_name: &str) -> String {
    let upper = header_name.to_ascii_uppercase().replace('-', "_");
    if upper == "CONTENT_TYPE" || upper == "CONTENT_LENGTH" {
        upper
    } else {
        format!("HTTP_{upper}")
    }
}

impl Meta {
    pub(super) fn build(req: &HttpRequest) -> Meta {
        let mut vars: IndexMap<String, String> =
            IndexMap::with_capacity(req.inner.head.headers.len() + 10);
        for name in req.inner.head.headers.keys() {
            let sep = if name == http::header::COOKIE {
                "; "
            } else {
                ","
            };
            let value = req
                .inner
                .head
                .headers
                .get_all(name)
                .iter()
                .map(|v| latin1(v.as_bytes()))
                .collect::<Vec<Cow<'_, str>>>()
                .join(sep);
            vars.insert(meta_key(name.as_str()), value);
        }
        vars.insert("QUERY_STRING".into(), req.query_string().to_owned());
        vars.insert(
            "REQUEST_METHOD".into(),
            req.inner.head.method.as_str().to_owned(),
        );
        vars.insert("PATH_INFO".into(), req.path_info().to_owned());
        vars.insert("SCRIPT_NAME".into(), req.script_name().to_owned());
        vars.insert(
            "SERVER_NAME".into(),
            req.inner.head.server.name.clone().into_owned(),
        );
        vars.insert(
            "SERVER_PORT".into(),
            req.inner.head.server.port.clone().into_owned(),
        );
        vars.insert(
            "SERVER_PROTOCOL".into(),
            format!("{:?}", req.inner.head.version),
        );
        if let Some(addr) = req.inner.head.remote_addr {
            vars.insert("REMOTE_ADDR".into(), addr.ip().to_string());
            vars.insert("REMOTE_HOST".into(), String::new());
            vars.insert("REMOTE_PORT".into(), addr.port().to_string());
        }
        Meta { vars }
    }

    /// A variable.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.vars.get(key).map(String::as_str)
    }

    /// Whether a variable is present (`key in request.META`).
    pub fn contains_key(&self, key: &str) -> bool {
        self.vars.contains_key(key)
    }

    /// All variables in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Number of variables.
    pub fn len(&self) -> usize {
        self.vars.len()
    }

    /// Whether there are no variables.
    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(meta_key("user-agent"), "HTTP_USER_AGENT");
        assert_eq!(meta_key("Content-Type"), "CONTENT_TYPE");
        assert_eq!(meta_key("content-length"), "CONTENT_LENGTH");
        assert_eq!(meta_key("x-forwarded-for"), "HTTP_X_FORWARDED_FOR");
    }
}

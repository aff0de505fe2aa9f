//! The equivalent of `django/utils/csp.py` (Django 6.0): the [`CSP`] constants, the lazily
//! generated per-request [`LazyNonce`], and [`build_policy`], which renders a policy
//! ([`CspPolicy`], Django's `SECURE_CSP` dict) as a `Content-Security-Policy` header value.
//!
//! A policy maps directive names to values, in insertion order (as a Python `dict`). Each
//! value is one of the Python values Django accepts ([`CspValue`]): a list or tuple of sources
//! (kept in order), a set (sorted), a single string, `True` (the directive alone, such as
//! `upgrade-insecure-requests`), or `False`/`None` (the directive is left out).
//!
//! # Examples
//! ```
//! use nuages::utils::csp::{build_policy, CspPolicy, CSP};
//!
//! let policy = CspPolicy::new()
//!     .directive("default-src", [CSP::SELF])
//!     .directive("script-src", [CSP::SELF, CSP::NONCE])
//!     .directive("upgrade-insecure-requests", true);
//! assert_eq!(
//!     build_policy(&policy, Some("abc123")),
//!     "default-src 'self'; script-src 'self' 'nonce-abc123'; upgrade-insecure-requests"
//! );
//! // Without a nonce (it was never used), the placeholder is dropped.
//! assert_eq!(
//!     build_policy(&policy, None),
//!     "default-src 'self'; script-src 'self'; upgrade-insecure-requests"
//! );
//! ```

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use http::header::{HeaderName, CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY};
use indexmap::IndexMap;
use nuages_py::repr::str_repr;
use rand::RngCore;

use crate::core::exceptions::ImproperlyConfigured;
use crate::http::response::header_value;

/// Django's `CSP` enum: the header names, the quoted keyword sources of the CSP specification
/// and the [`NONCE`](CSP::NONCE) placeholder that the middleware replaces by the request's
/// nonce.
///
/// # Examples
/// ```
/// use nuages::utils::csp::CSP;
/// assert_eq!(CSP::SELF, "'self'");
/// assert_eq!(CSP::NONCE, "<CSP_NONCE_SENTINEL>");
/// assert_eq!(CSP::HEADER_ENFORCE.as_str(), "content-security-policy");
/// ```
#[allow(clippy::upper_case_acronyms)] // Django's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CSP;

impl CSP {
    /// `CSP.HEADER_ENFORCE`: `Content-Security-Policy`.
    pub const HEADER_ENFORCE: HeaderName = CONTENT_SECURITY_POLICY;
    /// `CSP.HEADER_REPORT_ONLY`: `Content-Security-Policy-Report-Only`.
    pub const HEADER_REPORT_ONLY: HeaderName = CONTENT_SECURITY_POLICY_REPORT_ONLY;
    /// `CSP.NONE`: `'none'`.
    pub const NONE: &'static str = "'none'";
    /// `CSP.REPORT_SAMPLE`: `'report-sample'`.
    pub const REPORT_SAMPLE: &'static str = "'report-sample'";
    /// `CSP.SELF`: `'self'`.
    pub const SELF: &'static str = "'self'";
    /// `CSP.STRICT_DYNAMIC`: `'strict-dynamic'`.
    pub const STRICT_DYNAMIC: &'static str = "'strict-dynamic'";
    /// `CSP.UNSAFE_EVAL`: `'unsafe-eval'`.
    pub const UNSAFE_EVAL: &'static str = "'unsafe-eval'";
    /// `CSP.UNSAFE_HASHES`: `'unsafe-hashes'`.
    pub const UNSAFE_HASHES: &'static str = "'unsafe-hashes'";
    /// `CSP.UNSAFE_INLINE`: `'unsafe-inline'`.
    pub const UNSAFE_INLINE: &'static str = "'unsafe-inline'";
    /// `CSP.WASM_UNSAFE_EVAL`: `'wasm-unsafe-eval'`.
    pub const WASM_UNSAFE_EVAL: &'static str = "'wasm-unsafe-eval'";
    /// `CSP.NONCE`: the placeholder replaced by `'nonce-<value>'` when the request's nonce was
    /// used, and removed otherwise. The value itself is arbitrary.
    pub const NONCE: &'static str = "<CSP_NONCE_SENTINEL>";
}

/// Django's `generate_nonce()`: `secrets.token_urlsafe(16)`, 16 random bytes from the
/// operating system in URL-safe base64 without padding (22 characters).
///
/// # Examples
/// ```
/// let nonce = nuages::utils::csp::generate_nonce();
/// assert_eq!(nonce.len(), 22);
/// assert!(nonce.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
/// ```
pub fn generate_nonce() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let mut text = nuages_py::base64::urlsafe_b64encode(&bytes);
    text.truncate(text.trim_end_matches('=').len());
    text
}

/// Django's `LazyNonce`: a nonce generated only when first read ([`LazyNonce::as_str`], or
/// printing it), then the same value for the rest of the request.
///
/// Whether it was read is observable with [`LazyNonce::is_generated`] (Python's
/// `bool(nonce)`), without generating it: the middleware only puts the nonce in the header when
/// something — a template, a view — used it.
///
/// # Examples
/// ```
/// use nuages::utils::csp::LazyNonce;
/// let nonce = LazyNonce::new();
/// assert!(!nonce.is_generated());
/// assert_eq!(nonce.get(), None);
/// let value = nonce.to_string();
/// assert!(nonce.is_generated());
/// assert_eq!(nonce.as_str(), value);
/// assert_eq!(nonce.get(), Some(value.as_str()));
/// ```
#[derive(Default)]
pub struct LazyNonce {
    value: OnceLock<String>,
}

impl LazyNonce {
    /// A nonce not generated yet.
    pub fn new() -> Self {
        LazyNonce::default()
    }

    /// The nonce, generated ([`generate_nonce`]) on the first call.
    pub fn as_str(&self) -> &str {
        self.value.get_or_init(generate_nonce)
    }

    /// Python's `bool(nonce)`: whether the nonce was generated (read) already.
    pub fn is_generated(&self) -> bool {
        self.value.get().is_some()
    }

    /// The nonce if it was generated, without generating it.
    pub fn get(&self) -> Option<&str> {
        self.value.get().map(String::as_str)
    }
}

impl fmt::Display for LazyNonce {
    /// Generates the nonce if needed (Python's `str(nonce)`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for LazyNonce {
    /// Django's `repr()`: `<LazyNonce: 'value'>` once generated; it does not generate it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.get() {
            Some(value) => write!(f, "<LazyNonce: {}>", str_repr(value)),
            None => f.write_str("<LazyNonce: generate_nonce>"),
        }
    }
}

/// The value of one directive in a [`CspPolicy`]: the Python values Django's `build_policy`
/// accepts.
///
/// # Examples
/// ```
/// use nuages::utils::csp::CspValue;
/// assert_eq!(CspValue::from(true), CspValue::Bool(true));
/// assert_eq!(CspValue::from("'self'"), CspValue::Str("'self'".into()));
/// assert_eq!(CspValue::from(["a", "b"]), CspValue::List(vec!["a".into(), "b".into()]));
/// assert_eq!(CspValue::from(None::<&str>), CspValue::None);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub enum CspValue {
    /// `None`: the directive is left out.
    None,
    /// `True`: the directive alone (`upgrade-insecure-requests`); `False`: left out.
    Bool(bool),
    /// A single string: the directive with that one value.
    Str(String),
    /// A `list` or `tuple`: the values in order; an empty list leaves the directive out.
    List(Vec<String>),
    /// A `set`: the values sorted (as Django sorts them, for a stable header).
    Set(BTreeSet<String>),
}

impl CspValue {
    /// The values `build_policy` renders: `None` for a left-out directive, an empty list for
    /// `True`.
    fn values(&self) -> Option<Vec<&str>> {
        match self {
            CspValue::None | CspValue::Bool(false) => None,
            CspValue::Bool(true) => Some(Vec::new()),
            CspValue::Str(s) => Some(vec![s.as_str()]),
            CspValue::List(items) => Some(items.iter().map(String::as_str).collect()),
            CspValue::Set(items) => Some(items.iter().map(String::as_str).collect()),
        }
    }
}

impl fmt::Debug for CspValue {
    /// Python's `repr()` of the value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn items<'a>(
            f: &mut fmt::Formatter<'_>,
            it: impl Iterator<Item = &'a String>,
        ) -> fmt::Result {
            for (i, s) in it.enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                f.write_str(&str_repr(s))?;
            }
            Ok(())
        }
        match self {
            CspValue::None => f.write_str("None"),
            CspValue::Bool(true) => f.write_str("True"),
            CspValue::Bool(false) => f.write_str("False"),
            CspValue::Str(s) => f.write_str(&str_repr(s)),
            CspValue::List(l) => {
                f.write_str("[")?;
                items(f, l.iter())?;
                f.write_str("]")
            }
            CspValue::Set(s) if s.is_empty() => f.write_str("set()"),
            CspValue::Set(s) => {
                f.write_str("{")?;
                items(f, s.iter())?;
                f.write_str("}")
            }
        }
    }
}

impl From<bool> for CspValue {
    fn from(value: bool) -> Self {
        CspValue::Bool(value)
    }
}

impl From<&str> for CspValue {
    fn from(value: &str) -> Self {
        CspValue::Str(value.to_owned())
    }
}

impl From<String> for CspValue {
    fn from(value: String) -> Self {
        CspValue::Str(value)
    }
}

impl From<Vec<String>> for CspValue {
    fn from(value: Vec<String>) -> Self {
        CspValue::List(value)
    }
}

impl From<Vec<&str>> for CspValue {
    fn from(value: Vec<&str>) -> Self {
        CspValue::List(value.into_iter().map(str::to_owned).collect())
    }
}

impl From<&[&str]> for CspValue {
    fn from(value: &[&str]) -> Self {
        CspValue::List(value.iter().map(|s| (*s).to_owned()).collect())
    }
}

impl<const N: usize> From<[&str; N]> for CspValue {
    fn from(value: [&str; N]) -> Self {
        CspValue::List(value.iter().map(|s| (*s).to_owned()).collect())
    }
}

impl From<BTreeSet<String>> for CspValue {
    fn from(value: BTreeSet<String>) -> Self {
        CspValue::Set(value)
    }
}

impl<S: std::hash::BuildHasher> From<HashSet<String, S>> for CspValue {
    fn from(value: HashSet<String, S>) -> Self {
        CspValue::Set(value.into_iter().collect())
    }
}

impl<T: Into<CspValue>> From<Option<T>> for CspValue {
    fn from(value: Option<T>) -> Self {
        value.map_or(CspValue::None, Into::into)
    }
}

/// A CSP configuration, Django's `SECURE_CSP` / `SECURE_CSP_REPORT_ONLY` dict: directive names
/// mapped to [`CspValue`]s, in insertion order. Setting a directive again replaces its value
/// in place, as in a `dict`. An empty policy (Django's `{}`) sends no header.
///
/// Parsed from a header-like text with [`str::parse`] (what `NUAGES_SECURE_CSP` holds):
/// directives separated by `;`, each a name followed by whitespace-separated values (a list),
/// or a name alone (`True`).
///
/// # Examples
/// ```
/// use nuages::utils::csp::{CspPolicy, CSP};
/// let policy = CspPolicy::new()
///     .directive("default-src", [CSP::SELF])
///     .directive("img-src", [CSP::SELF, "data:"]);
/// assert_eq!(policy.build(None), "default-src 'self'; img-src 'self' data:");
///
/// let parsed: CspPolicy = "default-src 'self'; img-src 'self' data:".parse().unwrap();
/// assert_eq!(parsed, policy);
/// assert_eq!(format!("{policy:?}"), r#"{'default-src': ["'self'"], 'img-src': ["'self'", 'data:']}"#);
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CspPolicy {
    directives: IndexMap<String, CspValue>,
}

impl CspPolicy {
    /// An empty policy (`{}`): no header.
    pub fn new() -> Self {
        CspPolicy::default()
    }

    /// Builder form of [`CspPolicy::insert`].
    #[must_use]
    pub fn directive(mut self, name: impl Into<String>, value: impl Into<CspValue>) -> Self {
        self.insert(name, value);
        self
    }

    /// `config[name] = value`: sets a directive (in place if it is there already) and returns
    /// the value it replaces.
    ///
    /// # Examples
    /// ```
    /// let mut policy = nuages::utils::csp::CspPolicy::new().directive("a", "1").directive("b", "2");
    /// policy.insert("a", "3");
    /// assert_eq!(policy.build(None), "a 3; b 2");
    /// ```
    pub fn insert(
        &mut self,
        name: impl Into<String>,
        value: impl Into<CspValue>,
    ) -> Option<CspValue> {
        self.directives.insert(name.into(), value.into())
    }

    /// `config.pop(name)`: removes a directive, keeping the order of the others.
    ///
    /// # Examples
    /// ```
    /// let mut policy = nuages::utils::csp::CspPolicy::new().directive("a", "1").directive("b", "2");
    /// assert!(policy.remove("a").is_some());
    /// assert_eq!(policy.build(None), "b 2");
    /// ```
    pub fn remove(&mut self, name: &str) -> Option<CspValue> {
        self.directives.shift_remove(name)
    }

    /// The value of a directive.
    ///
    /// # Examples
    /// ```
    /// let policy = nuages::utils::csp::CspPolicy::new().directive("sandbox", true);
    /// assert_eq!(policy.get("sandbox"), Some(&true.into()));
    /// ```
    pub fn get(&self, name: &str) -> Option<&CspValue> {
        self.directives.get(name)
    }

    /// The directives in order.
    ///
    /// # Examples
    /// ```
    /// let policy = nuages::utils::csp::CspPolicy::new().directive("b", "1").directive("a", "2");
    /// assert_eq!(policy.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["b", "a"]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &CspValue)> {
        self.directives.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// How many directives (left-out ones included).
    ///
    /// # Examples
    /// ```
    /// assert_eq!(nuages::utils::csp::CspPolicy::new().directive("a", None::<&str>).len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.directives.len()
    }

    /// Whether the policy is `{}` — Django's test `if config`: an empty policy sends no header,
    /// while a policy whose directives are all left out sends an empty one.
    ///
    /// # Examples
    /// ```
    /// use nuages::utils::csp::CspPolicy;
    /// assert!(CspPolicy::new().is_empty());
    /// assert!(!CspPolicy::new().directive("script-src", None::<&str>).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.directives.is_empty()
    }

    /// [`build_policy`]`(self, nonce)`.
    ///
    /// # Examples
    /// ```
    /// let policy = nuages::utils::csp::CspPolicy::new().directive("default-src", ["'self'"]);
    /// assert_eq!(policy.build(Some("n")), "default-src 'self'");
    /// ```
    pub fn build(&self, nonce: Option<&str>) -> String {
        build_policy(self, nonce)
    }

    /// Checks that the policy makes a valid header value (Django would raise `BadHeaderError`
    /// when sending it): no newline or other control character in a name or a value.
    ///
    /// # Errors
    /// [`ImproperlyConfigured`] naming the bad text.
    ///
    /// # Examples
    /// ```
    /// use nuages::utils::csp::CspPolicy;
    /// assert!(CspPolicy::new().directive("default-src", "'self'").check().is_ok());
    /// assert!(CspPolicy::new().directive("default-src", "a\nb").check().is_err());
    /// ```
    pub fn check(&self) -> Result<(), ImproperlyConfigured> {
        // The nonce is URL-safe base64: a stand-in renders every text the header can hold.
        header_value(&self.build(Some("x")))
            .map(drop)
            .map_err(|e| ImproperlyConfigured::new(format!("invalid CSP policy {self:?}: {e}")))
    }
}

impl fmt::Debug for CspPolicy {
    /// Python's `repr()` of the dict.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, (k, v)) in self.directives.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}: {v:?}", str_repr(k))?;
        }
        f.write_str("}")
    }
}

impl<K: Into<String>, V: Into<CspValue>> FromIterator<(K, V)> for CspPolicy {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut policy = CspPolicy::new();
        for (k, v) in iter {
            policy.insert(k, v);
        }
        policy
    }
}

impl FromStr for CspPolicy {
    type Err = ImproperlyConfigured;

    /// Parses `name value value; name; …`: a name with values is a list, a name alone `True`;
    /// empty text is the empty policy.
    ///
    /// # Errors
    /// A policy that [`CspPolicy::check`] refuses.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut policy = CspPolicy::new();
        for part in s.split(';') {
            let mut words = part.split_whitespace();
            let Some(name) = words.next() else {
                continue;
            };
            let values: Vec<String> = words.map(str::to_owned).collect();
            if values.is_empty() {
                policy.insert(name, true);
            } else {
                policy.insert(name, values);
            }
        }
        policy.check()?;
        Ok(policy)
    }
}

/// Django's `build_policy(config, nonce=None)`: the header value of a policy.
///
/// Directives are rendered in order, `name value value`, joined by `"; "`. `None` and `False`
/// leave a directive out, `True` renders its name alone, a set is sorted, a string is one
/// value. [`CSP::NONCE`] becomes `'nonce-<nonce>'` when `nonce` is given (and not empty), and is
/// removed otherwise; a directive left with no value is left out. Trailing spaces of a rendered
/// directive are stripped (Python's `rstrip()`).
///
/// # Examples
/// ```
/// use nuages::utils::csp::{build_policy, CspPolicy, CSP};
/// use std::collections::BTreeSet;
///
/// let set: BTreeSet<String> = [CSP::SELF, "foo.com", "bar.com"].map(String::from).into();
/// let policy = CspPolicy::new()
///     .directive("default-src", set)
///     .directive("script-src", [CSP::NONCE])
///     .directive("block-all-mixed-content", false);
/// assert_eq!(build_policy(&policy, None), "default-src 'self' bar.com foo.com");
/// assert_eq!(
///     build_policy(&policy, Some("abc")),
///     "default-src 'self' bar.com foo.com; script-src 'nonce-abc'"
/// );
/// assert_eq!(build_policy(&CspPolicy::new(), None), "");
/// ```
pub fn build_policy(config: &CspPolicy, nonce: Option<&str>) -> String {
    let nonce = nonce.filter(|n| !n.is_empty());
    let mut policy: Vec<String> = Vec::with_capacity(config.len());
    for (directive, value) in config.iter() {
        let Some(values) = value.values() else {
            continue;
        };
        let rendered_value = if matches!(value, CspValue::Bool(true)) {
            String::new()
        } else {
            let nonce_source;
            let values: Vec<&str> = match nonce {
                Some(n) if values.contains(&CSP::NONCE) => {
                    nonce_source = format!("'nonce-{n}'");
                    values
                        .into_iter()
                        .map(|v| {
                            if v == CSP::NONCE {
                                nonce_source.as_str()
                            } else {
                                v
                            }
                        })
                        .collect()
                }
                _ => values.into_iter().filter(|v| *v != CSP::NONCE).collect(),
            };
            if values.is_empty() {
                continue;
            }
            values.join(" ")
        };
        let line = format!("{directive} {rendered_value}");
        policy.push(line.trim_end().to_owned());
    }
    policy.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic() -> CspPolicy {
        CspPolicy::new().directive("default-src", [CSP::SELF])
    }

    #[test]
    fn constants() {
        assert_eq!(CSP::NONE, "'none'");
        assert_eq!(CSP::REPORT_SAMPLE, "'report-sample'");
        assert_eq!(CSP::STRICT_DYNAMIC, "'strict-dynamic'");
        assert_eq!(CSP::UNSAFE_EVAL, "'unsafe-eval'");
        assert_eq!(CSP::UNSAFE_HASHES, "'unsafe-hashes'");
        assert_eq!(CSP::UNSAFE_INLINE, "'unsafe-inline'");
        assert_eq!(CSP::WASM_UNSAFE_EVAL, "'wasm-unsafe-eval'");
        assert_eq!(
            CSP::HEADER_REPORT_ONLY.as_str(),
            "content-security-policy-report-only"
        );
    }

    #[test]
    fn build_like_django() {
        assert_eq!(build_policy(&CspPolicy::new(), None), "");
        assert_eq!(basic().build(None), "default-src 'self'");
        assert_eq!(basic().build(Some("abc123")), "default-src 'self'");
        let p = basic().directive("script-src", None::<&str>);
        assert_eq!(p.build(None), "default-src 'self'");
        let p = CspPolicy::new().directive("default-src", Vec::<String>::new());
        assert_eq!(p.build(None), "");
        let p = CspPolicy::new()
            .directive("a", "")
            .directive("b", ["x", ""]);
        assert_eq!(p.build(None), "a; b x");
        let p = CspPolicy::new().directive("a", ["", "x"]);
        assert_eq!(p.build(None), "a  x");
        let p = CspPolicy::new().directive("s", [CSP::NONCE, CSP::SELF, CSP::NONCE]);
        assert_eq!(p.build(Some("n")), "s 'nonce-n' 'self' 'nonce-n'");
        assert_eq!(p.build(Some("")), "s 'self'");
        let only = CspPolicy::new()
            .directive("s", CSP::NONCE)
            .directive("t", true);
        assert_eq!(only.build(None), "t");
    }

    #[test]
    fn lazy_nonce() {
        let nonce = LazyNonce::new();
        assert_eq!(format!("{nonce:?}"), "<LazyNonce: generate_nonce>");
        assert!(!nonce.is_generated());
        let first = nonce.as_str().to_owned();
        assert_eq!(first.len(), 22);
        assert_eq!(nonce.to_string(), first);
        assert_eq!(format!("{nonce:?}"), format!("<LazyNonce: '{first}'>"));
        assert_ne!(LazyNonce::new().as_str(), first);
    }

    #[test]
    fn parse_and_repr() {
        let p: CspPolicy = "default-src 'self' <CSP_NONCE_SENTINEL>;; upgrade-insecure-requests "
            .parse()
            .unwrap();
        assert_eq!(
            p,
            CspPolicy::new()
                .directive("default-src", [CSP::SELF, CSP::NONCE])
                .directive("upgrade-insecure-requests", true)
        );
        assert!("".parse::<CspPolicy>().unwrap().is_empty());
        assert!("a b\u{7f}".parse::<CspPolicy>().is_err());
        let set: BTreeSet<String> = BTreeSet::new();
        let p = CspPolicy::new()
            .directive("a", set)
            .directive("b", false)
            .directive("c", None::<String>);
        assert_eq!(format!("{p:?}"), "{'a': set(), 'b': False, 'c': None}");
    }
}

//! `Cache-Control` and `Expires`: Django's `patch_cache_control`, `patch_response_headers`
//! and `add_never_cache_headers`.

use http::header::{HeaderValue, CACHE_CONTROL, EXPIRES};
use indexmap::IndexMap;

use crate::utils::http::http_date;
use crate::{Error, HttpResponse};

/// The value of one `patch_cache_control` keyword argument.
///
/// # Examples
/// ```
/// use nuages::utils::cache::{patch_cache_control, CacheDirective};
/// let mut r = nuages::HttpResponse::empty();
/// patch_cache_control(&mut r, [("max_age", CacheDirective::from(60)), ("public", CacheDirective::True)]).unwrap();
/// assert_eq!(r.header("cache-control").as_deref(), Some("max-age=60, public"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheDirective {
    /// `True`: the directive alone (`no-store`).
    True,
    /// Any other value, written `name=value` (`max-age=60`; Python's `False` is `"False"`).
    Value(String),
}

impl From<i64> for CacheDirective {
    fn from(n: i64) -> Self {
        CacheDirective::Value(n.to_string())
    }
}

impl From<&str> for CacheDirective {
    fn from(s: &str) -> Self {
        CacheDirective::Value(s.to_owned())
    }
}

impl From<bool> for CacheDirective {
    fn from(b: bool) -> Self {
        if b {
            CacheDirective::True
        } else {
            CacheDirective::Value("False".into())
        }
    }
}

/// One directive of the header being built: `no-cache` may hold several field names.
enum Entry {
    One(CacheDirective),
    NoCache(Vec<CacheDirective>),
}

/// `dictvalue()`: `name` for `True`, else `name=value`.
fn directive_text(name: &str, value: &CacheDirective) -> String {
    match value {
        CacheDirective::True => name.to_owned(),
        CacheDirective::Value(v) => format!("{name}={v}"),
    }
}

/// Django's `patch_cache_control(response, **kwargs)`: adds the keyword arguments (names with
/// `_` for `-`: `max_age`, `no_cache`, `s_maxage`, …) to the response's `Cache-Control`,
/// keeping its other directives; a new `max_age` is the minimum of the old and the new,
/// `public` replaces `private` and the reverse, and `no-cache` collects field names (`True`
/// wins over them).
///
/// # Errors
/// A `max-age` in the existing header that is not an integer (Django's `ValueError`), or a
/// directive that is not a valid header value.
///
/// # Examples
/// ```
/// use nuages::utils::cache::{patch_cache_control, CacheDirective};
/// let mut r = nuages::HttpResponse::empty().with_header("Cache-Control", "max-age=3600, public");
/// patch_cache_control(&mut r, [("max_age", CacheDirective::from(0))]).unwrap();
/// patch_cache_control(&mut r, [("private", CacheDirective::True)]).unwrap();
/// assert_eq!(r.header("cache-control").as_deref(), Some("max-age=0, private"));
/// ```
pub fn patch_cache_control<'a>(
    response: &mut HttpResponse,
    kwargs: impl IntoIterator<Item = (&'a str, CacheDirective)>,
) -> Result<(), Error> {
    let mut kwargs: Vec<(String, CacheDirective)> =
        kwargs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    let mut cc: IndexMap<String, Entry> = IndexMap::new();
    if let Some(existing) = response.header("cache-control").filter(|h| !h.is_empty()) {
        for field in split_directives(&existing) {
            let (name, value) = match field.split_once('=') {
                Some((n, v)) => (n.to_lowercase(), CacheDirective::Value(v.to_owned())),
                None => (field.to_lowercase(), CacheDirective::True),
            };
            if name == "no-cache" {
                match cc.entry(name).or_insert_with(|| Entry::NoCache(Vec::new())) {
                    Entry::NoCache(values) if !values.contains(&value) => values.push(value),
                    _ => {}
                }
            } else {
                cc.insert(name, Entry::One(value));
            }
        }
    }
    if let (Some(Entry::One(old)), Some(new)) = (
        cc.get("max-age"),
        kwargs.iter_mut().find(|(k, _)| k == "max_age"),
    ) {
        let int = |d: &CacheDirective| -> Result<i64, Error> {
            match d {
                CacheDirective::True => Ok(1),
                CacheDirective::Value(v) => v.trim().parse::<i64>().map_err(|_| {
                    Error::msg(format!(
                        "invalid literal for int() with base 10: {}",
                        nuages_py::repr::str_repr(v)
                    ))
                }),
            }
        };
        new.1 = CacheDirective::from(int(old)?.min(int(&new.1)?));
    }
    if cc.contains_key("private") && kwargs.iter().any(|(k, _)| k == "public") {
        cc.shift_remove("private");
    } else if cc.contains_key("public") && kwargs.iter().any(|(k, _)| k == "private") {
        cc.shift_remove("public");
    }
    for (k, v) in kwargs {
        let name = k.replace('_', "-");
        if name == "no-cache" {
            match cc.entry(name).or_insert_with(|| Entry::NoCache(Vec::new())) {
                Entry::NoCache(values) if !values.contains(&v) => values.push(v),
                Entry::NoCache(_) => {}
                one @ Entry::One(_) => *one = Entry::NoCache(vec![v]),
            }
        } else {
            cc.insert(name, Entry::One(v));
        }
    }
    let mut directives = Vec::new();
    for (name, entry) in &cc {
        match entry {
            Entry::NoCache(values) if values.contains(&CacheDirective::True) => {
                directives.push(name.clone());
            }
            Entry::NoCache(values) => {
                directives.extend(values.iter().map(|v| directive_text(name, v)))
            }
            Entry::One(v) => directives.push(directive_text(name, v)),
        }
    }
    let value = HeaderValue::from_str(&directives.join(", ")).map_err(Error::from)?;
    response.set_header_value(CACHE_CONTROL, value);
    Ok(())
}

/// `cc_delim_re.split()`: fields separated by commas with any whitespace around them.
fn split_directives(header: &str) -> impl Iterator<Item = &str> {
    let mut parts: Vec<&str> = header.split(',').collect();
    let last = parts.len() - 1;
    for (i, p) in parts.iter_mut().enumerate() {
        let mut s = *p;
        if i > 0 {
            s = s.trim_start();
        }
        if i < last {
            s = s.trim_end();
        }
        *p = s;
    }
    parts.into_iter()
}

/// Django's `patch_response_headers(response, cache_timeout)`: `Expires` (now + the timeout,
/// if not set) and `max-age=<timeout>` in `Cache-Control`; a negative timeout counts as 0.
///
/// # Errors
/// As [`patch_cache_control`].
///
/// # Examples
/// ```
/// let mut r = nuages::HttpResponse::empty();
/// nuages::utils::cache::patch_response_headers(&mut r, 60).unwrap();
/// assert_eq!(r.header("cache-control").as_deref(), Some("max-age=60"));
/// assert!(r.header("expires").unwrap().ends_with(" GMT"));
/// ```
pub fn patch_response_headers(
    response: &mut HttpResponse,
    cache_timeout: i64,
) -> Result<(), Error> {
    let timeout = cache_timeout.max(0);
    if !response.has_header("Expires") {
        let when = chrono::Utc::now().timestamp().saturating_add(timeout);
        let date = http_date(when).map_err(Error::internal)?;
        let value = HeaderValue::from_str(&date).map_err(Error::from)?;
        response.set_header_value(EXPIRES, value);
    }
    patch_cache_control(response, [("max_age", CacheDirective::from(timeout))])
}

/// Django's `add_never_cache_headers(response)`: `Expires` now (if not set) and
/// `Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private`.
///
/// # Errors
/// As [`patch_cache_control`].
///
/// # Examples
/// ```
/// let mut r = nuages::HttpResponse::empty();
/// nuages::utils::cache::add_never_cache_headers(&mut r).unwrap();
/// assert_eq!(
///     r.header("cache-control").as_deref(),
///     Some("max-age=0, no-cache, no-store, must-revalidate, private")
/// );
/// ```
pub fn add_never_cache_headers(response: &mut HttpResponse) -> Result<(), Error> {
    patch_response_headers(response, -1)?;
    patch_cache_control(
        response,
        [
            ("no_cache", CacheDirective::True),
            ("no_store", CacheDirective::True),
            ("must_revalidate", CacheDirective::True),
            ("private", CacheDirective::True),
        ],
    )
}

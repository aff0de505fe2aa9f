//! The equivalent of `django/templatetags/static.py` (as `django.contrib.staticfiles` serves
//! it): the URL of a static file, for the `static()` template global.

/// The URL of the static file `path`: Django's `static(path)` with staticfiles installed
/// (`StaticFilesStorage.url`): the path is quoted like `filepath_to_uri` (`\` becomes `/`;
/// `/~!*()'` kept), its leading slashes dropped, and the result joined to `STATIC_URL` with
/// `urljoin`. A relative `STATIC_URL` (`static/`) gets the script prefix `/`, as Django's
/// settings do.
///
/// # Errors
/// `STATIC_URL` is not a valid URL.
///
/// # Examples
/// ```
/// use nuages::templatetags::static_url;
/// assert_eq!(static_url("/static/", "css/site.css").unwrap(), "/static/css/site.css");
/// assert_eq!(static_url("static/", "/img/a b.png").unwrap(), "/static/img/a%20b.png");
/// assert_eq!(static_url("https://cdn.example.com/s/", "x.js").unwrap(), "https://cdn.example.com/s/x.js");
/// ```
pub fn static_url(static_url: &str, path: &str) -> Result<String, crate::Error> {
    let base = if static_url.starts_with('/')
        || static_url.starts_with("http://")
        || static_url.starts_with("https://")
    {
        static_url.to_owned()
    } else {
        format!("/{static_url}")
    };
    let uri = filepath_to_uri(path);
    nuages_py::urllib_parse::urljoin(&base, uri.trim_start_matches('/'))
        .map_err(|e| crate::Error::msg(e.to_string()))
}

/// Django's `filepath_to_uri`: `quote(path.replace("\\", "/"), safe="/~!*()'")`.
fn filepath_to_uri(path: &str) -> String {
    const SAFE: &[u8] = b"/~!*()'_.-";
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || SAFE.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

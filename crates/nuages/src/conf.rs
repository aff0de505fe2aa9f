//! The equivalent of `django.conf.settings` for the HTTP layer: one [`Settings`] value, built in
//! code with Django's names and defaults, overridable from environment variables.
//!
//! Settings are a plain value shared by the application (`Arc<Settings>`), never a process-wide
//! global, so tests can run several differently configured apps side by side.
//!
//! # Environment variables
//!
//! [`Settings::from_env`] starts from the defaults and reads (all optional):
//!
//! | variable | setting | format |
//! |---|---|---|
//! | `NUAGES_DEBUG` | `debug` | `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off` |
//! | `NUAGES_SECRET_KEY` | `secret_key` | string |
//! | `NUAGES_ALLOWED_HOSTS` | `allowed_hosts` | comma-separated list |
//! | `NUAGES_DEFAULT_CHARSET` | `default_charset` | codec name |
//! | `NUAGES_USE_X_FORWARDED_HOST` | `use_x_forwarded_host` | boolean |
//! | `NUAGES_USE_X_FORWARDED_PORT` | `use_x_forwarded_port` | boolean |
//! | `NUAGES_SECURE_PROXY_SSL_HEADER` | `secure_proxy_ssl_header` | `Header-Name,value` (e.g. `X-Forwarded-Proto,https`) |
//! | `NUAGES_FORCE_SCRIPT_NAME` | `force_script_name` | string |
//! | `NUAGES_DATA_UPLOAD_MAX_MEMORY_SIZE` | `data_upload_max_memory_size` | bytes, or `none` |
//! | `NUAGES_DATA_UPLOAD_MAX_NUMBER_FIELDS` | `data_upload_max_number_fields` | count, or `none` |
//! | `NUAGES_APPEND_SLASH` | `append_slash` | boolean |

use std::env;

use http::HeaderName;

use crate::core::exceptions::ImproperlyConfigured;

/// Django settings that the HTTP layer reads, with Django's defaults.
///
/// # Examples
/// ```
/// use nuages::Settings;
/// let settings = Settings {
///     debug: true,
///     allowed_hosts: vec!["example.com".into()],
///     ..Settings::default()
/// };
/// assert_eq!(settings.default_charset, "utf-8");
/// assert!(settings.check().is_ok()); // DEBUG may run without SECRET_KEY
/// ```
#[derive(Debug, Clone)]
pub struct Settings {
    /// `DEBUG` (default `false`).
    pub debug: bool,
    /// `SECRET_KEY` (default empty: an error at start-up unless DEBUG).
    pub secret_key: String,
    /// `SECRET_KEY_FALLBACKS`.
    pub secret_key_fallbacks: Vec<String>,
    /// `ALLOWED_HOSTS` (default empty).
    pub allowed_hosts: Vec<String>,
    /// `DEFAULT_CHARSET` (default `"utf-8"`).
    pub default_charset: String,
    /// `USE_X_FORWARDED_HOST` (default `false`).
    pub use_x_forwarded_host: bool,
    /// `USE_X_FORWARDED_PORT` (default `false`).
    pub use_x_forwarded_port: bool,
    /// `SECURE_PROXY_SSL_HEADER`: the header (as a name, e.g. `x-forwarded-proto`, not the
    /// `HTTP_X_FORWARDED_PROTO` META key) and the value meaning "secure".
    pub secure_proxy_ssl_header: Option<(HeaderName, String)>,
    /// `FORCE_SCRIPT_NAME` (default `None`).
    pub force_script_name: Option<String>,
    /// `DATA_UPLOAD_MAX_MEMORY_SIZE` (default 2.5 MiB; `None` disables the check).
    pub data_upload_max_memory_size: Option<u64>,
    /// `DATA_UPLOAD_MAX_NUMBER_FIELDS` (default 1000).
    pub data_upload_max_number_fields: Option<usize>,
    /// `DATA_UPLOAD_MAX_NUMBER_FILES` (default 100).
    pub data_upload_max_number_files: Option<usize>,
    /// `FILE_UPLOAD_MAX_MEMORY_SIZE` (default 2.5 MiB): larger uploaded files go to a temporary
    /// file.
    pub file_upload_max_memory_size: u64,
    /// `FILE_UPLOAD_TEMP_DIR` (default: the system temporary directory).
    pub file_upload_temp_dir: Option<std::path::PathBuf>,
    /// `APPEND_SLASH` (default `true`).
    pub append_slash: bool,
    /// `SECURE_HSTS_SECONDS` (default 0).
    pub secure_hsts_seconds: u64,
    /// `SECURE_HSTS_INCLUDE_SUBDOMAINS` (default `false`).
    pub secure_hsts_include_subdomains: bool,
    /// `SECURE_HSTS_PRELOAD` (default `false`).
    pub secure_hsts_preload: bool,
    /// `SECURE_CONTENT_TYPE_NOSNIFF` (default `true`).
    pub secure_content_type_nosniff: bool,
    /// `SECURE_REFERRER_POLICY` (default `Some("same-origin")`).
    pub secure_referrer_policy: Option<String>,
    /// `SECURE_CROSS_ORIGIN_OPENER_POLICY` (default `Some("same-origin")`).
    pub secure_cross_origin_opener_policy: Option<String>,
    /// `SECURE_SSL_REDIRECT` (default `false`).
    pub secure_ssl_redirect: bool,
    /// `SECURE_SSL_HOST` (default `None`).
    pub secure_ssl_host: Option<String>,
    /// `SECURE_REDIRECT_EXEMPT`: regexes matched against the path without its leading `/`.
    pub secure_redirect_exempt: Vec<String>,
    /// `X_FRAME_OPTIONS` (default `"DENY"`).
    pub x_frame_options: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            debug: false,
            secret_key: String::new(),
            secret_key_fallbacks: Vec::new(),
            allowed_hosts: Vec::new(),
            default_charset: "utf-8".to_owned(),
            use_x_forwarded_host: false,
            use_x_forwarded_port: false,
            secure_proxy_ssl_header: None,
            force_script_name: None,
            data_upload_max_memory_size: Some(2_621_440),
            data_upload_max_number_fields: Some(1000),
            data_upload_max_number_files: Some(100),
            file_upload_max_memory_size: 2_621_440,
            file_upload_temp_dir: None,
            append_slash: true,
            secure_hsts_seconds: 0,
            secure_hsts_include_subdomains: false,
            secure_hsts_preload: false,
            secure_content_type_nosniff: true,
            secure_referrer_policy: Some("same-origin".to_owned()),
            secure_cross_origin_opener_policy: Some("same-origin".to_owned()),
            secure_ssl_redirect: false,
            secure_ssl_host: None,
            secure_redirect_exempt: Vec::new(),
            x_frame_options: "DENY".to_owned(),
        }
    }
}

fn parse_bool(name: &str, v: &str) -> Result<bool, ImproperlyConfigured> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        _ => Err(ImproperlyConfigured::new(format!(
            "{name} must be a boolean, got {v:?}"
        ))),
    }
}

fn parse_limit<T: std::str::FromStr>(
    name: &str,
    v: &str,
) -> Result<Option<T>, ImproperlyConfigured> {
    let v = v.trim();
    if v.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    v.parse().map(Some).map_err(|_| {
        ImproperlyConfigured::new(format!("{name} must be a number or 'none', got {v:?}"))
    })
}

impl Settings {
    /// Applies the `NUAGES_*` environment variables (see the module docs) on top of `self`.
    ///
    /// # Errors
    /// A variable whose value cannot be parsed.
    pub fn with_env(self) -> Result<Self, ImproperlyConfigured> {
        self.with_vars(|k| env::var(k).ok())
    }

    /// Django's defaults overridden by the environment: `Settings::default().with_env()`.
    ///
    /// # Errors
    /// A variable whose value cannot be parsed.
    pub fn from_env() -> Result<Self, ImproperlyConfigured> {
        Settings::default().with_env()
    }

    /// [`Settings::with_env`] with an explicit variable lookup (for tests).
    ///
    /// # Errors
    /// A variable whose value cannot be parsed.
    pub fn with_vars(
        mut self,
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ImproperlyConfigured> {
        if let Some(v) = get("NUAGES_DEBUG") {
            self.debug = parse_bool("NUAGES_DEBUG", &v)?;
        }
        if let Some(v) = get("NUAGES_SECRET_KEY") {
            self.secret_key = v;
        }
        if let Some(v) = get("NUAGES_ALLOWED_HOSTS") {
            self.allowed_hosts = v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
        }
        if let Some(v) = get("NUAGES_DEFAULT_CHARSET") {
            self.default_charset = v;
        }
        if let Some(v) = get("NUAGES_USE_X_FORWARDED_HOST") {
            self.use_x_forwarded_host = parse_bool("NUAGES_USE_X_FORWARDED_HOST", &v)?;
        }
        if let Some(v) = get("NUAGES_USE_X_FORWARDED_PORT") {
            self.use_x_forwarded_port = parse_bool("NUAGES_USE_X_FORWARDED_PORT", &v)?;
        }
        if let Some(v) = get("NUAGES_SECURE_PROXY_SSL_HEADER") {
            let (name, value) = v.split_once(',').ok_or_else(|| {
                ImproperlyConfigured::new(
                    "NUAGES_SECURE_PROXY_SSL_HEADER must be 'Header-Name,value'",
                )
            })?;
            let name = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| {
                ImproperlyConfigured::new(format!(
                    "invalid header name in NUAGES_SECURE_PROXY_SSL_HEADER: {name:?}"
                ))
            })?;
            self.secure_proxy_ssl_header = Some((name, value.trim().to_owned()));
        }
        if let Some(v) = get("NUAGES_FORCE_SCRIPT_NAME") {
            self.force_script_name = Some(v);
        }
        if let Some(v) = get("NUAGES_DATA_UPLOAD_MAX_MEMORY_SIZE") {
            self.data_upload_max_memory_size =
                parse_limit("NUAGES_DATA_UPLOAD_MAX_MEMORY_SIZE", &v)?;
        }
        if let Some(v) = get("NUAGES_DATA_UPLOAD_MAX_NUMBER_FIELDS") {
            self.data_upload_max_number_fields =
                parse_limit("NUAGES_DATA_UPLOAD_MAX_NUMBER_FIELDS", &v)?;
        }
        if let Some(v) = get("NUAGES_APPEND_SLASH") {
            self.append_slash = parse_bool("NUAGES_APPEND_SLASH", &v)?;
        }
        Ok(self)
    }

    /// Start-up checks: a missing SECRET_KEY outside DEBUG is an error, as in Django.
    ///
    /// # Errors
    /// `ImproperlyConfigured("The SECRET_KEY setting must not be empty.")`.
    pub fn check(&self) -> Result<(), ImproperlyConfigured> {
        if self.secret_key.is_empty() && !self.debug {
            return Err(ImproperlyConfigured::new(
                "The SECRET_KEY setting must not be empty.",
            ));
        }
        for r in &self.secure_redirect_exempt {
            fancy_regex::Regex::new(r).map_err(|e| {
                ImproperlyConfigured::new(format!(
                    "invalid SECURE_REDIRECT_EXEMPT pattern {r:?}: {e}"
                ))
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides() {
        let vars = |k: &str| match k {
            "NUAGES_DEBUG" => Some("true".to_owned()),
            "NUAGES_ALLOWED_HOSTS" => Some("a.com, .b.org".to_owned()),
            "NUAGES_SECURE_PROXY_SSL_HEADER" => Some("X-Forwarded-Proto,https".to_owned()),
            "NUAGES_DATA_UPLOAD_MAX_MEMORY_SIZE" => Some("none".to_owned()),
            _ => None,
        };
        let s = Settings::default().with_vars(vars).unwrap();
        assert!(s.debug);
        assert_eq!(s.allowed_hosts, vec!["a.com", ".b.org"]);
        assert_eq!(s.secure_proxy_ssl_header.unwrap().0, "x-forwarded-proto");
        assert_eq!(s.data_upload_max_memory_size, None);
    }

    #[test]
    fn bad_env_is_an_error() {
        let vars = |k: &str| (k == "NUAGES_DEBUG").then(|| "maybe".to_owned());
        assert!(Settings::default().with_vars(vars).is_err());
    }

    #[test]
    fn secret_key_required_outside_debug() {
        let err = Settings::default().check().unwrap_err();
        assert_eq!(err.to_string(), "The SECRET_KEY setting must not be empty.");
        let s = Settings {
            debug: true,
            ..Settings::default()
        };
        assert!(s.check().is_ok());
    }
}

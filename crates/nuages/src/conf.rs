//! The equivalent of `django.conf.settings`: one [`Settings`] value with Django's names and
//! defaults, built in code and overridable from environment variables.
//!
//! Every setting a Django developer looks for in the HTTP layer is a field named after it in
//! lower case — `CSRF_COOKIE_NAME` is `csrf_cookie_name`, `SESSION_COOKIE_AGE` is
//! `session_cookie_age`, `CORS_ALLOWED_ORIGINS` is `cors_allowed_origins` — and the built-in
//! middleware read them from the settings of the application they run in: no middleware takes
//! a configuration of its own.
//!
//! Settings are a plain value shared by the application (`Arc<Settings>`), never a process-wide
//! global, so tests can run several differently configured apps side by side.
//!
//! # Environment variables
//!
//! [`Settings::from_env`] starts from the defaults and reads `NUAGES_<SETTING>` for every
//! setting (`NUAGES_DEBUG`, `NUAGES_SECRET_KEY`, `NUAGES_CSRF_TRUSTED_ORIGINS`, …), in these
//! formats:
//!
//! | type | format |
//! |---|---|
//! | boolean | `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off` |
//! | string | as is |
//! | optional string | as is; empty or `none` for `None` |
//! | list | comma-separated |
//! | number | decimal |
//! | optional number | decimal, or `none` |
//! | `SECURE_PROXY_SSL_HEADER` | `Header-Name,value` (e.g. `X-Forwarded-Proto,https`), or `none` |
//! | duration | seconds, decimal (`5`, `0.25`) |
//! | `SECURE_CSP`, `SECURE_CSP_REPORT_ONLY` | header-like text, `default-src 'self'; upgrade-insecure-requests` ([`CspPolicy`]) |
//! | `SESSION_ENGINE` | `db`, `cache`, `cached_db`, `file` or `signed_cookies` (or Django's dotted names, `django.contrib.sessions.backends.db`, …) |
//! | `CACHES` | Django's dict as JSON: `{"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/1"}}` (see [`Caches`]) |
//!
//! The session engines read `NUAGES_SESSION_ENGINE`, `NUAGES_DATABASE_URL` (`sqlite://PATH`,
//! the default being `sqlite://nuages.sqlite3` in the working directory, or
//! `postgres://USER:PASSWORD@HOST:PORT/NAME`), `NUAGES_REDIS_URL` and
//! `NUAGES_SESSION_FILE_PATH`, among others (see [`Settings`]).
//!
//! # Examples
//! ```
//! use nuages::Settings;
//! let settings = Settings::default()
//!     .with_vars(|name| match name {
//!         "NUAGES_DEBUG" => Some("true".into()),
//!         "NUAGES_CSRF_TRUSTED_ORIGINS" => Some("https://a.example, https://*.b.example".into()),
//!         _ => None,
//!     })
//!     .unwrap();
//! assert!(settings.debug);
//! assert_eq!(settings.csrf_trusted_origins, ["https://a.example", "https://*.b.example"]);
//! ```

use std::env;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use http::HeaderName;

use crate::core::cache::Caches;
use crate::core::exceptions::ImproperlyConfigured;
use crate::utils::csp::CspPolicy;

/// A value of a setting read from an environment variable.
trait FromEnv: Sized {
    fn from_env(name: &str, value: &str) -> Result<Self, ImproperlyConfigured>;
}

fn invalid(name: &str, what: &str, value: &str) -> ImproperlyConfigured {
    ImproperlyConfigured::new(format!("{name} must be {what}, got {value:?}"))
}

fn is_none(value: &str) -> bool {
    value.trim().is_empty() || value.trim().eq_ignore_ascii_case("none")
}

impl FromEnv for bool {
    fn from_env(name: &str, value: &str) -> Result<Self, ImproperlyConfigured> {
        match value.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" | "" => Ok(false),
            _ => Err(invalid(name, "a boolean", value)),
        }
    }
}

impl FromEnv for String {
    fn from_env(_name: &str, value: &str) -> Result<Self, ImproperlyConfigured> {
        Ok(value.to_owned())
    }
}

impl FromEnv for PathBuf {
    fn from_env(_name: &str, value: &str) -> Result<Self, ImproperlyConfigured> {
        Ok(PathBuf::from(value))
    }
}

impl FromEnv for Vec<PathBuf> {
    fn from_env(_name: &str, value: &str) -> Result<Self, ImproperlyConfigured> {
        Ok(value
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
            .collect())
    }
}

impl FromEnv for Vec<String> {
    fn from_env(_name: &str, value: &str) -> Result<Self, ImproperlyConfigured> {
        Ok(value
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect())
    }
}

macro_rules! number_from_env {
    ($($t:ty),*) => {$(
        impl FromEnv for $t {
            fn from_env(name: &str, value: &str) -> Result<Self, ImproperlyConfigured> {
                value.trim().parse().map_err(|_| invalid(name, "a number", value))
            }
        }
    )*};
}
number_from_env!(u64, i64, u32, i32, usize);

impl FromEnv for Duration {
    fn from_env(name: &str, value: &str) -> Result<Self, ImproperlyConfigured> {
        value
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
            .ok_or_else(|| invalid(name, "a number of seconds", value))
    }
}

impl<T: FromEnv> FromEnv for Option<T> {
    fn from_env(name: &str, value: &str) -> Result<Self, ImproperlyConfigured> {
        if is_none(value) {
            Ok(None)
        } else {
            T::from_env(name, value).map(Some)
        }
    }
}

impl FromEnv for CspPolicy {
    fn from_env(name: &str, value: &str) -> Result<Self, ImproperlyConfigured> {
        value
            .parse()
            .map_err(|e: ImproperlyConfigured| ImproperlyConfigured::new(format!("{name}: {e}")))
    }
}

impl FromEnv for (HeaderName, String) {
    fn from_env(name: &str, value: &str) -> Result<Self, ImproperlyConfigured> {
        let (header, expected) = value
            .split_once(',')
            .ok_or_else(|| invalid(name, "'Header-Name,value'", value))?;
        let header = HeaderName::from_bytes(header.trim().as_bytes())
            .map_err(|_| invalid(name, "'Header-Name,value' with a valid header name", value))?;
        Ok((header, expected.trim().to_owned()))
    }
}

impl FromEnv for Caches {
    fn from_env(_name: &str, value: &str) -> Result<Self, ImproperlyConfigured> {
        Caches::from_json(value)
    }
}

/// `SESSION_ENGINE`: where [`SessionMiddleware`](crate::sessions::SessionMiddleware) keeps
/// sessions.
///
/// Parsed from Django's dotted names or their last part:
/// ```
/// use nuages::conf::SessionEngine;
/// assert_eq!("django.contrib.sessions.backends.cached_db".parse(), Ok(SessionEngine::CachedDb));
/// assert_eq!("db".parse(), Ok(SessionEngine::Db));
/// assert_eq!(SessionEngine::default(), SessionEngine::Db);
/// assert_eq!(SessionEngine::File.django_name(), "django.contrib.sessions.backends.file");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SessionEngine {
    /// `django.contrib.sessions.backends.db` (Django's default): the `django_session` table of
    /// DATABASE_URL, SQLite (a file, created on first use) or PostgreSQL.
    #[default]
    Db,
    /// `django.contrib.sessions.backends.cache`: Redis at REDIS_URL only, with Django's
    /// RedisCache keys and values.
    Cache,
    /// `django.contrib.sessions.backends.cached_db`: the database, with a write-through Redis
    /// cache in front.
    CachedDb,
    /// `django.contrib.sessions.backends.file`: one file per session in SESSION_FILE_PATH.
    File,
    /// `django.contrib.sessions.backends.signed_cookies`: the data in the cookie itself.
    SignedCookies,
}

impl SessionEngine {
    /// Django's dotted module name of the engine.
    pub fn django_name(self) -> &'static str {
        match self {
            SessionEngine::Db => "django.contrib.sessions.backends.db",
            SessionEngine::Cache => "django.contrib.sessions.backends.cache",
            SessionEngine::CachedDb => "django.contrib.sessions.backends.cached_db",
            SessionEngine::File => "django.contrib.sessions.backends.file",
            SessionEngine::SignedCookies => "django.contrib.sessions.backends.signed_cookies",
        }
    }
}

impl FromStr for SessionEngine {
    type Err = ImproperlyConfigured;

    fn from_str(s: &str) -> Result<Self, ImproperlyConfigured> {
        match s.trim().rsplit('.').next().unwrap_or_default() {
            "db" => Ok(SessionEngine::Db),
            "cache" => Ok(SessionEngine::Cache),
            "cached_db" => Ok(SessionEngine::CachedDb),
            "file" => Ok(SessionEngine::File),
            "signed_cookies" => Ok(SessionEngine::SignedCookies),
            other => Err(ImproperlyConfigured::new(format!(
                "unknown SESSION_ENGINE {other:?} (known: db, cache, cached_db, file, \
                 signed_cookies)"
            ))),
        }
    }
}

impl FromEnv for SessionEngine {
    fn from_env(_name: &str, value: &str) -> Result<Self, ImproperlyConfigured> {
        value.parse()
    }
}

/// The words of Django 5.2's `SafeExceptionReporterFilter.hidden_settings`
/// (`API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE`, compiled with `re.I`).
const HIDDEN_SETTINGS: [&str; 8] = [
    "API",
    "AUTH",
    "TOKEN",
    "KEY",
    "SECRET",
    "PASS",
    "SIGNATURE",
    "HTTP_COOKIE",
];

/// A character as Python's case-insensitive `re` compares it with the (ASCII, upper-case)
/// letters of [`HIDDEN_SETTINGS`]: ASCII letters in upper case, and the four non-ASCII letters
/// `re.I` also matches with them (U+0130 and U+0131, the dotted and dotless i, match `I`;
/// U+212A, the Kelvin sign, matches `K`; U+017F, the long s, matches `S`); any other character
/// is kept and matches no word.
fn fold_hidden(c: char) -> char {
    match c {
        '\u{130}' | '\u{131}' => 'I',
        '\u{212A}' => 'K',
        '\u{17F}' => 'S',
        c => c.to_ascii_uppercase(),
    }
}

/// Django's `hidden_settings.search(name)`: whether `name` contains one of the words of
/// [`HIDDEN_SETTINGS`], case-insensitively as Python's `re.I` decides (`secret_key`,
/// `My_Api_Url` and `HTTP_AUTHORIZATION` are sensitive, `DEBUG` is not).
pub(crate) fn is_sensitive(name: &str) -> bool {
    let folded: Vec<char> = name.chars().map(fold_hidden).collect();
    HIDDEN_SETTINGS.iter().any(|word| {
        folded
            .windows(word.len())
            .any(|w| w.iter().copied().eq(word.bytes().map(char::from)))
    })
}

/// The mask of a sensitive setting's value (Django's `cleansed_substitute`).
pub const CLEANSED_SUBSTITUTE: &str = "********************";

/// The `Debug` text of a setting as [`Settings::safe_items`] shows it: masked when the name is
/// sensitive; for the `*_URL` settings, only the password of the URL is masked.
fn safe_text(name: &str, text: String) -> String {
    if is_sensitive(name) {
        return CLEANSED_SUBSTITUTE.to_owned();
    }
    if name.ends_with("_URL") {
        if let Some(scheme_end) = text.find("://") {
            let rest = &text[scheme_end + 3..];
            let authority_end = rest.find('/').unwrap_or(rest.len());
            if let Some(at) = rest[..authority_end].rfind('@') {
                if let Some(colon) = rest[..at].find(':') {
                    let start = scheme_end + 3 + colon + 1;
                    let end = scheme_end + 3 + at;
                    return format!("{}{CLEANSED_SUBSTITUTE}{}", &text[..start], &text[end..]);
                }
            }
        }
    }
    text
}

macro_rules! settings {
    ($(
        $(#[doc = $doc:expr])+
        $django:literal => $field:ident: $t:ty = $default:expr;
    )+) => {
        /// Django settings that the HTTP layer reads, with Django's names (in lower case) and
        /// defaults. See the [module documentation](self).
        ///
        /// # Examples
        /// ```
        /// use nuages::Settings;
        /// let settings = Settings {
        ///     debug: true,
        ///     allowed_hosts: vec!["example.com".into()],
        ///     csrf_cookie_secure: true,
        ///     ..Settings::default()
        /// };
        /// assert_eq!(settings.default_charset, "utf-8");
        /// assert_eq!(settings.session_cookie_name, "sessionid");
        /// assert!(settings.check().is_ok()); // DEBUG may run without SECRET_KEY
        /// ```
        #[derive(Clone)]
        pub struct Settings {
            $(
                $(#[doc = $doc])+
                #[doc(alias = $django)]
                pub $field: $t,
            )+
        }

        impl Default for Settings {
            fn default() -> Self {
                Settings { $($field: $default,)+ }
            }
        }

        impl Settings {
            /// [`Settings::with_env`] with an explicit variable lookup (for tests).
            ///
            /// # Errors
            /// A variable whose value cannot be parsed.
            pub fn with_vars(
                mut self,
                get: impl Fn(&str) -> Option<String>,
            ) -> Result<Self, ImproperlyConfigured> {
                $(
                    let name = concat!("NUAGES_", $django);
                    if let Some(value) = get(name) {
                        self.$field = FromEnv::from_env(name, &value)?;
                    }
                )+
                Ok(self)
            }

            /// Every setting as `(Django name, Debug text)`, in declaration order, with the
            /// values of sensitive settings replaced by [`CLEANSED_SUBSTITUTE`] — names matching
            /// Django 5.2's `SafeExceptionReporterFilter.hidden_settings`,
            /// `API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE`, case-insensitively — and
            /// the password of `DATABASE_URL` and `REDIS_URL` masked (beyond Django, which shows
            /// URLs as they are). The DEBUG error page shows them sorted by name
            /// ([`SafeExceptionReporterFilter`](crate::views::debug::SafeExceptionReporterFilter)).
            ///
            /// # Examples
            /// ```
            /// let s = nuages::Settings { secret_key: "s3cr3t".into(), ..Default::default() };
            /// let items = s.safe_items();
            /// assert!(items.contains(&("SECRET_KEY", "********************".to_string())));
            /// assert!(items.contains(&("CACHE_KEY_PREFIX", "********************".to_string())));
            /// assert!(items.contains(&("DEBUG", "false".to_string())));
            /// ```
            pub fn safe_items(&self) -> Vec<(&'static str, String)> {
                vec![$({
                    let name = $django;
                    (name, safe_text(name, format!("{:?}", self.$field)))
                },)+]
            }
        }

        impl fmt::Debug for Settings {
            /// Sensitive settings are masked (see [`Settings::safe_items`]).
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut d = f.debug_struct("Settings");
                for (name, text) in self.safe_items() {
                    d.field(name, &format_args!("{text}"));
                }
                d.finish()
            }
        }
    };
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

settings! {
    /// `DEBUG` (default `false`).
    "DEBUG" => debug: bool = false;
    /// `SECRET_KEY` (default empty: an error at start-up unless DEBUG).
    "SECRET_KEY" => secret_key: String = String::new();
    /// `SECRET_KEY_FALLBACKS`: older keys still accepted when checking signatures.
    "SECRET_KEY_FALLBACKS" => secret_key_fallbacks: Vec<String> = Vec::new();
    /// `SILENCED_SYSTEM_CHECKS`: ids of system check messages (`urls.W002`, …) to neither log
    /// nor fail on when the application is built (see [`crate::core::checks`]).
    "SILENCED_SYSTEM_CHECKS" => silenced_system_checks: Vec<String> = Vec::new();
    /// `ALLOWED_HOSTS` (default empty; in DEBUG, empty means `.localhost`, `127.0.0.1`, `[::1]`).
    "ALLOWED_HOSTS" => allowed_hosts: Vec<String> = Vec::new();
    /// `DEFAULT_CHARSET` (default `"utf-8"`).
    "DEFAULT_CHARSET" => default_charset: String = "utf-8".to_owned();
    /// `USE_X_FORWARDED_HOST` (default `false`).
    "USE_X_FORWARDED_HOST" => use_x_forwarded_host: bool = false;
    /// `USE_X_FORWARDED_PORT` (default `false`).
    "USE_X_FORWARDED_PORT" => use_x_forwarded_port: bool = false;
    /// `SECURE_PROXY_SSL_HEADER`: the header (as a name, e.g. `x-forwarded-proto`, not the
    /// `HTTP_X_FORWARDED_PROTO` META key) and the value meaning "secure".
    "SECURE_PROXY_SSL_HEADER" => secure_proxy_ssl_header: Option<(HeaderName, String)> = None;
    /// `FORCE_SCRIPT_NAME` (default `None`).
    "FORCE_SCRIPT_NAME" => force_script_name: Option<String> = None;
    /// `DATA_UPLOAD_MAX_MEMORY_SIZE` (default 2.5 MiB; `None` disables the check).
    "DATA_UPLOAD_MAX_MEMORY_SIZE" => data_upload_max_memory_size: Option<u64> = Some(2_621_440);
    /// `DATA_UPLOAD_MAX_NUMBER_FIELDS` (default 1000; `None` disables the check).
    "DATA_UPLOAD_MAX_NUMBER_FIELDS" => data_upload_max_number_fields: Option<usize> = Some(1000);
    /// `DATA_UPLOAD_MAX_NUMBER_FILES` (default 100; `None` disables the check).
    "DATA_UPLOAD_MAX_NUMBER_FILES" => data_upload_max_number_files: Option<usize> = Some(100);
    /// `JSON_MAX_DEPTH` (beyond Django; default 64): the deepest nesting of arrays and objects
    /// [`HttpRequest::json`](crate::HttpRequest::json) accepts; deeper is a 400. At most 127,
    /// the deepest serde_json parses (a larger value is refused by [`Settings::check`]).
    "JSON_MAX_DEPTH" => json_max_depth: usize = 64;
    /// `REQUEST_BODY_ENCODINGS` (beyond Django; default empty): the `Content-Encoding`s of
    /// request bodies that are decoded (only `"gzip"` is supported); a body in any other coding
    /// is refused with 415 when it is read. Django ignores the header. See
    /// [`content_encoding`](crate::http::request::content_encoding).
    "REQUEST_BODY_ENCODINGS" => request_body_encodings: Vec<String> = Vec::new();
    /// `FILE_UPLOAD_MAX_MEMORY_SIZE` (default 2.5 MiB): larger uploaded files go to a temporary
    /// file.
    "FILE_UPLOAD_MAX_MEMORY_SIZE" => file_upload_max_memory_size: u64 = 2_621_440;
    /// `FILE_UPLOAD_TEMP_DIR` (default: the system temporary directory).
    "FILE_UPLOAD_TEMP_DIR" => file_upload_temp_dir: Option<PathBuf> = None;
    /// `APPEND_SLASH` (default `true`).
    "APPEND_SLASH" => append_slash: bool = true;
    /// `PREPEND_WWW` (default `false`): CommonMiddleware redirects a host without `www.` to
    /// `www.` + host.
    "PREPEND_WWW" => prepend_www: bool = false;
    /// `DISALLOWED_USER_AGENTS` (default empty): regular expressions (Python's `re.search`,
    /// anywhere in the value); a request whose User-Agent matches one is refused by
    /// CommonMiddleware with a 403.
    "DISALLOWED_USER_AGENTS" => disallowed_user_agents: Vec<String> = Vec::new();
    /// `GZIP_BROTLI` (beyond Django; default `false`): GZipMiddleware also answers
    /// `Content-Encoding: br` to clients that prefer brotli (needs the `brotli` cargo feature,
    /// on by default). With GZIP_BROTLI and GZIP_ZSTD both off the middleware is Django's.
    "GZIP_BROTLI" => gzip_brotli: bool = false;
    /// `GZIP_BROTLI_QUALITY` (beyond Django; default 4, 0–11): the brotli quality of
    /// GZipMiddleware's on-the-fly compression.
    "GZIP_BROTLI_QUALITY" => gzip_brotli_quality: u32 = 4;
    /// `GZIP_ZSTD` (beyond Django; default `false`): GZipMiddleware also answers
    /// `Content-Encoding: zstd` to clients that prefer Zstandard (needs the `zstd` cargo feature,
    /// on by default).
    "GZIP_ZSTD" => gzip_zstd: bool = false;
    /// `GZIP_ZSTD_LEVEL` (beyond Django; default 3, 1–19): the zstd level of GZipMiddleware's
    /// on-the-fly compression (19 at most keeps the window within the 8 MiB RFC 9659 asks
    /// decoders to support).
    "GZIP_ZSTD_LEVEL" => gzip_zstd_level: i32 = 3;
    /// `SECURE_HSTS_SECONDS` (default 0).
    "SECURE_HSTS_SECONDS" => secure_hsts_seconds: u64 = 0;
    /// `SECURE_HSTS_INCLUDE_SUBDOMAINS` (default `false`).
    "SECURE_HSTS_INCLUDE_SUBDOMAINS" => secure_hsts_include_subdomains: bool = false;
    /// `SECURE_HSTS_PRELOAD` (default `false`).
    "SECURE_HSTS_PRELOAD" => secure_hsts_preload: bool = false;
    /// `SECURE_CONTENT_TYPE_NOSNIFF` (default `true`).
    "SECURE_CONTENT_TYPE_NOSNIFF" => secure_content_type_nosniff: bool = true;
    /// `SECURE_REFERRER_POLICY` (default `Some("same-origin")`).
    "SECURE_REFERRER_POLICY" => secure_referrer_policy: Option<String> = Some("same-origin".to_owned());
    /// `SECURE_CROSS_ORIGIN_OPENER_POLICY` (default `Some("same-origin")`).
    "SECURE_CROSS_ORIGIN_OPENER_POLICY" => secure_cross_origin_opener_policy: Option<String> =
        Some("same-origin".to_owned());
    /// `SECURE_SSL_REDIRECT` (default `false`).
    "SECURE_SSL_REDIRECT" => secure_ssl_redirect: bool = false;
    /// `SECURE_SSL_HOST` (default `None`).
    "SECURE_SSL_HOST" => secure_ssl_host: Option<String> = None;
    /// `SECURE_REDIRECT_EXEMPT`: regexes matched against the path without its leading `/`.
    "SECURE_REDIRECT_EXEMPT" => secure_redirect_exempt: Vec<String> = Vec::new();
    /// `SECURE_CSP` (Django 6.0, default empty: no header): the policy
    /// [`ContentSecurityPolicyMiddleware`](crate::middleware::csp::ContentSecurityPolicyMiddleware)
    /// sends as `Content-Security-Policy`. From the environment, header-like text:
    /// `default-src 'self'; script-src 'self' <CSP_NONCE_SENTINEL>; upgrade-insecure-requests`
    /// (a name with values is a list, a name alone `True`; see [`CspPolicy`]).
    "SECURE_CSP" => secure_csp: CspPolicy = CspPolicy::new();
    /// `SECURE_CSP_REPORT_ONLY` (Django 6.0, default empty: no header): the policy sent as
    /// `Content-Security-Policy-Report-Only`; same environment format as `SECURE_CSP`.
    "SECURE_CSP_REPORT_ONLY" => secure_csp_report_only: CspPolicy = CspPolicy::new();
    /// `X_FRAME_OPTIONS` (default `"DENY"`).
    "X_FRAME_OPTIONS" => x_frame_options: String = "DENY".to_owned();
    /// `STATIC_URL`: the URL prefix of static files (default `None`; `static()` in templates
    /// and the static-files server need it).
    "STATIC_URL" => static_url: Option<String> = None;
    /// `STATIC_ROOT`: where `collectstatic` would gather static files (default `None`).
    "STATIC_ROOT" => static_root: Option<PathBuf> = None;
    /// `STATICFILES_DIRS`: the directories static files are served from.
    "STATICFILES_DIRS" => staticfiles_dirs: Vec<PathBuf> = Vec::new();
    /// `MEDIA_URL`: the URL prefix of uploaded files (default empty).
    "MEDIA_URL" => media_url: String = String::new();
    /// `MEDIA_ROOT`: the directory of uploaded files (default empty).
    "MEDIA_ROOT" => media_root: PathBuf = PathBuf::new();
    /// `CSRF_COOKIE_NAME` (default `"csrftoken"`).
    "CSRF_COOKIE_NAME" => csrf_cookie_name: String = "csrftoken".to_owned();
    /// `CSRF_COOKIE_AGE` in seconds (default 31449600, one year; `None`: a session cookie).
    "CSRF_COOKIE_AGE" => csrf_cookie_age: Option<i64> = Some(60 * 60 * 24 * 7 * 52);
    /// `CSRF_COOKIE_DOMAIN` (default `None`); also what secure requests' `Referer` may match.
    "CSRF_COOKIE_DOMAIN" => csrf_cookie_domain: Option<String> = None;
    /// `CSRF_COOKIE_PATH` (default `"/"`).
    "CSRF_COOKIE_PATH" => csrf_cookie_path: String = "/".to_owned();
    /// `CSRF_COOKIE_SECURE` (default `false`).
    "CSRF_COOKIE_SECURE" => csrf_cookie_secure: bool = false;
    /// `CSRF_COOKIE_HTTPONLY` (default `false`).
    "CSRF_COOKIE_HTTPONLY" => csrf_cookie_httponly: bool = false;
    /// `CSRF_COOKIE_SAMESITE` (default `Some("Lax")`; `"Strict"`, `"None"` or `None`).
    "CSRF_COOKIE_SAMESITE" => csrf_cookie_samesite: Option<String> = Some("Lax".to_owned());
    /// `CSRF_HEADER_NAME` as a `request.META` key (default `"HTTP_X_CSRFTOKEN"`, i.e. the
    /// `X-CSRFToken` header).
    "CSRF_HEADER_NAME" => csrf_header_name: String = "HTTP_X_CSRFTOKEN".to_owned();
    /// `CSRF_TRUSTED_ORIGINS`: origins (`https://example.com`, `https://*.example.com`) allowed
    /// besides the request's own, for the Origin and (secure requests) Referer checks.
    "CSRF_TRUSTED_ORIGINS" => csrf_trusted_origins: Vec<String> = Vec::new();
    /// `CSRF_USE_SESSIONS`: must stay `false` (the secret is kept in a cookie); building an
    /// application with `CsrfViewMiddleware` refuses `true`.
    "CSRF_USE_SESSIONS" => csrf_use_sessions: bool = false;
    /// `SESSION_ENGINE` (default [`SessionEngine::Db`], Django's default: the `django_session`
    /// table of DATABASE_URL, by default in the SQLite file `nuages.sqlite3` of the working
    /// directory, created on first use).
    "SESSION_ENGINE" => session_engine: SessionEngine = SessionEngine::default();
    /// `SESSION_FILE_PATH`: the directory of the `file` engine (default `None`: the system
    /// temporary directory, as Django's `tempfile.gettempdir()`); it must exist.
    "SESSION_FILE_PATH" => session_file_path: Option<PathBuf> = None;
    /// The database of the `db` and `cached_db` engines (Django's `DATABASES["default"]`):
    /// `sqlite://PATH` (relative to the working directory; `sqlite:///abs/path` for an
    /// absolute one; `sqlite::memory:` for a private in-memory database) or
    /// `postgres://USER:PASSWORD@HOST:PORT/NAME` (`postgresql://` too, with libpq-style
    /// query options such as `?sslmode=require`). Default `sqlite://nuages.sqlite3`.
    "DATABASE_URL" => database_url: String = "sqlite://nuages.sqlite3".to_owned();
    /// The most connections the database pool opens (default 10).
    "DATABASE_POOL_SIZE" => database_pool_size: u32 = 10;
    /// How long a database operation may wait for a connection, and (PostgreSQL) how long a
    /// statement may run, before the request fails with a 500 (default 5 s).
    "DATABASE_TIMEOUT" => database_timeout: Duration = Duration::from_secs(5);
    /// The Redis server of the `cache` and `cached_db` engines (Django's
    /// `CACHES["default"]["LOCATION"]` with `RedisCache`), `redis://[:PASSWORD@]HOST:PORT/DB`
    /// (default `redis://127.0.0.1:6379/0`).
    "REDIS_URL" => redis_url: String = "redis://127.0.0.1:6379/0".to_owned();
    /// How many multiplexed Redis connections are opened (default 2).
    "REDIS_POOL_SIZE" => redis_pool_size: usize = 2;
    /// How long connecting to Redis or one Redis command may take before it fails (default
    /// 2 s): a 500 for the `cache` engine, a fall-back to the database for `cached_db`.
    "REDIS_TIMEOUT" => redis_timeout: Duration = Duration::from_secs(2);
    /// `CACHES["default"]["KEY_PREFIX"]` (default empty): Redis keys are
    /// `KEY_PREFIX:VERSION:key`, as Django's `make_key`.
    "CACHE_KEY_PREFIX" => cache_key_prefix: String = String::new();
    /// `CACHES["default"]["VERSION"]` (default 1).
    "CACHE_VERSION" => cache_version: i64 = 1;
    /// `CACHES`: the caches of the cache middleware and
    /// [`cache_page`](crate::views::decorators::cache::cache_page) by alias (default
    /// `{"default": LocMemCache}`, as Django); from the environment, Django's dict as JSON
    /// (see [`Caches`]). The session engines do not use it (they use REDIS_URL).
    "CACHES" => caches: Caches = Caches::default();
    /// `CACHE_MIDDLEWARE_ALIAS`: the cache of the cache middleware (default `"default"`).
    "CACHE_MIDDLEWARE_ALIAS" => cache_middleware_alias: String = "default".to_owned();
    /// `CACHE_MIDDLEWARE_SECONDS`: how long the cache middleware keeps a page without
    /// `max-age` (default 600).
    "CACHE_MIDDLEWARE_SECONDS" => cache_middleware_seconds: i64 = 600;
    /// `CACHE_MIDDLEWARE_KEY_PREFIX`: the prefix of the cache middleware's keys (default
    /// empty).
    "CACHE_MIDDLEWARE_KEY_PREFIX" => cache_middleware_key_prefix: String = String::new();
    /// `SESSION_COOKIE_NAME` (default `"sessionid"`).
    "SESSION_COOKIE_NAME" => session_cookie_name: String = "sessionid".to_owned();
    /// `SESSION_COOKIE_AGE` in seconds (default two weeks, `1209600`).
    "SESSION_COOKIE_AGE" => session_cookie_age: i64 = 60 * 60 * 24 * 7 * 2;
    /// `SESSION_COOKIE_DOMAIN` (default `None`).
    "SESSION_COOKIE_DOMAIN" => session_cookie_domain: Option<String> = None;
    /// `SESSION_COOKIE_SECURE` (default `false`).
    "SESSION_COOKIE_SECURE" => session_cookie_secure: bool = false;
    /// `SESSION_COOKIE_HTTPONLY` (default `true`).
    "SESSION_COOKIE_HTTPONLY" => session_cookie_httponly: bool = true;
    /// `SESSION_COOKIE_PATH` (default `"/"`).
    "SESSION_COOKIE_PATH" => session_cookie_path: String = "/".to_owned();
    /// `SESSION_COOKIE_SAMESITE` (default `Some("Lax")`; `None` leaves the attribute out).
    "SESSION_COOKIE_SAMESITE" => session_cookie_samesite: Option<String> = Some("Lax".to_owned());
    /// `SESSION_EXPIRE_AT_BROWSER_CLOSE` (default `false`).
    "SESSION_EXPIRE_AT_BROWSER_CLOSE" => session_expire_at_browser_close: bool = false;
    /// `SESSION_SAVE_EVERY_REQUEST` (default `false`).
    "SESSION_SAVE_EVERY_REQUEST" => session_save_every_request: bool = false;
    /// `CORS_ALLOWED_ORIGINS` (django-cors-headers): origins allowed to make cross-site
    /// requests, e.g. `https://example.com` (`null` allows the `null` origin).
    "CORS_ALLOWED_ORIGINS" => cors_allowed_origins: Vec<String> = Vec::new();
    /// `CORS_ALLOWED_ORIGIN_REGEXES`: regexes matched against the whole `Origin`.
    "CORS_ALLOWED_ORIGIN_REGEXES" => cors_allowed_origin_regexes: Vec<String> = Vec::new();
    /// `CORS_ALLOW_ALL_ORIGINS` (default `false`).
    "CORS_ALLOW_ALL_ORIGINS" => cors_allow_all_origins: bool = false;
    /// `CORS_ALLOW_CREDENTIALS` (default `false`).
    "CORS_ALLOW_CREDENTIALS" => cors_allow_credentials: bool = false;
    /// `CORS_ALLOW_PRIVATE_NETWORK` (default `false`).
    "CORS_ALLOW_PRIVATE_NETWORK" => cors_allow_private_network: bool = false;
    /// `CORS_ALLOW_HEADERS` (default django-cors-headers' `default_headers`).
    "CORS_ALLOW_HEADERS" => cors_allow_headers: Vec<String> = strings(&[
        "accept",
        "authorization",
        "content-type",
        "user-agent",
        "x-csrftoken",
        "x-requested-with",
    ]);
    /// `CORS_ALLOW_METHODS` (default django-cors-headers' `default_methods`).
    "CORS_ALLOW_METHODS" => cors_allow_methods: Vec<String> =
        strings(&["DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT"]);
    /// `CORS_EXPOSE_HEADERS` (default none).
    "CORS_EXPOSE_HEADERS" => cors_expose_headers: Vec<String> = Vec::new();
    /// `CORS_PREFLIGHT_MAX_AGE` in seconds (default 86400; 0 sends no `Access-Control-Max-Age`).
    "CORS_PREFLIGHT_MAX_AGE" => cors_preflight_max_age: u64 = 86400;
    /// `CORS_URLS_REGEX`: the paths the middleware acts on (default `^.*$`: all).
    "CORS_URLS_REGEX" => cors_urls_regex: String = "^.*$".to_owned();
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

    /// Start-up checks (Django's system checks for these settings): a missing SECRET_KEY
    /// outside DEBUG, an invalid SECURE_REDIRECT_EXEMPT regex, a SECURE_CSP or
    /// SECURE_CSP_REPORT_ONLY policy that cannot make a header value, a JSON_MAX_DEPTH over
    /// 127, an unsupported REQUEST_BODY_ENCODINGS coding.
    ///
    /// # Errors
    /// `ImproperlyConfigured("The SECRET_KEY setting must not be empty. …")` (followed by how
    /// to set it), or the invalid setting named.
    pub fn check(&self) -> Result<(), ImproperlyConfigured> {
        if self.secret_key.is_empty() && !self.debug {
            // Django's message, then the fix.
            return Err(ImproperlyConfigured::new(
                "The SECRET_KEY setting must not be empty. Set `secret_key` (or \
                 NUAGES_SECRET_KEY in the environment) to a long random string, or turn DEBUG on \
                 for local development.",
            ));
        }
        for (name, policy) in [
            ("SECURE_CSP", &self.secure_csp),
            ("SECURE_CSP_REPORT_ONLY", &self.secure_csp_report_only),
        ] {
            policy
                .check()
                .map_err(|e| ImproperlyConfigured::new(format!("{name}: {e}")))?;
        }
        if self.json_max_depth > crate::http::request::SERDE_JSON_MAX_DEPTH {
            return Err(ImproperlyConfigured::new(format!(
                "JSON_MAX_DEPTH is {}, deeper than serde_json parses ({})",
                self.json_max_depth,
                crate::http::request::SERDE_JSON_MAX_DEPTH
            )));
        }
        for coding in &self.request_body_encodings {
            if !crate::http::request::content_encoding::SUPPORTED
                .iter()
                .any(|s| s.eq_ignore_ascii_case(coding))
            {
                return Err(ImproperlyConfigured::new(format!(
                    "REQUEST_BODY_ENCODINGS: unsupported coding {coding:?} (supported: gzip)"
                )));
            }
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
    fn csp_settings_from_env() {
        use crate::utils::csp::CSP;
        let s = Settings::default()
            .with_vars(|k| match k {
                "NUAGES_SECURE_CSP" => Some(
                    "default-src 'self' <CSP_NONCE_SENTINEL>; upgrade-insecure-requests".into(),
                ),
                _ => None,
            })
            .unwrap();
        assert_eq!(
            s.secure_csp,
            CspPolicy::new()
                .directive("default-src", [CSP::SELF, CSP::NONCE])
                .directive("upgrade-insecure-requests", true)
        );
        assert!(s.secure_csp_report_only.is_empty());
        let bad = Settings::default().with_vars(|k| {
            (k == "NUAGES_SECURE_CSP_REPORT_ONLY").then(|| "default-src a\u{1}".to_owned())
        });
        assert!(bad
            .unwrap_err()
            .message()
            .starts_with("NUAGES_SECURE_CSP_REPORT_ONLY: "));
        let s = Settings {
            debug: true,
            secure_csp: CspPolicy::new().directive("a", "x\ny"),
            ..Settings::default()
        };
        assert!(s.check().unwrap_err().message().starts_with("SECURE_CSP: "));
    }

    #[test]
    fn caches_from_env() {
        let vars = |k: &str| match k {
            "NUAGES_CACHES" => Some(
                r#"{"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": "redis://:pw@h:6379/1"}}"#
                    .to_owned(),
            ),
            "NUAGES_CACHE_MIDDLEWARE_SECONDS" => Some("60".to_owned()),
            _ => None,
        };
        let s = Settings::default().with_vars(vars).unwrap();
        assert_eq!(
            s.caches.get("default").map(|c| c.backend),
            Some(crate::core::cache::CacheBackend::Redis)
        );
        assert_eq!(s.cache_middleware_seconds, 60);
        assert_eq!(s.cache_middleware_alias, "default");
        let shown = s.safe_items();
        let caches = shown.iter().find(|(k, _)| *k == "CACHES").unwrap();
        assert!(!caches.1.contains(":pw@"), "{}", caches.1);
        let bad = |k: &str| (k == "NUAGES_CACHES").then(|| r#"{"x": {}}"#.to_owned());
        assert!(Settings::default().with_vars(bad).is_err());
    }

    #[test]
    fn env_overrides() {
        let vars = |k: &str| match k {
            "NUAGES_DEBUG" => Some("true".to_owned()),
            "NUAGES_ALLOWED_HOSTS" => Some("a.com, .b.org".to_owned()),
            "NUAGES_SECURE_PROXY_SSL_HEADER" => Some("X-Forwarded-Proto,https".to_owned()),
            "NUAGES_DATA_UPLOAD_MAX_MEMORY_SIZE" => Some("none".to_owned()),
            "NUAGES_CSRF_COOKIE_AGE" => Some("60".to_owned()),
            "NUAGES_SESSION_COOKIE_DOMAIN" => Some(".example.com".to_owned()),
            "NUAGES_SECURE_REFERRER_POLICY" => Some("none".to_owned()),
            "NUAGES_SESSION_ENGINE" => {
                Some("django.contrib.sessions.backends.signed_cookies".to_owned())
            }
            _ => None,
        };
        let s = Settings::default().with_vars(vars).unwrap();
        assert!(s.debug);
        assert_eq!(s.allowed_hosts, vec!["a.com", ".b.org"]);
        assert_eq!(s.secure_proxy_ssl_header.unwrap().0, "x-forwarded-proto");
        assert_eq!(s.data_upload_max_memory_size, None);
        assert_eq!(s.csrf_cookie_age, Some(60));
        assert_eq!(s.session_cookie_domain.as_deref(), Some(".example.com"));
        assert_eq!(s.secure_referrer_policy, None);
        assert_eq!(s.session_engine, SessionEngine::SignedCookies);
    }

    #[test]
    fn session_engine_settings_from_env() {
        let vars = |k: &str| match k {
            "NUAGES_SESSION_ENGINE" => Some("cached_db".to_owned()),
            "NUAGES_DATABASE_URL" => Some("postgres://app:hunter2@db:5432/site".to_owned()),
            "NUAGES_REDIS_URL" => Some("redis://:pw@cache:6379/3".to_owned()),
            "NUAGES_SESSION_FILE_PATH" => Some("/var/lib/sessions".to_owned()),
            "NUAGES_DATABASE_TIMEOUT" => Some("0.25".to_owned()),
            "NUAGES_CACHE_VERSION" => Some("2".to_owned()),
            _ => None,
        };
        let s = Settings::default().with_vars(vars).unwrap();
        assert_eq!(s.session_engine, SessionEngine::CachedDb);
        assert_eq!(s.database_url, "postgres://app:hunter2@db:5432/site");
        assert_eq!(s.redis_url, "redis://:pw@cache:6379/3");
        assert_eq!(
            s.session_file_path,
            Some(PathBuf::from("/var/lib/sessions"))
        );
        assert_eq!(s.database_timeout, Duration::from_millis(250));
        assert_eq!(s.cache_version, 2);
        let text = format!("{s:?}");
        assert!(
            !text.contains("hunter2") && !text.contains(":pw@"),
            "{text}"
        );
        assert!(
            text.contains("postgres://app:********************@db:5432/site"),
            "{text}"
        );
        let d = Settings::default();
        assert_eq!(d.session_engine, SessionEngine::Db);
        assert_eq!(d.database_url, "sqlite://nuages.sqlite3");
        for name in ["signed_cookies", "db", "cache", "cached_db", "file"] {
            let engine: SessionEngine = name.parse().unwrap();
            assert_eq!(engine.django_name().rsplit('.').next(), Some(name));
            assert_eq!(engine.django_name().parse::<SessionEngine>(), Ok(engine));
        }
        let err = Settings::default()
            .with_vars(|k| (k == "NUAGES_REDIS_TIMEOUT").then(|| "soon".to_owned()))
            .unwrap_err();
        assert!(err.message().contains("REDIS_TIMEOUT"), "{err}");
    }

    #[test]
    fn bad_env_is_an_error() {
        for (name, value) in [
            ("NUAGES_DEBUG", "maybe"),
            ("NUAGES_SESSION_COOKIE_AGE", "two weeks"),
            ("NUAGES_SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto"),
            ("NUAGES_SESSION_ENGINE", "memcached"),
        ] {
            let vars = |k: &str| (k == name).then(|| value.to_owned());
            let err = Settings::default().with_vars(vars).unwrap_err();
            assert!(
                err.message().contains(name.trim_start_matches("NUAGES_"))
                    || err.message().contains("SESSION_ENGINE"),
                "{err}"
            );
        }
    }

    #[test]
    fn secret_key_required_outside_debug() {
        let err = Settings::default().check().unwrap_err();
        assert!(
            err.to_string()
                .starts_with("The SECRET_KEY setting must not be empty. Set `secret_key` (or "),
            "{err}"
        );
        let s = Settings {
            debug: true,
            ..Settings::default()
        };
        assert!(s.check().is_ok());
    }

    #[test]
    fn is_sensitive_is_djangos_hidden_settings_ignoring_case() {
        for name in [
            "SECRET_KEY",
            "secret_key",
            "My_Api_Url",
            "HTTP_AUTHORIZATION",
            "HTTP_X_API_KEY",
            "csrftoken",
            "HTTP_COOKIE",
            "http_cookie",
            "PASSWORD_HASHERS",
            "aws_signature_v4",
            // Python's `re.I` also matches these with I, K and S.
            "\u{212A}EY",
            "\u{17F}ECRET",
            "AP\u{131}",
            "AP\u{130}",
        ] {
            assert!(is_sensitive(name), "{name}");
        }
        for name in [
            "DEBUG",
            "sessionid",
            "HTTP_USER_AGENT",
            "QUERY_STRING",
            "COOKIE",
            "HTTP_COOK",
            "CSRF_COOKIE_NAME",
            "",
            "\u{e9}cret",
        ] {
            assert!(!is_sensitive(name), "{name}");
        }
    }

    #[test]
    fn debug_masks_secrets() {
        let s = Settings {
            secret_key: "s3cr3t".into(),
            secret_key_fallbacks: vec!["old".into()],
            ..Settings::default()
        };
        let text = format!("{s:?}");
        assert!(!text.contains("s3cr3t") && !text.contains("old"), "{text}");
        assert!(text.contains("SECRET_KEY: ********************"), "{text}");
        assert!(text.contains("CSRF_COOKIE_NAME: \"csrftoken\""), "{text}");
    }
}

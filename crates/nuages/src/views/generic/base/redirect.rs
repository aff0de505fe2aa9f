//! `RedirectView`, and Python's `str % dict` that interpolates its `url`.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;

use http::Method;
use indexmap::IndexMap;

use super::{url_args, url_kwargs, View, HTTP_METHOD_NAMES};
use crate::urls::{RequestUrlsExt, Value};
use crate::{Error, HttpRequest, HttpResponse};

/// Django's `RedirectView`: every method it answers (GET, HEAD, POST, OPTIONS, DELETE, PUT,
/// PATCH) redirects to [`RedirectView::url`] (interpolated with the URL kwargs) or to the
/// reverse of [`RedirectView::pattern_name`]; with neither, `410 Gone` and the warning
/// `Gone: <path>` on `nuages::request`.
///
/// # Examples
/// ```
/// use nuages::urls::path;
/// use nuages::views::generic::RedirectView;
/// # async fn detail(_r: nuages::HttpRequest, _pk: i64) -> nuages::HttpResponse { nuages::HttpResponse::empty() }
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let app = nuages::App::builder()
///     .settings(nuages::Settings { debug: true, ..Default::default() })
///     .urls([
///         path("items/<int:pk>/", detail).name("item"),
///         // RedirectView.as_view(url="/items/%(pk)s/", permanent=True)
///         path("old/<int:pk>/", RedirectView {
///             url: Some("/items/%(pk)s/".into()),
///             permanent: true,
///             ..Default::default()
///         }.as_view()),
///         // RedirectView.as_view(pattern_name="item", query_string=True)
///         path("go/<int:pk>/", RedirectView {
///             pattern_name: Some("item".into()),
///             query_string: true,
///             ..Default::default()
///         }.as_view()),
///         path("gone/", RedirectView::default().as_view()),
///     ])
///     .build()
///     .unwrap();
/// let client = nuages::test::Client::new(app);
/// let r = client.get("/old/7/").send().await;
/// assert_eq!((r.status(), r.header("location")), (301, Some("/items/7/")));
/// let r = client.post("/go/7/?a=1").send().await;
/// assert_eq!((r.status(), r.header("location")), (302, Some("/items/7/?a=1")));
/// assert_eq!(client.get("/gone/").send().await.status(), 410);
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct RedirectView {
    /// `permanent`: 301 (308 with `preserve_request`) instead of 302 (307).
    pub permanent: bool,
    /// `url`: the target, `%`-interpolated with the URL kwargs (`/items/%(pk)s/`, `%%` for a
    /// literal `%`), exactly as Python's `str % dict`.
    pub url: Option<String>,
    /// `pattern_name`: a URL name reversed with the request's URL args and kwargs (used when
    /// `url` is unset or empty).
    pub pattern_name: Option<String>,
    /// `query_string`: append `?` and the request's query string (even if the URL has one).
    pub query_string: bool,
    /// `preserve_request` (Django 6.1): 307/308, so that the client repeats the method and body.
    pub preserve_request: bool,
    /// `http_method_names`.
    pub http_method_names: Cow<'static, [Method]>,
}

impl Default for RedirectView {
    fn default() -> Self {
        RedirectView {
            permanent: false,
            url: None,
            pattern_name: None,
            query_string: false,
            preserve_request: false,
            http_method_names: Cow::Borrowed(HTTP_METHOD_NAMES),
        }
    }
}

impl RedirectView {
    /// Django's `RedirectView.get` for a URL already computed: a redirect to `url`, or, for
    /// `None` or an empty URL, `410 Gone` (logged as `Gone: <path>`). A view overriding
    /// `get_redirect_url` computes the URL and calls this.
    ///
    /// # Errors
    /// [`DisallowedRedirect`](crate::core::exceptions::DisallowedRedirect) for an unsafe URL
    /// scheme.
    ///
    /// # Examples
    /// ```
    /// let req = nuages::test::RequestFactory::new().get("/").build();
    /// let view = nuages::views::generic::RedirectView::default();
    /// assert_eq!(view.redirect(&req, Some("/a/".into())).unwrap().status_code(), 302);
    /// assert_eq!(view.redirect(&req, None).unwrap().status_code(), 410);
    /// ```
    pub fn redirect(
        &self,
        request: &HttpRequest,
        url: Option<String>,
    ) -> Result<HttpResponse, Error> {
        match url.filter(|u| !u.is_empty()) {
            Some(url) => Ok(match (self.permanent, self.preserve_request) {
                (false, false) => HttpResponse::redirect(&url)?,
                (true, false) => HttpResponse::permanent_redirect(&url)?,
                (false, true) => HttpResponse::redirect_preserve_request(&url)?,
                (true, true) => HttpResponse::permanent_redirect_preserve_request(&url)?,
            }),
            None => {
                tracing::warn!(target: "nuages::request", "Gone: {}", request.path());
                Ok(HttpResponse::gone(""))
            }
        }
    }

    /// [`View::as_view`] (no import of [`View`] needed).
    ///
    /// # Examples
    /// ```
    /// let _ = nuages::urls::path("x/", nuages::views::generic::RedirectView::default().as_view());
    /// ```
    #[allow(clippy::wrong_self_convention)] // Django's name
    pub fn as_view(self) -> crate::views::ViewFn {
        View::as_view(self)
    }

    fn answer(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        let result = get_redirect_url(self, &request).and_then(|url| self.redirect(&request, url));
        std::future::ready(result)
    }
}

/// Django's `RedirectView.get_redirect_url(*args, **kwargs)`: [`RedirectView::url`] `%`
/// the URL kwargs, else the reverse of [`RedirectView::pattern_name`] with the URL args and
/// kwargs, else `None`; then `?` + the query string when [`RedirectView::query_string`] is
/// set and the request has one.
///
/// # Errors
/// The interpolation's ([`PercentFormatError`]: a missing key is a `KeyError`) and
/// `NoReverseMatch`.
///
/// # Examples
/// ```
/// use nuages::views::generic::{base::get_redirect_url, RedirectView};
/// let view = RedirectView { url: Some("/target/?x=1".into()), query_string: true, ..Default::default() };
/// let req = nuages::test::RequestFactory::new().get("/src/?a=1").build();
/// assert_eq!(get_redirect_url(&view, &req).unwrap().as_deref(), Some("/target/?x=1?a=1"));
/// ```
pub fn get_redirect_url(
    view: &RedirectView,
    request: &HttpRequest,
) -> Result<Option<String>, Error> {
    let kwargs = url_kwargs(request);
    let url = match (view.url.as_deref(), view.pattern_name.as_deref()) {
        (Some(url), _) if !url.is_empty() => {
            percent_format(url, kwargs).map_err(Error::internal)?
        }
        (_, Some(name)) if !name.is_empty() => request
            .reverse_with(name)
            .args(url_args(request).iter().map(String::as_str))
            .kwargs(kwargs.iter().map(|(k, v)| (k.as_str(), v.clone())))
            .build()?,
        _ => return Ok(None),
    };
    let query = request.meta().get("QUERY_STRING").unwrap_or("").to_owned();
    if !query.is_empty() && view.query_string {
        return Ok(Some(format!("{url}?{query}")));
    }
    Ok(Some(url))
}

impl View for RedirectView {
    const HANDLERS: &'static [Method] = &[
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::HEAD,
        Method::OPTIONS,
    ];

    fn http_method_names(&self) -> &[Method] {
        &self.http_method_names
    }

    fn get(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        self.answer(request)
    }

    fn head(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        self.answer(request)
    }

    fn post(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        self.answer(request)
    }

    fn options(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        self.answer(request)
    }

    fn delete(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        self.answer(request)
    }

    fn put(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        self.answer(request)
    }

    fn patch(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send {
        self.answer(request)
    }
}

// ===== str % dict =====

/// The exception Python's `str % dict` raises, with Python's message (`str(exc)`).
///
/// # Examples
/// ```
/// use indexmap::IndexMap;
/// use nuages::views::generic::base::{percent_format, PercentFormatError};
/// let err = percent_format("/%(pk)s/", &IndexMap::new()).unwrap_err();
/// assert_eq!(err, PercentFormatError::KeyError("pk".into()));
/// assert_eq!(err.to_string(), "'pk'");
/// assert_eq!(err.exception(), "KeyError");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PercentFormatError {
    /// `KeyError(key)`: the format names a key the kwargs do not have.
    KeyError(String),
    /// `TypeError`: a value of the wrong type for its conversion, or too few arguments.
    TypeError(String),
    /// `ValueError`: an unsupported conversion character or an incomplete format.
    ValueError(String),
    /// `OverflowError`: `%c` of a number outside `range(0x110000)`.
    OverflowError(String),
}

impl PercentFormatError {
    /// The Python exception's name.
    ///
    /// # Examples
    /// ```
    /// use nuages::views::generic::base::PercentFormatError;
    /// assert_eq!(PercentFormatError::ValueError("incomplete format".into()).exception(), "ValueError");
    /// ```
    pub fn exception(&self) -> &'static str {
        match self {
            PercentFormatError::KeyError(_) => "KeyError",
            PercentFormatError::TypeError(_) => "TypeError",
            PercentFormatError::ValueError(_) => "ValueError",
            PercentFormatError::OverflowError(_) => "OverflowError",
        }
    }
}

impl fmt::Display for PercentFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PercentFormatError::KeyError(key) => f.write_str(&nuages_py::repr::str_repr(key)),
            PercentFormatError::TypeError(m)
            | PercentFormatError::ValueError(m)
            | PercentFormatError::OverflowError(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for PercentFormatError {}

/// An argument of one conversion: a kwarg, or the whole dict (an unkeyed `%s`).
enum Arg<'a> {
    Value(&'a Value),
    Dict(&'a IndexMap<String, Value>),
}

impl Arg<'_> {
    fn type_name(&self) -> &'static str {
        match self {
            Arg::Value(Value::Str(_)) => "str",
            Arg::Value(Value::Int(_)) => "int",
            Arg::Value(Value::Uuid(_)) => "UUID",
            Arg::Value(_) => "object",
            Arg::Dict(_) => "dict",
        }
    }

    fn str(&self) -> String {
        match self {
            Arg::Value(v) => v.to_string(),
            Arg::Dict(_) => self.repr(),
        }
    }

    fn repr(&self) -> String {
        let mut out = String::new();
        match self {
            Arg::Value(v) => v.write_py_repr(&mut out),
            Arg::Dict(d) => {
                out.push('{');
                for (i, (k, v)) in d.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&nuages_py::repr::str_repr(k));
                    out.push_str(": ");
                    v.write_py_repr(&mut out);
                }
                out.push('}');
            }
        }
        out
    }
}

#[derive(Default)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    precision: Option<usize>,
}

impl Spec {
    /// Pads `text` (no sign) to the width with spaces.
    fn pad(&self, text: &str, out: &mut String) {
        let len = text.chars().count();
        let fill = self.width.saturating_sub(len);
        if !self.left {
            out.extend(std::iter::repeat_n(' ', fill));
        }
        out.push_str(text);
        if self.left {
            out.extend(std::iter::repeat_n(' ', fill));
        }
    }

    /// Pads a number: `sign` and `prefix` first, then zeros (the `0` flag) or spaces.
    fn pad_number(&self, negative: bool, prefix: &str, digits: &str, out: &mut String) {
        let sign = if negative {
            "-"
        } else if self.plus {
            "+"
        } else if self.space {
            " "
        } else {
            ""
        };
        let len = sign.len() + prefix.len() + digits.len();
        let fill = self.width.saturating_sub(len);
        if self.left {
            out.push_str(sign);
            out.push_str(prefix);
            out.push_str(digits);
            out.extend(std::iter::repeat_n(' ', fill));
        } else if self.zero {
            out.push_str(sign);
            out.push_str(prefix);
            out.extend(std::iter::repeat_n('0', fill));
            out.push_str(digits);
        } else {
            out.extend(std::iter::repeat_n(' ', fill));
            out.push_str(sign);
            out.push_str(prefix);
            out.push_str(digits);
        }
    }
}

/// Python's `format % kwargs` for a `dict` (what `RedirectView` does to its `url`):
/// `%(name)s`, `%(name)r`, `%(name)d`, `%(name)x`, `%(name)f`, … with flags, width and
/// precision, `%%` for `%`; an unkeyed `%s` formats the dict itself. Errors are Python's,
/// message for message.
///
/// # Errors
/// [`PercentFormatError`]: `KeyError` for a missing name, `TypeError`/`ValueError` as Python.
///
/// # Examples
/// ```
/// use indexmap::IndexMap;
/// use nuages::urls::Value;
/// use nuages::views::generic::base::percent_format;
/// let kwargs = IndexMap::from([("pk".to_owned(), Value::Int(42))]);
/// assert_eq!(percent_format("/items/%(pk)s/%%2F/", &kwargs).unwrap(), "/items/42/%2F/");
/// assert_eq!(percent_format("/%(pk)05d/", &kwargs).unwrap(), "/00042/");
/// assert_eq!(
///     percent_format("/foo%20bar/", &kwargs).unwrap_err().to_string(),
///     "unsupported format character 'b' (0x62) at index 7"
/// );
/// ```
pub fn percent_format(
    format: &str,
    kwargs: &IndexMap<String, Value>,
) -> Result<String, PercentFormatError> {
    use PercentFormatError::{KeyError, TypeError, ValueError};
    let not_enough = || TypeError("not enough arguments for format string".into());
    let chars: Vec<char> = format.chars().collect();
    let mut out = String::with_capacity(format.len());
    let mut dict_available = true;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '%' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        i += 1;
        if chars.get(i) == Some(&'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let mut arg = None;
        if chars.get(i) == Some(&'(') {
            let start = i + 1;
            let mut depth = 1;
            i += 1;
            while i < chars.len() && depth > 0 {
                match chars[i] {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                i += 1;
            }
            if depth > 0 {
                return Err(ValueError("incomplete format key".into()));
            }
            let key: String = chars[start..i - 1].iter().collect();
            let value = kwargs.get(&key).ok_or(KeyError(key))?;
            arg = Some(Arg::Value(value));
            dict_available = false;
        }
        let mut spec = Spec::default();
        while let Some(c) = chars.get(i) {
            match c {
                '-' => spec.left = true,
                '+' => spec.plus = true,
                ' ' => spec.space = true,
                '#' => spec.alt = true,
                '0' => spec.zero = true,
                _ => break,
            }
            i += 1;
        }
        let star = |dict_available: &mut bool| {
            if arg.is_none() && *dict_available {
                *dict_available = false;
                Err(TypeError("* wants int".into()))
            } else {
                Err(not_enough())
            }
        };
        if chars.get(i) == Some(&'*') {
            return star(&mut dict_available);
        }
        while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
            spec.width = spec.width.saturating_mul(10).saturating_add(d as usize);
            i += 1;
        }
        if chars.get(i) == Some(&'.') {
            i += 1;
            if chars.get(i) == Some(&'*') {
                return star(&mut dict_available);
            }
            let mut p = 0usize;
            while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                p = p.saturating_mul(10).saturating_add(d as usize);
                i += 1;
            }
            spec.precision = Some(p);
        }
        while matches!(chars.get(i), Some('h' | 'l' | 'L')) {
            i += 1;
        }
        let Some(&conversion) = chars.get(i) else {
            return Err(ValueError("incomplete format".into()));
        };
        let index = i;
        i += 1;
        let arg = match arg {
            Some(a) => a,
            None if dict_available => {
                dict_available = false;
                Arg::Dict(kwargs)
            }
            None => return Err(not_enough()),
        };
        format_one(&mut out, &spec, conversion, index, &arg)?;
    }
    Ok(out)
}

fn format_one(
    out: &mut String,
    spec: &Spec,
    conversion: char,
    index: usize,
    arg: &Arg<'_>,
) -> Result<(), PercentFormatError> {
    use PercentFormatError::{OverflowError, TypeError, ValueError};
    let truncate = |s: String| match spec.precision {
        Some(p) => s.chars().take(p).collect(),
        None => s,
    };
    match conversion {
        's' => spec.pad(&truncate(arg.str()), out),
        'r' => spec.pad(&truncate(arg.repr()), out),
        'a' => spec.pad(&truncate(ascii(&arg.repr())), out),
        'd' | 'i' | 'u' => {
            let (negative, magnitude) = match arg {
                Arg::Value(Value::Int(n)) => (*n < 0, n.unsigned_abs().to_string()),
                Arg::Value(Value::Uuid(u)) => (false, u.as_u128().to_string()),
                _ => {
                    return Err(TypeError(format!(
                        "%{conversion} format: a real number is required, not {}",
                        arg.type_name()
                    )))
                }
            };
            let digits = zero_extend(magnitude, spec.precision);
            spec.pad_number(negative, "", &digits, out);
        }
        'x' | 'X' | 'o' => {
            let Arg::Value(Value::Int(n)) = arg else {
                return Err(TypeError(format!(
                    "%{conversion} format: an integer is required, not {}",
                    arg.type_name()
                )));
            };
            let m = n.unsigned_abs();
            let (text, prefix) = match conversion {
                'x' => (format!("{m:x}"), "0x"),
                'X' => (format!("{m:X}"), "0X"),
                _ => (format!("{m:o}"), "0o"),
            };
            let digits = zero_extend(text, spec.precision);
            spec.pad_number(*n < 0, if spec.alt { prefix } else { "" }, &digits, out);
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
            let Arg::Value(Value::Int(n)) = arg else {
                return Err(TypeError(format!(
                    "must be real number, not {}",
                    arg.type_name()
                )));
            };
            let x = *n as f64;
            let digits = format_float(x.abs(), conversion, spec.precision.unwrap_or(6), spec.alt);
            spec.pad_number(x < 0.0, "", &digits, out);
        }
        'c' => {
            let c = match arg {
                Arg::Value(Value::Int(n)) => u32::try_from(*n)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| OverflowError("%c arg not in range(0x110000)".into()))?,
                Arg::Value(Value::Str(s)) if s.chars().count() == 1 => {
                    s.chars().next().unwrap_or_default()
                }
                _ => return Err(TypeError("%c requires int or char".into())),
            };
            spec.pad(&c.to_string(), out);
        }
        other => {
            let shown = if (' '..='~').contains(&other) {
                other
            } else {
                '?'
            };
            return Err(ValueError(format!(
                "unsupported format character '{shown}' (0x{:x}) at index {index}",
                other as u32
            )));
        }
    }
    Ok(())
}

/// Python's `ascii()` of a `repr()`: non-ASCII characters escaped.
fn ascii(repr: &str) -> String {
    let mut out = String::with_capacity(repr.len());
    for c in repr.chars() {
        match c as u32 {
            0..=0x7f => out.push(c),
            n @ 0x80..=0xff => out.push_str(&format!("\\x{n:02x}")),
            n @ 0x100..=0xffff => out.push_str(&format!("\\u{n:04x}")),
            n => out.push_str(&format!("\\U{n:08x}")),
        }
    }
    out
}

/// `%.Nd`: the digits zero-extended to the precision.
fn zero_extend(digits: String, precision: Option<usize>) -> String {
    match precision {
        Some(p) if p > digits.len() => format!("{}{digits}", "0".repeat(p - digits.len())),
        _ => digits,
    }
}

/// `%e`, `%f`, `%g` of a non-negative float, as CPython formats them.
fn format_float(x: f64, conversion: char, precision: usize, alt: bool) -> String {
    let upper = conversion.is_ascii_uppercase();
    let text = match conversion.to_ascii_lowercase() {
        'f' => {
            let mut s = format!("{x:.precision$}");
            if alt && precision == 0 {
                s.push('.');
            }
            s
        }
        'e' => exponential(x, precision, alt),
        _ => {
            let p = precision.max(1);
            let exp = exponent_of(x, p - 1);
            if (-4..p as i64).contains(&exp) {
                let decimals = usize::try_from(p as i64 - 1 - exp).unwrap_or(0);
                let s = format!("{x:.decimals$}");
                if alt {
                    if decimals == 0 {
                        format!("{s}.")
                    } else {
                        s
                    }
                } else {
                    strip_zeros(&s)
                }
            } else {
                let s = exponential(x, p - 1, alt);
                if alt {
                    s
                } else {
                    let (mantissa, e) = s.split_once('e').unwrap_or((&s, ""));
                    format!("{}e{e}", strip_zeros(mantissa))
                }
            }
        }
    };
    if upper {
        text.to_ascii_uppercase()
    } else {
        text
    }
}

/// The decimal exponent of `x` rounded to `decimals` digits after the first.
fn exponent_of(x: f64, decimals: usize) -> i64 {
    let s = format!("{x:.decimals$e}");
    s.rsplit_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0)
}

/// `%.Ne`: `d.ddde+XX` (at least two exponent digits).
fn exponential(x: f64, precision: usize, alt: bool) -> String {
    let s = format!("{x:.precision$e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let dot = if alt && precision == 0 { "." } else { "" };
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}{dot}e{sign}{:02}", exp.abs())
}

fn strip_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s.to_owned()
    }
}

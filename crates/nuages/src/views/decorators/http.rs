//! The equivalent of `django/views/decorators/http.py`: method restrictions
//! ([`require_http_methods`], …) and conditional processing ([`condition`], [`etag`],
//! [`last_modified`], [`Condition`]).

use crate::utils::log::log_message_escape;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, NaiveDateTime, TimeZone};
use http::Method;

use crate::utils::cache::get_conditional_response;
use crate::utils::http::{http_date, quote_etag};
use crate::views::{BoxFuture, IntoViewFn, ViewFn};
use crate::{Error, HttpRequest, HttpResponse};

/// `require_http_methods(["GET", "POST"])`: other methods get 405 with `Allow` listing these
/// methods in this order (no automatic HEAD or OPTIONS, like Django).
///
/// # Examples
/// ```
/// use http::Method;
/// use nuages::views::decorators::http::require_http_methods;
/// use nuages::{HttpRequest, HttpResponse};
///
/// async fn status(_req: HttpRequest) -> HttpResponse { HttpResponse::empty() }
/// let view = require_http_methods([Method::GET, Method::HEAD], status);
/// # let _ = view;
/// ```
pub fn require_http_methods<M>(
    methods: impl IntoIterator<Item = Method>,
    view: impl IntoViewFn<M>,
) -> ViewFn {
    let methods: Arc<[Method]> = methods.into_iter().collect();
    view.into_view_fn().wrap(move |request, inner| {
        let methods = Arc::clone(&methods);
        async move {
            if methods.iter().any(|m| m == request.method()) {
                inner.call(request).await
            } else {
                tracing::warn!(
                    target: "django.request",
                    "Method Not Allowed ({}): {}",
                    log_message_escape(request.method().as_str()),
                    log_message_escape(&request.path())
                );
                Ok(HttpResponse::not_allowed(&methods))
            }
        }
    })
}

/// `require_GET`: only GET (HEAD is refused, like Django).
#[doc(alias = "require_GET")]
pub fn require_get<M>(view: impl IntoViewFn<M>) -> ViewFn {
    require_http_methods([Method::GET], view)
}

/// `require_POST`: only POST.
#[doc(alias = "require_POST")]
pub fn require_post<M>(view: impl IntoViewFn<M>) -> ViewFn {
    require_http_methods([Method::POST], view)
}

/// `require_safe`: GET and HEAD.
pub fn require_safe<M>(view: impl IntoViewFn<M>) -> ViewFn {
    require_http_methods([Method::GET, Method::HEAD], view)
}

// ===== conditional processing =====

/// What an ETag function may return: `Option<S>` (`None`: the resource has no ETag) or
/// `Result<Option<S>, E>` (an error, e.g. [`Http404`](crate::Http404), is handled like a view's),
/// with `S` a `String` or `&'static str`. The ETag may be quoted (`"abc"`, `W/"abc"`) or not
/// (`abc` becomes the strong `"abc"`).
pub trait IntoEtag: Send + 'static {
    /// Converts.
    ///
    /// # Errors
    /// The function's error.
    fn into_etag(self) -> Result<Option<String>, Error>;
}

impl<S: Into<String> + Send + 'static> IntoEtag for Option<S> {
    fn into_etag(self) -> Result<Option<String>, Error> {
        Ok(self.map(Into::into))
    }
}

impl<S, E> IntoEtag for Result<Option<S>, E>
where
    S: Into<String> + Send + 'static,
    E: Into<Error> + Send + 'static,
{
    fn into_etag(self) -> Result<Option<String>, Error> {
        self.map(|o| o.map(Into::into)).map_err(Into::into)
    }
}

/// A point in time usable as a resource's last modification: a `chrono::DateTime` in any time
/// zone, a `NaiveDateTime` (taken as UTC, as Django's `make_aware(dt, utc)`), a `SystemTime` or
/// epoch seconds (`i64`). Fractions of a second are truncated toward zero, like Python's
/// `int(dt.timestamp())`.
pub trait Timestamp {
    /// Whole seconds since the Unix epoch.
    fn epoch_seconds(&self) -> i64;
}

impl<Tz: TimeZone> Timestamp for DateTime<Tz> {
    fn epoch_seconds(&self) -> i64 {
        let secs = self.timestamp();
        if secs < 0 && self.timestamp_subsec_nanos() > 0 {
            secs + 1
        } else {
            secs
        }
    }
}

impl Timestamp for NaiveDateTime {
    fn epoch_seconds(&self) -> i64 {
        self.and_utc().epoch_seconds()
    }
}

impl Timestamp for SystemTime {
    fn epoch_seconds(&self) -> i64 {
        let clamp = |secs: u64| i64::try_from(secs).unwrap_or(i64::MAX);
        match self.duration_since(UNIX_EPOCH) {
            Ok(after) => clamp(after.as_secs()),
            Err(before) => -clamp(before.duration().as_secs()),
        }
    }
}

impl Timestamp for i64 {
    fn epoch_seconds(&self) -> i64 {
        *self
    }
}

/// What a last-modified function may return: `Option<T>` (`None`: no Last-Modified) or
/// `Result<Option<T>, E>`, with `T` a [`Timestamp`].
pub trait IntoLastModified: Send + 'static {
    /// Converts to epoch seconds.
    ///
    /// # Errors
    /// The function's error.
    fn into_last_modified(self) -> Result<Option<i64>, Error>;
}

impl<T: Timestamp + Send + 'static> IntoLastModified for Option<T> {
    fn into_last_modified(self) -> Result<Option<i64>, Error> {
        Ok(self.map(|t| t.epoch_seconds()))
    }
}

impl<T, E> IntoLastModified for Result<Option<T>, E>
where
    T: Timestamp + Send + 'static,
    E: Into<Error> + Send + 'static,
{
    fn into_last_modified(self) -> Result<Option<i64>, Error> {
        self.map_err(Into::into)?.into_last_modified()
    }
}

type SyncFn<T> = dyn Fn(&HttpRequest) -> Result<Option<T>, Error> + Send + Sync;
type AsyncFn<T> = dyn Fn(HttpRequest) -> BoxFuture<'static, Result<Option<T>, Error>> + Send + Sync;

/// An ETag or last-modified function, sync or async.
enum ValueFn<T> {
    Sync(Arc<SyncFn<T>>),
    Async(Arc<AsyncFn<T>>),
}

impl<T> Clone for ValueFn<T> {
    fn clone(&self) -> Self {
        match self {
            ValueFn::Sync(f) => ValueFn::Sync(Arc::clone(f)),
            ValueFn::Async(f) => ValueFn::Async(Arc::clone(f)),
        }
    }
}

impl<T> ValueFn<T> {
    fn kind(&self) -> &'static str {
        match self {
            ValueFn::Sync(_) => "sync",
            ValueFn::Async(_) => "async",
        }
    }
}

/// A value function's result: ready (sync function, or none) or still to be awaited.
enum Computed<T> {
    Ready(Result<Option<T>, Error>),
    Pending(BoxFuture<'static, Result<Option<T>, Error>>),
}

impl<T> Computed<T> {
    /// Runs an optional value function on the request: a sync one inline, an async one on a
    /// [`fork`](HttpRequest::fork) of the request (so no borrow of the request is held across
    /// an await point).
    fn start(f: Option<&ValueFn<T>>, request: &HttpRequest) -> Self {
        match f {
            None => Computed::Ready(Ok(None)),
            Some(ValueFn::Sync(f)) => Computed::Ready(f(request)),
            Some(ValueFn::Async(f)) => Computed::Pending(f(request.fork())),
        }
    }

    async fn get(self) -> Result<Option<T>, Error> {
        match self {
            Computed::Ready(r) => r,
            Computed::Pending(fut) => fut.await,
        }
    }
}

/// Django's `condition(etag_func=…, last_modified_func=…)` as a builder, for views that need
/// only one of the functions, async functions, or reuse across views; [`condition`], [`etag`]
/// and [`last_modified`] are shortcuts.
///
/// Before the view runs, the functions compute the resource's current validators (the
/// last-modified one first, like Django) and the request's preconditions are evaluated with
/// [`get_conditional_response`]: a 304 (GET/HEAD, `If-None-Match` matching or not modified
/// since `If-Modified-Since`) or a 412 (`If-Match`/`If-Unmodified-Since` failing, or
/// `If-None-Match` matching on another method) is answered without calling the view. For GET and HEAD, the response — the view's, or the
/// 304/412 — then gets `ETag` and `Last-Modified` unless it already has them; other methods
/// get no header.
///
/// Sync functions run inline on the runtime and should be quick; use the `_async` setters for
/// I/O (they receive a [`fork`](HttpRequest::fork) of the request: method, URI, headers and
/// resolver match, no body). URL kwargs are read from
/// [`RequestUrlsExt::resolver_match`](crate::urls::RequestUrlsExt::resolver_match).
///
/// # Examples
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use chrono::{DateTime, Utc};
/// use nuages::views::decorators::http::Condition;
/// use nuages::urls::{path, RequestUrlsExt};
/// use nuages::{App, HttpRequest, HttpResponse, Settings};
///
/// async fn article(_req: HttpRequest, id: i64) -> HttpResponse {
///     HttpResponse::new(format!("article {id}"))
/// }
///
/// // The article's version, looked up asynchronously from the URL kwarg.
/// async fn version(req: HttpRequest) -> Option<String> {
///     let id = req.resolver_match()?.kwargs.get("id")?.to_string();
///     Some(format!("{id}-v3"))
/// }
///
/// let view = Condition::new()
///     .etag_async(version)
///     .last_modified(|_req| DateTime::<Utc>::from_timestamp(1_192_999_307, 0))
///     .wrap(article);
/// let app = App::builder()
///     .settings(Settings { debug: true, ..Settings::default() })
///     .urls(vec![path("articles/<int:id>/", view)])
///     .build()
///     .unwrap();
/// let client = nuages::test::Client::new(app);
///
/// let r = client.get("/articles/7/").send().await;
/// assert_eq!(r.header("etag").as_deref(), Some("\"7-v3\""));
/// assert_eq!(r.header("last-modified").as_deref(), Some("Sun, 21 Oct 2007 20:41:47 GMT"));
///
/// let r = client.get("/articles/7/").header("If-None-Match", "\"7-v3\"").send().await;
/// assert_eq!(r.status(), 304);
/// let r = client.put("/articles/7/").header("If-Match", "\"7-v2\"").send().await;
/// assert_eq!(r.status(), 412);
/// # });
/// ```
#[derive(Clone, Default)]
pub struct Condition {
    etag: Option<ValueFn<String>>,
    last_modified: Option<ValueFn<i64>>,
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condition")
            .field("etag", &self.etag.as_ref().map(ValueFn::kind))
            .field(
                "last_modified",
                &self.last_modified.as_ref().map(ValueFn::kind),
            )
            .finish()
    }
}

impl Condition {
    /// No functions yet (wrapping a view with it changes nothing but the method checks above).
    pub fn new() -> Self {
        Condition::default()
    }

    /// Sets the ETag function (`etag_func`), called with the request.
    pub fn etag<F, R>(mut self, etag_func: F) -> Self
    where
        F: Fn(&HttpRequest) -> R + Send + Sync + 'static,
        R: IntoEtag,
    {
        self.etag = Some(ValueFn::Sync(Arc::new(move |req: &HttpRequest| {
            etag_func(req).into_etag()
        })));
        self
    }

    /// Sets an async ETag function, called with a fork of the request.
    pub fn etag_async<F, Fut, R>(mut self, etag_func: F) -> Self
    where
        F: Fn(HttpRequest) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = R> + Send + 'static,
        R: IntoEtag,
    {
        self.etag = Some(ValueFn::Async(Arc::new(move |req: HttpRequest| {
            let fut = etag_func(req);
            Box::pin(async move { fut.await.into_etag() })
        })));
        self
    }

    /// Sets the last-modified function (`last_modified_func`), called with the request.
    pub fn last_modified<F, R>(mut self, last_modified_func: F) -> Self
    where
        F: Fn(&HttpRequest) -> R + Send + Sync + 'static,
        R: IntoLastModified,
    {
        self.last_modified = Some(ValueFn::Sync(Arc::new(move |req: &HttpRequest| {
            last_modified_func(req).into_last_modified()
        })));
        self
    }

    /// Sets an async last-modified function, called with a fork of the request.
    pub fn last_modified_async<F, Fut, R>(mut self, last_modified_func: F) -> Self
    where
        F: Fn(HttpRequest) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = R> + Send + 'static,
        R: IntoLastModified,
    {
        self.last_modified = Some(ValueFn::Async(Arc::new(move |req: HttpRequest| {
            let fut = last_modified_func(req);
            Box::pin(async move { fut.await.into_last_modified() })
        })));
        self
    }

    /// Decorates `view`.
    ///
    /// Errors of the functions and of the view propagate as the view's error; an invalid ETag
    /// header value (a newline) or a last-modified date outside years 1–9999 is an error too
    /// (a 500, as Django's exceptions).
    pub fn wrap<M>(self, view: impl IntoViewFn<M>) -> ViewFn {
        let cond = Arc::new(self);
        view.into_view_fn().wrap(move |request, inner| {
            let cond = Arc::clone(&cond);
            async move {
                let last_modified = Computed::start(cond.last_modified.as_ref(), &request)
                    .get()
                    .await?;
                let etag = Computed::start(cond.etag.as_ref(), &request)
                    .get()
                    .await?
                    .map(|e| quote_etag(&e).into_owned());
                let safe = matches!(*request.method(), Method::GET | Method::HEAD);
                let mut response = match get_conditional_response(
                    &request,
                    etag.as_deref(),
                    last_modified,
                    None,
                ) {
                    Some(response) => response,
                    None => inner.call(request).await?,
                };
                if safe {
                    if let Some(lm) = last_modified.filter(|&t| t != 0) {
                        if !response.has_header("Last-Modified") {
                            response.set_header("Last-Modified", &http_date(lm)?)?;
                        }
                    }
                    if let Some(etag) = &etag {
                        response.setdefault("ETag", etag)?;
                    }
                }
                Ok(response)
            }
        })
    }
}

/// Django's `@condition(etag_func=…, last_modified_func=…)`: conditional processing of `view`
/// from the resource's ETag and last modification time, computed from the request before the
/// view runs (see [`Condition`], which also takes async functions).
///
/// `etag_func` returns an `Option` of a quoted or unquoted ETag (unquoted `abc` becomes
/// `"abc"`); `last_modified_func` returns an `Option` of a [`Timestamp`] such as
/// `chrono::DateTime<Utc>` or epoch seconds. Either may return a `Result` instead.
///
/// # Examples
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use chrono::{TimeZone, Utc};
/// use nuages::views::decorators::http::condition;
/// use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
///
/// async fn page(_req: HttpRequest) -> HttpResponse {
///     HttpResponse::new("content")
/// }
///
/// let view = condition(
///     |_req| Some("abc"),
///     |_req| Utc.with_ymd_and_hms(2007, 10, 21, 23, 21, 47).single(),
///     page,
/// );
/// let app = App::builder()
///     .settings(Settings { debug: true, ..Settings::default() })
///     .urls(vec![path("page", view)])
///     .build()
///     .unwrap();
/// let client = nuages::test::Client::new(app);
///
/// let r = client.get("/page").send().await;
/// assert_eq!(r.status(), 200);
/// assert_eq!(r.header("etag").as_deref(), Some("\"abc\""));
/// assert_eq!(r.header("last-modified").as_deref(), Some("Sun, 21 Oct 2007 23:21:47 GMT"));
///
/// let r = client.get("/page").header("If-Modified-Since", "Sun, 21 Oct 2007 23:21:47 GMT").send().await;
/// assert_eq!(r.status(), 304);
/// let r = client.get("/page").header("If-Match", "W/\"abc\"").send().await;
/// assert_eq!(r.status(), 412);
/// # });
/// ```
pub fn condition<M, E, RE, L, RL>(
    etag_func: E,
    last_modified_func: L,
    view: impl IntoViewFn<M>,
) -> ViewFn
where
    E: Fn(&HttpRequest) -> RE + Send + Sync + 'static,
    RE: IntoEtag,
    L: Fn(&HttpRequest) -> RL + Send + Sync + 'static,
    RL: IntoLastModified,
{
    Condition::new()
        .etag(etag_func)
        .last_modified(last_modified_func)
        .wrap(view)
}

/// Django's `@etag(etag_func)`: [`condition`] with only an ETag function.
///
/// # Examples
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use nuages::views::decorators::http::etag;
/// use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
///
/// async fn page(_req: HttpRequest) -> HttpResponse {
///     HttpResponse::new("content")
/// }
///
/// let view = etag(|_req| Some(String::from("W/\"v1\"")), page);
/// let app = App::builder()
///     .settings(Settings { debug: true, ..Settings::default() })
///     .urls(vec![path("page", view)])
///     .build()
///     .unwrap();
/// let client = nuages::test::Client::new(app);
/// let r = client.get("/page").header("If-None-Match", "\"v1\"").send().await;
/// assert_eq!(r.status(), 304);
/// assert_eq!(r.header("etag").as_deref(), Some("W/\"v1\""));
/// # });
/// ```
pub fn etag<M, E, R>(etag_func: E, view: impl IntoViewFn<M>) -> ViewFn
where
    E: Fn(&HttpRequest) -> R + Send + Sync + 'static,
    R: IntoEtag,
{
    Condition::new().etag(etag_func).wrap(view)
}

/// Django's `@last_modified(last_modified_func)`: [`condition`] with only a last-modified
/// function.
///
/// # Examples
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use nuages::views::decorators::http::last_modified;
/// use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
///
/// async fn page(_req: HttpRequest) -> HttpResponse {
///     HttpResponse::new("content")
/// }
///
/// // Epoch seconds work as well as chrono date-times.
/// let view = last_modified(|_req| Some(1_700_000_000_i64), page);
/// let app = App::builder()
///     .settings(Settings { debug: true, ..Settings::default() })
///     .urls(vec![path("page", view)])
///     .build()
///     .unwrap();
/// let client = nuages::test::Client::new(app);
/// let r = client.get("/page").send().await;
/// assert_eq!(r.header("last-modified").as_deref(), Some("Tue, 14 Nov 2023 22:13:20 GMT"));
/// let r = client.get("/page").header("If-Unmodified-Since", "Mon, 13 Nov 2023 00:00:00 GMT").send().await;
/// assert_eq!(r.status(), 412);
/// # });
/// ```
pub fn last_modified<M, L, R>(last_modified_func: L, view: impl IntoViewFn<M>) -> ViewFn
where
    L: Fn(&HttpRequest) -> R + Send + Sync + 'static,
    R: IntoLastModified,
{
    Condition::new()
        .last_modified(last_modified_func)
        .wrap(view)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone, Utc};

    use super::*;
    use crate::test::Client;
    use crate::urls::path;
    use crate::urls::RequestUrlsExt;
    use crate::{App, Http404, Settings};

    async fn page(_req: HttpRequest) -> HttpResponse {
        let mut r = HttpResponse::new("content");
        r.set_header("X-View", "ran").unwrap();
        r
    }

    fn client(urls: Vec<crate::urls::UrlEntry>) -> Client {
        let app = App::builder()
            .settings(Settings {
                debug: true,
                ..Settings::default()
            })
            .urls(urls)
            .build()
            .unwrap();
        Client::new(app)
    }

    #[test]
    fn timestamps_truncate_toward_zero() {
        let t = Utc.with_ymd_and_hms(1969, 12, 31, 23, 59, 59).unwrap();
        assert_eq!(t.epoch_seconds(), -1);
        assert_eq!((t + TimeDelta::milliseconds(500)).epoch_seconds(), 0);
        assert_eq!((t - TimeDelta::milliseconds(500)).epoch_seconds(), -1);
        let t = Utc.with_ymd_and_hms(2007, 10, 21, 23, 21, 47).unwrap();
        assert_eq!(
            (t + TimeDelta::microseconds(999_999)).epoch_seconds(),
            1_193_008_907
        );
        assert_eq!(t.naive_utc().epoch_seconds(), 1_193_008_907);
        let st = UNIX_EPOCH - std::time::Duration::from_millis(1500);
        assert_eq!(st.epoch_seconds(), -1);
        let fixed = t.with_timezone(&chrono::FixedOffset::east_opt(3600).unwrap());
        assert_eq!(fixed.epoch_seconds(), 1_193_008_907);
    }

    #[tokio::test]
    async fn async_functions_and_kwargs() {
        let view = Condition::new()
            .etag_async(|req: HttpRequest| async move {
                let id = req.resolver_match()?.kwargs.get("id")?.to_string();
                Some(format!("v{id}"))
            })
            .last_modified_async(|_req: HttpRequest| async { Some(1_700_000_000_i64) })
            .wrap(|req: HttpRequest, _id: i64| page(req));
        let c = client(vec![path("items/<int:id>/", view)]);
        let r = c.get("/items/4/").send().await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.header("etag"), Some("\"v4\""));
        assert_eq!(
            r.header("last-modified"),
            Some("Tue, 14 Nov 2023 22:13:20 GMT")
        );
        let r = c
            .head("/items/4/")
            .header("If-None-Match", "W/\"v4\"")
            .send()
            .await;
        assert_eq!(r.status(), 304);
        assert_eq!(r.header("x-view"), None);
        assert_eq!(r.header("etag"), Some("\"v4\""));
        let r = c
            .post("/items/4/")
            .header("If-None-Match", "\"v4\"")
            .send()
            .await;
        assert_eq!(r.status(), 412);
        assert_eq!(r.header("etag"), None);
    }

    #[tokio::test]
    async fn errors_propagate_and_headers_are_not_overwritten() {
        async fn tagged(_req: HttpRequest) -> HttpResponse {
            let mut r = HttpResponse::new("x");
            r.set_header("ETag", "\"own\"").unwrap();
            r.set_header("Last-Modified", "Mon, 01 Jan 2001 00:00:00 GMT")
                .unwrap();
            r
        }
        let c = client(vec![
            path(
                "missing",
                etag(
                    |_req| -> Result<Option<String>, Http404> { Err(Http404::new("no such item")) },
                    page,
                ),
            ),
            path(
                "tagged",
                condition(
                    |_req| Some("computed"),
                    |_req| Some(1_700_000_000_i64),
                    tagged,
                ),
            ),
            path("bad", etag(|_req| Some("a\nb"), page)),
            path("zero", last_modified(|_req| Some(0_i64), page)),
        ]);
        let r = c.get("/missing").send().await;
        assert_eq!(r.status(), 404);
        assert_eq!(r.header("x-view"), None);

        let r = c.get("/tagged").send().await;
        assert_eq!(r.header("etag"), Some("\"own\""));
        assert_eq!(
            r.header("last-modified"),
            Some("Mon, 01 Jan 2001 00:00:00 GMT")
        );
        // Preconditions use the computed values, not the view's headers.
        let r = c
            .get("/tagged")
            .header("If-None-Match", "\"computed\"")
            .send()
            .await;
        assert_eq!(r.status(), 304);

        assert_eq!(c.get("/bad").send().await.status(), 500);

        // A last modification at the epoch is falsy in Python: no header, never "not modified".
        let r = c
            .get("/zero")
            .header("If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT")
            .send()
            .await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.header("last-modified"), None);
    }

    #[test]
    fn debug_shows_function_kinds() {
        let c = Condition::new()
            .etag(|_req| Some("a"))
            .last_modified_async(|_req: HttpRequest| async { None::<i64> });
        assert_eq!(
            format!("{c:?}"),
            "Condition { etag: Some(\"sync\"), last_modified: Some(\"async\") }"
        );
    }
}

//! The equivalent of `django/core/handlers/base.py`: the [`App`] that composes the middleware
//! chain once (`load_middleware`), resolves URLs, runs `process_view`, the view and
//! `process_exception` (`_get_response`), and turns errors into responses.

use std::convert::Infallible;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::FutureExt;

use super::exception::{ErrorHandlers, ErrorResponder, IntoErrorHandler};
use crate::conf::Settings;
use crate::core::checks::{self, CheckMessage};
use crate::core::exceptions::{Error, ErrorKind, ImproperlyConfigured};
use crate::http::body::{BoxError, FinishGuard, RequestBody, ResponseBody};
use crate::http::request::{Attached, ServerInfo};
use crate::middleware::layer::{NextService, TowerLayer};
use crate::middleware::phases::{Phases, ResponsePhase};
use crate::middleware::{Endpoint, Middleware, Next, ViewHooks};
use crate::template::backends::EngineConfig;
use crate::template::response::render_lazy_response;
use crate::template::Engines;
use crate::urls::{ResolverMatch, Urls};
use crate::views::BoxFuture;
use crate::{HttpRequest, HttpResponse};

/// A nuages application: settings, URLconf, the composed middleware chain and the error
/// handlers. Cheap to clone.
///
/// It is a [`tower::Service`] for `http::Request<B>` (any body), so it can be mounted in any
/// hyper or tower server; [`crate::server`] serves it directly.
///
/// # Examples
/// ```
/// use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
///
/// async fn hello(_req: HttpRequest) -> HttpResponse {
///     HttpResponse::new("Hello there!").with_content_type("text/plain")
/// }
///
/// let app = App::builder()
///     .settings(Settings { debug: true, ..Settings::default() })
///     .urls([path("hello", hello).name("hello")])
///     .build()
///     .unwrap();
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let resp = nuages::test::Client::new(app).get("/hello").send().await;
/// assert_eq!(resp.text(), "Hello there!");
/// # });
/// ```
#[derive(Clone)]
pub struct App {
    inner: Arc<AppInner>,
}

struct AppInner {
    settings: Arc<Settings>,
    urls: Arc<Urls>,
    /// What every request of this application shares (the URLconf, …).
    shared: Arc<Attached>,
    /// The outermost layer of the composed chain.
    chain: Layer,
    names: Vec<&'static str>,
    request_finished: Arc<[RequestFinished]>,
    /// What the system checks found (not silenced).
    check_messages: Vec<CheckMessage>,
    /// How many of their findings SILENCED_SYSTEM_CHECKS silenced.
    checks_silenced: usize,
}

/// A callback of [`AppBuilder::on_request_finished`].
type RequestFinished = Arc<dyn Fn() + Send + Sync>;

impl fmt::Debug for App {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("App")
            .field("middleware", &self.inner.names)
            .finish_non_exhaustive()
    }
}

/// Wraps the rest of the chain in a layer.
type WrapNext = Box<dyn FnOnce(Arc<dyn Endpoint>) -> Arc<dyn Endpoint>>;

/// One entry of the MIDDLEWARE list, configured: a layer to wrap around the rest of the chain,
/// or the phases of a [`MiddlewareMixin`](crate::middleware::MiddlewareMixin), run with the
/// mixins next to it as one layer.
enum Configured {
    Layer(WrapNext),
    Phases(Arc<dyn Phases>),
}

/// One entry of the MIDDLEWARE list, before the chain is composed.
trait LayerSpec: Send {
    fn name(&self) -> &'static str;
    /// Reads the settings; returns what to compose and the view hooks.
    fn configure(
        self: Box<Self>,
        settings: &Settings,
        errors: Arc<ErrorResponder>,
    ) -> Result<(Configured, Option<Arc<dyn ViewHooks>>), ImproperlyConfigured>;
}

struct MiddlewareSpec<M>(M);

impl<M: Middleware> LayerSpec for MiddlewareSpec<M> {
    fn name(&self) -> &'static str {
        self.0.name()
    }

    fn configure(
        self: Box<Self>,
        settings: &Settings,
        errors: Arc<ErrorResponder>,
    ) -> Result<(Configured, Option<Arc<dyn ViewHooks>>), ImproperlyConfigured> {
        let MiddlewareSpec(mut middleware) = *self;
        middleware.configure(settings)?;
        let middleware = Arc::new(middleware);
        let hooks: Arc<dyn ViewHooks> = middleware.clone();
        if let Some(phases) = Arc::clone(&middleware).phases() {
            return Ok((Configured::Phases(phases), Some(hooks)));
        }
        let layer = move |next| -> Arc<dyn Endpoint> {
            Arc::new(MiddlewareNode {
                middleware,
                next,
                errors,
            })
        };
        Ok((Configured::Layer(Box::new(layer)), Some(hooks)))
    }
}

struct TowerSpec<L>(L);

impl<L, S, B> LayerSpec for TowerSpec<L>
where
    L: tower::Layer<NextService, Service = S> + Send + 'static,
    S: tower::Service<http::Request<RequestBody>, Response = http::Response<B>>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    fn name(&self) -> &'static str {
        std::any::type_name::<L>()
    }

    fn configure(
        self: Box<Self>,
        settings: &Settings,
        errors: Arc<ErrorResponder>,
    ) -> Result<(Configured, Option<Arc<dyn ViewHooks>>), ImproperlyConfigured> {
        let settings = Arc::new(settings.clone());
        let layer = self.0;
        let wrap = move |next| -> Arc<dyn Endpoint> {
            let service = layer.layer(NextService::new(next, settings));
            Arc::new(TowerLayer::new(service, errors))
        };
        Ok((Configured::Layer(Box::new(wrap)), None))
    }
}

/// The `handler400`… setters of [`AppBuilder`].
macro_rules! error_handler_setters {
    ($($(#[$doc:meta])* $name:ident => $field:ident,)+) => {$(
        $(#[$doc])*
        pub fn $name<M>(mut self, handler: impl IntoErrorHandler<M>) -> Self {
            self.handlers.$field = handler.into_error_handler();
            self
        }
    )+};
}

/// Builds an [`App`].
#[derive(Default)]
pub struct AppBuilder {
    settings: Option<Settings>,
    urls: Option<Result<Urls, ImproperlyConfigured>>,
    templates: Vec<EngineConfig>,
    middleware: Vec<Box<dyn LayerSpec>>,
    handlers: ErrorHandlers,
    request_finished: Vec<RequestFinished>,
}

impl fmt::Debug for AppBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppBuilder")
            .field(
                "middleware",
                &self.middleware.iter().map(|m| m.name()).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl AppBuilder {
    /// The settings (default: `Settings::default()`).
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = Some(settings);
        self
    }

    /// The URLconf (`urlpatterns`).
    pub fn urls<I, E>(mut self, patterns: I) -> Self
    where
        I: IntoIterator<Item = E>,
        E: Into<crate::urls::UrlEntry>,
    {
        self.urls = Some(Urls::new(patterns));
        self
    }

    /// An already built resolver.
    pub fn resolver(mut self, resolver: Urls) -> Self {
        self.urls = Some(Ok(resolver));
        self
    }

    /// The template engines (Django's `TEMPLATES`), built with the application: `debug` and
    /// `static_url` default to the settings' `DEBUG` and `STATIC_URL`. Views reach them with
    /// [`RequestEnginesExt::engines`](crate::template::RequestEnginesExt::engines) and
    /// [`shortcuts::render`](crate::shortcuts::render).
    ///
    /// # Examples
    /// ```
    /// use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
    /// use nuages::{shortcuts::render, template::Context, urls::path, App, HttpRequest, Result, HttpResponse, Settings};
    ///
    /// async fn hello(req: HttpRequest) -> Result<HttpResponse> {
    ///     render(&req, "hello.html", Context::new().with("name", "<world>"))
    /// }
    /// let dir = tempfile::tempdir().unwrap();
    /// std::fs::write(dir.path().join("hello.html"), "Hello {{ name }}!").unwrap();
    /// let app = App::builder()
    ///     .settings(Settings { debug: true, ..Settings::default() })
    ///     .templates([EngineConfig::new(Jinja2Backend).dirs([dir.path()])])
    ///     .urls([path("hello", hello)])
    ///     .build()
    ///     .unwrap();
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let resp = nuages::test::Client::new(app).get("/hello").send().await;
    /// assert_eq!(resp.text(), "Hello &lt;world&gt;!");
    /// # });
    /// ```
    #[doc(alias = "TEMPLATES")]
    pub fn templates(mut self, engines: impl IntoIterator<Item = EngineConfig>) -> Self {
        self.templates.extend(engines);
        self
    }

    /// Registers `f` to run once per request, when its response is finished: Django's
    /// `request_finished` signal, which the WSGI server's `response.close()` sends after
    /// closing the response's content objects.
    ///
    /// It runs when the response body handed to the server is dropped: after the server sent
    /// all of it, or when the client went away before (a streamed body is dropped unfinished),
    /// on the thread that drops it (a runtime worker: `f` must not block). The body's content
    /// — a file, a stream — is dropped, so closed, just before. Requests answered by
    /// [`App::handle`] (the server, [`App::call_http`], the test client) count, including
    /// those answered by an error page; a request whose handling future is dropped before it
    /// has a response does not.
    ///
    /// # Examples
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use std::sync::Arc;
    /// use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
    ///
    /// async fn hello(_req: HttpRequest) -> HttpResponse { HttpResponse::new("hi") }
    ///
    /// let finished = Arc::new(AtomicUsize::new(0));
    /// let seen = Arc::clone(&finished);
    /// let app = App::builder()
    ///     .settings(Settings { debug: true, ..Settings::default() })
    ///     .urls([path("hello", hello)])
    ///     .on_request_finished(move || {
    ///         seen.fetch_add(1, Ordering::SeqCst);
    ///     })
    ///     .build()
    ///     .unwrap();
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let resp = nuages::test::Client::new(app).get("/hello").send().await;
    /// assert_eq!(resp.text(), "hi");
    /// drop(resp);
    /// assert_eq!(finished.load(Ordering::SeqCst), 1);
    /// # });
    /// ```
    #[doc(alias = "request_finished")]
    pub fn on_request_finished(mut self, f: impl Fn() + Send + Sync + 'static) -> Self {
        self.request_finished.push(Arc::new(f));
        self
    }

    /// Appends a middleware (the first added is the outermost, like `MIDDLEWARE[0]`). It reads
    /// its settings when the application is built ([`Middleware::configure`]).
    pub fn middleware(mut self, middleware: impl Middleware) -> Self {
        self.middleware.push(Box::new(MiddlewareSpec(middleware)));
        self
    }

    /// Appends a tower [`Layer`](tower::Layer) at this position in the chain (tower-http's
    /// layers, for example). The layer is applied once, when the application is built, to the
    /// rest of the chain; the view below it sees the request exactly as the layer passes it on,
    /// with everything the layers above attached (session, parsed `POST`, URL match).
    pub fn layer<L, S, B>(mut self, layer: L) -> Self
    where
        L: tower::Layer<NextService, Service = S> + Send + 'static,
        S: tower::Service<http::Request<RequestBody>, Response = http::Response<B>>
            + Clone
            + Send
            + Sync
            + 'static,
        S::Error: Into<BoxError>,
        S::Future: Send + 'static,
        B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        self.middleware.push(Box::new(TowerSpec(layer)));
        self
    }

    error_handler_setters! {
        /// Replaces `handler400` (Django's default: `Bad Request (400)`).
        handler400 => bad_request,
        /// Replaces `handler403` (Django's default: `403 Forbidden`).
        handler403 => permission_denied,
        /// Replaces `handler404` (Django's default: `Not Found`).
        handler404 => page_not_found,
        /// Replaces `handler500` (Django's default: `Server Error (500)`).
        handler500 => server_error,
    }

    /// Checks the configuration and composes the middleware chain (Django's `load_middleware`).
    ///
    /// Then runs the system checks (Django's `runserver` does before serving, see
    /// [`crate::core::checks`]): warnings — a duplicate URL namespace, a URL name that can
    /// never be reversed, a missing template directory, … — do not fail the build; they are
    /// logged once (`tracing::warn!`, target `nuages::checks`, as `runserver` prints them) and
    /// kept in [`App::check_messages`]. Messages whose id is in
    /// [`silenced_system_checks`](Settings::silenced_system_checks) are left out.
    ///
    /// # Errors
    /// [`ImproperlyConfigured`]: a bad URL pattern, a view whose arguments do not match its
    /// route, invalid settings (a missing SECRET_KEY outside DEBUG, a middleware's own
    /// settings), or a system check error (`urls.E006`) that is not silenced, reported as
    /// `SystemCheckError: ` and the check's report.
    ///
    /// # Examples
    /// ```
    /// use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
    ///
    /// async fn about(_req: HttpRequest) -> HttpResponse { HttpResponse::new("about") }
    ///
    /// let settings = Settings { debug: true, ..Settings::default() };
    /// let app = App::builder().settings(settings.clone()).urls([path("/about/", about)]).build().unwrap();
    /// assert_eq!(app.check_messages()[0].id.as_deref(), Some("urls.W002"));
    ///
    /// let quiet = Settings { silenced_system_checks: vec!["urls.W002".into()], ..settings.clone() };
    /// let app = App::builder().settings(quiet).urls([path("/about/", about)]).build().unwrap();
    /// assert!(app.check_messages().is_empty());
    ///
    /// let bad = Settings { media_url: "/media".into(), ..settings };
    /// let err = App::builder().settings(bad).build().unwrap_err();
    /// assert!(err.message().starts_with("SystemCheckError: System check identified some issues:"));
    /// assert!(err.message().contains("?: (urls.E006) The MEDIA_URL setting must end with a slash."));
    /// ```
    pub fn build(self) -> Result<App, ImproperlyConfigured> {
        let settings = Arc::new(self.settings.unwrap_or_default());
        settings.check()?;
        let urls = Arc::new(match self.urls {
            Some(u) => u?,
            None => Urls::new(Vec::<crate::urls::UrlEntry>::new())?,
        });
        let errors = Arc::new(ErrorResponder {
            settings: Arc::clone(&settings),
            handlers: self.handlers,
        });
        let names: Vec<&'static str> = self.middleware.iter().map(|m| m.name()).collect();
        // Compose from the innermost layer out, like `load_middleware`'s `reversed()`.
        let view_hooks = Arc::new(std::sync::OnceLock::<Vec<Arc<dyn ViewHooks>>>::new());
        let mut chain = Layer::View(Arc::new(ViewHandler {
            urls: Arc::clone(&urls),
            hooks: Arc::clone(&view_hooks),
            errors: Arc::clone(&errors),
            debug: settings.debug,
            default_charset: (settings.default_charset != "utf-8")
                .then(|| settings.default_charset.clone().into_boxed_str()),
        }));
        let mut hooks = Vec::new();
        // Consecutive mixins, innermost first, until a layer (or the outermost) closes them.
        let mut group: Vec<Arc<dyn Phases>> = Vec::new();
        for spec in self.middleware.into_iter().rev() {
            let (configured, layer_hooks) = spec.configure(&settings, Arc::clone(&errors))?;
            hooks.extend(layer_hooks);
            match configured {
                Configured::Phases(phases) => group.push(phases),
                Configured::Layer(wrap) => {
                    chain = PhaseGroup::wrap(std::mem::take(&mut group), chain, &errors);
                    chain = Layer::Dyn(wrap(chain.into_endpoint()));
                }
            }
        }
        chain = PhaseGroup::wrap(group, chain, &errors);
        hooks.reverse();
        let _ = view_hooks.set(hooks);
        let mut shared = Attached::default();
        shared.insert(Arc::clone(&urls));
        let mut messages = urls.check(&settings);
        if !self.templates.is_empty() {
            let configs = self.templates.into_iter().map(|mut config| {
                config.options.debug |= settings.debug;
                if config.options.static_url.is_none() {
                    config.options.static_url = settings.static_url.clone();
                }
                config
            });
            let engines = Engines::new(configs)
                .map_err(|e| ImproperlyConfigured::new(format!("TEMPLATES: {e}")))?;
            messages.extend(engines.check());
            shared.insert(Arc::new(engines));
        }
        messages.extend(checks::urls::check_url_settings(&settings));
        let found = messages.len();
        let check_messages = run_system_checks(messages, &settings.silenced_system_checks)?;
        let checks_silenced = found - check_messages.len();
        Ok(App {
            inner: Arc::new(AppInner {
                settings,
                urls,
                shared: Arc::new(shared),
                chain,
                names,
                request_finished: self.request_finished.into(),
                check_messages,
                checks_silenced,
            }),
        })
    }
}

/// What `runserver` does with the checks' findings: fails on an error that is not silenced,
/// logs the rest once; returns the messages not silenced.
fn run_system_checks(
    messages: Vec<CheckMessage>,
    silenced: &[String],
) -> Result<Vec<CheckMessage>, ImproperlyConfigured> {
    let visible: Vec<CheckMessage> = messages
        .iter()
        .filter(|m| !m.is_silenced(silenced))
        .cloned()
        .collect();
    if visible.iter().any(CheckMessage::is_serious) {
        return Err(ImproperlyConfigured::new(format!(
            "SystemCheckError: {}",
            checks::report(&messages, silenced)
        )));
    }
    if !visible.is_empty() {
        tracing::warn!(target: "nuages::checks", "{}", checks::report(&messages, silenced));
    }
    Ok(visible)
}

impl App {
    /// Starts building an application.
    pub fn builder() -> AppBuilder {
        AppBuilder::default()
    }

    /// The settings.
    pub fn settings(&self) -> &Arc<Settings> {
        &self.inner.settings
    }

    /// The URL resolver (for `reverse`).
    pub fn urls(&self) -> &Arc<Urls> {
        &self.inner.urls
    }

    /// What the system checks found when the application was built (warnings and below, not
    /// silenced), in the order the checks ran: the URLconf's, the template engines', the
    /// settings'. See [`crate::core::checks`].
    ///
    /// # Examples
    /// ```
    /// use nuages::urls::{include, path};
    /// use nuages::{App, HttpRequest, HttpResponse, Settings};
    ///
    /// async fn index(_req: HttpRequest) -> HttpResponse { HttpResponse::new("") }
    ///
    /// let blog = || include([path("", index).name("index")]).app_name("blog");
    /// let app = App::builder()
    ///     .settings(Settings { debug: true, ..Settings::default() })
    ///     .urls([path("blog/", blog()), path("news/", blog())])
    ///     .build()
    ///     .unwrap();
    /// let ids: Vec<_> = app.check_messages().iter().map(|m| m.id.as_deref()).collect();
    /// assert_eq!(ids, [Some("urls.W005")]);
    /// ```
    pub fn check_messages(&self) -> &[CheckMessage] {
        &self.inner.check_messages
    }

    /// What `runserver` prints after "Performing system checks...": the findings of the
    /// system checks grouped by level, then `System check identified N issues (S silenced).`
    ///
    /// # Examples
    /// ```
    /// use nuages::{App, Settings};
    /// let app = App::builder()
    ///     .settings(Settings { debug: true, ..Settings::default() })
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(app.system_check_report(), "System check identified no issues (0 silenced).");
    /// ```
    pub fn system_check_report(&self) -> String {
        let visible: Vec<&CheckMessage> = self.inner.check_messages.iter().collect();
        checks::report_visible(&visible, self.inner.checks_silenced)
    }

    /// Builds an [`HttpRequest`] for this application from `http` parts.
    pub fn request(&self, parts: http::request::Parts, body: RequestBody) -> HttpRequest {
        self.request_from(parts, body, None, Arc::clone(ServerInfo::shared_default()))
    }

    /// [`App::request`] for a request that arrived from `remote_addr` at `server`.
    pub(crate) fn request_from(
        &self,
        parts: http::request::Parts,
        body: RequestBody,
        remote_addr: Option<std::net::SocketAddr>,
        server: Arc<ServerInfo>,
    ) -> HttpRequest {
        HttpRequest::arrived(
            parts,
            body,
            Arc::clone(&self.inner.settings),
            Some(Arc::clone(&self.inner.shared)),
            remote_addr,
            server,
        )
    }

    /// Handles a request through the middleware chain, the resolver and the view.
    ///
    /// The future is not boxed: a server that awaits it keeps it in its own request state.
    pub fn handle(
        &self,
        mut request: HttpRequest,
    ) -> impl std::future::Future<Output = HttpResponse> + Send + 'static {
        // DEBUG only: lets the technical 500 page show the POST and FILES parsed before an
        // error (error handlers get the request without its body).
        if self.inner.settings.debug {
            request.keep_form_for_debug();
        }
        let inner = Arc::clone(&self.inner);
        async move {
            let mut response = inner.chain.call(request).await;
            if !inner.request_finished.is_empty() {
                let callbacks = Arc::clone(&inner.request_finished);
                response.set_finish_guard(FinishGuard::new(move || {
                    for f in callbacks.iter() {
                        f();
                    }
                }));
            }
            response
        }
    }

    /// Handles an `http::Request` with any body, returning an `http::Response`.
    pub async fn call_http<B>(&self, req: http::Request<B>) -> http::Response<ResponseBody>
    where
        B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        let (parts, body) = req.into_parts();
        let request = self.request(parts, RequestBody::new(body));
        self.handle(request).await.into_http()
    }
}

/// A response whose builder refused a header is the error Django would have raised.
fn checked(mut response: HttpResponse) -> Result<HttpResponse, Error> {
    match response.take_build_error() {
        Some(e) => Err(e.into()),
        None => Ok(response),
    }
}

/// A middleware with the rest of the chain: Django's `convert_exception_to_response(mw)`.
struct MiddlewareNode<M> {
    middleware: Arc<M>,
    next: Arc<dyn Endpoint>,
    errors: Arc<ErrorResponder>,
}

impl<M: Middleware> Endpoint for MiddlewareNode<M> {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, HttpResponse> {
        Box::pin(async move {
            // Kept to answer an error: the head is shared, so this is one increment.
            let head = request.head_handle();
            let attached = request.attached().clone();
            let outcome = AssertUnwindSafe(self.middleware.call(request, Next::new(&self.next)))
                .catch_unwind()
                .await;
            let error = match outcome.map(|r| r.and_then(checked)) {
                Ok(Ok(response)) => return response,
                Ok(Err(e)) => e,
                Err(panic) => Error::from_panic(panic),
            };
            let request = HttpRequest::from_head_with(head, attached);
            self.errors.respond(request, error).await
        })
    }
}

/// Consecutive [`MiddlewareMixin`](crate::middleware::MiddlewareMixin)s as one layer: Django's
/// `MiddlewareMixin.__call__` of each, nested, with `convert_exception_to_response` around
/// each, without a boxed future, a reference count or a copy of the request per middleware.
struct PhaseGroup {
    /// Outermost first.
    phases: Box<[Arc<dyn Phases>]>,
    next: Below,
    errors: Arc<ErrorResponder>,
}

/// The layer below a group of mixins: never another group (consecutive mixins are one).
enum Below {
    View(Arc<ViewHandler>),
    Dyn(Arc<dyn Endpoint>),
}

impl Below {
    async fn call(&self, request: HttpRequest) -> HttpResponse {
        match self {
            Below::View(view) => view.handle(request).await,
            Below::Dyn(layer) => layer.call(request).await,
        }
    }
}

/// A layer of the composed chain, as the layer above (or the application) calls it: the
/// handler and a group of mixins are called directly, their futures part of the caller's (not
/// boxed); any other layer through [`Endpoint`].
enum Layer {
    View(Arc<ViewHandler>),
    Group(Arc<PhaseGroup>),
    Dyn(Arc<dyn Endpoint>),
}

impl Layer {
    async fn call(&self, request: HttpRequest) -> HttpResponse {
        match self {
            Layer::View(view) => view.handle(request).await,
            Layer::Group(group) => group.handle(request).await,
            Layer::Dyn(layer) => layer.call(request).await,
        }
    }

    /// This layer as the `next` of a middleware written with `call` or of a tower layer.
    fn into_endpoint(self) -> Arc<dyn Endpoint> {
        match self {
            Layer::View(view) => view,
            Layer::Group(group) => group,
            Layer::Dyn(layer) => layer,
        }
    }
}

/// Runs a synchronous phase; a panic is the error it raised.
fn guarded<T>(phase: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    std::panic::catch_unwind(AssertUnwindSafe(phase)).unwrap_or_else(|p| Err(Error::from_panic(p)))
}

impl PhaseGroup {
    /// `next` wrapped by the mixins of `innermost_first` (itself when there are none).
    fn wrap(
        mut innermost_first: Vec<Arc<dyn Phases>>,
        next: Layer,
        errors: &Arc<ErrorResponder>,
    ) -> Layer {
        if innermost_first.is_empty() {
            return next;
        }
        innermost_first.reverse();
        let next = match next {
            Layer::View(view) => Below::View(view),
            other => Below::Dyn(other.into_endpoint()),
        };
        Layer::Group(Arc::new(PhaseGroup {
            phases: innermost_first.into(),
            next,
            errors: Arc::clone(errors),
        }))
    }
}

impl Endpoint for PhaseGroup {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, HttpResponse> {
        Box::pin(self.handle(request))
    }
}

impl PhaseGroup {
    async fn handle(&self, mut request: HttpRequest) -> HttpResponse {
        {
            // The request phases, outermost first; `above` is how many process_responses run.
            let mut above = self.phases.len();
            let mut answer: Option<Result<HttpResponse, Error>> = None;
            for (i, phase) in self.phases.iter().enumerate() {
                match guarded(|| {
                    phase
                        .request_phase(&mut request)
                        .and_then(|r| r.map(checked).transpose())
                }) {
                    Ok(None) => {}
                    Ok(Some(response)) => {
                        above = i + 1;
                        answer = Some(Ok(response));
                        break;
                    }
                    Err(e) => {
                        above = i;
                        answer = Some(Err(e));
                        break;
                    }
                }
            }
            let seen = request.fork();
            let mut response = match answer {
                None => self.next.call(request).await,
                Some(Ok(response)) => response,
                Some(Err(e)) => self.errors.respond(request, e).await,
            };
            // The response phases, innermost first.
            for phase in self.phases[..above].iter().rev() {
                let outcome = match guarded(|| Ok(phase.response_phase(&seen, response))) {
                    Ok(ResponsePhase::Ready(outcome)) => outcome,
                    Ok(ResponsePhase::Pending(future)) => AssertUnwindSafe(future)
                        .catch_unwind()
                        .await
                        .unwrap_or_else(|p| Err(Error::from_panic(p))),
                    Err(e) => Err(e),
                };
                response = match outcome.and_then(checked) {
                    Ok(response) => response,
                    Err(e) => self.errors.respond(seen.fork(), e).await,
                };
            }
            response
        }
    }
}

/// The innermost layer: Django's `_get_response`.
struct ViewHandler {
    urls: Arc<Urls>,
    /// The `process_view`/`process_exception` hooks, in middleware order (set once the chain
    /// above is composed).
    hooks: Arc<std::sync::OnceLock<Vec<Arc<dyn ViewHooks>>>>,
    errors: Arc<ErrorResponder>,
    debug: bool,
    /// DEFAULT_CHARSET when it is not utf-8.
    default_charset: Option<Box<str>>,
}

impl ViewHandler {
    fn hooks(&self) -> &[Arc<dyn ViewHooks>] {
        self.hooks.get().map_or(&[], Vec::as_slice)
    }

    fn resolve(&self, request: &HttpRequest) -> Result<Arc<ResolverMatch>, Error> {
        // `request.urlconf`, when a middleware set one.
        let urls = request.attached().get::<Urls>().unwrap_or(&self.urls);
        // The list of patterns tried is only shown by the DEBUG 404 page; building it for every
        // 404 would let a flood of unknown URLs cost a walk of the whole URLconf each.
        if self.debug {
            if let Some(found) = urls.resolve_shared(request.path_info()) {
                return Ok(found);
            }
            return match urls.resolve(request.path_info()) {
                Ok(m) => Ok(Arc::new(m)),
                Err(e) => Err(Error::new(ErrorKind::NotFound, e)),
            };
        }
        urls.resolve_shared(request.path_info()).ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                crate::urls::Resolver404 {
                    path: request.path_info().trim_start_matches('/').to_owned(),
                    tried: Vec::new(),
                    tried_names: Vec::new(),
                },
            )
        })
    }
}

impl ViewHandler {
    /// After the view: a response refused by a builder is an error; a `TemplateResponse` goes
    /// through the middleware's `process_template_response` (in reverse order) and is rendered
    /// (Django's `_get_response`).
    fn finish(
        &self,
        head: &Arc<crate::http::request::RequestHead>,
        attached: &Attached,
        response: HttpResponse,
    ) -> Result<HttpResponse, Error> {
        let mut response = checked(response)?;
        if crate::template::response::is_lazy(&response) {
            let request = HttpRequest::from_head_with(Arc::clone(head), attached.clone());
            for hook in self.hooks().iter().rev() {
                response = hook.process_template_response(&request, response)?;
            }
            response = checked(render_lazy_response(response)?)?;
        }
        // DEFAULT_CHARSET other than utf-8: the default Content-Type names it and text content
        // is encoded with it, as Django's constructor does.
        if let Some(charset) = &self.default_charset {
            response.use_default_charset(charset);
        }
        checked(response)
    }
}

impl Endpoint for ViewHandler {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, HttpResponse> {
        Box::pin(self.handle(request))
    }
}

impl ViewHandler {
    async fn handle(&self, mut request: HttpRequest) -> HttpResponse {
        {
            let resolved = match self.resolve(&request) {
                Ok(m) => m,
                Err(e) => return self.errors.respond(request, e).await,
            };
            request.attached_mut().insert(Arc::clone(&resolved));
            for hook in self.hooks() {
                let outcome = match hook.process_view(&mut request, &resolved) {
                    Some(hook) => hook.await,
                    None => continue,
                };
                match outcome {
                    Ok(Some(response)) => return response,
                    Ok(None) => {}
                    Err(e) => return self.errors.respond(request, e).await,
                }
            }
            let head = request.head_handle();
            let attached = request.attached().clone();
            let result = match AssertUnwindSafe(resolved.func().call(request))
                .catch_unwind()
                .await
            {
                Ok(r) => r,
                Err(panic) => Err(Error::from_panic(panic)),
            };
            let error = match result.and_then(|r| self.finish(&head, &attached, r)) {
                Ok(response) => return response,
                Err(e) => e,
            };
            let request = HttpRequest::from_head_with(head, attached);
            for hook in self.hooks().iter().rev() {
                if let Some(response) = hook.process_exception(&request, &error) {
                    return response;
                }
            }
            self.errors.respond(request, error).await
        }
    }
}

impl<B> tower::Service<http::Request<B>> for App
where
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = http::Response<ResponseBody>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let app = self.clone();
        Box::pin(async move { Ok(app.call_http(req).await) })
    }
}

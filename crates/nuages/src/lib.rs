//! # nuages
//!
//! Django's HTTP layer — `django.http`, `django.urls`, `django.views`, the HTTP middleware,
//! sessions and signing — rebuilt in Rust on hyper 1, tokio and tower. Where Django's
//! behaviour is observable on the wire, nuages's is identical, down to header and
//! `Set-Cookie` strings; where Django would fail at run time (a view whose arguments do not fit
//! its route, a misspelt class attribute), nuages fails when the program is compiled or the
//! application is built.
//!
//! This page is a tour in the order of Django's "Request and response objects" reference. The
//! repository's `docs/from-django.md` maps every API of those documents to its nuages
//! spelling, and `examples/seed_app` is a complete application that mirrors a real Django one
//! (`cargo run --example seed_app`).
//!
//! # Quick start
//!
//! A view is an `async fn` taking an [`HttpRequest`] (and, when its route captures values, one
//! more parameter for them) and returning an [`HttpResponse`] or a [`Result`]. The
//! application is built once from [`Settings`], a URLconf and the middleware, then served:
//!
//! ```no_run
//! use nuages::urls::path;
//! use nuages::{App, HttpRequest, HttpResponse, JsonResponse, Result, Settings};
//!
//! async fn hello(_req: HttpRequest) -> HttpResponse {
//!     HttpResponse::new("Hello there!").with_content_type("text/plain")
//! }
//!
//! async fn params(req: HttpRequest) -> Result<HttpResponse> {
//!     Ok(JsonResponse::object(req.query()?.dict()))
//! }
//!
//! async fn greet(_req: HttpRequest, name: String) -> HttpResponse {
//!     HttpResponse::new(format!("hello {name}"))
//! }
//!
//! #[tokio::main]
//! async fn main() -> std::io::Result<()> {
//!     let app = App::builder()
//!         .settings(Settings { debug: true, ..Settings::default() })
//!         .urls(vec![
//!             path("hello", hello).name("hello"),
//!             path("params/", params),
//!             path("hello/<name>/", greet),
//!         ])
//!         .build()
//!         .expect("valid configuration");
//!     nuages::server::Server::bind("127.0.0.1:8000").await?.dev_log(true).serve(app).await
//! }
//! ```
//!
//! # Requests
//!
//! [`HttpRequest`] is Django's `HttpRequest`: [`method`](HttpRequest::method),
//! [`path`](HttpRequest::path), [`scheme`](HttpRequest::scheme),
//! [`query`](HttpRequest::query) (`GET`, a [`QueryDict`]), [`form`](HttpRequest::form)
//! (`POST`), [`cookies`](HttpRequest::cookies) (`COOKIES`), [`files`](HttpRequest::files)
//! (`FILES`), [`meta`](HttpRequest::meta) (`META`, with Django's keys),
//! [`headers`](HttpRequest::headers) (an [`http::HeaderMap`](http_types::HeaderMap)) and
//! [`header`](HttpRequest::header) (`request.headers["…"]`), [`body`](HttpRequest::body),
//! [`get_host`](HttpRequest::get_host), [`build_absolute_uri`](HttpRequest::build_absolute_uri),
//! [`is_secure`](HttpRequest::is_secure), [`accepts`](HttpRequest::accepts). Reading the body
//! is `async` (it may still be arriving); every accessor takes `&self` and parses once.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> nuages::Result<()> {
//! let request = nuages::test::RequestFactory::new()
//!     .post("/search/?q=rust&tag=a&tag=b", "name=Ada")
//!     .content_type("application/x-www-form-urlencoded")
//!     .header("Cookie", "theme=dark")
//!     .header("User-Agent", "curl/8.5")
//!     .build();
//! assert_eq!(request.method(), "POST");
//! assert_eq!(request.query()?.get_list("tag"), ["a", "b"]);        // request.GET.getlist("tag")
//! assert_eq!(request.form().await?.get("name"), Some("Ada"));       // request.POST.get("name")
//! assert_eq!(request.cookie("theme"), Some("dark"));                // request.COOKIES.get("theme")
//! assert_eq!(request.meta().get("HTTP_USER_AGENT"), Some("curl/8.5"));
//! assert_eq!(request.header("user-agent").as_deref(), Some("curl/8.5"));
//! assert_eq!(&request.body().await?[..], b"name=Ada");
//! assert_eq!(request.build_absolute_uri(None)?, "http://testserver/search/?q=rust&tag=a&tag=b");
//! assert!(request.files().await?.is_empty());
//! # Ok(()) }
//! ```
//!
//! # Responses
//!
//! One [`HttpResponse`] type has Django's subclasses as constructors
//! ([`redirect`](HttpResponse::redirect), [`permanent_redirect`](HttpResponse::permanent_redirect),
//! [`not_found`](HttpResponse::not_found), [`not_modified`](HttpResponse::not_modified), …);
//! [`JsonResponse`] serializes any `serde::Serialize` value as Django's encoder does;
//! [`streaming_iter`](HttpResponse::streaming_iter) is `StreamingHttpResponse`, and
//! [`FileResponse`](http::response::FileResponse) streams a file. Cookies are set with
//! [`set_cookie`](HttpResponse::set_cookie) and a [`SetCookie`](http::cookie::SetCookie),
//! deleted with [`delete_cookie`](HttpResponse::delete_cookie), signed with
//! [`set_signed_cookie`](HttpResponse::set_signed_cookie).
//!
//! ```
//! use nuages::http::cookie::SetCookie;
//! use nuages::http_types::StatusCode;
//! use nuages::{HttpResponse, JsonResponse};
//!
//! # fn main() -> nuages::Result<()> {
//! let mut response = HttpResponse::new("Created").with_status(StatusCode::CREATED);
//! response.set_header("X-Custom-Header", "MyValue")?;      // response["X-Custom-Header"] = …
//! response.set_cookie(SetCookie::new("username", "john").max_age(3600))?;
//! response.delete_cookie("old")?;
//! assert_eq!(response.status_code(), 201);
//! assert_eq!(response.cookies().len(), 2);
//!
//! assert_eq!(HttpResponse::redirect("/new-url/")?.status_code(), 302); // HttpResponseRedirect
//! assert_eq!(HttpResponse::gone("gone").status_code(), 410);          // HttpResponseGone
//! let json = JsonResponse::new(&serde_json::json!({"name": "John"}))?;
//! assert_eq!(json.content()?, br#"{"name": "John"}"#);
//! let csv = HttpResponse::streaming_iter(["a,b\r\n", "1,2\r\n"]); // StreamingHttpResponse
//! assert!(csv.is_streaming());
//! let file = nuages::http::response::FileResponse::new()
//!     .as_attachment(true)
//!     .filename("data.csv")
//!     .from_bytes("a,b\r\n");
//! assert_eq!(file.header("content-disposition").as_deref(), Some("attachment; filename=\"data.csv\""));
//! # Ok(()) }
//! ```
//!
//! # URLs
//!
//! [`urls::path`], [`urls::re_path`] and [`urls::include`] build the URLconf (with
//! namespaces, Django's converters and your own [`urls::Converter`]s); it is compiled once,
//! when the application is built, into a [`urls::Urls`] resolver. [`reverse!`] and
//! [`urls::RequestUrlsExt::reverse`] reverse a URL name;
//! [`urls::RequestUrlsExt::resolver_match`] is `request.resolver_match`.
//!
//! ```
//! use nuages::urls::{include, path, Urls};
//! use nuages::views::ViewFn;
//!
//! let polls = vec![path("<int:question_id>/", ViewFn::named("detail")).name("detail")];
//! let urls = Urls::new(vec![path("polls/", include(polls).app_name("polls"))]).unwrap();
//! assert_eq!(urls.resolve("/polls/5/").unwrap().view_name(), "polls:detail");
//! assert_eq!(nuages::reverse!(urls, "polls:detail", question_id = 5).unwrap(), "/polls/5/");
//! ```
//!
//! # Views and decorators
//!
//! A view takes its URL arguments typed: one value, a tuple in route order, or
//! [`views::Kwargs`] with a `serde::Deserialize` struct (by name); a mismatch with the route
//! is an error when the application is built. Errors are values: `?` on [`Http404`] answers
//! with handler404, [`PermissionDenied`] with handler403, [`BadRequest`] and
//! [`SuspiciousOperation`] with handler400, any other error with handler500
//! ([`AppBuilder::handler404`] and its siblings replace them). Decorators
//! ([`views::decorators`]: `require_http_methods`, `condition`, `cache_page`, `csrf_exempt`,
//! `vary_on_headers`, …) are functions from a view to a view.
//!
//! ```
//! use nuages::views::decorators::http::require_get;
//! use nuages::{urls::path, App, Http404, HttpRequest, HttpResponse, Result, Settings};
//!
//! async fn book(_req: HttpRequest, pk: i64) -> Result<HttpResponse> {
//!     if pk != 1 {
//!         return Err(Http404::new("No Book matches the given query.").into());
//!     }
//!     Ok(HttpResponse::new("Dune"))
//! }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> nuages::Result<()> {
//! let app = App::builder()
//!     .settings(Settings { debug: true, ..Settings::default() })
//!     .urls([path("books/<int:pk>/", require_get(book))])
//!     .build()?;
//! let client = nuages::test::Client::new(app);
//! assert_eq!(client.get("/books/1/").send().await.text(), "Dune");
//! assert_eq!(client.get("/books/2/").send().await.status(), 404);
//! assert_eq!(client.post("/books/1/").send().await.status(), 405);
//!
//! // A view whose parameters do not fit its route is refused when the app is built.
//! async fn no_pk(_req: HttpRequest) -> HttpResponse { HttpResponse::empty() }
//! let err = App::builder()
//!     .settings(Settings { debug: true, ..Settings::default() })
//!     .urls([path("books/<int:pk>/", no_pk)])
//!     .build()
//!     .unwrap_err();
//! assert!(err.message().contains("URL argument"), "{err}");
//! # Ok(()) }
//! ```
//!
//! # Class-based views
//!
//! [`views::generic`] is `django.views.generic`: a view is a struct (its fields are the class
//! attributes) with an `impl View` block under [`#[views::view]`](views::view), dispatched as
//! Django dispatches (`http_method_names`, 405 with `Allow`, `options`, HEAD by `get`).
//! [`TemplateView`](views::generic::TemplateView), [`RedirectView`](views::generic::RedirectView)
//! and [`ListView`](views::generic::ListView) are ready-made; Django's mixins are traits.
//!
//! ```
//! use nuages::views::generic::{RedirectView, View};
//! use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
//!
//! struct MyView;
//!
//! #[nuages::views::view]
//! impl View for MyView {
//!     async fn get(&self, _request: HttpRequest) -> HttpResponse {
//!         HttpResponse::new("This is a GET request.")
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> nuages::Result<()> {
//! let old = RedirectView { url: Some("/cbv".into()), permanent: true, ..Default::default() };
//! let app = App::builder()
//!     .settings(Settings { debug: true, ..Settings::default() })
//!     .urls([path("cbv", MyView.as_view()), path("old", old.as_view())])
//!     .build()?;
//! let client = nuages::test::Client::new(app);
//! assert_eq!(client.get("/cbv").send().await.text(), "This is a GET request.");
//! assert_eq!(client.delete("/cbv").send().await.header("allow"), Some("GET, HEAD, OPTIONS"));
//! assert_eq!(client.get("/old").send().await.status(), 301);
//! # Ok(()) }
//! ```
//!
//! # Templates
//!
//! [`AppBuilder::templates`] is `TEMPLATES`, with Django's Jinja2 backend
//! ([`template::backends::jinja2::Jinja2Backend`], on minijinja) and its globals (`request`,
//! `csrf_input`, `url()`, `static()`); [`shortcuts::render`] is `render()`, and
//! [`template::response::TemplateResponse`] is rendered after the view, so
//! `process_template_response` middleware can still change it.
//!
//! ```
//! use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
//! use nuages::template::Context;
//! use nuages::{shortcuts::render, urls::path, App, HttpRequest, HttpResponse, Result, Settings};
//!
//! async fn hello(req: HttpRequest) -> Result<HttpResponse> {
//!     render(&req, "hello.html", Context::new().with("name", "<world>"))
//! }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> nuages::Result<()> {
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("hello.html"), "Hello {{ name }}!")?;
//! let app = App::builder()
//!     .settings(Settings { debug: true, ..Settings::default() })
//!     .templates([EngineConfig::new(Jinja2Backend).dirs([dir.path()])])
//!     .urls([path("hello", hello)])
//!     .build()?;
//! let response = nuages::test::Client::new(app).get("/hello").send().await;
//! assert_eq!(response.text(), "Hello &lt;world&gt;!");
//! # Ok(()) }
//! ```
//!
//! # Middleware
//!
//! [`AppBuilder::middleware`] appends to `MIDDLEWARE` (the first is the outermost). The
//! built-in middleware ([`middleware::security`], [`middleware::common`],
//! [`middleware::csrf`], [`middleware::clickjacking`], [`middleware::gzip`],
//! [`middleware::http`], [`middleware::cache`], [`middleware::csp`], [`middleware::cors`],
//! [`sessions::SessionMiddleware`]) read their settings from the application's [`Settings`].
//! Your own is an `impl` of [`middleware::Middleware`] (with `process_view`,
//! `process_exception`, `process_template_response`) or a closure in
//! [`middleware::from_fn`]; any tower layer runs in the chain with [`AppBuilder::layer`], and
//! the [`App`] itself is a `tower::Service`.
//!
//! ```
//! use nuages::middleware::clickjacking::XFrameOptionsMiddleware;
//! use nuages::middleware::from_fn;
//! use nuages::middleware::security::SecurityMiddleware;
//! use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
//!
//! async fn page(_req: HttpRequest) -> HttpResponse { HttpResponse::new("page") }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> nuages::Result<()> {
//! let app = App::builder()
//!     .settings(Settings { debug: true, ..Settings::default() })
//!     .middleware(SecurityMiddleware::new())
//!     .middleware(XFrameOptionsMiddleware::new())
//!     .middleware(from_fn(|request, next| async move {
//!         next.run(request).await.with_header("X-Served-By", "nuages")
//!     }))
//!     .urls([path("page", page)])
//!     .build()?;
//! let response = nuages::test::Client::new(app).get("/page").send().await;
//! assert_eq!(response.header("x-frame-options"), Some("DENY"));
//! assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
//! assert_eq!(response.header("x-served-by"), Some("nuages"));
//! # Ok(()) }
//! ```
//!
//! # Sessions
//!
//! [`sessions::SessionMiddleware`] gives each request its session
//! ([`sessions::RequestSessionExt::session`], `request.session`), kept by the engine
//! `SESSION_ENGINE` names ([`Settings::session_engine`]: `db`, `cache`, `cached_db`, `file`,
//! `signed_cookies`), each storing exactly what Django's engine stores.
//!
//! ```
//! use nuages::conf::SessionEngine;
//! use nuages::sessions::{RequestSessionExt, SessionMiddleware};
//! use nuages::{urls::path, App, Error, HttpRequest, HttpResponse, Result, Settings};
//!
//! async fn visit(req: HttpRequest) -> Result<HttpResponse> {
//!     let session = req.session().ok_or_else(|| Error::msg("no SessionMiddleware"))?;
//!     let mut session = session.load().await?;
//!     let visits = session.get::<i64>("visits")?.unwrap_or(0) + 1;
//!     session.insert("visits", visits);
//!     Ok(HttpResponse::new(format!("visits={visits}")))
//! }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> nuages::Result<()> {
//! let app = App::builder()
//!     .settings(Settings {
//!         secret_key: "s3cr3t".into(),
//!         allowed_hosts: vec!["testserver".into()],
//!         session_engine: SessionEngine::SignedCookies,
//!         ..Settings::default()
//!     })
//!     .middleware(SessionMiddleware::new())
//!     .urls([path("visit", visit)])
//!     .build()?;
//! let client = nuages::test::Client::new(app);
//! assert_eq!(client.get("/visit").send().await.text(), "visits=1");
//! assert_eq!(client.get("/visit").send().await.text(), "visits=2");
//! # Ok(()) }
//! ```
//!
//! # Signing
//!
//! [`signing`] is `django.core.signing`, byte-compatible with Django's
//! ([`Signer`](signing::Signer), [`TimestampSigner`](signing::TimestampSigner),
//! [`dumps`](signing::dumps) / [`loads`](signing::loads)); keys are passed explicitly or read
//! from the settings, never from a global.
//!
//! ```
//! use nuages::signing::{MaxAge, Signer, TimestampSigner};
//!
//! let signer = Signer::new("django-insecure-golden-key");
//! let signed = signer.sign("hello");
//! assert_eq!(signed, "hello:AmEgtkcGq0c327Wa5jXnkpajXMZKdimFvKgNQHtJxWI");
//! assert_eq!(signer.unsign(&signed).unwrap(), "hello");
//! let stamped = TimestampSigner::new("key").sign("value");
//! assert!(TimestampSigner::new("key").unsign(&stamped, Some(MaxAge::Seconds(60))).is_ok());
//! ```
//!
//! # Settings
//!
//! [`Settings`] carries Django's setting names in lower case with Django's defaults
//! (`debug`, `secret_key`, `allowed_hosts`, every `csrf_*`, `session_*`, `secure_*`, …). It
//! belongs to the application — there is no global `django.conf.settings` — and views read it
//! with [`HttpRequest::settings`]. [`Settings::from_env`] reads `NUAGES_<SETTING>` variables.
//!
//! ```
//! use nuages::Settings;
//!
//! let settings = Settings {
//!     secret_key: "change-me".into(),
//!     allowed_hosts: vec!["example.com".into()],
//!     session_cookie_age: 3600,
//!     ..Settings::default()
//! };
//! assert!(settings.check().is_ok());
//! assert_eq!(settings.csrf_cookie_name, "csrftoken");
//! assert!(Settings::default().check().is_err()); // no SECRET_KEY outside DEBUG
//! ```
//!
//! # Testing
//!
//! [`test::Client`] drives an [`App`] in-process through all its middleware, keeping cookies
//! between requests (`django.test.Client`); [`test::RequestFactory`] builds requests to call
//! a view directly; [`test::TestServer`] serves the app on a real port.
//!
//! ```
//! use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
//!
//! async fn hi(req: HttpRequest) -> HttpResponse {
//!     HttpResponse::new(format!("hi {}", req.query().unwrap().get("n").unwrap_or("?")))
//! }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let app = App::builder()
//!     .settings(Settings { debug: true, ..Settings::default() })
//!     .urls([path("hi", hi)])
//!     .build()
//!     .unwrap();
//! let client = nuages::test::Client::new(app);
//! let response = client.get("/hi").query(&[("n", "5")]).send().await;
//! assert_eq!((response.status(), response.text()), (200, "hi 5".to_owned()));
//!
//! let request = nuages::test::RequestFactory::new().get("/hi?n=6").build();
//! assert_eq!(hi(request).await.text().unwrap(), "hi 6");
//! # }
//! ```
//!
//! # Serving
//!
//! [`server::Server`] is hyper-util's HTTP/1.1 and HTTP/2 server with the limits of
//! [`server::Limits`] (every wait has a timeout, every buffer a bound), graceful shutdown
//! (on Ctrl-C or SIGTERM with [`serve`](server::Server::serve), on any future with
//! [`serve_with_shutdown`](server::Server::serve_with_shutdown): in-flight requests finish,
//! new connections are refused) and a `runserver`-style development log
//! ([`dev_log`](server::Server::dev_log), on by default exactly when `DEBUG` is).
//!
//! ```
//! use std::time::Duration;
//! use nuages::server::{Limits, Server};
//! use nuages::{urls::path, App, HttpRequest, HttpResponse, Settings};
//!
//! async fn hello(_req: HttpRequest) -> HttpResponse { HttpResponse::new("hi") }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
//! let app = App::builder()
//!     .settings(Settings { debug: true, ..Settings::default() })
//!     .urls([path("hello", hello)])
//!     .build()
//!     .expect("valid configuration");
//! let server = Server::bind("127.0.0.1:0")
//!     .await?
//!     .dev_log(true)
//!     .limits(Limits { keep_alive_timeout: Some(Duration::from_secs(5)), ..Limits::default() })
//!     .shutdown_timeout(Duration::from_secs(10));
//! assert!(server.local_addr()?.port() != 0);
//! // Shuts down as soon as the signal completes (here: at once).
//! server.serve_with_shutdown(app, async {}).await?;
//! # Ok(()) }
//! ```
//!
//! # Django → nuages
//!
//! | Django | nuages |
//! |---|---|
//! | `HttpRequest`, `request.GET`, `request.POST`, `request.FILES`, `request.COOKIES`, `request.META`, `request.headers`, `request.body` | [`HttpRequest`], [`HttpRequest::query`], [`HttpRequest::form`], [`HttpRequest::files`], [`HttpRequest::cookies`], [`HttpRequest::meta`], [`HttpRequest::header`], [`HttpRequest::body`] |
//! | `HttpResponse`, `JsonResponse`, `HttpResponseRedirect`, `HttpResponseNotFound`, … | [`HttpResponse`], [`JsonResponse`], [`HttpResponse::redirect`], [`HttpResponse::not_found`], … |
//! | `StreamingHttpResponse`, `FileResponse` | [`HttpResponse::streaming_iter`], [`http::response::FileResponse`] |
//! | `set_cookie`, `set_signed_cookie`, `delete_cookie`, `get_signed_cookie` | [`HttpResponse::set_cookie`], [`HttpResponse::set_signed_cookie`], [`HttpResponse::delete_cookie`], [`HttpRequest::get_signed_cookie`] |
//! | `QueryDict` | [`QueryDict`] |
//! | `path()`, `re_path()`, `include()`, `reverse()`, `register_converter()` | [`urls::path`], [`urls::re_path`], [`urls::include`], [`urls::Urls::reverse`], [`reverse!`], [`urls::UrlsBuilder::register_converter`] |
//! | `request.resolver_match` | [`urls::RequestUrlsExt::resolver_match`] |
//! | `Http404`, `PermissionDenied`, `BadRequest`, `SuspiciousOperation` | [`Http404`], [`PermissionDenied`], [`BadRequest`], [`SuspiciousOperation`] |
//! | `handler400`, `handler403`, `handler404`, `handler500` | [`AppBuilder::handler400`], [`AppBuilder::handler403`], [`AppBuilder::handler404`], [`AppBuilder::handler500`] |
//! | `render()`, `redirect()` | [`shortcuts::render`], [`shortcuts::redirect`] |
//! | `require_http_methods`, `condition`, `etag`, `cache_page`, `never_cache`, `csrf_exempt`, `vary_on_headers` | [`views::decorators::http`], [`views::decorators::cache`], [`views::decorators::csrf`], [`views::decorators::vary`] |
//! | `request.session`, `SessionMiddleware`, `SESSION_ENGINE` | [`sessions::RequestSessionExt::session`], [`sessions::SessionMiddleware`], [`Settings::session_engine`] |
//! | `django.core.signing` | [`signing`] |
//! | `ContentSecurityPolicyMiddleware`, `request._csp_nonce`, `csp_override` (Django 6.0) | [`middleware::csp::ContentSecurityPolicyMiddleware`], [`middleware::csp::RequestCspExt::csp_nonce`], [`views::decorators::csp`], [`utils::csp`] |
//! | `MIDDLEWARE` | [`AppBuilder::middleware`], [`middleware::Middleware`] |
//! | `CACHES`, `caches[alias]`, `cache_page`, `UpdateCacheMiddleware`/`FetchFromCacheMiddleware` | [`Settings::caches`], [`core::cache::caches`], [`views::decorators::cache::cache_page`], [`middleware::cache`] |
//! | `View`, `TemplateView`, `RedirectView`, `ListView`, `method_decorator` | [`views::generic`], [`views::view`], [`utils::decorators::method_decorator`] |
//! | `TEMPLATES`, `render()`, `TemplateResponse` | [`AppBuilder::templates`], [`shortcuts::render`], [`template::response::TemplateResponse`] |
//! | `django.conf.settings` | [`Settings`], [`HttpRequest::settings`] |
//! | `django.test.Client`, `RequestFactory` | [`test::Client`], [`test::RequestFactory`] |
//! | `manage.py runserver` | [`server::Server`] with [`dev_log`](server::Server::dev_log) |
//!
//! # Further reading
//!
//! - `docs/from-django.md` in the repository: every API of Django's request/response
//!   reference, URL dispatcher, class-based views, decorators, middleware, sessions, signing,
//!   settings and test client, with its nuages spelling and a compiled example, then the
//!   differences that matter (what becomes a compile-time error, what is async, `Result`
//!   instead of exceptions, no global settings).
//! - `examples/seed_app`: a complete application serving the same routes as a Django
//!   reference app (`cargo run --example seed_app`); `examples/clearsessions.rs` is
//!   `manage.py clearsessions`.
//! - The module pages: each starts with its Django counterpart ([`http`], [`urls`], [`views`],
//!   [`middleware`], [`sessions`], [`template`], [`conf`], [`test`](mod@test), [`server`]).

/// `impl From<Source> for Target` for each `Source => |value| expression` (the conversions
/// of an enum's variants, mostly).
macro_rules! impl_from {
    ($target:ty { $($(#[$doc:meta])* $from:ty => |$v:ident| $body:expr),+ $(,)? }) => {
        $(impl From<$from> for $target {
            $(#[$doc])*
            fn from($v: $from) -> Self {
                $body
            }
        })+
    };
}

// The expansions of `nuages-macros` name `::nuages`; this lets them work inside the crate too.
#[allow(unused_extern_crates)]
extern crate self as nuages;

pub mod conf;
pub mod core;
pub mod http;
pub mod middleware;
pub mod server;
pub mod sessions;
pub mod shortcuts;
pub use crate::core::signing;
pub mod template;
pub mod templatetags;
pub mod test;
pub mod urls;
pub mod utils;
pub mod views;

/// The extension traits that give [`HttpRequest`] Django's `request.session`,
/// `request.resolver_match`, `reverse()` and the CSP nonce: `use nuages::prelude::*;` brings
/// them in.
pub mod prelude {
    pub use crate::middleware::csp::RequestCspExt;
    pub use crate::sessions::RequestSessionExt;
    pub use crate::urls::RequestUrlsExt;
}

pub use crate::conf::Settings;
pub use crate::core::exceptions::{
    BadRequest, Error, ErrorKind, Http404, PermissionDenied, Result, SuspiciousOperation,
};
pub use crate::core::handlers::{App, AppBuilder};
pub use crate::http::{HttpRequest, HttpResponse, JsonResponse, QueryDict};

/// The `http` crate, re-exported so users need no matching version.
pub use ::http as http_types;
/// `bytes`, re-exported: bodies and streamed chunks are [`Bytes`].
pub use bytes::{self, Bytes};
/// `chrono`, re-exported: the date and time types the JSON encoder, cookies and conditional
/// views take.
pub use chrono;

/// CPython's standard-library semantics that nuages reproduces (`json`, `repr`,
/// `urllib.parse`, `email`, `codecs`, `binascii`, `html`, `http.cookies`, `gzip`, …):
/// the `nuages-py` crate.
pub use nuages_py as py;

/// The README's examples are compiled as doctests, so the quick start cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;

/// `docs/from-django.md`, the guide from Django to nuages: each of its Rust programs is a
/// doctest, so every spelling it gives is the crate's real API.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/from-django.md")]
pub struct FromDjangoGuide;

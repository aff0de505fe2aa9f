//! # nuages
//!
//! Django's HTTP layer — `django.http`, `django.urls`, `django.views`, the HTTP middleware —
//! rebuilt in Rust on hyper 1, tokio and tower. Where Django's behaviour is observable on the
//! wire, nuages's is identical, down to header and `Set-Cookie` strings.
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
//! | Django | nuages |
//! |---|---|
//! | `HttpRequest`, `request.GET`, `request.POST`, `request.COOKIES`, `request.META` | [`HttpRequest`], [`HttpRequest::query`], [`HttpRequest::form`], [`HttpRequest::cookies`], [`HttpRequest::meta`] |
//! | `HttpResponse`, `JsonResponse`, `HttpResponseRedirect`, … | [`HttpResponse`], [`JsonResponse`], [`HttpResponse::redirect`], … |
//! | `QueryDict` | [`QueryDict`] |
//! | `path()`, `re_path()`, `include()`, `reverse()` | [`urls::path`], [`urls::re_path`], [`urls::include`], [`urls::Urls::reverse`], [`reverse!`] |
//! | `request.resolver_match` | [`urls::RequestUrlsExt::resolver_match`] |
//! | `Http404`, `PermissionDenied`, `BadRequest` | [`Http404`], [`PermissionDenied`], [`BadRequest`] |
//! | `request.session`, `SessionMiddleware` | [`sessions::RequestSessionExt::session`], [`sessions::SessionMiddleware`] |
//! | `ContentSecurityPolicyMiddleware`, `request._csp_nonce`, `csp_override` (Django 6.0) | [`middleware::csp::ContentSecurityPolicyMiddleware`], [`middleware::csp::RequestCspExt::csp_nonce`], [`views::decorators::csp`], [`utils::csp`] |
//! | `MIDDLEWARE` | [`AppBuilder::middleware`], [`middleware::Middleware`] |
//! | `CACHES`, `caches[alias]`, `cache_page`, `UpdateCacheMiddleware`/`FetchFromCacheMiddleware` | [`Settings::caches`], [`core::cache::caches`], [`views::decorators::cache::cache_page`], [`middleware::cache`] |
//! | `View`, `TemplateView`, `RedirectView`, `ListView`, `method_decorator` | [`views::generic`], [`views::view`], [`utils::decorators::method_decorator`] |
//! | `TEMPLATES`, `render()`, `TemplateResponse` | [`AppBuilder::templates`], [`shortcuts::render`], [`template::response::TemplateResponse`] |
//! | `django.test.Client`, `RequestFactory` | [`test::Client`], [`test::RequestFactory`] |

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

//! The equivalent of `django/template/response.py`: [`TemplateResponse`] (and
//! `SimpleTemplateResponse`, a template response without a request), rendered late.
//!
//! A view returns the template name and context, not bytes; until [`TemplateResponse::render`]
//! runs, the template and the context can still be changed (by a decorator or by a
//! `process_template_response` middleware).
//!
//! # The handler hook
//!
//! Django's handler renders template responses after the view middleware, calling each
//! middleware's `process_template_response` first. A view here returns
//! [`TemplateResponse::into_lazy_response`]: an [`HttpResponse`] shell (status, headers,
//! cookies) carrying the unrendered part as an extension. The integrator's handler calls
//! [`render_lazy_response`] on the view's response (after `process_template_response`, which
//! may reach the template and context through [`lazy_template_mut`]); a response without the
//! extension goes through unchanged, so calling it on every response is correct.
//!
//! ```
//! use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
//! use nuages::template::response::{lazy_template_mut, render_lazy_response, TemplateResponse};
//! use nuages::template::{Context, Engines};
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(dir.path().join("a.html"), "A {{ x }}").unwrap();
//! std::fs::write(dir.path().join("b.html"), "B {{ x }}").unwrap();
//! let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
//! let req = nuages::test::RequestFactory::new().get("/").build();
//!
//! // The view:
//! let resp = TemplateResponse::new(&req, &engines, "a.html", Context::new().with("x", 1))
//!     .into_lazy_response();
//! assert!(resp.content().unwrap().is_empty());
//! // A process_template_response middleware:
//! let mut resp = resp;
//! if let Some(mut t) = lazy_template_mut(&mut resp) {
//!     t.set_template_name("b.html");
//!     t.context_data_mut().insert("x", 2);
//! }
//! // The handler, after the middleware:
//! let resp = render_lazy_response(resp).unwrap();
//! assert_eq!(resp.content().unwrap(), b"B 2");
//! ```

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use http::header::{HeaderValue, CONTENT_TYPE};
use http::StatusCode;

use crate::template::loader::{self, TemplateName};
use crate::template::{Context, Engines, TemplateError};
use crate::{HttpRequest, HttpResponse};

/// Django's `ContentNotRenderedError`: the content of a template response was asked for before
/// it was rendered.
///
/// # Examples
/// ```
/// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
/// # let dir = tempfile::tempdir().unwrap();
/// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
/// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
/// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
/// let resp = TemplateResponse::simple(&engines, "t.html", Context::new());
/// assert!(resp.content().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentNotRenderedError;

impl fmt::Display for ContentNotRenderedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("The response content must be rendered before it can be accessed.")
    }
}

impl std::error::Error for ContentNotRenderedError {}

type PostRender = Box<dyn FnOnce(HttpResponse) -> HttpResponse + Send>;

/// The part of a template response that rendering consumes.
///
/// # Examples
/// ```
/// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
/// # let dir = tempfile::tempdir().unwrap();
/// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
/// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
/// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
/// let resp = TemplateResponse::simple(&engines, "t.html", Context::new().with("n", 1));
/// assert_eq!(resp.pending().unwrap().rendered_content().unwrap(), "T1");
/// ```
pub struct PendingTemplate {
    engines: Engines,
    template_name: TemplateName,
    context_data: Context,
    request: Option<HttpRequest>,
    using: Option<String>,
    post_render_callbacks: Vec<PostRender>,
}

impl PendingTemplate {
    /// The template name(s) (`response.template_name`).
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
    /// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
    /// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// use nuages::template::loader::TemplateName;
    /// let resp = TemplateResponse::simple(&engines, "t.html", Context::new());
    /// assert!(matches!(resp.pending().unwrap().template_name(), TemplateName::Name(n) if n == "t.html"));
    /// ```
    pub fn template_name(&self) -> &TemplateName {
        &self.template_name
    }

    /// Replaces the template name(s).
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
    /// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
    /// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// let mut resp = TemplateResponse::simple(&engines, "t.html", Context::new());
    /// resp.pending_mut().unwrap().set_template_name("u.html");
    /// assert_eq!(resp.into_response().unwrap().content().unwrap(), b"U");
    /// ```
    pub fn set_template_name(&mut self, name: impl Into<TemplateName>) {
        self.template_name = name.into();
    }

    /// The context (`response.context_data`).
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
    /// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
    /// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// let resp = TemplateResponse::simple(&engines, "t.html", Context::new().with("n", 1));
    /// assert_eq!(resp.pending().unwrap().context_data().len(), 1);
    /// ```
    pub fn context_data(&self) -> &Context {
        &self.context_data
    }

    /// The context, to change before rendering.
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
    /// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
    /// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// let mut resp = TemplateResponse::simple(&engines, "t.html", Context::new());
    /// resp.pending_mut().unwrap().context_data_mut().insert("n", 7);
    /// assert_eq!(resp.into_response().unwrap().content().unwrap(), b"T7");
    /// ```
    pub fn context_data_mut(&mut self) -> &mut Context {
        &mut self.context_data
    }

    /// `rendered_content`: the template rendered now, without storing it.
    ///
    /// # Errors
    /// Loading or rendering errors.
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
    /// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
    /// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// let resp = TemplateResponse::simple(&engines, "u.html", Context::new().with("n", 2));
    /// assert_eq!(resp.pending().unwrap().rendered_content().unwrap(), "U2");
    /// ```
    pub fn rendered_content(&self) -> Result<String, TemplateError> {
        let template = loader::resolve(&self.engines, &self.template_name, self.using.as_deref())?;
        template.render(&self.context_data, self.request.as_ref())
    }

    /// Moves the content out (for a lazy template still shared elsewhere).
    fn take(&mut self) -> PendingTemplate {
        PendingTemplate {
            engines: self.engines.clone(),
            template_name: self.template_name.clone(),
            context_data: std::mem::take(&mut self.context_data),
            request: self.request.take(),
            using: self.using.take(),
            post_render_callbacks: std::mem::take(&mut self.post_render_callbacks),
        }
    }

    fn finish(self, mut response: HttpResponse) -> Result<HttpResponse, TemplateError> {
        let content = self.rendered_content()?;
        response
            .set_content(content)
            .map_err(|e| TemplateError::ImproperlyConfigured(e.to_string()))?;
        Ok(self
            .post_render_callbacks
            .into_iter()
            .fold(response, |r, callback| callback(r)))
    }
}

impl fmt::Debug for PendingTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingTemplate")
            .field("template_name", &self.template_name)
            .field("context_data", &self.context_data)
            .field("using", &self.using)
            .field("post_render_callbacks", &self.post_render_callbacks.len())
            .finish()
    }
}

/// Django's `TemplateResponse(request, template, context, content_type, status, using)`.
///
/// # Examples
/// ```
/// use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
/// use nuages::template::{response::TemplateResponse, Context, Engines};
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("t.html"), "{{ n }} item(s)").unwrap();
/// let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
/// let mut resp = TemplateResponse::simple(&engines, "t.html", Context::new().with("n", 3))
///     .status(http::StatusCode::CREATED);
/// assert!(!resp.is_rendered());
/// assert!(resp.content().is_err());
/// resp.render().unwrap();
/// assert_eq!(resp.content().unwrap(), b"3 item(s)");
/// let resp = resp.into_response().unwrap();
/// assert_eq!(resp.status_code(), 201);
/// assert_eq!(resp.header("content-type").as_deref(), Some("text/html; charset=utf-8"));
/// ```
pub struct TemplateResponse {
    pending: Option<PendingTemplate>,
    response: HttpResponse,
}

impl TemplateResponse {
    /// A template response for `request` (the template sees `request`, `csrf_token`, …).
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// let engines = Engines::new([EngineConfig::new(Jinja2Backend)]).unwrap();
    /// let t = engines.get("jinja2").unwrap().from_string("{{ request.path }}").unwrap();
    /// let req = nuages::test::RequestFactory::new().get("/here/").build();
    /// let r = TemplateResponse::new(&req, &engines, t, Context::new()).into_response().unwrap();
    /// assert_eq!(r.content().unwrap(), b"/here/");
    /// ```
    pub fn new(
        request: &HttpRequest,
        engines: &Engines,
        template: impl Into<TemplateName>,
        context: Context,
    ) -> Self {
        let mut copy = request.fork();
        *copy.extensions_mut() = request.extensions().clone();
        let mut r = TemplateResponse::simple(engines, template, context);
        if let Some(p) = r.pending.as_mut() {
            p.request = Some(copy);
        }
        r
    }

    /// Django's `SimpleTemplateResponse`: rendered without a request.
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
    /// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
    /// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// let resp = TemplateResponse::simple(&engines, ["missing.html", "t.html"], Context::new());
    /// assert_eq!(resp.into_response().unwrap().content().unwrap(), b"T");
    /// ```
    pub fn simple(engines: &Engines, template: impl Into<TemplateName>, context: Context) -> Self {
        TemplateResponse {
            pending: Some(PendingTemplate {
                engines: engines.clone(),
                template_name: template.into(),
                context_data: context,
                request: None,
                using: None,
                post_render_callbacks: Vec::new(),
            }),
            response: HttpResponse::empty(),
        }
    }

    /// `status=`.
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
    /// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
    /// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// let r = TemplateResponse::simple(&engines, "t.html", Context::new()).status(http::StatusCode::NOT_FOUND);
    /// assert_eq!(r.into_response().unwrap().status_code(), 404);
    /// ```
    pub fn status(mut self, status: StatusCode) -> Self {
        self.response = self.response.with_status(status);
        self
    }

    /// `content_type=` (default `text/html; charset=utf-8`).
    ///
    /// # Errors
    /// A value that is not a valid header.
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
    /// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
    /// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// let r = TemplateResponse::simple(&engines, "t.html", Context::new()).content_type("text/plain").unwrap();
    /// assert_eq!(r.into_response().unwrap().header("content-type").as_deref(), Some("text/plain"));
    /// ```
    pub fn content_type(mut self, content_type: &str) -> Result<Self, crate::Error> {
        let v = HeaderValue::from_str(content_type).map_err(crate::Error::from)?;
        self.response.set_header_value(CONTENT_TYPE, v);
        Ok(self)
    }

    /// `using=`: render with the engine of this alias only.
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
    /// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
    /// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// let r = TemplateResponse::simple(&engines, "t.html", Context::new()).using("other");
    /// assert!(r.into_response().is_err()); // no engine named "other"
    /// ```
    pub fn using(mut self, alias: impl Into<String>) -> Self {
        if let Some(p) = self.pending.as_mut() {
            p.using = Some(alias.into());
        }
        self
    }

    /// The response being built (status, headers, cookies can be changed before rendering).
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
    /// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
    /// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// let mut r = TemplateResponse::simple(&engines, "t.html", Context::new());
    /// r.response_mut().set_header("X-A", "1").unwrap();
    /// assert_eq!(r.into_response().unwrap().header("x-a").as_deref(), Some("1"));
    /// ```
    pub fn response_mut(&mut self) -> &mut HttpResponse {
        &mut self.response
    }

    /// The unrendered part (template name and context), `None` once rendered.
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
    /// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
    /// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// let mut r = TemplateResponse::simple(&engines, "t.html", Context::new());
    /// assert!(r.pending().is_some());
    /// r.render().unwrap();
    /// assert!(r.pending().is_none());
    /// ```
    pub fn pending(&self) -> Option<&PendingTemplate> {
        self.pending.as_ref()
    }

    /// The unrendered part, mutably.
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
    /// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
    /// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// let mut r = TemplateResponse::simple(&engines, "t.html", Context::new());
    /// r.pending_mut().unwrap().context_data_mut().insert("n", 3);
    /// assert_eq!(r.into_response().unwrap().content().unwrap(), b"T3");
    /// ```
    pub fn pending_mut(&mut self) -> Option<&mut PendingTemplate> {
        self.pending.as_mut()
    }

    /// Whether the content has been rendered.
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
    /// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
    /// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// let mut r = TemplateResponse::simple(&engines, "t.html", Context::new());
    /// assert!(!r.is_rendered());
    /// r.render().unwrap();
    /// assert!(r.is_rendered());
    /// ```
    pub fn is_rendered(&self) -> bool {
        self.pending.is_none()
    }

    /// `add_post_render_callback`: run after rendering (at once if already rendered); a
    /// callback may return another response.
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
    /// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
    /// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// let mut r = TemplateResponse::simple(&engines, "t.html", Context::new());
    /// r.add_post_render_callback(|resp| resp.with_status(http::StatusCode::ACCEPTED));
    /// assert_eq!(r.into_response().unwrap().status_code(), 202);
    /// ```
    pub fn add_post_render_callback(
        &mut self,
        callback: impl FnOnce(HttpResponse) -> HttpResponse + Send + 'static,
    ) {
        match self.pending.as_mut() {
            Some(p) => p.post_render_callbacks.push(Box::new(callback)),
            None => {
                let r = std::mem::take(&mut self.response);
                self.response = callback(r);
            }
        }
    }

    /// `rendered_content`: renders now without storing the result (`None` once rendered).
    ///
    /// # Errors
    /// Loading or rendering errors.
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
    /// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
    /// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// let r = TemplateResponse::simple(&engines, "t.html", Context::new().with("n", 4));
    /// assert_eq!(r.rendered_content().unwrap().as_deref(), Some("T4"));
    /// assert!(!r.is_rendered());
    /// ```
    pub fn rendered_content(&self) -> Result<Option<String>, TemplateError> {
        self.pending
            .as_ref()
            .map(PendingTemplate::rendered_content)
            .transpose()
    }

    /// `render()`: renders the content once (later calls do nothing) and runs the post-render
    /// callbacks.
    ///
    /// # Errors
    /// Loading or rendering errors (the response stays unrendered).
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
    /// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
    /// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// let mut r = TemplateResponse::simple(&engines, "t.html", Context::new());
    /// assert_eq!(r.render().unwrap().content().unwrap(), b"T");
    /// ```
    pub fn render(&mut self) -> Result<&mut HttpResponse, TemplateError> {
        if let Some(p) = self.pending.take() {
            let content = match p.rendered_content() {
                Ok(c) => c,
                Err(e) => {
                    self.pending = Some(p);
                    return Err(e);
                }
            };
            self.response
                .set_content(content)
                .map_err(|e| TemplateError::ImproperlyConfigured(e.to_string()))?;
            let r = std::mem::take(&mut self.response);
            self.response = p
                .post_render_callbacks
                .into_iter()
                .fold(r, |r, callback| callback(r));
        }
        Ok(&mut self.response)
    }

    /// The rendered content.
    ///
    /// # Errors
    /// [`ContentNotRenderedError`] before [`TemplateResponse::render`].
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
    /// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
    /// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// let mut r = TemplateResponse::simple(&engines, "t.html", Context::new());
    /// r.render().unwrap();
    /// assert_eq!(r.content().unwrap(), b"T");
    /// ```
    pub fn content(&self) -> Result<&[u8], ContentNotRenderedError> {
        if self.is_rendered() {
            Ok(self.response.complete_content())
        } else {
            Err(ContentNotRenderedError)
        }
    }

    /// Renders (if needed) and returns the response.
    ///
    /// # Errors
    /// Loading or rendering errors.
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
    /// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
    /// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// let r = TemplateResponse::simple(&engines, "t.html", Context::new()).into_response().unwrap();
    /// assert_eq!(r.header("content-type").as_deref(), Some("text/html; charset=utf-8"));
    /// ```
    pub fn into_response(mut self) -> Result<HttpResponse, TemplateError> {
        self.render()?;
        Ok(self.response)
    }

    /// The response unrendered: status, headers and cookies now, the content when the
    /// handler calls [`render_lazy_response`].
    ///
    /// # Examples
    /// ```
    /// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
    /// # let dir = tempfile::tempdir().unwrap();
    /// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
    /// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
    /// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
    /// let r = TemplateResponse::simple(&engines, "t.html", Context::new()).into_lazy_response();
    /// assert!(r.content().unwrap().is_empty());
    /// let r = nuages::template::response::render_lazy_response(r).unwrap();
    /// assert_eq!(r.content().unwrap(), b"T");
    /// ```
    pub fn into_lazy_response(self) -> HttpResponse {
        let mut response = self.response;
        if let Some(p) = self.pending {
            response
                .extensions_mut()
                .insert(LazyTemplate(Arc::new(Mutex::new(p))));
        }
        response
    }
}

impl fmt::Debug for TemplateResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TemplateResponse")
            .field("pending", &self.pending)
            .field("response", &self.response)
            .finish()
    }
}

/// The response extension carrying an unrendered template.
#[derive(Clone)]
struct LazyTemplate(Arc<Mutex<PendingTemplate>>);

impl LazyTemplate {
    fn lock(&self) -> MutexGuard<'_, PendingTemplate> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The unrendered template of a response made by [`TemplateResponse::into_lazy_response`],
/// for `process_template_response` middleware (`None` for other responses).
///
/// # Examples
/// ```
/// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
/// # let dir = tempfile::tempdir().unwrap();
/// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
/// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
/// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
/// use nuages::template::response::lazy_template_mut;
/// let mut r = TemplateResponse::simple(&engines, "t.html", Context::new()).into_lazy_response();
/// lazy_template_mut(&mut r).unwrap().context_data_mut().insert("n", 9);
/// assert!(lazy_template_mut(&mut nuages::HttpResponse::empty()).is_none());
/// assert_eq!(nuages::template::response::render_lazy_response(r).unwrap().content().unwrap(), b"T9");
/// ```
pub fn lazy_template_mut(response: &mut HttpResponse) -> Option<MutexGuard<'_, PendingTemplate>> {
    response
        .extensions()
        .get::<LazyTemplate>()
        .map(LazyTemplate::lock)
}

/// Whether `response` was made by [`TemplateResponse::into_lazy_response`] and is not rendered
/// yet.
pub fn is_lazy(response: &HttpResponse) -> bool {
    response.extensions().get::<LazyTemplate>().is_some()
}

/// Renders a response made by [`TemplateResponse::into_lazy_response`] (other responses are
/// returned unchanged). This is the call the handler makes after the view middleware.
///
/// # Errors
/// Loading or rendering errors, which the handler answers like any view error (500).
///
/// # Examples
/// ```
/// # use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, response::TemplateResponse, Context, Engines};
/// # let dir = tempfile::tempdir().unwrap();
/// # std::fs::write(dir.path().join("t.html"), "T{{ n }}").unwrap();
/// # std::fs::write(dir.path().join("u.html"), "U{{ n }}").unwrap();
/// # let engines = Engines::new([EngineConfig::new(Jinja2Backend).dirs([dir.path()])]).unwrap();
/// use nuages::template::response::render_lazy_response;
/// let plain = render_lazy_response(nuages::HttpResponse::new("as is")).unwrap();
/// assert_eq!(plain.content().unwrap(), b"as is");
/// ```
pub fn render_lazy_response(mut response: HttpResponse) -> Result<HttpResponse, TemplateError> {
    let Some(lazy) = response.extensions_mut().remove::<LazyTemplate>() else {
        return Ok(response);
    };
    let pending = match Arc::try_unwrap(lazy.0) {
        Ok(m) => m.into_inner().unwrap_or_else(|e| e.into_inner()),
        Err(shared) => {
            let mut p = shared.lock().unwrap_or_else(|e| e.into_inner());
            p.take()
        }
    };
    pending.finish(response)
}

//! Templates: `TEMPLATES` with the Jinja2 backend on `examples/topic_templates/`, template
//! inheritance (`{% extends %}`, `{% block %}`, `super()`), `render()` with a context, the
//! `url()` and `csrf_input` globals, and autoescaping.
//!
//! Django:
//! ```python
//! # an environment whose globals include url() (nuages's Jinja2 backend has it built in)
//! TEMPLATES = [{'BACKEND': 'django.template.backends.jinja2.Jinja2', 'DIRS': [BASE_DIR / 'topic_templates']}]
//! def home(req):
//!     name = req.GET.get('name', 'world')
//!     return render(req, 'home.html', {'name': name, 'books': BOOKS})
//! path('', home, name='home'), path('about/', about, name='about')
//! ```
//!
//! Try it (`cargo run --example templates`):
//! ```sh
//! curl -i http://127.0.0.1:8000/
//! curl -i 'http://127.0.0.1:8000/?name=<b>Ann</b>'      # escaped: &lt;b&gt;Ann&lt;/b&gt;
//! curl -i http://127.0.0.1:8000/about/
//! ```

use std::path::PathBuf;

use nuages::middleware::csrf::CsrfViewMiddleware;
use nuages::shortcuts::render;
use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
use nuages::template::{Context, Value};
use nuages::urls::path;
use nuages::{App, HttpRequest, HttpResponse, Result, Settings};

/// `examples/topic_templates/`: `base.html` and the pages that extend it.
pub fn templates_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/topic_templates")
}

/// The books listed on the home page.
const BOOKS: [(&str, i64); 2] = [
    ("Django for Beginners", 2021),
    ("Rust & Web <Servers>", 2019),
];

/// `render(req, 'home.html', {'name': ..., 'books': BOOKS})`.
async fn home(req: HttpRequest) -> Result<HttpResponse> {
    let name = req.query()?.get("name").unwrap_or("world").to_owned();
    let books: Vec<Value> = BOOKS
        .iter()
        .map(|&(title, year)| {
            Value::from_iter([("title", Value::from(title)), ("year", Value::from(year))])
        })
        .collect();
    render(
        &req,
        "home.html",
        Context::new().with("name", name).with("books", books),
    )
}

/// `render(req, 'about.html')`: the template's default fills in the missing `name`.
async fn about(req: HttpRequest) -> Result<HttpResponse> {
    render(&req, "about.html", Context::new())
}

/// The application: one Jinja2 engine, and CsrfViewMiddleware for `csrf_input`.
pub fn app() -> App {
    App::builder()
        .settings(Settings {
            debug: true,
            secret_key: "examples-templates-secret-key".into(),
            ..Settings::default()
        })
        .templates([EngineConfig::new(Jinja2Backend).dirs([templates_dir()])])
        .middleware(CsrfViewMiddleware::new())
        .urls(vec![
            path("", home).name("home"),
            path("about/", about).name("about"),
        ])
        .build()
        .expect("valid configuration")
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .skip_while(|a| a != "--addr")
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8000".into());
    eprintln!("templates: http://{addr}/");
    nuages::server::Server::bind(&addr)
        .await?
        .dev_log(true)
        .serve(app())
        .await
}

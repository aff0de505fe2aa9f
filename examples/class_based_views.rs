//! Class-based views: a `View` with one method per HTTP verb (405 with `Allow` for the
//! others, OPTIONS answered, HEAD served by `get`), a `TemplateView` with `extra_context`, and
//! `RedirectView`s by URL and by pattern name.
//!
//! Django:
//! ```python
//! @method_decorator(csrf_exempt, name='dispatch')
//! class ItemView(View):
//!     def get(self, request, pk): return HttpResponse(f'item {pk}')
//!     def post(self, request, pk): return HttpResponse(f'updated {pk}: {request.POST["name"]}')
//! path('items/<int:pk>/', ItemView.as_view(), name='item'),
//! path('about/', TemplateView.as_view(template_name='about.html', extra_context={'name': 'the CBVs'})),
//! path('old/<int:pk>/', RedirectView.as_view(url='/items/%(pk)s/', permanent=True)),
//! path('go/<int:pk>/', RedirectView.as_view(pattern_name='item', query_string=True)),
//! ```
//!
//! Try it (`cargo run --example class_based_views`):
//! ```sh
//! curl -i http://127.0.0.1:8000/items/7/
//! curl -i -d name=lamp http://127.0.0.1:8000/items/7/
//! curl -i -X DELETE http://127.0.0.1:8000/items/7/      # 405, Allow: GET, POST, HEAD, OPTIONS
//! curl -i -X OPTIONS http://127.0.0.1:8000/items/7/
//! curl -i http://127.0.0.1:8000/about/
//! curl -i http://127.0.0.1:8000/old/7/                  # 301, Location: /items/7/
//! curl -i 'http://127.0.0.1:8000/go/7/?ref=mail'       # 302, Location: /items/7/?ref=mail
//! ```

use std::path::PathBuf;

use nuages::template::backends::{jinja2::Jinja2Backend, EngineConfig};
use nuages::template::Context;
use nuages::urls::path;
use nuages::views::decorators::csrf::csrf_exempt;
use nuages::views::generic::{base, RedirectView, TemplateView, View};
use nuages::{App, HttpRequest, HttpResponse, Result, Settings};

/// One item, by its `pk` URL argument.
#[derive(Debug)]
pub struct ItemView;

/// `self.kwargs['pk']`, as text.
fn pk(request: &HttpRequest) -> String {
    base::url_kwargs(request)
        .get("pk")
        .map(ToString::to_string)
        .unwrap_or_default()
}

#[nuages::views::view]
#[method_decorator(csrf_exempt, name = "dispatch")]
impl View for ItemView {
    async fn get(&self, request: HttpRequest) -> Result<HttpResponse> {
        Ok(HttpResponse::new(format!("item {}", pk(&request))))
    }

    async fn post(&self, request: HttpRequest) -> Result<HttpResponse> {
        let name = request.form().await?.get("name").unwrap_or("").to_owned();
        Ok(HttpResponse::new(format!(
            "updated {}: {name}",
            pk(&request)
        )))
    }
}

/// The templates of the templates example (`about.html` extends `base.html`).
fn templates_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/topic_templates")
}

/// The application.
pub fn app() -> App {
    App::builder()
        .settings(Settings {
            debug: true,
            ..Settings::default()
        })
        .templates([EngineConfig::new(Jinja2Backend).dirs([templates_dir()])])
        .urls(vec![
            path("", TemplateView::new("about.html").as_view()).name("home"),
            path("items/<int:pk>/", ItemView.as_view()).name("item"),
            path(
                "about/",
                TemplateView {
                    template_name: Some("about.html".into()),
                    extra_context: Some(Context::new().with("name", "the CBVs")),
                    ..TemplateView::default()
                }
                .as_view(),
            )
            .name("about"),
            path(
                "old/<int:pk>/",
                RedirectView {
                    url: Some("/items/%(pk)s/".into()),
                    permanent: true,
                    ..RedirectView::default()
                }
                .as_view(),
            ),
            path(
                "go/<int:pk>/",
                RedirectView {
                    pattern_name: Some("item".into()),
                    query_string: true,
                    ..RedirectView::default()
                }
                .as_view(),
            ),
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
    eprintln!("class_based_views: http://{addr}/items/7/");
    nuages::server::Server::bind(&addr)
        .await?
        .dev_log(true)
        .serve(app())
        .await
}

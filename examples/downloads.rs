//! File downloads with `FileResponse`: the Content-Type guessed from the name, the
//! Content-Length from the file, `as_attachment=True` for `Content-Disposition`, and byte
//! ranges (206) beyond Django when asked for.
//!
//! Django:
//! ```python
//! def download(req, filename):
//!     path = DOWNLOADS / filename
//!     if not path.is_file(): raise Http404('File not found')
//!     return FileResponse(open(path, 'rb'), as_attachment=True, filename=filename)
//! def view(req, filename): return FileResponse(open(DOWNLOADS / filename, 'rb'))
//! ```
//!
//! Try it (`cargo run --example downloads`):
//! ```sh
//! curl -i http://127.0.0.1:8000/download/hello.txt          # attachment; filename="hello.txt"
//! curl -i http://127.0.0.1:8000/view/report.json            # inline, application/json
//! curl -i -H 'Range: bytes=0-4' http://127.0.0.1:8000/view/hello.txt   # 206: "Hello"
//! curl -i http://127.0.0.1:8000/download/nope.txt           # 404
//! curl -i http://127.0.0.1:8000/download/..%2FCargo.toml    # 404: names only, no paths
//! ```

use std::path::PathBuf;

use nuages::http::response::FileResponse;
use nuages::urls::path;
use nuages::{App, Http404, HttpRequest, HttpResponse, Result, Settings};

/// The files offered: `examples/topic_downloads/`.
pub fn downloads_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/topic_downloads")
}

/// The file called `filename` in [`downloads_dir`]: a plain name, no directories.
fn find(filename: &str) -> Result<PathBuf> {
    let plain =
        !filename.is_empty() && !filename.starts_with('.') && !filename.contains(['/', '\\']);
    let path = downloads_dir().join(filename);
    if plain && path.is_file() {
        Ok(path)
    } else {
        Err(Http404::new("File not found").into())
    }
}

/// `FileResponse(open(path, 'rb'), as_attachment=True, filename=filename)`.
async fn download(_req: HttpRequest, filename: String) -> Result<HttpResponse> {
    let path = find(&filename)?;
    Ok(FileResponse::new()
        .as_attachment(true)
        .filename(filename)
        .open(path)
        .await?)
}

/// `FileResponse(open(path, 'rb'))`, inline, answering `Range` requests too.
async fn view(req: HttpRequest, filename: String) -> Result<HttpResponse> {
    let path = find(&filename)?;
    Ok(FileResponse::new().ranges(&req).open(path).await?)
}

/// The application.
pub fn app() -> App {
    App::builder()
        .settings(Settings {
            debug: true,
            ..Settings::default()
        })
        .urls(vec![
            path("download/<filename>", download),
            path("view/<filename>", view),
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
    eprintln!("downloads: http://{addr}/download/hello.txt");
    nuages::server::Server::bind(&addr)
        .await?
        .dev_log(true)
        .serve(app())
        .await
}

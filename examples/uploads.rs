//! File uploads: `request.FILES` from a `multipart/form-data` POST, saved chunk by chunk
//! (small files are kept in memory, large ones spooled to a temporary file by nuages).
//!
//! Django:
//! ```python
//! @csrf_exempt
//! def upload_file(req):
//!     if req.method == 'POST' and 'file' in req.FILES:
//!         f = req.FILES['file']
//!         with open(UPLOAD_DIR / f.name, 'wb+') as out:
//!             for chunk in f.chunks(): out.write(chunk)
//!         return JsonResponse({'name': f.name, 'size': f.size, 'content_type': f.content_type})
//!     return HttpResponse('Upload a file via POST named "file"', status=400)
//! ```
//!
//! Try it (`cargo run --example uploads`):
//! ```sh
//! curl -i -F file=@Cargo.toml -F note=hi http://127.0.0.1:8000/upload
//! curl -i -X POST http://127.0.0.1:8000/upload        # 400: no file
//! ```

use std::path::PathBuf;

use futures_util::StreamExt as _;
use nuages::http_types::StatusCode;
use nuages::urls::path;
use nuages::views::decorators::csrf::csrf_exempt;
use nuages::views::decorators::http::require_post;
use nuages::{App, HttpRequest, HttpResponse, JsonResponse, Result, Settings};
use serde_json::json;
use tokio::io::AsyncWriteExt as _;

/// Where uploads are written: `target/topic_uploads/`, inside the build directory.
pub fn upload_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/topic_uploads")
}

/// Saves `request.FILES['file']` under [`upload_dir`], by its base name only.
async fn upload(req: HttpRequest) -> Result<HttpResponse> {
    let files = req.files().await?;
    let Some(file) = files.get("file") else {
        return Ok(HttpResponse::bad_request(
            "Upload a file via POST named \"file\"",
        ));
    };
    // The multipart parser already strips directories from the client's file name.
    let name = file.name();
    if name.is_empty() || name.starts_with('.') {
        return Ok(HttpResponse::new("Bad file name").with_status(StatusCode::BAD_REQUEST));
    }
    tokio::fs::create_dir_all(upload_dir()).await?;
    let mut out = tokio::fs::File::create(upload_dir().join(name)).await?;
    let mut chunks = std::pin::pin!(file.chunks());
    while let Some(chunk) = chunks.next().await {
        out.write_all(&chunk?).await?;
    }
    out.flush().await?;
    let note = req.form().await?.get("note").unwrap_or("").to_owned();
    Ok(JsonResponse::value(json!({
        "name": name,
        "size": file.size(),
        "content_type": file.content_type(),
        "note": note,
    })))
}

/// The application.
pub fn app() -> App {
    App::builder()
        .settings(Settings {
            debug: true,
            ..Settings::default()
        })
        .urls(vec![path("upload", csrf_exempt(require_post(upload)))])
        .build()
        .expect("valid configuration")
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .skip_while(|a| a != "--addr")
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8000".into());
    eprintln!(
        "uploads: http://{addr}/upload, saved in {}",
        upload_dir().display()
    );
    nuages::server::Server::bind(&addr)
        .await?
        .dev_log(true)
        .serve(app())
        .await
}

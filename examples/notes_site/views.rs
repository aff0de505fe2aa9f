//! views.py: the pages of the notes site.
//!
//! The home page is a class-based view ([`NoteListView`]); the others are function views
//! wrapped in decorators in `main.rs` (`require_http_methods`, `require_post`, `csrf_exempt`).
//! Everything a visitor owns — notes, upload records, flash messages — lives in their session.

use http::{Method, StatusCode};
use nuages::sessions::{RequestSessionExt, Session};
use nuages::shortcuts::render;
use nuages::template::{Context, Value};
use nuages::urls::RequestUrlsExt;
use nuages::views::generic::{TemplateResponseMixin, View};
use nuages::views::static_files::staticfiles_serve;
use nuages::{Error, HttpRequest, HttpResponse, JsonResponse, Result};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The longest note accepted, in characters (a model's `max_length`).
pub const NOTE_MAX_LENGTH: usize = 500;

/// The largest file the upload page accepts, in bytes.
pub const UPLOAD_MAX_BYTES: u64 = 64 * 1024;

/// How many characters of an uploaded text file the upload page shows.
const PREVIEW_CHARS: usize = 200;

/// The session keys.
const NOTES_KEY: &str = "notes";
const NEXT_ID_KEY: &str = "notes_next_id";
const UPLOADS_KEY: &str = "uploads";
const MESSAGES_KEY: &str = "_messages";

/// One note (what a model row would be).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// The note's number, unique within the session.
    pub id: u64,
    /// The text, as typed.
    pub text: String,
    /// When it was added (UTC, `YYYY-MM-DD HH:MM`).
    pub created: String,
}

/// What the site remembers of an uploaded file: its metadata, and the beginning of a text
/// file (the bytes themselves are not kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upload {
    /// The file name the browser sent.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its content type.
    pub content_type: String,
    /// The first characters of a text file; empty for an image.
    pub preview: String,
}

// --- Session helpers ---------------------------------------------------------------------

/// `request.session` (the SessionMiddleware of `main.rs` is always installed).
fn session(req: &HttpRequest) -> Result<&Session> {
    req.session()
        .ok_or_else(|| Error::msg("SessionMiddleware is not installed"))
}

/// The visitor's notes, oldest first.
async fn notes(req: &HttpRequest) -> Result<Vec<Note>> {
    Ok(session(req)?
        .get::<Vec<Note>>(NOTES_KEY)
        .await?
        .unwrap_or_default())
}

/// Adds a note to the session and returns it.
async fn add_note(req: &HttpRequest, text: &str) -> Result<Note> {
    let session = session(req)?;
    let mut all = notes(req).await?;
    let id = session.get::<u64>(NEXT_ID_KEY).await?.unwrap_or(1);
    let note = Note {
        id,
        text: text.to_owned(),
        created: chrono::Utc::now().format("%Y-%m-%d %H:%M").to_string(),
    };
    all.push(note.clone());
    session.set(NOTES_KEY, &all).await?;
    session.set(NEXT_ID_KEY, id + 1).await?;
    Ok(note)
}

/// A one-time message shown on the next page rendered (Django's `messages.success`).
async fn flash(req: &HttpRequest, message: impl Into<String>) -> Result<()> {
    let session = session(req)?;
    let mut messages = session
        .get::<Vec<String>>(MESSAGES_KEY)
        .await?
        .unwrap_or_default();
    messages.push(message.into());
    session.set(MESSAGES_KEY, messages).await?;
    Ok(())
}

/// The pending flash messages, removed from the session (Django's `get_messages`).
async fn take_messages(req: &HttpRequest) -> Result<Vec<String>> {
    let session = session(req)?;
    if !session.contains(MESSAGES_KEY).await? {
        return Ok(Vec::new());
    }
    Ok(session
        .pop::<Vec<String>>(MESSAGES_KEY)
        .await?
        .unwrap_or_default())
}

/// The template context every page shares: the flash messages.
async fn base_context(req: &HttpRequest) -> Result<Context> {
    Ok(Context::new().with("messages", take_messages(req).await?))
}

// --- Validation (what a Django Form would do) ---------------------------------------------

/// Validates a note's text like a `CharField(max_length=500)`: the cleaned (trimmed) text, or
/// Django's error message.
///
/// # Errors
/// The message to show next to the field.
pub fn clean_note(text: Option<&str>) -> std::result::Result<String, String> {
    let text = text.unwrap_or("").trim();
    if text.is_empty() {
        return Err("This field is required.".to_owned());
    }
    let length = text.chars().count();
    if length > NOTE_MAX_LENGTH {
        return Err(format!(
            "Ensure this value has at most {NOTE_MAX_LENGTH} characters (it has {length})."
        ));
    }
    Ok(text.to_owned())
}

// --- Pages ----------------------------------------------------------------------------------

/// The home page: the visitor's notes (a class-based view, `ListView`-like).
#[derive(Debug)]
pub struct NoteListView;

impl TemplateResponseMixin for NoteListView {
    fn template_name(&self) -> Option<&str> {
        Some("notes/list.html")
    }
}

#[nuages::views::view]
impl View for NoteListView {
    async fn get(&self, request: HttpRequest) -> Result<HttpResponse> {
        let mut context = base_context(&request).await?;
        context.insert("notes", Value::from_serialize(&notes(&request).await?)?);
        self.render_to_response(&request, context)
    }
}

/// The form page adding a note: GET shows it; POST adds the note and redirects home
/// (post/redirect/get), or shows the form again with the error (status 200).
pub async fn note_add(req: HttpRequest) -> Result<HttpResponse> {
    let mut context = base_context(&req).await?;
    if req.method() == Method::POST {
        let form = req.form().await?;
        match clean_note(form.get("text")) {
            Ok(text) => {
                let note = add_note(&req, &text).await?;
                flash(&req, format!("Note {} added.", note.id)).await?;
                return nuages::shortcuts::redirect(&req, "home");
            }
            Err(error) => {
                context.insert("error", error);
                context.insert("text", form.get("text").unwrap_or(""));
            }
        }
    }
    render(&req, "notes/add.html", context)
}

/// Deletes a note (POST only), then redirects home; an unknown id is a 404.
pub async fn note_delete(req: HttpRequest, id: u64) -> Result<HttpResponse> {
    let mut all = notes(&req).await?;
    let before = all.len();
    all.retain(|n| n.id != id);
    if all.len() == before {
        return Err(nuages::Http404::new(format!("No note {id}.")).into());
    }
    session(&req)?.set(NOTES_KEY, &all).await?;
    flash(&req, format!("Note {id} deleted.")).await?;
    nuages::shortcuts::redirect(&req, "home")
}

/// Checks an upload: text or image, not empty, at most [`UPLOAD_MAX_BYTES`].
async fn clean_upload(req: &HttpRequest) -> Result<std::result::Result<Upload, String>> {
    let files = req.files().await?;
    let Some(file) = files.get("file") else {
        return Ok(Err("No file was submitted.".to_owned()));
    };
    let content_type = file.content_type().to_owned();
    let is_text = content_type.starts_with("text/");
    if !is_text && !content_type.starts_with("image/") {
        return Ok(Err(format!(
            "Only text and image files are accepted, not {content_type}."
        )));
    }
    if file.size() == 0 {
        return Ok(Err("The submitted file is empty.".to_owned()));
    }
    if file.size() > UPLOAD_MAX_BYTES {
        return Ok(Err(format!(
            "The file is too large ({} bytes; at most {UPLOAD_MAX_BYTES}).",
            file.size()
        )));
    }
    let preview = if is_text {
        let bytes = file.read_all().await?;
        String::from_utf8_lossy(&bytes)
            .chars()
            .take(PREVIEW_CHARS)
            .collect()
    } else {
        String::new()
    };
    Ok(Ok(Upload {
        name: file.name().to_owned(),
        size: file.size(),
        content_type,
        preview,
    }))
}

/// The upload page: GET lists the files uploaded in this session; a valid POST records the
/// file and redirects back, an invalid one shows the error (status 200).
pub async fn upload(req: HttpRequest) -> Result<HttpResponse> {
    let session = session(&req)?;
    let mut uploads = session
        .get::<Vec<Upload>>(UPLOADS_KEY)
        .await?
        .unwrap_or_default();
    let mut context = base_context(&req).await?;
    if req.method() == Method::POST {
        match clean_upload(&req).await? {
            Ok(upload) => {
                let name = upload.name.clone();
                uploads.push(upload);
                session.set(UPLOADS_KEY, &uploads).await?;
                flash(&req, format!("Uploaded {name}.")).await?;
                return nuages::shortcuts::redirect(&req, "upload");
            }
            Err(error) => {
                context.insert("error", error);
            }
        }
    }
    context.insert("uploads", Value::from_serialize(&uploads)?);
    context.insert("max_bytes", UPLOAD_MAX_BYTES);
    render(&req, "upload.html", context)
}

// --- JSON API ---------------------------------------------------------------------------------

/// A JSON error answer: `{"error": message}` with `status`.
fn json_error(status: StatusCode, message: &str) -> Result<HttpResponse> {
    Ok(JsonResponse::builder()
        .status(status)
        .build(&json!({ "error": message }))?)
}

/// `/api/notes/`: GET lists the notes, POST `{"text": "…"}` adds one (201 with the note).
///
/// The view is `csrf_exempt`; instead, POST must be `Content-Type: application/json`, which a
/// cross-site HTML form cannot send (a script would need a CORS preflight this site never
/// grants).
pub async fn api_notes(req: HttpRequest) -> Result<HttpResponse> {
    if req.method() == Method::POST {
        if req.content_type() != "application/json" {
            return json_error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Content-Type must be application/json.",
            );
        }
        let Ok(body) = req.json_value().await else {
            return json_error(StatusCode::BAD_REQUEST, "Invalid JSON.");
        };
        let text = body.get("text").and_then(serde_json::Value::as_str);
        return match clean_note(text) {
            Ok(text) => {
                let note = add_note(&req, &text).await?;
                let mut response = JsonResponse::builder()
                    .status(StatusCode::CREATED)
                    .build(&note)?;
                let location = req.reverse("api-notes")?;
                response.set_header("Location", &location)?;
                Ok(response)
            }
            Err(error) => Ok(JsonResponse::builder()
                .status(StatusCode::BAD_REQUEST)
                .build(&json!({ "errors": { "text": [error] } }))?),
        };
    }
    Ok(JsonResponse::new(&json!({ "notes": notes(&req).await? }))?)
}

// --- Static files -------------------------------------------------------------------------------

/// `django.contrib.staticfiles.views.serve`: STATICFILES_DIRS, in DEBUG only (`main.rs` only
/// routes it then; a production site puts a web server or
/// [`StaticFiles`](nuages::views::static_files::StaticFiles) in front).
pub async fn static_serve(req: HttpRequest, path: String) -> Result<HttpResponse> {
    let settings = req.settings();
    let serve = staticfiles_serve(
        &req,
        &path,
        &settings.staticfiles_dirs,
        settings.debug,
        false,
    );
    serve.await
}

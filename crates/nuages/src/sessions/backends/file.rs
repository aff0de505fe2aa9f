//! The equivalent of `django/contrib/sessions/backends/file.py`: one file per session,
//! `SESSION_FILE_PATH/<SESSION_COOKIE_NAME><session key>` (`/tmp/sessionid3k…` by default),
//! holding [`SessionBase::encode`] of the data, the expiry read from the file's modification
//! time. Django's file engine on the same directory shares the sessions.
//!
//! As in Django: creating opens the file with `O_CREAT | O_EXCL` (a taken key is retried), a
//! save of a session whose file vanished is [`SessionError::Update`] (400,
//! [`SessionInterrupted`]), the data is written to a temporary file in the same directory and
//! renamed over the session file (atomic: readers never see half a file), session keys with
//! characters outside `[a-z0-9]` are refused (no path traversal), an expired file is deleted
//! on load. All file work runs on the blocking thread pool.
//!
//! Deliberate differences: an integer `set_expiry(seconds)` counts from the file's
//! modification time (Django returns the integer itself as the remaining age, so such a file
//! never expires), and I/O errors other than "not found" (permissions, a full disk) are
//! [`SessionError::Backend`] (500, logged) where Django ignores some of them and loses the
//! write. One race remains, as in Django: a logout that deletes the file between a
//! concurrent save's existence check and its rename is undone by the rename.
//!
//! [`SessionInterrupted`]: crate::sessions::SessionInterrupted

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;

use nuages_py::datetime::whole_seconds;

use super::base::{Clock, SessionBase, SessionData, SessionStore, EXPIRY_KEY, VALID_KEY_CHARS};
use super::{backend_error, session_key_or_none};
use crate::conf::Settings;
use crate::core::exceptions::ImproperlyConfigured;
use crate::sessions::exceptions::SessionError;
use crate::views::BoxFuture;

/// `django.contrib.sessions.backends.file.SessionStore`: see the [module docs](self).
///
/// # Examples
/// ```
/// use std::sync::Arc;
/// use nuages::sessions::backends::{FileStore, SessionStore};
/// use nuages::sessions::SessionBase;
/// use nuages::Settings;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let dir = tempfile::tempdir().unwrap();
/// let settings = Arc::new(Settings {
///     secret_key: "s3cr3t".into(),
///     session_file_path: Some(dir.path().into()),
///     ..Settings::default()
/// });
/// let store = FileStore::from_settings(&settings).unwrap();
/// let mut s = SessionBase::new(None, settings.clone());
/// s.load_with(&store, false).await.unwrap().insert("k".into(), "v".into());
/// store.save(&mut s, false).await.unwrap();
/// let file = dir.path().join(format!("sessionid{}", s.session_key().unwrap()));
/// assert!(file.is_file());
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct FileStore {
    storage_path: PathBuf,
    file_prefix: String,
    settings: Arc<Settings>,
    clock: Clock,
}

/// A session file as `load` reads it: its text and modification time.
struct FileContent {
    text: String,
    modified: DateTime<Utc>,
}

fn is_valid_key(key: &str) -> bool {
    key.bytes().all(|b| VALID_KEY_CHARS.contains(&b))
}

/// Runs blocking file work off the runtime.
async fn blocking<T: Send + 'static>(
    what: &'static str,
    f: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> Result<io::Result<T>, SessionError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| backend_error("file", what, e))
}

fn read_file(path: &Path) -> io::Result<Option<FileContent>> {
    let text = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let modified = fs::metadata(path)?.modified()?;
    Ok(Some(FileContent {
        // Django opens the file as ASCII: anything else cannot be session data.
        text: String::from_utf8(text).unwrap_or_default(),
        modified: modified.into(),
    }))
}

impl FileStore {
    /// The store in SESSION_FILE_PATH (the system temporary directory when `None`), with
    /// SESSION_COOKIE_NAME as the file prefix.
    ///
    /// # Errors
    /// `ImproperlyConfigured("The session storage path … doesn't exist. …")` as Django.
    pub fn from_settings(settings: &Settings) -> Result<Self, ImproperlyConfigured> {
        let storage_path = settings
            .session_file_path
            .clone()
            .unwrap_or_else(std::env::temp_dir);
        if !storage_path.is_dir() {
            return Err(ImproperlyConfigured::new(format!(
                "The session storage path {:?} doesn't exist. Please set your \
                 SESSION_FILE_PATH setting to an existing directory in which Django can store \
                 session data.",
                storage_path.display().to_string()
            )));
        }
        Ok(FileStore {
            storage_path,
            file_prefix: settings.session_cookie_name.clone(),
            settings: Arc::new(settings.clone()),
            clock: Clock::system(),
        })
    }

    /// Uses another clock for [`SessionStore::clear_expired`] (sessions use their own).
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The directory of the session files.
    pub fn storage_path(&self) -> &Path {
        &self.storage_path
    }

    /// `_key_to_file(session_key)`: `None` for a key with characters outside `[a-z0-9]`
    /// (Django raises `InvalidSessionKey`).
    pub fn key_to_file(&self, session_key: &str) -> Option<PathBuf> {
        is_valid_key(session_key).then(|| {
            self.storage_path
                .join(format!("{}{session_key}", self.file_prefix))
        })
    }

    /// Whether a session read from a file modified at `modified` has expired at `now`
    /// (`_expiry_date` and `get_expiry_age`, an integer expiry counting from `modified`).
    fn expired(
        data: &SessionData,
        modified: DateTime<Utc>,
        now: DateTime<Utc>,
        cookie_age: i64,
    ) -> bool {
        let seconds = |s: i64| modified + TimeDelta::try_seconds(s).unwrap_or(TimeDelta::MAX);
        let expiry = match data.get(EXPIRY_KEY) {
            Some(Value::String(s)) if !s.is_empty() => {
                match DateTime::parse_from_rfc3339(s) {
                    Ok(at) => at.with_timezone(&Utc),
                    // Django fails on it; the session is unusable either way.
                    Err(_) => return true,
                }
            }
            Some(Value::Number(n)) if n.as_f64().is_some_and(|f| f != 0.0) => {
                let s = n.as_f64().unwrap_or_default();
                #[allow(clippy::cast_possible_truncation)]
                let micros = (s * 1e6).clamp(-1e17, 1e17) as i64;
                modified + TimeDelta::microseconds(micros)
            }
            _ => seconds(cookie_age),
        };
        whole_seconds(expiry.signed_duration_since(now)) <= 0
    }
}

impl SessionStore for FileStore {
    fn load<'a>(
        &'a self,
        session: &'a mut SessionBase,
    ) -> BoxFuture<'a, Result<SessionData, SessionError>> {
        Box::pin(async move {
            let path = session.session_key().and_then(|k| self.key_to_file(k));
            let Some(path) = path else {
                session.set_session_key(None);
                return Ok(SessionData::new());
            };
            let content = blocking("load", move || read_file(&path))
                .await?
                .map_err(|e| backend_error("file", "load", e))?;
            let Some(content) = content else {
                session.set_session_key(None);
                return Ok(SessionData::new());
            };
            if content.text.is_empty() {
                // The empty placeholder of a session being created.
                return Ok(SessionData::new());
            }
            let data = session.decode(&content.text, self.key_salt());
            let now = session.now();
            if Self::expired(
                &data,
                content.modified,
                now,
                session.get_session_cookie_age(),
            ) {
                self.delete(session, None).await?;
                self.create(session).await?;
                return Ok(SessionData::new());
            }
            Ok(data)
        })
    }

    fn exists<'a>(&'a self, session_key: &'a str) -> BoxFuture<'a, Result<bool, SessionError>> {
        Box::pin(async move {
            let Some(path) = self.key_to_file(session_key) else {
                return Ok(false);
            };
            blocking("exists", move || Ok(path.exists()))
                .await?
                .map_err(|e| backend_error("file", "exists", e))
        })
    }

    fn save<'a>(
        &'a self,
        session: &'a mut SessionBase,
        must_create: bool,
    ) -> BoxFuture<'a, Result<(), SessionError>> {
        Box::pin(async move {
            if session.session_key().is_none() {
                return self.create(session).await;
            }
            let data = session.load_with(self, must_create).await?.clone();
            let key = session_key_or_none(session)?;
            let path = self
                .key_to_file(&key)
                .ok_or_else(|| SessionError::backend("Invalid characters in session key"))?;
            let encoded = session.encode(&data, self.key_salt())?;
            let modified = std::time::SystemTime::from(session.now());
            let outcome = blocking("save", move || {
                write_session(&path, must_create, &encoded, modified)
            })
            .await?;
            match outcome {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == io::ErrorKind::NotFound && !must_create => {
                    Err(SessionError::Update)
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && must_create => {
                    Err(SessionError::Create)
                }
                Err(e) => Err(backend_error("file", "save", e)),
            }
        })
    }

    fn delete<'a>(
        &'a self,
        session: &'a mut SessionBase,
        session_key: Option<&'a str>,
    ) -> BoxFuture<'a, Result<(), SessionError>> {
        Box::pin(async move {
            let Some(path) = session_key
                .or(session.session_key())
                .and_then(|k| self.key_to_file(k))
            else {
                return Ok(());
            };
            let removed = blocking("delete", move || match fs::remove_file(path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            });
            removed
                .await?
                .map_err(|e| backend_error("file", "delete", e))
        })
    }

    /// Django's `clear_expired()`: loads every session file of the directory and deletes the
    /// expired ones (temporary files and foreign names are left alone).
    fn clear_expired(&self) -> BoxFuture<'_, Result<(), SessionError>> {
        let dir = self.storage_path.clone();
        let prefix = self.file_prefix.clone();
        Box::pin(async move {
            let files = blocking("clear_expired", move || {
                let mut found = Vec::new();
                for entry in fs::read_dir(&dir)? {
                    let entry = entry?;
                    let name = entry.file_name().to_string_lossy().into_owned();
                    let Some(key) = name.strip_prefix(&prefix) else {
                        continue;
                    };
                    if key.is_empty() || !is_valid_key(key) {
                        continue;
                    }
                    if let Some(content) = read_file(&entry.path())? {
                        found.push((key.to_owned(), entry.path(), content));
                    }
                }
                Ok(found)
            })
            .await?
            .map_err(|e| backend_error("file", "clear_expired", e))?;
            let now = self.clock.now();
            let cookie_age = self.settings.session_cookie_age;
            let mut expired = Vec::new();
            for (key, path, content) in files {
                if content.text.is_empty() {
                    continue;
                }
                let base = SessionBase::new(Some(key), Arc::clone(&self.settings));
                let data = base.decode(&content.text, self.key_salt());
                if Self::expired(&data, content.modified, now, cookie_age) {
                    expired.push(path);
                }
            }
            blocking("clear_expired", move || {
                for path in expired {
                    match fs::remove_file(path) {
                        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                        _ => {}
                    }
                }
                Ok(())
            })
            .await?
            .map_err(|e| backend_error("file", "clear_expired", e))
        })
    }

    fn name(&self) -> &'static str {
        "file"
    }
}

/// Django's `save()` file dance: make sure the file exists (`O_EXCL` when creating; missing
/// when updating is `NotFound`), then write a temporary file beside it and rename it over.
fn write_session(
    path: &Path,
    must_create: bool,
    encoded: &str,
    modified: std::time::SystemTime,
) -> io::Result<()> {
    let mut open = OpenOptions::new();
    open.write(true);
    if must_create {
        open.create_new(true);
    }
    drop(open.open(path)?);
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!("{name}_out_"))
        .tempfile_in(dir)?;
    tmp.write_all(encoded.as_bytes())?;
    tmp.as_file().set_modified(modified)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

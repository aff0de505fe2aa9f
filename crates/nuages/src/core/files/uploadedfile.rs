//! Uploaded files (`django.core.files.uploadedfile`): the values of `request.FILES`.
//!
//! A file is kept in memory ([`FileStorage::InMemory`], Django's `InMemoryUploadedFile`) or in
//! a temporary file ([`FileStorage::Temporary`], Django's `TemporaryUploadedFile`) that is
//! deleted when the [`UploadedFile`] is dropped. An in-memory file received by the multipart
//! parser is held as the pieces of the request body it arrived in ([`InMemoryContent`]), not
//! copied into a buffer of its own.

use std::error::Error;
use std::fmt;
use std::io;
use std::path::Path;

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use indexmap::IndexMap;
use tempfile::TempPath;
use tokio::io::AsyncReadExt;

/// Size of the chunks [`UploadedFile::chunks`] reads from a temporary file (Django's
/// `UploadedFile.DEFAULT_CHUNK_SIZE`, 64 KiB).
pub const DEFAULT_CHUNK_SIZE: usize = 64 * 1024;

/// Longest file name Django keeps, in characters (longer names are shortened, keeping the
/// extension).
const MAX_NAME_CHARS: usize = 255;

/// A file uploaded with a request (Django's `UploadedFile`).
///
/// # Examples
///
/// ```
/// use nuages::core::files::uploadedfile::UploadedFile;
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let file = UploadedFile::in_memory("../notes.txt", "hello", "text/plain")?;
/// assert_eq!(file.name(), "notes.txt");
/// assert_eq!(file.size(), 5);
/// assert_eq!(file.content_type(), "text/plain");
/// assert!(file.temporary_file_path().is_none());
/// assert_eq!(file.read_all().await?, "hello");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub struct UploadedFile {
    name: String,
    content_type: String,
    charset: Option<String>,
    content_type_extra: IndexMap<String, String>,
    size: u64,
    storage: FileStorage,
}

/// Where an [`UploadedFile`]'s content is.
#[derive(Debug)]
pub enum FileStorage {
    /// In memory (Django's `InMemoryUploadedFile`).
    #[doc(alias = "InMemoryUploadedFile")]
    InMemory(InMemoryContent),
    /// In a temporary file, deleted on drop (Django's `TemporaryUploadedFile`).
    #[doc(alias = "TemporaryUploadedFile")]
    Temporary(TemporaryFile),
}

/// The content of an in-memory file: the pieces it was received in, in order.
///
/// The multipart parser keeps the slices of the request body's buffers that hold the file
/// (shared, reference-counted [`Bytes`]); nothing is copied until [`InMemoryContent::to_bytes`]
/// needs one contiguous buffer. Equality compares the bytes, not how they are cut.
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use nuages::core::files::uploadedfile::InMemoryContent;
///
/// let content: InMemoryContent = [Bytes::from("hel"), Bytes::new(), Bytes::from("lo")]
///     .into_iter()
///     .collect();
/// assert_eq!((content.len(), content.pieces().len()), (5, 2));
/// assert_eq!(content.to_bytes(), "hello");
/// assert_eq!(content, InMemoryContent::from(Bytes::from("hello")));
/// assert_eq!(content, b"hello"[..]);
/// ```
#[derive(Clone, Default)]
pub struct InMemoryContent {
    /// Never empty ones.
    pieces: Vec<Bytes>,
    len: usize,
}

impl InMemoryContent {
    /// The size in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the content is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The pieces, in order (none of them empty): slices of the request body for a file
    /// received by the multipart parser.
    pub fn pieces(&self) -> &[Bytes] {
        &self.pieces
    }

    /// The content as one buffer: the piece itself (shared, no copy) when there is one, else
    /// the pieces copied into a new buffer of the content's size.
    pub fn to_bytes(&self) -> Bytes {
        match self.pieces.as_slice() {
            [] => Bytes::new(),
            [one] => one.clone(),
            pieces => {
                let mut out = BytesMut::with_capacity(self.len);
                for piece in pieces {
                    out.extend_from_slice(piece);
                }
                out.freeze()
            }
        }
    }

    /// Whether the content is `other`, compared piece by piece.
    fn eq_slices<'a>(&self, mut other: impl Iterator<Item = &'a [u8]>) -> bool {
        let mut theirs: &[u8] = &[];
        for piece in &self.pieces {
            let mut ours: &[u8] = piece;
            while !ours.is_empty() {
                if theirs.is_empty() {
                    match other.next() {
                        Some(next) => theirs = next,
                        None => return false,
                    }
                    continue;
                }
                let n = ours.len().min(theirs.len());
                if ours[..n] != theirs[..n] {
                    return false;
                }
                ours = &ours[n..];
                theirs = &theirs[n..];
            }
        }
        theirs.is_empty() && other.all(<[u8]>::is_empty)
    }
}

impl From<Bytes> for InMemoryContent {
    fn from(bytes: Bytes) -> Self {
        std::iter::once(bytes).collect()
    }
}

impl FromIterator<Bytes> for InMemoryContent {
    /// The pieces in order; empty ones are left out.
    fn from_iter<I: IntoIterator<Item = Bytes>>(pieces: I) -> Self {
        let pieces: Vec<Bytes> = pieces.into_iter().filter(|p| !p.is_empty()).collect();
        let len = pieces.iter().map(Bytes::len).sum();
        InMemoryContent { pieces, len }
    }
}

impl PartialEq for InMemoryContent {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.eq_slices(other.pieces.iter().map(|p| &p[..]))
    }
}

impl Eq for InMemoryContent {}

impl PartialEq<[u8]> for InMemoryContent {
    fn eq(&self, other: &[u8]) -> bool {
        self.len == other.len() && self.eq_slices(std::iter::once(other))
    }
}

impl fmt::Debug for InMemoryContent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InMemoryContent")
            .field("len", &self.len)
            .field("pieces", &self.pieces.len())
            .finish()
    }
}

/// A temporary file on disk, deleted when dropped.
#[derive(Debug)]
pub struct TemporaryFile {
    path: TempPath,
}

impl TemporaryFile {
    pub(crate) fn new(path: TempPath) -> Self {
        TemporaryFile { path }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A file name Django refuses (`SuspiciousFileOperation: Could not derive file name from
/// '..'`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidFileName(String);

impl fmt::Display for InvalidFileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Could not derive file name from '{}'", self.0)
    }
}

impl Error for InvalidFileName {}

impl UploadedFile {
    /// An in-memory file (Django's `SimpleUploadedFile(name, content, content_type)`), e.g. to
    /// build `FILES` in tests. The name is sanitized like Django's `UploadedFile.name`.
    ///
    /// # Errors
    ///
    /// [`InvalidFileName`] when no file name is left (`""`, `"."`, `".."`, `"dir/"`).
    #[doc(alias = "SimpleUploadedFile")]
    pub fn in_memory(
        name: &str,
        content: impl Into<Bytes>,
        content_type: impl Into<String>,
    ) -> Result<Self, InvalidFileName> {
        let content = content.into();
        Ok(UploadedFile {
            name: file_name(name)?,
            content_type: content_type.into(),
            charset: None,
            content_type_extra: IndexMap::new(),
            size: u64::try_from(content.len()).unwrap_or(u64::MAX),
            storage: FileStorage::InMemory(content.into()),
        })
    }

    /// A file received by the multipart parser.
    pub(crate) fn new(
        name: String,
        content_type: String,
        content_type_extra: IndexMap<String, String>,
        size: u64,
        storage: FileStorage,
    ) -> Self {
        let charset = content_type_extra.get("charset").cloned();
        UploadedFile {
            name,
            content_type,
            charset,
            content_type_extra,
            size,
            storage,
        }
    }

    /// The file name sent by the client, reduced to a safe base name. Still untrusted input.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The media type sent with the file (lower-cased, without parameters; `""` if none).
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The `charset` parameter sent with the file's content type.
    pub fn charset(&self) -> Option<&str> {
        self.charset.as_deref()
    }

    /// All the parameters sent with the file's content type.
    pub fn content_type_extra(&self) -> &IndexMap<String, String> {
        &self.content_type_extra
    }

    /// Where the content is.
    pub fn storage(&self) -> &FileStorage {
        &self.storage
    }

    /// The path of the temporary file holding the content, `None` for an in-memory file
    /// (Django's `TemporaryUploadedFile.temporary_file_path()`).
    pub fn temporary_file_path(&self) -> Option<&Path> {
        match &self.storage {
            FileStorage::InMemory(_) => None,
            FileStorage::Temporary(file) => Some(file.path()),
        }
    }

    /// The content, in chunks: the whole content at once for an in-memory file (as Django
    /// does; nothing if it is empty; joined into one buffer if it was received in several
    /// pieces, see [`InMemoryContent::pieces`] to avoid that copy), chunks of
    /// [`DEFAULT_CHUNK_SIZE`] bytes read from disk otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// use futures_util::TryStreamExt;
    /// use nuages::core::files::uploadedfile::UploadedFile;
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let file = UploadedFile::in_memory("a.txt", "abc", "text/plain")?;
    /// let chunks: Vec<_> = file.chunks().try_collect().await?;
    /// assert_eq!(chunks, ["abc"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    pub fn chunks(&self) -> impl Stream<Item = io::Result<Bytes>> + Send + '_ {
        let state = match &self.storage {
            FileStorage::InMemory(content) => Chunks::Memory(content),
            FileStorage::Temporary(file) => Chunks::Open(file.path()),
        };
        futures_util::stream::unfold(state, |state| async move {
            match state {
                Chunks::Memory(content) if content.is_empty() => None,
                Chunks::Memory(content) => Some((Ok(content.to_bytes()), Chunks::Done)),
                Chunks::Open(path) => match tokio::fs::File::open(path).await {
                    Ok(file) => read_chunk(file).await,
                    Err(err) => Some((Err(err), Chunks::Done)),
                },
                Chunks::Reading(file) => read_chunk(file).await,
                Chunks::Done => None,
            }
        })
    }

    /// The whole content (Django's `read()`); for an in-memory file received in several pieces,
    /// a copy joining them ([`InMemoryContent::to_bytes`]).
    ///
    /// # Errors
    ///
    /// An I/O error reading the temporary file.
    pub async fn read_all(&self) -> io::Result<Bytes> {
        match &self.storage {
            FileStorage::InMemory(content) => Ok(content.to_bytes()),
            FileStorage::Temporary(file) => tokio::fs::read(file.path()).await.map(Bytes::from),
        }
    }
}

impl fmt::Debug for UploadedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.storage {
            FileStorage::InMemory(_) => "InMemoryUploadedFile",
            FileStorage::Temporary(_) => "TemporaryUploadedFile",
        };
        f.debug_struct(kind)
            .field("name", &self.name)
            .field("content_type", &self.content_type)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

enum Chunks<'a> {
    Memory(&'a InMemoryContent),
    Open(&'a Path),
    Reading(tokio::fs::File),
    Done,
}

async fn read_chunk<'a>(mut file: tokio::fs::File) -> Option<(io::Result<Bytes>, Chunks<'a>)> {
    let mut buf = BytesMut::with_capacity(DEFAULT_CHUNK_SIZE);
    while buf.len() < DEFAULT_CHUNK_SIZE {
        match file.read_buf(&mut buf).await {
            Ok(0) => break,
            Ok(_) => {}
            Err(err) => return Some((Err(err), Chunks::Done)),
        }
    }
    if buf.is_empty() {
        None
    } else {
        Some((Ok(buf.freeze()), Chunks::Reading(file)))
    }
}

/// Django's `UploadedFile.name` setter: the base name, shortened to 255 characters keeping
/// the extension (`os.path.splitext`), then `validate_file_name`.
pub(crate) fn file_name(name: &str) -> Result<String, InvalidFileName> {
    let base = name.rsplit('/').next().unwrap_or_default();
    let base = if base.chars().count() > MAX_NAME_CHARS {
        let (stem, ext) = split_ext(base);
        let ext: String = ext.chars().take(MAX_NAME_CHARS).collect();
        let keep = MAX_NAME_CHARS - ext.chars().count();
        let mut short: String = stem.chars().take(keep).collect();
        short.push_str(&ext);
        short
    } else {
        base.to_owned()
    };
    match base.as_str() {
        "" | "." | ".." => Err(InvalidFileName(name.to_owned())),
        _ => Ok(base),
    }
}

/// `os.path.splitext` of a base name: the extension starts at the last dot, unless only
/// dots precede it.
pub(crate) fn split_ext(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(dot) if name[..dot].bytes().any(|b| b != b'.') => name.split_at(dot),
        _ => (name, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_django() {
        assert_eq!(file_name("dir/a.txt").unwrap(), "a.txt");
        assert_eq!(
            file_name("..").unwrap_err().to_string(),
            "Could not derive file name from '..'"
        );
        assert!(file_name("a/").is_err());
        let long = format!("{}.txt", "n".repeat(300));
        assert_eq!(
            file_name(&long).unwrap(),
            format!("{}.txt", "n".repeat(251))
        );
        let long_ext = format!("a.{}", "e".repeat(300));
        assert_eq!(
            file_name(&long_ext).unwrap(),
            format!(".{}", "e".repeat(254))
        );
        assert_eq!(split_ext("..a"), ("..a", ""));
        assert_eq!(split_ext("a.b.c"), ("a.b", ".c"));
        assert_eq!(split_ext(".bashrc"), (".bashrc", ""));
    }

    #[tokio::test]
    async fn temporary_files_read_in_chunks_and_are_deleted() {
        let content = vec![7u8; DEFAULT_CHUNK_SIZE + 10];
        let mut tmp = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut tmp, &content).unwrap();
        let path = tmp.into_temp_path();
        let location = path.to_path_buf();
        let file = UploadedFile::new(
            "a.bin".to_owned(),
            "application/octet-stream".to_owned(),
            IndexMap::new(),
            content.len() as u64,
            FileStorage::Temporary(TemporaryFile::new(path)),
        );
        assert_eq!(file.temporary_file_path(), Some(location.as_path()));
        let chunks: Vec<Bytes> = futures_util::TryStreamExt::try_collect(file.chunks())
            .await
            .unwrap();
        let sizes: Vec<usize> = chunks.iter().map(Bytes::len).collect();
        assert_eq!(sizes, [DEFAULT_CHUNK_SIZE, 10]);
        assert_eq!(file.read_all().await.unwrap(), content);
        drop(file);
        assert!(!location.exists());
    }
}

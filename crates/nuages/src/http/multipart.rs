//! Django's `multipart/form-data` parser (`django.http.multipartparser.MultiPartParser` with
//! the default upload handlers of `django.core.files.uploadhandler`), streaming, on top of
//! `multer`.
//!
//! [`MultiPartParser::parse`] reads a request body and returns `request.POST` (a
//! [`QueryDict`]) and `request.FILES` ([`Files`]). Memory use does not grow with the size of
//! uploaded files: a file larger than `FILE_UPLOAD_MAX_MEMORY_SIZE` is written to a temporary
//! file while it is received.
//!
//! Django's rules are followed: the boundary must match `[ -~]{0,200}[!-~]`; part headers are
//! read as Django reads them (strict UTF-8 lines, `parse_header_parameters` with RFC 2231
//! `filename*=`, lines that do not parse are ignored) and may take 1024 bytes; parts without
//! `Content-Disposition` or without `name` are skipped; a file part with an empty filename is
//! a field; file names are reduced to a base name (`sanitize_file_name`); field values and
//! names are decoded with the request charset, replacing invalid bytes; a base64
//! `Content-Transfer-Encoding` is decoded; `DATA_UPLOAD_MAX_NUMBER_FIELDS` counts non-file
//! parts, `DATA_UPLOAD_MAX_NUMBER_FILES` file parts, `DATA_UPLOAD_MAX_MEMORY_SIZE` the
//! non-file field data; an empty body gives empty `POST` and `FILES`.
//!
//! Differences from Django:
//! - a body that is not a complete multipart message (no closing boundary, no boundary at
//!   all, bare LF line endings, malformed header lines) is rejected with a
//!   [`MultiPartParserError`], where Django keeps whatever it could make of it;
//! - a file stays in memory when it is at most `FILE_UPLOAD_MAX_MEMORY_SIZE` bytes; Django
//!   decides from the size of the whole body, for all the files of a request at once.

mod base64;
mod body;
mod errors;
mod filename;
mod files;
mod part;
mod upload;

use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use futures_core::Stream;

use self::body::{GuardedBody, Progress};
use self::errors::HEADER_TOO_LARGE;
pub use self::errors::{MultiPartParserError, MultipartError};
pub use self::files::Files;
use self::part::{Disposition, PartHeaders};
use self::upload::FileSink;
use crate::core::exceptions::{RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent};
use crate::core::files::uploadedfile::{self, UploadedFile};
use crate::http::query_dict::{QueryDict, QueryDictBuilder};
use nuages_py::codecs::Charset;

type BoxError = Box<dyn Error + Send + Sync>;

/// The upload settings the parser enforces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// `DATA_UPLOAD_MAX_MEMORY_SIZE`: most bytes of non-file field data (each field also
    /// counts its name's length in characters plus 2); `None` for no limit.
    pub data_upload_max_memory_size: Option<u64>,
    /// `DATA_UPLOAD_MAX_NUMBER_FIELDS`: most non-file parts; `None` for no limit.
    pub data_upload_max_number_fields: Option<usize>,
    /// `DATA_UPLOAD_MAX_NUMBER_FILES`: most file parts; `None` for no limit.
    pub data_upload_max_number_files: Option<usize>,
    /// `FILE_UPLOAD_MAX_MEMORY_SIZE`: larger files go to a temporary file.
    pub file_upload_max_memory_size: u64,
}

impl Default for Limits {
    /// Django's defaults: 2.5 MiB, 1000 fields, 100 files, 2.5 MiB.
    fn default() -> Self {
        Limits {
            data_upload_max_memory_size: Some(2_621_440),
            data_upload_max_number_fields: Some(1000),
            data_upload_max_number_files: Some(100),
            file_upload_max_memory_size: 2_621_440,
        }
    }
}

/// Parses `multipart/form-data` request bodies (Django's `MultiPartParser`).
///
/// # Examples
///
/// ```
/// use futures_util::stream;
/// use nuages::http::multipart::{Limits, MultiPartParser};
/// use nuages::utils::charset::Charset;
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let body = "--XX\r\n\
///     Content-Disposition: form-data; name=\"title\"\r\n\r\nHi\r\n\
///     --XX\r\n\
///     Content-Disposition: form-data; name=\"doc\"; filename=\"../a.txt\"\r\n\
///     Content-Type: text/plain\r\n\r\nhello\r\n\
///     --XX--\r\n";
/// let chunks = stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from(body))]);
/// let parser = MultiPartParser::new(Limits::default(), Charset::UTF_8);
/// let (post, files) = parser.parse("multipart/form-data; boundary=XX", chunks).await?;
/// assert_eq!(post.get("title"), Some("Hi"));
/// let doc = files.get("doc").unwrap();
/// assert_eq!((doc.name(), doc.size(), doc.content_type()), ("a.txt", 5, "text/plain"));
/// assert_eq!(doc.read_all().await?, "hello");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct MultiPartParser {
    limits: Limits,
    encoding: Charset,
    upload_dir: Option<PathBuf>,
}

impl MultiPartParser {
    /// A parser enforcing `limits`, decoding field names and values with `encoding` (the
    /// request's charset, `DEFAULT_CHARSET` by default).
    pub fn new(limits: Limits, encoding: Charset) -> Self {
        MultiPartParser {
            limits,
            encoding,
            upload_dir: None,
        }
    }

    /// Puts temporary files in `dir` (`FILE_UPLOAD_TEMP_DIR`) instead of the system's
    /// temporary directory.
    pub fn with_upload_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.upload_dir = Some(dir.into());
        self
    }

    /// The limits enforced.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The charset field names and values are decoded with.
    pub fn encoding(&self) -> &Charset {
        &self.encoding
    }

    /// Where temporary files go (`None`: the system's temporary directory).
    pub fn upload_dir(&self) -> Option<&Path> {
        self.upload_dir.as_deref()
    }

    /// Reads the body `stream` sent with `content_type` (the raw `Content-Type` header) and
    /// returns `(POST, FILES)`; `POST` is immutable.
    ///
    /// # Errors
    ///
    /// - [`MultipartError::Parser`]: not a `multipart/` content type, a missing or invalid
    ///   boundary, a malformed body, part headers over 1024 bytes, undecodable base64 file data;
    /// - [`MultipartError::TooManyFieldsSent`], [`MultipartError::TooManyFilesSent`],
    ///   [`MultipartError::RequestDataTooBig`]: a limit was exceeded;
    /// - [`MultipartError::Io`]: the body stream failed, or a temporary file could not be
    ///   written.
    ///
    /// Temporary files already written are deleted when an error is returned.
    pub async fn parse<S, E>(
        &self,
        content_type: &str,
        stream: S,
    ) -> Result<(QueryDict, Files), MultipartError>
    where
        S: Stream<Item = Result<Bytes, E>> + Send + Unpin,
        E: Into<BoxError>,
    {
        let boundary = part::boundary(content_type)?;
        let post = QueryDict::builder().encoding(self.encoding.clone());
        let progress = Arc::new(Progress::default());
        let mut body = GuardedBody::new(stream, Arc::clone(&progress));
        if !body.has_data().await.map_err(MultipartError::from_body)? {
            // Django returns at once when CONTENT_LENGTH is 0.
            return Ok((post.build(), Files::new()));
        }
        let boundary_len = boundary.len();
        let mut multipart = multer::Multipart::new(body, boundary);
        let mut state = ParseState {
            parser: self,
            progress,
            post,
            files: Files::new(),
            num_post_keys: 0,
            num_bytes_read: 0,
            num_files: 0,
        };
        // Django sees a first part before the first boundary (usually empty) and a last one
        // after the closing boundary ("--\r\n"), and counts both as fields.
        state.count_field()?;
        while let Some(mut field) = multipart
            .next_field()
            .await
            .map_err(MultipartError::from_multer)?
        {
            let headers = PartHeaders::new(field.headers(), &self.encoding, boundary_len);
            state.progress.consume(headers.consumed);
            if headers.too_large {
                return Err(MultiPartParserError::new(HEADER_TOO_LARGE).into());
            }
            state.read_part(&mut field, headers).await?;
        }
        state.count_field()?;
        Ok((state.post.build(), state.files))
    }
}

/// The parse in progress (the local variables of Django's `_parse`).
struct ParseState<'p> {
    parser: &'p MultiPartParser,
    progress: Arc<Progress>,
    post: QueryDictBuilder,
    files: Files,
    num_post_keys: usize,
    num_bytes_read: u64,
    num_files: usize,
}

impl ParseState<'_> {
    /// Counts a non-file part against `DATA_UPLOAD_MAX_NUMBER_FIELDS` (with Django's
    /// allowance of 2 for the parts before the first and after the last boundary).
    fn count_field(&mut self) -> Result<(), TooManyFieldsSent> {
        if let Some(max) = self.parser.limits.data_upload_max_number_fields {
            self.num_post_keys += 1;
            if max.saturating_add(2) < self.num_post_keys {
                return Err(TooManyFieldsSent);
            }
        }
        Ok(())
    }

    async fn read_part(
        &mut self,
        field: &mut multer::Field<'_>,
        mut headers: PartHeaders,
    ) -> Result<(), MultipartError> {
        match std::mem::replace(&mut headers.disposition, Disposition::Raw) {
            Disposition::Raw => {
                self.count_field()?;
                self.skip(field).await
            }
            Disposition::Field { name } => {
                self.count_field()?;
                match name {
                    Some(name) => self.read_field(field, name, headers.base64).await,
                    None => self.skip(field).await,
                }
            }
            Disposition::File {
                name: Some(name),
                filename,
            } => self.read_file(field, name, &filename, headers).await,
            Disposition::File { name: None, .. } => self.skip(field).await,
        }
    }

    /// A form field: appended to `POST`.
    async fn read_field(
        &mut self,
        field: &mut multer::Field<'_>,
        name: String,
        base64: bool,
    ) -> Result<(), MultipartError> {
        let max = self.parser.limits.data_upload_max_memory_size;
        // Django reads at most what is left of DATA_UPLOAD_MAX_MEMORY_SIZE; a longer value
        // always ends in RequestDataTooBig, so stop there.
        let read_size = max.map(|max| max.saturating_sub(self.num_bytes_read));
        // The first chunk is kept as is; the value is only copied if there are more.
        let mut first = Bytes::new();
        let mut joined: Option<Vec<u8>> = None;
        let mut len = 0;
        while let Some(chunk) = self.next_chunk(field).await? {
            len += chunk.len();
            if read_size.is_some_and(|size| len_u64(len) > size) {
                return Err(RequestDataTooBig.into());
            }
            match &mut joined {
                Some(joined) => joined.extend_from_slice(&chunk),
                None if first.is_empty() => first = chunk,
                None => {
                    let mut buf = Vec::with_capacity(len);
                    buf.extend_from_slice(&first);
                    buf.extend_from_slice(&chunk);
                    joined = Some(buf);
                }
            }
        }
        let data = joined.as_deref().unwrap_or(&first);
        // Plus 2, like the "&=" of a urlencoded body.
        self.num_bytes_read = self
            .num_bytes_read
            .saturating_add(len_u64(data.len()))
            .saturating_add(len_u64(name.chars().count()) + 2);
        if max.is_some_and(|max| self.num_bytes_read > max) {
            return Err(RequestDataTooBig.into());
        }
        let decoded = if base64 {
            nuages_py::base64::b64decode(data).ok()
        } else {
            None
        };
        let value = self
            .parser
            .encoding
            .decode_lossy(decoded.as_deref().unwrap_or(data))
            .into_owned();
        self.post = std::mem::take(&mut self.post).append(name, value);
        Ok(())
    }

    /// A file: streamed to memory or disk and appended to `FILES`.
    async fn read_file(
        &mut self,
        field: &mut multer::Field<'_>,
        name: String,
        filename: &str,
        headers: PartHeaders,
    ) -> Result<(), MultipartError> {
        self.num_files += 1;
        let limits = &self.parser.limits;
        if limits
            .data_upload_max_number_files
            .is_some_and(|max| self.num_files > max)
        {
            return Err(TooManyFilesSent.into());
        }
        let sanitized = filename::sanitize_file_name(filename)
            .and_then(|name| uploadedfile::file_name(&name).ok());
        let Some(file_name) = sanitized else {
            return self.skip(field).await;
        };
        let mut sink = FileSink::new(
            self.parser.upload_dir(),
            limits.file_upload_max_memory_size,
            &file_name,
        );
        let mut decoder = headers.base64.then(base64::FileDecoder::default);
        let mut decoded = Vec::new();
        while let Some(chunk) = self.next_chunk(field).await? {
            match &mut decoder {
                Some(decoder) => {
                    decoded.clear();
                    decoder.feed(&chunk, &mut decoded);
                    sink.write(&decoded).await?;
                }
                None => sink.write(&chunk).await?,
            }
        }
        if decoder.is_some_and(|decoder| !decoder.finish()) {
            return Err(MultiPartParserError::new("Could not decode base64 data.").into());
        }
        let (size, storage) = sink.finish().await?;
        let file = UploadedFile::new(
            file_name,
            headers.content_type,
            headers.content_type_extra,
            size,
            storage,
        );
        self.files.append(name, file);
        Ok(())
    }

    /// Reads past a part that is not kept.
    async fn skip(&self, field: &mut multer::Field<'_>) -> Result<(), MultipartError> {
        while self.next_chunk(field).await?.is_some() {}
        Ok(())
    }

    async fn next_chunk(
        &self,
        field: &mut multer::Field<'_>,
    ) -> Result<Option<Bytes>, MultipartError> {
        let chunk = field.chunk().await.map_err(MultipartError::from_multer)?;
        if let Some(chunk) = &chunk {
            self.progress.consume(chunk.len());
        }
        Ok(chunk)
    }
}

fn len_u64(len: usize) -> u64 {
    u64::try_from(len).unwrap_or(u64::MAX)
}

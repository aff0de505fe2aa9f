//! Django's `multipart/form-data` parser (`django.http.multipartparser.MultiPartParser` with
//! the default upload handlers of `django.core.files.uploadhandler`), streaming: a port of
//! Django's `LazyStream`, `BoundaryIter` and `parse_boundary_stream`.
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
//! Bodies that are not well-formed multipart messages get Django's result: the body is split
//! at every `--boundary` (a CR, LF or CRLF before it dropped), whatever precedes it; a part
//! whose first 1024 bytes hold no CRLF CRLF is skipped (or, if it is longer, the request is
//! refused: "Request max total header size exceeded."); a part that is not followed by a
//! separator is still a part (a field keeps its unterminated value), but a file is only kept
//! once the next part starts, as Django's `handle_file_complete` runs then. A body stream that
//! fails (a connection reset, a body shorter than its `Content-Length`) is always an error.
//!
//! Difference from Django: a file stays in memory when it is at most
//! `FILE_UPLOAD_MAX_MEMORY_SIZE` bytes; Django decides from the size of the whole body, for
//! all the files of a request at once.

mod base64;
mod errors;
mod filename;
mod files;
mod part;
mod rope;
mod stream;
mod upload;

use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use bytes::Bytes;
use futures_core::Stream;
use memchr::memmem::Finder;

use self::errors::HEADER_TOO_LARGE;
pub use self::errors::{MultiPartParserError, MultipartError};
pub use self::files::Files;
use self::part::{Disposition, PartHeaders, MAX_TOTAL_HEADER_SIZE};
use self::stream::{Body, Part};
use self::upload::FileSink;
use crate::core::exceptions::{RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent};
use crate::core::files::uploadedfile::{self, UploadedFile};
use crate::http::query_dict::{QueryDict, QueryDictBuilder};
use nuages_py::codecs::Charset;

type BoxError = Box<dyn Error + Send + Sync>;

/// The end of a part's header block.
static HEADERS_END: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\r\n\r\n"));

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
        let separator = format!("--{boundary}").into_bytes();
        let separator = Finder::new(&separator);
        let post = QueryDict::builder().encoding(self.encoding.clone());
        let mut body = Body::new(stream);
        if !body.has_more().await.map_err(MultipartError::from_body)? {
            // Django returns at once when CONTENT_LENGTH is 0.
            return Ok((post.build(), Files::new()));
        }
        let mut state = ParseState {
            parser: self,
            body,
            post,
            files: Files::new(),
            num_post_keys: 0,
            num_bytes_read: 0,
            num_files: 0,
        };
        // Django adds a file to FILES when the next part starts (handle_file_complete): a file
        // in the last part, with nothing after it, is dropped (and its temporary file deleted).
        let mut received: Option<(String, UploadedFile)> = None;
        while state
            .body
            .has_more()
            .await
            .map_err(MultipartError::from_body)?
        {
            let mut part = Part::new(&separator);
            let headers = state.read_headers(&mut part).await?;
            if let Some((name, file)) = received.take() {
                state.files.append(name, file);
            }
            received = state.read_part(&mut part, headers).await?;
        }
        drop(received);
        state
            .body
            .drain()
            .await
            .map_err(MultipartError::from_body)?;
        Ok((state.post.build(), state.files))
    }
}

/// The parse in progress (the local variables of Django's `_parse`).
struct ParseState<'p, S> {
    parser: &'p MultiPartParser,
    body: Body<S>,
    post: QueryDictBuilder,
    files: Files,
    num_post_keys: usize,
    num_bytes_read: u64,
    num_files: usize,
}

impl<S, E> ParseState<'_, S>
where
    S: Stream<Item = Result<Bytes, E>> + Send + Unpin,
    E: Into<BoxError>,
{
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

    /// Django's `parse_boundary_stream`: the part's headers, which must end (CRLF CRLF) within
    /// its first 1024 bytes; a shorter part without them is a part without headers.
    async fn read_headers(&mut self, part: &mut Part<'_>) -> Result<PartHeaders, MultipartError> {
        let mut chunk = part
            .read(&mut self.body, Some(MAX_TOTAL_HEADER_SIZE))
            .await
            .map_err(MultipartError::from_body)?;
        match chunk.find(&HEADERS_END) {
            Some(end) => {
                part.unget(chunk.split_off(end + 4));
                chunk.truncate(end);
                Ok(PartHeaders::parse(
                    &chunk.into_bytes(),
                    &self.parser.encoding,
                ))
            }
            None if chunk.len() < MAX_TOTAL_HEADER_SIZE => Ok(PartHeaders::raw()),
            None => Err(MultiPartParserError::new(HEADER_TOO_LARGE).into()),
        }
    }

    /// One part of Django's `_parse` loop. A part that is not kept is not read any further,
    /// as in Django: the next part starts where reading it stopped. Returns the file of a file
    /// part, added to `FILES` when the next part starts.
    async fn read_part(
        &mut self,
        part: &mut Part<'_>,
        mut headers: PartHeaders,
    ) -> Result<Option<(String, UploadedFile)>, MultipartError> {
        match std::mem::replace(&mut headers.disposition, Disposition::Raw) {
            Disposition::Raw | Disposition::Field { name: None } => {
                self.count_field()?;
                Ok(None)
            }
            Disposition::Field { name: Some(name) } => {
                self.count_field()?;
                self.read_field(part, name, headers.base64).await?;
                Ok(None)
            }
            Disposition::File {
                name: Some(name),
                filename,
            } => self.read_file(part, name, &filename, headers).await,
            Disposition::File { name: None, .. } => Ok(None),
        }
    }

    /// A form field: appended to `POST`.
    async fn read_field(
        &mut self,
        part: &mut Part<'_>,
        name: String,
        base64: bool,
    ) -> Result<(), MultipartError> {
        let max = self.parser.limits.data_upload_max_memory_size;
        // Django reads at most what is left of DATA_UPLOAD_MAX_MEMORY_SIZE.
        let read_size = max.map(|max| {
            usize::try_from(max.saturating_sub(self.num_bytes_read)).unwrap_or(usize::MAX)
        });
        let data = part
            .read(&mut self.body, read_size)
            .await
            .map_err(MultipartError::from_body)?
            .into_bytes();
        // Plus 2, like the "&=" of a urlencoded body.
        self.num_bytes_read = self
            .num_bytes_read
            .saturating_add(len_u64(data.len()))
            .saturating_add(len_u64(name.chars().count()) + 2);
        if max.is_some_and(|max| self.num_bytes_read > max) {
            return Err(RequestDataTooBig.into());
        }
        let decoded = if base64 {
            nuages_py::base64::b64decode(&data).ok()
        } else {
            None
        };
        let value = self
            .parser
            .encoding
            .decode_lossy(decoded.as_deref().unwrap_or(&data))
            .into_owned();
        self.post = std::mem::take(&mut self.post).append(name, value);
        Ok(())
    }

    /// A file, streamed to memory or disk.
    async fn read_file(
        &mut self,
        part: &mut Part<'_>,
        name: String,
        filename: &str,
        headers: PartHeaders,
    ) -> Result<Option<(String, UploadedFile)>, MultipartError> {
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
            return Ok(None);
        };
        let mut sink = FileSink::new(
            self.parser.upload_dir(),
            limits.file_upload_max_memory_size,
            &file_name,
        );
        let mut decoder = headers.base64.then(base64::FileDecoder::default);
        while let Some(chunk) = part
            .next(&mut self.body)
            .await
            .map_err(MultipartError::from_body)?
        {
            match &mut decoder {
                Some(decoder) => {
                    let mut decoded = Vec::with_capacity(chunk.len() / 4 * 3 + 3);
                    for piece in chunk.into_pieces() {
                        decoder.feed(&piece, &mut decoded);
                    }
                    sink.write(rope::Rope::from(Bytes::from(decoded))).await?;
                }
                None => sink.write(chunk).await?,
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
        Ok(Some((name, file)))
    }
}

fn len_u64(len: usize) -> u64 {
    u64::try_from(len).unwrap_or(u64::MAX)
}

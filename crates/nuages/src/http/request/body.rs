//! Reading the request body (`request.body`, `request.POST`).

use bytes::{Bytes, BytesMut};
use http::Method;

use super::HttpRequest;
use crate::core::exceptions::{BadRequest, RequestDataTooBig};
use crate::http::body::RequestBody;
use crate::http::multipart::{Files, Limits, MultiPartParser};
use crate::http::query_dict::QueryDict;
use crate::Error;

pub(super) enum BodyState {
    Unread(RequestBody),
    Read(Bytes),
    /// The stream was handed out with [`HttpRequest::take_body`].
    Taken,
}

/// Django's `RawPostDataException`: the body stream was already consumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPostDataException;

impl std::fmt::Display for RawPostDataException {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("You cannot access body after reading from request's data stream")
    }
}

impl std::error::Error for RawPostDataException {}

impl HttpRequest {
    /// The whole body (Django's `request.body`), read once and cached, bounded by
    /// DATA_UPLOAD_MAX_MEMORY_SIZE (on Content-Length and on the bytes actually received).
    ///
    /// # Errors
    /// [`RequestDataTooBig`] (400) over the limit, [`RawPostDataException`] after
    /// [`HttpRequest::take_body`], or a transport error.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut req = nuages::test::RequestFactory::new().post("/", "a=1").build();
    /// assert_eq!(&req.body().await.unwrap()[..], b"a=1");
    /// # });
    /// ```
    pub async fn body(&mut self) -> Result<&Bytes, Error> {
        if let BodyState::Unread(_) = self.body {
            let limit = self.head.settings.data_upload_max_memory_size;
            let BodyState::Unread(mut stream) = std::mem::replace(&mut self.body, BodyState::Taken)
            else {
                unreachable!("checked above")
            };
            if let (Some(limit), Some(cl)) = (limit, self.content_length()) {
                if cl > limit {
                    return Err(RequestDataTooBig::default().into());
                }
            }
            // A body that arrives in one chunk is kept as is (no copy).
            let mut first: Option<Bytes> = None;
            let mut buf = BytesMut::new();
            let mut total: u64 = 0;
            while let Some(chunk) = stream.chunk().await {
                let chunk = chunk.map_err(|e| Error::new(crate::ErrorKind::BadRequest, e))?;
                total += chunk.len() as u64;
                if limit.is_some_and(|limit| total > limit) {
                    return Err(RequestDataTooBig::default().into());
                }
                if first.is_none() && buf.is_empty() {
                    first = Some(chunk);
                } else {
                    if let Some(f) = first.take() {
                        buf.extend_from_slice(&f);
                    }
                    buf.extend_from_slice(&chunk);
                }
            }
            self.body = BodyState::Read(first.unwrap_or_else(|| buf.freeze()));
        }
        self.cached_body()
    }

    fn cached_body(&self) -> Result<&Bytes, Error> {
        match &self.body {
            BodyState::Read(b) => Ok(b),
            _ => Err(RawPostDataException.into()),
        }
    }

    /// Takes the body stream to read it incrementally (like reading `request` as a file in
    /// Django); afterwards [`HttpRequest::body`] fails with [`RawPostDataException`].
    ///
    /// # Errors
    /// [`RawPostDataException`] if the body was already read or taken.
    pub fn take_body(&mut self) -> Result<RequestBody, RawPostDataException> {
        match std::mem::replace(&mut self.body, BodyState::Taken) {
            BodyState::Unread(b) => Ok(b),
            BodyState::Read(b) => {
                // Already buffered: hand out the bytes as a body.
                Ok(RequestBody::from(b))
            }
            BodyState::Taken => Err(RawPostDataException),
        }
    }

    /// The announced Content-Length, if any.
    pub fn content_length(&self) -> Option<u64> {
        self.head
            .headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok())
    }

    /// The form data of a POST (Django's `request.POST`): parsed from an
    /// `application/x-www-form-urlencoded` or `multipart/form-data` body (files go to
    /// [`HttpRequest::files`]); empty for other methods and content types.
    ///
    /// Multipart bodies are parsed as they stream in: files over FILE_UPLOAD_MAX_MEMORY_SIZE go
    /// to a temporary file, never whole into memory.
    ///
    /// # Errors
    /// [`BadRequest`] for a urlencoded body declared in a charset other than UTF-8,
    /// `MultiPartParserError` for a broken multipart body, the limits (`TooManyFieldsSent`,
    /// `TooManyFilesSent`, `RequestDataTooBig`) — all 400 — and the errors of
    /// [`HttpRequest::body`].
    #[doc(alias = "POST")]
    pub async fn form(&mut self) -> Result<&QueryDict, Error> {
        self.load_post_and_files().await?;
        Ok(self.post.get_or_insert_with(Box::default))
    }

    /// The uploaded files of a multipart POST (Django's `request.FILES`).
    ///
    /// # Errors
    /// As [`HttpRequest::form`].
    #[doc(alias = "FILES")]
    pub async fn files(&mut self) -> Result<&Files, Error> {
        self.load_post_and_files().await?;
        Ok(self.files.get_or_insert_with(Box::default))
    }

    async fn load_post_and_files(&mut self) -> Result<(), Error> {
        if self.post.is_some() {
            return Ok(());
        }
        match self.load_post().await {
            Ok((post, files)) => {
                self.post = Some(Box::new(post));
                self.files = Some(Box::new(files));
                Ok(())
            }
            Err(e) => {
                // Django's _mark_post_parse_error: later accesses see empty data.
                self.post = Some(Box::default());
                self.files = Some(Box::default());
                Err(e)
            }
        }
    }

    async fn load_post(&mut self) -> Result<(QueryDict, Files), Error> {
        if self.head.method != Method::POST {
            return Ok((QueryDict::new(), Files::new()));
        }
        let ct = self.content_type();
        if ct == "multipart/form-data" {
            return self.load_multipart().await;
        }
        if ct != "application/x-www-form-urlencoded" {
            return Ok((QueryDict::new(), Files::new()));
        }
        if let Some(cs) = self.content_params().get("charset") {
            let is_utf8 = nuages_py::codecs::Charset::from_label(cs).is_some_and(|c| c.is_utf8());
            if !is_utf8 {
                return Err(BadRequest::new(
                    "HTTP requests with the 'application/x-www-form-urlencoded' content type must be UTF-8 encoded.",
                )
                .into());
            }
        }
        let max_fields = self.head.settings.data_upload_max_number_fields;
        let body = self.body().await?.clone();
        let post =
            QueryDict::parse_bytes(&body, Some(&nuages_py::codecs::Charset::UTF_8), max_fields)?;
        Ok((post, Files::new()))
    }

    async fn load_multipart(&mut self) -> Result<(QueryDict, Files), Error> {
        let s = &self.head.settings;
        let limits = Limits {
            data_upload_max_memory_size: s.data_upload_max_memory_size,
            data_upload_max_number_fields: s.data_upload_max_number_fields,
            data_upload_max_number_files: s.data_upload_max_number_files,
            file_upload_max_memory_size: s.file_upload_max_memory_size,
        };
        let mut parser = MultiPartParser::new(limits, self.charset());
        if let Some(dir) = &s.file_upload_temp_dir {
            parser = parser.with_upload_dir(dir.clone());
        }
        let content_type = self
            .head
            .headers
            .get(http::header::CONTENT_TYPE)
            .map(|v| super::latin1(v.as_bytes()).into_owned())
            .unwrap_or_default();
        let body = match std::mem::replace(&mut self.body, BodyState::Taken) {
            BodyState::Unread(b) => b,
            BodyState::Read(bytes) => {
                // `request.body` was read first: parse from the cached bytes and keep them.
                self.body = BodyState::Read(bytes.clone());
                RequestBody::from(bytes)
            }
            BodyState::Taken => return Err(RawPostDataException.into()),
        };
        let stream = Box::pin(futures_util::stream::unfold(body, |mut b| async move {
            b.chunk().await.map(|chunk| (chunk, b))
        }));
        let (post, files) = parser.parse(&content_type, stream).await?;
        Ok((post, files))
    }
}

//! The request as a file-like object (Django's `HttpRequest.read`, `readline`, `readlines`
//! and iteration over lines): the body read incrementally, in constant memory.

use std::sync::PoisonError;

use bytes::{Bytes, BytesMut};

use super::body::RawPostDataException;
use super::content_encoding::body_error;
use super::HttpRequest;
use crate::core::exceptions::RequestDataTooBig;
use crate::http::body::RequestBody;
use crate::Error;

/// The body being read incrementally: what is left of the stream, and what was received but
/// not handed out yet.
pub(super) struct Reader {
    source: RequestBody,
    buffered: BytesMut,
    eof: bool,
}

impl Reader {
    pub(super) fn new(source: RequestBody) -> Self {
        Reader {
            source,
            buffered: BytesMut::new(),
            eof: false,
        }
    }

    /// Receives one more chunk; `false` at the end of the body.
    async fn fill(&mut self) -> Result<bool, Error> {
        if self.eof {
            return Ok(false);
        }
        match self.source.chunk().await {
            Some(chunk) => {
                self.buffered.extend_from_slice(&chunk.map_err(body_error)?);
                Ok(true)
            }
            None => {
                self.eof = true;
                Ok(false)
            }
        }
    }
}

impl HttpRequest {
    /// The reader, created on first use from the unread stream, or from the bytes if
    /// [`HttpRequest::body`] already read them (as Django reads `request` from `_body`).
    fn reader(&mut self) -> Result<&mut Reader, Error> {
        let started = self
            .inner
            .body
            .reader
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let reader = match started {
            Some(reader) => reader,
            None => Box::new(Reader::new(match self.inner.body.bytes.get() {
                Some(bytes) => RequestBody::from(bytes.clone()),
                None => {
                    let coding = self.body_coding(self.inner.body.stream_len().flatten())?;
                    let limit = self.inner.head.settings.data_upload_max_memory_size;
                    let stream = self
                        .inner
                        .body
                        .take_stream_mut()
                        .ok_or(RawPostDataException)?;
                    coding.apply(stream, limit)
                }
            })),
        };
        let body = &mut self.inner.body;
        let slot = body
            .reader
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        Ok(slot.insert(reader))
    }

    /// Reads up to `n` bytes of the body (Django's `request.read(n)`); fewer only at its end,
    /// an empty `Bytes` after it. Once the request is read this way, [`HttpRequest::body`] is
    /// Django's [`RawPostDataException`], unless the body had been read first.
    ///
    /// # Errors
    /// [`RawPostDataException`] if the stream was taken or parsed by `POST`; a transport error.
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut req = nuages::test::RequestFactory::new().post("/", "abcdef").build();
    /// assert_eq!(&req.read(4).await.unwrap()[..], b"abcd");
    /// assert_eq!(&req.read(4).await.unwrap()[..], b"ef");
    /// assert!(req.read(4).await.unwrap().is_empty());
    /// assert_eq!(
    ///     req.body().await.unwrap_err().to_string(),
    ///     "You cannot access body after reading from request's data stream"
    /// );
    /// # });
    /// ```
    pub async fn read(&mut self, n: usize) -> Result<Bytes, Error> {
        let reader = self.reader()?;
        while reader.buffered.len() < n && reader.fill().await? {}
        let take = n.min(reader.buffered.len());
        Ok(reader.buffered.split_to(take).freeze())
    }

    /// Reads the rest of the body (Django's `request.read()`), bounded by
    /// DATA_UPLOAD_MAX_MEMORY_SIZE.
    ///
    /// # Errors
    /// As [`HttpRequest::read`]; [`RequestDataTooBig`] over the limit.
    pub async fn read_to_end(&mut self) -> Result<Bytes, Error> {
        let limit = self.inner.head.settings.data_upload_max_memory_size;
        let reader = self.reader()?;
        while reader.fill().await? {
            if limit.is_some_and(|l| reader.buffered.len() as u64 > l) {
                return Err(RequestDataTooBig.into());
            }
        }
        Ok(reader.buffered.split().freeze())
    }

    /// Reads one line, with its `\n` (the last one may have none); empty at the end of the
    /// body (Django's `request.readline()`). A line longer than DATA_UPLOAD_MAX_MEMORY_SIZE is
    /// [`RequestDataTooBig`], never buffered without bound.
    ///
    /// # Errors
    /// As [`HttpRequest::read_to_end`].
    ///
    /// # Examples
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut req = nuages::test::RequestFactory::new().post("/", "a\nbc\nd").build();
    /// assert_eq!(&req.readline().await.unwrap()[..], b"a\n");
    /// let rest: Vec<_> = req.readlines().await.unwrap();
    /// assert_eq!(rest, ["bc\n", "d"]);
    /// # });
    /// ```
    pub async fn readline(&mut self) -> Result<Bytes, Error> {
        let limit = self.inner.head.settings.data_upload_max_memory_size;
        let reader = self.reader()?;
        let mut searched = 0;
        loop {
            if let Some(i) = reader.buffered[searched..].iter().position(|&b| b == b'\n') {
                return Ok(reader.buffered.split_to(searched + i + 1).freeze());
            }
            searched = reader.buffered.len();
            if limit.is_some_and(|l| searched as u64 > l) {
                return Err(RequestDataTooBig.into());
            }
            if !reader.fill().await? {
                return Ok(reader.buffered.split().freeze());
            }
        }
    }

    /// The remaining lines (Django's `request.readlines()`, and `for line in request`).
    ///
    /// # Errors
    /// As [`HttpRequest::readline`].
    pub async fn readlines(&mut self) -> Result<Vec<Bytes>, Error> {
        let mut lines = Vec::new();
        loop {
            let line = self.readline().await?;
            if line.is_empty() {
                return Ok(lines);
            }
            lines.push(line);
        }
    }
}

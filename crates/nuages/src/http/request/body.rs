//! Reading the request body (`request.body`, `request.POST`).

use bytes::{Bytes, BytesMut};
use http::Method;

use super::HttpRequest;
use crate::core::exceptions::{BadRequest, RequestDataTooBig};
use crate::http::body::RequestBody;
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
    /// `application/x-www-form-urlencoded` body; empty for other methods and content types.
    ///
    /// # Errors
    /// [`BadRequest`] for a urlencoded body declared in a charset other than UTF-8, the errors
    /// of [`HttpRequest::body`], and `TooManyFieldsSent`.
    #[doc(alias = "POST")]
    pub async fn form(&mut self) -> Result<&QueryDict, Error> {
        if self.post.is_none() {
            let parsed = self.load_post().await?;
            self.post = Some(parsed);
        }
        Ok(self.post.get_or_insert_with(QueryDict::new))
    }

    async fn load_post(&mut self) -> Result<QueryDict, Error> {
        if self.head.method != Method::POST {
            return Ok(QueryDict::new());
        }
        let ct = self.content_type();
        if ct != "application/x-www-form-urlencoded" {
            return Ok(QueryDict::new());
        }
        if let Some(cs) = self.content_params().get("charset") {
            let is_utf8 =
                crate::utils::charset::Charset::from_label(cs).is_some_and(|c| c.is_utf8());
            if !is_utf8 {
                return Err(BadRequest::new(
                    "HTTP requests with the 'application/x-www-form-urlencoded' content type must be UTF-8 encoded.",
                )
                .into());
            }
        }
        let max_fields = self.head.settings.data_upload_max_number_fields;
        let body = self.body().await?.clone();
        Ok(QueryDict::parse_bytes(
            &body,
            Some(&crate::utils::charset::Charset::UTF_8),
            max_fields,
        )?)
    }
}

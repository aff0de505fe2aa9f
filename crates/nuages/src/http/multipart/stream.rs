//! Django's multipart streams (`ChunkIter`, `LazyStream`, `BoundaryIter`), asynchronous.
//!
//! The request body is read in [`CHUNK_SIZE`] pieces, as Django's `ChunkIter` reads it with the
//! default upload handlers' `chunk_size`, whatever sizes the network delivers. [`Body`] is the
//! `LazyStream` over those pieces: bytes can be put back (`unget`). A [`Part`] is the
//! `LazyStream` over a `BoundaryIter`: it yields the body's bytes up to the next separator
//! (`--` and the boundary, with a CR, LF or CRLF before it dropped), then leaves the body just
//! after the separator. Like Django's, these streams only ever hold one chunk, a part's header
//! block and the separator's length of look-behind; nothing here grows with the body.
//!
//! Chunks are [`Rope`]s: the body is cut and joined at Django's offsets by slicing the pieces
//! received, never by copying them, so what a part yields are slices of the request body's
//! own buffers.
//!
//! The result does not depend on how the network splits the body: the separator is searched
//! for in the body as a whole, and the body is re-split at the same offsets as in Django.

use std::error::Error;

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt;
use memchr::memmem::Finder;

use super::rope::Rope;

/// Django's `chunk_size`: the smallest of the upload handlers' (`FileUploadHandler.chunk_size`,
/// 64 KiB).
pub(super) const CHUNK_SIZE: usize = 64 * 1024;

type BoxError = Box<dyn Error + Send + Sync>;

/// `LazyStream(ChunkIter(request, chunk_size))`: the request body, with bytes put back.
pub(super) struct Body<S> {
    input: S,
    /// Bytes received from `input` and not yet made into a chunk.
    pending: Bytes,
    /// `input` has ended.
    input_done: bool,
    /// Bytes put back (`unget`), returned before the next chunk.
    leftover: Rope,
}

impl<S> std::fmt::Debug for Body<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Body")
            .field("pending", &self.pending.len())
            .field("leftover", &self.leftover.len())
            .field("input_done", &self.input_done)
            .finish_non_exhaustive()
    }
}

impl<S, E> Body<S>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Into<BoxError>,
{
    pub(super) fn new(input: S) -> Self {
        Body {
            input,
            pending: Bytes::new(),
            input_done: false,
            leftover: Rope::new(),
        }
    }

    /// `ChunkIter.__next__`: the next [`CHUNK_SIZE`] bytes of the request (fewer at the end),
    /// as slices of the pieces received; `None` once it has ended. A failing `input` is an
    /// error.
    async fn read_chunk(&mut self) -> Result<Option<Rope>, BoxError> {
        let mut chunk = Rope::new();
        while chunk.len() < CHUNK_SIZE {
            if self.pending.is_empty() {
                if self.input_done {
                    break;
                }
                match self.input.next().await {
                    Some(piece) => self.pending = piece.map_err(Into::into)?,
                    None => self.input_done = true,
                }
                continue;
            }
            let want = CHUNK_SIZE - chunk.len();
            let piece = if self.pending.len() <= want {
                std::mem::take(&mut self.pending)
            } else {
                self.pending.split_to(want)
            };
            chunk.push(piece);
        }
        Ok((!chunk.is_empty()).then_some(chunk))
    }

    /// `LazyStream.__next__`: the bytes put back, else the next chunk.
    async fn next(&mut self) -> Result<Option<Rope>, BoxError> {
        if !self.leftover.is_empty() {
            return Ok(Some(std::mem::take(&mut self.leftover)));
        }
        self.read_chunk().await
    }

    /// `LazyStream.unget`.
    fn unget(&mut self, bytes: Rope) {
        self.leftover.prepend(bytes);
    }

    /// Whether bytes remain (`BoundaryIter.__init__`'s `read(1)`, which ends the parse with
    /// `InputStreamExhausted` when nothing is left).
    pub(super) async fn has_more(&mut self) -> Result<bool, BoxError> {
        match self.next().await? {
            Some(chunk) => {
                self.unget(chunk);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Reads the rest of the request (Django's final `exhaust(self._input_data)`).
    pub(super) async fn drain(&mut self) -> Result<(), BoxError> {
        self.leftover = Rope::new();
        self.pending = Bytes::new();
        while !self.input_done {
            match self.input.next().await {
                Some(chunk) => drop(chunk.map_err(Into::into)?),
                None => self.input_done = true,
            }
        }
        Ok(())
    }
}

/// One part: `LazyStream(BoundaryIter(body, separator))`.
#[derive(Debug)]
pub(super) struct Part<'s> {
    /// Searches for the separator (built once per body).
    separator: &'s Finder<'s>,
    /// `BoundaryIter._done`: the separator was found or the body ended.
    done: bool,
    /// Bytes put back onto the part.
    leftover: Rope,
}

impl<'s> Part<'s> {
    /// The part starting where `body` is now, ending at the next `separator`.
    pub(super) fn new(separator: &'s Finder<'s>) -> Self {
        Part {
            separator,
            done: false,
            leftover: Rope::new(),
        }
    }

    /// `LazyStream.__next__`: the next piece of the part (possibly empty); `None` at its end.
    pub(super) async fn next<S, E>(&mut self, body: &mut Body<S>) -> Result<Option<Rope>, BoxError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: Into<BoxError>,
    {
        if !self.leftover.is_empty() {
            return Ok(Some(std::mem::take(&mut self.leftover)));
        }
        self.boundary_next(body).await
    }

    /// `LazyStream.read(size)`: up to `size` bytes of the part, all of it for `None`.
    pub(super) async fn read<S, E>(
        &mut self,
        body: &mut Body<S>,
        size: Option<usize>,
    ) -> Result<Rope, BoxError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: Into<BoxError>,
    {
        let mut out = Rope::new();
        let mut remaining = size;
        while remaining != Some(0) {
            let Some(mut chunk) = self.next(body).await? else {
                break;
            };
            if let Some(left) = remaining {
                if chunk.len() > left {
                    self.unget(chunk.split_off(left));
                }
                remaining = Some(left - chunk.len());
            }
            out.append(chunk);
        }
        Ok(out)
    }

    /// `LazyStream.unget`.
    pub(super) fn unget(&mut self, bytes: Rope) {
        self.leftover.prepend(bytes);
    }

    /// `BoundaryIter.__next__`.
    async fn boundary_next<S, E>(&mut self, body: &mut Body<S>) -> Result<Option<Rope>, BoxError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: Into<BoxError>,
    {
        if self.done {
            return Ok(None);
        }
        // CRLF, the separator, "--" CRLF.
        let rollback = self.separator.needle().len() + 6;
        let mut chunk = Rope::new();
        loop {
            match body.next().await? {
                Some(bytes) => {
                    chunk.append(bytes);
                    if chunk.len() > rollback {
                        break;
                    }
                }
                None => {
                    self.done = true;
                    break;
                }
            }
        }
        if chunk.is_empty() {
            return Ok(None);
        }
        if let Some((end, next)) = find_boundary(&chunk, self.separator) {
            body.unget(chunk.split_off(next));
            chunk.truncate(end);
            self.done = true;
            return Ok(Some(chunk));
        }
        if chunk.len() <= rollback {
            // Nothing left: what there is is the end of the part.
            self.done = true;
            return Ok(Some(chunk));
        }
        // Keep back what could be the start of a separator.
        let tail = chunk.split_off(chunk.len() - rollback);
        body.unget(tail);
        Ok(Some(chunk))
    }
}

/// `BoundaryIter._find_boundary`: the end of the data before the first separator in `data`
/// (without the LF, then the CR, just before it) and the start of what follows it.
fn find_boundary(data: &Rope, separator: &Finder<'_>) -> Option<(usize, usize)> {
    let index = data.find(separator)?;
    let mut end = index;
    if end > 0 && data.get(end - 1) == Some(b'\n') {
        end -= 1;
    }
    if end > 0 && data.get(end - 1) == Some(b'\r') {
        end -= 1;
    }
    Some((end, index + separator.needle().len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::stream;

    fn body(
        pieces: &[&'static [u8]],
    ) -> Body<impl Stream<Item = Result<Bytes, std::io::Error>> + Unpin> {
        let pieces: Vec<_> = pieces.iter().map(|p| Ok(Bytes::from_static(p))).collect();
        Body::new(stream::iter(pieces))
    }

    async fn parts(pieces: &[&'static [u8]]) -> Vec<Vec<u8>> {
        let mut body = body(pieces);
        let mut out = Vec::new();
        let separator = Finder::new(b"--B");
        while body.has_more().await.unwrap() {
            let mut part = Part::new(&separator);
            out.push(
                part.read(&mut body, None)
                    .await
                    .unwrap()
                    .into_bytes()
                    .to_vec(),
            );
        }
        out
    }

    #[test]
    fn boundaries_drop_the_line_end_before_them() {
        let find = |data: &'static [u8]| {
            let separator = Finder::new(b"--B");
            let whole = find_boundary(&Rope::from(Bytes::from_static(data)), &separator);
            // The same wherever the data is cut.
            for at in 0..data.len() {
                let mut rope = Rope::from(Bytes::from_static(&data[..at]));
                rope.push(Bytes::from_static(&data[at..]));
                assert_eq!(find_boundary(&rope, &separator), whole, "cut at {at}");
            }
            whole
        };
        assert_eq!(find(b"ab\r\n--B"), Some((2, 7)));
        assert_eq!(find(b"ab\n--B"), Some((2, 6)));
        assert_eq!(find(b"ab\r--B"), Some((2, 6)));
        assert_eq!(find(b"ab\n\r--B"), Some((3, 7)));
        assert_eq!(find(b"--Bx"), Some((0, 3)));
        assert_eq!(find(b"ab-B"), None);
    }

    #[tokio::test]
    async fn parts_split_at_separators_wherever_the_network_splits() {
        let whole: &[&[u8]] = &[b"pre\r\n--B\r\nhead\r\n\r\nx--By\r\n--B--\r\n"];
        let expected: Vec<Vec<u8>> = vec![
            b"pre".to_vec(),
            b"\r\nhead\r\n\r\nx".to_vec(),
            b"y".to_vec(),
            b"--\r\n".to_vec(),
        ];
        assert_eq!(parts(whole).await, expected);
        let bytes: Vec<&'static [u8]> = whole[0].chunks(1).collect();
        assert_eq!(parts(&bytes).await, expected);
        // Nothing after the last separator: no last part.
        assert_eq!(parts(&[b"a--B"]).await, vec![b"a".to_vec()]);
    }

    #[tokio::test]
    async fn the_body_is_read_in_django_chunks() {
        let mut body = body(&[&[b'a'; 10], &[b'b'; CHUNK_SIZE], &[b'c'; 5]]);
        assert_eq!(body.next().await.unwrap().unwrap().len(), CHUNK_SIZE);
        let rest = body.next().await.unwrap().unwrap().into_bytes();
        assert_eq!(&rest[..], &[&[b'b'; 10][..], &[b'c'; 5][..]].concat()[..]);
        assert!(body.next().await.unwrap().is_none());
    }
}

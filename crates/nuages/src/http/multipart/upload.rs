//! Receiving a file's content (Django's `MemoryFileUploadHandler` and
//! `TemporaryFileUploadHandler`): kept in memory up to `FILE_UPLOAD_MAX_MEMORY_SIZE` bytes,
//! moved to a temporary file as soon as it grows past it and streamed there from then on.

use std::io;
use std::path::{Path, PathBuf};

use bytes::{Bytes, BytesMut};
use tempfile::TempPath;
use tokio::io::AsyncWriteExt;

use crate::core::files::uploadedfile::{split_ext, FileStorage, TemporaryFile};

/// The most a write to a temporary file hands tokio's blocking thread at a time.
const WRITE_BUFFER: usize = 64 * 1024;

/// Longest extension carried over into the temporary file's name.
const MAX_SUFFIX_EXT: usize = 64;

/// Where a file being received goes.
pub(super) struct FileSink<'a> {
    dir: Option<&'a Path>,
    limit: u64,
    suffix: String,
    size: u64,
    state: State,
}

enum State {
    /// The pieces received, joined once at the end into one buffer of the exact size (growing
    /// one buffer by doubling would allocate and free ever larger blocks, up to twice the
    /// limit, which fragments the allocator's heap under a stream of uploads).
    Memory(Vec<Bytes>),
    Disk {
        file: tokio::fs::File,
        path: TempPath,
    },
}

impl<'a> FileSink<'a> {
    /// A sink for the file `name`, spilling to a temporary file in `dir` (the system's
    /// temporary directory if `None`) past `limit` bytes.
    pub(super) fn new(dir: Option<&'a Path>, limit: u64, name: &str) -> Self {
        // Django names temporary uploads "tmp<random>.upload<ext>".
        let (_, ext) = split_ext(name);
        let ext = if ext.len() <= MAX_SUFFIX_EXT { ext } else { "" };
        FileSink {
            dir,
            limit,
            suffix: format!(".upload{ext}"),
            size: 0,
            state: State::Memory(Vec::new()),
        }
    }

    /// Appends `data`.
    pub(super) async fn write(&mut self, data: &[u8]) -> io::Result<()> {
        if data.is_empty() {
            return Ok(());
        }
        self.size = self
            .size
            .saturating_add(u64::try_from(data.len()).unwrap_or(u64::MAX));
        match &mut self.state {
            State::Memory(pieces) if self.size <= self.limit => {
                pieces.push(Bytes::copy_from_slice(data));
                Ok(())
            }
            State::Memory(pieces) => {
                let buffered = std::mem::take(pieces);
                let (mut file, path) = create_temp(self.dir, &self.suffix).await?;
                for piece in &buffered {
                    file.write_all(piece).await?;
                }
                file.write_all(data).await?;
                self.state = State::Disk { file, path };
                Ok(())
            }
            State::Disk { file, .. } => file.write_all(data).await,
        }
    }

    /// The size received and where the content is.
    pub(super) async fn finish(self) -> io::Result<(u64, FileStorage)> {
        let storage = match self.state {
            State::Memory(pieces) => FileStorage::InMemory(join(pieces)),
            State::Disk { mut file, path } => {
                file.flush().await?;
                drop(file);
                FileStorage::Temporary(TemporaryFile::new(path))
            }
        };
        Ok((self.size, storage))
    }
}

/// The pieces as one buffer, allocated once at its size.
fn join(mut pieces: Vec<Bytes>) -> Bytes {
    if pieces.len() == 1 {
        return pieces.pop().unwrap_or_default();
    }
    let mut out = BytesMut::with_capacity(pieces.iter().map(Bytes::len).sum());
    for piece in &pieces {
        out.extend_from_slice(piece);
    }
    out.freeze()
}

/// Creates a temporary file (`tempfile.NamedTemporaryFile(suffix=..., dir=...)`).
async fn create_temp(dir: Option<&Path>, suffix: &str) -> io::Result<(tokio::fs::File, TempPath)> {
    let dir: PathBuf = dir.map_or_else(std::env::temp_dir, Path::to_path_buf);
    let suffix = suffix.to_owned();
    let file = tokio::task::spawn_blocking(move || {
        tempfile::Builder::new()
            .prefix("tmp")
            .suffix(&suffix)
            .tempfile_in(dir)
    })
    .await
    .map_err(io::Error::other)??;
    let (file, path) = file.into_parts();
    let mut file = tokio::fs::File::from_std(file);
    // tokio copies each write into a buffer of up to 2 MiB for its blocking thread; small
    // ones are cheaper and do not fragment the heap of a long-running server.
    file.set_max_buf_size(WRITE_BUFFER);
    Ok((file, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn spills_past_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let mut sink = FileSink::new(Some(dir.path()), 4, "a.tar.gz");
        sink.write(b"abcd").await.unwrap();
        let mut small = FileSink::new(Some(dir.path()), 4, "b");
        small.write(b"abcd").await.unwrap();
        let (size, storage) = small.finish().await.unwrap();
        assert_eq!(size, 4);
        assert!(matches!(storage, FileStorage::InMemory(ref b) if b == "abcd"));

        sink.write(b"e").await.unwrap();
        sink.write(b"fg").await.unwrap();
        let (size, storage) = sink.finish().await.unwrap();
        assert_eq!(size, 7);
        let FileStorage::Temporary(file) = storage else {
            panic!("expected a temporary file");
        };
        let name = file
            .path()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            name.starts_with("tmp") && name.ends_with(".upload.gz"),
            "{name}"
        );
        assert_eq!(file.path().parent(), Some(dir.path()));
        assert_eq!(std::fs::read(file.path()).unwrap(), b"abcdefg");
    }
}

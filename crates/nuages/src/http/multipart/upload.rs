//! Receiving a file's content (Django's `MemoryFileUploadHandler` and
//! `TemporaryFileUploadHandler`): kept in memory up to `FILE_UPLOAD_MAX_MEMORY_SIZE` bytes,
//! moved to a temporary file as soon as it grows past it and streamed there from then on.

use std::io;
use std::path::{Path, PathBuf};

use bytes::BytesMut;
use tempfile::TempPath;
use tokio::io::AsyncWriteExt;

use crate::core::files::uploadedfile::{split_ext, FileStorage, TemporaryFile};

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
    Memory(BytesMut),
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
            state: State::Memory(BytesMut::new()),
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
            State::Memory(buf) if self.size <= self.limit => {
                buf.extend_from_slice(data);
                Ok(())
            }
            State::Memory(buf) => {
                let buffered = std::mem::take(buf);
                let (mut file, path) = create_temp(self.dir, &self.suffix).await?;
                file.write_all(&buffered).await?;
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
            State::Memory(buf) => FileStorage::InMemory(buf.freeze()),
            State::Disk { mut file, path } => {
                file.flush().await?;
                drop(file);
                FileStorage::Temporary(TemporaryFile::new(path))
            }
        };
        Ok((self.size, storage))
    }
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
    Ok((tokio::fs::File::from_std(file), path))
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

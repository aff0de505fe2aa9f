//! Receiving a file's content (Django's `MemoryFileUploadHandler` and
//! `TemporaryFileUploadHandler`): kept in memory up to `FILE_UPLOAD_MAX_MEMORY_SIZE` bytes,
//! moved to a temporary file as soon as it grows past it and streamed there from then on.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use bytes::Bytes;
use tempfile::TempPath;

use super::rope::Rope;
use crate::core::files::uploadedfile::{split_ext, FileStorage, InMemoryContent, TemporaryFile};

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
    /// The pieces received, as received: slices of the request body's buffers, not copied
    /// (a buffer grown by doubling would also allocate and free ever larger blocks under a
    /// stream of uploads).
    Memory(Vec<Bytes>),
    /// A temporary file, deleted with `path` if the file is not kept. `file` is `None` while a
    /// blocking thread writes to it, and after a write failed.
    Disk {
        file: Option<std::fs::File>,
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

    /// Appends `data`: keeps its pieces in memory up to the limit, else writes them (and those
    /// kept so far) to the temporary file, in one blocking task per call.
    pub(super) async fn write(&mut self, data: Rope) -> io::Result<()> {
        if data.is_empty() {
            return Ok(());
        }
        self.size = self
            .size
            .saturating_add(u64::try_from(data.len()).unwrap_or(u64::MAX));
        match &mut self.state {
            State::Memory(pieces) if self.size <= self.limit => {
                pieces.extend(data.into_pieces());
                Ok(())
            }
            State::Memory(pieces) => {
                let mut all = Rope::new();
                for piece in std::mem::take(pieces) {
                    all.push(piece);
                }
                all.append(data);
                let (file, path) = create_temp(self.dir, &self.suffix).await?;
                // The path is held first, so that a failed write deletes the file.
                self.state = State::Disk { file: None, path };
                let file = write_all(file, all).await?;
                if let State::Disk { file: slot, .. } = &mut self.state {
                    *slot = Some(file);
                }
                Ok(())
            }
            State::Disk { file, .. } => {
                let open = file
                    .take()
                    .ok_or_else(|| io::Error::other("the temporary file failed"))?;
                *file = Some(write_all(open, data).await?);
                Ok(())
            }
        }
    }

    /// The size received and where the content is.
    pub(super) async fn finish(self) -> io::Result<(u64, FileStorage)> {
        let storage = match self.state {
            State::Memory(pieces) => FileStorage::InMemory(InMemoryContent::from_iter(pieces)),
            State::Disk { file, path } => {
                if file.is_none() {
                    return Err(io::Error::other("the temporary file failed"));
                }
                FileStorage::Temporary(TemporaryFile::new(path))
            }
        };
        Ok((self.size, storage))
    }
}

/// Writes `data` to `file` on a blocking thread, from the pieces themselves (tokio's `File`
/// would copy them into a buffer of its own first).
async fn write_all(mut file: std::fs::File, data: Rope) -> io::Result<std::fs::File> {
    tokio::task::spawn_blocking(move || {
        for piece in data.into_pieces() {
            file.write_all(&piece)?;
        }
        Ok(file)
    })
    .await
    .map_err(io::Error::other)?
}

/// Creates a temporary file (`tempfile.NamedTemporaryFile(suffix=..., dir=...)`).
async fn create_temp(dir: Option<&Path>, suffix: &str) -> io::Result<(std::fs::File, TempPath)> {
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
    Ok(file.into_parts())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rope(data: &'static [u8]) -> Rope {
        Rope::from(Bytes::from_static(data))
    }

    #[tokio::test]
    async fn spills_past_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let mut sink = FileSink::new(Some(dir.path()), 4, "a.tar.gz");
        sink.write(rope(b"abcd")).await.unwrap();
        let mut small = FileSink::new(Some(dir.path()), 4, "b");
        small.write(rope(b"abcd")).await.unwrap();
        let (size, storage) = small.finish().await.unwrap();
        assert_eq!(size, 4);
        assert!(matches!(storage, FileStorage::InMemory(ref b) if *b == b"abcd"[..]));

        sink.write(rope(b"e")).await.unwrap();
        sink.write(rope(b"fg")).await.unwrap();
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

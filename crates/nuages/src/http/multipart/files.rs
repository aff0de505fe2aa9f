//! [`Files`]: `request.FILES`.

use indexmap::IndexMap;

use crate::core::files::uploadedfile::UploadedFile;

/// The uploaded files of a request (Django's `request.FILES`, a `MultiValueDict`): field
/// names, in order of first appearance, each with the files sent under it, in order.
///
/// # Examples
///
/// ```
/// use nuages::core::files::uploadedfile::UploadedFile;
/// use nuages::http::multipart::Files;
///
/// let mut files = Files::new();
/// files.append("docs", UploadedFile::in_memory("a.txt", "A", "text/plain")?);
/// files.append("docs", UploadedFile::in_memory("b.txt", "B", "text/plain")?);
/// assert_eq!(files.len(), 1);
/// assert_eq!(files.get("docs").map(|f| f.name()), Some("b.txt"));
/// assert_eq!(files.get_list("docs").len(), 2);
/// assert!(files.get_list("other").is_empty());
/// # Ok::<(), nuages::core::files::uploadedfile::InvalidFileName>(())
/// ```
#[derive(Debug, Default)]
#[doc(alias = "MultiValueDict", alias = "FILES")]
pub struct Files {
    lists: IndexMap<String, Vec<UploadedFile>>,
}

impl Files {
    /// No files.
    pub fn new() -> Self {
        Files::default()
    }

    /// Adds `file` under `key`, after the files already there (Django's `appendlist`).
    #[doc(alias = "appendlist")]
    pub fn append(&mut self, key: impl Into<String>, file: UploadedFile) {
        self.lists.entry(key.into()).or_default().push(file);
    }

    /// The last file sent under `key`.
    pub fn get(&self, key: &str) -> Option<&UploadedFile> {
        self.lists.get(key).and_then(|files| files.last())
    }

    /// All the files sent under `key` (empty if none).
    #[doc(alias = "getlist")]
    pub fn get_list(&self, key: &str) -> &[UploadedFile] {
        self.lists.get(key).map_or(&[], Vec::as_slice)
    }

    /// Whether files were sent under `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.lists.contains_key(key)
    }

    /// Number of field names.
    pub fn len(&self) -> usize {
        self.lists.len()
    }

    /// Whether no file was sent.
    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }

    /// The field names, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator + '_ {
        self.lists.keys().map(String::as_str)
    }

    /// Each field name with its last file (Django's `items()`).
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&str, &UploadedFile)> + '_ {
        self.lists
            .iter()
            .filter_map(|(key, files)| Some((key.as_str(), files.last()?)))
    }

    /// Each field name with all its files.
    pub fn lists(&self) -> impl DoubleEndedIterator<Item = (&str, &[UploadedFile])> + '_ {
        self.lists
            .iter()
            .map(|(key, files)| (key.as_str(), files.as_slice()))
    }

    /// Removes and returns the files sent under `key` (Django's `pop`).
    #[doc(alias = "pop")]
    pub fn remove(&mut self, key: &str) -> Option<Vec<UploadedFile>> {
        self.lists.shift_remove(key)
    }
}

impl IntoIterator for Files {
    type Item = (String, Vec<UploadedFile>);
    type IntoIter = indexmap::map::IntoIter<String, Vec<UploadedFile>>;

    fn into_iter(self) -> Self::IntoIter {
        self.lists.into_iter()
    }
}

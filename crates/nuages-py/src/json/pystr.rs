//! `PyStr`: a Python `str`, i.e. any sequence of code points including lone
//! surrogates (which `json.loads` produces from `"\ud800"`).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde::ser::{Serialize, Serializer};

use super::config::GEN_UTF8_STR;
use super::write::decode_gen_utf8;

/// A Python string: a sequence of Unicode code points that, unlike Rust's
/// `str`, may contain lone surrogates (U+D800..U+DFFF).
///
/// Strings without surrogates are stored as a plain `String`; the others as
/// "generalised UTF-8" (every code point encoded on its own with the UTF-8
/// scheme, surrogates included), so equality, hashing and ordering follow
/// Python's code point semantics.
///
/// # Examples
///
/// ```
/// use nuages_py::json::PyStr;
///
/// let plain = PyStr::from("café");
/// assert_eq!(plain.as_str(), Some("café"));
/// let lone = PyStr::from_code_points([0x61, 0xd800]).unwrap();
/// assert_eq!(lone.as_str(), None);
/// assert_eq!(lone.to_string_lossy(), "a\u{fffd}");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct PyStr(Repr);

#[derive(Clone, PartialEq, Eq)]
enum Repr {
    Utf8(String),
    /// Generalised UTF-8 holding at least one surrogate.
    Surrogates(Box<[u8]>),
}

/// `ED A0..BF xx` is an encoded surrogate in generalised UTF-8.
fn contains_surrogate(bytes: &[u8]) -> bool {
    bytes
        .windows(2)
        .any(|w| w[0] == 0xed && (0xa0..=0xbf).contains(&w[1]))
}

/// Encodes one code point with the UTF-8 scheme (surrogates included).
pub(crate) fn push_code_point(buf: &mut Vec<u8>, cp: u32) {
    match cp {
        0..=0x7f => buf.push(cp as u8),
        0x80..=0x7ff => buf.extend_from_slice(&[0xc0 | (cp >> 6) as u8, 0x80 | (cp & 0x3f) as u8]),
        0x800..=0xffff => buf.extend_from_slice(&[
            0xe0 | (cp >> 12) as u8,
            0x80 | ((cp >> 6) & 0x3f) as u8,
            0x80 | (cp & 0x3f) as u8,
        ]),
        _ => buf.extend_from_slice(&[
            0xf0 | (cp >> 18) as u8,
            0x80 | ((cp >> 12) & 0x3f) as u8,
            0x80 | ((cp >> 6) & 0x3f) as u8,
            0x80 | (cp & 0x3f) as u8,
        ]),
    }
}

impl PyStr {
    /// Builds a string from generalised UTF-8 produced by this crate.
    pub(crate) fn from_gen_utf8(bytes: Vec<u8>) -> Self {
        if contains_surrogate(&bytes) {
            return Self(Repr::Surrogates(bytes.into_boxed_slice()));
        }
        match String::from_utf8(bytes) {
            Ok(s) => Self(Repr::Utf8(s)),
            Err(e) => Self(Repr::Utf8(
                String::from_utf8_lossy(e.as_bytes()).into_owned(),
            )),
        }
    }

    /// Builds a string from code points; `None` if one is above U+10FFFF.
    pub fn from_code_points<I: IntoIterator<Item = u32>>(code_points: I) -> Option<Self> {
        let mut buf = Vec::new();
        for cp in code_points {
            if cp > 0x10_ffff {
                return None;
            }
            push_code_point(&mut buf, cp);
        }
        Some(Self::from_gen_utf8(buf))
    }

    /// The string as `&str`, or `None` if it holds lone surrogates.
    pub fn as_str(&self) -> Option<&str> {
        match &self.0 {
            Repr::Utf8(s) => Some(s),
            Repr::Surrogates(_) => None,
        }
    }

    /// Whether the string holds lone surrogates (and so is not valid UTF-8).
    pub fn has_surrogates(&self) -> bool {
        matches!(self.0, Repr::Surrogates(_))
    }

    /// The generalised UTF-8 bytes (plain UTF-8 when there is no surrogate).
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Utf8(s) => s.as_bytes(),
            Repr::Surrogates(b) => b,
        }
    }

    /// The code points, in order.
    pub fn code_points(&self) -> impl Iterator<Item = u32> + '_ {
        let bytes = self.as_bytes();
        let mut i = 0;
        std::iter::from_fn(move || {
            (i < bytes.len()).then(|| {
                let (cp, len) = decode_gen_utf8(bytes, i);
                i += len;
                cp
            })
        })
    }

    /// The string with every lone surrogate replaced by U+FFFD.
    pub fn to_string_lossy(&self) -> Cow<'_, str> {
        match &self.0 {
            Repr::Utf8(s) => Cow::Borrowed(s),
            Repr::Surrogates(_) => Cow::Owned(
                self.code_points()
                    .map(|cp| char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER))
                    .collect(),
            ),
        }
    }

    /// Python's `len()`: the number of code points.
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Utf8(s) => s.chars().count(),
            Repr::Surrogates(_) => self.code_points().count(),
        }
    }

    /// Whether the string is empty.
    pub fn is_empty(&self) -> bool {
        self.as_bytes().is_empty()
    }
}

impl Default for PyStr {
    fn default() -> Self {
        Self(Repr::Utf8(String::new()))
    }
}

impl From<String> for PyStr {
    fn from(s: String) -> Self {
        Self(Repr::Utf8(s))
    }
}

impl From<&str> for PyStr {
    fn from(s: &str) -> Self {
        Self(Repr::Utf8(s.to_owned()))
    }
}

impl PartialEq<str> for PyStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for PyStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl Hash for PyStr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Hashes like `str` so that `&str` lookups work (`Equivalent`).
        match &self.0 {
            Repr::Utf8(s) => s.as_str().hash(state),
            Repr::Surrogates(b) => {
                state.write(b);
                state.write_u8(0xff);
            }
        }
    }
}

impl indexmap::Equivalent<PyStr> for str {
    fn equivalent(&self, key: &PyStr) -> bool {
        key.as_str() == Some(self)
    }
}

impl Ord for PyStr {
    /// Python's order: code point by code point.
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl PartialOrd for PyStr {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PyStr {
    /// Lossy: lone surrogates are shown as U+FFFD.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_string_lossy())
    }
}

impl fmt::Debug for PyStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Utf8(s) => fmt::Debug::fmt(s, f),
            Repr::Surrogates(_) => {
                f.write_str("\"")?;
                for cp in self.code_points() {
                    match char::from_u32(cp) {
                        Some(c) => write!(f, "{}", c.escape_debug())?,
                        None => write!(f, "\\u{{{cp:x}}}")?,
                    }
                }
                f.write_str("\"")
            }
        }
    }
}

/// Payload of the private newtype: bytes for this crate's serializer, a
/// lossy string for any other human-readable format.
struct GenUtf8<'a>(&'a PyStr);

impl Serialize for GenUtf8<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.serialize_str(&self.0.to_string_lossy())
        } else {
            serializer.serialize_bytes(self.0.as_bytes())
        }
    }
}

impl Serialize for PyStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Utf8(s) => serializer.serialize_str(s),
            Repr::Surrogates(_) => {
                serializer.serialize_newtype_struct(GEN_UTF8_STR, &GenUtf8(self))
            }
        }
    }
}

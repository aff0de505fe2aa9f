//! Errors of [`loads`](super::loads), one type per Python exception class.

use std::fmt;

use super::pyjson::INT_MAX_STR_DIGITS;

/// Python's `json.JSONDecodeError`: invalid JSON syntax.
///
/// `Display` is Python's message, e.g.
/// `Expecting value: line 1 column 1 (char 0)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonDecodeError {
    msg: &'static str,
    pos: usize,
    lineno: usize,
    colno: usize,
}

impl JsonDecodeError {
    /// Builds the error for byte offset `byte_pos` of the decoded document
    /// (positions are reported in code points, like Python).
    pub(crate) fn at(msg: &'static str, doc: &[u8], byte_pos: usize) -> Self {
        let prefix = &doc[..byte_pos.min(doc.len())];
        let chars = |bytes: &[u8]| bytes.iter().filter(|&&b| b & 0xc0 != 0x80).count();
        let pos = chars(prefix);
        let lineno = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
        let colno = match prefix.iter().rposition(|&b| b == b'\n') {
            Some(nl) => pos - chars(&prefix[..nl]),
            None => pos + 1,
        };
        Self {
            msg,
            pos,
            lineno,
            colno,
        }
    }

    /// The unformatted message (`Expecting value`, `Extra data`, …).
    pub fn msg(&self) -> &'static str {
        self.msg
    }

    /// Index (in code points) where parsing failed.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Line of `pos`, starting at 1.
    pub fn lineno(&self) -> usize {
        self.lineno
    }

    /// Column of `pos`, starting at 1.
    pub fn colno(&self) -> usize {
        self.colno
    }
}

impl fmt::Display for JsonDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: line {} column {} (char {})",
            self.msg, self.lineno, self.colno, self.pos
        )
    }
}

impl std::error::Error for JsonDecodeError {}

/// Python's `UnicodeDecodeError` raised while decoding the request bytes
/// (`bytes.decode(detect_encoding(b), 'surrogatepass')`).
///
/// `Display` is Python's message, e.g.
/// `'utf-8' codec can't decode byte 0xff in position 0: invalid start byte`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnicodeDecodeError {
    pub(crate) encoding: &'static str,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) byte: u8,
    pub(crate) reason: &'static str,
}

impl UnicodeDecodeError {
    /// The codec name (`utf-8`, `utf-16-le`, `utf-32-be`, …).
    pub fn encoding(&self) -> &'static str {
        self.encoding
    }

    /// Byte range of the undecodable input.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// The reason (`invalid start byte`, `truncated data`, …).
    pub fn reason(&self) -> &'static str {
        self.reason
    }
}

impl fmt::Display for UnicodeDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.end == self.start + 1 {
            write!(
                f,
                "'{}' codec can't decode byte 0x{:02x} in position {}: {}",
                self.encoding, self.byte, self.start, self.reason
            )
        } else {
            write!(
                f,
                "'{}' codec can't decode bytes in position {}-{}: {}",
                self.encoding,
                self.start,
                self.end.saturating_sub(1),
                self.reason
            )
        }
    }
}

impl std::error::Error for UnicodeDecodeError {}

/// What [`loads`](super::loads) can fail with. The variants are distinct
/// Python exception classes: only [`LoadsError::Decode`] is a
/// `JSONDecodeError` (Django views usually catch just that one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadsError {
    /// `json.JSONDecodeError`: invalid JSON.
    Decode(JsonDecodeError),
    /// `UnicodeDecodeError`: the bytes are not valid in the detected encoding.
    Unicode(UnicodeDecodeError),
    /// `RecursionError`: containers nested deeper than the limit.
    Recursion {
        /// `"object"` or `"array"`: the container that hit the limit.
        container: &'static str,
    },
    /// `ValueError`: an integer literal longer than
    /// [`INT_MAX_STR_DIGITS`] digits.
    IntTooLong {
        /// Number of digits of the literal.
        digits: usize,
    },
}

impl LoadsError {
    /// The Python exception class name.
    pub fn python_exception(&self) -> &'static str {
        match self {
            LoadsError::Decode(_) => "JSONDecodeError",
            LoadsError::Unicode(_) => "UnicodeDecodeError",
            LoadsError::Recursion { .. } => "RecursionError",
            LoadsError::IntTooLong { .. } => "ValueError",
        }
    }

    /// Whether this is a `json.JSONDecodeError`.
    pub fn is_decode_error(&self) -> bool {
        matches!(self, LoadsError::Decode(_))
    }
}

impl fmt::Display for LoadsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadsError::Decode(e) => e.fmt(f),
            LoadsError::Unicode(e) => e.fmt(f),
            LoadsError::Recursion { container } => write!(
                f,
                "maximum recursion depth exceeded while decoding a JSON {container} \
                 from a unicode string"
            ),
            LoadsError::IntTooLong { digits } => write!(
                f,
                "Exceeds the limit ({INT_MAX_STR_DIGITS} digits) for integer string \
                 conversion: value has {digits} digits; use sys.set_int_max_str_digits() \
                 to increase the limit"
            ),
        }
    }
}

impl std::error::Error for LoadsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoadsError::Decode(e) => Some(e),
            LoadsError::Unicode(e) => Some(e),
            _ => None,
        }
    }
}

impl_from!(LoadsError {
    JsonDecodeError => |e| LoadsError::Decode(e),
    UnicodeDecodeError => |e| LoadsError::Unicode(e),
});

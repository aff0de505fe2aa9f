//! `json.loads` step 2: CPython's `_json` scanner (`scan_once_unicode`,
//! `scanstring_unicode`, `_match_number_unicode`), made iterative so that
//! hostile nesting cannot overflow the stack.

use indexmap::IndexMap;

use super::error::{JsonDecodeError, LoadsError};
use super::pyjson::{PyInt, PyJson, INT_MAX_STR_DIGITS};
use super::pystr::{push_code_point, PyStr};

/// Failure inside the scanner; positions are byte offsets.
#[derive(Debug)]
enum ScanError {
    /// `StopIteration(idx)`: reported as `Expecting value` at `idx`.
    Stop(usize),
    Msg(&'static str, usize),
    Recursion(&'static str),
    IntTooLong(usize),
}

type Scan<T> = Result<T, ScanError>;

const fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// A container being filled.
#[derive(Debug)]
enum Frame {
    Array(Vec<PyJson>),
    Object(IndexMap<PyStr, PyJson>, PyStr),
}

/// String contents being unescaped.
#[derive(Debug)]
enum StrBuf {
    Utf8(String),
    Gen(Vec<u8>),
}

impl StrBuf {
    fn push_code_point(&mut self, cp: u32) {
        match self {
            StrBuf::Utf8(s) => match char::from_u32(cp) {
                Some(c) => s.push(c),
                None => {
                    let mut bytes = std::mem::take(s).into_bytes();
                    push_code_point(&mut bytes, cp);
                    *self = StrBuf::Gen(bytes);
                }
            },
            StrBuf::Gen(v) => push_code_point(v, cp),
        }
    }

    fn finish(self) -> PyStr {
        match self {
            StrBuf::Utf8(s) => PyStr::from(s),
            StrBuf::Gen(v) => PyStr::from_gen_utf8(v),
        }
    }
}

fn hex4(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |acc, &d| {
        char::from(d).to_digit(16).map(|v| (acc << 4) | v)
    })
}

/// The scanner over a decoded document.
#[derive(Debug)]
pub(crate) struct Scanner<'t> {
    bytes: &'t [u8],
    /// The same document as `&str` when it holds no lone surrogate.
    text: Option<&'t str>,
    depth: usize,
    max_depth: usize,
}

impl<'t> Scanner<'t> {
    pub(crate) fn new(bytes: &'t [u8], text: Option<&'t str>, max_depth: usize) -> Self {
        Self {
            bytes,
            text,
            depth: 0,
            max_depth,
        }
    }

    fn skip_ws(&self, mut idx: usize) -> usize {
        while idx < self.bytes.len() && is_ws(self.bytes[idx]) {
            idx += 1;
        }
        idx
    }

    fn at(&self, idx: usize) -> Option<u8> {
        self.bytes.get(idx).copied()
    }

    /// `JSONDecoder.decode`: whitespace, one value, whitespace, end.
    pub(crate) fn decode(mut self) -> Result<PyJson, LoadsError> {
        let start = self.skip_ws(0);
        let result = self.scan_value(start).and_then(|(value, end)| {
            let end = self.skip_ws(end);
            if end == self.bytes.len() {
                Ok(value)
            } else {
                Err(ScanError::Msg("Extra data", end))
            }
        });
        result.map_err(|e| match e {
            ScanError::Stop(idx) => {
                LoadsError::Decode(JsonDecodeError::at("Expecting value", self.bytes, idx))
            }
            ScanError::Msg(msg, idx) => {
                LoadsError::Decode(JsonDecodeError::at(msg, self.bytes, idx))
            }
            ScanError::Recursion(container) => LoadsError::Recursion { container },
            ScanError::IntTooLong(digits) => LoadsError::IntTooLong { digits },
        })
    }

    fn enter(&mut self, container: &'static str) -> Scan<()> {
        if self.depth >= self.max_depth {
            return Err(ScanError::Recursion(container));
        }
        self.depth += 1;
        Ok(())
    }

    /// Reads `"key"` (whitespace before `:` skipped), the `:` and the
    /// whitespace after it; returns the key and the index of the value.
    fn object_key(&self, idx: usize) -> Scan<(PyStr, usize)> {
        if self.at(idx) != Some(b'"') {
            return Err(ScanError::Msg(
                "Expecting property name enclosed in double quotes",
                idx,
            ));
        }
        let (key, next) = self.scan_string(idx + 1)?;
        let idx = self.skip_ws(next);
        if self.at(idx) != Some(b':') {
            return Err(ScanError::Msg("Expecting ':' delimiter", idx));
        }
        Ok((key, self.skip_ws(idx + 1)))
    }

    /// `scan_once_unicode` without native recursion.
    fn scan_value(&mut self, mut idx: usize) -> Scan<(PyJson, usize)> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            // Parse one value starting at `idx`, or open a container.
            let (mut value, mut next) = match self.at(idx) {
                None => return Err(ScanError::Stop(idx)),
                Some(b'[') => {
                    self.enter("array")?;
                    let inner = self.skip_ws(idx + 1);
                    if self.at(inner) == Some(b']') {
                        self.depth -= 1;
                        (PyJson::Array(Vec::new()), inner + 1)
                    } else {
                        stack.push(Frame::Array(Vec::new()));
                        idx = inner;
                        continue;
                    }
                }
                Some(b'{') => {
                    self.enter("object")?;
                    let inner = self.skip_ws(idx + 1);
                    if self.at(inner) == Some(b'}') {
                        self.depth -= 1;
                        (PyJson::Object(IndexMap::new()), inner + 1)
                    } else {
                        let (key, value_idx) = self.object_key(inner)?;
                        stack.push(Frame::Object(IndexMap::new(), key));
                        idx = value_idx;
                        continue;
                    }
                }
                Some(_) => self.scan_scalar(idx)?,
            };
            // Attach the finished value to its container(s).
            loop {
                let Some(frame) = stack.last_mut() else {
                    return Ok((value, next));
                };
                let (close, item_sep_idx) = match frame {
                    Frame::Array(items) => {
                        items.push(value);
                        (b']', self.skip_ws(next))
                    }
                    Frame::Object(map, key) => {
                        map.insert(std::mem::take(key), value);
                        (b'}', self.skip_ws(next))
                    }
                };
                match self.at(item_sep_idx) {
                    Some(b) if b == close => {
                        self.depth -= 1;
                        value = match stack.pop() {
                            Some(Frame::Array(items)) => PyJson::Array(items),
                            Some(Frame::Object(map, _)) => PyJson::Object(map),
                            None => PyJson::Null,
                        };
                        next = item_sep_idx + 1;
                    }
                    Some(b',') => {
                        let after = self.skip_ws(item_sep_idx + 1);
                        idx = match frame {
                            Frame::Array(_) => after,
                            Frame::Object(_, key) => {
                                let (new_key, value_idx) = self.object_key(after)?;
                                *key = new_key;
                                value_idx
                            }
                        };
                        break;
                    }
                    _ => return Err(ScanError::Msg("Expecting ',' delimiter", item_sep_idx)),
                }
            }
        }
    }

    fn starts_with_at(&self, idx: usize, word: &[u8]) -> bool {
        self.bytes
            .get(idx..idx + word.len())
            .is_some_and(|w| w == word)
    }

    /// Strings, constants and numbers.
    fn scan_scalar(&self, idx: usize) -> Scan<(PyJson, usize)> {
        let constants: [(&[u8], PyJson); 6] = [
            (b"null", PyJson::Null),
            (b"true", PyJson::Bool(true)),
            (b"false", PyJson::Bool(false)),
            (b"NaN", PyJson::Float(f64::NAN)),
            (b"Infinity", PyJson::Float(f64::INFINITY)),
            (b"-Infinity", PyJson::Float(f64::NEG_INFINITY)),
        ];
        if self.at(idx) == Some(b'"') {
            let (s, next) = self.scan_string(idx + 1)?;
            return Ok((PyJson::Str(s), next));
        }
        for (word, value) in constants {
            if self.starts_with_at(idx, word) {
                return Ok((value, idx + word.len()));
            }
        }
        self.match_number(idx)
    }

    /// `_match_number_unicode`.
    fn match_number(&self, start: usize) -> Scan<(PyJson, usize)> {
        let b = self.bytes;
        let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
        let end_idx = b.len() - 1;
        let mut idx = start;
        if b[idx] == b'-' {
            idx += 1;
            if idx > end_idx {
                return Err(ScanError::Stop(start));
            }
        }
        match b[idx] {
            b'1'..=b'9' => {
                idx += 1;
                while digit(idx) {
                    idx += 1;
                }
            }
            b'0' => idx += 1,
            _ => return Err(ScanError::Stop(start)),
        }
        let mut is_float = false;
        if idx < end_idx && b[idx] == b'.' && digit(idx + 1) {
            is_float = true;
            idx += 2;
            while digit(idx) {
                idx += 1;
            }
        }
        if idx < end_idx && matches!(b[idx], b'e' | b'E') {
            let e_start = idx;
            idx += 1;
            if idx < end_idx && matches!(b[idx], b'-' | b'+') {
                idx += 1;
            }
            while digit(idx) {
                idx += 1;
            }
            if b[idx - 1].is_ascii_digit() {
                is_float = true;
            } else {
                idx = e_start;
            }
        }
        let literal = std::str::from_utf8(&b[start..idx]).unwrap_or_default();
        let value = if is_float {
            PyJson::Float(literal.parse().unwrap_or(f64::NAN))
        } else {
            let digits = literal.len() - usize::from(literal.starts_with('-'));
            if digits > INT_MAX_STR_DIGITS {
                return Err(ScanError::IntTooLong(digits));
            }
            PyJson::Int(PyInt::parse(literal).unwrap_or_default())
        };
        Ok((value, idx))
    }

    /// `scanstring_unicode` (strict): `start` is the index after the quote.
    fn scan_string(&self, start: usize) -> Scan<(PyStr, usize)> {
        let b = self.bytes;
        let len = b.len();
        let begin = start - 1;
        let mut end = start;
        let mut buf: Option<StrBuf> = None;
        loop {
            let mut next = end;
            while next < len && b[next] != b'"' && b[next] != b'\\' {
                if b[next] <= 0x1f {
                    return Err(ScanError::Msg("Invalid control character at", next));
                }
                next += 1;
            }
            if next >= len {
                return Err(ScanError::Msg("Unterminated string starting at", begin));
            }
            let terminator = b[next];
            if terminator == b'"' && buf.is_none() {
                return Ok((self.slice_str(end, next), next + 1));
            }
            let buf = buf.get_or_insert_with(|| match self.text {
                Some(_) => StrBuf::Utf8(String::new()),
                None => StrBuf::Gen(Vec::new()),
            });
            match buf {
                StrBuf::Utf8(s) => {
                    s.push_str(self.text.and_then(|t| t.get(end..next)).unwrap_or_default())
                }
                StrBuf::Gen(v) => v.extend_from_slice(&b[end..next]),
            }
            next += 1;
            if terminator == b'"' {
                end = next;
                break;
            }
            if next == len {
                return Err(ScanError::Msg("Unterminated string starting at", begin));
            }
            if b[next] != b'u' {
                end = next + 1;
                let c = match b[next] {
                    b'"' => b'"',
                    b'\\' => b'\\',
                    b'/' => b'/',
                    b'b' => 0x08,
                    b'f' => 0x0c,
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    _ => return Err(ScanError::Msg("Invalid \\escape", end - 2)),
                };
                buf.push_code_point(u32::from(c));
                continue;
            }
            next += 1;
            end = next + 4;
            if end >= len {
                return Err(ScanError::Msg("Invalid \\uXXXX escape", next - 1));
            }
            let mut cp =
                hex4(&b[next..end]).ok_or(ScanError::Msg("Invalid \\uXXXX escape", end - 5))?;
            if (0xd800..0xdc00).contains(&cp)
                && end + 6 < len
                && b[end] == b'\\'
                && b[end + 1] == b'u'
            {
                let end2 = end + 6;
                let low = hex4(&b[end + 2..end2])
                    .ok_or(ScanError::Msg("Invalid \\uXXXX escape", end2 - 5))?;
                if (0xdc00..0xe000).contains(&low) {
                    cp = 0x1_0000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                    end = end2;
                }
            }
            buf.push_code_point(cp);
        }
        Ok((buf.map_or_else(PyStr::default, StrBuf::finish), end))
    }

    /// A string without escapes: copied straight from the document.
    fn slice_str(&self, from: usize, to: usize) -> PyStr {
        match self.text.and_then(|t| t.get(from..to)) {
            Some(s) => PyStr::from(s),
            None => PyStr::from_gen_utf8(self.bytes[from..to].to_vec()),
        }
    }
}

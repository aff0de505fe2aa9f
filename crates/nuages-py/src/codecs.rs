//! Python's `codecs` module: `codecs.lookup()` and the codecs' `decode` / `encode`.
//!
//! Django names charsets the way Python does (`"utf-8"`, `"latin-1"`, `"cp1252"`, …) and
//! decodes and encodes with Python's codecs. [`Charset`] resolves a label exactly like
//! `codecs.lookup()` does (case-insensitive, punctuation-insensitive, Python's alias table) and
//! reproduces Python's codecs byte for byte. Decoding is backed by `encoding_rs` where its
//! WHATWG tables agree with Python, and implemented here where they do not: WHATWG maps
//! `"latin1"`/`"iso-8859-1"` and `"ascii"` to windows-1252, and fills bytes that Python's
//! `cp125x` codecs leave undefined (e.g. `0x81` in cp1252); both are handled exactly as Python.
//!
//! Supported codecs (with all their Python aliases): `utf-8`, `utf-8-sig`, `utf-16`,
//! `utf-16-le`, `utf-16-be`, `latin-1` (`iso8859-1`), `ascii`, `iso8859-2` … `iso8859-16`
//! (except `-9`, `-11`, `-12`), `cp866`, `koi8-r`, `mac-roman`, `mac-cyrillic`, `cp874` and
//! `cp1250` … `cp1258`. Other Python codecs (CJK codecs, `koi8-u`, EBCDIC, …) are not supported
//! because no exact implementation is available: [`Charset::from_label`] returns `None`.

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};

use encoding_rs::{EncoderResult, Encoding};

use self::tables::{ALIASES, COMMON_SPELLINGS, MODULES, SINGLE_BYTE};

mod tables;

/// The codec behind a [`Charset`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Codec {
    /// Python `utf-8`: no BOM handling.
    Utf8,
    /// Python `utf-8-sig`: strips a leading BOM on decode, writes one on encode.
    Utf8Sig,
    /// Python `utf-16`: BOM-sniffing decode (little-endian default), BOM + LE on encode.
    Utf16,
    /// Python `utf-16-le`.
    Utf16Le,
    /// Python `utf-16-be`.
    Utf16Be,
    /// Python `latin-1`: byte `n` is code point `n`.
    Latin1,
    /// Python `ascii`.
    Ascii,
    /// An index into [`SINGLE_BYTE`].
    SingleByte(u8),
}

/// A Python codec together with the name it was requested under.
///
/// Django keeps the charset name as the user spelled it (e.g. `"latin-1"`), so [`name`]
/// returns that spelling while [`codec_name`] gives Python's canonical codec name.
/// Equality and hashing consider the codec only: `"UTF8"` equals `"utf-8"`.
///
/// [`name`]: Charset::name
/// [`codec_name`]: Charset::codec_name
///
/// # Examples
///
/// ```
/// use nuages_py::codecs::Charset;
///
/// let latin1 = Charset::from_label("latin-1").unwrap();
/// assert_eq!(latin1.name(), "latin-1");
/// assert_eq!(latin1.decode_lossy(b"caf\xe9\x80"), "café\u{80}");
/// assert_eq!(latin1.encode("☃"), None);
/// assert_eq!(Charset::UTF_8.decode_lossy(b"\xff"), "\u{fffd}");
/// ```
#[derive(Clone, Debug)]
pub struct Charset {
    codec: Codec,
    name: Cow<'static, str>,
}

impl Charset {
    /// UTF-8 under the name `"utf-8"` (Django's `DEFAULT_CHARSET`).
    pub const UTF_8: Charset = Charset {
        codec: Codec::Utf8,
        name: Cow::Borrowed("utf-8"),
    };

    /// Python's `latin-1` under the name `"iso-8859-1"` (what Django falls back to for raw
    /// query strings that are not valid in the request charset).
    pub const LATIN_1: Charset = Charset {
        codec: Codec::Latin1,
        name: Cow::Borrowed("iso-8859-1"),
    };

    /// Looks a label up the way Python's `codecs.lookup()` does; `None` for an unknown or
    /// unsupported codec (Python would raise `LookupError`).
    #[doc(alias = "lookup")]
    pub fn from_label(label: &str) -> Option<Charset> {
        // DEFAULT_CHARSET's usual spellings, looked up for nearly every response.
        for common in ["utf-8", "UTF-8"] {
            if label == common {
                return Some(Charset {
                    codec: Codec::Utf8,
                    name: Cow::Borrowed(common),
                });
            }
        }
        let codec = lookup(label)?;
        let name = COMMON_SPELLINGS
            .iter()
            .chain(ALIASES.iter().map(|(alias, _)| alias))
            .chain(MODULES.iter().map(|(module, _)| module))
            .chain(SINGLE_BYTE.iter().map(|sb| &sb.module))
            .find(|s| **s == label)
            .map_or_else(|| Cow::Owned(label.to_owned()), |s| Cow::Borrowed(*s));
        Some(Charset { codec, name })
    }

    /// The name this charset was requested under (`"latin-1"`, `"UTF-8"`, …).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Python's canonical codec name (`codecs.lookup(name).name`), e.g. `"iso8859-1"`.
    pub fn codec_name(&self) -> &'static str {
        match self.codec {
            Codec::Utf8 => "utf-8",
            Codec::Utf8Sig => "utf-8-sig",
            Codec::Utf16 => "utf-16",
            Codec::Utf16Le => "utf-16-le",
            Codec::Utf16Be => "utf-16-be",
            Codec::Latin1 => "iso8859-1",
            Codec::Ascii => "ascii",
            Codec::SingleByte(i) => SINGLE_BYTE[usize::from(i)].codec_name,
        }
    }

    /// Whether this is plain UTF-8 (not `utf-8-sig`).
    pub fn is_utf8(&self) -> bool {
        self.codec == Codec::Utf8
    }

    /// Whether ASCII bytes decode to the same ASCII characters (false for UTF-16 only).
    pub fn is_ascii_compatible(&self) -> bool {
        !matches!(self.codec, Codec::Utf16 | Codec::Utf16Le | Codec::Utf16Be)
    }

    /// The `encoding_rs` encoding backing this charset, if any. `None` for `latin-1` and
    /// `ascii`, implemented here because WHATWG maps both to windows-1252. For `cpXXXX`
    /// codecs the returned encoding also maps the bytes Python leaves undefined.
    pub fn encoding_rs(&self) -> Option<&'static Encoding> {
        match self.codec {
            Codec::Utf8 | Codec::Utf8Sig => Some(encoding_rs::UTF_8),
            Codec::Utf16 | Codec::Utf16Le => Some(encoding_rs::UTF_16LE),
            Codec::Utf16Be => Some(encoding_rs::UTF_16BE),
            Codec::Latin1 | Codec::Ascii => None,
            Codec::SingleByte(i) => Some(SINGLE_BYTE[usize::from(i)].encoding),
        }
    }

    /// Decodes like Python's `bytes.decode(charset, errors="replace")`: each invalid
    /// sequence becomes U+FFFD. Borrows when the bytes are already the text.
    pub fn decode_lossy<'a>(&self, bytes: &'a [u8]) -> Cow<'a, str> {
        match self.codec {
            Codec::Utf8 => String::from_utf8_lossy(bytes),
            Codec::Utf8Sig => String::from_utf8_lossy(strip_utf8_bom(bytes)),
            Codec::Utf16 => {
                let (encoding, rest) = sniff_utf16(bytes);
                encoding.decode_without_bom_handling(rest).0
            }
            Codec::Utf16Le => encoding_rs::UTF_16LE.decode_without_bom_handling(bytes).0,
            Codec::Utf16Be => encoding_rs::UTF_16BE.decode_without_bom_handling(bytes).0,
            Codec::Latin1 => match std::str::from_utf8(bytes) {
                Ok(s) if bytes.is_ascii() => Cow::Borrowed(s),
                _ => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
            },
            Codec::Ascii => match std::str::from_utf8(bytes) {
                Ok(s) if bytes.is_ascii() => Cow::Borrowed(s),
                _ => Cow::Owned(
                    bytes
                        .iter()
                        .map(|&b| {
                            if b.is_ascii() {
                                char::from(b)
                            } else {
                                '\u{fffd}'
                            }
                        })
                        .collect(),
                ),
            },
            Codec::SingleByte(i) => {
                let sb = &SINGLE_BYTE[usize::from(i)];
                if !bytes.iter().any(|b| sb.holes.contains(b)) {
                    return sb.encoding.decode_without_bom_handling(bytes).0;
                }
                let mut out = String::with_capacity(bytes.len() + 2);
                for (n, chunk) in bytes.split(|b| sb.holes.contains(b)).enumerate() {
                    if n > 0 {
                        out.push('\u{fffd}');
                    }
                    out.push_str(&sb.encoding.decode_without_bom_handling(chunk).0);
                }
                Cow::Owned(out)
            }
        }
    }

    /// Decodes like Python's `bytes.decode(charset)` (strict errors): `None` where Python
    /// raises `UnicodeDecodeError`.
    pub fn decode_strict<'a>(&self, bytes: &'a [u8]) -> Option<Cow<'a, str>> {
        match self.codec {
            Codec::Utf8 => std::str::from_utf8(bytes).ok().map(Cow::Borrowed),
            Codec::Utf8Sig => std::str::from_utf8(strip_utf8_bom(bytes))
                .ok()
                .map(Cow::Borrowed),
            Codec::Utf16 => {
                let (encoding, rest) = sniff_utf16(bytes);
                encoding.decode_without_bom_handling_and_without_replacement(rest)
            }
            Codec::Utf16Le => {
                encoding_rs::UTF_16LE.decode_without_bom_handling_and_without_replacement(bytes)
            }
            Codec::Utf16Be => {
                encoding_rs::UTF_16BE.decode_without_bom_handling_and_without_replacement(bytes)
            }
            Codec::Latin1 => Some(self.decode_lossy(bytes)),
            Codec::Ascii => bytes.is_ascii().then(|| self.decode_lossy(bytes)),
            Codec::SingleByte(i) => {
                let sb = &SINGLE_BYTE[usize::from(i)];
                if bytes.iter().any(|b| sb.holes.contains(b)) {
                    return None;
                }
                sb.encoding
                    .decode_without_bom_handling_and_without_replacement(bytes)
            }
        }
    }

    /// Encodes like Python's `str.encode(charset)`: `None` where Python raises
    /// `UnicodeEncodeError` (a character the charset cannot represent). Like Python,
    /// `utf-16` and `utf-8-sig` start the output with a BOM.
    pub fn encode<'a>(&self, text: &'a str) -> Option<Cow<'a, [u8]>> {
        match self.codec {
            Codec::Utf8 => Some(Cow::Borrowed(text.as_bytes())),
            Codec::Utf8Sig => {
                let mut out = Vec::with_capacity(text.len() + 3);
                out.extend_from_slice(b"\xef\xbb\xbf");
                out.extend_from_slice(text.as_bytes());
                Some(Cow::Owned(out))
            }
            Codec::Utf16 => Some(Cow::Owned(encode_utf16(
                text,
                b"\xff\xfe",
                u16::to_le_bytes,
            ))),
            Codec::Utf16Le => Some(Cow::Owned(encode_utf16(text, b"", u16::to_le_bytes))),
            Codec::Utf16Be => Some(Cow::Owned(encode_utf16(text, b"", u16::to_be_bytes))),
            _ if text.is_ascii() => Some(Cow::Borrowed(text.as_bytes())),
            Codec::Latin1 => text
                .chars()
                .map(|c| u8::try_from(c).ok())
                .collect::<Option<Vec<u8>>>()
                .map(Cow::Owned),
            Codec::Ascii => None,
            Codec::SingleByte(i) => {
                let sb = &SINGLE_BYTE[usize::from(i)];
                let mut encoder = sb.encoding.new_encoder();
                // A single-byte encoding never writes more bytes than UTF-8 has.
                let mut out = vec![0; text.len()];
                let (result, _, written) =
                    encoder.encode_from_utf8_without_replacement(text, &mut out, true);
                if result != EncoderResult::InputEmpty {
                    return None;
                }
                out.truncate(written);
                if out.iter().any(|b| sb.holes.contains(b)) {
                    return None;
                }
                Some(Cow::Owned(out))
            }
        }
    }

    /// [`Charset::encode`] with Python's `UnicodeEncodeError` when the text cannot be encoded.
    ///
    /// # Errors
    /// The first run of characters the charset cannot represent, with Python's message.
    ///
    /// # Examples
    /// ```
    /// use nuages_py::codecs::Charset;
    /// let latin1 = Charset::from_label("latin-1").unwrap();
    /// assert_eq!(
    ///     latin1.encode_strict("ab☃☃c").unwrap_err().to_string(),
    ///     "'latin-1' codec can't encode characters in position 2-3: ordinal not in range(256)"
    /// );
    /// let cp1252 = Charset::from_label("cp1252").unwrap();
    /// assert_eq!(
    ///     cp1252.encode_strict("☃").unwrap_err().to_string(),
    ///     "'charmap' codec can't encode character '\\u2603' in position 0: character maps to <undefined>"
    /// );
    /// ```
    pub fn encode_strict<'a>(&self, text: &'a str) -> Result<Cow<'a, [u8]>, UnicodeEncodeError> {
        if let Some(encoded) = self.encode(text) {
            return Ok(encoded);
        }
        let (encoding, reason) = match self.codec {
            Codec::Latin1 => ("latin-1", "ordinal not in range(256)"),
            Codec::Ascii => ("ascii", "ordinal not in range(128)"),
            _ => ("charmap", "character maps to <undefined>"),
        };
        let fits = |c: char| self.encode(c.encode_utf8(&mut [0; 4])).is_some();
        let (start, first) = text
            .chars()
            .enumerate()
            .find(|(_, c)| !fits(*c))
            .unwrap_or((0, '\0'));
        let run = text.chars().skip(start).take_while(|c| !fits(*c)).count();
        Err(UnicodeEncodeError {
            encoding,
            first,
            start,
            end: start + run.max(1),
            reason,
        })
    }
}

/// Python's `UnicodeEncodeError`: characters `start..end` (in characters) of the text cannot
/// be encoded by `encoding`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnicodeEncodeError {
    /// The codec's name in Python's message (`latin-1`, `ascii`, `charmap`).
    pub encoding: &'static str,
    /// The first character that cannot be encoded.
    pub first: char,
    /// Its position, in characters.
    pub start: usize,
    /// The position after the run of characters that cannot be encoded.
    pub end: usize,
    /// Python's reason (`ordinal not in range(256)`, …).
    pub reason: &'static str,
}

impl fmt::Display for UnicodeEncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let encoding = self.encoding;
        if self.end - self.start == 1 {
            let c = u32::from(self.first);
            let escaped = if c <= 0xff {
                format!("\\x{c:02x}")
            } else if c <= 0xffff {
                format!("\\u{c:04x}")
            } else {
                format!("\\U{c:08x}")
            };
            write!(
                f,
                "'{encoding}' codec can't encode character '{escaped}' in position {}: {}",
                self.start, self.reason
            )
        } else {
            write!(
                f,
                "'{encoding}' codec can't encode characters in position {}-{}: {}",
                self.start,
                self.end - 1,
                self.reason
            )
        }
    }
}

impl std::error::Error for UnicodeEncodeError {}

impl Default for Charset {
    /// [`Charset::UTF_8`].
    fn default() -> Self {
        Charset::UTF_8
    }
}

impl PartialEq for Charset {
    fn eq(&self, other: &Self) -> bool {
        self.codec == other.codec
    }
}

impl Eq for Charset {}

impl Hash for Charset {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.codec.hash(state);
    }
}

impl fmt::Display for Charset {
    /// Writes [`Charset::name`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// Python's codec lookup: ASCII-lowercase, then `encodings.normalize_encoding` (runs of
/// punctuation become one `_`, leading/trailing ones dropped, non-ASCII letters dropped),
/// then the alias table (also with `.` replaced by `_`), then the module names.
fn lookup(label: &str) -> Option<Codec> {
    let mut buf = [0u8; 48];
    let mut len = 0;
    let mut punct = false;
    for c in label.chars() {
        if c.is_alphanumeric() || c == '.' {
            if punct && len > 0 {
                *buf.get_mut(len)? = b'_';
                len += 1;
            }
            if c.is_ascii() {
                // `c` is ASCII, so the cast keeps its value.
                *buf.get_mut(len)? = (c as u8).to_ascii_lowercase();
                len += 1;
            }
            punct = false;
        } else {
            punct = true;
        }
    }
    let norm = std::str::from_utf8(&buf[..len]).ok()?;
    let alias = |name: &str| {
        ALIASES
            .iter()
            .find(|(alias, _)| *alias == name)
            .map(|(_, m)| *m)
    };
    let module = match alias(norm) {
        Some(module) => module,
        None if norm.contains('.') => alias(&norm.replace('.', "_"))?,
        None => norm,
    };
    if let Some((_, codec)) = MODULES.iter().find(|(m, _)| *m == module) {
        return Some(*codec);
    }
    let index = SINGLE_BYTE.iter().position(|sb| sb.module == module)?;
    u8::try_from(index).ok().map(Codec::SingleByte)
}

fn strip_utf8_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
}

/// Python's `utf-16` decoder: a leading BOM picks the byte order and is dropped; without
/// one the native order (little-endian on every supported platform) is used.
fn sniff_utf16(bytes: &[u8]) -> (&'static Encoding, &[u8]) {
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        (encoding_rs::UTF_16LE, rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        (encoding_rs::UTF_16BE, rest)
    } else {
        (encoding_rs::UTF_16LE, bytes)
    }
}

fn encode_utf16(text: &str, bom: &[u8], to_bytes: fn(u16) -> [u8; 2]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bom.len() + text.len() * 2);
    out.extend_from_slice(bom);
    for unit in text.encode_utf16() {
        out.extend_from_slice(&to_bytes(unit));
    }
    out
}

/// `text.encode("raw-unicode-escape")`: Latin-1 for U+0000..U+00FF, `\uXXXX` /
/// `\UXXXXXXXX` (lower-case hex) above.
///
/// # Examples
///
/// ```
/// use nuages_py::codecs::encode_raw_unicode_escape;
///
/// assert_eq!(encode_raw_unicode_escape("é☃"), b"\xe9\\u2603");
/// ```
#[must_use]
pub fn encode_raw_unicode_escape(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let cp = u32::from(c);
        match u8::try_from(cp) {
            Ok(b) => out.push(b),
            Err(_) if cp <= 0xffff => out.extend_from_slice(format!("\\u{cp:04x}").as_bytes()),
            Err(_) => out.extend_from_slice(format!("\\U{cp:08x}").as_bytes()),
        }
    }
    out
}

/// `text.encode("unicode_escape").decode("ascii")`: printable ASCII as is except `\\`
/// (doubled), `\t`, `\n`, `\r`, `\xXX` for the rest of U+0000..U+00FF, `\uXXXX` /
/// `\UXXXXXXXX` (lower-case hex) above. Django's `log_response` escapes its arguments this way.
///
/// # Examples
///
/// ```
/// use nuages_py::codecs::encode_unicode_escape;
///
/// assert_eq!(encode_unicode_escape("/a\r\nb\\é☃\u{1f600}'\""), "/a\\r\\nb\\\\\\xe9\\u2603\\U0001f600'\"");
/// assert!(matches!(encode_unicode_escape("/plain/"), std::borrow::Cow::Borrowed(_)));
/// ```
#[must_use]
pub fn encode_unicode_escape(text: &str) -> Cow<'_, str> {
    if text
        .bytes()
        .all(|b| (b' '..0x7f).contains(&b) && b != b'\\')
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        let cp = u32::from(c);
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            ' '..='~' => out.push(c),
            _ if cp <= 0xff => out.push_str(&format!("\\x{cp:02x}")),
            _ if cp <= 0xffff => out.push_str(&format!("\\u{cp:04x}")),
            _ => out.push_str(&format!("\\U{cp:08x}")),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_follows_python() {
        // (label, Python's codecs.lookup(label).name), observed with CPython 3.11.
        let cases = [
            ("UTF-8", "utf-8"),
            ("utf8", "utf-8"),
            ("Utf_8", "utf-8"),
            ("utf 8", "utf-8"),
            ("utf--8", "utf-8"),
            ("-utf-8-", "utf-8"),
            ("u8", "utf-8"),
            ("utf8 ", "utf-8"),
            ("  utf8", "utf-8"),
            ("utf\u{e9}8", "utf-8"),
            ("latin-1", "iso8859-1"),
            ("Latin1", "iso8859-1"),
            ("ISO-8859-1", "iso8859-1"),
            ("iso8859-1", "iso8859-1"),
            ("iso_8859-1", "iso8859-1"),
            ("l1", "iso8859-1"),
            ("latin_1", "iso8859-1"),
            ("8859", "iso8859-1"),
            ("iso-8859-1:1987", "iso8859-1"),
            ("iso-8859-15", "iso8859-15"),
            ("ISO8859_15", "iso8859-15"),
            ("cp1252", "cp1252"),
            ("windows-1252", "cp1252"),
            ("Windows_1252", "cp1252"),
            ("utf-16", "utf-16"),
            ("UTF-16LE", "utf-16-le"),
            ("utf-16-le", "utf-16-le"),
            ("ascii", "ascii"),
            ("US-ASCII", "ascii"),
            ("ansi_x3.4-1968", "ascii"),
            ("utf-8-sig", "utf-8-sig"),
            ("koi8-r", "koi8-r"),
            ("macintosh", "mac-roman"),
            ("mac-roman", "mac-roman"),
            ("cp874", "cp874"),
        ];
        for (label, codec) in cases {
            let charset = Charset::from_label(label).unwrap_or_else(|| panic!("{label:?}"));
            assert_eq!(charset.codec_name(), codec, "{label:?}");
            assert_eq!(charset.name(), label);
        }
        for label in [
            "utf.8",
            "windows-874",
            "x-mac-cyrillic",
            "iso-8859-8-i",
            "",
            "koi8-u",
            "shift_jis",
        ] {
            assert_eq!(Charset::from_label(label), None, "{label:?}");
        }
        assert_eq!(Charset::from_label(&"x".repeat(100)), None);
    }

    #[test]
    fn common_spellings_do_not_allocate() {
        let charset = Charset::from_label("latin-1").unwrap();
        assert!(matches!(charset.name, Cow::Borrowed(_)));
        let charset = Charset::from_label("LaTiN-1").unwrap();
        assert!(matches!(charset.name, Cow::Owned(_)));
        assert_eq!(charset.name(), "LaTiN-1");
        assert_eq!(charset, Charset::from_label("iso8859_1").unwrap());
        assert_ne!(charset, Charset::UTF_8);
    }

    #[test]
    fn latin1_is_not_windows_1252() {
        let latin1 = Charset::from_label("iso-8859-1").unwrap();
        let all: Vec<u8> = (0..=255).collect();
        let text = latin1.decode_lossy(&all);
        assert!(text.chars().map(u32::from).eq(0..=255));
        assert_eq!(latin1.decode_strict(&all).as_deref(), Some(&*text));
        assert_eq!(latin1.encode(&text).as_deref(), Some(&all[..]));
        assert_eq!(latin1.encode("€"), None);
        assert_eq!(latin1.encoding_rs(), None);
    }

    #[test]
    fn cp1252_holes_are_errors() {
        let cp1252 = Charset::from_label("cp1252").unwrap();
        assert_eq!(
            cp1252.decode_lossy(b"a\x80\x81b\x9d"),
            "a€\u{fffd}b\u{fffd}"
        );
        assert_eq!(cp1252.decode_strict(b"a\x81"), None);
        assert_eq!(cp1252.decode_strict(b"a\x80").as_deref(), Some("a€"));
        assert_eq!(cp1252.encode("€").as_deref(), Some(&b"\x80"[..]));
        assert_eq!(cp1252.encode("\u{81}"), None);
        assert_eq!(cp1252.encode("☃"), None);
        assert_eq!(cp1252.encode("abc").as_deref(), Some(&b"abc"[..]));
    }

    #[test]
    fn iso_8859_15() {
        let charset = Charset::from_label("iso-8859-15").unwrap();
        assert_eq!(charset.decode_lossy(b"\xa4"), "€");
        assert_eq!(charset.encode("€").as_deref(), Some(&b"\xa4"[..]));
    }

    #[test]
    fn ascii() {
        let ascii = Charset::from_label("ascii").unwrap();
        assert_eq!(ascii.decode_lossy(b"a\xe9"), "a\u{fffd}");
        assert_eq!(ascii.decode_strict(b"a\xe9"), None);
        assert_eq!(ascii.encode("é"), None);
        assert!(matches!(ascii.decode_lossy(b"abc"), Cow::Borrowed("abc")));
    }

    #[test]
    fn utf8_and_bom() {
        assert_eq!(Charset::UTF_8.decode_lossy(b"\xef\xbb\xbfa"), "\u{feff}a");
        assert_eq!(
            Charset::UTF_8.decode_lossy(b"\xff\xfe\xe2\x82"),
            "\u{fffd}\u{fffd}\u{fffd}"
        );
        assert_eq!(Charset::UTF_8.decode_strict(b"\xe9"), None);
        let sig = Charset::from_label("utf-8-sig").unwrap();
        assert_eq!(sig.decode_lossy(b"\xef\xbb\xbfa"), "a");
        assert_eq!(sig.encode("a").as_deref(), Some(&b"\xef\xbb\xbfa"[..]));
        assert!(!sig.is_utf8());
        assert!(Charset::UTF_8.is_utf8());
    }

    #[test]
    fn utf16() {
        let utf16 = Charset::from_label("utf-16").unwrap();
        assert_eq!(utf16.encode("").as_deref(), Some(&b"\xff\xfe"[..]));
        assert_eq!(utf16.encode("a").as_deref(), Some(&b"\xff\xfea\x00"[..]));
        assert_eq!(utf16.decode_lossy(b"\xff\xfea\x00"), "a");
        assert_eq!(utf16.decode_lossy(b"\xfe\xff\x00a"), "a");
        assert_eq!(utf16.decode_lossy(b"\xff\xfe\xff\xfea\x00"), "\u{feff}a");
        assert_eq!(utf16.decode_lossy(b"a\x00\x00\xd8\x41"), "a\u{fffd}");
        assert_eq!(utf16.decode_strict(b"a"), None);
        assert!(!utf16.is_ascii_compatible());
        let be = Charset::from_label("utf-16-be").unwrap();
        assert_eq!(be.encode("a").as_deref(), Some(&b"\x00a"[..]));
        let le = Charset::from_label("utf-16le").unwrap();
        assert_eq!(le.decode_lossy(b"\x00\xd8\x41\x00"), "\u{fffd}A");
    }

    #[test]
    fn display_and_default() {
        assert_eq!(Charset::default(), Charset::UTF_8);
        assert_eq!(Charset::from_label("Latin1").unwrap().to_string(), "Latin1");
    }
}

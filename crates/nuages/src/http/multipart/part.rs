//! What Django reads from a request's `Content-Type` and from each part's headers
//! (`MultiPartParser.__init__` and `parse_boundary_stream`).

use indexmap::IndexMap;

use super::MultiPartParserError;
use crate::utils::http::parse_header_parameters;
use nuages_py::builtins::{strip, strip_bytes};
use nuages_py::codecs::Charset;

/// Django's `MAX_TOTAL_HEADER_SIZE`: a part's header block, with the CRLF after the
/// separator and the blank line ending it, must fit in its first 1024 bytes.
pub(super) const MAX_TOTAL_HEADER_SIZE: usize = 1024;

/// Validates a request's `Content-Type` and returns its boundary.
pub(super) fn boundary(content_type: &str) -> Result<String, MultiPartParserError> {
    if !content_type.starts_with("multipart/") {
        return Err(MultiPartParserError::new(format!(
            "Invalid Content-Type: {content_type}"
        )));
    }
    if !content_type.is_ascii() {
        return Err(MultiPartParserError::new(format!(
            "Invalid non-ASCII Content-Type in multipart: {content_type}"
        )));
    }
    // Django lets parse_header_parameters' ValueError escape (a 500); it is a client error.
    let (_, mut params) = parse_header_parameters(content_type)
        .map_err(|err| MultiPartParserError::new(err.to_string()))?;
    match params.swap_remove("boundary") {
        Some(boundary) if is_valid_boundary(&boundary) => Ok(boundary),
        Some(boundary) => Err(MultiPartParserError::new(format!(
            "Invalid boundary in multipart: {boundary}"
        ))),
        None => Err(MultiPartParserError::new(
            "Invalid boundary in multipart: None",
        )),
    }
}

/// `boundary_re.fullmatch()`: `[ -~]{0,200}[!-~]`.
fn is_valid_boundary(boundary: &str) -> bool {
    let bytes = boundary.as_bytes();
    matches!(bytes.last(), Some(b'!'..=b'~'))
        && bytes.len() <= 201
        && bytes.iter().all(|b| (b' '..=b'~').contains(b))
}

/// How Django classifies a part.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Disposition {
    /// No usable `Content-Disposition` header (Django's `RAW`): skipped, but counted as a
    /// field.
    Raw,
    /// A form field: `Content-Disposition` without a (non-empty) filename.
    Field {
        /// The `name` parameter, stripped and decoded with the request charset.
        name: Option<String>,
    },
    /// An uploaded file.
    File {
        /// The `name` parameter, stripped and decoded with the request charset.
        name: Option<String>,
        /// The `filename` (or `filename*`) parameter decoded with the request charset, not
        /// yet sanitized.
        filename: String,
    },
}

/// The part headers Django looks at.
#[derive(Debug)]
pub(super) struct PartHeaders {
    pub(super) disposition: Disposition,
    /// `Content-Transfer-Encoding: base64` (case-insensitive, as Django lower-cases it).
    pub(super) base64: bool,
    /// The lower-cased media type, `""` without a `Content-Type`.
    pub(super) content_type: String,
    /// The `Content-Type` parameters (`content_type_extra`).
    pub(super) content_type_extra: IndexMap<String, String>,
}

impl PartHeaders {
    /// A part without headers (Django's `RAW`).
    pub(super) fn raw() -> Self {
        PartHeaders {
            disposition: Disposition::Raw,
            base64: false,
            content_type: String::new(),
            content_type_extra: IndexMap::new(),
        }
    }

    /// Interprets a header block (what precedes the first CRLF CRLF of a part) the way
    /// Django's `parse_boundary_stream` and `_parse` do: the block is split at CRLFs, each
    /// line is decoded as strict UTF-8 and parsed with `parse_header_parameters`, lines that
    /// do not decode, do not parse or have no `:` are ignored, names are lower-cased and the
    /// last line of a name wins.
    pub(super) fn parse(block: &[u8], encoding: &Charset) -> Self {
        let mut part = PartHeaders::raw();
        for line in lines(block) {
            let Ok(line) = std::str::from_utf8(line) else {
                continue;
            };
            let Ok((main, mut params)) = parse_header_parameters(line) else {
                continue;
            };
            let Some((name, value)) = main.split_once(':') else {
                continue;
            };
            match name {
                "content-disposition" => {
                    let name = params
                        .get("name")
                        .map(|name| decode(strip_bytes(name.as_bytes()), encoding));
                    part.disposition = match params.swap_remove("filename") {
                        Some(filename) if !filename.is_empty() => Disposition::File {
                            name,
                            filename: decode(filename.as_bytes(), encoding),
                        },
                        _ => Disposition::Field { name },
                    };
                }
                "content-type" => {
                    strip(value).clone_into(&mut part.content_type);
                    part.content_type_extra = params;
                }
                "content-transfer-encoding" => part.base64 = strip(value) == "base64",
                _ => {}
            }
        }
        part
    }
}

/// `block.split(b"\r\n")`.
fn lines(block: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(block);
    std::iter::from_fn(move || {
        let current = rest?;
        match memchr::memmem::find(current, b"\r\n") {
            Some(i) => {
                rest = Some(&current[i + 2..]);
                Some(&current[..i])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// Django's `force_str(value.encode(), encoding, errors="replace")` of a header parameter.
fn decode(bytes: &[u8], encoding: &Charset) -> String {
    encoding.decode_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_follow_django() {
        let ok = |ct: &str| boundary(ct).unwrap();
        let err = |ct: &str| boundary(ct).unwrap_err().to_string();
        assert_eq!(ok("multipart/form-data; boundary=abc"), "abc");
        assert_eq!(ok("multipart/form-data; boundary=\"a b;c\""), "a b;c");
        assert_eq!(ok("multipart/mixed; BOUNDARY=x"), "x");
        assert_eq!(
            err("multipart/form-data"),
            "Invalid boundary in multipart: None"
        );
        assert_eq!(
            err("multipart/form-data; boundary="),
            "Invalid boundary in multipart: "
        );
        assert_eq!(
            err("multipart/form-data; boundary=\"a \""),
            "Invalid boundary in multipart: a "
        );
        assert_eq!(err("text/plain"), "Invalid Content-Type: text/plain");
        assert_eq!(err(""), "Invalid Content-Type: ");
        assert_eq!(
            err("multipart/form-data; boundary*=bogus''x"),
            "Invalid encoding 'bogus' for RFC 2231 param."
        );
        assert!(is_valid_boundary(&"b".repeat(201)));
        assert!(!is_valid_boundary(&"b".repeat(202)));
        assert!(!is_valid_boundary("a\u{7f}"));
    }

    #[test]
    fn headers_follow_django() {
        let block =
            b"\r\nContent-Disposition: form-data; name=\" a \"; filename*=utf-8''%E2%82%AC\r\n\
            Content-Type: Text/Plain; charset=latin-1\r\nContent-Transfer-Encoding: BASE64";
        let part = PartHeaders::parse(block, &Charset::UTF_8);
        assert_eq!(
            part.disposition,
            Disposition::File {
                name: Some("a".to_owned()),
                filename: "\u{20ac}".to_owned()
            }
        );
        assert!(part.base64);
        assert_eq!(part.content_type, "text/plain");
        assert_eq!(part.content_type_extra["charset"], "latin-1");

        // Not UTF-8: the line is ignored.
        let part = PartHeaders::parse(
            b"Content-Disposition: form-data; name=\"caf\xe9\"",
            &Charset::UTF_8,
        );
        assert_eq!(part.disposition, Disposition::Raw);
        // No colon, or a space before it: not Content-Disposition.
        for block in [
            &b"Content-Disposition form-data; name=a"[..],
            b"Content-Disposition : form-data; name=a",
        ] {
            assert_eq!(
                PartHeaders::parse(block, &Charset::UTF_8).disposition,
                Disposition::Raw
            );
        }
        // The last line wins.
        let part = PartHeaders::parse(
            b"Content-Disposition: form-data; name=a; filename=x\r\nContent-Disposition: form-data; name=b",
            &Charset::UTF_8,
        );
        assert_eq!(
            part.disposition,
            Disposition::Field {
                name: Some("b".to_owned())
            }
        );
        assert_eq!(
            lines(b"a\r\n\r\nb").collect::<Vec<_>>(),
            [&b"a"[..], b"", b"b"]
        );
    }
}

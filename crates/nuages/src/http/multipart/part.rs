//! What Django reads from a request's `Content-Type` and from each part's headers
//! (`MultiPartParser.__init__` and `parse_boundary_stream`).

use http::HeaderMap;
use indexmap::IndexMap;

use super::MultiPartParserError;
use crate::utils::http::parse_header_parameters;
use nuages_py::builtins::strip_bytes;
use nuages_py::codecs::Charset;

/// Longest header block Django accepts: the CRLF after the boundary, the header lines and the
/// blank line must fit in `MAX_TOTAL_HEADER_SIZE` (1024) bytes, leaving 1018 for the lines
/// and the CRLFs between them.
const MAX_HEADER_LINES: usize = 1024 - 2 - 4;

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
    /// Bytes of the boundary line and header block `multer` consumed for this part.
    pub(super) consumed: usize,
    /// The header lines are longer than Django accepts.
    pub(super) too_large: bool,
}

impl PartHeaders {
    /// Interprets `multer`'s parsed headers the way Django's `parse_boundary_stream` and
    /// `_parse` do. Django decodes each header line as strict UTF-8 and skips lines that do
    /// not decode or whose parameters do not parse; so are these headers.
    pub(super) fn new(headers: &HeaderMap, encoding: &Charset, boundary_len: usize) -> Self {
        let mut part = PartHeaders {
            disposition: Disposition::Raw,
            base64: false,
            content_type: String::new(),
            content_type_extra: IndexMap::new(),
            consumed: 0,
            too_large: false,
        };
        let mut lines_len = 0;
        for (name, value) in headers {
            // "Name: value" and the CRLF separating it from the next line.
            lines_len += name.as_str().len() + 2 + value.len() + 2;
            let Ok(value) = std::str::from_utf8(value.as_bytes()) else {
                continue;
            };
            let Ok((main, mut params)) = parse_header_parameters(value) else {
                continue;
            };
            match name.as_str() {
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
                    part.content_type = main;
                    part.content_type_extra = params;
                }
                "content-transfer-encoding" => part.base64 = main == "base64",
                _ => {}
            }
        }
        let lines_len = lines_len.saturating_sub(2);
        part.too_large = lines_len > MAX_HEADER_LINES;
        // CRLF "--" boundary CRLF, the header lines, CRLF CRLF.
        part.consumed = 2 + 2 + boundary_len + 2 + lines_len + 4;
        part
    }
}

/// Django's `force_str(value.encode(), encoding, errors="replace")` of a header parameter.
fn decode(bytes: &[u8], encoding: &Charset) -> String {
    encoding.decode_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

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
        let mut headers = HeaderMap::new();
        headers.insert(
            "content-disposition",
            HeaderValue::from_static("form-data; name=\" a \"; filename*=utf-8''%E2%82%AC"),
        );
        headers.insert(
            "content-type",
            HeaderValue::from_static("Text/Plain; charset=latin-1"),
        );
        headers.insert(
            "content-transfer-encoding",
            HeaderValue::from_static("BASE64"),
        );
        let part = PartHeaders::new(&headers, &Charset::UTF_8, 3);
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
        assert!(!part.too_large);

        let mut headers = HeaderMap::new();
        headers.insert(
            "content-disposition",
            HeaderValue::from_bytes(b"form-data; name=\"caf\xe9\"").unwrap(),
        );
        let part = PartHeaders::new(&headers, &Charset::UTF_8, 3);
        assert_eq!(part.disposition, Disposition::Raw);
    }
}

//! `django.utils.http.parse_header_parameters`, on top of Python's
//! `email.message.Message.get_params()` ([`nuages::py::email_message`](crate::py::email_message)).

use std::fmt;

use indexmap::IndexMap;
use nuages_py::builtins::{lower, strip};
use nuages_py::codecs::Charset;
use nuages_py::email_message::{get_params, ParamValue};
use nuages_py::email_utils::collapse_rfc2231_value;
use nuages_py::repr::str_repr;

/// Error raised by [`parse_header_parameters`] for RFC 2231 parameters Django rejects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvalidHeaderParameters {
    /// An RFC 2231 parameter names a charset Python does not know
    /// (`ValueError: Invalid encoding 'x' for RFC 2231 param.`).
    UnknownCharset(String),
    /// The same parameter uses both `name*` and numbered `name*N` continuations, which makes
    /// Python's sort fail (`TypeError`).
    MixedContinuations(String),
}

impl fmt::Display for InvalidHeaderParameters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownCharset(charset) => {
                write!(
                    f,
                    "Invalid encoding {} for RFC 2231 param.",
                    str_repr(charset)
                )
            }
            Self::MixedContinuations(_) => {
                f.write_str("'<' not supported between instances of 'int' and 'NoneType'")
            }
        }
    }
}

impl std::error::Error for InvalidHeaderParameters {}

/// Parses a `Content-Type`-like header into its lower-cased main value and its parameters.
///
/// Exactly Django's `parse_header_parameters`: parameter names are lower-cased, values are
/// unquoted (`"a\"b"` → `a"b`, `<x>` → `x`), later duplicates overwrite earlier ones (keeping
/// the first position), `;` inside quotes does not split, bare attributes get `""`, and
/// RFC 2231 extended values (`name*=charset'lang'%XX`, `name*0`, `name*1*`, …) are decoded.
///
/// # Errors
///
/// [`InvalidHeaderParameters`] where Django raises: an unknown RFC 2231 charset, or mixed
/// `name*` / `name*N` continuations.
///
/// # Examples
///
/// ```
/// use nuages::utils::http::parse_header_parameters;
///
/// let (main, params) = parse_header_parameters("Text/HTML; Charset=\"UTF-8\"").unwrap();
/// assert_eq!(main, "text/html");
/// assert_eq!(params["charset"], "UTF-8");
///
/// let (_, params) =
///     parse_header_parameters("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf").unwrap();
/// assert_eq!(params["filename"], "résumé.pdf");
/// ```
pub fn parse_header_parameters(
    line: &str,
) -> Result<(String, IndexMap<String, String>), InvalidHeaderParameters> {
    if line.is_empty() {
        return Ok((String::new(), IndexMap::new()));
    }
    if !line.contains(';') {
        return Ok((lower(strip(line)).into_owned(), IndexMap::new()));
    }
    let mut params = get_params(line)
        .map_err(|e| InvalidHeaderParameters::MixedContinuations(e.name))?
        .into_iter();
    let key = match params.next() {
        Some((name, _)) => lower(&name).into_owned(),
        None => String::new(),
    };
    let mut pdict = IndexMap::new();
    for (name, value) in params {
        if name.is_empty() {
            continue;
        }
        let value = match value {
            ParamValue::Text(value) => value,
            ParamValue::Rfc2231 { charset, text, .. } => {
                // Django refuses a charset Python does not know; an empty one is not checked
                // (Python's decode() then raises LookupError and the text is kept unquoted).
                if let Some(charset) = charset.as_deref() {
                    if !charset.is_empty() && Charset::from_label(charset).is_none() {
                        return Err(InvalidHeaderParameters::UnknownCharset(charset.to_owned()));
                    }
                }
                collapse_rfc2231_value(charset.as_deref(), &text)
            }
        };
        pdict.insert(name, value);
    }
    Ok((key, pdict))
}

//! # nuages-py
//!
//! The parts of CPython's standard library whose exact output Django's HTTP layer depends on,
//! reproduced byte for byte in Rust. Each module mirrors one Python module and names the
//! functions it reproduces; nothing here knows about HTTP requests or responses, so the crate
//! can be used (and tested) on its own.
//!
//! | Python | here |
//! |---|---|
//! | `json.dumps`, `json.loads` | [`json`] |
//! | `repr(str)`, `repr(float)` | [`repr`] |
//! | `str.isspace`, `str.strip`, `str.lower`, `str.title`, `str.isprintable`, `str.isidentifier`, `int(str)`, `float(str)`, `str % dict` | [`builtins`] |
//! | `re.escape` | [`re`] |
//! | `unicodedata.category` | [`unicodedata`] |
//! | `urllib.parse` | [`urllib_parse`] |
//! | `email.message.Message.get_params` | [`email_message`] |
//! | `email.utils` (`quote`, `unquote`, RFC 2231, `formatdate`) | [`email_utils`] |
//! | `codecs.lookup` and the codecs | [`codecs`] |
//! | `binascii.a2b_base64`, `binascii.b2a_base64` | [`binascii`] |
//! | `base64` | [`base64`] |
//! | `html.escape`, `html.unescape` | [`html`] |
//! | `http.client.responses` | [`http_client`] |
//! | `http.cookies` (`_quote`, `_unquote`, `Morsel.OutputString`) | [`http_cookies`] |
//! | `datetime.timedelta.total_seconds`, `time.time` | [`datetime`] |
//! | `pickle.dumps`, `pickle.loads` (JSON-shaped data, protocol 5) | [`pickle`] |
//! | `zlib.compress`, `zlib.decompress` | [`zlib`] |
//! | `gzip.GzipFile` | [`gzip`] |
//!
//! ```
//! use nuages_py::{json, repr, urllib_parse};
//!
//! let text = json::dumps(&serde_json::json!({"é": 1e16}), &json::JsonDumpsParams::new()).unwrap();
//! assert_eq!(text, r#"{"\u00e9": 1e+16}"#);
//! assert_eq!(repr::str_repr("it's"), "\"it's\"");
//! assert_eq!(urllib_parse::quote("a b/é", urllib_parse::Safe::DEFAULT), "a%20b/%C3%A9");
//! ```

/// `impl From<Source> for Target` for each `Source => |value| expression` (the conversions
/// of an enum's variants, mostly).
macro_rules! impl_from {
    ($target:ty { $($(#[$doc:meta])* $from:ty => |$v:ident| $body:expr),+ $(,)? }) => {
        $(impl From<$from> for $target {
            $(#[$doc])*
            fn from($v: $from) -> Self {
                $body
            }
        })+
    };
}

pub mod base64;
pub mod binascii;
pub mod builtins;
pub mod codecs;
pub mod datetime;
pub mod email_message;
pub mod email_utils;
pub mod gzip;
pub mod html;
pub mod http_client;
pub mod http_cookies;
pub mod json;
pub mod pickle;
pub mod re;
pub mod repr;
pub mod unicodedata;
pub mod urllib_parse;
pub mod zlib;

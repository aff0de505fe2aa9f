//! URL arguments for views, bound by name or by count — never by guess.
//!
//! A view's second parameter receives the route's URL arguments (its captured values, then the
//! extra `kwargs` of `path(…).kwargs(…)`, outermost `include()` first):
//!
//! | parameter | receives | checked when the URLconf is built |
//! |---|---|---|
//! | `T` ([`FromValue`]: `i64`, `u32`, `String`, `Uuid`, [`Value`], …) | the route's only argument | the route has exactly one |
//! | `(A, B, …)` (up to 4) | the route's arguments in order | the route has exactly that many |
//! | [`Kwargs<T>`] (`T: Deserialize`) | the arguments by name, like axum's `Path<T>` | `T` can be built from the route's argument names |
//! | [`Args`] | a `re_path`'s unnamed groups (`*args`) | — |
//!
//! A view taking only the request must have a route without arguments, as in Django (where
//! the call would fail with `TypeError`). So a view can never receive another capture's value:
//! `include("<int:shop>/", [path("<item>/", view)])` passes two arguments, and `view` must take
//! `(i64, String)` or a `Kwargs` struct naming them.
//!
//! At run time a value that does not fit the parameter's type (a number too large for `u8`, a
//! `re_path` group that is not a number) is a 404, like a converter refusing the value.
//!
//! # Examples
//! ```
//! use nuages::views::Kwargs;
//! use nuages::{urls::{include, path}, App, HttpRequest, HttpResponse, Settings};
//!
//! #[derive(serde::Deserialize)]
//! struct Item {
//!     shop: u32,
//!     item: String,
//! }
//!
//! async fn item(_req: HttpRequest, Kwargs(k): Kwargs<Item>) -> HttpResponse {
//!     HttpResponse::new(format!("shop {} item {}", k.shop, k.item))
//! }
//!
//! async fn shop(_req: HttpRequest, shop: u32) -> HttpResponse {
//!     HttpResponse::new(format!("shop {shop}"))
//! }
//!
//! let app = App::builder()
//!     .settings(Settings { debug: true, ..Settings::default() })
//!     .urls([
//!         path("<int:shop>/", shop),
//!         path("<int:shop>/", include([path("<item>/", item)])),
//!     ])
//!     .build()
//!     .unwrap();
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let client = nuages::test::Client::new(app);
//! assert_eq!(client.get("/3/hat/").send().await.text(), "shop 3 item hat");
//! # });
//!
//! // A view that would take the wrong value is refused when the URLconf is built.
//! async fn wrong(_req: HttpRequest, item: String) -> HttpResponse { HttpResponse::new(item) }
//! let err = App::builder()
//!     .urls([path("<int:shop>/", include([path("<item>/", wrong)]))])
//!     .settings(Settings { debug: true, ..Settings::default() })
//!     .build()
//!     .unwrap_err();
//! assert!(err.message().contains("takes 1 URL argument but the route"), "{err}");
//! ```

use std::fmt;

use indexmap::IndexMap;
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

use crate::urls::{RequestUrlsExt, ResolverMatch, Value};
use crate::{Error, Http404, HttpRequest};

/// What a view takes from its route, checked when the URLconf is built.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub enum ViewParams {
    /// Nothing: the route must have no URL arguments.
    None,
    /// This many arguments, in the route's order.
    Count(usize),
    /// Arguments by name: the function tries to build the parameter from the route's argument
    /// names (with placeholder values) and says why it cannot.
    Named(fn(&[RouteArg]) -> Result<(), String>),
    /// Whatever the route passes (no check).
    Any,
}

impl fmt::Debug for ViewParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ViewParams::None => f.write_str("None"),
            ViewParams::Count(n) => write!(f, "Count({n})"),
            ViewParams::Named(_) => f.write_str("Named"),
            ViewParams::Any => f.write_str("Any"),
        }
    }
}

/// One URL argument of a route, as the URLconf check sees it.
#[derive(Debug, Clone)]
pub struct RouteArg {
    /// The argument's name (`None` for a `re_path`'s unnamed group).
    pub name: Option<String>,
    /// A value of the kind the route produces (a converter's example, or an extra kwarg's
    /// value); `None` when any text may come (`str`, `slug`, `path`, regex groups).
    pub example: Option<Value>,
}

impl ViewParams {
    /// Checks a route's arguments against these parameters; `Err` explains the mismatch.
    pub(crate) fn check(&self, args: &[RouteArg]) -> Result<(), String> {
        let names = || {
            args.iter()
                .map(|a| a.name.as_deref().unwrap_or("(unnamed group)"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match *self {
            ViewParams::Any => Ok(()),
            ViewParams::None if args.is_empty() => Ok(()),
            ViewParams::None => Err(format!(
                "takes no URL arguments but the route passes {} ({}); add a parameter such as \
                 `Kwargs<T>` after the request",
                args.len(),
                names()
            )),
            ViewParams::Count(n) if n == args.len() => Ok(()),
            ViewParams::Count(n) => Err(format!(
                "takes {n} URL argument{} but the route passes {} ({}); take a tuple of {} or \
                 `Kwargs<T>` with a struct naming them",
                if n == 1 { "" } else { "s" },
                args.len(),
                names(),
                args.len()
            )),
            ViewParams::Named(probe) => probe(args),
        }
    }
}

fn resolver_match(request: &HttpRequest) -> Result<&ResolverMatch, Error> {
    request.resolver_match().ok_or_else(|| {
        Error::msg("the view expects URL arguments but the request was not resolved")
    })
}

/// URL arguments extracted for a view's second parameter (see the [module docs](self)).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot receive URL arguments",
    label = "not a URL-argument parameter",
    note = "a view's second parameter is one value (`i64`, `String`, `Uuid`, …), a tuple of them in route order, `nuages::views::Kwargs<T>` with `T: serde::Deserialize` to take several by name, or `nuages::views::Args`"
)]
pub trait FromKwargs: Sized + Send {
    /// What this parameter takes from the route (checked when the URLconf is built).
    fn params() -> ViewParams {
        ViewParams::Any
    }

    /// Extracts from the request's resolver match.
    ///
    /// # Errors
    /// A value that does not fit (404), or a request that was not resolved (500).
    fn from_request(request: &HttpRequest) -> Result<Self, Error>;
}

/// Conversion of one URL argument [`Value`] into a Rust type.
pub trait FromValue: Sized + Send {
    /// Converts.
    ///
    /// # Errors
    /// A value of another kind or out of range (404).
    fn from_value(value: &Value) -> Result<Self, Error>;
}

fn mismatch(value: &Value, what: &str) -> Error {
    Http404::new(format!("URL argument {value} is not {what}")).into()
}

impl FromValue for String {
    fn from_value(value: &Value) -> Result<Self, Error> {
        // The usual `<name>` / `<slug:…>` argument: a copy, without the formatting machinery.
        Ok(match value {
            Value::Str(s) => s.clone(),
            other => other.to_string(),
        })
    }
}

impl FromValue for Value {
    fn from_value(value: &Value) -> Result<Self, Error> {
        Ok(value.clone())
    }
}

impl FromValue for uuid::Uuid {
    fn from_value(value: &Value) -> Result<Self, Error> {
        match value {
            Value::Uuid(u) => Ok(*u),
            Value::Str(s) => s.parse().map_err(|_| mismatch(value, "a UUID")),
            other => Err(mismatch(other, "a UUID")),
        }
    }
}

macro_rules! int_from_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(value: &Value) -> Result<Self, Error> {
                match value {
                    Value::Int(i) => <$t>::try_from(*i).map_err(|_| mismatch(value, "in range")),
                    Value::BigInt(s) => s.parse::<$t>().map_err(|_| mismatch(value, "in range")),
                    Value::Str(s) => s.parse::<$t>().map_err(|_| mismatch(value, "an integer in range")),
                    other => Err(mismatch(other, "an integer")),
                }
            }
        }
    )*};
}
int_from_value!(i64, i32, i16, i8, u64, u32, u16, u8, usize, isize, i128, u128);

/// The route's arguments in order: keyword arguments (captured, then extra), or — when there are
/// none — the positional groups of a `re_path`.
fn ordered(m: &ResolverMatch) -> impl Iterator<Item = std::borrow::Cow<'_, Value>> {
    let positional = m.kwargs.is_empty();
    m.kwargs.values().map(std::borrow::Cow::Borrowed).chain(
        m.args
            .iter()
            .filter(move |_| positional)
            .map(|a| std::borrow::Cow::Owned(Value::Str(a.clone()))),
    )
}

impl<T: FromValue> FromKwargs for T {
    fn params() -> ViewParams {
        ViewParams::Count(1)
    }

    fn from_request(request: &HttpRequest) -> Result<Self, Error> {
        let m = resolver_match(request)?;
        match ordered(m).next() {
            Some(v) => T::from_value(&v),
            None => Err(Error::msg(
                "the view expects a URL argument but the route passed none",
            )),
        }
    }
}

macro_rules! tuple_from_kwargs {
    ($n:literal; $($t:ident),*) => {
        impl<$($t: FromValue),*> FromKwargs for ($($t,)*) {
            fn params() -> ViewParams {
                ViewParams::Count($n)
            }

            fn from_request(request: &HttpRequest) -> Result<Self, Error> {
                let m = resolver_match(request)?;
                let mut it = ordered(m);
                Ok(($(match it.next() {
                    Some(v) => $t::from_value(&v)?,
                    None => return Err(Error::msg(concat!(
                        "the view expects ", $n, " URL arguments but the route passed fewer"
                    ))),
                },)*))
            }
        }
    };
}
tuple_from_kwargs!(1; A);
tuple_from_kwargs!(2; A, B);
tuple_from_kwargs!(3; A, B, C);
tuple_from_kwargs!(4; A, B, C, D);

/// The URL arguments by name, deserialized into `T` (a struct, a map, …), like axum's `Path<T>`:
/// `<int:…>` values are integers, the others strings (numbers are parsed from them), UUIDs
/// strings.
///
/// # Examples
/// ```
/// use nuages::views::Kwargs;
/// use nuages::{HttpRequest, HttpResponse};
///
/// #[derive(serde::Deserialize)]
/// struct Archive {
///     year: i32,
///     month: Option<u8>,
/// }
///
/// async fn archive(_req: HttpRequest, Kwargs(a): Kwargs<Archive>) -> HttpResponse {
///     HttpResponse::new(format!("{} {:?}", a.year, a.month))
/// }
/// # let _ = nuages::urls::path("<int:year>/", archive);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Kwargs<T>(pub T);

impl<T: DeserializeOwned + Send> FromKwargs for Kwargs<T> {
    fn params() -> ViewParams {
        ViewParams::Named(probe::<T>)
    }

    fn from_request(request: &HttpRequest) -> Result<Self, Error> {
        let m = resolver_match(request)?;
        T::deserialize(MapDeserializer {
            entries: m.kwargs.iter().map(|(k, v)| (k, Some(v))),
        })
        .map(Kwargs)
        .map_err(|e| Http404::new(format!("URL arguments: {}", e.0)).into())
    }
}

/// Builds a `T` from the route's argument names with placeholder values.
fn probe<T: DeserializeOwned>(args: &[RouteArg]) -> Result<(), String> {
    let entries: IndexMap<&str, Option<&Value>> = args
        .iter()
        .filter_map(|a| Some((a.name.as_deref()?, a.example.as_ref())))
        .collect();
    T::deserialize(MapDeserializer {
        entries: entries.into_iter(),
    })
    .map(drop)
    .map_err(|e| {
        let names: Vec<&str> = args.iter().filter_map(|a| a.name.as_deref()).collect();
        format!(
            "takes `Kwargs<{}>`, which cannot be built from the route's arguments ({}): {}",
            std::any::type_name::<T>(),
            names.join(", "),
            e.0
        )
    })
}

/// The positional groups of a `re_path` (`*args`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args(pub Vec<String>);

impl FromKwargs for Args {
    fn from_request(request: &HttpRequest) -> Result<Self, Error> {
        Ok(Args(resolver_match(request)?.args.clone()))
    }
}

// ===== a serde Deserializer over URL arguments =====

/// A deserialization error (its text).
#[derive(Debug)]
struct DeError(String);

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError(msg.to_string())
    }
}

/// The arguments as a map; a `None` value is a placeholder that fits any type.
struct MapDeserializer<I> {
    entries: I,
}

impl<'de, 'a, I> de::Deserializer<'de> for MapDeserializer<I>
where
    I: Iterator<Item = (&'a str, Option<&'a Value>)>,
{
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_map(MapAccess {
            entries: self.entries,
            value: None,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

struct MapAccess<'a, I> {
    entries: I,
    value: Option<Option<&'a Value>>,
}

impl<'de, 'a, I> de::MapAccess<'de> for MapAccess<'a, I>
where
    I: Iterator<Item = (&'a str, Option<&'a Value>)>,
{
    type Error = DeError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(key.into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, DeError> {
        match self.value.take() {
            Some(Some(value)) => seed.deserialize(ValueDeserializer(value)),
            Some(None) => seed.deserialize(Placeholder),
            None => Err(de::Error::custom("a value without a key")),
        }
    }
}

/// One argument.
struct ValueDeserializer<'a>(&'a Value);

macro_rules! parse_number {
    ($($method:ident => $visit:ident: $t:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            match self.0 {
                Value::Int(n) => visitor.visit_i64(*n),
                Value::Str(s) | Value::BigInt(s) => match s.parse::<$t>() {
                    Ok(v) => visitor.$visit(v),
                    Err(_) => Err(de::Error::custom(format!("{s:?} is not a valid {}", stringify!($t)))),
                },
                _ => self.deserialize_any(visitor),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for ValueDeserializer<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Str(s) => visitor.visit_str(s),
            Value::Int(n) => visitor.visit_i64(*n),
            Value::Uuid(u) => visitor.visit_string(u.hyphenated().to_string()),
            other => visitor.visit_string(other.to_string()),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Str(s) => visitor.visit_str(s),
            other => visitor.visit_string(other.to_string()),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Str(s) if s == "true" => visitor.visit_bool(true),
            Value::Str(s) if s == "false" => visitor.visit_bool(false),
            _ => self.deserialize_any(visitor),
        }
    }

    parse_number! {
        deserialize_i8 => visit_i8: i8, deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32, deserialize_i64 => visit_i64: i64,
        deserialize_i128 => visit_i128: i128, deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16, deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64, deserialize_u128 => visit_u128: u128,
        deserialize_f32 => visit_f32: f32, deserialize_f64 => visit_f64: f64
    }

    serde::forward_to_deserialize_any! {
        char bytes byte_buf unit unit_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

/// A placeholder argument for the URLconf check: fits any type.
struct Placeholder;

impl<'de> de::Deserializer<'de> for Placeholder {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_str("0")
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_bool(false)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_char('0')
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let first = variants.first().copied().unwrap_or_default();
        visitor.visit_enum(first.into_deserializer())
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct identifier
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Item {
        shop: u32,
        item: String,
        page: Option<u8>,
    }

    fn arg(name: &str, example: Option<Value>) -> RouteArg {
        RouteArg {
            name: Some(name.to_owned()),
            example,
        }
    }

    #[test]
    fn counts_are_checked() {
        let args = [arg("shop", Some(Value::Int(0))), arg("item", None)];
        assert!(ViewParams::Count(2).check(&args).is_ok());
        let err = ViewParams::Count(1).check(&args).unwrap_err();
        assert!(
            err.starts_with("takes 1 URL argument but the route passes 2 (shop, item)"),
            "{err}"
        );
        assert!(ViewParams::None.check(&args).is_err());
        assert!(ViewParams::None.check(&[]).is_ok());
        assert!(ViewParams::Any.check(&args).is_ok());
    }

    #[test]
    fn named_arguments_are_probed() {
        let params = <Kwargs<Item> as FromKwargs>::params();
        let ok = [arg("shop", Some(Value::Int(0))), arg("item", None)];
        assert!(params.check(&ok).is_ok());
        let err = params.check(&[arg("item", None)]).unwrap_err();
        assert!(err.contains("missing field `shop`"), "{err}");
    }

    #[test]
    fn values_deserialize() {
        let kwargs: IndexMap<String, Value> = [
            ("shop".to_owned(), Value::Int(3)),
            ("item".to_owned(), Value::Str("hat".into())),
            ("page".to_owned(), Value::Str("2".into())),
        ]
        .into_iter()
        .collect();
        let item = Item::deserialize(MapDeserializer {
            entries: kwargs.iter().map(|(k, v)| (k.as_str(), Some(v))),
        })
        .unwrap();
        assert_eq!(
            item,
            Item {
                shop: 3,
                item: "hat".into(),
                page: Some(2)
            }
        );
        let too_big: IndexMap<String, Value> =
            [("page".to_owned(), Value::Int(300))].into_iter().collect();
        #[derive(serde::Deserialize, Debug)]
        struct Page {
            #[allow(dead_code)]
            page: u8,
        }
        assert!(Page::deserialize(MapDeserializer {
            entries: too_big.iter().map(|(k, v)| (k.as_str(), Some(v))),
        })
        .is_err());
    }
}

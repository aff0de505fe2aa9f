//! The context handed to a template: an ordered map of names to engine-neutral [`Value`]s.
//!
//! Django passes a Python `dict`; every backend reads Python objects from it. nuages keeps
//! the values in a small model of its own — the Python types templates meet (None, bool,
//! int, float, str, a string marked safe, date/datetime/time, list, dict, and objects with
//! attributes and methods ([`TemplateObject`]) — and each backend converts them into its
//! engine's values. Any `serde::Serialize` value can be added with
//! [`Context::insert_serialize`]; dates need [`Value::from`] with a chrono type (serde
//! would make them strings).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use indexmap::IndexMap;

use crate::utils::dateformat::DateValue;

/// A value in a template [`Context`], modelled on the Python objects Django templates receive.
///
/// # Examples
/// ```
/// use nuages::template::Value;
/// assert_eq!(Value::from("x"), Value::Str("x".into()));
/// assert_eq!(Value::from(vec![1, 2]), Value::List(vec![Value::Int(1), Value::Int(2)]));
/// assert_eq!(Value::from(None::<i64>), Value::None);
/// assert_eq!(Value::safe("<b>"), Value::Safe("<b>".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub enum Value {
    /// `None`.
    #[default]
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An `int`.
    Int(i64),
    /// A `float`.
    Float(f64),
    /// A `str` (escaped when autoescaping).
    Str(String),
    /// A `SafeString` (`mark_safe`): never escaped.
    Safe(String),
    /// A `date`, `datetime` or `time`.
    Date(DateValue),
    /// A `list`.
    List(Vec<Value>),
    /// A `dict` (insertion order kept).
    Map(IndexMap<String, Value>),
    /// An object with attributes and methods (`page_obj`, `paginator`).
    Object(SharedObject),
}

/// A Python object as templates see it: attributes (`page_obj.number`), methods
/// (`page_obj.has_next()`), optionally iteration, and `str()`.
///
/// # Examples
/// ```
/// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Context, Engines, TemplateObject, Value};
///
/// #[derive(Debug)]
/// struct Temperature(i64);
///
/// impl TemplateObject for Temperature {
///     fn attr(&self, name: &str) -> Option<Value> {
///         (name == "celsius").then(|| Value::Int(self.0))
///     }
///     fn call_method(&self, name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
///         (name == "is_freezing").then(|| Ok(Value::Bool(self.0 <= 0)))
///     }
///     fn to_str(&self) -> String {
///         format!("{} °C", self.0)
///     }
/// }
///
/// let engines = Engines::new([EngineConfig::new(Jinja2Backend)]).unwrap();
/// let t = engines.get("jinja2").unwrap()
///     .from_string("{{ t }} {{ t.celsius }} {{ t.is_freezing() }}").unwrap();
/// let ctx = Context::new().with("t", Value::object(Temperature(-3)));
/// assert_eq!(t.render(&ctx, None).unwrap(), "-3 °C -3 True");
/// ```
pub trait TemplateObject: fmt::Debug + Send + Sync + 'static {
    /// The attribute `name`, if the object has it.
    fn attr(&self, name: &str) -> Option<Value>;

    /// Calls the method `name`: `None` if there is no such method, `Some(Err(message))` if it
    /// raises.
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let _ = (name, args);
        None
    }

    /// The items, for an iterable object (`for x in page_obj`, `page_obj|length`).
    fn items(&self) -> Option<Vec<Value>> {
        None
    }

    /// Python's `str()` of the object.
    fn to_str(&self) -> String;

    /// Python's `bool()` of the object (`{% if obj %}`); by default true, or for an iterable
    /// object whether it has items.
    fn is_true(&self) -> bool {
        self.items().is_none_or(|items| !items.is_empty())
    }
}

/// A [`TemplateObject`] in a [`Value`]: shared, equal only to itself.
///
/// # Examples
/// ```
/// # #[derive(Debug)] struct O;
/// # impl nuages::template::TemplateObject for O {
/// #     fn attr(&self, _: &str) -> Option<nuages::template::Value> { None }
/// #     fn to_str(&self) -> String { "o".into() }
/// # }
/// let v = nuages::template::Value::object(O);
/// assert_eq!(v.clone(), v);
/// assert_ne!(v, nuages::template::Value::object(O));
/// ```
#[derive(Clone)]
pub struct SharedObject(pub Arc<dyn TemplateObject>);

impl fmt::Debug for SharedObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl PartialEq for SharedObject {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Value {
    /// A string marked safe (Django's `mark_safe`): rendered without escaping.
    ///
    /// # Examples
    /// ```
    /// use nuages::template::{backends::{jinja2::Jinja2Backend, EngineConfig}, Context, Engines, Value};
    /// let engines = Engines::new([EngineConfig::new(Jinja2Backend)]).unwrap();
    /// let t = engines.get("jinja2").unwrap().from_string("{{ a }}{{ b }}").unwrap();
    /// let ctx = Context::new().with("a", Value::safe("<b>")).with("b", "<b>");
    /// assert_eq!(t.render(&ctx, None).unwrap(), "<b>&lt;b&gt;");
    /// ```
    pub fn safe(html: impl Into<String>) -> Self {
        Value::Safe(html.into())
    }

    /// An object with attributes and methods (see [`TemplateObject`]).
    pub fn object(object: impl TemplateObject) -> Self {
        Value::Object(SharedObject(Arc::new(object)))
    }

    /// Converts any `Serialize` value (through `serde_json`: maps keep their order, numbers
    /// that fit `i64` become [`Value::Int`]).
    ///
    /// # Errors
    /// The value cannot be serialized.
    ///
    /// # Examples
    /// ```
    /// #[derive(serde::Serialize)]
    /// struct Book { title: &'static str, pages: u32 }
    /// let v = nuages::template::Value::from_serialize(&Book { title: "Dune", pages: 412 }).unwrap();
    /// let nuages::template::Value::Map(m) = v else { panic!() };
    /// assert_eq!(m["pages"], nuages::template::Value::Int(412));
    /// ```
    pub fn from_serialize<T: serde::Serialize + ?Sized>(
        value: &T,
    ) -> Result<Self, serde_json::Error> {
        Ok(Value::from(serde_json::to_value(value)?))
    }
}

impl From<serde_json::Value> for Value {
    fn from(v: serde_json::Value) -> Self {
        match v {
            serde_json::Value::Null => Value::None,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            serde_json::Value::String(s) => Value::Str(s),
            serde_json::Value::Array(a) => Value::List(a.into_iter().map(Value::from).collect()),
            serde_json::Value::Object(o) => {
                Value::Map(o.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
            }
        }
    }
}

macro_rules! value_from {
    ($($t:ty => $variant:ident),* $(,)?) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Self {
                Value::$variant(v.into())
            }
        }
    )*};
}
value_from!(
    bool => Bool, i32 => Int, i64 => Int, u8 => Int, u16 => Int, u32 => Int, f32 => Float,
    f64 => Float, String => Str, &str => Str, DateValue => Date,
    chrono::NaiveDate => Date, chrono::NaiveDateTime => Date, chrono::NaiveTime => Date,
);

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Str(v.clone())
    }
}

impl From<u64> for Value {
    fn from(v: u64) -> Self {
        i64::try_from(v).map_or(Value::Float(v as f64), Value::Int)
    }
}

impl From<usize> for Value {
    fn from(v: usize) -> Self {
        Value::from(v as u64)
    }
}

impl<Tz: chrono::TimeZone> From<chrono::DateTime<Tz>> for Value {
    fn from(v: chrono::DateTime<Tz>) -> Self {
        Value::Date(DateValue::from(v))
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::None, Into::into)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Self {
        Value::List(v.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Value> + Clone> From<&[T]> for Value {
    fn from(v: &[T]) -> Self {
        Value::List(v.iter().cloned().map(Into::into).collect())
    }
}

impl<K: Into<String>, V: Into<Value>> From<IndexMap<K, V>> for Value {
    fn from(m: IndexMap<K, V>) -> Self {
        Value::Map(m.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

impl<K: Into<String>, V: Into<Value>> From<BTreeMap<K, V>> for Value {
    fn from(m: BTreeMap<K, V>) -> Self {
        Value::Map(m.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

impl<K: Into<String>, V: Into<Value>, S> From<HashMap<K, V, S>> for Value {
    fn from(m: HashMap<K, V, S>) -> Self {
        Value::Map(m.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Value {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Value::Map(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

/// The variables of a render: Django's context `dict`.
///
/// # Examples
/// ```
/// use nuages::template::{Context, Value};
/// let mut ctx = Context::new().with("title", "Books").with("count", 3);
/// ctx.insert("empty", Value::None);
/// assert_eq!(ctx.get("count"), Some(&Value::Int(3)));
/// assert_eq!(ctx.len(), 3);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Context {
    vars: IndexMap<String, Value>,
}

impl Context {
    /// An empty context.
    ///
    /// # Examples
    /// ```
    /// assert!(nuages::template::Context::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Context::default()
    }

    /// Adds (or replaces) a variable, builder style.
    ///
    /// # Examples
    /// ```
    /// let ctx = nuages::template::Context::new().with("a", 1).with("a", 2);
    /// assert_eq!(ctx.get("a"), Some(&2.into()));
    /// ```
    pub fn with(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.insert(name, value);
        self
    }

    /// Adds (or replaces) a variable.
    ///
    /// # Examples
    /// ```
    /// let mut ctx = nuages::template::Context::new();
    /// ctx.insert("a", "x").insert("b", true);
    /// assert_eq!(ctx.len(), 2);
    /// ```
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<Value>) -> &mut Self {
        self.vars.insert(name.into(), value.into());
        self
    }

    /// Adds a variable from any `Serialize` value (see [`Value::from_serialize`]).
    ///
    /// # Errors
    /// The value cannot be serialized.
    ///
    /// # Examples
    /// ```
    /// let mut ctx = nuages::template::Context::new();
    /// ctx.insert_serialize("tags", &["a", "b"]).unwrap();
    /// assert_eq!(ctx.get("tags"), Some(&nuages::template::Value::from(vec!["a", "b"])));
    /// ```
    pub fn insert_serialize<T: serde::Serialize + ?Sized>(
        &mut self,
        name: impl Into<String>,
        value: &T,
    ) -> Result<&mut Self, serde_json::Error> {
        let v = Value::from_serialize(value)?;
        Ok(self.insert(name, v))
    }

    /// `dict.update(other)`: every variable of `other` added, replacing those of the same name.
    ///
    /// # Examples
    /// ```
    /// let mut ctx = nuages::template::Context::new().with("a", 1);
    /// ctx.update(nuages::template::Context::new().with("a", 2).with("b", 3));
    /// assert_eq!(ctx.get("a"), Some(&2.into()));
    /// ```
    pub fn update(&mut self, other: Context) -> &mut Self {
        self.vars.extend(other.vars);
        self
    }

    /// A variable.
    ///
    /// # Examples
    /// ```
    /// let ctx = nuages::template::Context::new().with("a", 1);
    /// assert!(ctx.get("b").is_none());
    /// ```
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.vars.get(name)
    }

    /// A variable, mutably (to change a context before rendering).
    ///
    /// # Examples
    /// ```
    /// let mut ctx = nuages::template::Context::new().with("a", 1);
    /// *ctx.get_mut("a").unwrap() = 5.into();
    /// assert_eq!(ctx.get("a"), Some(&5.into()));
    /// ```
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Value> {
        self.vars.get_mut(name)
    }

    /// Removes a variable.
    ///
    /// # Examples
    /// ```
    /// let mut ctx = nuages::template::Context::new().with("a", 1);
    /// assert_eq!(ctx.remove("a"), Some(1.into()));
    /// assert!(ctx.is_empty());
    /// ```
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.vars.shift_remove(name)
    }

    /// The number of variables.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(nuages::template::Context::new().with("a", 1).len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.vars.len()
    }

    /// Whether there is no variable.
    ///
    /// # Examples
    /// ```
    /// assert!(!nuages::template::Context::new().with("a", 1).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    /// The variables in insertion order.
    ///
    /// # Examples
    /// ```
    /// let ctx = nuages::template::Context::new().with("b", 1).with("a", 2);
    /// assert_eq!(ctx.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["b", "a"]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> + '_ {
        self.vars.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Context {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Context {
            vars: iter
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }
}

impl<'a> IntoIterator for &'a Context {
    type Item = (&'a String, &'a Value);
    type IntoIter = indexmap::map::Iter<'a, String, Value>;
    fn into_iter(self) -> Self::IntoIter {
        self.vars.iter()
    }
}

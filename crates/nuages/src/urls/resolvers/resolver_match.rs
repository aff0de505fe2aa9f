//! The result of resolving a path (↔ `django.urls.ResolverMatch`).

use indexmap::IndexMap;

use crate::urls::converters::Value;
use crate::views::ViewFn;

/// A successful URL resolution (↔ `django.urls.ResolverMatch`): the view to call and its
/// arguments.
///
/// # Examples
///
/// ```
/// use nuages::urls::{include, path, Urls, Value};
/// use nuages::views::ViewFn;
///
/// let urls = Urls::new([path(
///     "shop/<int:shop>/",
///     include([path("items/<slug:item>/", ViewFn::named("shop::item")).name("item")])
///         .app_name("shop"),
/// )])
/// .unwrap();
/// let m = urls.resolve("/shop/3/items/red-hat/").unwrap();
/// assert_eq!(m.url_name.as_deref(), Some("item"));
/// assert_eq!(m.view_name(), "shop:item");
/// assert_eq!(m.route, "shop/<int:shop>/items/<slug:item>/");
/// assert_eq!(m.kwarg("shop"), Some(&Value::Int(3)));
/// assert_eq!(m.kwarg("item"), Some(&Value::from("red-hat")));
/// ```
#[derive(Debug, Clone)]
pub struct ResolverMatch {
    /// The view (↔ `func`).
    pub func: ViewFn,
    /// Positional arguments: unnamed `re_path()` groups, only when no keyword argument exists
    /// anywhere on the match (a non-participating group gives an empty string, where Django
    /// passes `None`).
    pub args: Vec<String>,
    /// Keyword arguments: captured values (typed by their converter; strings for `re_path()`),
    /// merged with the extra `kwargs` of the pattern and of the enclosing includes.
    pub kwargs: IndexMap<String, Value>,
    /// The pattern's name, if any.
    pub url_name: Option<String>,
    /// Application namespaces from the root, non-empty ones only.
    pub app_names: Vec<String>,
    /// Instance namespaces from the root, non-empty ones only.
    pub namespaces: Vec<String>,
    /// The matched route: include prefixes and the pattern's route / regex concatenated
    /// (e.g. `outer/<int:o>/x/inner/<slug:s>/`).
    pub route: String,
    /// Keyword arguments captured by the final pattern; left empty when they can be derived
    /// from [`ResolverMatch::kwargs`] minus the extra kwargs (the common case), on first use.
    pub(crate) captured_kwargs: std::sync::OnceLock<IndexMap<String, Value>>,
    /// The extra kwargs of the final pattern and of its includes; `None` when there are none.
    pub(crate) extra_kwargs: Option<std::sync::Arc<IndexMap<String, Value>>>,
}

static NO_KWARGS: std::sync::LazyLock<IndexMap<String, Value>> =
    std::sync::LazyLock::new(IndexMap::new);

impl ResolverMatch {
    /// Keyword arguments captured by the final pattern, before merging extra kwargs
    /// (↔ `captured_kwargs`).
    pub fn captured_kwargs(&self) -> &IndexMap<String, Value> {
        self.captured_kwargs.get_or_init(|| {
            let extra = self.extra_kwargs();
            self.kwargs
                .iter()
                .filter(|(k, _)| !extra.contains_key(*k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
    }

    /// The extra kwargs of the final pattern and of its includes (↔ `extra_kwargs`).
    pub fn extra_kwargs(&self) -> &IndexMap<String, Value> {
        self.extra_kwargs.as_deref().unwrap_or(&NO_KWARGS)
    }

    /// The application namespaces joined with `:` (↔ `app_name`).
    pub fn app_name(&self) -> String {
        self.app_names.join(":")
    }

    /// The instance namespaces joined with `:` (↔ `namespace`).
    pub fn namespace(&self) -> String {
        self.namespaces.join(":")
    }

    /// The namespaced name of the match, e.g. `ns:detail` (↔ `view_name`); without a pattern
    /// name, the view's name (↔ `_func_path`) is used.
    pub fn view_name(&self) -> String {
        let last = self.url_name.as_deref().unwrap_or_else(|| self.func.name());
        let mut s = String::with_capacity(
            last.len() + self.namespaces.iter().map(|n| n.len() + 1).sum::<usize>(),
        );
        for ns in &self.namespaces {
            s.push_str(ns);
            s.push(':');
        }
        s.push_str(last);
        s
    }

    /// A keyword argument by name.
    pub fn kwarg(&self, name: &str) -> Option<&Value> {
        self.kwargs.get(name)
    }
}

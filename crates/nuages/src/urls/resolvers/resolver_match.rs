//! The result of resolving a path (↔ `django.urls.ResolverMatch`).

use std::sync::{Arc, OnceLock};

use super::url_kwargs::UrlKwargs;
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
/// assert_eq!(m.url_name(), Some("item"));
/// assert_eq!(m.view_name(), "shop:item");
/// assert_eq!(m.route(), "shop/<int:shop>/items/<slug:item>/");
/// assert_eq!(m.kwarg("shop"), Some(&Value::Int(3)));
/// assert_eq!(m.kwarg("item"), Some(&Value::from("red-hat")));
/// ```
#[derive(Debug, Clone)]
pub struct ResolverMatch {
    /// Positional arguments: unnamed `re_path()` groups, only when no keyword argument exists
    /// anywhere on the match (a non-participating group gives an empty string, where Django
    /// passes `None`).
    pub args: Vec<String>,
    /// Keyword arguments: captured values (typed by their converter; strings for `re_path()`),
    /// merged with the extra `kwargs` of the pattern and of the enclosing includes.
    pub kwargs: UrlKwargs,
    /// What every match of this pattern shares.
    pub(crate) meta: Arc<MatchMeta>,
    /// Keyword arguments captured by the final pattern; left empty when they can be derived
    /// from [`ResolverMatch::kwargs`] minus the extra kwargs (the common case), on first use.
    pub(crate) captured_kwargs: OnceLock<UrlKwargs>,
}

/// What every match of one URL pattern shares: its view, names, route and extra kwargs. A
/// pattern is reached through one chain of includes only, so this is computed on the
/// pattern's first match and then shared by reference count.
#[derive(Debug)]
pub(crate) struct MatchMeta {
    pub(crate) func: ViewFn,
    pub(crate) url_name: Option<String>,
    pub(crate) app_names: Vec<String>,
    pub(crate) namespaces: Vec<String>,
    pub(crate) route: String,
    /// The extra kwargs of every level, `(level, name, value)`, outermost first, in the order
    /// they are merged into a match's kwargs.
    pub(crate) defaults: Vec<(usize, Arc<str>, Value)>,
    /// The extra kwargs merged (↔ `extra_kwargs`).
    pub(crate) extra_kwargs: UrlKwargs,
    /// One more than the deepest level with extra kwargs (0 without any): positional
    /// arguments above it are dropped.
    pub(crate) defaults_depth: usize,
    /// Whether an include above the final pattern has extra kwargs.
    pub(crate) upper_defaults: bool,
}

impl ResolverMatch {
    /// The view (↔ `func`).
    pub fn func(&self) -> &ViewFn {
        &self.meta.func
    }

    /// The pattern's name, if any (↔ `url_name`).
    pub fn url_name(&self) -> Option<&str> {
        self.meta.url_name.as_deref()
    }

    /// Application namespaces from the root, non-empty ones only.
    pub fn app_names(&self) -> &[String] {
        &self.meta.app_names
    }

    /// Instance namespaces from the root, non-empty ones only.
    pub fn namespaces(&self) -> &[String] {
        &self.meta.namespaces
    }

    /// The matched route: include prefixes and the pattern's route / regex concatenated
    /// (e.g. `outer/<int:o>/x/inner/<slug:s>/`; ↔ `route`).
    pub fn route(&self) -> &str {
        &self.meta.route
    }

    /// Keyword arguments captured by the final pattern, before merging extra kwargs
    /// (↔ `captured_kwargs`).
    pub fn captured_kwargs(&self) -> &UrlKwargs {
        self.captured_kwargs.get_or_init(|| {
            let extra = self.extra_kwargs();
            self.kwargs
                .iter()
                .filter(|(k, _)| !extra.contains_key(k))
                .map(|(k, v)| (k, v.clone()))
                .collect()
        })
    }

    /// The extra kwargs of the final pattern and of its includes (↔ `extra_kwargs`).
    pub fn extra_kwargs(&self) -> &UrlKwargs {
        &self.meta.extra_kwargs
    }

    /// The application namespaces joined with `:` (↔ `app_name`).
    pub fn app_name(&self) -> String {
        self.meta.app_names.join(":")
    }

    /// The instance namespaces joined with `:` (↔ `namespace`).
    pub fn namespace(&self) -> String {
        self.meta.namespaces.join(":")
    }

    /// The namespaced name of the match, e.g. `ns:detail` (↔ `view_name`); without a pattern
    /// name, the view's name (↔ `_func_path`) is used.
    pub fn view_name(&self) -> String {
        let last = self.url_name().unwrap_or_else(|| self.func().name());
        let mut s = String::with_capacity(
            last.len() + self.namespaces().iter().map(|n| n.len() + 1).sum::<usize>(),
        );
        for ns in self.namespaces() {
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

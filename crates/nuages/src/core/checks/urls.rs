//! The equivalent of `django/core/checks/urls.py`: the checks of the URLconf and of the URL
//! settings, plus nuages's `urls.W900` (a URL name that can never be reversed).
//!
//! The checks of single patterns (`urls.W001`, `urls.W002`, `urls.W003`, `urls.W010`,
//! `2_0.W001`) live with the patterns, as in Django's `resolvers.py`; [`check_url_config`]
//! runs them.
//!
//! # Examples
//!
//! ```
//! use nuages::core::checks::urls::check_url_names_reversible;
//! use nuages::urls::{path, Urls};
//! use nuages::views::ViewFn;
//!
//! let urls = Urls::new([
//!     path("articles/<int:pk>/", ViewFn::named("article")).name("detail"),
//!     path("posts/<int:pk>/", ViewFn::named("post")).name("detail"),
//!     // Same name, other arguments: reverse() tells them apart.
//!     path("articles/", ViewFn::named("articles")).name("list"),
//!     path("articles/<int:year>/", ViewFn::named("by_year")).name("list"),
//! ])
//! .unwrap();
//! let messages = check_url_names_reversible(&urls);
//! assert_eq!(messages.len(), 1);
//! assert_eq!(
//!     messages[0].to_string(),
//!     "?: (urls.W900) URL name 'detail' is used by 'articles/<int:pk>/' and again by \
//!      'posts/<int:pk>/', which takes the same arguments: reverse() always finds the later \
//!      pattern, so 'articles/<int:pk>/' can never be reversed.\n\
//!      \tHINT: Rename one of them or remove the duplicate."
//! );
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use indexmap::IndexMap;

use crate::conf::Settings;
use crate::core::checks::CheckMessage;
use crate::urls::converters::Value;
use crate::urls::resolvers::normalize::normalize;
use crate::urls::resolvers::pattern::CompiledPattern;
use crate::urls::resolvers::{Entry, ResolverNode};
use crate::urls::Urls;

/// Django's `check_url_config`: the checks of every pattern of the URLconf (`urls.W001`,
/// `urls.W002` — only when `APPEND_SLASH` is on —, `urls.W003`, `urls.W010`, `2_0.W001`).
///
/// # Examples
///
/// ```
/// use nuages::core::checks::urls::check_url_config;
/// use nuages::urls::{path, Urls};
/// use nuages::views::ViewFn;
/// use nuages::Settings;
///
/// let urls = Urls::new([path("^about/$", ViewFn::named("about")).name("about")]).unwrap();
/// let messages = check_url_config(&urls, &Settings::default());
/// assert_eq!(messages[0].id.as_deref(), Some("2_0.W001"));
/// assert!(messages[0].msg.starts_with("Your URL pattern '^about/$' [name='about'] has a route"));
/// ```
pub fn check_url_config(urls: &Urls, settings: &Settings) -> Vec<CheckMessage> {
    urls.check_resolver(settings.append_slash)
}

/// Django's `check_url_namespaces_unique` (`urls.W005`): a namespace (nested ones joined with
/// `:`) given to more than one `include()`, so `reverse()` reaches only one of them.
///
/// Django's message, with a hint added.
///
/// # Examples
///
/// ```
/// use nuages::core::checks::urls::check_url_namespaces_unique;
/// use nuages::urls::{include, path, Urls};
/// use nuages::views::ViewFn;
///
/// let blog = || include([path("", ViewFn::named("index")).name("index")]).app_name("blog");
/// let urls = Urls::new([path("a/", blog()), path("b/", blog().namespace("b"))]).unwrap();
/// assert!(check_url_namespaces_unique(&urls).is_empty());
/// let urls = Urls::new([path("a/", blog()), path("b/", blog())]).unwrap();
/// assert_eq!(
///     check_url_namespaces_unique(&urls)[0].msg,
///     "URL namespace 'blog' isn't unique. You may not be able to reverse all URLs in this namespace"
/// );
/// ```
pub fn check_url_namespaces_unique(urls: &Urls) -> Vec<CheckMessage> {
    let mut all = Vec::new();
    load_all_namespaces(urls, urls.root(), &[], &mut all);
    let mut counts: IndexMap<&str, usize> = IndexMap::new();
    for namespace in &all {
        *counts.entry(namespace.as_str()).or_default() += 1;
    }
    counts
        .into_iter()
        .filter(|(_, count)| *count > 1)
        .map(|(namespace, _)| {
            CheckMessage::warning(format!(
                "URL namespace '{namespace}' isn't unique. You may not be able to reverse all \
                 URLs in this namespace"
            ))
            .hint("Give each include() its own instance namespace with .namespace(\"…\").")
            .id("urls.W005")
        })
        .collect()
}

/// `_load_all_namespaces(resolver, parents)`: every namespace below `node`, nested ones joined
/// with `:`.
fn load_all_namespaces(urls: &Urls, node: &ResolverNode, parents: &[&str], out: &mut Vec<String>) {
    for sub in sub_resolvers(urls, node) {
        if let Some(namespace) = &sub.namespace {
            let mut path = parents.to_vec();
            path.push(namespace);
            out.push(path.join(":"));
        }
    }
    for sub in sub_resolvers(urls, node) {
        let mut current = parents.to_vec();
        if let Some(namespace) = &sub.namespace {
            current.push(namespace);
        }
        load_all_namespaces(urls, sub, &current, out);
    }
}

/// The `include()`s directly under `node`.
fn sub_resolvers<'u>(
    urls: &'u Urls,
    node: &'u ResolverNode,
) -> impl Iterator<Item = &'u ResolverNode> + 'u {
    node.entries.iter().filter_map(move |entry| match entry {
        Entry::Resolver(id) => Some(&urls.inner.nodes[*id]),
        Entry::Pattern(_) => None,
    })
}

/// Django's `check_url_settings` (`urls.E006`): `STATIC_URL` and `MEDIA_URL`, when set, must
/// end with `/`. An error: the application is not built.
///
/// # Examples
///
/// ```
/// use nuages::core::checks::urls::check_url_settings;
/// use nuages::Settings;
///
/// assert!(check_url_settings(&Settings::default()).is_empty());
/// let settings = Settings { static_url: Some("/static".into()), ..Settings::default() };
/// assert_eq!(
///     check_url_settings(&settings)[0].to_string(),
///     "?: (urls.E006) The STATIC_URL setting must end with a slash."
/// );
/// ```
pub fn check_url_settings(settings: &Settings) -> Vec<CheckMessage> {
    [
        ("STATIC_URL", settings.static_url.as_deref().unwrap_or("")),
        ("MEDIA_URL", settings.media_url.as_str()),
    ]
    .into_iter()
    .filter(|(_, value)| !value.is_empty() && !value.ends_with('/'))
    .map(|(name, _)| {
        CheckMessage::error(format!("The {name} setting must end with a slash.")).id("urls.E006")
    })
    .collect()
}

/// nuages's `urls.W900`: two patterns of the same namespace with the same name that accept
/// exactly the same arguments (the same parameters in the same order, with the same converters
/// or regex groups, and the same extra kwargs).
///
/// Django allows a name on several patterns and `reverse()` picks among them by their
/// arguments, trying the last declared first; when two of them accept the same arguments, the
/// earlier one is never reached. Patterns whose arguments merely differ (other names, other
/// converters, another order) are not reported, nor are regexes too complex to compare
/// (alternatives, optional or repeated groups).
///
/// # Examples
///
/// ```
/// use nuages::core::checks::urls::check_url_names_reversible;
/// use nuages::urls::{re_path, Urls};
/// use nuages::views::ViewFn;
///
/// let urls = Urls::new([
///     re_path(r"^y/(?P<year>[0-9]{4})/$", ViewFn::named("a")).name("year"),
///     re_path(r"^year/(?P<year>[0-9]{4})/$", ViewFn::named("b")).name("year"),
///     re_path(r"^n/(?P<n>[0-9]+)/$", ViewFn::named("c")).name("n"),
///     re_path(r"^n/(?P<n>[a-z]+)/$", ViewFn::named("d")).name("n"),
/// ])
/// .unwrap();
/// let messages = check_url_names_reversible(&urls);
/// assert_eq!(messages.len(), 1);
/// assert!(messages[0].msg.starts_with("URL name 'year' is used by '^y/(?P<year>[0-9]{4})/$'"));
/// ```
pub fn check_url_names_reversible(urls: &Urls) -> Vec<CheckMessage> {
    let mut scopes = vec![Scope::default()];
    collect_names(urls, urls.root(), &Walk::default(), 0, &mut scopes);
    let mut messages = Vec::new();
    for scope in &scopes {
        let mut by_name: IndexMap<&str, Vec<&NamedRoute<'_>>> = IndexMap::new();
        for named in &scope.names {
            by_name.entry(named.name).or_default().push(named);
        }
        for same_name in by_name.values() {
            for (i, earlier) in same_name.iter().enumerate() {
                let Some(signature) = &earlier.signature else {
                    continue;
                };
                // reverse() tries the last declared pattern first: name the one that wins.
                let winner = same_name[i + 1..]
                    .iter()
                    .rev()
                    .find(|later| later.signature.as_ref() == Some(signature));
                let Some(later) = winner else { continue };
                let name = match &scope.label {
                    Some(label) => format!("{label}:{}", earlier.name),
                    None => earlier.name.to_owned(),
                };
                messages.push(
                    CheckMessage::warning(format!(
                        "URL name '{name}' is used by '{}' and again by '{}', which takes the \
                         same arguments: reverse() always finds the later pattern, so '{}' can \
                         never be reversed.",
                        earlier.route, later.route, earlier.route
                    ))
                    .hint("Rename one of them or remove the duplicate.")
                    .id("urls.W900"),
                );
            }
        }
    }
    messages
}

/// The named patterns one namespace reverses (a `reverse_dict`).
#[derive(Default)]
struct Scope<'u> {
    /// The namespace path (`blog:comments`); `None` for the root.
    label: Option<String>,
    /// In declaration order.
    names: Vec<NamedRoute<'u>>,
}

struct NamedRoute<'u> {
    name: &'u str,
    /// The full route from the root, joined like `ResolverMatch.route`.
    route: String,
    /// `None` when the arguments cannot be compared.
    signature: Option<Signature>,
}

/// What `reverse()` accepts for a pattern.
#[derive(Debug, PartialEq)]
struct Signature {
    /// The parameters of the only form, in order, with what each value must match.
    params: Vec<(String, Constraint)>,
    /// The extra kwargs (`reverse()` accepts them, with these values only).
    defaults: IndexMap<String, Value>,
}

/// What a parameter's value must match.
#[derive(Debug, PartialEq)]
enum Constraint {
    /// A converter, by identity (the registry hands out one shared instance per name).
    Converter(usize),
    /// A regex group, by its text.
    Group(String),
}

/// The path from a scope's resolver down to the current one.
#[derive(Default, Clone)]
struct Walk<'u> {
    /// The full route so far (from the root).
    route: String,
    /// The patterns of the includes between the scope's resolver and here.
    prefixes: Vec<&'u CompiledPattern>,
    /// Their extra kwargs, outermost first.
    kwargs: Vec<&'u IndexMap<String, Value>>,
}

/// `_join_route`: the second route loses its leading `^` unless nothing precedes it.
fn join_route(first: &str, second: &str) -> String {
    if first.is_empty() {
        second.to_owned()
    } else {
        format!("{first}{}", second.strip_prefix('^').unwrap_or(second))
    }
}

fn collect_names<'u>(
    urls: &'u Urls,
    node: &'u ResolverNode,
    walk: &Walk<'u>,
    scope: usize,
    scopes: &mut Vec<Scope<'u>>,
) {
    for entry in &node.entries {
        match entry {
            Entry::Pattern(p) => {
                let Some(name) = p.name.as_deref() else {
                    continue;
                };
                let mut pieces = walk.prefixes.clone();
                pieces.push(&p.pattern);
                // `{**defaults, **url_pattern.default_kwargs}` at each include, inside out.
                let mut defaults = (*p.default_args).clone();
                for kwargs in walk.kwargs.iter().rev() {
                    for (k, v) in kwargs.iter() {
                        defaults.insert(k.clone(), v.clone());
                    }
                }
                scopes[scope].names.push(NamedRoute {
                    name,
                    route: join_route(&walk.route, &p.pattern.describe),
                    signature: signature(&pieces, defaults),
                });
            }
            Entry::Resolver(id) => {
                let sub = &urls.inner.nodes[*id];
                let route = join_route(&walk.route, &sub.pattern.describe);
                if sub.app_name.is_some() {
                    let namespace = sub.namespace.clone().unwrap_or_default();
                    let label = match &scopes[scope].label {
                        Some(outer) => format!("{outer}:{namespace}"),
                        None => namespace,
                    };
                    scopes.push(Scope {
                        label: Some(label),
                        names: Vec::new(),
                    });
                    let inner = Walk {
                        route,
                        ..Walk::default()
                    };
                    let id = scopes.len() - 1;
                    collect_names(urls, sub, &inner, id, scopes);
                } else {
                    let mut inner = walk.clone();
                    inner.route = route;
                    inner.prefixes.push(&sub.pattern);
                    inner.kwargs.push(&sub.default_kwargs);
                    collect_names(urls, sub, &inner, scope, scopes);
                }
            }
        }
    }
}

/// The arguments `reverse()` accepts for the pattern made of `pieces` (includes, then the
/// view's pattern), or `None` when they cannot be compared.
fn signature(pieces: &[&CompiledPattern], defaults: IndexMap<String, Value>) -> Option<Signature> {
    let regex: String = pieces
        .iter()
        .map(|p| p.py_regex.strip_prefix('^').unwrap_or(&p.py_regex))
        .collect();
    let forms = normalize(&regex).ok()?;
    let [(_, params)] = forms.as_slice() else {
        return None;
    };
    let groups = Groups::scan(&regex)?;
    let mut converters = HashMap::new();
    for piece in pieces {
        for (name, converter) in &piece.converters {
            converters.insert(name.as_str(), converter);
        }
    }
    let mut seen = Vec::with_capacity(params.len());
    let mut out = Vec::with_capacity(params.len());
    for param in params {
        if seen.contains(&param) {
            // A repeated group (`{2}`): not compared.
            return None;
        }
        seen.push(param);
        let constraint = if let Some(converter) = converters.get(param.as_str()) {
            Constraint::Converter(Arc::as_ptr(converter).cast::<()>() as usize)
        } else if let Some(body) = groups.named.get(param.as_str()) {
            Constraint::Group(body.clone())
        } else {
            let index: usize = param.strip_prefix('_')?.parse().ok()?;
            Constraint::Group(groups.unnamed.get(index)?.clone())
        };
        out.push((param.clone(), constraint));
    }
    Some(Signature {
        params: out,
        defaults,
    })
}

/// The capturing groups `normalize()` turns into parameters: those not nested in another
/// capturing group or in a look-around.
#[derive(Debug, Default, PartialEq)]
struct Groups {
    named: HashMap<String, String>,
    unnamed: Vec<String>,
}

impl Groups {
    /// `None` for an alternation, unbalanced parentheses or an unterminated class.
    fn scan(regex: &str) -> Option<Groups> {
        enum Open {
            Named(String),
            Unnamed(usize),
            /// Non-capturing: groups inside still count.
            Transparent,
            /// A look-around or a group nested in a capturing one: groups inside do not count.
            Opaque,
        }
        let bytes = regex.as_bytes();
        let mut groups = Groups::default();
        let mut unnamed: Vec<Option<String>> = Vec::new();
        let mut stack: Vec<(usize, Open)> = Vec::new();
        let mut opaque = 0usize;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 1,
                b'|' => return None,
                b'[' => {
                    i += 1;
                    if bytes.get(i) == Some(&b'^') {
                        i += 1;
                    }
                    if bytes.get(i) == Some(&b']') {
                        i += 1;
                    }
                    while *bytes.get(i)? != b']' {
                        if bytes[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                }
                b'(' => {
                    let rest = &regex[i..];
                    let (open, body) = if opaque > 0 {
                        (Open::Opaque, i + 1)
                    } else if let Some(named) = rest.strip_prefix("(?P<") {
                        let end = named.find('>')?;
                        (Open::Named(named[..end].to_owned()), i + 4 + end + 1)
                    } else if rest.starts_with("(?:") {
                        (Open::Transparent, i + 3)
                    } else if rest.starts_with("(?") {
                        // Look-arounds, `(?P=name)` and flags: nothing inside is a parameter.
                        (Open::Opaque, i + 2)
                    } else {
                        unnamed.push(None);
                        (Open::Unnamed(unnamed.len() - 1), i + 1)
                    };
                    if !matches!(open, Open::Transparent) {
                        opaque += 1;
                    }
                    stack.push((body, open));
                    i = body;
                    continue;
                }
                b')' => {
                    let (body, open) = stack.pop()?;
                    if !matches!(open, Open::Transparent) {
                        opaque -= 1;
                    }
                    let text = regex.get(body..i)?.to_owned();
                    match open {
                        Open::Named(name) => {
                            groups.named.insert(name, text);
                        }
                        Open::Unnamed(slot) => unnamed[slot] = Some(text),
                        Open::Transparent | Open::Opaque => {}
                    }
                }
                _ => {}
            }
            i += 1;
        }
        if !stack.is_empty() {
            return None;
        }
        groups.unnamed = unnamed.into_iter().collect::<Option<_>>()?;
        Some(groups)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_groups_like_normalize() {
        let g = Groups::scan(r"^a/(?P<year>[0-9]{4})/(\d+)/(?:x(y))/$").unwrap();
        assert_eq!(g.named["year"], "[0-9]{4}");
        assert_eq!(g.unnamed, ["\\d+", "y"]);
        // Groups nested in a capturing group or a look-around are not parameters.
        let g = Groups::scan(r"^((a)b)(?=(c))[(]\)").unwrap();
        assert_eq!(g.unnamed, ["(a)b"]);
        assert!(g.named.is_empty());
        // A class with `]` and `)` inside.
        let g = Groups::scan(r"^([])\]x])$").unwrap();
        assert_eq!(g.unnamed, [r"[])\]x]"]);
        assert_eq!(Groups::scan(r"^a|b"), None);
        assert_eq!(Groups::scan(r"^(a"), None);
        assert_eq!(Groups::scan(r"^a)"), None);
        assert_eq!(Groups::scan(r"^[a"), None);
    }

    #[test]
    fn joins_routes() {
        assert_eq!(join_route("", "^a/"), "^a/");
        assert_eq!(join_route("^a/", "^b/$"), "^a/b/$");
        assert_eq!(join_route("a/", "<int:n>/"), "a/<int:n>/");
    }
}

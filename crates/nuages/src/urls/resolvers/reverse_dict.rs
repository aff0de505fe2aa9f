//! Reverse lookup tables and `_reverse_with_prefix` (↔ `URLResolver._populate`,
//! `reverse_dict`, `namespace_dict`, `app_dict`, `get_ns_resolver` and
//! `URLResolver._reverse_with_prefix`).
//!
//! Everything is computed when the URLconf is built (Django does it lazily on the first
//! `reverse()`); the validation regex of each candidate is compiled on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

use indexmap::IndexMap;
use nuages_py::repr::str_repr;
use nuages_py::urllib_parse::{quote, Safe};
use regex::Regex;

use super::normalize::{normalize, Form, Token};
use super::pattern::{py_regex_to_rust, Converters};
use super::{Entry, ResolverNode};
use crate::urls::converters::Value;
use crate::urls::exceptions::NoReverseMatch;

/// One way to reverse a name (↔ a `(possibility, pattern, defaults, converters)` tuple).
#[derive(Debug)]
pub(crate) struct Possibility {
    /// `normalize(pattern)`; empty when the pattern cannot be reversed.
    forms: Vec<Form>,
    /// The full regex from the resolver, without its leading `^`.
    pattern: String,
    defaults: IndexMap<String, Value>,
    converters: Converters,
    /// `\A(?:pattern)`, compiled on first use (`None` if it does not compile).
    check: OnceLock<Option<Regex>>,
}

impl Possibility {
    fn new(
        pattern: String,
        forms_source: &str,
        defaults: IndexMap<String, Value>,
        converters: Converters,
    ) -> Self {
        Self {
            forms: normalize(forms_source).unwrap_or_default(),
            pattern,
            defaults,
            converters,
            check: OnceLock::new(),
        }
    }

    fn check_regex(&self) -> Option<&Regex> {
        self.check
            .get_or_init(|| Regex::new(&format!("\\A(?:{})", py_regex_to_rust(&self.pattern))).ok())
            .as_ref()
    }
}

/// Reverse candidates by URL name, most recently declared first (↔ `reverse_dict`).
pub(crate) type ReverseDict = HashMap<String, Vec<Possibility>>;

/// A namespace reachable from a resolver (↔ a `namespace_dict` value).
#[derive(Debug)]
pub(crate) struct NsEntry {
    /// Regex of the path from the resolver to the namespaced include (no leading `^`).
    prefix: String,
    /// The namespaced resolver.
    pub(crate) node: usize,
    /// Its `pattern.converters` (including those of non-namespaced includes in between).
    converters: Converters,
}

/// Namespaces of one resolver (↔ `namespace_dict` and `app_dict`).
#[derive(Debug, Default)]
pub(crate) struct NsData {
    pub(crate) namespace_dict: HashMap<String, NsEntry>,
    /// Instance namespaces by application namespace, last deployed first.
    pub(crate) app_dict: HashMap<String, Vec<String>>,
}

/// All reverse tables of a URLconf.
#[derive(Debug)]
pub(crate) struct ReverseData {
    /// The root resolver's `reverse_dict`.
    pub(crate) root: ReverseDict,
    /// Namespaces of every resolver, by node index.
    pub(crate) ns: Vec<NsData>,
    /// For each reachable namespaced resolver: the `reverse_dict` of its `get_ns_resolver()`.
    pub(crate) ns_reverse: HashMap<usize, ReverseDict>,
}

fn strip_caret(s: &str) -> &str {
    s.strip_prefix('^').unwrap_or(s)
}

fn merged(a: &Converters, b: &Converters) -> Converters {
    let mut m = a.clone();
    for (k, v) in b {
        m.insert(k.clone(), v.clone());
    }
    m
}

/// `_populate()`'s `lookups` for the children of `node_id`, for a resolver whose own pattern has
/// `self_converters`.
fn populate(nodes: &[ResolverNode], node_id: usize, self_converters: &Converters) -> ReverseDict {
    let mut lookups = ReverseDict::new();
    for entry in nodes[node_id].entries.iter().rev() {
        match entry {
            Entry::Pattern(p) => {
                let Some(name) = &p.name else { continue };
                lookups
                    .entry(name.clone())
                    .or_default()
                    .push(Possibility::new(
                        strip_caret(&p.pattern.py_regex).to_owned(),
                        &p.pattern.py_regex,
                        (*p.default_args).clone(),
                        p.pattern.converters.clone(),
                    ));
            }
            Entry::Resolver(id) => {
                let sub = &nodes[*id];
                if sub.app_name.is_some() {
                    continue;
                }
                let p_pattern = strip_caret(&sub.pattern.py_regex);
                let outer = merged(self_converters, &sub.pattern.converters);
                for (name, possibilities) in populate(nodes, *id, &sub.pattern.converters) {
                    let list = lookups.entry(name).or_default();
                    for poss in possibilities {
                        let pattern = format!("{p_pattern}{}", poss.pattern);
                        let mut defaults = poss.defaults;
                        for (k, v) in &sub.default_kwargs {
                            defaults.insert(k.clone(), v.clone());
                        }
                        list.push(Possibility::new(
                            pattern.clone(),
                            &pattern,
                            defaults,
                            merged(&outer, &poss.converters),
                        ));
                    }
                }
            }
        }
    }
    lookups
}

/// `_populate()`'s `namespaces` and `apps` for `node_id`, given those of its descendants.
fn namespaces(nodes: &[ResolverNode], node_id: usize, done: &[NsData]) -> NsData {
    let mut data = NsData::default();
    for entry in nodes[node_id].entries.iter().rev() {
        let Entry::Resolver(id) = entry else { continue };
        let sub = &nodes[*id];
        let p_pattern = strip_caret(&sub.pattern.py_regex);
        if let Some(app_name) = &sub.app_name {
            let namespace = sub.namespace.clone().unwrap_or_else(|| app_name.clone());
            data.app_dict
                .entry(app_name.clone())
                .or_default()
                .push(namespace.clone());
            data.namespace_dict.insert(
                namespace,
                NsEntry {
                    prefix: p_pattern.to_owned(),
                    node: *id,
                    converters: sub.pattern.converters.clone(),
                },
            );
        } else {
            let sub_data = &done[*id];
            for (namespace, e) in &sub_data.namespace_dict {
                data.namespace_dict.insert(
                    namespace.clone(),
                    NsEntry {
                        prefix: format!("{p_pattern}{}", e.prefix),
                        node: e.node,
                        // `sub_pattern.pattern.converters.update(current_converters)`
                        converters: merged(&e.converters, &sub.pattern.converters),
                    },
                );
            }
            for (app_name, list) in &sub_data.app_dict {
                data.app_dict
                    .entry(app_name.clone())
                    .or_default()
                    .extend(list.iter().cloned());
            }
        }
    }
    data
}

impl ReverseData {
    /// Computes every table; `nodes` has children before parents and the root last.
    pub(crate) fn build(nodes: &[ResolverNode]) -> Self {
        let mut ns: Vec<NsData> = Vec::with_capacity(nodes.len());
        for id in 0..nodes.len() {
            let data = namespaces(nodes, id, &ns);
            ns.push(data);
        }
        let root_id = nodes.len().saturating_sub(1);
        let root = if nodes.is_empty() {
            ReverseDict::new()
        } else {
            populate(nodes, root_id, &nodes[root_id].pattern.converters)
        };
        let mut ns_reverse = HashMap::new();
        if !nodes.is_empty() {
            let mut stack: Vec<(usize, String, Converters)> =
                vec![(root_id, String::new(), Converters::new())];
            while let Some((id, ns_pattern, ns_converters)) = stack.pop() {
                for e in ns[id].namespace_dict.values() {
                    let pattern = format!("{ns_pattern}{}", e.prefix);
                    let converters = merged(&ns_converters, &e.converters);
                    let dict = if pattern.is_empty() {
                        populate(nodes, e.node, &e.converters)
                    } else {
                        ns_resolver_dict(nodes, e.node, &pattern, &converters)
                    };
                    ns_reverse.insert(e.node, dict);
                    stack.push((e.node, pattern, converters));
                }
            }
        }
        Self {
            root,
            ns,
            ns_reverse,
        }
    }
}

/// The `reverse_dict` of `get_ns_resolver(ns_pattern, resolver, ns_converters)`: the root
/// `^/` wrapping a resolver `RegexPattern(ns_pattern)` over the namespaced resolver's patterns.
fn ns_resolver_dict(
    nodes: &[ResolverNode],
    node_id: usize,
    ns_pattern: &str,
    ns_converters: &Converters,
) -> ReverseDict {
    let p_pattern = strip_caret(ns_pattern);
    let mut dict = ReverseDict::new();
    for (name, possibilities) in populate(nodes, node_id, ns_converters) {
        let list = possibilities
            .into_iter()
            .map(|poss| {
                let pattern = format!("{p_pattern}{}", poss.pattern);
                Possibility::new(
                    pattern.clone(),
                    &pattern,
                    poss.defaults,
                    merged(ns_converters, &poss.converters),
                )
            })
            .collect();
        dict.insert(name, list);
    }
    dict
}

/// `quote(url, safe=RFC3986_SUBDELIMS + "/~:@")`.
const PATH_SAFE: Safe = Safe::new("!$&'()*+,;=/~:@");

/// Python's `repr()` of the arguments, as in Django's message: `(5,)` / `{'n': 5}`.
fn args_repr(args: &[Value]) -> String {
    let mut s = String::from("(");
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        a.write_py_repr(&mut s);
    }
    if args.len() == 1 {
        s.push(',');
    }
    s.push(')');
    s
}

fn kwargs_repr(kwargs: &[(&str, &Value)]) -> String {
    let mut s = String::from("{");
    for (i, (k, v)) in kwargs.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&str_repr(k));
        s.push_str(": ");
        v.write_py_repr(&mut s);
    }
    s.push('}');
    s
}

/// Fills a template; `None` if a parameter has no text.
fn fill(tokens: &[Token], subs: &[(&str, String)]) -> Option<String> {
    let mut out = String::new();
    for t in tokens {
        match t {
            Token::Lit(s) => out.push_str(s),
            Token::Param(p) => out.push_str(&subs.iter().find(|(k, _)| k == p)?.1),
        }
    }
    Some(out)
}

/// Tries one form of a possibility; returns the unquoted URL tail.
fn try_form(
    poss: &Possibility,
    tokens: &[Token],
    params: &[String],
    args: &[Value],
    kwargs: &[(&str, &Value)],
) -> Option<String> {
    let candidate: Vec<(&str, &Value)> = if !args.is_empty() {
        if args.len() != params.len() {
            return None;
        }
        params.iter().map(String::as_str).zip(args).collect()
    } else {
        let has_param = |k: &str| params.iter().any(|p| p == k);
        // set(kwargs).symmetric_difference(params).difference(defaults)
        let extra = kwargs
            .iter()
            .any(|(k, _)| !has_param(k) && !poss.defaults.contains_key(*k));
        let missing = params
            .iter()
            .any(|p| !kwargs.iter().any(|(k, _)| k == p) && !poss.defaults.contains_key(p));
        if extra || missing {
            return None;
        }
        for (k, v) in &poss.defaults {
            if has_param(k) {
                continue;
            }
            if let Some((_, given)) = kwargs.iter().find(|(key, _)| key == k) {
                if *given != v {
                    return None;
                }
            }
        }
        kwargs.to_vec()
    };
    // Convert the candidate subs to text using Converter.to_url().
    let mut text: Vec<(&str, String)> = Vec::with_capacity(candidate.len());
    for (k, v) in candidate {
        if let Some(converter) = poss.converters.get(k) {
            text.push((k, converter.to_url(v).ok()?));
        } else if params.iter().any(|p| p == k) {
            text.push((k, v.to_text()?));
        }
    }
    let url = fill(tokens, &text)?;
    poss.check_regex()?.is_match(&url).then_some(url)
}

/// `URLResolver._reverse_with_prefix(lookup_view, prefix, *args, **kwargs)` over a
/// `reverse_dict`; `kwargs` has unique keys.
pub(crate) fn reverse_with_prefix(
    dict: &ReverseDict,
    view: &str,
    prefix: &str,
    args: &[Value],
    kwargs: &[(&str, &Value)],
) -> Result<String, NoReverseMatch> {
    if !args.is_empty() && !kwargs.is_empty() {
        return Err(NoReverseMatch::new(
            "Don't mix *args and **kwargs in call to reverse()!",
        ));
    }
    let possibilities = dict.get(view).map_or(&[][..], Vec::as_slice);
    for poss in possibilities {
        for (tokens, params) in &poss.forms {
            if let Some(tail) = try_form(poss, tokens, params, args, kwargs) {
                let mut url = String::with_capacity(prefix.len() + tail.len() + 8);
                url.push_str(&quote(prefix, PATH_SAFE));
                url.push_str(&quote(&tail, PATH_SAFE));
                // escape_leading_slashes(): no scheme-relative URLs.
                if let Some(rest) = url.strip_prefix("//") {
                    url = format!("/%2F{rest}");
                }
                return Ok(url);
            }
        }
    }
    if possibilities.is_empty() {
        return Err(NoReverseMatch::new(format!(
            "Reverse for '{view}' not found. '{view}' is not a valid view function or pattern name."
        )));
    }
    let arg_msg = if !args.is_empty() {
        format!("arguments '{}'", args_repr(args))
    } else if !kwargs.is_empty() {
        format!("keyword arguments '{}'", kwargs_repr(kwargs))
    } else {
        "no arguments".to_owned()
    };
    let mut patterns = String::from("[");
    for (i, poss) in possibilities.iter().enumerate() {
        if i > 0 {
            patterns.push_str(", ");
        }
        patterns.push_str(&str_repr(&poss.pattern));
    }
    patterns.push(']');
    Err(NoReverseMatch::new(format!(
        "Reverse for '{view}' with {arg_msg} not found. {} pattern(s) tried: {patterns}",
        possibilities.len()
    )))
}

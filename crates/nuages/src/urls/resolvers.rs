//! The URL resolver (↔ `django.urls.resolvers`): compiles a URLconf once and resolves paths to
//! views.
//!
//! [`Urls`] is the root resolver (↔ `get_resolver(ROOT_URLCONF)`, i.e.
//! `URLResolver(RegexPattern(r"^/"), urlconf)`). Resolution follows Django exactly — the path
//! must start with `/`, patterns are tried in declaration order and the first match wins,
//! `include()` prefixes consume the part of the path they match, a converter refusing a value
//! means "no match" — but does not try every pattern: patterns are indexed by their literal
//! prefix (see `index`), so resolving the last of 1,000 routes costs about the same as the first.

mod capture;
mod index;
pub(crate) mod normalize;
pub(crate) mod pattern;
pub(crate) mod resolver_match;
pub(crate) mod reverse_dict;
mod segments;
pub mod url_kwargs;

use std::fmt;
use std::sync::Arc;

use indexmap::IndexMap;

use crate::conf::Settings;
use crate::core::checks::urls as checks;
use crate::core::checks::CheckMessage;
use crate::core::exceptions::ImproperlyConfigured;
use crate::urls::conf::{Include, PatternSpec, UrlEntry};
use crate::urls::converters::{Converter, ConverterRegistry, Value};
use nuages_py::repr::str_repr;

use crate::urls::exceptions::Resolver404;
use crate::views::RouteArg;
use crate::views::ViewFn;

use self::index::{Candidates, PrefixIndex, LINEAR_THRESHOLD};
use self::pattern::{Capture, Captures, CompiledPattern};
use self::resolver_match::MatchMeta;
pub use self::resolver_match::ResolverMatch;
use self::reverse_dict::ReverseData;
pub use self::url_kwargs::UrlKwargs;

/// A compiled URL pattern leading to a view (↔ a built `URLPattern`).
#[derive(Debug)]
pub(crate) struct PatternEntry {
    pub(crate) pattern: CompiledPattern,
    pub(crate) view: ViewFn,
    pub(crate) name: Option<String>,
    /// Shared so that a match can hand it out as `extra_kwargs` without copying.
    pub(crate) default_args: Arc<IndexMap<String, Value>>,
    /// The match of a path that captures nothing on the way to this pattern: always the same,
    /// so built once and shared (see [`Urls::resolve_shared`]).
    pub(crate) static_match: std::sync::OnceLock<Arc<ResolverMatch>>,
    /// What every match of this pattern shares, built on its first match.
    pub(crate) meta: std::sync::OnceLock<Arc<MatchMeta>>,
}

/// A child of a resolver.
#[derive(Debug)]
pub(crate) enum Entry {
    Pattern(Box<PatternEntry>),
    /// Index of a nested resolver in [`UrlsInner::nodes`].
    Resolver(usize),
}

/// A compiled resolver (↔ a built `URLResolver`): the root or an `include()`.
#[derive(Debug)]
pub(crate) struct ResolverNode {
    pub(crate) pattern: CompiledPattern,
    pub(crate) entries: Vec<Entry>,
    pub(crate) default_kwargs: IndexMap<String, Value>,
    pub(crate) app_name: Option<String>,
    pub(crate) namespace: Option<String>,
    index: Option<PrefixIndex>,
}

impl PatternEntry {
    /// `URLPattern.check()`: `urls.W003` (a name containing `:`), then the pattern's checks.
    fn check(&self, append_slash: bool) -> Vec<CheckMessage> {
        let name = self.name.as_deref();
        let mut warnings = Vec::new();
        if name.is_some_and(|n| n.contains(':')) {
            warnings.push(
                CheckMessage::warning(format!(
                    "Your URL pattern {} has a name including a ':'. Remove the colon, to avoid \
                     ambiguous namespace references.",
                    self.pattern.describe_named(name)
                ))
                .id("urls.W003"),
            );
        }
        warnings.extend(self.pattern.check(name, append_slash));
        warnings
    }
}

impl ResolverNode {
    fn candidates(&self, path: &str) -> Candidates<'_> {
        match &self.index {
            Some(index) => index.candidates(path),
            None => Candidates::All(0..self.entries.len()),
        }
    }
}

#[derive(Debug)]
pub(crate) struct UrlsInner {
    /// Every resolver; children come before their parent, the root is last.
    pub(crate) nodes: Vec<ResolverNode>,
    pub(crate) reverse: ReverseData,
}

/// A compiled URLconf: the root resolver (↔ `get_resolver()` / `URLResolver(RegexPattern(r"^/"),
/// ROOT_URLCONF)`). Cheap to clone (shared), immutable, `Send + Sync`.
///
/// Build it once at start-up with [`Urls::new`] or [`Urls::builder`]; every configuration error
/// is reported then.
///
/// # Examples
///
/// ```
/// use nuages::urls::{path, Urls, Value};
/// use nuages::views::ViewFn;
///
/// let urls = Urls::new([
///     path("", ViewFn::named("home")).name("home"),
///     path("articles/<int:year>/", ViewFn::named("year_archive")).name("year-archive"),
/// ])
/// .unwrap();
///
/// let m = urls.resolve("/articles/2024/").unwrap();
/// assert_eq!(m.func().name(), "year_archive");
/// assert_eq!(m.kwarg("year"), Some(&Value::Int(2024)));
/// assert!(urls.resolve("/articles/x/").is_err());
/// assert_eq!(nuages::reverse!(urls, "year-archive", 2024).unwrap(), "/articles/2024/");
/// ```
#[derive(Clone)]
#[doc(alias = "URLResolver")]
#[doc(alias = "get_resolver")]
pub struct Urls {
    pub(crate) inner: Arc<UrlsInner>,
}

impl fmt::Debug for Urls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Urls")
            .field("resolvers", &self.inner.nodes.len())
            .finish_non_exhaustive()
    }
}

/// Builds a [`Urls`] with custom converters.
///
/// # Examples
///
/// ```
/// use nuages::urls::converters::SlugConverter;
/// use nuages::urls::{path, UrlEntry, Urls};
/// use nuages::views::ViewFn;
///
/// let urls = Urls::builder()
///     .register_converter("tag", SlugConverter)
///     .build([path("tags/<tag:t>/", ViewFn::named("tag"))])
///     .unwrap();
/// assert!(urls.is_valid_path("/tags/rust/"));
///
/// // Errors (here: `int` is already registered) are reported by `build`.
/// let err = Urls::builder().register_converter("int", SlugConverter).build(Vec::<UrlEntry>::new());
/// assert_eq!(err.unwrap_err().message(), "Converter int is already registered.");
/// ```
#[derive(Debug, Default)]
pub struct UrlsBuilder {
    converters: ConverterRegistry,
    error: Option<ImproperlyConfigured>,
}

impl UrlsBuilder {
    /// Registers a custom converter under `name` (↔ `register_converter(converter, name)`);
    /// registering a name twice (including a built-in one) makes [`build`](Self::build) fail.
    pub fn register_converter(mut self, name: &str, converter: impl Converter) -> Self {
        if self.error.is_none() {
            self.error = self.converters.register(name, converter).err();
        }
        self
    }

    /// Replaces the converter registry.
    pub fn converters(mut self, converters: ConverterRegistry) -> Self {
        self.converters = converters;
        self
    }

    /// Compiles the URLconf.
    ///
    /// # Errors
    ///
    /// [`ImproperlyConfigured`] for an invalid route (unknown converter, invalid parameter name,
    /// whitespace inside `<…>`), an invalid regex, a `namespace` without `app_name`, or a
    /// converter registration error.
    pub fn build<I>(self, urlpatterns: I) -> Result<Urls, ImproperlyConfigured>
    where
        I: IntoIterator,
        I::Item: Into<UrlEntry>,
    {
        if let Some(e) = self.error {
            return Err(e);
        }
        let mut nodes = Vec::new();
        let root_pattern = CompiledPattern::compile(
            &PatternSpec::Regex("^/".to_owned()),
            false,
            &self.converters,
        )?;
        let include = Include {
            entries: urlpatterns.into_iter().map(Into::into).collect(),
            app_name: None,
            namespace: None,
        };
        build_node(
            &mut nodes,
            root_pattern,
            include,
            IndexMap::new(),
            &self.converters,
            &Inherited::default(),
        )?;
        let reverse = ReverseData::build(&nodes);
        Ok(Urls {
            inner: Arc::new(UrlsInner { nodes, reverse }),
        })
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

/// The URL arguments the enclosing resolvers pass down, and their routes (for messages).
#[derive(Debug, Default, Clone)]
struct Inherited {
    kwargs: Vec<RouteArg>,
    positional: usize,
    route: String,
}

impl Inherited {
    /// Adds what `pattern` captures and its extra kwargs (which win over captured values of
    /// the same name, keeping the first position, like the merged `kwargs` dict).
    fn with(&self, pattern: &CompiledPattern, extra: &IndexMap<String, Value>) -> Inherited {
        let mut next = self.clone();
        let (kwargs, positional) = pattern.arguments();
        next.positional += positional;
        let extra = extra.iter().map(|(k, v)| RouteArg {
            name: Some(k.clone()),
            example: Some(v.clone()),
        });
        for arg in kwargs.into_iter().chain(extra) {
            match next.kwargs.iter_mut().find(|a| a.name == arg.name) {
                Some(slot) => slot.example = arg.example,
                None => next.kwargs.push(arg),
            }
        }
        // `_join_route`: a route keeps its leading '^' only if nothing precedes it.
        let piece = &pattern.describe;
        if next.route.is_empty() {
            next.route.push_str(piece);
        } else {
            next.route
                .push_str(piece.strip_prefix('^').unwrap_or(piece));
        }
        next
    }

    /// The arguments a view at the end of this chain receives.
    fn arguments(&self) -> Vec<RouteArg> {
        if self.kwargs.is_empty() {
            (0..self.positional)
                .map(|_| RouteArg {
                    name: None,
                    example: None,
                })
                .collect()
        } else {
            self.kwargs.clone()
        }
    }
}

/// Compiles a resolver and its children into `nodes`; returns its index.
fn build_node(
    nodes: &mut Vec<ResolverNode>,
    pattern: CompiledPattern,
    include: Include,
    default_kwargs: IndexMap<String, Value>,
    registry: &ConverterRegistry,
    inherited: &Inherited,
) -> Result<usize, ImproperlyConfigured> {
    let app_name = non_empty(include.app_name);
    let namespace = non_empty(include.namespace);
    if namespace.is_some() && app_name.is_none() {
        return Err(ImproperlyConfigured::new(
            "Specifying a namespace in include() without providing an app_name is not \
             supported. Set the app_name attribute in the included module, or pass a 2-tuple \
             containing the list of patterns and app_name instead.",
        ));
    }
    let namespace = namespace.or_else(|| app_name.clone());
    let mut entries = Vec::with_capacity(include.entries.len());
    for entry in include.entries {
        entries.push(match entry {
            UrlEntry::Pattern(p) => {
                let pattern = CompiledPattern::compile(&p.pattern, true, registry)?;
                let args = inherited.with(&pattern, &p.default_args);
                p.view.params().check(&args.arguments()).map_err(|why| {
                    ImproperlyConfigured::new(format!(
                        "The view {} of the URL pattern {} {why}.",
                        p.view.name(),
                        str_repr(&args.route)
                    ))
                })?;
                Entry::Pattern(Box::new(PatternEntry {
                    pattern,
                    view: p.view,
                    name: p.name,
                    default_args: Arc::new(p.default_args),
                    static_match: std::sync::OnceLock::new(),
                    meta: std::sync::OnceLock::new(),
                }))
            }
            UrlEntry::Resolver(r) => {
                let sub_pattern = CompiledPattern::compile(&r.pattern, false, registry)?;
                let sub_inherited = inherited.with(&sub_pattern, &r.default_kwargs);
                Entry::Resolver(build_node(
                    nodes,
                    sub_pattern,
                    r.include,
                    r.default_kwargs,
                    registry,
                    &sub_inherited,
                )?)
            }
        });
    }
    let index = (entries.len() > LINEAR_THRESHOLD).then(|| {
        let mut index = PrefixIndex::default();
        for (i, entry) in entries.iter().enumerate() {
            let (prefix, exact) = match entry {
                Entry::Pattern(p) => (&p.pattern.literal_prefix, p.pattern.exact_literal()),
                Entry::Resolver(id) => (&nodes[*id].pattern.literal_prefix, None),
            };
            index.insert(u32::try_from(i).unwrap_or(u32::MAX), prefix, exact);
        }
        index
    });
    nodes.push(ResolverNode {
        pattern,
        entries,
        default_kwargs,
        app_name,
        namespace,
        index,
    });
    Ok(nodes.len() - 1)
}

/// The outcome of the search phase: the chain of included resolvers, the final pattern and the
/// captured values.
struct Found<'u, 'p> {
    chain: Chain<'u>,
    leaf: &'u PatternEntry,
    caps: Captures<'u, 'p>,
}

/// The included resolvers a match went through, outermost first: on the stack for the usual
/// few levels of `include()`.
type Chain<'u> = smallvec::SmallVec<[&'u ResolverNode; 4]>;

/// (row of pattern strings, name of the row's last pattern)
type TriedRow = (Vec<String>, Option<String>);

impl Urls {
    /// Compiles a URLconf with the built-in converters (↔ `ROOT_URLCONF`'s `urlpatterns`).
    ///
    /// # Errors
    ///
    /// See [`UrlsBuilder::build`].
    pub fn new<I>(urlpatterns: I) -> Result<Self, ImproperlyConfigured>
    where
        I: IntoIterator,
        I::Item: Into<UrlEntry>,
    {
        UrlsBuilder::default().build(urlpatterns)
    }

    /// A builder, to register custom converters.
    pub fn builder() -> UrlsBuilder {
        UrlsBuilder::default()
    }

    /// The system checks of this URLconf (Django's URL checks, see [`crate::core::checks`]):
    /// each pattern's (`urls.W001`, `urls.W002` when `settings.append_slash`, `urls.W003`,
    /// `urls.W010`, `2_0.W001`), duplicate namespaces (`urls.W005`) and names that can never
    /// be reversed (`urls.W900`). [`App::builder().build()`](crate::AppBuilder::build) runs
    /// them and logs what they find.
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::urls::{include, path, Urls};
    /// use nuages::views::ViewFn;
    /// use nuages::Settings;
    ///
    /// let polls = [path("<int:id>/", ViewFn::named("polls::detail")).name("detail")];
    /// let urls = Urls::new([
    ///     path("polls/", include(polls.clone()).app_name("polls")),
    ///     path("/about/", ViewFn::named("about")),
    ///     path("old-polls/", include(polls).app_name("polls")),
    /// ])
    /// .unwrap();
    /// let messages: Vec<String> = urls.check(&Settings::default()).iter().map(|m| m.to_string()).collect();
    /// assert_eq!(messages, [
    ///     "?: (urls.W002) Your URL pattern '/about/' has a route beginning with a '/'. Remove \
    ///      this slash as it is unnecessary. If this pattern is targeted in an include(), ensure \
    ///      the include() pattern has a trailing '/'.",
    ///     "?: (urls.W005) URL namespace 'polls' isn't unique. You may not be able to reverse \
    ///      all URLs in this namespace\n\tHINT: Give each include() its own instance \
    ///      namespace with .namespace(\"…\").",
    /// ]);
    /// assert!(Urls::new([path("about/", ViewFn::named("about"))]).unwrap().check(&Settings::default()).is_empty());
    /// ```
    #[doc(alias = "check_url_config")]
    pub fn check(&self, settings: &Settings) -> Vec<CheckMessage> {
        let mut messages = checks::check_url_config(self, settings);
        messages.extend(checks::check_url_namespaces_unique(self));
        messages.extend(checks::check_url_names_reversible(self));
        messages
    }

    /// `get_resolver().check()`: the checks of every pattern, depth first.
    pub(crate) fn check_resolver(&self, append_slash: bool) -> Vec<CheckMessage> {
        self.check_node(self.root(), append_slash)
    }

    /// `URLResolver.check()`: its patterns' checks or, when they find nothing, its own.
    fn check_node(&self, node: &ResolverNode, append_slash: bool) -> Vec<CheckMessage> {
        let mut messages = Vec::new();
        for entry in &node.entries {
            match entry {
                Entry::Pattern(p) => messages.extend(p.check(append_slash)),
                Entry::Resolver(id) => {
                    messages.extend(self.check_node(&self.inner.nodes[*id], append_slash));
                }
            }
        }
        if messages.is_empty() {
            node.pattern.check(None, append_slash)
        } else {
            messages
        }
    }

    pub(crate) fn root(&self) -> &ResolverNode {
        // `build` always pushes the root last.
        let nodes = &self.inner.nodes;
        &nodes[nodes.len() - 1]
    }

    /// Resolves a path (`request.path_info`, already percent-decoded) to a view
    /// (↔ `resolve(path)`).
    ///
    /// # Errors
    ///
    /// [`Resolver404`] if no pattern matches; it lists every pattern tried, like Django's.
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::urls::{path, Urls};
    /// use nuages::views::ViewFn;
    ///
    /// let urls = Urls::new([path("hello/", ViewFn::named("hello"))]).unwrap();
    /// assert_eq!(urls.resolve("/hello/").unwrap().view_name(), "hello");
    /// assert!(urls.resolve("hello/").is_err()); // must start with '/'
    /// ```
    pub fn resolve(&self, path: &str) -> Result<ResolverMatch, Resolver404> {
        match self.find(path) {
            Some(mut found) => Ok(assemble(&mut found)),
            None => Err(self.not_found(path)),
        }
    }

    /// Like [`resolve`](Self::resolve), without collecting the list of tried patterns when
    /// nothing matches (cheaper for 404s when the DEBUG page is not shown).
    pub fn try_resolve(&self, path: &str) -> Option<ResolverMatch> {
        self.find(path).map(|mut found| assemble(&mut found))
    }

    /// [`Urls::try_resolve`] for the request handler, which shares the match: a path that
    /// captures nothing (`about/`, `api/items/`) always gives the same match, built on first
    /// use and then handed out as a reference-count increment.
    pub(crate) fn resolve_shared(&self, path: &str) -> Option<Arc<ResolverMatch>> {
        let mut found = self.find(path)?;
        if !found.caps.is_empty() {
            return Some(Arc::new(assemble(&mut found)));
        }
        let leaf = found.leaf;
        Some(Arc::clone(
            leaf.static_match
                .get_or_init(|| Arc::new(assemble(&mut found))),
        ))
    }

    /// Whether `path` resolves (↔ `is_valid_path(path)`), without building the match.
    ///
    /// # Examples
    ///
    /// ```
    /// use nuages::urls::{path, Urls};
    /// use nuages::views::ViewFn;
    ///
    /// let urls = Urls::new([path("about/", ViewFn::named("about"))]).unwrap();
    /// assert!(urls.is_valid_path("/about/"));
    /// assert!(!urls.is_valid_path("/about")); // APPEND_SLASH would redirect
    /// ```
    pub fn is_valid_path(&self, path: &str) -> bool {
        self.find(path).is_some()
    }

    /// The view `path` resolves to, if any (↔ `is_valid_path(path).func`, used by
    /// `CommonMiddleware.should_redirect_with_slash`).
    pub fn resolve_view(&self, path: &str) -> Option<&ViewFn> {
        self.find(path).map(|found| &found.leaf.view)
    }

    fn find<'u, 'p>(&'u self, path: &'p str) -> Option<Found<'u, 'p>> {
        let root = self.root();
        let mut caps = Captures::new();
        let end = root.pattern.match_path(path, 0, &mut caps)?;
        let mut chain = Chain::new();
        let leaf = self.search(root, &path[end..], &mut chain, &mut caps)?;
        Some(Found { chain, leaf, caps })
    }

    /// Depth-first, first-match-wins search among `node`'s children (↔ `URLResolver.resolve`).
    fn search<'u, 'p>(
        &'u self,
        node: &'u ResolverNode,
        path: &'p str,
        chain: &mut Chain<'u>,
        caps: &mut Captures<'u, 'p>,
    ) -> Option<&'u PatternEntry> {
        let level = chain.len();
        for i in node.candidates(path) {
            match &node.entries[i] {
                Entry::Pattern(p) => {
                    if path.starts_with(p.pattern.literal_prefix.as_str())
                        && p.pattern.match_path(path, level, caps).is_some()
                    {
                        return Some(p);
                    }
                }
                Entry::Resolver(id) => {
                    let sub = &self.inner.nodes[*id];
                    if !path.starts_with(sub.pattern.literal_prefix.as_str()) {
                        continue;
                    }
                    let mark = caps.len();
                    if let Some(end) = sub.pattern.match_path(path, level, caps) {
                        chain.push(sub);
                        if let Some(leaf) = self.search(sub, &path[end..], chain, caps) {
                            return Some(leaf);
                        }
                        chain.pop();
                        caps.truncate(mark);
                    }
                }
            }
        }
        None
    }

    /// Builds the `Resolver404` (slow path: walks every pattern, like Django, to list them).
    fn not_found(&self, path: &str) -> Resolver404 {
        let root = self.root();
        let mut caps = Captures::new();
        let Some(end) = root.pattern.match_path(path, 0, &mut caps) else {
            return Resolver404 {
                path: path.to_owned(),
                tried: Vec::new(),
                tried_names: Vec::new(),
            };
        };
        let rest = &path[end..];
        let (tried, tried_names) = self.tried(root, rest).into_iter().unzip();
        Resolver404 {
            path: rest.to_owned(),
            tried,
            tried_names,
        }
    }

    /// `tried` rows for a resolver whose children all failed to match `path`.
    fn tried(&self, node: &ResolverNode, path: &str) -> Vec<TriedRow> {
        let mut rows = Vec::with_capacity(node.entries.len());
        for entry in &node.entries {
            match entry {
                Entry::Pattern(p) => rows.push((vec![p.pattern.describe.clone()], p.name.clone())),
                Entry::Resolver(id) => {
                    let sub = &self.inner.nodes[*id];
                    let mut caps = Captures::new();
                    match sub.pattern.match_path(path, 0, &mut caps) {
                        Some(end) => {
                            for (mut row, name) in self.tried(sub, &path[end..]) {
                                row.insert(0, sub.pattern.describe.clone());
                                rows.push((row, name));
                            }
                        }
                        None => rows.push((vec![sub.pattern.describe.clone()], None)),
                    }
                }
            }
        }
        rows
    }
}

/// Builds the `ResolverMatch` from the search result, merging arguments like Django's nested
/// `URLResolver.resolve` calls do.
fn assemble(found: &mut Found<'_, '_>) -> ResolverMatch {
    let Found { chain, leaf, caps } = found;
    let leaf = *leaf;
    let meta = Arc::clone(leaf.meta.get_or_init(|| Arc::new(match_meta(chain, leaf))));
    let depth = chain.len();
    // A resolver's positional arguments are kept only if no keyword argument exists at its
    // level or below ("if there are *any* named groups, ignore all non-named groups").
    let mut first_without_kwargs = meta.defaults_depth;
    let mut named = 0;
    for c in caps.iter() {
        if !matches!(c, Capture::Arg { .. }) {
            first_without_kwargs = first_without_kwargs.max(c.level() + 1);
            named += 1;
        }
    }

    // Common case: only the final pattern captured values and only the final pattern has extra
    // kwargs, none of them named like a captured value. Then `captured_kwargs` is derived from
    // `kwargs` on demand: nothing is built twice per request.
    let leaf_only_caps = caps.iter().all(|c| c.level() == depth);
    let overlap = caps.iter().any(|c| match c {
        Capture::Kwarg { name, .. } | Capture::StrKwarg { name, .. } => meta
            .defaults
            .iter()
            .any(|(level, k, _)| *level == depth && k == *name),
        Capture::Arg { .. } => false,
    });
    let derive_captured = leaf_only_caps && !meta.upper_defaults && !overlap;
    let mut kwargs = UrlKwargs::with_capacity(named + meta.defaults.len());
    let mut captured_kwargs = UrlKwargs::new();
    let mut args = Vec::new();
    let mut caps = caps.drain(..).peekable();
    let mut defaults = meta.defaults.iter().peekable();
    for level in 0..=depth {
        while let Some(c) = caps.next_if(|c| c.level() == level) {
            let (name, value) = match c {
                Capture::Kwarg { name, value, .. } => (name, value),
                Capture::StrKwarg { name, text, .. } => (name, Value::Str(text.to_owned())),
                Capture::Arg { text, .. } => {
                    if level == depth || level >= first_without_kwargs {
                        args.push(text.to_owned());
                    }
                    continue;
                }
            };
            if level == depth && !derive_captured {
                captured_kwargs.insert(Arc::clone(name), value.clone());
            }
            kwargs.insert(Arc::clone(name), value);
        }
        while let Some((_, k, v)) = defaults.next_if(|(l, ..)| *l == level) {
            kwargs.insert(Arc::clone(k), v.clone());
        }
    }
    let captured_kwargs = if derive_captured {
        std::sync::OnceLock::new()
    } else {
        std::sync::OnceLock::from(captured_kwargs)
    };
    ResolverMatch {
        args,
        kwargs,
        meta,
        captured_kwargs,
    }
}

/// What every match of `leaf`, reached through `chain`, shares.
fn match_meta(chain: &[&ResolverNode], leaf: &PatternEntry) -> MatchMeta {
    let depth = chain.len();
    let levels = chain
        .iter()
        .map(|node| &node.default_kwargs)
        .chain(std::iter::once(&*leaf.default_args));
    let mut defaults = Vec::new();
    let mut defaults_depth = 0;
    for (level, map) in levels.enumerate() {
        if !map.is_empty() {
            defaults_depth = level + 1;
        }
        defaults.extend(
            map.iter()
                .map(|(k, v)| (level, Arc::<str>::from(k.as_str()), v.clone())),
        );
    }
    let extra_kwargs = defaults
        .iter()
        .map(|(_, k, v)| (Arc::clone(k), v.clone()))
        .collect();
    let upper_defaults = defaults.iter().any(|(level, ..)| *level < depth);

    // `_join_route`: a route keeps its leading '^' only if nothing precedes it.
    let mut route = String::with_capacity(
        chain
            .iter()
            .map(|n| n.pattern.describe.len())
            .sum::<usize>()
            + leaf.pattern.describe.len(),
    );
    let mut seen = false;
    let pieces = chain
        .iter()
        .map(|n| n.pattern.describe.as_str())
        .chain(std::iter::once(leaf.pattern.describe.as_str()));
    for piece in pieces.filter(|p| !p.is_empty()) {
        route.push_str(if seen {
            piece.strip_prefix('^').unwrap_or(piece)
        } else {
            piece
        });
        seen = true;
    }

    MatchMeta {
        func: leaf.view.clone(),
        url_name: leaf.name.clone(),
        app_names: chain.iter().filter_map(|n| n.app_name.clone()).collect(),
        namespaces: chain.iter().filter_map(|n| n.namespace.clone()).collect(),
        route,
        defaults,
        extra_kwargs,
        defaults_depth,
        upper_defaults,
    }
}

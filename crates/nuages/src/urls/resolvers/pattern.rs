//! Compiled URL patterns (↔ `RoutePattern`, `RegexPattern` and `_route_to_regex` in
//! `django/urls/resolvers.py`).

use std::sync::{Arc, LazyLock};

use indexmap::IndexMap;
use regex::{CaptureLocations, Regex};

use crate::core::checks::CheckMessage;
use crate::core::exceptions::ImproperlyConfigured;
use crate::urls::conf::PatternSpec;
use crate::urls::converters::{Converter, ConverterRegistry};
use nuages_py::builtins::is_identifier;
use nuages_py::re;
use nuages_py::repr::str_repr;

use crate::views::RouteArg;

pub(crate) use super::capture::{Capture, Captures};
use super::segments::{RoutePiece, SegmentMatcher};

/// Converters of a pattern's parameters, by parameter name (↔ `pattern.converters`).
pub(crate) type Converters = IndexMap<String, Arc<dyn Converter>>;

/// `_PATH_PARAMETER_COMPONENT_RE`.
static PARAMETER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")
        .unwrap_or_else(|_| unreachable!("constant regex"))
});

#[derive(Debug)]
enum Matcher {
    /// A pattern without parameters: plain string comparison.
    Literal { text: String, endpoint: bool },
    /// A route with built-in converters, matched without regex.
    Segments(SegmentMatcher),
    /// A route with converters.
    Route {
        regex: Regex,
        /// (capture group index, parameter name, converter)
        groups: Vec<(usize, Arc<str>, Arc<dyn Converter>)>,
    },
    /// A `re_path()` regex.
    Regex {
        regex: Regex,
        /// Named groups (index, name); when empty, every group is positional.
        named: Vec<(usize, Arc<str>)>,
        group_count: usize,
    },
}

/// A compiled `path()` / `re_path()` pattern.
#[derive(Debug)]
pub(crate) struct CompiledPattern {
    /// `str(pattern)`: the route, or the regex as written.
    pub(crate) describe: String,
    /// The pattern as a Python regex (`pattern.regex.pattern`), used by `reverse()`.
    pub(crate) py_regex: String,
    /// Converters by parameter name (empty for regex patterns).
    pub(crate) converters: Converters,
    /// Literal text every matching path starts with (used to index patterns).
    pub(crate) literal_prefix: String,
    /// A `path()` route (`RoutePattern`) rather than a `re_path()` regex (`RegexPattern`).
    pub(crate) is_route: bool,
    /// The pattern of a view rather than of an `include()`.
    pub(crate) is_endpoint: bool,
    matcher: Matcher,
}

impl CompiledPattern {
    /// Compiles a declared pattern; `is_endpoint` is true for a view, false for an `include()`.
    pub(crate) fn compile(
        spec: &PatternSpec,
        is_endpoint: bool,
        registry: &ConverterRegistry,
    ) -> Result<Self, ImproperlyConfigured> {
        match spec {
            PatternSpec::Route(route) => compile_route(route, is_endpoint, registry),
            PatternSpec::Regex(regex) => compile_regex(regex, is_endpoint),
        }
    }

    /// The text of a fully literal endpoint (matched by string equality).
    pub(crate) fn exact_literal(&self) -> Option<&str> {
        match &self.matcher {
            Matcher::Literal {
                text,
                endpoint: true,
            } => Some(text),
            _ => None,
        }
    }

    /// `CheckURLMixin.describe()`: the pattern in quotes, followed by ` [name='…']` when it has
    /// a name.
    pub(crate) fn describe_named(&self, name: Option<&str>) -> String {
        let mut description = format!("'{}'", self.describe);
        if let Some(name) = name.filter(|n| !n.is_empty()) {
            description.push_str(" [name='");
            description.push_str(name);
            description.push_str("']");
        }
        description
    }

    /// `RoutePattern.check()` / `RegexPattern.check()`: `urls.W002` (a leading `/`, only with
    /// APPEND_SLASH), and for a route `urls.W010` (unmatched angle bracket) and `2_0.W001`
    /// (regex syntax in a route), for a regex `include()` `urls.W001` (a trailing `$`).
    pub(crate) fn check(&self, name: Option<&str>, append_slash: bool) -> Vec<CheckMessage> {
        let mut warnings = Vec::new();
        // `_check_pattern_startswith_slash` looks at the regex: for a route, the one built
        // from it (`^/about/\Z`), so a route include()d as `/about/` is fine.
        let regex = self.py_regex.as_str();
        if append_slash
            && (regex.starts_with('/') || regex.starts_with("^/") || regex.starts_with("^\\/"))
            && !regex.ends_with('/')
        {
            warnings.push(
                CheckMessage::warning(format!(
                    "Your URL pattern {} has a route beginning with a '/'. Remove this slash as \
                     it is unnecessary. If this pattern is targeted in an include(), ensure the \
                     include() pattern has a trailing '/'.",
                    self.describe_named(name)
                ))
                .id("urls.W002"),
            );
        }
        if self.is_route {
            warnings.extend(self.check_unmatched_angle_brackets(name));
            let route = self.describe.as_str();
            if route.contains("(?P<") || route.starts_with('^') || route.ends_with('$') {
                warnings.push(
                    CheckMessage::warning(format!(
                        "Your URL pattern {} has a route that contains '(?P<', begins with a \
                         '^', or ends with a '$'. This was likely an oversight when migrating \
                         to django.urls.path().",
                        self.describe_named(name)
                    ))
                    .id("2_0.W001"),
                );
            }
        } else if !self.is_endpoint && regex.ends_with('$') && !regex.ends_with("\\$") {
            warnings.push(
                CheckMessage::warning(format!(
                    "Your URL pattern {} uses include with a route ending with a '$'. Remove \
                     the dollar from the route to avoid problems including URLs.",
                    self.describe_named(name)
                ))
                .id("urls.W001"),
            );
        }
        warnings
    }

    /// `RoutePattern._check_pattern_unmatched_angle_brackets()` (`urls.W010`).
    fn check_unmatched_angle_brackets(&self, name: Option<&str>) -> Vec<CheckMessage> {
        let message = |bracket: char| {
            CheckMessage::warning(format!(
                "Your URL pattern {} has an unmatched '{bracket}' bracket.",
                self.describe_named(name)
            ))
            .id("urls.W010")
        };
        let mut warnings = Vec::new();
        let mut open = 0usize;
        for c in self.describe.chars() {
            match c {
                '<' => open += 1,
                '>' if open == 0 => warnings.push(message('>')),
                '>' => open -= 1,
                _ => {}
            }
        }
        if open > 0 {
            warnings.push(message('<'));
        }
        warnings
    }

    /// The URL arguments this pattern captures: keyword arguments (route parameters, named
    /// groups) with an example value when the converter gives one, and the number of unnamed
    /// groups.
    pub(crate) fn arguments(&self) -> (Vec<RouteArg>, usize) {
        match &self.matcher {
            Matcher::Regex {
                named, group_count, ..
            } => {
                let kwargs: Vec<RouteArg> = named
                    .iter()
                    .map(|(_, name)| RouteArg {
                        name: Some(name.to_string()),
                        example: None,
                    })
                    .collect();
                let positional = if kwargs.is_empty() { *group_count } else { 0 };
                (kwargs, positional)
            }
            _ => (
                self.converters
                    .iter()
                    .map(|(name, converter)| RouteArg {
                        name: Some(name.clone()),
                        example: converter.example(),
                    })
                    .collect(),
                0,
            ),
        }
    }

    /// Matches `path` (↔ `pattern.match(path)`): on success returns the length of the matched
    /// prefix (the rest is passed to included patterns) and pushes the captured values (tagged
    /// with `level`) to `caps`. On failure `caps` is left unchanged. A converter error means no
    /// match.
    pub(crate) fn match_path<'u, 'p>(
        &'u self,
        path: &'p str,
        level: usize,
        caps: &mut Captures<'u, 'p>,
    ) -> Option<usize> {
        match &self.matcher {
            Matcher::Literal { text, endpoint } => {
                let ok = if *endpoint {
                    path == text
                } else {
                    path.starts_with(text.as_str())
                };
                ok.then_some(text.len())
            }
            Matcher::Segments(segments) => segments.match_path(path, level, caps),
            Matcher::Route { regex, groups } => {
                let mut locs = regex.capture_locations();
                let end = regex.captures_read(&mut locs, path)?.end();
                let mark = caps.len();
                for (index, name, converter) in groups {
                    let text = group_text(&locs, *index, path);
                    match converter.to_rust(text) {
                        Ok(value) => caps.push(Capture::Kwarg { level, name, value }),
                        Err(_) => {
                            caps.truncate(mark);
                            return None;
                        }
                    }
                }
                Some(end)
            }
            Matcher::Regex {
                regex,
                named,
                group_count,
            } => {
                if *group_count == 0 {
                    return regex.find(path).map(|m| m.end());
                }
                let mut locs = regex.capture_locations();
                let end = regex.captures_read(&mut locs, path)?.end();
                if named.is_empty() {
                    for index in 1..=*group_count {
                        let text = group_text(&locs, index, path);
                        caps.push(Capture::Arg { level, text });
                    }
                } else {
                    for (index, name) in named {
                        if let Some((s, e)) = locs.get(*index) {
                            let text = path.get(s..e).unwrap_or_default();
                            caps.push(Capture::StrKwarg { level, name, text });
                        }
                    }
                }
                Some(end)
            }
        }
    }
}

fn group_text<'p>(locs: &CaptureLocations, index: usize, path: &'p str) -> &'p str {
    locs.get(index)
        .and_then(|(s, e)| path.get(s..e))
        .unwrap_or_default()
}

/// Translates a Python regex to the `regex` crate's syntax: `\Z` → `\z`, and `\<` / `\>`
/// (literal angle brackets in Python, word boundaries in Rust) → `<` / `>`.
pub(crate) fn py_regex_to_rust(py: &str) -> String {
    let mut out = String::with_capacity(py.len() + 2);
    let mut chars = py.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Z') => out.push_str("\\z"),
            Some(c @ ('<' | '>')) => out.push(c),
            Some(c) => {
                out.push('\\');
                out.push(c);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn compile_rust_regex(py: &str, rust: &str) -> Result<Regex, ImproperlyConfigured> {
    Regex::new(rust).map_err(|e| {
        ImproperlyConfigured::new(format!("\"{py}\" is not a valid regular expression: {e}"))
    })
}

/// `_route_to_regex(route, is_endpoint)` plus the compiled matcher.
fn compile_route(
    route: &str,
    is_endpoint: bool,
    registry: &ConverterRegistry,
) -> Result<CompiledPattern, ImproperlyConfigured> {
    let mut py_regex = String::with_capacity(route.len() + 16);
    py_regex.push('^');
    let mut converters = Converters::new();
    let mut previous_end = 0;
    let mut literal_prefix = None;
    let mut pieces: Vec<RoutePiece<'_>> = Vec::new();
    for caps in PARAMETER_RE.captures_iter(route) {
        let Some(whole) = caps.get(0) else { continue };
        if whole
            .as_str()
            .contains([' ', '\t', '\n', '\r', '\u{b}', '\u{c}'])
        {
            return Err(ImproperlyConfigured::new(format!(
                "URL route {} cannot contain whitespace in angle brackets <…>.",
                str_repr(route)
            )));
        }
        let raw_converter = caps.name("converter").map_or("str", |m| m.as_str());
        let parameter = caps.name("parameter").map_or("", |m| m.as_str());
        if !is_identifier(parameter) {
            return Err(ImproperlyConfigured::new(format!(
                "URL route {} uses parameter name {} which isn't a valid Python identifier.",
                str_repr(route),
                str_repr(parameter)
            )));
        }
        let Some(converter) = registry.get(raw_converter) else {
            // Django's message, then the fix.
            return Err(ImproperlyConfigured::new(format!(
                "URL route {} uses invalid converter {}. Use one of the registered converters \
                 ({}), or register it first: Urls::builder().register_converter({:?}, converter).",
                str_repr(route),
                str_repr(raw_converter),
                registry.names().join(", "),
                raw_converter
            )));
        };
        let literal = &route[previous_end..whole.start()];
        literal_prefix.get_or_insert_with(|| literal.to_owned());
        pieces.push(RoutePiece::Lit(literal));
        pieces.push(RoutePiece::Param(parameter, converter));
        re::escape_into(literal, &mut py_regex);
        previous_end = whole.end();
        py_regex.push_str("(?P<");
        py_regex.push_str(parameter);
        py_regex.push('>');
        py_regex.push_str(converter.regex());
        py_regex.push(')');
        if converters
            .insert(parameter.to_owned(), Arc::clone(converter))
            .is_some()
        {
            // Python's `re` rejects it too ("redefinition of group name").
            return Err(ImproperlyConfigured::new(format!(
                "URL route {} uses parameter name {} more than once.",
                str_repr(route),
                str_repr(parameter)
            )));
        }
    }
    re::escape_into(&route[previous_end..], &mut py_regex);
    pieces.push(RoutePiece::Lit(&route[previous_end..]));
    if is_endpoint {
        py_regex.push_str("\\Z");
    }
    let (matcher, literal_prefix) = match literal_prefix {
        None => (
            Matcher::Literal {
                text: route.to_owned(),
                endpoint: is_endpoint,
            },
            route.to_owned(),
        ),
        Some(prefix) => {
            let matcher = match SegmentMatcher::new(&pieces, is_endpoint) {
                Some(segments) => Matcher::Segments(segments),
                None => {
                    let regex = compile_rust_regex(&py_regex, &py_regex_to_rust(&py_regex))?;
                    let mut groups = Vec::with_capacity(converters.len());
                    for (index, name) in regex.capture_names().enumerate() {
                        if let Some((name, converter)) =
                            name.and_then(|n| converters.get_key_value(n))
                        {
                            groups.push((index, Arc::from(name.as_str()), converter.clone()));
                        }
                    }
                    Matcher::Route { regex, groups }
                }
            };
            (matcher, prefix)
        }
    };
    Ok(CompiledPattern {
        describe: route.to_owned(),
        py_regex,
        converters,
        literal_prefix,
        is_route: true,
        is_endpoint,
        matcher,
    })
}

/// `RegexPattern(regex, is_endpoint)`: searched from the start of the path; full match for an
/// endpoint whose regex ends with `$`.
fn compile_regex(py: &str, is_endpoint: bool) -> Result<CompiledPattern, ImproperlyConfigured> {
    let fullmatch = is_endpoint && py.ends_with('$');
    let rust = py_regex_to_rust(py);
    let source = if fullmatch {
        format!("\\A(?:{rust})\\z")
    } else {
        rust
    };
    let regex = compile_rust_regex(py, &source)?;
    let (literal_prefix, tail) = regex_literal_prefix(py);
    let matcher = if tail == Some("") || (fullmatch && tail == Some("$")) {
        Matcher::Literal {
            text: literal_prefix.clone(),
            endpoint: fullmatch,
        }
    } else {
        let named = regex
            .capture_names()
            .enumerate()
            .filter_map(|(i, n)| n.map(|n| (i, Arc::<str>::from(n))))
            .collect();
        Matcher::Regex {
            group_count: regex.captures_len() - 1,
            regex,
            named,
        }
    };
    Ok(CompiledPattern {
        describe: py.to_owned(),
        py_regex: py.to_owned(),
        converters: Converters::new(),
        literal_prefix,
        is_route: false,
        is_endpoint,
        matcher,
    })
}

/// The literal text a regex requires at the start of the path, and the rest of the regex after
/// that literal part — `None` when the literal part was cut short (a quantifier made its last
/// character optional) or the regex has no usable prefix (unanchored pattern, alternation).
pub(crate) fn regex_literal_prefix(py: &str) -> (String, Option<&str>) {
    let mut prefix = String::new();
    let Some(body) = py.strip_prefix('^') else {
        return (prefix, None);
    };
    if py.contains('|') {
        return (prefix, None);
    }
    let mut end = 0;
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let literal = match c {
            '\\' => match chars.peek() {
                Some(&(_, e)) if e.is_ascii() && !e.is_ascii_alphanumeric() => {
                    chars.next();
                    e
                }
                _ => break,
            },
            '?' | '*' | '{' => {
                // The previous character is optional: drop it.
                prefix.pop();
                return (prefix, None);
            }
            '.' | '^' | '$' | '+' | '(' | ')' | '[' | ']' | '}' => break,
            c => c,
        };
        prefix.push(literal);
        end = i + c.len_utf8() + if c == '\\' { literal.len_utf8() } else { 0 };
    }
    (prefix, body.get(end..))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::urls::converters::Value;

    fn route(r: &str, endpoint: bool) -> Result<CompiledPattern, ImproperlyConfigured> {
        CompiledPattern::compile(
            &PatternSpec::Route(r.into()),
            endpoint,
            &ConverterRegistry::new(),
        )
    }

    #[test]
    fn route_to_regex() {
        let p = route("int/<int:n>/", true).unwrap();
        assert_eq!(p.py_regex, r"^int/(?P<n>[0-9]+)/\Z");
        assert_eq!(p.literal_prefix, "int/");
        let p = route("a b-c/<x>", false).unwrap();
        assert_eq!(p.py_regex, r"^a\ b\-c/(?P<x>[^/]+)");
        let p = route("café/", true).unwrap();
        assert_eq!(p.py_regex, r"^café/\Z");
        assert_eq!(p.exact_literal(), Some("café/"));
    }

    struct Bad;

    impl Converter for Bad {
        fn regex(&self) -> &str {
            "[a-"
        }
        fn to_rust(&self, s: &str) -> Result<Value, crate::urls::ConversionError> {
            Ok(Value::from(s))
        }
        fn to_url(&self, v: &Value) -> Result<String, crate::urls::ConversionError> {
            Ok(v.to_string())
        }
    }

    #[test]
    fn route_errors() {
        assert_eq!(
            route("x/< int:n>/", true).unwrap_err().message(),
            "URL route 'x/< int:n>/' cannot contain whitespace in angle brackets <…>."
        );
        assert_eq!(
            route("x/<int:2n>/", true).unwrap_err().message(),
            "URL route 'x/<int:2n>/' uses parameter name '2n' which isn't a valid Python identifier."
        );
        assert_eq!(
            route("x/<foo:n>/", true).unwrap_err().message(),
            "URL route 'x/<foo:n>/' uses invalid converter 'foo'. Use one of the registered \
             converters (int, path, slug, str, uuid), or register it first: \
             Urls::builder().register_converter(\"foo\", converter)."
        );
        assert_eq!(
            route("<int:a>/<int:a>/", true).unwrap_err().message(),
            "URL route '<int:a>/<int:a>/' uses parameter name 'a' more than once."
        );
        // A custom converter's invalid regex is reported at build time.
        let mut registry = ConverterRegistry::new();
        registry.register("bad", Bad).unwrap();
        let err = CompiledPattern::compile(&PatternSpec::Route("<bad:x>".into()), true, &registry)
            .unwrap_err();
        assert!(err
            .message()
            .starts_with("\"^(?P<x>[a-)\\Z\" is not a valid regular expression"));
    }

    #[test]
    fn literal_prefixes() {
        assert_eq!(
            regex_literal_prefix(r"^re/(?P<y>\d+)/$"),
            ("re/".into(), Some(r"(?P<y>\d+)/$"))
        );
        assert_eq!(
            regex_literal_prefix(r"^about/$"),
            ("about/".into(), Some("$"))
        );
        assert_eq!(regex_literal_prefix(r"^a\.b/"), ("a.b/".into(), Some("")));
        assert_eq!(regex_literal_prefix(r"^$"), ("".into(), Some("$")));
        assert_eq!(regex_literal_prefix(r"^abc?d"), ("ab".into(), None));
        assert_eq!(regex_literal_prefix(r"^ab+c").0, "ab");
        assert_eq!(regex_literal_prefix(r"^a|b").0, "");
        assert_eq!(regex_literal_prefix(r"abc").0, "");
        assert_eq!(regex_literal_prefix(r"^\d").0, "");
    }

    /// The regex-free matcher must agree with the route's regex on every path.
    #[test]
    fn segments_agree_with_regex() {
        let routes = [
            "a/<int:n>/",
            "<str:s>/x/",
            "s/<slug:s>/<int:n>/<str:t>",
            "p/<path:p>",
            "u/<uuid:u>/<int:n>",
            "<int:n>",
            "é/<str:x>.json",
        ];
        let paths = [
            "",
            "a/",
            "a/1/",
            "a/01/",
            "a/1",
            "a/1//",
            "a/x/",
            "a/1/2/",
            "x/x/",
            "é/x/",
            "/x/",
            "s/a-b/3/t",
            "s/a-b/3/",
            "s/a.b/3/t",
            "s/-/0/é/",
            "s/a/3/t/u",
            "p/",
            "p//",
            "p/a/b",
            "p/a\nb",
            "u/12345678-1234-5678-1234-567812345678/5",
            "u/12345678-1234-5678-1234-56781234567A/5",
            "u/12345678-1234-5678-1234-567812345678/",
            "5",
            "55x",
            "é/a.b.json",
            "é/a/.json",
            "é/.json",
        ];
        let registry = ConverterRegistry::new();
        for route in routes {
            for endpoint in [true, false] {
                let spec = PatternSpec::Route(route.into());
                let p = CompiledPattern::compile(&spec, endpoint, &registry).unwrap();
                // `.json` follows `[^/]+`, which could match '.': the regex is needed.
                let eligible = !route.ends_with(".json");
                assert_eq!(
                    matches!(p.matcher, Matcher::Segments(_)),
                    eligible,
                    "{route}"
                );
                let regex = Regex::new(&py_regex_to_rust(&p.py_regex)).unwrap();
                for path in paths {
                    let mut caps = Captures::new();
                    let got = p.match_path(path, 0, &mut caps);
                    let expected = regex.captures(path).and_then(|c| {
                        let values: Option<Vec<Value>> = p
                            .converters
                            .iter()
                            .map(|(name, conv)| conv.to_rust(&c[name.as_str()]).ok())
                            .collect();
                        Some((c.get(0)?.end(), values?))
                    });
                    let got = got.map(|end| {
                        let values = caps
                            .into_iter()
                            .map(|c| match c {
                                Capture::Kwarg { value, .. } => value,
                                other => panic!("{other:?}"),
                            })
                            .collect::<Vec<_>>();
                        (end, values)
                    });
                    assert_eq!(
                        got, expected,
                        "route {route:?} endpoint {endpoint} path {path:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn translation() {
        assert_eq!(py_regex_to_rust(r"^a\Z"), r"^a\z");
        assert_eq!(py_regex_to_rust(r"^\<\\Z"), r"^<\\Z");
    }
}

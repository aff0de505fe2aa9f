//! Regex-free matching of common routes.
//!
//! A route such as `articles/<int:year>/<slug:title>/` compiles to
//! `^articles/(?P<year>[0-9]+)/(?P<title>[-a-zA-Z0-9_]+)/\Z`. When every parameter uses one of
//! the built-in regexes and is followed either by the end of the route or by literal text whose
//! first character the parameter's regex cannot match, the regex has exactly one way to match:
//! each parameter takes the longest run of characters of its class. That is what this matcher
//! does, with plain string operations; other routes use the regex.

use std::sync::Arc;

use super::capture::{Capture, Captures};
use crate::urls::converters::Converter;

/// The character class of a built-in converter regex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// `[0-9]+`
    Int,
    /// `[^/]+`
    Str,
    /// `[-a-zA-Z0-9_]+`
    Slug,
    /// `.+` (any character but `\n`)
    Path,
    /// `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}` (fixed length)
    Uuid,
}

impl Class {
    fn from_regex(regex: &str) -> Option<Self> {
        Some(match regex {
            "[0-9]+" => Class::Int,
            "[^/]+" => Class::Str,
            "[-a-zA-Z0-9_]+" => Class::Slug,
            ".+" => Class::Path,
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}" => Class::Uuid,
            _ => return None,
        })
    }

    /// Whether the regex may match text starting with `c` (for the next literal's first char).
    fn may_start_with(self, c: char) -> bool {
        match self {
            Class::Int => c.is_ascii_digit(),
            Class::Str => c != '/',
            Class::Slug => c.is_ascii_alphanumeric() || c == '-' || c == '_',
            Class::Path => c != '\n',
            // Fixed length: what follows never changes the match.
            Class::Uuid => false,
        }
    }

    /// Length of the (greedy) match at the start of `s`, if any.
    fn scan(self, s: &str) -> Option<usize> {
        let bytes = s.as_bytes();
        let n = match self {
            Class::Int => bytes.iter().take_while(|b| b.is_ascii_digit()).count(),
            Class::Slug => bytes
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b'_')
                .count(),
            Class::Str => bytes.iter().position(|b| *b == b'/').unwrap_or(bytes.len()),
            Class::Path => bytes
                .iter()
                .position(|b| *b == b'\n')
                .unwrap_or(bytes.len()),
            Class::Uuid => {
                let ok = bytes.len() >= 36
                    && bytes[..36].iter().enumerate().all(|(i, b)| match i {
                        8 | 13 | 18 | 23 => *b == b'-',
                        _ => b.is_ascii_digit() || (b'a'..=b'f').contains(b),
                    });
                if ok {
                    36
                } else {
                    0
                }
            }
        };
        (n > 0).then_some(n)
    }
}

#[derive(Debug)]
enum Segment {
    Lit(String),
    Param {
        name: Arc<str>,
        converter: Arc<dyn Converter>,
        class: Class,
    },
}

/// A route matched without regex.
#[derive(Debug)]
pub(crate) struct SegmentMatcher {
    segments: Vec<Segment>,
    endpoint: bool,
}

/// A piece of a route: literal text, or a parameter with its converter.
pub(crate) enum RoutePiece<'a> {
    Lit(&'a str),
    Param(&'a str, &'a Arc<dyn Converter>),
}

impl SegmentMatcher {
    /// A matcher for the route made of `pieces`, if it is equivalent to the route's regex.
    pub(crate) fn new(pieces: &[RoutePiece<'_>], endpoint: bool) -> Option<Self> {
        let mut segments: Vec<Segment> = Vec::with_capacity(pieces.len());
        for piece in pieces {
            match piece {
                RoutePiece::Lit("") => {}
                RoutePiece::Lit(text) => {
                    let first = text.chars().next()?;
                    if let Some(Segment::Param { class, .. }) = segments.last() {
                        if class.may_start_with(first) {
                            return None;
                        }
                    }
                    segments.push(Segment::Lit((*text).to_owned()));
                }
                RoutePiece::Param(name, converter) => {
                    if matches!(segments.last(), Some(Segment::Param { .. })) {
                        return None;
                    }
                    segments.push(Segment::Param {
                        name: Arc::from(*name),
                        converter: Arc::clone(converter),
                        class: Class::from_regex(converter.regex())?,
                    });
                }
            }
        }
        Some(Self { segments, endpoint })
    }

    /// Same contract as `CompiledPattern::match_path`.
    pub(crate) fn match_path<'u, 'p>(
        &'u self,
        path: &'p str,
        level: usize,
        caps: &mut Captures<'u, 'p>,
    ) -> Option<usize> {
        let mark = caps.len();
        let mut pos = 0;
        for segment in &self.segments {
            let rest = &path[pos..];
            match segment {
                Segment::Lit(text) => {
                    if !rest.starts_with(text.as_str()) {
                        caps.truncate(mark);
                        return None;
                    }
                    pos += text.len();
                }
                Segment::Param {
                    name,
                    converter,
                    class,
                } => {
                    let converted = class
                        .scan(rest)
                        .and_then(|n| converter.to_rust(&rest[..n]).ok().map(|v| (n, v)));
                    let Some((n, value)) = converted else {
                        caps.truncate(mark);
                        return None;
                    };
                    caps.push(Capture::Kwarg { level, name, value });
                    pos += n;
                }
            }
        }
        if self.endpoint && pos != path.len() {
            caps.truncate(mark);
            return None;
        }
        Some(pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::urls::converters::{IntConverter, PathConverter, SlugConverter, Value};

    fn arc(c: impl Converter) -> Arc<dyn Converter> {
        Arc::new(c)
    }

    #[test]
    fn eligibility() {
        let int = arc(IntConverter);
        let slug = arc(SlugConverter);
        let path = arc(PathConverter);
        use RoutePiece::{Lit, Param};
        assert!(SegmentMatcher::new(&[Lit("a/"), Param("n", &int), Lit("/")], true).is_some());
        assert!(SegmentMatcher::new(&[Param("n", &int), Lit("1")], true).is_none());
        assert!(SegmentMatcher::new(&[Param("n", &int), Param("m", &int)], true).is_none());
        assert!(SegmentMatcher::new(&[Param("s", &slug), Lit("-x")], true).is_none());
        assert!(SegmentMatcher::new(&[Param("p", &path), Lit("/")], true).is_none());
        assert!(SegmentMatcher::new(&[Lit("p/"), Param("p", &path)], true).is_some());
    }

    #[test]
    fn matching() {
        let int = arc(IntConverter);
        let path = arc(PathConverter);
        use RoutePiece::{Lit, Param};
        let m = SegmentMatcher::new(&[Lit("a/"), Param("n", &int), Lit("/")], true).unwrap();
        let mut caps = Captures::new();
        assert_eq!(m.match_path("a/12/", 0, &mut caps), Some(5));
        assert!(matches!(
            &caps[..],
            [Capture::Kwarg {
                value: Value::Int(12),
                ..
            }]
        ));
        caps.clear();
        assert_eq!(m.match_path("a/12/x", 0, &mut caps), None);
        assert_eq!(m.match_path("a//", 0, &mut caps), None);
        assert!(caps.is_empty());
        // Python's ints have no size: a long run of digits matches.
        assert_eq!(
            m.match_path("a/99999999999999999999/", 0, &mut caps),
            Some(23)
        );
        let prefix = SegmentMatcher::new(&[Lit("a/"), Param("n", &int)], false).unwrap();
        let mut caps = Captures::new();
        assert_eq!(prefix.match_path("a/12/x", 0, &mut caps), Some(4));
        let p = SegmentMatcher::new(&[Lit("p/"), Param("p", &path)], true).unwrap();
        let mut caps = Captures::new();
        assert_eq!(p.match_path("p/a/b/", 0, &mut caps), Some(6));
        assert_eq!(p.match_path("p/a\nb", 0, &mut caps), None);
    }
}

//! One value captured while matching a path (by a route's segments, its regex, or a
//! `re_path()` regex), tagged with the depth of the pattern that captured it.

use std::sync::Arc;

use smallvec::SmallVec;

use crate::urls::converters::Value;

/// The values captured while matching one path: held on the stack for the usual handful.
pub(crate) type Captures<'u, 'p> = SmallVec<[Capture<'u, 'p>; 2]>;

/// One value captured while matching, tagged with the depth of the pattern that captured it.
#[derive(Debug)]
pub(crate) enum Capture<'u, 'p> {
    /// A converted route parameter.
    Kwarg {
        level: usize,
        name: &'u Arc<str>,
        value: Value,
    },
    /// A named regex group (passed as a string).
    StrKwarg {
        level: usize,
        name: &'u Arc<str>,
        text: &'p str,
    },
    /// An unnamed regex group (a non-participating group gives an empty string).
    Arg { level: usize, text: &'p str },
}

impl Capture<'_, '_> {
    pub(crate) fn level(&self) -> usize {
        match self {
            Capture::Kwarg { level, .. }
            | Capture::StrKwarg { level, .. }
            | Capture::Arg { level, .. } => *level,
        }
    }
}

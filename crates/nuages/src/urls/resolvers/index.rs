//! Candidate selection for one resolver level.
//!
//! Django tries every pattern in declaration order. A pattern can only match a path that starts
//! with the pattern's literal prefix (the text before its first converter or regex
//! meta-character), so patterns are indexed by that prefix, split into `/`-terminated segments,
//! in a trie; fully literal endpoint routes are indexed by their whole text. For a path, the
//! patterns of every trie node along the path (plus the exact-text bucket) are merged by
//! declaration index, which yields exactly the patterns that may match, in Django's order.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Deepest trie level (longer prefixes are indexed by their first segments only).
const MAX_DEPTH: usize = 6;
/// Lists merged for one lookup: the exact bucket, the root and `MAX_DEPTH` levels.
const MAX_LISTS: usize = MAX_DEPTH + 2;
/// Below this many patterns a linear scan (with a prefix check) is used.
pub(crate) const LINEAR_THRESHOLD: usize = 8;

/// A fast non-cryptographic hasher for the index keys (FxHash-style, 8 bytes per step). The keys
/// are developer-written prefixes; requests only look them up, so HashDoS is not a concern.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FxHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[derive(Debug, Default)]
struct Node {
    /// Patterns whose literal prefix ends in this node (or deeper than `MAX_DEPTH`).
    entries: Vec<u32>,
    children: FxMap<Box<str>, Node>,
}

/// The index of one resolver level's patterns.
#[derive(Debug, Default)]
pub(crate) struct PrefixIndex {
    root: Node,
    exact: FxMap<Box<str>, Vec<u32>>,
}

/// Splits off the first `/`-terminated segment of `s`.
fn first_segment(s: &str) -> Option<(&str, &str)> {
    // Segments are a few bytes long: a plain scan beats memchr's set-up.
    s.bytes().position(|b| b == b'/').map(|i| s.split_at(i + 1))
}

impl PrefixIndex {
    /// Adds pattern `index` (indices must be added in increasing order): `exact` is the text of a
    /// fully literal endpoint, otherwise `prefix` is its literal prefix.
    pub(crate) fn insert(&mut self, index: u32, prefix: &str, exact: Option<&str>) {
        if let Some(text) = exact {
            self.exact.entry(text.into()).or_default().push(index);
            return;
        }
        let mut node = &mut self.root;
        let mut rest = prefix;
        for _ in 0..MAX_DEPTH {
            let Some((segment, tail)) = first_segment(rest) else {
                break;
            };
            node = node.children.entry(segment.into()).or_default();
            rest = tail;
        }
        node.entries.push(index);
    }

    /// The patterns that may match `path`, in declaration order.
    pub(crate) fn candidates(&self, path: &str) -> Candidates<'_> {
        let mut lists: [&[u32]; MAX_LISTS] = [&[]; MAX_LISTS];
        let mut n = 0;
        if let Some(list) = self.exact.get(path) {
            lists[n] = list;
            n += 1;
        }
        let mut node = &self.root;
        let mut rest = path;
        let mut depth = 0;
        loop {
            if !node.entries.is_empty() {
                lists[n] = &node.entries;
                n += 1;
            }
            if depth == MAX_DEPTH {
                break;
            }
            let Some((segment, tail)) = first_segment(rest) else {
                break;
            };
            let Some(child) = node.children.get(segment) else {
                break;
            };
            node = child;
            rest = tail;
            depth += 1;
        }
        Candidates::Merge { lists, n }
    }
}

/// Iterator over candidate pattern indices, in increasing order.
#[derive(Debug)]
pub(crate) enum Candidates<'a> {
    /// Every pattern (small levels).
    All(std::ops::Range<usize>),
    /// A k-way merge of sorted lists.
    Merge {
        lists: [&'a [u32]; MAX_LISTS],
        n: usize,
    },
}

impl Iterator for Candidates<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        match self {
            Candidates::All(range) => range.next(),
            Candidates::Merge { lists, n } => {
                let active = &mut lists[..*n];
                let mut best: Option<(usize, u32)> = None;
                for (i, list) in active.iter().enumerate() {
                    if let Some(&head) = list.first() {
                        if best.is_none_or(|(_, b)| head < b) {
                            best = Some((i, head));
                        }
                    }
                }
                let (i, head) = best?;
                active[i] = &active[i][1..];
                Some(head as usize)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_preserves_declaration_order() {
        let mut idx = PrefixIndex::default();
        idx.insert(0, "", None); // e.g. `<slug:s>/`
        idx.insert(1, "a/b/", None);
        idx.insert(2, "a/", None);
        idx.insert(3, "x/", None);
        idx.insert(4, "a/b/", Some("a/b/"));
        idx.insert(5, "a/b", None);
        let got: Vec<usize> = idx.candidates("a/b/c/").collect();
        assert_eq!(got, vec![0, 1, 2, 5]);
        let got: Vec<usize> = idx.candidates("a/b/").collect();
        assert_eq!(got, vec![0, 1, 2, 4, 5]);
        let got: Vec<usize> = idx.candidates("x/1/").collect();
        assert_eq!(got, vec![0, 3]);
    }

    #[test]
    fn deep_prefixes_are_truncated() {
        let mut idx = PrefixIndex::default();
        idx.insert(0, "1/2/3/4/5/6/7/8/", None);
        idx.insert(1, "1/2/3/4/5/6/9/", None);
        assert_eq!(
            idx.candidates("1/2/3/4/5/6/7/8/").collect::<Vec<_>>(),
            vec![0, 1]
        );
    }
}

//! Iterator over the lists of a [`QueryDict`](super::QueryDict).

use std::iter::FusedIterator;

use super::entries;

/// Iterator over `(key, all values)` pairs of a [`QueryDict`](super::QueryDict), in key order.
#[derive(Clone, Debug)]
pub struct Lists<'a> {
    pub(super) inner: entries::Iter<'a>,
}

impl<'a> Iterator for Lists<'a> {
    type Item = (&'a str, &'a [String]);

    fn next(&mut self) -> Option<Self::Item> {
        self.inner
            .next()
            .map(|(key, values)| (key.as_str(), values.as_slice()))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl DoubleEndedIterator for Lists<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.inner
            .next_back()
            .map(|(key, values)| (key.as_str(), values.as_slice()))
    }
}

impl ExactSizeIterator for Lists<'_> {}

impl FusedIterator for Lists<'_> {}

//! [`Rope`]: bytes held as the pieces the network delivered them in.
//!
//! The multipart streams cut and join the body at Django's offsets (64 KiB chunks, the
//! separators, the bytes put back); a rope does that by slicing and moving the received
//! [`Bytes`] (reference counts, no copy), so a file's content reaches its [`FileSink`] as
//! slices of the request body's own buffers.
//!
//! [`FileSink`]: super::upload::FileSink

use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};
use memchr::memmem::Finder;

/// The longest needle [`Rope::find`] joins the pieces for on the stack; a separator is at
/// most 203 bytes (`--` and a boundary of 201), so a window over a junction (all but one byte
/// of the needle on each side) fits.
const WINDOW: usize = 512;

/// A sequence of bytes made of shared pieces, none of them empty.
#[derive(Clone, Debug, Default)]
pub(super) struct Rope {
    pieces: VecDeque<Bytes>,
    len: usize,
}

impl Rope {
    /// An empty rope (no allocation).
    pub(super) fn new() -> Self {
        Rope::default()
    }

    /// The number of bytes.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no bytes.
    pub(super) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends `bytes`.
    pub(super) fn push(&mut self, bytes: Bytes) {
        if !bytes.is_empty() {
            self.len += bytes.len();
            self.pieces.push_back(bytes);
        }
    }

    /// Appends the pieces of `other` (taking `other` whole when `self` is empty).
    pub(super) fn append(&mut self, mut other: Rope) {
        if self.is_empty() {
            *self = other;
        } else {
            self.len += other.len;
            self.pieces.append(&mut other.pieces);
        }
    }

    /// `other` followed by `self`.
    pub(super) fn prepend(&mut self, mut other: Rope) {
        other.append(std::mem::take(self));
        *self = other;
    }

    /// The byte at `index`.
    pub(super) fn get(&self, mut index: usize) -> Option<u8> {
        for piece in &self.pieces {
            if index < piece.len() {
                return Some(piece[index]);
            }
            index -= piece.len();
        }
        None
    }

    /// Splits off the bytes from `at` on (all of them if `at` is 0, none past the end).
    pub(super) fn split_off(&mut self, at: usize) -> Rope {
        if at == 0 {
            return std::mem::take(self);
        }
        let mut tail = Rope::new();
        while self.len > at {
            let Some(mut last) = self.pieces.pop_back() else {
                break;
            };
            let start = self.len - last.len();
            self.len = start;
            if start < at {
                tail.pieces.push_front(last.split_off(at - start));
                self.pieces.push_back(last);
                self.len = at;
            } else {
                tail.pieces.push_front(last);
            }
        }
        tail.len = tail.pieces.iter().map(Bytes::len).sum();
        tail
    }

    /// Keeps the first `len` bytes.
    pub(super) fn truncate(&mut self, len: usize) {
        while self.len > len {
            let Some(last) = self.pieces.back_mut() else {
                break;
            };
            let start = self.len - last.len();
            if start < len {
                last.truncate(len - start);
                self.len = len;
            } else {
                self.len = start;
                self.pieces.pop_back();
            }
        }
    }

    /// The pieces, in order.
    pub(super) fn into_pieces(self) -> impl Iterator<Item = Bytes> {
        self.pieces.into_iter()
    }

    /// The bytes as one buffer: the piece itself if there is one, else the pieces copied into
    /// a buffer of their total size.
    pub(super) fn into_bytes(mut self) -> Bytes {
        if self.pieces.len() <= 1 {
            return self.pieces.pop_front().unwrap_or_default();
        }
        let mut out = BytesMut::with_capacity(self.len);
        for piece in &self.pieces {
            out.extend_from_slice(piece);
        }
        out.freeze()
    }

    /// The offset of the first occurrence of `finder`'s needle, which may straddle pieces.
    pub(super) fn find(&self, finder: &Finder<'_>) -> Option<usize> {
        let needle = finder.needle();
        if needle.is_empty() {
            return Some(0);
        }
        // What a match starting in a piece's last `needle.len() - 1` bytes needs of the pieces
        // after it.
        let overlap = needle.len() - 1;
        let mut stack = [0u8; WINDOW];
        let mut heap = Vec::new();
        let window: &mut [u8] = if 2 * overlap <= WINDOW {
            &mut stack[..]
        } else {
            heap.resize(2 * overlap, 0);
            &mut heap
        };
        let mut offset = 0;
        for (i, piece) in self.pieces.iter().enumerate() {
            // A match that starts in this piece and ends in it comes before any that ends
            // further on.
            if let Some(at) = finder.find(piece) {
                return Some(offset + at);
            }
            if i + 1 == self.pieces.len() {
                break;
            }
            let start = piece.len().saturating_sub(overlap);
            let mut filled = piece.len() - start;
            window[..filled].copy_from_slice(&piece[start..]);
            let want = filled + overlap;
            for next in self.pieces.iter().skip(i + 1) {
                let take = (want - filled).min(next.len());
                window[filled..filled + take].copy_from_slice(&next[..take]);
                filled += take;
                if filled == want {
                    break;
                }
            }
            // Only a match starting in this piece fits: one starting after it would need
            // `needle.len()` bytes of the `overlap` taken from the pieces after it.
            if let Some(at) = finder.find(&window[..filled]) {
                return Some(offset + start + at);
            }
            offset += piece.len();
        }
        None
    }
}

impl From<Bytes> for Rope {
    fn from(bytes: Bytes) -> Self {
        let mut rope = Rope::new();
        rope.push(bytes);
        rope
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rope(pieces: &[&'static [u8]]) -> Rope {
        let mut rope = Rope::new();
        for piece in pieces {
            rope.push(Bytes::from_static(piece));
        }
        rope
    }

    fn flat(rope: &Rope) -> Vec<u8> {
        rope.clone().into_bytes().to_vec()
    }

    /// Every way of cutting `data` in up to three pieces.
    fn cuttings(data: &'static [u8]) -> Vec<Rope> {
        let mut out = Vec::new();
        for a in 0..=data.len() {
            for b in a..=data.len() {
                out.push(rope(&[&data[..a], &data[a..b], &data[b..]]));
            }
        }
        out
    }

    #[test]
    fn find_sees_needles_across_pieces() {
        let data: &'static [u8] = b"x-\r\n-a--B--Bz";
        let finder = Finder::new(b"--B");
        for r in cuttings(data) {
            assert_eq!(r.find(&finder), Some(6), "{:?}", r.pieces);
            assert_eq!(r.find(&Finder::new(b"-a-")), Some(4));
            assert_eq!(r.find(&Finder::new(b"Bz")), Some(11));
            assert_eq!(r.find(&Finder::new(b"zz")), None);
        }
        // A needle straddling more than two pieces.
        let r = rope(&[b"ab-", b"-", b"", b"B", b"c"]);
        assert_eq!(r.find(&finder), Some(2));
        assert_eq!(rope(&[]).find(&finder), None);
        // Needles longer than the stack window.
        let long: Vec<u8> = (0..300u32).map(|i| (i % 250) as u8).collect();
        let mut r = Rope::new();
        r.push(Bytes::from_static(b"...."));
        r.push(Bytes::copy_from_slice(&long[..123]));
        r.push(Bytes::copy_from_slice(&long[123..]));
        assert_eq!(r.find(&Finder::new(&long)), Some(4));
    }

    #[test]
    fn splits_and_truncations_keep_the_bytes_in_order() {
        let data: &'static [u8] = b"abcdefg";
        for r in cuttings(data) {
            for at in 0..=data.len() + 1 {
                let mut head = r.clone();
                let tail = head.split_off(at);
                let at = at.min(data.len());
                assert_eq!((flat(&head), head.len()), (data[..at].to_vec(), at));
                assert_eq!(
                    (flat(&tail), tail.len()),
                    (data[at..].to_vec(), data.len() - at)
                );
                let mut short = r.clone();
                short.truncate(at);
                assert_eq!((flat(&short), short.len()), (data[..at].to_vec(), at));
                assert_eq!(r.get(at), data.get(at).copied());
            }
        }
        let mut r = rope(&[b"cd"]);
        r.prepend(rope(&[b"a", b"b"]));
        r.append(rope(&[b"e"]));
        assert_eq!((flat(&r), r.len()), (b"abcde".to_vec(), 5));
        assert!(r.into_pieces().all(|p| !p.is_empty()));
    }

    #[test]
    fn one_piece_is_handed_on_without_a_copy() {
        let bytes = Bytes::from(vec![1u8; 100]);
        let rope = Rope::from(bytes.slice(10..20));
        assert_eq!(rope.into_bytes().as_ptr(), bytes[10..].as_ptr());
        assert!(Rope::from(Bytes::new()).into_bytes().is_empty());
    }
}

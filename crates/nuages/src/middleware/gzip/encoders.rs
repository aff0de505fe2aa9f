//! The encoders of [`GZipMiddleware`](super::GZipMiddleware)'s encodings beyond Django
//! (brotli and zstd): whole bodies, and streams compressed and flushed chunk by chunk in
//! constant memory, each with its BREACH padding.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;

use crate::http::body::BodyStream;

/// An encoding beyond Django with its compression setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Codec {
    /// Brotli at this quality (0–11).
    #[cfg(feature = "brotli")]
    Brotli(u32),
    /// Zstandard at this level.
    #[cfg(feature = "zstd")]
    Zstd(i32),
}

/// Incremental compression into caller-owned buffers.
pub(super) trait ChunkEncoder: Send {
    /// Compresses `data`, appending what is ready to `out`; with `flush`, everything written so
    /// far becomes decodable from `out`.
    fn write(&mut self, data: &[u8], flush: bool, out: &mut Vec<u8>) -> io::Result<()>;

    /// Ends the stream, appending the rest to `out`.
    fn finish(&mut self, out: &mut Vec<u8>) -> io::Result<()>;
}

/// An encoder ready to run, with the bytes that come before its first output (the padding).
pub(super) struct Prepared {
    encoder: Box<dyn ChunkEncoder>,
    prefix: Vec<u8>,
}

impl Prepared {
    /// The encoder for `codec`, told the input size when it is known, after `padding` bytes
    /// of padding (`None`: no padding).
    #[cfg_attr(
        not(any(feature = "brotli", feature = "zstd")),
        allow(unused_variables)
    )]
    pub(super) fn new(
        codec: Codec,
        size_hint: Option<usize>,
        padding: Option<usize>,
    ) -> io::Result<Self> {
        match codec {
            #[cfg(feature = "brotli")]
            Codec::Brotli(quality) => {
                let mut encoder = brotli_encoder::BrotliEncoder::new(quality, size_hint);
                let mut prefix = Vec::new();
                if let Some(n) = padding {
                    // rust-brotli writes a 1-byte metadata block with a header announcing an
                    // empty one (MSKIPBYTES 0, where C brotli writes 1) and then the byte, which
                    // decoders reject: 1 byte of padding becomes 2.
                    let n = if n == 1 { 2 } else { n };
                    encoder.metadata(&vec![0; n], &mut prefix)?;
                }
                Ok(Prepared {
                    encoder: Box::new(encoder),
                    prefix,
                })
            }
            #[cfg(feature = "zstd")]
            Codec::Zstd(level) => Ok(Prepared {
                encoder: Box::new(zstd_encoder::ZstdEncoder::new(level, size_hint)?),
                prefix: padding
                    .map(zstd_encoder::skippable_frame)
                    .unwrap_or_default(),
            }),
        }
    }

    /// `inner` compressed chunk by chunk, in constant memory: every non-empty chunk of `inner`
    /// is compressed and flushed, so its bytes are decodable as soon as its compressed chunk is
    /// sent. The padding, if any, is the first chunk.
    pub(super) fn into_stream(self, inner: BodyStream) -> BodyStream {
        encoded_stream(inner, self.encoder, self.prefix, true)
    }
}

/// `data` compressed with `codec` as one whole body, after `padding` bytes of padding.
pub(super) fn compress(codec: Codec, data: &[u8], padding: Option<usize>) -> io::Result<Vec<u8>> {
    let Prepared {
        mut encoder,
        prefix: mut out,
    } = Prepared::new(codec, Some(data.len()), padding)?;
    encoder.write(data, false, &mut out)?;
    encoder.finish(&mut out)?;
    Ok(out)
}

struct EncodedStream {
    inner: BodyStream,
    encoder: Box<dyn ChunkEncoder>,
    prefix: Option<Vec<u8>>,
    /// Whether each chunk is flushed (decodable as soon as it is sent).
    flush: bool,
    done: bool,
}

/// `inner` compressed chunk by chunk by `encoder`, in constant memory, after `prefix` (a
/// header or the padding); with `flush`, each compressed chunk is decodable when it is sent.
pub(super) fn encoded_stream(
    inner: BodyStream,
    encoder: Box<dyn ChunkEncoder>,
    prefix: Vec<u8>,
    flush: bool,
) -> BodyStream {
    Box::pin(EncodedStream {
        inner,
        encoder,
        prefix: (!prefix.is_empty()).then_some(prefix),
        flush,
        done: false,
    })
}

impl Stream for EncodedStream {
    type Item = Result<Bytes, io::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(prefix) = this.prefix.take() {
            return Poll::Ready(Some(Ok(Bytes::from(prefix))));
        }
        if this.done {
            return Poll::Ready(None);
        }
        loop {
            match this.inner.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(chunk))) => {
                    if chunk.is_empty() {
                        continue;
                    }
                    let mut out = Vec::new();
                    if let Err(e) = this.encoder.write(&chunk, this.flush, &mut out) {
                        this.done = true;
                        return Poll::Ready(Some(Err(e)));
                    }
                    if !out.is_empty() {
                        return Poll::Ready(Some(Ok(Bytes::from(out))));
                    }
                }
                Poll::Ready(None) => {
                    this.done = true;
                    let mut out = Vec::new();
                    return Poll::Ready(Some(
                        this.encoder.finish(&mut out).map(|()| Bytes::from(out)),
                    ));
                }
            }
        }
    }
}

#[cfg(feature = "brotli")]
mod brotli_encoder {
    use std::io;

    use brotli::enc::encode::{
        BrotliEncoderOperation, BrotliEncoderParameter, BrotliEncoderStateStruct,
    };
    use brotli::enc::interface::{PredictionModeContextMap, StaticCommand};
    use brotli::enc::StandardAlloc;
    use brotli::{InputPair, InputReferenceMut};

    use super::ChunkEncoder;

    /// The size of the scratch buffer the encoder writes into.
    const SCRATCH: usize = 16 * 1024;

    /// The brotli encoder state (rust-brotli's streaming API, as `BrotliEncoderCompressStream`).
    pub(super) struct BrotliEncoder {
        state: BrotliEncoderStateStruct<StandardAlloc>,
        scratch: Box<[u8]>,
    }

    impl BrotliEncoder {
        /// An encoder at `quality` (clamped to 0–11), told the input size when it is known.
        pub(super) fn new(quality: u32, size_hint: Option<usize>) -> Self {
            let mut state = BrotliEncoderStateStruct::new(StandardAlloc::default());
            // Setting a parameter only fails once the encoder has started.
            state.set_parameter(
                BrotliEncoderParameter::BROTLI_PARAM_QUALITY,
                quality.min(11),
            );
            if let Some(n) = size_hint {
                state.set_parameter(
                    BrotliEncoderParameter::BROTLI_PARAM_SIZE_HINT,
                    u32::try_from(n).unwrap_or(u32::MAX),
                );
            }
            BrotliEncoder {
                state,
                scratch: vec![0; SCRATCH].into_boxed_slice(),
            }
        }

        /// Emits a metadata meta-block holding `data` (at most 16 MiB), which decoders skip.
        pub(super) fn metadata(&mut self, data: &[u8], out: &mut Vec<u8>) -> io::Result<()> {
            self.run(
                BrotliEncoderOperation::BROTLI_OPERATION_EMIT_METADATA,
                data,
                out,
            )
        }

        /// Runs `op` over `input` until it is consumed and the output drained (for FINISH:
        /// until the stream is finished).
        fn run(
            &mut self,
            op: BrotliEncoderOperation,
            input: &[u8],
            out: &mut Vec<u8>,
        ) -> io::Result<()> {
            let mut nop = |_: &mut PredictionModeContextMap<InputReferenceMut<'_>>,
                           _: &mut [StaticCommand],
                           _: InputPair<'_>,
                           _: &mut StandardAlloc| ();
            let mut available_in = input.len();
            let mut in_offset = 0;
            loop {
                let mut available_out = self.scratch.len();
                let mut out_offset = 0;
                let before = in_offset;
                let ok = self.state.compress_stream(
                    op,
                    &mut available_in,
                    input,
                    &mut in_offset,
                    &mut available_out,
                    &mut self.scratch,
                    &mut out_offset,
                    &mut None,
                    &mut nop,
                );
                if !ok {
                    return Err(io::Error::other(
                        "brotli: the encoder refused the operation",
                    ));
                }
                out.extend_from_slice(&self.scratch[..out_offset]);
                let done = if op == BrotliEncoderOperation::BROTLI_OPERATION_FINISH {
                    self.state.is_finished()
                } else {
                    available_in == 0 && !self.state.has_more_output()
                };
                if done {
                    return Ok(());
                }
                if out_offset == 0 && in_offset == before {
                    return Err(io::Error::other("brotli: the encoder made no progress"));
                }
            }
        }
    }

    impl ChunkEncoder for BrotliEncoder {
        fn write(&mut self, data: &[u8], flush: bool, out: &mut Vec<u8>) -> io::Result<()> {
            self.run(BrotliEncoderOperation::BROTLI_OPERATION_PROCESS, data, out)?;
            if flush {
                self.run(BrotliEncoderOperation::BROTLI_OPERATION_FLUSH, &[], out)?;
            }
            Ok(())
        }

        fn finish(&mut self, out: &mut Vec<u8>) -> io::Result<()> {
            self.run(BrotliEncoderOperation::BROTLI_OPERATION_FINISH, &[], out)
        }
    }
}

#[cfg(feature = "zstd")]
mod zstd_encoder {
    use std::io::{self, Write as _};

    use super::ChunkEncoder;

    /// The magic number of the first of the 16 skippable-frame magics (RFC 8878 §3.1.2).
    const SKIPPABLE_MAGIC: u32 = 0x184D_2A50;

    /// A zstd skippable frame of `n` zero bytes: 8 + `n` bytes that decoders skip.
    pub(super) fn skippable_frame(n: usize) -> Vec<u8> {
        let size = u32::try_from(n).unwrap_or(u32::MAX);
        let mut frame = Vec::with_capacity(8 + size as usize);
        frame.extend_from_slice(&SKIPPABLE_MAGIC.to_le_bytes());
        frame.extend_from_slice(&size.to_le_bytes());
        frame.resize(8 + size as usize, 0);
        frame
    }

    /// One zstd frame (with its content checksum; with its content size when known).
    pub(super) struct ZstdEncoder {
        encoder: zstd::stream::write::Encoder<'static, Vec<u8>>,
    }

    impl ZstdEncoder {
        /// An encoder at `level`, told the input size when it is known.
        pub(super) fn new(level: i32, size_hint: Option<usize>) -> io::Result<Self> {
            let mut encoder = zstd::stream::write::Encoder::new(Vec::new(), level)?;
            encoder.include_checksum(true)?;
            if let Some(n) = size_hint {
                encoder.set_pledged_src_size(u64::try_from(n).ok())?;
                encoder.include_contentsize(true)?;
            }
            Ok(ZstdEncoder { encoder })
        }
    }

    impl ChunkEncoder for ZstdEncoder {
        fn write(&mut self, data: &[u8], flush: bool, out: &mut Vec<u8>) -> io::Result<()> {
            self.encoder.write_all(data)?;
            if flush {
                self.encoder.flush()?;
            }
            out.append(self.encoder.get_mut());
            Ok(())
        }

        fn finish(&mut self, out: &mut Vec<u8>) -> io::Result<()> {
            self.encoder.do_finish()?;
            out.append(self.encoder.get_mut());
            Ok(())
        }
    }
}

#[cfg(all(test, any(feature = "brotli", feature = "zstd")))]
mod tests {
    use std::io::Read;

    use super::*;

    fn text(n: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut i = 0u32;
        while out.len() < n {
            i = i.wrapping_mul(1_103_515_245).wrapping_add(12345);
            out.extend_from_slice(format!("word{} ", (i >> 16) % 500).as_bytes());
        }
        out.truncate(n);
        out
    }

    /// The decoded bytes, or `None` when the decoder refuses `data`.
    fn decode(codec: Codec, data: &[u8]) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let read = match codec {
            #[cfg(feature = "brotli")]
            Codec::Brotli(_) => brotli::Decompressor::new(data, 4096).read_to_end(&mut out),
            #[cfg(feature = "zstd")]
            Codec::Zstd(_) => zstd::stream::read::Decoder::new(data)
                .and_then(|mut decoder| decoder.read_to_end(&mut out)),
        };
        read.ok().map(|_| out)
    }

    fn codecs() -> Vec<Codec> {
        vec![
            #[cfg(feature = "brotli")]
            Codec::Brotli(4),
            #[cfg(feature = "brotli")]
            Codec::Brotli(0),
            #[cfg(feature = "zstd")]
            Codec::Zstd(3),
        ]
    }

    #[test]
    fn chunked_writes_round_trip_with_and_without_flushes() {
        let data = text(200_000);
        for codec in codecs() {
            for flush in [false, true] {
                for padding in [None, Some(0), Some(57)] {
                    for sizes in [&[1usize, 599, 70_000][..], &[200_000], &[0, 17, 0, 5000]] {
                        let Prepared {
                            mut encoder,
                            prefix: mut out,
                        } = Prepared::new(codec, None, padding).expect("encoder");
                        let mut fed = 0;
                        for size in sizes.iter().copied().cycle() {
                            if fed == data.len() {
                                break;
                            }
                            let end = (fed + size.max(1)).min(data.len());
                            encoder
                                .write(&data[fed..end], flush, &mut out)
                                .expect("write");
                            fed = end;
                        }
                        encoder.finish(&mut out).expect("finish");
                        assert!(
                            decode(codec, &out).as_deref() == Some(&data[..]),
                            "{codec:?} flush {flush} padding {padding:?} sizes {sizes:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_padding_length_round_trips() {
        let data = text(70_600);
        let mut failures = Vec::new();
        for codec in codecs() {
            for n in 0..100 {
                for flush in [false, true] {
                    let Prepared {
                        mut encoder,
                        prefix: mut out,
                    } = Prepared::new(codec, None, Some(n)).expect("encoder");
                    encoder.write(&data[..600], flush, &mut out).expect("write");
                    encoder.write(&data[600..], flush, &mut out).expect("write");
                    encoder.finish(&mut out).expect("finish");
                    if decode(codec, &out).as_deref() != Some(&data[..]) {
                        failures.push(format!("{codec:?} stream padding {n} flush {flush}"));
                    }
                }
                let out = compress(codec, &data, Some(n)).expect("compress");
                if decode(codec, &out).as_deref() != Some(&data[..]) {
                    failures.push(format!("{codec:?} whole padding {n}"));
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn whole_bodies_round_trip() {
        for codec in codecs() {
            for n in [0, 1, 200, 70_000] {
                let data = text(n);
                let out = compress(codec, &data, Some(10)).expect("compress");
                assert!(
                    decode(codec, &out).as_deref() == Some(&data[..]),
                    "{codec:?} {n}"
                );
            }
        }
    }
}

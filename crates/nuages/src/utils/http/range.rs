//! Single byte ranges (RFC 9110 §14): the `Range` and `If-Range` request headers, for static
//! files and for FileResponse's opt-in range support.

use std::time::{SystemTime, UNIX_EPOCH};

/// What a `Range` header asks of a representation of `len` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ByteRange {
    /// No usable range: answer the whole representation (no header, another unit, a syntax
    /// error, or several ranges, which this server does not split into a multipart body).
    Full,
    /// Bytes `start..=end`.
    Partial { start: u64, end: u64 },
    /// No byte of the representation is in the range: 416.
    Unsatisfiable,
}

/// Parses `bytes=first-last`, `bytes=first-` or `bytes=-suffix` against `len`.
pub(crate) fn parse_range(header: &str, len: u64) -> ByteRange {
    let Some((unit, spec)) = header.trim().split_once('=') else {
        return ByteRange::Full;
    };
    if !unit.trim().eq_ignore_ascii_case("bytes") || spec.contains(',') {
        return ByteRange::Full;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return ByteRange::Full;
    };
    let (first, last) = (first.trim(), last.trim());
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if first.is_empty() {
        // A suffix: the last `n` bytes.
        if !digits(last) {
            return ByteRange::Full;
        }
        let n = last.parse::<u64>().unwrap_or(u64::MAX);
        if n == 0 || len == 0 {
            return ByteRange::Unsatisfiable;
        }
        return ByteRange::Partial {
            start: len.saturating_sub(n),
            end: len - 1,
        };
    }
    if !digits(first) || !(last.is_empty() || digits(last)) {
        return ByteRange::Full;
    }
    let start = first.parse::<u64>().unwrap_or(u64::MAX);
    let end = if last.is_empty() {
        u64::MAX
    } else {
        last.parse::<u64>().unwrap_or(u64::MAX)
    };
    if end < start {
        return ByteRange::Full;
    }
    if start >= len {
        return ByteRange::Unsatisfiable;
    }
    ByteRange::Partial {
        start,
        end: end.min(len - 1),
    }
}

/// Whether `If-Range` lets the range apply: an ETag must be strong and equal to the current
/// one; a date must equal the current `Last-Modified`.
pub(crate) fn if_range_matches(if_range: &str, etag: &str, last_modified: i64) -> bool {
    let v = if_range.trim();
    if v.starts_with('"') {
        return v == etag;
    }
    if v.starts_with("W/") {
        return false;
    }
    crate::utils::http::parse_http_date(v).is_ok_and(|d| d == last_modified)
}

/// Seconds since the epoch, rounded down (`time.gmtime(st_mtime)`).
pub(crate) fn epoch_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => {
            let d = e.duration();
            let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
            -(secs + i64::from(d.subsec_nanos() > 0))
        }
    }
}

/// A strong ETag for a file: its modification time in nanoseconds and its size, in hex.
pub(crate) fn file_etag(modified: Option<SystemTime>, len: u64) -> String {
    let nanos = modified
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("\"{nanos:x}-{len:x}\"")
}

#[cfg(test)]
mod tests {
    use super::ByteRange::{Full, Partial, Unsatisfiable};
    use super::*;

    #[test]
    fn ranges() {
        let p = |start, end| Partial { start, end };
        for (h, len, want) in [
            ("bytes=0-499", 1000, p(0, 499)),
            ("bytes=500-", 1000, p(500, 999)),
            ("bytes=-200", 1000, p(800, 999)),
            ("bytes=-2000", 1000, p(0, 999)),
            ("bytes=990-2000", 1000, p(990, 999)),
            ("BYTES = 1-2", 10, p(1, 2)),
            ("bytes=1000-", 1000, Unsatisfiable),
            ("bytes=-0", 1000, Unsatisfiable),
            ("bytes=0-0", 0, Unsatisfiable),
            ("bytes=-5", 0, Unsatisfiable),
            ("bytes=5-1", 10, Full),
            ("bytes=0-1,3-4", 10, Full),
            ("items=0-1", 10, Full),
            ("bytes=a-b", 10, Full),
            ("bytes=+1-2", 10, Full),
            ("bytes=1", 10, Full),
            ("", 10, Full),
            ("bytes=99999999999999999999999-", 10, Unsatisfiable),
        ] {
            assert_eq!(parse_range(h, len), want, "{h}");
        }
    }

    #[test]
    fn if_range() {
        assert!(if_range_matches("\"a\"", "\"a\"", 0));
        assert!(!if_range_matches("W/\"a\"", "\"a\"", 0));
        assert!(!if_range_matches("\"b\"", "\"a\"", 0));
        assert!(if_range_matches(
            "Tue, 14 Nov 2023 22:13:20 GMT",
            "\"a\"",
            1_700_000_000
        ));
        assert!(!if_range_matches(
            "Tue, 14 Nov 2023 22:13:21 GMT",
            "\"a\"",
            1_700_000_000
        ));
        assert!(!if_range_matches("junk", "\"a\"", 0));
    }
}

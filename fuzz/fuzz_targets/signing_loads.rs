//! `django.core.signing`: `loads()`, `Signer.unsign()`, `TimestampSigner.unsign()` and
//! `unsign_object()` of fuzzed strings (never a valid signature: always an `Err`), and the
//! payload decoding (base64, the `.` zlib flag, JSON, the base62 timestamp) of fuzzed
//! payloads that are signed with the key first, so that they get past the signature check.
//!
//! Input: one option byte (bit 0: the fuzzed text is a payload to sign; bit 1: a max_age),
//! then text (lossy UTF-8).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nuages::chrono::DateTime;
use nuages::signing::{b62_decode, loads_at, MaxAge, Signer, TimestampSigner, DEFAULT_DUMPS_SALT};
use serde_json::Value;

const KEY: &str = "django-insecure-fuzz-key";

fuzz_target!(|data: &[u8]| {
    let Some((&options, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let now = DateTime::from_timestamp(1_700_000_000, 0).expect("a valid time");
    let max_age = (options & 2 != 0).then_some(MaxAge::Seconds(i64::from(options >> 2)));
    let signer = Signer::new(KEY);
    let timestamp = TimestampSigner::new(KEY);
    let _ = b62_decode(&text);
    if options & 1 == 0 {
        // Nothing unsigned passes.
        let loaded =
            loads_at::<Value, &str>(&text, KEY, DEFAULT_DUMPS_SALT, max_age, &["old"], now);
        assert!(loaded.is_err(), "loads({text:?}) = {loaded:?}");
        let err = loaded.unwrap_err();
        let _ = (err.to_string(), err.python_exception());
        assert!(signer.unsign(&text).is_err());
        assert!(signer.unsign_object::<Value>(&text).is_err());
        assert!(timestamp.unsign_at(&text, max_age, now).is_err());
        assert!(timestamp
            .unsign_object_at::<Value>(&text, max_age, now)
            .is_err());
    } else {
        // A signed payload: `value` is `payload[:timestamp]` as Django builds it, and the
        // text after the last ':' is the (fuzzed) base62 timestamp.
        let signed = signer.sign(&text);
        assert_eq!(signer.unsign(&signed).ok(), Some(&*text));
        if let Ok(v) = signer.unsign_object::<Value>(&signed) {
            // What decodes encodes and decodes again.
            let again = signer.sign_object(&v, true).expect("JSON serializes");
            assert!(signer.unsign_object::<Value>(&again).is_ok(), "{again:?}");
        }
        let stamped = timestamp.signer().sign(&text);
        match timestamp.unsign_at(&stamped, max_age, now) {
            Ok(value) => assert!(text.starts_with(value)),
            Err(e) => assert!(!e.is_bad_signature() || e.is_expired(), "{e:?}"),
        }
        let _ = timestamp.unsign_object_at::<Value>(&stamped, max_age, now);
        let dumps_signer = Signer::builder(KEY)
            .salt(DEFAULT_DUMPS_SALT)
            .build()
            .expect("a valid signer");
        let _ = loads_at::<Value, &str>(
            &dumps_signer.sign(&text),
            KEY,
            DEFAULT_DUMPS_SALT,
            max_age,
            &[],
            now,
        );
    }
});

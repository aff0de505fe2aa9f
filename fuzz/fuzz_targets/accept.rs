//! `Accept` header negotiation (Django's `MediaType`, `HttpRequest.accepted_types`,
//! `accepts()`, `get_preferred_type()` and `MediaType.match()`).
//!
//! Input: text (lossy UTF-8): the `Accept` header on the first line, offered media types on
//! the following lines.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nuages::http::accept::{AcceptedTypes, MediaType};

const OFFERS: [&str; 4] = [
    "text/html",
    "application/json",
    "text/plain; charset=utf-8",
    "*/*",
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let header = lines.next().unwrap_or_default();
    let mut offers: Vec<&str> = lines.collect();
    offers.extend(OFFERS);

    if let Ok(mt) = MediaType::parse(header) {
        let _ = (
            mt.to_string(),
            mt.quality(),
            mt.specificity(),
            mt.range_params().count(),
        );
        for offer in &offers {
            if let Ok(other) = MediaType::parse(offer) {
                let _ = (mt.matches(&other), other.matches(&mt));
            }
        }
        let _ = mt.into_owned();
    }
    let Ok(accepted) = AcceptedTypes::parse(Some(header)) else {
        return;
    };
    assert_eq!(accepted.by_precedence().count(), accepted.len());
    for mt in accepted.iter() {
        assert!(mt.quality() != 0.0, "q=0 ranges are dropped");
        let _ = mt.to_string();
    }
    let mut any = false;
    for offer in &offers {
        let accepts = accepted.accepts(offer);
        assert_eq!(accepts, accepted.accepted_type(offer).is_some());
        any |= accepts;
    }
    let preferred = accepted.preferred_type(&offers);
    assert_eq!(
        preferred.is_some(),
        any,
        "preferred_type({offers:?}) = {preferred:?}"
    );
    if let Some(p) = preferred {
        assert!(accepted.accepts(p));
    }
    let _ = accepted.into_owned();
});

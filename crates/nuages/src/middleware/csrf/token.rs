//! The token arithmetic of `django/middleware/csrf.py`: random secrets, masking, format checks
//! and the constant-time comparison.

use rand::Rng;
use subtle::ConstantTimeEq;

use super::{
    CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH, REASON_INCORRECT_LENGTH,
    REASON_INVALID_CHARACTERS,
};

const CHARS: &[u8] = CSRF_ALLOWED_CHARS.as_bytes();
const N: usize = CHARS.len();

/// `CSRF_ALLOWED_CHARS.index(c)`; only called on strings that passed [`check_token_format`] or
/// were generated here.
fn index(c: u8) -> usize {
    match c {
        b'a'..=b'z' => usize::from(c - b'a'),
        b'A'..=b'Z' => usize::from(c - b'A') + 26,
        b'0'..=b'9' => usize::from(c - b'0') + 52,
        // Unreachable for checked input; map anything else to 0 rather than panic.
        _ => 0,
    }
}

/// `_get_new_csrf_string()`: `CSRF_SECRET_LENGTH` characters from `CSRF_ALLOWED_CHARS`, drawn
/// from a cryptographically secure generator (rand's `ThreadRng`, seeded from the OS).
pub(super) fn new_csrf_string() -> String {
    let mut rng = rand::thread_rng();
    (0..CSRF_SECRET_LENGTH)
        .map(|_| char::from(CHARS[rng.gen_range(0..N)]))
        .collect()
}

/// `_mask_cipher_secret(secret)`: a fresh random mask followed by the secret shifted by it.
pub(super) fn mask_cipher_secret(secret: &str) -> String {
    mask_with(secret, &new_csrf_string())
}

/// Masking with a given mask (deterministic, for tests).
pub(super) fn mask_with(secret: &str, mask: &str) -> String {
    let mut out = String::with_capacity(CSRF_TOKEN_LENGTH);
    out.push_str(mask);
    for (x, y) in secret.bytes().zip(mask.bytes()) {
        out.push(char::from(CHARS[(index(x) + index(y)) % N]));
    }
    out
}

/// `_unmask_cipher_token(token)`: the secret hidden in a masked token of `CSRF_TOKEN_LENGTH`
/// allowed characters.
pub(super) fn unmask_cipher_token(token: &str) -> String {
    let (mask, cipher) = token.split_at(CSRF_SECRET_LENGTH.min(token.len()));
    cipher
        .bytes()
        .zip(mask.bytes())
        // Python's `chars[x - y]` wraps negative indices.
        .map(|(x, y)| char::from(CHARS[(index(x) + N - index(y)) % N]))
        .collect()
}

/// `_check_token_format(token)`: the length (in characters, like Python's `len`) must be
/// `CSRF_TOKEN_LENGTH` or `CSRF_SECRET_LENGTH`, and every character an ASCII letter or digit.
/// The error is Django's `InvalidTokenFormat.reason`.
pub(super) fn check_token_format(token: &str) -> Result<(), &'static str> {
    let len = if token.is_ascii() {
        token.len()
    } else {
        token.chars().count()
    };
    if len != CSRF_TOKEN_LENGTH && len != CSRF_SECRET_LENGTH {
        return Err(REASON_INCORRECT_LENGTH);
    }
    if !token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(REASON_INVALID_CHARACTERS);
    }
    Ok(())
}

/// `_does_token_match(request_csrf_token, csrf_secret)`: unmasks a token of
/// `CSRF_TOKEN_LENGTH` characters, then compares in constant time. Both arguments have passed
/// [`check_token_format`].
pub(super) fn does_token_match(request_csrf_token: &str, csrf_secret: &str) -> bool {
    let unmasked;
    let candidate = if request_csrf_token.len() == CSRF_TOKEN_LENGTH {
        unmasked = unmask_cipher_token(request_csrf_token);
        unmasked.as_str()
    } else {
        request_csrf_token
    };
    debug_assert_eq!(candidate.len(), CSRF_SECRET_LENGTH);
    // `constant_time_compare`: slices of different lengths compare unequal.
    bool::from(candidate.as_bytes().ct_eq(csrf_secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Computed with Django 5.2: `_unmask_cipher_token(TOKEN)`.
    const TOKEN: &str = "Zt9aQ7cR2mKx0LpB4vWn8YsE1uHj6GdFkP3qLz9XwA0bC7dE2fG5hJ8iK1lM4nO6";
    const SECRET: &str = "vw4q5C7gEoqOMwYd8UUSjVQOTHOD8RLB";

    #[test]
    fn unmask_matches_django() {
        assert_eq!(unmask_cipher_token(TOKEN), SECRET);
        assert_eq!(mask_with(SECRET, &TOKEN[..32]), TOKEN);
    }

    #[test]
    fn mask_round_trip() {
        for _ in 0..50 {
            let secret = new_csrf_string();
            assert_eq!(secret.len(), CSRF_SECRET_LENGTH);
            assert!(check_token_format(&secret).is_ok());
            let token = mask_cipher_secret(&secret);
            assert_eq!(token.len(), CSRF_TOKEN_LENGTH);
            assert!(check_token_format(&token).is_ok());
            assert_eq!(unmask_cipher_token(&token), secret);
            assert!(does_token_match(&token, &secret));
            assert!(does_token_match(&secret, &secret));
        }
    }

    #[test]
    fn format_checks() {
        assert_eq!(check_token_format(""), Err(REASON_INCORRECT_LENGTH));
        assert_eq!(
            check_token_format(&"a".repeat(33)),
            Err(REASON_INCORRECT_LENGTH)
        );
        assert_eq!(
            check_token_format(&format!("{}-", "a".repeat(31))),
            Err(REASON_INVALID_CHARACTERS)
        );
        // Python's len() counts characters: 32 characters, one of them not ASCII.
        assert_eq!(
            check_token_format(&format!("{}é", "a".repeat(31))),
            Err(REASON_INVALID_CHARACTERS)
        );
        assert!(!does_token_match(&"a".repeat(32), SECRET));
    }
}

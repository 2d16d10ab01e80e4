//! Unguessable keys from the operating system's random source: CSRF tokens and one-time
//! creation keys are both made here.

/// `N` random bytes from the operating system, as lowercase hex.
pub fn random_hex<const N: usize>() -> String {
    let mut bytes = [0u8; N];
    // The OS random source failing is not something a request can recover from or cause.
    getrandom::fill(&mut bytes).unwrap_or_else(|e| panic!("no OS randomness: {e}"));
    lowercase_hex(&bytes)
}

/// In one allocation: a CSRF token is minted on every first visit to a page with a form.
fn lowercase_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(2 * bytes.len());
    for byte in bytes {
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::{lowercase_hex, random_hex};

    #[test]
    fn hex_is_two_lowercase_digits_a_byte() {
        assert_eq!(lowercase_hex(&[0x00, 0x09, 0xab, 0xf0, 0xff]), "0009abf0ff");
        assert_eq!(lowercase_hex(&[]), "");
    }

    #[test]
    fn random_hex_is_fresh_and_hex() {
        let (a, b) = (random_hex::<16>(), random_hex::<16>());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')));
    }
}

//! Unguessable keys from the operating system's random source: CSRF tokens and one-time
//! creation keys are both made here.

/// `N` random bytes from the operating system, as lowercase hex.
pub fn random_hex<const N: usize>() -> String {
    let mut bytes = [0u8; N];
    // The OS random source failing is not something a request can recover from or cause.
    getrandom::fill(&mut bytes).unwrap_or_else(|e| panic!("no OS randomness: {e}"));
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::random_hex;

    #[test]
    fn random_hex_is_fresh_and_hex() {
        let (a, b) = (random_hex::<16>(), random_hex::<16>());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
    }
}

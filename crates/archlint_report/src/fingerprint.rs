//! The stable identity of a finding: a hash of rule id, path and anchor, so it
//! survives edits that only move lines. Baselines and SARIF
//! `partialFingerprints` use it.

use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// SHA-256 of `rule`, `path` and `anchor` joined by NUL bytes, as the lowercase
/// hex of its first 16 bytes (32 characters).
///
/// NUL cannot occur in any of the three, so distinct triples never hash the
/// same input (`"a/b" + "c"` differs from `"a" + "b/c"`).
pub fn fingerprint(rule: &str, path: &str, anchor: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(rule.as_bytes());
    hasher.update([0u8]);
    hasher.update(path.as_bytes());
    hasher.update([0u8]);
    hasher.update(anchor.as_bytes());
    let digest = hasher.finalize();
    let mut hex = String::with_capacity(32);
    for byte in digest.iter().take(16) {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_stable_and_32_hex_chars() {
        let fp = fingerprint(
            "api/unauthenticated-endpoint",
            "app/orders.py",
            "POST /orders create_order",
        );
        // Pinned: changing this value re-keys every baseline and every GitHub alert.
        assert_eq!(
            fp,
            fingerprint(
                "api/unauthenticated-endpoint",
                "app/orders.py",
                "POST /orders create_order"
            )
        );
        assert_eq!(fp.len(), 32);
        assert!(
            fp.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
    }

    #[test]
    fn known_value() {
        // Computed independently: `printf 'r\0p\0a' | sha256sum`, first 32 hex digits.
        assert_eq!(
            fingerprint("r", "p", "a"),
            "2dfab697aa16478c3ace992817a4ed6f"
        );
    }

    #[test]
    fn separator_prevents_collisions() {
        assert_ne!(fingerprint("a", "b/c", "d"), fingerprint("a", "b", "/cd"));
        assert_ne!(fingerprint("ab", "", "c"), fingerprint("a", "b", "c"));
    }
}

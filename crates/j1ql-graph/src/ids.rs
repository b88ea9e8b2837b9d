//! Deterministic identifiers: generated `_id`s, relationship `_type`s and `_key`s.

const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Final avalanche (splitmix64) so that close inputs give distant ids.
fn avalanche(h: u64) -> u64 {
    let mut z = h;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a over `parts` (separated by a 0 byte), from `basis`.
fn fnv(basis: u64, parts: &[&str]) -> u64 {
    fnv2([basis, basis], parts)[0]
}

/// [`fnv`] from two bases in one pass over the bytes (the two multiply chains are independent,
/// so they run side by side: a generated `_id` costs one chain's latency, not two).
fn fnv2(basis: [u64; 2], parts: &[&str]) -> [u64; 2] {
    let [mut a, mut b] = basis;
    for part in parts {
        for &byte in part.as_bytes() {
            a = (a ^ byte as u64).wrapping_mul(FNV_PRIME);
            b = (b ^ byte as u64).wrapping_mul(FNV_PRIME);
        }
        a = a.wrapping_mul(FNV_PRIME);
        b = b.wrapping_mul(FNV_PRIME);
    }
    [avalanche(a), avalanche(b)]
}

/// A 64-bit hash of `parts`, stable across runs, platforms and versions.
pub fn stable_hash(parts: &[&str]) -> u64 {
    fnv(0xcbf2_9ce4_8422_2325, parts)
}

/// A UUID-shaped identifier derived from `parts` (version nibble 5, RFC 4122 variant), stable
/// across runs: the same source, scope and key always give the same `_id`.
pub fn generated_id(parts: &[&str]) -> String {
    let buf = generated_id_bytes(parts);
    // SAFETY: hex digits and dashes only.
    unsafe { std::str::from_utf8_unchecked(&buf) }.to_string()
}

/// [`generated_id`] on the stack (ASCII: hex digits and dashes).
pub(crate) fn generated_id_bytes(parts: &[&str]) -> [u8; 36] {
    let [a, b] = fnv2([0xcbf2_9ce4_8422_2325, 0x8422_2325_cbf2_9ce4], parts);
    // 8-4-4-4-12 hex digits; version nibble 5, variant bits 10.
    let a = (a & !0xf000) | 0x5000;
    let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    let mut bits = [0u8; 16];
    bits[..8].copy_from_slice(&a.to_be_bytes());
    bits[8..].copy_from_slice(&b.to_be_bytes());
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 36];
    let mut n = 0;
    for (i, byte) in bits.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out[n] = b'-';
            n += 1;
        }
        out[n] = HEX[(byte >> 4) as usize];
        out[n + 1] = HEX[(byte & 15) as usize];
        n += 2;
    }
    out
}

/// The JupiterOne SDK's relationship `_type`: `<fromType>_<verb lowercased>_<toType minus the
/// leading `_`-separated parts it shares with fromType>` (the last part of toType is kept).
pub fn relationship_type(from_type: &str, verb: &str, to_type: &str) -> String {
    let from: Vec<&str> = from_type.split('_').collect();
    let to: Vec<&str> = to_type.split('_').collect();
    let mut shared = 0;
    while shared < from.len() && shared + 1 < to.len() && from[shared] == to[shared] {
        shared += 1;
    }
    format!(
        "{}_{}_{}",
        from_type,
        verb.to_ascii_lowercase(),
        to[shared..].join("_")
    )
}

/// [`relationship_type`] written into `out` (cleared first), without intermediate allocations.
pub(crate) fn relationship_type_into(out: &mut String, from_type: &str, verb: &str, to_type: &str) {
    let to_parts = to_type.split('_').count();
    let mut shared = 0;
    let mut rest = 0; // byte offset of `to[shared..]` in `to_type`
    let (mut from, mut to) = (from_type.split('_'), to_type.split('_'));
    while shared + 1 < to_parts {
        match (from.next(), to.next()) {
            (Some(f), Some(t)) if f == t => {
                shared += 1;
                rest += t.len() + 1;
            }
            _ => break,
        }
    }
    out.clear();
    out.push_str(from_type);
    out.push('_');
    out.extend(verb.chars().map(|c| c.to_ascii_lowercase()));
    out.push('_');
    out.push_str(&to_type[rest..]);
}

/// [`relationship_key`] written into `out` (cleared first).
pub(crate) fn relationship_key_into(out: &mut String, from_key: &str, verb: &str, to_key: &str) {
    out.clear();
    out.push_str(from_key);
    out.push('|');
    out.extend(verb.chars().map(|c| c.to_ascii_lowercase()));
    out.push('|');
    out.push_str(to_key);
}

/// The SDK's direct relationship `_key`: `<fromKey>|<verb lowercased>|<toKey>`.
pub fn relationship_key(from_key: &str, verb: &str, to_key: &str) -> String {
    format!("{}|{}|{}", from_key, verb.to_ascii_lowercase(), to_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_relationship_types() {
        assert_eq!(
            relationship_type("aws_instance", "USES", "aws_ami"),
            "aws_instance_uses_ami"
        );
        assert_eq!(
            relationship_type("addigy_policy", "CONTAINS", "addigy_policy"),
            "addigy_policy_contains_policy"
        );
        assert_eq!(
            relationship_type("okta_user", "IS", "person"),
            "okta_user_is_person"
        );
    }

    #[test]
    fn into_variants_match() {
        let mut out = String::new();
        for (a, v, b) in [
            ("aws_instance", "USES", "aws_ami"),
            ("addigy_policy", "CONTAINS", "addigy_policy"),
            ("okta_user", "IS", "person"),
            ("a_b_c", "Has", "a_b_c_d"),
            ("a_b", "HAS", "a_b"),
            ("", "X", ""),
            ("_a", "X", "_a_"),
            ("x__y", "É", "x__y_z"),
        ] {
            relationship_type_into(&mut out, a, v, b);
            assert_eq!(out, relationship_type(a, v, b));
            relationship_key_into(&mut out, a, v, b);
            assert_eq!(out, relationship_key(a, v, b));
        }
    }

    #[test]
    fn ids_are_stable_and_uuid_shaped() {
        let id = generated_id(&["api", "s", "k"]);
        assert_eq!(id, generated_id(&["api", "s", "k"]));
        assert_ne!(id, generated_id(&["api", "s", "k2"]));
        assert_ne!(generated_id(&["ab", "c"]), generated_id(&["a", "bc"]));
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "5");
    }

    #[test]
    fn ids_do_not_change_between_versions() {
        // The `_id` a loader of 2026-11-22 gave the first entity of `j1ql gen --seed 1`.
        assert_eq!(
            generated_id(&["", "integration-managed", "aws-0", "aws-account-0"]),
            "a0ea7a92-d8a6-5d25-96e9-975792186f14"
        );
    }
}

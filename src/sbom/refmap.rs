//! [`RefMap`]: component ids by reference, keyed by a 128-bit keyed hash of the reference.
//!
//! Every edge of a document names its ends by reference (`bom-ref`, `SPDXID`), so the builder
//! looks up two references per edge and inserts one per component: at a million components,
//! about four million lookups. A map keyed by the reference string compares the looked-up
//! string with the stored key on every hit, and the stored key is a slice of the input buffer,
//! hundreds of megabytes away from the table: a cache miss and a TLB miss per lookup, which
//! made the comparison alone 14 % of reading a million-component document
//! (docs/PERFORMANCE.md).
//!
//! This map stores a fingerprint instead: SipHash-1-3 with 128 bits of output, under a key
//! drawn at random for each map. A lookup hashes the string it is given (which it has just
//! read, so it is in the cache) and touches only the table. Two different references would be
//! confused only if their fingerprints collided: for a document of `n` references that happens
//! with probability about `n² / 2¹²⁹` (below 2⁻⁸⁸ for a million), and because the key is secret
//! and fresh, a document cannot be crafted to make it happen. The same trade is made by
//! compilers that identify items by 128-bit fingerprints. Only the map's lookups depend on the
//! key, never the order of anything bomvet prints, so output stays deterministic.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use siphasher::sip128::{Hasher128, SipHasher13};

use super::model::CompId;

/// A reference's fingerprint.
type Fingerprint = (u64, u64);

/// The fingerprint is already uniformly distributed: the table hashes it by taking a word.
#[derive(Default)]
struct TakeWord(u64);

impl Hasher for TakeWord {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used by `Fingerprint`'s `Hash`; fold anything else in anyway.
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.0 = self.0.rotate_left(29) ^ u64::from_le_bytes(w);
        }
    }
    fn write_u64(&mut self, w: u64) {
        self.0 ^= w;
    }
}

/// Component ids by reference (see the module documentation).
pub struct RefMap {
    k0: u64,
    k1: u64,
    map: HashMap<Fingerprint, CompId, BuildHasherDefault<TakeWord>>,
}

impl std::fmt::Debug for RefMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RefMap({} references)", self.map.len())
    }
}

impl Default for RefMap {
    fn default() -> RefMap {
        RefMap::new()
    }
}

impl RefMap {
    /// An empty map under a fresh random key.
    pub fn new() -> RefMap {
        let mut key = [0u8; 16];
        if getrandom::fill(&mut key).is_err() {
            // No entropy source: under a fixed key, a document not crafted against it still
            // collides with the probability above, and crafting one would take a generic
            // search of about 2⁶⁴ hashes.
            key = *b"bomvet-refmap-k!";
        }
        let (a, b) = key.split_at(8);
        RefMap {
            k0: u64::from_le_bytes(a.try_into().expect("8 bytes")),
            k1: u64::from_le_bytes(b.try_into().expect("8 bytes")),
            map: HashMap::default(),
        }
    }

    /// An empty map that allocates nothing and draws no key: a stand-in once references are
    /// resolved. Its key is fixed, so it is for no further use but `len` and `is_empty`.
    pub fn empty() -> RefMap {
        RefMap {
            k0: 0,
            k1: 0,
            map: HashMap::default(),
        }
    }

    fn fingerprint(&self, r: &str) -> Fingerprint {
        let mut h = SipHasher13::new_with_keys(self.k0, self.k1);
        h.write(r.as_bytes());
        let out = h.finish128();
        (out.h1, out.h2)
    }

    pub fn get(&self, r: &str) -> Option<CompId> {
        self.map.get(&self.fingerprint(r)).copied()
    }

    pub fn contains(&self, r: &str) -> bool {
        self.map.contains_key(&self.fingerprint(r))
    }

    /// Map `r` to `id` unless it is mapped already; returns the id it maps to now (the first).
    pub fn insert_first(&mut self, r: &str, id: CompId) -> CompId {
        let fp = self.fingerprint(r);
        *self.map.entry(fp).or_insert(id)
    }

    /// Room for `n` more references, if it can be had (a hint: the map grows as it goes).
    pub fn reserve(&mut self, n: usize) {
        let _ = self.map.try_reserve(n);
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_first_insert_wins_and_lookups_find_it() {
        let mut m = RefMap::new();
        assert_eq!(m.insert_first("pkg:generic/kav-sdk@8.0", 0), 0);
        assert_eq!(m.insert_first("pkg:generic/kav-sdk@8.0", 5), 0);
        assert_eq!(m.insert_first("SPDXRef-kes", 1), 1);
        assert_eq!(m.get("pkg:generic/kav-sdk@8.0"), Some(0));
        assert_eq!(m.get("SPDXRef-kes"), Some(1));
        assert_eq!(m.get("SPDXRef-KES"), None, "references are case-sensitive");
        assert_eq!(m.get(""), None);
        assert!(m.contains("SPDXRef-kes"));
        assert_eq!(m.len(), 2);
    }

    #[test]
    fn two_maps_draw_different_keys() {
        let (a, b) = (RefMap::new(), RefMap::new());
        assert_ne!((a.k0, a.k1), (b.k0, b.k1));
        // Yet they agree on every answer.
        let mut a = a;
        let mut b = b;
        for (i, r) in ["x", "y", "z"].iter().enumerate() {
            a.insert_first(r, i as CompId);
            b.insert_first(r, i as CompId);
        }
        for r in ["x", "y", "z", "w"] {
            assert_eq!(a.get(r), b.get(r));
        }
    }

    proptest! {
        /// The map answers exactly as a map keyed by the strings themselves.
        #[test]
        fn agrees_with_a_map_keyed_by_strings(
            refs in proptest::collection::vec("[a-c@:/.-]{0,6}", 0..60),
            probes in proptest::collection::vec("[a-c@:/.-]{0,6}", 0..30),
        ) {
            let mut m = RefMap::new();
            let mut oracle: HashMap<String, CompId> = HashMap::new();
            for (i, r) in refs.iter().enumerate() {
                let got = m.insert_first(r, i as CompId);
                let want = *oracle.entry(r.clone()).or_insert(i as CompId);
                prop_assert_eq!(got, want);
            }
            prop_assert_eq!(m.len(), oracle.len());
            for r in refs.iter().chain(&probes) {
                prop_assert_eq!(m.get(r), oracle.get(r).copied());
            }
        }
    }
}

//! CycloneDX vocabulary shared by the JSON and XML readers: component types, scopes, external
//! reference types, hash algorithms, serial numbers, timestamps and the legacy `author` string.
//!
//! Everything here takes plain `&str` and knows nothing about JSON or XML, so both readers apply
//! the same rules. Lists are the union over CycloneDX 1.0–1.7: a type that only a newer version
//! defines is still accepted in an older document (the reader is tolerant, not a validator).

use crate::sbom::model::{Party, PartyKind};

/// Component `type` values defined by any CycloneDX version.
pub const COMPONENT_TYPES: &[&str] = &[
    "application",
    "framework",
    "library",
    "container",
    "platform",
    "operating-system",
    "device",
    "device-driver",
    "firmware",
    "file",
    "machine-learning-model",
    "data",
    "cryptographic-asset",
];

/// True when `t` is a component type some CycloneDX version defines.
pub fn is_known_component_type(t: &str) -> bool {
    COMPONENT_TYPES.contains(&t)
}

/// The canonical scope (`required`, `optional`, `excluded`) for `s`, matched without regard to
/// case or surrounding blanks; `None` for anything else.
pub fn canonical_scope(s: &str) -> Option<&'static str> {
    let s = s.trim();
    ["required", "optional", "excluded"]
        .into_iter()
        .find(|k| s.eq_ignore_ascii_case(k))
}

/// External reference `type` values defined by any CycloneDX version.
pub const EXTERNAL_REFERENCE_TYPES: &[&str] = &[
    "vcs",
    "issue-tracker",
    "website",
    "advisories",
    "bom",
    "mailing-list",
    "social",
    "chat",
    "documentation",
    "support",
    "source-distribution",
    "distribution",
    "distribution-intake",
    "license",
    "build-meta",
    "build-system",
    "release-notes",
    "security-contact",
    "model-card",
    "log",
    "configuration",
    "evidence",
    "formulation",
    "attestation",
    "threat-model",
    "adversary-model",
    "risk-assessment",
    "vulnerability-assertion",
    "exploitability-statement",
    "pentest-report",
    "static-analysis-report",
    "dynamic-analysis-report",
    "runtime-analysis-report",
    "component-analysis-report",
    "maturity-report",
    "certification-report",
    "codified-infrastructure",
    "quality-metrics",
    "poam",
    "electronic-signature",
    "digital-signature",
    "rfc-9116",
    "patent",
    "patent-family",
    "patent-assertion",
    "citation",
    "other",
];

/// True when `t` is an external reference type some CycloneDX version defines.
pub fn is_known_external_reference_type(t: &str) -> bool {
    EXTERNAL_REFERENCE_TYPES.contains(&t)
}

/// What is wrong with a hash, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashProblem {
    /// The algorithm is none that CycloneDX defines.
    UnknownAlgorithm,
    /// The content is not a hexadecimal digest.
    NotHex,
    /// The content has the wrong number of hex digits for the algorithm.
    WrongLength { expected: usize, found: usize },
}

/// A CycloneDX hash algorithm: its name normalised the way [`crate::sbom::model::Hash::new`]
/// does (upper case, no `-` / `_`: `SHA256`) and the hex digits of its digest (`None` when any
/// of the lengths the schema allows will do: BLAKE3 has a variable output). `None` for an
/// algorithm CycloneDX does not define.
///
/// Names are compared without case, `-` or `_` (`SHA-256`, `sha256` and `SHA_256` are one), as
/// generators are not consistent about the spelling.
pub fn hash_alg(alg: &str) -> Option<(&'static str, Option<usize>)> {
    crate::sbom::model::hash_alg(alg)
        .filter(|a| a.cyclonedx)
        .map(|a| (a.name, a.hex_len))
}

/// Hex digits of a digest for a CycloneDX hash algorithm (see [`hash_alg`]).
pub fn hash_hex_len(alg: &str) -> Option<Option<usize>> {
    hash_alg(alg).map(|(_, len)| len)
}

/// Check a hash the way the CycloneDX schema does (algorithm enum, hex content of the right
/// length). The hash is kept either way; this only decides whether to warn.
pub fn check_hash(alg: &str, content: &str) -> Result<(), HashProblem> {
    let (_, expected) = hash_alg(alg).ok_or(HashProblem::UnknownAlgorithm)?;
    check_hash_content(expected, content)
}

/// Check the content of a hash whose algorithm is known (`expected`: from [`hash_alg`]).
pub fn check_hash_content(expected: Option<usize>, content: &str) -> Result<(), HashProblem> {
    let content = content.trim();
    if content.is_empty() || !is_hex(content.as_bytes()) {
        return Err(HashProblem::NotHex);
    }
    let found = content.len();
    match expected {
        Some(expected) if expected != found => Err(HashProblem::WrongLength { expected, found }),
        None if ![32, 40, 64, 96, 128].contains(&found) => Err(HashProblem::WrongLength {
            expected: 64,
            found,
        }),
        _ => Ok(()),
    }
}

/// True when every byte is a hex digit. Branch-free per byte: digests mix digits and letters at
/// random, which makes a per-byte `if` mispredict on every other byte.
fn is_hex(bytes: &[u8]) -> bool {
    bytes.iter().fold(true, |ok, &b| {
        let lower = b | 0x20;
        ok & ((b.wrapping_sub(b'0') < 10) | (lower.wrapping_sub(b'a') < 6))
    })
}

/// True for `urn:uuid:` followed by a UUID (8-4-4-4-12 hex digits). The schema asks for lower
/// case; upper case is accepted here because it names the same UUID.
pub fn is_valid_serial_number(s: &str) -> bool {
    let Some(uuid) = s.strip_prefix("urn:uuid:") else {
        return false;
    };
    let groups = [8usize, 4, 4, 4, 12];
    let mut parts = uuid.split('-');
    for want in groups {
        match parts.next() {
            Some(p) if p.len() == want && p.bytes().all(|b| b.is_ascii_hexdigit()) => {}
            _ => return false,
        }
    }
    parts.next().is_none()
}

/// True for an RFC 3339 / ISO 8601 date-time with a time zone, as the schema's `date-time`
/// format asks: `2024-05-01T12:00:00Z`, `2024-05-01T12:00:00.123+02:00`.
pub fn is_date_time(s: &str) -> bool {
    let b = s.trim().as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let at = |i: usize, c: u8| b.get(i).is_some_and(|x| x.eq_ignore_ascii_case(&c));
    if !(digits(0..4) && at(4, b'-') && digits(5..7) && at(7, b'-') && digits(8..10)) {
        return false;
    }
    if !(at(10, b'T') || at(10, b' ')) {
        return false;
    }
    if !(digits(11..13) && at(13, b':') && digits(14..16) && at(16, b':') && digits(17..19)) {
        return false;
    }
    let mut i = 19;
    if at(i, b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    if at(i, b'Z') {
        return i + 1 == b.len();
    }
    (at(i, b'+') || at(i, b'-'))
        && digits(i + 1..i + 3)
        && at(i + 3, b':')
        && digits(i + 4..i + 6)
        && i + 6 == b.len()
}

/// The legacy free-text component `author` (CycloneDX ≤ 1.5) as a party, or `None` when blank.
///
/// The text names "the person(s) or organization(s)" that wrote the component and does not say
/// which, so the kind is [`PartyKind::Unprefixed`] (the same as a bare SPDX name): real documents
/// write both `Jon Schlinkert` and `STMicroelectronics` there. A trailing `<e-mail>` (the npm
/// `Name <mail>` convention) is moved into `emails`.
pub fn author_party(s: &str) -> Option<Party> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(rest) = s.strip_suffix('>') {
        if let Some(open) = rest.rfind('<') {
            let email = rest[open + 1..].trim();
            let name = rest[..open].trim();
            if email.contains('@') && !name.is_empty() {
                let mut p = Party::new(PartyKind::Unprefixed, name);
                p.emails.push(email.to_string().into());
                return Some(p);
            }
        }
    }
    Some(Party::new(PartyKind::Unprefixed, s))
}

/// True for a property whose value is an extra CPE: a name ending in `cpe` or `:cpe23`
/// (syft writes its second and later CPEs as `syft:cpe23` properties). The caller still checks
/// that the value looks like a CPE.
pub fn is_cpe_property(name: &str) -> bool {
    let n = name.trim().as_bytes();
    let ends = |suffix: &[u8]| {
        n.len() >= suffix.len() && n[n.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    ends(b"cpe") || ends(b":cpe23")
}

/// True when `s` starts like a CPE 2.2 URI or 2.3 formatted string (`cpe:`).
pub fn looks_like_cpe(s: &str) -> bool {
    s.trim_start()
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("cpe:"))
}

/// CycloneDX spec versions this reader knows (1.0–1.7).
pub fn is_known_spec_version(v: &str) -> bool {
    matches!(
        v.trim(),
        "1.0" | "1.1" | "1.2" | "1.3" | "1.4" | "1.5" | "1.6" | "1.7"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_matched_without_case() {
        assert_eq!(canonical_scope("Required "), Some("required"));
        assert_eq!(canonical_scope("excluded"), Some("excluded"));
        assert_eq!(canonical_scope("foo"), None);
    }

    #[test]
    fn component_and_reference_types_cover_all_versions() {
        assert!(is_known_component_type("cryptographic-asset"));
        assert!(is_known_component_type("operating-system"));
        assert!(!is_known_component_type("foo"));
        assert!(is_known_external_reference_type("source-distribution"));
        assert!(!is_known_external_reference_type("homepage"));
    }

    #[test]
    fn hash_algorithms_and_lengths() {
        assert_eq!(hash_hex_len("SHA-256"), Some(Some(64)));
        assert_eq!(hash_hex_len("sha_512"), Some(Some(128)));
        assert_eq!(hash_hex_len("BLAKE2b-384"), Some(Some(96)));
        assert_eq!(hash_hex_len("Streebog-256"), Some(Some(64)));
        assert_eq!(hash_hex_len("BLAKE3"), Some(None));
        assert_eq!(hash_hex_len("FOO"), None);
        assert_eq!(hash_hex_len("a-very-long-algorithm-name"), None);
        // The canonical names are what Hash::new makes of the schema's spelling.
        for alg in [
            "MD5",
            "SHA-1",
            "SHA3-384",
            "BLAKE2b-512",
            "BLAKE3",
            "Streebog-512",
        ] {
            let (canon, _) = hash_alg(alg).unwrap();
            assert_eq!(canon, crate::sbom::model::Hash::new(alg, "").alg);
        }
    }

    #[test]
    fn hash_content_is_checked_against_the_algorithm() {
        let md5 = "3942447fac867ae5cdb3229b658f4d48";
        assert_eq!(check_hash("MD5", md5), Ok(()));
        assert_eq!(check_hash("MD5", "foo"), Err(HashProblem::NotHex));
        assert_eq!(
            check_hash("SHA-1", md5),
            Err(HashProblem::WrongLength {
                expected: 40,
                found: 32
            })
        );
        assert_eq!(check_hash("FOO", md5), Err(HashProblem::UnknownAlgorithm));
        assert_eq!(check_hash("BLAKE3", md5), Ok(()));
        assert!(check_hash("BLAKE3", "abc").is_err());
    }

    #[test]
    fn serial_numbers_need_a_full_uuid() {
        assert!(is_valid_serial_number(
            "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
        ));
        assert!(is_valid_serial_number(
            "urn:uuid:3E671687-395B-41F5-A30F-A58921A69B79"
        ));
        assert!(!is_valid_serial_number("urn:uuid:3e671687-395b-41f5-a30f"));
        assert!(!is_valid_serial_number(
            "3e671687-395b-41f5-a30f-a58921a69b79"
        ));
        assert!(!is_valid_serial_number(
            "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79-00"
        ));
    }

    #[test]
    fn date_times_need_time_and_zone() {
        assert!(is_date_time("2020-04-13T20:20:39+00:00"));
        assert!(is_date_time("2024-05-01T12:00:00Z"));
        assert!(is_date_time("2024-05-01T12:00:00.123456Z"));
        assert!(!is_date_time("2020-04-13"));
        assert!(!is_date_time("2020-04-13T20:20:39"));
        assert!(!is_date_time("2020-04-13T20:20:39.Z"));
        assert!(!is_date_time("2020-04-13T20:20:39+0000"));
    }

    #[test]
    fn legacy_author_is_an_unprefixed_party() {
        assert_eq!(author_party("  "), None);
        let p = author_party("STMicroelectronics").unwrap();
        assert_eq!(p.kind, PartyKind::Unprefixed);
        assert_eq!(p.name, "STMicroelectronics");
        let p = author_party("Jane Doe <jane@example.org>").unwrap();
        assert_eq!(p.name, "Jane Doe");
        assert_eq!(p.emails, vec!["jane@example.org".to_string()]);
        // Angle brackets without an e-mail are part of the name.
        assert_eq!(author_party("Team <core>").unwrap().name, "Team <core>");
    }

    #[test]
    fn cpe_properties_are_recognised_by_name_suffix() {
        assert!(is_cpe_property("syft:cpe23"));
        assert!(is_cpe_property("acme:CPE"));
        assert!(!is_cpe_property("syft:package:foundBy"));
        assert!(!is_cpe_property("cpe.go"));
        assert!(looks_like_cpe("cpe:2.3:a:x:y:1:*:*:*:*:*:*:*"));
        assert!(!looks_like_cpe("cp"));
    }
}

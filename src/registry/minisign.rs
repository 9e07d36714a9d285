//! Ed25519 keys and signatures in minisign's file formats, so that registry bundles can be
//! signed and checked with the `minisign` tool as well as with bomvet.
//!
//! - public key: `untrusted comment: ...` then base64 of `"Ed"` ‖ key id (8 bytes) ‖ key (32);
//! - secret key (unencrypted, as `minisign -G -W` writes it): base64 of `"Ed"` ‖ KDF `00 00` ‖
//!   checksum algorithm `"B2"` ‖ salt (32) ‖ opslimit (u64 LE) ‖ memlimit (u64 LE) ‖ key id ‖
//!   seed ‖ public key ‖ BLAKE2b-256(`"Ed"` ‖ key id ‖ seed ‖ public key);
//! - signature: four lines — untrusted comment, base64 of `"ED"` ‖ key id ‖ Ed25519 signature
//!   of BLAKE2b-512(message), `trusted comment: ...`, base64 of the Ed25519 signature of
//!   (signature ‖ trusted comment). Legacy `"Ed"` signatures (of the message itself) are
//!   accepted when verifying.
//!
//! Encrypted secret keys (scrypt) are not read: bomvet only writes unencrypted keys and says so.
//! minisign 0.11 writes unencrypted keys with a zeroed checksum; those are accepted, checked
//! instead by deriving the public key from the seed.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use blake2::digest::consts::U32;
use blake2::{Blake2b, Blake2b512, Digest};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

/// Why a key or signature could not be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignError {
    #[error("not a minisign {what}: {why}")]
    Format { what: &'static str, why: String },
    #[error("the secret key is encrypted; bomvet reads only unencrypted keys (`minisign -G -W`)")]
    Encrypted,
    #[error("the secret key's checksum does not match (damaged key file)")]
    Checksum,
    #[error("the signature was made by key {found}, not by the trusted key {expected}")]
    WrongKey { expected: String, found: String },
    #[error("the signature does not verify: the data was changed or signed by another key")]
    BadSignature,
    #[error("the trusted comment's signature does not verify")]
    BadTrustedComment,
    #[error("cannot get random bytes from the operating system: {0}")]
    Random(String),
}

const ALG_ED: [u8; 2] = *b"Ed";
const ALG_PREHASHED: [u8; 2] = *b"ED";
const CHK_B2: [u8; 2] = *b"B2";

/// A public key with its minisign key id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub key_id: [u8; 8],
    key: VerifyingKey,
}

/// A secret key with its key id.
pub struct SecretKey {
    pub key_id: [u8; 8],
    key: SigningKey,
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretKey({})", key_id_hex(&self.key_id))
    }
}

/// The key id as minisign prints it: the 8 bytes as a little-endian number in upper-case hex.
pub fn key_id_hex(id: &[u8; 8]) -> String {
    format!("{:016X}", u64::from_le_bytes(*id))
}

/// The `line`-th non-empty line (0-based), trimmed and base64-decoded.
fn decode_line(text: &str, what: &'static str, line: usize) -> Result<Vec<u8>, SignError> {
    let l = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .nth(line)
        .ok_or_else(|| SignError::Format {
            what,
            why: format!("line {} is missing", line + 1),
        })?;
    B64.decode(l).map_err(|e| SignError::Format {
        what,
        why: format!("line {} is not base64 ({e})", line + 1),
    })
}

/// A key file's payload: its base64 line (after an optional `untrusted comment:` line, or the
/// bare line minisign also accepts), decoded, and exactly `len` bytes.
fn decode_key(text: &str, what: &'static str, len: usize) -> Result<Vec<u8>, SignError> {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
    let line = match first {
        Some(l) if l.starts_with("untrusted comment:") => 1,
        _ => 0,
    };
    let b = decode_line(text, what, line)?;
    if b.len() != len {
        return Err(SignError::Format {
            what,
            why: format!("{} bytes instead of {len}", b.len()),
        });
    }
    Ok(b)
}

fn arr<const N: usize>(b: &[u8], at: usize, what: &'static str) -> Result<[u8; N], SignError> {
    b.get(at..at + N)
        .and_then(|s| <[u8; N]>::try_from(s).ok())
        .ok_or_else(|| SignError::Format {
            what,
            why: "too short".into(),
        })
}

impl PublicKey {
    /// Parse a public key file (or the bare base64 line minisign also accepts with `-P`).
    pub fn parse(text: &str) -> Result<PublicKey, SignError> {
        const WHAT: &str = "public key";
        let b = decode_key(text, WHAT, 42)?;
        if b.get(..2) != Some(&ALG_ED[..]) {
            return Err(SignError::Format {
                what: WHAT,
                why: "unknown signature algorithm".into(),
            });
        }
        let key_id = arr::<8>(&b, 2, WHAT)?;
        let pk = arr::<32>(&b, 10, WHAT)?;
        let key = VerifyingKey::from_bytes(&pk).map_err(|e| SignError::Format {
            what: WHAT,
            why: e.to_string(),
        })?;
        Ok(PublicKey { key_id, key })
    }

    /// The key file text, as minisign writes it.
    pub fn to_file(&self) -> String {
        let mut b = Vec::with_capacity(42);
        b.extend_from_slice(&ALG_ED);
        b.extend_from_slice(&self.key_id);
        b.extend_from_slice(self.key.as_bytes());
        format!(
            "untrusted comment: minisign public key {}\n{}\n",
            key_id_hex(&self.key_id),
            B64.encode(b)
        )
    }

    /// Check a minisign signature file over `message`; the trusted comment on success.
    pub fn verify(&self, message: &[u8], sig_file: &str) -> Result<String, SignError> {
        const WHAT: &str = "signature";
        let lines: Vec<&str> = sig_file.lines().map(|l| l.trim_end_matches('\r')).collect();
        let [untrusted, sig_line, trusted, global, ..] = lines.as_slice() else {
            return Err(SignError::Format {
                what: WHAT,
                why: "fewer than four lines".into(),
            });
        };
        if !untrusted.starts_with("untrusted comment:") {
            return Err(SignError::Format {
                what: WHAT,
                why: "the first line is not an untrusted comment".into(),
            });
        }
        let comment =
            trusted
                .strip_prefix("trusted comment: ")
                .ok_or_else(|| SignError::Format {
                    what: WHAT,
                    why: "the third line is not a trusted comment".into(),
                })?;
        let b = B64.decode(sig_line.trim()).map_err(|e| SignError::Format {
            what: WHAT,
            why: format!("the signature line is not base64 ({e})"),
        })?;
        if b.len() != 74 {
            return Err(SignError::Format {
                what: WHAT,
                why: format!("{} bytes instead of 74", b.len()),
            });
        }
        let alg = arr::<2>(&b, 0, WHAT)?;
        let key_id = arr::<8>(&b, 2, WHAT)?;
        let sig = arr::<64>(&b, 10, WHAT)?;
        if key_id != self.key_id {
            return Err(SignError::WrongKey {
                expected: key_id_hex(&self.key_id),
                found: key_id_hex(&key_id),
            });
        }
        let signature = Signature::from_bytes(&sig);
        let ok = match alg {
            ALG_PREHASHED => self
                .key
                .verify(&Blake2b512::digest(message), &signature)
                .is_ok(),
            ALG_ED => self.key.verify(message, &signature).is_ok(),
            _ => {
                return Err(SignError::Format {
                    what: WHAT,
                    why: "unknown signature algorithm".into(),
                })
            }
        };
        if !ok {
            return Err(SignError::BadSignature);
        }
        let g = B64.decode(global.trim()).map_err(|e| SignError::Format {
            what: WHAT,
            why: format!("the trusted comment signature is not base64 ({e})"),
        })?;
        let g = arr::<64>(&g, 0, WHAT)?;
        let mut signed = sig.to_vec();
        signed.extend_from_slice(comment.as_bytes());
        self.key
            .verify(&signed, &Signature::from_bytes(&g))
            .map_err(|_| SignError::BadTrustedComment)?;
        Ok(comment.to_string())
    }
}

fn checksum(key_id: &[u8; 8], seed: &[u8; 32], pk: &[u8; 32]) -> [u8; 32] {
    let mut h = Blake2b::<U32>::new();
    h.update(ALG_ED);
    h.update(key_id);
    h.update(seed);
    h.update(pk);
    h.finalize().into()
}

impl SecretKey {
    /// A new random key pair.
    pub fn generate() -> Result<SecretKey, SignError> {
        let mut seed = [0u8; 32];
        let mut key_id = [0u8; 8];
        getrandom::fill(&mut seed).map_err(|e| SignError::Random(e.to_string()))?;
        getrandom::fill(&mut key_id).map_err(|e| SignError::Random(e.to_string()))?;
        Ok(SecretKey::from_seed(seed, key_id))
    }

    /// The key pair of a 32-byte seed (tests use fixed seeds).
    pub fn from_seed(seed: [u8; 32], key_id: [u8; 8]) -> SecretKey {
        SecretKey {
            key_id,
            key: SigningKey::from_bytes(&seed),
        }
    }

    pub fn public(&self) -> PublicKey {
        PublicKey {
            key_id: self.key_id,
            key: self.key.verifying_key(),
        }
    }

    /// Parse an unencrypted minisign secret key file.
    pub fn parse(text: &str) -> Result<SecretKey, SignError> {
        const WHAT: &str = "secret key";
        let b = decode_key(text, WHAT, 158)?;
        if arr::<2>(&b, 0, WHAT)? != ALG_ED || arr::<2>(&b, 4, WHAT)? != CHK_B2 {
            return Err(SignError::Format {
                what: WHAT,
                why: "unknown signature or checksum algorithm".into(),
            });
        }
        if arr::<2>(&b, 2, WHAT)? != [0, 0] {
            return Err(SignError::Encrypted);
        }
        let key_id = arr::<8>(&b, 54, WHAT)?;
        let seed = arr::<32>(&b, 62, WHAT)?;
        let pk = arr::<32>(&b, 94, WHAT)?;
        let chk = arr::<32>(&b, 126, WHAT)?;
        // minisign 0.11 leaves the checksum of unencrypted keys zeroed; such keys are still
        // checked below: the seed must give the stored public key.
        if chk != [0u8; 32] && checksum(&key_id, &seed, &pk) != chk {
            return Err(SignError::Checksum);
        }
        let key = SecretKey::from_seed(seed, key_id);
        if key.key.verifying_key().as_bytes() != &pk {
            return Err(SignError::Checksum);
        }
        Ok(key)
    }

    /// The unencrypted key file text, as `minisign -G -W` writes it.
    pub fn to_file(&self) -> String {
        let seed = self.key.to_bytes();
        let pk = self.key.verifying_key().to_bytes();
        let mut b = Vec::with_capacity(158);
        b.extend_from_slice(&ALG_ED);
        b.extend_from_slice(&[0, 0]);
        b.extend_from_slice(&CHK_B2);
        b.extend_from_slice(&[0u8; 32]); // KDF salt: unused without a KDF
        b.extend_from_slice(&0u64.to_le_bytes());
        b.extend_from_slice(&0u64.to_le_bytes());
        b.extend_from_slice(&self.key_id);
        b.extend_from_slice(&seed);
        b.extend_from_slice(&pk);
        b.extend_from_slice(&checksum(&self.key_id, &seed, &pk));
        format!(
            "untrusted comment: minisign secret key {} (unencrypted)\n{}\n",
            key_id_hex(&self.key_id),
            B64.encode(b)
        )
    }

    /// A minisign signature file (prehashed `ED`) over `message` with `trusted_comment`
    /// (one line; line breaks are replaced by spaces).
    pub fn sign(&self, message: &[u8], trusted_comment: &str) -> String {
        let comment: String = trusted_comment
            .chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
            .collect();
        let sig = self.key.sign(&Blake2b512::digest(message)).to_bytes();
        let mut first = Vec::with_capacity(74);
        first.extend_from_slice(&ALG_PREHASHED);
        first.extend_from_slice(&self.key_id);
        first.extend_from_slice(&sig);
        let mut signed = sig.to_vec();
        signed.extend_from_slice(comment.as_bytes());
        let global = self.key.sign(&signed).to_bytes();
        format!(
            "untrusted comment: signature from bomvet secret key {}\n{}\ntrusted comment: {comment}\n{}\n",
            key_id_hex(&self.key_id),
            B64.encode(first),
            B64.encode(global)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> SecretKey {
        SecretKey::from_seed([n; 32], [n.wrapping_add(1); 8])
    }

    #[test]
    fn key_files_round_trip() {
        let k = key(7);
        let again = SecretKey::parse(&k.to_file()).unwrap();
        assert_eq!(again.public(), k.public());
        let p = PublicKey::parse(&k.public().to_file()).unwrap();
        assert_eq!(p, k.public());
    }

    #[test]
    fn a_signature_verifies_and_returns_its_trusted_comment() {
        let k = key(1);
        let sig = k.sign(b"payload", "serial:3 expires:2030");
        assert_eq!(
            k.public().verify(b"payload", &sig).unwrap(),
            "serial:3 expires:2030"
        );
    }

    #[test]
    fn a_changed_message_is_refused() {
        let k = key(1);
        let sig = k.sign(b"payload", "c");
        assert_eq!(
            k.public().verify(b"paylo4d", &sig),
            Err(SignError::BadSignature)
        );
    }

    #[test]
    fn a_changed_trusted_comment_is_refused() {
        let k = key(1);
        let sig = k
            .sign(b"payload", "serial:3")
            .replace("serial:3", "serial:9");
        assert_eq!(
            k.public().verify(b"payload", &sig),
            Err(SignError::BadTrustedComment)
        );
    }

    #[test]
    fn another_keys_signature_is_refused_by_key_id() {
        let sig = key(1).sign(b"payload", "c");
        assert!(matches!(
            key(2).public().verify(b"payload", &sig),
            Err(SignError::WrongKey { .. })
        ));
    }

    #[test]
    fn a_forged_key_id_still_fails_the_signature() {
        // Signed by key 2 but claiming key 1's id.
        let k1 = key(1);
        let k2 = SecretKey::from_seed([2; 32], k1.key_id);
        let sig = k2.sign(b"payload", "c");
        assert_eq!(
            k1.public().verify(b"payload", &sig),
            Err(SignError::BadSignature)
        );
    }

    #[test]
    fn a_damaged_secret_key_is_refused_by_its_checksum() {
        let file = key(3).to_file();
        let line = file.lines().nth(1).unwrap();
        let mut b = B64.decode(line).unwrap();
        b[70] ^= 1;
        let damaged = format!("untrusted comment: x\n{}\n", B64.encode(b));
        assert_eq!(SecretKey::parse(&damaged).unwrap_err(), SignError::Checksum);
    }

    #[test]
    fn a_zeroed_checksum_is_accepted_only_when_the_seed_gives_the_public_key() {
        let file = key(5).to_file();
        let mut b = B64.decode(file.lines().nth(1).unwrap()).unwrap();
        b[126..158].fill(0);
        let zeroed = format!("untrusted comment: x\n{}\n", B64.encode(&b));
        assert_eq!(SecretKey::parse(&zeroed).unwrap().public(), key(5).public());
        b[100] ^= 1; // damage the stored public key
        let damaged = format!("untrusted comment: x\n{}\n", B64.encode(&b));
        assert_eq!(SecretKey::parse(&damaged).unwrap_err(), SignError::Checksum);
    }

    #[test]
    fn an_encrypted_secret_key_is_refused_with_a_reason() {
        let file = key(3).to_file();
        let line = file.lines().nth(1).unwrap();
        let mut b = B64.decode(line).unwrap();
        b[2..4].copy_from_slice(b"Sc");
        let enc = format!("untrusted comment: x\n{}\n", B64.encode(b));
        assert_eq!(SecretKey::parse(&enc).unwrap_err(), SignError::Encrypted);
    }

    #[test]
    fn garbage_is_a_format_error_not_a_panic() {
        for t in [
            "",
            "untrusted comment: x\n",
            "untrusted comment: x\n!!!\n",
            "RWQ=\n",
        ] {
            assert!(matches!(PublicKey::parse(t), Err(SignError::Format { .. })));
            assert!(matches!(SecretKey::parse(t), Err(SignError::Format { .. })));
            assert!(key(1).public().verify(b"x", t).is_err());
        }
    }

    #[test]
    fn legacy_unhashed_signatures_verify() {
        let k = key(4);
        let sig = k.key.sign(b"msg").to_bytes();
        let mut first = b"Ed".to_vec();
        first.extend_from_slice(&k.key_id);
        first.extend_from_slice(&sig);
        let mut signed = sig.to_vec();
        signed.extend_from_slice(b"t");
        let g = k.key.sign(&signed).to_bytes();
        let file = format!(
            "untrusted comment: x\n{}\ntrusted comment: t\n{}\n",
            B64.encode(first),
            B64.encode(g)
        );
        assert_eq!(k.public().verify(b"msg", &file).unwrap(), "t");
    }
}

//! Signed registry bundles: one file that carries a whole registry (its `.toml` files), its
//! version, serial, creation and expiry times and content digest, with a minisign signature
//! over all of it (format in docs/registry-updates.md).
//!
//! ```text
//! bomvet-registry-bundle/1                 header line
//! untrusted comment: ...                   \
//! <base64 signature>                        | a minisign signature file (4 lines) over
//! trusted comment: bomvet-registry ...      | the payload below
//! <base64 trusted-comment signature>       /
//! {"format":"bomvet-registry-bundle",...}  payload: JSON, to the end of the file
//! ```
//!
//! [`open`] checks, in order: the header, the signature against the trusted key, the payload's
//! shape, that every path is a plain relative registry path, and that the digest recomputed
//! from the files is the one signed. Whether a verified bundle may be installed (serial,
//! expiry) is the caller's decision ([`Bundle::check_install`]).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::load::{digest, SourceFile};
use super::minisign::{PublicKey, SecretKey, SignError};
use super::utc;

/// The first line of every bundle.
pub const HEADER: &str = "bomvet-registry-bundle/1";
/// The payload's `format` value.
pub const FORMAT: &str = "bomvet-registry-bundle";

/// Why a bundle cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BundleError {
    #[error("not a bomvet registry bundle (the first line is not `{HEADER}`)")]
    NotBundle,
    #[error("the bundle's signature block is incomplete")]
    Truncated,
    #[error("signature: {0}")]
    Signature(#[from] SignError),
    #[error("the signed payload is not a valid bundle: {0}")]
    Payload(String),
    #[error("the bundle contains an unsafe file path {0:?}")]
    UnsafePath(String),
    #[error("the bundle's digest {signed} does not match its files ({computed})")]
    Digest { signed: String, computed: String },
    #[error("the bundle's serial {bundle} is lower than the installed serial {installed} (rollback); --allow-downgrade accepts it")]
    Rollback { bundle: u64, installed: u64 },
    #[error("the bundle expired at {expires} (freeze); --allow-downgrade accepts it")]
    Expired { expires: String },
    #[error("the bundle has serial {serial} like the installed one but different content; --allow-downgrade accepts it")]
    SameSerialDifferentContent { serial: u64 },
}

/// One registry file inside a bundle.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct BundleFile {
    /// Relative path with `/` separators, e.g. `vendors/kaspersky.toml`.
    pub path: String,
    pub text: String,
}

/// The signed payload.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Payload {
    pub format: String,
    pub format_version: u32,
    /// The registry's calendar version (from its `registry.toml`).
    pub version: String,
    /// Monotonic serial of the bundle; updates refuse a lower one.
    pub serial: u64,
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    pub created: String,
    /// `YYYY-MM-DDTHH:MM:SSZ`; updates refuse an expired bundle.
    pub expires: String,
    /// `sha256:` digest of the files, as [`digest`] computes it (the registry digest).
    pub digest: String,
    pub files: Vec<BundleFile>,
}

/// A bundle whose signature, paths and digest have been checked.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub payload: Payload,
    /// Unix seconds of `created` / `expires`.
    pub created: i64,
    pub expires: i64,
    /// The minisign trusted comment.
    pub trusted_comment: String,
}

impl Bundle {
    /// The registry files, for [`super::Registry::from_files`].
    pub fn source_files(&self) -> Vec<SourceFile> {
        self.payload
            .files
            .iter()
            .map(|f| SourceFile {
                path: f.path.clone(),
                text: Cow::Owned(f.text.clone()),
            })
            .collect()
    }

    pub fn is_expired(&self, now: i64) -> bool {
        now >= self.expires
    }

    /// Refuse a rollback (serial lower than `installed`), a different bundle with the same
    /// serial, and an expired bundle (freeze), unless `allow_downgrade`.
    pub fn check_install(
        &self,
        installed: Option<(u64, &str)>,
        now: i64,
        allow_downgrade: bool,
    ) -> Result<(), BundleError> {
        if allow_downgrade {
            return Ok(());
        }
        if let Some((serial, digest)) = installed {
            if self.payload.serial < serial {
                return Err(BundleError::Rollback {
                    bundle: self.payload.serial,
                    installed: serial,
                });
            }
            if self.payload.serial == serial && self.payload.digest != digest {
                return Err(BundleError::SameSerialDifferentContent { serial });
            }
        }
        if self.is_expired(now) {
            return Err(BundleError::Expired {
                expires: self.payload.expires.clone(),
            });
        }
        Ok(())
    }
}

/// What goes into a new bundle.
pub struct NewBundle<'a> {
    pub files: &'a [SourceFile],
    pub version: &'a str,
    pub serial: u64,
    pub created: i64,
    pub expires: i64,
}

/// The trusted comment: the bundle's identity, readable in `minisign -V` output.
fn trusted_comment(p: &Payload) -> String {
    format!(
        "bomvet-registry version:{} serial:{} created:{} expires:{} digest:{}",
        p.version, p.serial, p.created, p.expires, p.digest
    )
}

/// The unsigned payload bytes of a new bundle (what the signature covers).
pub fn payload_bytes(b: &NewBundle<'_>) -> Vec<u8> {
    let mut files: Vec<BundleFile> = b
        .files
        .iter()
        .map(|f| BundleFile {
            path: f.path.clone(),
            text: f.text.to_string(),
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let p = Payload {
        format: FORMAT.into(),
        format_version: 1,
        version: b.version.into(),
        serial: b.serial,
        created: utc::format(b.created),
        expires: utc::format(b.expires),
        digest: digest(b.files),
        files,
    };
    let mut out = serde_json::to_vec(&p).unwrap_or_default();
    out.push(b'\n');
    out
}

/// Assemble a bundle file from payload bytes and a minisign signature file over them (as
/// `minisign -S` writes it, or as [`SecretKey::sign`] returns it).
pub fn assemble(payload: &[u8], signature_file: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 512);
    out.extend_from_slice(HEADER.as_bytes());
    out.push(b'\n');
    for l in signature_file.lines().take(4) {
        out.extend_from_slice(l.as_bytes());
        out.push(b'\n');
    }
    out.extend_from_slice(payload);
    out
}

/// Build and sign a bundle.
pub fn create(b: &NewBundle<'_>, key: &SecretKey) -> Vec<u8> {
    let payload = payload_bytes(b);
    let comment = serde_json::from_slice::<Payload>(&payload)
        .map(|p| trusted_comment(&p))
        .unwrap_or_default();
    assemble(&payload, &key.sign(&payload, &comment))
}

/// Split a bundle file into (signature file text, payload bytes).
pub fn split(bytes: &[u8]) -> Result<(String, &[u8]), BundleError> {
    let mut rest = bytes;
    let mut lines = Vec::with_capacity(5);
    for i in 0..5 {
        let Some(nl) = memchr::memchr(b'\n', rest) else {
            return Err(if i == 0 {
                BundleError::NotBundle
            } else {
                BundleError::Truncated
            });
        };
        let line = rest.get(..nl).unwrap_or_default();
        let line = std::str::from_utf8(line)
            .map_err(|_| BundleError::NotBundle)?
            .trim_end_matches('\r');
        if i == 0 && line != HEADER {
            return Err(BundleError::NotBundle);
        }
        lines.push(line);
        rest = rest.get(nl + 1..).unwrap_or_default();
    }
    let sig: String = lines.iter().skip(1).map(|l| format!("{l}\n")).collect();
    Ok((sig, rest))
}

/// A path a bundle may carry: relative, `/`-separated, no `.`/`..`/empty segments, `.toml`.
fn safe_path(p: &str) -> bool {
    p.ends_with(".toml")
        && !p.contains('\\')
        && !p.contains(':')
        && p.split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".." && !s.starts_with('.'))
}

/// Verify a bundle against `key` and check its payload (see the module docs).
pub fn open(bytes: &[u8], key: &PublicKey) -> Result<Bundle, BundleError> {
    let (sig, payload_bytes) = split(bytes)?;
    let trusted_comment = key.verify(payload_bytes, &sig)?;
    let payload: Payload =
        serde_json::from_slice(payload_bytes).map_err(|e| BundleError::Payload(e.to_string()))?;
    if payload.format != FORMAT || payload.format_version != 1 {
        return Err(BundleError::Payload(format!(
            "format {:?} version {} is not {FORMAT:?} version 1",
            payload.format, payload.format_version
        )));
    }
    if let Some(f) = payload.files.iter().find(|f| !safe_path(&f.path)) {
        return Err(BundleError::UnsafePath(f.path.clone()));
    }
    let time = |s: &str, what: &str| {
        utc::parse(s).ok_or_else(|| BundleError::Payload(format!("{what} {s:?} is not a UTC time")))
    };
    let created = time(&payload.created, "created")?;
    let expires = time(&payload.expires, "expires")?;
    let files: Vec<SourceFile> = payload
        .files
        .iter()
        .map(|f| SourceFile {
            path: f.path.clone(),
            text: Cow::Owned(f.text.clone()),
        })
        .collect();
    let computed = digest(&files);
    if computed != payload.digest {
        return Err(BundleError::Digest {
            signed: payload.digest.clone(),
            computed,
        });
    }
    Ok(Bundle {
        payload,
        created,
        expires,
        trusted_comment,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> SecretKey {
        SecretKey::from_seed([n; 32], [n; 8])
    }

    fn files() -> Vec<SourceFile> {
        vec![
            SourceFile {
                path: "registry.toml".into(),
                text: Cow::Borrowed("[registry]\nversion = \"1\"\nserial = 4\n"),
            },
            SourceFile {
                path: "vendors/acme.toml".into(),
                text: Cow::Borrowed("id = \"acme\"\n"),
            },
        ]
    }

    fn make(serial: u64, created: i64, expires: i64) -> Vec<u8> {
        let f = files();
        create(
            &NewBundle {
                files: &f,
                version: "1",
                serial,
                created,
                expires,
            },
            &key(1),
        )
    }

    #[test]
    fn a_bundle_opens_with_its_key_and_keeps_every_field() {
        let b = open(&make(5, 1000, 2000), &key(1).public()).unwrap();
        assert_eq!(b.payload.serial, 5);
        assert_eq!((b.created, b.expires), (1000, 2000));
        assert_eq!(b.payload.digest, digest(&files()));
        assert_eq!(b.source_files().len(), 2);
        assert!(b.trusted_comment.contains("serial:5"));
    }

    #[test]
    fn every_flipped_payload_byte_is_refused() {
        let good = make(5, 1000, 2000);
        let (_, payload) = split(&good).unwrap();
        let start = good.len() - payload.len();
        for i in (start..good.len()).step_by(7) {
            let mut bad = good.clone();
            bad[i] ^= 0x01;
            assert!(open(&bad, &key(1).public()).is_err(), "byte {i}");
        }
    }

    #[test]
    fn another_key_is_refused() {
        assert!(matches!(
            open(&make(5, 1000, 2000), &key(2).public()),
            Err(BundleError::Signature(_))
        ));
    }

    #[test]
    fn a_signed_payload_with_a_wrong_digest_is_refused() {
        let f = files();
        let mut p: Payload = serde_json::from_slice(&payload_bytes(&NewBundle {
            files: &f,
            version: "1",
            serial: 1,
            created: 0,
            expires: 10,
        }))
        .unwrap();
        p.files[1].text.push('x');
        let payload = serde_json::to_vec(&p).unwrap();
        let bytes = assemble(&payload, &key(1).sign(&payload, "c"));
        assert!(matches!(
            open(&bytes, &key(1).public()),
            Err(BundleError::Digest { .. })
        ));
    }

    #[test]
    fn unsafe_paths_are_refused_even_when_signed() {
        for bad in [
            "../x.toml",
            "/etc/x.toml",
            "a//b.toml",
            "vendors/.hidden.toml",
            "c:\\x.toml",
            "x.txt",
        ] {
            let f = vec![SourceFile {
                path: bad.into(),
                text: Cow::Borrowed(""),
            }];
            let bytes = create(
                &NewBundle {
                    files: &f,
                    version: "1",
                    serial: 1,
                    created: 0,
                    expires: 10,
                },
                &key(1),
            );
            assert_eq!(
                open(&bytes, &key(1).public()).unwrap_err(),
                BundleError::UnsafePath(bad.into()),
                "{bad}"
            );
        }
    }

    #[test]
    fn truncated_or_foreign_files_are_refused() {
        let good = make(5, 1000, 2000);
        assert_eq!(
            open(b"{\"not\":\"a bundle\"}\n", &key(1).public()).unwrap_err(),
            BundleError::NotBundle
        );
        assert_eq!(
            open(&good[..40], &key(1).public()).unwrap_err(),
            BundleError::Truncated
        );
        assert!(open(&good[..good.len() - 3], &key(1).public()).is_err());
    }

    #[test]
    fn install_checks_refuse_rollback_same_serial_and_freeze() {
        let b = open(&make(5, 1000, 2000), &key(1).public()).unwrap();
        let d = b.payload.digest.clone();
        assert!(b.check_install(None, 1500, false).is_ok());
        assert!(b.check_install(Some((4, "sha256:x")), 1500, false).is_ok());
        assert!(b.check_install(Some((5, &d)), 1500, false).is_ok());
        assert!(matches!(
            b.check_install(Some((6, "sha256:x")), 1500, false),
            Err(BundleError::Rollback { .. })
        ));
        assert!(matches!(
            b.check_install(Some((5, "sha256:x")), 1500, false),
            Err(BundleError::SameSerialDifferentContent { .. })
        ));
        assert!(matches!(
            b.check_install(None, 2000, false),
            Err(BundleError::Expired { .. })
        ));
        assert!(b.check_install(Some((6, "sha256:x")), 3000, true).is_ok());
    }
}

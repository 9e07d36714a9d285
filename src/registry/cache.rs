//! The installed registry bundles in the user cache directory (`BOMVET_CACHE_DIR` overrides the
//! platform default): `registry/current.bundle`, `registry/previous.bundle`, the public key the
//! current bundle was verified with (`registry/trusted.pub`) and the download state
//! (`registry/state.json`: URL and ETag).
//!
//! Installing never leaves a half-written bundle in use: the new file is written beside the
//! old one, synced, and renamed over `current.bundle` (an atomic replace); the old current is
//! first copied to `previous.bundle` the same way. A process killed at any point leaves either
//! the old or the new bundle as `current.bundle`, each complete.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::bundle::{self, Bundle};
use super::minisign::PublicKey;

/// The environment variable that replaces the platform cache directory.
pub const CACHE_ENV: &str = "BOMVET_CACHE_DIR";

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("no user cache directory on this platform; set {CACHE_ENV}")]
    NoCacheDir,
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Download state of the current bundle.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct State {
    pub url: Option<String>,
    pub etag: Option<String>,
}

/// Where installed bundles live.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// A verified installed bundle and its file.
#[derive(Debug, Clone)]
pub struct Installed {
    pub bundle: Bundle,
    pub path: PathBuf,
}

impl Cache {
    /// `$BOMVET_CACHE_DIR/registry`, else `<user cache dir>/bomvet/registry`.
    pub fn locate() -> Result<Cache, CacheError> {
        let base = match std::env::var_os(CACHE_ENV) {
            Some(d) if !d.is_empty() => PathBuf::from(d),
            _ => dirs::cache_dir()
                .ok_or(CacheError::NoCacheDir)?
                .join("bomvet"),
        };
        Ok(Cache::at(base.join("registry")))
    }

    pub fn at(dir: PathBuf) -> Cache {
        Cache { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn current_path(&self) -> PathBuf {
        self.dir.join("current.bundle")
    }

    pub fn previous_path(&self) -> PathBuf {
        self.dir.join("previous.bundle")
    }

    pub fn trusted_key_path(&self) -> PathBuf {
        self.dir.join("trusted.pub")
    }

    fn state_path(&self) -> PathBuf {
        self.dir.join("state.json")
    }

    /// The key installed bundles are checked with: `configured` if given, else the key the
    /// current bundle was verified with at install time.
    pub fn trusted_key(&self, configured: Option<&PublicKey>) -> Option<PublicKey> {
        if let Some(k) = configured {
            return Some(k.clone());
        }
        let text = std::fs::read_to_string(self.trusted_key_path()).ok()?;
        PublicKey::parse(&text).ok()
    }

    /// The newest installed bundle that verifies (current, else previous), with the problems
    /// met on the way (a damaged current bundle, say).
    pub fn installed(&self, configured: Option<&PublicKey>) -> (Option<Installed>, Vec<String>) {
        let mut problems = Vec::new();
        let Some(key) = self.trusted_key(configured) else {
            if self.current_path().exists() {
                problems.push(format!(
                    "the installed bundle cannot be checked: no public key configured and {} is missing or unreadable",
                    self.trusted_key_path().display()
                ));
            }
            return (None, problems);
        };
        let mut best: Option<Installed> = None;
        for path in [self.current_path(), self.previous_path()] {
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            match bundle::open(&bytes, &key) {
                Ok(b) => {
                    if best
                        .as_ref()
                        .is_none_or(|i| i.bundle.payload.serial < b.payload.serial)
                    {
                        best = Some(Installed { bundle: b, path });
                    }
                }
                Err(e) => problems.push(format!("{}: {e}", path.display())),
            }
        }
        (best, problems)
    }

    /// The verified current bundle only (what an update compares against).
    pub fn current(&self, key: &PublicKey) -> Option<Bundle> {
        let bytes = std::fs::read(self.current_path()).ok()?;
        bundle::open(&bytes, key).ok()
    }

    pub fn state(&self) -> State {
        std::fs::read(self.state_path())
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Install verified bundle bytes as the current bundle, keeping the old current as the
    /// previous one; then record `key` and `state`.
    pub fn install(&self, bytes: &[u8], key: &PublicKey, state: &State) -> Result<(), CacheError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| CacheError::Io { path, source }
        };
        std::fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        let current = self.current_path();
        if let Ok(old) = std::fs::read(&current) {
            if old != bytes {
                write_atomic(&self.previous_path(), &old)?;
            }
        }
        write_atomic(&current, bytes)?;
        write_atomic(&self.trusted_key_path(), key.to_file().as_bytes())?;
        self.save_state(state)?;
        sync_dir(&self.dir);
        Ok(())
    }

    pub fn save_state(&self, state: &State) -> Result<(), CacheError> {
        let text = serde_json::to_vec_pretty(state).unwrap_or_default();
        write_atomic(&self.state_path(), &text)
    }
}

/// Write `bytes` to a temporary file beside `path`, sync it, rename it over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CacheError> {
    let err = |source| CacheError::Io {
        path: path.to_path_buf(),
        source,
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)?;
    if let Some(parent) = path.parent() {
        sync_dir(parent);
    }
    Ok(())
}

/// Make a rename durable (best effort: not every platform can open a directory).
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::bundle::{create, NewBundle};
    use crate::registry::minisign::SecretKey;
    use crate::registry::SourceFile;
    use std::borrow::Cow;

    fn bundle_bytes(serial: u64, text: &'static str) -> Vec<u8> {
        let files = vec![SourceFile {
            path: "registry.toml".into(),
            text: Cow::Borrowed(text),
        }];
        create(
            &NewBundle {
                files: &files,
                version: "v",
                serial,
                created: 0,
                expires: 4_102_444_799,
            },
            &SecretKey::from_seed([9; 32], [9; 8]),
        )
    }

    fn tmpdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("bomvet-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn installing_keeps_the_previous_bundle_and_the_newest_is_used() {
        let d = tmpdir("keep");
        let cache = Cache::at(d.clone());
        let key = SecretKey::from_seed([9; 32], [9; 8]).public();
        cache
            .install(&bundle_bytes(1, "a"), &key, &State::default())
            .unwrap();
        cache
            .install(
                &bundle_bytes(2, "b"),
                &key,
                &State {
                    url: Some("u".into()),
                    etag: Some("\"e\"".into()),
                },
            )
            .unwrap();
        let (inst, problems) = cache.installed(None);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(inst.unwrap().bundle.payload.serial, 2);
        assert_eq!(
            bundle::open(&std::fs::read(cache.previous_path()).unwrap(), &key)
                .unwrap()
                .payload
                .serial,
            1
        );
        assert_eq!(cache.state().etag.as_deref(), Some("\"e\""));
        // No temporary file is left behind.
        let leftovers: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
            .collect();
        assert!(leftovers.is_empty());
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_damaged_current_bundle_falls_back_to_the_previous_one() {
        let d = tmpdir("damaged");
        let cache = Cache::at(d.clone());
        let key = SecretKey::from_seed([9; 32], [9; 8]).public();
        cache
            .install(&bundle_bytes(1, "a"), &key, &State::default())
            .unwrap();
        cache
            .install(&bundle_bytes(2, "b"), &key, &State::default())
            .unwrap();
        let mut bytes = std::fs::read(cache.current_path()).unwrap();
        let n = bytes.len() - 5;
        bytes[n] ^= 1;
        std::fs::write(cache.current_path(), bytes).unwrap();
        let (inst, problems) = cache.installed(None);
        assert_eq!(inst.unwrap().bundle.payload.serial, 1);
        assert_eq!(problems.len(), 1);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn an_empty_cache_has_no_bundle_and_no_problem() {
        let cache = Cache::at(tmpdir("empty"));
        let (inst, problems) = cache.installed(None);
        assert!(inst.is_none() && problems.is_empty());
    }
}

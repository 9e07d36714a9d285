//! Registry layers and updates: `registry keygen|bundle|verify|update|status`, and the layered
//! loader every command uses (base = `--registry DIR`, else the newest verified installed
//! bundle when its serial is higher than the embedded registry's, else the embedded registry;
//! then the overlays of `[registry] overlays` and `--registry-overlay`, in that order).
//!
//! The progress bar of `registry update` is the one thing here that draws on the terminal
//! while the command runs (only when stderr is a terminal); everything else is returned in
//! the [`Outcome`].

use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use serde::Serialize;

use super::registry::{error_messages, Loaded};
use super::{Outcome, Status};
use crate::cli::InspectFormat;
use crate::cli::NetArgs;
use crate::net::{self, Fetched};
use crate::output::terminal_safe;
use crate::policy::{Policy, PolicyError, DEFAULT_MAX_AGE_SECS, DEFAULT_POLICY_FILE};
use crate::registry::bundle::{self, NewBundle};
use crate::registry::cache::{self, Cache, State};
use crate::registry::minisign::{key_id_hex, PublicKey, SecretKey};
use crate::registry::overlay::{self, Overlay};
use crate::registry::{self, utc, Registry, RegistryError, SourceFile};
use crate::report::{RegistryLayer, RegistryOverride};

fn fail(messages: Vec<String>) -> Outcome {
    Outcome {
        stdout: String::new(),
        messages,
        status: Status::Error,
    }
}

fn ok(stdout: String, messages: Vec<String>) -> Outcome {
    Outcome {
        stdout,
        messages,
        status: Status::Ok,
    }
}

/// The policy from `path`, else `./bomvet.toml` if present, else the defaults.
pub(super) fn load_policy(path: Option<&Path>) -> Result<Policy, Vec<String>> {
    let err = |e: PolicyError| {
        let mut m = vec![format!("error: {e}")];
        m.extend(e.lines().into_iter().map(|l| format!("  {l}")));
        m
    };
    match path {
        Some(p) => Policy::load(p, &p.display().to_string()).map_err(err),
        None if Path::new(DEFAULT_POLICY_FILE).is_file() => {
            Policy::load(Path::new(DEFAULT_POLICY_FILE), DEFAULT_POLICY_FILE).map_err(err)
        }
        None => Ok(Policy::default()),
    }
}

/// A path from `[registry]`, relative to the policy file's directory.
fn settings_path(policy: &Policy, p: &str) -> PathBuf {
    let p = Path::new(p);
    if p.is_absolute() {
        return p.to_path_buf();
    }
    match policy.source.as_deref().and_then(|s| Path::new(s).parent()) {
        Some(dir) => dir.join(p),
        None => p.to_path_buf(),
    }
}

fn read_pubkey(path: &Path) -> Result<PublicKey, Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![format!(
            "error: cannot read public key {}: {e}",
            path.display()
        )]
    })?;
    PublicKey::parse(&text).map_err(|e| vec![format!("error: {}: {e}", path.display())])
}

/// The public key from `--pubkey`, else `[registry] pubkey`; `None` when neither is set.
fn configured_key(flag: Option<&Path>, policy: &Policy) -> Result<Option<PublicKey>, Vec<String>> {
    match (flag, policy.registry.pubkey.as_deref()) {
        (Some(p), _) => read_pubkey(p).map(Some),
        (None, Some(p)) => read_pubkey(&settings_path(policy, p)).map(Some),
        (None, None) => Ok(None),
    }
}

// ---------------------------------------------------------------------------------------------
// The layered loader
// ---------------------------------------------------------------------------------------------

/// What the loader is asked for.
pub struct LayerRequest<'a> {
    /// `--registry DIR`.
    pub dir: Option<&'a Path>,
    /// `--registry-overlay DIR...` (applied after the policy's overlays).
    pub overlays: &'a [PathBuf],
    pub policy: &'a Policy,
}

/// The registry in use and its layers.
pub struct Active {
    pub reg: Loaded,
    pub layers: Vec<RegistryLayer>,
    /// `warning: ...` lines (a damaged or expired installed bundle).
    pub warnings: Vec<String>,
    /// `embedded`, the directory or the bundle file.
    pub origin: String,
}

/// `YYYY-MM-DDT00:00:00Z` of a calendar version `YYYY.MM.DD`.
fn created_from_version(v: &str) -> Option<String> {
    let d = v.get(..10)?.replace('.', "-");
    utc::parse(&d).map(utc::format)
}

fn meta_of(files: &[SourceFile]) -> (String, u64) {
    files
        .iter()
        .find(|f| f.path == "registry.toml")
        .and_then(|f| toml::from_str::<registry::RawRegistryFile>(&f.text).ok())
        .map(|m| (m.registry.version.get_ref().clone(), m.registry.serial))
        .unwrap_or_default()
}

fn registry_fail(e: &RegistryError) -> Vec<String> {
    error_messages(e)
}

/// Load the registry in use with every layer (see the module docs).
pub fn load_active(req: &LayerRequest<'_>) -> Result<Active, Outcome> {
    let mut warnings = Vec::new();
    let key = configured_key(None, req.policy).map_err(fail)?;
    // The base layer.
    let (files, base, bundle_serial) = match req.dir {
        Some(d) => {
            let (files, read_problems) =
                registry::read_dir(d).map_err(|e| fail(registry_fail(&e)))?;
            if !read_problems.is_empty() {
                let e = RegistryError::Invalid {
                    origin: d.display().to_string(),
                    problems: read_problems,
                };
                return Err(fail(registry_fail(&e)));
            }
            let (version, serial) = meta_of(&files);
            let layer = RegistryLayer {
                kind: "dir".into(),
                created: created_from_version(&version),
                version,
                serial,
                digest: registry::load::digest(&files),
                source: d.display().to_string(),
                expires: None,
                overrides: Vec::new(),
            };
            (files, layer, None)
        }
        None => {
            let files = registry::embedded_files();
            let (version, serial) = meta_of(&files);
            let embedded = RegistryLayer {
                kind: "embedded".into(),
                created: created_from_version(&version),
                version,
                serial,
                digest: registry::load::digest(&files),
                source: "embedded".into(),
                expires: None,
                overrides: Vec::new(),
            };
            let installed = match Cache::locate() {
                Ok(cache) => {
                    let (inst, problems) = cache.installed(key.as_ref());
                    warnings.extend(problems.into_iter().map(|p| format!("warning: {p}")));
                    inst
                }
                Err(_) => None,
            };
            match installed {
                Some(i) if i.bundle.payload.serial > serial => {
                    let b = &i.bundle;
                    if b.is_expired(utc::now()) {
                        warnings.push(format!(
                            "warning: the installed registry bundle expired at {}; run `bomvet registry update`",
                            b.payload.expires
                        ));
                    }
                    let layer = RegistryLayer {
                        kind: "bundle".into(),
                        version: b.payload.version.clone(),
                        serial: b.payload.serial,
                        digest: b.payload.digest.clone(),
                        source: i.path.display().to_string(),
                        created: Some(b.payload.created.clone()),
                        expires: Some(b.payload.expires.clone()),
                        overrides: Vec::new(),
                    };
                    (b.source_files(), layer, Some(b.payload.serial))
                }
                _ => (files, embedded, None),
            }
        }
    };
    // Overlays: the policy's, then the command line's.
    let mut overlay_dirs: Vec<PathBuf> = req
        .policy
        .registry
        .overlays
        .iter()
        .map(|o| settings_path(req.policy, o))
        .collect();
    overlay_dirs.extend(req.overlays.iter().cloned());
    let mut overlays = Vec::new();
    for d in &overlay_dirs {
        overlays.push(Overlay::read(d).map_err(|e| fail(registry_fail(&e)))?);
    }
    let origin = base.source.clone();
    let mut layers = vec![base];
    if overlays.is_empty() && layers[0].kind == "embedded" {
        let reg = Registry::embedded().map_err(|e| fail(registry_fail(e)))?;
        return Ok(Active {
            reg: Loaded::Embedded(reg),
            layers,
            warnings,
            origin,
        });
    }
    let merged = overlay::merge(files, &overlays);
    if merged.problems.iter().any(|p| p.is_error()) {
        let e = RegistryError::Invalid {
            origin: format!("{origin} with overlays"),
            problems: merged.problems,
        };
        return Err(fail(registry_fail(&e)));
    }
    for (o, notes) in overlays.iter().zip(&merged.overrides) {
        layers.push(RegistryLayer {
            kind: "overlay".into(),
            version: o.version.clone(),
            serial: o.serial,
            digest: o.digest.clone(),
            source: o.source.clone(),
            created: None,
            expires: None,
            overrides: notes
                .iter()
                .map(|n| RegistryOverride {
                    file: n.file.clone(),
                    key: n.key.clone(),
                    reason: n.reason.clone(),
                })
                .collect(),
        });
    }
    let mut reg = Registry::from_files(merged.files, origin.clone(), merged.problems)
        .map_err(|e| fail(registry_fail(&e)))?;
    if let Some(s) = bundle_serial {
        reg.meta.serial = s;
    }
    Ok(Active {
        reg: Loaded::Dir(Box::new(reg)),
        layers,
        warnings,
        origin,
    })
}

/// `registry lint` over a base plus overlays: the merge's problems and the merged files' lint.
pub(super) fn lint_layers(
    files: Vec<SourceFile>,
    overlay_dirs: &[PathBuf],
) -> Result<(Vec<SourceFile>, Vec<registry::Problem>), Vec<String>> {
    let mut overlays = Vec::new();
    for d in overlay_dirs {
        overlays.push(Overlay::read(d).map_err(|e| vec![format!("error: {e}")])?);
    }
    let merged = overlay::merge(files, &overlays);
    Ok((merged.files, merged.problems))
}

// ---------------------------------------------------------------------------------------------
// status
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct StatusReport<'a> {
    layers: &'a [RegistryLayer],
    active_digest: &'a str,
}

fn age_days(created: Option<&str>, now: i64) -> Option<i64> {
    created
        .and_then(utc::parse)
        .map(|c| (now - c).div_euclid(86_400))
}

pub(super) fn status(req: &LayerRequest<'_>, format: InspectFormat) -> Outcome {
    let active = match load_active(req) {
        Ok(a) => a,
        Err(o) => return o,
    };
    let now = utc::now();
    let mut messages = active.warnings.clone();
    let max_age = req
        .policy
        .registry
        .max_age_secs
        .unwrap_or(DEFAULT_MAX_AGE_SECS);
    if let Some(base) = active.layers.first() {
        if let Some(days) = age_days(base.created.as_deref(), now) {
            if days.saturating_mul(86_400) > i64::try_from(max_age).unwrap_or(i64::MAX) {
                messages.push(format!(
                    "warning: the active registry ({} {}) is {days} days old, older than {} days; run `bomvet registry update`",
                    base.kind,
                    base.version,
                    max_age / 86_400
                ));
            }
        }
    }
    let stdout = match format {
        InspectFormat::Json => {
            let mut s = serde_json::to_string_pretty(&StatusReport {
                layers: &active.layers,
                active_digest: &active.reg.meta.digest,
            })
            .unwrap_or_default();
            s.push('\n');
            s
        }
        InspectFormat::Table => {
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic);
            t.set_header(vec![
                "kind", "version", "serial", "digest", "source", "age", "expires",
            ]);
            for l in &active.layers {
                t.add_row(vec![
                    l.kind.clone(),
                    terminal_safe(&l.version).into_owned(),
                    l.serial.to_string(),
                    l.digest.clone(),
                    terminal_safe(&l.source).into_owned(),
                    age_days(l.created.as_deref(), now)
                        .map(|d| format!("{d} days"))
                        .unwrap_or_else(|| "-".into()),
                    l.expires.clone().unwrap_or_else(|| "-".into()),
                ]);
            }
            let mut s = format!("{t}\nactive digest: {}\n", active.reg.meta.digest);
            for l in &active.layers {
                for o in &l.overrides {
                    let _ = writeln!(
                        s,
                        "override in {}: {} {} — {}",
                        terminal_safe(&l.source),
                        terminal_safe(&o.file),
                        terminal_safe(&o.key),
                        terminal_safe(&o.reason)
                    );
                }
            }
            s
        }
    };
    ok(stdout, messages)
}

// ---------------------------------------------------------------------------------------------
// keygen
// ---------------------------------------------------------------------------------------------

fn write_new(path: &Path, text: &str, force: bool, secret: bool) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut o = std::fs::OpenOptions::new();
    o.write(true);
    if force {
        o.create(true).truncate(true);
    } else {
        o.create_new(true);
    }
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt as _;
        o.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    let mut f = o.open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

pub(super) fn keygen(prefix: &Path, force: bool) -> Outcome {
    let key = match SecretKey::generate() {
        Ok(k) => k,
        Err(e) => return fail(vec![format!("error: {e}")]),
    };
    let name = prefix.display().to_string();
    let (sk, pk) = (
        PathBuf::from(format!("{name}.key")),
        PathBuf::from(format!("{name}.pub")),
    );
    for (path, text, secret) in [
        (&sk, key.to_file(), true),
        (&pk, key.public().to_file(), false),
    ] {
        if let Err(e) = write_new(path, &text, force, secret) {
            let hint = if e.kind() == std::io::ErrorKind::AlreadyExists {
                "; --force overwrites it"
            } else {
                ""
            };
            return fail(vec![format!(
                "error: cannot write {}: {e}{hint}",
                path.display()
            )]);
        }
    }
    ok(
        format!(
            "wrote {} (secret, unencrypted: keep it private) and {} (public); key id {}\n",
            sk.display(),
            pk.display(),
            key_id_hex(&key.key_id)
        ),
        Vec::new(),
    )
}

// ---------------------------------------------------------------------------------------------
// bundle
// ---------------------------------------------------------------------------------------------

/// `--expires`: a duration from `now` or a UTC date.
fn parse_expires(s: &str, now: i64) -> Option<i64> {
    if let Some(ms) = utc::parse_duration_ms(s) {
        return now.checked_add(i64::try_from(ms / 1000).ok()?);
    }
    utc::parse(s)
}

pub(super) struct BundleArgs<'a> {
    pub dir: &'a Path,
    pub key: Option<&'a Path>,
    pub output: &'a Path,
    pub serial: Option<u64>,
    pub expires: &'a str,
}

pub(super) fn bundle(a: &BundleArgs<'_>) -> Outcome {
    let now = utc::now();
    let (files, read_problems) = match registry::read_dir(a.dir) {
        Ok(f) => f,
        Err(e) => return fail(registry_fail(&e)),
    };
    let reg = match Registry::from_files(files.clone(), a.dir.display().to_string(), read_problems)
    {
        Ok(r) => r,
        Err(e) => {
            let mut m = registry_fail(&e);
            m.push("error: a registry with errors is never bundled".into());
            return fail(m);
        }
    };
    let Some(expires) = parse_expires(a.expires, now) else {
        return fail(vec![format!(
            "error: --expires {:?} is neither a duration (180d, 12h) nor a UTC date (2027-06-01)",
            a.expires
        )]);
    };
    if expires <= now || expires >= utc::parse("9999-12-31").unwrap_or(i64::MAX) {
        return fail(vec![format!(
            "error: --expires {} is in the past or beyond 9999",
            utc::format(expires)
        )]);
    }
    let nb = NewBundle {
        files: &files,
        version: &reg.meta.version,
        serial: a.serial.unwrap_or(reg.meta.serial),
        created: now,
        expires,
    };
    let bytes = match a.key {
        None => bundle::payload_bytes(&nb),
        Some(k) => {
            let key = match std::fs::read_to_string(k)
                .map_err(|e| e.to_string())
                .and_then(|t| SecretKey::parse(&t).map_err(|e| e.to_string()))
            {
                Ok(key) => key,
                Err(e) => return fail(vec![format!("error: {}: {e}", k.display())]),
            };
            bundle::create(&nb, &key)
        }
    };
    if let Err(e) = cache::write_atomic(a.output, &bytes) {
        return fail(vec![format!("error: {e}")]);
    }
    ok(
        format!(
            "wrote {} {}: registry {} serial {} ({} files, {}), expires {}\n",
            if a.key.is_some() {
                "bundle"
            } else {
                "unsigned payload"
            },
            a.output.display(),
            reg.meta.version,
            nb.serial,
            files.len(),
            reg.meta.digest,
            utc::format(expires)
        ),
        Vec::new(),
    )
}

// ---------------------------------------------------------------------------------------------
// verify
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct VerifyReport<'a> {
    file: String,
    version: &'a str,
    serial: u64,
    created: &'a str,
    expires: &'a str,
    expired: bool,
    digest: &'a str,
    key_id: String,
    files: usize,
    vendors: usize,
    trusted_comment: &'a str,
}

/// Open and fully check bundle bytes: signature, payload, and the registry's lint.
fn check_bundle(
    bytes: &[u8],
    key: &PublicKey,
    name: &str,
) -> Result<(bundle::Bundle, Registry), Vec<String>> {
    let b = bundle::open(bytes, key).map_err(|e| vec![format!("error: {name}: {e}")])?;
    let reg =
        Registry::from_files(b.source_files(), name.to_string(), Vec::new()).map_err(|e| {
            let mut m = registry_fail(&e);
            m.insert(
                0,
                format!("error: {name}: the bundled registry does not lint clean"),
            );
            m
        })?;
    Ok((b, reg))
}

pub(super) fn verify(
    file: &Path,
    pubkey: Option<&Path>,
    policy: &Policy,
    format: InspectFormat,
) -> Outcome {
    let key = match configured_key(pubkey, policy) {
        Ok(Some(k)) => k,
        Ok(None) => {
            return fail(vec![
                "error: no public key: give --pubkey FILE or set `pubkey` under [registry] in bomvet.toml".into(),
            ])
        }
        Err(m) => return fail(m),
    };
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => return fail(vec![format!("error: cannot read {}: {e}", file.display())]),
    };
    let name = file.display().to_string();
    let (b, reg) = match check_bundle(&bytes, &key, &name) {
        Ok(x) => x,
        Err(m) => return fail(m),
    };
    let expired = b.is_expired(utc::now());
    let r = VerifyReport {
        file: name,
        version: &b.payload.version,
        serial: b.payload.serial,
        created: &b.payload.created,
        expires: &b.payload.expires,
        expired,
        digest: &b.payload.digest,
        key_id: key_id_hex(&key.key_id),
        files: b.payload.files.len(),
        vendors: reg.vendors.len(),
        trusted_comment: &b.trusted_comment,
    };
    // An expired bundle verifies as signed but is not usable: `registry update` refuses it
    // (a freeze), so verify fails too, after printing what it found.
    let mut messages = Vec::new();
    if expired {
        messages.push(format!(
            "error: the bundle expired at {}; `registry update` refuses it without --allow-downgrade",
            r.expires
        ));
    }
    let stdout = match format {
        InspectFormat::Json => {
            let mut s = serde_json::to_string_pretty(&r).unwrap_or_default();
            s.push('\n');
            s
        }
        InspectFormat::Table => format!(
            "{}: good signature from key {}\n  registry {} serial {}, {} files, {} vendors\n  digest {}\n  created {}, expires {}{}\n",
            terminal_safe(&r.file),
            r.key_id,
            terminal_safe(r.version),
            r.serial,
            r.files,
            r.vendors,
            r.digest,
            r.created,
            r.expires,
            if expired { " (EXPIRED)" } else { "" }
        ),
    };
    let mut out = ok(stdout, messages);
    if expired {
        out.status = Status::Error;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// update
// ---------------------------------------------------------------------------------------------

pub(super) struct UpdateArgs<'a> {
    pub url: Option<&'a str>,
    pub pubkey: Option<&'a Path>,
    pub allow_downgrade: bool,
    pub net: &'a NetArgs,
}

pub(super) fn update(a: &UpdateArgs<'_>, policy: &Policy) -> Outcome {
    let Some(url) = a.url.or(policy.registry.url.as_deref()) else {
        return fail(vec![
            "error: no update URL: give --url URL or set `url` under [registry] in bomvet.toml (bomvet has no built-in update URL)".into(),
        ]);
    };
    let key = match configured_key(a.pubkey, policy) {
        Ok(Some(k)) => k,
        Ok(None) => {
            return fail(vec![
                "error: no public key: give --pubkey FILE or set `pubkey` under [registry] in bomvet.toml; nothing is installed unverified".into(),
            ])
        }
        Err(m) => return fail(m),
    };
    let cache = match Cache::locate() {
        Ok(c) => c,
        Err(e) => return fail(vec![format!("error: {e}")]),
    };
    // The installed bundle, checked with the new key or (after a key rotation) with the key it
    // was installed with: a rotation must not lose the rollback check.
    let current = cache
        .current(&key)
        .or_else(|| cache.trusted_key(None).and_then(|k| cache.current(&k)));
    let state = cache.state();
    let etag = match (&current, &state) {
        (Some(_), State { url: Some(u), etag }) if u == url => etag.clone(),
        _ => None,
    };
    let opts = a.net.fetch_options();
    let bar = std::io::stderr().is_terminal().then(|| {
        let pb = indicatif::ProgressBar::new(0);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg} {bar:30} {bytes}/{total_bytes} {bytes_per_sec}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        pb.set_message("registry bundle");
        pb
    });
    let progress = |done: u64, total: Option<u64>| {
        if let Some(pb) = &bar {
            if let Some(t) = total {
                pb.set_length(t);
            }
            pb.set_position(done);
        }
    };
    let fetched = net::fetch(url, etag.as_deref(), &opts, Some(&progress));
    if let Some(pb) = &bar {
        pb.finish_and_clear();
    }
    let refused = |mut m: Vec<String>| {
        m.push(format!(
            "error: the bundle from {} was refused; the installed registry is unchanged",
            terminal_safe(url)
        ));
        fail(m)
    };
    let (bytes, new_etag) = match fetched {
        Ok(Fetched::NotModified) => {
            let serial = current.as_ref().map_or(0, |b| b.payload.serial);
            return ok(
                format!("registry bundle unchanged (304 Not Modified); serial {serial} stays installed\n"),
                Vec::new(),
            );
        }
        Ok(Fetched::Body { bytes, etag }) => (bytes, etag),
        Err(e) => return refused(vec![format!("error: {e}")]),
    };
    let (b, _reg) = match check_bundle(&bytes, &key, url) {
        Ok(x) => x,
        Err(m) => return refused(m),
    };
    let installed = current
        .as_ref()
        .map(|c| (c.payload.serial, c.payload.digest.as_str()));
    if let Err(e) = b.check_install(installed, utc::now(), a.allow_downgrade) {
        return refused(vec![format!("error: {e}")]);
    }
    let new_state = State {
        url: Some(url.to_string()),
        etag: new_etag,
    };
    let same = current.as_ref().is_some_and(|c| {
        c.payload.digest == b.payload.digest && c.payload.serial == b.payload.serial
    });
    if same {
        if let Err(e) = cache.save_state(&new_state) {
            return fail(vec![format!("error: {e}")]);
        }
        return ok(
            format!(
                "registry bundle serial {} is already installed\n",
                b.payload.serial
            ),
            Vec::new(),
        );
    }
    if let Err(e) = cache.install(&bytes, &key, &new_state) {
        return fail(vec![
            format!("error: {e}"),
            "error: the installed registry is unchanged".into(),
        ]);
    }
    let mut messages = Vec::new();
    let (_, embedded_serial) = meta_of(&registry::embedded_files());
    if b.payload.serial <= embedded_serial {
        messages.push(format!(
            "note: the registry built into bomvet has serial {embedded_serial}, not lower than this bundle's; audit keeps using the built-in one"
        ));
    }
    ok(
        format!(
            "installed registry {} serial {} ({}), expires {}, into {}\n",
            b.payload.version,
            b.payload.serial,
            b.payload.digest,
            b.payload.expires,
            cache.current_path().display()
        ),
        messages,
    )
}

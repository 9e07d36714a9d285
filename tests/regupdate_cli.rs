//! Registry updates, overlays and SBOMs from URLs, end to end: the real binary against a real
//! HTTP server on 127.0.0.1 (tiny_http), with every bundle signed in the test and installed
//! into a temporary `BOMVET_CACHE_DIR`. No traffic leaves the loopback interface; timeouts and
//! retry delays are short so that the whole file runs in a few seconds.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use bomvet::registry::bundle::{self, NewBundle};
use bomvet::registry::minisign::SecretKey;
use bomvet::registry::SourceFile;
use serde_json::Value;

mod common;
use common::*;

/// A fresh temporary directory for one test.
struct Tmp(PathBuf);

impl Tmp {
    fn new(name: &str) -> Tmp {
        let d =
            std::env::temp_dir().join(format!("bomvet-regupdate-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Tmp(d)
    }
    fn path(&self, p: &str) -> PathBuf {
        self.0.join(p)
    }
}

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The binary with its own registry cache directory `cache`.
fn bomvet(cache: &Path) -> Command {
    let mut c = common::bomvet();
    c.env("BOMVET_CACHE_DIR", cache);
    c
}

// ---------------------------------------------------------------------------------------------
// A loopback HTTP server driven by a handler; it stops when dropped.
// ---------------------------------------------------------------------------------------------

struct Hit {
    if_none_match: Option<String>,
}

type Handler = dyn Fn(usize, &Hit) -> Reply + Send + Sync;

enum Reply {
    Body {
        status: u16,
        body: Vec<u8>,
        etag: Option<String>,
    },
    NotModified,
    Stall(Duration),
}

struct Server {
    url: String,
    hits: Arc<AtomicUsize>,
    seen: Arc<Mutex<Vec<Option<String>>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(handler: Box<Handler>) -> Server {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let port = server.server_addr().to_ip().unwrap().port();
        let hits = Arc::new(AtomicUsize::new(0));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::from(handler);
        let (h, s, st) = (hits.clone(), seen.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            // Bounded: at most 30 s, and ends as soon as the test drops the server.
            let deadline = Instant::now() + Duration::from_secs(30);
            while !st.load(Ordering::Relaxed) && Instant::now() < deadline {
                let Ok(Some(req)) = server.recv_timeout(Duration::from_millis(20)) else {
                    continue;
                };
                let n = h.fetch_add(1, Ordering::SeqCst);
                let inm = req
                    .headers()
                    .iter()
                    .find(|x| x.field.equiv("If-None-Match"))
                    .map(|x| x.value.as_str().to_string());
                s.lock().unwrap().push(inm.clone());
                let handler = handler.clone();
                std::thread::spawn(move || {
                    let reply = handler(n, &Hit { if_none_match: inm });
                    let _ = match reply {
                        Reply::Body { status, body, etag } => {
                            let mut r =
                                tiny_http::Response::from_data(body).with_status_code(status);
                            if let Some(e) = etag {
                                r = r.with_header(
                                    tiny_http::Header::from_bytes("ETag", e.as_bytes()).unwrap(),
                                );
                            }
                            req.respond(r)
                        }
                        Reply::NotModified => req.respond(tiny_http::Response::empty(304)),
                        Reply::Stall(d) => {
                            std::thread::sleep(d);
                            req.respond(tiny_http::Response::empty(200))
                        }
                    };
                });
            }
        });
        Server {
            url: format!("http://127.0.0.1:{port}"),
            hits,
            seen,
            stop,
            thread: Some(thread),
        }
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(body: Vec<u8>) -> Server {
    Server::start(Box::new(move |_, _| Reply::Body {
        status: 200,
        body: body.clone(),
        etag: None,
    }))
}

// ---------------------------------------------------------------------------------------------
// Keys and bundles
// ---------------------------------------------------------------------------------------------

fn key(n: u8) -> SecretKey {
    SecretKey::from_seed([n; 32], [n; 8])
}

/// Files of the real registry directory with one extra designated vendor, so that a test can
/// tell the bundle's data from the embedded data.
fn registry_files(extra_vendor: bool) -> Vec<SourceFile> {
    let (mut files, problems) =
        bomvet::registry::read_dir(&root().join("vendor-registry")).unwrap();
    assert!(problems.is_empty());
    if extra_vendor {
        files.push(SourceFile {
            path: "vendors/bundleco.toml".into(),
            text: Cow::Borrowed(BUNDLECO),
        });
    }
    files
}

const BUNDLECO: &str = r#"id = "bundleco"
name = "BundleCo Cameras"
kind = "vendor"
hq_country = "CN"
summary = "Test vendor present only in the bundle."
status = "confirmed"
sources = ["fcc-covered-list"]

[[designation]]
id = "us-ndaa-fy2019-889-hytera-hikvision-dahua"
since = "2019-08-13"
status = "confirmed"
sources = ["fcc-covered-list"]
"#;

fn make_bundle(signer: &SecretKey, serial: u64, created: i64, expires: i64) -> Vec<u8> {
    let files = registry_files(true);
    bundle::create(
        &NewBundle {
            files: &files,
            version: "2099.01.01",
            serial,
            created,
            expires,
        },
        signer,
    )
}

fn now() -> i64 {
    bomvet::registry::utc::now()
}

fn good_bundle(serial: u64) -> Vec<u8> {
    make_bundle(&key(1), serial, now() - 60, now() + 86_400)
}

fn write_pubkey(tmp: &Tmp, k: &SecretKey) -> PathBuf {
    let p = tmp.path("trusted.pub");
    std::fs::write(&p, k.public().to_file()).unwrap();
    p
}

const FAST: &[&str] = &["--connect-timeout", "500ms", "--retry-delay", "10ms"];

fn update(tmp: &Tmp, url: &str, extra: &[&str]) -> (i32, String, String) {
    let pk = write_pubkey(tmp, &key(1));
    output(
        bomvet(&tmp.path("cache"))
            .args(["registry", "update", "--url", url, "--pubkey"])
            .arg(&pk)
            .args(FAST)
            .args(if extra.contains(&"--timeout") {
                &[][..]
            } else {
                &["--timeout", "2s"][..]
            })
            .args(extra),
    )
}

fn installed(tmp: &Tmp) -> Option<Vec<u8>> {
    std::fs::read(tmp.path("cache/registry/current.bundle")).ok()
}

fn sbom(tmp: &Tmp, supplier: &str) -> PathBuf {
    let p = tmp.path("app.cdx.json");
    let doc = serde_json::json!({
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "metadata": {"component": {"type": "application", "name": "app", "bom-ref": "app"}},
        "components": [{"type": "library", "name": "camsdk", "version": "1.0", "bom-ref": "c1",
                        "supplier": {"name": supplier}}],
        "dependencies": [{"ref": "app", "dependsOn": ["c1"]}]
    });
    std::fs::write(&p, serde_json::to_vec(&doc).unwrap()).unwrap();
    p
}

fn audit_json(tmp: &Tmp, args: &[&str]) -> (i32, Value, String) {
    let (code, out, err) = output(
        bomvet(&tmp.path("cache"))
            .args(["audit", "--format", "json"])
            .args(args),
    );
    (code, serde_json::from_str(&out).unwrap_or(Value::Null), err)
}

/// The vendor ids of every finding.
fn finding_vendors(report: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for d in report["documents"].as_array().into_iter().flatten() {
        for f in d["findings"].as_array().into_iter().flatten() {
            if let Some(v) = f["vendor"]["id"].as_str() {
                out.push(v.to_string());
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Updating
// ---------------------------------------------------------------------------------------------

#[test]
fn a_good_bundle_is_installed_and_then_used_by_audit() {
    let tmp = Tmp::new("good");
    let app = sbom(&tmp, "BundleCo Cameras");
    let app = app.to_str().unwrap();
    // Before: the embedded registry does not know the vendor.
    let (_, before, _) = audit_json(&tmp, &[app]);
    assert_eq!(before["registry"]["layers"][0]["kind"], "embedded");
    assert!(!finding_vendors(&before).contains(&"bundleco".to_string()));

    let server = serve(good_bundle(100));
    let (code, out, err) = update(&tmp, &format!("{}/registry.bundle", server.url), &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("serial 100"), "{out}");
    assert!(installed(&tmp).is_some());

    // The vendor is designated for certain uses (§889): deny once the use context is declared.
    let (code, after, err) = audit_json(&tmp, &[app, "--use-context", "public-safety"]);
    assert_eq!(code, 1, "{err}\n{after:#}");
    let layer = &after["registry"]["layers"][0];
    assert_eq!(layer["kind"], "bundle");
    assert_eq!(layer["serial"], 100);
    assert_eq!(after["registry"]["serial"], 100);
    assert_eq!(after["registry"]["digest"], layer["digest"]);
    assert!(finding_vendors(&after).contains(&"bundleco".to_string()));

    // `registry status` names the same layer.
    let (code, out, _) =
        output(bomvet(&tmp.path("cache")).args(["registry", "status", "--format", "json"]));
    assert_eq!(code, 0);
    let status: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(status["layers"][0]["kind"], "bundle");
    assert_eq!(status["layers"][0]["serial"], 100);
    assert!(status["layers"][0]["expires"].is_string());
    assert_eq!(status["active_digest"], layer["digest"]);
    let keys: Vec<&str> = status["layers"][0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["created", "digest", "expires", "kind", "serial", "source", "version"]
    );
}

/// Install serial 50, then offer `bad`: it must be refused with exit 2 and the installed
/// bundle must stay byte for byte the same.
fn refused_and_unchanged(name: &str, bad: Vec<u8>, expect: &str) {
    let tmp = Tmp::new(name);
    let first = serve(good_bundle(50));
    let (code, _, err) = update(&tmp, &first.url, &[]);
    assert_eq!(code, 0, "{err}");
    let before = installed(&tmp).unwrap();
    let server = serve(bad);
    let (code, _, err) = update(&tmp, &server.url, &[]);
    assert_eq!(code, 2, "{name}: {err}");
    assert!(err.contains(expect), "{name}: {err}");
    assert!(err.contains("installed registry is unchanged"), "{err}");
    assert_eq!(installed(&tmp).unwrap(), before, "{name}");
}

#[test]
fn a_bundle_with_one_flipped_byte_is_refused() {
    let mut b = good_bundle(60);
    let n = b.len() - 40;
    b[n] ^= 0x01;
    refused_and_unchanged("flipped", b, "signature");
}

#[test]
fn a_bundle_signed_by_another_key_is_refused() {
    refused_and_unchanged(
        "otherkey",
        make_bundle(&key(2), 60, now() - 60, now() + 86_400),
        "not by the trusted key",
    );
}

#[test]
fn an_older_serial_is_refused_as_a_rollback_unless_allowed() {
    refused_and_unchanged("rollback", good_bundle(40), "rollback");
    // --allow-downgrade accepts it.
    let tmp = Tmp::new("rollback-allowed");
    let (s1, s2) = (serve(good_bundle(50)), serve(good_bundle(40)));
    assert_eq!(update(&tmp, &s1.url, &[]).0, 0);
    let (code, out, err) = update(&tmp, &s2.url, &["--allow-downgrade"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("serial 40"));
    assert!(tmp.path("cache/registry/previous.bundle").is_file());
}

#[test]
fn an_expired_bundle_is_refused_as_a_freeze() {
    refused_and_unchanged(
        "expired",
        make_bundle(&key(1), 60, now() - 200 * 86_400, now() - 20 * 86_400),
        "freeze",
    );
}

#[test]
fn verify_fails_on_an_expired_bundle_but_still_shows_it() {
    let tmp = Tmp::new("verify-expired");
    let bundle = tmp.path("old.bundle");
    std::fs::write(
        &bundle,
        make_bundle(&key(1), 61, now() - 200 * 86_400, now() - 20 * 86_400),
    )
    .unwrap();
    let pubkey = write_pubkey(&tmp, &key(1));
    let (code, stdout, err) = output(
        bomvet(&tmp.path("cache"))
            .args(["registry", "verify", "--format", "json", "--pubkey"])
            .arg(&pubkey)
            .arg(&bundle),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("expired"), "{err}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["expired"], true);
    assert_eq!(v["serial"], 61);
    // The same bundle within its validity verifies.
    std::fs::write(
        &bundle,
        make_bundle(&key(1), 62, now() - 86_400, now() + 86_400),
    )
    .unwrap();
    let (code, _, err) = output(
        bomvet(&tmp.path("cache"))
            .args(["registry", "verify", "--pubkey"])
            .arg(&pubkey)
            .arg(&bundle),
    );
    assert_eq!(code, 0, "{err}");
}

#[test]
fn an_unchanged_bundle_is_not_downloaded_again_304() {
    let tmp = Tmp::new("etag");
    let body = good_bundle(70);
    let server = Server::start(Box::new(move |_, hit| {
        if hit.if_none_match.as_deref() == Some("\"v70\"") {
            Reply::NotModified
        } else {
            Reply::Body {
                status: 200,
                body: body.clone(),
                etag: Some("\"v70\"".into()),
            }
        }
    }));
    assert_eq!(update(&tmp, &server.url, &[]).0, 0);
    let (code, out, err) = update(&tmp, &server.url, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("304"), "{out}");
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen, [None, Some("\"v70\"".to_string())]);
}

#[test]
fn a_500_is_retried_and_then_succeeds() {
    let tmp = Tmp::new("retry");
    let body = good_bundle(80);
    let server = Server::start(Box::new(move |n, _| Reply::Body {
        status: if n == 0 { 500 } else { 200 },
        body: if n == 0 {
            b"oops".to_vec()
        } else {
            body.clone()
        },
        etag: None,
    }));
    let (code, _, err) = update(&tmp, &server.url, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(server.hits(), 2);
}

#[test]
fn a_404_is_not_retried() {
    let tmp = Tmp::new("404");
    let server = Server::start(Box::new(|_, _| Reply::Body {
        status: 404,
        body: Vec::new(),
        etag: None,
    }));
    let (code, _, err) = update(&tmp, &server.url, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("HTTP 404"), "{err}");
    assert_eq!(server.hits(), 1);
    assert!(installed(&tmp).is_none());
}

#[test]
fn a_stalled_server_times_out() {
    let tmp = Tmp::new("stall");
    let server = Server::start(Box::new(|_, _| Reply::Stall(Duration::from_secs(3))));
    let start = Instant::now();
    let (code, _, err) = update(&tmp, &server.url, &["--timeout", "300ms"]);
    assert_eq!(code, 2);
    assert!(err.contains("timed out"), "{err}");
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(server.hits(), 1, "a timeout is not retried");
}

#[test]
fn a_response_over_the_size_cap_is_refused() {
    let tmp = Tmp::new("cap");
    let server = serve(good_bundle(90));
    let (code, _, err) = update(&tmp, &server.url, &["--max-download", "1K"]);
    assert_eq!(code, 2);
    assert!(err.contains("larger than the limit of 1024 bytes"), "{err}");
    assert!(installed(&tmp).is_none());
}

#[test]
fn an_update_without_a_public_key_installs_nothing() {
    let tmp = Tmp::new("nokey");
    let server = serve(good_bundle(90));
    let (code, _, err) = output(
        bomvet(&tmp.path("cache"))
            .args(["registry", "update", "--url"])
            .arg(&server.url),
    );
    assert_eq!(code, 2);
    assert!(err.contains("no public key"), "{err}");
    assert_eq!(server.hits(), 0);
}

#[test]
fn the_policy_file_gives_url_and_key() {
    let tmp = Tmp::new("policy");
    let server = serve(good_bundle(95));
    write_pubkey(&tmp, &key(1));
    let policy = tmp.path("bomvet.toml");
    std::fs::write(
        &policy,
        format!(
            "[registry]\nurl = \"{}\"\npubkey = \"trusted.pub\"\n",
            server.url
        ),
    )
    .unwrap();
    let (code, out, err) = output(
        bomvet(&tmp.path("cache"))
            .args(["registry", "update", "--policy"])
            .arg(&policy)
            .args(FAST),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("serial 95"));
}

// ---------------------------------------------------------------------------------------------
// Bundles and keys on the command line; minisign interoperability
// ---------------------------------------------------------------------------------------------

#[test]
fn keygen_bundle_and_verify_round_trip_and_refuse_a_registry_with_errors() {
    let tmp = Tmp::new("cli");
    let prefix = tmp.path("k");
    let (code, _, err) = output(
        bomvet(&tmp.path("cache"))
            .args(["registry", "keygen", "--output"])
            .arg(&prefix),
    );
    assert_eq!(code, 0, "{err}");
    // Not overwritten without --force.
    let (code, _, err) = output(
        bomvet(&tmp.path("cache"))
            .args(["registry", "keygen", "--output"])
            .arg(&prefix),
    );
    assert_eq!(code, 2);
    assert!(err.contains("--force"), "{err}");

    let out = tmp.path("r.bundle");
    let (code, _, err) = output(
        bomvet(&tmp.path("cache"))
            .args([
                "registry",
                "bundle",
                "tests/fixtures/registry",
                "--serial",
                "12",
                "--key",
            ])
            .arg(tmp.path("k.key"))
            .arg("--output")
            .arg(&out),
    );
    assert_eq!(code, 0, "{err}");
    let (code, stdout, err) = output(
        bomvet(&tmp.path("cache"))
            .args(["registry", "verify", "--format", "json", "--pubkey"])
            .arg(tmp.path("k.pub"))
            .arg(&out),
    );
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["serial"], 12);
    assert_eq!(v["version"], "2026.01.15");
    assert_eq!(v["expired"], false);

    // A registry with a lint error is never bundled.
    let broken = tmp.path("broken");
    std::fs::create_dir_all(broken.join("vendors")).unwrap();
    for f in [
        "registry.toml",
        "sources.toml",
        "designations.toml",
        "countries.toml",
    ] {
        std::fs::copy(
            root().join("tests/fixtures/registry").join(f),
            broken.join(f),
        )
        .unwrap();
    }
    std::fs::write(broken.join("vendors/x.toml"), "id = \"x\"\nbogus = 1\n").unwrap();
    let (code, _, err) = output(
        bomvet(&tmp.path("cache"))
            .args(["registry", "bundle"])
            .arg(&broken)
            .arg("--key")
            .arg(tmp.path("k.key"))
            .arg("--output")
            .arg(tmp.path("broken.bundle")),
    );
    assert_eq!(code, 2, "{err}");
    assert!(!tmp.path("broken.bundle").exists());
}

fn minisign_available() -> bool {
    std::process::Command::new("minisign")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn minisign_verifies_our_bundles_and_we_use_its_keys() {
    if !minisign_available() {
        eprintln!("note: `minisign` is not installed; skipping the cross-check with it");
        return;
    }
    let tmp = Tmp::new("minisign");
    // Our signature, their verifier: split the bundle into payload and signature file.
    let b = good_bundle(3);
    let (sig, payload) = bundle::split(&b).unwrap();
    std::fs::write(tmp.path("payload.json"), payload).unwrap();
    std::fs::write(tmp.path("payload.json.minisig"), &sig).unwrap();
    write_pubkey(&tmp, &key(1));
    let out = std::process::Command::new("minisign")
        .args(["-V", "-q", "-p"])
        .arg(tmp.path("trusted.pub"))
        .arg("-m")
        .arg(tmp.path("payload.json"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Their key pair and signature, our verifier: sign an unsigned payload with minisign and
    // assemble the bundle as docs/registry-updates.md describes.
    let st = std::process::Command::new("minisign")
        .args(["-G", "-W", "-f", "-p"])
        .arg(tmp.path("m.pub"))
        .arg("-s")
        .arg(tmp.path("m.key"))
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let (code, _, err) = output(
        bomvet(&tmp.path("cache"))
            .args([
                "registry",
                "bundle",
                "tests/fixtures/registry",
                "--unsigned",
                "--output",
            ])
            .arg(tmp.path("p.json")),
    );
    assert_eq!(code, 0, "{err}");
    let st = std::process::Command::new("minisign")
        .args(["-S", "-s"])
        .arg(tmp.path("m.key"))
        .arg("-m")
        .arg(tmp.path("p.json"))
        .args(["-t", "bomvet registry bundle"])
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let assembled = bundle::assemble(
        &std::fs::read(tmp.path("p.json")).unwrap(),
        &std::fs::read_to_string(tmp.path("p.json.minisig")).unwrap(),
    );
    std::fs::write(tmp.path("m.bundle"), assembled).unwrap();
    let (code, out, err) = output(
        bomvet(&tmp.path("cache"))
            .args(["registry", "verify", "--pubkey"])
            .arg(tmp.path("m.pub"))
            .arg(tmp.path("m.bundle")),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("good signature"));
    // And our bundle command signs with minisign's secret key.
    let (code, _, err) = output(
        bomvet(&tmp.path("cache"))
            .args(["registry", "bundle", "tests/fixtures/registry", "--key"])
            .arg(tmp.path("m.key"))
            .arg("--output")
            .arg(tmp.path("m2.bundle")),
    );
    assert_eq!(code, 0, "{err}");
}

// ---------------------------------------------------------------------------------------------
// Overlays
// ---------------------------------------------------------------------------------------------

const OVERLAY_DESIGNATIONS: &str = r#"[[designation]]
id = "org-internal-deny"
title = "Example agency internal deny list"
authority = "Example Agency CISO"
jurisdiction = "US"
scope = "named-entities"
summary = "Vendors the agency does not buy from."
status = "confirmed"
sources = ["org-deny-memo"]

[sources.org-deny-memo]
title = "Internal memo 2026-17"
publisher = "Example Agency"
date = "2026-11-01"
document = "MEMO-2026-17"
"#;

const OVERLAY_VENDOR: &str = r#"id = "newco-surveillance"
name = "NewCo Surveillance"
kind = "vendor"
hq_country = "CN"
summary = "Camera maker the agency denies."
status = "confirmed"
sources = ["org-deny-memo"]

[[designation]]
id = "org-internal-deny"
since = "2026-11-01"
status = "confirmed"
sources = ["org-deny-memo"]
"#;

fn overlay(tmp: &Tmp, extra: &[(&str, &str)]) -> PathBuf {
    let d = tmp.path("overlay");
    std::fs::create_dir_all(d.join("vendors")).unwrap();
    std::fs::write(d.join("designations.toml"), OVERLAY_DESIGNATIONS).unwrap();
    std::fs::write(d.join("vendors/newco-surveillance.toml"), OVERLAY_VENDOR).unwrap();
    std::fs::write(
        d.join("overlay.toml"),
        "[overlay]\nversion = \"2026.11.01\"\nserial = 3\n",
    )
    .unwrap();
    for (p, text) in extra {
        std::fs::write(d.join(p), text).unwrap();
    }
    d
}

#[test]
fn an_overlay_adds_a_vendor_that_audit_then_finds() {
    let tmp = Tmp::new("overlay");
    let ov = overlay(&tmp, &[]);
    let app = sbom(&tmp, "NewCo Surveillance");
    let (code, report, err) = audit_json(
        &tmp,
        &[
            app.to_str().unwrap(),
            "--registry-overlay",
            ov.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(finding_vendors(&report), ["newco-surveillance"]);
    let layers = report["registry"]["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 2);
    assert_eq!(layers[1]["kind"], "overlay");
    assert_eq!(layers[1]["serial"], 3);
    assert_ne!(report["registry"]["digest"], layers[0]["digest"]);
    // Without the overlay the vendor is unknown.
    let (code, report, _) = audit_json(&tmp, &[app.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(finding_vendors(&report).is_empty());
    // `overlays = [...]` in the policy file works the same way.
    let policy = tmp.path("bomvet.toml");
    std::fs::write(&policy, "[registry]\noverlays = [\"overlay\"]\n").unwrap();
    let (code, report, err) = audit_json(
        &tmp,
        &[app.to_str().unwrap(), "--policy", policy.to_str().unwrap()],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(finding_vendors(&report), ["newco-surveillance"]);
}

#[test]
fn an_overlay_that_changes_a_base_claim_is_an_error_unless_overridden_with_a_reason() {
    let tmp = Tmp::new("conflict");
    let ov = overlay(&tmp, &[("vendors/kaspersky.toml", "hq_country = \"US\"\n")]);
    let app = sbom(&tmp, "NewCo Surveillance");
    let (code, _, err) = audit_json(
        &tmp,
        &[
            app.to_str().unwrap(),
            "--registry-overlay",
            ov.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("overlay-conflict") || err.contains("conflicts with the base"),
        "{err}"
    );
    assert!(err.contains("hq_country"), "{err}");
    // `registry lint` checks base and overlay together and reports the same conflict.
    let (code, out, _) = output(
        bomvet(&tmp.path("cache"))
            .args(["registry", "lint", "--registry-overlay"])
            .arg(&ov),
    );
    assert_eq!(code, 2);
    assert!(
        out.contains("vendors/kaspersky.toml") && out.contains("hq_country"),
        "{out}"
    );

    // Marked as an override with a reason: accepted, and the report shows it.
    std::fs::write(
        ov.join("vendors/kaspersky.toml"),
        "override = true\nreason = \"test: agency ruling\"\nhq_country = \"US\"\n",
    )
    .unwrap();
    let (code, report, err) = audit_json(
        &tmp,
        &[
            app.to_str().unwrap(),
            "--registry-overlay",
            ov.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "{err}");
    let o = &report["registry"]["layers"][1]["overrides"][0];
    assert_eq!(o["key"], "hq_country");
    assert_eq!(o["reason"], "test: agency ruling");
    // The table names every layer and the override too.
    let (_, table, _) = output(
        bomvet(&tmp.path("cache"))
            .arg("audit")
            .arg(&app)
            .arg("--registry-overlay")
            .arg(&ov),
    );
    assert!(table.contains("layer embedded"), "{table}");
    assert!(table.contains("layer overlay"), "{table}");
    assert!(
        table.contains("overrides") && table.contains("test: agency ruling"),
        "{table}"
    );
}

#[test]
fn an_overlay_reference_that_dangles_into_the_base_is_a_lint_error() {
    let tmp = Tmp::new("dangling");
    let ov = overlay(
        &tmp,
        &[(
            "vendors/kaspersky.toml",
            "[[designation]]\nid = \"no-such-designation\"\nsince = \"2020\"\nstatus = \"confirmed\"\nsources = [\"org-deny-memo\"]\n",
        )],
    );
    let (code, out, _) = output(
        bomvet(&tmp.path("cache"))
            .args(["registry", "lint", "--registry-overlay"])
            .arg(&ov),
    );
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("no-such-designation"), "{out}");
}

// ---------------------------------------------------------------------------------------------
// SBOMs from URLs
// ---------------------------------------------------------------------------------------------

#[test]
fn audit_reads_an_sbom_from_a_url_and_offline_forbids_it() {
    let tmp = Tmp::new("url");
    let bytes = std::fs::read(root().join("samples/vms-server.cdx.json")).unwrap();
    let server = serve(bytes);
    let url = format!("{}/sbom.cdx.json", server.url);
    let (code, report, err) = audit_json(&tmp, &[&url]);
    assert!(code == 0 || code == 1, "{err}");
    assert_eq!(report["documents"][0]["source"], url);
    assert_eq!(report["documents"].as_array().unwrap().len(), 1);

    let (code, report, _) = audit_json(&tmp, &["--offline", &url]);
    assert_eq!(code, 2);
    assert_eq!(report["errors"][0]["kind"], "offline");
    assert_eq!(server.hits(), 1, "--offline made no request");
}

#[test]
fn a_failed_fetch_is_a_per_input_error_and_other_inputs_are_still_audited() {
    let tmp = Tmp::new("url-fail");
    let server = Server::start(Box::new(|_, _| Reply::Body {
        status: 404,
        body: Vec::new(),
        etag: None,
    }));
    let url = format!("{}/missing.json", server.url);
    let (code, report, _) = audit_json(&tmp, &[&url, "samples/vms-server.cdx.json"]);
    assert_eq!(code, 2);
    assert_eq!(report["errors"].as_array().unwrap().len(), 1);
    assert_eq!(report["errors"][0]["source"], url);
    assert_eq!(report["documents"].as_array().unwrap().len(), 1);
}

#[test]
fn inspect_reads_an_sbom_from_a_url() {
    let tmp = Tmp::new("inspect-url");
    let bytes = std::fs::read(root().join("samples/vms-server.cdx.json")).unwrap();
    let server = serve(bytes);
    let (code, out, err) = output(
        bomvet(&tmp.path("cache"))
            .args(["inspect", "--format", "json"])
            .arg(format!("{}/x", server.url)),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("cyclonedx"), "{out}");
}

#[test]
fn status_warns_when_the_registry_is_older_than_max_age() {
    let tmp = Tmp::new("age");
    let policy = tmp.path("bomvet.toml");
    let status = || {
        output(
            bomvet(&tmp.path("cache"))
                .args([
                    "registry",
                    "status",
                    "--registry",
                    "tests/fixtures/registry",
                    "--policy",
                ])
                .arg(&policy),
        )
    };
    std::fs::write(&policy, "[registry]\nmax_age = 1\n").unwrap();
    // The fixture registry's calendar version is 2026.01.15, more than a day ago.
    let (code, out, err) = status();
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("dir"), "{out}");
    assert!(err.contains("older than 1 days"), "{err}");
    // With the default (90 days) relative to the version date, and a far larger maximum, no warning.
    std::fs::write(&policy, "[registry]\nmax_age = \"36500d\"\n").unwrap();
    let (_, _, err) = status();
    assert!(!err.contains("older than"), "{err}");
}

#[test]
fn a_left_over_temporary_file_from_a_killed_update_is_ignored() {
    let tmp = Tmp::new("killed");
    let server = serve(good_bundle(55));
    assert_eq!(update(&tmp, &server.url, &[]).0, 0);
    // A killed update leaves at most a partial temporary file beside the installed bundle.
    let partial = good_bundle(56);
    std::fs::write(
        tmp.path("cache/registry/.current.bundle.tmp-99999"),
        &partial[..partial.len() / 2],
    )
    .unwrap();
    let app = sbom(&tmp, "BundleCo Cameras");
    let (_, report, err) = audit_json(&tmp, &[app.to_str().unwrap()]);
    assert_eq!(report["registry"]["layers"][0]["serial"], 55, "{err}");
    assert!(err.is_empty() || !err.contains("warning"), "{err}");
}

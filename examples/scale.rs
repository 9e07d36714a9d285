//! The scale tool behind `scripts/bench.sh`: times bomvet's whole audit of one file against a
//! raw parse of the same bytes, in one process, and checks the result against the generator's
//! truth file. Also writes the other benchmark inputs (a batch of small SBOMs, the ladder graph,
//! a padded registry).
//!
//! ```text
//! scale audit FILE [--truth FILE] [--runs N] [--registry DIR] [--no-read] [--jobs N]
//!                  [--label TEXT] [--peak-rss-kb N]
//! scale table < results.jsonl
//! scale batch DIR --count N [--components N] [--seed S]
//! scale ladder FILE --rungs N [--truth FILE]
//! scale registry DIR [--factor N]
//! ```
//!
//! `audit` prints one JSON object: for each of the raw parse (`bomvet::sbomgen::raw`, chosen
//! from the first byte), bomvet's read alone (`bomvet::sbom::read_vec` of bytes it owns, the
//! model dropped outside the measurement) and the whole audit
//! (`bomvet::commands::audit::run`, exactly what `bomvet audit FILE --format json` runs:
//! reading the file, attribution, exposure, verdicts, rendering), the median on-CPU and wall
//! time of `--runs` rounds (the three are interleaved within a round, so load drifts hit all of
//! them alike); then the ratio audit / raw, and per planted component of the truth file
//! whether it was found with the expected code, exposure and a valid path. `--label` and
//! `--peak-rss-kb` (measured outside, by the script) are copied into the output; `table` turns
//! such lines into one Markdown table per label. The raw parse works
//! on bytes already in memory; the audit reads the file (from the page cache after the first
//! round) as the command does.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use bomvet::cli::{Cli, Command};
use bomvet::sbom::{read_bytes, read_vec, ReadOptions};
use bomvet::sbomgen::clock::{measure, median};
use bomvet::sbomgen::raw::RawKind;
use bomvet::sbomgen::{generate, ladder, registry, truth, truth_json, GenFormat};
use clap::Parser;
use serde_json::{json, Value};

// The allocator the `bomvet` binary uses (see `src/main.rs`), so that these figures are the
// binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage:
  scale audit FILE [--truth FILE] [--runs N] [--registry DIR] [--no-read] [--jobs N]
                   [--label TEXT] [--peak-rss-kb N]
  scale table < results.jsonl
  scale batch DIR --count N [--components N] [--seed S]
  scale ladder FILE --rungs N [--truth FILE]
  scale registry DIR [--factor N]";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("scale: {e}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Parsed `--name value` options and positional arguments.
struct Opts {
    positional: Vec<String>,
    named: Vec<(String, Option<String>)>,
}

impl Opts {
    fn parse(args: impl Iterator<Item = String>) -> Result<Opts, String> {
        const FLAGS: &[&str] = &["--no-read"];
        let mut positional = Vec::new();
        let mut named = Vec::new();
        let mut args = args.peekable();
        while let Some(a) = args.next() {
            if FLAGS.contains(&a.as_str()) {
                named.push((a, None));
            } else if a.starts_with("--") {
                let v = args.next().ok_or_else(|| format!("{a} needs a value"))?;
                named.push((a, Some(v)));
            } else {
                positional.push(a);
            }
        }
        Ok(Opts { positional, named })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.named
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    fn flag(&self, name: &str) -> bool {
        self.named.iter().any(|(n, _)| n == name)
    }

    fn num<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| format!("{name} {v}: not a number")),
        }
    }

    fn one(&self, what: &str) -> Result<&str, String> {
        match self.positional.as_slice() {
            [p] => Ok(p),
            _ => Err(format!("expected one {what}")),
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let mut args = std::env::args().skip(1);
    let cmd = args.next().ok_or("no command")?;
    let opts = Opts::parse(args)?;
    match cmd.as_str() {
        "audit" => audit(&opts),
        "table" => table().map(|()| ExitCode::SUCCESS),
        "batch" => batch(&opts).map(|()| ExitCode::SUCCESS),
        "ladder" => write_ladder(&opts).map(|()| ExitCode::SUCCESS),
        "registry" => {
            let dir = opts.one("directory")?;
            let n = registry::write_padded(Path::new(dir), opts.num("--factor", 10)?)
                .map_err(|e| format!("{dir}: {e}"))?;
            eprintln!("scale: {dir}: {n} registry files");
            Ok(ExitCode::SUCCESS)
        }
        "-h" | "--help" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command {other}")),
    }
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// Medians of a series of (cpu, wall) samples as JSON.
fn timing(cpu: &[Duration], wall: &[Duration]) -> Value {
    json!({"cpu_ms": ms(median(cpu)), "wall_ms": ms(median(wall))})
}

fn audit(opts: &Opts) -> Result<ExitCode, String> {
    let file = opts.one("input file")?;
    let runs: usize = opts.num("--runs", 5)?;
    let runs = runs.max(1);
    let bytes = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
    let kind = RawKind::sniff(&bytes).ok_or_else(|| format!("{file}: empty"))?;

    // One thread unless `--jobs N`: the CPU-time ratio compares one thread with one thread.
    let jobs = opts.get("--jobs").unwrap_or("1").to_string();
    let mut argv: Vec<String> = ["bomvet", "audit", "--format", "json", "--jobs", &jobs]
        .map(String::from)
        .to_vec();
    if let Some(r) = opts.get("--registry") {
        argv.extend(["--registry".to_string(), r.to_string()]);
    }
    argv.push(file.to_string());
    let cli = Cli::try_parse_from(&argv).map_err(|e| e.to_string())?;
    let Command::Audit(audit_args) = cli.command else {
        return Err("not an audit command line".into());
    };

    let read_opts = ReadOptions::default();
    let with_read = !opts.flag("--no-read");
    let (mut raw_c, mut raw_w) = (Vec::new(), Vec::new());
    let (mut read_c, mut read_w) = (Vec::new(), Vec::new());
    let (mut aud_c, mut aud_w) = (Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..runs {
        let (r, c, w) = measure(|| kind.scan(std::hint::black_box(&bytes)));
        r.ok_or_else(|| format!("{file}: the raw {} parse rejects it", kind.name()))?;
        raw_c.push(c);
        raw_w.push(w);
        if with_read {
            // bomvet reads bytes it owns (a file's, once read or mapped): handing them over and
            // dropping the model stay outside the measurement, as the raw parse neither copies
            // nor builds anything.
            let owned = bytes.clone();
            let (r, c, w) = measure(|| read_vec(file, std::hint::black_box(owned), &read_opts));
            drop(r.map_err(|e| format!("{file}: {e}"))?);
            read_c.push(c);
            read_w.push(w);
        }
        let ((outcome, _files), c, w) = measure(|| bomvet::commands::audit::run(&audit_args));
        aud_c.push(c);
        aud_w.push(w);
        last = Some(outcome);
    }
    let outcome = last.ok_or("no run")?;
    if outcome.stdout.is_empty() {
        return Err(format!(
            "{file}: audit failed: {}",
            outcome.messages.join("; ")
        ));
    }
    let report: Value =
        serde_json::from_str(&outcome.stdout).map_err(|e| format!("audit output: {e}"))?;
    let doc_report = report
        .pointer("/documents/0")
        .cloned()
        .unwrap_or(Value::Null);

    let raw_cpu = median(&raw_c);
    let aud_cpu = median(&aud_c);
    let ratio = |a: Duration, b: Duration| {
        if b.is_zero() {
            Value::Null
        } else {
            json!((a.as_secs_f64() / b.as_secs_f64() * 100.0).round() / 100.0)
        }
    };
    let mut out = json!({
        "file": file,
        "bytes": bytes.len(),
        "format": doc_report.get("format"),
        "components": doc_report.get("components"),
        "runs": runs,
        "raw_kind": kind.name(),
        "raw": timing(&raw_c, &raw_w),
        "read": if with_read { timing(&read_c, &read_w) } else { Value::Null },
        "audit": timing(&aud_c, &aud_w),
        "ratio_cpu": ratio(aud_cpu, raw_cpu),
        "ratio_wall": ratio(median(&aud_w), median(&raw_w)),
        "findings": doc_report.get("findings").and_then(Value::as_array).map(Vec::len),
        "registry": report.pointer("/registry/origin"),
        "label": opts.get("--label"),
    });
    if let Some(kb) = opts.get("--peak-rss-kb") {
        let kb: u64 = kb.parse().map_err(|_| format!("--peak-rss-kb {kb}"))?;
        out["peak_rss_bytes"] = json!(kb * 1024);
        out["rss_per_input"] =
            json!((kb as f64 * 1024.0 / bytes.len().max(1) as f64 * 100.0).round() / 100.0);
    }

    let mut ok = true;
    if let Some(t) = opts.get("--truth") {
        let text = std::fs::read_to_string(t).map_err(|e| format!("{t}: {e}"))?;
        let planted = truth::parse(&text).map_err(|e| format!("{t}: {e}"))?;
        let doc = read_bytes(file, &bytes, &read_opts).map_err(|e| format!("{file}: {e}"))?;
        drop(bytes);
        let verdicts = truth::check(&planted, &doc, &doc_report);
        let good = verdicts.iter().filter(|v| v.ok()).count();
        ok = good == verdicts.len();
        out["planted"] = json!(verdicts.len());
        out["planted_ok"] = json!(good);
        out["paths"] = json!(doc_report
            .get("findings")
            .and_then(Value::as_array)
            .map(|fs| {
                planted
                    .iter()
                    .filter_map(|p| {
                        fs.iter()
                            .find(|f| {
                                f.pointer("/component/ref").and_then(Value::as_str)
                                    == Some(&p.reference)
                            })
                            .and_then(|f| f.get("paths"))
                    })
                    .cloned()
                    .collect::<Vec<_>>()
            }));
        let bad: Vec<&truth::Verdict> = verdicts.iter().filter(|v| !v.ok()).collect();
        if !bad.is_empty() {
            out["problems"] = json!(bad);
        }
    }
    println!("{out}");
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `count` small documents in rotating formats, sizes 200 to 800 components.
fn batch(opts: &Opts) -> Result<(), String> {
    let dir = PathBuf::from(opts.one("directory")?);
    let count: usize = opts.num("--count", 1000)?;
    let components: usize = opts.num("--components", 500)?;
    let seed: u64 = opts.num("--seed", 1)?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let formats = [
        (GenFormat::CdxJson, "cdx.json"),
        (GenFormat::CdxXml, "cdx.xml"),
        (GenFormat::SpdxJson, "spdx.json"),
        (GenFormat::SpdxTagValue, "spdx"),
    ];
    let mut bytes = 0usize;
    for i in 0..count {
        let (format, ext) = formats[i % formats.len()];
        // 0.4x to 1.6x the requested size, so documents differ in cost.
        let n = components * (40 + (i * 37) % 121) / 100;
        let g = generate(format, n.max(1), seed + i as u64);
        let path = dir.join(format!("sbom-{i:05}.{ext}"));
        std::fs::write(&path, &g.text).map_err(|e| format!("{}: {e}", path.display()))?;
        bytes += g.text.len();
    }
    eprintln!("scale: {}: {count} documents, {bytes} bytes", dir.display());
    Ok(())
}

fn write_ladder(opts: &Opts) -> Result<(), String> {
    let file = opts.one("output file")?;
    let rungs: usize = opts.num("--rungs", 60)?;
    let g = ladder::ladder(rungs);
    std::fs::write(file, &g.text).map_err(|e| format!("{file}: {e}"))?;
    if let Some(t) = opts.get("--truth") {
        std::fs::write(t, truth_json(&g)).map_err(|e| format!("{t}: {e}"))?;
    }
    eprintln!(
        "scale: {file}: ladder of {rungs} levels, {} components, {} bytes",
        g.components + 1,
        g.text.len()
    );
    Ok(())
}

/// One Markdown table per label (in order of first appearance) from `audit` output lines.
fn table() -> Result<(), String> {
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    for line in std::io::stdin().lines() {
        let line = line.map_err(|e| format!("stdin: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(&line).map_err(|e| format!("stdin: {e}"))?;
        let label = v
            .get("label")
            .and_then(Value::as_str)
            .or_else(|| v.get("format").and_then(Value::as_str))
            .unwrap_or("?")
            .to_string();
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, rows)) => rows.push(v),
            None => groups.push((label, vec![v])),
        }
    }
    let num = |v: &Value, p: &str| v.pointer(p).and_then(Value::as_f64);
    let cell =
        |x: Option<f64>, digits: usize| x.map_or("–".to_string(), |x| format!("{x:.digits$}"));
    // Milliseconds: one decimal below 10 ms, none above.
    let ms_cell = |x: Option<f64>| cell(x, usize::from(x.is_some_and(|x| x < 10.0)));
    for (label, rows) in groups {
        let registries = rows.iter().any(|v| {
            v.get("registry")
                .and_then(Value::as_str)
                .is_some_and(|r| r != "embedded")
        });
        println!("\n#### {label}\n");
        if registries {
            print!("| registry ");
        }
        println!(
            "| components | bytes | raw parse (ms CPU) | read (ms CPU) | audit (ms CPU) | audit / raw | \
             audit (ms wall) | peak RSS (MB) | RSS / input | most paths | planted found, valid path |"
        );
        if registries {
            print!("|---");
        }
        println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for v in rows {
            if registries {
                let origin = v.get("registry").and_then(Value::as_str).unwrap_or("?");
                let name = Path::new(origin)
                    .file_name()
                    .map_or(origin.to_string(), |n| n.to_string_lossy().into_owned());
                print!("| {name} ");
            }
            let planted = match (num(&v, "/planted_ok"), num(&v, "/planted")) {
                (Some(ok), Some(all)) if ok == all => format!("{ok} / {all} yes"),
                (Some(ok), Some(all)) => format!("{ok} / {all} **NO**"),
                _ => "not checked".into(),
            };
            let most_paths = v
                .get("paths")
                .and_then(Value::as_array)
                .and_then(|a| a.iter().filter_map(Value::as_u64).max())
                .map_or("–".to_string(), |p| p.to_string());
            println!(
                "| {} | {} | {} | {} | {} | {}× | {} | {} | {}× | {} | {} |",
                cell(num(&v, "/components"), 0),
                cell(num(&v, "/bytes"), 0),
                ms_cell(num(&v, "/raw/cpu_ms")),
                ms_cell(num(&v, "/read/cpu_ms")),
                ms_cell(num(&v, "/audit/cpu_ms")),
                cell(num(&v, "/ratio_cpu"), 2),
                ms_cell(num(&v, "/audit/wall_ms")),
                cell(num(&v, "/peak_rss_bytes").map(|b| b / 1e6), 0),
                cell(num(&v, "/rss_per_input"), 2),
                most_paths,
                planted,
            );
        }
    }
    Ok(())
}

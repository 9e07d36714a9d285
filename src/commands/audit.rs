//! `bomvet audit`: read every input, audit each document, render one report.
//!
//! Documents are read and audited in parallel (one worker per core unless `--jobs`), and the
//! report lists them in input order whatever order they finish in. A registry or policy that
//! cannot be used stops the run before any input is read (exit 2); an input that cannot be read
//! or audited is an error entry in the report while the others are still audited.

use std::path::{Path, PathBuf};

use super::{Outcome, Status};
use crate::audit::{self, Auditor};
use crate::cli::{AuditArgs, AuditFormat, GateArgs};
use crate::inputs::{self, InputSpec, ReadOutcome};
use crate::policy::date::Day;
use crate::policy::{self, Code, Level, Policy, PolicyError, DEFAULT_POLICY_FILE};
use crate::registry::model::Registry;
use crate::report::{
    self, DocumentReport, ErrorEntry, PolicyInfo, RegistryInfo, Report, RunSummary, SkippedEntry,
    Submission, UnresolvedInfo, VendorRef,
};
use crate::sbom::ReadOptions;
use crate::vetting::manifest::{self, Manifest};
use crate::vetting::rollup;

fn fail(messages: Vec<String>) -> Outcome {
    Outcome {
        stdout: String::new(),
        messages,
        status: Status::Error,
    }
}

/// The policy from `--policy`, else `./bomvet.toml` if present, else the defaults; with the
/// command-line overrides applied.
fn load_policy(args: &GateArgs) -> Result<Policy, Vec<String>> {
    let policy_err = |e: PolicyError| {
        let mut m = vec![format!("error: {e}")];
        m.extend(e.lines().into_iter().map(|l| format!("  {l}")));
        m
    };
    let mut policy = match &args.policy {
        Some(p) => Policy::load(p, &p.display().to_string()).map_err(policy_err)?,
        None if Path::new(DEFAULT_POLICY_FILE).is_file() => {
            Policy::load(Path::new(DEFAULT_POLICY_FILE), DEFAULT_POLICY_FILE).map_err(policy_err)?
        }
        None => Policy::default(),
    };
    let mut problems = Vec::new();
    for u in &args.use_context {
        match policy::parse_use_context(u) {
            Some(c) if !policy.use_context.contains(&c) => policy.use_context.push(c),
            Some(_) => {}
            None => problems.push(format!(
                "error: --use-context {u:?} is not a use context (expected one of: {})",
                policy::use_context_names().join(", ")
            )),
        }
    }
    for (flag, list, level) in [
        ("--deny", &args.deny, Level::Deny),
        ("--warn", &args.warn, Level::Warn),
        ("--allow", &args.allow, Level::Allow),
    ] {
        for code in list {
            match Code::parse(code) {
                Some(c) => policy.set_level(c, level),
                None => problems.push(format!(
                    "error: {flag} {code:?} is not a finding code (codes: {})",
                    Code::ALL.map(Code::as_str).join(", ")
                )),
            }
        }
    }
    if problems.is_empty() {
        Ok(policy)
    } else {
        problems.push("hint: docs/codes.md lists every finding code".into());
        Err(problems)
    }
}

/// One rendering of the report: a format and where it goes (`None` = stdout).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub format: AuditFormat,
    pub output: Option<PathBuf>,
}

/// Pair each `--format` with the `--output` that follows it. `formats` and `outputs` carry
/// their command-line positions. One format and one output pair whatever their order (as
/// before several formats were allowed); no format means `table`. Errors name the ambiguity.
pub fn targets(
    formats: &[(usize, AuditFormat)],
    outputs: &[(usize, PathBuf)],
) -> Result<Vec<Target>, String> {
    let formats: Vec<(usize, AuditFormat)> = if formats.is_empty() {
        vec![(0, AuditFormat::Table)]
    } else {
        formats.to_vec()
    };
    let mut out: Vec<Target>;
    if formats.len() == 1 {
        if outputs.len() > 1 {
            return Err(format!(
                "{} --output options for one --format: give one --format before each --output",
                outputs.len()
            ));
        }
        out = vec![Target {
            format: formats[0].1,
            output: outputs.first().map(|(_, p)| p.clone()),
        }];
    } else {
        enum Arg<'a> {
            Format(AuditFormat),
            Output(&'a PathBuf),
        }
        let mut all: Vec<(usize, Arg)> =
            formats.iter().map(|(i, f)| (*i, Arg::Format(*f))).collect();
        all.extend(outputs.iter().map(|(i, p)| (*i, Arg::Output(p))));
        all.sort_by_key(|(i, _)| *i);
        out = Vec::new();
        for (_, a) in all {
            match a {
                Arg::Format(f) => out.push(Target {
                    format: f,
                    output: None,
                }),
                Arg::Output(p) => match out.last_mut() {
                    None => {
                        return Err(format!(
                            "--output {} comes before any --format: with several formats, put each --output after the --format it is for",
                            p.display()
                        ))
                    }
                    Some(t) if t.output.is_some() => {
                        return Err(format!(
                            "--output {} follows --format {}, which already has --output {}: each --format takes at most one --output",
                            p.display(),
                            t.format.name(),
                            t.output.as_ref().map(|o| o.display().to_string()).unwrap_or_default()
                        ))
                    }
                    Some(t) => t.output = Some(p.clone()),
                },
            }
        }
    }
    let to_stdout: Vec<&str> = out
        .iter()
        .filter(|t| t.output.is_none())
        .map(|t| t.format.name())
        .collect();
    if to_stdout.len() > 1 {
        return Err(format!(
            "formats {} would all go to stdout: give every format but one an --output FILE after it",
            to_stdout.join(", ")
        ));
    }
    for (i, t) in out.iter().enumerate() {
        if let Some(p) = &t.output {
            if out[..i].iter().any(|o| o.output.as_ref() == Some(p)) {
                return Err(format!(
                    "--output {} is given for two formats: each format needs its own file",
                    p.display()
                ));
            }
        }
    }
    Ok(out)
}

fn targets_of(args: &AuditArgs) -> Result<Vec<Target>, String> {
    // Positions come from `cli::parse`; without them, formats and outputs alternate.
    let fpos: Vec<usize> = if args.format_positions.len() == args.format.len() {
        args.format_positions.clone()
    } else {
        (0..args.format.len()).map(|i| 2 * i).collect()
    };
    let opos: Vec<usize> = if args.output_positions.len() == args.output.len() {
        args.output_positions.clone()
    } else {
        (0..args.output.len()).map(|i| 2 * i + 1).collect()
    };
    let formats: Vec<(usize, AuditFormat)> =
        fpos.into_iter().zip(args.format.iter().copied()).collect();
    let outputs: Vec<(usize, PathBuf)> =
        opos.into_iter().zip(args.output.iter().cloned()).collect();
    targets(&formats, &outputs)
}

/// Render the report in one format.
pub fn render(report: &Report, format: AuditFormat, color: bool) -> String {
    match format {
        AuditFormat::Json => report::json::render(report),
        AuditFormat::Table => report::table::render(report, color),
        AuditFormat::Sarif => report::sarif::render(report),
        AuditFormat::Junit => report::junit::render(report),
        AuditFormat::Markdown => report::markdown::render(report),
        AuditFormat::Csv => report::csv::render(report),
        AuditFormat::Html => report::html::render(report),
    }
}

/// Run `audit`: the outcome (stdout holds the one format without `--output`, if any) and the
/// renderings to write to files.
pub fn run(args: &AuditArgs) -> (Outcome, Vec<(PathBuf, String)>) {
    let targets = match targets_of(args) {
        Ok(t) => t,
        Err(m) => return (fail(vec![format!("error: {m}")]), Vec::new()),
    };
    let inventory = targets
        .iter()
        .any(|t| matches!(t.format, AuditFormat::Csv | AuditFormat::Html));
    let (report, messages) = match build_report(args, inventory) {
        Ok(r) => r,
        Err(o) => return (o, Vec::new()),
    };
    let status = report.status();
    let mut stdout = String::new();
    let mut files = Vec::new();
    for t in &targets {
        match &t.output {
            None => stdout = render(&report, t.format, crate::output::stdout_color()),
            Some(p) => files.push((p.clone(), render(&report, t.format, false))),
        }
    }
    (
        Outcome {
            stdout,
            messages,
            status,
        },
        files,
    )
}

/// The policy, registry and day a run is judged by (shared by `audit` and `diff`).
pub(crate) struct Gate {
    pub policy: Policy,
    pub active: super::regupdate::Active,
    pub today: Day,
}

impl Gate {
    pub fn registry(&self) -> &Registry {
        &self.active.reg
    }

    pub fn auditor(&self) -> Auditor<'_> {
        let reg = self.registry();
        Auditor::new(reg, reg.index(), &self.policy, self.today)
    }

    pub fn registry_info(&self) -> RegistryInfo {
        let reg = self.registry();
        RegistryInfo {
            version: reg.meta.version.clone(),
            serial: reg.meta.serial,
            digest: reg.meta.digest.clone(),
            origin: self.active.origin.clone(),
            layers: self.active.layers.clone(),
        }
    }

    pub fn policy_info(&self) -> PolicyInfo {
        policy_info(&self.policy, self.registry(), self.today)
    }
}

/// Load the policy and the registry and fix the day; an unusable one is an exit-2 outcome.
pub(crate) fn prepare(args: &GateArgs) -> Result<Gate, Outcome> {
    let policy = load_policy(args).map_err(fail)?;
    // The registry never touches the network here: installed bundles only (`registry update`).
    let active = super::regupdate::load_active(&super::regupdate::LayerRequest {
        dir: args.registry.as_deref(),
        overlays: &args.registry_overlay,
        policy: &policy,
    })?;
    let registry_problems = policy.check_against(&active.reg);
    if !registry_problems.is_empty() {
        let file = policy.source.clone().unwrap_or_default();
        let mut m = vec![format!(
            "error: policy file {file} names things the registry does not know"
        )];
        m.extend(registry_problems.iter().map(|p| format!("  {file}:{p}")));
        return Err(fail(m));
    }
    // The one place the clock is read; `--today` fixes it for tests.
    let today = args
        .today
        .unwrap_or_else(|| Day::from_system_time(std::time::SystemTime::now()));
    Ok(Gate {
        policy,
        active,
        today,
    })
}

/// Read, audit and assemble the report (with component inventories when `inventory`), plus
/// the messages for stderr; or the outcome of a registry or policy that cannot be used.
fn build_report(args: &AuditArgs, inventory: bool) -> Result<(Report, Vec<String>), Outcome> {
    let gate = prepare(&args.gate)?;
    let (policy, active, today) = (&gate.policy, &gate.active, gate.today);
    let reg: &Registry = &active.reg;

    let manifest = match &args.manifest {
        Some(m) => match manifest::load(m, &m.display().to_string()) {
            Ok(m) => Some(m),
            Err(e) => {
                let mut msgs = vec![format!("error: {e}")];
                msgs.extend(e.lines().into_iter().map(|l| format!("  {l}")));
                msgs.push("hint: docs/vetting.md describes the manifest format".into());
                return Err(fail(msgs));
            }
        },
        None => None,
    };
    let submissions = manifest
        .as_ref()
        .map(Manifest::submissions)
        .unwrap_or_default();

    let opts = read_options(args.read.max_size, args.read.strict, args.read.no_mmap);
    // Every input with the submission it belongs to: the manifest's first, then the command
    // line's.
    let mut items: Vec<(InputSpec, Option<Submission>)> = Vec::new();
    for e in manifest.iter().flat_map(|m| &m.entries) {
        for spec in inputs::expand(std::slice::from_ref(&e.input)) {
            items.push((spec, Some(e.submission.clone())));
        }
    }
    items.extend(
        inputs::expand(&args.read.inputs)
            .into_iter()
            .map(|s| (s, None)),
    );
    let threads = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    // Documents in parallel first; threads left over (one large SBOM on a many-core machine)
    // attribute the components of each document in parallel.
    let jobs = threads.min(items.len().max(1));
    let auditor = gate
        .auditor()
        .with_inventory(inventory)
        .with_threads(threads / jobs);
    let fetch = args.read.net.fetch_options();
    let bar = progress_bar(items.len(), args.quiet);
    let results = crate::par::map_dynamic(&items, jobs, |(spec, sub)| {
        let one = audit_one(&auditor, spec, &opts, &fetch).with_submission(sub);
        if let Some(b) = &bar {
            b.inc(1);
        }
        one
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }

    let mut report = Report {
        schema_version: report::SCHEMA_VERSION.into(),
        registry: gate.registry_info(),
        policy: gate.policy_info(),
        documents: Vec::new(),
        policy_findings: Vec::new(),
        errors: Vec::new(),
        skipped: Vec::new(),
        summary: RunSummary::default(),
        rollup: None,
    };
    let mut messages = active.warnings.clone();
    for r in results {
        match r {
            One::Doc(d) => report.documents.push(*d),
            One::Skipped(s) => report.skipped.push(s),
            One::Error(e) => {
                messages.push(format!("error: {}: {}", e.source, e.message));
                report.errors.push(e);
            }
        }
    }
    // A submission whose SBOM paths gave no document at all is an error, not a silent pass.
    for sub in &submissions {
        let mine = |s: &Option<Submission>| s.as_ref() == Some(sub);
        if !report.documents.iter().any(|d| mine(&d.submission))
            && !report.errors.iter().any(|e| mine(&e.submission))
        {
            let sources: Vec<&str> = manifest
                .iter()
                .flat_map(|m| &m.entries)
                .filter(|e| &e.submission == sub)
                .map(|e| e.input.as_str())
                .collect();
            let e = ErrorEntry {
                source: sources.join(" "),
                kind: "no-input".into(),
                message: format!(
                    "no SBOM found for the submission of {} / {}",
                    sub.vendor, sub.product
                ),
                submission: Some(sub.clone()),
            };
            messages.push(format!("error: {}: {}", e.source, e.message));
            report.errors.push(e);
        }
    }
    report.policy_findings =
        audit::waiver_findings(policy, &report.documents, today, report.errors.is_empty());
    let s = &mut report.summary;
    s.documents = report.documents.len();
    s.errors = report.errors.len();
    for d in &report.documents {
        s.deny += d.summary.deny;
        s.warn += d.summary.warn;
        s.info += d.summary.info;
        s.waived += d.summary.waived;
        s.documents_with_deny += usize::from(d.summary.deny > 0);
    }
    for f in &report.policy_findings {
        match f.severity {
            Level::Deny => s.deny += 1,
            Level::Warn => s.warn += 1,
            Level::Info => s.info += 1,
            Level::Allow => {}
        }
    }
    if report.documents.is_empty() && report.errors.is_empty() {
        let e = ErrorEntry {
            source: args.read.inputs.join(" "),
            kind: "no-input".into(),
            message: "no SBOM found in the inputs".into(),
            submission: None,
        };
        messages.push(format!("error: {}", e.message));
        report.errors.push(e);
        report.summary.errors = 1;
    }
    if manifest.is_some() || report.documents.len() + report.errors.len() > 1 {
        let name = |id: &str| {
            reg.vendor_by_id(id).map(|v| {
                let v = reg.vendor(v);
                VendorRef {
                    id: v.id.clone(),
                    name: v.name.clone(),
                    country: Some(v.hq_country.clone()),
                }
            })
        };
        report.rollup = Some(rollup::build(
            &report.documents,
            &report.errors,
            report.skipped.len(),
            &submissions,
            &name,
        ));
    }
    if !args.quiet && !report.skipped.is_empty() {
        messages.push(format!(
            "note: {} file(s) found in directories are not SBOMs and were skipped (listed in the JSON report)",
            report.skipped.len()
        ));
    }
    Ok((report, messages))
}

pub(crate) fn read_options(max_size: u64, strict: bool, no_mmap: bool) -> ReadOptions {
    let limits = crate::sbom::Limits {
        max_bytes: max_size,
        ..Default::default()
    };
    let opts = ReadOptions::new(limits, strict);
    if no_mmap {
        return opts;
    }
    // SAFETY: the command line's contract, stated in `--help`, the README and
    // docs/exit-codes.md: inputs that may be truncated or rewritten during the run are read
    // with `--no-mmap`. In practice such a change crashes the run (`SIGBUS`, which fails
    // closed) or changes what the model reads; in the language's terms it is undefined
    // behaviour, which is why this is an explicit opt-in.
    unsafe { opts.with_mapped_files() }
}

/// A progress bar on stderr for a run over several inputs, when stderr is a terminal and
/// `--quiet` is not given.
fn progress_bar(inputs: usize, quiet: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if quiet || inputs < 2 || !std::io::stderr().is_terminal() {
        return None;
    }
    let pb = indicatif::ProgressBar::new(inputs as u64);
    pb.set_style(
        indicatif::ProgressStyle::with_template(
            "auditing {bar:30} {pos}/{len} inputs, {elapsed} (eta {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(pb)
}

fn policy_info(p: &Policy, reg: &Registry, today: Day) -> PolicyInfo {
    PolicyInfo {
        source: p.source.clone(),
        use_context: p
            .use_context
            .iter()
            .map(|u| {
                serde_json::to_value(u)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default()
            })
            .collect(),
        levels: Code::ALL
            .iter()
            .filter(|c| p.level(**c) != c.default_level())
            .map(|c| (c.as_str().to_string(), p.level(*c)))
            .collect(),
        enforce: p
            .enforce
            .as_ref()
            .map(|l| l.iter().map(|d| d.value.clone()).collect()),
        countries_of_concern: p.concern_countries(reg),
        designations: p
            .designation_levels
            .iter()
            .map(|d| (d.value.0.clone(), d.value.1))
            .collect(),
        unresolved: p.unresolved.as_ref().map(|u| UnresolvedInfo {
            max_share: u.max_share,
            max_count: u.max_count,
            level: u.level,
        }),
        waivers: p.waivers.iter().map(audit::waiver_ref).collect(),
        waivers_checked_on: (!p.waivers.is_empty()).then(|| today.to_string()),
    }
}

pub(crate) enum One {
    Doc(Box<DocumentReport>),
    Skipped(SkippedEntry),
    Error(ErrorEntry),
}

impl One {
    fn with_submission(mut self, sub: &Option<Submission>) -> One {
        match &mut self {
            One::Doc(d) => d.submission = sub.clone(),
            One::Error(e) => e.submission = sub.clone(),
            One::Skipped(_) => {}
        }
        self
    }
}

pub(crate) fn audit_one(
    auditor: &Auditor<'_>,
    spec: &InputSpec,
    opts: &ReadOptions,
    fetch: &crate::net::FetchOptions,
) -> One {
    match inputs::read_with(spec, opts, fetch) {
        ReadOutcome::Read(doc) => match auditor.audit(&doc) {
            Ok(d) => One::Doc(Box::new(d)),
            Err(e) => One::Error(ErrorEntry {
                source: spec.source.clone(),
                kind: e.kind().into(),
                message: e.to_string(),
                submission: None,
            }),
        },
        ReadOutcome::Skipped { source, reason } => One::Skipped(SkippedEntry { source, reason }),
        ReadOutcome::Failed(e) => One::Error(ErrorEntry {
            source: e.source,
            kind: e.error.kind().into(),
            message: e.error.to_string(),
            submission: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use AuditFormat::{Json, Sarif, Table};

    fn p(s: &str) -> PathBuf {
        PathBuf::from(s)
    }

    fn t(format: AuditFormat, output: Option<&str>) -> Target {
        Target {
            format,
            output: output.map(p),
        }
    }

    #[test]
    fn no_format_is_a_table_on_stdout_or_in_the_one_output() {
        assert_eq!(targets(&[], &[]).unwrap(), vec![t(Table, None)]);
        assert_eq!(
            targets(&[], &[(1, p("r.txt"))]).unwrap(),
            vec![t(Table, Some("r.txt"))]
        );
    }

    #[test]
    fn one_format_takes_the_output_whatever_the_order() {
        assert_eq!(
            targets(&[(3, Json)], &[(1, p("r.json"))]).unwrap(),
            vec![t(Json, Some("r.json"))]
        );
        assert!(targets(&[(1, Json)], &[(3, p("a")), (5, p("b"))]).is_err());
    }

    #[test]
    fn each_output_applies_to_the_format_before_it() {
        let got = targets(
            &[(1, Sarif), (5, Table), (7, Json)],
            &[(3, p("a.sarif")), (9, p("r.json"))],
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                t(Sarif, Some("a.sarif")),
                t(Table, None),
                t(Json, Some("r.json"))
            ]
        );
    }

    #[test]
    fn ambiguous_combinations_are_refused() {
        // Two formats on stdout.
        let e = targets(&[(1, Sarif), (3, Table)], &[]).unwrap_err();
        assert!(e.contains("sarif, table"), "{e}");
        // An output before any format when there are several.
        assert!(targets(&[(3, Sarif), (5, Table)], &[(1, p("a"))]).is_err());
        // Two outputs for one format among several.
        assert!(targets(&[(1, Sarif), (7, Table)], &[(3, p("a")), (5, p("b"))]).is_err());
        // One file for two formats.
        let e = targets(&[(1, Sarif), (5, Json)], &[(3, p("a")), (7, p("a"))]).unwrap_err();
        assert!(e.contains("two formats"), "{e}");
    }
}

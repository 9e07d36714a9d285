//! `bomvet diff OLD NEW`: audit both documents with the same registry and policy as `audit`,
//! then report the exposure added, removed and unchanged ([`crate::vetting::diff`]).

use super::audit::{self, One};
use super::{Outcome, Status};
use crate::cli::{DiffArgs, DiffFormat};
use crate::inputs;
use crate::report::DocumentReport;
use crate::vetting::diff;

/// Run `diff`. Exit 1 when NEW has a deny finding OLD did not, 2 when either side cannot be
/// audited.
pub fn run(args: &DiffArgs) -> Outcome {
    let gate = match audit::prepare(&args.gate) {
        Ok(g) => g,
        Err(o) => return o,
    };
    let opts = audit::read_options(args.max_size, args.strict, args.no_mmap);
    let fetch = args.net.fetch_options();
    let auditor = gate.auditor();
    let mut messages = gate.active.warnings.clone();
    let mut sides: Vec<DocumentReport> = Vec::new();
    for input in [&args.old, &args.new] {
        let specs = inputs::expand(std::slice::from_ref(input));
        // A directory is not one version of a product.
        let [spec] = specs.as_slice() else {
            messages.push(format!(
                "error: {input}: diff compares two SBOM files; this input gives {} document(s)",
                specs.len()
            ));
            continue;
        };
        match audit::audit_one(&auditor, spec, &opts, &fetch) {
            One::Doc(d) => sides.push(*d),
            One::Error(e) => messages.push(format!("error: {}: {}", e.source, e.message)),
            One::Skipped(s) => messages.push(format!("error: {}: {}", s.source, s.reason)),
        }
    }
    let [old, new] = sides.as_slice() else {
        return Outcome {
            stdout: String::new(),
            messages,
            status: Status::Error,
        };
    };
    let d = diff::diff(old, new, gate.registry_info(), gate.policy_info());
    let stdout = match args.format {
        DiffFormat::Table => diff::render_table(&d),
        DiffFormat::Json => diff::render_json(&d),
        DiffFormat::Markdown => diff::render_markdown(&d),
    };
    Outcome {
        stdout,
        messages,
        status: if d.summary.new_deny > 0 {
            Status::Deny
        } else {
            Status::Ok
        },
    }
}

//! `bomvet registry list|show|lint|export`: look at and check the vendor registry (the one built
//! into the binary, an installed bundle, or `--registry DIR`, with overlays). A registry with
//! errors is never used: every problem is listed with its file and key and the status is
//! [`Status::Error`]. `keygen|bundle|verify|update|status` live in [`super::regupdate`].

use std::fmt::Write as _;
use std::ops::Deref;
use std::path::Path;

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use serde::Serialize;

use super::{Outcome, Status};
use crate::cli::{InspectFormat, RegistryArgs, RegistryCommand};
use crate::output::terminal_safe;
use crate::registry::export::VendorView;
use crate::registry::problem::{counts, suggest};
use crate::registry::{
    self, Designation, Oem, Problem, Product, Provenance, Registry, RegistryError, Source,
    SourceId, Vendor,
};

/// A registry in use: the embedded one, or one loaded from files (a directory, an installed
/// bundle, overlays).
pub enum Loaded {
    Embedded(&'static Registry),
    Dir(Box<Registry>),
}

impl Deref for Loaded {
    type Target = Registry;
    fn deref(&self) -> &Registry {
        match self {
            Loaded::Embedded(r) => r,
            Loaded::Dir(r) => r,
        }
    }
}

/// Run `registry ...`.
pub fn run(args: &RegistryArgs) -> Outcome {
    use super::regupdate as up;
    let dir = args.registry.as_deref();
    let policy = match up::load_policy(args.policy.as_deref()) {
        Ok(p) => p,
        Err(m) => {
            return Outcome {
                stdout: String::new(),
                messages: m,
                status: Status::Error,
            }
        }
    };
    let req = up::LayerRequest {
        dir,
        overlays: &args.registry_overlay,
        policy: &policy,
    };
    let with_registry = |f: &dyn Fn(&Registry) -> Outcome| match up::load_active(&req) {
        Ok(active) => {
            let mut o = f(&active.reg);
            let mut m = active.warnings;
            m.append(&mut o.messages);
            o.messages = m;
            o
        }
        Err(o) => o,
    };
    match &args.command {
        RegistryCommand::Lint { dir: d, format } => {
            let mut overlays: Vec<std::path::PathBuf> = Vec::new();
            overlays.extend(policy.registry.overlays.iter().map(|o| {
                match policy.source.as_deref().and_then(|s| Path::new(s).parent()) {
                    Some(p) if Path::new(o).is_relative() => p.join(o),
                    _ => o.into(),
                }
            }));
            overlays.extend(args.registry_overlay.iter().cloned());
            lint(d.as_deref().or(dir), &overlays, *format)
        }
        RegistryCommand::List { format } => with_registry(&|reg| list(reg, *format)),
        RegistryCommand::Show { id, format } => with_registry(&|reg| show(reg, id, *format)),
        RegistryCommand::Export { .. } => with_registry(&export),
        RegistryCommand::Keygen { output, force } => up::keygen(output, *force),
        RegistryCommand::Bundle {
            dir,
            key,
            unsigned: _,
            output,
            serial,
            expires,
        } => up::bundle(&up::BundleArgs {
            dir,
            key: key.as_deref(),
            output,
            serial: *serial,
            expires,
        }),
        RegistryCommand::Verify {
            file,
            pubkey,
            format,
        } => up::verify(file, pubkey.as_deref(), &policy, *format),
        RegistryCommand::Update {
            url,
            pubkey,
            allow_downgrade,
            net,
        } => up::update(
            &up::UpdateArgs {
                url: url.as_deref(),
                pubkey: pubkey.as_deref(),
                allow_downgrade: *allow_downgrade,
                net,
            },
            &policy,
        ),
        RegistryCommand::Status { format } => up::status(&req, *format),
    }
}

/// `error: ...` plus one line per problem (errors first, then warnings and notes).
pub fn error_messages(e: &RegistryError) -> Vec<String> {
    let mut out = vec![format!("error: {e}")];
    if let RegistryError::Invalid { problems, .. } = e {
        let mut sorted: Vec<&Problem> = problems.iter().collect();
        sorted.sort_by_key(|p| p.severity);
        out.extend(
            sorted
                .iter()
                .map(|p| format!("  {}", terminal_safe(&p.to_string()))),
        );
        out.push("hint: run `bomvet registry lint DIR` to check a registry directory".into());
    }
    out
}

fn json<T: Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

// ---------------------------------------------------------------------------------------------
// lint
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct LintReport<'a> {
    registry: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    serial: Option<u64>,
    digest: String,
    files: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    problems: &'a [Problem],
}

fn lint(dir: Option<&Path>, overlays: &[std::path::PathBuf], format: InspectFormat) -> Outcome {
    let (origin, files, read_problems) = match dir {
        None => (
            "embedded".to_string(),
            registry::embedded_files(),
            Vec::new(),
        ),
        Some(d) => match registry::read_dir(d) {
            Ok((f, p)) => (d.display().to_string(), f, p),
            Err(e) => {
                return Outcome {
                    stdout: String::new(),
                    messages: vec![format!("error: {e}")],
                    status: Status::Error,
                }
            }
        },
    };
    let (files, origin, merge_problems) = if overlays.is_empty() {
        (files, origin, Vec::new())
    } else {
        match super::regupdate::lint_layers(files, overlays) {
            Ok((f, p)) => (f, format!("{origin} with {} overlay(s)", overlays.len()), p),
            Err(messages) => {
                return Outcome {
                    stdout: String::new(),
                    messages,
                    status: Status::Error,
                }
            }
        }
    };
    let mut checked = registry::check(&files);
    checked.problems.extend(read_problems);
    checked.problems.extend(merge_problems);
    registry::problem::sort(&mut checked.problems);
    let problems = checked.problems;
    let (errors, warnings, notes) = counts(&problems);
    let meta = files
        .iter()
        .find(|f| f.path == "registry.toml")
        .and_then(|f| toml::from_str::<registry::RawRegistryFile>(&f.text).ok());
    let report = LintReport {
        registry: origin,
        version: meta.as_ref().map(|m| m.registry.version.get_ref().clone()),
        serial: meta.as_ref().map(|m| m.registry.serial),
        digest: registry::load::digest(&files),
        files: files.len(),
        errors,
        warnings,
        notes,
        problems: &problems,
    };
    let status = if errors > 0 {
        Status::Error
    } else {
        Status::Ok
    };
    let stdout = match format {
        InspectFormat::Json => json(&report),
        InspectFormat::Table => {
            let mut s = String::new();
            for p in &problems {
                let _ = writeln!(s, "{}", terminal_safe(&p.to_string()));
            }
            let _ = writeln!(
                s,
                "{}{}: {} file(s), {errors} error(s), {warnings} warning(s), {notes} note(s)",
                terminal_safe(&report.registry),
                report
                    .version
                    .as_ref()
                    .map(|v| format!(
                        " (version {v}, serial {}, {})",
                        report.serial.unwrap_or(0),
                        report.digest
                    ))
                    .unwrap_or_default(),
                report.files,
            );
            s
        }
    };
    Outcome {
        stdout,
        messages: Vec::new(),
        status,
    }
}

// ---------------------------------------------------------------------------------------------
// list
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct ListReport<'a> {
    registry: &'a registry::RegistryMeta,
    vendors: Vec<ListEntry<'a>>,
}

#[derive(Serialize)]
struct ListEntry<'a> {
    id: &'a str,
    name: &'a str,
    kind: registry::VendorKind,
    hq_country: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ultimate_parent_country: Option<&'a str>,
    designations: Vec<&'a str>,
    products: usize,
    /// OEM relations in which others embed this vendor's technology.
    oem_relations: usize,
    /// OEM relations in which this vendor embeds another vendor's technology.
    embeds: usize,
    status: registry::Status,
}

fn list(reg: &Registry, format: InspectFormat) -> Outcome {
    let entries: Vec<ListEntry<'_>> = reg
        .vendors
        .iter()
        .enumerate()
        .map(|(i, v)| ListEntry {
            id: &v.id,
            name: &v.name,
            kind: v.kind,
            hq_country: &v.hq_country,
            ultimate_parent_country: v.ultimate_parent_country.as_deref(),
            designations: v.designations.iter().map(|d| d.id.as_str()).collect(),
            products: v.products.len(),
            oem_relations: v.oems.len(),
            embeds: reg
                .oems
                .iter()
                .filter(|o| o.embedder_vendor_id.map(|e| e.index()) == Some(i))
                .count(),
            status: v.provenance.status,
        })
        .collect();
    let stdout = match format {
        InspectFormat::Json => json(&ListReport {
            registry: &reg.meta,
            vendors: entries,
        }),
        InspectFormat::Table => {
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic);
            t.set_header(vec![
                "id",
                "name",
                "kind",
                "HQ",
                "designations",
                "products",
                "OEM",
                "embeds",
            ]);
            for e in &entries {
                t.add_row(vec![
                    e.id.to_string(),
                    terminal_safe(e.name).into_owned(),
                    e.kind.to_string(),
                    e.hq_country.to_string(),
                    e.designations.join("\n"),
                    e.products.to_string(),
                    e.oem_relations.to_string(),
                    e.embeds.to_string(),
                ]);
            }
            format!("{t}\n{}\n", summary_line(reg))
        }
    };
    Outcome {
        stdout,
        messages: Vec::new(),
        status: Status::Ok,
    }
}

fn summary_line(reg: &Registry) -> String {
    format!(
        "registry {} (serial {}, {}, {}): {} vendors, {} products, {} OEM relations, {} designations, {} sources",
        reg.meta.version,
        reg.meta.serial,
        reg.meta.digest,
        terminal_safe(&reg.meta.origin),
        reg.vendors.len(),
        reg.products.len(),
        reg.oems.len(),
        reg.designations.len(),
        reg.sources.len()
    )
}

// ---------------------------------------------------------------------------------------------
// show
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
enum Shown<'a> {
    Vendor {
        vendor: VendorView<'a>,
        /// OEM relations in which this vendor is the embedder.
        embeds: Vec<&'a Oem>,
    },
    Product {
        vendor: &'a str,
        product: &'a Product,
        /// OEM relations that embed this product.
        embedded_by: Vec<&'a Oem>,
    },
    Oem {
        vendor: &'a str,
        oem: &'a Oem,
    },
    Designation {
        designation: &'a Designation,
        vendors: Vec<&'a str>,
    },
    Source {
        source: &'a Source,
    },
}

#[derive(Serialize)]
struct ShowReport<'a> {
    matches: Vec<Shown<'a>>,
    /// Every source cited by the matches, by key.
    sources: Vec<&'a Source>,
}

fn show(reg: &Registry, id: &str, format: InspectFormat) -> Outcome {
    let mut matches = Vec::new();
    if let Some(v) = reg.vendor_by_id(id) {
        let vendor = reg.vendor(v);
        matches.push(Shown::Vendor {
            vendor: VendorView::new(reg, vendor),
            embeds: reg
                .oems
                .iter()
                .filter(|o| o.embedder_vendor_id == Some(v))
                .collect(),
        });
    }
    if let Some(p) = reg.product_by_id(id) {
        let product = reg.product(p);
        matches.push(Shown::Product {
            vendor: &reg.vendor(product.vendor).id,
            product,
            embedded_by: reg.oems.iter().filter(|o| o.engine_id == Some(p)).collect(),
        });
    }
    if let Some(o) = reg.oem_by_id(id) {
        let oem = reg.oem(o);
        matches.push(Shown::Oem {
            vendor: &reg.vendor(oem.vendor).id,
            oem,
        });
    }
    if let Some(d) = reg.designation_by_id(id) {
        matches.push(Shown::Designation {
            designation: reg.designation(d),
            vendors: reg
                .vendors
                .iter()
                .filter(|v| v.designations.iter().any(|vd| vd.designation == d))
                .map(|v| v.id.as_str())
                .collect(),
        });
    }
    if let Some(s) = reg.source_by_key(id) {
        matches.push(Shown::Source {
            source: reg.source(s),
        });
    }
    if matches.is_empty() {
        let all = reg
            .vendors
            .iter()
            .map(|v| v.id.as_str())
            .chain(reg.products.iter().map(|p| p.id.as_str()))
            .chain(reg.oems.iter().map(|o| o.id.as_str()))
            .chain(reg.designations.iter().map(|d| d.id.as_str()))
            .chain(reg.sources.iter().map(|s| s.key.as_str()));
        let mut messages = vec![format!(
            "error: {:?} is not a vendor, product, OEM, designation id or source key of the registry",
            terminal_safe(id)
        )];
        if let Some(s) = suggest(id, all) {
            messages.push(format!("hint: did you mean {s:?}?"));
        } else {
            messages.push("hint: `bomvet registry list` shows the vendor ids".into());
        }
        return Outcome {
            stdout: String::new(),
            messages,
            status: Status::Error,
        };
    }
    let mut cites = Cites::default();
    let mut text = String::new();
    for m in &matches {
        render(reg, m, &mut cites, &mut text);
        text.push('\n');
    }
    let stdout = match format {
        InspectFormat::Json => json(&ShowReport {
            sources: cites.order.iter().map(|&s| reg.source(s)).collect(),
            matches,
        }),
        InspectFormat::Table => {
            if !cites.order.is_empty() {
                text.push_str("Sources\n");
            }
            for (n, &s) in cites.order.iter().enumerate() {
                let _ = writeln!(text, "  [{}] {}", n + 1, source_line(reg.source(s)));
            }
            text
        }
    };
    Outcome {
        stdout,
        messages: Vec::new(),
        status: Status::Ok,
    }
}

/// Footnote numbers for sources, in order of first citation.
#[derive(Default)]
struct Cites {
    order: Vec<SourceId>,
}

impl Cites {
    fn refs(&mut self, p: &Provenance) -> String {
        let mut s = String::new();
        for id in &p.source_ids {
            let n = match self.order.iter().position(|x| x == id) {
                Some(n) => n,
                None => {
                    self.order.push(*id);
                    self.order.len() - 1
                }
            };
            let _ = write!(s, "[{}]", n + 1);
        }
        format!("{} {s}", p.status)
    }
}

fn source_line(s: &Source) -> String {
    let mut out = format!(
        "{}: {}. {}, {}.",
        s.key,
        s.title.trim_end_matches('.'),
        s.publisher.trim_end_matches('.'),
        s.date
    );
    if let Some(u) = &s.url {
        let _ = write!(out, " {u}");
    }
    if let Some(d) = &s.document {
        let _ = write!(out, " ({d})");
    }
    if let Some(n) = &s.note {
        let _ = write!(out, " Note: {n}");
    }
    terminal_safe(&out).into_owned()
}

fn line(out: &mut String, indent: usize, s: &str) {
    let _ = writeln!(out, "{:indent$}{}", "", terminal_safe(s));
}

fn render_identifiers(
    out: &mut String,
    cites: &mut Cites,
    ids: &[registry::Identifier],
    indent: usize,
) {
    for i in ids {
        line(
            out,
            indent,
            &format!("{} {} — {}", i.kind, i.value, cites.refs(&i.provenance)),
        );
        if let Some(n) = &i.notes {
            line(out, indent + 4, &format!("note: {n}"));
        }
    }
}

fn render_product(reg: &Registry, out: &mut String, cites: &mut Cites, p: &Product, indent: usize) {
    let mut flags = vec![p.kind.to_string()];
    if p.branded {
        flags.push("branded".into());
    }
    if p.review_only {
        flags.push("review only".into());
    }
    line(
        out,
        indent,
        &format!(
            "{} — {} ({}) — {}",
            p.id,
            p.name,
            flags.join(", "),
            cites.refs(&p.provenance)
        ),
    );
    if !p.aliases.is_empty() {
        line(
            out,
            indent + 4,
            &format!("aliases: {}", p.aliases.join("; ")),
        );
    }
    render_identifiers(out, cites, &p.identifiers, indent + 4);
    if let Some(n) = &p.notes {
        line(out, indent + 4, &format!("notes: {n}"));
    }
    let _ = reg;
}

fn render_oem(reg: &Registry, out: &mut String, cites: &mut Cites, o: &Oem, indent: usize) {
    line(
        out,
        indent,
        &format!(
            "{} — {}: {} — {}",
            o.id,
            o.embedder,
            o.product,
            cites.refs(&o.provenance)
        ),
    );
    let mut facts = vec![format!("technology of {}", reg.vendor(o.vendor).id)];
    if let Some(e) = &o.engine {
        facts.push(format!("engine {e}"));
    }
    if let Some(v) = &o.embedder_vendor {
        facts.push(format!("embedder vendor {v}"));
    }
    if let Some(v) = &o.versions {
        facts.push(format!("versions {v}"));
    }
    match (o.from, o.until) {
        (Some(f), Some(u)) => facts.push(format!("{f} to {u}")),
        (Some(f), None) => facts.push(format!("from {f}")),
        (None, Some(u)) => facts.push(format!("until {u}")),
        (None, None) => {}
    }
    line(out, indent + 4, &facts.join("; "));
    render_identifiers(out, cites, &o.identifiers, indent + 4);
    if let Some(n) = &o.notes {
        line(out, indent + 4, &format!("notes: {n}"));
    }
}

fn render_vendor(reg: &Registry, out: &mut String, cites: &mut Cites, v: &Vendor, embeds: &[&Oem]) {
    line(out, 0, &format!("Vendor {} — {}", v.id, v.name));
    let country = |c: &str| match reg.countries.get(c) {
        Some(n) => format!("{c} ({n})"),
        None => c.to_string(),
    };
    line(out, 2, &format!("kind: {}", v.kind));
    line(out, 2, &format!("HQ country: {}", country(&v.hq_country)));
    if let Some(c) = &v.ultimate_parent_country {
        line(out, 2, &format!("ultimate parent country: {}", country(c)));
    }
    line(out, 2, &format!("status: {}", cites.refs(&v.provenance)));
    if let Some(s) = &v.summary {
        line(out, 2, &format!("summary: {s}"));
    }
    if let Some(n) = &v.notes {
        line(out, 2, &format!("notes: {n}"));
    }
    line(out, 0, "Designations");
    if v.designations.is_empty() {
        line(out, 2, "none");
    }
    for d in &v.designations {
        let des = reg.designation(d.designation);
        let since = d.since.map(|s| format!(", since {s}")).unwrap_or_default();
        line(
            out,
            2,
            &format!(
                "{} — {} ({}{since}) — {}",
                d.id,
                des.title,
                des.scope,
                cites.refs(&d.provenance)
            ),
        );
        if !d.products.is_empty() {
            line(out, 6, &format!("only: {}", d.products.join(", ")));
        }
        if !d.exempt_products.is_empty() {
            line(out, 6, &format!("exempt: {}", d.exempt_products.join(", ")));
        }
        if let Some(n) = &d.notes {
            line(out, 6, &format!("notes: {n}"));
        }
    }
    if !v.entities.is_empty() {
        line(out, 0, "Entities");
        for &e in &v.entities {
            let e = reg.entity(e);
            let country = e
                .country
                .as_deref()
                .map(|c| format!("{c}, "))
                .unwrap_or_default();
            line(
                out,
                2,
                &format!(
                    "{} ({country}{}) — {}",
                    e.name,
                    e.relation,
                    cites.refs(&e.provenance)
                ),
            );
            if !e.aliases.is_empty() {
                line(out, 6, &format!("aliases: {}", e.aliases.join("; ")));
            }
            if let Some(n) = &e.notes {
                line(out, 6, &format!("notes: {n}"));
            }
        }
    }
    if !v.identifiers.is_empty() {
        line(out, 0, "Identifiers");
        render_identifiers(out, cites, &v.identifiers, 2);
    }
    if !v.products.is_empty() {
        line(out, 0, "Products");
        for &p in &v.products {
            render_product(reg, out, cites, reg.product(p), 2);
        }
    }
    if !v.oems.is_empty() {
        line(
            out,
            0,
            "OEM relations (others embed this vendor's technology)",
        );
        for &o in &v.oems {
            render_oem(reg, out, cites, reg.oem(o), 2);
        }
    }
    if !embeds.is_empty() {
        line(
            out,
            0,
            "Embeds (this vendor's products embed others' technology)",
        );
        for o in embeds {
            render_oem(reg, out, cites, o, 2);
        }
    }
}

fn render(reg: &Registry, m: &Shown<'_>, cites: &mut Cites, out: &mut String) {
    match m {
        Shown::Vendor { vendor, embeds } => render_vendor(reg, out, cites, vendor.vendor, embeds),
        Shown::Product {
            vendor,
            product,
            embedded_by,
        } => {
            line(
                out,
                0,
                &format!("Product {} of vendor {vendor}", product.id),
            );
            render_product(reg, out, cites, product, 2);
            let pid = reg.product_by_id(&product.id);
            let v = reg.vendor(product.vendor);
            line(out, 0, "Designations of the vendor");
            for d in &v.designations {
                let reach = match pid {
                    Some(p) if d.exempt_product_ids.contains(&p) => "exempt",
                    Some(p) if !d.product_ids.is_empty() && !d.product_ids.contains(&p) => {
                        "does not reach it"
                    }
                    _ => "applies",
                };
                line(out, 2, &format!("{} — {reach}", d.id));
            }
            if !embedded_by.is_empty() {
                line(out, 0, "Embedded by");
                for o in embedded_by {
                    render_oem(reg, out, cites, o, 2);
                }
            }
        }
        Shown::Oem { vendor, oem } => {
            line(
                out,
                0,
                &format!("OEM relation {} (technology of vendor {vendor})", oem.id),
            );
            render_oem(reg, out, cites, oem, 2);
        }
        Shown::Designation {
            designation: d,
            vendors,
        } => {
            line(out, 0, &format!("Designation {} — {}", d.id, d.title));
            line(
                out,
                2,
                &format!(
                    "authority: {}; jurisdiction: {}",
                    d.authority, d.jurisdiction
                ),
            );
            if let Some(c) = &d.citation {
                line(out, 2, &format!("citation: {c}"));
            }
            if let Some(c) = &d.clause {
                line(out, 2, &format!("clause: {c}"));
            }
            let mut dates = Vec::new();
            if let Some(i) = d.issued {
                dates.push(format!("issued {i}"));
            }
            if let Some(e) = d.effective {
                dates.push(format!("effective {e}"));
            }
            if !dates.is_empty() {
                line(out, 2, &dates.join("; "));
            }
            line(
                out,
                2,
                &format!(
                    "scope: {}; affiliates: {}; successors: {}",
                    d.scope,
                    if d.affiliates { "yes" } else { "no" },
                    if d.successors { "yes" } else { "no" }
                ),
            );
            if !d.use_context.is_empty() {
                let uc: Vec<String> = d.use_context.iter().map(|u| u.to_string()).collect();
                line(out, 2, &format!("use context: {}", uc.join(", ")));
            }
            if let Some(s) = &d.summary {
                line(out, 2, &format!("summary: {s}"));
            }
            line(out, 2, &format!("status: {}", cites.refs(&d.provenance)));
            line(
                out,
                2,
                &format!(
                    "vendors: {}",
                    if vendors.is_empty() {
                        "none".to_string()
                    } else {
                        vendors.join(", ")
                    }
                ),
            );
        }
        Shown::Source { source } => {
            line(out, 0, &format!("Source {}", source.key));
            line(out, 2, &source_line(source));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// export
// ---------------------------------------------------------------------------------------------

fn export(reg: &Registry) -> Outcome {
    Outcome {
        stdout: json(&reg.export()),
        messages: Vec::new(),
        status: Status::Ok,
    }
}

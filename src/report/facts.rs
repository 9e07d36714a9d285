//! The lines that describe one finding (component, vendor, citation, waiver), written once for
//! every renderer that shows them as prose (Markdown, HTML). A renderer supplies its escapers;
//! labels and layout around the lines stay the renderer's.

use std::fmt::Write;

use super::{Citation, ComponentRef, Finding, OemRef, WaiverRef};

/// How a renderer makes document text safe: as prose, and as an identifier (code span).
pub(crate) struct Escape {
    pub text: fn(&str) -> String,
    pub code: fn(&str) -> String,
}

/// `name version, ref R, purl, at location`.
pub(crate) fn component(c: &ComponentRef, e: &Escape) -> String {
    let mut s = (e.text)(&c.name);
    if let Some(v) = &c.version {
        let _ = write!(s, " {}", (e.code)(v));
    }
    let _ = write!(s, ", ref {}", (e.code)(&c.bom_ref));
    if let Some(p) = &c.purl {
        let _ = write!(s, ", {}", (e.code)(p));
    }
    if let Some(l) = &c.location {
        let _ = write!(s, ", at {}", (e.code)(l));
    }
    s
}

/// `Vendor (id), country C, entity E, kind product`, when the finding names a vendor.
pub(crate) fn vendor(f: &Finding, e: &Escape) -> Option<String> {
    let v = f.vendor.as_ref()?;
    let mut s = format!("{} ({})", (e.text)(&v.name), (e.code)(&v.id));
    if let Some(c) = &v.country {
        let _ = write!(s, ", country {}", (e.text)(c));
    }
    if let Some(en) = &f.entity {
        let _ = write!(s, ", entity {}", (e.text)(en));
    }
    if let Some(p) = &f.product {
        let _ = write!(s, ", {} {}", (e.text)(&p.kind), (e.text)(&p.name));
    }
    Some(s)
}

/// `Embedder product embedded it (period, inside the period)`.
pub(crate) fn oem(o: &OemRef, e: &Escape) -> String {
    format!(
        "{} {} embedded it ({}{})",
        (e.text)(&o.embedder),
        (e.text)(&o.product),
        (e.text)(&o.period),
        period_note(o)
    )
}

/// `, inside the period` / `, outside the period` / `, version unknown`: where the component's
/// version falls against the OEM relation's period (every renderer words it the same).
pub(crate) fn period_note(o: &OemRef) -> &'static str {
    match o.in_period {
        Some(true) => ", inside the period",
        Some(false) => ", outside the period",
        None => ", version unknown",
    }
}

/// `id: title — clause (effective date); authority; sources: ...`.
pub(crate) fn citation(c: &Citation, e: &Escape) -> String {
    let mut s = format!("{}: {}", (e.code)(&c.id), (e.text)(&c.title));
    if let Some(cl) = &c.clause {
        let _ = write!(s, " — {}", (e.text)(cl));
    }
    if let Some(d) = &c.effective {
        let _ = write!(s, " (effective {})", (e.text)(d));
    }
    let _ = write!(s, "; {}", (e.text)(&c.authority));
    if !c.sources.is_empty() {
        let _ = write!(s, "; sources: {}", (e.text)(&c.sources.join(", ")));
    }
    s
}

/// `id: reason; approved by A; ticket T; expires D (location)`.
pub(crate) fn waiver(w: &WaiverRef, e: &Escape) -> String {
    let mut s = format!("{}: {}", (e.code)(&w.id), (e.text)(&w.reason));
    if let Some(a) = &w.approved_by {
        let _ = write!(s, "; approved by {}", (e.text)(a));
    }
    if let Some(t) = &w.ticket {
        let _ = write!(s, "; ticket {}", (e.text)(t));
    }
    if let Some(d) = &w.expires {
        let _ = write!(s, "; expires {}", (e.text)(d));
    }
    if let Some(l) = &w.location {
        let _ = write!(s, " ({})", (e.code)(l));
    }
    s
}

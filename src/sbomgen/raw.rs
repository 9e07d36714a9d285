//! The raw-parse baselines: the least work that still reads every byte of a document in its
//! syntax, used as the yardstick for bomvet's own ingestion and audit (`benches/ingest.rs`,
//! `benches/audit.rs`, `examples/scale.rs`). One definition, so every figure compares against
//! the same thing:
//! - JSON (CycloneDX JSON, SPDX JSON): `serde_json` into [`IgnoredAny`] (full syntax check,
//!   nothing kept);
//! - XML (CycloneDX XML): a quick-xml event scan, every event read, nothing kept;
//! - tag-value (SPDX): each line split at its first `:` with the value trimmed.

use serde::de::IgnoredAny;

use super::GenFormat;

/// Which baseline applies to a document's syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawKind {
    Json,
    Xml,
    Lines,
}

impl RawKind {
    /// The baseline for a generated format.
    pub fn of(format: GenFormat) -> RawKind {
        match format {
            GenFormat::CdxJson | GenFormat::SpdxJson => RawKind::Json,
            GenFormat::CdxXml => RawKind::Xml,
            GenFormat::SpdxTagValue => RawKind::Lines,
        }
    }

    /// Guess from the first non-blank byte: `{` JSON, `<` XML, anything else tag-value.
    /// `None` for an empty or blank input.
    pub fn sniff(bytes: &[u8]) -> Option<RawKind> {
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace())?;
        Some(match first {
            b'{' => RawKind::Json,
            b'<' => RawKind::Xml,
            _ => RawKind::Lines,
        })
    }

    /// `serde-json-ignored-any`, `quick-xml-event-scan`, `line-split`.
    pub fn name(self) -> &'static str {
        match self {
            RawKind::Json => "serde-json-ignored-any",
            RawKind::Xml => "quick-xml-event-scan",
            RawKind::Lines => "line-split",
        }
    }

    /// Run the baseline; `None` when it rejects the input (then a comparison means nothing).
    pub fn scan(self, bytes: &[u8]) -> Option<usize> {
        match self {
            RawKind::Json => json_ignored(bytes),
            RawKind::Xml => xml_events(bytes),
            RawKind::Lines => line_split(bytes),
        }
    }
}

/// Parse JSON into `IgnoredAny`; `Some(bytes)` on success.
pub fn json_ignored(bytes: &[u8]) -> Option<usize> {
    serde_json::from_slice::<IgnoredAny>(bytes)
        .ok()
        .map(|_| bytes.len())
}

/// Read every XML event (after the UTF-8 check); `Some(event count)` if the document ends
/// without a syntax error.
pub fn xml_events(bytes: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut r = quick_xml::Reader::from_str(text);
    let mut n = 0usize;
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Eof) => return (n > 0).then_some(n),
            Ok(_) => n += 1,
            Err(_) => return None,
        }
    }
}

/// Split every line at its first `:` and trim the value (after the UTF-8 check); `Some` of a
/// checksum over the pieces if at least one line has a `:`.
pub fn line_split(bytes: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut any = false;
    let sum = text
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| {
            any = true;
            k.len() ^ v.trim().len()
        })
        .fold(0, usize::wrapping_add);
    any.then_some(sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_baseline_accepts_its_generated_format_and_rejects_garbage() {
        for f in [
            GenFormat::CdxJson,
            GenFormat::CdxXml,
            GenFormat::SpdxJson,
            GenFormat::SpdxTagValue,
        ] {
            let g = super::super::generate(f, 200, 3);
            let kind = RawKind::of(f);
            assert_eq!(RawKind::sniff(g.text.as_bytes()), Some(kind), "{f:?}");
            assert!(kind.scan(g.text.as_bytes()).is_some(), "{f:?}");
        }
        assert_eq!(json_ignored(b"{\"a\": [1, 2"), None);
        assert_eq!(xml_events(b"<a><b></a>"), None);
        assert_eq!(line_split(b"no colon here\n"), None);
        assert_eq!(RawKind::sniff(b"  \n"), None);
    }
}

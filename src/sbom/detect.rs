//! Format detection from content (never from the file name).
//!
//! Cheap: looks at the first few kilobytes, and only when that is inconclusive for JSON does a
//! full skim of the top-level keys. Owns no parsing beyond that.

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::error::IngestError;
use super::model::Format;

/// What the content turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    Sbom(Format),
    /// A DSSE envelope (`payloadType` + base64 `payload`), e.g. a cosign / trivy attestation.
    DsseEnvelope,
    /// An in-toto statement whose `predicate` is the SBOM.
    InTotoStatement,
}

const PREFIX: usize = 64 * 1024;

const JSON_LOOKED_FOR: &str = "a CycloneDX JSON `bomFormat`, an SPDX 2 JSON `spdxVersion`, \
    an SPDX 3 JSON-LD `@context`, or an in-toto / DSSE envelope holding one of them";
const XML_LOOKED_FOR: &str = "a CycloneDX XML <bom> in a `http://cyclonedx.org/schema/bom/1.x` \
    namespace, an SPDX RDF/XML <rdf:RDF> with SPDX terms, or an SPDX XML <Document>";
const TEXT_LOOKED_FOR: &str = "JSON, XML, SPDX tag-value (`SPDXVersion:`) or SPDX YAML \
    (`spdxVersion:`)";

/// Detect the format of `text` (already decoded to UTF-8, BOM stripped).
pub fn detect(text: &str) -> Result<Detected, IngestError> {
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if trimmed.is_empty() {
        return Err(IngestError::Empty);
    }
    match trimmed.as_bytes()[0] {
        b'{' => detect_json(trimmed),
        b'[' => Err(IngestError::NotSbom {
            found: "a JSON array".into(),
            looked_for: JSON_LOOKED_FOR.into(),
        }),
        b'<' => detect_xml(trimmed),
        _ => detect_text(trimmed),
    }
}

fn prefix(text: &str) -> &str {
    if text.len() <= PREFIX {
        return text;
    }
    let mut end = PREFIX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn detect_json(text: &str) -> Result<Detected, IngestError> {
    let head = prefix(text);
    if let Some(d) = json_markers(head) {
        return Ok(d);
    }
    // Inconclusive prefix: skim the top-level keys of the whole document.
    #[derive(Deserialize)]
    struct Top {
        #[serde(rename = "bomFormat")]
        bom_format: Option<IgnoredAny>,
        #[serde(rename = "spdxVersion")]
        spdx_version: Option<IgnoredAny>,
        #[serde(rename = "@context")]
        context: Option<serde_json::Value>,
        #[serde(rename = "payloadType")]
        payload_type: Option<IgnoredAny>,
        #[serde(rename = "predicateType")]
        predicate_type: Option<IgnoredAny>,
    }
    let top: Top = match serde_json::from_str(text) {
        Ok(t) => t,
        Err(e) => return Err(IngestError::from_json("JSON", &e)),
    };
    if top.payload_type.is_some() {
        return Ok(Detected::DsseEnvelope);
    }
    if top.predicate_type.is_some() {
        return Ok(Detected::InTotoStatement);
    }
    if top.bom_format.is_some() {
        return Ok(Detected::Sbom(Format::CycloneDxJson));
    }
    if top.spdx_version.is_some() {
        return Ok(Detected::Sbom(Format::SpdxJson));
    }
    if let Some(ctx) = top.context {
        if ctx.to_string().contains("spdx.org/rdf/3") {
            return Ok(Detected::Sbom(Format::Spdx3JsonLd));
        }
    }
    Err(IngestError::NotSbom {
        found: "a JSON object without any SBOM marker".into(),
        looked_for: JSON_LOOKED_FOR.into(),
    })
}

fn json_markers(head: &str) -> Option<Detected> {
    // Order matters: an in-toto statement embeds a CycloneDX / SPDX predicate.
    if head.contains("\"payloadType\"") && head.contains("\"payload\"") {
        return Some(Detected::DsseEnvelope);
    }
    if head.contains("\"predicateType\"") && head.contains("in-toto.io/Statement") {
        return Some(Detected::InTotoStatement);
    }
    if head.contains("\"bomFormat\"") {
        return Some(Detected::Sbom(Format::CycloneDxJson));
    }
    if head.contains("\"spdxVersion\"") {
        return Some(Detected::Sbom(Format::SpdxJson));
    }
    if head.contains("\"@context\"") && head.contains("spdx.org/rdf/3") {
        return Some(Detected::Sbom(Format::Spdx3JsonLd));
    }
    None
}

fn detect_xml(text: &str) -> Result<Detected, IngestError> {
    let head = prefix(text);
    let Some(root) = root_element(head) else {
        return Err(IngestError::NotSbom {
            found: "XML without a root element in its first 64 KiB".into(),
            looked_for: XML_LOOKED_FOR.into(),
        });
    };
    let name_end = root
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(root.len());
    let qname = &root[..name_end];
    let local = qname.rsplit(':').next().unwrap_or(qname);
    if declares_cyclonedx_namespace(root) {
        return Ok(Detected::Sbom(Format::CycloneDxXml));
    }
    if local == "RDF" && head.contains("spdx.org/rdf/terms") {
        return Ok(Detected::Sbom(Format::SpdxRdfXml));
    }
    if (local == "Document" || local == "SpdxDocument") && head.contains("spdxVersion") {
        return Ok(Detected::Sbom(Format::SpdxXml));
    }
    let found = if local == "bom" {
        "an XML <bom> without a CycloneDX `http://cyclonedx.org/schema/bom/1.<n>` namespace"
            .to_string()
    } else {
        format!("an XML document with root element <{qname}>")
    };
    Err(IngestError::NotSbom {
        found,
        looked_for: XML_LOOKED_FOR.into(),
    })
}

const CDX_NS_PREFIX: &str = "http://cyclonedx.org/schema/bom/1.";

/// True when the root start tag declares (as `xmlns` or `xmlns:prefix`) a namespace
/// `http://cyclonedx.org/schema/bom/1.<digits>`, and nothing looser (`…/bom/11`, `…/bom/1.x`).
fn declares_cyclonedx_namespace(root: &str) -> bool {
    let mut rest = root;
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].trim_end();
        let name = name
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or(name);
        let after = rest[eq + 1..].trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            return false;
        };
        let body = &after[1..];
        let Some(end) = body.find(quote) else {
            return false;
        };
        let value = &body[..end];
        if name == "xmlns" || name.starts_with("xmlns:") {
            if let Some(minor) = value.strip_prefix(CDX_NS_PREFIX) {
                if !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit()) {
                    return true;
                }
            }
        }
        rest = &body[end + 1..];
    }
    false
}

/// The text of the root element's start tag, without the leading `<`.
fn root_element(mut s: &str) -> Option<&str> {
    loop {
        s = s.trim_start();
        if let Some(rest) = s.strip_prefix("<?") {
            s = &rest[rest.find("?>")? + 2..];
        } else if let Some(rest) = s.strip_prefix("<!--") {
            s = &rest[rest.find("-->")? + 3..];
        } else if let Some(rest) = s.strip_prefix("<!") {
            // DOCTYPE, possibly with an internal subset.
            let end = match (rest.find('['), rest.find('>')) {
                (Some(b), Some(g)) if b < g => rest.find("]>")? + 2,
                (_, Some(g)) => g + 1,
                _ => return None,
            };
            s = &rest[end..];
        } else if let Some(rest) = s.strip_prefix('<') {
            let end = rest.find('>').unwrap_or(rest.len());
            return Some(&rest[..end]);
        } else {
            return None;
        }
    }
}

fn detect_text(text: &str) -> Result<Detected, IngestError> {
    let head = prefix(text);
    for line in head.lines() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') || l == "---" {
            continue;
        }
        if l.starts_with("SPDXVersion:") {
            return Ok(Detected::Sbom(Format::SpdxTagValue));
        }
    }
    // YAML: a top-level `spdxVersion:` key anywhere in the head.
    for line in head.lines() {
        let l = line.trim_end();
        if l.starts_with("spdxVersion:")
            || l.starts_with("\"spdxVersion\":")
            || l.starts_with("'spdxVersion':")
        {
            return Ok(Detected::Sbom(Format::SpdxYaml));
        }
    }
    let first = head
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .chars()
        .take(40)
        .collect::<String>();
    Err(IngestError::NotSbom {
        found: format!("text starting with {:?}", first.trim()),
        looked_for: TEXT_LOOKED_FOR.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> Format {
        match detect(s).unwrap() {
            Detected::Sbom(f) => f,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn detects_each_format() {
        assert_eq!(
            fmt(r#"{"bomFormat":"CycloneDX","specVersion":"1.6"}"#),
            Format::CycloneDxJson
        );
        assert_eq!(fmt(r#"{"spdxVersion":"SPDX-2.3"}"#), Format::SpdxJson);
        assert_eq!(
            fmt(r#"{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[]}"#),
            Format::Spdx3JsonLd
        );
        assert_eq!(
            fmt("<?xml version=\"1.0\"?>\n<!-- hi -->\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.1\" version=\"1\"/>"),
            Format::CycloneDxXml
        );
        assert_eq!(
            fmt("<rdf:RDF xmlns:spdx=\"http://spdx.org/rdf/terms#\">"),
            Format::SpdxRdfXml
        );
        assert_eq!(
            fmt("<?xml version='1.0'?>\n<Document><spdxVersion>SPDX-2.3</spdxVersion></Document>"),
            Format::SpdxXml
        );
        assert_eq!(
            fmt("## comment\nSPDXVersion: SPDX-2.2\n"),
            Format::SpdxTagValue
        );
        assert_eq!(
            fmt("---\nSPDXID: \"SPDXRef-DOCUMENT\"\nspdxVersion: \"SPDX-2.3\"\n"),
            Format::SpdxYaml
        );
    }

    #[test]
    fn marker_beyond_prefix_is_found_by_skim() {
        let pad = "x".repeat(PREFIX + 10);
        let doc = format!(r#"{{"padding":"{pad}","bomFormat":"CycloneDX"}}"#);
        assert_eq!(fmt(&doc), Format::CycloneDxJson);
    }

    #[test]
    fn rejects_non_sboms_saying_what_was_looked_for() {
        for s in [
            "{\"name\":\"package.json\"}",
            "[1,2]",
            "<html></html>",
            "<bom version=\"1\"></bom>",
            "hello world",
        ] {
            match detect(s) {
                Err(IngestError::NotSbom { looked_for, .. }) => assert!(!looked_for.is_empty()),
                other => panic!("{s}: {other:?}"),
            }
        }
        assert!(matches!(detect("  \n "), Err(IngestError::Empty)));
    }

    #[test]
    fn only_cyclonedx_one_dot_digits_namespaces_are_cyclonedx_xml() {
        for ns in ["1.0", "1.6", "1.17"] {
            let doc =
                format!("<bom xmlns=\"http://cyclonedx.org/schema/bom/{ns}\" version=\"1\"/>");
            assert_eq!(fmt(&doc), Format::CycloneDxXml, "{ns}");
        }
        assert_eq!(
            fmt("<c:bom xmlns:c='http://cyclonedx.org/schema/bom/1.5'/>"),
            Format::CycloneDxXml
        );
        for ns in ["11", "1.", "1.x", "1.6/extra", "2.0", ""] {
            let doc =
                format!("<bom xmlns=\"http://cyclonedx.org/schema/bom/{ns}\" version=\"1\"/>");
            assert!(
                matches!(detect(&doc), Err(IngestError::NotSbom { .. })),
                "{ns} accepted"
            );
        }
        // The namespace as the value of some other attribute is not a declaration.
        assert!(matches!(
            detect("<bom note=\"http://cyclonedx.org/schema/bom/1.6\"/>"),
            Err(IngestError::NotSbom { .. })
        ));
    }

    #[test]
    fn envelopes_are_recognised() {
        assert_eq!(
            detect(r#"{"payloadType":"application/vnd.in-toto+json","payload":"e30="}"#).unwrap(),
            Detected::DsseEnvelope
        );
        assert_eq!(
            detect(r#"{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://cyclonedx.org/bom","predicate":{"bomFormat":"CycloneDX"}}"#).unwrap(),
            Detected::InTotoStatement
        );
    }

    #[test]
    fn broken_json_reports_position() {
        let pad = "x".repeat(PREFIX + 10);
        let doc = format!("{{\"padding\":\"{pad}\",\n\"a\": }}");
        assert!(matches!(
            detect(&doc),
            Err(IngestError::Syntax { line: 2, .. })
        ));
    }
}

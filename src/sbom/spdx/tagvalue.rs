//! SPDX 2 tag-value: a hand-written, single-pass line parser.
//!
//! Each line is `Tag: value`; a value may be `<text>...</text>` spanning lines; `#` lines are
//! comments. Sections are implied by order: `PackageName` starts a package, `FileName` a file,
//! `SnippetSPDXID` a snippet, `LicenseID` an extracted licence; `SPDXID` belongs to the element
//! started last (the document before any). Relationship and annotation lines may appear
//! anywhere and do not end a section. A file that follows a package is contained in it (see
//! [`super::ingest`]). Values are borrowed from the input; locations are line numbers.

use memchr::{memchr, memmem};

use super::ingest::{Ingest, LocMode};
use super::wire::{Checksum, ExternalRef, File, FlexBool, Package, Relationship, Snippet, Str};
use crate::sbom::builder::occurrences;
use crate::sbom::error::line_col;
use crate::sbom::{Builder, IngestError, Limits, Location};

/// Malformed lines reported one by one before the rest are only counted.
const MALFORMED_REPORTED: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    Document,
    Package,
    File,
    Snippet,
    License,
}

struct State<'a> {
    pkg: Option<Package<'a>>,
    file: Option<File<'a>>,
    snippet: Option<Snippet<'a>>,
    last: Last,
    /// SPDXID of the latest package, which contains the files that follow it.
    container: Option<String>,
    malformed: usize,
}

/// Read SPDX 2 tag-value.
pub fn read(text: &str, b: &mut Builder, _limits: &Limits) -> Result<(), IngestError> {
    let ids = occurrences(text, b"SPDXID:");
    b.reserve_components(text, ids, 32);
    // Edges: one per relationship line, plus at most one containment per file that follows
    // its package.
    b.reserve_edges(text, occurrences(text, b"Relationship:") + ids, 24);
    let mut ing = Ingest::new(b, LocMode::Line);
    ing.track_containment();
    let mut st = State {
        pkg: None,
        file: None,
        snippet: None,
        last: Last::Document,
        container: None,
        malformed: 0,
    };
    let bytes = text.as_bytes();
    let mut pos = 0usize;
    let mut line_no: u32 = 0;
    while pos < bytes.len() {
        line_no = line_no.saturating_add(1);
        let end = memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
        // `\n` is ASCII, so both ends are char boundaries.
        let line = &text[pos..end];
        pos = end + 1;
        let this_line = line_no;
        let body = line.trim_ascii();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let Some(colon) = memchr(b':', body.as_bytes()) else {
            st.malformed(&mut ing, body, this_line);
            continue;
        };
        // `:` is ASCII, so both slices start and end on char boundaries.
        let tag = body[..colon].trim_ascii_end();
        let mut value = body[colon + 1..].trim_ascii();
        if let Some(rest) = value.strip_prefix("<text>") {
            if let Some(close) = rest.find("</text>") {
                value = &rest[..close];
            } else {
                // The value runs on until `</text>` on some later line.
                let open = rest.as_ptr() as usize - text.as_ptr() as usize;
                let Some(len) = memmem::find(&bytes[open..], b"</text>") else {
                    let (line, column) = line_col(text, open);
                    return Err(IngestError::Syntax {
                        format: "SPDX tag-value",
                        line,
                        column,
                        message: format!("`{tag}: <text>` is never closed by `</text>`"),
                    });
                };
                value = &text[open..open + len];
                let newlines = memchr::memchr_iter(b'\n', value.as_bytes()).count();
                line_no = line_no.saturating_add(newlines as u32);
                let after = open + len + "</text>".len();
                pos = memchr(b'\n', &bytes[after..]).map_or(bytes.len(), |i| after + i + 1);
            }
        }
        st.tag(&mut ing, tag, value, this_line);
    }
    st.flush(&mut ing);
    if st.malformed > MALFORMED_REPORTED {
        ing.b.warn(
            "malformed-line",
            format!(
                "{} more line(s) without `Tag: value` were ignored",
                st.malformed - MALFORMED_REPORTED
            ),
            Location::none(),
        );
    }
    ing.finish();
    Ok(())
}

fn s(v: &str) -> Option<Str<'_>> {
    Some(Str::borrowed(v))
}

/// `ALG: value` (checksums).
fn checksum(v: &str) -> Checksum<'_> {
    match v.split_once(':') {
        Some((alg, val)) => Checksum {
            algorithm: s(alg.trim()),
            value: s(val.trim()),
            unknown: Vec::new(),
        },
        None => Checksum {
            algorithm: None,
            value: s(v),
            unknown: Vec::new(),
        },
    }
}

fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

/// Up to three blank-separated fields; the third takes the rest of the value.
fn three(v: &str) -> (Option<&str>, Option<&str>, Option<&str>) {
    // Splitting at ASCII blanks keeps every slice on a char boundary.
    let v = v.trim_ascii();
    let split = |s: &str| -> Option<usize> { s.bytes().position(is_blank) };
    let (a, rest) = match split(v) {
        Some(i) => (&v[..i], v[i..].trim_ascii_start()),
        None => return (Some(v).filter(|x| !x.is_empty()), None, None),
    };
    let (b, c) = match split(rest) {
        Some(i) => (&rest[..i], rest[i..].trim_ascii()),
        None => (rest, ""),
    };
    (
        Some(a),
        Some(b).filter(|x| !x.is_empty()),
        Some(c).filter(|x| !x.is_empty()),
    )
}

impl<'a> State<'a> {
    fn malformed(&mut self, ing: &mut Ingest<'_>, body: &str, line: u32) {
        self.malformed += 1;
        if self.malformed <= MALFORMED_REPORTED {
            let shown: String = body.chars().take(60).collect();
            ing.b.warn(
                "malformed-line",
                format!("line is not `Tag: value`: {shown:?}; ignored"),
                Location::line(line),
            );
        }
    }

    fn misplaced(ing: &mut Ingest<'_>, tag: &str, section: &str, line: u32) {
        ing.b.warn(
            "misplaced-tag",
            format!("`{tag}` outside a {section} section; ignored"),
            Location::line(line),
        );
    }

    /// End the package, file or snippet being read and hand it over.
    fn flush(&mut self, ing: &mut Ingest<'_>) {
        if let Some(p) = self.pkg.take() {
            self.container = p
                .spdxid
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string);
            ing.package(p);
        }
        if let Some(f) = self.file.take() {
            if let (Some(pkg), Some(id)) = (&self.container, f.spdxid.as_deref()) {
                let id = id.trim();
                if !id.is_empty() {
                    let loc = f.line.map(Location::line).unwrap_or_default();
                    ing.implied_contains(pkg, id, loc);
                }
            }
            ing.file(f);
        }
        if let Some(sn) = self.snippet.take() {
            ing.snippet(sn);
        }
    }

    fn package(&mut self, ing: &mut Ingest<'_>, tag: &str, line: u32) -> Option<&mut Package<'a>> {
        if self.pkg.is_none() {
            Self::misplaced(ing, tag, "package", line);
        }
        self.pkg.as_mut()
    }

    fn file(&mut self, ing: &mut Ingest<'_>, tag: &str, line: u32) -> Option<&mut File<'a>> {
        if self.file.is_none() {
            Self::misplaced(ing, tag, "file", line);
        }
        self.file.as_mut()
    }

    fn tag(&mut self, ing: &mut Ingest<'_>, tag: &str, v: &'a str, line: u32) {
        match tag {
            // Document creation information.
            "SPDXVersion" => ing.spec_version(v),
            "DocumentName" => ing.document_name(v),
            "DocumentNamespace" => ing.namespace(v),
            "SPDXID" => self.spdxid(ing, v, line),
            "DataLicense"
            | "ExternalDocumentRef"
            | "LicenseListVersion"
            | "Creator"
            | "Created"
            | "CreatorComment"
            | "DocumentComment" => {}

            // Package information.
            "PackageName" => {
                self.flush(ing);
                self.pkg = Some(Package {
                    name: s(v),
                    line: Some(line),
                    ..Package::default()
                });
                self.last = Last::Package;
            }
            "PackageVersion" => {
                if let Some(p) = self.package(ing, tag, line) {
                    p.version = s(v);
                }
            }
            "PackageFileName" => {
                if let Some(p) = self.package(ing, tag, line) {
                    p.file_name = s(v);
                }
            }
            "PackageSupplier" => {
                if let Some(p) = self.package(ing, tag, line) {
                    p.supplier = s(v);
                }
            }
            "PackageOriginator" => {
                if let Some(p) = self.package(ing, tag, line) {
                    p.originator = s(v);
                }
            }
            "PackageDownloadLocation" => {
                if let Some(p) = self.package(ing, tag, line) {
                    p.download_location = s(v);
                }
            }
            "FilesAnalyzed" => {
                if let Some(p) = self.package(ing, tag, line) {
                    p.files_analyzed = FlexBool(if v.eq_ignore_ascii_case("true") {
                        Some(true)
                    } else if v.eq_ignore_ascii_case("false") {
                        Some(false)
                    } else {
                        None
                    });
                }
            }
            "PackageChecksum" => {
                if let Some(p) = self.package(ing, tag, line) {
                    p.checksums.push(checksum(v));
                }
            }
            "PackageHomePage" => {
                if let Some(p) = self.package(ing, tag, line) {
                    p.homepage = s(v);
                }
            }
            "PackageSourceInfo" => {
                if let Some(p) = self.package(ing, tag, line) {
                    p.source_info = s(v);
                }
            }
            "PackageLicenseConcluded" => {
                if let Some(p) = self.package(ing, tag, line) {
                    p.license_concluded = s(v);
                }
            }
            "PackageLicenseDeclared" => {
                if let Some(p) = self.package(ing, tag, line) {
                    p.license_declared = s(v);
                }
            }
            "PackageCopyrightText" => {
                if let Some(p) = self.package(ing, tag, line) {
                    p.copyright = s(v);
                }
            }
            "PackageSummary" => {
                if let Some(p) = self.package(ing, tag, line) {
                    p.summary = s(v);
                }
            }
            "PackageDescription" => {
                if let Some(p) = self.package(ing, tag, line) {
                    p.description = s(v);
                }
            }
            "PrimaryPackagePurpose" => {
                if let Some(p) = self.package(ing, tag, line) {
                    p.purpose = s(v);
                }
            }
            "ExternalRef" => {
                if let Some(p) = self.package(ing, tag, line) {
                    let (category, kind, locator) = three(v);
                    p.external_refs.push(ExternalRef {
                        category: category.and_then(s),
                        kind: kind.and_then(s),
                        locator: locator.and_then(s),
                        unknown: Vec::new(),
                    });
                }
            }
            "PackageVerificationCode"
            | "PackageLicenseInfoFromFiles"
            | "PackageLicenseComments"
            | "PackageComment"
            | "ExternalRefComment"
            | "PackageAttributionText"
            | "ReleaseDate"
            | "BuiltDate"
            | "ValidUntilDate" => {}

            // File information.
            "FileName" => {
                self.flush(ing);
                self.file = Some(File {
                    name: s(v),
                    line: Some(line),
                    ..File::default()
                });
                self.last = Last::File;
            }
            "FileChecksum" => {
                if let Some(f) = self.file(ing, tag, line) {
                    f.checksums.push(checksum(v));
                }
            }
            "LicenseConcluded" => {
                if let Some(f) = self.file(ing, tag, line) {
                    f.license_concluded = s(v);
                }
            }
            "FileCopyrightText" => {
                if let Some(f) = self.file(ing, tag, line) {
                    f.copyright = s(v);
                }
            }
            "FileContributor" => {
                if let Some(f) = self.file(ing, tag, line) {
                    f.contributors.push(Str::borrowed(v));
                }
            }
            "FileType"
            | "LicenseInfoInFile"
            | "LicenseComments"
            | "FileComment"
            | "FileNotice"
            | "FileAttributionText"
            | "FileDependency"
            | "ArtifactOfProjectName"
            | "ArtifactOfProjectHomePage"
            | "ArtifactOfProjectURI" => {}

            // Snippet information.
            "SnippetSPDXID" => {
                self.flush(ing);
                self.snippet = Some(Snippet {
                    spdxid: s(v),
                    line: Some(line),
                    unknown: Vec::new(),
                });
                self.last = Last::Snippet;
            }
            "SnippetFromFileSPDXID"
            | "SnippetByteRange"
            | "SnippetLineRange"
            | "SnippetLicenseConcluded"
            | "LicenseInfoInSnippet"
            | "SnippetLicenseComments"
            | "SnippetCopyrightText"
            | "SnippetComment"
            | "SnippetName"
            | "SnippetAttributionText" => {}

            // Other licensing information.
            "LicenseID" => {
                self.flush(ing);
                self.last = Last::License;
            }
            "ExtractedText" | "LicenseName" | "LicenseCrossReference" | "LicenseComment" => {}

            // Relationships, annotations, reviews.
            "Relationship" => {
                let (a, t, c) = three(v);
                ing.relationship(Relationship {
                    element: a.and_then(s),
                    kind: t.and_then(s),
                    related: c.and_then(s),
                    line: Some(line),
                    unknown: Vec::new(),
                });
            }
            "RelationshipComment"
            | "Annotator"
            | "AnnotationDate"
            | "AnnotationType"
            | "SPDXREF"
            | "AnnotationComment"
            | "Reviewer"
            | "ReviewDate"
            | "ReviewComment" => {}

            _ => ing
                .b
                .unknown_field("tag-value document", tag, || Location::line(line)),
        }
    }

    fn spdxid(&mut self, ing: &mut Ingest<'_>, v: &'a str, line: u32) {
        let slot = match self.last {
            Last::Document => {
                ing.document_id(v);
                return;
            }
            Last::Package => self.pkg.as_mut().map(|p| &mut p.spdxid),
            Last::File => self.file.as_mut().map(|f| &mut f.spdxid),
            Last::Snippet | Last::License => None,
        };
        match slot {
            Some(slot) if slot.is_none() => *slot = s(v),
            _ => ing.b.warn(
                "misplaced-tag",
                format!("`SPDXID: {v}` does not follow a package or file name; ignored"),
                Location::line(line),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sbom::{Document, Format, RelKind};

    fn read_str(t: &str) -> Result<Document, IngestError> {
        let mut b = Builder::new("t", Format::SpdxTagValue);
        read(t, &mut b, &Limits::default())?;
        b.finish(false)
    }

    fn edges(d: &Document) -> Vec<(String, String, String)> {
        d.relationships
            .iter()
            .map(|r| {
                (
                    d.component(r.from).bom_ref.to_string(),
                    r.kind.name(),
                    d.component(r.to).bom_ref.to_string(),
                )
            })
            .collect()
    }

    const DOC: &str = "SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: demo
DocumentNamespace: https://example.com/demo
# a comment
Creator: Tool: hand

FileName: ./loose.c
SPDXID: SPDXRef-loose

PackageName: app
SPDXID: SPDXRef-app
PackageVersion:\t1.0
PackageSupplier: Organization: Acme (ops@acme.example)
PackageDownloadLocation: https://acme.example/app.tgz
PackageChecksum: SHA256: ABCD
PackageCopyrightText: <text>Copyright Acme
and friends</text>
ExternalRef: PACKAGE-MANAGER purl pkg:generic/app@1.0
Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-app

FileName: ./app/main.c
SPDXID: SPDXRef-main
FileChecksum: SHA1: 0102
FileContributor: Jane Doe

FileName: ./app/other.c
SPDXID: SPDXRef-other
Relationship: SPDXRef-lib CONTAINS SPDXRef-other

PackageName: lib
SPDXID: SPDXRef-lib
PackageSupplier: Huawei Technologies
";

    #[test]
    fn fields_map_and_lines_are_locations() {
        let d = read_str(DOC).unwrap();
        assert_eq!(d.spec_version, "2.3");
        assert_eq!(d.name.as_deref(), Some("demo"));
        assert_eq!(d.serial.as_deref(), Some("https://example.com/demo"));
        let refs: Vec<&str> = d.components.iter().map(|c| c.bom_ref.as_str()).collect();
        assert_eq!(
            refs,
            vec![
                "SPDXRef-loose",
                "SPDXRef-app",
                "SPDXRef-main",
                "SPDXRef-other",
                "SPDXRef-lib"
            ]
        );
        let app = &d.components[1];
        assert_eq!(app.version.as_deref(), Some("1.0"));
        assert_eq!(app.location, Location::line(12));
        assert_eq!(app.supplier.as_ref().unwrap().name, "Acme");
        assert_eq!(
            app.copyright.as_deref(),
            Some("Copyright Acme\nand friends")
        );
        assert_eq!(app.purl.as_deref(), Some("pkg:generic/app@1.0"));
        assert_eq!(app.hashes[0].value, "abcd");
        // The multi-line value moved the line count on correctly.
        assert_eq!(d.components[2].location, Location::line(23));
        assert_eq!(d.components[2].authors[0].name, "Jane Doe");
        assert_eq!(d.roots, vec![1]);
    }

    #[test]
    fn files_after_a_package_are_contained_unless_an_explicit_relationship_says_otherwise() {
        let d = read_str(DOC).unwrap();
        let e = edges(&d);
        assert!(e.contains(&(
            "SPDXRef-app".into(),
            "contains".into(),
            "SPDXRef-main".into()
        )));
        assert!(e.contains(&(
            "SPDXRef-lib".into(),
            "contains".into(),
            "SPDXRef-other".into()
        )));
        assert!(!e.contains(&(
            "SPDXRef-app".into(),
            "contains".into(),
            "SPDXRef-other".into()
        )));
        // The file before any package belongs to none.
        assert!(!e.iter().any(|(_, _, to)| to == "SPDXRef-loose"));
    }

    #[test]
    fn unprefixed_supplier_is_kept_and_flagged_with_line() {
        let d = read_str(DOC).unwrap();
        let lib = &d.components[4];
        assert_eq!(lib.supplier.as_ref().unwrap().name, "Huawei Technologies");
        let w = d
            .warnings
            .iter()
            .find(|w| w.code == "unprefixed-supplier")
            .unwrap();
        // The package's line (the warning is about the package).
        assert_eq!(w.location, Location::line(32));
    }

    #[test]
    fn unknown_tags_and_malformed_lines_warn() {
        let d = read_str("SPDXVersion: SPDX-2.2\nFooBar: x\nthis is not a tag line\n").unwrap();
        let codes: Vec<&str> = d.warnings.iter().map(|w| w.code).collect();
        assert!(codes.contains(&"unknown-field"), "{codes:?}");
        assert!(codes.contains(&"malformed-line"), "{codes:?}");
    }

    #[test]
    fn unclosed_text_is_a_syntax_error_at_its_line() {
        let e =
            read_str("SPDXVersion: SPDX-2.2\nDocumentComment: <text>never\nclosed\n").unwrap_err();
        match e {
            IngestError::Syntax { line, .. } => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn package_tag_outside_a_package_is_misplaced() {
        let d = read_str("SPDXVersion: SPDX-2.2\nPackageVersion: 1\n").unwrap();
        assert!(d.warnings.iter().any(|w| w.code == "misplaced-tag"));
        assert!(d.components.is_empty());
    }

    #[test]
    fn relationship_lines_flip_of_types() {
        let d = read_str(
            "SPDXVersion: SPDX-2.3\nPackageName: a\nSPDXID: SPDXRef-a\nPackageName: b\nSPDXID: SPDXRef-b\nRelationship: SPDXRef-a DEV_DEPENDENCY_OF SPDXRef-b\n",
        )
        .unwrap();
        assert_eq!(d.relationships.len(), 1);
        let r = &d.relationships[0];
        assert_eq!(d.component(r.from).bom_ref, "SPDXRef-b");
        assert_eq!(r.kind, RelKind::DependsOn(crate::sbom::DepScope::Dev));
    }

    #[test]
    fn crlf_line_endings_and_empty_input_read() {
        let d =
            read_str("SPDXVersion: SPDX-2.2\r\nPackageName: a\r\nSPDXID: SPDXRef-a\r\n").unwrap();
        assert_eq!(d.components[0].bom_ref, "SPDXRef-a");
        assert_eq!(d.components[0].name, "a");
        let d = read_str("").unwrap();
        assert!(d.components.is_empty());
    }

    #[test]
    fn three_splits_the_rest_into_the_third_field() {
        assert_eq!(three("a\tb  c d"), (Some("a"), Some("b"), Some("c d")));
        assert_eq!(
            three("SECURITY  cpe23Type cpe:2.3:a:x:y:1:*:*:*:*:*:*:*"),
            (
                Some("SECURITY"),
                Some("cpe23Type"),
                Some("cpe:2.3:a:x:y:1:*:*:*:*:*:*:*")
            )
        );
        assert_eq!(three("a"), (Some("a"), None, None));
        assert_eq!(three("a b"), (Some("a"), Some("b"), None));
    }
}

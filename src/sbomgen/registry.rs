//! A registry padded with synthetic vendors, for showing that matching does not slow down as
//! the registry grows: the embedded registry's files, plus generated vendor files until there
//! are `factor` times as many vendors, each with the usual mix of evidence (a legal entity, a
//! CPE vendor, a domain, purl namespaces, an SDK with product names, file names, a Java package
//! and a CPE product). The synthetic names are made-up words (`Synthvendor ...`, `synthv...`)
//! that no generated component carries, so the audit's findings do not change; only the index
//! the components are looked up in grows.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::registry::embedded_files;
use crate::registry::load::SourceFile;

const COUNTRIES: &[&str] = &["US", "DE", "JP", "FR", "GB", "KR", "IN", "BR", "CA", "SE"];
const KINDS: &[&str] = &["sdk", "open-source", "product", "firmware", "app"];

/// Vendor files in the embedded registry.
fn real_vendor_count(files: &[SourceFile]) -> usize {
    files
        .iter()
        .filter(|f| f.path.starts_with("vendors/"))
        .count()
}

/// One synthetic vendor file.
fn vendor_file(i: usize) -> String {
    let country = COUNTRIES[i % COUNTRIES.len()];
    let kind = KINDS[i % KINDS.len()];
    let mut s = String::with_capacity(2048);
    let _ = write!(
        s,
        r#"id = "synth-{i:05}"
name = "Synthvendor {i}"
kind = "vendor"
hq_country = "{country}"
country_status = "unconfirmed"
summary = "Synthetic vendor {i}, generated for the registry-size benchmark; not a real company."
status = "unconfirmed"
sources = ["bomvet-curator-knowledge"]

[[entity]]
name = "Synthvendor {i} Holdings Ltd."
country = "{country}"
relation = "parent"
aliases = ["Synthvendor {i} Holdings"]
status = "unconfirmed"
sources = ["bomvet-curator-knowledge"]

[[identifier]]
kind = "cpe-vendor"
value = "synthv{i}"
status = "unconfirmed"
sources = ["bomvet-curator-knowledge"]

[[identifier]]
kind = "domain"
value = "synthv{i}.example"
status = "unconfirmed"
sources = ["bomvet-curator-knowledge"]

[[identifier]]
kind = "purl"
value = "pkg:maven/com.synthv{i}"
status = "unconfirmed"
sources = ["bomvet-curator-knowledge"]

[[product]]
id = "synth-{i:05}-sdk"
name = "Synthv{i} Mobile SDK"
kind = "{kind}"
branded = true
aliases = ["Synthv{i} SDK"]
identifiers = [
  {{ kind = "purl", value = "pkg:npm/@synthv{i}", status = "unconfirmed", sources = ["bomvet-curator-knowledge"] }},
  {{ kind = "product-name", value = "Synthv{i} Agent", status = "unconfirmed", sources = ["bomvet-curator-knowledge"] }},
  {{ kind = "file-name", value = "synthv{i}sdk.dll", status = "unconfirmed", sources = ["bomvet-curator-knowledge"] }},
  {{ kind = "java-package", value = "com.synthv{i}.sdk", status = "unconfirmed", sources = ["bomvet-curator-knowledge"] }},
  {{ kind = "cpe-product", value = "synthv{i}:mobile_sdk", status = "unconfirmed", sources = ["bomvet-curator-knowledge"] }},
]
status = "unconfirmed"
sources = ["bomvet-curator-knowledge"]
"#
    );
    s
}

/// The embedded registry's files plus synthetic vendors, `factor` times as many vendors in
/// all (a factor of 1 or less gives the embedded registry unchanged). Paths are relative to
/// the registry directory.
pub fn padded(factor: usize) -> Vec<SourceFile> {
    let mut files = embedded_files();
    let real = real_vendor_count(&files);
    let extra = real * factor.max(1) - real;
    for i in 1..=extra {
        files.push(SourceFile {
            path: format!("vendors/synth-{i:05}.toml"),
            text: Cow::Owned(vendor_file(i)),
        });
    }
    files
}

/// Write [`padded`] into `dir` (created if missing).
pub fn write_padded(dir: &std::path::Path, factor: usize) -> std::io::Result<usize> {
    let files = padded(factor);
    for f in &files {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, f.text.as_bytes())?;
    }
    Ok(files.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::model::Registry;

    #[test]
    fn a_ten_times_registry_validates_with_ten_times_the_vendors() {
        let real = Registry::embedded().unwrap().vendors.len();
        let reg = Registry::from_files(padded(10), "padded".into(), Vec::new())
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(reg.vendors.len(), real * 10);
    }
}

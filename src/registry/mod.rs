//! The vendor registry: curated, sourced data on designated vendors, their products, SDKs and
//! OEM relations (`vendor-registry/`, format in its README.md).
//!
//! - [`model`]: raw TOML shapes and the validated [`Registry`];
//! - [`load`]: reading a directory or the embedded copy, collecting every problem;
//! - [`lint`]: the rules the data must follow;
//! - [`index`]: the matching index built once per run;
//! - [`normalize`]: name normalisation; [`version`]: version ranges;
//! - [`schema`]: the JSON Schema of the files; [`export`]: the registry as one JSON document;
//! - [`bundle`]: signed bundles ([`minisign`] keys and signatures, [`utc`] times), installed in
//!   the [`cache`]; [`overlay`]: organisation overlays merged over the base.
//!
//! The registry directory is compiled into the binary (see `build.rs`), so bomvet works
//! offline; `--registry DIR` replaces it.

pub mod bundle;
pub mod cache;
pub mod export;
pub mod index;
pub mod lint;
pub mod load;
pub mod minisign;
pub mod model;
pub mod normalize;
pub mod overlay;
pub mod problem;
pub mod schema;
pub mod utc;
pub mod version;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub use index::{Confidence, Hit, Index};
pub use load::SourceFile;
pub use model::*;
pub use problem::{Problem, Severity};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_registry.rs"));
}

/// Why a registry could not be used.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("cannot read the registry at {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the registry ({origin}) has {} error(s)", problem::counts(problems).0)]
    Invalid {
        origin: String,
        /// Every problem found (errors, warnings and notes), sorted by file and position.
        problems: Vec<Problem>,
    },
}

/// The result of checking registry files: every problem, sorted.
#[derive(Debug)]
pub struct Checked {
    pub problems: Vec<Problem>,
    pub(crate) infos: Vec<load::FileInfo>,
    pub(crate) raw: load::RawRegistry,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }
}

/// Parse and lint `files`, reporting every problem in every file.
pub fn check(files: &[SourceFile]) -> Checked {
    let (infos, raw, mut problems) = load::parse_all(files);
    problems.extend(lint::lint(&infos, &raw));
    problem::sort(&mut problems);
    Checked {
        problems,
        infos,
        raw,
    }
}

/// The registry files compiled into this binary, sorted by path.
pub fn embedded_files() -> Vec<SourceFile> {
    embedded::FILES
        .iter()
        .map(|(path, text)| SourceFile {
            path: (*path).to_string(),
            text: Cow::Borrowed(*text),
        })
        .collect()
}

/// The files of a registry directory, with problems for files that could not be read.
pub fn read_dir(dir: &Path) -> Result<(Vec<SourceFile>, Vec<Problem>), RegistryError> {
    load::read_dir(dir)
}

impl Registry {
    /// The registry compiled into the binary, parsed once per process.
    pub fn embedded() -> Result<&'static Registry, &'static RegistryError> {
        static EMBEDDED: OnceLock<Result<Registry, RegistryError>> = OnceLock::new();
        EMBEDDED
            .get_or_init(|| Registry::from_files(embedded_files(), "embedded".into(), Vec::new()))
            .as_ref()
    }

    /// Load and validate the registry in `dir`.
    pub fn load_dir(dir: &Path) -> Result<Registry, RegistryError> {
        let (files, problems) = load::read_dir(dir)?;
        Registry::from_files(files, dir.display().to_string(), problems)
    }

    /// Validate `files` (plus problems found while reading them) into a registry.
    pub fn from_files(
        files: Vec<SourceFile>,
        origin: String,
        read_problems: Vec<Problem>,
    ) -> Result<Registry, RegistryError> {
        let mut checked = check(&files);
        if !read_problems.is_empty() {
            checked.problems.extend(read_problems);
            problem::sort(&mut checked.problems);
        }
        if checked.has_errors() {
            return Err(RegistryError::Invalid {
                origin,
                problems: checked.problems,
            });
        }
        let digest = load::digest(&files);
        Ok(load::resolve(
            &checked.infos,
            &checked.raw,
            digest,
            origin,
            checked.problems,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real data in `vendor-registry/` must lint without errors.
    #[test]
    fn the_real_registry_directory_lints_clean() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor-registry");
        let (files, read_problems) = read_dir(&dir).unwrap();
        assert!(read_problems.is_empty(), "{read_problems:#?}");
        let checked = check(&files);
        let errors: Vec<String> = checked
            .problems
            .iter()
            .filter(|p| p.is_error())
            .map(|p| p.to_string())
            .collect();
        assert!(errors.is_empty(), "registry errors:\n{}", errors.join("\n"));
    }

    #[test]
    fn the_embedded_registry_loads_and_matches_the_directory() {
        let reg = Registry::embedded().unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor-registry");
        let from_dir = Registry::load_dir(&dir).unwrap();
        assert_eq!(
            reg.meta.digest, from_dir.meta.digest,
            "rebuild to re-embed the data"
        );
        assert!(reg.meta.digest.starts_with("sha256:"));
        assert!(reg.meta.serial >= 1);
        assert_eq!(reg.vendors.len(), from_dir.vendors.len());
    }

    fn real() -> Registry {
        Registry::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor-registry")).unwrap()
    }

    /// (vendor id, OEM id) of each hit, sorted.
    fn owners(reg: &Registry, hits: &[Hit<'_>]) -> Vec<(String, Option<String>)> {
        let mut v: Vec<(String, Option<String>)> = hits
            .iter()
            .map(|h| {
                (
                    reg.vendor(h.vendor).id.clone(),
                    h.oem.map(|o| reg.oem(o).id.clone()),
                )
            })
            .collect();
        v.sort();
        v.dedup();
        v
    }

    #[test]
    fn every_oem_embedder_of_the_real_registry_is_a_vendor_of_it() {
        let reg = real();
        for o in &reg.oems {
            if let Some(ev) = &o.embedder_vendor {
                let id = o
                    .embedder_vendor_id
                    .unwrap_or_else(|| panic!("{}: {ev}", o.id));
                assert_eq!(&reg.vendor(id).id, ev);
            }
        }
        // The third parties that embedded Kaspersky are not designated themselves.
        let kaspersky = reg.vendor_by_id("kaspersky").unwrap();
        let embedders: Vec<&Vendor> = reg
            .oems
            .iter()
            .filter(|o| o.vendor == kaspersky)
            .filter_map(|o| o.embedder_vendor_id)
            .map(|v| reg.vendor(v))
            .collect();
        assert!(embedders.len() >= 11, "{}", embedders.len());
        for v in embedders {
            assert!(!v.is_designated(), "{} is designated", v.id);
        }
    }

    #[test]
    fn near_miss_security_vendors_resolve_to_their_own_vendor_and_country() {
        let reg = real();
        let idx = reg.index();
        for (name, vendor, country) in [
            ("Avast Software s.r.o.", "gen-digital", "US"),
            ("NortonLifeLock Inc.", "gen-digital", "US"),
            ("ESET, spol. s r.o.", "eset", "SK"),
            ("Bitdefender SRL", "bitdefender", "RO"),
            ("Trend Micro Incorporated", "trend-micro", "JP"),
            (
                "Check Point Software Technologies Ltd.",
                "check-point",
                "IL",
            ),
            ("G DATA CyberDefense AG", "g-data", "DE"),
            ("F-Secure Corporation", "f-secure", "FI"),
            ("Pango Group", "pango", "US"),
        ] {
            let hits = idx.match_name(name);
            assert_eq!(owners(&reg, &hits), [(vendor.to_string(), None)], "{name}");
            let v = reg.vendor(hits[0].vendor);
            assert_eq!((v.hq_country.as_str(), v.is_designated()), (country, false));
        }
        let avira = idx.match_name("Avira");
        let e = reg.entity(avira[0].entity.unwrap());
        assert_eq!(e.country.as_deref(), Some("DE"));
    }

    #[test]
    fn a_vendor_wide_identifier_of_an_embedder_never_names_the_embedded_vendor() {
        let reg = real();
        let idx = reg.index();
        let c =
            crate::sbom::cpe::Cpe::parse("cpe:2.3:a:microsoft:exchange_server:2019:*:*:*:*:*:*:*")
                .unwrap();
        assert_eq!(
            owners(&reg, &idx.match_cpe(&c)),
            [("microsoft".to_string(), None)]
        );
        // The product named by the OEM relation hits both its maker and the relation.
        let hits = idx.match_component_name("Forefront Security for Exchange Server");
        assert_eq!(
            owners(&reg, &hits),
            [
                (
                    "kaspersky".to_string(),
                    Some("microsoft-forefront-exchange-kaspersky".to_string())
                ),
                ("microsoft".to_string(), None),
            ]
        );
        // NETGEAR Armor embeds Bitdefender, not Kaspersky.
        let hits = idx.match_component_name("NETGEAR Armor");
        assert_eq!(
            owners(&reg, &hits),
            [
                (
                    "bitdefender".to_string(),
                    Some("netgear-armor-bitdefender".to_string())
                ),
                ("netgear".to_string(), None),
            ]
        );
    }
}

pub mod sbom;

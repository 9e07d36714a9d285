//! bomvet: audit CycloneDX and SPDX SBOMs for software from banned vendors.
//!
//! The pipeline, one module per stage:
//! - [`sbom`]: ingestion — any supported SBOM format into one format-neutral [`sbom::Document`];
//! - [`registry`]: the curated vendor registry (embedded, or `--registry DIR`) and its index;
//! - [`inputs`]: command-line inputs (files, directories, stdin) into documents, per-input errors;
//! - [`net`]: the HTTP client (registry updates, SBOMs given as URLs);
//! - [`commands`]: one function per subcommand, returning data and an exit status; never exits.
//!
//! `main.rs` is a thin clap front end over this library.

pub mod audit;
pub mod cli;
pub mod commands;
pub mod exposure;
pub mod inputs;
pub mod net;
pub mod output;
pub mod par;
pub mod policy;
pub mod registry;
pub mod report;
pub mod resolve;
pub mod sbom;
/// Synthetic SBOM generator shared by `examples/gensbom` and the benchmarks; not a public API.
#[doc(hidden)]
pub mod sbomgen;
pub mod textpos;
pub mod vetting;

//! The command line, as clap derive types. Doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Audit CycloneDX and SPDX SBOMs for software from banned vendors.
///
/// Exit codes: 0 = no deny finding, 1 = at least one deny finding, 2 = an input, policy or
/// registry could not be used.
#[derive(Debug, Parser)]
#[command(name = "bomvet", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show what bomvet reads from SBOMs: format, spec version, components, relationships,
    /// roots and warnings.
    Inspect(InspectArgs),
}

/// Options shared by every command that reads SBOMs.
#[derive(Debug, Clone, Args)]
pub struct ReadArgs {
    /// SBOM files, directories (searched recursively) or `-` for stdin. Gzip and UTF-16 are
    /// read transparently; the format is detected from the content.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,

    /// Treat every ingestion warning as an error.
    #[arg(long)]
    pub strict: bool,

    /// Largest input accepted, in bytes (after decompression). Accepts K, M, G suffixes.
    #[arg(long, value_name = "SIZE", default_value = "4G", value_parser = parse_size)]
    pub max_size: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InspectFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    #[command(flatten)]
    pub read: ReadArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = InspectFormat::Table)]
    pub format: InspectFormat,

    /// List every component with its normalized identity.
    #[arg(long)]
    pub components: bool,

    /// Write the output to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Parse `123`, `64K`, `512M`, `4G` (binary multiples).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (num, mult) = match s.chars().last() {
        Some('k' | 'K') => (&s[..s.len() - 1], 1u64 << 10),
        Some('m' | 'M') => (&s[..s.len() - 1], 1 << 20),
        Some('g' | 'G') => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| format!("{s:?} is not a size (examples: 1048576, 512M, 4G)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("10").unwrap(), 10);
        assert_eq!(parse_size("2K").unwrap(), 2048);
        assert_eq!(parse_size("4G").unwrap(), 4 << 30);
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999999G").is_err());
    }

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}

//! The command line, as clap derive types. Doc comments are the help text.

use std::path::PathBuf;
use std::time::Duration;

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

// Parsed once per process: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit SBOMs: attribute every component to a vendor and country, find every path to a
    /// banned vendor, and gate on it (exit code 1 on a deny finding).
    Audit(AuditArgs),
    /// Show what bomvet reads from SBOMs: format, spec version, components, relationships,
    /// roots and warnings.
    Inspect(InspectArgs),
    /// List, show, check and export the vendor registry bomvet matches against.
    Registry(RegistryArgs),
    /// Write a commented starter policy file (bomvet.toml) with every key explained.
    Init(InitArgs),
    /// Compare two versions of a product's SBOM: exposure added, removed and unchanged (exit
    /// code 1 when NEW has a deny finding OLD did not).
    Diff(DiffArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the policy.
    #[arg(long, short, value_name = "FILE", default_value = "bomvet.toml")]
    pub output: PathBuf,

    /// Overwrite FILE if it exists.
    #[arg(long)]
    pub force: bool,
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

    /// Read files instead of mapping them into memory. Large files are mapped by default, which
    /// is faster; a file truncated or rewritten by another process while it is mapped can crash
    /// bomvet or be read inconsistently, so give this when inputs may change during the run.
    #[arg(long)]
    pub no_mmap: bool,

    #[command(flatten)]
    pub net: NetArgs,
}

/// Network limits: `registry update` and inputs given as `http(s)://` URLs.
#[derive(Debug, Clone, Args)]
pub struct NetArgs {
    /// Forbid every network access; an input given as a URL is then an error.
    #[arg(long)]
    pub offline: bool,

    /// Connect timeout (e.g. 500ms, 10s).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    pub connect_timeout: Duration,

    /// Timeout of a whole download attempt, body included (e.g. 60s, 2m).
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub timeout: Duration,

    /// Largest download accepted, in bytes. Accepts K, M, G suffixes.
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_download: u64,

    /// Retries after a connection error or a 5xx answer (never after a 4xx or a timeout).
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub retries: u32,

    /// Delay before the first retry, doubled for each further one.
    #[arg(long, value_name = "DURATION", default_value = "500ms", value_parser = parse_duration)]
    pub retry_delay: Duration,
}

impl NetArgs {
    pub fn fetch_options(&self) -> crate::net::FetchOptions {
        crate::net::FetchOptions {
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
            max_bytes: self.max_download,
            retries: self.retries,
            retry_delay: self.retry_delay,
            offline: self.offline,
        }
    }
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// Summary per document and each finding with its path drawn as a tree.
    Table,
    /// Versioned JSON (schemas/report.schema.json).
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// JUnit XML, for CI test reports (GitLab, Jenkins, Azure DevOps).
    Junit,
    /// Markdown summary for a pull-request comment or a procurement memo.
    Markdown,
    /// CSV, one row per component, for spreadsheets.
    Csv,
    /// Self-contained HTML evidence report.
    Html,
}

impl AuditFormat {
    pub fn name(self) -> &'static str {
        match self {
            AuditFormat::Table => "table",
            AuditFormat::Json => "json",
            AuditFormat::Sarif => "sarif",
            AuditFormat::Junit => "junit",
            AuditFormat::Markdown => "markdown",
            AuditFormat::Csv => "csv",
            AuditFormat::Html => "html",
        }
    }
}

#[derive(Debug, Args)]
// With a manifest, the inputs may all come from it.
#[command(mut_arg("inputs", |a| a.required(false).required_unless_present("manifest")))]
pub struct AuditArgs {
    #[command(flatten)]
    pub read: ReadArgs,

    /// Output format (default: table). Repeatable: `--format sarif --output a.sarif --format
    /// table` writes SARIF to a.sarif and the table to stdout; at most one format goes to stdout.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Vec<AuditFormat>,

    /// Write the report to FILE instead of stdout. With several `--format`s, each `--output`
    /// applies to the `--format` just before it.
    #[arg(long, short, value_name = "FILE")]
    pub output: Vec<PathBuf>,

    /// Command-line positions of each `--format` and `--output` (filled by [`parse`], which
    /// pairs them; empty when the arguments were built another way).
    #[arg(skip)]
    pub format_positions: Vec<usize>,
    #[arg(skip)]
    pub output_positions: Vec<usize>,

    #[command(flatten)]
    pub gate: GateArgs,

    /// Documents audited in parallel (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    /// Submission manifest (TOML `[[submission]]` tables or CSV `vendor,product,sbom`): audit
    /// the SBOMs it lists, each under its submitting vendor and product (docs/vetting.md).
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,

    /// No progress bar and no notes on stderr; errors and warnings are still printed.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// The registry and policy a run is judged by (`audit` and `diff`).
#[derive(Debug, Clone, Args)]
pub struct GateArgs {
    /// Policy file (default: ./bomvet.toml when it exists, else the built-in defaults).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// Use the registry in DIR instead of the one built into bomvet (or the installed bundle).
    #[arg(long, value_name = "DIR")]
    pub registry: Option<PathBuf>,

    /// Merge the overlay in DIR over the registry (repeatable; after `[registry] overlays`).
    #[arg(long = "registry-overlay", value_name = "DIR")]
    pub registry_overlay: Vec<PathBuf>,

    /// Declared use context of the audited systems (Section 889 purposes); repeatable:
    /// public-safety, government-facility-security, critical-infrastructure-surveillance,
    /// national-security.
    #[arg(long = "use-context", value_name = "CONTEXT")]
    pub use_context: Vec<String>,

    /// Make finding CODE deny (repeatable).
    #[arg(long, value_name = "CODE")]
    pub deny: Vec<String>,

    /// Make finding CODE warn (repeatable).
    #[arg(long, value_name = "CODE")]
    pub warn: Vec<String>,

    /// Drop finding CODE from the report (repeatable).
    #[arg(long, value_name = "CODE")]
    pub allow: Vec<String>,

    /// The day waivers are checked against, YYYY-MM-DD (default: today, UTC). For tests.
    #[arg(long, value_name = "YYYY-MM-DD", hide = true, value_parser = parse_day)]
    pub today: Option<crate::policy::date::Day>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// The changes as lists with paths, then old and new side by side.
    Table,
    /// Versioned JSON (schemas/diff.schema.json).
    Json,
    /// A summary for a pull-request comment or a removal-plan record.
    Markdown,
}

/// `bomvet diff OLD NEW`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier SBOM (file, `-` for stdin, or URL).
    #[arg(value_name = "OLD")]
    pub old: String,

    /// The later SBOM.
    #[arg(value_name = "NEW")]
    pub new: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,

    /// Write the diff to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub gate: GateArgs,

    /// Treat every ingestion warning as an error.
    #[arg(long)]
    pub strict: bool,

    /// Largest input accepted, in bytes (after decompression). Accepts K, M, G suffixes.
    #[arg(long, value_name = "SIZE", default_value = "4G", value_parser = parse_size)]
    pub max_size: u64,

    /// Read files instead of mapping them into memory. Large files are mapped by default, which
    /// is faster; a file truncated or rewritten by another process while it is mapped can crash
    /// bomvet or be read inconsistently, so give this when inputs may change during the run.
    #[arg(long)]
    pub no_mmap: bool,

    #[command(flatten)]
    pub net: NetArgs,
}

fn parse_day(s: &str) -> Result<crate::policy::date::Day, String> {
    crate::policy::date::Day::parse(s)
}

/// `bomvet registry ...`.
#[derive(Debug, Args)]
pub struct RegistryArgs {
    /// Use the registry in DIR instead of the one built into bomvet (or the installed bundle).
    #[arg(long, global = true, value_name = "DIR")]
    pub registry: Option<PathBuf>,

    /// Merge the overlay in DIR over the registry (repeatable; after `[registry] overlays`).
    #[arg(long = "registry-overlay", global = true, value_name = "DIR")]
    pub registry_overlay: Vec<PathBuf>,

    /// Policy file whose `[registry]` table gives the update URL, public key, overlays and
    /// maximum age (default: ./bomvet.toml when it exists).
    #[arg(long, global = true, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    #[command(subcommand)]
    pub command: RegistryCommand,
}

impl RegistryArgs {
    /// Where the command's output goes (`export --output`), if not stdout.
    pub fn output(&self) -> Option<PathBuf> {
        match &self.command {
            RegistryCommand::Export { output, .. } => output.clone(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
}

#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// List the vendors: id, name, kind, HQ country, designations, products, OEM relations.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = InspectFormat::Table)]
        format: InspectFormat,
    },
    /// Show everything known about a vendor, product, OEM relation, designation or source,
    /// with its sources in full.
    Show {
        /// A vendor, product, OEM, designation id or source key.
        id: String,
        /// Output format (`table` is readable text).
        #[arg(long, value_enum, default_value_t = InspectFormat::Table)]
        format: InspectFormat,
    },
    /// Check a registry directory (default: the registry built into bomvet) and list every
    /// problem with its file and key. Exit code 2 when there is an error.
    Lint {
        /// The registry directory to check (overrides --registry).
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Output format (`table` is one line per problem).
        #[arg(long, value_enum, default_value_t = InspectFormat::Table)]
        format: InspectFormat,
    },
    /// Write a new Ed25519 key pair in minisign format: PREFIX.key (secret, unencrypted) and
    /// PREFIX.pub (public).
    Keygen {
        /// Path prefix of the two files.
        #[arg(long, short, value_name = "PREFIX")]
        output: PathBuf,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
    /// Lint a registry directory and write it as one signed bundle file.
    Bundle {
        /// The registry directory.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Secret key (minisign format, unencrypted).
        #[arg(long, value_name = "FILE", required_unless_present = "unsigned")]
        key: Option<PathBuf>,
        /// Write the unsigned payload only, to sign with `minisign -S` and assemble by hand
        /// (docs/registry-updates.md).
        #[arg(long, conflicts_with = "key")]
        unsigned: bool,
        /// The bundle file to write.
        #[arg(long, short, value_name = "FILE")]
        output: PathBuf,
        /// Serial of the bundle (default: the registry's own serial).
        #[arg(long, value_name = "N")]
        serial: Option<u64>,
        /// Expiry: a duration from now (180d, 12h) or a UTC date (2027-06-01 or
        /// 2027-06-01T00:00:00Z).
        #[arg(long, value_name = "WHEN", default_value = "180d")]
        expires: String,
    },
    /// Check a bundle's signature, digest and registry without installing it.
    Verify {
        /// The bundle file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Public key (default: `[registry] pubkey` of the policy file).
        #[arg(long, value_name = "FILE")]
        pubkey: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = InspectFormat::Table)]
        format: InspectFormat,
    },
    /// Download a signed bundle, verify it and install it in the user cache directory
    /// (BOMVET_CACHE_DIR overrides it).
    Update {
        /// Where the bundle is served (default: `[registry] url`).
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        /// Public key the bundle must be signed with (default: `[registry] pubkey`).
        #[arg(long, value_name = "FILE")]
        pubkey: Option<PathBuf>,
        /// Accept a bundle with a lower serial than the installed one, or an expired one.
        #[arg(long)]
        allow_downgrade: bool,
        #[command(flatten)]
        net: NetArgs,
    },
    /// Show every registry layer in use with version, serial, digest, source, age and expiry.
    Status {
        /// Output format.
        #[arg(long, value_enum, default_value_t = InspectFormat::Table)]
        format: InspectFormat,
    },
    /// Export the whole registry, with its version and digest, as one JSON document.
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// Write the output to FILE instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// Parse `250ms`, `10s`, `2m`, `1h`, `1d`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    crate::registry::utc::parse_duration_ms(s)
        .map(Duration::from_millis)
        .ok_or_else(|| format!("{s:?} is not a duration (examples: 500ms, 10s, 2m)"))
}

/// Parse the process's command line (exits with clap's message on a usage error), recording
/// where each `audit --format` and `--output` appeared so that they can be paired.
pub fn parse() -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    let matches = Cli::command().get_matches();
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if let (Command::Audit(a), Some(("audit", m))) = (&mut cli.command, matches.subcommand()) {
        a.format_positions = m
            .indices_of("format")
            .map(|i| i.collect())
            .unwrap_or_default();
        a.output_positions = m
            .indices_of("output")
            .map(|i| i.collect())
            .unwrap_or_default();
    }
    cli
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

//! One module per subcommand. Each returns an [`Outcome`]; none prints to stderr or exits.

pub mod audit;
pub mod diff;
pub mod init;
pub mod inspect;
pub mod registry;
pub mod regupdate;

/// Process exit status, as documented in docs/exit-codes.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// 0: success, no deny finding.
    Ok = 0,
    /// 1: at least one deny finding.
    Deny = 1,
    /// 2: an input, policy or registry could not be used.
    Error = 2,
}

/// What a command produced: data for stdout (already rendered), messages for stderr, status.
#[derive(Debug)]
pub struct Outcome {
    pub stdout: String,
    /// Diagnostics for stderr, in order (`error: ...`, `warning: ...`, `hint: ...` lines).
    pub messages: Vec<String>,
    pub status: Status,
}

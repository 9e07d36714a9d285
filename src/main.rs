//! The `bomvet` binary: parse the command line, run the command, print, exit.

use std::process::ExitCode;

use bomvet::cli::{self, Command};
use bomvet::commands::{self, Outcome, Status};
use bomvet::output;

// mimalloc instead of the system allocator: reading a document makes millions of small
// allocations, and mimalloc serves them from large segments it backs with transparent huge pages
// where the kernel offers them. On a 100k-component CycloneDX JSON `inspect` went from 0.78 s
// (0.25 s of it in the kernel, 62k page faults) to 0.49 s (0.03 s, 370 faults);
// docs/PERFORMANCE.md has the figures.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::parse();
    let (outcome, output_path, files) = match &cli.command {
        Command::Audit(args) => {
            let (outcome, files) = commands::audit::run(args);
            (outcome, None, files)
        }
        Command::Inspect(args) => (
            commands::inspect::run(args),
            args.output.clone(),
            Vec::new(),
        ),
        Command::Registry(args) => (commands::registry::run(args), args.output(), Vec::new()),
        Command::Init(args) => (commands::init::run(args), None, Vec::new()),
        Command::Diff(args) => (commands::diff::run(args), args.output.clone(), Vec::new()),
    };
    finish(outcome, output_path.as_deref(), &files)
}

/// Write the extra renderings to their files, then stdout (or `output_path`), then the
/// messages; a file that cannot be written makes the status 2.
fn finish(
    outcome: Outcome,
    output_path: Option<&std::path::Path>,
    files: &[(std::path::PathBuf, String)],
) -> ExitCode {
    let mut status = outcome.status;
    for (path, data) in files {
        if let Err(e) = output::emit(data, Some(path)) {
            eprintln!(
                "error: cannot write {}: {e}",
                output::terminal_safe(&path.display().to_string())
            );
            status = Status::Error;
        }
    }
    if !outcome.stdout.is_empty() {
        if let Err(e) = output::emit(&outcome.stdout, output_path) {
            let target = output_path
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "stdout".into());
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                eprintln!("error: cannot write {target}: {e}");
                status = Status::Error;
            }
        }
    }
    for m in &outcome.messages {
        eprintln!("{}", output::terminal_safe(m));
    }
    ExitCode::from(status as u8)
}

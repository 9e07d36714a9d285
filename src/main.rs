//! The `bomvet` binary: parse the command line, run the command, print, exit.

use std::process::ExitCode;

use bomvet::cli::{self, Command};
use bomvet::commands::{self, Outcome, Status};
use bomvet::output;

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

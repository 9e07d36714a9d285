//! The `bomvet` binary: parse the command line, run the command, print, exit.

use std::process::ExitCode;

use clap::Parser;

use bomvet::cli::{Cli, Command};
use bomvet::commands::{self, Outcome, Status};
use bomvet::output;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (outcome, output_path) = match &cli.command {
        Command::Audit(args) => (commands::audit::run(args), args.output.clone()),
        Command::Inspect(args) => (commands::inspect::run(args), args.output.clone()),
        Command::Registry(args) => (commands::registry::run(args), args.output()),
        Command::Init(args) => (commands::init::run(args), None),
    };
    finish(outcome, output_path.as_deref())
}

fn finish(outcome: Outcome, output_path: Option<&std::path::Path>) -> ExitCode {
    let mut status = outcome.status;
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

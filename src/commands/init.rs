//! `bomvet init`: write the commented starter policy ([`crate::policy::starter`]) to
//! `./bomvet.toml` or `--output FILE`, refusing to overwrite an existing file without
//! `--force`.

use std::io::Write;

use super::{Outcome, Status};
use crate::cli::InitArgs;
use crate::policy::starter::STARTER_POLICY;

/// Run `init`.
pub fn run(args: &InitArgs) -> Outcome {
    let path = &args.output;
    let shown = path.display().to_string();
    let fail = |m: String| Outcome {
        stdout: String::new(),
        messages: vec![m],
        status: Status::Error,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if args.force {
        options.create(true).truncate(true);
    } else {
        // Atomic: never clobber a file that appears between a check and the write.
        options.create_new(true);
    }
    let mut file = match options.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return fail(format!(
                "error: {shown} already exists; use --force to overwrite it"
            ))
        }
        Err(e) => return fail(format!("error: cannot write {shown}: {e}")),
    };
    if let Err(e) = file.write_all(STARTER_POLICY.as_bytes()) {
        return fail(format!("error: cannot write {shown}: {e}"));
    }
    Outcome {
        stdout: String::new(),
        messages: vec![format!(
            "wrote {shown}: a starter policy; docs/policy.md explains every key"
        )],
        status: Status::Ok,
    }
}

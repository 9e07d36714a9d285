//! Write a deterministic synthetic SBOM (and optionally its truth file).
//!
//! ```text
//! cargo run --release --example gensbom -- --format cdx-json|cdx-xml|spdx-json|spdx-tv \
//!     --components N --seed S --output FILE [--truth FILE]
//! ```
//!
//! The document has one root, a deep dependency graph with fan-in, diamonds and a few cycles,
//! and five planted banned-vendor components; the truth file lists each planted component's
//! reference, the registry vendor it belongs to, and one shortest path of references from the
//! root. See `bomvet::sbomgen` for the shape.

use std::process::ExitCode;

use bomvet::sbomgen::{generate, truth_json, GenFormat};

const USAGE: &str = "usage: gensbom --format cdx-json|cdx-xml|spdx-json|spdx-tv \
--components N --seed S --output FILE [--truth FILE]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gensbom: {e}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut format = None;
    let mut components = None;
    let mut seed = 1u64;
    let mut output = None;
    let mut truth = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--format" => {
                let v = value()?;
                format = Some(GenFormat::parse(&v).ok_or_else(|| format!("unknown format {v}"))?);
            }
            "--components" => {
                let v = value()?;
                components = Some(
                    v.parse::<usize>()
                        .map_err(|e| format!("--components {v}: {e}"))?,
                );
            }
            "--seed" => {
                let v = value()?;
                seed = v.parse().map_err(|e| format!("--seed {v}: {e}"))?;
            }
            "--output" => output = Some(value()?),
            "--truth" => truth = Some(value()?),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let format = format.ok_or("--format is required")?;
    let components = components.ok_or("--components is required")?;
    let output = output.ok_or("--output is required")?;
    let g = generate(format, components, seed);
    std::fs::write(&output, &g.text).map_err(|e| format!("{output}: {e}"))?;
    if let Some(t) = truth {
        std::fs::write(&t, truth_json(&g)).map_err(|e| format!("{t}: {e}"))?;
    }
    eprintln!(
        "gensbom: {output}: {} bytes, {} components, {} planted",
        g.text.len(),
        g.components,
        g.planted.len()
    );
    Ok(())
}

//! Writing results: stdout or `--output FILE`, colour decisions, terminal-safe text.

use std::io::{self, Write};
use std::path::Path;

/// Write `data` to `path` (atomically enough for reports: write then rename) or stdout.
pub fn emit(data: &str, path: Option<&Path>) -> io::Result<()> {
    match path {
        None => {
            let mut out = io::stdout().lock();
            out.write_all(data.as_bytes())?;
            out.flush()
        }
        Some(p) => {
            let tmp = p.with_extension(format!(
                "{}.tmp",
                p.extension().and_then(|e| e.to_str()).unwrap_or("out")
            ));
            std::fs::write(&tmp, data)?;
            std::fs::rename(&tmp, p)
        }
    }
}

/// Make text from a document safe to print on a terminal: control characters (including ESC,
/// so no terminal escape sequence survives) are shown as `\u{..}` escapes.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c.is_control()) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether stdout gets colour: a terminal, and `NO_COLOR` unset or empty.
pub fn stdout_color() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_control_sequences() {
        let evil = "libfoo\u{1b}[31mRED\u{1b}[0m\r\n";
        let safe = terminal_safe(evil);
        assert!(!safe.contains('\u{1b}'));
        assert!(safe.contains("\\u{1b}[31mRED"));
        assert_eq!(terminal_safe("plain"), "plain");
    }
}

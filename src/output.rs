//! Writing results: stdout or `--output FILE`, colour decisions, terminal-safe text.

use std::io::{self, Write};
use std::path::Path;

/// Write `data` to `path` or stdout.
///
/// A new or regular file is written beside itself and renamed into place, so a reader never sees
/// half a report. Anything else that already exists (a device such as `/dev/null` or
/// `/dev/stdout`, a FIFO, a symbolic link) is opened and written in place: renaming over it
/// would replace the device or the link with a plain file.
pub fn emit(data: &str, path: Option<&Path>) -> io::Result<()> {
    match path {
        None => {
            let mut out = io::stdout().lock();
            out.write_all(data.as_bytes())?;
            out.flush()
        }
        Some(p) => {
            let in_place = std::fs::symlink_metadata(p).is_ok_and(|m| !m.file_type().is_file());
            if in_place {
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .truncate(true)
                    .open(p)?;
                f.write_all(data.as_bytes())?;
                return f.flush();
            }
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

    /// A fresh empty directory for one test, removed when dropped.
    struct Scratch(std::path::PathBuf);
    impl Scratch {
        fn new(tag: &str) -> Self {
            let d =
                std::env::temp_dir().join(format!("bomvet-output-{tag}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&d);
            std::fs::create_dir_all(&d).unwrap();
            Scratch(d)
        }
        fn path(&self) -> &Path {
            &self.0
        }
    }
    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn writes_regular_files_by_rename_and_leaves_no_temporary() {
        let dir = Scratch::new("rename");
        let p = dir.path().join("r.json");
        emit("one", Some(&p)).unwrap();
        emit("two", Some(&p)).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "a temporary file was left behind");
    }

    #[cfg(unix)]
    #[test]
    fn writes_through_a_symlink_and_keeps_the_link() {
        let dir = Scratch::new("symlink");
        let target = dir.path().join("target.txt");
        std::fs::write(&target, "old").unwrap();
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        emit("new", Some(&link)).unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn writes_to_a_device_in_place() {
        // `--output /dev/null` run as root once replaced the device with a regular file.
        let null = Path::new("/dev/null");
        if !std::fs::metadata(null).is_ok_and(|m| {
            use std::os::unix::fs::FileTypeExt;
            m.file_type().is_char_device()
        }) {
            eprintln!("note: /dev/null is not a character device here; skipping");
            return;
        }
        emit("report", Some(null)).unwrap();
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::metadata(null)
            .unwrap()
            .file_type()
            .is_char_device());
        assert!(!Path::new("/dev/null.out.tmp").exists());
    }
}

//! Making document text inert in each output language. Everything a renderer takes from an SBOM
//! (names, refs, purls, evidence values, messages that quote them) goes through one of these
//! before it is written, so a component name cannot colour a terminal, open an HTML tag, start a
//! Markdown link, break XML, or become a spreadsheet formula.
//!
//! Every function first applies [`terminal_safe`] (control characters, and so every terminal
//! escape sequence, become visible `\u{..}` text), which also keeps XML 1.0 valid: most C0
//! characters are not allowed there even as character references.

use std::fmt::Write;

use crate::output::terminal_safe;

/// Text for HTML element content and quoted attribute values.
pub fn html(s: &str) -> String {
    let s = terminal_safe(s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text for XML element content and quoted attribute values (JUnit).
pub fn xml(s: &str) -> String {
    let s = terminal_safe(s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Not characters XML 1.0 allows.
            '\u{FFFE}' | '\u{FFFF}' => {
                let _ = write!(out, "{}", c.escape_unicode());
            }
            c => out.push(c),
        }
    }
    out
}

/// Free text inside Markdown (a sentence, a table cell): every character that could start
/// emphasis, a link, an image, raw HTML, an entity, a code span or a table cell boundary is
/// backslash-escaped (line-start markers such as `-` or `1.` need nothing: this text never
/// starts a line, and line breaks are already escaped), and an `@` that could start a mention
/// is followed by a zero-width space so that no name in an SBOM can notify a user when the
/// summary is posted as a pull-request comment.
pub fn markdown(s: &str) -> String {
    let s = terminal_safe(s);
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev: Option<char> = None;
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '!' | '|' | '<'
            | '>' | '~' | '&' | '$' => {
                out.push('\\');
                out.push(c);
            }
            // A mention starts at `@` after a non-word character (`name@1.0` is not one).
            '@' if !prev.is_some_and(char::is_alphanumeric) => out.push_str("@\u{200B}"),
            c => out.push(c),
        }
        prev = Some(c);
    }
    out
}

/// An identifier (ref, purl, version) as a Markdown code span: shown verbatim, never
/// interpreted (no links, HTML or mentions inside code spans). The fence is one backtick longer
/// than the longest run inside; `|` stays escaped because GFM splits table cells first.
pub fn markdown_code(s: &str) -> String {
    let s = terminal_safe(s).replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    if s.starts_with('`') || s.ends_with('`') || s.is_empty() {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

/// One CSV field (RFC 4180): quoted when it holds a separator, quote or line break, and
/// prefixed with `'` when it starts with a character a spreadsheet reads as a formula (`=`, `+`,
/// `-`, `@`, tab, carriage return), so it is shown as text and never evaluated.
pub fn csv(s: &str) -> String {
    let s = terminal_safe(s);
    let formula = matches!(
        s.chars().next(),
        Some(
            '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}'
        )
    );
    let body = if formula {
        format!("'{s}")
    } else {
        s.into_owned()
    };
    if body.contains([',', '"', '\n', '\r']) || body.starts_with(' ') || body.ends_with(' ') {
        format!("\"{}\"", body.replace('"', "\"\""))
    } else {
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_control_characters() {
        let s = html("<img src=x onerror='a()'>&\u{1b}[31m");
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('\''));
        assert!(!s.contains('\u{1b}'));
        assert!(s.starts_with("&lt;img src=x onerror=&#39;a()&#39;&gt;&amp;"));
    }

    #[test]
    fn xml_keeps_no_control_character() {
        let s = xml("a\u{0}b\u{1b}c<d>\"'");
        assert!(!s.chars().any(|c| c.is_control()));
        assert_eq!(s, "a\\u{0}b\\u{1b}c&lt;d&gt;&quot;&apos;");
    }

    #[test]
    fn markdown_escapes_links_html_and_mentions() {
        let s = markdown("[click](http://x) <b>*bold*</b> @octocat | `code`");
        assert!(s.contains("\\[click\\]\\(http://x\\)"));
        assert!(s.contains("\\<b\\>\\*bold\\*\\</b\\>"));
        assert!(s.contains("@\u{200B}octocat"));
        assert!(s.contains("\\|"));
        assert!(s.contains("\\`code\\`"));
        assert_eq!(markdown("sdk@1.0"), "sdk@1.0");
        assert!(!s.contains('\n'));
        assert_eq!(markdown("a\nb"), "a\\\\u\\{a\\}b");
    }

    #[test]
    fn markdown_code_fences_around_backticks() {
        assert_eq!(markdown_code("a`b"), "``a`b``");
        assert_eq!(markdown_code("`x"), "`` `x ``");
        assert_eq!(markdown_code("a|b"), "`a\\|b`");
        assert_eq!(markdown_code("plain"), "`plain`");
    }

    #[test]
    fn csv_neutralises_formulas_and_quotes() {
        assert_eq!(csv("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv("+1"), "'+1");
        assert_eq!(csv("-2"), "'-2");
        assert_eq!(csv("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv("a,b"), "\"a,b\"");
        assert_eq!(csv("plain"), "plain");
        // Tab and CR are control characters: shown escaped, never as a leading tab.
        assert!(!csv("\t=1").starts_with('\t'));
        assert!(!csv("\r=1").contains('\r'));
    }
}

//! Small helpers shared by the SPDX XML and RDF/XML readers: line numbers from byte offsets,
//! text accumulation with entity references, and quick-xml error mapping.

use std::borrow::Cow;

use quick_xml::events::BytesRef;

use crate::sbom::error::{line_col, IngestError};

/// Turns increasing byte offsets into 1-based line numbers in O(total length).
pub struct LineCounter<'a> {
    text: &'a [u8],
    pos: usize,
    line: u32,
}

impl<'a> LineCounter<'a> {
    pub fn new(text: &'a str) -> LineCounter<'a> {
        LineCounter {
            text: text.as_bytes(),
            pos: 0,
            line: 1,
        }
    }

    /// Line of `offset`. Offsets normally only grow; a smaller one is counted from the start.
    pub fn line_at(&mut self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        if offset < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        let n = memchr::memchr_iter(b'\n', &self.text[self.pos..offset]).count();
        self.line = self.line.saturating_add(n as u32);
        self.pos = offset;
        self.line
    }
}

/// The `&'a str` inside `text` that `part` is a view of, if it is one (quick-xml hands out
/// slices of the input; this recovers their lifetime without copying).
pub fn reborrow<'a>(text: &'a str, part: &[u8]) -> Option<&'a str> {
    let start = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let end = start.checked_add(part.len())?;
    text.get(start..end)
}

/// Text content gathered from several events, borrowed while it is a single piece.
#[derive(Debug, Default)]
pub struct TextAcc<'a> {
    value: Option<Cow<'a, str>>,
}

impl<'a> TextAcc<'a> {
    pub fn push(&mut self, s: Cow<'a, str>) {
        if s.is_empty() {
            if self.value.is_none() {
                self.value = Some(s);
            }
            return;
        }
        match &mut self.value {
            None => self.value = Some(s),
            Some(v) => v.to_mut().push_str(&s),
        }
    }

    pub fn push_str(&mut self, s: &str) {
        match &mut self.value {
            None => self.value = Some(Cow::Owned(s.to_string())),
            Some(v) => v.to_mut().push_str(s),
        }
    }

    pub fn as_str(&self) -> &str {
        self.value.as_deref().unwrap_or("")
    }

    pub fn take(self) -> Cow<'a, str> {
        self.value.unwrap_or(Cow::Borrowed(""))
    }
}

/// The text an entity or character reference stands for. Unknown named entities (XML has only
/// five predefined ones) are kept as written.
pub fn resolve_ref(r: &BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name = String::from_utf8_lossy(r);
    match &*name {
        "lt" => "<".into(),
        "gt" => ">".into(),
        "amp" => "&".into(),
        "apos" => "'".into(),
        "quot" => "\"".into(),
        other => format!("&{other};"),
    }
}

/// A quick-xml error at byte `offset` as an ingestion error with line and column.
pub fn xml_error(
    format: &'static str,
    text: &str,
    offset: usize,
    e: &quick_xml::Error,
) -> IngestError {
    use quick_xml::errors::{IllFormedError, SyntaxError};
    let (line, column) = line_col(text, offset);
    match e {
        quick_xml::Error::Syntax(
            SyntaxError::UnclosedTag
            | SyntaxError::UnclosedCData
            | SyntaxError::UnclosedComment
            | SyntaxError::UnclosedDoctype
            | SyntaxError::UnclosedPIOrXmlDecl,
        )
        | quick_xml::Error::IllFormed(IllFormedError::MissingEndTag(_)) => IngestError::Truncated {
            format,
            line,
            column,
        },
        other => IngestError::Syntax {
            format,
            line,
            column,
            message: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_counter_counts_incrementally_and_restarts_backwards() {
        let t = "a\nb\nc\nd";
        let mut lc = LineCounter::new(t);
        assert_eq!(lc.line_at(0), 1);
        assert_eq!(lc.line_at(2), 2);
        assert_eq!(lc.line_at(6), 4);
        assert_eq!(lc.line_at(3), 2);
        assert_eq!(lc.line_at(1000), 4);
    }

    #[test]
    fn reborrow_finds_subslices_only() {
        let t = "hello world";
        assert_eq!(reborrow(t, &t.as_bytes()[6..]), Some("world"));
        assert_eq!(reborrow(t, b"elsewhere"), None);
    }

    #[test]
    fn text_acc_borrows_one_piece_and_joins_several() {
        let mut a = TextAcc::default();
        a.push(Cow::Borrowed("x"));
        assert!(matches!(a.take(), Cow::Borrowed("x")));
        let mut a = TextAcc::default();
        a.push(Cow::Borrowed("a"));
        a.push_str("&");
        a.push(Cow::Borrowed("b"));
        assert_eq!(a.take(), "a&b");
    }

    #[test]
    fn references_resolve() {
        assert_eq!(resolve_ref(&BytesRef::new("amp")), "&");
        assert_eq!(resolve_ref(&BytesRef::new("#x41")), "A");
        assert_eq!(resolve_ref(&BytesRef::new("#66")), "B");
        assert_eq!(resolve_ref(&BytesRef::new("nbsp")), "&nbsp;");
    }
}

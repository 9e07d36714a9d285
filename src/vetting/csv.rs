//! A small CSV reader (RFC 4180: comma separated, `"` quoting with `""` for a quote, CRLF or
//! LF line ends) for submission manifests. Each record keeps the line and column of each field
//! so that problems can be located. No dependency: manifests are small and the dialect fixed.

/// One field with where it starts (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub value: String,
    pub line: usize,
    pub column: usize,
}

/// A malformed CSV text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct CsvError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Split `text` into records. Blank lines are skipped; a leading UTF-8 BOM is ignored.
pub fn parse(text: &str) -> Result<Vec<Vec<Field>>, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut record: Vec<Field> = Vec::new();
    let mut field = String::new();
    let (mut line, mut column) = (1usize, 1usize);
    let mut start = (1usize, 1usize);
    // Inside quotes; and whether the field was quoted (text after the closing quote is an error).
    let mut quoted = false;
    let mut was_quoted = false;
    let mut at_field_start = true;
    let mut chars = text.chars().peekable();
    let end_field = |record: &mut Vec<Field>, field: &mut String, start: (usize, usize)| {
        record.push(Field {
            value: std::mem::take(field),
            line: start.0,
            column: start.1,
        });
    };
    while let Some(c) = chars.next() {
        if at_field_start {
            start = (line, column);
            at_field_start = false;
            was_quoted = false;
            if c == '"' {
                quoted = true;
                was_quoted = true;
                column += 1;
                continue;
            }
        }
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                    column += 2;
                }
                '"' => {
                    quoted = false;
                    column += 1;
                }
                '\n' => {
                    field.push('\n');
                    line += 1;
                    column = 1;
                }
                c => {
                    field.push(c);
                    column += 1;
                }
            }
            continue;
        }
        match c {
            ',' => {
                end_field(&mut record, &mut field, start);
                at_field_start = true;
                column += 1;
            }
            '\r' if chars.peek() == Some(&'\n') => column += 1,
            '\n' => {
                end_field(&mut record, &mut field, start);
                if !(record.len() == 1 && record.iter().all(|f| f.value.trim().is_empty())) {
                    records.push(std::mem::take(&mut record));
                }
                record.clear();
                at_field_start = true;
                line += 1;
                column = 1;
            }
            c if was_quoted => {
                return Err(CsvError {
                    line,
                    column,
                    message: format!(
                    "{c:?} after a closing quote (a quote inside a quoted field is written \"\")"
                ),
                })
            }
            c => {
                field.push(c);
                column += 1;
            }
        }
    }
    if quoted {
        return Err(CsvError {
            line: start.0,
            column: start.1,
            message: "quoted field is never closed".into(),
        });
    }
    if !at_field_start || !record.is_empty() {
        end_field(&mut record, &mut field, start);
        if !(record.len() == 1 && record.iter().all(|f| f.value.trim().is_empty())) {
            records.push(record);
        }
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<Vec<String>> {
        parse(text)
            .unwrap()
            .into_iter()
            .map(|r| r.into_iter().map(|f| f.value).collect())
            .collect()
    }

    #[test]
    fn splits_records_and_fields_with_crlf_or_lf() {
        assert_eq!(
            values("a,b,c\r\n1,2,3\n"),
            vec![vec!["a", "b", "c"], vec!["1", "2", "3"]]
        );
        assert_eq!(values("a,b\n1,2"), vec![vec!["a", "b"], vec!["1", "2"]]);
    }

    #[test]
    fn quoted_fields_keep_commas_quotes_and_newlines() {
        assert_eq!(
            values("\"Acme, Inc.\",\"say \"\"hi\"\"\",\"two\nlines\"\n"),
            vec![vec!["Acme, Inc.", "say \"hi\"", "two\nlines"]]
        );
    }

    #[test]
    fn blank_lines_and_a_bom_are_ignored() {
        assert_eq!(
            values("\u{feff}a,b\n\n1,2\n\n"),
            vec![vec!["a", "b"], vec!["1", "2"]]
        );
    }

    #[test]
    fn empty_fields_are_kept() {
        assert_eq!(values("a,,c\n"), vec![vec!["a", "", "c"]]);
        assert_eq!(values("a,b,\n"), vec![vec!["a", "b", ""]]);
    }

    #[test]
    fn fields_know_their_line_and_column() {
        let r = parse("vendor,product\n\"x\ny\",z\nlast,one\n").unwrap();
        assert_eq!((r[1][0].line, r[1][0].column), (2, 1));
        assert_eq!((r[1][1].line, r[1][1].column), (3, 4));
        assert_eq!((r[2][1].line, r[2][1].column), (4, 6));
    }

    #[test]
    fn an_unclosed_quote_is_located_where_the_field_starts() {
        let e = parse("a,b\n1,\"open\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 3));
    }

    #[test]
    fn text_after_a_closing_quote_is_an_error() {
        let e = parse("\"a\"b,c\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, 4));
    }
}

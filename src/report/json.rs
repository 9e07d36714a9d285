//! The JSON report: the [`Report`] serialised as pretty JSON with a final newline.

use super::Report;

/// Render the report as JSON (schema `schemas/report.schema.json`).
pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
    s.push('\n');
    s
}

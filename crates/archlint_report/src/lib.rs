//! Report writers for archlint: findings as text (with source snippets), as a
//! documented JSON object (see `JSON.md` beside this crate's `Cargo.toml`) and as
//! SARIF 2.1.0 for GitHub code scanning; route listings; the generated rule docs.
//!
//! Every writer is deterministic: the same input gives the same bytes. Nothing
//! here iterates a hash map, reads the clock or prints an absolute path.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod fingerprint;
mod json;
mod limits;
mod markdown;
mod routes;
mod sarif;
mod sarif_log;
mod sarif_rules;
mod schema;
mod schema_json;
mod source;
mod text;
mod uri;

use archlint_model::{Finding, Level, Notification, RuleMeta};

pub use fingerprint::fingerprint;
pub use json::write_json;
pub use markdown::rules_markdown;
pub use routes::{RoutesFormat, write_routes};
pub use sarif::write_sarif;
pub use schema::{SchemaFormat, write_schema};
pub use text::{notification_line, write_text};

/// Counts of the scan itself, shown in the text summary line and the JSON summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScanSummary {
    /// Files that were read and analysed (fully or partly).
    pub files_scanned: usize,
    /// Files that were found but not analysed (too large, binary, unreadable...).
    pub files_skipped: usize,
    /// HTTP routes recognised in the project.
    pub routes: usize,
}

/// Everything a findings report is made of.
#[derive(Clone, Copy, Debug)]
pub struct ReportInput<'a> {
    /// The tool's name, `archlint`. Also the SARIF driver name and category.
    pub tool_name: &'a str,
    /// The binary's version (`CARGO_PKG_VERSION`).
    pub tool_version: &'a str,
    /// The project home page, e.g. `https://github.com/archlint/archlint`.
    pub information_uri: &'a str,
    /// Every rule the tool has, sorted by id, whether or not it ran: SARIF
    /// lists them all in `tool.driver.rules` and `ruleIndex` points into this list.
    pub rules: &'a [RuleMeta],
    /// Findings, already filtered, sorted and fingerprinted by the engine.
    pub findings: &'a [Finding],
    /// Files skipped or partly parsed, and other scan events, sorted.
    pub notifications: &'a [Notification],
    /// Project root on disk. Finding paths are relative to it; the text writer
    /// reads source lines for snippets from here when `sources` does not say
    /// where a file is.
    pub root: &'a std::path::Path,
    /// Where each reported path is on disk, as the engine found it. Files
    /// outside the root and files with non-UTF-8 names have reported paths
    /// that do not lead back to them; this map does.
    pub sources: &'a std::collections::BTreeMap<String, std::path::PathBuf>,
    /// Counts of the scan.
    pub summary: ScanSummary,
}

/// Number of findings per level: `(errors, warnings, notes)`.
fn level_counts(findings: &[Finding]) -> (usize, usize, usize) {
    findings
        .iter()
        .fold((0, 0, 0), |(e, w, n), f| match f.level {
            Level::Error => (e + 1, w, n),
            Level::Warning => (e, w + 1, n),
            Level::Note => (e, w, n + 1),
        })
}

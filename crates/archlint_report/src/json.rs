//! The JSON report: a stable, versioned object documented field by field in
//! `JSON.md`. Field order is fixed by the structs below (never a hash map), so
//! the bytes are the same for the same input.

use crate::{ReportInput, level_counts};
use archlint_model::{Finding, Location, Notification, Related, Span};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Bumped on any change that can break a consumer (a field removed, renamed or
/// retyped). Adding a field does not bump it.
const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    tool: Tool<'a>,
    summary: Summary,
    findings: Vec<JsonFinding<'a>>,
    notifications: Vec<JsonNotification<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct Summary {
    findings: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    files_scanned: usize,
    files_skipped: usize,
    routes: usize,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    level: &'static str,
    confidence: archlint_model::Confidence,
    message: &'a str,
    location: JsonLocation<'a>,
    related: Vec<JsonRelated<'a>>,
    flow: Vec<JsonRelated<'a>>,
    fingerprint: &'a str,
    properties: &'a BTreeMap<String, String>,
}

#[derive(Serialize)]
pub(crate) struct JsonLocation<'a> {
    path: &'a str,
    #[serde(flatten)]
    region: Region,
}

#[derive(Serialize)]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    message: &'a str,
    location: JsonLocation<'a>,
}

#[derive(Serialize)]
struct JsonNotification<'a> {
    kind: &'static str,
    level: &'static str,
    message: &'a str,
    path: Option<&'a str>,
    region: Option<Region>,
}

/// Writes the JSON report, pretty-printed with two-space indentation and a
/// trailing newline.
pub fn write_json(input: &ReportInput, out: &mut dyn Write) -> io::Result<()> {
    let (errors, warnings, notes) = level_counts(input.findings);
    let report = Report {
        version: JSON_VERSION,
        tool: Tool {
            name: input.tool_name,
            version: input.tool_version,
        },
        summary: Summary {
            findings: input.findings.len(),
            errors,
            warnings,
            notes,
            files_scanned: input.summary.files_scanned,
            files_skipped: input.summary.files_skipped,
            routes: input.summary.routes,
        },
        findings: input.findings.iter().map(finding).collect(),
        notifications: input.notifications.iter().map(notification).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &report).map_err(io::Error::other)?;
    writeln!(out)
}

fn finding(f: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        rule: &f.rule,
        level: f.level.as_str(),
        confidence: f.confidence,
        message: &f.message,
        location: location(&f.location),
        related: f.related.iter().map(related).collect(),
        flow: f.flow.iter().map(related).collect(),
        fingerprint: &f.fingerprint,
        properties: &f.properties,
    }
}

fn related(r: &Related) -> JsonRelated<'_> {
    JsonRelated {
        message: &r.message,
        location: location(&r.location),
    }
}

pub(crate) fn location(loc: &Location) -> JsonLocation<'_> {
    JsonLocation {
        path: &loc.path,
        region: region(loc.span),
    }
}

fn region(span: Span) -> Region {
    Region {
        start_line: span.start.line,
        start_column: span.start.col,
        end_line: span.end.line,
        end_column: span.end.col,
    }
}

fn notification(n: &Notification) -> JsonNotification<'_> {
    JsonNotification {
        kind: n.kind.as_str(),
        level: n.level.as_str(),
        message: &n.message,
        path: n.path.as_deref(),
        region: n.span.map(region),
    }
}

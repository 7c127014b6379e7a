//! Route listings (`archlint routes`): an aligned plain-text table, JSON,
//! CSV (RFC 4180) and a Markdown table. Routes come sorted from the engine and
//! are written in that order.

use crate::markdown::table_cell;
use archlint_model::{Evidence, Route};
use serde::Serialize;
use std::io::{self, Write};

/// Output format of [`write_routes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoutesFormat {
    /// Aligned columns of plain text, no colours.
    Table,
    /// An array of objects with stable keys (see `JSON.md`).
    Json,
    /// RFC 4180 CSV with a header row and CRLF line ends.
    Csv,
    /// A GitHub-flavoured Markdown table.
    Markdown,
}

const HEADERS: [&str; 7] = [
    "method",
    "path",
    "handler",
    "location",
    "framework",
    "auth",
    "rate limit",
];

/// Writes the routes in the given format.
pub fn write_routes(routes: &[Route], format: RoutesFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        RoutesFormat::Table => write_table(routes, out),
        RoutesFormat::Json => write_json(routes, out),
        RoutesFormat::Csv => write_csv(routes, out),
        RoutesFormat::Markdown => write_markdown(routes, out),
    }
}

/// The seven columns of a route, as text.
fn row(route: &Route) -> [String; 7] {
    let loc = &route.handler.location;
    [
        route.methods.display(),
        route.path.clone(),
        route.handler.name.clone(),
        format!("{}:{}", loc.path, loc.span.start.line),
        route.framework.as_str().to_owned(),
        auth_cell(route),
        match route.rate_limit.first() {
            Some(e) => yes(e),
            None => "none".to_owned(),
        },
    ]
}

/// `yes (<what>, <scope>)` from the first auth evidence, `public (<what>)` if
/// the route is marked public, else `none`.
fn auth_cell(route: &Route) -> String {
    if let Some(e) = route.auth.first() {
        yes(e)
    } else if let Some(e) = route.public.first() {
        format!("public ({})", e.what)
    } else {
        "none".to_owned()
    }
}

fn yes(e: &Evidence) -> String {
    format!("yes ({}, {})", e.what, e.scope.as_str())
}

/// One line per cell, whatever the source held (a decorator split over lines).
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn write_table(routes: &[Route], out: &mut dyn Write) -> io::Result<()> {
    if routes.is_empty() {
        return writeln!(out, "no routes found");
    }
    let header = HEADERS.map(|h| h.to_ascii_uppercase());
    let rows: Vec<[String; 7]> = routes
        .iter()
        .map(|r| row(r).map(|c| one_line(&c)))
        .collect();
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for cells in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            if i + 1 < cells.len() {
                line.extend(std::iter::repeat_n(' ', width - cell.chars().count()));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn write_csv(routes: &[Route], out: &mut dyn Write) -> io::Result<()> {
    // Machine-friendly names: no spaces, the JSON keys where they exist.
    let header = [
        "methods",
        "path",
        "handler",
        "location",
        "framework",
        "auth",
        "rate_limit",
    ]
    .map(str::to_owned);
    for cells in std::iter::once(header).chain(routes.iter().map(row)) {
        let fields: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
        write!(out, "{}\r\n", fields.join(","))?;
    }
    Ok(())
}

/// A CSV field per RFC 4180: quoted when it holds a comma, a quote, CR or LF,
/// with inner quotes doubled.
pub(crate) fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

fn write_markdown(routes: &[Route], out: &mut dyn Write) -> io::Result<()> {
    let header: Vec<String> = HEADERS.iter().map(|h| capitalise(h)).collect();
    writeln!(out, "| {} |", header.join(" | "))?;
    writeln!(out, "|{}", " --- |".repeat(HEADERS.len()))?;
    for route in routes {
        let loc = &route.handler.location;
        let cells = [
            route.methods.display(),
            code(&route.path),
            code(&route.handler.name),
            code(&format!("{}:{}", loc.path, loc.span.start.line)),
            route.framework.as_str().to_owned(),
            markdown_evidence(route.auth.first(), route.public.first()),
            markdown_evidence(route.rate_limit.first(), None),
        ];
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    Ok(())
}

fn markdown_evidence(yes: Option<&Evidence>, public: Option<&Evidence>) -> String {
    match (yes, public) {
        (Some(e), _) => format!("yes ({}, {})", code(&e.what), e.scope.as_str()),
        (None, Some(e)) => format!("public ({})", code(&e.what)),
        (None, None) => "none".to_owned(),
    }
}

/// An inline code span for a table cell: paths like `/users/<id>` would
/// otherwise be read as HTML.
fn code(text: &str) -> String {
    let text = table_cell(&one_line(text));
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[derive(Serialize)]
struct JsonRoute<'a> {
    methods: Vec<&'static str>,
    path: &'a str,
    handler: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
    framework: &'static str,
    group: &'a str,
    auth: Vec<JsonEvidence<'a>>,
    public: Vec<JsonEvidence<'a>>,
    rate_limit: Vec<JsonEvidence<'a>>,
}

#[derive(Serialize)]
struct JsonEvidence<'a> {
    scope: &'static str,
    what: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
}

fn evidence(list: &[Evidence]) -> Vec<JsonEvidence<'_>> {
    list.iter()
        .map(|e| JsonEvidence {
            scope: e.scope.as_str(),
            what: &e.what,
            file: e.location.as_ref().map(|l| l.path.as_str()),
            line: e.location.as_ref().map(|l| l.span.start.line),
        })
        .collect()
}

fn write_json(routes: &[Route], out: &mut dyn Write) -> io::Result<()> {
    let json: Vec<JsonRoute> = routes
        .iter()
        .map(|r| JsonRoute {
            methods: r.methods.names(),
            path: &r.path,
            handler: &r.handler.name,
            file: &r.handler.location.path,
            line: r.handler.location.span.start.line,
            column: r.handler.location.span.start.col,
            framework: r.framework.as_str(),
            group: &r.group,
            auth: evidence(&r.auth),
            public: evidence(&r.public),
            rate_limit: evidence(&r.rate_limit),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &json).map_err(io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_quoting_follows_rfc_4180() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field(""), "");
        assert_eq!(csv_field("GET, POST"), "\"GET, POST\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("cr\rhere"), "\"cr\rhere\"");
        assert_eq!(csv_field("it's; ok"), "it's; ok");
    }
}

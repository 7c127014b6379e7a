//! `archlint schema`: the merged schema as a readable listing (every table
//! with its columns, keys, indexes and foreign keys, and where each was
//! declared) or as JSON.

use archlint_model::{Index, IndexColumn, IndexKind, Location, Schema};
use std::io::Write;

/// Output format of `archlint schema`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaFormat {
    /// A readable listing.
    Table,
    /// The merged schema as JSON (documented in `JSON.md`).
    Json,
}

/// Writes the schema.
pub fn write_schema(
    schema: &Schema,
    format: SchemaFormat,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        SchemaFormat::Json => crate::schema_json::write_schema_json(schema, out),
        SchemaFormat::Table => write_listing(schema, out),
    }
}

fn at(l: &Location) -> String {
    format!("{}:{}", l.path, l.span.start.line)
}

fn columns(cols: &[IndexColumn]) -> String {
    cols.iter()
        .map(|c| match c {
            IndexColumn::Column(c) => c.clone(),
            IndexColumn::Expression(e) => e.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn index_line(ix: &Index) -> String {
    let kind = match &ix.kind {
        IndexKind::PrimaryKey => "primary key".to_string(),
        IndexKind::Unique => "unique".to_string(),
        IndexKind::Index if ix.unique => "unique index".to_string(),
        IndexKind::Index => "index".to_string(),
        IndexKind::Implicit(why) => format!("implicit index ({why})"),
    };
    let name = ix
        .name
        .as_deref()
        .map(|n| format!(" {n}"))
        .unwrap_or_default();
    let partial = if ix.partial { " where ..." } else { "" };
    format!("{kind}{name} ({}){partial}", columns(&ix.columns))
}

fn write_listing(schema: &Schema, out: &mut dyn Write) -> std::io::Result<()> {
    if schema.tables.is_empty() {
        return writeln!(out, "no tables found");
    }
    for t in schema.tables.values() {
        let partial = if t.partial { "  (partially known)" } else { "" };
        writeln!(out, "{}  {}{partial}", t.name, at(&t.declared_at))?;
        let width = t.columns.iter().map(|c| c.name.len()).max().unwrap_or(0);
        for c in &t.columns {
            let null = if c.nullable { "" } else { " not null" };
            writeln!(out, "  {:<width$}  {}{null}", c.name, c.type_text)?;
        }
        for ix in &t.indexes {
            writeln!(out, "  {:<48} {}", index_line(ix), at(&ix.declared_at))?;
        }
        for fk in &t.foreign_keys {
            // No referenced columns: the referenced table's primary key.
            let target = if fk.ref_columns.is_empty() {
                fk.ref_table.clone()
            } else {
                format!("{}({})", fk.ref_table, fk.ref_columns.join(", "))
            };
            let line = format!("foreign key ({}) -> {target}", fk.columns.join(", "));
            writeln!(out, "  {line:<48} {}", at(&fk.declared_at))?;
        }
        writeln!(out)?;
    }
    let n = schema.tables.len();
    writeln!(out, "{n} table{}", if n == 1 { "" } else { "s" })
}

//! `archlint schema --format json`: the merged schema as documented, stable
//! JSON (see `JSON.md`), with locations in the same shape as the scan JSON.

use crate::json::{JsonLocation, location};
use archlint_model::{ForeignKey, Index, IndexColumn, IndexKind, Schema, Table};
use serde::Serialize;
use std::io::Write;

/// Version of the schema JSON format; bumped on incompatible changes.
const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct SchemaJson<'a> {
    version: u32,
    tables: Vec<TableJson<'a>>,
}

#[derive(Serialize)]
struct TableJson<'a> {
    name: &'a str,
    /// Only part of the table is known: rules do not judge its indexes.
    partial: bool,
    declared_at: JsonLocation<'a>,
    columns: Vec<ColumnJson<'a>>,
    primary_key: &'a [String],
    indexes: Vec<IndexJson<'a>>,
    foreign_keys: Vec<ForeignKeyJson<'a>>,
}

#[derive(Serialize)]
struct ColumnJson<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    type_text: &'a str,
    nullable: bool,
    declared_at: JsonLocation<'a>,
}

#[derive(Serialize)]
struct IndexJson<'a> {
    name: Option<&'a str>,
    /// `primary_key`, `unique`, `index` or `implicit`.
    kind: &'static str,
    /// Why the database or framework creates an implicit index.
    #[serde(skip_serializing_if = "Option::is_none")]
    implicit_reason: Option<&'a str>,
    unique: bool,
    partial: bool,
    method: Option<&'a str>,
    /// Key parts in order: a column name, or `{"expression": text}`.
    columns: Vec<ColumnRef<'a>>,
    declared_at: JsonLocation<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ColumnRef<'a> {
    Column(&'a str),
    Expression { expression: &'a str },
}

#[derive(Serialize)]
struct ForeignKeyJson<'a> {
    name: Option<&'a str>,
    columns: &'a [String],
    references_table: &'a str,
    references_columns: &'a [String],
    declared_at: JsonLocation<'a>,
}

/// Writes `schema` as the documented JSON format.
pub fn write_schema_json(schema: &Schema, out: &mut dyn Write) -> std::io::Result<()> {
    let doc = SchemaJson {
        version: FORMAT_VERSION,
        tables: schema.tables.values().map(table).collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).map_err(std::io::Error::other)?;
    s.push('\n');
    out.write_all(s.as_bytes())
}

fn table(t: &Table) -> TableJson<'_> {
    TableJson {
        name: &t.name,
        partial: t.partial,
        declared_at: location(&t.declared_at),
        columns: t
            .columns
            .iter()
            .map(|c| ColumnJson {
                name: &c.name,
                type_text: &c.type_text,
                nullable: c.nullable,
                declared_at: location(&c.declared_at),
            })
            .collect(),
        primary_key: &t.primary_key,
        indexes: t.indexes.iter().map(index).collect(),
        foreign_keys: t.foreign_keys.iter().map(foreign_key).collect(),
    }
}

fn index(ix: &Index) -> IndexJson<'_> {
    let (kind, implicit_reason) = match &ix.kind {
        IndexKind::PrimaryKey => ("primary_key", None),
        IndexKind::Unique => ("unique", None),
        IndexKind::Index => ("index", None),
        IndexKind::Implicit(why) => ("implicit", Some(why.as_str())),
    };
    IndexJson {
        name: ix.name.as_deref(),
        kind,
        implicit_reason,
        unique: ix.unique,
        partial: ix.partial,
        method: ix.method.as_deref(),
        columns: ix
            .columns
            .iter()
            .map(|c| match c {
                IndexColumn::Column(c) => ColumnRef::Column(c),
                IndexColumn::Expression(e) => ColumnRef::Expression { expression: e },
            })
            .collect(),
        declared_at: location(&ix.declared_at),
    }
}

fn foreign_key(fk: &ForeignKey) -> ForeignKeyJson<'_> {
    ForeignKeyJson {
        name: fk.name.as_deref(),
        columns: &fk.columns,
        references_table: &fk.ref_table,
        references_columns: &fk.ref_columns,
        declared_at: location(&fk.declared_at),
    }
}

//! Schema operations from declarative models and Core tables: one
//! `CreateTable` per declared table, with its columns, primary key, unique
//! and `index=True` columns, `__table_args__`/`Table(...)` items, module-level
//! `Index(...)`, and foreign keys located at their column's line.

use super::columns::{ColumnSpec, TableItem, table_item};
use super::declare::resolve_fk_target;
use super::knowledge::Models;
use super::models::{ModelId, Registry, TableDecl};
use archlint_model::{
    Column, Expr, ExprKind, ForeignKey, Index, IndexColumn, IndexKind, Location, ProjectIndex,
    SchemaOp,
};

/// The name SQLAlchemy gives an `index=True` column's index (`ix_users_email`).
pub fn default_index_name(table: &str, column: &str) -> String {
    let base = table.rsplit('.').next().unwrap_or(table);
    format!("ix_{base}_{column}")
}

/// Column-level indexes, keys and foreign keys of one column declaration.
pub struct ColumnParts {
    pub column: Column,
    /// Unique and `index=True` indexes (not the primary key).
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
}

/// Lowers one column declaration of `table`. `fk_target` resolves
/// `ForeignKey(...)` arguments to (table, column).
pub fn column_parts(
    table: &str,
    name: &str,
    spec: &ColumnSpec,
    at: Location,
    fk_target: &dyn Fn(&super::columns::FkTarget) -> Option<(String, String)>,
) -> ColumnParts {
    let mut indexes = Vec::new();
    if spec.index {
        indexes.push(Index {
            name: Some(default_index_name(table, name)),
            columns: vec![IndexColumn::Column(name.to_string())],
            unique: spec.unique,
            partial: false,
            kind: IndexKind::Index,
            method: None,
            declared_at: at.clone(),
        });
    } else if spec.unique {
        indexes.push(Index {
            name: None,
            columns: vec![IndexColumn::Column(name.to_string())],
            unique: true,
            partial: false,
            kind: IndexKind::Unique,
            method: None,
            declared_at: at.clone(),
        });
    }
    let foreign_keys = spec
        .fks
        .iter()
        .filter_map(fk_target)
        .map(|(rt, rc)| ForeignKey {
            name: None,
            columns: vec![name.to_string()],
            ref_table: rt,
            ref_columns: vec![rc],
            implicit_index: None,
            declared_at: at.clone(),
        })
        .collect();
    ColumnParts {
        column: Column {
            name: name.to_string(),
            type_text: spec.type_text.clone(),
            nullable: !spec.primary_key && spec.nullable != Some(false),
            declared_at: at,
        },
        indexes,
        foreign_keys,
    }
}

/// The primary key over `columns` declared at `at`.
pub fn primary_key(columns: Vec<String>, at: Location) -> Index {
    Index {
        name: None,
        columns: columns.into_iter().map(IndexColumn::Column).collect(),
        unique: true,
        partial: false,
        kind: IndexKind::PrimaryKey,
        method: None,
        declared_at: at,
    }
}

/// The `CreateTable` of one declared table.
pub fn create_table(
    reg: &Registry,
    index: &ProjectIndex,
    m: &Models,
    decl: &TableDecl,
) -> SchemaOp {
    let project = index.project;
    let mut columns = Vec::new();
    let mut indexes = Vec::new();
    let mut foreign_keys = Vec::new();
    let mut pk = Vec::new();
    let mut pk_at = None;
    for c in &decl.columns {
        let at = project.location(c.file, c.at);
        let fk_target = |fk: &super::columns::FkTarget| resolve_fk_target(reg, index, c.file, fk);
        let parts = column_parts(&decl.name, &c.column, &c.spec, at.clone(), &fk_target);
        if c.spec.primary_key {
            pk.push(c.column.clone());
            pk_at.get_or_insert(at);
        }
        columns.push(parts.column);
        indexes.extend(parts.indexes);
        foreign_keys.extend(parts.foreign_keys);
    }
    if let Some(at) = pk_at {
        indexes.insert(0, primary_key(pk, at));
    }
    for item in &decl.items {
        let at = project.location(item.file, item.expr.span);
        let column_of = |e: &Expr| item_column(reg, index, item.file, item.model, e);
        match table_item(m, index, item.file, item.expr, at.clone(), &column_of) {
            Some(TableItem::Index(i)) => indexes.push(i),
            Some(TableItem::ForeignKey {
                name,
                columns,
                ref_table,
                ref_columns,
            }) => foreign_keys.push(ForeignKey {
                name,
                columns,
                ref_table,
                ref_columns,
                implicit_index: None,
                declared_at: at,
            }),
            None => {}
        }
    }
    SchemaOp::CreateTable {
        table: decl.name.clone(),
        if_not_exists: false,
        columns,
        indexes,
        foreign_keys,
        partial: decl.partial,
        at: project.location(decl.file, decl.at),
    }
}

/// The column a schema item's expression names: `User.email`, a bare
/// attribute of the class body (`email`), or `users.c.email`.
fn item_column(
    reg: &Registry,
    index: &ProjectIndex,
    file: u32,
    model: Option<ModelId>,
    e: &Expr,
) -> Option<String> {
    match &e.kind {
        ExprKind::Name(n) => {
            let (_, c) = reg.column(model?, n)?;
            Some(c.to_string())
        }
        ExprKind::Attr(owner, attr) => {
            if let Some(m) = reg.model_of(index, file, owner) {
                return reg.column(m, attr).map(|(_, c)| c.to_string());
            }
            if let ExprKind::Attr(table, c) = &owner.kind
                && c == "c"
                && reg.core_of(index, file, table).is_some()
            {
                return Some(attr.clone());
            }
            None
        }
        _ => None,
    }
}

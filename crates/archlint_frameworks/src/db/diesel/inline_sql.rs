//! SQL written in a Rust string literal (sea-orm's `execute_unprepared`,
//! barrel's `inject_custom`): parsed as a schema file, with every location
//! moved from the text into the literal. Shared with the sea-orm module.

use archlint_model::{Constraint, Dialect, Location, SchemaOp, Span};

/// The schema operations of `text`, written in the literal at `lit` of `path`.
pub fn schema_in_literal(text: &str, lit: Span, path: &str, dialect: Dialect) -> Vec<SchemaOp> {
    let (mut ops, _) = archlint_sql::parse_schema(text, path, dialect);
    let origin = lit.start;
    for op in &mut ops {
        relocate(op, &mut |l: &mut Location| {
            for p in [&mut l.span.start, &mut l.span.end] {
                if p.line <= 1 {
                    // The text starts after the opening quote.
                    p.col += origin.col;
                }
                p.line = origin.line + p.line.saturating_sub(1);
            }
        });
    }
    ops
}

/// Calls `f` on every location of `op`.
pub fn relocate(op: &mut SchemaOp, f: &mut dyn FnMut(&mut Location)) {
    match op {
        SchemaOp::CreateTable {
            columns,
            indexes,
            foreign_keys,
            at,
            ..
        } => {
            columns.iter_mut().for_each(|c| f(&mut c.declared_at));
            indexes.iter_mut().for_each(|i| f(&mut i.declared_at));
            foreign_keys.iter_mut().for_each(|k| f(&mut k.declared_at));
            f(at);
        }
        SchemaOp::AddColumn { column, at, .. } => {
            f(&mut column.declared_at);
            f(at);
        }
        SchemaOp::CreateIndex { index, at, .. } => {
            f(&mut index.declared_at);
            f(at);
        }
        SchemaOp::AddConstraint { constraint, at, .. } => {
            match constraint {
                Constraint::Index(i) => f(&mut i.declared_at),
                Constraint::ForeignKey(k) => f(&mut k.declared_at),
            }
            f(at);
        }
        other => {
            let at = match other {
                SchemaOp::DropTable { at, .. }
                | SchemaOp::RenameTable { at, .. }
                | SchemaOp::DropColumn { at, .. }
                | SchemaOp::RenameColumn { at, .. }
                | SchemaOp::DropIndex { at, .. }
                | SchemaOp::RenameIndex { at, .. }
                | SchemaOp::RenameConstraint { at, .. }
                | SchemaOp::DropConstraint { at, .. }
                | SchemaOp::DropPrimaryKey { at, .. }
                | SchemaOp::Unparsed { at, .. }
                | SchemaOp::CreateTable { at, .. }
                | SchemaOp::AddColumn { at, .. }
                | SchemaOp::CreateIndex { at, .. }
                | SchemaOp::AddConstraint { at, .. } => at,
            };
            f(at);
        }
    }
}

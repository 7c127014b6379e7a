//! Table-level Alembic operations: `create_table` with its columns and
//! constraints, `add_column` with the indexes and keys its column declares,
//! and `execute` with DDL text parsed by archlint_sql (every location moved
//! to the call, since positions inside the literal are not the file's).

use super::super::columns::{FkTarget, TableItem, column_spec, index_parts, table_item};
use super::super::tables::{column_parts, primary_key};
use super::super::values::{call_in, str_value};
use super::ops::OpCx;
use archlint_model::{
    Arg, ArgsExt, Constraint, Expr, ExprKind, ForeignKey, Index, IndexKind, Location, SchemaOp,
};

impl OpCx<'_, '_> {
    pub(super) fn index_columns(&self, e: &Expr) -> Option<Vec<archlint_model::IndexColumn>> {
        let parts: Vec<&Expr> = match &e.kind {
            ExprKind::List(xs) | ExprKind::Tuple(xs) => xs.iter().collect(),
            _ => vec![e],
        };
        let none = |_: &Expr| None;
        index_parts(&self.n.models, self.index, self.file, &parts, &none)
    }

    pub(super) fn create_table(
        &mut self,
        table: String,
        rest: &[&Arg],
        if_not_exists: bool,
        starred: bool,
        at: Location,
    ) {
        let m = &self.n.models;
        let mut columns = Vec::new();
        let mut indexes = Vec::new();
        let mut foreign_keys = Vec::new();
        let mut pk = Vec::new();
        let mut pk_at = None;
        let mut partial = starred;
        for a in rest {
            let v = &a.value;
            let vat = self.loc(v.span);
            if let Some(spec) = column_spec(m, self.index, self.file, v) {
                let Some(name) = spec.name.clone() else {
                    partial = true;
                    continue;
                };
                let target = |fk: &FkTarget| match fk {
                    FkTarget::Text(t, c) => Some((t.clone(), c.clone())),
                    FkTarget::Expr(_) => None,
                };
                let parts = column_parts(&table, &name, &spec, vat.clone(), &target);
                if spec.primary_key {
                    pk.push(name);
                    pk_at.get_or_insert(vat);
                }
                columns.push(parts.column);
                indexes.extend(parts.indexes);
                foreign_keys.extend(parts.foreign_keys);
                continue;
            }
            let none = |_: &Expr| None;
            match table_item(m, self.index, self.file, v, vat.clone(), &none) {
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
                    declared_at: vat,
                }),
                // A constraint that creates no index (CHECK) is harmless; an
                // argument we cannot read may be a column or an index.
                None => {
                    let harmless = matches!(&v.kind, ExprKind::Call { func, .. }
                        if func.last_name().is_some_and(|n| n.ends_with("CheckConstraint")));
                    if !harmless {
                        partial = true;
                    }
                }
            }
        }
        if let Some(pat) = pk_at {
            indexes.insert(0, primary_key(pk, pat));
        }
        self.out.push(SchemaOp::CreateTable {
            table,
            if_not_exists,
            columns,
            indexes,
            foreign_keys,
            partial,
            at,
        });
    }

    pub(super) fn add_column(&mut self, table: String, col: &Expr, at: Location) {
        let Some(spec) = column_spec(&self.n.models, self.index, self.file, col) else {
            self.out.push(SchemaOp::Unparsed { table, at });
            return;
        };
        let Some(name) = spec.name.clone() else {
            self.out.push(SchemaOp::Unparsed { table, at });
            return;
        };
        let cat = self.loc(col.span);
        let target = |fk: &FkTarget| match fk {
            FkTarget::Text(t, c) => Some((t.clone(), c.clone())),
            FkTarget::Expr(_) => None,
        };
        let parts = column_parts(&table, &name, &spec, cat.clone(), &target);
        self.out.push(SchemaOp::AddColumn {
            table: table.clone(),
            column: parts.column,
            at: at.clone(),
        });
        if spec.primary_key {
            self.out.push(SchemaOp::AddConstraint {
                table: table.clone(),
                constraint: Constraint::Index(primary_key(vec![name], cat)),
                at: at.clone(),
            });
        }
        for i in parts.indexes {
            let op = if i.kind == IndexKind::Unique {
                SchemaOp::AddConstraint {
                    table: table.clone(),
                    constraint: Constraint::Index(i),
                    at: at.clone(),
                }
            } else {
                SchemaOp::CreateIndex {
                    table: table.clone(),
                    index: i,
                    if_not_exists: false,
                    at: at.clone(),
                }
            };
            self.out.push(op);
        }
        for fk in parts.foreign_keys {
            self.out.push(SchemaOp::AddConstraint {
                table: table.clone(),
                constraint: Constraint::ForeignKey(fk),
                at: at.clone(),
            });
        }
    }

    /// The SQL of `op.execute("...")` / `op.execute(sa.text("..."))`.
    pub(super) fn sql_text(&self, e: &Expr) -> Option<String> {
        if let Some(args) = call_in(e, &self.n.models.text) {
            return str_value(self.index, self.file, args.positional(0)?);
        }
        str_value(self.index, self.file, e)
    }

    /// Parses DDL text; every location is moved to the `op.execute` call,
    /// since positions inside the literal are not those of the file.
    pub(super) fn execute(&mut self, text: &str, at: Location) {
        let (ops, _problems) = archlint_sql::parse_schema(text, &at.path, self.dialect);
        for mut op in ops {
            relocate(&mut op, &at);
            self.out.push(op);
        }
    }
}

/// Points every location inside `op` at `at`.
fn relocate(op: &mut SchemaOp, at: &Location) {
    let fix_index = |i: &mut Index| i.declared_at = at.clone();
    let fix_fk = |f: &mut ForeignKey| f.declared_at = at.clone();
    match op {
        SchemaOp::CreateTable {
            columns,
            indexes,
            foreign_keys,
            at: a,
            ..
        } => {
            columns.iter_mut().for_each(|c| c.declared_at = at.clone());
            indexes.iter_mut().for_each(fix_index);
            foreign_keys.iter_mut().for_each(fix_fk);
            *a = at.clone();
        }
        SchemaOp::AddColumn { column, at: a, .. } => {
            column.declared_at = at.clone();
            *a = at.clone();
        }
        SchemaOp::CreateIndex { index, at: a, .. } => {
            index.declared_at = at.clone();
            *a = at.clone();
        }
        SchemaOp::AddConstraint {
            constraint, at: a, ..
        } => {
            match constraint {
                Constraint::Index(i) => i.declared_at = at.clone(),
                Constraint::ForeignKey(f) => f.declared_at = at.clone(),
            }
            *a = at.clone();
        }
        SchemaOp::DropTable { at: a, .. }
        | SchemaOp::RenameTable { at: a, .. }
        | SchemaOp::DropColumn { at: a, .. }
        | SchemaOp::RenameColumn { at: a, .. }
        | SchemaOp::DropIndex { at: a, .. }
        | SchemaOp::RenameIndex { at: a, .. }
        | SchemaOp::RenameConstraint { at: a, .. }
        | SchemaOp::DropConstraint { at: a, .. }
        | SchemaOp::DropPrimaryKey { at: a, .. }
        | SchemaOp::Unparsed { at: a, .. } => *a = at.clone(),
    }
}

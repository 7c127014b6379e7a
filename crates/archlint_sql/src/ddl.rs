//! sqlparser DDL statements lowered to [`SchemaOp`]s: CREATE TABLE (columns,
//! inline and table constraints, MySQL inline keys), CREATE/DROP/ALTER INDEX,
//! ALTER TABLE (add/drop column and constraint, renames, MySQL's drop forms),
//! DROP TABLE and MySQL's RENAME TABLE. Everything else yields nothing.

use crate::names::{StmtCtx, idents, index_part, last_part, object_name};
use archlint_model::{
    Column, Constraint, Dialect, ForeignKey, Index, IndexColumn, IndexKind, SchemaOp,
};
use sqlparser::ast::{
    AlterIndexOperation, AlterTableOperation, ColumnDef, ColumnOption, CreateIndex, CreateTable,
    DataType, ForeignKeyConstraint, IndexColumn as SqlIndexColumn, ObjectType, RenameTableNameKind,
    Spanned, Statement, TableConstraint,
};

/// MySQL (InnoDB) creates an index for every foreign key that lacks one.
const MYSQL_FK_INDEX: &str = "mysql foreign key";

pub(crate) fn lower(stmt: &Statement, cx: &StmtCtx<'_>, out: &mut Vec<SchemaOp>) {
    match stmt {
        Statement::CreateTable(ct) => out.push(create_table(ct, cx)),
        Statement::CreateIndex(ci) => out.push(create_index(ci, cx)),
        Statement::AlterTable(at) => {
            let table = object_name(&at.name);
            for op in &at.operations {
                alter_op(&table, op, cx, out);
            }
        }
        Statement::AlterIndex {
            name,
            operation: AlterIndexOperation::RenameIndex { index_name },
        } => out.push(SchemaOp::RenameIndex {
            from: last_part(name),
            to: last_part(index_name),
            at: cx.at.clone(),
        }),
        Statement::Drop {
            object_type,
            if_exists,
            names,
            table,
            ..
        } => match object_type {
            ObjectType::Table => out.extend(names.iter().map(|n| SchemaOp::DropTable {
                table: object_name(n),
                at: cx.at.clone(),
            })),
            ObjectType::Index => out.extend(names.iter().map(|n| SchemaOp::DropIndex {
                name: last_part(n),
                table: table.as_ref().map(object_name),
                if_exists: *if_exists,
                at: cx.at.clone(),
            })),
            _ => {}
        },
        Statement::RenameTable(renames) => {
            out.extend(renames.iter().map(|r| SchemaOp::RenameTable {
                from: object_name(&r.old_name),
                to: object_name(&r.new_name),
                at: cx.at.clone(),
            }));
        }
        _ => {}
    }
}

fn create_table(ct: &CreateTable, cx: &StmtCtx<'_>) -> SchemaOp {
    let table = object_name(&ct.name);
    let mut columns = Vec::new();
    let mut indexes = Vec::new();
    let mut foreign_keys = Vec::new();
    for def in &ct.columns {
        let (column, extra) = column(def, cx);
        columns.push(column);
        for c in extra {
            match c {
                Constraint::Index(i) => indexes.push(i),
                Constraint::ForeignKey(fk) => foreign_keys.push(fk),
            }
        }
    }
    for tc in &ct.constraints {
        match table_constraint(tc, cx) {
            Some(Constraint::Index(i)) => indexes.push(i),
            Some(Constraint::ForeignKey(fk)) => foreign_keys.push(fk),
            None => {}
        }
    }
    // `CREATE TABLE ... AS SELECT`, `LIKE`, `CLONE`, `PARTITION OF`: columns unknown.
    let partial = ct.query.is_some()
        || ct.like.is_some()
        || ct.clone.is_some()
        || ct.partition_of.is_some()
        || ct.columns.is_empty();
    SchemaOp::CreateTable {
        table,
        if_not_exists: ct.if_not_exists,
        columns,
        indexes,
        foreign_keys,
        partial,
        at: cx.at.clone(),
    }
}

/// A column and the constraints declared inline with it.
fn column(def: &ColumnDef, cx: &StmtCtx<'_>) -> (Column, Vec<Constraint>) {
    let name = def.name.value.clone();
    let declared_at = cx.loc(def.name.span);
    let mut nullable = true;
    let mut extra = Vec::new();
    for opt in &def.options {
        let constraint_name = opt.name.as_ref().map(|n| n.value.clone());
        match &opt.option {
            ColumnOption::NotNull => nullable = false,
            ColumnOption::PrimaryKey(_) => {
                nullable = false;
                extra.push(Constraint::Index(Index {
                    name: constraint_name,
                    columns: vec![IndexColumn::Column(name.clone())],
                    unique: true,
                    partial: false,
                    kind: IndexKind::PrimaryKey,
                    method: None,
                    declared_at: declared_at.clone(),
                }));
            }
            ColumnOption::Unique(_) => extra.push(Constraint::Index(Index {
                name: constraint_name,
                columns: vec![IndexColumn::Column(name.clone())],
                unique: true,
                partial: false,
                kind: IndexKind::Unique,
                method: None,
                declared_at: declared_at.clone(),
            })),
            // MySQL parses an inline REFERENCES and ignores it.
            ColumnOption::ForeignKey(fk) if cx.dialect != Dialect::Mysql => {
                extra.push(Constraint::ForeignKey(ForeignKey {
                    name: constraint_name.or_else(|| fk.name.as_ref().map(|n| n.value.clone())),
                    columns: vec![name.clone()],
                    ref_table: object_name(&fk.foreign_table),
                    ref_columns: idents(&fk.referred_columns),
                    implicit_index: None,
                    declared_at: declared_at.clone(),
                }));
            }
            _ => {}
        }
    }
    let type_text = match def.data_type {
        DataType::Unspecified => String::new(),
        ref t => t.to_string(),
    };
    let column = Column {
        name,
        type_text,
        nullable,
        declared_at,
    };
    (column, extra)
}

fn parts(cols: &[SqlIndexColumn], dialect: Dialect) -> Vec<IndexColumn> {
    cols.iter()
        .map(|c| index_part(&c.column.expr, dialect))
        .collect()
}

fn table_constraint(tc: &TableConstraint, cx: &StmtCtx<'_>) -> Option<Constraint> {
    let declared_at = cx.loc(tc.span());
    let index = |name: Option<String>, columns, kind: IndexKind, method: Option<String>| {
        Constraint::Index(Index {
            name,
            columns,
            unique: matches!(kind, IndexKind::PrimaryKey | IndexKind::Unique),
            partial: false,
            kind,
            method,
            declared_at: declared_at.clone(),
        })
    };
    let name_of = |i: &Option<sqlparser::ast::Ident>| i.as_ref().map(|n| n.value.clone());
    Some(match tc {
        TableConstraint::PrimaryKey(pk) => index(
            name_of(&pk.name),
            parts(&pk.columns, cx.dialect),
            IndexKind::PrimaryKey,
            None,
        ),
        TableConstraint::Unique(u) => index(
            name_of(&u.name).or_else(|| name_of(&u.index_name)),
            parts(&u.columns, cx.dialect),
            IndexKind::Unique,
            None,
        ),
        TableConstraint::Index(i) => index(
            name_of(&i.name),
            parts(&i.columns, cx.dialect),
            IndexKind::Index,
            i.index_type.as_ref().map(|t| t.to_string().to_lowercase()),
        ),
        TableConstraint::FulltextOrSpatial(f) => index(
            name_of(&f.opt_index_name),
            parts(&f.columns, cx.dialect),
            IndexKind::Index,
            Some(if f.fulltext { "fulltext" } else { "spatial" }.to_string()),
        ),
        TableConstraint::ForeignKey(fk) => Constraint::ForeignKey(foreign_key(fk, cx)),
        _ => return None,
    })
}

fn foreign_key(fk: &ForeignKeyConstraint, cx: &StmtCtx<'_>) -> ForeignKey {
    ForeignKey {
        name: fk.name.as_ref().map(|n| n.value.clone()),
        columns: idents(&fk.columns),
        ref_table: object_name(&fk.foreign_table),
        ref_columns: idents(&fk.referred_columns),
        implicit_index: (cx.dialect == Dialect::Mysql).then(|| MYSQL_FK_INDEX.to_string()),
        declared_at: cx.loc(fk.span()),
    }
}

fn create_index(ci: &CreateIndex, cx: &StmtCtx<'_>) -> SchemaOp {
    let index = Index {
        name: ci.name.as_ref().map(last_part),
        columns: parts(&ci.columns, cx.dialect),
        unique: ci.unique,
        partial: ci.predicate.is_some(),
        kind: IndexKind::Index,
        method: ci.using.as_ref().map(|t| t.to_string().to_lowercase()),
        declared_at: cx.at.clone(),
    };
    SchemaOp::CreateIndex {
        table: object_name(&ci.table_name),
        index,
        if_not_exists: ci.if_not_exists,
        at: cx.at.clone(),
    }
}

fn alter_op(table: &str, op: &AlterTableOperation, cx: &StmtCtx<'_>, out: &mut Vec<SchemaOp>) {
    let at = || cx.at.clone();
    let table_s = || table.to_string();
    match op {
        AlterTableOperation::AddConstraint { constraint, .. } => {
            if let Some(c) = table_constraint(constraint, cx) {
                out.push(SchemaOp::AddConstraint {
                    table: table_s(),
                    constraint: c,
                    at: at(),
                });
            }
        }
        AlterTableOperation::AddColumn { column_def, .. } => {
            let (column, extra) = column(column_def, cx);
            out.push(SchemaOp::AddColumn {
                table: table_s(),
                column,
                at: at(),
            });
            out.extend(extra.into_iter().map(|constraint| SchemaOp::AddConstraint {
                table: table_s(),
                constraint,
                at: at(),
            }));
        }
        AlterTableOperation::DropColumn { column_names, .. } => {
            out.extend(column_names.iter().map(|c| SchemaOp::DropColumn {
                table: table_s(),
                column: c.value.clone(),
                at: at(),
            }));
        }
        AlterTableOperation::DropConstraint { name, .. }
        | AlterTableOperation::DropForeignKey { name, .. } => out.push(SchemaOp::DropConstraint {
            table: table_s(),
            name: name.value.clone(),
            at: at(),
        }),
        AlterTableOperation::DropPrimaryKey { .. } => out.push(SchemaOp::DropPrimaryKey {
            table: table_s(),
            at: at(),
        }),
        AlterTableOperation::DropIndex { name } => out.push(SchemaOp::DropIndex {
            name: name.value.clone(),
            table: Some(table_s()),
            if_exists: false,
            at: at(),
        }),
        AlterTableOperation::RenameColumn {
            old_column_name,
            new_column_name,
        } => out.push(SchemaOp::RenameColumn {
            table: table_s(),
            from: old_column_name.value.clone(),
            to: new_column_name.value.clone(),
            at: at(),
        }),
        AlterTableOperation::ChangeColumn {
            old_name, new_name, ..
        } if old_name.value != new_name.value => out.push(SchemaOp::RenameColumn {
            table: table_s(),
            from: old_name.value.clone(),
            to: new_name.value.clone(),
            at: at(),
        }),
        AlterTableOperation::RenameTable { table_name } => {
            let (RenameTableNameKind::As(n) | RenameTableNameKind::To(n)) = table_name;
            out.push(SchemaOp::RenameTable {
                from: table_s(),
                to: object_name(n),
                at: at(),
            });
        }
        AlterTableOperation::RenameConstraint { old_name, new_name } => {
            out.push(SchemaOp::RenameConstraint {
                table: table_s(),
                from: old_name.value.clone(),
                to: new_name.value.clone(),
                at: at(),
            });
        }
        _ => {}
    }
}

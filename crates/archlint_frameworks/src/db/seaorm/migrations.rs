//! sea-orm migrations: `manager.create_table(Table::create()...)`,
//! `create_index`, `alter_table`, `drop_table`, `drop_index`,
//! `rename_table`, `create_foreign_key`, `drop_foreign_key` and raw SQL run
//! with `execute_unprepared("...")`, lowered to [`SchemaOp`]s, one
//! [`SchemaSource`] per file (ordered by path, which for
//! `m20220101_000001_create_table.rs` is the migration order). Functions
//! named like `down` are skipped: they undo the schema.
//!
//! A statement passed through a local (`let t = Table::create()...;
//! manager.create_table(t)`) is followed. A part not understood makes the
//! table partial (an unknown index could be the one a query needs).

use super::statements::{column_def, column_index, foreign_key_def, iden, index_def, starts_with};
use crate::db::DbCx;
use crate::db::diesel::chain::{assignments, flatten};
use crate::db::diesel::inline_sql::schema_in_literal;
use crate::db::diesel::knowledge::{MigrationNames, names};
use archlint_model::visit::walk_stmts;
use archlint_model::{
    Constraint, DbModel, Expr, ExprKind, Function, Location, SchemaOp, SchemaSource, Span,
};

/// Adds the schema declared by one file, when it declares any.
pub fn collect_file(cx: &DbCx, fi: u32, out: &mut DbModel) {
    let n = &names().migration;
    let project = cx.index.project;
    let Some(file) = project.file(fi) else {
        return;
    };
    let mut m = Migration {
        cx,
        n,
        file: fi,
        path: &file.path,
        ops: Vec::new(),
    };
    for func in &file.facts.functions {
        if n.down_fns.matches(&func.name) {
            continue;
        }
        let mut calls: Vec<(&str, &Expr, Span)> = Vec::new();
        walk_stmts(&func.body, |e| {
            if let Some((f, args)) = e.as_call()
                && let ExprKind::Attr(_, method) = &f.kind
                && let [arg] = args
            {
                calls.push((method, &arg.value, e.span));
            }
        });
        for (method, arg, span) in calls {
            m.statement(func, method, arg, span);
        }
    }
    if !m.ops.is_empty() {
        out.sources
            .push(SchemaSource::new(file.path.clone(), m.ops));
    }
}

struct Migration<'a, 'c, 'p> {
    cx: &'a DbCx<'c, 'p>,
    n: &'a MigrationNames,
    file: u32,
    path: &'a str,
    ops: Vec<SchemaOp>,
}

impl Migration<'_, '_, '_> {
    fn loc(&self, span: Span) -> Location {
        self.cx.index.project.location(self.file, span)
    }

    /// `manager.<method>(arg)` at `span`.
    fn statement(&mut self, func: &Function, method: &str, arg: &Expr, span: Span) {
        let n = self.n;
        if n.raw_sql.matches(method) {
            self.raw_sql(arg);
            return;
        }
        // A statement built in a local first.
        let stmt = match &arg.unwrap_await().kind {
            ExprKind::Name(local) => match assignments(&func.body, local, span).last() {
                Some(v) => *v,
                None => return,
            },
            ExprKind::Unary(x) => x,
            _ => arg,
        };
        // Located at the statement (which may be built in a local above the call).
        let at = self.loc(stmt.span);
        if n.create_table.matches(method) {
            self.create_table(stmt, at);
        } else if n.create_index.matches(method) {
            self.create_index(stmt, at);
        } else if n.alter_table.matches(method) {
            self.alter_table(stmt, at);
        } else if n.drop_table.matches(method) {
            self.drop_table(stmt, at);
        } else if n.drop_index.matches(method) {
            self.drop_index(stmt, at);
        } else if n.rename_table.matches(method) {
            self.rename_table(stmt, at);
        } else if n.create_foreign_key.matches(method) {
            self.create_foreign_key(stmt, at);
        } else if n.drop_foreign_key.matches(method) {
            self.drop_foreign_key(stmt, at);
        }
    }

    fn create_table(&mut self, e: &Expr, at: Location) {
        let chain = flatten(e);
        if !starts_with(&chain, "Table", "create") {
            return;
        }
        let (mut table, mut if_not_exists, mut partial) = (None, false, false);
        let (mut columns, mut indexes, mut fks) = (Vec::new(), Vec::new(), Vec::new());
        for l in &chain.links {
            match (l.method, l.arg(0)) {
                ("table", Some(t)) => table = iden(t),
                ("if_not_exists", _) => if_not_exists = true,
                ("col", Some(c)) => match column_def(self.n, c, self.loc(c.span)) {
                    Some(def) => {
                        indexes.extend(column_index(&def));
                        columns.push(def.column);
                    }
                    None => partial = true,
                },
                ("primary_key", Some(i)) => match index_def(self.n, i, self.loc(i.span)) {
                    Some(mut d) => {
                        d.index.kind = archlint_model::IndexKind::PrimaryKey;
                        d.index.unique = true;
                        indexes.push(d.index);
                    }
                    None => partial = true,
                },
                ("index", Some(i)) => match index_def(self.n, i, self.loc(i.span)) {
                    Some(d) => indexes.push(d.index),
                    None => partial = true,
                },
                ("foreign_key", Some(f)) => match foreign_key_def(self.n, f, self.loc(f.span)) {
                    Some((_, fk)) => fks.push(fk),
                    None => partial = true,
                },
                (m, _) if self.n.neutral.matches(m) => {}
                _ => partial = true,
            }
        }
        let Some(table) = table else {
            return;
        };
        // A foreign key is reported at its column's declaration.
        for fk in &mut fks {
            if let [c] = fk.columns.as_slice()
                && let Some(col) = columns
                    .iter()
                    .find(|x: &&archlint_model::Column| x.name.eq_ignore_ascii_case(c))
            {
                fk.declared_at = col.declared_at.clone();
            }
        }
        self.ops.push(SchemaOp::CreateTable {
            table,
            if_not_exists,
            columns,
            indexes,
            foreign_keys: fks,
            partial,
            at,
        });
    }

    fn create_index(&mut self, e: &Expr, at: Location) {
        let chain = flatten(e);
        let table = chain
            .links
            .iter()
            .find(|l| l.method == "table")
            .and_then(|l| l.arg(0))
            .and_then(iden);
        match (index_def(self.n, e, self.loc(e.span)), table) {
            (Some(d), Some(table)) => self.ops.push(SchemaOp::CreateIndex {
                table,
                index: d.index,
                if_not_exists: d.if_not_exists,
                at,
            }),
            (None, Some(table)) => self.ops.push(SchemaOp::Unparsed { table, at }),
            _ => {}
        }
    }

    fn alter_table(&mut self, e: &Expr, at: Location) {
        let chain = flatten(e);
        if !starts_with(&chain, "Table", "alter") {
            return;
        }
        let Some(table) = chain
            .links
            .iter()
            .find(|l| l.method == "table")
            .and_then(|l| l.arg(0))
            .and_then(iden)
        else {
            return;
        };
        let mut ops = Vec::new();
        let mut understood = true;
        for l in &chain.links {
            let arg = l.arg(0);
            match (l.method, arg) {
                ("table", _) => {}
                ("add_column" | "add_column_if_not_exists", Some(c)) => {
                    match column_def(self.n, c, self.loc(c.span)) {
                        Some(def) => {
                            let index = column_index(&def);
                            ops.push(SchemaOp::AddColumn {
                                table: table.clone(),
                                column: def.column,
                                at: at.clone(),
                            });
                            if let Some(i) = index {
                                ops.push(SchemaOp::AddConstraint {
                                    table: table.clone(),
                                    constraint: Constraint::Index(i),
                                    at: at.clone(),
                                });
                            }
                        }
                        None => understood = false,
                    }
                }
                ("drop_column", Some(c)) => match iden(c) {
                    Some(column) => ops.push(SchemaOp::DropColumn {
                        table: table.clone(),
                        column,
                        at: at.clone(),
                    }),
                    None => understood = false,
                },
                ("rename_column", Some(a)) => match (iden(a), l.arg(1).and_then(iden)) {
                    (Some(from), Some(to)) => ops.push(SchemaOp::RenameColumn {
                        table: table.clone(),
                        from,
                        to,
                        at: at.clone(),
                    }),
                    _ => understood = false,
                },
                ("add_foreign_key", Some(f)) => {
                    match foreign_key_def(self.n, f, self.loc(f.span)) {
                        Some((_, mut fk)) => {
                            self.locate_fk(&table, &mut fk);
                            ops.push(SchemaOp::AddConstraint {
                                table: table.clone(),
                                constraint: Constraint::ForeignKey(fk),
                                at: at.clone(),
                            });
                        }
                        None => understood = false,
                    }
                }
                ("drop_foreign_key", Some(name)) => match iden(name) {
                    Some(name) => ops.push(SchemaOp::DropConstraint {
                        table: table.clone(),
                        name,
                        at: at.clone(),
                    }),
                    None => understood = false,
                },
                // A type change keeps the column and its indexes.
                ("modify_column", _) => {}
                (m, _) if self.n.neutral.matches(m) => {}
                _ => understood = false,
            }
        }
        self.ops.extend(ops);
        if !understood {
            self.ops.push(SchemaOp::Unparsed { table, at });
        }
    }

    fn drop_table(&mut self, e: &Expr, at: Location) {
        let chain = flatten(e);
        if !starts_with(&chain, "Table", "drop") {
            return;
        }
        for l in chain.links.iter().filter(|l| l.method == "table") {
            if let Some(table) = l.arg(0).and_then(iden) {
                self.ops.push(SchemaOp::DropTable {
                    table,
                    at: at.clone(),
                });
            }
        }
    }

    fn drop_index(&mut self, e: &Expr, at: Location) {
        let chain = flatten(e);
        if !starts_with(&chain, "Index", "drop") {
            return;
        }
        let arg_of = |m: &str| {
            chain
                .links
                .iter()
                .find(|l| l.method == m)
                .and_then(|l| l.arg(0))
                .and_then(iden)
        };
        if let Some(name) = arg_of("name") {
            self.ops.push(SchemaOp::DropIndex {
                name,
                table: arg_of("table"),
                if_exists: chain.links.iter().any(|l| l.method == "if_exists"),
                at,
            });
        }
    }

    fn rename_table(&mut self, e: &Expr, at: Location) {
        let chain = flatten(e);
        if !starts_with(&chain, "Table", "rename") {
            return;
        }
        for l in chain.links.iter().filter(|l| l.method == "table") {
            if let (Some(from), Some(to)) = (l.arg(0).and_then(iden), l.arg(1).and_then(iden)) {
                self.ops.push(SchemaOp::RenameTable {
                    from,
                    to,
                    at: at.clone(),
                });
            }
        }
    }

    fn create_foreign_key(&mut self, e: &Expr, at: Location) {
        let Some((Some(table), mut fk)) = foreign_key_def(self.n, e, self.loc(e.span)) else {
            return;
        };
        self.locate_fk(&table, &mut fk);
        self.ops.push(SchemaOp::AddConstraint {
            table,
            constraint: Constraint::ForeignKey(fk),
            at,
        });
    }

    fn drop_foreign_key(&mut self, e: &Expr, at: Location) {
        let chain = flatten(e);
        if !starts_with(&chain, "ForeignKey", "drop") {
            return;
        }
        let arg_of = |m: &str| {
            chain
                .links
                .iter()
                .find(|l| l.method == m)
                .and_then(|l| l.arg(0))
                .and_then(iden)
        };
        if let (Some(name), Some(table)) = (arg_of("name"), arg_of("table")) {
            self.ops.push(SchemaOp::DropConstraint { table, name, at });
        }
    }

    /// Points a foreign key added after its table at the column's
    /// declaration, when this file declares it.
    fn locate_fk(&self, table: &str, fk: &mut archlint_model::ForeignKey) {
        let [c] = fk.columns.as_slice() else {
            return;
        };
        let same = |t: &str| t.eq_ignore_ascii_case(table);
        for op in self.ops.iter().rev() {
            let col = match op {
                SchemaOp::CreateTable { table, columns, .. } if same(table) => {
                    columns.iter().find(|x| x.name.eq_ignore_ascii_case(c))
                }
                SchemaOp::AddColumn { table, column, .. }
                    if same(table) && column.name.eq_ignore_ascii_case(c) =>
                {
                    Some(column)
                }
                _ => None,
            };
            if let Some(col) = col {
                fk.declared_at = col.declared_at.clone();
                return;
            }
        }
    }

    /// `db.execute_unprepared("CREATE INDEX ...")`: parsed as SQL, with
    /// positions moved to the string literal.
    fn raw_sql(&mut self, arg: &Expr) {
        if let ExprKind::Str(text) = &arg.kind {
            let ops = schema_in_literal(text, arg.span, self.path, self.cx.dialect);
            self.ops.extend(ops);
        }
    }
}

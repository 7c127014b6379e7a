//! Alembic migrations: the operations of each revision's `upgrade()`
//! (`op.create_table`, `op.create_index`, `op.add_column`, `op.execute` with
//! DDL text, `batch_alter_table` blocks...) as schema sources, ordered by the
//! revision chain (`revision` / `down_revision`) rather than by file name.
//! `downgrade()` is ignored.

use super::columns::{TableItem, column_spec, index_parts, is_partial, table_item};
use super::knowledge::SaNames;
use super::tables::{column_parts, primary_key};
use super::values::{call_in, kw_bool, kw_truthy, str_list, str_value};
use archlint_model::schema::{OrderKey, table_key};
use archlint_model::{
    Arg, ArgsExt, Constraint, Dialect, Expr, ExprKind, ForeignKey, Function, Index, IndexKind,
    Location, ProjectIndex, SchemaOp, SchemaSource, Span, StmtKind,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// One migration file.
struct Migration {
    file: u32,
    revision: Option<String>,
    parents: Vec<String>,
}

/// The Alembic migration files of the project (module-level `revision` and
/// `down_revision`).
pub fn migration_files(index: &ProjectIndex, n: &SaNames) -> HashSet<u32> {
    index
        .project
        .files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.language == archlint_model::Language::Python)
        .filter(|(fi, _)| read_migration(index, n, *fi as u32).is_some())
        .map(|(fi, _)| fi as u32)
        .collect()
}

fn read_migration(index: &ProjectIndex, n: &SaNames, file: u32) -> Option<Migration> {
    let facts = &index.project.file(file)?.facts;
    let mut revision = None;
    let mut parents = None;
    for s in &facts.module_stmts {
        let StmtKind::Assign { targets, value, .. } = &s.kind else {
            continue;
        };
        for t in targets {
            let ExprKind::Name(name) = &t.kind else {
                continue;
            };
            if n.alembic.revision.matches(name) {
                revision = str_value(index, file, value);
            } else if n.alembic.down_revision.matches(name) {
                parents = Some(match &value.kind {
                    ExprKind::NoneLit => Vec::new(),
                    _ => str_list(index, file, value).unwrap_or_default(),
                });
            }
        }
    }
    // Both names must be there: `revision` alone is too common a word.
    let parents = parents?;
    revision.as_ref()?;
    Some(Migration {
        file,
        revision,
        parents,
    })
}

/// What the migrations declare: one source per migration in chain order,
/// and the tables they create.
pub struct Migrations {
    pub sources: Vec<SchemaSource>,
    pub created: BTreeSet<String>,
}

/// Reads every migration's `upgrade()`.
pub fn collect(
    index: &ProjectIndex,
    n: &SaNames,
    files: &HashSet<u32>,
    dialect: Dialect,
) -> Migrations {
    let mut migs: Vec<Migration> = files
        .iter()
        .filter_map(|&f| read_migration(index, n, f))
        .collect();
    migs.sort_by_key(|m| m.file);
    let order = chain_order(index, &migs);
    let mut out = Migrations {
        sources: Vec::new(),
        created: BTreeSet::new(),
    };
    for (seq, mi) in order.into_iter().enumerate() {
        let Some(m) = migs.get(mi) else { continue };
        let ops = upgrade_ops(index, n, m.file, dialect);
        for op in &ops {
            if let SchemaOp::CreateTable { table, .. } = op {
                out.created.insert(table_key(table));
            }
        }
        let path = index
            .project
            .file(m.file)
            .map(|f| f.path.clone())
            .unwrap_or_default();
        out.sources.push(SchemaSource {
            order: OrderKey::from_path(&format!("alembic/{:06}", seq + 1)),
            path,
            ops,
        });
    }
    out
}

/// Indices into `migs` in revision order: parents before children, ties by
/// file path; anything outside the chain (or in a cycle) after, by path.
fn chain_order(index: &ProjectIndex, migs: &[Migration]) -> Vec<usize> {
    let path = |i: usize| {
        migs.get(i)
            .and_then(|m| index.project.file(m.file))
            .map(|f| f.path.as_str())
            .unwrap_or("")
    };
    let by_rev: HashMap<&str, usize> = migs
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.revision.as_deref().map(|r| (r, i)))
        .collect();
    let mut waiting: Vec<usize> = vec![0; migs.len()];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); migs.len()];
    for (i, m) in migs.iter().enumerate() {
        for p in &m.parents {
            if let Some(&pi) = by_rev.get(p.as_str())
                && pi != i
            {
                waiting[i] += 1;
                children[pi].push(i);
            }
        }
    }
    let mut ready: BTreeMap<(&str, usize), ()> = (0..migs.len())
        .filter(|&i| waiting[i] == 0)
        .map(|i| ((path(i), i), ()))
        .collect();
    let mut out = Vec::with_capacity(migs.len());
    let mut done = vec![false; migs.len()];
    while let Some(((_, i), ())) = ready.pop_first() {
        out.push(i);
        done[i] = true;
        for &c in &children[i] {
            waiting[c] = waiting[c].saturating_sub(1);
            if waiting[c] == 0 && !done[c] {
                ready.insert((path(c), c), ());
            }
        }
    }
    let mut rest: Vec<usize> = (0..migs.len()).filter(|&i| !done[i]).collect();
    rest.sort_by_key(|&i| path(i));
    out.extend(rest);
    out
}

/// A batch context: `with op.batch_alter_table("t") as batch_op`.
struct Batch {
    table: String,
}

struct OpCx<'a, 'p> {
    index: &'a ProjectIndex<'p>,
    n: &'a SaNames,
    file: u32,
    dialect: Dialect,
    out: Vec<SchemaOp>,
}

/// The operations of a migration's `upgrade()`.
fn upgrade_ops(index: &ProjectIndex, n: &SaNames, file: u32, dialect: Dialect) -> Vec<SchemaOp> {
    let Some(f) = index.project.file(file) else {
        return Vec::new();
    };
    let Some(up) = f.facts.functions.iter().find(|func| {
        func.container == archlint_model::Container::Module && n.alembic.upgrade.matches(&func.name)
    }) else {
        return Vec::new();
    };
    let mut cx = OpCx {
        index,
        n,
        file,
        dialect,
        out: Vec::new(),
    };
    cx.body(up);
    cx.out
}

impl OpCx<'_, '_> {
    fn loc(&self, span: Span) -> Location {
        self.index.project.location(self.file, span)
    }

    fn body(&mut self, func: &Function) {
        let mut batches: HashMap<&str, Batch> = HashMap::new();
        for s in &func.body {
            let e = match &s.kind {
                StmtKind::Assign { targets, value, .. } => {
                    // `with op.batch_alter_table("t") as batch_op:`
                    if let [t] = targets.as_slice()
                        && let ExprKind::Name(name) = &t.kind
                    {
                        batches.remove(name.as_str());
                        if let Some(table) = self.batch_table(value) {
                            batches.insert(name, Batch { table });
                            continue;
                        }
                    }
                    value
                }
                StmtKind::Expr(e) => e,
                StmtKind::Return(_) => continue,
            };
            let ExprKind::Call { func: callee, args } = &e.kind else {
                continue;
            };
            let ExprKind::Attr(recv, method) = &callee.kind else {
                continue;
            };
            let ExprKind::Name(r) = &recv.kind else {
                continue;
            };
            if self.n.alembic.op.matches(r) {
                self.op(method, args, None, e.span);
            } else if let Some(b) = batches.get(r.as_str()) {
                let table = b.table.clone();
                self.op(method, args, Some(&table), e.span);
            }
        }
    }

    fn batch_table(&self, value: &Expr) -> Option<String> {
        let ExprKind::Call { func, args } = &value.kind else {
            return None;
        };
        let ExprKind::Attr(recv, m) = &func.kind else {
            return None;
        };
        if !recv
            .last_name()
            .is_some_and(|r| self.n.alembic.op.matches(r))
            || !self.n.alembic.batch.matches(m)
        {
            return None;
        }
        let t = self.name(args.positional(0).or_else(|| args.keyword("table_name"))?)?;
        Some(self.qualify(t, args))
    }

    /// A name argument: a string, a constant, or `op.f("name")`.
    fn name(&self, e: &Expr) -> Option<String> {
        if let Some(args) = call_in(e, &self.n.alembic.name_wrappers) {
            return str_value(self.index, self.file, args.positional(0)?);
        }
        str_value(self.index, self.file, e)
    }

    fn qualify(&self, table: String, args: &[Arg]) -> String {
        match args
            .keyword("schema")
            .and_then(|s| str_value(self.index, self.file, s))
        {
            Some(schema) if !table.contains('.') => format!("{schema}.{table}"),
            _ => table,
        }
    }

    /// One `op.<method>(...)` (or `batch_op.<method>(...)` with its table).
    fn op(&mut self, method: &str, args: &[Arg], batch: Option<&str>, span: Span) {
        // Alembic's positional parameters, with the table parameter left out
        // for batch operations.
        let params: &[&str] = match method {
            "create_table" => &["table_name"],
            "drop_table" => &["table_name"],
            "rename_table" => &["old_table_name", "new_table_name"],
            "add_column" => &["table_name", "column"],
            "drop_column" => &["table_name", "column_name"],
            "alter_column" => &["table_name", "column_name"],
            "create_index" => &["index_name", "table_name", "columns"],
            "drop_index" => &["index_name", "table_name"],
            "create_unique_constraint" | "create_primary_key" => {
                &["constraint_name", "table_name", "columns"]
            }
            "create_foreign_key" => &[
                "constraint_name",
                "source_table",
                "referent_table",
                "local_cols",
                "remote_cols",
            ],
            "drop_constraint" => &["constraint_name", "table_name"],
            "execute" => &["sqltext"],
            _ => return,
        };
        let table_param = if method == "create_foreign_key" {
            "source_table"
        } else {
            "table_name"
        };
        let mut bound: HashMap<&str, &Expr> = HashMap::new();
        let mut positional = args.iter().filter(|a| a.name.is_none()).map(|a| &a.value);
        for p in params {
            if batch.is_some() && *p == table_param {
                continue;
            }
            if let Some(v) = positional.next() {
                bound.insert(p, v);
            }
        }
        for a in args {
            if let Some(k) = a.name.as_deref() {
                bound.insert(k, &a.value);
            }
        }
        let at = self.loc(span);
        let table: Option<String> = match batch {
            Some(t) => Some(t.to_string()),
            None => bound
                .get(table_param)
                .and_then(|e| self.name(e))
                .map(|t| self.qualify(t, args)),
        };
        let get = |k: &str| bound.get(k).copied();
        match method {
            "create_table" => {
                let Some(table) = table else { return };
                let rest: Vec<&Arg> = args.iter().filter(|a| a.name.is_none()).skip(1).collect();
                // `*columns`: what they declare is unknown.
                let starred = args.iter().any(|a| a.name.as_deref() == Some("*"));
                self.create_table(table, &rest, kw_truthy(args, "if_not_exists"), starred, at);
            }
            "drop_table" => {
                if let Some(table) = table {
                    self.out.push(SchemaOp::DropTable { table, at });
                }
            }
            "rename_table" => {
                let from = get("old_table_name").and_then(|e| self.name(e));
                let to = get("new_table_name").and_then(|e| self.name(e));
                if let (Some(from), Some(to)) = (from, to) {
                    self.out.push(SchemaOp::RenameTable { from, to, at });
                }
            }
            "add_column" => {
                let (Some(table), Some(col)) = (table, get("column")) else {
                    return;
                };
                self.add_column(table, col, at);
            }
            "drop_column" => {
                let (Some(table), Some(column)) =
                    (table, get("column_name").and_then(|e| self.name(e)))
                else {
                    return;
                };
                self.out.push(SchemaOp::DropColumn { table, column, at });
            }
            "alter_column" => {
                let (Some(table), Some(from)) =
                    (table, get("column_name").and_then(|e| self.name(e)))
                else {
                    return;
                };
                if let Some(to) = get("new_column_name").and_then(|e| self.name(e)) {
                    self.out.push(SchemaOp::RenameColumn {
                        table,
                        from,
                        to,
                        at,
                    });
                }
            }
            "create_index" => {
                let Some(table) = table else { return };
                let name = get("index_name").and_then(|e| self.name(e));
                let parts = get("columns").and_then(|c| self.index_columns(c));
                let Some(columns) = parts else {
                    // Unknown columns: the table's indexes are not fully known.
                    self.out.push(SchemaOp::Unparsed { table, at });
                    return;
                };
                self.out.push(SchemaOp::CreateIndex {
                    table,
                    index: Index {
                        name,
                        columns,
                        unique: kw_bool(args, "unique").unwrap_or(false),
                        partial: is_partial(args),
                        kind: IndexKind::Index,
                        method: args
                            .keyword("postgresql_using")
                            .and_then(|v| str_value(self.index, self.file, v))
                            .map(|s| s.to_ascii_lowercase()),
                        declared_at: at.clone(),
                    },
                    if_not_exists: kw_truthy(args, "if_not_exists"),
                    at,
                });
            }
            "drop_index" => {
                if let Some(name) = get("index_name").and_then(|e| self.name(e)) {
                    self.out.push(SchemaOp::DropIndex {
                        name,
                        table,
                        if_exists: kw_truthy(args, "if_exists"),
                        at,
                    });
                }
            }
            "create_unique_constraint" | "create_primary_key" => {
                let Some(table) = table else { return };
                let name = get("constraint_name").and_then(|e| self.name(e));
                let Some(cols) = get("columns").and_then(|c| str_list(self.index, self.file, c))
                else {
                    self.out.push(SchemaOp::Unparsed { table, at });
                    return;
                };
                let mut index = primary_key(cols, at.clone());
                index.name = name;
                if method == "create_unique_constraint" {
                    index.kind = IndexKind::Unique;
                }
                self.out.push(SchemaOp::AddConstraint {
                    table,
                    constraint: Constraint::Index(index),
                    at,
                });
            }
            "create_foreign_key" => {
                let Some(table) = table else { return };
                let name = get("constraint_name").and_then(|e| self.name(e));
                let ref_table = get("referent_table").and_then(|e| self.name(e));
                let local = get("local_cols").and_then(|c| str_list(self.index, self.file, c));
                let remote = get("remote_cols").and_then(|c| str_list(self.index, self.file, c));
                let (Some(ref_table), Some(columns), Some(ref_columns)) =
                    (ref_table, local, remote)
                else {
                    return;
                };
                self.out.push(SchemaOp::AddConstraint {
                    table,
                    constraint: Constraint::ForeignKey(ForeignKey {
                        name,
                        columns,
                        ref_table,
                        ref_columns,
                        implicit_index: None,
                        declared_at: at.clone(),
                    }),
                    at,
                });
            }
            "drop_constraint" => {
                let (Some(table), Some(name)) =
                    (table, get("constraint_name").and_then(|e| self.name(e)))
                else {
                    return;
                };
                self.out.push(SchemaOp::DropConstraint { table, name, at });
            }
            "execute" => {
                if let Some(text) = get("sqltext").and_then(|e| self.sql_text(e)) {
                    self.execute(&text, at);
                }
            }
            _ => {}
        }
    }

    fn index_columns(&self, e: &Expr) -> Option<Vec<archlint_model::IndexColumn>> {
        let parts: Vec<&Expr> = match &e.kind {
            ExprKind::List(xs) | ExprKind::Tuple(xs) => xs.iter().collect(),
            _ => vec![e],
        };
        let none = |_: &Expr| None;
        index_parts(&self.n.models, self.index, self.file, &parts, &none)
    }

    fn create_table(
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
                let target = |fk: &super::columns::FkTarget| match fk {
                    super::columns::FkTarget::Text(t, c) => Some((t.clone(), c.clone())),
                    super::columns::FkTarget::Expr(_) => None,
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

    fn add_column(&mut self, table: String, col: &Expr, at: Location) {
        let Some(spec) = column_spec(&self.n.models, self.index, self.file, col) else {
            self.out.push(SchemaOp::Unparsed { table, at });
            return;
        };
        let Some(name) = spec.name.clone() else {
            self.out.push(SchemaOp::Unparsed { table, at });
            return;
        };
        let cat = self.loc(col.span);
        let target = |fk: &super::columns::FkTarget| match fk {
            super::columns::FkTarget::Text(t, c) => Some((t.clone(), c.clone())),
            super::columns::FkTarget::Expr(_) => None,
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
    fn sql_text(&self, e: &Expr) -> Option<String> {
        if let Some(args) = call_in(e, &self.n.models.text) {
            return str_value(self.index, self.file, args.positional(0)?);
        }
        str_value(self.index, self.file, e)
    }

    /// Parses DDL text; every location is moved to the `op.execute` call,
    /// since positions inside the literal are not those of the file.
    fn execute(&mut self, text: &str, at: Location) {
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

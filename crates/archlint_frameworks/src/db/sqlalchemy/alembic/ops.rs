//! Interpreting Alembic operations: `op.<method>(...)` and
//! `batch_op.<method>(...)` calls of an `upgrade()` (and of project helpers
//! it calls, see [`super::inline`]) into schema operations. An operation
//! whose arguments cannot be read on a known table marks that table as not
//! fully known rather than being guessed.

use super::super::columns::is_partial;
use super::super::knowledge::SaNames;
use super::super::tables::primary_key;
use super::super::values::{call_in, kw_bool, kw_truthy, str_list, str_value};
use super::inline::{Env, subst, unroll};
use archlint_model::{
    Arg, ArgsExt, Constraint, Dialect, Expr, ExprKind, ForeignKey, Function, Index, IndexKind,
    Location, ProjectIndex, SchemaOp, Span, Stmt, StmtKind,
};
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

/// A batch context: `with op.batch_alter_table("t") as batch_op`.
struct Batch {
    table: String,
}

pub(super) struct OpCx<'a, 'p> {
    pub index: &'a ProjectIndex<'p>,
    pub n: &'a SaNames,
    pub file: u32,
    pub dialect: Dialect,
    pub out: Vec<SchemaOp>,
}

/// The operations of a migration's `upgrade()`.
pub(super) fn upgrade_ops(
    index: &ProjectIndex,
    n: &SaNames,
    file: u32,
    dialect: Dialect,
) -> Vec<SchemaOp> {
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
    cx.body(up, None, None, 0);
    cx.out
}

impl OpCx<'_, '_> {
    pub(super) fn loc(&self, span: Span) -> Location {
        self.index.project.location(self.file, span)
    }

    /// Interprets the statements of `func`. `env` binds a helper's
    /// parameters to its caller's arguments; `at` locates everything at the
    /// caller's call; `depth` bounds helpers calling helpers. Returns whether
    /// every operation was understood.
    pub(super) fn body(
        &mut self,
        func: &Function,
        env: Option<&Env>,
        at: Option<Span>,
        depth: u32,
    ) -> bool {
        let mut understood = true;
        let mut batches: HashMap<String, Batch> = HashMap::default();
        let mut unrolled: Vec<u32> = Vec::new();
        for s in &func.body {
            let Some(li) = s.loop_idx else {
                understood &= self.stmt(s, env, at, depth, &mut batches);
                continue;
            };
            if unrolled.contains(&li) {
                continue;
            }
            // `for name, table, cols in INDEXES: op.create_index(name, table, cols)`
            // over a literal list: each element in turn.
            match unroll(self, func, li, env) {
                Some(envs) => {
                    unrolled.push(li);
                    let stmts: Vec<&Stmt> = func
                        .body
                        .iter()
                        .filter(|x| x.loop_idx == Some(li))
                        .collect();
                    for e in &envs {
                        for st in &stmts {
                            understood &= self.stmt(st, Some(e), at, depth, &mut batches);
                        }
                    }
                }
                None => understood &= self.stmt(s, env, at, depth, &mut batches),
            }
        }
        understood
    }

    /// One statement of a body; returns whether it was understood.
    fn stmt(
        &mut self,
        s: &Stmt,
        env: Option<&Env>,
        at: Option<Span>,
        depth: u32,
        batches: &mut HashMap<String, Batch>,
    ) -> bool {
        let e = match &s.kind {
            StmtKind::Assign { targets, value, .. } => {
                // `with op.batch_alter_table("t") as batch_op:`
                if let [t] = targets.as_slice()
                    && let ExprKind::Name(name) = &t.kind
                {
                    batches.remove(name.as_str());
                    if let Some(table) = self.batch_table(value, env) {
                        batches.insert(name.clone(), Batch { table });
                        return true;
                    }
                }
                value
            }
            StmtKind::Expr(e) => e,
            StmtKind::Return(_) => return true,
        };
        let ExprKind::Call { func: callee, args } = &e.kind else {
            return true;
        };
        let span = at.unwrap_or(e.span);
        let args: Cow<[Arg]> = match env {
            Some(env) => Cow::Owned(subst(args, env)),
            None => Cow::Borrowed(args.as_slice()),
        };
        if let ExprKind::Attr(recv, method) = &callee.kind
            && let ExprKind::Name(r) = &recv.kind
        {
            if self.n.alembic.op.matches(r) {
                return self.op(method, &args, None, span);
            }
            if let Some(b) = batches.get(r.as_str()) {
                let table = b.table.clone();
                return self.op(method, &args, Some(&table), span);
            }
        }
        self.helper(callee, &args, span, depth)
    }

    fn batch_table(&self, value: &Expr, env: Option<&Env>) -> Option<String> {
        let ExprKind::Call { func, args } = &value.kind else {
            return None;
        };
        let args: Cow<[Arg]> = match env {
            Some(env) => Cow::Owned(subst(args, env)),
            None => Cow::Borrowed(args.as_slice()),
        };
        let args: &[Arg] = &args;
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
    pub(super) fn name(&self, e: &Expr) -> Option<String> {
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
    fn op(&mut self, method: &str, args: &[Arg], batch: Option<&str>, span: Span) -> bool {
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
            _ => return true,
        };
        let table_param = if method == "create_foreign_key" {
            "source_table"
        } else {
            "table_name"
        };
        let mut bound: HashMap<&str, &Expr> = HashMap::default();
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
                let Some(table) = table else { return false };
                let rest: Vec<&Arg> = args.iter().filter(|a| a.name.is_none()).skip(1).collect();
                // `*columns`: what they declare is unknown.
                let starred = args.iter().any(|a| a.name.as_deref() == Some("*"));
                self.create_table(table, &rest, kw_truthy(args, "if_not_exists"), starred, at);
            }
            "drop_table" => {
                let Some(table) = table else { return false };
                self.out.push(SchemaOp::DropTable { table, at });
            }
            "rename_table" => {
                let from = get("old_table_name").and_then(|e| self.name(e));
                let to = get("new_table_name").and_then(|e| self.name(e));
                let (Some(from), Some(to)) = (from, to) else {
                    return false;
                };
                self.out.push(SchemaOp::RenameTable { from, to, at });
            }
            "add_column" => {
                let (Some(table), Some(col)) = (table, get("column")) else {
                    return false;
                };
                self.add_column(table, col, at);
            }
            "drop_column" => {
                let (Some(table), Some(column)) =
                    (table, get("column_name").and_then(|e| self.name(e)))
                else {
                    return false;
                };
                self.out.push(SchemaOp::DropColumn { table, column, at });
            }
            "alter_column" => {
                let (Some(table), Some(from)) =
                    (table, get("column_name").and_then(|e| self.name(e)))
                else {
                    return false;
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
                let Some(table) = table else { return false };
                let name = get("index_name").and_then(|e| self.name(e));
                let parts = get("columns").and_then(|c| self.index_columns(c));
                let Some(columns) = parts else {
                    // Unknown columns: the table's indexes are not fully known.
                    self.out.push(SchemaOp::Unparsed { table, at });
                    return false;
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
                let Some(name) = get("index_name").and_then(|e| self.name(e)) else {
                    return false;
                };
                self.out.push(SchemaOp::DropIndex {
                    name,
                    table,
                    if_exists: kw_truthy(args, "if_exists"),
                    at,
                });
            }
            "create_unique_constraint" | "create_primary_key" => {
                let Some(table) = table else { return false };
                let name = get("constraint_name").and_then(|e| self.name(e));
                let Some(cols) = get("columns").and_then(|c| str_list(self.index, self.file, c))
                else {
                    self.out.push(SchemaOp::Unparsed { table, at });
                    return false;
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
                let Some(table) = table else { return false };
                let name = get("constraint_name").and_then(|e| self.name(e));
                let ref_table = get("referent_table").and_then(|e| self.name(e));
                let local = get("local_cols").and_then(|c| str_list(self.index, self.file, c));
                let remote = get("remote_cols").and_then(|c| str_list(self.index, self.file, c));
                let (Some(ref_table), Some(columns), Some(ref_columns)) =
                    (ref_table, local, remote)
                else {
                    return false;
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
                    return false;
                };
                self.out.push(SchemaOp::DropConstraint { table, name, at });
            }
            "execute" => {
                // Data statements are not schema; text built at runtime is unknown.
                let Some(text) = get("sqltext").and_then(|e| self.sql_text(e)) else {
                    return false;
                };
                self.execute(&text, at);
            }
            _ => {}
        }
        true
    }
}

//! A diesel query builder chain normalised to a [`QueryShape`]:
//! `users::table.filter(users::email.eq(x)).order(created_at.desc()).limit(10)`
//! is a SELECT on `users` filtering `email` by equality, ordered by
//! `created_at`, with a LIMIT.
//!
//! Anything not understood (a helper returning a boxed condition, an
//! extension method) leaves `understood` false: the shape is then not
//! reported, since a missing filter could be the one an index serves.
//! A query kept in a local and refined by reassignments
//! (`query = query.filter(..)`, usually under an `if`) takes the refinements
//! as conditional: their filters are marked `in_or` and a limit there only
//! means the result may be bounded.

use super::chain::{Chain, Link, assignments, first_arg, flatten, path_call};
use super::knowledge::DieselNames;
use super::scope::DslScope;
use archlint_model::schema::table_key;
use archlint_model::{
    ColumnOp, ColumnUse, Expr, ExprKind, Function, QueryKind, QueryShape, Schema, Selected,
    TableRef,
};

/// Local variables followed back to the query they hold, and nested
/// queries (joins, subqueries, `update(users.find(id))`).
const MAX_DEPTH: u32 = 8;

/// What one function's DSL names and the known schema say.
pub struct ShapeCx<'a> {
    pub scope: &'a DslScope,
    pub schema: &'a Schema,
    pub n: &'a DieselNames,
    pub func: &'a Function,
}

/// A query shape being built.
#[derive(Debug)]
pub struct Built {
    pub shape: QueryShape,
    /// Every part of the chain was understood.
    pub understood: bool,
    /// A limit applied only on some paths (a conditional reassignment).
    pub maybe_limited: bool,
    /// At most one row by construction (`.find(id)`).
    pub single_row: bool,
    /// Table names of the query, root first, for resolving column names.
    pub(super) tables: Vec<String>,
}

impl Built {
    fn new(kind: QueryKind, table: String) -> Built {
        let mut shape = QueryShape::new(kind);
        shape.tables.push(TableRef {
            name: table.clone(),
            alias: None,
        });
        if kind == QueryKind::Select {
            shape.selected = Selected::Star;
        }
        Built {
            shape,
            understood: true,
            maybe_limited: false,
            single_row: false,
            tables: vec![table],
        }
    }

    fn add_table(&mut self, table: String) {
        if !self.tables.iter().any(|t| t.eq_ignore_ascii_case(&table)) {
            self.shape.tables.push(TableRef {
                name: table.clone(),
                alias: None,
            });
            self.tables.push(table);
        }
    }

    /// The root table.
    pub fn root(&self) -> Option<&str> {
        self.tables.first().map(String::as_str)
    }
}

impl<'a> ShapeCx<'a> {
    /// The shape of the query builder `e` (what an execution method is called
    /// on), or `None` when `e` is not a diesel query.
    pub fn build(&self, e: &Expr, depth: u32) -> Option<Built> {
        if depth > MAX_DEPTH {
            return None;
        }
        let chain = flatten(e);
        let mut b = self.root(&chain, depth)?;
        self.apply(&mut b, &chain.links, false, depth);
        Some(b)
    }

    /// The query the chain's root stands for, with the refinements of a
    /// local variable already applied.
    fn root(&self, chain: &Chain, depth: u32) -> Option<Built> {
        let root = chain.root;
        // A local shadows an imported table name (`let users = users.into_boxed()`).
        if let ExprKind::Name(local) = &root.kind
            && !assignments(&self.func.body, local, root.span).is_empty()
        {
            return self.local(local, root, depth);
        }
        if let Some(t) = self.scope.table(root) {
            return Some(Built::new(QueryKind::Select, t));
        }
        let (segs, args) = path_call(root)?;
        let (&last, prefix) = segs.split_last()?;
        // `diesel::insert_into(..)`, or an imported `insert_into(..)`.
        if !(prefix.is_empty() || prefix.first().is_some_and(|f| f.starts_with("diesel"))) {
            return None;
        }
        let target = first_arg(args)?;
        if self.n.insert.matches(last) {
            let table = self.scope.table(target)?;
            return Some(Built::new(QueryKind::Insert, table));
        }
        let kind = if self.n.update.matches(last) {
            QueryKind::Update
        } else if self.n.delete.matches(last) {
            QueryKind::Delete
        } else {
            return None;
        };
        let mut b = self.build(target, depth + 1)?;
        if b.shape.kind != QueryKind::Select {
            return None;
        }
        b.shape.kind = kind;
        b.shape.selected = Selected::None;
        Some(b)
    }

    /// `let mut q = users::table.into_boxed(); if .. { q = q.filter(..); } q.load(conn)`.
    fn local(&self, name: &str, at: &Expr, depth: u32) -> Option<Built> {
        let values = assignments(&self.func.body, name, at.span);
        let self_ref = |v: &Expr| matches!(&flatten(v).root.kind, ExprKind::Name(n) if n == name);
        // The last value not built from the local itself; when there is none,
        // the first value's root is an outer binding of the same name (`let
        // users = users.into_boxed()`, `users` imported from a `dsl`).
        let (base_at, outer) = match values.iter().rposition(|v| !self_ref(v)) {
            Some(i) => (i, false),
            None => (0, true),
        };
        // `let user = users.find(id).first(conn)?`: rows, not a query builder.
        let n = self.n;
        let executed = |v: &&Expr| {
            flatten(v).links.iter().any(|l| {
                n.all_rows.matches(l.method)
                    || n.one_row.matches(l.method)
                    || n.write.matches(l.method)
            })
        };
        let base = *values.get(base_at)?;
        if values[base_at..].iter().any(executed) {
            return None;
        }
        let mut b = if outer {
            let chain = flatten(base);
            let mut b = Built::new(QueryKind::Select, self.scope.table(chain.root)?);
            self.apply(&mut b, &chain.links, false, depth);
            b
        } else {
            self.build(base, depth + 1)?
        };
        for v in &values[base_at + 1..] {
            let chain = flatten(v);
            self.apply(&mut b, &chain.links, true, depth);
        }
        Some(b)
    }

    fn apply(&self, b: &mut Built, links: &[Link], conditional: bool, depth: u32) {
        let n = self.n;
        for l in links {
            let m = l.method;
            if n.filter.matches(m) {
                match l.arg(0) {
                    Some(c) => self.condition(b, c, conditional, depth),
                    None => b.understood = false,
                }
            } else if n.or_filter.matches(m) {
                for f in &mut b.shape.filters {
                    f.in_or = true;
                }
                match l.arg(0) {
                    Some(c) => self.condition(b, c, true, depth),
                    None => b.understood = false,
                }
            } else if n.find.matches(m) {
                self.find(b, l.arg(0), conditional);
            } else if n.order.matches(m) {
                if !conditional {
                    self.order(b, l.arg(0));
                }
            } else if n.limit.matches(m) {
                if conditional {
                    b.maybe_limited = true;
                } else {
                    b.shape.limit = true;
                }
            } else if n.offset.matches(m) {
                b.shape.offset |= !conditional;
            } else if n.select.matches(m) {
                self.select(b, l.arg(0));
            } else if n.group_by.matches(m) {
                let cols = self.columns_of(b, l.arg(0));
                b.shape.group_by.extend(cols);
            } else if n.count.matches(m) {
                b.shape.aggregate = true;
                b.shape.selected = Selected::Columns(vec!["count(*)".into()]);
            } else if n.join.matches(m) {
                match l.arg(0) {
                    Some(t) => self.join(b, t, depth),
                    None => b.understood = false,
                }
            } else if n.on_conflict.matches(m) {
                let cols = self.columns_of(b, l.arg(0));
                b.shape.on_conflict = Some(cols.into_iter().map(|c| c.column).collect());
            } else if n.on_conflict_nothing.matches(m) {
                b.shape.on_conflict = Some(Vec::new());
            } else if !n.neutral.matches(m) {
                // An extension method (a pagination helper, a custom filter):
                // neither the filters nor the row count are known any more.
                b.understood = false;
                b.maybe_limited = true;
            }
        }
    }

    /// `.find(id)`: the primary key (from the schema, else diesel's default `id`).
    fn find(&self, b: &mut Built, key: Option<&Expr>, conditional: bool) {
        let Some(table) = b.root().map(str::to_string) else {
            return;
        };
        let pk: Vec<String> = self
            .schema
            .table(&table)
            .map(|t| t.primary_key.clone())
            .filter(|pk| !pk.is_empty())
            .unwrap_or_else(|| vec!["id".into()]);
        let arity = match key.map(|k| &k.kind) {
            Some(ExprKind::Tuple(xs)) => xs.len(),
            _ => 1,
        };
        if arity != pk.len() {
            b.understood = false;
            return;
        }
        for c in pk {
            let mut cu = ColumnUse::new(Some(&table), &c, ColumnOp::Eq);
            cu.in_or = conditional;
            b.shape.filters.push(cu);
        }
        b.single_row |= !conditional;
    }

    fn order(&self, b: &mut Built, arg: Option<&Expr>) {
        let cols = self.columns_of(b, arg);
        b.shape.order_by.extend(cols);
    }

    fn select(&self, b: &mut Built, arg: Option<&Expr>) {
        let items: Vec<&Expr> = match arg.map(|a| &a.kind) {
            Some(ExprKind::Tuple(xs)) => xs.iter().collect(),
            Some(_) => arg.into_iter().collect(),
            None => Vec::new(),
        };
        let mut names = Vec::new();
        for it in items {
            if let Some(cu) = self.column_use(b, it) {
                names.push(cu.expr.unwrap_or(cu.column));
            } else if let Some(f) = call_name(it) {
                if matches!(
                    f,
                    "count" | "count_star" | "count_distinct" | "max" | "min" | "sum" | "avg"
                ) {
                    b.shape.aggregate = true;
                }
                names.push(format!("{f}(..)"));
            } else {
                names.push("<expr>".into());
            }
        }
        if b.shape.aggregate && !b.shape.group_by.is_empty() {
            b.shape.aggregate = false;
        }
        b.shape.selected = Selected::Columns(names);
    }

    /// `.inner_join(posts::table)`, `.left_join(posts::table.on(..))`, nested joins.
    fn join(&self, b: &mut Built, target: &Expr, depth: u32) {
        if depth > MAX_DEPTH {
            b.understood = false;
            return;
        }
        let chain = flatten(target);
        let Some(table) = self.scope.table(chain.root) else {
            b.understood = false;
            return;
        };
        let existing = b.tables.clone();
        b.add_table(table.clone());
        let mut explicit = false;
        for l in &chain.links {
            if self.n.join_on.matches(l.method) {
                explicit = true;
                match l.arg(0) {
                    Some(c) => self.condition(b, c, false, depth + 1),
                    None => b.understood = false,
                }
            } else if self.n.join.matches(l.method) {
                match l.arg(0) {
                    Some(t) => {
                        // A nested join attaches to the joined table.
                        self.join(b, t, depth + 1);
                    }
                    None => b.understood = false,
                }
            } else if !self.n.neutral.matches(l.method) {
                b.understood = false;
            }
        }
        if !explicit && let Some(pair) = fk_pair(self.schema, &table, &existing) {
            b.shape.joins.push(pair);
        }
    }
}

/// The join condition diesel derives from `joinable!` (and sea-orm from a
/// relation), read from the one foreign key linking `table` with one of
/// `others` in the schema; `None` when there is no such key or several.
pub fn fk_pair(schema: &Schema, table: &str, others: &[String]) -> Option<(ColumnUse, ColumnUse)> {
    let mut found = Vec::new();
    let pk_of = |t: &str| {
        schema
            .table(t)
            .map(|x| x.primary_key.clone())
            .unwrap_or_default()
    };
    for other in others {
        for (child, parent) in [(table, other.as_str()), (other.as_str(), table)] {
            let Some(ct) = schema.table(child) else {
                continue;
            };
            for fk in &ct.foreign_keys {
                if table_key(&fk.ref_table) != table_key(parent) {
                    continue;
                }
                let refs = if fk.ref_columns.is_empty() {
                    pk_of(parent)
                } else {
                    fk.ref_columns.clone()
                };
                if let ([c], [r]) = (fk.columns.as_slice(), refs.as_slice()) {
                    found.push((
                        ColumnUse::new(Some(child), c, ColumnOp::Eq),
                        ColumnUse::new(Some(parent), r, ColumnOp::Eq),
                    ));
                }
            }
        }
    }
    match found.len() {
        1 => found.pop(),
        _ => None,
    }
}

fn call_name(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Call { func, .. } => func.last_name(),
        _ => None,
    }
}

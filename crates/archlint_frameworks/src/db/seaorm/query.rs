//! sea-orm query chains normalised to a [`QueryShape`]:
//! `users::Entity::find().filter(users::Column::Email.eq(x)).one(db)` is a
//! SELECT on `users` filtering `email` by equality with a LIMIT 1.
//!
//! Column variants are read as sea-orm derives them (`Column::CreatedAt` is
//! `created_at`); a `column_name` override on the struct field is not in
//! the facts. As for diesel, a chain with a part not understood has no
//! shape, and refinements through reassignment are conditional.

use super::entities::{Entities, EntityScope};
use crate::db::diesel::chain::{
    Link, assignments, first_arg, flatten, path_call, segments, snake_case,
};
use crate::db::diesel::conditions::op_of;
use crate::db::diesel::knowledge::SeaNames;
use archlint_model::{
    ColumnOp, ColumnUse, Expr, ExprKind, Function, QueryKind, QueryShape, Schema, Selected,
    TableRef,
};

/// Local variables followed back, and nested entities.
const MAX_DEPTH: u32 = 8;

/// What one function's names and the known schema say.
pub struct QueryCx<'a, 's> {
    pub entities: &'a Entities<'a, 's>,
    pub scope: &'a EntityScope<'a>,
    pub schema: &'a Schema,
    pub n: &'a SeaNames,
    pub func: &'a Function,
}

/// A query shape being built.
#[derive(Debug)]
pub struct Built {
    pub shape: QueryShape,
    pub understood: bool,
    pub maybe_limited: bool,
    pub single_row: bool,
    tables: Vec<String>,
}

impl Built {
    pub fn new(kind: QueryKind, table: String) -> Built {
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

    fn root(&self) -> Option<&str> {
        self.tables.first().map(String::as_str)
    }
}

impl QueryCx<'_, '_> {
    /// The shape of the sea-orm query `e` (what an execution method is called on).
    pub fn build(&self, e: &Expr, depth: u32) -> Option<Built> {
        if depth > MAX_DEPTH {
            return None;
        }
        let chain = flatten(e);
        // `user.find_related(posts::Entity)`: a query on the related entity.
        if let Some(i) = chain
            .links
            .iter()
            .rposition(|l| self.n.related.matches(l.method))
        {
            let mut b = self.related(chain.links[i].arg(0))?;
            self.apply(&mut b, &chain.links[i + 1..], false);
            return Some(b);
        }
        let mut b = self.root(chain.root, depth)?;
        self.apply(&mut b, &chain.links, false);
        Some(b)
    }

    /// The related entity's table. The model the query starts from is of
    /// an unknown entity, so which key links them (and the filter on it) is
    /// not known: no shape, only the execution.
    fn related(&self, target: Option<&Expr>) -> Option<Built> {
        let segs = target.and_then(segments)?;
        let table = self.entities.table(self.scope, &segs)?;
        let mut b = Built::new(QueryKind::Select, table);
        b.understood = false;
        Some(b)
    }

    /// Whether a chain executes (its value is rows, not a query builder).
    fn executes(&self, e: &Expr) -> bool {
        let n = self.n;
        flatten(e).links.iter().any(|l| {
            let m = l.method;
            n.all_rows.matches(m)
                || n.one_row.matches(m)
                || n.count.matches(m)
                || n.paginate.matches(m)
                || n.write.matches(m)
        })
    }

    fn root(&self, root: &Expr, depth: u32) -> Option<Built> {
        if let ExprKind::Name(local) = &root.kind {
            let values = assignments(&self.func.body, local, root.span);
            let self_ref =
                |v: &Expr| matches!(&flatten(v).root.kind, ExprKind::Name(n) if n == local);
            let base_at = values.iter().rposition(|v| !self_ref(v))?;
            if values[base_at..].iter().any(|v| self.executes(v)) {
                return None;
            }
            let mut b = self.build(values[base_at], depth + 1)?;
            for v in &values[base_at + 1..] {
                self.apply(&mut b, &flatten(v).links, true);
            }
            return Some(b);
        }
        let (segs, args) = path_call(root)?;
        let (&f, entity) = segs.split_last()?;
        let n = self.n;
        let kind = if n.find.matches(f) || n.find_by_id.matches(f) {
            QueryKind::Select
        } else if n.insert.matches(f) {
            QueryKind::Insert
        } else if n.update_one.matches(f) || n.update_many.matches(f) {
            QueryKind::Update
        } else if n.delete_one.matches(f) || n.delete_many.matches(f) {
            QueryKind::Delete
        } else {
            return None;
        };
        let table = self.entities.table(self.scope, entity)?;
        let mut b = Built::new(kind, table);
        if n.find_by_id.matches(f) || n.update_one.matches(f) || n.delete_one.matches(f) {
            let key = if n.find_by_id.matches(f) || f.ends_with("_by_id") {
                first_arg(args)
            } else {
                None
            };
            self.primary_key(&mut b, key);
        }
        Some(b)
    }

    /// An equality on the primary key (from the schema, else `id`).
    pub fn primary_key(&self, b: &mut Built, key: Option<&Expr>) {
        let Some(table) = b.root().map(str::to_string) else {
            return;
        };
        let pk: Vec<String> = self
            .schema
            .table(&table)
            .map(|t| t.primary_key.clone())
            .filter(|pk| !pk.is_empty())
            .unwrap_or_else(|| vec!["id".into()]);
        if let Some(ExprKind::Tuple(xs)) = key.map(|k| &k.kind)
            && xs.len() != pk.len()
        {
            b.understood = false;
            return;
        }
        for c in pk {
            b.shape
                .filters
                .push(ColumnUse::new(Some(&table), &c, ColumnOp::Eq));
        }
        b.single_row = true;
    }

    fn apply(&self, b: &mut Built, links: &[Link], conditional: bool) {
        let n = self.n;
        for l in links {
            let m = l.method;
            if n.filter.matches(m) {
                match l.arg(0) {
                    Some(c) => self.condition(b, c, conditional),
                    None => b.understood = false,
                }
            } else if n.order.matches(m) {
                if !conditional {
                    let cols = self.columns_of(b, l.arg(0));
                    b.shape.order_by.extend(cols);
                }
            } else if n.limit.matches(m) || n.cursor.matches(m) {
                if conditional {
                    b.maybe_limited = true;
                } else {
                    b.shape.limit = true;
                }
            } else if n.offset.matches(m) {
                b.shape.offset |= !conditional;
            } else if n.select.matches(m) {
                let cols = self.columns_of(b, l.arg(0));
                let mut names = match std::mem::take(&mut b.shape.selected) {
                    Selected::Columns(c) => c,
                    _ => Vec::new(),
                };
                names.extend(cols.into_iter().map(|c| c.column));
                b.shape.selected = Selected::Columns(names);
            } else if n.group_by.matches(m) {
                let cols = self.columns_of(b, l.arg(0));
                b.shape.group_by.extend(cols);
            } else if n.join_entity.matches(m) {
                self.join(b, l.arg(0));
            } else if n.on_conflict.matches(m) {
                b.shape.on_conflict = Some(Vec::new());
            } else if !n.neutral.matches(m) {
                b.understood = false;
                b.maybe_limited = true;
            }
        }
    }

    /// A column: `users::Column::Email`, `Column::Email`, `Expr::col(Column::Email)`.
    fn column(&self, b: &Built, e: &Expr) -> Option<ColumnUse> {
        let mut cur = e;
        if let Some((segs, args)) = path_call(cur)
            && segs.ends_with(&["Expr", "col"])
            && let Some(a) = first_arg(args)
        {
            cur = a;
        }
        let ExprKind::Path(p) = &cur.kind else {
            return None;
        };
        let segs: Vec<&str> = p.iter().map(String::as_str).collect();
        let (&variant, prefix) = segs.split_last()?;
        let is_column = prefix.last() == Some(&"Column")
            || prefix.len() == 1 && self.entities.column_table(self.scope, prefix).is_some();
        if !is_column {
            return None;
        }
        let table = self
            .entities
            .column_table(self.scope, prefix)
            .or_else(|| b.root().map(str::to_string))?;
        Some(ColumnUse::new(
            Some(&table),
            &snake_case(variant),
            ColumnOp::Eq,
        ))
    }

    fn columns_of(&self, b: &mut Built, arg: Option<&Expr>) -> Vec<ColumnUse> {
        let items: Vec<&Expr> = match arg.map(|a| &a.kind) {
            Some(ExprKind::Tuple(xs) | ExprKind::List(xs)) => xs.iter().collect(),
            Some(_) => arg.into_iter().collect(),
            None => Vec::new(),
        };
        let mut out = Vec::new();
        for it in items {
            match self.column(b, it) {
                Some(mut c) => {
                    c.op = ColumnOp::Other;
                    out.push(c);
                }
                None => b.understood = false,
            }
        }
        out
    }

    /// A filter: comparisons, `.and/.or`, `Condition::all()/any()` with `.add(..)`.
    fn condition(&self, b: &mut Built, e: &Expr, in_or: bool) {
        let mut stack = vec![(e, in_or, 0u32)];
        while let Some((e, in_or, d)) = stack.pop() {
            if d > 32 {
                b.understood = false;
                continue;
            }
            let chain = flatten(e);
            // `Condition::all().add(a).add(b)`, `Condition::any()...`
            if let Some((segs, _)) = path_call(chain.root)
                && let [.., "Condition", kind] = segs.as_slice()
            {
                let any = self.n.condition_any.matches(kind);
                if !any && !self.n.condition_all.matches(kind) {
                    b.understood = false;
                    continue;
                }
                // Pushed in reverse so they pop in source order.
                for l in chain.links.iter().rev() {
                    if self.n.condition_add.matches(l.method) {
                        if let Some(c) = l.arg(0) {
                            stack.push((c, in_or || any, d + 1));
                        }
                    } else if l.method != "add_option" {
                        // `.not()` and the like: not a plain conjunction any more.
                        b.understood = false;
                    }
                    // `add_option(..)` applies only when its value is `Some`:
                    // conditional, so it cannot fix a column; skipped.
                }
                continue;
            }
            let Some((func, args)) = e.as_call() else {
                b.understood = false;
                continue;
            };
            let ExprKind::Attr(lhs, m) = &func.kind else {
                b.understood = false;
                continue;
            };
            let ops = &self.n.ops;
            if ops.and.matches(m) || ops.or.matches(m) {
                let or = in_or || ops.or.matches(m);
                match first_arg(args) {
                    Some(rhs) => {
                        stack.push((rhs, or, d + 1));
                        stack.push((lhs, or, d + 1));
                    }
                    None => b.understood = false,
                }
                continue;
            }
            let (Some(op), Some(mut c)) = (op_of(ops, m), self.column(b, lhs)) else {
                b.understood = false;
                continue;
            };
            c.op = op;
            c.in_or = in_or;
            b.shape.filters.push(c);
        }
    }

    /// `.find_also_related(posts::Entity)`, `.inner_join(Posts)`: the other
    /// table, joined on the one foreign key linking them in the schema.
    fn join(&self, b: &mut Built, target: Option<&Expr>) {
        let table = target
            .and_then(segments)
            .and_then(|segs| self.entities.table(self.scope, &segs));
        let Some(table) = table else {
            b.understood = false;
            return;
        };
        let existing = b.tables.clone();
        if !b.tables.iter().any(|t| t.eq_ignore_ascii_case(&table)) {
            b.shape.tables.push(TableRef {
                name: table.clone(),
                alias: None,
            });
            b.tables.push(table.clone());
        }
        if let Some(pair) = crate::db::diesel::shape::fk_pair(self.schema, &table, &existing) {
            b.shape.joins.push(pair);
        }
    }
}

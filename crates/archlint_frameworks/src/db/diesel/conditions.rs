//! Filter conditions and column references of a diesel chain:
//! `users::email.eq(x).and(created_at.gt(t))`, `not(..)`, `.or(..)`,
//! `lower(name)`, `posts::user_id.eq(users::id)` (a join condition) and
//! `id.eq_any(<query>)` (a subquery), normalised to [`ColumnUse`]s.

use super::chain::first_arg;
use super::knowledge::OpNames;
use super::shape::{Built, ShapeCx};
use archlint_model::{ColumnOp, ColumnUse, Expr, ExprKind};

impl ShapeCx<'_> {
    /// Columns of an `order`/`group_by`/`on_conflict` argument (one or a tuple),
    /// directions removed; anything else makes the chain not understood.
    pub(super) fn columns_of(&self, b: &mut Built, arg: Option<&Expr>) -> Vec<ColumnUse> {
        let items: Vec<&Expr> = match arg.map(|a| &a.kind) {
            Some(ExprKind::Tuple(xs)) => xs.iter().collect(),
            Some(_) => arg.into_iter().collect(),
            None => Vec::new(),
        };
        let mut out = Vec::new();
        for it in items {
            let mut cur = it;
            for _ in 0..4 {
                match &cur.kind {
                    ExprKind::Call { func, args } if args.is_empty() => match &func.kind {
                        ExprKind::Attr(recv, m) if self.n.direction.matches(m) => cur = recv,
                        _ => break,
                    },
                    _ => break,
                }
            }
            match self.column_use(b, cur) {
                Some(mut cu) => {
                    cu.op = ColumnOp::Other;
                    out.push(cu);
                }
                None => b.understood = false,
            }
        }
        out
    }

    /// A column, possibly inside a one-argument SQL function (`lower(name)`).
    pub(super) fn column_use(&self, b: &Built, e: &Expr) -> Option<ColumnUse> {
        // SQL functions around the column, outermost first (`lower(trim(x))`).
        let mut wrappers: Vec<&str> = Vec::new();
        let mut cur = e;
        for _ in 0..8 {
            match &cur.kind {
                ExprKind::Call { func, args } => match &func.kind {
                    ExprKind::Attr(recv, m) if args.is_empty() && self.n.column_same.matches(m) => {
                        cur = recv;
                    }
                    ExprKind::Name(_) | ExprKind::Path(_) => {
                        let [arg] = args.as_slice() else {
                            return None;
                        };
                        wrappers.push(func.last_name()?);
                        cur = &arg.value;
                    }
                    _ => return None,
                },
                ExprKind::Unary(x) => cur = x,
                _ => break,
            }
        }
        let (table, column) = self.scope.column(cur, &b.tables, self.schema)?;
        let mut cu = ColumnUse::new(Some(&table), &column, ColumnOp::Eq);
        if !wrappers.is_empty() {
            let mut text = column;
            for f in wrappers.iter().rev() {
                text = format!("{f}({text})");
            }
            cu.expr = Some(text);
        }
        Some(cu)
    }

    /// A filter condition: comparisons joined by `.and(..)`/`.or(..)`,
    /// possibly negated by `not(..)`.
    pub(super) fn condition(&self, b: &mut Built, e: &Expr, in_or: bool, depth: u32) {
        let mut stack = vec![(e, in_or, false, 0u32)];
        while let Some((e, in_or, negated, d)) = stack.pop() {
            if d > 32 {
                b.understood = false;
                continue;
            }
            let Some((func, args)) = e.as_call() else {
                b.understood = false;
                continue;
            };
            let ops = &self.n.ops;
            match &func.kind {
                ExprKind::Attr(lhs, m) if ops.and.matches(m) || ops.or.matches(m) => {
                    let or = in_or || ops.or.matches(m);
                    match first_arg(args) {
                        Some(rhs) => {
                            stack.push((rhs, or, negated, d + 1));
                            stack.push((lhs, or, negated, d + 1));
                        }
                        None => b.understood = false,
                    }
                }
                ExprKind::Attr(lhs, m) => {
                    let before = b.shape.filters.len();
                    self.comparison(b, lhs, m, first_arg(args), in_or, depth);
                    if negated {
                        for f in &mut b.shape.filters[before..] {
                            f.op = ColumnOp::Other;
                        }
                    }
                }
                ExprKind::Name(_) | ExprKind::Path(_) if func.last_name() == Some("not") => {
                    match first_arg(args) {
                        Some(inner) => stack.push((inner, in_or, true, d + 1)),
                        None => b.understood = false,
                    }
                }
                _ => b.understood = false,
            }
        }
    }

    fn comparison(
        &self,
        b: &mut Built,
        lhs: &Expr,
        m: &str,
        rhs: Option<&Expr>,
        in_or: bool,
        depth: u32,
    ) {
        let Some(op) = op_of(&self.n.ops, m) else {
            b.understood = false;
            return;
        };
        let Some(mut cu) = self.column_use(b, lhs) else {
            b.understood = false;
            return;
        };
        cu.op = op;
        cu.in_or = in_or;
        // `posts::user_id.eq(users::id)`: a join condition.
        if op == ColumnOp::Eq
            && !in_or
            && let Some(r) = rhs.filter(|r| matches!(r.kind, ExprKind::Path(_)))
            && let Some(mut other) = self.column_use(b, r)
            && other
                .table
                .as_deref()
                .is_some_and(|t| b.tables.iter().any(|x| x.eq_ignore_ascii_case(t)))
        {
            other.op = ColumnOp::Eq;
            b.shape.joins.push((cu, other));
            return;
        }
        // `id.eq_any(posts.select(user_id))`: a subquery.
        if op == ColumnOp::In
            && let Some(r) = rhs
            && let Some(sub) = self.build(r, depth + 1)
        {
            if !sub.understood {
                b.understood = false;
            }
            b.shape.subqueries.push(sub.shape);
        }
        b.shape.filters.push(cu);
    }
}

/// The index-relevant kind of a comparison method.
pub fn op_of(ops: &OpNames, m: &str) -> Option<ColumnOp> {
    if ops.eq.matches(m) {
        Some(ColumnOp::Eq)
    } else if ops.range.matches(m) {
        Some(ColumnOp::Range)
    } else if ops.in_.matches(m) {
        Some(ColumnOp::In)
    } else if ops.like.matches(m) {
        Some(ColumnOp::Like)
    } else if ops.is_null.matches(m) {
        Some(ColumnOp::IsNull)
    } else if ops.other.matches(m) {
        Some(ColumnOp::Other)
    } else {
        None
    }
}

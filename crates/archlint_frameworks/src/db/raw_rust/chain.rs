//! Query chains of one Rust function: from the top of a method chain down
//! to the base holding the SQL ([`Scan::unroll`]), whether that base is a
//! query at all ([`Scan::convincing`]), and executors run later on a
//! variable holding the query ([`Scan::deferred`]).

use super::api::{Base, SqlArg};
use super::eval::{BUDGET, Eval};
use super::{Scan, Site, Walk};
use crate::db::sqltext::Shaper;
use crate::db::sqltext::knowledge::raw;
use crate::db::sqltext::shape::unbounded;
use crate::db::sqltext::usage::{Body, Role, returned_later};
use archlint_model::{Expr, ExprKind, Pos};

/// A query chain found from its top.
pub(super) struct Chain<'p> {
    pub base_expr: &'p Expr,
    pub base: Base<'p>,
    /// Methods applied above the base, innermost first, with their calls.
    pub above: Vec<(&'p str, &'p Expr)>,
}

impl<'a, 'p> Scan<'a, 'p> {
    /// From the top of a method chain down to a query base not seen yet.
    pub(super) fn unroll(
        &self,
        w: &mut Walk<'_, 'a, 'p>,
        top: &'p Expr,
        pos: Pos,
    ) -> Option<Chain<'p>> {
        let mut cur = top;
        let mut above: Vec<(&'p str, &'p Expr)> = Vec::new();
        for _ in 0..64 {
            if w.seen.contains(&(cur as *const Expr)) {
                return None;
            }
            if let Some(base) = w.eval.base(cur, pos)
                && self.convincing(w.eval, &base, pos)
            {
                w.seen.insert(cur as *const Expr);
                above.reverse();
                return Some(Chain {
                    base_expr: cur,
                    base,
                    above,
                });
            }
            match &cur.kind {
                ExprKind::Await(x) => cur = x,
                ExprKind::Call { func, .. } => {
                    let ExprKind::Attr(recv, m) = &func.kind else {
                        return None;
                    };
                    above.push((m, cur));
                    cur = recv;
                }
                _ => return None,
            }
        }
        None
    }

    /// A base is a query when it resolved to a database API (a handle only
    /// in a file that imports a database crate) or its text is SQL.
    fn convincing(&self, eval: &Eval<'a, 'p>, base: &Base<'p>, pos: Pos) -> bool {
        if base.db && (!base.runs || self.db_file) {
            return true;
        }
        match base.sql {
            SqlArg::Expr(x, at) => {
                eval.budget.set(BUDGET);
                let at = if at == Pos::default() { pos } else { at };
                eval.text(x, at, 0)
                    .is_some_and(|p| Shaper::is_sql(&p, false))
            }
            SqlArg::Unknown => false,
        }
    }

    /// `let q = sqlx::query(..); q = q.bind(x); q.fetch_all(&pool)`: an
    /// executor on a variable holding a query built earlier moves that
    /// query's fact here (span, rows, binds, loop, use of the result).
    pub(super) fn deferred(
        &self,
        w: &mut Walk<'_, 'a, 'p>,
        top: &'p Expr,
        role: Role,
        site: Site,
        body: &Body,
    ) {
        let rs = &raw().rust;
        // Down the chain from the top to the variable.
        let mut cur = top;
        let mut executor: Option<(&str, &'p Expr)> = None;
        let mut bound = false;
        let mut name = None;
        for _ in 0..64 {
            match &cur.kind {
                ExprKind::Await(x) | ExprKind::Unary(x) => cur = x,
                ExprKind::Call { func, .. } => {
                    let ExprKind::Attr(recv, m) = &func.kind else {
                        return;
                    };
                    if rs.executors.matches(m) {
                        executor = Some((m, cur));
                    } else if rs.bind_methods.matches(m) {
                        bound = true;
                    }
                    cur = recv;
                }
                ExprKind::Name(n) => {
                    name = Some(n.as_str());
                    break;
                }
                _ => return,
            }
        }
        let (Some((m, call)), Some(mut n)) = (executor, name) else {
            return;
        };
        // Back through `q = q.bind(x)` to the query it was built from.
        let mut pos = site.pos;
        for _ in 0..8 {
            let Some((value, at, _)) = w.eval.last_assign(n, pos) else {
                return;
            };
            let mut v = value;
            loop {
                if let Some(i) = w.pending.remove(&(v as *const Expr)) {
                    let Some(q) = w.out.queries.get_mut(i) else {
                        return;
                    };
                    let (returned, bound_to) = usage(role, site, body);
                    q.span = call.span;
                    q.all_rows = rs.all_rows_executors.matches(m) && unbounded(q.shape.as_ref());
                    q.bound_params |= bound;
                    q.loop_idx = site.loop_idx;
                    q.returned = returned;
                    q.bound_to = bound_to;
                    return;
                }
                match &v.kind {
                    ExprKind::Await(x) => v = x,
                    ExprKind::Call { func, .. } => match &func.kind {
                        ExprKind::Attr(recv, bm) if rs.bind_methods.matches(bm) => {
                            bound = true;
                            v = recv;
                        }
                        _ => return,
                    },
                    ExprKind::Name(next) => {
                        n = next;
                        pos = at;
                        break;
                    }
                    _ => return,
                }
            }
        }
    }
}

/// Whether the rows are returned by the function, and the variable they
/// are assigned to.
pub(super) fn usage(role: Role, site: Site, body: &Body) -> (bool, Option<String>) {
    match role {
        Role::Assign(x) => (
            !site.in_closure && returned_later(body, site.si, x),
            Some(x.to_string()),
        ),
        Role::Inside { returned } | Role::LoopIter { returned } => (returned, None),
        Role::Stmt => (false, None),
    }
}

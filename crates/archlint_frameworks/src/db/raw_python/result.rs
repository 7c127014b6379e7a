//! What a Python function does with the rows of a query: whether it reads
//! them all (`fetchall()` on the cursor or result, `.all()`, asyncpg
//! `fetch`, databases `fetch_all`), whether it returns them (directly, or
//! through one local variable, possibly wrapped: `jsonify(rows)`), and the
//! local variable holding them.

use crate::db::sqltext::knowledge::raw;
use crate::db::sqltext::usage::{Body, Role, Usage, mentions, returned_later};
use archlint_model::{Expr, ExprKind, StmtKind};

/// Methods on a cursor or result reading a bounded number of rows.
const FETCH_SOME: &[&str] = &[
    "fetchmany",
    "fetchone",
    "first",
    "one",
    "one_or_none",
    "scalar",
    "scalar_one",
    "scalar_one_or_none",
];
/// Statements looked at after a cursor-style `execute` for its fetch.
const LOOKAHEAD: usize = 32;

/// Usage of the rows of an execution `method` on `receiver`, at statement
/// `si` in `role`, with the methods applied to its result in `post`
/// (innermost first).
pub fn usage(
    body: &Body,
    si: usize,
    role: Role,
    method: &str,
    receiver: &Expr,
    post: &[&str],
) -> Usage {
    let py = &raw().python;
    let mut u = Usage {
        all_rows: py.all_rows_methods.matches(method),
        ..Usage::default()
    };
    for m in post {
        if py.fetch_all.matches(m) {
            u.all_rows = true;
        } else if FETCH_SOME.contains(m) {
            u.all_rows = false;
            break;
        }
    }
    match role {
        Role::Inside { returned } => u.returned = returned,
        Role::LoopIter { returned } => {
            u.returned = returned;
            u.all_rows = true;
        }
        Role::Assign(x) => {
            u.bound_to = Some(x.to_string());
            if post.is_empty() {
                follow(body, si, x, &mut u);
            }
            if !u.returned
                && let Some(b) = &u.bound_to
            {
                u.returned = returned_later(body, si, b);
            }
        }
        Role::Stmt => {
            // Cursor style: `cur.execute(sql)` then `rows = cur.fetchall()`.
            if post.is_empty()
                && let ExprKind::Name(c) = &receiver.kind
            {
                follow(body, si, c, &mut u);
                if !u.returned
                    && let Some(b) = &u.bound_to
                    && b != c
                {
                    u.returned = returned_later(body, si, b);
                }
            }
        }
    }
    u
}

/// Looks after statement `si` for the fetch on `var` (a cursor or result):
/// `rows = var.fetchall()`, `return var.fetchall()`, `return var`.
fn follow(body: &Body, si: usize, var: &str, u: &mut Usage) {
    let py = &raw().python;
    for s in body.stmts.iter().skip(si + 1).take(LOOKAHEAD) {
        let root = match &s.kind {
            StmtKind::Assign { value, .. } => value,
            StmtKind::Expr(e) | StmtKind::Return(e) => e,
        };
        let mut fetch: Option<(&Expr, &str)> = None;
        let mut again = false;
        archlint_model::visit::walk_expr(root, |e| {
            if let ExprKind::Call { func, .. } = &e.kind
                && let ExprKind::Attr(recv, m) = &func.kind
                && matches!(&recv.kind, ExprKind::Name(n) if n == var)
            {
                if py.fetch_all.matches(m) || FETCH_SOME.contains(&m.as_str()) {
                    fetch.get_or_insert((e, m));
                } else if py.methods.matches(m) {
                    again = true;
                }
            }
        });
        if let Some((call, m)) = fetch {
            u.all_rows = py.fetch_all.matches(m);
            match &s.kind {
                StmtKind::Return(_) => u.returned = true,
                StmtKind::Assign { targets, value, .. }
                    if std::ptr::eq(value.unwrap_await(), call) =>
                {
                    if let [t] = targets.as_slice()
                        && let ExprKind::Name(n) = &t.kind
                    {
                        u.bound_to = Some(n.clone());
                    }
                }
                _ => {}
            }
            return;
        }
        if again {
            return;
        }
        if let StmtKind::Return(e) = &s.kind
            && mentions(e, var)
        {
            u.returned = true;
            return;
        }
    }
}

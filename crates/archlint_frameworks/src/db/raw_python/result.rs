//! What a Python function does with the rows of a query: whether it reads
//! them all (`fetchall()` on the cursor or result, `.all()`, asyncpg
//! `fetch`, databases `fetch_all`), whether it returns them (directly, or
//! through one local variable, possibly wrapped: `jsonify(rows)`), and the
//! local variable holding them.

use crate::db::sqltext::knowledge::raw;
use archlint_model::{Expr, ExprKind, Loop, Stmt, StmtKind};

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

/// Where the execution chain sits in its statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role<'p> {
    /// The statement's expression (`cur.execute(...)`).
    Stmt,
    /// The value assigned to one name (`rows = await conn.fetch(...)`).
    Assign(&'p str),
    /// Inside something else; `returned` when that is a `return`.
    Inside { returned: bool },
    /// The iterable of a loop; `returned` when the loop is a comprehension
    /// inside a `return`.
    LoopIter { returned: bool },
}

/// How the rows are used.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// The call or a later fetch reads every row.
    pub all_rows: bool,
    pub returned: bool,
    pub bound_to: Option<String>,
}

/// The body a query sits in.
pub struct Body<'p> {
    pub stmts: &'p [Stmt],
    pub loops: &'p [Loop],
}

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
                if u.bound_to.is_none() {
                    u.bound_to = Some(c.clone());
                }
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

/// Whether a `return` after statement `si` hands back `var` (wrapped or
/// not), or a comprehension over it.
pub fn returned_later(body: &Body, si: usize, var: &str) -> bool {
    body.stmts.iter().skip(si + 1).any(|s| match &s.kind {
        StmtKind::Return(e) => {
            mentions(e, var)
                || body.loops.iter().any(|l| {
                    s.span.contains(&l.span) && l.iter.as_ref().is_some_and(|i| mentions(i, var))
                })
        }
        _ => false,
    })
}

/// Whether `e` uses the whole value of `var`: not only `var[i]` or `len(var)`.
fn mentions(e: &Expr, var: &str) -> bool {
    let mut partial: Vec<*const Expr> = Vec::new();
    let mut found = false;
    archlint_model::visit::walk_expr(e, |x| match &x.kind {
        ExprKind::Subscript(v, _) => partial.push(&**v as *const Expr),
        ExprKind::Call { func, args } if func.last_name() == Some("len") => {
            partial.extend(args.iter().map(|a| &a.value as *const Expr));
        }
        ExprKind::Name(n) if n == var && !partial.contains(&(x as *const Expr)) => found = true,
        _ => {}
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_skips_items_and_lengths() {
        let f = archlint_python::PythonExtractor::new().extract(
            b"def f():\n    return rows[0], len(rows)\ndef g():\n    return jsonify(rows)\n",
        );
        let ret = |i: usize| match &f.functions[i].body[0].kind {
            StmtKind::Return(e) => e.clone(),
            _ => panic!(),
        };
        assert!(!mentions(&ret(0), "rows"));
        assert!(mentions(&ret(1), "rows"));
    }
}

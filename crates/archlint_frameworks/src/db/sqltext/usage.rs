//! What a function does with the rows of a query, the parts shared by the
//! languages: where the execution chain sits in its statement ([`Role`]),
//! what was found ([`Usage`]), and whether a later `return` hands back a
//! variable (wrapped or not: `jsonify(rows)`, `Ok(Json(rows))`).

use archlint_model::{Expr, ExprKind, Loop, Stmt, StmtKind};

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
pub fn mentions(e: &Expr, var: &str) -> bool {
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

/// Calls `f` on every expression under `root` in pre-order, without going
/// into closure bodies: those are handed to `lambda` instead (their
/// statements are scanned as bodies of their own).
pub fn walk_shallow<'p>(
    root: &'p Expr,
    mut f: impl FnMut(&'p Expr),
    mut lambda: impl FnMut(&'p [Stmt]),
) {
    let mut stack: Vec<&'p Expr> = vec![root];
    while let Some(e) = stack.pop() {
        f(e);
        let start = stack.len();
        match &e.kind {
            ExprKind::Lambda { body, .. } => lambda(body),
            ExprKind::FStr(parts) => {
                for p in parts {
                    if let archlint_model::StrPart::Expr(x) = p {
                        stack.push(x);
                    }
                }
            }
            ExprKind::Attr(v, _) | ExprKind::Unary(v) | ExprKind::Await(v) => stack.push(v),
            ExprKind::Call { func, args } => {
                stack.push(func);
                stack.extend(args.iter().map(|a| &a.value));
            }
            ExprKind::Macro { args, .. } => stack.extend(args.iter().map(|a| &a.value)),
            ExprKind::Subscript(v, idx) => {
                stack.push(v);
                stack.extend(idx.iter());
            }
            ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) | ExprKind::Other(xs) => {
                stack.extend(xs.iter())
            }
            ExprKind::Dict(kvs) => {
                for (k, v) in kvs {
                    stack.push(k);
                    stack.push(v);
                }
            }
            ExprKind::Binary(_, l, r) => {
                stack.push(l);
                stack.push(r);
            }
            _ => {}
        }
        stack[start..].reverse();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use archlint_model::StmtKind;

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

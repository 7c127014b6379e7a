//! What a function does with a query's result: binds it to a local
//! (`let rows = ...`), returns it (`Ok(Json(rows))`,
//! `HttpResponse::Ok().json(rows)`, or the query as the tail), or neither.
//! Shared by the diesel and sea-orm extractors.

use super::knowledge::ResponseNames;
use archlint_model::{Expr, ExprKind, Function, StmtKind};

/// Nodes looked at per value; a result is handed through a few wrappers at most.
const MAX_NODES: usize = 64;

/// How the result of one query is used.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub returned: bool,
    pub bound_to: Option<String>,
}

/// How `func` uses the value of `query` (an expression inside its body).
pub fn usage(names: &ResponseNames, func: &Function, query: &Expr) -> Usage {
    let is_query = |e: &Expr| std::ptr::eq(e, query);
    let mut out = Usage::default();
    for s in &func.body {
        if !s.span.contains(&query.span) {
            continue;
        }
        match &s.kind {
            StmtKind::Return(e) if carries(names, e, &is_query) => out.returned = true,
            StmtKind::Assign { targets, value, .. } if carries(names, value, &is_query) => {
                if let [t] = targets.as_slice()
                    && let ExprKind::Name(n) = &t.kind
                {
                    out.bound_to = Some(n.clone());
                }
            }
            _ => {}
        }
    }
    if let Some(n) = &out.bound_to {
        let is_name = |e: &Expr| matches!(&e.kind, ExprKind::Name(x) if x == n);
        out.returned |= func.body.iter().any(|s| {
            s.span.start > query.span.start
                && matches!(&s.kind, StmtKind::Return(e) if carries(names, e, &is_name))
        });
    }
    out
}

/// Whether the value of `root` is (a wrapper of) an expression matching
/// `target`: looking through `await`, `&`, `Ok(..)`, `Json(..)`,
/// `.json(..)`, `.map_err(..)` and closures run in place (`web::block(|| q)`).
pub fn carries(names: &ResponseNames, root: &Expr, target: &dyn Fn(&Expr) -> bool) -> bool {
    let mut stack = vec![root];
    let mut seen = 0;
    while let Some(e) = stack.pop() {
        seen += 1;
        if seen > MAX_NODES {
            return false;
        }
        if target(e) {
            return true;
        }
        match &e.kind {
            ExprKind::Await(x) | ExprKind::Unary(x) => stack.push(x),
            ExprKind::Other(xs) if xs.len() == 1 => stack.extend(xs.iter()),
            ExprKind::Call { func, args } => {
                let last = func.last_name().unwrap_or("");
                if let ExprKind::Attr(recv, m) = &func.kind {
                    if names.pass_through.matches(m) {
                        stack.push(recv);
                    }
                    if names.body_methods.matches(m)
                        && let Some(a) = args.iter().find(|a| a.name.is_none())
                    {
                        stack.push(&a.value);
                    }
                } else if names.wrappers.matches(last) {
                    stack.extend(args.iter().filter(|a| a.name.is_none()).map(|a| &a.value));
                }
                if names.closure_runners.matches(last) {
                    for a in args {
                        if let ExprKind::Lambda { body, .. } = &a.value.kind {
                            for s in body.iter() {
                                if let StmtKind::Return(r) = &s.kind {
                                    stack.push(r);
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    false
}

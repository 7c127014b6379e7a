//! Iterative walks over lowered expressions and statements. Nothing here
//! recurses, so arbitrarily deep facts cannot overflow the stack.

use crate::facts::{Expr, ExprKind, Stmt, StmtKind, StrPart};

/// Calls `f` on every expression reachable from `root`, `root` first, in
/// source order (pre-order), including those inside lambda bodies.
pub fn walk_expr<'a>(root: &'a Expr, f: impl FnMut(&'a Expr)) {
    walk_expr_with(&mut Vec::new(), root, f);
}

/// [`walk_expr`] with a stack the caller keeps (empty on return), for
/// callers that walk many small trees.
pub fn walk_expr_with<'a>(stack: &mut Vec<&'a Expr>, root: &'a Expr, mut f: impl FnMut(&'a Expr)) {
    stack.clear();
    stack.push(root);
    walk_stack(stack, &mut f);
}

/// Calls `f` on every expression of every statement (pre-order), including
/// assignment targets and annotations.
pub fn walk_stmts<'a>(stmts: &'a [Stmt], mut f: impl FnMut(&'a Expr)) {
    let mut stack: Vec<&'a Expr> = Vec::new();
    for stmt in stmts {
        push_stmt(&mut stack, stmt);
        walk_stack(&mut stack, &mut f);
    }
}

fn push_stmt<'a>(stack: &mut Vec<&'a Expr>, stmt: &'a Stmt) {
    // Pushed in reverse so they pop in source order.
    match &stmt.kind {
        StmtKind::Assign {
            targets,
            value,
            annotation,
            ..
        } => {
            stack.push(value);
            if let Some(a) = annotation {
                stack.push(a);
            }
            stack.extend(targets.iter().rev());
        }
        StmtKind::Expr(e) | StmtKind::Return(e) => stack.push(e),
    }
}

fn walk_stack<'a>(stack: &mut Vec<&'a Expr>, f: &mut impl FnMut(&'a Expr)) {
    while let Some(e) = stack.pop() {
        f(e);
        push_children(stack, e);
    }
}

fn push_children<'a>(stack: &mut Vec<&'a Expr>, e: &'a Expr) {
    let start = stack.len();
    match &e.kind {
        ExprKind::Str(_)
        | ExprKind::Number(_)
        | ExprKind::Bool(_)
        | ExprKind::NoneLit
        | ExprKind::Name(_)
        | ExprKind::Path(_)
        | ExprKind::Type(_) => {}
        ExprKind::FStr(parts) => {
            for p in parts {
                if let StrPart::Expr(x) = p {
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
        ExprKind::Lambda { body, .. } => {
            // Statements of the lambda body, in order.
            let mut tmp: Vec<&'a Expr> = Vec::new();
            for s in body.iter() {
                let before = tmp.len();
                push_stmt(&mut tmp, s);
                tmp[before..].reverse();
            }
            stack.extend(tmp);
        }
    }
    stack[start..].reverse();
}

/// Releases the spare capacity of the vectors in `facts` that extractors
/// build by pushing: the file's lists, each function's and class's lists,
/// and their bodies. Expressions give theirs back when they are made
/// ([`Expr::new`]), and statements hold exact lists (one target per
/// assignment but for `a = b = v`), so no expression is visited here. Facts
/// live for the whole scan: memory is worth more than the reallocations.
pub fn shrink_facts(facts: &mut crate::facts::FileFacts) {
    facts.imports.shrink_to_fit();
    facts.impls.shrink_to_fit();
    facts.type_args.shrink_to_fit();
    facts.syntax_errors.shrink_to_fit();
    facts.item_macros.shrink_to_fit();
    for m in &mut facts.item_macros {
        m.body.shrink_to_fit();
    }
    facts.module_loops.shrink_to_fit();
    facts.module_stmts.shrink_to_fit();
    facts.functions.shrink_to_fit();
    facts.classes.shrink_to_fit();
    for f in &mut facts.functions {
        f.name.shrink_to_fit();
        f.decorators.shrink_to_fit();
        f.params.shrink_to_fit();
        for p in &mut f.params {
            p.name.shrink_to_fit();
        }
        f.loops.shrink_to_fit();
        f.branches.shrink_to_fit();
        f.body.shrink_to_fit();
    }
    for c in &mut facts.classes {
        c.bases.shrink_to_fit();
        c.decorators.shrink_to_fit();
        c.body.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Stmt {
        fn kind_expr(&self) -> &Expr {
            match &self.kind {
                StmtKind::Expr(e) | StmtKind::Return(e) => e,
                StmtKind::Assign { value, .. } => value,
            }
        }
    }
    use crate::facts::{Arg, ExprKind};
    use crate::span::Span;

    fn name(n: &str) -> Expr {
        Expr::new(ExprKind::Name(n.into()), Span::default())
    }

    #[test]
    fn visits_in_source_order() {
        let call = Expr::new(
            ExprKind::Call {
                func: Box::new(name("f")),
                args: vec![
                    Arg {
                        name: None,
                        value: name("a"),
                    },
                    Arg {
                        name: Some("k".into()),
                        value: name("b"),
                    },
                ],
            },
            Span::default(),
        );
        let mut seen = Vec::new();
        walk_expr(&call, |e| {
            if let ExprKind::Name(n) = &e.kind {
                seen.push(n.clone());
            }
        });
        assert_eq!(seen, ["f", "a", "b"]);
    }

    #[test]
    fn shrinking_keeps_facts_equal() {
        let mut args = Vec::with_capacity(64);
        args.push(Arg {
            name: None,
            value: name("a"),
        });
        let call = Expr::new(
            ExprKind::Call {
                func: Box::new(name("f")),
                args,
            },
            Span::default(),
        );
        let mut body = Vec::with_capacity(32);
        body.push(Stmt {
            kind: StmtKind::Expr(call),
            span: Span::default(),
            loop_idx: None,
        });
        let mut facts = crate::facts::FileFacts {
            module_stmts: body,
            ..Default::default()
        };
        let before = facts.clone();
        shrink_facts(&mut facts);
        assert_eq!(facts, before);
        assert_eq!(facts.module_stmts.capacity(), 1);
        let ExprKind::Call { args, .. } = &facts.module_stmts[0].kind_expr().kind else {
            panic!()
        };
        assert_eq!(args.capacity(), 1);
    }

    #[test]
    fn deep_chains_do_not_overflow() {
        let mut e = name("x");
        for _ in 0..200_000 {
            e = Expr::new(ExprKind::Unary(Box::new(e)), Span::default());
        }
        let mut n = 0;
        walk_expr(&e, |_| n += 1);
        assert_eq!(n, 200_001);
        // Dropping a deep Box chain recurses in the compiler-generated drop;
        // take it apart iteratively instead.
        let mut cur = e;
        while let ExprKind::Unary(inner) = cur.kind {
            cur = *inner;
        }
    }
}

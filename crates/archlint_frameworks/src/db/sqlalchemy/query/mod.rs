//! ORM queries: every place a function runs a SQLAlchemy query (a 1.x
//! terminal such as `.all()`/`.first()`, `session.execute(stmt)`,
//! `session.get(User, id)`, a loop over a `Query`), as a [`QueryFact`] with
//! the query's shape, whether it reads every row and returns them, and the
//! local its rows are bound to. Lazy relationship loads are in [`lazy`].

mod chain;
mod cond;
mod flow;
mod lazy;
mod scope;
mod steps;

use super::knowledge::SaNames;
use super::models::Registry;
use archlint_model::{
    Expr, ExprKind, FuncRef, Function, Language, LoopKind, ProjectIndex, QueryFact, QuerySource,
    Span, StmtKind,
};
use chain::{Exec, Stage, parse};
use flow::{Ctx, Placeholders};
use rayon::prelude::*;
use rustc_hash::FxHashSet as HashSet;
use scope::Scope;

/// Adds the queries and lazy loads of every function outside `skip_files`.
pub fn collect(
    index: &ProjectIndex,
    reg: &Registry,
    n: &SaNames,
    skip_files: &HashSet<u32>,
    out: &mut Vec<QueryFact>,
) {
    let functions: Vec<(FuncRef, &Function)> = index
        .project
        .functions()
        .filter(|(fref, _)| {
            !skip_files.contains(&fref.file)
                && index
                    .project
                    .file(fref.file)
                    .is_some_and(|f| f.language == Language::Python)
        })
        .collect();
    // Functions are independent (the factory memo is only a cache, one per
    // worker): walk them in parallel, keep their order.
    let per_func: Vec<Vec<QueryFact>> = functions
        .par_iter()
        .map_init(scope::Factories::default, |factories, &(fref, func)| {
            let sc = Scope::new(index, reg, n, fref, func, factories);
            let mut w = Walker {
                sc: &sc,
                emitted: HashSet::default(),
                ph: Placeholders::default(),
                out: Vec::new(),
            };
            w.statements();
            w.loops();
            lazy::collect(&sc, &mut w.out);
            w.out
        })
        .collect();
    out.extend(per_func.into_iter().flatten());
}

struct Walker<'s, 'a, 'p> {
    sc: &'s Scope<'a, 'p>,
    /// Execution spans already reported (inner calls of a chain see them again).
    emitted: HashSet<Span>,
    /// Where each comprehension's value goes (filled by the statement walk,
    /// read for queries in comprehension iterables).
    ph: Placeholders,
    out: Vec<QueryFact>,
}

/// Where an expression tree hangs: a statement or a loop's iterable.
#[derive(Clone, Copy)]
enum Root {
    Stmt(usize),
    Iter(u32),
}

impl Walker<'_, '_, '_> {
    fn fref(&self) -> FuncRef {
        self.sc.fref
    }

    /// Walks every statement.
    fn statements(&mut self) {
        let func = self.sc.func;
        for (si, s) in func.body.iter().enumerate() {
            let e = match &s.kind {
                StmtKind::Assign { value, .. } => value,
                StmtKind::Expr(e) | StmtKind::Return(e) => e,
            };
            self.walk(e, Root::Stmt(si), s.loop_idx);
        }
    }

    /// Walks the iterables of `for` loops and comprehensions (evaluated once,
    /// in the enclosing loop).
    fn loops(&mut self) {
        let func = self.sc.func;
        for (li, lp) in func.loops.iter().enumerate() {
            if !matches!(lp.kind, LoopKind::For | LoopKind::Comprehension) {
                continue;
            }
            let Some(iter) = &lp.iter else { continue };
            // A loop over an unrun `Query` runs it.
            if let Some(b) = parse(self.sc, iter, 0)
                && b.stage == Stage::Query
                && b.exec.is_none()
            {
                let mut b = b;
                b.stage = Stage::Rows;
                b.exec = Some(Exec {
                    span: iter.span,
                    api: b.root.clone(),
                    through_name: false,
                    awaited: false,
                });
                self.emit(&b, Ctx::Iterated(li as u32), lp.parent);
            }
            self.walk(iter, Root::Iter(li as u32), lp.parent);
        }
    }

    /// Pre-order walk of one expression tree with the path of ancestors.
    fn walk(&mut self, root: &Expr, at: Root, loop_idx: Option<u32>) {
        // (expression, depth): the path is the chain of open ancestors.
        let mut stack: Vec<(&Expr, usize)> = vec![(root, 0)];
        let mut path: Vec<&Expr> = Vec::new();
        while let Some((e, depth)) = stack.pop() {
            path.truncate(depth);
            if matches!(&e.kind, ExprKind::Other(xs) if xs.is_empty())
                && let Root::Stmt(si) = at
            {
                self.ph.record(e.span, flow::context(self.sc, &path, e, si));
            }
            if matches!(e.kind, ExprKind::Call { .. }) {
                self.site(e, &path, at, loop_idx);
            }
            path.push(e);
            let start = stack.len();
            push_children(e, depth + 1, &mut stack);
            stack[start..].reverse();
        }
    }

    /// A call: a query run here?
    fn site(&mut self, e: &Expr, path: &[&Expr], at: Root, loop_idx: Option<u32>) {
        let Some(b) = parse(self.sc, e, 0) else {
            return;
        };
        let Some(x) = &b.exec else { return };
        if x.through_name || self.emitted.contains(&x.span) {
            return;
        }
        let ctx = match at {
            Root::Stmt(si) => flow::context(self.sc, path, e, si),
            Root::Iter(li) => {
                if path.is_empty() {
                    Ctx::Iterated(li)
                } else {
                    flow::context_in_iter(self.sc, path, e, li)
                }
            }
        };
        self.emit(&b, ctx, loop_idx);
    }

    fn emit(&mut self, b: &chain::Built, ctx: Ctx, loop_idx: Option<u32>) {
        let Some(x) = &b.exec else { return };
        self.emitted.insert(x.span);
        let usage = flow::usage(self.sc, b, &ctx, &self.ph);
        self.out.push(QueryFact {
            file: self.fref().file,
            func: Some(self.fref()),
            span: x.span,
            loop_idx,
            api: x.api.clone(),
            source: QuerySource::Orm,
            text: None,
            text_at: None,
            bound_params: false,
            shape: (!b.opaque).then(|| b.shape.clone()),
            all_rows: usage.all_rows,
            returned: usage.returned,
            bound_to: usage.bound_to,
        });
    }
}

/// Children of an expression in source order (pushed reversed by the caller).
fn push_children<'e>(e: &'e Expr, depth: usize, stack: &mut Vec<(&'e Expr, usize)>) {
    match &e.kind {
        ExprKind::Attr(v, _) | ExprKind::Unary(v) | ExprKind::Await(v) => stack.push((v, depth)),
        ExprKind::Call { func, args } => {
            stack.push((func, depth));
            stack.extend(args.iter().map(|a| (&a.value, depth)));
        }
        ExprKind::Macro { args, .. } => stack.extend(args.iter().map(|a| (&a.value, depth))),
        ExprKind::Subscript(v, idx) => {
            stack.push((v, depth));
            stack.extend(idx.iter().map(|x| (x, depth)));
        }
        ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) | ExprKind::Other(xs) => {
            stack.extend(xs.iter().map(|x| (x, depth)))
        }
        ExprKind::Dict(kvs) => {
            for (k, v) in kvs {
                stack.push((k, depth));
                stack.push((v, depth));
            }
        }
        ExprKind::Binary(_, l, r) => {
            stack.push((l, depth));
            stack.push((r, depth));
        }
        ExprKind::FStr(parts) => {
            for p in parts {
                if let archlint_model::StrPart::Expr(x) = p {
                    stack.push((x, depth));
                }
            }
        }
        ExprKind::Lambda { body, .. } => {
            for s in body.iter() {
                match &s.kind {
                    StmtKind::Assign { value, .. } => stack.push((value, depth)),
                    StmtKind::Expr(x) | StmtKind::Return(x) => stack.push((x, depth)),
                }
            }
        }
        ExprKind::Str(_)
        | ExprKind::Number(_)
        | ExprKind::Bool(_)
        | ExprKind::NoneLit
        | ExprKind::Name(_)
        | ExprKind::Path(_)
        | ExprKind::Type(_) => {}
    }
}

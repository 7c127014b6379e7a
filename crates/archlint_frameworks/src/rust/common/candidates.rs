//! Finding builder expressions (router chains, `App::new()` chains, rocket
//! mounts) in function bodies, with the scopes and position they sit in and
//! the key under which another builder may consume them.

use super::eval::{Frame, Key};
use crate::routes::Cx;
use archlint_model::{Expr, ExprKind, FuncRef, Language, Pos, Stmt, StmtKind};

/// A builder expression found in a function body, with where it sits.
pub struct Candidate<'p> {
    pub expr: &'p Expr,
    pub file: u32,
    pub func: FuncRef,
    pub scopes: Vec<&'p [Stmt]>,
    pub before: Pos,
    pub key: Key,
    /// The variable it is bound to, when it is a `let` value.
    pub var: Option<&'p str>,
}

impl<'p> Candidate<'p> {
    pub fn frame<'f>(&self) -> Frame<'p, 'f> {
        Frame::new(
            self.file,
            Some(self.func),
            self.scopes.clone(),
            Some(self.before),
        )
    }
}

/// Every expression of the functions of files accepted by `file_ok` for
/// which `is_candidate` holds, with closure bodies as inner scopes. With
/// `descend`, candidates inside candidates are found too; without, a
/// candidate's sub-expressions are left to its own evaluation.
pub fn candidates<'p>(
    cx: &Cx<'_, 'p>,
    file_ok: impl Fn(u32) -> bool,
    descend: bool,
    is_candidate: impl Fn(&Expr) -> bool,
) -> Vec<Candidate<'p>> {
    let project = cx.index.project;
    let mut out = Vec::new();
    for (fi, file) in project.files.iter().enumerate() {
        let fi = fi as u32;
        if file.language != Language::Rust || !file_ok(fi) {
            continue;
        }
        for (i, func) in file.facts.functions.iter().enumerate() {
            let fref = FuncRef {
                file: fi,
                func: i as u32,
            };
            let mut jobs: Vec<(&'p [Stmt], Vec<&'p [Stmt]>)> =
                vec![(func.body.as_slice(), Vec::new())];
            while let Some((stmts, outer)) = jobs.pop() {
                let mut scopes = Vec::with_capacity(outer.len() + 1);
                scopes.push(stmts);
                scopes.extend(outer.iter().copied());
                for s in stmts {
                    let (top, key, var) = match &s.kind {
                        StmtKind::Assign { targets, value, .. } => {
                            let var = match targets.as_slice() {
                                [t] => match &t.kind {
                                    ExprKind::Name(n) => Some(n.as_str()),
                                    _ => None,
                                },
                                _ => None,
                            };
                            let key = if var.is_some() {
                                Key::Stmt(fi, s.span.start)
                            } else {
                                Key::Expr(fi, value.span)
                            };
                            (value, key, var)
                        }
                        StmtKind::Return(e) if outer.is_empty() => (e, Key::Return(fref), None),
                        StmtKind::Return(e) | StmtKind::Expr(e) => (e, Key::Expr(fi, e.span), None),
                    };
                    let mut stack: Vec<(&'p Expr, bool)> = vec![(top, true)];
                    while let Some((e, is_top)) = stack.pop() {
                        if is_candidate(e) {
                            out.push(Candidate {
                                expr: e,
                                file: fi,
                                func: fref,
                                scopes: scopes.clone(),
                                before: s.span.start,
                                key: if is_top { key } else { Key::Expr(fi, e.span) },
                                var: if is_top { var } else { None },
                            });
                            if !descend {
                                continue;
                            }
                        }
                        if let ExprKind::Lambda { body, .. } = &e.kind {
                            jobs.push((body.as_slice(), scopes.clone()));
                            continue;
                        }
                        let at = stack.len();
                        push_children(e, |c| stack.push((c, false)));
                        stack[at..].reverse();
                    }
                }
            }
        }
    }
    out
}

/// Direct sub-expressions, in source order (closure bodies excluded).
fn push_children<'p>(e: &'p Expr, mut push: impl FnMut(&'p Expr)) {
    match &e.kind {
        ExprKind::Attr(v, _) | ExprKind::Unary(v) | ExprKind::Await(v) => push(v),
        ExprKind::Call { func, args } => {
            push(func);
            args.iter().for_each(|a| push(&a.value));
        }
        ExprKind::Macro { args, .. } => args.iter().for_each(|a| push(&a.value)),
        ExprKind::Subscript(v, idx) => {
            push(v);
            idx.iter().for_each(push);
        }
        ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) | ExprKind::Other(xs) => {
            xs.iter().for_each(push)
        }
        ExprKind::Dict(kvs) => kvs.iter().for_each(|(k, v)| {
            push(k);
            push(v);
        }),
        ExprKind::Binary(_, l, r) => {
            push(l);
            push(r);
        }
        ExprKind::FStr(parts) => parts.iter().for_each(|p| {
            if let archlint_model::StrPart::Expr(x) = p {
                push(x);
            }
        }),
        _ => {}
    }
}

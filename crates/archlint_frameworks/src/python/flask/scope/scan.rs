//! Cheap project-wide scans: which packages are imported, which project
//! classes derive from framework classes (by name), every body of the
//! project, and the calls of a body that framework wiring is made of.

use super::{Place, Scopes};
use archlint_model::{Expr, ExprKind, Stmt, StmtKind};

impl<'a, 'p> Scopes<'a, 'p> {
    /// Whether any file imports one of the packages (`flask`, `flask.views`;
    /// not `flask_login`): without that, no application can be built.
    pub fn imports_any(&self, packages: &[&str]) -> bool {
        self.index.project.files.iter().any(|f| {
            f.facts.imports.iter().any(|im| {
                im.level == 0
                    && packages.iter().any(|p| {
                        im.module
                            .strip_prefix(p)
                            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
                    })
            })
        })
    }

    /// Names of project classes deriving, directly or through other project
    /// classes, from a class named in `roots` (by name only: a cheap filter
    /// before resolving constructor calls).
    pub fn subclass_names(&self, roots: &[&str]) -> rustc_hash::FxHashSet<String> {
        let mut names: rustc_hash::FxHashSet<String> =
            roots.iter().map(|r| r.to_string()).collect();
        for _ in 0..8 {
            let mut changed = false;
            for f in &self.index.project.files {
                for c in &f.facts.classes {
                    if names.contains(&c.name) {
                        continue;
                    }
                    let derives = c.bases.iter().any(|b| {
                        b.name.is_none() && b.value.last_name().is_some_and(|n| names.contains(n))
                    });
                    if derives {
                        names.insert(c.name.clone());
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        names
    }

    /// Every place of the project: each module body and each function body.
    pub fn places(&self) -> impl Iterator<Item = Place> + '_ {
        self.index
            .project
            .files
            .iter()
            .enumerate()
            .flat_map(|(fi, f)| {
                let fi = fi as u32;
                std::iter::once(Place::module(fi)).chain((0..f.facts.functions.len() as u32).map(
                    move |i| Place {
                        file: fi,
                        func: Some(i),
                    },
                ))
            })
    }
}

/// Calls `f` on every call expression of `body` that framework wiring can be
/// made of: statement-level calls and calls nested in call arguments,
/// collections and `await`, in source order. It does not descend into
/// attribute receivers, operators, subscripts or lambdas, which keeps it
/// several times cheaper than a full walk on ordinary code.
pub(crate) fn wiring_calls<'e>(body: &'e [Stmt], mut f: impl FnMut(&'e Expr)) {
    let mut stack: Vec<&'e Expr> = Vec::new();
    for st in body {
        match &st.kind {
            StmtKind::Assign { value, .. } => stack.push(value),
            StmtKind::Expr(e) | StmtKind::Return(e) => stack.push(e),
        }
        while let Some(e) = stack.pop() {
            let start = stack.len();
            match &e.kind {
                ExprKind::Call { func, args } => {
                    f(e);
                    // `limiter.limit("1/s")(bp)`: the inner call.
                    if matches!(func.kind, ExprKind::Call { .. }) {
                        stack.push(func);
                    }
                    stack.extend(args.iter().map(|a| &a.value));
                }
                ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => {
                    stack.extend(xs.iter())
                }
                ExprKind::Dict(kvs) => stack.extend(kvs.iter().map(|(_, v)| v)),
                ExprKind::Await(inner) => stack.push(inner),
                _ => {}
            }
            stack[start..].reverse();
        }
    }
}

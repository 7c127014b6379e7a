//! Parameters bound at call sites: which calls of a project function are
//! indexed (only the functions whose parameters matter), and the analysis of
//! a helper once per call with its parameters bound to that call's arguments.

use super::{Place, Scopes, local_assigned};
use archlint_model::{Container, Expr, ExprKind, FuncRef, ParamKind, Symbol};
use std::collections::BTreeSet;

impl<'a, 'p> Scopes<'a, 'p> {
    /// Indexes the call sites of functions named in `names`, so that their
    /// parameters can be bound. Also indexes, transitively (bounded), the
    /// callers of functions that pass their own parameter on.
    pub fn index_callers(&self, names: BTreeSet<String>) {
        let mut want: BTreeSet<String> = {
            let c = self.callers.borrow();
            names
                .into_iter()
                .filter(|n| !c.indexed.contains(n))
                .collect()
        };
        // Two rounds: a helper and the helper calling it.
        for _round in 0..2 {
            if want.is_empty() {
                return;
            }
            let mut next = BTreeSet::new();
            let mut found: Vec<(String, Place, &'p Expr)> = Vec::new();
            let wiring = self.wiring();
            for name in &want {
                for (at, e) in wiring.named(name) {
                    let Some((_, args)) = e.as_call() else {
                        continue;
                    };
                    found.push((name.clone(), at, e));
                    // An argument that is the caller's own parameter needs the caller's callers.
                    if let Some(f) = at.func.and_then(|f| self.func(at.file, f)) {
                        for a in args {
                            // Constructors call `__init__` by the class's name: not followed.
                            if let ExprKind::Name(n) = &a.value.kind
                                && !f.name.starts_with("__")
                                && f.params.iter().any(|p| &p.name == n)
                            {
                                next.insert(f.name.clone());
                            }
                        }
                    }
                }
            }
            let mut c = self.callers.borrow_mut();
            for n in &want {
                c.indexed.insert(n.clone());
            }
            for (name, at, e) in found {
                c.calls.entry(name).or_default().push((at, e));
            }
            want = next
                .into_iter()
                .filter(|n| !c.indexed.contains(n))
                .collect();
        }
    }

    /// If `e`'s base name is a parameter of the function at `at` (or of one
    /// enclosing it), the name of that function.
    pub fn param_owner(&self, at: Place, e: &Expr) -> Option<String> {
        let mut base = e;
        for _ in 0..32 {
            match &base.kind {
                ExprKind::Attr(inner, _) => base = inner,
                ExprKind::Call { func, .. } => base = func,
                _ => break,
            }
        }
        let ExprKind::Name(n) = &base.kind else {
            return None;
        };
        let mut cur = at.func;
        for _ in 0..16 {
            let f = self.func(at.file, cur?)?;
            if f.params
                .iter()
                .any(|p| &p.name == n && p.kind != ParamKind::SelfParam)
            {
                return Some(f.name.clone());
            }
            if local_assigned(&f.body, n) {
                return None;
            }
            cur = match f.container {
                Container::Function(p) => Some(p),
                _ => None,
            };
        }
        None
    }

    /// The indexed call sites of a project function (see [`Scopes::index_callers`]).
    pub fn call_sites(&self, target: FuncRef) -> Vec<(Place, &'p Expr)> {
        let Some(f) = self.func(target.file, target.func) else {
            return Vec::new();
        };
        let sites: Vec<(Place, &'p Expr)> = self
            .callers
            .borrow()
            .calls
            .get(&f.name)
            .cloned()
            .unwrap_or_default();
        sites
            .into_iter()
            .filter(|(caller, call)| {
                call.as_call().is_some_and(|(callee, _)| {
                    self.callee(*caller, callee) == Some(Symbol::Func(target))
                })
            })
            .collect()
    }

    /// Runs `run` once per call site of the function at `at`, with that
    /// function's parameters bound to the arguments of that one call, so that
    /// `register_view(bp, routes=[...], view_func=V.as_view(...))` pairs each
    /// call's rule with its own view; runs it once, unbound, elsewhere.
    pub fn per_call_site(&self, at: Place, mut run: impl FnMut()) {
        let Some(fi) = at.func else {
            run();
            return;
        };
        let target = FuncRef {
            file: at.file,
            func: fi,
        };
        let has_params = self
            .func(at.file, fi)
            .is_some_and(|f| f.params.iter().any(|p| p.kind != ParamKind::SelfParam));
        let sites = if has_params {
            self.call_sites(target)
        } else {
            Vec::new()
        };
        if sites.is_empty() || self.bound.borrow().iter().any(|(g, _, _)| *g == target) {
            run();
            return;
        }
        for (caller, call) in sites.into_iter().take(256) {
            self.bound.borrow_mut().push((target, caller, call));
            run();
            self.bound.borrow_mut().pop();
        }
    }

    /// The call site the function at `at` is currently analysed for, if any.
    pub fn bound_site(&self, at: Place) -> Option<(Place, &'p Expr)> {
        let fi = at.func?;
        let target = FuncRef {
            file: at.file,
            func: fi,
        };
        self.bound
            .borrow()
            .iter()
            .rev()
            .find(|(g, _, _)| *g == target)
            .map(|(_, p, c)| (*p, *c))
    }
}

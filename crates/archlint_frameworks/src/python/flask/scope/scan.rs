//! Cheap project-wide scans: which packages are imported, which project
//! classes derive from framework classes (by name), every body of the
//! project, and the calls of a body that framework wiring is made of.

use super::{Place, Scopes};
use archlint_model::{Expr, ExprKind, Stmt, StmtKind};
use rustc_hash::FxHashMap as HashMap;

/// The wiring calls of every body of the project (see [`wiring_calls`]),
/// gathered in one walk: a builder looks at them several times (constructors,
/// registrations, call sites of helpers), and most of those looks want only
/// the calls of a few callee names.
pub(crate) struct Wiring<'p> {
    /// Every call with its place, places in [`Scopes::places`] order and each
    /// place's calls in walk order.
    calls: Vec<(Place, &'p Expr)>,
    /// Per file, where each place's calls start in `calls`: the module body
    /// first, then each function, then the end of the file's calls.
    bounds: Vec<Vec<u32>>,
    /// Positions in `calls` of the calls whose callee is a name or an
    /// attribute, by that name, ascending.
    by_name: HashMap<&'p str, Vec<u32>>,
}

impl<'p> Wiring<'p> {
    fn build(s: &Scopes<'_, 'p>) -> Self {
        let files = &s.index.project.files;
        let mut w = Wiring {
            calls: Vec::new(),
            bounds: Vec::with_capacity(files.len()),
            by_name: HashMap::default(),
        };
        for (fi, f) in files.iter().enumerate() {
            let mut bounds = Vec::with_capacity(f.facts.functions.len() + 2);
            for at in places_of(fi as u32, f.facts.functions.len()) {
                bounds.push(w.calls.len() as u32);
                wiring_calls(s.body(at), |e| {
                    if let Some((callee, _)) = e.as_call()
                        && matches!(callee.kind, ExprKind::Name(_) | ExprKind::Attr(..))
                        && let Some(name) = callee.last_name()
                    {
                        w.by_name
                            .entry(name)
                            .or_default()
                            .push(w.calls.len() as u32);
                    }
                    w.calls.push((at, e));
                });
            }
            bounds.push(w.calls.len() as u32);
            w.bounds.push(bounds);
        }
        w
    }

    /// The wiring calls of one place's body, in walk order.
    pub fn at(&self, at: Place) -> impl Iterator<Item = &'p Expr> + '_ {
        let k = at.func.map_or(0, |f| f as usize + 1);
        let range = self
            .bounds
            .get(at.file as usize)
            .and_then(|b| Some(*b.get(k)? as usize..*b.get(k + 1)? as usize))
            .unwrap_or(0..0);
        self.calls[range].iter().map(|(_, e)| *e)
    }

    /// The wiring calls whose callee is a name or an attribute called `name`,
    /// in place and walk order.
    pub fn named(&self, name: &str) -> impl Iterator<Item = (Place, &'p Expr)> + '_ {
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| self.calls[i as usize])
    }
}

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

    /// The project's wiring calls, gathered on first use.
    pub fn wiring(&self) -> &Wiring<'p> {
        self.wiring.get_or_init(|| Wiring::build(self))
    }

    /// Calls `f` on the wiring calls of one place's body, in walk order.
    pub fn each_wiring_call(&self, at: Place, mut f: impl FnMut(&'p Expr)) {
        for e in self.wiring().at(at) {
            f(e);
        }
    }

    /// Every place of the project: each module body and each function body.
    pub fn places(&self) -> impl Iterator<Item = Place> + '_ {
        self.index
            .project
            .files
            .iter()
            .enumerate()
            .flat_map(|(fi, f)| places_of(fi as u32, f.facts.functions.len()))
    }
}

/// The places of file `file` with `functions` functions: its module body,
/// then each function's body.
fn places_of(file: u32, functions: usize) -> impl Iterator<Item = Place> {
    std::iter::once(Place::module(file)).chain((0..functions as u32).map(move |i| Place {
        file,
        func: Some(i),
    }))
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

//! Cheap project-wide scans: which packages are imported, which project
//! classes derive from framework classes (by name), every body of the
//! project, and the calls of a body that framework wiring is made of.

use super::{Place, Scopes};
use archlint_model::{Expr, ExprKind, ProjectIndex, Stmt, StmtKind};
use rustc_hash::FxHashMap as HashMap;

/// The wiring calls of every body of the project (see [`wiring_calls`]),
/// gathered in one walk: a builder looks at them several times (constructors,
/// registrations, call sites of helpers), and most of those looks want only
/// the calls of a few callee names. Built once per scan and shared by the
/// Flask and FastAPI builders (see [`Wiring::for_project`]).
pub(crate) struct Wiring<'p> {
    /// Every call with its place, places in [`Scopes::places`] order and each
    /// place's calls in walk order.
    calls: Vec<(Place, &'p Expr)>,
    /// Positions in `calls` of the calls whose callee is a name or an
    /// attribute, by that name, ascending.
    by_name: HashMap<&'p str, Vec<u32>>,
    /// Positions in `calls` of the calls whose callee is anything else (a
    /// call, a subscript, `await`...), ascending.
    other: Vec<u32>,
}

impl<'p> Wiring<'p> {
    /// The wiring of a project that may have Flask or FastAPI/Starlette
    /// routes (it imports one of them); `None` otherwise, as no builder will
    /// look.
    pub fn for_project(index: &ProjectIndex<'p>) -> Option<Self> {
        imports_any(index, &["apiflask", "flask", "fastapi", "starlette"])
            .then(|| Wiring::build(index))
    }

    fn build(index: &ProjectIndex<'p>) -> Self {
        let mut w = Wiring {
            calls: Vec::new(),
            by_name: HashMap::default(),
            other: Vec::new(),
        };
        for (fi, f) in index.project.files.iter().enumerate() {
            for at in places_of(fi as u32, f.facts.functions.len()) {
                wiring_calls(body_of(index, at), |e| {
                    let pos = w.calls.len() as u32;
                    match e.as_call() {
                        Some((callee, _))
                            if matches!(callee.kind, ExprKind::Name(_) | ExprKind::Attr(..)) =>
                        {
                            if let Some(name) = callee.last_name() {
                                w.by_name.entry(name).or_default().push(pos);
                            }
                        }
                        _ => w.other.push(pos),
                    }
                    w.calls.push((at, e));
                });
            }
        }
        w
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

    /// In place and walk order, the wiring calls whose callee is a name or
    /// an attribute called one of `names`, and those whose callee is neither
    /// (`limiter.limit("1/s")(bp)`): every call that a test on the callee's
    /// last name or method can accept.
    pub fn candidates<'n>(
        &self,
        names: impl IntoIterator<Item = &'n str>,
    ) -> Vec<(Place, &'p Expr)> {
        let mut pos: Vec<u32> = self.other.clone();
        for n in names {
            if let Some(v) = self.by_name.get(n) {
                pos.extend_from_slice(v);
            }
        }
        pos.sort_unstable();
        pos.dedup();
        pos.into_iter().map(|i| self.calls[i as usize]).collect()
    }
}

/// The statements of a place's body.
pub(super) fn body_of<'p>(index: &ProjectIndex<'p>, at: Place) -> &'p [Stmt] {
    let facts = index.project.file(at.file).map(|f| &f.facts);
    match at.func {
        Some(f) => facts
            .and_then(|x| x.functions.get(f as usize))
            .map(|f| f.body.as_slice())
            .unwrap_or(&[]),
        None => facts.map(|f| f.module_stmts.as_slice()).unwrap_or(&[]),
    }
}

/// Whether any file imports one of the packages (`flask`, `flask.views`;
/// not `flask_login`): without that, no application can be built.
fn imports_any(index: &ProjectIndex, packages: &[&str]) -> bool {
    index.project.files.iter().any(|f| {
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

impl<'a, 'p> Scopes<'a, 'p> {
    /// Whether any file imports one of the packages (`flask`, `flask.views`;
    /// not `flask_login`): without that, no application can be built.
    pub fn imports_any(&self, packages: &[&str]) -> bool {
        imports_any(self.index, packages)
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

    /// The project's wiring calls, gathered once per scan.
    pub fn wiring(&self) -> &Wiring<'p> {
        self.wiring
    }

    /// Calls `f`, in place and walk order, on the wiring calls that a test
    /// on the callee's name can accept (see [`Wiring::candidates`]), with the
    /// values bound to a name as a whole in that place's body (`bp =
    /// Blueprint(...)`), by address.
    pub fn each_candidate<'n>(
        &self,
        names: impl IntoIterator<Item = &'n str>,
        mut f: impl FnMut(Place, &'p Expr, &[(&'p Expr, &'p str)]),
    ) {
        let mut assigned: Option<(Place, Vec<(&'p Expr, &'p str)>)> = None;
        for (at, e) in self.wiring().candidates(names) {
            if assigned.as_ref().is_none_or(|(p, _)| *p != at) {
                assigned = Some((at, assigned_names(self.body(at))));
            }
            if let Some((_, names)) = &assigned {
                f(at, e, names);
            }
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

/// The values of a body's assignments whose first name target takes them
/// as a whole (`bp = Blueprint(...)`), with that name.
fn assigned_names(body: &[Stmt]) -> Vec<(&Expr, &str)> {
    body.iter()
        .filter_map(|stmt| match &stmt.kind {
            StmtKind::Assign { targets, value, .. } => targets.iter().find_map(|t| match &t.kind {
                ExprKind::Name(n) => Some((value, n.as_str())),
                _ => None,
            }),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::flask::testutil::project;

    const APP: &str = r#"
from flask import Flask, Blueprint
from flask_limiter import Limiter

app = Flask(__name__)
limiter = Limiter(app)
helper(x)

def make():
    bp = Blueprint("b", __name__)
    limiter.limit("1/s")(bp)
    app.register_blueprint(bp, url_prefix="/b")
    return bp
"#;

    /// Callee texts of calls, as `name(first argument)`.
    fn texts(calls: &[(Place, &Expr)]) -> Vec<String> {
        calls
            .iter()
            .map(|(at, e)| {
                let (callee, args) = e.as_call().expect("a call");
                let first = args.first().map_or(String::new(), |a| match &a.value.kind {
                    ExprKind::Str(s) => s.clone(),
                    ExprKind::Name(n) => n.clone(),
                    _ => "..".into(),
                });
                let place = at.func.map_or("module".to_string(), |f| format!("f{f}"));
                format!("{place}: {}({first})", callee.last_name().unwrap_or("?"))
            })
            .collect()
    }

    #[test]
    fn candidates_are_the_named_calls_and_calls_of_calls_in_walk_order() {
        let p = project(&[("app.py", APP)]);
        let index = ProjectIndex::new(&p);
        let w = Wiring::for_project(&index).expect("the project imports flask");
        assert_eq!(
            texts(&w.candidates(["Blueprint", "Flask"])),
            [
                "module: Flask(__name__)",
                // `limiter.limit("1/s")(bp)`: its callee is a call, so any
                // test on names may want it.
                "f0: Blueprint(b)",
                "f0: limit(bp)",
            ]
        );
        assert_eq!(
            texts(&w.candidates(["register_blueprint", "Limiter"])),
            [
                "module: Limiter(app)",
                "f0: limit(bp)",
                "f0: register_blueprint(bp)",
            ]
        );
        // `named` has the calls of a name alone: the inner call of
        // `limiter.limit("1/s")(bp)`, not the outer one.
        assert_eq!(
            texts(&w.named("limit").collect::<Vec<_>>()),
            ["f0: limit(1/s)"]
        );
        assert_eq!(
            texts(&w.named("helper").collect::<Vec<_>>()),
            ["module: helper(x)"]
        );
    }

    #[test]
    fn a_project_without_flask_or_fastapi_has_no_wiring() {
        let p = project(&[("app.py", "import django\nhelper(1)\n")]);
        let index = ProjectIndex::new(&p);
        assert!(Wiring::for_project(&index).is_none());
        let p = project(&[("app.py", "from starlette.routing import Route\n")]);
        assert!(Wiring::for_project(&ProjectIndex::new(&p)).is_some());
    }

    #[test]
    fn each_candidate_gives_the_names_assigned_in_the_calls_place() {
        let p = project(&[("app.py", APP)]);
        let index = ProjectIndex::new(&p);
        let w = Wiring::for_project(&index).expect("the project imports flask");
        let s = Scopes::new(&index, &w);
        let mut seen = Vec::new();
        s.each_candidate(["Flask", "Blueprint", "Limiter"], |_, e, assigned| {
            let var = assigned
                .iter()
                .find(|(v, _)| std::ptr::eq(*v, e))
                .map(|(_, n)| *n);
            seen.push(format!("{}={var:?}", e.last_name().unwrap_or("?")));
        });
        assert_eq!(
            seen,
            [
                "Flask=Some(\"app\")",
                "Limiter=Some(\"limiter\")",
                "Blueprint=Some(\"bp\")",
                "limit=None",
            ]
        );
    }
}

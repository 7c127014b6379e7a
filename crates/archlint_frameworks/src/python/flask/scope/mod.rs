//! Python scope resolution for route building, shared by the Flask and
//! FastAPI/Starlette modules: which values a name or attribute used in a module
//! or function body may denote. It follows local and module-level assignments,
//! imports, simple aliases (`api = bp`), `for` loop targets over literal lists,
//! the `return` values of project factory functions (`app = create_app()`),
//! and parameters bound at the call sites of their function
//! (`def register_blueprints(app): ...` called as `register_blueprints(app)`).
//!
//! Every walk is bounded (hops, results) and guards against cycles, so import
//! or alias loops terminate. Nothing is iterated out of a hash map.

mod callers;
mod scan;
mod strings;

pub(crate) use scan::Wiring;

use crate::calls::{NestedFns, nested_fns};
use archlint_model::{
    ArgsExt, Container, Expr, ExprKind, FileFacts, FuncRef, Function, ParamKind, ProjectIndex,
    Span, Stmt, StmtKind, Symbol,
};
use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

/// Steps followed from one expression to its values.
const MAX_HOPS: u32 = 16;
/// Values reported for one expression at most.
const MAX_VALS: usize = 64;

/// Where code runs: a file and the function whose body it is in (`None` for
/// module level).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Place {
    pub file: u32,
    pub func: Option<u32>,
}

impl Place {
    pub fn module(file: u32) -> Place {
        Place { file, func: None }
    }
}

/// What an expression may denote after resolution.
#[derive(Clone, Debug)]
pub(crate) enum Val<'p> {
    /// An expression that is not a name or a call of a project factory: a
    /// constructor call, a list, a literal. With the place it stands in.
    Expr(Place, &'p Expr),
    /// A project function, class or module, or something outside the project.
    Sym(Symbol),
}

/// Calls of project functions, by the callee's last name, for binding
/// parameters to arguments. Only the names asked for are indexed.
#[derive(Default)]
struct Callers<'p> {
    indexed: BTreeSet<String>,
    calls: HashMap<String, Vec<(Place, &'p Expr)>>,
}

/// Resolution of names over a project.
pub(crate) struct Scopes<'a, 'p> {
    pub index: &'a ProjectIndex<'p>,
    nested: Vec<NestedFns<'p>>,
    callers: RefCell<Callers<'p>>,
    /// Configuration keys (`app.config["URL_PREFIX"]`) to their value, when unique.
    config: RefCell<BTreeMap<String, Option<String>>>,
    /// Call sites standing for their function's parameters while code of
    /// that function is analysed once per call site (see [`Scopes::per_call_site`]).
    bound: RefCell<Vec<(FuncRef, Place, &'p Expr)>>,
    /// The scan's wiring calls, gathered once for every builder.
    wiring: &'a Wiring<'p>,
}

impl<'a, 'p> Scopes<'a, 'p> {
    /// Scopes over `index`, with its wiring calls `wiring`
    /// ([`Wiring::for_project`] of the same index).
    pub fn new(index: &'a ProjectIndex<'p>, wiring: &'a Wiring<'p>) -> Self {
        let nested = index
            .project
            .files
            .iter()
            .map(|f| nested_fns(&f.facts))
            .collect();
        Scopes {
            index,
            nested,
            callers: RefCell::new(Callers::default()),
            config: RefCell::new(BTreeMap::new()),
            bound: RefCell::new(Vec::new()),
            wiring,
        }
    }

    pub fn facts(&self, file: u32) -> Option<&'p FileFacts> {
        self.index.project.file(file).map(|f| &f.facts)
    }

    pub fn func(&self, file: u32, func: u32) -> Option<&'p Function> {
        self.index.project.func(FuncRef { file, func })
    }

    /// The place a function's decorators, defaults and annotations run in:
    /// the scope enclosing its definition.
    pub fn def_place(&self, f: FuncRef) -> Place {
        let Some(facts) = self.facts(f.file) else {
            return Place::module(f.file);
        };
        let container = facts.functions.get(f.func as usize).map(|x| x.container);
        match container {
            Some(Container::Function(p)) => Place {
                file: f.file,
                func: Some(p),
            },
            Some(Container::Class(c)) => self.class_place(f.file, c),
            _ => Place::module(f.file),
        }
    }

    /// The place a class body runs in (the function it is defined in, if any).
    pub fn class_place(&self, file: u32, class: u32) -> Place {
        let mut cur = class;
        // Nested classes run in their outer class's enclosing scope.
        for _ in 0..16 {
            let Some(c) = self.facts(file).and_then(|f| f.classes.get(cur as usize)) else {
                break;
            };
            if let Some(f) = c.in_function {
                return Place {
                    file,
                    func: Some(f),
                };
            }
            match c.parent {
                Some(p) => cur = p,
                None => break,
            }
        }
        Place::module(file)
    }

    /// The statements of a place's body.
    pub fn body(&self, at: Place) -> &'p [Stmt] {
        scan::body_of(self.index, at)
    }

    /// The values `e` (evaluated at `at`) may denote.
    pub fn values(&self, at: Place, e: &'p Expr) -> Vec<Val<'p>> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        self.values_into(at, e, 0, &mut out, &mut seen);
        out
    }

    fn values_into(
        &self,
        at: Place,
        e: &'p Expr,
        hops: u32,
        out: &mut Vec<Val<'p>>,
        seen: &mut BTreeSet<(Place, Span)>,
    ) {
        if hops > MAX_HOPS || out.len() >= MAX_VALS || !seen.insert((at, e.span)) {
            return;
        }
        match &e.kind {
            ExprKind::Name(n) => self.name_values(at, n, e.span, hops, out, seen),
            ExprKind::Await(inner) => self.values_into(at, inner, hops + 1, out, seen),
            ExprKind::Attr(base, attr) => {
                // `module.name` through imports; `obj.attr` of a local object is not followed.
                if self.is_local(at, base) {
                    out.push(Val::Expr(at, e));
                    return;
                }
                match self.index.resolve_expr(at.file, e) {
                    Some(sym) => self.sym_values(sym, hops, out, seen),
                    None => {
                        let _ = attr;
                        out.push(Val::Expr(at, e));
                    }
                }
            }
            ExprKind::Call { func, .. } => match self.callee(at, func) {
                Some(Symbol::Func(f)) => {
                    // A project factory: what it returns.
                    let body = self
                        .func(f.file, f.func)
                        .map(|x| x.body.as_slice())
                        .unwrap_or(&[]);
                    let inner = Place {
                        file: f.file,
                        func: Some(f.func),
                    };
                    let before = out.len();
                    for s in body {
                        if let StmtKind::Return(r) = &s.kind {
                            self.values_into(inner, r, hops + 1, out, seen);
                        }
                    }
                    if out.len() == before {
                        out.push(Val::Expr(at, e));
                    }
                }
                _ => out.push(Val::Expr(at, e)),
            },
            _ => out.push(Val::Expr(at, e)),
        }
    }

    /// What a callee expression at `at` refers to (nested functions first).
    pub fn callee(&self, at: Place, func: &Expr) -> Option<Symbol> {
        if let ExprKind::Name(n) = &func.kind {
            let mut cur = at.func;
            for _ in 0..16 {
                let Some(f) = cur else { break };
                if let Some(&i) = self
                    .nested
                    .get(at.file as usize)
                    .and_then(|m| m.get(&(f, n.as_str())))
                {
                    return Some(Symbol::Func(FuncRef {
                        file: at.file,
                        func: i,
                    }));
                }
                if self
                    .func(at.file, f)
                    .is_some_and(|x| local_assigned(&x.body, n) || has_param(x, n))
                {
                    return None;
                }
                cur = match self.func(at.file, f).map(|x| x.container) {
                    Some(Container::Function(p)) => Some(p),
                    _ => None,
                };
            }
            return self.index.resolve_name(at.file, n);
        }
        if self.is_local(at, func) {
            return None;
        }
        self.index.resolve_expr(at.file, func)
    }

    /// Whether the base name of `e` is bound in a function scope at `at`.
    fn is_local(&self, at: Place, e: &Expr) -> bool {
        let mut base = e;
        for _ in 0..32 {
            match &base.kind {
                ExprKind::Attr(inner, _) => base = inner,
                _ => break,
            }
        }
        let ExprKind::Name(n) = &base.kind else {
            return true;
        };
        let mut cur = at.func;
        for _ in 0..16 {
            let Some(f) = cur.and_then(|f| self.func(at.file, f)) else {
                return false;
            };
            if local_assigned(&f.body, n)
                || has_param(f, n)
                || f.loops.iter().any(|l| target_binds(l.target.as_ref(), n))
            {
                return true;
            }
            cur = match f.container {
                Container::Function(p) => Some(p),
                _ => None,
            };
        }
        false
    }

    fn sym_values(
        &self,
        sym: Symbol,
        hops: u32,
        out: &mut Vec<Val<'p>>,
        seen: &mut BTreeSet<(Place, Span)>,
    ) {
        if let Symbol::Global { file, stmt } = sym {
            let value = self
                .facts(file)
                .and_then(|f| f.module_stmts.get(stmt as usize))
                .and_then(|s| match &s.kind {
                    StmtKind::Assign { value, .. } => Some(value),
                    _ => None,
                });
            if let Some(v) = value {
                self.values_into(Place::module(file), v, hops + 1, out, seen);
            }
            return;
        }
        out.push(Val::Sym(sym));
    }

    fn name_values(
        &self,
        at: Place,
        n: &str,
        use_span: Span,
        hops: u32,
        out: &mut Vec<Val<'p>>,
        seen: &mut BTreeSet<(Place, Span)>,
    ) {
        let mut cur = at.func;
        let mut first = true;
        for _ in 0..16 {
            let Some(fi) = cur else { break };
            let Some(f) = self.func(at.file, fi) else {
                break;
            };
            let here = Place {
                file: at.file,
                func: Some(fi),
            };
            // `for bp in (a, b):` binds each element in turn.
            let loops: Vec<&'p Expr> = f
                .loops
                .iter()
                .filter(|l| {
                    (!first || l.span.contains(&use_span)) && target_binds(l.target.as_ref(), n)
                })
                .filter_map(|l| l.iter.as_ref())
                .collect();
            if !loops.is_empty() {
                for it in loops {
                    for (p, x) in self.elements_hops(here, it, hops + 1) {
                        self.values_into(p, x, hops + 1, out, seen);
                    }
                }
                return;
            }
            let before = if first { Some(use_span) } else { None };
            if let Some(v) =
                last_assign(&f.body, n, before).or_else(|| last_assign(&f.body, n, None))
            {
                self.values_into(here, v, hops + 1, out, seen);
                return;
            }
            if has_param(f, n) {
                self.param_values(at.file, fi, f, n, hops, out, seen);
                return;
            }
            if matches!(f.container, Container::Class(_)) {
                break;
            }
            cur = match f.container {
                Container::Function(p) => Some(p),
                _ => None,
            };
            first = false;
        }
        let Some(facts) = self.facts(at.file) else {
            return;
        };
        let loops: Vec<&'p Expr> = facts
            .module_loops
            .iter()
            .filter(|l| target_binds(l.target.as_ref(), n))
            .filter_map(|l| l.iter.as_ref())
            .collect();
        if !loops.is_empty() && at.func.is_none() {
            for it in loops {
                for (p, x) in self.elements_hops(Place::module(at.file), it, hops + 1) {
                    self.values_into(p, x, hops + 1, out, seen);
                }
            }
            return;
        }
        if let Some(sym) = self.index.resolve_name(at.file, n) {
            self.sym_values(sym, hops, out, seen);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn param_values(
        &self,
        file: u32,
        fi: u32,
        f: &'p Function,
        n: &str,
        hops: u32,
        out: &mut Vec<Val<'p>>,
        seen: &mut BTreeSet<(Place, Span)>,
    ) {
        let positional: Vec<&str> = f
            .params
            .iter()
            .filter(|p| p.kind == ParamKind::Normal)
            .map(|p| p.name.as_str())
            .collect();
        let pos = positional.iter().position(|p| *p == n);
        let target = FuncRef { file, func: fi };
        let bound: Vec<(Place, &'p Expr)> = self
            .bound
            .borrow()
            .iter()
            .filter(|(g, _, _)| *g == target)
            .map(|(_, p, c)| (*p, *c))
            .collect();
        let sites = if bound.is_empty() {
            self.call_sites(target)
        } else {
            bound
        };
        for (caller, call) in sites {
            let Some((_, args)) = call.as_call() else {
                continue;
            };
            let arg = args
                .keyword(n)
                .or_else(|| pos.and_then(|i| args.positional(i)));
            if let Some(a) = arg {
                self.values_into(caller, a, hops + 1, out, seen);
            }
        }
    }

    /// The elements of a list, tuple or set expression (through names and `+`).
    pub fn elements(&self, at: Place, e: &'p Expr) -> Vec<(Place, &'p Expr)> {
        self.elements_hops(at, e, 0)
    }

    fn elements_hops(&self, at: Place, e: &'p Expr, hops: u32) -> Vec<(Place, &'p Expr)> {
        let mut out = Vec::new();
        let mut todo = vec![(at, e, hops)];
        while let Some((p, x, h)) = todo.pop() {
            if h > MAX_HOPS || out.len() >= 256 {
                continue;
            }
            match &x.kind {
                ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => {
                    out.extend(xs.iter().map(|y| (p, y)));
                }
                ExprKind::Binary(archlint_model::BinOp::Add, l, r) => {
                    todo.push((p, r, h + 1));
                    todo.push((p, l, h + 1));
                }
                ExprKind::Name(_) | ExprKind::Attr(..) => {
                    for v in self.values(p, x) {
                        if let Val::Expr(q, y) = v
                            && !matches!(y.kind, ExprKind::Name(_) | ExprKind::Attr(..))
                        {
                            todo.push((q, y, h + 1));
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }
}

/// Whether a loop target binds `n` (`for n in`, `for i, n in`).
fn target_binds(target: Option<&Expr>, n: &str) -> bool {
    match target.map(|t| &t.kind) {
        Some(ExprKind::Name(x)) => x == n,
        Some(ExprKind::Tuple(xs)) | Some(ExprKind::List(xs)) => xs
            .iter()
            .any(|x| matches!(&x.kind, ExprKind::Name(y) if y == n)),
        _ => false,
    }
}

fn has_param(f: &Function, n: &str) -> bool {
    f.params.iter().any(|p| p.name == n)
}

fn local_assigned(body: &[Stmt], n: &str) -> bool {
    last_assign(body, n, None).is_some()
}

/// The value last assigned to the plain name `n` in `body`, before `before` when given.
pub(crate) fn last_assign<'e>(body: &'e [Stmt], n: &str, before: Option<Span>) -> Option<&'e Expr> {
    let mut found = None;
    for s in body {
        if before.is_some_and(|b| s.span.start >= b.start) {
            break;
        }
        if let StmtKind::Assign {
            targets,
            value,
            augmented: false,
            ..
        } = &s.kind
        {
            // `x: T` without a value lowers to an empty `Other`; it binds nothing.
            let declared_only = matches!(&value.kind, ExprKind::Other(xs) if xs.is_empty());
            if !declared_only
                && targets
                    .iter()
                    .any(|t| matches!(&t.kind, ExprKind::Name(x) if x == n))
            {
                found = Some(value);
            }
        }
    }
    found
}

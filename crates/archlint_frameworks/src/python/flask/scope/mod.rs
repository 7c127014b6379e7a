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

mod strings;

use crate::calls::{NestedFns, nested_fns};
use archlint_model::{
    ArgsExt, Container, Expr, ExprKind, FileFacts, FuncRef, Function, ParamKind, ProjectIndex,
    Span, Stmt, StmtKind, Symbol,
};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
}

impl<'a, 'p> Scopes<'a, 'p> {
    pub fn new(index: &'a ProjectIndex<'p>) -> Self {
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
        match at.func {
            Some(f) => self
                .func(at.file, f)
                .map(|f| f.body.as_slice())
                .unwrap_or(&[]),
            None => self
                .facts(at.file)
                .map(|f| f.module_stmts.as_slice())
                .unwrap_or(&[]),
        }
    }

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
    pub fn subclass_names(&self, roots: &[&str]) -> std::collections::HashSet<String> {
        let mut names: std::collections::HashSet<String> =
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
        // Two rounds: a helper and the helper calling it (each is a walk of the project).
        for _round in 0..2 {
            if want.is_empty() {
                return;
            }
            let lookup: std::collections::HashSet<&str> = want.iter().map(String::as_str).collect();
            let mut next = BTreeSet::new();
            let mut found: Vec<(String, Place, &'p Expr)> = Vec::new();
            for at in self.places() {
                wiring_calls(self.body(at), |e| {
                    let Some((callee, args)) = e.as_call() else {
                        return;
                    };
                    let Some(name) = callee.last_name() else {
                        return;
                    };
                    if !matches!(callee.kind, ExprKind::Name(_) | ExprKind::Attr(..))
                        || !lookup.contains(name)
                    {
                        return;
                    }
                    found.push((name.to_string(), at, e));
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
                });
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

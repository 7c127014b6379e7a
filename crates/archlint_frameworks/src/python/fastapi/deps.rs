//! FastAPI dependencies as evidence: `Depends(x)` / `Security(x)` in
//! `dependencies=[...]` lists (route, router, include, app) and in handler
//! parameters (as a default, inside `Annotated[...]`, or through a type alias
//! such as `CurrentUser = Annotated[User, Depends(get_current_user)]`, also
//! imported). A dependency authenticates when its target's name is in
//! `[auth].dependencies` (`oauth2_scheme`, `get_current_user`), when it
//! resolves to a constructor or class with such a name (`OAuth2PasswordBearer`,
//! `JWTBearer(HTTPBearer)`), when its own parameters depend on such a
//! dependency (sub-dependencies, bounded depth), or when its body enforces
//! authentication. Rate limits: `Depends(RateLimiter(times=2, seconds=5))`.

use crate::python::flask::Enforce;
use crate::python::flask::scope::{Place, Scopes, Val};
use crate::routes::{Cx, short};
use archlint_model::{ArgsExt, Evidence, Expr, ExprKind, FuncRef, Language, Param, Scope, Symbol};
use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;

/// Sub-dependency levels followed.
const MAX_DEPTH: u32 = 4;

/// What a dependency provides.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Kinds {
    pub auth: bool,
    pub rate: bool,
    pub public: bool,
}

impl Kinds {
    fn or(self, o: Kinds) -> Kinds {
        Kinds {
            auth: self.auth || o.auth,
            rate: self.rate || o.rate,
            public: self.public || o.public,
        }
    }

    fn any(self) -> bool {
        self.auth || self.rate || self.public
    }
}

/// Evidence lists produced by dependencies.
#[derive(Clone, Debug, Default)]
pub(crate) struct DepEv {
    pub auth: Vec<Evidence>,
    pub rate: Vec<Evidence>,
    pub public: Vec<Evidence>,
}

impl DepEv {
    pub fn extend(&mut self, o: DepEv) {
        self.auth.extend(o.auth);
        self.rate.extend(o.rate);
        self.public.extend(o.public);
    }

    fn push(&mut self, k: Kinds, ev: Evidence) {
        if k.auth {
            self.auth.push(ev.clone());
        }
        if k.rate {
            self.rate.push(ev.clone());
        }
        if k.public {
            self.public.push(ev);
        }
    }
}

/// Classifies dependencies, memoising per function.
pub(crate) struct Deps<'a, 'b, 'p> {
    cx: &'b Cx<'a, 'p>,
    s: &'b Scopes<'a, 'p>,
    en: &'b Enforce<'a, 'b, 'p>,
    memo: RefCell<HashMap<FuncRef, Kinds>>,
}

/// `Depends(...)` / `Security(...)`.
pub(crate) fn is_depends(e: &Expr) -> bool {
    matches!(
        e.as_call().and_then(|(c, _)| c.last_name()),
        Some("Depends" | "Security")
    )
}

impl<'a, 'b, 'p> Deps<'a, 'b, 'p> {
    pub fn new(cx: &'b Cx<'a, 'p>, s: &'b Scopes<'a, 'p>, en: &'b Enforce<'a, 'b, 'p>) -> Self {
        Deps {
            cx,
            s,
            en,
            memo: RefCell::new(HashMap::default()),
        }
    }

    /// Evidence from a `dependencies=[...]` list at `at`.
    pub fn list(&self, at: Place, list: &'p Expr, scope: Scope) -> DepEv {
        let mut out = DepEv::default();
        for (p, d) in self.s.elements(at, list) {
            if is_depends(d) {
                let k = self.depends(p, d, None, 0);
                out.push(
                    k,
                    Evidence {
                        scope,
                        what: short(d),
                        location: Some(self.cx.location(p.file, d.span)),
                    },
                );
            }
        }
        out
    }

    /// Evidence from the parameters of a handler `f`.
    pub fn params(&self, f: FuncRef) -> DepEv {
        let mut out = DepEv::default();
        let Some(func) = self.s.func(f.file, f.func) else {
            return out;
        };
        let at = self.s.def_place(f);
        for p in &func.params {
            let (k, what) = self.param(at, p, 0);
            if k.any() {
                out.push(
                    k,
                    Evidence {
                        scope: Scope::Route,
                        what,
                        location: Some(self.cx.location(f.file, p.span)),
                    },
                );
            }
        }
        out
    }

    /// What one parameter depends on, with a short description.
    fn param(&self, at: Place, p: &'p Param, depth: u32) -> (Kinds, String) {
        if let Some(d) = p.default.as_ref().filter(|d| is_depends(d)) {
            return (self.depends(at, d, p.annotation.as_ref(), depth), short(d));
        }
        let Some(ann) = &p.annotation else {
            return (Kinds::default(), String::new());
        };
        if let Some((k, d)) = self.annotated(at, ann, depth) {
            return (k, short(d));
        }
        // A type alias: `user: CurrentUser`, `CurrentUser = Annotated[User, Depends(...)]`.
        if matches!(ann.kind, ExprKind::Name(_) | ExprKind::Attr(..)) {
            for v in self.s.values(at, ann) {
                if let Val::Expr(q, x) = v
                    && let Some((k, _)) = self.annotated(q, x, depth)
                {
                    return (k, format!("{}: {}", p.name, short(ann)));
                }
            }
        }
        (Kinds::default(), String::new())
    }

    /// `Annotated[T, Depends(x)]`: the dependency's kinds and expression.
    fn annotated(&self, at: Place, ann: &'p Expr, depth: u32) -> Option<(Kinds, &'p Expr)> {
        let ExprKind::Subscript(base, items) = &ann.kind else {
            return None;
        };
        if base.last_name() != Some("Annotated") {
            return None;
        }
        let first = items.first();
        items
            .iter()
            .skip(1)
            .find(|x| is_depends(x))
            .map(|d| (self.depends(at, d, first, depth), d))
    }

    /// What a `Depends(x)` call provides. `annotation` is the parameter's type,
    /// the dependency of a bare `Depends()`.
    fn depends(&self, at: Place, d: &'p Expr, annotation: Option<&'p Expr>, depth: u32) -> Kinds {
        let Some((_, args)) = d.as_call() else {
            return Kinds::default();
        };
        match args
            .positional(0)
            .or_else(|| args.keyword("dependency"))
            .or(annotation)
        {
            Some(target) => self.target(at, target, depth),
            None => Kinds::default(),
        }
    }

    /// What a dependency target provides: by name, by what it resolves to,
    /// by its own dependencies and by what its body does.
    pub fn target(&self, at: Place, x: &'p Expr, depth: u32) -> Kinds {
        let names = self.cx.names(Language::Python);
        let (callee, args) = match x.as_call() {
            Some((c, a)) => (c, a),
            None => (x, &[][..]),
        };
        let Some(name) = callee.last_name() else {
            return Kinds::default();
        };
        if is_optional(name, args) {
            return Kinds::default();
        }
        let by_name = Kinds {
            auth: names.auth.dependencies.matches(name),
            rate: names.rate_limit.dependencies.matches(name),
            public: names.public.dependencies.matches(name),
        };
        if by_name.any() || depth >= MAX_DEPTH {
            return by_name;
        }
        let mut k = Kinds::default();
        for v in self.s.values(at, callee) {
            k = k.or(match v {
                Val::Sym(Symbol::Func(f)) if x.as_call().is_some() => self.factory(f, depth + 1),
                Val::Sym(Symbol::Func(f)) => self.function(f, depth + 1),
                Val::Sym(Symbol::Class(c)) => self.class(c, depth + 1),
                // `oauth2_scheme = OAuth2PasswordBearer(...)`, `current_user = users.current_user(active=True)`.
                Val::Expr(p, e) if e.as_call().is_some() && !std::ptr::eq(e, x) => {
                    self.target(p, e, depth + 1)
                }
                _ => Kinds::default(),
            });
        }
        // `Depends(auth_handler.auth_wrapper)` with `auth_handler = AuthHandler()`.
        if let ExprKind::Attr(base, method) = &callee.kind {
            for v in self.s.values(at, base) {
                let Val::Expr(p, e) = v else { continue };
                let Some((ctor, _)) = e.as_call() else {
                    continue;
                };
                let Some(Symbol::Class(c)) = self.s.callee(p, ctor) else {
                    continue;
                };
                if let Some(f) = crate::calls::method_in_hierarchy(self.s.index, c, method) {
                    k = k.or(if x.as_call().is_some() {
                        self.factory(f, depth + 1)
                    } else {
                        self.function(f, depth + 1)
                    });
                }
            }
        }
        k
    }

    /// A dependency function: its parameters' dependencies and its body.
    fn function(&self, f: FuncRef, depth: u32) -> Kinds {
        if let Some(k) = self.memo.borrow().get(&f) {
            return *k;
        }
        self.memo.borrow_mut().insert(f, Kinds::default());
        let mut k = Kinds::default();
        if let Some(func) = self.s.func(f.file, f.func) {
            let names = self.cx.names(Language::Python);
            if !func.name.contains("optional") {
                k.auth |= names.auth.dependencies.matches(&func.name);
            }
            let at = self.s.def_place(f);
            for p in &func.params {
                k = k.or(self.param(at, p, depth).0);
            }
            if !k.auth && self.en.enforces(f) {
                k.auth = true;
            }
        }
        self.memo.borrow_mut().insert(f, k);
        k
    }

    /// `Depends(require_role("admin"))`: the functions the factory returns.
    fn factory(&self, f: FuncRef, depth: u32) -> Kinds {
        let mut k = Kinds::default();
        let Some(func) = self.s.func(f.file, f.func) else {
            return k;
        };
        let inner = Place {
            file: f.file,
            func: Some(f.func),
        };
        for st in &func.body {
            if let archlint_model::StmtKind::Return(r) = &st.kind {
                for v in self.s.values(inner, r) {
                    match v {
                        Val::Sym(Symbol::Func(g)) => k = k.or(self.function(g, depth)),
                        Val::Expr(p, e) if e.as_call().is_some() => {
                            k = k.or(self.target(p, e, depth))
                        }
                        _ => {}
                    }
                }
            }
        }
        k
    }

    /// A class used as a dependency (or an instance of it): its name and its
    /// project bases' names, the dependencies of `__init__`/`__call__`, and
    /// whether `__call__` enforces authentication.
    fn class(&self, c: archlint_model::ClassRef, depth: u32) -> Kinds {
        let names = self.cx.names(Language::Python);
        let mut k = Kinds::default();
        for cc in crate::python::flask::class_chain(self.s, c) {
            let Some(cls) = self.s.index.project.class(cc) else {
                continue;
            };
            let mut check = |n: &str| {
                k.auth |= names.auth.dependencies.matches(n);
                k.rate |= names.rate_limit.dependencies.matches(n);
            };
            check(&cls.name);
            for b in cls.bases.iter().filter(|b| b.name.is_none()) {
                if let Some(n) = b.value.last_name() {
                    check(n);
                }
            }
            for m in ["__call__", "__init__"] {
                if let Some(f) = self.s.index.method(cc, m) {
                    k = k.or(self.function(f, depth));
                }
            }
        }
        k
    }
}

/// `get_current_user_optional`, `current_user(optional=True)`,
/// `OAuth2PasswordBearer(auto_error=False)`: they let anonymous requests through.
fn is_optional(name: &str, args: &[archlint_model::Arg]) -> bool {
    name.to_ascii_lowercase().contains("optional")
        || args
            .keyword("optional")
            .is_some_and(|v| matches!(v.kind, ExprKind::Bool(true)))
        || args
            .keyword("auto_error")
            .is_some_and(|v| matches!(v.kind, ExprKind::Bool(false)))
}

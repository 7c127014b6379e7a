//! FastAPI and Starlette objects: `FastAPI(...)` and `Starlette(...)`
//! applications, `APIRouter(...)` and Starlette `Router(...)` routers, where
//! they are included (`include_router`, with prefix and dependencies),
//! mounted (`app.mount`, `Mount("/p", app=...)`), and the evidence attached
//! to them: `dependencies=[...]`, middleware that authenticates
//! (`add_middleware`, `middleware=[Middleware(...)]`, `@app.middleware("http")`)
//! and slowapi's application-wide limits.

use super::deps::{DepEv, Deps};
use crate::python::flask::scope::{Place, Scopes, Val};
use crate::python::flask::{Enforce, class_chain};
use crate::routes::{Cx, short};
use archlint_model::{
    Arg, ArgsExt, Evidence, Expr, ExprKind, FuncRef, Language, Scope, Span, StmtKind, Symbol,
};
use std::collections::{BTreeMap, BTreeSet};

pub(crate) type ObjId = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `FastAPI(...)`.
    App,
    /// `APIRouter(...)`.
    Router,
    /// `Starlette(...)`.
    Starlette,
    /// `starlette.routing.Router(...)`.
    StarRouter,
}

impl Kind {
    pub fn is_app(self) -> bool {
        matches!(self, Kind::App | Kind::Starlette)
    }
}

/// An inclusion of an object into a parent.
#[derive(Debug)]
pub(crate) struct Include {
    pub parent: ObjId,
    pub prefix: String,
    /// Whether `prefix` was worked out (not a `{expr}` placeholder).
    pub known: bool,
    /// `include_router(..., dependencies=[...])` (scope Router).
    pub deps: DepEv,
    /// A mounted sub-application: the parent's dependencies do not reach it,
    /// its middleware does.
    pub mount: bool,
}

#[derive(Debug)]
pub(crate) struct Obj {
    pub kind: Kind,
    pub group: String,
    /// `APIRouter(prefix=...)`.
    pub own_prefix: String,
    /// `dependencies=[...]` of the constructor (App or Router scope).
    pub deps: DepEv,
    /// Middleware of an application (App scope): authentication and rate limits.
    pub mw: DepEv,
    pub includes: Vec<Include>,
    /// slowapi `app.state.limiter`, when seen.
    pub state_limiter: Option<(u32, Span)>,
    /// `add_middleware(SlowAPIMiddleware)` seen, with its evidence.
    slowapi_mw: Option<Evidence>,
}

/// A call `recv.method(args)` of interest.
pub(crate) struct Use<'p> {
    pub at: Place,
    pub call: &'p Expr,
    pub recv: &'p Expr,
    pub method: &'p str,
    pub args: &'p [Arg],
}

/// A decorator `@recv.method(args)`.
pub(crate) struct Deco<'p> {
    pub func: FuncRef,
    pub idx: usize,
    pub at: Place,
    pub expr: &'p Expr,
    pub recv: &'p Expr,
    pub method: &'p str,
    pub args: &'p [Arg],
}

pub(crate) struct Model<'p> {
    pub objs: Vec<Obj>,
    by_call: BTreeMap<(u32, Span), ObjId>,
    /// Constructor calls by object, for reading their arguments.
    pub ctor: Vec<(Place, &'p Expr)>,
    /// slowapi limiters: whether built with default limits.
    limiters: BTreeMap<(u32, Span), (Place, &'p Expr, bool)>,
}

pub(crate) const ROUTE_METHODS: &[&str] = &[
    "api_route",
    "delete",
    "get",
    "head",
    "options",
    "patch",
    "post",
    "put",
    "route",
    "trace",
];
const CALL_METHODS: &[&str] = &[
    "add_api_route",
    "add_middleware",
    "add_route",
    "generate_and_include_versioned_routers",
    "include_router",
    "mount",
];

/// FastAPI classes other packages derive, by the path they are imported
/// from: cadwyn's versioned application and router are a `FastAPI` and an
/// `APIRouter` (its `generate_and_include_versioned_routers` includes routers
/// without a prefix).
const DERIVED: &[(&str, &str)] = &[
    ("cadwyn.Cadwyn", "fastapi.FastAPI"),
    ("cadwyn.VersionedAPIRouter", "fastapi.APIRouter"),
    ("cadwyn.applications.Cadwyn", "fastapi.FastAPI"),
    ("cadwyn.routing.VersionedAPIRouter", "fastapi.APIRouter"),
];

/// The FastAPI class an external import path stands for.
fn canonical(path: String) -> String {
    DERIVED
        .iter()
        .find(|(from, _)| *from == path)
        .map(|(_, to)| to.to_string())
        .unwrap_or(path)
}

fn derived_name(name: &str) -> bool {
    DERIVED
        .iter()
        .any(|(from, _)| from.rsplit('.').next() == Some(name))
}

impl<'p> Model<'p> {
    pub fn objs_of(&self, s: &Scopes<'_, 'p>, at: Place, e: &'p Expr) -> Vec<ObjId> {
        let mut out: Vec<ObjId> = s
            .values(at, e)
            .into_iter()
            .filter_map(|v| match v {
                Val::Expr(p, x) => self.by_call.get(&(p.file, x.span)).copied(),
                Val::Sym(_) => None,
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Constructors taken by name (a project subclass is taken by its base).
const KNOWN_CTORS: [&str; 5] = ["FastAPI", "APIRouter", "Starlette", "Router", "Limiter"];

/// Finds every FastAPI, APIRouter, Starlette, Router and slowapi Limiter construction.
pub(crate) fn discover<'p>(s: &Scopes<'_, 'p>) -> Model<'p> {
    let mut bases: BTreeMap<archlint_model::ClassRef, Option<String>> = BTreeMap::new();
    // Only these names can construct an application or router.
    let ctor_names = s.subclass_names(&[
        "APIRouter",
        "Cadwyn",
        "FastAPI",
        "Router",
        "Starlette",
        "VersionedAPIRouter",
    ]);
    let mut m = Model {
        objs: Vec::new(),
        by_call: BTreeMap::new(),
        ctor: Vec::new(),
        limiters: BTreeMap::new(),
    };
    // Only calls of these names or of project subclasses can construct one.
    let names = KNOWN_CTORS
        .into_iter()
        .chain(ctor_names.iter().map(String::as_str));
    s.each_candidate(names, |at, e, assigned| {
        let Some((callee, args)) = e.as_call() else {
            return;
        };
        let Some(last) = callee.last_name() else {
            return;
        };
        let known = KNOWN_CTORS.contains(&last);
        // Project subclasses (`PrefectRouter(APIRouter)`) have their own names.
        if !known && !ctor_names.contains(last) {
            return;
        }
        let resolved = match s.callee(at, callee) {
            Some(Symbol::External(p)) if known => Some(p),
            Some(Symbol::External(p)) if derived_name(last) => {
                let p = canonical(p);
                if !p.starts_with("fastapi.") {
                    return;
                }
                Some(p)
            }
            Some(Symbol::Class(c)) => bases
                .entry(c)
                .or_insert_with(|| framework_base(s, c))
                .clone(),
            None if known => None,
            _ => return,
        };
        if !known && resolved.is_none() {
            return;
        }
        let from = |pkg: &str| resolved.as_deref().is_some_and(|p| p.starts_with(pkg));
        let base_name = if known {
            last
        } else {
            resolved
                .as_deref()
                .and_then(|p| p.rsplit('.').next())
                .unwrap_or("")
        };
        let kind = match base_name {
            "Limiter" => {
                if from("slowapi") {
                    let defaults = ["default_limits", "application_limits"]
                        .iter()
                        .any(|k| args.keyword(k).is_some_and(|v| !is_empty(v)));
                    m.limiters.insert((at.file, e.span), (at, e, defaults));
                }
                return;
            }
            _ if resolved.is_some() && !from("fastapi") && !from("starlette") => return,
            "FastAPI" => Kind::App,
            "APIRouter" => Kind::Router,
            "Starlette" => Kind::Starlette,
            // `Router` is too common a name to take unresolved.
            "Router" if from("starlette") => Kind::StarRouter,
            _ => return,
        };
        let var = || {
            assigned
                .iter()
                .find(|(v, _)| std::ptr::eq(*v, e))
                .map(|(_, n)| *n)
        };
        let own_prefix = match kind {
            Kind::Router => args
                .keyword("prefix")
                .map(|p| prefix_string(s, at, p))
                .unwrap_or_default(),
            _ => String::new(),
        };
        let id = m.objs.len();
        m.by_call.insert((at.file, e.span), id);
        m.ctor.push((at, e));
        m.objs.push(Obj {
            kind,
            group: group_name(s, at, kind, var(), e.span),
            own_prefix,
            deps: DepEv::default(),
            mw: DepEv::default(),
            includes: Vec::new(),
            state_limiter: None,
            slowapi_mw: None,
        });
    });
    m
}

/// The external FastAPI/Starlette class a project class derives from.
fn framework_base(s: &Scopes, c: archlint_model::ClassRef) -> Option<String> {
    for cc in class_chain(s, c) {
        let cls = s.index.project.class(cc)?;
        let place = s.class_place(cc.file, cc.class);
        for b in cls.bases.iter().filter(|b| b.name.is_none()) {
            if let Some(Symbol::External(p)) = s.callee(place, &b.value) {
                let p = canonical(p);
                if p.starts_with("fastapi") || p.starts_with("starlette") {
                    return Some(p);
                }
            }
        }
    }
    None
}

fn is_empty(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::List(xs) | ExprKind::Tuple(xs) if xs.is_empty())
        || matches!(e.kind, ExprKind::NoneLit)
}

/// A path or prefix string, or a `{expr}` placeholder.
pub(crate) fn prefix_string<'p>(s: &Scopes<'_, 'p>, at: Place, e: &'p Expr) -> String {
    s.string(at, e)
        .unwrap_or_else(|| format!("{{{}}}", short(e)))
}

fn group_name(s: &Scopes, at: Place, kind: Kind, var: Option<&str>, span: Span) -> String {
    let path = s
        .index
        .project
        .file(at.file)
        .map(|f| f.path.as_str())
        .unwrap_or("");
    let (fw, kind) = match kind {
        Kind::App => ("fastapi", "app"),
        Kind::Router => ("fastapi", "router"),
        Kind::Starlette => ("starlette", "app"),
        Kind::StarRouter => ("starlette", "router"),
    };
    let func = at
        .func
        .and_then(|f| s.func(at.file, f))
        .map(|f| format!("{}.", f.name))
        .unwrap_or_default();
    match var {
        Some(v) => format!("{fw}:{kind}:{path}:{func}{v}"),
        None => format!("{fw}:{kind}:{path}:{func}<line {}>", span.start.line),
    }
}

/// `app.state.limiter = limiter`: where, the application, the limiter.
pub(crate) type StateLimiter<'p> = (Place, &'p Expr, &'p Expr);

/// Calls, decorators and `x.state.limiter = ...` assignments of interest.
pub(crate) fn collect_uses<'p>(
    s: &Scopes<'_, 'p>,
) -> (Vec<Use<'p>>, Vec<Deco<'p>>, Vec<StateLimiter<'p>>) {
    let mut uses = Vec::new();
    let mut states = Vec::new();
    for at in s.places() {
        for stmt in s.body(at) {
            if let StmtKind::Assign { targets, value, .. } = &stmt.kind {
                for t in targets {
                    if let ExprKind::Attr(base, a) = &t.kind
                        && a == "limiter"
                        && let ExprKind::Attr(app, st) = &base.kind
                        && st == "state"
                    {
                        states.push((at, app.as_ref(), value));
                    }
                }
            }
        }
    }
    s.each_candidate(CALL_METHODS.iter().copied(), |at, e, _| {
        let Some((callee, args)) = e.as_call() else {
            return;
        };
        if let ExprKind::Attr(recv, m) = &callee.kind
            && CALL_METHODS.contains(&m.as_str())
        {
            uses.push(Use {
                at,
                call: e,
                recv,
                method: m,
                args,
            });
        }
    });
    let mut decos = Vec::new();
    for (fi, f) in s.index.project.files.iter().enumerate() {
        for (i, func) in f.facts.functions.iter().enumerate() {
            let fref = FuncRef {
                file: fi as u32,
                func: i as u32,
            };
            for (idx, d) in func.decorators.iter().enumerate() {
                let Some((callee, args)) = d.as_call() else {
                    continue;
                };
                if let ExprKind::Attr(recv, m) = &callee.kind
                    && (ROUTE_METHODS.contains(&m.as_str()) || m == "middleware")
                {
                    decos.push(Deco {
                        func: fref,
                        idx,
                        at: s.def_place(fref),
                        expr: d,
                        recv,
                        method: m,
                        args,
                    });
                }
            }
        }
    }
    (uses, decos, states)
}

/// Makes the parameters used as receivers or arguments resolvable.
pub(crate) fn bind_params<'p>(s: &Scopes<'_, 'p>, uses: &[Use<'p>], decos: &[Deco<'p>]) {
    let mut names = BTreeSet::new();
    for u in uses {
        names.extend(s.param_owner(u.at, u.recv));
        for a in u.args {
            names.extend(s.param_owner(u.at, &a.value));
        }
    }
    for d in decos {
        names.extend(s.param_owner(d.at, d.recv));
    }
    if !names.is_empty() {
        s.index_callers(names);
    }
}

/// Constructor arguments, inclusions, mounts, middleware and limiters.
#[allow(clippy::too_many_arguments)]
pub(crate) fn apply<'p>(
    cx: &Cx,
    s: &Scopes<'_, 'p>,
    en: &Enforce<'_, '_, 'p>,
    deps: &Deps<'_, '_, 'p>,
    m: &mut Model<'p>,
    uses: &[Use<'p>],
    decos: &[Deco<'p>],
    states: &[StateLimiter<'p>],
) {
    for o in 0..m.objs.len() {
        let (at, call) = m.ctor[o];
        let Some((_, args)) = call.as_call() else {
            continue;
        };
        let scope = if m.objs[o].kind.is_app() {
            Scope::App
        } else {
            Scope::Router
        };
        if let Some(list) = args.keyword("dependencies") {
            m.objs[o].deps = deps.list(at, list, scope);
        }
        if let Some(list) = args.keyword("middleware") {
            for (p, item) in s.elements(at, list) {
                // `Middleware(Cls, **options)`.
                let Some((_, margs)) = item.as_call() else {
                    continue;
                };
                let Some(cls) = margs.positional(0).or_else(|| margs.keyword("cls")) else {
                    continue;
                };
                let ev = middleware_ev(cx, s, en, p, cls, item);
                add_mw(&mut m.objs[o], ev);
            }
        }
    }
    for u in uses {
        match u.method {
            "include_router" | "mount" => {
                let parents = m.objs_of(s, u.at, u.recv);
                if parents.is_empty() {
                    continue;
                }
                let mount = u.method == "mount";
                let (child, prefix) = if mount {
                    (
                        u.args.positional(1).or_else(|| u.args.keyword("app")),
                        u.args.positional(0).or_else(|| u.args.keyword("path")),
                    )
                } else {
                    (
                        u.args.positional(0).or_else(|| u.args.keyword("router")),
                        u.args.keyword("prefix"),
                    )
                };
                let Some(child) = child else { continue };
                let known = prefix.is_none_or(|p| s.string(u.at, p).is_some());
                let prefix = prefix
                    .map(|p| prefix_string(s, u.at, p))
                    .unwrap_or_default();
                let inc_deps = match u.args.keyword("dependencies") {
                    Some(l) if !mount => deps.list(u.at, l, Scope::Router),
                    _ => DepEv::default(),
                };
                for c in m.objs_of(s, u.at, child) {
                    for &p in &parents {
                        if c != p {
                            m.objs[c].includes.push(Include {
                                parent: p,
                                prefix: prefix.clone(),
                                known,
                                deps: inc_deps.clone(),
                                mount,
                            });
                        }
                    }
                }
            }
            "generate_and_include_versioned_routers" => {
                let parents = m.objs_of(s, u.at, u.recv);
                for a in u.args.iter().filter(|a| a.name.is_none()) {
                    for c in m.objs_of(s, u.at, &a.value) {
                        for &p in parents.iter().filter(|&&p| p != c) {
                            m.objs[c].includes.push(Include {
                                parent: p,
                                prefix: String::new(),
                                known: true,
                                deps: DepEv::default(),
                                mount: false,
                            });
                        }
                    }
                }
            }
            "add_middleware" => {
                let Some(cls) = u
                    .args
                    .positional(0)
                    .or_else(|| u.args.keyword("middleware_class"))
                else {
                    continue;
                };
                let ev = middleware_ev(cx, s, en, u.at, cls, u.call);
                for o in m.objs_of(s, u.at, u.recv) {
                    add_mw(&mut m.objs[o], ev.clone());
                }
            }
            _ => {}
        }
    }
    for d in decos.iter().filter(|d| d.method == "middleware") {
        if !en.enforces_locally(d.func) {
            continue;
        }
        let name = s
            .func(d.func.file, d.func.func)
            .map(|f| f.name.as_str())
            .unwrap_or("");
        let ev = Evidence {
            scope: Scope::App,
            what: format!("@{} {name}", short(d.expr)),
            location: Some(cx.location(d.func.file, d.expr.span)),
        };
        for o in m.objs_of(s, d.at, d.recv) {
            m.objs[o].mw.auth.push(ev.clone());
        }
    }
    for &(at, app, value) in states {
        let limiter = s.values(at, value).into_iter().find_map(|v| match v {
            Val::Expr(p, x) => m.limiters.get_key_value(&(p.file, x.span)).map(|(k, _)| *k),
            Val::Sym(_) => None,
        });
        if let Some(l) = limiter {
            for o in m.objs_of(s, at, app) {
                m.objs[o].state_limiter = Some(l);
            }
        }
    }
    // slowapi: the middleware applies the limiter's default limits.
    for o in 0..m.objs.len() {
        let Some(ev) = m.objs[o].slowapi_mw.take() else {
            continue;
        };
        match m.objs[o].state_limiter.and_then(|k| m.limiters.get(&k)) {
            Some(&(at, call, true)) => m.objs[o].mw.rate.push(Evidence {
                scope: Scope::App,
                what: short(call),
                location: Some(cx.location(at.file, call.span)),
            }),
            Some(_) => {}
            // The limiter is out of sight: trust the middleware.
            None => m.objs[o].mw.rate.push(ev),
        }
    }
}

/// Middleware entry evidence: a name from `[auth].middleware` /
/// `[rate_limit].middleware`, or a project middleware class whose
/// `dispatch`/`__call__` enforces authentication.
fn middleware_ev<'p>(
    cx: &Cx,
    s: &Scopes<'_, 'p>,
    en: &Enforce<'_, '_, 'p>,
    at: Place,
    cls: &'p Expr,
    site: &Expr,
) -> MwEv {
    let names = cx.names(Language::Python);
    let ev = Evidence {
        scope: Scope::App,
        what: short(site),
        location: Some(cx.location(at.file, site.span)),
    };
    let name = cls.last_name().unwrap_or("");
    if names.rate_limit.middleware.matches(name) {
        return MwEv::Slowapi(ev);
    }
    if names.auth.middleware.matches(name) {
        return MwEv::Auth(ev);
    }
    for v in s.values(at, cls) {
        if let Val::Sym(Symbol::Class(c)) = v {
            for cc in class_chain(s, c) {
                for meth in ["dispatch", "__call__"] {
                    if let Some(f) = s.index.method(cc, meth)
                        && en.enforces_locally(f)
                    {
                        return MwEv::Auth(ev);
                    }
                }
            }
        }
    }
    MwEv::None
}

#[derive(Clone)]
enum MwEv {
    Auth(Evidence),
    Slowapi(Evidence),
    None,
}

fn add_mw(o: &mut Obj, ev: MwEv) {
    match ev {
        MwEv::Auth(e) => o.mw.auth.push(e),
        MwEv::Slowapi(e) => o.slowapi_mw = Some(e),
        MwEv::None => {}
    }
}

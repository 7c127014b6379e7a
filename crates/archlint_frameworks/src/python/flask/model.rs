//! Flask applications and blueprints as objects: where they are created
//! (module level or inside an application factory), where blueprints are
//! registered (`register_blueprint`, nested blueprints included) and with
//! which `url_prefix`, and the evidence attached to each: `before_request`
//! hooks that enforce authentication, Flask-Limiter limits and exemptions.

use super::enforce::Enforce;
use super::limits::{Limiter, config_limit, is_empty_list};
use super::restful::ClassDeco;
use super::scope::{Place, Scopes, Val};
use crate::routes::{Cx, short};
use archlint_model::{
    Arg, ArgsExt, ClassRef, Evidence, Expr, ExprKind, FuncRef, Scope, Span, StmtKind, Symbol,
};
use std::collections::{BTreeMap, BTreeSet};

/// Index of an [`Obj`] in [`Model::objs`].
pub(crate) type ObjId = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    App,
    Blueprint,
    /// Flask-RESTful / flask-restx `Api(app_or_blueprint, prefix=...)`.
    Api,
    /// flask-restx `Namespace("users", path="/users")` / `api.namespace(...)`.
    Namespace,
}

/// A Flask application, blueprint, or Flask-RESTful/flask-restx API or namespace.
#[derive(Debug)]
pub(crate) struct Obj {
    pub kind: Kind,
    /// `flask:blueprint:app/api.py:api_bp`.
    pub group: String,
    /// The blueprint's own `url_prefix`.
    pub own_prefix: Option<String>,
    /// Authentication by hooks of this object: `before_request` (scope App
    /// for an application, Router for a blueprint).
    pub auth: Vec<Evidence>,
    /// `before_app_request` hooks of a blueprint: they cover the whole application.
    pub app_auth: Vec<Evidence>,
    /// Flask-Limiter limits covering this object's routes.
    pub limits: Vec<Evidence>,
    /// `limiter.exempt(bp)`: application-wide limits do not apply.
    pub exempt: bool,
    /// Registrations: parent object (`None` when it cannot be resolved, e.g.
    /// an `app` parameter of a plugin hook) and the register-time `url_prefix`.
    pub regs: Vec<(Option<ObjId>, Option<String>)>,
    /// Flask-Limiter instances attached to this application.
    pub(crate) limiters: Vec<(u32, Span)>,
}

/// A call `recv.method(args)` of interest, where it stands.
pub(crate) struct Use<'p> {
    pub at: Place,
    pub call: &'p Expr,
    pub recv: &'p Expr,
    pub method: &'p str,
    pub args: &'p [Arg],
    /// `limiter.limit("...")(bp)`: the outer call's arguments.
    pub applied: Option<&'p [Arg]>,
}

/// A decorator `@recv.method` / `@recv.method(args)` on a function.
pub(crate) struct Deco<'p> {
    pub func: FuncRef,
    pub idx: usize,
    pub at: Place,
    pub expr: &'p Expr,
    pub recv: &'p Expr,
    pub method: &'p str,
    pub args: &'p [Arg],
}

/// Every Flask object of a project and what is attached to them.
pub(crate) struct Model<'p> {
    pub objs: Vec<Obj>,
    /// The constructor call of each object, where it stands.
    pub(crate) ctors: Vec<(Place, &'p Expr)>,
    /// `api.namespace(...)` namespaces and the receiver naming their API.
    pub(crate) ns_calls: Vec<(ObjId, Place, &'p Expr)>,
    by_call: BTreeMap<(u32, Span), ObjId>,
    pub(crate) limiters: BTreeMap<(u32, Span), Limiter<'p>>,
    /// `RATELIMIT_DEFAULT` / `RATELIMIT_APPLICATION` configuration, if any.
    pub(crate) config_limit: Option<Evidence>,
}

const CALL_METHODS: &[&str] = &[
    "add_api",
    "add_namespace",
    "add_resource",
    "add_url_rule",
    "add_view",
    "add_view_no_menu",
    "before_app_request",
    "before_request",
    "exempt",
    "init_app",
    "register_blueprint",
];
pub(crate) const ROUTE_METHODS: &[&str] = &["delete", "get", "patch", "post", "put", "route"];
const HOOK_METHODS: &[&str] = &["before_app_request", "before_request"];

impl<'p> Model<'p> {
    /// The objects `e` (at `at`) may denote.
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

    fn limiters_of(&self, s: &Scopes<'_, 'p>, at: Place, e: &'p Expr) -> Vec<(u32, Span)> {
        s.values(at, e)
            .into_iter()
            .filter_map(|v| match v {
                Val::Expr(p, x) => self
                    .limiters
                    .get_key_value(&(p.file, x.span))
                    .map(|(k, _)| *k),
                Val::Sym(_) => None,
            })
            .collect()
    }

    pub fn apps(&self) -> Vec<ObjId> {
        (0..self.objs.len())
            .filter(|&i| self.objs[i].kind == Kind::App)
            .collect()
    }
}

/// Finds every `Flask(...)`, `Blueprint(...)` and `Limiter(...)` construction.
pub(crate) fn discover<'p>(cx: &Cx, s: &Scopes<'_, 'p>) -> Model<'p> {
    let mut bases: BTreeMap<ClassRef, Option<String>> = BTreeMap::new();
    // Only these names can construct an application or blueprint.
    let ctor_names = s.subclass_names(&[
        "APIBlueprint",
        "APIFlask",
        "Api",
        "Blueprint",
        "Flask",
        "Namespace",
    ]);
    let mut m = Model {
        objs: Vec::new(),
        ctors: Vec::new(),
        ns_calls: Vec::new(),
        by_call: BTreeMap::new(),
        limiters: BTreeMap::new(),
        config_limit: None,
    };
    // Application-wide limits set in configuration (`RATELIMIT_DEFAULT = ...`).
    for at in s.places() {
        for stmt in s.body(at) {
            if let StmtKind::Assign { targets, value, .. } = &stmt.kind {
                config_limit(cx, at.file, targets, value, &mut m.config_limit);
            }
        }
    }
    // Only calls named like a constructor, `Limiter` or `namespace` can be one.
    let names = ctor_names
        .iter()
        .map(String::as_str)
        .chain(["Limiter", "namespace"]);
    s.each_candidate(names, |at, e, assigned| {
        let Some((callee, args)) = e.as_call() else {
            return;
        };
        let Some(last) = callee.last_name() else {
            return;
        };
        let var = || {
            assigned
                .iter()
                .find(|(v, _)| std::ptr::eq(*v, e))
                .map(|(_, n)| *n)
        };
        // `api.namespace("users", path=...)` builds a namespace of that API.
        let ns_of = match &callee.kind {
            ExprKind::Attr(recv, m) if m == "namespace" => Some(recv.as_ref()),
            _ => None,
        };
        match last {
            _ if (ctor_names.contains(last) && last != "Limiter") || ns_of.is_some() => {
                let kind = match ns_of {
                    Some(_) => Kind::Namespace,
                    None => match flask_ctor_kind(s, at, callee, last, &mut bases) {
                        Some(k) => k,
                        None => return,
                    },
                };
                let own_prefix = match kind {
                    Kind::Blueprint => args
                        .keyword("url_prefix")
                        .filter(|p| !is_none(p))
                        .map(|p| prefix_string(s, at, p)),
                    Kind::Api => args
                        .keyword("prefix")
                        .filter(|p| !is_none(p))
                        .map(|p| prefix_string(s, at, p)),
                    // restx: `path`, else "/" + the namespace's name.
                    Kind::Namespace => args
                        .keyword("path")
                        .map(|p| prefix_string(s, at, p))
                        .or_else(|| {
                            let name = args.positional(0).or_else(|| args.keyword("name"))?;
                            Some(format!("/{}", s.string(at, name)?))
                        }),
                    Kind::App => None,
                };
                if let Some(recv) = ns_of {
                    m.ns_calls.push((m.objs.len(), at, recv));
                }
                m.ctors.push((at, e));
                let group = group_name(s, at, kind, var(), e.span);
                m.by_call.insert((at.file, e.span), m.objs.len());
                m.objs.push(Obj {
                    kind,
                    group,
                    own_prefix,
                    auth: Vec::new(),
                    app_auth: Vec::new(),
                    limits: Vec::new(),
                    exempt: false,
                    regs: Vec::new(),
                    limiters: Vec::new(),
                });
            }
            "Limiter" => {
                let defaults = ["default_limits", "application_limits"]
                    .iter()
                    .any(|k| args.keyword(k).is_some_and(|v| !is_empty_list(v)));
                let path = match s.callee(at, callee) {
                    Some(Symbol::External(p)) => p,
                    _ => String::new(),
                };
                m.limiters.insert(
                    (at.file, e.span),
                    Limiter {
                        call: e,
                        at,
                        defaults,
                        flask: !path.starts_with("slowapi"),
                    },
                );
            }
            _ => {}
        }
    });
    // Config classes (`class Config: RATELIMIT_DEFAULT = "100/hour"`).
    for (fi, f) in s.index.project.files.iter().enumerate() {
        for c in &f.facts.classes {
            for stmt in &c.body {
                if let StmtKind::Assign { targets, value, .. } = &stmt.kind {
                    config_limit(cx, fi as u32, targets, value, &mut m.config_limit);
                }
            }
        }
    }
    m
}

/// Whether a constructor call is Flask's (or APIFlask's): imported from
/// `flask`/`apiflask`, unresolved (star import), or a project subclass.
fn kind_named(name: &str) -> Option<Kind> {
    match name {
        "Flask" | "APIFlask" => Some(Kind::App),
        "Blueprint" | "APIBlueprint" => Some(Kind::Blueprint),
        "Api" => Some(Kind::Api),
        "Namespace" => Some(Kind::Namespace),
        _ => None,
    }
}

/// Flask and its REST extensions (where `Api` and `Namespace` come from).
fn from_flask(p: &str) -> bool {
    [
        "flask.",
        "apiflask.",
        "flask_restful.",
        "flask_restx.",
        "flask_restplus.",
    ]
    .iter()
    .any(|pkg| p.starts_with(pkg))
}

/// What a constructor call builds, if it is Flask's (or APIFlask's):
/// `Flask`/`Blueprint` imported from `flask`/`apiflask` or unresolved (star
/// import), or a project subclass of them under any name.
fn flask_ctor_kind(
    s: &Scopes,
    at: Place,
    callee: &Expr,
    last: &str,
    bases: &mut BTreeMap<ClassRef, Option<String>>,
) -> Option<Kind> {
    match s.callee(at, callee) {
        // Unresolved (a star import): only the unmistakable names.
        None => kind_named(last).filter(|k| matches!(k, Kind::App | Kind::Blueprint)),
        Some(Symbol::External(p)) if from_flask(&p) => kind_named(p.rsplit('.').next()?),
        Some(Symbol::Class(c)) => {
            let base = bases.entry(c).or_insert_with(|| {
                let mut todo = vec![(c, 0)];
                while let Some((c, d)) = todo.pop() {
                    let Some(cls) = s.index.project.class(c) else {
                        continue;
                    };
                    let place = s.class_place(c.file, c.class);
                    for b in cls.bases.iter().filter(|b| b.name.is_none()) {
                        match s.callee(place, &b.value) {
                            Some(Symbol::External(p)) if from_flask(&p) => return Some(p),
                            Some(Symbol::Class(bc)) if d < 8 => todo.push((bc, d + 1)),
                            _ => {}
                        }
                    }
                }
                None
            });
            kind_named(base.as_deref()?.rsplit('.').next()?)
        }
        _ => None,
    }
}

/// A prefix's string, or a `<expr>` placeholder when it cannot be worked out.
pub(crate) fn prefix_string<'p>(s: &Scopes<'_, 'p>, at: Place, e: &'p Expr) -> String {
    s.string(at, e).unwrap_or_else(|| format!("<{}>", short(e)))
}

fn group_name(s: &Scopes, at: Place, kind: Kind, var: Option<&str>, span: Span) -> String {
    let path = s
        .index
        .project
        .file(at.file)
        .map(|f| f.path.as_str())
        .unwrap_or("");
    let kind = match kind {
        Kind::App => "app",
        Kind::Blueprint => "blueprint",
        Kind::Api => "api",
        Kind::Namespace => "namespace",
    };
    let func = at
        .func
        .and_then(|f| s.func(at.file, f))
        .map(|f| format!("{}.", f.name))
        .unwrap_or_default();
    match var {
        Some(v) => format!("flask:{kind}:{path}:{func}{v}"),
        None => format!("flask:{kind}:{path}:{func}<line {}>", span.start.line),
    }
}

/// Calls and decorators that may involve Flask objects.
pub(crate) type Uses<'p> = (Vec<Use<'p>>, Vec<Deco<'p>>, Vec<ClassDeco<'p>>);

pub(crate) fn collect_uses<'p>(s: &Scopes<'_, 'p>) -> Uses<'p> {
    let mut uses = Vec::new();
    // Registration methods by name; `limiter.limit(...)(bp)` has a call as callee.
    s.each_candidate(CALL_METHODS.iter().copied(), |at, e, _| {
        let Some((callee, args)) = e.as_call() else {
            return;
        };
        match &callee.kind {
            ExprKind::Attr(recv, m) if CALL_METHODS.contains(&m.as_str()) => {
                uses.push(Use {
                    at,
                    call: e,
                    recv,
                    method: m,
                    args,
                    applied: None,
                });
            }
            // `limiter.limit("100/hour")(bp)`
            ExprKind::Call {
                func: inner,
                args: inner_args,
            } => {
                if let ExprKind::Attr(recv, m) = &inner.kind
                    && (m == "limit" || m == "shared_limit")
                {
                    uses.push(Use {
                        at,
                        call: e,
                        recv,
                        method: m,
                        args: inner_args,
                        applied: Some(args),
                    });
                }
            }
            _ => {}
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
                let (callee, args): (&Expr, &[Arg]) = match d.as_call() {
                    Some((c, a)) => (c, a),
                    None => (d, &[]),
                };
                if let ExprKind::Attr(recv, m) = &callee.kind
                    && (ROUTE_METHODS.contains(&m.as_str()) || HOOK_METHODS.contains(&m.as_str()))
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
    (uses, decos, super::restful::class_routes(s))
}

/// Makes the parameters used as receivers or arguments resolvable.
pub(crate) fn bind_params<'p>(s: &Scopes<'_, 'p>, uses: &[Use<'p>], decos: &[Deco<'p>]) {
    let mut names = BTreeSet::new();
    for u in uses {
        names.extend(s.param_owner(u.at, u.recv));
        for a in u.args.iter().chain(u.applied.unwrap_or(&[])) {
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

/// Registrations, hooks, limiters and exemptions.
pub(crate) fn apply_uses<'p>(
    cx: &Cx,
    s: &Scopes<'_, 'p>,
    en: &Enforce<'_, '_, 'p>,
    m: &mut Model<'p>,
    uses: &[Use<'p>],
    decos: &[Deco<'p>],
) {
    for u in uses {
        match (u.method, u.applied) {
            ("register_blueprint", None) => {
                let parents = m.objs_of(s, u.at, u.recv);
                let Some(child) = u.args.positional(0).or_else(|| u.args.keyword("blueprint"))
                else {
                    continue;
                };
                let children = m.objs_of(s, u.at, child);
                let prefix = u
                    .args
                    .keyword("url_prefix")
                    .filter(|p| !is_none(p))
                    .map(|p| prefix_string(s, u.at, p));
                for &c in &children {
                    if m.objs[c].kind != Kind::Blueprint {
                        continue;
                    }
                    if parents.is_empty() {
                        m.objs[c].regs.push((None, prefix.clone()));
                    }
                    for &p in &parents {
                        if c != p {
                            m.objs[c].regs.push((Some(p), prefix.clone()));
                        }
                    }
                }
            }
            ("before_request" | "before_app_request", None) => {
                let Some(arg) = u.args.positional(0) else {
                    continue;
                };
                let enforcing = s.values(u.at, arg).into_iter().any(|v| match v {
                    Val::Sym(Symbol::Func(f)) => en.enforces(f),
                    _ => false,
                });
                if enforcing {
                    let ev = |scope| Evidence {
                        scope,
                        what: short(u.call),
                        location: Some(cx.location(u.at.file, u.call.span)),
                    };
                    for o in m.objs_of(s, u.at, u.recv) {
                        add_hook(m, o, u.method == "before_app_request", &ev);
                    }
                }
            }
            ("exempt", None) => {
                if let Some(arg) = u.args.positional(0) {
                    for o in m.objs_of(s, u.at, arg) {
                        m.objs[o].exempt = true;
                    }
                }
            }
            ("init_app", None) => {
                let Some(app) = u.args.positional(0).or_else(|| u.args.keyword("app")) else {
                    continue;
                };
                // `api.init_app(app)`: a Flask-RESTful/restx API attached to an app or blueprint.
                let apis: Vec<ObjId> = m
                    .objs_of(s, u.at, u.recv)
                    .into_iter()
                    .filter(|&o| m.objs[o].kind == Kind::Api)
                    .collect();
                let targets = m.objs_of(s, u.at, app);
                for &api in &apis {
                    for &t in &targets {
                        if matches!(m.objs[t].kind, Kind::App | Kind::Blueprint) {
                            m.objs[api].regs.push((Some(t), None));
                        }
                    }
                }
                let limiters = m.limiters_of(s, u.at, u.recv);
                for o in targets {
                    m.objs[o].limiters.extend(limiters.iter().copied());
                }
            }
            ("add_namespace", None) => {
                let Some(ns) = u.args.positional(0).or_else(|| u.args.keyword("ns")) else {
                    continue;
                };
                let prefix = u.args.keyword("path").map(|p| prefix_string(s, u.at, p));
                let apis = m.objs_of(s, u.at, u.recv);
                for n in m.objs_of(s, u.at, ns) {
                    for &api in &apis {
                        if m.objs[n].kind == Kind::Namespace && m.objs[api].kind == Kind::Api {
                            m.objs[n].regs.push((Some(api), prefix.clone()));
                        }
                    }
                }
            }
            ("limit" | "shared_limit", Some(outer)) => {
                let Some(arg) = outer.positional(0) else {
                    continue;
                };
                for o in m.objs_of(s, u.at, arg) {
                    m.objs[o].limits.push(Evidence {
                        scope: Scope::Router,
                        what: short(u.call),
                        location: Some(cx.location(u.at.file, u.call.span)),
                    });
                }
            }
            _ => {}
        }
    }
    super::restful::rest_objects(cx, s, en, m);
    for d in decos.iter().filter(|d| HOOK_METHODS.contains(&d.method)) {
        if !en.enforces(d.func) {
            continue;
        }
        let name = s
            .func(d.func.file, d.func.func)
            .map(|f| f.name.as_str())
            .unwrap_or("");
        let ev = |scope| Evidence {
            scope,
            what: format!("@{} {name}", short(d.expr)),
            location: Some(cx.location(d.func.file, d.expr.span)),
        };
        for o in m.objs_of(s, d.at, d.recv) {
            add_hook(m, o, d.method == "before_app_request", &ev);
        }
    }
    super::limits::attach_limiters(cx, s, m);
}

fn add_hook(m: &mut Model, o: ObjId, app_wide: bool, ev: &dyn Fn(Scope) -> Evidence) {
    let obj = &mut m.objs[o];
    match (obj.kind, app_wide) {
        (Kind::App, _) => obj.auth.push(ev(Scope::App)),
        (Kind::Blueprint, true) => obj.app_auth.push(ev(Scope::App)),
        (Kind::Blueprint, false) => obj.auth.push(ev(Scope::Router)),
        (Kind::Api | Kind::Namespace, _) => {}
    }
}

/// `url_prefix=None` says "no prefix given".
fn is_none(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::NoneLit)
}

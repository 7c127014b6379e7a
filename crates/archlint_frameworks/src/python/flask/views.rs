//! Flask views: functions registered by route decorators (`@bp.route`,
//! `@app.get`, stacked) or `add_url_rule`, and class-based views
//! (`MethodView`, `View`) registered with `Cls.as_view(...)`, with the
//! evidence found on the view itself: decorators, a class's `decorators`
//! list, wrappers applied in the registration (`view_func=login_required(f)`).
//! The class-view helpers are shared with Starlette's `HTTPEndpoint`.

use super::enforce::Enforce;
use super::model::{ClassDeco, Deco, Kind, Model, ObjId, ROUTE_METHODS, Use};
use super::scope::{Place, Scopes, Val, last_assign};
use crate::knowledge::LanguageNames;
use crate::routes::{Cx, short};
use archlint_model::{
    ArgsExt, ClassRef, Evidence, Expr, ExprKind, FuncRef, Handler, Language, Location, MethodSet,
    Scope, Symbol,
};

/// Evidence found on a view (decorators, class attributes, wrappers).
#[derive(Clone, Debug, Default)]
pub(crate) struct Ev {
    pub auth: Vec<Evidence>,
    pub public: Vec<Evidence>,
    pub rate: Vec<Evidence>,
    /// `@limiter.exempt`: application and blueprint limits do not apply.
    pub exempt: bool,
}

impl Ev {
    pub fn extend(&mut self, o: Ev) {
        self.auth.extend(o.auth);
        self.public.extend(o.public);
        self.rate.extend(o.rate);
        self.exempt |= o.exempt;
    }

    fn key(&self) -> (Vec<String>, Vec<String>, Vec<String>, bool) {
        let w = |v: &[Evidence]| {
            let mut x: Vec<String> = v.iter().map(|e| e.what.clone()).collect();
            x.sort();
            x
        };
        (w(&self.auth), w(&self.public), w(&self.rate), self.exempt)
    }
}

/// A route before prefixes and object-level evidence are applied.
pub(crate) struct RawRoute {
    pub obj: ObjId,
    pub path: String,
    pub methods: MethodSet,
    pub handler: Handler,
    pub registration: Option<Location>,
    pub ev: Ev,
}

/// Evidence from one decorator or wrapper expression `d` (standing at `at`
/// in `file`), by name or, for a project decorator, by what it does.
/// `auth_applies` is false for decorators Flask does not apply to the
/// registered view (above the route decorator).
#[allow(clippy::too_many_arguments)]
pub(crate) fn decorator_ev<'p>(
    cx: &Cx,
    s: &Scopes<'_, 'p>,
    en: &Enforce,
    at: Place,
    d: &'p Expr,
    scope: Scope,
    prefix: &str,
    auth_applies: bool,
) -> Ev {
    let names: &LanguageNames = cx.names(Language::Python);
    let mut ev = Ev::default();
    let Some(last) = d.last_name() else { return ev };
    let mk = || Evidence {
        scope,
        what: format!("{prefix}{}", short(d)),
        location: Some(cx.location(at.file, d.span)),
    };
    if names.public.decorators.matches(last) {
        ev.public.push(mk());
    }
    if names.rate_limit.decorators.matches(last) {
        ev.rate.push(mk());
    }
    if last == "exempt" && receiver_mentions_limiter(d) {
        ev.exempt = true;
    }
    if !auth_applies {
        return ev;
    }
    if names.auth.decorators.matches(last) || is_requires_decorator(s, at, d) {
        ev.auth.push(mk());
        return ev;
    }
    if ev.public.is_empty() && ev.rate.is_empty() {
        let callee = d.as_call().map(|(c, _)| c).unwrap_or(d);
        if let Some(Symbol::Func(f)) = s.callee(at, callee)
            && en.enforces(f)
        {
            ev.auth.push(mk());
        }
    }
    ev
}

/// `requires(...)` is too common a name to match by itself: it counts when
/// it is Starlette's (`@requires("authenticated")` from
/// `starlette.authentication`) or Flask-Allows' (`@requires(IsAdmin)`,
/// `allows.requires(...)` on an `Allows(...)` instance).
pub(crate) fn is_requires_decorator<'p>(s: &Scopes<'_, 'p>, at: Place, d: &'p Expr) -> bool {
    let callee = d.as_call().map(|(c, _)| c).unwrap_or(d);
    if callee.last_name() != Some("requires") {
        return false;
    }
    let auth_pkg =
        |p: &str| p.starts_with("starlette.authentication") || p.starts_with("flask_allows");
    if let Some(Symbol::External(p)) = s.callee(at, callee) {
        return auth_pkg(&p);
    }
    let ExprKind::Attr(recv, _) = &callee.kind else {
        return false;
    };
    s.values(at, recv).into_iter().any(|v| match v {
        Val::Expr(p, x) => x.as_call().is_some_and(
            |(ctor, _)| matches!(s.callee(p, ctor), Some(Symbol::External(e)) if auth_pkg(&e)),
        ),
        Val::Sym(Symbol::External(e)) => auth_pkg(&e),
        _ => false,
    })
}

fn receiver_mentions_limiter(d: &Expr) -> bool {
    let callee = d.as_call().map(|(c, _)| c).unwrap_or(d);
    match &callee.kind {
        ExprKind::Attr(recv, _) => recv
            .last_name()
            .is_some_and(|n| n.to_ascii_lowercase().contains("limit")),
        _ => false,
    }
}

/// Evidence from a function's decorators. Decorators at `skip` (route
/// decorators) are not evidence; with `route_idx`, auth decorators above it
/// are ignored: Flask registers the function as it is at that point.
pub(crate) fn func_ev(
    cx: &Cx,
    s: &Scopes,
    en: &Enforce,
    f: FuncRef,
    skip: &[usize],
    route_idx: Option<usize>,
) -> Ev {
    let mut ev = Ev::default();
    let Some(func) = s.func(f.file, f.func) else {
        return ev;
    };
    let at = s.def_place(f);
    for (i, d) in func.decorators.iter().enumerate() {
        if skip.contains(&i) {
            continue;
        }
        let auth_applies = route_idx.is_none_or(|r| i > r);
        ev.extend(decorator_ev(
            cx,
            s,
            en,
            at,
            d,
            Scope::Route,
            "@",
            auth_applies,
        ));
    }
    // A handler that checks credentials itself and rejects the request.
    if ev.auth.is_empty() && ev.public.is_empty() && en.body_enforces(f) {
        ev.auth.push(Evidence {
            scope: Scope::Route,
            what: "credential check in the handler".to_string(),
            location: Some(cx.location(f.file, func.name_span)),
        });
    }
    ev
}

/// Methods of a `methods=[...]` argument; `None` when it cannot be read.
pub(crate) fn methods_of<'p>(s: &Scopes<'_, 'p>, at: Place, e: &'p Expr) -> Option<MethodSet> {
    let mut set = MethodSet::EMPTY;
    let elems = s.elements(at, e);
    if elems.is_empty() {
        return None;
    }
    for (p, x) in elems {
        let name = s.string(p, x)?;
        set = set.union(MethodSet::parse(&name)?);
    }
    Some(set)
}

/// Routes declared by decorators and `add_url_rule` on Flask objects.
pub(crate) fn collect<'p>(
    cx: &Cx,
    s: &Scopes<'_, 'p>,
    en: &Enforce<'_, '_, 'p>,
    m: &Model<'p>,
    uses: &[Use<'p>],
    decos: &[Deco<'p>],
) -> Vec<RawRoute> {
    let mut out = Vec::new();
    // Route decorators, grouped by function so stacked ones know each other.
    let routes: Vec<(&Deco, Vec<ObjId>)> = decos
        .iter()
        .filter(|d| ROUTE_METHODS.contains(&d.method))
        .map(|d| {
            // Function routes belong to applications and blueprints (restx
            // routes are resource classes).
            let objs: Vec<ObjId> = m
                .objs_of(s, d.at, d.recv)
                .into_iter()
                .filter(|&o| matches!(m.objs[o].kind, Kind::App | Kind::Blueprint))
                .collect();
            (d, objs)
        })
        .filter(|(_, objs)| !objs.is_empty())
        .collect();
    for (d, objs) in &routes {
        let skip: Vec<usize> = routes
            .iter()
            .filter(|(o, _)| o.func == d.func)
            .map(|(o, _)| o.idx)
            .collect();
        let Some(rule) = d.args.positional(0).or_else(|| d.args.keyword("rule")) else {
            continue;
        };
        let paths = path_strings(s, d.at, rule, |e| format!("<{}>", short(e)));
        let methods = if d.method == "route" {
            match d.args.keyword("methods") {
                Some(x) => methods_of(s, d.at, x).unwrap_or(MethodSet::ANY),
                None => MethodSet::GET,
            }
        } else {
            MethodSet::parse(d.method).unwrap_or(MethodSet::GET)
        };
        let Some(handler) = cx.handler(d.func) else {
            continue;
        };
        let ev = func_ev(cx, s, en, d.func, &skip, Some(d.idx));
        for (&obj, path) in objs.iter().flat_map(|o| paths.iter().map(move |p| (o, p))) {
            out.push(RawRoute {
                obj,
                path: path.clone(),
                methods,
                handler: handler.clone(),
                registration: None,
                ev: ev.clone(),
            });
        }
    }
    for u in uses
        .iter()
        .filter(|u| u.method == "add_url_rule" && u.applied.is_none())
    {
        // A helper such as `register_view(bp, routes, view_func)` is read once
        // per call, with its parameters bound to that call's arguments.
        s.per_call_site(u.at, || add_url_rule(cx, s, en, m, u, &mut out));
    }
    out
}

/// The routes of one `add_url_rule(rule, endpoint, view_func, methods=...)`.
fn add_url_rule<'p>(
    cx: &Cx,
    s: &Scopes<'_, 'p>,
    en: &Enforce<'_, '_, 'p>,
    m: &Model<'p>,
    u: &Use<'p>,
    out: &mut Vec<RawRoute>,
) {
    let objs = m.objs_of(s, u.at, u.recv);
    if objs.is_empty() {
        return;
    }
    let Some(rule) = u.args.positional(0).or_else(|| u.args.keyword("rule")) else {
        return;
    };
    let Some(view) = u.args.positional(2).or_else(|| u.args.keyword("view_func")) else {
        return;
    };
    let paths = path_strings(s, u.at, rule, |e| format!("<{}>", short(e)));
    // Registered through a helper: the helper's call is where the route is declared.
    let (reg_at, reg_call) = s.bound_site(u.at).unwrap_or((u.at, u.call));
    let registration = Some(cx.location(reg_at.file, reg_call.span));
    let explicit = u
        .args
        .keyword("methods")
        .map(|x| methods_of(s, u.at, x).unwrap_or(MethodSet::ANY));
    for (methods, handler, ev) in views_of(cx, s, en, u.at, view) {
        let methods = explicit.unwrap_or(methods);
        for &obj in &objs {
            for path in &paths {
                out.push(RawRoute {
                    obj,
                    path: path.clone(),
                    methods,
                    handler: handler.clone(),
                    registration: registration.clone(),
                    ev: ev.clone(),
                });
            }
        }
    }
}

/// Flask-RESTful / flask-restx resources: `api.add_resource(Cls, "/a", "/b")`
/// and `@ns.route("/a")` / `@api.resource("/a")` on resource classes.
pub(crate) fn rest_resources<'p>(
    cx: &Cx,
    s: &Scopes<'_, 'p>,
    en: &Enforce<'_, '_, 'p>,
    m: &Model<'p>,
    uses: &[Use<'p>],
    class_decos: &[ClassDeco<'p>],
) -> Vec<RawRoute> {
    let rest_objs = |at: Place, e: &'p Expr| -> Vec<ObjId> {
        m.objs_of(s, at, e)
            .into_iter()
            .filter(|&o| matches!(m.objs[o].kind, Kind::Api | Kind::Namespace))
            .collect()
    };
    let mut out = Vec::new();
    let mut push = |objs: &[ObjId],
                    paths: &[String],
                    views: Vec<(MethodSet, Handler, Ev)>,
                    reg: Option<Location>| {
        for (methods, handler, ev) in views {
            for &obj in objs {
                for path in paths {
                    out.push(RawRoute {
                        obj,
                        path: path.clone(),
                        methods,
                        handler: handler.clone(),
                        registration: reg.clone(),
                        ev: ev.clone(),
                    });
                }
            }
        }
    };
    let urls = |at: Place, args: &'p [archlint_model::Arg], skip: usize| -> Vec<String> {
        args.iter()
            .filter(|a| a.name.is_none())
            .skip(skip)
            .flat_map(|a| path_strings(s, at, &a.value, |e| format!("<{}>", short(e))))
            .collect()
    };
    let class_of = |at: Place, e: &'p Expr| -> Vec<ClassRef> {
        s.values(at, e)
            .into_iter()
            .filter_map(|v| match v {
                Val::Sym(Symbol::Class(c)) => Some(c),
                _ => None,
            })
            .collect()
    };
    for u in uses
        .iter()
        .filter(|u| u.method == "add_resource" && u.applied.is_none())
    {
        let objs = rest_objs(u.at, u.recv);
        let Some(cls) = u.args.positional(0).or_else(|| u.args.keyword("resource")) else {
            continue;
        };
        if objs.is_empty() {
            continue;
        }
        let paths = urls(u.at, u.args, 1);
        let reg = Some(cx.location(u.at.file, u.call.span));
        for c in class_of(u.at, cls) {
            push(
                &objs,
                &paths,
                class_views(cx, s, en, c, ClassFlavor::Flask),
                reg.clone(),
            );
        }
    }
    for d in class_decos {
        let objs = rest_objs(d.at, d.recv);
        if objs.is_empty() {
            continue;
        }
        let paths = urls(d.at, d.args, 0);
        push(
            &objs,
            &paths,
            class_views(cx, s, en, d.class, ClassFlavor::Flask),
            None,
        );
    }
    out
}

/// The string values a path expression may take (a rule bound to a loop
/// variable has several), or a placeholder when none can be worked out.
pub(crate) fn path_strings<'p>(
    s: &Scopes<'_, 'p>,
    at: Place,
    e: &'p Expr,
    placeholder: impl Fn(&Expr) -> String,
) -> Vec<String> {
    let mut out = s.strings(at, e);
    if out.is_empty() {
        out.push(placeholder(e));
    }
    out
}

/// What a `view_func` denotes: functions (methods GET unless the rule says)
/// or a class view's `as_view(...)`, split by per-method evidence; through
/// names, parameters, and wrappers applied at registration
/// (`view_func=login_required(f)`), whose evidence is added.
fn views_of<'p>(
    cx: &Cx,
    s: &Scopes<'_, 'p>,
    en: &Enforce<'_, '_, 'p>,
    at: Place,
    view: &'p Expr,
) -> Vec<(MethodSet, Handler, Ev)> {
    let mut out = Vec::new();
    let mut todo: Vec<(Place, &'p Expr, Ev, u32)> = vec![(at, view, Ev::default(), 0)];
    while let Some((p, v, wrap, depth)) = todo.pop() {
        if depth > 8 || out.len() > 64 {
            continue;
        }
        if let Some((callee, args)) = v.as_call() {
            if let ExprKind::Attr(cls, m) = &callee.kind
                && m == "as_view"
            {
                for c in s.values(p, cls) {
                    if let Val::Sym(Symbol::Class(c)) = c {
                        for (ms, h, mut ev) in class_views(cx, s, en, c, ClassFlavor::Flask) {
                            ev.extend(wrap.clone());
                            out.push((ms, h, ev));
                        }
                    }
                }
            } else if let Some(inner) = args.positional(0) {
                let mut w = wrap.clone();
                w.extend(decorator_ev(cx, s, en, p, callee, Scope::Route, "", true));
                todo.push((p, inner, w, depth + 1));
            }
            continue;
        }
        for val in s.values(p, v) {
            match val {
                Val::Sym(Symbol::Func(f)) => {
                    if let Some(h) = cx.handler(f) {
                        let mut ev = func_ev(cx, s, en, f, &[], None);
                        ev.extend(wrap.clone());
                        out.push((MethodSet::GET, h, ev));
                    }
                }
                Val::Expr(q, x) if x.as_call().is_some() => {
                    todo.push((q, x, wrap.clone(), depth + 1))
                }
                _ => {}
            }
        }
    }
    out
}

/// Which class-view protocol to read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClassFlavor {
    /// Flask `MethodView` / `View`: `methods`, `decorators` class attributes.
    Flask,
    /// Starlette `HTTPEndpoint`: methods are the handlers it defines.
    Starlette,
}

const HTTP_METHODS: [&str; 8] = [
    "get", "post", "put", "patch", "delete", "head", "options", "trace",
];

/// The class and its project base classes, nearest first (bounded).
pub(crate) fn class_chain(s: &Scopes, c: ClassRef) -> Vec<ClassRef> {
    let mut out = Vec::new();
    let mut todo = vec![c];
    while let Some(c) = todo.pop() {
        if out.contains(&c) || out.len() >= 16 {
            continue;
        }
        out.push(c);
        let Some(cls) = s.index.project.class(c) else {
            continue;
        };
        let place = s.class_place(c.file, c.class);
        for b in cls.bases.iter().rev().filter(|b| b.name.is_none()) {
            if let Some(Symbol::Class(bc)) = s.callee(place, &b.value) {
                todo.push(bc);
            }
        }
    }
    out
}

/// Whether the class (or a project base) derives from an external class named `base`.
fn derives_from(s: &Scopes, chain: &[ClassRef], base: &str) -> bool {
    chain.iter().any(|&c| {
        let Some(cls) = s.index.project.class(c) else {
            return false;
        };
        cls.bases
            .iter()
            .any(|b| b.name.is_none() && b.value.last_name() == Some(base))
    })
}

/// A class attribute from the nearest class of the chain defining it.
pub(crate) fn class_attr<'p>(
    s: &Scopes<'_, 'p>,
    chain: &[ClassRef],
    attr: &str,
) -> Option<(Place, &'p Expr)> {
    chain.iter().find_map(|&c| {
        let cls = s.index.project.class(c)?;
        let v = last_assign(&cls.body, attr, None)?;
        Some((s.class_place(c.file, c.class), v))
    })
}

/// Routes of a class-based view: its HTTP methods, grouped so that methods
/// with different method-level evidence become separate routes.
pub(crate) fn class_views<'p>(
    cx: &Cx,
    s: &Scopes<'_, 'p>,
    en: &Enforce<'_, '_, 'p>,
    c: ClassRef,
    flavor: ClassFlavor,
) -> Vec<(MethodSet, Handler, Ev)> {
    let Some(cls) = s.index.project.class(c) else {
        return Vec::new();
    };
    let chain = class_chain(s, c);
    let location = cx.location(c.file, cls.name_span);
    let mut per_method: Vec<(MethodSet, FuncRef)> = Vec::new();
    for m in HTTP_METHODS {
        if let Some(f) = chain.iter().find_map(|&k| s.index.method(k, m)) {
            per_method.push((MethodSet::parse(m).unwrap_or(MethodSet::GET), f));
        }
    }
    let mut class_ev = Ev::default();
    let mut declared: Option<MethodSet> = None;
    let mut method_ev: std::collections::BTreeMap<String, Ev> = std::collections::BTreeMap::new();
    if flavor == ClassFlavor::Flask {
        if let Some((at, list)) = class_attr(s, &chain, "decorators") {
            for (p, d) in s.elements(at, list) {
                class_ev.extend(decorator_ev(
                    cx,
                    s,
                    en,
                    p,
                    d,
                    Scope::Class,
                    "decorators = ",
                    true,
                ));
            }
        }
        // Flask-RESTful / restx `method_decorators`: a list for every method,
        // or a dict by method name.
        if let Some((at, md)) = class_attr(s, &chain, "method_decorators") {
            match &md.kind {
                ExprKind::Dict(kvs) => {
                    for (k, v) in kvs {
                        let Some(method) = k.as_str() else { continue };
                        let ev = method_ev.entry(method.to_ascii_lowercase()).or_default();
                        for (p, d) in s.elements(at, v) {
                            ev.extend(decorator_ev(
                                cx,
                                s,
                                en,
                                p,
                                d,
                                Scope::Class,
                                "method_decorators = ",
                                true,
                            ));
                        }
                    }
                }
                _ => {
                    for (p, d) in s.elements(at, md) {
                        class_ev.extend(decorator_ev(
                            cx,
                            s,
                            en,
                            p,
                            d,
                            Scope::Class,
                            "method_decorators = ",
                            true,
                        ));
                    }
                }
            }
        }
        declared = class_attr(s, &chain, "methods").and_then(|(at, v)| methods_of(s, at, v));
        let is_method_view = derives_from(s, &chain, "MethodView")
            || (!per_method.is_empty() && !derives_from(s, &chain, "View"));
        if !is_method_view {
            // A plain `View`: `dispatch_request` serves every declared method.
            let funcs: Vec<FuncRef> = chain
                .iter()
                .find_map(|&k| s.index.method(k, "dispatch_request"))
                .into_iter()
                .collect();
            let handler = Handler {
                name: cls.name.clone(),
                location,
                funcs,
            };
            return vec![(declared.unwrap_or(MethodSet::GET), handler, class_ev)];
        }
    }
    if let Some(d) = declared {
        per_method.retain(|(m, _)| d.contains(*m));
    }
    // Group methods by their own evidence (usually one group).
    let mut groups: Vec<(MethodSet, Vec<FuncRef>, Ev)> = Vec::new();
    for (m, f) in per_method {
        let mut ev = func_ev(cx, s, en, f, &[], None);
        if let Some(extra) = m
            .names()
            .first()
            .and_then(|n| method_ev.get(&n.to_ascii_lowercase()))
        {
            ev.extend(extra.clone());
        }
        match groups.iter_mut().find(|(_, _, g)| g.key() == ev.key()) {
            Some(g) => {
                g.0 = g.0.union(m);
                g.1.push(f);
            }
            None => groups.push((m, vec![f], ev)),
        }
    }
    if groups.is_empty()
        && let Some(d) = declared
    {
        groups.push((d, Vec::new(), Ev::default()));
    }
    // Methods split by their own evidence are reported at their own `def`
    // (`Users.get`), so each finding points at the method that lacks it.
    let split = groups.len() > 1;
    groups
        .into_iter()
        .map(|(m, funcs, mut ev)| {
            ev.extend(class_ev.clone());
            let first = funcs
                .first()
                .and_then(|&f| s.func(f.file, f.func).map(|x| (f, x)));
            let handler = match first {
                Some((f, func)) if split => Handler {
                    name: format!("{}.{}", cls.name, func.name),
                    location: cx.location(f.file, func.name_span),
                    funcs,
                },
                _ => Handler {
                    name: cls.name.clone(),
                    location: location.clone(),
                    funcs,
                },
            };
            (m, handler, ev)
        })
        .collect()
}

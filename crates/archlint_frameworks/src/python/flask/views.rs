//! Flask views: functions registered by route decorators (`@bp.route`,
//! `@app.get`, stacked) or `add_url_rule`, and class-based views
//! (`MethodView`, `View`) registered with `Cls.as_view(...)`, with the
//! evidence found on the view itself: decorators, a class's `decorators`
//! list, wrappers applied in the registration (`view_func=login_required(f)`).
//! The class-view helpers are shared with Starlette's `HTTPEndpoint`.

use super::classviews::{ClassFlavor, class_views};
use super::enforce::Enforce;
use super::model::{Deco, Kind, Model, ObjId, ROUTE_METHODS, Use};
use super::scope::{Place, Scopes, Val};
use crate::knowledge::LanguageNames;
use crate::routes::{Cx, short};
use archlint_model::{
    ArgsExt, Evidence, Expr, ExprKind, FuncRef, Handler, Language, Location, MethodSet, Scope,
    Symbol,
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

    pub(crate) fn key(&self) -> (Vec<String>, Vec<String>, Vec<String>, bool) {
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
    /// The route's group when it is not its object's (a Flask-AppBuilder
    /// view is a blueprint of its own, mounted on the application).
    pub group: Option<String>,
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
            scope: Scope::Handler,
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
                group: None,
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
                    group: None,
                });
            }
        }
    }
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

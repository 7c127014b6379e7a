//! Flask views: functions registered by route decorators (`@bp.route`,
//! `@app.get`, stacked) or `add_url_rule`, and class-based views
//! (`MethodView`, `View`) registered with `Cls.as_view(...)`, with the
//! evidence found on the view itself: decorators, a class's `decorators`
//! list, wrappers applied in the registration (`view_func=login_required(f)`).
//! The class-view helpers are shared with Starlette's `HTTPEndpoint`.

use super::enforce::Enforce;
use super::model::{Deco, Model, ObjId, ROUTE_METHODS, Use, prefix_string};
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
pub(crate) fn decorator_ev(
    cx: &Cx,
    s: &Scopes,
    en: &Enforce,
    at: Place,
    d: &Expr,
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
    if names.auth.decorators.matches(last) || is_starlette_requires(s, at, d) {
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

/// `@requires("authenticated")` imported from `starlette.authentication`.
pub(crate) fn is_starlette_requires(s: &Scopes, at: Place, d: &Expr) -> bool {
    let callee = d.as_call().map(|(c, _)| c).unwrap_or(d);
    if callee.last_name() != Some("requires") {
        return false;
    }
    matches!(s.callee(at, callee), Some(Symbol::External(p)) if p.starts_with("starlette.authentication"))
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
        .map(|d| (d, m.objs_of(s, d.at, d.recv)))
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
        let path = prefix_string(s, d.at, rule);
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
        for &obj in objs {
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
        let objs = m.objs_of(s, u.at, u.recv);
        if objs.is_empty() {
            continue;
        }
        let Some(rule) = u.args.positional(0).or_else(|| u.args.keyword("rule")) else {
            continue;
        };
        let Some(mut view) = u.args.positional(2).or_else(|| u.args.keyword("view_func")) else {
            continue;
        };
        let path = prefix_string(s, u.at, rule);
        let registration = Some(cx.location(u.at.file, u.call.span));
        let explicit = u
            .args
            .keyword("methods")
            .map(|x| methods_of(s, u.at, x).unwrap_or(MethodSet::ANY));
        // Wrappers applied at registration: `view_func=login_required(f)`.
        let mut wrap_ev = Ev::default();
        for _ in 0..8 {
            let Some((callee, args)) = view.as_call() else {
                break;
            };
            if callee.last_name() == Some("as_view") {
                break;
            }
            let Some(inner) = args.positional(0) else {
                break;
            };
            wrap_ev.extend(decorator_ev(
                cx,
                s,
                en,
                u.at,
                callee,
                Scope::Route,
                "",
                true,
            ));
            view = inner;
        }
        for (methods, handler, mut ev) in views_of(cx, s, en, u.at, view) {
            ev.extend(wrap_ev.clone());
            let methods = explicit.unwrap_or(methods);
            for &obj in &objs {
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
    out
}

/// What a `view_func` denotes: a function (methods GET unless it says) or a
/// class view's `as_view(...)`, split by per-method evidence.
fn views_of<'p>(
    cx: &Cx,
    s: &Scopes<'_, 'p>,
    en: &Enforce<'_, '_, 'p>,
    at: Place,
    view: &'p Expr,
) -> Vec<(MethodSet, Handler, Ev)> {
    if let Some((callee, _)) = view.as_call() {
        if let ExprKind::Attr(cls, m) = &callee.kind
            && m == "as_view"
        {
            let mut out = Vec::new();
            for v in s.values(at, cls) {
                if let Val::Sym(Symbol::Class(c)) = v {
                    out.extend(class_views(cx, s, en, c, ClassFlavor::Flask));
                }
            }
            return out;
        }
        return Vec::new();
    }
    let mut out = Vec::new();
    for v in s.values(at, view) {
        if let Val::Sym(Symbol::Func(f)) = v
            && let Some(h) = cx.handler(f)
        {
            out.push((MethodSet::GET, h, func_ev(cx, s, en, f, &[], None)));
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
        let ev = func_ev(cx, s, en, f, &[], None);
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

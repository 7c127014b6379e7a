//! Django and Django REST framework routes.
//!
//! The URL configuration is walked from the root urls modules
//! ([`urls`]); each view it reaches becomes one or more routes: function
//! views and class-based views ([`views`]), DRF `@api_view` functions and
//! `APIView` classes ([`drf`]) and router-registered viewsets ([`viewsets`]). Evidence of
//! authentication, publicity and rate limiting comes from decorators, mixins,
//! `method_decorator`, wrappers in urls.py, DRF policy attributes
//! ([`policy`]) and settings ([`settings`]).

mod classes;
mod classviews;
mod drf;
mod policy;
mod settings;
#[cfg(test)]
mod testutil;
mod urls;
mod views;
mod viewsets;

use crate::routes::{Cx, short};
use archlint_model::{
    Evidence, Expr, ExprKind, Framework, FuncRef, Handler, Language, Location, MethodSet, Route,
    Scope,
};

/// Adds the Django and DRF routes of the project to `out`.
pub fn routes(cx: &Cx, out: &mut Vec<Route>) {
    let settings = settings::Settings::collect(cx);
    let ucx = urls::Ucx {
        cx,
        settings: &settings,
    };
    let index = urls::UrlIndex::build(&ucx);
    if index.is_empty() {
        return;
    }
    let found = index.walk(&ucx);
    let mut v = views::Views::new(cx, &settings);
    for ep in &found.views {
        v.endpoint(ep, out);
    }
    for m in &found.mounts {
        viewsets::router_routes(&mut v, &index, m, out);
    }
}

/// Evidence gathered for a route or a part of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Ev {
    pub auth: Vec<Evidence>,
    pub public: Vec<Evidence>,
    pub rate: Vec<Evidence>,
}

impl Ev {
    pub fn extend(&mut self, o: Ev) {
        self.auth.extend(o.auth);
        self.public.extend(o.public);
        self.rate.extend(o.rate);
    }

    /// Whether an explicit `login_not_required` marker is among the public evidence
    /// (it exempts the view from `LoginRequiredMiddleware`).
    pub fn login_not_required(&self) -> bool {
        self.public
            .iter()
            .any(|e| e.what.contains("login_not_required"))
    }
}

/// Evidence from one decorator-like expression, by its last name: a decorator,
/// a `method_decorator` argument, a wrapper call in urls.py.
pub(crate) fn classify(
    cx: &Cx,
    file: u32,
    e: &Expr,
    what: impl Fn() -> String,
    scope: Scope,
    location: &Expr,
    ev: &mut Ev,
) {
    let names = cx.names(Language::Python);
    let Some(name) = e.last_name() else { return };
    let make = || Evidence {
        scope,
        what: what(),
        location: Some(cx.location(file, location.span)),
    };
    if names.auth.decorators.matches(name) {
        ev.auth.push(make());
    }
    if names.public.decorators.matches(name) {
        ev.public.push(make());
    }
    if names.rate_limit.decorators.matches(name) {
        ev.rate.push(make());
    }
}

/// `method_decorator(d, name="post")` / `method_decorator([d1, d2])`: the
/// decorators it applies and the method it names.
pub(crate) fn method_decorator(d: &Expr) -> Option<(Vec<&Expr>, Option<&str>)> {
    let (func, args) = d.as_call()?;
    if func.last_name() != Some("method_decorator") {
        return None;
    }
    use archlint_model::ArgsExt;
    let inner = args.positional(0).or_else(|| args.keyword("decorator"))?;
    let decs = match &inner.kind {
        ExprKind::List(xs) | ExprKind::Tuple(xs) => xs.iter().collect(),
        _ => vec![inner],
    };
    Some((decs, args.keyword("name").and_then(Expr::as_str)))
}

/// Evidence from the decorators of a function view or a view method, plain or
/// through `method_decorator`.
pub(crate) fn decorator_ev(cx: &Cx, file: u32, decorators: &[Expr], scope: Scope) -> Ev {
    let mut ev = Ev::default();
    for d in decorators {
        match method_decorator(d) {
            Some((inner, _)) => {
                for i in inner {
                    classify(
                        cx,
                        file,
                        i,
                        || format!("@method_decorator({})", short(i)),
                        scope,
                        d,
                        &mut ev,
                    );
                }
            }
            None => classify(cx, file, d, || format!("@{}", short(d)), scope, d, &mut ev),
        }
    }
    ev
}

/// Evidence from decorators applied to whole includes (`decorator_include`,
/// `decorate_urlpatterns`): router scope, at the decorator.
pub(crate) fn wraps_ev(cx: &Cx, wraps: &[(u32, &Expr)]) -> Ev {
    let mut ev = Ev::default();
    for &(file, d) in wraps {
        classify(cx, file, d, || short(d), Scope::Router, d, &mut ev);
    }
    ev
}

/// Evidence from a view function or method: its decorators, and a check on
/// the user written in its own body.
pub(crate) fn func_ev(cx: &Cx, f: FuncRef, scope: Scope) -> Ev {
    let Some(func) = cx.index.project.func(f) else {
        return Ev::default();
    };
    let mut ev = decorator_ev(cx, f.file, &func.decorators, scope);
    ev.auth.extend(inline_check(cx, f.file, func, scope));
    ev
}

/// User attributes whose test in a condition means the view rejects some users.
const USER_CHECKS: [&str; 4] = [
    "is_anonymous",
    "is_authenticated",
    "is_staff",
    "is_superuser",
];

/// A condition (`if`, `assert`, `raise` operand) of the function's own body
/// that tests `user.is_authenticated` (or `is_anonymous`, `is_staff`,
/// `is_superuser`) or calls `user.has_perm(...)`: the view checks the user
/// itself. Counted as evidence whatever the branch does, so that a view doing
/// its own check is never reported; a view that only personalises its output
/// on such a test is missed instead.
fn inline_check(
    cx: &Cx,
    file: u32,
    func: &archlint_model::Function,
    scope: Scope,
) -> Option<Evidence> {
    let mut found: Option<&Expr> = None;
    for s in &func.body {
        let archlint_model::StmtKind::Expr(e) = &s.kind else {
            continue;
        };
        archlint_model::visit::walk_expr(e, |x| {
            if found.is_some() {
                return;
            }
            let hit = match &x.kind {
                ExprKind::Attr(recv, a) => USER_CHECKS.contains(&a.as_str()) && mentions_user(recv),
                ExprKind::Call { func: callee, .. } => {
                    matches!(&callee.kind, ExprKind::Attr(recv, m) if (m == "has_perm" || m == "has_perms") && mentions_user(recv))
                }
                _ => false,
            };
            if hit {
                found = Some(x);
            }
        });
        if found.is_some() {
            break;
        }
    }
    let e = found?;
    // A check in a view function or a method serving one request method runs
    // inside the handler; one in `dispatch` runs before every method.
    let scope = if scope == Scope::Route {
        Scope::Handler
    } else {
        scope
    };
    Some(Evidence {
        scope,
        what: format!("{}() checks {}", func.name, short(e)),
        location: Some(cx.location(file, e.span)),
    })
}

/// Whether an expression is `user` or ends in `.user` (`request.user`, `self.request.user`).
fn mentions_user(e: &Expr) -> bool {
    e.last_name() == Some("user")
}

/// One HTTP method (or ANY) of a view, with the functions serving it and the
/// evidence that applies to it alone.
pub(crate) struct Unit {
    pub methods: MethodSet,
    pub funcs: Vec<FuncRef>,
    pub ev: Ev,
}

/// Everything needed to turn a view reached at a path into routes.
pub(crate) struct ViewSpec {
    pub framework: Framework,
    pub name: String,
    pub location: Location,
    pub group: String,
    /// Evidence for every method.
    pub base: Ev,
    pub units: Vec<Unit>,
    /// Functions that run whatever the method (helpers of a class view).
    pub shared: Vec<FuncRef>,
}

/// Emits one route per set of methods sharing the same evidence.
pub(crate) fn emit(
    spec: &ViewSpec,
    path: &str,
    registration: Option<Location>,
    out: &mut Vec<Route>,
) {
    let mut groups: Vec<(&Ev, MethodSet, Vec<FuncRef>)> = Vec::new();
    for u in &spec.units {
        match groups.iter_mut().find(|g| *g.0 == u.ev) {
            Some(g) => {
                g.1 = g.1.union(u.methods);
                g.2.extend(&u.funcs);
            }
            None => groups.push((&u.ev, u.methods, u.funcs.clone())),
        }
    }
    for (ev, methods, mut funcs) in groups {
        if methods.is_empty() {
            continue;
        }
        funcs.extend(&spec.shared);
        funcs.sort_unstable();
        funcs.dedup();
        let merge = |a: &[Evidence], b: &[Evidence]| {
            let mut v: Vec<Evidence> = a.iter().chain(b).cloned().collect();
            v.sort();
            v.dedup();
            v
        };
        out.push(Route {
            framework: spec.framework,
            methods,
            path: path.to_string(),
            handler: Handler {
                name: spec.name.clone(),
                location: spec.location.clone(),
                funcs,
                unseen_dispatch: None,
            },
            registration: registration.clone(),
            group: spec.group.clone(),
            auth: merge(&spec.base.auth, &ev.auth),
            public: merge(&spec.base.public, &ev.public),
            rate_limit: merge(&spec.base.rate, &ev.rate),
        });
    }
}

//! rocket routes: attribute routes (`#[get("/p")]`, `#[post("/p", data = "<f>")]`,
//! `#[route(GET, uri = "/p")]`) mounted with `.mount("/base", routes![a, m::b])`,
//! wherever the mount is (a `#[launch]` fn, `main`, an `AdHoc` fairing
//! closure), with the route list followed through variables and functions
//! returning `routes![..]`. A route mounted twice is two routes; a route
//! never mounted is not served, so it is not reported, nor is a name in
//! `routes![..]` that does not resolve to a project function. A base that is
//! not a literal or constant is left out of the path.
//!
//! Evidence is the handler's own: request guards among its parameters (not
//! `Option<_>`/`Result<_, _>`, which let unauthenticated requests through)
//! and attributes. Fairings rarely enforce auth and are ignored.

#[cfg(test)]
mod tests;

use super::common::attrs::route_attrs;
use super::common::candidates::candidates;
use super::common::eval::{Ctx, Frame, MAX_DEPTH, returns, string_value};
use super::common::{Pending, Shared, Target, Uses, finish};
use crate::routes::{Cx, join_paths};
use archlint_model::{Expr, ExprKind, Framework, Route, Symbol};

/// Adds the rocket routes of the project to `out`.
pub fn routes(cx: &Cx, out: &mut Vec<Route>) {
    let sh = Shared::new(cx, Uses::Rocket);
    if !sh.any_uses(Uses::Rocket) {
        return;
    }
    let ctx = Ctx::new(cx, &sh);
    let mut found = Vec::new();
    for c in candidates(cx, |f| sh.uses(cx, f, Uses::Rocket), true, is_mount) {
        let frame = c.frame();
        let Some((_, args)) = c.expr.as_call() else {
            continue;
        };
        let (Some(base), Some(list)) = (args.first(), args.get(1)) else {
            continue;
        };
        // An unknown base keeps the routes, unprefixed.
        let base = string_value(cx, &frame, &base.value).unwrap_or_default();
        let mut names = Vec::new();
        ctx.begin();
        route_names(&ctx, &list.value, &frame, &mut names);
        if ctx.overflowed() {
            continue;
        }
        for (name, file, func) in names {
            let Some(def) = cx.index.project.func(func) else {
                continue;
            };
            for a in route_attrs(def) {
                let p = Pending {
                    methods: a.methods,
                    path: mount_join(&base, &a.path),
                    target: Target::Func(func),
                    registration: cx.location(file, name.span),
                    group: Some(format!("rocket:mount:{base}")),
                    auth: Vec::new(),
                    rate_limit: Vec::new(),
                };
                found.extend(finish(cx, &sh, Framework::Rocket, p, ""));
            }
        }
    }
    if !ctx.exhausted() {
        out.extend(found);
    }
}

/// `.mount(base, routes)`.
fn is_mount(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Call { func, args } => {
            matches!(&func.kind, ExprKind::Attr(_, m) if m == "mount") && args.len() == 2
        }
        _ => false,
    }
}

/// `/api` + `/` is `/api`; `/` + `/users` is `/users`.
fn mount_join(base: &str, path: &str) -> String {
    if path.is_empty() || path == "/" {
        let b = base.trim_end_matches('/');
        return if b.is_empty() { "/".into() } else { b.into() };
    }
    join_paths(base, path)
}

/// The handler names listed in the `routes![..]` macros a mount's second
/// argument evaluates to, each with its file and resolved function.
fn route_names<'p>(
    ctx: &Ctx<'_, '_, 'p>,
    e: &'p Expr,
    frame: &Frame<'p, '_>,
    out: &mut Vec<(&'p Expr, u32, archlint_model::FuncRef)>,
) {
    if !ctx.tick() || frame.depth > MAX_DEPTH {
        return;
    }
    let Some(_nested) = ctx.nest() else { return };
    match &e.kind {
        ExprKind::Macro { path, args } if path.last().is_some_and(|p| p == "routes") => {
            for a in args.iter() {
                if let Some(Symbol::Func(f)) = frame.resolve(ctx.cx, ctx.sh, &a.value) {
                    out.push((&a.value, frame.file, f));
                }
            }
        }
        ExprKind::Name(n) => {
            if let Some(b) = frame.lookup(n) {
                route_names(ctx, b.value, &b.frame, out);
            }
        }
        ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Other(xs) => {
            xs.iter().for_each(|x| route_names(ctx, x, frame, out))
        }
        ExprKind::Call { func, args } => match &func.kind {
            // `routes![a].into_iter().chain(api())...`, `[routes![a], b()].concat()`.
            ExprKind::Attr(recv, _) => {
                route_names(ctx, recv, frame, out);
                args.iter()
                    .for_each(|a| route_names(ctx, &a.value, frame, out));
            }
            _ => {
                let Some((f, def, inner)) = frame.enter(ctx.cx, ctx.sh, func, args) else {
                    return;
                };
                ctx.guarded(f, || {
                    for (r, fr) in returns(def, &inner) {
                        route_names(ctx, r, &fr, out);
                    }
                    Some(())
                });
            }
        },
        _ => {}
    }
}

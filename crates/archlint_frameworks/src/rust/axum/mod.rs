//! axum routes: `Router::new().route("/p", get(h).post(h2))` chains, followed
//! through `let` bindings (and rebindings), parameters and project functions
//! that return routers, with `.nest("/prefix", r)` and `.merge(r)`.
//!
//! Layer semantics follow axum: `.layer(l)` and `.route_layer(l)` cover only
//! the routes added *before* them in the chain (nested and merged routers
//! included), never those added after. Layer evidence on the outermost
//! router has scope App, on a nested or merged router scope Router; layers on
//! a method router (`get(h).layer(l)`) scope Route.
//!
//! Only the outermost routers are reported (a router used inside another is
//! reported through it, with its prefix). Handlers that do not resolve to a
//! project function are skipped rather than guessed; inline closures are
//! reported with the closure as handler.

mod method_router;
#[cfg(test)]
mod tests;

use super::common::eval::{
    Candidate, Ctx, Frame, Key, MAX_DEPTH, callee_name, candidates, returns, spine, string_value,
};
use super::common::evidence::layer_evidence;
use super::common::{Pending, Shared, Uses, finish};
use crate::routes::{Cx, join_paths};
use archlint_model::{Expr, ExprKind, Framework, FuncRef, MethodSet, Route, Scope};

/// Builder methods that make a chain a router chain.
const ROUTER_METHODS: [&str; 10] = [
    "fallback",
    "fallback_service",
    "layer",
    "merge",
    "nest",
    "nest_service",
    "route",
    "route_layer",
    "route_service",
    "with_state",
];

/// Adds the axum routes of the project to `out`.
pub fn routes(cx: &Cx, out: &mut Vec<Route>) {
    let sh = Shared::new(cx);
    if !sh.any_uses(Uses::Axum) {
        return;
    }
    let ctx = Ctx::new(cx, &sh);
    let cands = candidates(cx, |f| sh.uses(cx, f, Uses::Axum), false, is_router_chain);
    let results: Vec<Option<Vec<Pending>>> = cands
        .iter()
        .map(|c| eval_router(&ctx, c.expr, &c.frame(), &candidate_group(cx, c)))
        .collect();
    for (c, routes) in cands.iter().zip(results) {
        if ctx.is_consumed(&c.key) {
            continue;
        }
        for p in routes.unwrap_or_default() {
            out.extend(finish(cx, &sh, Framework::Axum, p, ""));
        }
    }
}

/// A chain with at least one router builder link.
fn is_router_chain(e: &Expr) -> bool {
    let sp = spine(e);
    sp.links.iter().any(|l| ROUTER_METHODS.contains(&l.method))
}

fn is_router_new(e: &Expr) -> bool {
    matches!(callee_name(e), Some(("new" | "default", Some("Router"))))
}

fn file_path<'c>(cx: &'c Cx, file: u32) -> &'c str {
    cx.index
        .project
        .file(file)
        .map(|f| f.path.as_str())
        .unwrap_or("")
}

fn fn_group(cx: &Cx, f: FuncRef) -> String {
    let name = cx
        .index
        .project
        .func(f)
        .map(|x| x.name.as_str())
        .unwrap_or("");
    format!("axum:router:{}:{name}", file_path(cx, f.file))
}

fn var_group(cx: &Cx, frame: &Frame, var: &str) -> String {
    let name = frame
        .func
        .and_then(|f| cx.index.project.func(f))
        .map(|x| x.name.as_str())
        .unwrap_or("");
    format!("axum:router:{}:{name}:{var}", file_path(cx, frame.file))
}

fn candidate_group(cx: &Cx, c: &Candidate) -> String {
    match c.var {
        Some(v) => var_group(cx, &c.frame(), v),
        None => fn_group(cx, c.func),
    }
}

/// The group of a router passed to `nest`/`merge`: the variable or function
/// that built it, else the inline expression's position.
fn arg_group(cx: &Cx, e: &Expr, frame: &Frame) -> String {
    match &e.kind {
        ExprKind::Name(n) => var_group(cx, frame, n),
        _ => {
            let s = e.span.start;
            format!(
                "axum:router:{}:{}:{}",
                file_path(cx, frame.file),
                s.line,
                s.col
            )
        }
    }
}

/// `/api` + `/` is `/api` (axum serves a nested root at the prefix).
fn nest_join(prefix: &str, path: &str) -> String {
    if path.is_empty() || path == "/" {
        let p = prefix.trim_end_matches('/');
        return if p.is_empty() { "/".into() } else { p.into() };
    }
    join_paths(prefix, path)
}

/// The routes a router expression builds, relative to it, with the layer
/// evidence that covers each. `None` when it is not a router we can follow.
fn eval_router<'p>(
    ctx: &Ctx<'_, '_, 'p>,
    e: &'p Expr,
    frame: &Frame<'p, '_>,
    group: &str,
) -> Option<Vec<Pending>> {
    if !ctx.tick() || frame.depth > MAX_DEPTH {
        return None;
    }
    let sp = spine(e);
    let mut routes = match base_router(ctx, sp.base, frame, group) {
        Some(r) => r,
        // A router we cannot see (a parameter, an external builder) still
        // gets the routes added to it here.
        None if sp
            .links
            .iter()
            .any(|l| matches!(l.method, "route" | "nest" | "merge" | "route_service"))
            && ctx.sh.uses(ctx.cx, frame.file, Uses::Axum) =>
        {
            Vec::new()
        }
        None => return None,
    };
    let cx = ctx.cx;
    for link in &sp.links {
        let arg = |i: usize| link.args.get(i).map(|a| &a.value);
        match link.method {
            "route" | "route_service" => {
                let (Some(p), Some(mr)) = (arg(0), arg(1)) else {
                    continue;
                };
                let Some(path) = string_value(cx, frame, p) else {
                    continue;
                };
                let mut entries = method_router::parse(ctx, mr, frame);
                if entries.is_empty() && link.method == "route_service" {
                    entries.extend(method_router::service(ctx, mr, frame, MethodSet::ANY));
                }
                for en in entries {
                    routes.push(Pending {
                        methods: en.methods,
                        path: path.clone(),
                        target: en.target,
                        registration: cx.location(frame.file, p.span),
                        group: Some(group.to_string()),
                        auth: en.auth,
                        rate_limit: en.rate_limit,
                    });
                }
            }
            "nest" => {
                let (Some(p), Some(r)) = (arg(0), arg(1)) else {
                    continue;
                };
                let Some(prefix) = string_value(cx, frame, p) else {
                    continue;
                };
                for mut inner in
                    eval_router(ctx, r, frame, &arg_group(cx, r, frame)).unwrap_or_default()
                {
                    inner.path = nest_join(&prefix, &inner.path);
                    inner.demote_app();
                    routes.push(inner);
                }
            }
            "merge" => {
                let Some(r) = arg(0) else { continue };
                for mut inner in
                    eval_router(ctx, r, frame, &arg_group(cx, r, frame)).unwrap_or_default()
                {
                    inner.demote_app();
                    routes.push(inner);
                }
            }
            "layer" | "route_layer" => {
                let Some(l) = arg(0) else { continue };
                let ev = layer_evidence(cx, ctx.sh, frame, link.method, l, Scope::App);
                for r in &mut routes {
                    r.auth.extend(ev.auth.clone());
                    r.rate_limit.extend(ev.rate_limit.clone());
                }
            }
            _ => {}
        }
    }
    Some(routes)
}

/// The router a chain starts from: `Router::new()`, a variable, a parameter,
/// a project function's return value, `Ok(..)`/`Some(..)` around one.
fn base_router<'p>(
    ctx: &Ctx<'_, '_, 'p>,
    base: &'p Expr,
    frame: &Frame<'p, '_>,
    group: &str,
) -> Option<Vec<Pending>> {
    let cx = ctx.cx;
    match &base.kind {
        ExprKind::Call { .. } if is_router_new(base) => Some(Vec::new()),
        ExprKind::Call { func, args } => {
            if matches!(
                callee_name(base),
                Some(("Ok" | "Some", None) | ("new", Some("Box")))
            ) {
                let inner = args.first()?;
                return eval_router(ctx, &inner.value, frame, group);
            }
            let (f, func, inner) = frame.enter(cx, ctx.sh, func, args)?;
            ctx.guarded(f, || {
                ctx.consume(Key::Return(f));
                let g = fn_group(cx, f);
                returns(func, &inner)
                    .into_iter()
                    .find_map(|(e, fr)| eval_router(ctx, e, &fr, &g))
            })
        }
        ExprKind::Name(n) => {
            let b = frame.lookup(n)?;
            let g = match b.key {
                Some(k) => {
                    ctx.consume(k);
                    var_group(cx, frame, n)
                }
                None => match &b.value.kind {
                    ExprKind::Name(outer) => var_group(cx, &b.frame, outer),
                    _ => group.to_string(),
                },
            };
            eval_router(ctx, b.value, &b.frame, &g)
        }
        _ => None,
    }
}

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
mod roots;
#[cfg(test)]
mod tests;
mod utoipa;

use super::common::candidates::{Candidate, candidates};
use super::common::chain::{Links, Spine, callee_name, spine};
use super::common::eval::{Ctx, Frame, Key, MAX_DEPTH, returns, string_value};
use super::common::evidence::layer_evidence;
use super::common::{Pending, Shared, Uses, finish_all};
use crate::routes::{Cx, join_paths};
use archlint_model::visit::{walk_expr, walk_stmts};
use archlint_model::{Expr, ExprKind, Framework, FuncRef, MethodSet, Route, Scope, Symbol};

/// Builder methods that make a chain a router chain.
const ROUTER_METHODS: [&str; 11] = [
    "fallback",
    "fallback_service",
    "layer",
    "merge",
    "nest",
    "nest_service",
    "route",
    "route_layer",
    "route_service",
    "routes",
    "with_state",
];

/// Adds the axum routes of the project to `out`.
pub fn routes(cx: &Cx, out: &mut Vec<Route>) {
    let sh = Shared::new(cx, Uses::Axum);
    if !sh.any_uses(Uses::Axum) {
        return;
    }
    let ctx = Ctx::new(cx, &sh);
    let cands = candidates(cx, |f| sh.uses(cx, f, Uses::Axum), false, is_router_chain);
    let mut results = Vec::with_capacity(cands.len());
    for c in &cands {
        ctx.begin();
        let r = eval_chain(&ctx, c.expr, &c.frame(), &candidate_group(cx, c));
        results.push((r, ctx.incomplete(), ctx.overflowed()));
    }
    // Past the run budget every result may be partial: report nothing
    // rather than routes without the layers that cover them.
    if ctx.exhausted() {
        return;
    }
    let roots: Vec<usize> = (0..cands.len())
        .filter(|&i| cands.get(i).is_some_and(|c| !ctx.is_consumed(&c.key)))
        .collect();
    let unsure = roots::Unsure::new(cx, &sh, &cands, &results, &roots);
    let mut pending = Vec::new();
    for i in roots {
        let (Some(c), Some((routes, incomplete, overflow))) = (cands.get(i), results.get_mut(i))
        else {
            continue;
        };
        if *overflow || unsure.ambiguous(c, *incomplete) {
            continue;
        }
        pending.extend(routes.take().unwrap_or_default());
    }
    out.extend(finish_all(cx, &sh, Framework::Axum, pending));
}

/// A chain with at least one router builder link.
fn is_router_chain(e: &Expr) -> bool {
    Links::of(e).any(|m| ROUTER_METHODS.contains(&m))
}

fn is_router_new(e: &Expr) -> bool {
    matches!(
        callee_name(e),
        Some(
            ("new" | "default", Some("Router" | "OpenApiRouter"))
                | ("with_openapi", Some("OpenApiRouter"))
        )
    )
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

/// A router expression used inside another builder: evaluated, and marked
/// as used so that it is not also reported on its own.
fn eval_router<'p>(
    ctx: &Ctx<'_, '_, 'p>,
    e: &'p Expr,
    frame: &Frame<'p, '_>,
    group: &str,
) -> Option<Vec<Pending>> {
    ctx.consume(Key::Expr(frame.file, e.span));
    eval_chain(ctx, e, frame, group)
}

/// The routes a router expression builds, relative to it, with the layer
/// evidence that covers each. `None` when it is not a router we can follow.
fn eval_chain<'p>(
    ctx: &Ctx<'_, '_, 'p>,
    e: &'p Expr,
    frame: &Frame<'p, '_>,
    group: &str,
) -> Option<Vec<Pending>> {
    if !ctx.tick() || frame.depth > MAX_DEPTH {
        return None;
    }
    let _nested = ctx.nest()?;
    let sp = spine(e);
    // `Some(incomplete before)` while the base is an external value that is a
    // router only if the links add routes to it (`ApiRouter::new()`).
    let mut tentative = None;
    let mut routes = match base_router(ctx, sp.base, frame, group) {
        Some(r) => r,
        None => {
            let composes = sp.links.iter().any(|l| {
                matches!(
                    l.method,
                    "route" | "nest" | "merge" | "route_service" | "routes"
                )
            });
            if composes_in_closure(&sp) {
                // `routers.into_iter().fold(Router::new(), |a, r| a.merge(r))`.
                ctx.mark_incomplete();
            }
            if !composes || !ctx.sh.uses(ctx.cx, frame.file, Uses::Axum) {
                return None;
            }
            match &sp.base.kind {
                // A router we cannot see (an unbound parameter, a chain cut
                // by the extractor's length bound) still gets the routes
                // added to it here.
                ExprKind::Name(n) if frame.lookup(n).is_none() => ctx.mark_incomplete(),
                ExprKind::Other(xs) if xs.is_empty() => ctx.mark_incomplete(),
                ExprKind::Call { func, .. }
                    if !matches!(frame.resolve(ctx.cx, ctx.sh, func), Some(Symbol::Func(_))) =>
                {
                    tentative = Some(ctx.incomplete());
                }
                _ => return None,
            }
            Vec::new()
        }
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
            // utoipa-axum: `OpenApiRouter::new().routes(routes!(a, b))`.
            "routes" => {
                for (methods, path, target, reg) in utoipa::routes(ctx, arg(0), frame) {
                    routes.push(Pending {
                        methods,
                        path,
                        target,
                        registration: cx.location(frame.file, reg),
                        group: Some(group.to_string()),
                        auth: Vec::new(),
                        rate_limit: Vec::new(),
                    });
                }
            }
            "nest" => {
                let (Some(p), Some(r)) = (arg(0), arg(1)) else {
                    continue;
                };
                // An unknown prefix (`format!(..)`, a setting) keeps the
                // nested routes, unprefixed, with the layers that cover them.
                let prefix = string_value(cx, frame, p).unwrap_or_default();
                let Some(inner) = eval_router(ctx, r, frame, &arg_group(cx, r, frame)) else {
                    ctx.mark_incomplete();
                    continue;
                };
                for mut inner in inner {
                    inner.path = nest_join(&prefix, &inner.path);
                    inner.demote_app();
                    routes.push(inner);
                }
            }
            "merge" => {
                let Some(r) = arg(0) else { continue };
                let Some(inner) = eval_router(ctx, r, frame, &arg_group(cx, r, frame)) else {
                    ctx.mark_incomplete();
                    continue;
                };
                for mut inner in inner {
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
    if let Some(before) = tentative
        && routes.is_empty()
    {
        // `Figment::new().merge(..)`: not a router after all.
        ctx.restore_incomplete(before);
        return None;
    }
    Some(routes)
}

/// Whether a closure in the chain's arguments composes routers itself.
fn composes_in_closure(sp: &Spine) -> bool {
    let mut found = false;
    for l in &sp.links {
        for a in l.args {
            walk_expr(&a.value, |e| {
                if let ExprKind::Lambda { body, .. } = &e.kind {
                    walk_stmts(body, |x| {
                        if let Some((callee, _)) = x.as_call() {
                            found |= matches!(&callee.kind, ExprKind::Attr(_, m) if m == "merge" || m == "nest");
                        }
                    });
                }
            });
        }
    }
    found
}

/// The router a chain starts from: `Router::new()`, a variable, a parameter,
/// a project function's return value, `Ok(..)`/`Some(..)` around one, or
/// the branches of an `if`/`match` (all evaluated, the first router kept).
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
        ExprKind::Other(alternatives) => {
            let all: Vec<Option<Vec<Pending>>> = alternatives
                .iter()
                .map(|a| eval_router(ctx, a, frame, group))
                .collect();
            all.into_iter().flatten().next()
        }
        _ => None,
    }
}

//! actix-web routes: `App::new()` chains (also inside `HttpServer::new(|| ..)`
//! closures) with `.service(h)` for attribute-routed handlers (`#[get("/p")]`),
//! `web::scope("/prefix")`, `web::resource("/p").route(web::get().to(h))`,
//! `.route("/p", web::post().to(h))`, and `.configure(f)` functions that
//! register on a `ServiceConfig`, followed through variables and functions.
//!
//! `.wrap(m)` covers every service of its App, scope or resource whatever
//! the order (evidence scope App, Router, Route). Only services reachable
//! from an `App` are reported: an attribute route never registered is not
//! served by actix, and a scope never mounted has no known prefix or wraps,
//! so reporting either would guess. Likewise a handler that does not
//! resolve to a project function (another crate, a macro) is skipped. A
//! scope prefix that is not a literal or constant is left out of the path.

mod configure;
mod route;
#[cfg(test)]
mod tests;

use super::common::candidates::candidates;
use super::common::chain::{Links, callee_name, spine};
use super::common::eval::{Ctx, Frame, Key, MAX_DEPTH, returns, string_value};
use super::common::evidence::{LayerEvidence, layer_evidence, wrap_text_evidence};
use super::common::{Pending, Shared, Target, Uses, attrs::route_attrs, finish_all};
use crate::routes::{Cx, join_paths};
use archlint_model::{Expr, ExprKind, Framework, MethodSet, Route, Scope, Symbol};

/// Adds the actix routes of the project to `out`.
pub fn routes(cx: &Cx, out: &mut Vec<Route>) {
    let sh = Shared::new(cx, Uses::Actix);
    if !sh.any_uses(Uses::Actix) {
        return;
    }
    let ctx = Ctx::new(cx, &sh);
    let cands = candidates(cx, |f| sh.uses(cx, f, Uses::Actix), false, is_app_chain);
    let mut results = Vec::with_capacity(cands.len());
    for c in &cands {
        ctx.begin();
        let app = match eval_chain(&ctx, c.expr, &c.frame()) {
            Some(k) if matches!(k.kind, Kind::App) => finalize(k),
            _ => Vec::new(),
        };
        results.push((app, ctx.overflowed()));
    }
    // Past the run budget every result may be partial: report nothing.
    if ctx.exhausted() {
        return;
    }
    let mut pending = Vec::new();
    for (c, (routes, overflow)) in cands.iter().zip(results) {
        if overflow || ctx.is_consumed(&c.key) {
            continue;
        }
        pending.extend(routes);
    }
    out.extend(finish_all(cx, &sh, Framework::ActixWeb, pending));
}

/// A chain that may build an App: `App::new().service(..)`, or builder
/// methods on a variable or function result (`app.wrap(auth)`); only those
/// that evaluate to an App are reported.
fn is_app_chain(e: &Expr) -> bool {
    let mut links = Links::of(e);
    // Walk every link (not `any`): the base is the receiver of the last one.
    let mut builder = false;
    for m in links.by_ref() {
        builder |= matches!(
            m,
            "service" | "route" | "configure" | "wrap" | "wrap_fn" | "default_service" | "app_data"
        );
    }
    builder && matches!(links.base().kind, ExprKind::Call { .. } | ExprKind::Name(_))
}

/// What a builder registers services on.
#[derive(Clone, Debug)]
pub(super) enum Kind {
    App,
    Scope(String),
    Resource(Vec<String>),
    /// A `ServiceConfig` in a `configure` function: no prefix, no wraps.
    Config,
}

/// A builder being evaluated: its services (paths relative to it) and its
/// wraps, applied to all of them when it is finished.
pub(super) struct Container {
    kind: Kind,
    group: Option<String>,
    routes: Vec<Pending>,
    wraps: Vec<LayerEvidence>,
}

impl Container {
    pub(super) fn new(kind: Kind, group: Option<String>) -> Self {
        Container {
            kind,
            group,
            routes: Vec::new(),
            wraps: Vec::new(),
        }
    }

    fn wrap_scope(&self) -> Scope {
        match self.kind {
            Kind::App => Scope::App,
            Kind::Scope(_) | Kind::Config => Scope::Router,
            Kind::Resource(_) => Scope::Route,
        }
    }
}

/// A resource or scope pattern as actix-web registers it: a non-empty
/// pattern gets a leading `/` (`cfg.route(".well-known/x", ..)` serves
/// `/.well-known/x`).
fn with_slash(p: String) -> String {
    if p.is_empty() || p.starts_with('/') {
        p
    } else {
        format!("/{p}")
    }
}

/// Applies a finished builder's prefix, wraps and group to its services.
pub(super) fn finalize(c: Container) -> Vec<Pending> {
    let prefixes: Vec<String> = match c.kind {
        Kind::App | Kind::Config => vec![String::new()],
        Kind::Scope(p) => vec![p],
        Kind::Resource(ps) => ps,
    };
    let mut out = Vec::with_capacity(c.routes.len() * prefixes.len());
    for r in c.routes {
        for p in &prefixes {
            let mut r = r.clone();
            r.path = if p.is_empty() {
                r.path
            } else {
                join_paths(p, &r.path)
            };
            for w in &c.wraps {
                r.auth.extend(w.auth.clone());
                r.rate_limit.extend(w.rate_limit.clone());
            }
            if r.group.is_none() {
                r.group.clone_from(&c.group);
            }
            out.push(r);
        }
    }
    out
}

pub(super) fn file_path<'c>(cx: &'c Cx, file: u32) -> &'c str {
    cx.index
        .project
        .file(file)
        .map(|f| f.path.as_str())
        .unwrap_or("")
}

/// A builder expression used inside another one: evaluated, and marked as
/// used so that it is not also reported on its own.
fn eval_container<'p>(
    ctx: &Ctx<'_, '_, 'p>,
    e: &'p Expr,
    frame: &Frame<'p, '_>,
) -> Option<Container> {
    ctx.consume(Key::Expr(frame.file, e.span));
    eval_chain(ctx, e, frame)
}

/// Evaluates an App, scope or resource builder expression.
fn eval_chain<'p>(ctx: &Ctx<'_, '_, 'p>, e: &'p Expr, frame: &Frame<'p, '_>) -> Option<Container> {
    if !ctx.tick() || frame.depth > MAX_DEPTH {
        return None;
    }
    let _nested = ctx.nest()?;
    let sp = spine(e);
    let mut c = base_container(ctx, sp.base, frame)?;
    for link in &sp.links {
        apply_link(ctx, &mut c, link.method, link.args, frame);
    }
    Some(c)
}

fn base_container<'p>(
    ctx: &Ctx<'_, '_, 'p>,
    base: &'p Expr,
    frame: &Frame<'p, '_>,
) -> Option<Container> {
    let cx = ctx.cx;
    match &base.kind {
        ExprKind::Call { func, args } => {
            let arg0 = args.first().map(|a| &a.value);
            match callee_name(base) {
                Some(("new", Some("App"))) => {
                    let func_name = frame
                        .func
                        .and_then(|f| cx.index.project.func(f))
                        .map(|f| f.name.as_str())
                        .unwrap_or("");
                    let group = format!("actix:app:{}:{func_name}", file_path(cx, frame.file));
                    Some(Container::new(Kind::App, Some(group)))
                }
                Some(("scope", _) | ("new", Some("Scope"))) => {
                    // An unknown prefix keeps the services, unprefixed, with their wraps.
                    let prefix = with_slash(string_value(cx, frame, arg0?).unwrap_or_default());
                    let s = base.span.start;
                    let group = format!(
                        "actix:scope:{}:{}:{}:{prefix}",
                        file_path(cx, frame.file),
                        s.line,
                        s.col
                    );
                    Some(Container::new(Kind::Scope(prefix), Some(group)))
                }
                Some(("resource", _) | ("new", Some("Resource"))) => {
                    let paths = match &arg0?.kind {
                        ExprKind::List(xs) | ExprKind::Tuple(xs) => xs
                            .iter()
                            .filter_map(|x| string_value(cx, frame, x))
                            .map(with_slash)
                            .collect(),
                        _ => vec![with_slash(string_value(cx, frame, arg0?)?)],
                    };
                    Some(Container::new(Kind::Resource(paths), None))
                }
                _ => {
                    let (f, func_def, inner) = frame.enter(cx, ctx.sh, func, args)?;
                    ctx.guarded(f, || {
                        ctx.consume(Key::Return(f));
                        returns(func_def, &inner)
                            .into_iter()
                            .find_map(|(e, fr)| eval_container(ctx, e, &fr))
                    })
                }
            }
        }
        ExprKind::Name(n) => {
            let b = frame.lookup(n)?;
            if let Some(k) = b.key {
                ctx.consume(k);
            }
            eval_container(ctx, b.value, &b.frame)
        }
        // `if`/`match` branches: all evaluated, the first builder kept.
        ExprKind::Other(alternatives) => {
            let all: Vec<Option<Container>> = alternatives
                .iter()
                .map(|a| eval_container(ctx, a, frame))
                .collect();
            all.into_iter().flatten().next()
        }
        _ => None,
    }
}

/// One `.method(args)` link on an App, scope, resource or `ServiceConfig`.
pub(super) fn apply_link<'p>(
    ctx: &Ctx<'_, '_, 'p>,
    c: &mut Container,
    method: &str,
    args: &'p [archlint_model::Arg],
    frame: &Frame<'p, '_>,
) {
    let cx = ctx.cx;
    let arg = |i: usize| args.get(i).map(|a| &a.value);
    match method {
        "service" => {
            for a in args {
                let found = services(ctx, &a.value, frame);
                c.routes.extend(found);
            }
        }
        "route" => {
            let (path, spec) = match (&c.kind, arg(0), arg(1)) {
                (Kind::Resource(_), Some(spec), None) => (Some(String::new()), spec),
                (_, Some(p), Some(spec)) => (string_value(cx, frame, p).map(with_slash), spec),
                _ => return,
            };
            let Some(path) = path else { return };
            if let Some(r) = route::spec(ctx, spec, frame) {
                let reg = if path.is_empty() {
                    spec
                } else {
                    arg(0).unwrap_or(spec)
                };
                c.routes
                    .push(pending(ctx, r.methods, path, r.target, reg, frame, r.wraps));
            }
        }
        "to" if matches!(c.kind, Kind::Resource(_)) => {
            let Some(h) = arg(0) else { return };
            if let Some(t) = super::common::target(ctx, h, frame) {
                c.routes.push(pending(
                    ctx,
                    MethodSet::ANY,
                    String::new(),
                    t,
                    h,
                    frame,
                    Vec::new(),
                ));
            }
        }
        "configure" => {
            let Some(f) = arg(0) else { return };
            let found = configure::configure(ctx, f, frame);
            c.routes.extend(found);
        }
        "wrap" | "wrap_fn" => {
            let Some(m) = arg(0) else { return };
            let scope = c.wrap_scope();
            c.wraps
                .push(layer_evidence(cx, ctx.sh, frame, method, m, scope));
        }
        _ => {}
    }
}

fn pending<'p>(
    ctx: &Ctx<'_, '_, 'p>,
    methods: MethodSet,
    path: String,
    target: Target,
    reg: &Expr,
    frame: &Frame<'p, '_>,
    wraps: Vec<LayerEvidence>,
) -> Pending {
    let mut p = Pending {
        methods,
        path,
        target,
        registration: ctx.cx.location(frame.file, reg.span),
        group: None,
        auth: Vec::new(),
        rate_limit: Vec::new(),
    };
    for w in wraps {
        p.auth.extend(w.auth);
        p.rate_limit.extend(w.rate_limit);
    }
    p
}

/// The routes of one `.service(x)` argument: an attribute-routed handler,
/// a tuple or `services![..]` of them, or a scope/resource builder.
fn services<'p>(ctx: &Ctx<'_, '_, 'p>, e: &'p Expr, frame: &Frame<'p, '_>) -> Vec<Pending> {
    if !ctx.tick() {
        return Vec::new();
    }
    match &e.kind {
        ExprKind::Tuple(xs) | ExprKind::List(xs) => {
            return xs.iter().flat_map(|x| services(ctx, x, frame)).collect();
        }
        ExprKind::Macro { path, args } if path.last().is_some_and(|p| p == "services") => {
            return args
                .iter()
                .flat_map(|a| services(ctx, &a.value, frame))
                .collect();
        }
        ExprKind::Name(n) if frame.lookup(n).is_some() => {}
        ExprKind::Name(_) | ExprKind::Path(_) => {
            let Some(Symbol::Func(f)) = frame.resolve(ctx.cx, ctx.sh, e) else {
                return Vec::new();
            };
            let Some(func) = ctx.cx.index.project.func(f) else {
                return Vec::new();
            };
            return route_attrs(func)
                .into_iter()
                .map(|a| {
                    let wraps = a
                        .wrap
                        .as_deref()
                        .map(|w| {
                            let at = ctx.cx.location(f.file, a.span);
                            wrap_text_evidence(ctx.cx, ctx.sh, w, at)
                        })
                        .into_iter()
                        .collect();
                    pending(ctx, a.methods, a.path, Target::Func(f), e, frame, wraps)
                })
                .collect();
        }
        _ => {}
    }
    eval_container(ctx, e, frame)
        .map(finalize)
        .unwrap_or_default()
}

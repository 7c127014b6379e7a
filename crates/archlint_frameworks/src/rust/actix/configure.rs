//! actix `configure` functions: `App::configure(f)` / `Scope::configure(f)`
//! with `fn f(cfg: &mut web::ServiceConfig)` (or a closure) registering
//! `cfg.service(..)` and `cfg.route(..)`, and passing `cfg` on to others.

use super::{Container, Kind, apply_link, finalize};
use crate::rust::common::Pending;
use crate::rust::common::chain::spine;
use crate::rust::common::eval::{Ctx, Frame, MAX_DEPTH};
use archlint_model::{Expr, ExprKind, Stmt, StmtKind, Symbol};

/// The routes a `configure` argument registers: a project function taking
/// `&mut ServiceConfig`, or a closure.
pub(super) fn configure<'p>(
    ctx: &Ctx<'_, '_, 'p>,
    f: &'p Expr,
    frame: &Frame<'p, '_>,
) -> Vec<Pending> {
    if frame.depth >= MAX_DEPTH || !ctx.tick() {
        return Vec::new();
    }
    let Some(_nested) = ctx.nest() else {
        return Vec::new();
    };
    match &f.kind {
        ExprKind::Lambda { params, body } => {
            let Some(cfg) = params.first() else {
                return Vec::new();
            };
            let mut inner = frame.clone();
            inner.scopes.insert(0, body.as_slice());
            inner.depth += 1;
            config_body(ctx, cfg, body, &inner, None)
        }
        ExprKind::Name(_) | ExprKind::Path(_) => {
            let Some(Symbol::Func(fr)) = frame.resolve(ctx.cx, ctx.sh, f) else {
                return Vec::new();
            };
            config_fn(ctx, fr, frame.depth + 1)
        }
        _ => Vec::new(),
    }
}

fn config_fn<'p>(ctx: &Ctx<'_, '_, 'p>, f: archlint_model::FuncRef, depth: u32) -> Vec<Pending> {
    let Some(func) = ctx.cx.index.project.func(f) else {
        return Vec::new();
    };
    let Some(cfg) = func.params.first() else {
        return Vec::new();
    };
    let mut frame = Frame::new(f.file, Some(f), vec![func.body.as_slice()], None);
    frame.depth = depth;
    // A configure function is a unit of route registration (a module's
    // routes, like a blueprint): its routes are siblings of one another,
    // not of everything else on the App.
    let group = format!(
        "actix:config:{}:{}",
        super::file_path(ctx.cx, f.file),
        func.name
    );
    ctx.guarded(f, || {
        Some(config_body(
            ctx,
            cfg.name.trim_start_matches("mut "),
            &func.body,
            &frame,
            Some(group),
        ))
    })
    .unwrap_or_default()
}

/// Statements of a configure function: `cfg.service(..).route(..)` chains
/// and calls passing `cfg` on to other configure functions.
fn config_body<'p>(
    ctx: &Ctx<'_, '_, 'p>,
    cfg: &str,
    body: &'p [Stmt],
    frame: &Frame<'p, '_>,
    group: Option<String>,
) -> Vec<Pending> {
    let mut c = Container::new(Kind::Config, group);
    for s in body {
        let e = match &s.kind {
            StmtKind::Expr(e) | StmtKind::Return(e) => e,
            StmtKind::Assign { value, .. } => value,
        };
        let mut fr = frame.clone();
        fr.before = Some(s.span.start);
        let sp = spine(e);
        match &sp.base.kind {
            ExprKind::Name(n) if n == cfg => {
                for link in &sp.links {
                    apply_link(ctx, &mut c, link.method, link.args, &fr);
                }
            }
            ExprKind::Call { func, args } if sp.links.is_empty() => {
                let passes_cfg = args
                    .iter()
                    .any(|a| matches!(&a.value.kind, ExprKind::Name(n) if n == cfg));
                if passes_cfg && let Some(Symbol::Func(f)) = fr.resolve(ctx.cx, ctx.sh, func) {
                    c.routes.extend(config_fn(ctx, f, frame.depth + 1));
                }
            }
            _ => {}
        }
    }
    finalize(c)
}

//! axum method routers: `get(h).post(h2)`, `on(MethodFilter::POST, h)`,
//! `any(h)`, `get_service(..)`, and their own `.layer(..)`s, which cover the
//! methods registered before them (scope Route).

use crate::rust::common::chain::{callee_name, spine};
use crate::rust::common::eval::{Ctx, Frame, MAX_DEPTH};
use crate::rust::common::evidence::layer_evidence;
use crate::rust::common::{Target, target};
use archlint_model::visit::walk_expr;
use archlint_model::{Arg, Evidence, Expr, ExprKind, MethodSet, Scope};

/// One handler of a method router.
pub struct Entry {
    pub methods: MethodSet,
    pub target: Target,
    pub auth: Vec<Evidence>,
    pub rate_limit: Vec<Evidence>,
}

/// The handlers of a method router expression, each with its methods.
pub fn parse<'p>(ctx: &Ctx<'_, '_, 'p>, e: &'p Expr, frame: &Frame<'p, '_>) -> Vec<Entry> {
    if !ctx.tick() || frame.depth > MAX_DEPTH {
        return Vec::new();
    }
    let sp = spine(e);
    let mut out = match &sp.base.kind {
        ExprKind::Call { args, .. } => match callee_name(sp.base) {
            Some((m, _)) => entries(ctx, m, args, frame),
            None => return Vec::new(),
        },
        ExprKind::Name(n) => match frame.lookup(n) {
            Some(b) => parse(ctx, b.value, &b.frame),
            None => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    for link in &sp.links {
        match link.method {
            "layer" | "route_layer" => {
                let Some(l) = link.args.first() else { continue };
                let ev = layer_evidence(ctx.cx, ctx.sh, frame, link.method, &l.value, Scope::Route);
                for en in &mut out {
                    en.auth.extend(ev.auth.clone());
                    en.rate_limit.extend(ev.rate_limit.clone());
                }
            }
            m => out.extend(entries(ctx, m, link.args, frame)),
        }
    }
    out
}

/// The entry of one `get(h)` / `on(filter, h)` / `get_service(s)` call.
fn entries<'p>(
    ctx: &Ctx<'_, '_, 'p>,
    m: &str,
    args: &'p [Arg],
    frame: &Frame<'p, '_>,
) -> Vec<Entry> {
    let arg = |i: usize| args.get(i).map(|a| &a.value);
    let (methods, handler, is_service) = match m {
        "on" | "on_service" => (filter_methods(arg(0)), arg(1), m == "on_service"),
        "any" => (MethodSet::ANY, arg(0), false),
        "any_service" => (MethodSet::ANY, arg(0), true),
        _ => {
            let (name, is_service) = match m.strip_suffix("_service") {
                Some(n) => (n, true),
                None => (m, false),
            };
            if !matches!(
                name,
                "get"
                    | "post"
                    | "put"
                    | "patch"
                    | "delete"
                    | "head"
                    | "options"
                    | "trace"
                    | "connect"
            ) {
                return Vec::new();
            }
            (
                MethodSet::parse(name).unwrap_or(MethodSet::ANY),
                arg(0),
                is_service,
            )
        }
    };
    let Some(h) = handler else { return Vec::new() };
    if methods.is_empty() {
        return Vec::new();
    }
    if is_service {
        return service(ctx, h, frame, methods).into_iter().collect();
    }
    target(ctx, h, frame)
        .map(|target| Entry {
            methods,
            target,
            auth: Vec::new(),
            rate_limit: Vec::new(),
        })
        .into_iter()
        .collect()
}

/// Methods named in a `MethodFilter` expression (`MethodFilter::GET.or(MethodFilter::POST)`).
fn filter_methods(e: Option<&Expr>) -> MethodSet {
    let mut out = MethodSet::EMPTY;
    if let Some(e) = e {
        walk_expr(e, |x| {
            let mut add = |s: &str| {
                if s.len() > 2
                    && s.bytes().all(|b| b.is_ascii_uppercase())
                    && let Some(m) = MethodSet::parse(s)
                {
                    out = out.union(m);
                }
            };
            match &x.kind {
                ExprKind::Name(n) | ExprKind::Attr(_, n) => add(n),
                ExprKind::Path(segs) => segs.iter().for_each(|s| add(s)),
                _ => {}
            }
        });
    }
    out
}

/// A service wrapping a project function (`service_fn(f)`, `f.into_service()`),
/// for `route_service` and `get_service`; static file services have none.
pub fn service<'p>(
    ctx: &Ctx<'_, '_, 'p>,
    s: &'p Expr,
    frame: &Frame<'p, '_>,
    methods: MethodSet,
) -> Option<Entry> {
    let inner = match &s.kind {
        ExprKind::Call { func, args } => match &func.kind {
            ExprKind::Attr(recv, m) if m == "into_service" => recv.as_ref(),
            _ if matches!(callee_name(s), Some(("service_fn", _))) => &args.first()?.value,
            _ => return None,
        },
        _ => return None,
    };
    let target = target(ctx, inner, frame)?;
    Some(Entry {
        methods,
        target,
        auth: Vec::new(),
        rate_limit: Vec::new(),
    })
}

//! actix route specs: `web::get().to(h)`, `web::method(Method::POST).to(h)`,
//! `web::route().guard(guard::Post()).to(h)`, with their own `.wrap(..)`.

use crate::rust::common::chain::{callee_name, spine};
use crate::rust::common::eval::{Ctx, Frame, MAX_DEPTH};
use crate::rust::common::evidence::{LayerEvidence, layer_evidence};
use crate::rust::common::{Target, target};
use archlint_model::visit::walk_expr;
use archlint_model::{Expr, ExprKind, MethodSet, Scope};

/// One route spec: its methods, handler and route-level wraps.
pub struct Spec {
    pub methods: MethodSet,
    pub target: Target,
    pub wraps: Vec<LayerEvidence>,
}

pub fn spec<'p>(ctx: &Ctx<'_, '_, 'p>, e: &'p Expr, frame: &Frame<'p, '_>) -> Option<Spec> {
    if !ctx.tick() || frame.depth > MAX_DEPTH {
        return None;
    }
    let sp = spine(e);
    let mut handler = None;
    let mut methods = match &sp.base.kind {
        ExprKind::Call { args, .. } => match callee_name(sp.base)? {
            ("route", _) | ("new", Some("Route")) => MethodSet::EMPTY,
            // `web::to(h)`: any method.
            ("to", Some("web")) => {
                handler = target(ctx, &args.first()?.value, frame);
                MethodSet::EMPTY
            }
            ("method", _) => args
                .first()
                .map(|a| methods_in(&a.value))
                .unwrap_or_default(),
            (m, _) => MethodSet::parse(m).filter(|_| m.bytes().all(|b| b.is_ascii_lowercase()))?,
        },
        ExprKind::Name(n) => {
            let b = frame.lookup(n)?;
            return spec(ctx, b.value, &b.frame);
        }
        _ => return None,
    };
    let mut wraps = Vec::new();
    for link in &sp.links {
        let arg = link.args.first().map(|a| &a.value);
        match (link.method, arg) {
            ("to", Some(h)) => handler = target(ctx, h, frame),
            ("method" | "guard", Some(m)) => methods = methods.union(methods_in(m)),
            ("wrap", Some(w)) => wraps.push(layer_evidence(
                ctx.cx,
                ctx.sh,
                frame,
                "wrap",
                w,
                Scope::Route,
            )),
            _ => {}
        }
    }
    let methods = if methods.is_empty() {
        MethodSet::ANY
    } else {
        methods
    };
    Some(Spec {
        methods,
        target: handler?,
        wraps,
    })
}

/// Methods named by `Method::POST`, `http::Method::PUT`, `guard::Post()`.
fn methods_in(e: &Expr) -> MethodSet {
    let mut out = MethodSet::EMPTY;
    walk_expr(e, |x| {
        let name = match &x.kind {
            ExprKind::Name(n) | ExprKind::Attr(_, n) => Some(n.as_str()),
            ExprKind::Path(segs) => segs.last().map(String::as_str),
            _ => None,
        };
        if let Some(m) = name.filter(|n| n.len() > 2).and_then(MethodSet::parse) {
            out = out.union(m);
        }
    });
    out
}

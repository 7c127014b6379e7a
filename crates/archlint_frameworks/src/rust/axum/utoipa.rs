//! utoipa-axum routers: `OpenApiRouter::new().routes(routes!(a, b))`, each
//! handler carrying its method(s) and path in `#[utoipa::path(get, path = "/x")]`.

use crate::rust::common::Target;
use crate::rust::common::eval::{Ctx, Frame};
use archlint_model::{ArgsExt, Expr, ExprKind, Function, MethodSet, Span, Symbol};

/// The routes of one `routes!(..)` argument: methods, path, handler and the
/// handler name's position in the macro (the registration).
pub fn routes<'p>(
    ctx: &Ctx<'_, '_, 'p>,
    arg: Option<&'p Expr>,
    frame: &Frame<'p, '_>,
) -> Vec<(MethodSet, String, Target, Span)> {
    let mut out = Vec::new();
    let Some(ExprKind::Macro { path, args }) = arg.map(|a| &a.kind) else {
        return out;
    };
    if path.last().is_none_or(|p| p != "routes") {
        return out;
    }
    for a in args.iter() {
        let Some(Symbol::Func(f)) = frame.resolve(ctx.cx, ctx.sh, &a.value) else {
            continue;
        };
        let Some(func) = ctx.cx.index.project.func(f) else {
            continue;
        };
        if let Some((methods, p)) = path_attr(func) {
            out.push((methods, p, Target::Func(f), a.value.span));
        }
    }
    out
}

/// `#[utoipa::path(get, path = "/x", ..)]`, also `method(get, head)`.
fn path_attr(func: &Function) -> Option<(MethodSet, String)> {
    func.decorators.iter().find_map(|d| {
        let (callee, args) = d.as_call()?;
        let is_path = match &callee.kind {
            ExprKind::Path(segs) => segs.last().is_some_and(|s| s == "path") && segs.len() == 2,
            _ => false,
        };
        if !is_path {
            return None;
        }
        let path = args.keyword("path")?.as_str()?.to_string();
        let mut methods = MethodSet::EMPTY;
        for a in args.iter().filter(|a| a.name.is_none()) {
            let names: Vec<&str> = match &a.value.kind {
                ExprKind::Name(n) => vec![n.as_str()],
                ExprKind::Call { func, args } if func.last_name() == Some("method") => {
                    args.iter().filter_map(|x| x.value.last_name()).collect()
                }
                _ => Vec::new(),
            };
            for n in names {
                if let Some(m) = MethodSet::parse(n) {
                    methods = methods.union(m);
                }
            }
        }
        (!methods.is_empty()).then_some((methods, path))
    })
}

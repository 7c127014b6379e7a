//! Where an expression sits in its statement: its parent, and whether a
//! lazy queryset there is evaluated (iterated, counted, tested) or only
//! handed on (`Form(queryset=Order.objects.all())` runs nothing).

use super::knowledge::names;
use archlint_model::visit::walk_expr;
use archlint_model::{Expr, ExprKind};

/// The direct sub-expressions of `e`.
pub fn children(e: &Expr) -> Vec<&Expr> {
    match &e.kind {
        ExprKind::Str(_)
        | ExprKind::Number(_)
        | ExprKind::Bool(_)
        | ExprKind::NoneLit
        | ExprKind::Name(_)
        | ExprKind::Path(_)
        | ExprKind::Type(_)
        | ExprKind::Lambda { .. } => Vec::new(),
        ExprKind::FStr(parts) => parts
            .iter()
            .filter_map(|p| match p {
                archlint_model::StrPart::Expr(x) => Some(x),
                archlint_model::StrPart::Lit(_) => None,
            })
            .collect(),
        ExprKind::Attr(v, _) | ExprKind::Unary(v) | ExprKind::Await(v) => vec![v],
        ExprKind::Call { func, args } => std::iter::once(func.as_ref())
            .chain(args.iter().map(|a| &a.value))
            .collect(),
        ExprKind::Macro { args, .. } => args.iter().map(|a| &a.value).collect(),
        ExprKind::Subscript(v, idx) => std::iter::once(v.as_ref()).chain(idx).collect(),
        ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) | ExprKind::Other(xs) => {
            xs.iter().collect()
        }
        ExprKind::Dict(kvs) => kvs.iter().flat_map(|(k, v)| [k, v]).collect(),
        ExprKind::Binary(_, l, r) => vec![l, r],
    }
}

/// The expression directly containing `target` inside `root` (`None` when
/// `target` is `root` itself, or not found).
pub fn parent_of<'a>(root: &'a Expr, target: &Expr) -> Option<&'a Expr> {
    let mut found = None;
    walk_expr(root, |e| {
        if found.is_none() && children(e).iter().any(|c| std::ptr::eq(*c, target)) {
            found = Some(e);
        }
    });
    found
}

/// Whether a queryset whose parent expression is `parent` is evaluated
/// there: a whole statement (a condition, a return), an argument of a
/// consumer (`list`, `len`...), an operand (`x in qs`, `not qs`). An
/// argument of any other call (`Form(queryset=qs)`) stays lazy.
pub fn consumed(parent: Option<&Expr>) -> bool {
    let Some(p) = parent else { return true };
    match &p.kind {
        ExprKind::Call { func, .. } => func
            .last_name()
            .is_some_and(|f| names().consumers.matches(f)),
        // Operands (`x in qs`, `not qs`), conditional expressions and star-arguments.
        ExprKind::Binary(..) | ExprKind::Unary(_) | ExprKind::Await(_) | ExprKind::Other(_) => true,
        _ => false,
    }
}

//! Generic traversal of sqlparser expressions: the direct child expressions
//! and nested queries of a node, and the column references of an expression
//! (not looking into its subqueries, which are shapes of their own). Every
//! walk is bounded by [`MAX_EXPR_DEPTH`].

use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, InTarget, Query,
};

/// Deepest expression nesting the iterative walks here examine (the guard
/// already bounds depth near this; deeper parts are skipped and the shape
/// is marked truncated).
pub(crate) const MAX_EXPR_DEPTH: usize = 10_000;

/// Prefix of the identifiers that stand for the holes of dynamic SQL.
pub(crate) const HOLE_PREFIX: &str = "__archlint_hole";

/// The direct children of `e`: sub-expressions and nested queries.
pub(crate) fn children<'a>(e: &'a Expr, exprs: &mut Vec<&'a Expr>, queries: &mut Vec<&'a Query>) {
    match e {
        Expr::CompoundFieldAccess { root, .. } => exprs.push(root),
        Expr::JsonAccess { value, .. } => exprs.push(value),
        Expr::IsFalse(x)
        | Expr::IsNotFalse(x)
        | Expr::IsTrue(x)
        | Expr::IsNotTrue(x)
        | Expr::IsNull(x)
        | Expr::IsNotNull(x)
        | Expr::IsUnknown(x)
        | Expr::IsNotUnknown(x)
        | Expr::Nested(x)
        | Expr::UnaryOp { expr: x, .. }
        | Expr::Cast { expr: x, .. }
        | Expr::Convert { expr: x, .. }
        | Expr::Collate { expr: x, .. }
        | Expr::Extract { expr: x, .. }
        | Expr::Ceil { expr: x, .. }
        | Expr::Floor { expr: x, .. }
        | Expr::Named { expr: x, .. } => exprs.push(x),
        Expr::IsDistinctFrom(a, b) | Expr::IsNotDistinctFrom(a, b) => {
            exprs.push(a);
            exprs.push(b);
        }
        Expr::In { expr, target, .. } => {
            exprs.push(expr);
            match target {
                InTarget::List(list) => exprs.extend(list),
                InTarget::Subquery(q) => queries.push(q),
                InTarget::Unnest(x) => exprs.push(x),
                InTarget::Table { .. } => {}
            }
        }
        Expr::Between {
            expr, low, high, ..
        } => {
            exprs.push(expr);
            exprs.push(low);
            exprs.push(high);
        }
        Expr::BinaryOp { left, right, .. }
        | Expr::AnyOp { left, right, .. }
        | Expr::AllOp { left, right, .. } => {
            exprs.push(left);
            exprs.push(right);
        }
        Expr::Like { expr, pattern, .. }
        | Expr::ILike { expr, pattern, .. }
        | Expr::SimilarTo { expr, pattern, .. }
        | Expr::RLike { expr, pattern, .. } => {
            exprs.push(expr);
            exprs.push(pattern);
        }
        Expr::AtTimeZone {
            timestamp,
            time_zone,
        } => {
            exprs.push(timestamp);
            exprs.push(time_zone);
        }
        Expr::Position { expr, r#in } => {
            exprs.push(expr);
            exprs.push(r#in);
        }
        Expr::Substring {
            expr,
            substring_from,
            substring_for,
            ..
        } => {
            exprs.push(expr);
            exprs.extend(substring_from.as_deref());
            exprs.extend(substring_for.as_deref());
        }
        Expr::Trim {
            expr,
            trim_what,
            trim_characters,
            ..
        } => {
            exprs.push(expr);
            exprs.extend(trim_what.as_deref());
            exprs.extend(trim_characters.iter().flatten());
        }
        Expr::Function(f) => match &f.args {
            FunctionArguments::List(list) => {
                for arg in &list.args {
                    let a = match arg {
                        FunctionArg::Named { arg, .. }
                        | FunctionArg::ExprNamed { arg, .. }
                        | FunctionArg::Unnamed(arg) => arg,
                    };
                    if let FunctionArgExpr::Expr(x) = a {
                        exprs.push(x);
                    }
                }
            }
            FunctionArguments::Subquery(q) => queries.push(q),
            FunctionArguments::None => {}
        },
        Expr::Case {
            operand,
            conditions,
            else_result,
            ..
        } => {
            exprs.extend(operand.as_deref());
            for w in conditions {
                exprs.push(&w.condition);
                exprs.push(&w.result);
            }
            exprs.extend(else_result.as_deref());
        }
        Expr::Exists { subquery, .. } | Expr::Subquery(subquery) => queries.push(subquery),
        Expr::Tuple(items) => exprs.extend(items),
        Expr::Array(a) => exprs.extend(&a.elem),
        Expr::Interval(i) => exprs.push(&i.value),
        _ => {}
    }
}

/// The identifier parts of a column reference (`email`, `u.email`,
/// `public.users.email`); `None` for anything else, and for the holes of
/// dynamic SQL, which stand for values.
pub(crate) fn column_parts(e: &Expr) -> Option<&[Ident]> {
    let parts: &[Ident] = match e {
        Expr::Identifier(i) => std::slice::from_ref(i),
        Expr::CompoundIdentifier(parts) if !parts.is_empty() => parts,
        _ => return None,
    };
    // Holes, and variables or named parameters sqlparser kept as identifiers.
    if parts
        .iter()
        .any(|p| p.value.starts_with(HOLE_PREFIX) || p.value.starts_with(['@', ':', '$']))
    {
        return None;
    }
    Some(parts)
}

/// Column references in `e` outside its subqueries, up to `limit` of them;
/// also returns whether the depth bound cut the walk short.
pub(crate) fn columns(e: &Expr, limit: usize) -> (Vec<&[Ident]>, bool) {
    let mut out = Vec::new();
    let mut truncated = false;
    let mut stack = vec![(e, 0usize)];
    let mut kids = Vec::new();
    let mut queries = Vec::new();
    while let Some((x, depth)) = stack.pop() {
        if let Some(parts) = column_parts(x) {
            out.push(parts);
            if out.len() >= limit {
                break;
            }
            continue;
        }
        if depth >= MAX_EXPR_DEPTH {
            truncated = true;
            continue;
        }
        kids.clear();
        queries.clear();
        children(x, &mut kids, &mut queries);
        stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
    }
    (out, truncated)
}

/// Nested queries in `e` (not inside other nested queries), in source order.
pub(crate) fn subqueries(e: &Expr) -> (Vec<&Query>, bool) {
    let mut out = Vec::new();
    let mut truncated = false;
    let mut stack = vec![(e, 0usize)];
    let mut kids = Vec::new();
    while let Some((x, depth)) = stack.pop() {
        if depth >= MAX_EXPR_DEPTH {
            truncated = true;
            continue;
        }
        kids.clear();
        let mut queries = Vec::new();
        children(x, &mut kids, &mut queries);
        out.extend(queries);
        stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
    }
    (out, truncated)
}

/// Aggregate functions: a select list of only these (and constants) returns one row.
pub(crate) fn is_aggregate(e: &Expr) -> bool {
    const AGGREGATES: &[&str] = &[
        "array_agg",
        "avg",
        "bit_and",
        "bit_or",
        "bool_and",
        "bool_or",
        "count",
        "every",
        "group_concat",
        "json_agg",
        "json_object_agg",
        "jsonb_agg",
        "jsonb_object_agg",
        "max",
        "min",
        "stddev",
        "string_agg",
        "sum",
        "total",
        "variance",
    ];
    match e {
        Expr::Function(f) => {
            f.over.is_none()
                && f.name
                    .0
                    .last()
                    .and_then(|p| p.as_ident())
                    .is_some_and(|i| AGGREGATES.iter().any(|a| i.value.eq_ignore_ascii_case(a)))
        }
        Expr::Nested(x) | Expr::Cast { expr: x, .. } => is_aggregate(x),
        _ => false,
    }
}

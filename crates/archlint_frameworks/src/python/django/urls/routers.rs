//! DRF routers: the module-level `DefaultRouter()`/`SimpleRouter()` (and
//! nested routers) that `router.urls` refers to, their trailing slash and
//! nesting, and the `router.register(prefix, viewset)` calls anywhere in the
//! project.

use super::lists::pattern_text;
use super::{Ucx, UrlIndex};
use archlint_model::{ArgsExt, Expr, ExprKind, Span, StmtKind, Symbol};

/// A router: the module-level assignment that creates it (file, statement).
pub type RouterKey = (u32, u32);

/// A `router.register(prefix, viewset)` call.
#[derive(Clone, Debug)]
pub struct Registration<'p> {
    pub file: u32,
    pub span: Span,
    pub prefix: String,
    pub viewset: &'p Expr,
}

/// A DRF router.
#[derive(Clone, Debug, Default)]
pub struct Router<'p> {
    /// `/` unless created with `trailing_slash=False`.
    pub trailing: String,
    /// A nested router's place under its parent (`orders/{order_pk}/`).
    pub nested: String,
    pub registrations: Vec<Registration<'p>>,
}

impl<'p> UrlIndex<'p> {
    /// Records `router.register(prefix, viewset, ...)`.
    pub(super) fn registration(&mut self, cx: &Ucx<'_, '_, 'p>, file: u32, kind: &'p StmtKind) {
        let StmtKind::Expr(e) = kind else { return };
        let Some((func, args)) = e.as_call() else {
            return;
        };
        let ExprKind::Attr(recv, m) = &func.kind else {
            return;
        };
        if m != "register" {
            return;
        }
        let (Some(prefix), Some(viewset)) = (
            args.positional(0).or_else(|| args.keyword("prefix")),
            args.positional(1).or_else(|| args.keyword("viewset")),
        ) else {
            return;
        };
        let Some(key) = router_key(cx, file, recv) else {
            return;
        };
        let router = self
            .routers
            .entry(key)
            .or_insert_with(|| router_info(cx, key));
        router.registrations.push(Registration {
            file,
            span: e.span,
            prefix: pattern_text(cx, file, prefix),
            viewset,
        });
    }
}

/// The router a receiver expression names, if it is one.
pub fn router_key(cx: &Ucx, file: u32, recv: &Expr) -> Option<RouterKey> {
    let Symbol::Global { file: f, stmt } = cx.index.resolve_expr(file, recv)? else {
        return None;
    };
    let s = cx
        .index
        .project
        .file(f)?
        .facts
        .module_stmts
        .get(stmt as usize)?;
    let StmtKind::Assign { value, .. } = &s.kind else {
        return None;
    };
    is_router_call(value).then_some((f, stmt))
}

/// `DefaultRouter()`, `routers.SimpleRouter(trailing_slash=False)`,
/// `NestedSimpleRouter(router, "orders", lookup="order")`: a DRF-style router
/// (FastAPI's `APIRouter` and Starlette's `Router` are not).
fn is_router_call(value: &Expr) -> bool {
    value.as_call().is_some_and(|(func, _)| {
        func.last_name()
            .is_some_and(|n| n.ends_with("Router") && n != "Router" && n != "APIRouter")
    })
}

/// Trailing slash and nesting of the router created at `key`.
fn router_info<'p>(cx: &Ucx<'_, '_, 'p>, key: RouterKey) -> Router<'p> {
    let mut r = Router {
        trailing: "/".into(),
        ..Router::default()
    };
    let value = cx
        .index
        .project
        .file(key.0)
        .and_then(|f| f.facts.module_stmts.get(key.1 as usize))
        .and_then(|s| match &s.kind {
            StmtKind::Assign { value, .. } => Some(value),
            _ => None,
        });
    let Some((_, args)) = value.and_then(|v| v.as_call()) else {
        return r;
    };
    match args.keyword("trailing_slash").map(|e| &e.kind) {
        Some(ExprKind::Bool(false)) => r.trailing.clear(),
        Some(ExprKind::Str(s)) if s.is_empty() => r.trailing.clear(),
        // drf-extensions / custom routers pass a regex such as `/?`.
        Some(ExprKind::Str(s)) => r.trailing = s.clone(),
        _ => {}
    }
    // drf-nested-routers: `NestedSimpleRouter(parent, r"orders", lookup="order")`
    // serves `orders/{order_pk}/<prefix>/`.
    if let (Some(parent_prefix), Some(lookup)) = (
        args.positional(1),
        args.keyword("lookup").and_then(Expr::as_str),
    ) {
        let p = pattern_text(cx, key.0, parent_prefix);
        r.nested = format!("{}/{{{lookup}_pk}}/", p.trim_end_matches('/'));
    }
    r
}

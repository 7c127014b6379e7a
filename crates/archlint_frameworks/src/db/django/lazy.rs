//! ORM lazy loading: inside a loop over a queryset of model instances, an
//! access to a forward relation (`order.customer.name`), a reverse one-to-one
//! (`user.profile`) or a related manager's query (`order.items.all()`)
//! loads once per row unless the queryset had `select_related` /
//! `prefetch_related` for it. Each relation is reported once per loop, at its
//! first access; `order.customer_id` reads a column and loads nothing.

use super::eval::Eager;
use super::knowledge::names;
use super::models::ModelId;
use super::scope::Scope;
use super::state::RelKind;
use super::tree::{consumed, parent_of};
use archlint_model::visit::walk_expr;
use archlint_model::{
    ColumnOp, ColumnUse, Expr, ExprKind, LoopIdx, QueryFact, QueryKind, QueryShape, QuerySource,
    Selected, Span, StmtKind, TableRef,
};
use std::collections::BTreeSet;

/// Bound on relations followed along one attribute chain.
const MAX_HOPS: usize = 8;

/// One lazy load found.
struct Load {
    span: Span,
    loop_idx: Option<LoopIdx>,
    api: String,
    relation: String,
    shape: Option<QueryShape>,
}

struct Loop<'s, 'a, 'c, 'p> {
    scope: &'s Scope<'a, 'c, 'p>,
    var: &'a str,
    model: ModelId,
    eager: Eager,
    seen: BTreeSet<String>,
    loads: Vec<Load>,
}

/// Whether loop `inner` is `outer` or nested in it.
fn within(scope: &Scope, inner: Option<LoopIdx>, outer: LoopIdx) -> bool {
    let mut cur = inner;
    for _ in 0..64 {
        match cur {
            Some(i) if i == outer => return true,
            Some(i) => cur = scope.loops.get(i as usize).and_then(|l| l.parent),
            None => return false,
        }
    }
    false
}

fn one_row(table: String, column: String) -> QueryShape {
    let mut shape = QueryShape::new(QueryKind::Select);
    shape
        .filters
        .push(ColumnUse::new(Some(&table), &column, ColumnOp::Eq));
    shape.tables.push(TableRef {
        name: table,
        alias: None,
    });
    shape.selected = Selected::Star;
    shape
}

impl<'a> Loop<'_, 'a, '_, '_> {
    fn record(
        &mut self,
        at: &Expr,
        path: String,
        owner: ModelId,
        rel: &str,
        loop_idx: Option<LoopIdx>,
        shape: Option<QueryShape>,
    ) {
        if !self.seen.insert(path) {
            return;
        }
        let owner = self
            .scope
            .cx
            .models
            .list
            .get(owner)
            .map_or("", |m| m.name.as_str());
        self.loads.push(Load {
            span: at.span,
            loop_idx,
            api: crate::routes::short(at),
            relation: format!("{owner}.{rel}"),
            shape,
        });
    }

    /// `order.items.filter(...)`: a related manager's query (when it runs
    /// here: `order.items.all()` handed to a function stays lazy).
    fn manager_call(&mut self, e: &'a Expr, root: &'a Expr, loop_idx: Option<LoopIdx>) -> bool {
        let Some((func, _)) = e.as_call() else {
            return false;
        };
        let ExprKind::Attr(x, method) = &func.kind else {
            return false;
        };
        let ExprKind::Attr(base, rel) = &x.kind else {
            return false;
        };
        if !matches!(&base.kind, ExprKind::Name(n) if n == self.var) {
            return false;
        }
        let Some(mgr) = self.scope.related_manager(self.model, rel) else {
            return false;
        };
        let q = &names().qs;
        if q.cached.matches(method) && self.eager.covers(rel, false) {
            return true;
        }
        if q.chain.matches(method) && !consumed(parent_of(root, e)) {
            return true;
        }
        let shape = self.scope.related(&mgr, self.model).map(|ev| ev.shape);
        self.record(x, rel.to_string(), self.model, rel, loop_idx, shape);
        true
    }

    /// `order.customer.address.city`: each forward relation crossed.
    fn attributes(&mut self, e: &'a Expr, loop_idx: Option<LoopIdx>) {
        let mut nodes: Vec<(&'a Expr, &'a str)> = Vec::new();
        let mut cur = e;
        while let ExprKind::Attr(inner, a) = &cur.kind {
            if nodes.len() > MAX_HOPS {
                return;
            }
            nodes.push((cur, a));
            cur = inner;
        }
        if !matches!(&cur.kind, ExprKind::Name(n) if n == self.var) {
            return;
        }
        nodes.reverse();
        let models = self.scope.cx.models;
        let mut model = self.model;
        let mut path = String::new();
        for (node, a) in nodes {
            let Some(m) = models.list.get(models.concrete(model)) else {
                return;
            };
            // A forward relation to a model outside the project (`auth.User`)
            // still loads per row; it is only followed no further.
            let (target, forward) = match m.field(a) {
                Some(f) if f.is_single_relation() => (
                    f.relation().and_then(|r| models.resolve(model, &r.target)),
                    true,
                ),
                Some(_) => return,
                None => match models.reverse_of(model, a, false) {
                    Some(r) if r.kind == RelKind::OneToOne => (Some(r.from), false),
                    _ => return,
                },
            };
            if !path.is_empty() {
                path.push_str("__");
            }
            path.push_str(a);
            if !self.eager.covers(&path, forward) {
                let shape = target.map(|t| {
                    let col = if forward {
                        models.pk_column(t)
                    } else {
                        models
                            .reverse_of(model, a, false)
                            .and_then(|r| models.list.get(r.from)?.fields.get(r.field)?.column())
                            .unwrap_or_default()
                    };
                    one_row(models.table(t), col)
                });
                self.record(node, path.clone(), model, a, loop_idx, shape);
            }
            match target {
                Some(t) => model = t,
                None => return,
            }
        }
    }
}

/// Adds the lazy loads of a body's loops to `out`.
pub fn lazy_loads(scope: &Scope, out: &mut Vec<QueryFact>) {
    for (li, _) in scope.loops.iter().enumerate() {
        let li = li as LoopIdx;
        let Some((ev, var)) = scope.loop_rows(li) else {
            continue;
        };
        let inside: Vec<&archlint_model::Stmt> = scope
            .body
            .iter()
            .filter(|s| within(scope, s.loop_idx, li))
            .collect();
        // A loop that rebinds its variable is not read further.
        let rebinds = inside.iter().any(|s| match &s.kind {
            StmtKind::Assign { targets, .. } => targets
                .iter()
                .any(|t| matches!(&t.kind, ExprKind::Name(n) if n == var)),
            _ => false,
        });
        if rebinds {
            continue;
        }
        let mut l = Loop {
            scope,
            var,
            model: ev.model,
            eager: ev.eager,
            seen: BTreeSet::new(),
            loads: Vec::new(),
        };
        let mut roots: Vec<(&Expr, Option<LoopIdx>)> = Vec::new();
        for s in &inside {
            match &s.kind {
                StmtKind::Assign { value, .. } => roots.push((value, s.loop_idx)),
                StmtKind::Expr(e) | StmtKind::Return(e) => roots.push((e, s.loop_idx)),
            }
        }
        for (i, nested) in scope.loops.iter().enumerate() {
            if i as LoopIdx != li
                && within(scope, Some(i as LoopIdx), li)
                && let Some(iter) = &nested.iter
            {
                roots.push((iter, nested.parent));
            }
        }
        roots.sort_by_key(|(e, _)| e.span.start);
        for (root, loop_idx) in roots {
            walk_expr(root, |e| {
                if !l.manager_call(e, root, loop_idx) {
                    l.attributes(e, loop_idx);
                }
            });
        }
        for load in l.loads {
            out.push(QueryFact {
                file: scope.file,
                func: scope.func,
                span: load.span,
                loop_idx: load.loop_idx,
                api: load.api,
                source: QuerySource::LazyLoad(load.relation),
                text: None,
                text_at: None,
                bound_params: false,
                shape: load.shape,
                all_rows: false,
                returned: false,
                bound_to: None,
            });
        }
    }
}

//! Relationship lazy loads in loops (the ORM N+1): a `for` loop or
//! comprehension over the rows of a query on model `M` (or over a lazily
//! loaded collection of such a row), whose body reads `item.rel` where `rel`
//! is a relationship of `M` loading on access (`lazy="select"`, the default,
//! `"dynamic"`, `"write_only"`) and not covered by the query's
//! `options(joinedload(...) / selectinload(...) / ...)`. Only sync sessions:
//! with an `AsyncSession` an implicit lazy load raises instead of querying.

use super::super::models::{Lazy, ModelId};
use super::chain::{Loaders, Stage, parse};
use super::scope::Scope;
use archlint_model::visit::walk_expr;
use archlint_model::{Expr, ExprKind, LoopKind, QueryFact, QuerySource, Span, StmtKind};
use rustc_hash::FxHashSet as HashSet;
use std::collections::BTreeSet;

/// Deepest loop nesting followed when asking whether a loop is inside another.
const MAX_NESTING: usize = 32;

/// What a loop iterates: rows of `model`, with the eager loads of the query
/// that produced them, relative to `prefix` (`orders.` for `user.orders`).
#[derive(Clone)]
struct Rows {
    model: ModelId,
    loaders: Loaders,
    prefix: String,
}

/// Adds one lazy-load fact per loop and relationship read in it.
pub fn collect(sc: &Scope, out: &mut Vec<QueryFact>) {
    let func = sc.func;
    let mut rows: Vec<Option<Rows>> = Vec::with_capacity(func.loops.len());
    for (li, lp) in func.loops.iter().enumerate() {
        let r = if matches!(lp.kind, LoopKind::For | LoopKind::Comprehension) {
            lp.iter
                .as_ref()
                .and_then(|it| loop_rows(sc, it, li as u32, &rows))
        } else {
            None
        };
        if let (Some(r), Some(target)) = (&r, &lp.target)
            && let ExprKind::Name(v) = &target.kind
            && !reassigned_in(sc, v, lp.span)
        {
            accesses(sc, li as u32, v, r, out);
        }
        rows.push(r);
    }
}

/// The rows a loop iterates, when they are model instances from a sync query.
fn loop_rows(sc: &Scope, iter: &Expr, li: u32, rows: &[Option<Rows>]) -> Option<Rows> {
    // `for o in user.orders` inside a loop over users.
    if let ExprKind::Attr(owner, rel) = &iter.kind
        && let ExprKind::Name(w) = &owner.kind
        && let Some(outer) = enclosing_rows(sc, li, w, rows)
    {
        let target = sc.reg.relationship(outer.model, rel)?.target?;
        return Some(Rows {
            model: target,
            loaders: outer.loaders.clone(),
            prefix: format!("{}{rel}.", outer.prefix),
        });
    }
    let b = parse(sc, iter, 0)?;
    if !matches!(b.stage, Stage::Query | Stage::Result | Stage::Rows) {
        return None;
    }
    if b.exec.as_ref().is_some_and(|x| x.awaited) {
        return None;
    }
    Some(Rows {
        model: b.row_model()?,
        loaders: b.loaders,
        prefix: String::new(),
    })
}

/// The rows of the loop enclosing `li` whose variable is `name`.
fn enclosing_rows<'r>(
    sc: &Scope,
    li: u32,
    name: &str,
    rows: &'r [Option<Rows>],
) -> Option<&'r Rows> {
    let mut cur = sc.func.loops.get(li as usize)?.parent;
    for _ in 0..MAX_NESTING {
        let p = cur?;
        let lp = sc.func.loops.get(p as usize)?;
        if matches!(&lp.target, Some(t) if matches!(&t.kind, ExprKind::Name(n) if n == name)) {
            return rows.get(p as usize)?.as_ref();
        }
        cur = lp.parent;
    }
    None
}

/// Whether the loop variable is assigned inside the loop (then `v.rel` may
/// not be a row of the query).
fn reassigned_in(sc: &Scope, v: &str, span: Span) -> bool {
    sc.assignments(v)
        .iter()
        .any(|(_, _, at)| span.contains(at) && *at != span)
}

/// Whether loop `inner` is `outer` or nested in it.
fn within(sc: &Scope, inner: Option<u32>, outer: u32) -> bool {
    let mut cur = inner;
    for _ in 0..MAX_NESTING {
        match cur {
            Some(i) if i == outer => return true,
            Some(i) => cur = sc.func.loops.get(i as usize).and_then(|l| l.parent),
            None => return false,
        }
    }
    false
}

/// Reports the first read of each lazy relationship of `v` in loop `li`.
fn accesses(sc: &Scope, li: u32, v: &str, rows: &Rows, out: &mut Vec<QueryFact>) {
    let func = sc.func;
    let Some(model) = sc.reg.model(rows.model) else {
        return;
    };
    // Expressions evaluated once per iteration: statements in the loop and
    // the iterables of loops nested in it.
    let mut roots: Vec<(&Expr, Option<u32>)> = Vec::new();
    for s in &func.body {
        if !within(sc, s.loop_idx, li) {
            continue;
        }
        match &s.kind {
            StmtKind::Assign { value, .. } => roots.push((value, s.loop_idx)),
            StmtKind::Expr(e) | StmtKind::Return(e) => roots.push((e, s.loop_idx)),
        }
    }
    for (i, lp) in func.loops.iter().enumerate() {
        if i as u32 != li
            && within(sc, Some(i as u32), li)
            && let Some(it) = &lp.iter
        {
            roots.push((it, lp.parent));
        }
    }
    roots.sort_by_key(|(e, _)| e.span.start);
    let write_methods = &sc.n.loading.write_methods;
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (root, loop_idx) in roots {
        // `item.tags.append(t)` on a dynamic relationship issues no SELECT.
        let mut writes: HashSet<Span> = HashSet::default();
        walk_expr(root, |e| {
            if let ExprKind::Call { func, .. } = &e.kind
                && let ExprKind::Attr(recv, m) = &func.kind
                && write_methods.matches(m)
            {
                writes.insert(recv.span);
            }
        });
        let mut found: Vec<(Span, String)> = Vec::new();
        walk_expr(root, |e| {
            if let ExprKind::Attr(owner, rel) = &e.kind
                && matches!(&owner.kind, ExprKind::Name(n) if n == v)
            {
                found.push((e.span, rel.clone()));
            }
        });
        for (span, rel) in found {
            if seen.contains(&rel) {
                continue;
            }
            let Some(r) = model.relationships.get(&rel) else {
                continue;
            };
            let Lazy::Strategy(strategy) = &r.lazy else {
                continue;
            };
            let loading = &sc.n.loading;
            if !loading.lazy.matches(strategy) {
                continue;
            }
            if loading.query_valued.matches(strategy) && writes.contains(&span) {
                continue;
            }
            let path = format!("{}{rel}", rows.prefix);
            if rows.loaders.unknown || rows.loaders.paths.contains(&path) {
                continue;
            }
            seen.insert(rel.clone());
            out.push(QueryFact {
                file: sc.file(),
                func: Some(sc.fref),
                span,
                loop_idx,
                api: format!("{v}.{rel}"),
                source: QuerySource::LazyLoad(format!("{}.{rel}", model.name)),
                text: None,
                text_at: None,
                bound_params: false,
                shape: None,
                all_rows: false,
                returned: false,
                bound_to: None,
            });
        }
    }
}

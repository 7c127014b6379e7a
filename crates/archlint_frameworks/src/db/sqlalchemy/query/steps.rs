//! The links of a query chain after its start: builder methods (`filter`,
//! `where`, `filter_by`, `join`, `order_by`, `limit`, `options`...), 1.x
//! terminals (`all`, `first`, `get`, `paginate`...), result methods
//! (`scalars`, `all`, `scalar_one`...) and loader options.

use super::chain::{Built, Exec, Loaders, Stage, Step, peel, pk_filter};
use super::cond::{EntityRef, entity};
use super::scope::Scope;
use archlint_model::{Arg, ColumnOp, ColumnUse, Expr, ExprKind, QueryKind};

/// What applying one step did.
pub(super) enum Applied {
    Yes,
    /// The query already ran and this reads its result some other way
    /// (`.first().name`, `.rowcount`): the rest of the chain is not the query's.
    Stop,
    /// Not understood: the expression is not a query this module reads.
    No,
}

/// Applies one step.
pub(super) fn apply(sc: &Scope, b: &mut Built, s: &Step, depth: u32) -> Applied {
    let r = apply_step(sc, b, s, depth);
    match (r, b.stage) {
        (false, Stage::Result | Stage::Rows | Stage::One | Stage::Page) => Applied::Stop,
        (false, _) => Applied::No,
        (true, _) => Applied::Yes,
    }
}

/// Applies one step; `false` when the step is not understood.
fn apply_step(sc: &Scope, b: &mut Built, s: &Step, depth: u32) -> bool {
    let q = &sc.n.queries;
    let m = s.method;
    let exec = |b: &Built| Exec {
        span: s.span,
        api: format!("{}.{}", b.root, m),
        through_name: false,
        awaited: s.awaited,
    };
    match (b.stage, s.args) {
        (Stage::Query | Stage::Statement, Some(args)) => {
            if builder(sc, b, m, args, depth) {
                return true;
            }
            if q.subquery.matches(m) {
                b.stage = Stage::Subquery;
                return true;
            }
            if b.stage != Stage::Query {
                return false;
            }
            // 1.x terminals.
            if q.query_rows.matches(m) {
                b.stage = Stage::Rows;
            } else if q.query_first.matches(m) {
                b.shape.limit = true;
                b.stage = Stage::One;
            } else if q.query_single.matches(m) {
                b.stage = Stage::One;
            } else if q.query_count.matches(m) {
                b.shape.aggregate = true;
                b.stage = Stage::One;
            } else if q.query_get.matches(m) {
                match b.entities.first().and_then(|e| e.model) {
                    Some(model) => pk_filter(sc, b, model),
                    None => b.opaque = true,
                }
                b.stage = Stage::One;
            } else if q.query_paginate.matches(m) {
                b.shape.limit = true;
                b.shape.offset = true;
                b.stage = Stage::Page;
            } else if q.query_update.matches(m) {
                b.shape.kind = QueryKind::Update;
                b.stage = Stage::One;
            } else if q.query_delete.matches(m) {
                b.shape.kind = QueryKind::Delete;
                b.stage = Stage::One;
            } else {
                return false;
            }
            b.exec = Some(exec(b));
            true
        }
        (Stage::Result, Some(_)) => {
            if q.result_pass.matches(m) {
            } else if q.result_rows.matches(m) {
                b.stage = Stage::Rows;
            } else if q.result_single.matches(m) {
                b.stage = Stage::One;
            } else {
                return false;
            }
            true
        }
        (Stage::Page, None) if m == "items" => {
            b.stage = Stage::Rows;
            true
        }
        _ => false,
    }
}

/// A builder method of a Query or Select; `false` when `m` is not one.
fn builder(sc: &Scope, b: &mut Built, m: &str, args: &[Arg], depth: u32) -> bool {
    let q = &sc.n.queries;
    if q.filter.matches(m) || q.having.matches(m) {
        for a in args {
            if a.name.is_some() {
                b.opaque = true;
            } else {
                b.condition(sc, &a.value, false, 0);
            }
        }
    } else if q.filter_by.matches(m) {
        let target = b
            .entities
            .get(b.filter_by_target)
            .cloned()
            .unwrap_or(EntityRef {
                model: None,
                table: None,
                alias: None,
            });
        b.filter_by(sc, &target, args);
    } else if q.join.matches(m) {
        join(sc, b, m, args);
    } else if q.order_by.matches(m) {
        b.ordering(sc, args, false);
    } else if q.group_by.matches(m) {
        b.ordering(sc, args, true);
    } else if q.limit.matches(m) {
        b.shape.limit = true;
    } else if q.offset.matches(m) {
        b.shape.offset = true;
    } else if q.slice.matches(m) {
        b.shape.limit = true;
        b.shape.offset = true;
    } else if q.options.matches(m) {
        for a in args {
            loader_option(sc, &mut b.loaders, &a.value);
        }
    } else if q.select_from.matches(m) {
        for a in args.iter().filter(|a| a.name.is_none()) {
            if let Some(ent) = entity(sc, &a.value) {
                let sel = b.selected == 0;
                b.add_entity(ent, sel);
            }
        }
    } else if q.neutral.matches(m) {
        let _ = depth;
    } else {
        return false;
    }
    true
}

/// `join(Order)`, `join(Order, Order.user_id == User.id)`, `join(User.orders)`.
fn join(sc: &Scope, b: &mut Built, m: &str, args: &[Arg]) {
    let positional: Vec<&Expr> = args
        .iter()
        .filter(|a| a.name.is_none())
        .map(|a| &a.value)
        .collect();
    // `join_from(A, B, on)`: the first is the left side.
    let (target, on) = if m.ends_with("_from") {
        (positional.get(1), positional.get(2))
    } else {
        (positional.first(), positional.get(1))
    };
    let Some(target) = target else { return };
    let base_table = b.entities.first().and_then(|e| e.table.clone());
    let (ent, rel_from) = match entity(sc, target) {
        Some(e) => (Some(e), None),
        None => match &target.kind {
            // `User.orders`: the relationship's target, joined on its foreign key.
            ExprKind::Attr(owner, rel) => {
                let from = entity(sc, owner);
                let to = from
                    .as_ref()
                    .and_then(|f| f.model)
                    .and_then(|fm| sc.reg.relationship(fm, rel))
                    .and_then(|r| r.target)
                    .map(|t| EntityRef {
                        model: Some(t),
                        table: sc.reg.table_of(t).map(str::to_string),
                        alias: None,
                    });
                (to, from.and_then(|f| f.table))
            }
            _ => (None, None),
        },
    };
    let Some(ent) = ent else {
        // A subquery or something unknown is joined.
        return;
    };
    let to_table = ent.table.clone();
    b.add_entity(ent, false);
    b.filter_by_target = b.entities.len() - 1;
    if let Some(on) = on {
        b.condition(sc, on, false, 0);
        return;
    }
    let from_table = rel_from.or(base_table);
    if let (Some(a), Some(t)) = (from_table, to_table)
        && let Some((ca, cb)) = sc.reg.fk_join(&a, &t)
    {
        b.shape.joins.push((
            ColumnUse::new(Some(&a), &ca, ColumnOp::Eq),
            ColumnUse::new(Some(&t), &cb, ColumnOp::Eq),
        ));
    }
}

/// Reads one `options(...)` argument into the eager-loaded paths.
fn loader_option(sc: &Scope, loaders: &mut Loaders, e: &Expr) {
    let eager = &sc.n.loading.eager_options;
    let (root, steps) = peel(e);
    // The innermost call (`joinedload(User.orders)`) is the root here.
    let mut links: Vec<(&str, &[Arg])> = Vec::new();
    match &root.kind {
        ExprKind::Call { func, args } => match func.last_name() {
            Some(n) => links.push((n, args)),
            None => {
                loaders.unknown = true;
                return;
            }
        },
        _ => {
            loaders.unknown = true;
            return;
        }
    }
    for s in &steps {
        match s.args {
            Some(args) => links.push((s.method, args)),
            None => {
                loaders.unknown = true;
                return;
            }
        }
    }
    let loading = &sc.n.loading;
    let mut path: Vec<String> = Vec::new();
    for (name, args) in links {
        // `raiseload(User.orders)` / `noload("*")`: reading it issues no
        // query, which for this purpose is as good as loading it.
        let is_eager = eager.matches(name) || loading.no_query_options.matches(name);
        if !is_eager && !loading.path_options.matches(name) {
            if !loading.other_options.matches(name) {
                // An option we do not know may well load the relationship.
                loaders.unknown = true;
            }
            continue;
        }
        for a in args.iter().filter(|a| a.name.is_none()) {
            let attr = match &a.value.kind {
                ExprKind::Attr(_, attr) => attr.clone(),
                ExprKind::Str(s) if s == "*" => {
                    if is_eager {
                        loaders.unknown = true;
                    }
                    continue;
                }
                ExprKind::Str(s) => s.clone(),
                _ => {
                    loaders.unknown = true;
                    return;
                }
            };
            for part in attr.split('.') {
                path.push(part.to_string());
                if is_eager {
                    loaders.paths.insert(path.join("."));
                }
            }
        }
    }
}

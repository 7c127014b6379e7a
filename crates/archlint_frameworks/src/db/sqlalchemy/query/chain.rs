//! Reading one query expression: a 1.x `Query` chain (`session.query(User)`,
//! `User.query`), a 2.0 statement (`select(User).where(...)`), its execution
//! (`session.execute(stmt)`, `session.scalars(stmt)`, `session.get(User, id)`,
//! a terminal `.all()`/`.first()`...), and the result methods after it
//! (`.scalars().all()`). Locals are followed (`stmt = select(...)` then
//! `session.execute(stmt)`, `q = q.filter(...)`), a bounded number of times.

use super::super::values::from_sqlalchemy;
use super::cond::{EntityRef, entity};
use super::scope::Scope;
use super::steps::{Applied, apply};
use crate::calls::callee_text;
use archlint_model::{
    Arg, ArgsExt, ColumnOp, ColumnUse, Expr, ExprKind, FuncRef, QueryKind, QueryShape, Selected,
    Span, StmtKind, Symbol, TableRef,
};
use std::collections::BTreeSet;

/// Deepest recursion through locals and nested statements.
const MAX_DEPTH: u32 = 12;
/// Longest method chain read.
const MAX_STEPS: usize = 64;

/// Where a query stands after a chain of calls.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Stage {
    /// A 1.x `Query`, not run yet (iterating it runs it).
    #[default]
    Query,
    /// A 2.0 statement, not run yet.
    Statement,
    /// A subquery or CTE: never run by itself.
    Subquery,
    /// A run statement's result (`session.execute(stmt)`), rows not read yet.
    Result,
    /// Every row, read (`.all()`, `.fetchall()`).
    Rows,
    /// One row or value.
    One,
    /// A Flask-SQLAlchemy pagination object.
    Page,
}

/// Where and how a query ran.
#[derive(Clone, Debug)]
pub struct Exec {
    /// The call that runs it (a terminal method, `session.execute(...)`, a loop's iterable).
    pub span: Span,
    pub api: String,
    /// Reached through a local: the query ran elsewhere in the function.
    pub through_name: bool,
    /// Run with `await` (an `AsyncSession`).
    pub awaited: bool,
}

/// Relationships loaded eagerly by `options(...)`.
#[derive(Clone, Debug, Default)]
pub struct Loaders {
    /// Options that were not understood: assume they cover everything.
    pub unknown: bool,
    /// Dotted relationship paths (`orders`, `orders.items`).
    pub paths: BTreeSet<String>,
}

/// What a query expression amounts to.
#[derive(Clone, Debug, Default)]
pub struct Built {
    pub stage: Stage,
    pub shape: QueryShape,
    /// A filter was not understood: the shape must not be judged.
    pub opaque: bool,
    /// Selected entities, then joined ones.
    pub entities: Vec<EntityRef>,
    /// How many of `entities` are selected (the rest are joined).
    pub selected: usize,
    /// The entity `filter_by` applies to (the last joined one, or the first).
    pub filter_by_target: usize,
    pub loaders: Loaders,
    pub exec: Option<Exec>,
    /// The query's root as written (`User.query`, `session.query`, `select`).
    pub root: String,
}

impl Built {
    /// The one model whose instances the rows are, when the query selects a
    /// single whole model.
    pub fn row_model(&self) -> Option<super::super::models::ModelId> {
        if self.selected != 1 || self.shape.selected != Selected::Star {
            return None;
        }
        self.entities.first()?.model
    }

    pub(super) fn add_entity(&mut self, ent: EntityRef, selected: bool) {
        if let Some(t) = &ent.table
            && !self
                .shape
                .tables
                .iter()
                .any(|r| r.name.eq_ignore_ascii_case(t) && r.alias == ent.alias)
        {
            self.shape.tables.push(TableRef {
                name: t.clone(),
                alias: ent.alias.clone(),
            });
        }
        if selected {
            self.selected += 1;
        }
        self.entities.push(ent);
    }
}

/// One link of a method chain, innermost first.
pub(super) struct Step<'e> {
    pub method: &'e str,
    /// `None` for a plain attribute (`User.query`, `page.items`).
    pub args: Option<&'e [Arg]>,
    /// The whole call (or attribute) expression.
    pub span: Span,
    pub recv: &'e Expr,
    pub awaited: bool,
}

/// Splits `a.b(x).c(y)` into its root and steps, looking through `await`.
pub(super) fn peel(e: &Expr) -> (&Expr, Vec<Step<'_>>) {
    let mut steps = Vec::new();
    let mut cur = e;
    let mut awaited = false;
    while steps.len() < MAX_STEPS {
        let inner = cur.unwrap_await();
        let step_awaited = !std::ptr::eq(inner, cur);
        match &inner.kind {
            ExprKind::Call { func, args } => match &func.kind {
                ExprKind::Attr(recv, m) => {
                    steps.push(Step {
                        method: m,
                        args: Some(args),
                        span: inner.span,
                        recv,
                        awaited: step_awaited,
                    });
                    cur = recv;
                }
                _ => break,
            },
            ExprKind::Attr(recv, m) => {
                steps.push(Step {
                    method: m,
                    args: None,
                    span: inner.span,
                    recv,
                    awaited: step_awaited,
                });
                cur = recv;
            }
            _ => break,
        }
        awaited = step_awaited;
    }
    let _ = awaited;
    steps.reverse();
    (cur.unwrap_await(), steps)
}

/// Reads a query expression. `None` when it is not a query this module
/// understands.
pub fn parse(sc: &Scope, e: &Expr, depth: u32) -> Option<Built> {
    if depth > MAX_DEPTH {
        return None;
    }
    let (root, steps) = peel(e);
    let (mut b, first) = match start_root(sc, root, depth) {
        Some(b) => (b, 0),
        None => {
            let mut found = None;
            for (i, s) in steps.iter().enumerate() {
                if let Some(b) = start_step(sc, s, depth) {
                    found = Some((b, i + 1));
                    break;
                }
            }
            found?
        }
    };
    for s in steps.iter().skip(first) {
        match apply(sc, &mut b, s, depth) {
            Applied::Yes => {}
            Applied::Stop => break,
            Applied::No => return None,
        }
    }
    Some(b)
}

/// The query a chain's root starts from: a local holding a query, or
/// `select(...)`-like calls.
fn start_root(sc: &Scope, root: &Expr, depth: u32) -> Option<Built> {
    match &root.kind {
        ExprKind::Name(n) => {
            if !sc.is_local(n) {
                return None;
            }
            let (v, _) = sc.local(n, root.span.start)?;
            let mut b = parse(sc, v, depth + 1)?;
            if let Some(x) = &mut b.exec {
                x.through_name = true;
            }
            Some(b)
        }
        ExprKind::Call { func, args }
            if matches!(func.kind, ExprKind::Name(_) | ExprKind::Attr(..)) =>
        {
            if let Some(Symbol::Func(fr)) = sc.index.resolve_expr(sc.file(), func) {
                return factory(sc, fr, depth);
            }
            if !matches!(func.kind, ExprKind::Name(_)) {
                return None;
            }
            let name = func.last_name()?;
            let kind = statement_kind(sc, name)?;
            if !from_sqlalchemy(sc.index, sc.n, sc.file(), func) {
                return None;
            }
            statement(sc, kind, name, args, depth)
        }
        _ => None,
    }
}

/// What project function `fr` returns when that is a query (built or run):
/// its first `return` that reads as one. A query it runs was reported in it,
/// so the caller only sees its rows.
fn factory(sc: &Scope, fr: FuncRef, depth: u32) -> Option<Built> {
    if let Some(b) = sc.factories.borrow().get(&fr) {
        return b.clone();
    }
    // Recursion through factories finds nothing while this one is computed.
    sc.factories.borrow_mut().insert(fr, None);
    let func = sc.index.project.func(fr)?;
    let inner = Scope::new(sc.index, sc.reg, sc.n, fr, func, sc.factories);
    let mut found = None;
    'stmts: for s in &func.body {
        let StmtKind::Return(e) = &s.kind else {
            continue;
        };
        // `a if cond else b` lowers to `Other`: try its parts.
        let candidates: Vec<&Expr> = match &e.kind {
            ExprKind::Other(xs) if !xs.is_empty() => xs.iter().collect(),
            _ => vec![e],
        };
        for c in candidates {
            if let Some(mut b) = parse(&inner, c, depth + 1) {
                if let Some(x) = &mut b.exec {
                    x.through_name = true;
                }
                found = Some(b);
                break 'stmts;
            }
        }
    }
    sc.factories.borrow_mut().insert(fr, found.clone());
    found
}

/// `select`/`update`/`delete`/`insert` by name.
fn statement_kind(sc: &Scope, name: &str) -> Option<QueryKind> {
    let q = &sc.n.queries;
    if q.select.matches(name) {
        Some(QueryKind::Select)
    } else if q.update.matches(name) {
        Some(QueryKind::Update)
    } else if q.delete.matches(name) {
        Some(QueryKind::Delete)
    } else if q.insert.matches(name) {
        Some(QueryKind::Insert)
    } else {
        None
    }
}

/// A new 2.0 statement over `args`.
fn statement(sc: &Scope, kind: QueryKind, name: &str, args: &[Arg], depth: u32) -> Option<Built> {
    let mut b = Built {
        stage: Stage::Statement,
        shape: QueryShape::new(kind),
        root: name.to_string(),
        ..Built::default()
    };
    select_entities(sc, &mut b, args, depth)?;
    Some(b)
}

/// Reads selected entities (`User`, `User.email`, `aliased(User)`, a Core
/// table, `func.count(...)`, a 1.4-style list).
fn select_entities(sc: &Scope, b: &mut Built, args: &[Arg], depth: u32) -> Option<()> {
    let mut star = false;
    let mut cols: Vec<String> = Vec::new();
    let mut aggregate_only = true;
    let mut items: Vec<&Expr> = Vec::new();
    for a in args.iter().filter(|a| a.name.is_none()) {
        match &a.value.kind {
            ExprKind::List(xs) | ExprKind::Tuple(xs) => items.extend(xs.iter()),
            _ => items.push(&a.value),
        }
    }
    if args.iter().any(|a| a.name.as_deref() == Some("*")) {
        b.opaque = true;
    }
    for it in items {
        if let Some(ent) = entity(sc, it) {
            star = true;
            aggregate_only = false;
            b.add_entity(ent, true);
        } else if let Some(c) = super::cond::column(sc, it) {
            aggregate_only = false;
            cols.push(c.column.clone());
            if b.selected == 0 {
                b.add_entity(
                    EntityRef {
                        model: None,
                        table: c.table.clone(),
                        alias: c.alias.clone(),
                    },
                    false,
                );
            }
        } else if is_function_call(sc, it) {
            // `func.count(User.id)`: an aggregate over the table of its column.
            if let ExprKind::Call { args: fargs, .. } = &it.kind
                && let Some(c) = fargs
                    .first()
                    .and_then(|a| super::cond::column(sc, &a.value))
                && b.entities.is_empty()
            {
                b.add_entity(
                    EntityRef {
                        model: None,
                        table: c.table.clone(),
                        alias: c.alias,
                    },
                    false,
                );
            }
        } else {
            // Something else selected (a subquery, a literal): the tables are unknown.
            let _ = depth;
            aggregate_only = false;
            b.opaque = true;
        }
    }
    b.shape.selected = if star {
        Selected::Star
    } else if cols.is_empty() {
        Selected::None
    } else {
        Selected::Columns(cols)
    };
    b.shape.aggregate = aggregate_only && b.shape.kind == QueryKind::Select && !args.is_empty();
    Some(())
}

fn is_function_call(sc: &Scope, e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Call { func, .. } => match &func.kind {
            ExprKind::Attr(ns, _) => ns.last_name().is_some_and(|n| sc.n.queries.func.matches(n)),
            _ => false,
        },
        _ => false,
    }
}

/// Whether a receiver looks like a session (`session`, `db.session`,
/// `self.session`, `Session()`).
fn session_like(sc: &Scope, recv: &Expr) -> bool {
    let recv = match &recv.kind {
        ExprKind::Call { func, .. } => func.as_ref(),
        _ => recv,
    };
    recv.last_name()
        .is_some_and(|n| sc.n.queries.session_receivers.matches(n))
}

/// The query a step starts, given its receiver.
fn start_step(sc: &Scope, s: &Step, depth: u32) -> Option<Built> {
    let q = &sc.n.queries;
    let Some(args) = s.args else {
        // `User.query` (Flask-SQLAlchemy).
        if q.model_query.matches(s.method)
            && let Some(ent) = entity(sc, s.recv)
            && ent.model.is_some()
        {
            let mut b = Built {
                stage: Stage::Query,
                shape: QueryShape::new(QueryKind::Select),
                root: format!("{}.query", callee_text(s.recv)),
                ..Built::default()
            };
            b.shape.selected = Selected::Star;
            b.add_entity(ent, true);
            return Some(b);
        }
        return None;
    };
    // Most calls start nothing: one lookup rules them out.
    if !sc.n.call_starts.matches(s.method) {
        return None;
    }
    let first = args.positional(0);
    if q.session_query.matches(s.method) {
        let f = first?;
        let known = entity(sc, f).is_some() || super::cond::column(sc, f).is_some();
        if !(known || session_like(sc, s.recv)) {
            return None;
        }
        let mut b = Built {
            stage: Stage::Query,
            shape: QueryShape::new(QueryKind::Select),
            root: format!("{}.query", callee_text(s.recv)),
            ..Built::default()
        };
        select_entities(sc, &mut b, args, depth)?;
        return Some(b);
    }
    if let Some(kind) = statement_kind(sc, s.method) {
        let callee = Expr::new(
            ExprKind::Attr(Box::new(s.recv.clone()), s.method.to_string()),
            s.span,
        );
        if from_sqlalchemy(sc.index, sc.n, sc.file(), &callee) {
            return statement(sc, kind, s.method, args, depth);
        }
        return None;
    }
    let m = s.method;
    let known = q.execute.matches(m)
        || q.session_get.matches(m)
        || q.extension_get.matches(m)
        || q.extension_paginate.matches(m)
        || q.extension_single.matches(m);
    if !known {
        return None;
    }
    // A project function of that name (`database.get(Role, name)`) is
    // project code: the call graph follows it.
    let callee = Expr::new(
        ExprKind::Attr(Box::new(s.recv.clone()), s.method.to_string()),
        s.span,
    );
    if matches!(
        sc.index.resolve_expr(sc.file(), &callee),
        Some(Symbol::Func(_) | Symbol::Class(_))
    ) {
        return None;
    }
    let api = format!("{}.{}", callee_text(s.recv), s.method);
    let exec = |awaited| Exec {
        span: s.span,
        api: api.clone(),
        through_name: false,
        awaited,
    };
    if q.execute.matches(s.method) {
        let mut b = parse(sc, first?, depth + 1)?;
        if b.stage != Stage::Statement {
            return None;
        }
        b.stage = if q.execute_single.matches(s.method) {
            Stage::One
        } else {
            Stage::Result
        };
        b.exec = Some(exec(s.awaited));
        return Some(b);
    }
    if q.session_get.matches(s.method) && (session_like(sc, s.recv) || entity(sc, first?).is_some())
    {
        return get_by_pk(
            sc,
            first?,
            exec(s.awaited),
            format!("{}.get", callee_text(s.recv)),
        );
    }
    let extension = s
        .recv
        .last_name()
        .is_some_and(|r| sc.n.models.extension_names.matches(r));
    if extension {
        if q.extension_get.matches(s.method) {
            return get_by_pk(sc, first?, exec(false), api.clone());
        }
        let paginate = q.extension_paginate.matches(s.method);
        if paginate || q.extension_single.matches(s.method) {
            let mut b = parse(sc, first?, depth + 1)?;
            if b.stage != Stage::Statement {
                return None;
            }
            b.shape.limit = true;
            b.shape.offset |= paginate;
            b.stage = if paginate { Stage::Page } else { Stage::One };
            b.exec = Some(exec(false));
            return Some(b);
        }
    }
    None
}

/// `session.get(User, id)`: the primary key fixed by equality, one row.
fn get_by_pk(sc: &Scope, model: &Expr, exec: Exec, root: String) -> Option<Built> {
    let ent = entity(sc, model)?;
    let m = ent.model?;
    let mut b = Built {
        stage: Stage::One,
        shape: QueryShape::new(QueryKind::Select),
        root,
        ..Built::default()
    };
    b.shape.selected = Selected::Star;
    b.add_entity(ent, true);
    pk_filter(sc, &mut b, m);
    b.exec = Some(exec);
    Some(b)
}

pub(super) fn pk_filter(sc: &Scope, b: &mut Built, m: super::super::models::ModelId) {
    let table = sc.reg.table_of(m).map(str::to_string);
    let pk = sc
        .reg
        .model(m)
        .map(|x| x.primary_key.clone())
        .unwrap_or_default();
    if pk.is_empty() {
        b.opaque = true;
    }
    for c in pk {
        b.shape
            .filters
            .push(ColumnUse::new(table.as_deref(), &c, ColumnOp::Eq));
    }
    b.shape.limit = true;
}

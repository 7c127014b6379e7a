//! Where a query's rows go inside its function: returned (directly, through
//! response wrappers such as `jsonify`, containers, a comprehension over
//! them, or one local), bound to a local (followed one more step for 2.0
//! results: `rows = result.scalars().all()`), or iterated; and whether every
//! row ends up read.

use super::chain::{Built, Stage};
use super::scope::Scope;
use archlint_model::{Expr, ExprKind, LoopKind, Pos, Span, StmtKind};
use rustc_hash::FxHashMap as HashMap;

/// Most expressions looked at when looking through a returned value.
const MAX_WALK: usize = 256;

/// What happens to a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ctx {
    /// Returned by the function (possibly wrapped).
    Returned,
    /// The rows themselves are assigned to a local.
    Bound { name: String, at: Span },
    /// Something built from the rows (a list, a dict around them) is
    /// assigned to a local.
    Derived { name: String, at: Span },
    /// Iterated by the loop of that index.
    Iterated(u32),
    /// Used some other way.
    Other,
}

/// Where each comprehension's value goes, by the comprehension's span.
#[derive(Default)]
pub struct Placeholders {
    map: HashMap<Span, Ctx>,
}

impl Placeholders {
    pub fn record(&mut self, span: Span, ctx: Ctx) {
        self.map.entry(span).or_insert(ctx);
    }

    pub fn get(&self, span: Span) -> Option<&Ctx> {
        self.map.get(&span)
    }
}

/// The context of `e` inside statement `si`, given its ancestors (outermost first).
pub fn context(sc: &Scope, path: &[&Expr], e: &Expr, si: usize) -> Ctx {
    let Some((child, derived)) = climb(sc, path, e) else {
        return Ctx::Other;
    };
    let Some(stmt) = sc.func.body.get(si) else {
        return Ctx::Other;
    };
    match &stmt.kind {
        StmtKind::Return(_) => Ctx::Returned,
        StmtKind::Assign {
            targets,
            value,
            augmented: false,
            ..
        } if std::ptr::eq(value, child) => match targets.as_slice() {
            [t] => match &t.kind {
                ExprKind::Name(n) if derived => Ctx::Derived {
                    name: n.clone(),
                    at: stmt.span,
                },
                ExprKind::Name(n) => Ctx::Bound {
                    name: n.clone(),
                    at: stmt.span,
                },
                _ => Ctx::Other,
            },
            _ => Ctx::Other,
        },
        _ => Ctx::Other,
    }
}

/// The context of `e` inside the iterable of loop `li`.
pub fn context_in_iter(sc: &Scope, path: &[&Expr], e: &Expr, li: u32) -> Ctx {
    match climb(sc, path, e) {
        Some(_) => Ctx::Iterated(li),
        None => Ctx::Other,
    }
}

/// Climbs from `e` through `await`, response wrappers and containers; the
/// topmost expression reached and whether anything was built around the
/// value. `None` when the value is consumed some other way.
fn climb<'e>(sc: &Scope, path: &[&'e Expr], e: &'e Expr) -> Option<(&'e Expr, bool)> {
    let q = &sc.n.queries;
    let mut child = e;
    let mut derived = false;
    for anc in path.iter().rev() {
        match &anc.kind {
            ExprKind::Await(_) => {}
            // Conditional expressions and the like.
            ExprKind::Other(_) => {}
            ExprKind::List(_) | ExprKind::Tuple(_) | ExprKind::Set(_) | ExprKind::Dict(_) => {
                derived = true;
            }
            ExprKind::Call { func, args }
                if args.iter().any(|a| std::ptr::eq(&a.value, child))
                    && func
                        .last_name()
                        .is_some_and(|n| q.response_wrappers.matches(n)) =>
            {
                derived = true;
            }
            _ => return None,
        }
        child = anc;
    }
    Some((child, derived))
}

/// How a query's rows are used.
#[derive(Default)]
pub struct Usage {
    pub all_rows: bool,
    pub returned: bool,
    pub bound_to: Option<String>,
}

/// Reads a query's usage from its context.
pub fn usage(sc: &Scope, b: &Built, ctx: &Ctx, ph: &Placeholders) -> Usage {
    let bounded = b.shape.limit || b.shape.aggregate;
    let mut u = Usage {
        all_rows: b.stage == Stage::Rows && !bounded,
        ..Usage::default()
    };
    let mut reads_all = false;
    match ctx {
        Ctx::Returned => u.returned = true,
        Ctx::Bound { name, at } => {
            u.bound_to = Some(name.clone());
            let later = follow(sc, name, at.end);
            u.returned = later.returned;
            reads_all = later.reads_all;
            if let Some(rows) = later.rows_local {
                if later.returned_rows {
                    u.returned = true;
                }
                u.bound_to = Some(rows);
            }
        }
        Ctx::Derived { name, at } => u.returned = returns_yield(sc, name, at.end),
        Ctx::Iterated(li) => {
            reads_all = true;
            if let Some(lp) = sc.func.loops.get(*li as usize)
                && lp.kind == LoopKind::Comprehension
            {
                u.returned = comprehension_returned(sc, lp.span, ph);
            }
        }
        Ctx::Other => {}
    }
    if reads_all && matches!(b.stage, Stage::Result | Stage::Rows) && !bounded {
        u.all_rows = true;
    }
    u
}

/// Whether the comprehension spanning `span` is returned, directly or
/// through one local.
fn comprehension_returned(sc: &Scope, span: Span, ph: &Placeholders) -> bool {
    match ph.get(span) {
        Some(Ctx::Returned) => true,
        Some(Ctx::Bound { name, at } | Ctx::Derived { name, at }) => {
            returns_yield(sc, name, at.end)
        }
        _ => false,
    }
}

/// What later statements do with a local holding query rows or a result.
#[derive(Default)]
struct Later {
    returned: bool,
    /// Every row is read (`.all()`, `.fetchall()`, a loop over it).
    reads_all: bool,
    /// `rows = result.scalars().all()`: the local the rows move to.
    rows_local: Option<String>,
    returned_rows: bool,
}

fn follow(sc: &Scope, name: &str, after: Pos) -> Later {
    let ret = return_reads(sc, name, after);
    let mut out = Later {
        returned: ret.is_some(),
        reads_all: ret == Some(true),
        ..Later::default()
    };
    for s in &sc.func.body {
        if s.span.start < after {
            continue;
        }
        if let StmtKind::Assign { targets, value, .. } = &s.kind
            && let [t] = targets.as_slice()
            && let ExprKind::Name(m) = &t.kind
            && m != name
            && let Some(all) = reads_through(sc, value, name)
            && out.rows_local.is_none()
        {
            out.reads_all |= all;
            out.rows_local = Some(m.clone());
            let ret = return_reads(sc, m, s.span.end);
            out.returned_rows = ret.is_some();
            out.reads_all |= ret == Some(true);
        }
    }
    for lp in &sc.func.loops {
        if lp.span.start >= after
            && matches!(lp.kind, LoopKind::For | LoopKind::Comprehension)
            && lp
                .iter
                .as_ref()
                .is_some_and(|i| reads_through(sc, i, name).is_some())
        {
            out.reads_all = true;
        }
    }
    if let Some(rows) = &out.rows_local {
        for lp in &sc.func.loops {
            if lp.span.start >= after
                && lp
                    .iter
                    .as_ref()
                    .is_some_and(|i| matches!(&i.kind, ExprKind::Name(n) if n == rows))
            {
                out.reads_all = true;
            }
        }
    }
    out
}

/// `name`, `name.scalars()`, `name.scalars().all()`...: `Some(reads every
/// row)` when `e` is the local read through result methods.
fn reads_through(sc: &Scope, e: &Expr, name: &str) -> Option<bool> {
    let q = &sc.n.queries;
    let mut cur = e.unwrap_await();
    let mut all = false;
    for _ in 0..16 {
        match &cur.kind {
            ExprKind::Name(n) if n == name => return Some(all),
            ExprKind::Call { func, .. } => match &func.kind {
                ExprKind::Attr(recv, m) if q.result_pass.matches(m) => cur = recv.unwrap_await(),
                ExprKind::Attr(recv, m) if q.result_rows.matches(m) => {
                    all = true;
                    cur = recv.unwrap_await();
                }
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

/// Whether a `return` after `after` gives back `name` (looking through
/// wrappers, containers, result methods and comprehensions over it).
fn returns_yield(sc: &Scope, name: &str, after: Pos) -> bool {
    return_reads(sc, name, after).is_some()
}

/// `Some(reads every row)` when a `return` after `after` gives back `name`;
/// every row is read when it goes through `.all()`/`.fetchall()` or a
/// comprehension.
fn return_reads(sc: &Scope, name: &str, after: Pos) -> Option<bool> {
    let mut out: Option<bool> = None;
    for s in &sc.func.body {
        if let StmtKind::Return(e) = &s.kind
            && s.span.start >= after
            && let Some(all) = yields(sc, e, name)
        {
            out = Some(out.unwrap_or(false) || all);
        }
    }
    out
}

fn yields(sc: &Scope, e: &Expr, name: &str) -> Option<bool> {
    let q = &sc.n.queries;
    let mut stack: Vec<(&Expr, bool)> = vec![(e, false)];
    let mut budget = MAX_WALK;
    while let Some((cur, all)) = stack.pop() {
        budget = budget.saturating_sub(1);
        if budget == 0 {
            return None;
        }
        match &cur.kind {
            ExprKind::Name(n) if n == name => return Some(all),
            ExprKind::Await(x) => stack.push((x, all)),
            ExprKind::Call { func, args } => {
                if func
                    .last_name()
                    .is_some_and(|n| q.response_wrappers.matches(n))
                {
                    stack.extend(args.iter().map(|a| (&a.value, all)));
                } else if let ExprKind::Attr(recv, m) = &func.kind {
                    if q.result_pass.matches(m) {
                        stack.push((recv, all));
                    } else if q.result_rows.matches(m) {
                        stack.push((recv, true));
                    }
                }
            }
            ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => {
                stack.extend(xs.iter().map(|x| (x, all)))
            }
            ExprKind::Dict(kvs) => stack.extend(kvs.iter().map(|(_, v)| (v, all))),
            ExprKind::Other(xs) if xs.is_empty() => {
                // A comprehension: what it iterates, every row of it.
                if let Some(lp) = sc
                    .func
                    .loops
                    .iter()
                    .find(|l| l.kind == LoopKind::Comprehension && l.span == cur.span)
                    && let Some(it) = &lp.iter
                {
                    stack.push((it, true));
                }
            }
            ExprKind::Other(xs) => stack.extend(xs.iter().map(|x| (x, all))),
            _ => {}
        }
    }
    None
}

//! `db/n-plus-one`: a query run once per iteration of a loop, directly,
//! through resolved calls (with a code flow from the loop to the query), or
//! through ORM lazy loading. Documentation: `rules/db/n-plus-one.md`.

use super::{func_name, query_finding, related, warning_unless_by_operator};
use crate::{Context, Rule, meta};
use archlint_frameworks::db::sqltext::knowledge::raw;
use archlint_frameworks::routes::{local_value, module_value, short};
use archlint_model::visit::{walk_expr, walk_stmts};
use archlint_model::{
    BinOp, Confidence, Expr, ExprKind, Finding, FuncRef, Function, Language, Loop, LoopKind,
    QueryFact, QuerySource, Related, RuleMeta, Span, StmtKind,
};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::collections::{BTreeMap, BTreeSet};

const DOC: &str = include_str!("../../../../rules/db/n-plus-one.md");

/// Iterator adapters whose closure runs once per item.
const PER_ITEM_METHODS: &[&str] = &[
    "all",
    "and_then",
    "any",
    "filter",
    "filter_map",
    "find",
    "find_map",
    "flat_map",
    "fold",
    "for_each",
    "for_each_concurrent",
    "inspect",
    "map",
    "map_while",
    "scan",
    "take_while",
    "then",
    "try_fold",
    "try_for_each",
];
/// Calls that start an iteration over a collection or stream.
const ITER_SOURCES: &[&str] = &[
    "chunks",
    "drain",
    "into_iter",
    "iter",
    "iter_mut",
    "keys",
    "values",
    "windows",
];
/// Calls that hand out the rows of a query already run.
const ROW_SOURCES: &[&str] = &["fetch_all", "fetchall", "fetchmany", "scalars"];
/// Largest `range(n)` considered a small, fixed loop.
const SMALL_RANGE: i64 = 10;

pub struct NPlusOne {
    meta: RuleMeta,
}

impl NPlusOne {
    pub fn new() -> Self {
        NPlusOne {
            meta: meta::parse(DOC),
        }
    }
}

impl Default for NPlusOne {
    fn default() -> Self {
        Self::new()
    }
}

/// A repeating context: a real loop, or a per-item closure (Rust iterators).
struct Repeat<'a> {
    /// The whole loop or closure.
    span: Span,
    /// What is iterated, when known.
    iter: Option<&'a Expr>,
}

impl Repeat<'_> {
    fn describe(&self) -> String {
        match self.iter {
            Some(e) => format!("the loop over `{}`", short(e)),
            None => "the loop".to_string(),
        }
    }

    fn location_span(&self) -> Span {
        self.iter.map(|e| e.span).unwrap_or(self.span)
    }
}

fn small_number(e: &Expr) -> Option<i64> {
    match &e.kind {
        ExprKind::Number(n) => n.replace('_', "").parse().ok(),
        _ => None,
    }
}

/// Methods that split a collection into batches: a query per batch is the fix
/// for N+1, not an instance of it.
const BATCHING: &[&str] = &["batched", "chunked", "chunks", "chunks_exact", "grouper"];
/// Longest literal collection treated as a fixed, small loop.
const MAX_LITERAL: usize = 32;

/// Iterators over batches (`chunks`, `iter_batches`, `chunk_list`) or retry
/// attempts (`run_with_db_retries`): the repetition is the point.
fn batches_or_retries(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    BATCHING.contains(&name)
        || ["batch", "chunk", "retries", "retry", "attempts"]
            .iter()
            .any(|w| n.contains(w))
}

/// A name for a number of attempts (`MAX_RETRIES`, `self.attempts`).
fn retry_count(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["retries", "retry", "attempts"]
        .iter()
        .any(|w| n.contains(w))
}

/// A name for a collection of batches (`metric_key_batches`, `id_chunks`).
fn names_batches(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with("batches") || n.ends_with("chunks")
}

/// Whether a loop runs a small, fixed number of times (over a literal
/// collection of constants, or `range(n)` with a small constant `n`), or over
/// batches of a collection.
fn bounded(iter: &Expr, name_bounded: &dyn Fn(&str) -> bool) -> bool {
    match &iter.kind {
        // `for kind in STATUSES:` where STATUSES is a literal tuple;
        // `for batch in key_batches:`, a collection of batches.
        ExprKind::Name(n) => name_bounded(n) || names_batches(n),
        ExprKind::Path(segs) => segs.last().is_some_and(|n| name_bounded(n)),
        ExprKind::Call { func, .. } if func.last_name().is_some_and(batches_or_retries) => true,
        // `for n in itertools.count():` runs until something breaks out: a
        // polling loop, like `while True`, not work per item.
        ExprKind::Call { func, .. }
            if func.last_name() == Some("count")
                && matches!(&func.kind, ExprKind::Name(_))
                    | matches!(&func.kind, ExprKind::Attr(b, _) if b.last_name() == Some("itertools")) =>
        {
            true
        }
        // A collection written out in the code runs once per element written
        // (`for model in [User, Order]`), however long the table behind each is.
        ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => xs.len() <= MAX_LITERAL,
        ExprKind::Call { func, args } if matches!(&func.kind, ExprKind::Name(n) if n == "range") => {
            let nums: Vec<Option<i64>> = args.iter().map(|a| small_number(&a.value)).collect();
            match nums.as_slice() {
                [Some(n)] => *n <= SMALL_RANGE,
                // `range(self.MAX_RETRIES)`: retry attempts.
                [None] => args[0].value.last_name().is_some_and(retry_count),
                [Some(a), Some(b)] => b - a <= SMALL_RANGE,
                // `range(0, n, batch)`: one query per batch is batching.
                [_, _, _] => true,
                _ => false,
            }
        }
        _ => false,
    }
}

/// `for _ in range(100):` around a query: a number of attempts (until a
/// generated name is free, a lock is taken), not work per item; the
/// variable is not even used.
fn attempts(l: &Loop) -> bool {
    let unused = l
        .target
        .as_ref()
        .is_some_and(|t| matches!(&t.kind, ExprKind::Name(n) if n == "_"));
    unused
        && l.iter.as_ref().is_some_and(|it| {
            matches!(&it.kind, ExprKind::Call { func, args }
                if matches!(&func.kind, ExprKind::Name(n) if n == "range")
                    && args.len() == 1
                    && small_number(&args[0].value).is_some())
        })
}

/// The innermost loop around `loop_idx` that repeats once per item of an
/// unknown number: `for` and comprehensions that are not bounded, and
/// `while` loops that consume rows or a collection ([`while_per_item`]).
/// Other `while` and Rust `loop` loops are polling or retry loops.
fn repeating_loop<'l>(
    func: &'l Function,
    mut idx: Option<u32>,
    query: Span,
    name_bounded: &dyn Fn(&str) -> bool,
) -> Option<&'l Loop> {
    for _ in 0..64 {
        let i = idx?;
        let l = func.loops.get(i as usize)?;
        let repeats = match l.kind {
            LoopKind::For | LoopKind::Comprehension => {
                !l.iter.as_ref().is_some_and(|it| bounded(it, name_bounded))
                    && !attempts(l)
                    && !picks_one_item(func, l, query)
            }
            // A query in the condition itself (`while (row :=
            // conn.execute(..).fetchone())`) takes the next row each time:
            // that is the loop's own fetch, not a query per item.
            LoopKind::While => {
                !l.iter.as_ref().is_some_and(|c| c.span.contains(&query))
                    && while_per_item(func, i, l)
            }
            LoopKind::Loop => false,
        };
        if repeats {
            return Some(l);
        }
        idx = l.parent;
    }
    None
}

/// The plain names `e` mentions (`x` in `x.id + f(y)`, and `y`).
fn names_in(e: &Expr) -> Vec<&str> {
    let mut out = Vec::new();
    walk_expr(e, |x| {
        if let ExprKind::Name(n) = &x.kind {
            out.push(n.as_str());
        }
    });
    out
}

/// Fields that identify one item: `if pasta.id == id` picks one.
const IDENTITY_FIELDS: &[&str] = &["id", "key", "pk", "slug", "uuid"];

/// `for p in pastas: if p.id == wanted: save(p)`: the query sits under a
/// condition that compares the loop item (or its `id`, `pk`, `uuid`, `slug`,
/// `key`) with a value from outside the loop, so it runs for the one item
/// that matches, not once per item.
fn picks_one_item(func: &Function, l: &Loop, query: Span) -> bool {
    let Some(target) = &l.target else {
        return false;
    };
    let names = names_in(target);
    if names.is_empty() {
        return false;
    }
    func.branches
        .iter()
        .filter(|b| b.body.contains(&query) && l.span.contains(&b.body))
        .any(|b| {
            func.body
                .iter()
                .filter(|s| b.cond.contains(&s.span))
                .any(|s| matches!(&s.kind, StmtKind::Expr(c) if identity_match(c, &names)))
        })
}

/// `item.id == x` (either way round, possibly one side of an `and`) where
/// the other side does not depend on the loop and is not a literal.
fn identity_match(cond: &Expr, loop_names: &[&str]) -> bool {
    let uses_loop = |e: &Expr| names_in(e).iter().any(|n| loop_names.contains(n));
    // `item.id` identifies whatever it is compared with; the item itself
    // only when compared with a variable, not a sentinel constant
    // (`value == CENSORED` holds for many items).
    let literal = |e: &Expr| {
        matches!(
            e.kind,
            ExprKind::Str(_) | ExprKind::Number(_) | ExprKind::Bool(_) | ExprKind::NoneLit
        )
    };
    let sentinel = |e: &Expr| {
        literal(e)
            || e.last_name().is_some_and(|n| {
                n.chars().any(|c| c.is_ascii_uppercase())
                    && !n.chars().any(|c| c.is_ascii_lowercase())
            })
    };
    let picks = |item: &Expr, other: &Expr| {
        if uses_loop(other) {
            return false;
        }
        match &item.kind {
            ExprKind::Name(n) => loop_names.contains(&n.as_str()) && !sentinel(other),
            ExprKind::Attr(base, field) => {
                IDENTITY_FIELDS.contains(&field.as_str())
                    && matches!(&base.kind, ExprKind::Name(n) if loop_names.contains(&n.as_str()))
                    && !literal(other)
            }
            _ => false,
        }
    };
    match &cond.kind {
        ExprKind::Binary(BinOp::Eq, a, b) => picks(a, b) || picks(b, a),
        ExprKind::Binary(BinOp::And, a, b) => {
            identity_match(a, loop_names) || identity_match(b, loop_names)
        }
        _ => false,
    }
}

/// Calls that take the next row or item: in a `while` condition they make
/// the loop run once per row (`while (row := cur.fetchone())`, Rust `while
/// let Some(row) = rows.try_next().await?`, `while let Some(x) = it.next()`).
const NEXT_ITEM: &[&str] = &["fetchone", "next", "popleft", "pop", "try_next", "__next__"];
/// Calls that take an item out of a collection named in the condition
/// (`while ids: handle(ids.pop())`).
const TAKE_ITEM: &[&str] = &["pop", "popleft", "pop_front", "pop_back"];

/// Whether `while` loop `idx` runs once per row or item: its condition takes
/// the next one, or tests a collection that its body takes items out of.
fn while_per_item(func: &Function, idx: u32, l: &Loop) -> bool {
    let Some(cond) = &l.iter else {
        return false;
    };
    let mut takes_next = false;
    let mut on_expr = |e: &Expr| {
        if let ExprKind::Call { func: callee, .. } = &e.kind
            && let ExprKind::Attr(_, m) = &callee.kind
            && NEXT_ITEM.contains(&m.as_str())
        {
            takes_next = true;
        }
    };
    walk_expr(cond, &mut on_expr);
    // A walrus in the condition is lowered to an assignment of its own.
    for stmt in func
        .body
        .iter()
        .filter(|s| s.loop_idx == Some(idx) && cond.span.contains(&s.span))
    {
        walk_stmts(std::slice::from_ref(stmt), &mut on_expr);
    }
    if takes_next {
        return true;
    }
    // `while ids:`, `while len(ids) > 0:`, `while not queue.empty()` are
    // not enough on their own: the body must take items out of that name.
    let tested = names_in(cond);
    if tested.is_empty() {
        return false;
    }
    let mut takes = false;
    for stmt in func.body.iter().filter(|s| s.loop_idx == Some(idx)) {
        walk_stmts(std::slice::from_ref(stmt), |e| {
            if let ExprKind::Call { func: callee, .. } = &e.kind
                && let ExprKind::Attr(recv, m) = &callee.kind
                && TAKE_ITEM.contains(&m.as_str())
                && matches!(&recv.kind, ExprKind::Name(n) if tested.contains(&n.as_str()))
            {
                takes = true;
            }
        });
    }
    takes
}

/// Per-item closures of a function: `xs.iter().map(|x| ...)` and the like.
fn per_item_closures(body: &[archlint_model::Stmt]) -> Vec<Repeat<'_>> {
    let mut out = Vec::new();
    walk_stmts(body, |e| {
        let ExprKind::Call { func, args } = &e.kind else {
            return;
        };
        let ExprKind::Attr(recv, m) = &func.kind else {
            return;
        };
        if !PER_ITEM_METHODS.contains(&m.as_str()) || !iterates(recv) {
            return;
        }
        for a in args {
            if let ExprKind::Lambda { .. } = a.value.kind {
                out.push(Repeat {
                    span: a.value.span,
                    iter: Some(recv),
                });
            }
        }
    });
    out
}

/// Whether a receiver chain starts an iteration (`.iter()`, `stream::iter(..)`).
fn iterates(recv: &Expr) -> bool {
    let mut cur = recv;
    for _ in 0..32 {
        match &cur.kind {
            ExprKind::Call { func, .. } => {
                if func.last_name().is_some_and(|n| ITER_SOURCES.contains(&n)) {
                    return true;
                }
                match &func.kind {
                    ExprKind::Attr(inner, _) => cur = inner,
                    _ => return false,
                }
            }
            ExprKind::Await(inner) | ExprKind::Attr(inner, _) => cur = inner,
            _ => return false,
        }
    }
    false
}

/// What repeats around `span` in `func`: its loop (from `loop_idx`) or a per-item closure.
fn repeat_around<'a>(
    func: &'a Function,
    closures: &[Repeat<'a>],
    loop_idx: Option<u32>,
    span: Span,
    name_bounded: &dyn Fn(&str) -> bool,
) -> Option<Repeat<'a>> {
    if let Some(l) = repeating_loop(func, loop_idx, span, name_bounded) {
        return Some(Repeat {
            span: l.span,
            iter: l.iter.as_ref(),
        });
    }
    closures
        .iter()
        .filter(|c| c.span.contains(&span))
        .max_by_key(|c| c.span.start)
        .map(|c| Repeat {
            span: c.span,
            iter: c.iter,
        })
}

impl Rule for NPlusOne {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let project = &cx.index.project;
        let mut by_func: BTreeMap<FuncRef, Vec<&QueryFact>> = BTreeMap::new();
        // Rust closures that run once per process (`OnceCell::get_or_init`):
        // their queries are not repeated by calling the function again.
        let mut once: BTreeMap<FuncRef, Vec<Span>> = BTreeMap::new();
        for q in &cx.db.queries {
            if let Some(f) = q.func {
                let spans = once.entry(f).or_insert_with(|| {
                    match (project.file(f.file), project.func(f)) {
                        (Some(file), Some(func)) if file.language == Language::Rust => {
                            archlint_frameworks::calls::once_closures(func)
                        }
                        _ => Vec::new(),
                    }
                });
                if spans.iter().any(|s| s.contains(&q.span)) {
                    continue;
                }
                by_func.entry(f).or_default().push(q);
            }
        }
        if by_func.is_empty() {
            return;
        }
        let graph = &cx.calls.graph;
        let reaches: HashMap<FuncRef, bool> = graph.summarize(
            |f| by_func.contains_key(&f),
            |acc, callee, _, _| *acc |= *callee,
        );
        let query_spans: BTreeSet<(u32, Span)> =
            cx.db.queries.iter().map(|q| (q.file, q.span)).collect();

        let found = Found {
            by_func: &by_func,
            reaches: &reaches,
            query_spans: &query_spans,
        };
        // Functions are independent: checked in parallel, findings kept in function order.
        let functions: Vec<(FuncRef, &Function)> = project.functions().collect();
        let per_func: Vec<Vec<Finding>> = functions
            .par_iter()
            .map(|&(fref, func)| self.check_function(cx, fref, func, &found))
            .collect();
        out.extend(per_func.into_iter().flatten());
    }
}

impl NPlusOne {
    /// The findings of one function: its own queries in loops, and its calls
    /// in loops that reach a query.
    fn check_function(
        &self,
        cx: &Context,
        fref: FuncRef,
        func: &Function,
        found: &Found,
    ) -> Vec<Finding> {
        let project = &cx.index.project;
        let graph = &cx.calls.graph;
        let (by_func, reaches, query_spans) = (found.by_func, found.reaches, found.query_spans);
        let mut out = Vec::new();
        let direct = by_func.get(&fref);
        let callees = graph.callees(fref);
        let has_call_to_query = callees
            .iter()
            .any(|(c, _)| reaches.get(c).copied().unwrap_or(false));
        if direct.is_none() && !has_call_to_query {
            return out;
        }
        let closures = per_item_closures(&func.body);
        // A name bound to a literal collection (locally or at module level) is bounded too.
        let name_bounded = |n: &str| -> bool {
            let value = local_value(&func.body, n, None)
                .or_else(|| module_value(cx.index, fref.file, n).map(|(_, v)| v));
            // Iterating a class (`for leg, _ in FeedLegChoices:`) walks
            // its fixed members: an `Enum` or a choices class.
            let class = value.is_none()
                && matches!(
                    cx.index.resolve_name(fref.file, n),
                    Some(archlint_model::Symbol::Class(_))
                );
            class || value.is_some_and(|v| bounded(v, &|_| false))
        };
        let over_query = |r: &Repeat| -> bool { iterates_query(cx, fref, by_func.get(&fref), r) };
        let level = warning_unless_by_operator(&project.files[fref.file as usize].path);

        for q in direct.into_iter().flatten() {
            // Schema changes in a loop (a DROP INDEX per index) are maintenance, not N+1.
            if q.shape
                .as_ref()
                .is_some_and(|sh| sh.kind == archlint_model::QueryKind::Other)
            {
                continue;
            }
            let Some(rep) = repeat_around(func, &closures, q.loop_idx, q.span, &name_bounded)
            else {
                continue;
            };
            // `for sql in statements: cursor.execute(sql)` runs a list of
            // different statements, not one query per row.
            if executes_loop_variable(func, q, rep.span) {
                continue;
            }
            let lazy = matches!(q.source, QuerySource::LazyLoad(_));
            let confidence = if lazy || over_query(&rep) {
                Confidence::High
            } else {
                Confidence::Medium
            };
            let message = match &q.source {
                QuerySource::LazyLoad(rel) => format!(
                    "`{}` lazily loads {rel} once per iteration of {} (line {}): N+1 queries",
                    q.api,
                    rep.describe(),
                    rep.span.start.line
                ),
                _ => format!(
                    "query `{}` runs once per iteration of {} (line {}): N+1 queries",
                    q.api,
                    rep.describe(),
                    rep.span.start.line
                ),
            };
            let anchor = format!("{} {}", func_name(cx, q), q.api);
            let mut f = query_finding(cx, &self.meta.id, level, confidence, q, message, anchor);
            f.related.push(related(
                project.location(fref.file, rep.location_span()),
                "the loop",
            ));
            out.push(f);
        }

        for (callee, site) in callees {
            if !reaches.get(&callee).copied().unwrap_or(false)
                || query_spans.contains(&(fref.file, site.span))
            {
                continue;
            }
            let Some(rep) = repeat_around(func, &closures, site.loop_idx, site.span, &name_bounded)
            else {
                continue;
            };
            let Some(chain) = path_to_query(cx, callee, by_func, reaches) else {
                continue;
            };
            let Some(q) = chain.last().and_then(|(_, q)| *q) else {
                continue;
            };
            let callee_name = project
                .func(callee)
                .map(|f| f.name.clone())
                .unwrap_or_default();
            let q_loc = project.location(q.file, q.span);
            let confidence = if over_query(&rep) {
                Confidence::High
            } else {
                Confidence::Medium
            };
            let message = format!(
                "call to `{callee_name}` runs a query (`{}` at {}:{}) once per iteration of {} (line {}): N+1 queries",
                q.api,
                q_loc.path,
                q_loc.span.start.line,
                rep.describe(),
                rep.span.start.line
            );
            let loop_loc = project.location(fref.file, rep.location_span());
            let mut flow = vec![
                Related {
                    location: loop_loc.clone(),
                    message: "loop".into(),
                },
                Related {
                    location: project.location(fref.file, site.span),
                    message: format!("calls `{callee_name}` on each iteration"),
                },
            ];
            for (step, _) in &chain[..chain.len().saturating_sub(1)] {
                flow.push(step.clone());
            }
            flow.push(Related {
                location: q_loc.clone(),
                message: format!("runs `{}`", q.api),
            });
            let anchor = format!("{} call {}", func.name, callee_name);
            let mut f = Finding {
                rule: self.meta.id.clone(),
                level,
                confidence,
                message,
                location: project.location(fref.file, site.span),
                related: vec![related(loop_loc, "the loop"), related(q_loc, "the query")],
                flow,
                anchor,
                fingerprint: String::new(),
                properties: BTreeMap::new(),
            };
            f.properties.insert("api".into(), q.api.clone());
            f.properties.insert("callee".into(), callee_name);
            out.push(f);
        }
        out
    }
}

/// What the whole-project pass found, for the per-function checks.
struct Found<'a, 'q> {
    by_func: &'a BTreeMap<FuncRef, Vec<&'q QueryFact>>,
    reaches: &'a HashMap<FuncRef, bool>,
    query_spans: &'a BTreeSet<(u32, Span)>,
}

/// Whether the raw query at `q` runs, as its SQL text, the variable of the
/// loop spanning `loop_span`, named like SQL text (`for sql in statements`).
fn executes_loop_variable(func: &Function, q: &QueryFact, loop_span: Span) -> bool {
    if q.source != QuerySource::RawSql {
        return false;
    }
    let Some(ExprKind::Name(var)) = func
        .loops
        .iter()
        .find(|l| l.span == loop_span)
        .and_then(|l| l.target.as_ref())
        .map(|t| &t.kind)
    else {
        return false;
    };
    if !raw().sql.sql_params.matches(var) {
        return false;
    }
    let mut found = false;
    walk_stmts(&func.body, |e| {
        if let ExprKind::Call { args, .. } = &e.kind
            && e.span == q.span
            && let Some(first) = args.first().filter(|a| a.name.is_none())
        {
            found |= matches!(&first.value.unwrap_await().kind, ExprKind::Name(n) if n == var);
        }
    });
    found
}

/// Whether the repeating context iterates over another query's result: its
/// iterable contains a query, or names a variable a query's result was bound to.
fn iterates_query(
    cx: &Context,
    fref: FuncRef,
    own: Option<&Vec<&QueryFact>>,
    rep: &Repeat,
) -> bool {
    let Some(iter) = rep.iter else { return false };
    // `for r in cur.fetchall()`: the rows of the query the cursor ran.
    if let ExprKind::Call { func, .. } = &iter.unwrap_await().kind
        && func.last_name().is_some_and(|n| ROW_SOURCES.contains(&n))
    {
        return true;
    }
    if cx
        .db
        .queries
        .iter()
        .any(|q| q.file == fref.file && iter.span.contains(&q.span))
    {
        return true;
    }
    let mut root = iter;
    for _ in 0..16 {
        match &root.kind {
            ExprKind::Call { func, .. } => match &func.kind {
                ExprKind::Attr(inner, _) => root = inner,
                _ => break,
            },
            ExprKind::Attr(inner, _) | ExprKind::Await(inner) => root = inner,
            _ => break,
        }
    }
    match &root.kind {
        ExprKind::Name(n) => {
            own.is_some_and(|qs| qs.iter().any(|q| q.bound_to.as_deref() == Some(n.as_str())))
        }
        _ => false,
    }
}

/// The chain of call sites from `start` to a function that runs a query, and
/// that query: each step is (call site, None), the last (query site, Some(query)).
fn path_to_query<'q>(
    cx: &Context,
    start: FuncRef,
    by_func: &BTreeMap<FuncRef, Vec<&'q QueryFact>>,
    reaches: &HashMap<FuncRef, bool>,
) -> Option<Vec<(Related, Option<&'q QueryFact>)>> {
    let project = &cx.index.project;
    let mut steps: Vec<(Related, Option<&'q QueryFact>)> = Vec::new();
    let mut visited = BTreeSet::new();
    let mut cur = start;
    for _ in 0..32 {
        if !visited.insert(cur) {
            return None;
        }
        if let Some(q) = by_func.get(&cur).and_then(|qs| qs.first()) {
            steps.push((
                Related {
                    location: project.location(q.file, q.span),
                    message: q.api.clone(),
                },
                Some(*q),
            ));
            return Some(steps);
        }
        let next = cx
            .calls
            .graph
            .callees(cur)
            .into_iter()
            .find(|(c, _)| reaches.get(c).copied().unwrap_or(false) && !visited.contains(c))?;
        let name = project
            .func(next.0)
            .map(|f| f.name.clone())
            .unwrap_or_default();
        steps.push((
            Related {
                location: project.location(cur.file, next.1.span),
                message: format!("calls `{name}`"),
            },
            None,
        ));
        cur = next.0;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Context;
    use archlint_frameworks::Knowledge;
    use archlint_frameworks::calls::analyse_calls;
    use archlint_model::{
        DbModel, Language, ModuleName, Project, ProjectIndex, SourceFile, StmtKind,
    };
    use archlint_python::PythonExtractor;

    /// Runs the rule on one Python module where every call to `db_query(...)`
    /// is a query (the extraction of real APIs is tested elsewhere).
    fn run(src: &str) -> Vec<Finding> {
        let facts = PythonExtractor::new().extract(src.as_bytes());
        let project = Project::new(vec![SourceFile {
            path: "app.py".into(),
            language: Language::Python,
            module: ModuleName {
                module: "app".into(),
                ..Default::default()
            },
            facts,
        }]);
        let index = ProjectIndex::new(&project);
        let k = Knowledge::builtin();
        let calls = analyse_calls(&index, &k);
        let mut db = DbModel::default();
        for (fref, func) in project.functions() {
            for stmt in &func.body {
                walk_stmts(std::slice::from_ref(stmt), |e| {
                    if let ExprKind::Call { func: callee, .. } = &e.kind
                        && matches!(&callee.kind, ExprKind::Name(n) if n == "db_query")
                    {
                        let bound_to = match &stmt.kind {
                            StmtKind::Assign { targets, .. } => {
                                targets.first().and_then(|t| match &t.kind {
                                    ExprKind::Name(n) => Some(n.clone()),
                                    _ => None,
                                })
                            }
                            _ => None,
                        };
                        db.queries.push(QueryFact {
                            file: 0,
                            func: Some(fref),
                            span: e.span,
                            loop_idx: stmt.loop_idx,
                            api: "db_query".into(),
                            source: QuerySource::RawSql,
                            text: None,
                            text_at: None,
                            bound_params: false,
                            shape: None,
                            all_rows: false,
                            returned: false,
                            bound_to,
                        });
                    }
                });
            }
        }
        let cx = Context {
            index: &index,
            routes: &[],
            calls: &calls,
            knowledge: &k,
            db: &db,
        };
        let mut out = Vec::new();
        NPlusOne::new().check(&cx, &mut out);
        out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        out
    }

    fn lines(fs: &[Finding]) -> Vec<u32> {
        fs.iter().map(|f| f.location.span.start.line).collect()
    }

    #[test]
    fn direct_query_in_loop() {
        let fs = run("def f(ids):\n    for i in ids:\n        db_query(i)\n");
        assert_eq!(lines(&fs), [3]);
        assert_eq!(fs[0].confidence, Confidence::Medium);
    }

    #[test]
    fn loop_over_another_querys_result_is_high_confidence() {
        let fs = run("def f():\n    rows = db_query()\n    for r in rows:\n        db_query(r)\n");
        assert_eq!(lines(&fs), [4]);
        assert_eq!(fs[0].confidence, Confidence::High);
    }

    #[test]
    fn through_two_levels_of_calls_with_a_code_flow() {
        let src = "def load(i):\n    return fetch(i)\n\ndef fetch(i):\n    return db_query(i)\n\ndef page(ids):\n    for i in ids:\n        load(i)\n";
        let fs = run(src);
        assert_eq!(lines(&fs), [9]);
        let flow: Vec<u32> = fs[0]
            .flow
            .iter()
            .map(|s| s.location.span.start.line)
            .collect();
        assert_eq!(
            flow,
            [8, 9, 2, 5],
            "loop, call in loop, call in load, query in fetch"
        );
        assert!(fs[0].message.contains("`load`"), "{}", fs[0].message);
    }

    #[test]
    fn through_recursion() {
        let src = "def walk(node):\n    db_query(node)\n    for c in node.children:\n        walk(c)\n\ndef tree(roots):\n    for r in roots:\n        walk(r)\n";
        let fs = run(src);
        assert_eq!(
            lines(&fs),
            [4, 8],
            "the recursive call and the outer loop's call"
        );
    }

    #[test]
    fn bounded_and_while_loops_are_silent() {
        let src = "def f(a, b):\n    for attempt in range(3):\n        db_query(attempt)\n    for kind in ('a', 'b'):\n        db_query(kind)\n    for model in [a, b]:\n        db_query(model)\n    for t in run_with_db_retries():\n        db_query(t)\n    for c in chunk_list(a):\n        db_query(c)\n    while True:\n        db_query(1)\n";
        assert!(run(src).is_empty());
    }

    #[test]
    fn while_loops_that_consume_rows_or_a_collection_repeat_per_item() {
        let src = "def f(cur, ids, queue):\n    while (row := cur.fetchone()) is not None:\n        db_query(row)\n    while ids:\n        i = ids.pop()\n        db_query(i)\n    while len(queue) > 0:\n        db_query(queue.popleft())\n";
        assert_eq!(lines(&run(src)), [3, 6, 8]);
    }

    #[test]
    fn while_loops_that_poll_retry_or_fetch_in_their_condition_are_silent() {
        // A poll, a retry counter, a collection the body never takes from,
        // and the loop's own fetch in its condition.
        let src = "def f(ids, n):\n    while not done():\n        db_query(1)\n    attempts = 0\n    while attempts < n:\n        attempts += 1\n        db_query(attempts)\n    while ids:\n        db_query(ids)\n        ids = []\n    while (row := db_query().fetchone()):\n        print(row)\n";
        assert!(run(src).is_empty(), "{:?}", lines(&run(src)));
    }

    #[test]
    fn loops_over_constant_names_and_batch_ranges_are_silent() {
        let src = "STATUSES = ('a', 'b')\ndef f(n):\n    kinds = ['x', 'y']\n    for s in STATUSES:\n        db_query(s)\n    for k in kinds:\n        db_query(k)\n    for start in range(0, n, 500):\n        db_query(start)\n";
        assert!(run(src).is_empty(), "{:?}", run(src));
    }

    #[test]
    fn rows_of_a_cursor_give_high_confidence() {
        let fs = run("def f(cur):\n    for r in cur.fetchall():\n        db_query(r)\n");
        assert_eq!(fs[0].confidence, Confidence::High);
    }

    #[test]
    fn retry_ranges_batch_lists_and_statement_lists_are_silent() {
        let src = "class S:\n    MAX_RETRIES = 3\n    def f(self, keys, statements, cur, ids):\n        for attempt in range(self.MAX_RETRIES):\n            db_query(attempt)\n        key_batches = [keys[i:i + 500] for i in range(0, len(keys), 500)]\n        for batch in key_batches:\n            db_query(batch)\n        for sql in statements:\n            db_query(sql)\n        for i in ids:\n            db_query('SELECT 1 FROM t WHERE id = %s', i)\n        for n in range(self.limit):\n            db_query(n)\n";
        assert_eq!(lines(&run(src)), [12, 14]);
    }

    #[test]
    fn attempts_with_an_unused_variable_are_silent() {
        // Until a generated name is free: the variable is `_`. Per-number
        // work (`n` used) and `_` over a collection still report.
        let src = "def f(ids):\n    for _ in range(100):\n        name = new_name()\n        if not db_query(name):\n            return name\n    for n in range(100):\n        db_query(n)\n    for _ in ids:\n        db_query(1)\n";
        assert_eq!(lines(&run(src)), [7, 9]);
    }

    #[test]
    fn endless_counters_and_class_members_are_not_per_item() {
        let src = "import itertools\nfrom enum import Enum\nclass Leg(Enum):\n    A = 'a'\n    B = 'b'\ndef f(rows):\n    for n in itertools.count(start=1):\n        db_query(n)\n    for leg in Leg:\n        db_query(leg)\n    for r in rows.count():\n        db_query(r)\n";
        assert_eq!(lines(&run(src)), [12]);
    }

    #[test]
    fn a_query_for_the_one_matching_item_is_not_per_item() {
        // The `id` lookups run once; a filter on another field, an `or`,
        // and a comparison with a literal still run for many items.
        let src = "def f(pastas, wanted, org, conf):\n    for p in pastas:\n        if p.id == wanted:\n            db_query(p)\n    for i, p in enumerate(pastas):\n        if wanted == p.pk and p.live:\n            db_query(p)\n    for u in pastas:\n        if u.org_id == org.id:\n            db_query(u)\n    for u in pastas:\n        if u.id == wanted or u.public:\n            db_query(u)\n    for u in pastas:\n        if u.id == 0:\n            db_query(u)\n    for k, v in conf.items():\n        if v == CENSORED:\n            db_query(k)\n";
        assert_eq!(lines(&run(src)), [10, 13, 16, 19]);
    }

    #[test]
    fn batched_loops_are_silent() {
        let src = "def f(ids):\n    for chunk in batched(ids, 1000):\n        db_query(chunk)\n";
        assert!(run(src).is_empty());
    }

    #[test]
    fn query_outside_loop_and_comprehension() {
        assert!(run("def f(ids):\n    db_query(ids)\n").is_empty());
        let fs = run("def f(ids):\n    return [db_query(i) for i in ids]\n");
        assert_eq!(lines(&fs), [2]);
    }
}

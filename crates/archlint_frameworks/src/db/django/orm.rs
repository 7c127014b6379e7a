//! Query facts for the ORM chains of one body: where each chain is (its
//! outermost call), its shape, whether it returns every row, whether the
//! body returns it (directly, through a local, `list(...)`, a serializer's
//! `.data`, a response), and the local it is bound to. A queryset bound to a
//! local and only ever refined (`qs = qs.filter(...)`) is not a query of
//! its own: its refinements carry its conditions.

use super::chain::{Chain, Root};
use super::knowledge::names;
use super::scope::Scope;
use super::tree::{consumed, parent_of};
use archlint_model::visit::walk_expr_with;
use archlint_model::{
    ArgsExt, Expr, ExprKind, LoopIdx, LoopKind, Pos, QueryFact, QuerySource, StmtKind,
};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Bound on the expressions followed from one `return`.
const RETURN_BUDGET: usize = 256;

/// A chain found in the body.
struct Site<'a> {
    expr: &'a Expr,
    /// The statement expression or loop iterable it is part of.
    root: &'a Expr,
    chain: Chain<'a>,
    loop_idx: Option<LoopIdx>,
    /// The local it is assigned to, and the assigned value (the chain, or
    /// `list(chain)`).
    bound: Option<(&'a str, &'a Expr)>,
}

/// The expressions of each statement and loop iterable, with where they are
/// evaluated, the innermost loop around them, and the statement's index.
fn roots<'a>(scope: &Scope<'a, '_, '_>) -> Vec<(&'a Expr, Pos, Option<LoopIdx>, Option<usize>)> {
    let mut out = Vec::new();
    for (i, s) in scope.body.iter().enumerate() {
        let e = match &s.kind {
            StmtKind::Assign { value, .. } => value,
            StmtKind::Expr(e) | StmtKind::Return(e) => e,
        };
        out.push((e, s.span.start, s.loop_idx, Some(i)));
    }
    for l in scope.loops {
        // A `while` condition is also a statement of the loop; a `for`
        // iterable lives only in its loop and runs once, outside it.
        if matches!(l.kind, LoopKind::For | LoopKind::Comprehension)
            && let Some(iter) = &l.iter
        {
            out.push((iter, l.span.start, l.parent, None));
        }
    }
    out
}

/// `list(chain)`, `tuple(chain)`: the chain inside a wrapper.
fn unwrap_list(e: &Expr) -> &Expr {
    match e.as_call() {
        Some((f, args)) if matches!(f.last_name(), Some("list" | "tuple" | "sorted")) => {
            args.positional(0).unwrap_or(e)
        }
        _ => e,
    }
}

/// What the body returns: expressions, and locals (with where they are read).
#[derive(Default)]
struct Returned<'a> {
    exprs: HashSet<*const Expr>,
    names: Vec<(&'a str, Pos)>,
}

/// `OrderSerializer(qs, many=True)`, `self.get_serializer(qs, many=True)`.
fn serializer_rows(e: &Expr) -> Option<&Expr> {
    let (f, args) = e.as_call()?;
    let name = f.last_name()?;
    let many = matches!(
        args.keyword("many").map(|v| &v.kind),
        Some(ExprKind::Bool(true))
    );
    (many && (name.ends_with("Serializer") || name == "get_serializer"))
        .then(|| args.positional(0).or_else(|| args.keyword("instance")))
        .flatten()
}

fn returned<'a>(scope: &Scope<'a, '_, '_>) -> Returned<'a> {
    let mut out = Returned::default();
    let n = names();
    if scope.name.is_some_and(|f| n.hooks.matches(f)) {
        return out;
    }
    let mut stack: Vec<(&'a Expr, Pos)> = scope
        .body
        .iter()
        .filter_map(|s| match &s.kind {
            StmtKind::Return(v) => Some((v, s.span.start)),
            _ => None,
        })
        .collect();
    let mut budget = RETURN_BUDGET;
    while let (Some((e, at)), true) = (stack.pop(), budget > 0) {
        budget -= 1;
        let e = e.unwrap_await();
        match &e.kind {
            ExprKind::Call { func, args } => {
                if let Some(rows) = serializer_rows(e) {
                    stack.push((rows, at));
                } else if func.last_name().is_some_and(|f| n.wrappers.matches(f)) {
                    for key in ["data", "content"] {
                        if let Some(v) = args.keyword(key) {
                            stack.push((v, at));
                        }
                    }
                    if let Some(v) = args.positional(0) {
                        stack.push((v, at));
                    }
                } else {
                    out.exprs.insert(e);
                }
            }
            // `serializer.data` / `OrderSerializer(qs, many=True).data`.
            ExprKind::Attr(inner, a) if a == "data" => {
                let call = match &inner.kind {
                    ExprKind::Name(v) => scope.local_value(v, at),
                    _ => Some(inner.as_ref()),
                };
                if let Some(rows) = call.and_then(serializer_rows) {
                    stack.push((rows, at));
                }
            }
            ExprKind::Dict(pairs) => stack.extend(pairs.iter().map(|(_, v)| (v, at))),
            ExprKind::List(xs) | ExprKind::Tuple(xs) => stack.extend(xs.iter().map(|x| (x, at))),
            ExprKind::Name(v) => {
                out.names.push((v, at));
                // `data = serializer(qs, many=True).data` then `return Response(data)`.
                if let Some((value, pos)) = scope.local(v, at)
                    && !matches!(value.kind, ExprKind::Name(_))
                    && scope.chain(value, at).is_none()
                {
                    stack.push((value, pos));
                }
            }
            // A comprehension: what it iterates is returned, row by row.
            ExprKind::Other(xs) if xs.is_empty() => {
                if let Some(l) = scope
                    .loops
                    .iter()
                    .find(|l| l.kind == LoopKind::Comprehension && l.span == e.span)
                    && let Some(iter) = &l.iter
                {
                    stack.push((iter, l.span.start));
                }
            }
            _ => {
                out.exprs.insert(e);
            }
        }
    }
    out
}

/// Adds the ORM query facts of a body to `out`.
pub fn queries(scope: &Scope<'_, '_, '_>, out: &mut Vec<QueryFact>) {
    let mut claimed: HashSet<*const Expr> = HashSet::default();
    let mut sites: Vec<Site> = Vec::new();
    let roots = roots(scope);
    let mut stack = Vec::new();
    for &(root, at, loop_idx, stmt) in &roots {
        walk_expr_with(&mut stack, root, |e| {
            // Most bodies have no chain: skip the set lookup while it is empty.
            if !claimed.is_empty() && claimed.contains(&(e as *const Expr)) {
                return;
            }
            if let ExprKind::Name(_) = e.kind {
                return;
            }
            let Some(chain) = scope.chain(e, at) else {
                return;
            };
            claimed.extend(chain.links.iter().map(|x| *x as *const Expr));
            let bound = stmt.and_then(|i| match &scope.body.get(i)?.kind {
                StmtKind::Assign {
                    targets,
                    value,
                    augmented: false,
                    ..
                } if std::ptr::eq(unwrap_list(value), e) => match targets.as_slice() {
                    [t] => match &t.kind {
                        ExprKind::Name(n) => Some((n.as_str(), value)),
                        _ => None,
                    },
                    _ => None,
                },
                _ => None,
            });
            sites.push(Site {
                expr: e,
                root,
                chain,
                loop_idx,
                bound,
            });
        });
    }
    if sites.is_empty() {
        return;
    }
    // Reads of the names sites are bound to, outside any chain. A second
    // walk, as few bodies have a site: a chain claims only expressions
    // inside it, which the pre-order walk reaches after the chain, so the
    // final claimed set is the one each read would have met.
    let bound: Vec<&str> = sites
        .iter()
        .filter_map(|t| t.bound.map(|(n, _)| n))
        .collect();
    let mut reads: HashMap<&str, Vec<(&Expr, Pos, &Expr)>> = HashMap::default();
    if !bound.is_empty() {
        for &(root, at, _, _) in &roots {
            walk_expr_with(&mut stack, root, |e| {
                if let ExprKind::Name(n) = &e.kind
                    && bound.contains(&n.as_str())
                    && !claimed.contains(&(e as *const Expr))
                {
                    reads.entry(n.as_str()).or_default().push((e, at, root));
                }
            });
        }
    }
    let ret = returned(scope);
    let mut refinements: HashMap<&str, Vec<Pos>> = HashMap::default();
    for t in &sites {
        if let Root::Local { name, at } = &t.chain.root {
            refinements.entry(name).or_default().push(*at);
        }
    }
    // Whether the local `name` read at `at` holds `value`.
    let holds = |name: &str, at: Pos, value: &Expr| {
        scope
            .local_value(name, at)
            .is_some_and(|v| std::ptr::eq(v, value))
    };
    for site in &sites {
        // Relations loaded per row of a loop are lazy loads (see `lazy`).
        if let Root::Related { owner, .. } = &site.chain.root
            && owner.loop_var.is_some()
        {
            continue;
        }
        let Some(ev) = scope.eval(&site.chain) else {
            continue;
        };
        // `none()` runs nothing; a custom method last may be anything (a
        // cached lookup, a dict).
        if ev.res == super::eval::Res::Empty || ev.last_unknown {
            continue;
        }
        let mut shape = ev.known.then(|| ev.shape.clone());
        if let Some((name, value)) = site.bound
            && std::ptr::eq(value, site.expr)
        {
            let refined = refinements
                .get(name)
                .is_some_and(|ats| ats.iter().any(|at| holds(name, *at, value)));
            let read = reads
                .get(name)
                .is_some_and(|rs| rs.iter().any(|(_, at, _)| holds(name, *at, value)));
            if refined && !read {
                continue;
            }
            if refined {
                shape = None;
            }
        }
        let returned = ret.exprs.contains(&(site.expr as *const Expr))
            || site.bound.is_some_and(|(name, value)| {
                ret.names
                    .iter()
                    .any(|(n, at)| *n == name && holds(name, *at, value))
            });
        // A queryset is lazy: in a loop, it runs there only if it is
        // consumed there (iterated, counted, tested), itself or through its local.
        let loop_idx = match (site.loop_idx, ev.res) {
            (Some(l), super::eval::Res::QuerySet) => {
                let here = match site.bound {
                    Some((name, value)) => reads.get(name).is_some_and(|rs| {
                        rs.iter().any(|(e, at, root)| {
                            holds(name, *at, value) && consumed(parent_of(root, e))
                        })
                    }),
                    None => consumed(parent_of(site.root, site.expr)),
                };
                here.then_some(l)
            }
            (l, _) => l,
        };
        out.push(QueryFact {
            file: scope.file,
            func: scope.func,
            span: site.expr.span,
            loop_idx,
            api: site.chain.api(),
            source: QuerySource::Orm,
            text: None,
            text_at: None,
            bound_params: false,
            all_rows: ev.all_rows() && shape.is_some(),
            shape,
            returned,
            bound_to: site.bound.map(|(n, _)| n.to_string()),
        });
    }
}

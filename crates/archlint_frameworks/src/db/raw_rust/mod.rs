//! Raw SQL in Rust: sqlx macros and query functions with their executors,
//! diesel `sql_query`, tokio-postgres/postgres clients and rusqlite
//! connections and prepared statements.
//!
//! A query is found from the top of its method chain down: the base that
//! holds the SQL (`api.rs`), then the `.bind(..)` calls and the executor
//! (`.fetch_all(&pool)`) above it. The fact spans the chain up to the
//! executor (the base alone when no executor is visible), its text is
//! rebuilt with holes and their taint (`text.rs`, `taint.rs`), and the
//! chain's place in its statement says whether the rows are returned or
//! bound to a variable. Closure bodies are scanned as bodies of their own,
//! so a query in `.map(|id| ..)` keeps its own statement.

mod api;
mod chain;
mod eval;
mod taint;
mod text;

#[cfg(test)]
mod tests;

use crate::db::DbCx;
use crate::db::sqltext::detect::is_migration_path;
use crate::db::sqltext::knowledge::raw;
use crate::db::sqltext::locals::Locals;
use crate::db::sqltext::scope::Scope;
use crate::db::sqltext::shape::unbounded;
use crate::db::sqltext::usage::{Body, Role, walk_shallow};
use crate::db::sqltext::{Consts, Shaper};
use api::SqlArg;
use archlint_model::{
    DbModel, Expr, ExprKind, FuncRef, Function, Language, Pos, QueryFact, QuerySource, SourceFile,
    Stmt, StmtKind,
};
use chain::{Chain, usage};
use eval::{BUDGET, Eval};
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::Cell;

/// Deepest closure nesting scanned.
const MAX_CLOSURE_DEPTH: u32 = 8;

/// Adds the raw SQL queries of every Rust file to `out`. Files are scanned
/// in parallel, each into its own part (a worker keeps one shaping cache);
/// `build_db` sorts the merged queries, so the parts' order does not matter.
pub fn collect(cx: &DbCx, out: &mut DbModel) {
    let consts = Consts::new(cx.index);
    let parts: Vec<DbModel> = cx
        .index
        .project
        .files
        .par_iter()
        .enumerate()
        .map_init(
            || Shaper::new(cx.dialect),
            |shaper, (fi, file)| {
                let mut part = DbModel::default();
                collect_file(cx, &consts, shaper, fi as u32, file, &mut part);
                part
            },
        )
        .collect();
    for part in parts {
        out.queries.extend(part.queries);
        out.problems.extend(part.problems);
    }
}

fn collect_file(
    cx: &DbCx,
    consts: &Consts,
    shaper: &mut Shaper,
    fi: u32,
    file: &SourceFile,
    out: &mut DbModel,
) {
    // Migrations are schema work, run once: not queries of the service.
    if file.language != Language::Rust || is_migration_path(&file.path) {
        return;
    }
    let crates = &raw().rust.crates;
    let db_file = file.facts.imports.iter().any(|i| {
        crates.iter().any(|c| {
            i.module
                .strip_prefix(c.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
                || (i.module.is_empty() && i.name.as_deref() == Some(c.as_str()))
        })
    });
    for (i, func) in file.facts.functions.iter().enumerate() {
        if !has_candidate(&func.body) {
            continue;
        }
        let scan = Scan {
            cx,
            consts,
            file: fi,
            fref: FuncRef {
                file: fi,
                func: i as u32,
            },
            func,
            db_file,
        };
        scan.run(shaper, out);
    }
}

/// Whether a body mentions any query API name at all (a cheap first look).
fn has_candidate(stmts: &[Stmt]) -> bool {
    let rs = &raw().rust;
    let mut found = false;
    archlint_model::visit::walk_stmts(stmts, |e| {
        if found {
            return;
        }
        found = match &e.kind {
            ExprKind::Macro { path, .. } => path
                .last()
                .is_some_and(|m| rs.sqlx_macros.matches(m) || rs.sqlx_file_macros.matches(m)),
            ExprKind::Call { func, .. } => func.last_name().is_some_and(|m| {
                rs.sqlx_functions.matches(m)
                    || rs.diesel_functions.matches(m)
                    || rs.client_methods.matches(m)
                    || rs.statement_methods.matches(m)
            }),
            _ => false,
        };
    });
    found
}

/// One function being scanned.
struct Scan<'a, 'p> {
    cx: &'a DbCx<'a, 'p>,
    consts: &'a Consts<'a, 'p>,
    file: u32,
    fref: FuncRef,
    func: &'p Function,
    /// The file imports a database crate (needed to trust handle names).
    db_file: bool,
}

/// Where a statement's root expression sits.
#[derive(Clone, Copy)]
struct Site {
    si: usize,
    pos: Pos,
    loop_idx: Option<u32>,
    in_closure: bool,
}

impl<'a, 'p> Scan<'a, 'p> {
    fn run(&self, shaper: &mut Shaper, out: &mut DbModel) {
        let locals = Locals::of(&self.func.body, &self.func.loops);
        let budget = Cell::new(BUDGET);
        let eval = Eval(Scope {
            cx: self.cx,
            consts: self.consts,
            file: self.file,
            fref: Some(self.fref),
            func: Some(self.func),
            locals: Some(&locals),
            is_handler: self.cx.handlers.contains(&self.fref),
            budget: &budget,
        });
        let mut seen = HashSet::default();
        let mut cx = Walk {
            eval: &eval,
            seen: &mut seen,
            pending: HashMap::default(),
            shaper,
            out,
        };
        self.body(&mut cx, &self.func.body, None, false, 0);
    }

    fn body(
        &self,
        w: &mut Walk<'_, 'a, 'p>,
        stmts: &'p [Stmt],
        outer_loop: Option<u32>,
        in_closure: bool,
        depth: u32,
    ) {
        let body = Body {
            stmts,
            loops: &self.func.loops,
        };
        for (si, stmt) in stmts.iter().enumerate() {
            let (root, role) = match &stmt.kind {
                StmtKind::Assign { targets, value, .. } => {
                    let role = match targets.as_slice() {
                        [t] => match &t.kind {
                            ExprKind::Name(n) => Role::Assign(n),
                            _ => Role::Inside { returned: false },
                        },
                        _ => Role::Inside { returned: false },
                    };
                    (value, role)
                }
                StmtKind::Expr(e) => (e, Role::Stmt),
                StmtKind::Return(e) => (
                    e,
                    Role::Inside {
                        returned: !in_closure,
                    },
                ),
            };
            let inside = Role::Inside {
                returned: !in_closure && matches!(stmt.kind, StmtKind::Return(_)),
            };
            let site = Site {
                si,
                pos: stmt.span.start,
                loop_idx: stmt.loop_idx.or(outer_loop),
                in_closure,
            };
            let mut nodes: Vec<&'p Expr> = Vec::new();
            let mut closures: Vec<&'p [Stmt]> = Vec::new();
            walk_shallow(
                root,
                |e| {
                    if matches!(
                        e.kind,
                        ExprKind::Call { .. } | ExprKind::Await(_) | ExprKind::Macro { .. }
                    ) {
                        nodes.push(e);
                    }
                },
                |b| closures.push(b),
            );
            for top in nodes {
                let role = if std::ptr::eq(top, root) {
                    role
                } else {
                    inside
                };
                let Some(chain) = self.unroll(w, top, site.pos) else {
                    self.deferred(w, top, role, site, &body);
                    continue;
                };
                let base_ptr = chain.base_expr as *const Expr;
                if let Some((q, executed)) = self.fact(w, chain, role, site, &body) {
                    if !executed {
                        w.pending.insert(base_ptr, w.out.queries.len());
                    }
                    w.out.queries.push(q);
                }
            }
            if depth < MAX_CLOSURE_DEPTH {
                for b in closures {
                    self.body(w, b, site.loop_idx, true, depth + 1);
                }
            }
        }
    }

    /// The fact of a query chain, and whether an executor runs it in the
    /// chain (when not, a later `q.fetch_all(..)` on the variable holding it
    /// may: see [`Scan::deferred`]).
    fn fact(
        &self,
        w: &mut Walk<'_, 'a, 'p>,
        chain: Chain<'p>,
        role: Role,
        site: Site,
        body: &Body,
    ) -> Option<(QueryFact, bool)> {
        let rs = &raw().rust;
        let eval = w.eval;
        let base = chain.base;
        let mut bound = base.bound;
        let mut span = chain.base_expr.span;
        let mut all_rows = base.all_rows;
        let mut executed = base.runs;
        if !base.runs {
            for (m, call) in &chain.above {
                if rs.bind_methods.matches(m) {
                    bound = true;
                } else if rs.executors.matches(m) {
                    span = call.span;
                    all_rows = rs.all_rows_executors.matches(m);
                    executed = true;
                    break;
                }
            }
        }
        eval.budget.set(BUDGET);
        let shaped = match base.sql {
            SqlArg::Expr(x, at) => {
                let at = if at == Pos::default() { site.pos } else { at };
                match eval.text(x, at, 0) {
                    Some(p) if Shaper::is_sql(&p, base.db) => Some(w.shaper.shape(p)),
                    Some(_) => return None,
                    None => None,
                }
            }
            SqlArg::Unknown => None,
        };
        let (text, text_at, shape) = match shaped {
            Some(s) => {
                if let Some(p) = s.problem {
                    w.out.problems.push(p);
                }
                (Some(s.text), s.text_at, s.shape)
            }
            None => (None, None, None),
        };
        let (returned, bound_to) = usage(role, site, body);
        let q = QueryFact {
            file: self.file,
            func: Some(self.fref),
            span,
            loop_idx: site.loop_idx,
            api: base.api,
            source: QuerySource::RawSql,
            text,
            text_at,
            bound_params: bound,
            all_rows: all_rows && unbounded(shape.as_ref()),
            shape,
            returned,
            bound_to,
        };
        Some((q, executed))
    }
}

/// State carried through one function's walk.
struct Walk<'w, 'a, 'p> {
    eval: &'w Eval<'a, 'p>,
    seen: &'w mut HashSet<*const Expr>,
    /// Queries built without an executor in their chain, by their base,
    /// with their index in `out.queries`.
    pending: HashMap<*const Expr, usize>,
    shaper: &'w mut Shaper,
    out: &'w mut DbModel,
}

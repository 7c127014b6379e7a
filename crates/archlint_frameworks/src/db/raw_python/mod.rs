//! Raw SQL in Python: DB-API cursors and connections (sqlite3, psycopg2,
//! pymysql), SQLAlchemy `text()`/`exec_driver_sql`, asyncpg, the
//! `databases` library and Django `Model.objects.raw`/`connection.cursor()`.
//!
//! Each execution call becomes a [`QueryFact`] with its SQL text rebuilt
//! (`text.rs`), the taint of every value inserted at runtime (`taint.rs`),
//! its shape from archlint_sql, and what the function does with the rows
//! (`result.rs`). Calls whose receiver is not a database handle count only
//! when their argument is SQL text (`api.rs`), so `executor.execute(job)`
//! is never a query.

mod api;
mod ddl;
mod eval;
mod result;
mod taint;
mod text;

#[cfg(test)]
mod tests;

use crate::db::DbCx;
use crate::db::sqltext::detect::is_migration_path;
use crate::db::sqltext::knowledge::raw;
use crate::db::sqltext::locals::Locals;
use crate::db::sqltext::pieces::Pieces;
use crate::db::sqltext::scope::Scope;
use crate::db::sqltext::shape::unbounded;
use crate::db::sqltext::usage::{Body, Role};
use crate::db::sqltext::{Consts, Shaper};
use archlint_model::{
    DbModel, Expr, ExprKind, FuncRef, Function, Language, Loop, LoopKind, Pos, QueryFact,
    QuerySource, SchemaSource, Stmt, StmtKind,
};
use eval::{BUDGET, Eval};
use rustc_hash::FxHashSet as HashSet;
use std::cell::Cell;

/// Adds the raw SQL queries of every Python file to `out`.
pub fn collect(cx: &DbCx, out: &mut DbModel) {
    let consts = Consts::new(cx.index);
    let mut shaper = Shaper::new(cx.dialect);
    for (fi, file) in cx.index.project.files.iter().enumerate() {
        // Migrations are schema work, run once: not queries of the service.
        if file.language != Language::Python || is_migration_path(&file.path) {
            continue;
        }
        let fi = fi as u32;
        let facts = &file.facts;
        for (i, func) in facts.functions.iter().enumerate() {
            if !has_candidate(&func.body, &func.loops) {
                continue;
            }
            let fref = FuncRef {
                file: fi,
                func: i as u32,
            };
            let scan = Scan {
                cx,
                consts: &consts,
                file: fi,
                fref: Some(fref),
                func: Some(func),
                body: Body {
                    stmts: &func.body,
                    loops: &func.loops,
                },
            };
            scan.run(&mut shaper, out);
        }
        if has_candidate(&facts.module_stmts, &facts.module_loops) {
            let scan = Scan {
                cx,
                consts: &consts,
                file: fi,
                fref: None,
                func: None,
                body: Body {
                    stmts: &facts.module_stmts,
                    loops: &facts.module_loops,
                },
            };
            scan.run(&mut shaper, out);
        }
    }
}

/// Whether a body calls any execution method at all (a cheap first look).
fn has_candidate(stmts: &[Stmt], loops: &[Loop]) -> bool {
    let py = &raw().python;
    let mut found = false;
    let mut check = |e: &Expr| {
        if !found
            && let ExprKind::Call { func, .. } = &e.kind
            && let ExprKind::Attr(_, m) = &func.kind
            && py.methods.matches(m)
        {
            found = true;
        }
    };
    archlint_model::visit::walk_stmts(stmts, &mut check);
    for l in loops {
        if let Some(i) = &l.iter {
            archlint_model::visit::walk_expr(i, &mut check);
        }
    }
    found
}

/// One body being scanned.
struct Scan<'a, 'p> {
    cx: &'a DbCx<'a, 'p>,
    consts: &'a Consts<'a, 'p>,
    file: u32,
    fref: Option<FuncRef>,
    func: Option<&'p Function>,
    body: Body<'p>,
}

impl<'a, 'p> Scan<'a, 'p> {
    fn run(&self, shaper: &mut Shaper, out: &mut DbModel) {
        let locals = Locals::of(self.body.stmts, self.body.loops);
        let budget = Cell::new(BUDGET);
        let eval = Eval(Scope {
            cx: self.cx,
            consts: self.consts,
            file: self.file,
            fref: self.fref,
            func: self.func,
            locals: Some(&locals),
            is_handler: self.fref.is_some_and(|f| self.cx.handlers.contains(&f)),
            budget: &budget,
        });
        let mut seen: HashSet<*const Expr> = HashSet::default();
        for (si, stmt) in self.body.stmts.iter().enumerate() {
            let returned = matches!(stmt.kind, StmtKind::Return(_));
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
                StmtKind::Return(e) => (e, Role::Inside { returned: true }),
            };
            let site = Site {
                si,
                pos: stmt.span.start,
                loop_idx: stmt.loop_idx,
                inside: Role::Inside { returned },
            };
            self.root(&eval, root, role, site, &mut seen, shaper, out);
        }
        for lp in self.body.loops {
            // A `while` condition is also a statement inside the loop.
            if lp.kind == LoopKind::While {
                continue;
            }
            let Some(iter) = &lp.iter else { continue };
            let returned =
                lp.kind == LoopKind::Comprehension
                    && self.body.stmts.iter().any(|s| {
                        matches!(s.kind, StmtKind::Return(_)) && s.span.contains(&lp.span)
                    });
            let si = self
                .body
                .stmts
                .iter()
                .position(|s| s.span.start >= lp.span.start)
                .unwrap_or(self.body.stmts.len());
            let role = Role::LoopIter { returned };
            let site = Site {
                si,
                pos: lp.span.start,
                loop_idx: lp.parent,
                inside: role,
            };
            self.root(&eval, iter, role, site, &mut seen, shaper, out);
        }
    }

    /// Finds the execution chains under `root`.
    #[allow(clippy::too_many_arguments)]
    fn root(
        &self,
        eval: &Eval<'a, 'p>,
        root: &'p Expr,
        role: Role<'p>,
        site: Site<'p>,
        seen: &mut HashSet<*const Expr>,
        shaper: &mut Shaper,
        out: &mut DbModel,
    ) {
        let mut nodes: Vec<&'p Expr> = Vec::new();
        archlint_model::visit::walk_expr(root, |e| {
            if matches!(e.kind, ExprKind::Call { .. } | ExprKind::Await(_)) {
                nodes.push(e);
            }
        });
        for top in nodes {
            let Some((call, post)) = self.unroll(eval, top, site.pos, seen) else {
                continue;
            };
            let role = if std::ptr::eq(top, root) {
                role
            } else {
                site.inside
            };
            if let Some(q) = self.fact(eval, call, &post, role, site, shaper, out) {
                out.queries.push(q);
            }
        }
    }

    /// From the top of a method chain down to an execution call not seen
    /// yet, with the methods applied to its result (innermost first).
    fn unroll(
        &self,
        eval: &Eval<'a, 'p>,
        top: &'p Expr,
        pos: Pos,
        seen: &mut HashSet<*const Expr>,
    ) -> Option<(&'p Expr, Vec<&'p str>)> {
        let mut cur = top;
        let mut post: Vec<&'p str> = Vec::new();
        for _ in 0..64 {
            match &cur.kind {
                ExprKind::Await(x) => cur = x,
                ExprKind::Call { func, .. } => {
                    let ExprKind::Attr(recv, m) = &func.kind else {
                        return None;
                    };
                    if seen.contains(&(cur as *const Expr)) {
                        return None;
                    }
                    if eval.exec(cur, pos).is_some() {
                        seen.insert(cur as *const Expr);
                        post.reverse();
                        return Some((cur, post));
                    }
                    post.push(m);
                    cur = recv;
                }
                _ => return None,
            }
        }
        None
    }

    /// The tables and indexes DDL text creates or changes, as a schema source
    /// of this file (sources of one file apply in the order they are found).
    fn schema(&self, eval: &Eval<'a, 'p>, pieces: &Pieces, pos: Pos, out: &mut DbModel) {
        let Some(ops) = ddl::schema_ops(eval, pieces, pos, self.cx.dialect) else {
            return;
        };
        if let (false, Some(file)) = (ops.is_empty(), self.cx.index.project.file(self.file)) {
            out.sources.push(SchemaSource::new(file.path.clone(), ops));
        }
    }

    /// The fact for one execution call, if its text is SQL.
    #[allow(clippy::too_many_arguments)]
    fn fact(
        &self,
        eval: &Eval<'a, 'p>,
        call: &'p Expr,
        post: &[&str],
        role: Role,
        site: Site,
        shaper: &mut Shaper,
        out: &mut DbModel,
    ) -> Option<QueryFact> {
        eval.budget.set(BUDGET);
        let exec = eval.exec(call, site.pos)?;
        let arg = exec.sql?;
        let shaped = match eval.text(arg, site.pos, 0) {
            Some(pieces) => {
                if !Shaper::is_sql(&pieces, exec.db_receiver) {
                    return None;
                }
                self.schema(eval, &pieces, site.pos, out);
                Some(shaper.shape(pieces))
            }
            // Text we cannot follow is raw SQL on a DB-API cursor; on a
            // connection only when it comes from a parameter or attribute
            // (`def run(conn, sql)`): anything else may be a SQLAlchemy
            // statement object, which is the SQLAlchemy extractor's.
            None if eval.unknown_text_is_sql(&exec, arg, site.pos) => None,
            None => return None,
        };
        let (text, text_at, shape) = match shaped {
            Some(s) => {
                if let Some(p) = s.problem {
                    out.problems.push(p);
                }
                (Some(s.text), s.text_at, s.shape)
            }
            None => (None, None, None),
        };
        let usage = result::usage(&self.body, site.si, role, exec.method, exec.receiver, post);
        Some(QueryFact {
            file: self.file,
            func: self.fref,
            span: call.span,
            loop_idx: site.loop_idx,
            api: exec.api,
            source: QuerySource::RawSql,
            text,
            text_at,
            bound_params: exec.bound,
            all_rows: usage.all_rows && unbounded(shape.as_ref()),
            shape,
            returned: usage.returned,
            bound_to: usage.bound_to,
        })
    }
}

/// Where a root expression sits.
#[derive(Clone, Copy)]
struct Site<'p> {
    /// Statement index (for loop iterables, the first statement after the loop starts).
    si: usize,
    /// Position names are resolved at.
    pos: Pos,
    loop_idx: Option<u32>,
    /// The role of chains nested inside the root.
    inside: Role<'p>,
}

//! Which Python calls execute SQL: a method from `raw.toml` (`execute`,
//! `fetch`, `exec_driver_sql`, `raw`...) on a receiver that is, by evidence
//! or by name, a database handle, or whose SQL argument looks like SQL.
//! Evidence beats names: a receiver assigned from `conn.cursor()`,
//! `sqlite3.connect()`, `await asyncpg.connect()`, `pool.acquire()`,
//! `engine.connect()`, or annotated `Session`/`Connection`.

use super::eval::Eval;
use crate::calls::callee_text;
use crate::db::sqltext::knowledge::raw;
use crate::db::sqltext::locals::DefKind;
use archlint_model::{ArgsExt, Expr, ExprKind, Pos, Symbol};

/// An execution call.
pub struct Exec<'p> {
    /// The method (`execute`, `fetch`).
    pub method: &'p str,
    /// As written: `cur.execute`.
    pub api: String,
    pub receiver: &'p Expr,
    /// The SQL argument, with a SQLAlchemy `text(...)` wrapper removed.
    pub sql: Option<&'p Expr>,
    /// Values are passed separately from the text.
    pub bound: bool,
    /// The receiver is a database handle (by evidence or name).
    pub db_receiver: bool,
}

impl<'a, 'p> Eval<'a, 'p> {
    /// `bind = op.get_bind()`: a connection taken from a migration receiver
    /// runs that migration's schema work.
    fn migration_handle(&self, recv: &'p Expr, pos: Pos) -> bool {
        let ExprKind::Name(n) = &recv.kind else {
            return false;
        };
        let defs = self.defs(n, pos);
        !defs.is_empty()
            && defs.iter().all(|d| match d.kind {
                DefKind::Assign { value, .. } => match &value.unwrap_await().kind {
                    ExprKind::Call { func, .. } => match &func.kind {
                        ExprKind::Attr(r, _) => r
                            .last_name()
                            .is_some_and(|m| raw().python.migration_receivers.matches(m)),
                        _ => false,
                    },
                    _ => false,
                },
                _ => false,
            })
    }

    /// The execution call `e` makes, if it is one (before looking at its text).
    pub fn exec(&self, e: &'p Expr, pos: Pos) -> Option<Exec<'p>> {
        let py = &raw().python;
        let ExprKind::Call { func, args } = &e.kind else {
            return None;
        };
        let ExprKind::Attr(recv, method) = &func.kind else {
            return None;
        };
        if !py.methods.matches(method) {
            return None;
        }
        let recv: &'p Expr = recv.unwrap_await();
        if recv
            .last_name()
            .is_some_and(|n| py.migration_receivers.matches(n))
            || self.migration_handle(recv, pos)
        {
            return None;
        }
        let manager = method == "raw";
        if manager
            && !recv
                .last_name()
                .is_some_and(|n| py.manager_attrs.matches(n))
        {
            return None;
        }
        let mut sql = args.positional(0).or_else(|| {
            py.sql_keywords
                .iter()
                .find_map(|k| args.keyword(k.as_str()))
        });
        if sql.is_none() && py.text_only_methods.matches(method) {
            return None;
        }
        let mut bound = args.iter().filter(|a| a.name.is_none()).count() > 1
            || args.iter().any(|a| {
                a.name.as_deref() == Some("*")
                    || a.name
                        .as_deref()
                        .is_some_and(|n| py.param_keywords.iter().any(|k| k == n))
            });
        // `text("...").bindparams(x=1)` and `text("...")`.
        if let Some(s) = sql {
            let (inner, binds) = self.unwrap_text(s);
            sql = Some(inner);
            bound |= binds;
        }
        Some(Exec {
            method,
            api: callee_text(func),
            receiver: recv,
            sql,
            bound,
            db_receiver: manager || self.db_handle(recv, pos, 0),
        })
    }

    /// Looks through `text(..)` and `text(..).bindparams(..)`.
    fn unwrap_text(&self, e: &'p Expr) -> (&'p Expr, bool) {
        let mut cur = e;
        let mut binds = false;
        if let ExprKind::Call { func, .. } = &cur.kind
            && let ExprKind::Attr(inner, m) = &func.kind
            && m == "bindparams"
        {
            binds = true;
            cur = inner;
        }
        if let ExprKind::Call { func, args } = &cur.kind
            && self.is_text_wrapper(func)
            && let Some(a) = args.positional(0)
        {
            return (a, binds);
        }
        (e, false)
    }

    /// Whether `recv` is a database handle: a call or a local assigned
    /// from a handle constructor, a parameter annotated with a handle type,
    /// or a name like `cursor`, `conn`, `session`, `self.db`.
    pub fn db_handle(&self, recv: &'p Expr, pos: Pos, depth: u32) -> bool {
        let py = &raw().python;
        if depth > 4 {
            return false;
        }
        let recv = recv.unwrap_await();
        match &recv.kind {
            ExprKind::Call { func, .. } => self.handle_constructor(func),
            ExprKind::Name(n) => {
                if py.receivers.matches(n) {
                    return true;
                }
                if let Some(p) = self.param(n)
                    && self.defs(n, pos).is_empty()
                {
                    return p
                        .annotation
                        .as_ref()
                        .is_some_and(|a| annotation_names(a).any(|t| py.handle_types.matches(t)));
                }
                self.defs(n, pos).last().is_some_and(|d| match d.kind {
                    DefKind::Assign { value, .. } => self.db_handle(value, d.at, depth + 1),
                    _ => false,
                })
            }
            ExprKind::Attr(_, a) => py.receivers.matches(a),
            // `conn or db`.
            ExprKind::Binary(archlint_model::BinOp::Or, l, r) => {
                self.db_handle(l, pos, depth + 1) || self.db_handle(r, pos, depth + 1)
            }
            _ => false,
        }
    }

    /// `conn.cursor`, `sqlite3.connect`, `pool.acquire`, `get_db`...
    fn handle_constructor(&self, func: &Expr) -> bool {
        let py = &raw().python;
        if let Some(Symbol::External(p)) = self.cx.index.resolve_expr(self.file, func)
            && py.handle_functions.contains(&p)
        {
            return true;
        }
        func.last_name()
            .is_some_and(|m| py.handle_methods.matches(m))
    }

    /// Whether an execution whose SQL argument could not be followed still
    /// runs raw SQL: on a DB-API cursor, or on another database handle (not a
    /// SQLAlchemy session) with the text from a parameter or an attribute.
    pub fn unknown_text_is_sql(&self, exec: &Exec<'p>, arg: &'p Expr, pos: Pos) -> bool {
        if !exec.db_receiver || self.is_statement_object(arg, pos) {
            return false;
        }
        if self.is_cursor(exec.receiver, pos) {
            return true;
        }
        let session = exec
            .receiver
            .last_name()
            .is_some_and(|n| n.to_ascii_lowercase().contains("session"));
        let passed_in = match &arg.kind {
            ExprKind::Name(n) => self.defs(n, pos).is_empty() && self.param(n).is_some(),
            ExprKind::Attr(..) => true,
            _ => false,
        };
        !session && passed_in
    }

    /// A DB-API cursor: named like one, or made by `.cursor()`.
    fn is_cursor(&self, recv: &Expr, pos: Pos) -> bool {
        let cursor_name = |n: &str| n == "cur" || n.contains("cursor");
        match &recv.unwrap_await().kind {
            ExprKind::Call { func, .. } => func.last_name() == Some("cursor"),
            ExprKind::Name(n) => {
                cursor_name(n)
                    || self.defs(n, pos).last().is_some_and(|d| match d.kind {
                        DefKind::Assign { value, .. } => {
                            matches!(&value.unwrap_await().kind, ExprKind::Call { func, .. } if func.last_name() == Some("cursor"))
                        }
                        _ => false,
                    })
            }
            ExprKind::Attr(_, a) => cursor_name(a),
            _ => false,
        }
    }

    /// Whether the SQL argument is a statement built by SQLAlchemy
    /// (`select(User)...`, or a local assigned one): not raw SQL.
    pub fn is_statement_object(&self, e: &'p Expr, pos: Pos) -> bool {
        let py = &raw().python;
        let built = |x: &Expr| match &x.unwrap_await().kind {
            ExprKind::Call { func, .. } => func
                .last_name()
                .is_some_and(|n| py.statement_builders.matches(n)),
            _ => false,
        };
        match &e.kind {
            ExprKind::Name(n) => self.defs(n, pos).last().is_some_and(|d| match d.kind {
                DefKind::Assign { value, .. } => built(value),
                _ => false,
            }),
            _ => built(e),
        }
    }
}

/// Every name in an annotation (`Optional[Session]`, `asyncpg.Connection`).
fn annotation_names(a: &Expr) -> impl Iterator<Item = &str> {
    let mut out = Vec::new();
    archlint_model::visit::walk_expr(a, |x| match &x.kind {
        ExprKind::Name(n) => out.push(n.as_str()),
        ExprKind::Attr(_, n) => out.push(n.as_str()),
        ExprKind::Str(s) => out.push(s.as_str()),
        _ => {}
    });
    out.into_iter()
}

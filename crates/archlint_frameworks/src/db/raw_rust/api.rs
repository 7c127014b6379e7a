//! Which Rust calls run SQL: sqlx macros (`query!`, `query_as!`,
//! `query_scalar!`, `query_file!`...) and functions (`sqlx::query`,
//! `query_as::<_, T>`, `query_scalar`), diesel `sql_query`, client and
//! connection methods of tokio-postgres, postgres and rusqlite (`query`,
//! `query_one`, `execute`, `query_row`...) and prepared statements
//! (`prepare(sql)` then `stmt.query_map(..)` or `client.query(&stmt, ..)`).
//! Names resolve through `use` (ProjectIndex gives `sqlx::query` for an
//! imported `query`); a name that resolves elsewhere, or a method on a
//! receiver that is not a database handle, counts only with SQL text.

use super::eval::{Eval, outer_type, type_text};
use crate::db::sqltext::knowledge::raw;
use crate::db::sqltext::locals::DefKind;
use crate::db::sqltext::locals::UnwrapUnary;
use archlint_model::{Arg, ArgsExt, Expr, ExprKind, Pos, Symbol};

/// Where the SQL text of a query is.
#[derive(Clone, Copy, Debug)]
pub enum SqlArg<'p> {
    /// This expression, evaluated at this position.
    Expr(&'p Expr, Pos),
    /// In a file (`query_file!`, `include_str!`): not read.
    Unknown,
}

/// A call that builds or runs a query.
pub struct Base<'p> {
    /// `sqlx::query!`, `sqlx::query_as`, `client.query`, `stmt.query_map`.
    pub api: String,
    pub sql: SqlArg<'p>,
    /// Values passed separately.
    pub bound: bool,
    /// Resolved to a database API or called on a database handle.
    pub db: bool,
    /// The call itself runs the query and returns every row (`client.query`).
    pub all_rows: bool,
    /// The call itself runs the query (a client method); otherwise an
    /// executor further up the chain does.
    pub runs: bool,
}

impl<'a, 'p> Eval<'a, 'p> {
    /// The query base `e` is, if any.
    pub fn base(&self, e: &'p Expr, pos: Pos) -> Option<Base<'p>> {
        match &e.kind {
            ExprKind::Macro { path, args } => self.macro_base(path, args),
            ExprKind::Call { func, args } => match &func.kind {
                ExprKind::Path(_) | ExprKind::Name(_) => self.fn_base(func, args),
                ExprKind::Attr(recv, m) => self.method_base(recv, m, args, pos),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether a single-segment name resolves into one of the database crates.
    fn resolves_to_db(&self, func: &Expr) -> Option<bool> {
        let rs = &raw().rust;
        match self.cx.index.resolve_expr(self.file, func) {
            Some(Symbol::External(p)) => Some(
                rs.crates
                    .iter()
                    .any(|c| p == *c || p.starts_with(&format!("{c}::"))),
            ),
            Some(_) => Some(false),
            None => None,
        }
    }

    fn macro_base(&self, path: &'p [String], args: &'p [Arg]) -> Option<Base<'p>> {
        let rs = &raw().rust;
        let name = path.last()?;
        let file_macro = rs.sqlx_file_macros.matches(name);
        if !file_macro && !rs.sqlx_macros.matches(name) {
            return None;
        }
        let as_expr = Expr::new(
            if path.len() == 1 {
                ExprKind::Name(name.clone())
            } else {
                ExprKind::Path(path.to_vec())
            },
            Default::default(),
        );
        let db = path.first().is_some_and(|s| s == "sqlx")
            || self.resolves_to_db(&as_expr) == Some(true)
            || self.glob_imports("sqlx");
        let text_idx = usize::from(name.contains("_as"));
        let sql = match args.get(text_idx) {
            Some(a) if !file_macro => SqlArg::Expr(&a.value, Pos::default()),
            _ => SqlArg::Unknown,
        };
        Some(Base {
            api: format!("{}!", path.join("::")),
            sql,
            bound: args.len() > text_idx + 1,
            db,
            all_rows: false,
            runs: false,
        })
    }

    /// Whether the file has `use krate::...::*`.
    fn glob_imports(&self, krate: &str) -> bool {
        self.cx.index.project.file(self.file).is_some_and(|f| {
            f.facts.imports.iter().any(|i| {
                i.name.as_deref() == Some("*")
                    && (i.module == krate || i.module.starts_with(&format!("{krate}::")))
            })
        })
    }

    fn fn_base(&self, func: &'p Expr, args: &'p [Arg]) -> Option<Base<'p>> {
        let rs = &raw().rust;
        let name = func.last_name()?;
        let sqlx = rs.sqlx_functions.matches(name);
        let diesel = rs.diesel_functions.matches(name);
        if !sqlx && !diesel {
            return None;
        }
        let segs: Vec<&str> = match &func.kind {
            ExprKind::Path(s) => s.iter().map(String::as_str).collect(),
            _ => vec![name],
        };
        let krate = if sqlx { "sqlx" } else { "diesel" };
        let db = match segs.as_slice() {
            [single] => {
                self.resolves_to_db(func) == Some(true)
                    || (self.resolves_to_db(func).is_none() && self.glob_imports(krate))
                    || (*single == "sql_query" && self.resolves_to_db(func).is_none())
            }
            [first, ..] => *first == krate || self.resolves_to_db(func) == Some(true),
            [] => false,
        };
        // A project function of that name is not the library's.
        if matches!(
            self.cx.index.resolve_expr(self.file, func),
            Some(Symbol::Func(_))
        ) {
            return None;
        }
        let sql = args.positional(0)?;
        Some(Base {
            api: segs.join("::"),
            sql: SqlArg::Expr(sql, Pos::default()),
            bound: name.ends_with("_with") && args.len() > 1,
            db,
            all_rows: false,
            runs: false,
        })
    }

    fn method_base(&self, recv: &'p Expr, m: &str, args: &'p [Arg], pos: Pos) -> Option<Base<'p>> {
        let rs = &raw().rust;
        let recv = recv.unwrap_unary();
        // A prepared statement run later: `stmt.query_map(params, ..)`.
        if rs.statement_methods.matches(m)
            && let Some((sql, at)) = self.prepared(recv, pos)
        {
            return Some(Base {
                api: format!("{}.{m}", crate::routes::short(recv)),
                sql: SqlArg::Expr(sql, at),
                bound: args.first().is_some_and(|a| non_empty(&a.value)),
                db: true,
                all_rows: rs.all_rows_statement_methods.matches(m),
                runs: true,
            });
        }
        if !rs.client_methods.matches(m) {
            return None;
        }
        let first = args.positional(0)?;
        // `client.query(&stmt, ..)` with `stmt = client.prepare(sql)`.
        let (sql, at) = self
            .prepared(first.unwrap_unary(), pos)
            .unwrap_or((first, pos));
        Some(Base {
            api: format!("{}.{m}", crate::routes::short(recv)),
            sql: SqlArg::Expr(sql, at),
            bound: args.get(1).is_some_and(|a| non_empty(&a.value)),
            db: self.db_handle(recv, pos),
            all_rows: rs.all_rows_client_methods.matches(m),
            runs: true,
        })
    }

    /// The SQL a prepared statement variable was prepared from.
    fn prepared(&self, stmt: &Expr, pos: Pos) -> Option<(&'p Expr, Pos)> {
        let rs = &raw().rust;
        let ExprKind::Name(n) = &stmt.kind else {
            return None;
        };
        let (value, at, _) = self.last_assign(n, pos)?;
        let mut cur = value;
        // Through `.await`, `?` (dropped), `.unwrap()`, `.expect(..)`.
        for _ in 0..8 {
            match &cur.kind {
                ExprKind::Await(x) => cur = x,
                ExprKind::Call { func, args } => match &func.kind {
                    ExprKind::Attr(_, m) if rs.prepare_methods.matches(m) => {
                        return args.positional(0).map(|s| (s, at));
                    }
                    ExprKind::Attr(inner, m) if matches!(m.as_str(), "unwrap" | "expect") => {
                        cur = inner
                    }
                    _ => return None,
                },
                _ => return None,
            }
        }
        None
    }

    /// Whether `recv` is a database handle: named like one, a parameter of a
    /// handle type (`&PgPool`, `State<PgPool>`... by its last type name),
    /// or a local assigned from `pool.get()`/`pool.begin()`/`connect(..)`.
    pub fn db_handle(&self, recv: &Expr, pos: Pos) -> bool {
        let rs = &raw().rust;
        let recv = recv.unwrap_unary();
        match &recv.kind {
            // `pool.get().await?.query(..)`, `state.db.acquire().await`.
            ExprKind::Await(x) => matches!(
                x.last_name(),
                Some("acquire" | "begin" | "connect" | "get" | "transaction")
            ),
            ExprKind::Name(n) => {
                if rs.receivers.matches(n) {
                    return true;
                }
                if self.defs(n, pos).is_empty()
                    && let Some(p) = self.rust_param(n)
                {
                    let ty = p.annotation.as_ref().and_then(type_text).unwrap_or("");
                    let (outer, inner) = outer_type(ty);
                    return rs.handle_types.matches(outer)
                        || rs.handle_types.matches(outer_type(inner).0);
                }
                self.defs(n, pos).last().is_some_and(|d| match d.kind {
                    DefKind::Assign { value, .. } => {
                        let mut cur = value;
                        for _ in 0..8 {
                            match &cur.kind {
                                ExprKind::Await(x) => cur = x,
                                ExprKind::Call { func, .. } => match func.last_name() {
                                    Some("unwrap" | "expect" | "map_err") => {
                                        if let ExprKind::Attr(inner, _) = &func.kind {
                                            cur = inner;
                                        } else {
                                            return false;
                                        }
                                    }
                                    Some(m) => {
                                        return matches!(
                                            m,
                                            "acquire" | "begin" | "connect" | "get" | "transaction"
                                        );
                                    }
                                    None => return false,
                                },
                                _ => return false,
                            }
                        }
                        false
                    }
                    _ => false,
                })
            }
            ExprKind::Attr(_, a) => rs.receivers.matches(a),
            _ => false,
        }
    }
}

/// Whether a parameter list argument passes values: not `[]`, `&[]`,
/// `params![]`, `()` or `NO_PARAMS`.
fn non_empty(e: &Expr) -> bool {
    match &e.unwrap_unary().kind {
        ExprKind::List(xs) | ExprKind::Tuple(xs) => !xs.is_empty(),
        ExprKind::Macro { args, .. } => !args.is_empty(),
        ExprKind::Name(_) | ExprKind::Path(_) => e.unwrap_unary().last_name() != Some("NO_PARAMS"),
        _ => true,
    }
}

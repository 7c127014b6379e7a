//! What diesel DSL names mean in one function: which identifiers are tables
//! and which are columns of which table, from the imports it sees.
//!
//! `table!` bodies are macro input, which the facts do not lower, so the
//! schema module's items are unknown; diesel's naming makes them readable
//! anyway: `users::table` is table `users`, `users::email` its column
//! `email`, and `use crate::schema::users::dsl::*` (or `::dsl::{users,
//! email}`) brings table `users` as `users` and its columns by name.

use super::chain::is_lower_ident;
use archlint_model::{Expr, ExprKind, Import, Schema};
use rustc_hash::FxHashMap as HashMap;

/// What a DSL identifier is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dsl {
    Table(String),
    Column { table: String, column: String },
}

/// The DSL names visible in one function.
#[derive(Debug, Default)]
pub struct DslScope {
    /// Local names imported from a table's `dsl`/`columns` module (or its `table`).
    named: HashMap<String, Dsl>,
    /// Local names of table modules (`use crate::schema::users;`, `use ...::users::dsl as u`).
    modules: HashMap<String, String>,
    /// Tables whose `dsl::*` is glob-imported, in import order.
    globs: Vec<String>,
    /// Tables whose module is glob-imported (`use crate::schema::users::*`),
    /// which makes `table` name them.
    table_globs: Vec<String>,
}

fn is_dsl_module(seg: &str) -> bool {
    matches!(seg, "dsl" | "columns")
}

fn is_path_keyword(seg: &str) -> bool {
    matches!(
        seg,
        "crate" | "self" | "super" | "schema" | "dsl" | "columns" | "table"
    )
}

impl DslScope {
    /// The scope made by `imports`.
    pub fn new(imports: &[&Import]) -> Self {
        let mut s = DslScope::default();
        for im in imports {
            s.add(im);
        }
        s
    }

    fn add(&mut self, im: &Import) {
        let segs: Vec<&str> = im.module.split("::").filter(|p| !p.is_empty()).collect();
        let name = im.name.as_deref();
        let alias = im.alias.clone();
        match (segs.as_slice(), name) {
            // `...::users::dsl::*`, `...::users::dsl::{users, email as mail}`
            ([.., table, last], Some(n)) if is_dsl_module(last) && !is_path_keyword(table) => {
                let table = (*table).to_string();
                match n {
                    "*" => {
                        if !self.globs.contains(&table) {
                            self.globs.push(table);
                        }
                    }
                    "star" | "self" => {}
                    n if n == table || n == "table" => {
                        self.named.insert(alias, Dsl::Table(table));
                    }
                    n => {
                        self.named.insert(
                            alias,
                            Dsl::Column {
                                table,
                                column: n.to_string(),
                            },
                        );
                    }
                }
            }
            // `use crate::schema::users::dsl as u;`, `use crate::schema::users::table as t;`
            ([.., table], Some(n))
                if !is_path_keyword(table) && (is_dsl_module(n) || n == "table") =>
            {
                if n == "table" {
                    self.named.insert(alias, Dsl::Table((*table).to_string()));
                } else {
                    self.modules.insert(alias, (*table).to_string());
                }
            }
            // `use crate::schema::users;`, `use crate::schema::{users, posts as p};`
            ([.., "schema"], Some(n)) if n != "*" && n != "self" && is_lower_ident(n) => {
                self.modules.insert(alias, n.to_string());
            }
            // A table module re-exports its columns: `use crate::schema::users::email;`,
            // `use crate::schema::users::*;` (which brings `table` too).
            ([.., "schema", table], Some(n)) if is_lower_ident(table) => {
                let table = (*table).to_string();
                match n {
                    "*" => {
                        if !self.globs.contains(&table) {
                            self.globs.push(table.clone());
                        }
                        self.table_globs.push(table);
                    }
                    "self" | "star" | "all_columns" => {}
                    n if is_lower_ident(n) => {
                        self.named.insert(
                            alias,
                            Dsl::Column {
                                table,
                                column: n.to_string(),
                            },
                        );
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// The table a module-like segment names: an imported table module or,
    /// failing that, the segment itself when it reads as a table name.
    fn table_of_segment(&self, seg: &str) -> Option<String> {
        if let Some(t) = self.modules.get(seg) {
            return Some(t.clone());
        }
        (!is_path_keyword(seg) && is_lower_ident(seg)).then(|| seg.to_string())
    }

    /// `users::table`, `schema::users::table`, `users::dsl::users`, an
    /// imported `users` (from `dsl`) as a query root.
    pub fn table(&self, e: &Expr) -> Option<String> {
        match &e.kind {
            ExprKind::Name(n) => match self.named.get(n.as_str()) {
                Some(Dsl::Table(t)) => Some(t.clone()),
                Some(Dsl::Column { .. }) => None,
                None if n == "table" => match self.table_globs.as_slice() {
                    [only] => Some(only.clone()),
                    _ => None,
                },
                None => self.globs.iter().find(|t| *t == n).cloned(),
            },
            ExprKind::Path(p) => {
                let segs: Vec<&str> = p.iter().map(String::as_str).collect();
                match segs.as_slice() {
                    [.., t, "table"] => self.table_of_segment(t),
                    [.., t, d, last] if is_dsl_module(d) && t == last => self.table_of_segment(t),
                    [m, last] if self.modules.get(*m).is_some_and(|t| t == last) => {
                        self.modules.get(*m).cloned()
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// A column reference: `users::email`, `schema::users::email`,
    /// `users::dsl::email`, an imported `email`. `tables` are the query's
    /// tables so far (first = the root), which decide bare names imported
    /// by several `dsl::*` globs; `schema` breaks remaining ties.
    pub fn column(&self, e: &Expr, tables: &[String], schema: &Schema) -> Option<(String, String)> {
        match &e.kind {
            ExprKind::Name(n) => match self.named.get(n.as_str()) {
                Some(Dsl::Column { table, column }) => Some((table.clone(), column.clone())),
                Some(Dsl::Table(_)) => None,
                None => self.glob_column(n, tables, schema),
            },
            ExprKind::Path(p) => {
                let segs: Vec<&str> = p.iter().map(String::as_str).collect();
                let (column, table_seg) = match segs.as_slice() {
                    [.., t, d, c] if is_dsl_module(d) => (*c, *t),
                    [.., t, c] => (*c, *t),
                    _ => return None,
                };
                if !is_lower_ident(column)
                    || matches!(column, "table" | "star")
                    || segs.first().is_some_and(|f| f.starts_with("diesel"))
                {
                    return None;
                }
                let table = self.table_of_segment(table_seg)?;
                // A bare `x::y` is a column only when `x` is known as a table
                // (imported table module, a schema path, one of the query's
                // tables or of the schema): lower-case module functions and
                // constants look the same.
                let known = self.modules.contains_key(table_seg)
                    || segs.contains(&"schema")
                    || segs.len() >= 3 && is_dsl_module(segs[segs.len() - 2])
                    || tables.iter().any(|t| t.eq_ignore_ascii_case(&table))
                    || schema.table(&table).is_some();
                known.then(|| (table, column.to_string()))
            }
            _ => None,
        }
    }

    fn glob_column(&self, n: &str, tables: &[String], schema: &Schema) -> Option<(String, String)> {
        if !is_lower_ident(n) || self.globs.iter().any(|t| t == n) {
            return None;
        }
        let pick = match self.globs.as_slice() {
            [] => return None,
            [only] => Some(only),
            many => {
                let in_query: Vec<&String> = many
                    .iter()
                    .filter(|g| tables.iter().any(|t| t.eq_ignore_ascii_case(g)))
                    .collect();
                let has_column =
                    |t: &&String| schema.table(t).is_some_and(|tb| tb.column(n).is_some());
                match in_query.as_slice() {
                    [only] => Some(*only),
                    [] => unique(many.iter().filter(has_column)),
                    several => unique(several.iter().copied().filter(has_column)),
                }
            }
        };
        pick.map(|t| (t.clone(), n.to_string()))
    }
}

fn unique<'a>(mut it: impl Iterator<Item = &'a String>) -> Option<&'a String> {
    let first = it.next()?;
    it.next().is_none().then_some(first)
}

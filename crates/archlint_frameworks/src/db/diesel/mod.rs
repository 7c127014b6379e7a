//! diesel: queries written with the query builder DSL, one [`QueryFact`]
//! per execution (`.load(conn)`, `.first(conn)`, `.execute(conn)`, also
//! diesel-async's `.load(&mut conn).await`), with the chain normalised to a
//! [`archlint_model::QueryShape`] (see [`shape`]).
//!
//! The schema comes from the migrations' `up.sql`, which the engine parses
//! like every `.sql` file, completed by `schema.rs` ([`schema_rs`]: `table!`
//! and `joinable!`, for tables no migration creates; they never count as
//! missing an index). Struct definitions are not in the facts, so DSL names
//! are read by diesel's conventions ([`scope`]), a `.find(id)` uses the
//! primary key the schema declares, and a join without `.on(..)` uses the
//! one foreign key linking the two tables there.
//! `diesel::sql_query` is raw SQL, not handled here. Projects migrating
//! with barrel (refinery) get their schema from [`barrel`].
//!
//! [`chain`], [`usage`] and [`knowledge`] are shared with the sea-orm module.

pub mod barrel;
pub mod chain;
pub mod conditions;
pub mod inline_sql;
pub mod knowledge;
pub mod schema_rs;
pub mod scope;
pub mod shape;
pub mod usage;

#[cfg(test)]
mod tests;
#[cfg(test)]
pub mod testutil;

use super::DbCx;
use archlint_model::visit::walk_stmts;
use archlint_model::{DbModel, Expr, ExprKind, FuncRef, QueryFact, QueryKind, QuerySource, Schema};
use chain::{ImportScopes, flatten, loop_of};
use knowledge::{names, rust_files_importing};
use rayon::prelude::*;
use scope::DslScope;
use shape::ShapeCx;

/// Adds the diesel queries of every file importing diesel.
pub fn collect(cx: &DbCx, out: &mut DbModel) {
    let n = names();
    let project = cx.index.project;
    barrel::collect(cx, out);
    out.sources.extend(schema_rs::sources(cx.index));
    let diesel_files = rust_files_importing(project, &n.diesel.crates);
    if diesel_files.is_empty() {
        return;
    }
    // The schema so far (the `.sql` sources) for primary keys and foreign keys.
    let schema = Schema::from_sources(&out.sources);
    // Files in parallel; `build_db` sorts the merged queries.
    let parts: Vec<Vec<QueryFact>> = diesel_files
        .par_iter()
        .filter_map(|&fi| project.file(fi).map(|file| (fi, file)))
        .map(|(fi, file)| {
            let facts = &file.facts;
            let imports = ImportScopes::new(facts);
            // Most functions see the file's imports only: their scope is built once.
            let file_scope = DslScope::new(&imports.file_level());
            let mut queries = Vec::new();
            for (i, func) in facts.functions.iter().enumerate() {
                let own;
                let scope = if imports.has_own(func) {
                    own = DslScope::new(&imports.visible(func));
                    &own
                } else {
                    &file_scope
                };
                let scx = ShapeCx {
                    scope,
                    schema: &schema,
                    n: &n.diesel,
                    func,
                };
                let fref = FuncRef {
                    file: fi,
                    func: i as u32,
                };
                walk_stmts(&func.body, |e| {
                    if let Some(q) = query_fact(&scx, fref, e) {
                        queries.push(q);
                    }
                });
            }
            queries
        })
        .collect();
    out.queries.extend(parts.into_iter().flatten());
}

/// The fact for `e` when it is a diesel execution call on a query it understands.
fn query_fact(scx: &ShapeCx, fref: FuncRef, e: &Expr) -> Option<QueryFact> {
    let n = scx.n;
    let (func, args) = e.as_call()?;
    let ExprKind::Attr(recv, m) = &func.kind else {
        return None;
    };
    let all = n.all_rows.matches(m);
    if !(all || n.one_row.matches(m) || n.write.matches(m)) {
        return None;
    }
    // Every execution method takes the connection, and only it.
    if args.len() != 1 || args.iter().any(|a| a.name.is_some()) {
        return None;
    }
    let built = scx.build(recv, 0)?;
    let mut shape = built.shape;
    shape.limit |= n.limited.matches(m) && shape.kind == QueryKind::Select;
    let all_rows = all
        && shape.kind == QueryKind::Select
        && !shape.limit
        && !shape.aggregate
        && !built.single_row
        && !built.maybe_limited;
    let use_ = usage::usage(&names().response, scx.func, e);
    Some(QueryFact {
        file: fref.file,
        func: Some(fref),
        span: e.span,
        loop_idx: loop_of(scx.func, e.span),
        api: chain::api_text(&flatten(e)),
        source: QuerySource::Orm,
        text: None,
        text_at: None,
        bound_params: true,
        shape: built.understood.then_some(shape),
        all_rows,
        returned: use_.returned,
        bound_to: use_.bound_to,
    })
}

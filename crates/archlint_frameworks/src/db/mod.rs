//! The database model: queries found in the code (raw SQL, ORM calls, lazy
//! relation loads) and schema declarations from code (ORM models and
//! migrations), merged with the `.sql` sources the engine parsed. One module
//! per family of APIs; each only adds to the [`DbModel`].

pub mod diesel;
pub mod django;
pub mod raw_python;
pub mod raw_rust;
pub mod seaorm;
pub mod sqlalchemy;
pub mod sqltext;

use crate::knowledge::Knowledge;
use crate::{Guard, unguarded};
use archlint_model::{
    DbModel, Dialect, FuncRef, Notification, ProjectIndex, Route, Schema, SchemaSource,
};
use rayon::prelude::*;
use std::collections::BTreeSet;

/// What the database extractors need.
pub struct DbCx<'a, 'p> {
    pub index: &'a ProjectIndex<'p>,
    pub k: &'a Knowledge,
    pub routes: &'a [Route],
    /// Every function that handles a route (for request-input taint).
    pub handlers: BTreeSet<FuncRef>,
    pub dialect: Dialect,
}

/// Builds the database model. `sql_sources` and `sql_problems` come from the
/// `.sql` files the engine read.
pub fn build_db(
    index: &ProjectIndex,
    k: &Knowledge,
    routes: &[Route],
    dialect: Dialect,
    sql_sources: Vec<SchemaSource>,
    sql_problems: Vec<Notification>,
) -> DbModel {
    build_db_guarded(
        index,
        k,
        routes,
        dialect,
        sql_sources,
        sql_problems,
        &unguarded,
    )
}

/// [`build_db`] with each group of collectors run under `guard`.
pub fn build_db_guarded(
    index: &ProjectIndex,
    k: &Knowledge,
    routes: &[Route],
    dialect: Dialect,
    sql_sources: Vec<SchemaSource>,
    sql_problems: Vec<Notification>,
    guard: Guard,
) -> DbModel {
    let handlers = routes
        .iter()
        .flat_map(|r| r.handler.funcs.iter().copied())
        .collect();
    let cx = DbCx {
        index,
        k,
        routes,
        handlers,
        dialect,
    };
    // The collectors are independent, except that the Rust ORMs read the
    // schema of the `.sql` files and sea-orm also what diesel's `table!`
    // and barrel migrations add: run the groups in parallel, each into its
    // own model, and merge in a fixed order (which decides duplicates).
    type Collector = fn(&DbCx, &mut DbModel);
    let groups: [(&str, &[Collector]); 5] = [
        ("python-sql", &[raw_python::collect]),
        ("django", &[django::collect]),
        ("sqlalchemy", &[sqlalchemy::collect]),
        ("rust-sql", &[raw_rust::collect]),
        ("rust-orm", &[diesel::collect, seaorm::collect]),
    ];
    let seed = sql_sources.len();
    let parts: Vec<DbModel> = groups
        .par_iter()
        .map(|(name, group)| {
            let mut part = DbModel {
                sources: sql_sources.clone(),
                ..Default::default()
            };
            let done = guard(name, &mut || {
                for collect in group.iter() {
                    collect(&cx, &mut part);
                }
            });
            if !done {
                return DbModel::default();
            }
            part.sources.drain(..seed);
            part
        })
        .collect();
    let mut m = DbModel {
        sources: sql_sources,
        problems: sql_problems,
        ..Default::default()
    };
    for part in parts {
        m.queries.extend(part.queries);
        m.sources.extend(part.sources);
        m.list_views.extend(part.list_views);
        m.problems.extend(part.problems);
    }
    m.sources
        .sort_by(|a, b| (&a.order, &a.path).cmp(&(&b.order, &b.path)));
    m.schema = Schema::from_sources(&m.sources);
    m.queries
        .sort_by(|a, b| (a.file, a.span, &a.api).cmp(&(b.file, b.span, &b.api)));
    m.queries
        .dedup_by(|a, b| a.file == b.file && a.span == b.span && a.api == b.api);
    m.list_views.sort_by(|a, b| a.queryset.cmp(&b.queryset));
    m.problems.sort();
    m.problems.dedup();
    m
}

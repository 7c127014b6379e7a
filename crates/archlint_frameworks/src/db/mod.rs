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
use archlint_model::{
    DbModel, Dialect, FuncRef, Notification, ProjectIndex, Route, Schema, SchemaSource,
};
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
    let mut m = DbModel {
        sources: sql_sources,
        problems: sql_problems,
        ..Default::default()
    };
    raw_python::collect(&cx, &mut m);
    raw_rust::collect(&cx, &mut m);
    django::collect(&cx, &mut m);
    sqlalchemy::collect(&cx, &mut m);
    diesel::collect(&cx, &mut m);
    seaorm::collect(&cx, &mut m);
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

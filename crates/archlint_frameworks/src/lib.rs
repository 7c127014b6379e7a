//! The framework layer: turns per-file facts into routes with their
//! authentication, public and rate-limit evidence, and into a call graph with
//! effect summaries. Framework *names* are data under `rules/frameworks/`
//! (see [`knowledge`]); framework *semantics* (what a blueprint prefix or a
//! nested router means) are code in [`python`] and [`rust`].

pub mod calls;
pub mod db;
pub mod effects;
pub mod knowledge;
pub mod names;
pub mod python;
pub mod routes;
pub mod rust;

use archlint_model::{ProjectIndex, Route};
pub use calls::CallInfo;
pub use knowledge::Knowledge;
use rayon::prelude::*;

/// Routes of every supported framework, in a deterministic order.
pub fn build_routes(index: &ProjectIndex, k: &Knowledge) -> Vec<Route> {
    let cx = routes::Cx { index, k };
    type Builder = fn(&routes::Cx, &mut Vec<Route>);
    const BUILDERS: [Builder; 6] = [
        python::flask::routes,
        python::fastapi::routes,
        python::django::routes,
        rust::axum::routes,
        rust::actix::routes,
        rust::rocket::routes,
    ];
    // Frameworks are independent: build them in parallel, merge in a fixed order.
    let parts: Vec<Vec<Route>> = BUILDERS
        .par_iter()
        .map(|build| {
            let mut part = Vec::new();
            build(&cx, &mut part);
            part
        })
        .collect();
    let mut out: Vec<Route> = parts.into_iter().flatten().collect();
    out.sort_by(|a, b| {
        (&a.handler.location, &a.path, a.methods, a.framework).cmp(&(
            &b.handler.location,
            &b.path,
            b.methods,
            b.framework,
        ))
    });
    out.dedup_by(|a, b| {
        a.handler.location == b.handler.location && a.path == b.path && a.methods == b.methods
    });
    out
}

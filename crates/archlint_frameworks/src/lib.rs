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

/// Routes of every supported framework, in a deterministic order.
pub fn build_routes(index: &ProjectIndex, k: &Knowledge) -> Vec<Route> {
    let cx = routes::Cx { index, k };
    let mut out = Vec::new();
    python::flask::routes(&cx, &mut out);
    python::fastapi::routes(&cx, &mut out);
    python::django::routes(&cx, &mut out);
    rust::axum::routes(&cx, &mut out);
    rust::actix::routes(&cx, &mut out);
    rust::rocket::routes(&cx, &mut out);
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

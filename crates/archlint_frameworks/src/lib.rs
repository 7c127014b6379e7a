//! The framework layer: turns per-file facts into routes with their
//! authentication, public and rate-limit evidence, and into a call graph with
//! effect summaries. Framework *names* are data under `rules/frameworks/`
//! (see [`knowledge`]); framework *semantics* (what a blueprint prefix or a
//! nested router means) are code in [`python`] and [`rust`].

pub mod calls;
pub mod credentials;
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

/// Runs one independent unit of work, named by its framework (`flask`,
/// `django`...), and says whether it finished. Output of a unit that did not
/// finish is dropped. The engine passes a guard that catches panics, so a bug
/// in one framework's code costs only that framework's results.
pub type Guard<'g> = &'g (dyn Fn(&str, &mut dyn FnMut()) -> bool + Sync);

/// A [`Guard`] that just runs the work.
pub fn unguarded(_unit: &str, work: &mut dyn FnMut()) -> bool {
    work();
    true
}

/// Routes of every supported framework, in a deterministic order.
pub fn build_routes(index: &ProjectIndex, k: &Knowledge) -> Vec<Route> {
    build_routes_guarded(index, k, &unguarded)
}

/// [`build_routes`] with each framework's builder run under `guard`.
pub fn build_routes_guarded(index: &ProjectIndex, k: &Knowledge, guard: Guard) -> Vec<Route> {
    // Flask and FastAPI both look at every call of the project that wiring
    // can be made of: gather those once.
    let wiring = python::flask::scope::Wiring::for_project(index);
    let cx = routes::Cx {
        index,
        k,
        py_wiring: wiring.as_ref(),
    };
    type Builder = fn(&routes::Cx, &mut Vec<Route>);
    const BUILDERS: [(&str, Builder); 6] = [
        ("flask", python::flask::routes),
        ("fastapi", python::fastapi::routes),
        ("django", python::django::routes),
        ("axum", rust::axum::routes),
        ("actix-web", rust::actix::routes),
        ("rocket", rust::rocket::routes),
    ];
    // Frameworks are independent: build them in parallel, merge in a fixed order.
    let parts: Vec<Vec<Route>> = BUILDERS
        .par_iter()
        .map(|(name, build)| {
            let mut part = Vec::new();
            if !guard(name, &mut || build(&cx, &mut part)) {
                part.clear();
            }
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

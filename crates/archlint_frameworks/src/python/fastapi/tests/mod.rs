//! Unit tests of FastAPI and Starlette route building, one per feature, by concept.

mod deps;
mod limits;
mod middleware;
mod routing;
mod starlette;

use crate::python::flask::testutil::run;
use archlint_model::Route;

fn fastapi(files: &[(&str, &str)]) -> Vec<Route> {
    run(files, super::routes)
}

//! Unit tests of Flask route building, one per feature, by concept.

mod auth;
mod classviews;
mod limits;
mod routing;

use super::testutil::run;
use archlint_model::Route;

fn flask(files: &[(&str, &str)]) -> Vec<Route> {
    run(files, super::routes)
}

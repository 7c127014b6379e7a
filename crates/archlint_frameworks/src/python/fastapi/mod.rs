//! fastapi routes (to be written).

use crate::routes::Cx;
use archlint_model::Route;

/// Adds the fastapi routes of the project to `out`.
pub fn routes(_cx: &Cx, _out: &mut Vec<Route>) {}

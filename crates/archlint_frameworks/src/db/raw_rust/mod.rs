//! Raw SQL in Rust (in progress).

use super::DbCx;
use archlint_model::DbModel;

/// Adds what this module finds to `out`.
pub fn collect(_cx: &DbCx, _out: &mut DbModel) {}

//! sea-orm (being written).

use super::DbCx;
use archlint_model::DbModel;

/// Adds what this module finds to `out`.
pub fn collect(_cx: &DbCx, _out: &mut DbModel) {}

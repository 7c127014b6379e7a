//! The Python evaluation scope: the shared [`Scope`] with the Python rules
//! of `text.rs` (what text a value holds) and `taint.rs` (where it comes from).

use crate::db::sqltext::scope::Scope;
use archlint_model::Expr;
use std::ops::Deref;

pub use crate::db::sqltext::scope::BUDGET;

/// A Python scope.
pub struct Eval<'a, 'p>(pub Scope<'a, 'p>);

impl<'a, 'p> Deref for Eval<'a, 'p> {
    type Target = Scope<'a, 'p>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<'a, 'p> Eval<'a, 'p> {
    /// The constant `e` names and the (module) scope to evaluate it in.
    pub fn definition(&self, e: &Expr) -> Option<(&'p Expr, Eval<'a, 'p>)> {
        let (value, scope) = self.0.definition(e)?;
        Some((value, Eval(scope)))
    }
}

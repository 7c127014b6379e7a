//! The Rust evaluation scope: the shared [`Scope`] with the Rust rules of
//! `text.rs` and `taint.rs`, and parameters found by the names their
//! patterns bind (`Query(params)`, `Path((id, slug))`, `mut sql`).

use crate::db::sqltext::knowledge::raw;
use crate::db::sqltext::scope::Scope;
use archlint_model::{Expr, ExprKind, Param};
use std::ops::Deref;

pub use crate::db::sqltext::scope::BUDGET;

/// A Rust scope.
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

    /// The parameter whose pattern binds `name`.
    pub fn rust_param(&self, name: &str) -> Option<&'p Param> {
        self.func?
            .params
            .iter()
            .find(|p| idents(&p.name).any(|i| i == name))
    }
}

/// Identifiers in a pattern or type text, `mut`/`ref` left out.
pub fn idents(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|s| !s.is_empty() && !matches!(*s, "mut" | "ref"))
}

/// The text of a type expression (`Query<Params>`), if it is one.
pub fn type_text(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Type(t) => Some(t),
        _ => None,
    }
}

/// The outer type name without references or path (`web::Query<X>` gives
/// `Query`), and the text inside its generics.
pub fn outer_type(t: &str) -> (&str, &str) {
    let t = t
        .trim_start_matches('&')
        .trim_start_matches("mut")
        .trim_start_matches('\'');
    let (head, inner) = match t.find('<') {
        Some(i) => (&t[..i], t[i + 1..].strip_suffix('>').unwrap_or(&t[i + 1..])),
        None => (t, ""),
    };
    (head.rsplit("::").next().unwrap_or(head), inner)
}

/// Whether every type named in `t` is one whose values cannot carry SQL
/// syntax (`i64`, `Option<Uuid>`, `(i64, bool)`).
pub fn harmless_type(t: &str) -> bool {
    let rs = &raw().rust;
    let mut any = false;
    for i in idents(t) {
        if rs.harmless_types.matches(i) {
            any = true;
        } else if !matches!(
            i,
            "Option" | "Vec" | "std" | "option" | "vec" | "uuid" | "chrono"
        ) {
            return false;
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_and_patterns() {
        assert_eq!(outer_type("web::Query<Params>"), ("Query", "Params"));
        assert_eq!(outer_type("&PgPool"), ("PgPool", ""));
        assert_eq!(outer_type("Path<(i64,String)>"), ("Path", "(i64,String)"));
        assert!(harmless_type("Option<uuid::Uuid>"));
        assert!(harmless_type("(i64,bool)"));
        assert!(!harmless_type("(i64,String)"));
        assert!(!harmless_type("&str"));
        assert_eq!(
            idents("Path((mut a, b))").collect::<Vec<_>>(),
            ["Path", "a", "b"]
        );
    }
}

//! Small readers of lowered expressions: string constants through module
//! names, boolean keywords, string lists, and the name a call is made by.
//! Every chain through names is bounded.

use super::knowledge::SaNames;
use crate::routes::module_value;
use archlint_model::{Arg, ArgsExt, Expr, ExprKind, ProjectIndex, Symbol};

/// Longest chain of `NAME = OTHER_NAME` followed to a constant.
const MAX_HOPS: u32 = 8;

/// The last identifier a call is made by (`sa.Column(...)` gives `Column`).
pub fn call_name(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Call { func, .. } => func.last_name(),
        _ => None,
    }
}

/// The arguments of `e` when it is a call whose last name is in `set`.
pub fn call_in<'e>(e: &'e Expr, set: &crate::names::NameSet) -> Option<&'e [Arg]> {
    match &e.kind {
        ExprKind::Call { func, args } if func.last_name().is_some_and(|n| set.matches(n)) => {
            Some(args)
        }
        _ => None,
    }
}

/// Whether a callee (`select`, `sa.select`, `db.Column`) comes from
/// SQLAlchemy, SQLModel or the Flask-SQLAlchemy extension object.
pub fn from_sqlalchemy(index: &ProjectIndex, n: &SaNames, file: u32, callee: &Expr) -> bool {
    let modules = &n.queries.modules;
    match index.resolve_expr(file, callee) {
        Some(Symbol::External(path)) => modules
            .iter()
            .any(|m| path == *m || path.starts_with(&format!("{m}."))),
        None => match &callee.kind {
            // `db.select(...)` on the Flask-SQLAlchemy object.
            ExprKind::Attr(recv, _) => recv
                .last_name()
                .is_some_and(|r| n.models.extension_names.matches(r)),
            _ => false,
        },
        // `db.Column` where `db` is the extension object, a project global.
        Some(Symbol::Global { .. }) => false,
        _ => false,
    }
}

/// A string literal, or a module-level name (in `file` or imported) bound
/// to one.
pub fn str_value(index: &ProjectIndex, file: u32, e: &Expr) -> Option<String> {
    let mut cur_file = file;
    let mut cur = e;
    for _ in 0..MAX_HOPS {
        match &cur.kind {
            ExprKind::Str(s) => return Some(s.clone()),
            ExprKind::Name(n) => {
                let (f, v) = module_value(index, cur_file, n)?;
                cur_file = f;
                cur = v;
            }
            _ => return None,
        }
    }
    None
}

/// The literal boolean of keyword `name`, if given as `True`/`False`.
pub fn kw_bool(args: &[Arg], name: &str) -> Option<bool> {
    match &args.keyword(name)?.kind {
        ExprKind::Bool(b) => Some(*b),
        _ => None,
    }
}

/// Whether keyword `name` is present with anything but `None`/`False`.
pub fn kw_truthy(args: &[Arg], name: &str) -> bool {
    args.keyword(name)
        .is_some_and(|v| !matches!(v.kind, ExprKind::NoneLit | ExprKind::Bool(false)))
}

/// The strings of a list or tuple literal (or a single string), resolving
/// module constants; `None` when any element is not a known string.
pub fn str_list(index: &ProjectIndex, file: u32, e: &Expr) -> Option<Vec<String>> {
    match &e.kind {
        ExprKind::List(xs) | ExprKind::Tuple(xs) => xs
            .iter()
            .map(|x| str_value(index, file, x))
            .collect::<Option<Vec<_>>>(),
        _ => str_value(index, file, e).map(|s| vec![s]),
    }
}

/// `users.id` split into table and column at the last dot (the table may be
/// schema-qualified).
pub fn split_column_ref(text: &str) -> Option<(String, String)> {
    let (t, c) = text.rsplit_once('.')?;
    (!t.is_empty() && !c.is_empty()).then(|| (t.to_string(), c.to_string()))
}

/// Flask-SQLAlchemy's default table name: the class name in snake case
/// (`UserRole` gives `user_role`, `HTTPLog` gives `http_log`).
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() && i > 0 {
            let prev = chars.get(i - 1).copied().unwrap_or('_');
            let next = chars.get(i + 1).copied();
            // `((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))` of Flask-SQLAlchemy.
            if prev.is_lowercase()
                || prev.is_ascii_digit()
                || next.is_some_and(|n| n.is_lowercase())
            {
                out.push('_');
            }
        }
        out.extend(c.to_lowercase());
    }
    out.trim_start_matches('_').to_string()
}

/// Compact source-like text of a type or column expression (`String(50)`,
/// `sa.Integer()`), for `Column::type_text`.
pub fn type_text(e: &Expr) -> String {
    let s = crate::routes::short(e);
    s.replace('"', "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flask_sqlalchemy_table_names() {
        assert_eq!(snake_case("User"), "user");
        assert_eq!(snake_case("UserRole"), "user_role");
        assert_eq!(snake_case("HTTPLog"), "http_log");
        assert_eq!(snake_case("OAuth2Token"), "o_auth2_token");
        assert_eq!(snake_case("ABC"), "abc");
    }
}

//! Queries built at runtime (`f"SELECT ... WHERE id = {x}"`, `format!`,
//! concatenation), given as their constant fragments with a hole between
//! each two. Each hole is tried as a bound parameter (the common case: a
//! value), then as an identifier (a table or column name, or a value
//! position too), then as nothing (an optional clause); the first text that
//! parses gives the shape. Hole identifiers never count as tables or columns.

use crate::exprs::HOLE_PREFIX;
use crate::query_text::parse_query;
use archlint_model::{Dialect, QueryShape};

pub(crate) fn parse_dynamic(fragments: &[&str], dialect: Dialect) -> Option<QueryShape> {
    let total: usize = fragments.iter().map(|f| f.len()).sum();
    if fragments.is_empty() || total == 0 {
        return None;
    }
    let fills: [&dyn Fn(usize) -> String; 3] = [
        &|i| match dialect {
            Dialect::Postgres => format!("${}", i + 1),
            _ => "?".to_string(),
        },
        &|i| format!("{HOLE_PREFIX}{i}"),
        &|_| String::new(),
    ];
    for fill in fills {
        let mut text = String::with_capacity(total + 16 * fragments.len());
        for (i, f) in fragments.iter().enumerate() {
            if i > 0 {
                text.push_str(&fill(i - 1));
            }
            text.push_str(f);
        }
        if let Ok(mut shape) = parse_query(&text, dialect) {
            shape.dynamic = true;
            shape.fragments = fragments.iter().map(|f| f.to_string()).collect();
            return Some(shape);
        }
    }
    None
}

//! Test helpers: extraction shortcuts and a compact, Rust-like rendering of
//! facts, so tests can assert on one readable line instead of nested structs.

#![allow(dead_code)]

use archlint_model::{Arg, Expr, ExprKind, FileFacts, Function, Stmt, StmtKind};
use archlint_rust::RustExtractor;

pub fn facts(src: &str) -> FileFacts {
    RustExtractor::new().extract(src.as_bytes())
}

/// The function named `name` (panics in tests when absent).
pub fn func<'f>(facts: &'f FileFacts, name: &str) -> &'f Function {
    facts
        .functions
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no fn {name} in {:?}", names(facts)))
}

pub fn names(facts: &FileFacts) -> Vec<&str> {
    facts.functions.iter().map(|f| f.name.as_str()).collect()
}

/// Renders an expression as Rust-like text: `a.b(x)`, `m!(..)`, `"s"`, `k = v`.
pub fn show(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::FStr(_) => "f\"..\"".into(),
        ExprKind::Number(n) => n.clone(),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::NoneLit => "None".into(),
        ExprKind::Name(n) => n.clone(),
        ExprKind::Attr(v, a) => format!("{}.{a}", show(v)),
        ExprKind::Path(p) => p.join("::"),
        ExprKind::Call { func, args } => format!("{}({})", show(func), show_args(args)),
        ExprKind::Macro { path, args } => format!("{}!({})", path.join("::"), show_args(args)),
        ExprKind::Subscript(v, i) => format!("{}[{}]", show(v), list(i)),
        ExprKind::List(xs) => format!("[{}]", list(xs)),
        ExprKind::Tuple(xs) => format!("({})", list(xs)),
        ExprKind::Set(xs) => format!("set({})", list(xs)),
        ExprKind::Dict(kv) => {
            let items: Vec<String> = kv
                .iter()
                .map(|(k, v)| format!("{}: {}", show(k), show(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        ExprKind::Binary(op, l, r) => format!("({} {op:?} {})", show(l), show(r)),
        ExprKind::Unary(v) => format!("unary({})", show(v)),
        ExprKind::Await(v) => format!("{}.await", show(v)),
        ExprKind::Lambda { params, body } => format!("|{}| {{{}}}", params.join(", "), stmts(body)),
        ExprKind::Type(t) => format!("type({t})"),
        ExprKind::Other(xs) => format!("other({})", list(xs)),
    }
}

fn list(xs: &[Expr]) -> String {
    xs.iter().map(show).collect::<Vec<_>>().join(", ")
}

fn show_args(args: &[Arg]) -> String {
    args.iter()
        .map(|a| match &a.name {
            Some(n) => format!("{n} = {}", show(&a.value)),
            None => show(&a.value),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One statement: `let t = v`, `t += v`, `expr`, `return v`, prefixed with
/// `@N ` when inside loop N.
pub fn stmt(s: &Stmt) -> String {
    let body = match &s.kind {
        StmtKind::Assign {
            targets,
            value,
            annotation,
            augmented,
        } => {
            let t = list(targets);
            let ann = annotation
                .as_ref()
                .map(|a| format!(": {}", show(a)))
                .unwrap_or_default();
            if *augmented {
                format!("{t} += {}", show(value))
            } else {
                format!("let {t}{ann} = {}", show(value))
            }
        }
        StmtKind::Expr(e) => show(e),
        StmtKind::Return(e) => format!("return {}", show(e)),
    };
    match s.loop_idx {
        Some(i) => format!("@{i} {body}"),
        None => body,
    }
}

pub fn stmts(body: &[Stmt]) -> String {
    body.iter().map(stmt).collect::<Vec<_>>().join("; ")
}

/// Every statement of a body, one per entry.
pub fn body_lines(f: &Function) -> Vec<String> {
    f.body.iter().map(stmt).collect()
}

pub fn decorators(f: &Function) -> Vec<String> {
    f.decorators.iter().map(show).collect()
}

//! Helpers shared by the integration tests: extract a snippet, find facts by
//! name, and read expressions in a compact form.
#![allow(dead_code)]

use archlint_model::visit::walk_stmts;
use archlint_model::{
    Arg, Class, Expr, ExprKind, FileFacts, Function, LoopIdx, Stmt, StmtKind, StrPart,
};
use archlint_python::PythonExtractor;

pub fn facts(src: &str) -> FileFacts {
    PythonExtractor::new().extract(src.as_bytes())
}

pub fn func<'a>(f: &'a FileFacts, name: &str) -> &'a Function {
    f.functions
        .iter()
        .find(|x| x.name == name)
        .unwrap_or_else(|| panic!("no function {name}"))
}

pub fn class<'a>(f: &'a FileFacts, name: &str) -> &'a Class {
    f.classes
        .iter()
        .find(|x| x.name == name)
        .unwrap_or_else(|| panic!("no class {name}"))
}

/// Dotted name of a name/attribute chain, or of a call's callee.
pub fn dotted(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Call { func, .. } => dotted(func),
        _ => e.dotted().unwrap_or_else(|| panic!("not dotted: {e:?}")),
    }
}

/// Callee name and arguments of a call.
pub fn call(e: &Expr) -> (String, &[Arg]) {
    let (func, args) = e.as_call().unwrap_or_else(|| panic!("not a call: {e:?}"));
    (dotted(func), args)
}

pub fn str_of(e: &Expr) -> &str {
    e.as_str().unwrap_or_else(|| panic!("not a string: {e:?}"))
}

/// Every call in `stmts` whose callee is dotted, with the loop index of its statement.
pub fn calls(stmts: &[Stmt]) -> Vec<(String, Option<LoopIdx>)> {
    let mut out = Vec::new();
    for s in stmts {
        walk_stmts(std::slice::from_ref(s), |e| {
            if let Some((func, _)) = e.as_call()
                && let Some(name) = func.dotted()
            {
                out.push((name, s.loop_idx));
            }
        });
    }
    out
}

/// The value assigned to a plain name target.
pub fn assigned<'a>(stmts: &'a [Stmt], target: &str) -> &'a Expr {
    stmts
        .iter()
        .find_map(|s| match &s.kind {
            StmtKind::Assign { targets, value, .. }
                if targets
                    .iter()
                    .any(|t| t.dotted().as_deref() == Some(target)) =>
            {
                Some(value)
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no assignment to {target}"))
}

/// The expression of the `i`-th statement, which must be an `Expr` statement.
pub fn expr_stmt(s: &Stmt) -> &Expr {
    match &s.kind {
        StmtKind::Expr(e) => e,
        other => panic!("not an expression statement: {other:?}"),
    }
}

/// Compact text of an expression, for readable assertions.
pub fn show(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::FStr(parts) => {
            let inner: Vec<String> = parts
                .iter()
                .map(|p| match p {
                    StrPart::Lit(s) => s.clone(),
                    StrPart::Expr(e) => format!("{{{}}}", show(e)),
                })
                .collect();
            format!("f{:?}", inner.concat())
        }
        ExprKind::Number(n) => n.clone(),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::NoneLit => "None".into(),
        ExprKind::Name(n) => n.clone(),
        ExprKind::Attr(v, a) => format!("{}.{a}", show(v)),
        ExprKind::Path(p) => p.join("::"),
        ExprKind::Call { func, args } => format!("{}({})", show(func), show_args(args)),
        ExprKind::Macro { path, args } => format!("{}!({})", path.join("::"), show_args(args)),
        ExprKind::Subscript(v, idx) => format!("{}[{}]", show(v), show_list(idx)),
        ExprKind::List(xs) => format!("[{}]", show_list(xs)),
        ExprKind::Tuple(xs) => format!("({})", show_list(xs)),
        ExprKind::Set(xs) => format!("{{{}}}", show_list(xs)),
        ExprKind::Dict(kv) => {
            let items: Vec<String> = kv
                .iter()
                .map(|(k, v)| format!("{}: {}", show(k), show(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        ExprKind::Binary(op, l, r) => format!("({} {op:?} {})", show(l), show(r)),
        ExprKind::Unary(v) => format!("unary {}", show(v)),
        ExprKind::Await(v) => format!("await {}", show(v)),
        ExprKind::Lambda { params, body } => {
            let body: Vec<String> = body
                .iter()
                .map(|s| match &s.kind {
                    StmtKind::Return(e) => show(e),
                    other => format!("{other:?}"),
                })
                .collect();
            format!("lambda {}: {}", params.join(", "), body.join("; "))
        }
        ExprKind::Type(t) => t.clone(),
        ExprKind::Other(xs) => format!("Other[{}]", show_list(xs)),
    }
}

fn show_list(xs: &[Expr]) -> String {
    xs.iter().map(show).collect::<Vec<_>>().join(", ")
}

fn show_args(args: &[Arg]) -> String {
    args.iter()
        .map(|a| match &a.name {
            Some(n) if n == "*" || n == "**" => format!("{n}{}", show(&a.value)),
            Some(n) => format!("{n}={}", show(&a.value)),
            None => show(&a.value),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Compact text of a statement.
pub fn show_stmt(s: &Stmt) -> String {
    let body = match &s.kind {
        StmtKind::Assign {
            targets,
            value,
            annotation,
            augmented,
        } => {
            let targets: Vec<String> = targets.iter().map(show).collect();
            let ann = annotation
                .as_ref()
                .map(|a| format!(": {}", show(a)))
                .unwrap_or_default();
            let op = if *augmented { "op=" } else { "=" };
            format!("{}{ann} {op} {}", targets.join(" = "), show(value))
        }
        StmtKind::Expr(e) => show(e),
        StmtKind::Return(e) => format!("return {}", show(e)),
    };
    match s.loop_idx {
        Some(i) => format!("{body} @{i}"),
        None => body,
    }
}

pub fn show_stmts(stmts: &[Stmt]) -> Vec<String> {
    stmts.iter().map(show_stmt).collect()
}

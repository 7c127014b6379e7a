//! Shared pieces of route building: the context every framework module gets,
//! path joining, handler records, evidence from names, value lookup through
//! assignments, and a short printer for expressions shown in evidence.

use crate::knowledge::{Knowledge, LanguageNames, Names};
use archlint_model::{
    Evidence, Expr, ExprKind, FuncRef, Handler, Language, Location, ProjectIndex, Scope, Span,
    StmtKind, Symbol,
};

/// What a framework module needs to build routes.
pub struct Cx<'a, 'p> {
    pub index: &'a ProjectIndex<'p>,
    pub k: &'a Knowledge,
    /// The Python wiring calls, gathered once for the Flask and FastAPI
    /// builders (`None` when the project imports neither: no routes then).
    pub(crate) py_wiring: Option<&'a crate::python::flask::scope::Wiring<'p>>,
}

impl<'a, 'p> Cx<'a, 'p> {
    pub fn names(&self, lang: Language) -> &'a LanguageNames {
        self.k.lang(lang)
    }

    pub fn location(&self, file: u32, span: Span) -> Location {
        self.index.project.location(file, span)
    }

    /// The handler record for a function.
    pub fn handler(&self, f: FuncRef) -> Option<Handler> {
        let func = self.index.project.func(f)?;
        Some(Handler {
            name: func.name.clone(),
            location: self.location(f.file, func.name_span),
            funcs: vec![f],
            unseen_dispatch: None,
        })
    }
}

/// Joins a prefix and a route path with exactly one `/` between them
/// (`/api` + `/users` = `/api/users`, `/api/` + `users` = `/api/users`).
/// An empty path keeps the prefix as is.
pub fn join_paths(prefix: &str, path: &str) -> String {
    if prefix.is_empty() {
        return path.to_string();
    }
    if path.is_empty() {
        return prefix.to_string();
    }
    let p = prefix.trim_end_matches('/');
    let s = path.trim_start_matches('/');
    if s.is_empty() {
        format!("{p}/")
    } else {
        format!("{p}/{s}")
    }
}

/// Evidence for every expression in `exprs` (decorators, attribute names,
/// classes) whose last name is in `set`.
pub fn name_evidence(
    cx: &Cx,
    file: u32,
    exprs: &[Expr],
    set: &crate::names::NameSet,
    scope: Scope,
    prefix: &str,
) -> Vec<Evidence> {
    exprs
        .iter()
        .filter(|e| e.last_name().is_some_and(|n| set.matches(n)))
        .map(|e| Evidence {
            scope,
            what: format!("{prefix}{}", short(e)),
            location: Some(cx.location(file, e.span)),
        })
        .collect()
}

/// Evidence for decorators matching one of the name sets' `decorators`.
pub fn decorator_evidence(
    cx: &Cx,
    file: u32,
    decorators: &[Expr],
    names: &Names,
    scope: Scope,
) -> Vec<Evidence> {
    name_evidence(cx, file, decorators, &names.decorators, scope, "@")
}

/// The value last assigned to `name` at module level in `file`, following
/// imports to the defining file. Returns the defining file and the value.
pub fn module_value<'p>(
    index: &ProjectIndex<'p>,
    file: u32,
    name: &str,
) -> Option<(u32, &'p Expr)> {
    match index.resolve_name(file, name)? {
        Symbol::Global { file: f, stmt } => {
            let s = index
                .project
                .file(f)?
                .facts
                .module_stmts
                .get(stmt as usize)?;
            match &s.kind {
                StmtKind::Assign { value, .. } => Some((f, value)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The value last assigned to `name` in `body` before `before` (or anywhere
/// when `before` is `None`).
pub fn local_value<'e>(
    body: &'e [archlint_model::Stmt],
    name: &str,
    before: Option<Span>,
) -> Option<&'e Expr> {
    let mut found = None;
    for s in body {
        if before.is_some_and(|b| s.span.start >= b.start) {
            break;
        }
        if let StmtKind::Assign {
            targets,
            value,
            augmented: false,
            ..
        } = &s.kind
            && targets
                .iter()
                .any(|t| matches!(&t.kind, ExprKind::Name(n) if n == name))
        {
            found = Some(value);
        }
    }
    found
}

/// A short, single-line rendering of an expression for evidence and messages
/// (`Depends(get_current_user)`, `limiter.limit("5/minute")`). Depth- and
/// length-bounded.
pub fn short(e: &Expr) -> String {
    let mut out = String::new();
    render(e, &mut out, 0);
    if out.chars().count() > 80 {
        let cut: String = out.chars().take(77).collect();
        return format!("{cut}...");
    }
    out
}

fn render(e: &Expr, out: &mut String, depth: u32) {
    if depth > 6 || out.len() > 120 {
        out.push('…');
        return;
    }
    match &e.kind {
        ExprKind::Str(s) => {
            out.push('"');
            out.push_str(&s.chars().take(40).collect::<String>());
            out.push('"');
        }
        ExprKind::Number(n) => out.push_str(n),
        ExprKind::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
        ExprKind::NoneLit => out.push_str("None"),
        ExprKind::Name(n) => out.push_str(n),
        ExprKind::Type(t) => out.push_str(t),
        ExprKind::Path(segs) => out.push_str(&segs.join("::")),
        ExprKind::Attr(v, a) => {
            render(v, out, depth + 1);
            out.push('.');
            out.push_str(a);
        }
        ExprKind::Call { func, args } => {
            render(func, out, depth + 1);
            out.push('(');
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if let Some(n) = &a.name {
                    out.push_str(n);
                    out.push('=');
                }
                render(&a.value, out, depth + 1);
            }
            out.push(')');
        }
        ExprKind::Macro { path, args } => {
            out.push_str(&path.join("::"));
            out.push_str("!(");
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render(&a.value, out, depth + 1);
            }
            out.push(')');
        }
        ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => {
            out.push('[');
            for (i, x) in xs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render(x, out, depth + 1);
            }
            out.push(']');
        }
        ExprKind::Subscript(v, idx) => {
            render(v, out, depth + 1);
            out.push('[');
            for (i, x) in idx.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render(x, out, depth + 1);
            }
            out.push(']');
        }
        ExprKind::Await(v) => render(v, out, depth),
        _ => out.push('…'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_paths() {
        assert_eq!(join_paths("/api", "/users"), "/api/users");
        assert_eq!(join_paths("/api/", "users/"), "/api/users/");
        assert_eq!(join_paths("", "/x"), "/x");
        assert_eq!(join_paths("/api", ""), "/api");
        assert_eq!(join_paths("/api", "/"), "/api/");
    }
}

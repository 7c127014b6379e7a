//! Pieces shared by the diesel and sea-orm extractors: method chains taken
//! apart (`users.filter(..).order(..).load(conn)` is a root and three links),
//! the text of a chain for `QueryFact::api`, the loop around a call, local
//! assignments, the imports visible in a function, and identifier case.

use archlint_model::{Arg, Expr, ExprKind, Function, Import, LoopKind, Span, StmtKind};

/// Longest chain followed; longer ones are cut at the root end.
const MAX_LINKS: usize = 256;

/// One method call of a chain.
#[derive(Clone, Copy, Debug)]
pub struct Link<'e> {
    pub method: &'e str,
    pub args: &'e [Arg],
    /// The whole call `recv.method(args)`.
    pub call: &'e Expr,
}

impl<'e> Link<'e> {
    /// The `i`-th positional argument.
    pub fn arg(&self, i: usize) -> Option<&'e Expr> {
        self.args
            .iter()
            .filter(|a| a.name.is_none())
            .nth(i)
            .map(|a| &a.value)
    }
}

/// A method chain: what it starts from and its calls in source order.
#[derive(Clone, Debug)]
pub struct Chain<'e> {
    pub root: &'e Expr,
    pub links: Vec<Link<'e>>,
}

/// Takes `e` apart into its root and method calls (`a.b(x).c(y)` gives root
/// `a` and links `b`, `c`). A chain longer than the bound keeps its last links.
pub fn flatten(e: &Expr) -> Chain<'_> {
    let mut links = Vec::new();
    let mut cur = e;
    while let ExprKind::Call { func, args } = &cur.kind {
        let ExprKind::Attr(recv, method) = &func.kind else {
            break;
        };
        if links.len() >= MAX_LINKS {
            break;
        }
        links.push(Link {
            method,
            args,
            call: cur,
        });
        cur = recv;
    }
    links.reverse();
    Chain { root: cur, links }
}

/// `Call { func, args }` with the callee's path segments, for roots such as
/// `diesel::insert_into(users::table)` or `Users::find()`.
pub fn path_call(e: &Expr) -> Option<(Vec<&str>, &[Arg])> {
    let ExprKind::Call { func, args } = &e.kind else {
        return None;
    };
    Some((segments(func)?, args))
}

/// The segments of a name or path (`a::b::c`).
pub fn segments(e: &Expr) -> Option<Vec<&str>> {
    match &e.kind {
        ExprKind::Name(n) => Some(vec![n.as_str()]),
        ExprKind::Path(p) => Some(p.iter().map(String::as_str).collect()),
        _ => None,
    }
}

/// The first positional argument of a call's arguments.
pub fn first_arg(args: &[Arg]) -> Option<&Expr> {
    args.iter().find(|a| a.name.is_none()).map(|a| &a.value)
}

/// Short text of a chain for `QueryFact::api`: `users::table.filter(..).load`
/// (the last link, the execution, without its arguments).
pub fn api_text(chain: &Chain) -> String {
    let mut out = root_text(chain.root);
    let n = chain.links.len();
    for (i, l) in chain.links.iter().enumerate() {
        out.push('.');
        out.push_str(l.method);
        if i + 1 < n {
            out.push_str(if l.args.is_empty() { "()" } else { "(..)" });
        }
        if out.len() > 200 {
            out.push('…');
            break;
        }
    }
    out
}

fn root_text(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(n) => n.clone(),
        ExprKind::Path(p) => p.join("::"),
        ExprKind::Call { func, args } => {
            let inner = if args.is_empty() { "()" } else { "(..)" };
            format!("{}{inner}", root_text(func))
        }
        ExprKind::Attr(v, a) => format!("{}.{a}", root_text(v)),
        _ => "<expr>".into(),
    }
}

/// The innermost `for`/`while`/`loop` of `func` whose body runs `span`. The
/// iterable of a `for` is evaluated once, so a call there belongs to the
/// enclosing loop, if any.
pub fn loop_of(func: &Function, span: Span) -> Option<u32> {
    let mut best: Option<(u32, Span)> = None;
    for (i, l) in func.loops.iter().enumerate() {
        if !l.span.contains(&span) {
            continue;
        }
        let in_iter =
            l.kind == LoopKind::For && l.iter.as_ref().is_some_and(|it| it.span.contains(&span));
        if in_iter {
            continue;
        }
        if best.is_none_or(|(_, s)| l.span.start >= s.start) {
            best = Some((i as u32, l.span));
        }
    }
    best.map(|(i, _)| i)
}

/// Values assigned to the local `name` in `body` (top level, flattened
/// blocks included) strictly before `before`, in source order.
pub fn assignments<'e>(
    body: &'e [archlint_model::Stmt],
    name: &str,
    before: Span,
) -> Vec<&'e Expr> {
    let mut out = Vec::new();
    for s in body {
        if s.span.start >= before.start {
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
            out.push(value);
        }
    }
    out
}

/// The type annotation of the last `let name: T = ..` before `before`.
pub fn annotation_of<'e>(
    body: &'e [archlint_model::Stmt],
    name: &str,
    before: Span,
) -> Option<&'e Expr> {
    let mut found = None;
    for s in body {
        if s.span.start >= before.start {
            break;
        }
        if let StmtKind::Assign {
            targets,
            annotation,
            ..
        } = &s.kind
            && targets
                .iter()
                .any(|t| matches!(&t.kind, ExprKind::Name(n) if n == name))
        {
            found = annotation.as_ref();
        }
    }
    found.map(|v| &**v)
}

/// Which imports of a file are visible in which function: the file-level
/// ones everywhere, those written inside a function body (recorded with the
/// file's imports, with their span) only there.
pub struct ImportScopes<'f> {
    imports: &'f [Import],
    /// Per import, whether it is written inside some function.
    in_fn: Vec<bool>,
}

impl<'f> ImportScopes<'f> {
    pub fn new(facts: &'f archlint_model::FileFacts) -> Self {
        let mut spans: Vec<Span> = facts.functions.iter().map(|f| f.span).collect();
        spans.sort();
        let in_fn = facts
            .imports
            .iter()
            .map(|im| {
                // Functions starting at or before the import: the enclosing one is among them.
                let upto = spans.partition_point(|s| s.start <= im.span.start);
                spans[..upto]
                    .iter()
                    .rev()
                    .take(64)
                    .any(|s| s.contains(&im.span))
            })
            .collect();
        ImportScopes {
            imports: &facts.imports,
            in_fn,
        }
    }

    /// The imports outside every function, visible in all of them.
    pub fn file_level(&self) -> Vec<&'f Import> {
        self.imports
            .iter()
            .zip(&self.in_fn)
            .filter(|(_, inside)| !**inside)
            .map(|(im, _)| im)
            .collect()
    }

    /// Whether `func` sees imports of its own (written inside it), beyond
    /// [`ImportScopes::file_level`].
    pub fn has_own(&self, func: &Function) -> bool {
        self.imports
            .iter()
            .zip(&self.in_fn)
            .any(|(im, inside)| *inside && func.span.contains(&im.span))
    }

    /// The imports visible in `func`.
    pub fn visible(&self, func: &Function) -> Vec<&'f Import> {
        self.imports
            .iter()
            .zip(&self.in_fn)
            .filter(|(im, inside)| !**inside || func.span.contains(&im.span))
            .map(|(im, _)| im)
            .collect()
    }
}

/// `UserId` → `user_id`, `HTTPStatus` → `http_status`, `users` unchanged.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                Some(p) if p.is_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_uppercase() => next.is_some_and(char::is_lowercase),
                _ => false,
            };
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `s` reads as a lower-case identifier (`users`, `created_at`), the
/// way diesel names tables and columns.
pub fn is_lower_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_of_variants() {
        assert_eq!(snake_case("UserId"), "user_id");
        assert_eq!(snake_case("Users"), "users");
        assert_eq!(snake_case("HTTPStatus"), "http_status");
        assert_eq!(snake_case("Table2Id"), "table2_id");
        assert_eq!(snake_case("created_at"), "created_at");
    }
}

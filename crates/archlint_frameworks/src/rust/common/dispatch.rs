//! Handlers generic over a type that carries the endpoint's logic:
//! `web::post().to(route_post::<AddAdmin>)` where `route_post<D: Perform>`
//! deserialises a `D` and calls `data.perform(..)`. The code that runs for
//! the route is `AddAdmin`'s trait impl, which the call graph cannot reach
//! through the type parameter. The turbofish names the type, so the methods
//! the handler calls can be looked up on it: those of its impls in the
//! project join the route's code. When the type comes from a crate that was
//! not scanned, what runs is unknown, and the route says so.
//!
//! Also here: whether code calls a helper that verifies a credential it is
//! given (`get_user_from_jwt(&data.auth)`), the usual way such dispatched
//! logic, and many plain handlers, authenticate.

use super::Shared;
use crate::calls::{LocalNames, resolve_callee};
use crate::routes::Cx;
use archlint_model::visit::walk_stmts;
use archlint_model::{ExprKind, FuncRef, Function, Language, ParamKind, Span, Symbol};
use std::collections::BTreeSet;

/// Project functions followed from a handler, for method names and verifiers.
const MAX_DEPTH: u32 = 2;
/// Functions visited per question, whatever the call graph's shape.
const MAX_VISITS: usize = 64;

/// Crates whose types in a turbofish are plain data or framework types,
/// never a project's dispatch type.
const NOT_DISPATCH_CRATES: &[&str] = &[
    "actix_web",
    "alloc",
    "axum",
    "core",
    "rocket",
    "serde",
    "serde_json",
    "std",
    "tokio",
];

/// What a turbofish on a handler dispatches to.
#[derive(Debug, Default)]
pub struct Dispatch {
    /// `route_post::<AddAdmin>`: the handler name with its type arguments.
    pub name: String,
    /// Methods of the type arguments' impls that the handler calls.
    pub funcs: Vec<FuncRef>,
    /// A type argument imported from a crate that was not scanned, whose
    /// methods the handler calls: the route's logic is out of sight.
    pub unseen: Option<String>,
}

/// The dispatch of handler `handler` registered with the path expression at
/// `span` in `file`, when that expression has a turbofish.
pub fn dispatch(cx: &Cx, sh: &Shared, handler: FuncRef, file: u32, span: Span) -> Option<Dispatch> {
    let facts = &cx.index.project.file(file)?.facts;
    let types = facts.type_args_at(span);
    if types.is_empty() {
        return None;
    }
    let func = cx.index.project.func(handler)?;
    let mut out = Dispatch {
        name: format!("{}::<{}>", func.name, types.join(", ")),
        ..Dispatch::default()
    };
    let called = called_methods(cx, sh, handler);
    for ty in types {
        let head = type_head(ty);
        let mut found = false;
        for m in &called {
            for &f in cx.index.rust_methods(head, m) {
                found = true;
                out.funcs.push(f);
            }
        }
        if !found
            && out.unseen.is_none()
            && !called.is_empty()
            && imported_from_outside(cx, file, ty)
        {
            out.unseen = Some(head.to_string());
        }
    }
    out.funcs.sort();
    out.funcs.dedup();
    out.funcs.retain(|&f| f != handler);
    Some(out)
}

/// The last path segment of a type, generics and references dropped
/// (`&api::AddAdmin<T>` gives `AddAdmin`).
fn type_head(ty: &str) -> &str {
    let t = ty.trim_start_matches('&').trim_start_matches("mut ");
    let t = t.split('<').next().unwrap_or(t);
    t.rsplit("::").next().unwrap_or(t)
}

/// Whether `ty` names a type brought in by a `use` from a crate that is not
/// part of the project (and not a std or framework crate). A generic
/// parameter of the enclosing function (`upload::<S>`) is not imported.
fn imported_from_outside(cx: &Cx, file: u32, ty: &str) -> bool {
    let Some(f) = cx.index.project.file(file) else {
        return false;
    };
    let t = ty.trim_start_matches('&').trim_start_matches("mut ");
    let t = t.split('<').next().unwrap_or(t);
    let first = t.split("::").next().unwrap_or(t);
    let root = if t.contains("::") {
        Some(first.to_string())
    } else {
        f.facts
            .imports
            .iter()
            .find(|im| im.alias == first)
            .map(|im| im.module.split("::").next().unwrap_or("").to_string())
    };
    let Some(root) = root else { return false };
    !root.is_empty()
        && !matches!(root.as_str(), "crate" | "self" | "super")
        && root != f.module.crate_name
        && !cx.index.is_project_crate(&root)
        && !NOT_DISPATCH_CRATES.contains(&root.as_str())
}

/// Method names the handler calls, itself or through the project functions
/// it calls (bounded): `data.perform(..)` and `Trait::send(&data, ..)` give
/// `perform` and `send`.
fn called_methods(cx: &Cx, sh: &Shared, handler: FuncRef) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    visit_calls(cx, sh, handler, false, |_, callee, _| {
        match &callee.kind {
            ExprKind::Attr(_, m) => {
                names.insert(m.clone());
            }
            ExprKind::Path(segs) if segs.len() >= 2 => {
                if let Some(m) = segs.last() {
                    names.insert(m.clone());
                }
            }
            _ => {}
        }
        true
    });
    names
}

/// One call of a function body (in walk order), as [`visit_calls`] sees it.
pub struct CallSite {
    pub resolved: Option<Symbol>,
    /// Inside one arm of an `if`/`match` used as a value.
    pub in_arm: bool,
}

/// The calls of `fref`'s body in walk order, resolved.
pub(super) fn call_sites(cx: &Cx, sh: &Shared, fref: FuncRef) -> Option<Vec<CallSite>> {
    let func = cx.index.project.func(fref)?;
    let nested = sh.nested.get(fref.file as usize)?;
    let mut arms: Vec<Span> = Vec::new();
    walk_stmts(&func.body, |e| {
        if let ExprKind::Other(alts) = &e.kind
            && alts.len() >= 2
        {
            arms.push(e.span);
        }
    });
    let locals = LocalNames::of(func);
    let mut out = Vec::new();
    walk_stmts(&func.body, |e| {
        let ExprKind::Call { func: callee, .. } = &e.kind else {
            return;
        };
        out.push(CallSite {
            resolved: resolve_callee(cx.index, nested, fref, &locals, Language::Rust, callee),
            in_arm: arms.iter().any(|a| a.contains(&e.span)),
        });
    });
    Some(out)
}

/// Walks the calls of `start` and of the project functions it calls, up to
/// [`MAX_DEPTH`] levels and [`MAX_VISITS`] functions. `f(caller, callee
/// expression, what the callee resolves to)` returns whether to follow into
/// it, when it is a project function.
/// With `unconditional`, calls in one arm of an `if`/`match` used as a value
/// are skipped: a check in one branch does not cover the others.
fn visit_calls(
    cx: &Cx,
    sh: &Shared,
    start: FuncRef,
    unconditional: bool,
    mut f: impl FnMut(FuncRef, &archlint_model::Expr, Option<&Symbol>) -> bool,
) {
    let mut seen: BTreeSet<FuncRef> = BTreeSet::new();
    let mut level = vec![start];
    seen.insert(start);
    for depth in 0..=MAX_DEPTH {
        let mut next = Vec::new();
        for fref in level {
            let (Some(func), Some(calls)) = (cx.index.project.func(fref), sh.calls_of(cx, fref))
            else {
                continue;
            };
            // The body's calls in the order `call_sites` resolved them.
            let mut sites = calls.iter();
            walk_stmts(&func.body, |e| {
                let ExprKind::Call { func: callee, .. } = &e.kind else {
                    return;
                };
                let Some(call) = sites.next() else { return };
                if unconditional && call.in_arm {
                    return;
                }
                let follow = f(fref, callee, call.resolved.as_ref());
                if let Some(t) = project_fn(call.resolved.as_ref())
                    && follow
                    && depth < MAX_DEPTH
                    && seen.len() < MAX_VISITS
                    && seen.insert(t)
                {
                    next.push(t);
                }
            });
        }
        if next.is_empty() {
            break;
        }
        level = next;
    }
}

/// The project function a call resolved to, if that is what it is.
fn project_fn(resolved: Option<&Symbol>) -> Option<FuncRef> {
    match resolved {
        Some(Symbol::Func(t)) => Some(*t),
        _ => None,
    }
}

/// What a visit of [`first_call`] makes of one call.
enum Step {
    /// The call sought, named so.
    Found(String),
    /// Not it; look inside the callee too.
    Follow,
    /// Not it, and not worth looking inside.
    Skip,
}

/// The first call, in `start` or the project functions it calls (breadth
/// first; only unconditional ones when `unconditional`), that `judge` finds:
/// its name and the call's location (file, span).
fn first_call(
    cx: &Cx,
    sh: &Shared,
    start: FuncRef,
    unconditional: bool,
    mut judge: impl FnMut(FuncRef, &archlint_model::Expr, Option<&Symbol>) -> Step,
) -> Option<(String, u32, Span)> {
    let mut found = None;
    visit_calls(cx, sh, start, unconditional, |caller, callee, resolved| {
        if found.is_some() {
            return false;
        }
        match judge(caller, callee, resolved) {
            Step::Found(name) => {
                found = Some((name, caller.file, callee.span));
                false
            }
            Step::Follow => true,
            Step::Skip => false,
        }
    });
    found
}

/// The first call, in `start` or the project functions it calls, of a
/// helper that verifies a credential it is given: the helper's name and the
/// call's location (file, span). Helpers that take the credential as an
/// `Option` are not followed: they let anonymous callers through.
pub fn verifier_call(cx: &Cx, sh: &Shared, start: FuncRef) -> Option<(String, u32, Span)> {
    first_call(cx, sh, start, true, |_, _, resolved| {
        let Some(func) = project_fn(resolved).and_then(|t| cx.index.project.func(t)) else {
            return Step::Skip;
        };
        match credential_param(func) {
            Some(true) if fails_without(func) && verifies(func) => Step::Found(func.name.clone()),
            Some(_) => Step::Skip,
            None => Step::Follow,
        }
    })
}

/// The first unconditional call, in `start` or the project functions it
/// calls, of a function outside the project named in `names` (see
/// [`crate::knowledge::Names::calls`]). Same result shape as [`verifier_call`].
pub fn external_verifier_call(
    cx: &Cx,
    sh: &Shared,
    start: FuncRef,
    names: &crate::names::NameSet,
) -> Option<(String, u32, Span)> {
    if names.is_empty() {
        return None;
    }
    first_call(cx, sh, start, true, |_, callee, resolved| {
        match callee.last_name() {
            Some(n)
                if project_fn(resolved).is_none()
                    && names.matches(n)
                    && outside_project(cx, resolved, n) =>
            {
                Step::Found(n.to_string())
            }
            _ => Step::Follow,
        }
    })
}

/// Whether a call of `name` that resolved to `resolved` goes outside the
/// project: to another crate's path (through the imports), or, unresolved,
/// to a name no project function has.
fn outside_project(cx: &Cx, resolved: Option<&Symbol>, name: &str) -> bool {
    match resolved {
        // The resolver calls any path it cannot place external: a path into
        // a module of the project (an inline `mod` included) is not.
        Some(Symbol::External(p)) => {
            let first = p.split("::").next().unwrap_or_default();
            !is_project_module(cx, first) || !defined_in_project(cx, name)
        }
        Some(_) => false,
        None => !defined_in_project(cx, name),
    }
}

/// Whether `name` is a crate or module of the project (a file module or an
/// inline `mod`).
fn is_project_module(cx: &Cx, name: &str) -> bool {
    cx.index.is_project_crate(name)
        || cx.index.project.files.iter().any(|f| {
            f.language == Language::Rust
                && (f.module.module.rsplit("::").next() == Some(name)
                    || f.facts
                        .functions
                        .iter()
                        .any(|g| g.module_path.iter().any(|m| m == name)))
        })
}

/// Whether a Rust function of the project is named `name`.
fn defined_in_project(cx: &Cx, name: &str) -> bool {
    cx.index
        .project
        .files
        .iter()
        .any(|f| f.language == Language::Rust && f.facts.functions.iter().any(|g| g.name == name))
}

/// The first call, in `start` or the project functions it calls, of a
/// helper that takes an *optional* credential and verifies it when given
/// (`user_from_jwt_opt(data.auth.as_deref())`): the code serves anonymous
/// callers on purpose. Same result shape as [`verifier_call`].
pub fn optional_verifier_call(cx: &Cx, sh: &Shared, start: FuncRef) -> Option<(String, u32, Span)> {
    first_call(cx, sh, start, false, |_, _, resolved| {
        let Some(t) = project_fn(resolved) else {
            return Step::Skip;
        };
        let Some(func) = cx.index.project.func(t) else {
            return Step::Skip;
        };
        match credential_param(func) {
            Some(false) if verifies(func) || verifier_call(cx, sh, t).is_some() => {
                Step::Found(func.name.clone())
            }
            Some(_) => Step::Skip,
            None => Step::Follow,
        }
    })
}

/// Whether a function takes a credential: `Some(true)` for a required one
/// (`jwt: &str`, `token: String`), `Some(false)` for an optional one
/// (`jwt: Option<&str>`), `None` when it takes none. One-time tokens of
/// e-mail, reset and CSRF flows are not credentials.
fn credential_param(func: &Function) -> Option<bool> {
    let mut out = None;
    for p in &func.params {
        if p.kind == ParamKind::SelfParam {
            continue;
        }
        let name = p.name.to_ascii_lowercase();
        let credential = ["jwt", "token", "api_key", "apikey", "bearer", "credential"]
            .iter()
            .any(|w| name.contains(w))
            && ![
                "csrf", "reset", "verif", "confirm", "invite", "captcha", "refresh",
            ]
            .iter()
            .any(|w| name.contains(w));
        if !credential {
            continue;
        }
        let optional = match p.annotation.as_ref().map(|a| &a.kind) {
            Some(ExprKind::Type(t)) => {
                let t = t.trim_start_matches('&').trim_start_matches("mut ");
                t.starts_with("Option<") || t.contains("::Option<")
            }
            _ => false,
        };
        if !optional {
            return Some(true);
        }
        out = Some(false);
    }
    out
}

/// Whether a function fails its caller on a bad credential: it returns a
/// `Result` (or a `…Result` alias) of something other than a `bool` or an
/// `Option`. A `-> bool` check (`if token_valid(t) { .. }`) only informs.
fn fails_without(func: &Function) -> bool {
    let Some(ExprKind::Type(t)) = func.returns.as_ref().map(|r| &r.kind) else {
        return false;
    };
    let head = t.split('<').next().unwrap_or(t);
    let head = head.rsplit("::").next().unwrap_or(head);
    if !head.ends_with("Result") {
        return false;
    }
    let inner = t
        .get(t.find('<').map_or(t.len(), |i| i + 1)..)
        .unwrap_or("");
    !(inner.starts_with("bool") || inner.starts_with("Option<") || inner.contains("::Option<"))
}

/// Whether a body decodes, verifies or validates something
/// (`Claims::decode(jwt, key)`, `verify_token(t)`, `jsonwebtoken::decode`).
fn verifies(func: &Function) -> bool {
    let mut yes = false;
    walk_stmts(&func.body, |e| {
        let ExprKind::Call { func: callee, .. } = &e.kind else {
            return;
        };
        let name = match &callee.kind {
            ExprKind::Name(n) | ExprKind::Attr(_, n) => n.as_str(),
            ExprKind::Path(segs) => segs.last().map_or("", String::as_str),
            _ => "",
        };
        let n = name.to_ascii_lowercase();
        yes |= ["decode", "verify", "validate", "authenticate", "introspect"]
            .iter()
            .any(|w| n.starts_with(w));
    });
    yes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifiers_fail_their_caller() {
        let ret = |t: &str| Function {
            name: "f".into(),
            container: archlint_model::Container::Module,
            module_path: Vec::new(),
            is_async: false,
            decorators: Vec::new(),
            params: Vec::new(),
            returns: Some(archlint_model::Expr::new(
                ExprKind::Type(t.into()),
                Span::default(),
            )),
            body: Vec::new(),
            loops: Vec::new(),
            branches: Vec::new(),
            span: Span::default(),
            name_span: Span::default(),
        };
        assert!(fails_without(&ret("Result<LocalUserView,LemmyError>")));
        assert!(fails_without(&ret("LemmyResult<User>")));
        assert!(fails_without(&ret("std::result::Result<User,Error>")));
        assert!(!fails_without(&ret("bool")));
        assert!(!fails_without(&ret("Result<bool,Error>")));
        assert!(!fails_without(&ret("Result<Option<User>,Error>")));
        assert!(!fails_without(&ret("Option<User>")));
    }

    #[test]
    fn type_heads() {
        assert_eq!(type_head("AddAdmin"), "AddAdmin");
        assert_eq!(type_head("&api::AddAdmin<T>"), "AddAdmin");
        assert_eq!(type_head("Vec<u8>"), "Vec");
    }
}

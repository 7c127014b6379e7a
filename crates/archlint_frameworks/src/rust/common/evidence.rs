//! Evidence the Rust frameworks share: identifiers of layer and wrap
//! expressions matched against `rules/frameworks/rust.toml`, handler
//! parameters (extractors, request guards) and handler attributes. What
//! names and bodies signal is in [`super::signals`].

use super::Shared;
use super::dispatch;
use super::eval::Frame;
use super::signals::{Strictness, checks_auth, type_idents};
use crate::routes::{Cx, short};
use archlint_model::visit::walk_expr;
use archlint_model::{
    Evidence, Expr, ExprKind, FuncRef, Language, Location, ParamKind, Scope, Symbol,
};

/// Evidence found on a handler itself.
#[derive(Default)]
pub struct HandlerEvidence {
    pub auth: Vec<Evidence>,
    pub public: Vec<Evidence>,
    pub rate_limit: Vec<Evidence>,
}

/// Route-level evidence of a handler function: authenticating extractors and
/// request guards among its parameters (not wrapped in `Option`/`Result`,
/// which make them optional), auth/public/rate-limit attributes, and a body
/// that checks the `Authorization` header itself.
pub fn handler_evidence(cx: &Cx, sh: &Shared, f: FuncRef) -> HandlerEvidence {
    let mut out = HandlerEvidence::default();
    let Some(func) = cx.index.project.func(f) else {
        return out;
    };
    let names = cx.names(Language::Rust);
    for p in &func.params {
        if p.kind == ParamKind::SelfParam {
            continue;
        }
        let Some(ExprKind::Type(ty)) = p.annotation.as_ref().map(|a| &a.kind) else {
            continue;
        };
        if !may_authenticate(ty) {
            continue;
        }
        let idents = type_idents(ty);
        let what = || format!("{}: {}", p.name, ty);
        if idents
            .iter()
            .any(|i| names.auth.extractors.matches(i) || sh.is_auth_type(i))
        {
            out.auth.push(Evidence {
                scope: Scope::Route,
                what: what(),
                location: Some(cx.location(f.file, p.span)),
            });
        }
        if idents.iter().any(|i| names.public.extractors.matches(i)) {
            out.public.push(Evidence {
                scope: Scope::Route,
                what: what(),
                location: Some(cx.location(f.file, p.span)),
            });
        }
        if idents
            .iter()
            .any(|i| names.rate_limit.extractors.matches(i) || sh.is_rate_type(i))
        {
            out.rate_limit.push(Evidence {
                scope: Scope::Route,
                what: what(),
                location: Some(cx.location(f.file, p.span)),
            });
        }
    }
    for d in &func.decorators {
        let Some(n) = d.last_name() else { continue };
        let ev = || Evidence {
            scope: Scope::Route,
            what: format!("#[{}]", short(d)),
            location: Some(cx.location(f.file, d.span)),
        };
        if names.auth.decorators.matches(n) {
            out.auth.push(ev());
        }
        if names.public.decorators.matches(n) {
            out.public.push(ev());
        }
        if names.rate_limit.decorators.matches(n) {
            out.rate_limit.push(ev());
        }
    }
    if out.auth.is_empty() && checks_auth(&func.body, Strictness::Strict) {
        out.auth.push(Evidence {
            scope: Scope::Route,
            what: "checks the Authorization header in the handler".into(),
            location: Some(cx.location(f.file, func.name_span)),
        });
    }
    if out.auth.is_empty() {
        out.auth.extend(verifier_evidence(cx, sh, f));
    }
    if out.auth.is_empty() {
        out.auth.extend(external_verifier_evidence(cx, sh, f));
    }
    if out.auth.is_empty() && out.public.is_empty() {
        out.public.extend(optional_evidence(cx, sh, f));
    }
    out
}

/// Evidence of the trait methods a generic handler dispatches to
/// (`AddAdmin::perform` behind `route_post::<AddAdmin>`): auth when one
/// checks a credential in its body or calls a helper that verifies one;
/// else public when one verifies an optional credential (anonymous callers
/// served on purpose). Added to `ev` when it has none of that kind.
pub fn add_dispatched(cx: &Cx, sh: &Shared, funcs: &[FuncRef], ev: &mut HandlerEvidence) {
    if !ev.auth.is_empty() {
        return;
    }
    for &f in funcs {
        let Some(func) = cx.index.project.func(f) else {
            continue;
        };
        if checks_auth(&func.body, Strictness::Strict) {
            ev.auth.push(Evidence {
                scope: Scope::Route,
                what: format!("checks the Authorization header in {}", func.name),
                location: Some(cx.location(f.file, func.name_span)),
            });
            return;
        }
        if let Some(e) = verifier_evidence(cx, sh, f) {
            ev.auth.push(e);
            return;
        }
    }
    if ev.public.is_empty() {
        ev.public
            .extend(funcs.iter().find_map(|&f| optional_evidence(cx, sh, f)));
    }
}

/// `optional credential: calls get_user_from_jwt_opt(..)` (see
/// [`dispatch::optional_verifier_call`]).
fn optional_evidence(cx: &Cx, sh: &Shared, f: FuncRef) -> Option<Evidence> {
    let (name, file, span) = dispatch::optional_verifier_call(cx, sh, f)?;
    Some(Evidence {
        scope: Scope::Route,
        what: format!("optional credential: calls {name}(..)"),
        location: Some(cx.location(file, span)),
    })
}

/// `calls get_user_from_jwt(..)`: the code calls a helper that verifies a
/// credential it is given (see [`dispatch::verifier_call`]).
fn verifier_evidence(cx: &Cx, sh: &Shared, f: FuncRef) -> Option<Evidence> {
    let (name, file, span) = dispatch::verifier_call(cx, sh, f)?;
    Some(Evidence {
        scope: Scope::Route,
        what: format!("calls {name}(..), which verifies a credential"),
        location: Some(cx.location(file, span)),
    })
}

/// `calls receive_activity(..)`: the code calls, on every path, a function
/// of another crate known to check the request and fail without a valid
/// credential (`[auth] calls` in the framework knowledge).
fn external_verifier_evidence(cx: &Cx, sh: &Shared, f: FuncRef) -> Option<Evidence> {
    let calls = &cx.names(Language::Rust).auth.calls;
    let (name, file, span) = dispatch::external_verifier_call(cx, sh, f, calls)?;
    Some(Evidence {
        scope: Scope::Route,
        what: format!("calls {name}(..), which verifies the request"),
        location: Some(cx.location(file, span)),
    })
}

/// Whether a parameter type can authenticate: not `Option<T>`/`Result<T, E>`
/// (they succeed without credentials), nor a body, query, path or state
/// extractor (`Json<Claims>` deserialises claims, it does not check them).
fn may_authenticate(ty: &str) -> bool {
    let t = ty.trim_start_matches('&').trim_start_matches("mut ");
    let head = t.split('<').next().unwrap_or(t);
    let last = head.rsplit("::").next().unwrap_or(head);
    !matches!(
        last,
        "Option"
            | "Result"
            | "Json"
            | "Form"
            | "Query"
            | "Path"
            | "State"
            | "Data"
            | "Bytes"
            | "Multipart"
    )
}

/// Auth and rate-limit evidence of one layer/wrap expression (`what` is how
/// it is shown, e.g. `route_layer(from_fn(require_auth))`).
#[derive(Default)]
pub struct LayerEvidence {
    pub auth: Option<Evidence>,
    pub rate_limit: Option<Evidence>,
}

/// Classifies a middleware expression: any identifier in it (`from_fn(require_auth)`
/// gives `from_fn`, `require_auth`) matching `[auth].middleware` or
/// `[rate_limit].middleware`, a project function in it whose body checks
/// credentials, or a closure (`wrap_fn`) that does. A local variable is
/// looked through once (`let auth = HttpAuthentication::bearer(v); .wrap(auth)`).
/// `Extension(..)` sub-expressions only carry data and are skipped.
pub fn layer_evidence(
    cx: &Cx,
    sh: &Shared,
    frame: &Frame,
    method: &str,
    arg: &Expr,
    scope: Scope,
) -> LayerEvidence {
    let names = cx.names(Language::Rust);
    let (mut auth, mut rate) = (false, false);
    let mut exprs: Vec<&Expr> = vec![arg];
    if let ExprKind::Name(n) = &arg.kind
        && let Some(b) = frame.lookup(n)
    {
        exprs.push(b.value);
    }
    for root in exprs {
        let mut skip: Vec<archlint_model::Span> = Vec::new();
        walk_expr(root, |e| {
            if skip.iter().any(|s| s.contains(&e.span)) {
                return;
            }
            let mut ident = |s: &str| {
                auth |= names.auth.middleware.matches(s) || sh.is_auth_middleware(s);
                rate |= names.rate_limit.middleware.matches(s);
            };
            match &e.kind {
                ExprKind::Call { func, .. } if is_extension(func) => skip.push(e.span),
                ExprKind::Name(n) | ExprKind::Attr(_, n) => ident(n),
                // Module segments (`auth::log_requests`) name no middleware;
                // types (`HttpAuthentication::bearer`) and the last segment do.
                ExprKind::Path(segs) | ExprKind::Macro { path: segs, .. } => {
                    let last = segs.len().saturating_sub(1);
                    segs.iter()
                        .enumerate()
                        .filter(|(i, s)| {
                            *i == last || s.starts_with(|c: char| c.is_ascii_uppercase())
                        })
                        .for_each(|(_, s)| ident(s))
                }
                ExprKind::Type(t) => type_idents(t).into_iter().for_each(ident),
                // A closure's own identifiers say nothing; only what it checks does.
                ExprKind::Lambda { body, .. } => {
                    auth |= checks_auth(body, Strictness::Loose);
                    skip.push(e.span);
                }
                _ => {}
            }
            if !auth
                && matches!(e.kind, ExprKind::Name(_) | ExprKind::Path(_))
                && let Some(Symbol::Func(f)) = frame.resolve(cx, sh, e)
            {
                auth |= cx
                    .index
                    .project
                    .func(f)
                    .is_some_and(|func| checks_auth(&func.body, Strictness::Loose));
            }
        });
    }
    let shown = match &arg.kind {
        ExprKind::Lambda { params, .. } => format!("|{}| …", params.join(", ")),
        _ => short(arg),
    };
    let ev = || Evidence {
        scope,
        what: format!("{method}({shown})"),
        location: Some(cx.location(frame.file, arg.span)),
    };
    LayerEvidence {
        auth: auth.then(ev),
        rate_limit: rate.then(ev),
    }
}

/// Evidence of a middleware written as text: actix's route attribute
/// argument `wrap = "HttpAuthentication::bearer(validator)"` (scope Route).
pub fn wrap_text_evidence(cx: &Cx, sh: &Shared, text: &str, location: Location) -> LayerEvidence {
    let names = cx.names(Language::Rust);
    let idents = type_idents(text);
    let auth = idents
        .iter()
        .any(|i| names.auth.middleware.matches(i) || sh.is_auth_middleware(i));
    let rate = idents
        .iter()
        .any(|i| names.rate_limit.middleware.matches(i));
    let ev = || Evidence {
        scope: Scope::Route,
        what: format!("wrap = \"{text}\""),
        location: Some(location.clone()),
    };
    LayerEvidence {
        auth: auth.then(ev),
        rate_limit: rate.then(ev),
    }
}

fn is_extension(func: &Expr) -> bool {
    match &func.kind {
        ExprKind::Name(n) => n == "Extension",
        ExprKind::Path(segs) => segs
            .iter()
            .any(|s| s == "Extension" || s == "AddExtensionLayer"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_and_data_extractors() {
        assert!(!may_authenticate("Option<AuthUser>"));
        assert!(!may_authenticate("std::option::Option<AuthUser>"));
        assert!(!may_authenticate("Result<User,Status>"));
        assert!(!may_authenticate("Json<Claims>"));
        assert!(!may_authenticate("web::Data<AuthService>"));
        assert!(may_authenticate("Extension<CurrentUser>"));
        assert!(may_authenticate("web::ReqData<Claims>"));
        assert!(may_authenticate("&AuthUser"));
    }
}

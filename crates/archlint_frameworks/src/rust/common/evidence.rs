//! Evidence the Rust frameworks share: identifiers of layer and wrap
//! expressions matched against `rules/frameworks/rust.toml`, handler
//! parameters (extractors, request guards), handler attributes, and body
//! checks that recognise hand-written authentication (a function that reads
//! a credential and answers 401/403).

use super::Shared;
use super::eval::Frame;
use crate::routes::{Cx, short};
use archlint_model::visit::{walk_expr, walk_stmts};
use archlint_model::{
    Evidence, Expr, ExprKind, FuncRef, Language, Location, ParamKind, Scope, Stmt, Symbol,
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
        if is_optional(ty) {
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
    out
}

/// `Option<T>` and `Result<T, E>` extractors succeed without credentials.
fn is_optional(ty: &str) -> bool {
    let t = ty.trim_start_matches('&').trim_start_matches("mut ");
    let head = t.split('<').next().unwrap_or(t);
    let last = head.rsplit("::").next().unwrap_or(head);
    matches!(last, "Option" | "Result")
}

/// Identifiers of a type's text, lifetimes skipped (`RocketGovernor<'r,RateLimitGuard>`
/// gives `RocketGovernor`, `RateLimitGuard`).
pub fn type_idents(ty: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = ty.as_bytes();
    let mut start = None;
    for (i, &b) in bytes
        .iter()
        .enumerate()
        .chain(std::iter::once((bytes.len(), &b' ')))
    {
        let ident = b.is_ascii_alphanumeric() || b == b'_';
        match (ident, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let lifetime = s > 0 && bytes.get(s - 1) == Some(&b'\'');
                if !lifetime && let Some(id) = ty.get(s..i) {
                    out.push(id);
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Words of a CamelCase name (`AuthUser` gives `Auth`, `User`).
fn camel_words(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = name.as_bytes();
    for i in 1..b.len() {
        let boundary = b[i].is_ascii_uppercase()
            && (b[i - 1].is_ascii_lowercase() || b[i - 1].is_ascii_digit());
        if boundary || b[i] == b'_' {
            if let Some(w) = name.get(start..i) {
                out.push(w.trim_matches('_'));
            }
            start = i;
        }
    }
    if let Some(w) = name.get(start..) {
        out.push(w.trim_matches('_'));
    }
    out.retain(|w| !w.is_empty());
    out
}

/// Whether a project extractor type's name says it identifies a caller:
/// it ends in `User`, `Claims`, `Session`, `Token`, `Admin`, `Principal`,
/// `Identity`, `Auth`, or starts with `Auth`, `Admin`, `Authenticated`...
/// (`AuthUser`, `AdminGuard`, `ApiKey`), but not `UserAgent` or `DbSession`.
pub fn auth_named(name: &str) -> bool {
    let w = camel_words(name);
    let (Some(first), Some(last)) = (w.first().copied(), w.last().copied()) else {
        return false;
    };
    if matches!(
        first,
        "Db" | "Database" | "Sql" | "Pg" | "Redis" | "Http" | "Cookie"
    ) {
        return false;
    }
    let last_ok = matches!(
        last,
        "User"
            | "Claims"
            | "Session"
            | "Token"
            | "Admin"
            | "Principal"
            | "Identity"
            | "Auth"
            | "Jwt"
            | "Credentials"
    ) || (last == "Key" && w.contains(&"Api"));
    let first_ok = matches!(
        first,
        "Auth"
            | "Authenticated"
            | "Authorized"
            | "Admin"
            | "Jwt"
            | "Bearer"
            | "Logged"
            | "Require"
            | "Required"
    );
    last_ok || first_ok
}

/// Whether a project guard type's name says it rate-limits.
pub fn rate_named(name: &str) -> bool {
    let w = camel_words(name);
    w.windows(2)
        .any(|p| p == ["Rate", "Limit"] || p == ["Rate", "Limiter"] || p == ["Rate", "Limited"])
        || w.iter().any(|x| {
            matches!(
                *x,
                "Throttle" | "Throttled" | "Governor" | "Ratelimit" | "Limiter"
            )
        })
}

/// How much a body must show before it counts as an authentication check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strictness {
    /// Handlers: the `Authorization` header (or an API-key header) itself.
    Strict,
    /// Middleware and request guards: also tokens, JWTs, claims, sessions.
    Loose,
}

/// Whether statements read a credential and reject with 401/403
/// (`StatusCode::UNAUTHORIZED`, `Status::Unauthorized`,
/// `ErrorUnauthorized`, `HttpResponse::Forbidden()`). Both are needed.
pub fn checks_auth(stmts: &[Stmt], strict: Strictness) -> bool {
    let (credential, reject) = scan_auth(stmts, strict);
    credential && reject
}

/// Whether statements read a credential (loosely: a token, session, API key).
pub fn mentions_credential(stmts: &[Stmt]) -> bool {
    scan_auth(stmts, Strictness::Loose).0
}

/// Whether statements answer 401/403.
pub fn mentions_rejection(stmts: &[Stmt]) -> bool {
    scan_auth(stmts, Strictness::Strict).1
}

fn scan_auth(stmts: &[Stmt], strict: Strictness) -> (bool, bool) {
    let (mut credential, mut reject) = (false, false);
    walk_stmts(stmts, |e| {
        let mut ident = |s: &str| {
            credential |= credential_ident(s, strict);
            reject |= reject_ident(s);
        };
        match &e.kind {
            ExprKind::Name(n) | ExprKind::Attr(_, n) => ident(n),
            ExprKind::Path(segs) | ExprKind::Macro { path: segs, .. } => {
                segs.iter().for_each(|s| ident(s))
            }
            ExprKind::Type(t) => type_idents(t).into_iter().for_each(ident),
            ExprKind::Str(s) => credential |= credential_str(s, strict),
            ExprKind::Number(n) => reject |= n == "401" || n == "403",
            _ => {}
        }
    });
    (credential, reject)
}

fn credential_ident(s: &str, strict: Strictness) -> bool {
    if matches!(
        s,
        "AUTHORIZATION" | "Authorization" | "authorization" | "BearerAuth" | "Bearer"
    ) {
        return true;
    }
    strict == Strictness::Loose && {
        let l = s.to_ascii_lowercase();
        [
            "token", "jwt", "claims", "session", "api_key", "apikey", "bearer",
        ]
        .iter()
        .any(|w| l.contains(w))
    }
}

fn credential_str(s: &str, strict: Strictness) -> bool {
    let l = s.trim().to_ascii_lowercase();
    if l == "authorization"
        || l.starts_with("bearer")
        || l == "x-api-key"
        || l == "api-key"
        || l == "x-auth-token"
    {
        return true;
    }
    strict == Strictness::Loose
        && ["token", "session", "jwt", "api-key", "api_key", "apikey"]
            .iter()
            .any(|w| l.contains(w))
}

fn reject_ident(s: &str) -> bool {
    matches!(
        s,
        "UNAUTHORIZED"
            | "FORBIDDEN"
            | "Unauthorized"
            | "Forbidden"
            | "ErrorUnauthorized"
            | "ErrorForbidden"
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
    fn type_identifiers_skip_lifetimes() {
        assert_eq!(
            type_idents("RocketGovernor<'r,RateLimitGuard>"),
            ["RocketGovernor", "RateLimitGuard"]
        );
        assert_eq!(
            type_idents("TypedHeader<Authorization<Bearer>>"),
            ["TypedHeader", "Authorization", "Bearer"]
        );
        assert!(is_optional("Option<AuthUser>"));
        assert!(is_optional("std::option::Option<AuthUser>"));
        assert!(is_optional("Result<User,Status>"));
        assert!(!is_optional("Extension<CurrentUser>"));
    }

    #[test]
    fn auth_like_names() {
        for n in [
            "AuthUser",
            "AdminUser",
            "ApiKey",
            "AuthToken",
            "Session",
            "Claims",
            "AdminGuard",
            "RequireAuth",
            "User",
        ] {
            assert!(auth_named(n), "{n}");
        }
        for n in ["UserAgent", "DbSession", "UserId", "Pagination", "ClientIp"] {
            assert!(!auth_named(n), "{n}");
        }
        assert!(rate_named("RateLimitGuard"));
        assert!(!rate_named("AuthUser"));
    }
}

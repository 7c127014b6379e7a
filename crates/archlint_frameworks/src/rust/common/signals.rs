//! What names and bodies signal: identifiers of type text, project type
//! names that say "authenticated caller" or "rate limit", and bodies that
//! check credentials themselves (read a credential, answer 401/403).

use archlint_model::visit::walk_stmts;
use archlint_model::{ExprKind, Stmt};

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
    for (i, pair) in name.as_bytes().windows(2).enumerate() {
        let &[prev, cur] = pair else { continue };
        let i = i + 1;
        let boundary =
            cur.is_ascii_uppercase() && (prev.is_ascii_lowercase() || prev.is_ascii_digit());
        if boundary || cur == b'_' {
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

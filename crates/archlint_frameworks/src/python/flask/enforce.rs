//! Whether a project function *enforces* authentication, shared by the Flask
//! and FastAPI/Starlette modules: a Flask `before_request` hook, a project
//! decorator's wrapper, a FastAPI dependency or an HTTP middleware. It does
//! when it calls something that rejects unauthenticated requests by itself
//! (`verify_jwt_in_request()`, a function decorated with an auth decorator),
//! or when it both inspects the caller's identity (`current_user`,
//! `is_authenticated`, `g.user`, the `Authorization` header, a token, a
//! submitted password compared with the expected one) and
//! denies the request (`abort(401)`, `raise HTTPException(status_code=403)`,
//! `return ..., 401`, a redirect to the login page). A hook that opens a
//! database connection or a middleware that times requests does neither.

use super::scope::{Place, Scopes, Val};
use crate::calls::method_in_hierarchy;
use crate::knowledge::LanguageNames;
use archlint_model::visit::{walk_expr, walk_stmts};
use archlint_model::{ArgsExt, ClassRef, Container, Expr, ExprKind, FuncRef, StmtKind, Symbol};
use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;

/// Project functions followed from the analysed one.
const MAX_DEPTH: u32 = 3;

#[derive(Default, Clone, Copy)]
struct Signals {
    /// Seen in the function itself (or a function nested in it).
    strong: bool,
    check: bool,
    deny: bool,
    /// Seen in the project functions it calls (transitively, bounded).
    strong_callee: bool,
    check_callee: bool,
    deny_callee: bool,
    /// It calls a helper that checks and denies by itself (`require_admin()`).
    helper: bool,
}

impl Signals {
    fn merge_callee(&mut self, o: Signals) {
        self.strong_callee |= o.strong || o.strong_callee;
        self.check_callee |= o.check || o.check_callee;
        self.deny_callee |= o.deny || o.deny_callee;
        self.helper |= o.strong || (o.check && o.deny);
    }

    /// For hooks, decorators and dependencies: the check and the denial may
    /// sit in helpers.
    fn enforces(self) -> bool {
        self.strong
            || self.strong_callee
            || ((self.check || self.check_callee) && (self.deny || self.deny_callee))
    }

    /// Stricter: the denial must be the function's own. A middleware that
    /// turns a helper's exception into a response with the same status, or
    /// catches it, does not reject anonymous requests by itself.
    fn enforces_locally(self) -> bool {
        self.strong || self.strong_callee || ((self.check || self.check_callee) && self.deny)
    }

    /// Strictest, for a route handler's own body: it checks and denies
    /// itself, or calls a helper that does. Business logic deeper down that
    /// happens to mention tokens and raise 403s is not the route's auth.
    fn body_enforces(self) -> bool {
        self.strong || self.strong_callee || (self.check && self.deny) || self.helper
    }
}

/// Memoised enforcement analysis.
pub(crate) struct Enforce<'a, 'b, 'p> {
    s: &'b Scopes<'a, 'p>,
    names: &'a LanguageNames,
    memo: RefCell<HashMap<FuncRef, Signals>>,
}

impl<'a, 'b, 'p> Enforce<'a, 'b, 'p> {
    pub fn new(s: &'b Scopes<'a, 'p>, names: &'a LanguageNames) -> Self {
        Enforce {
            s,
            names,
            memo: RefCell::new(HashMap::default()),
        }
    }

    /// Whether `f` (with the functions nested in it and, a few levels deep,
    /// the project functions it calls) enforces authentication.
    /// A function decorated with an auth decorator (a Flask-HTTPAuth
    /// protected `before_request` hook) enforces too.
    pub fn enforces(&self, f: FuncRef) -> bool {
        self.decorated(f) || self.signals(f, 0).enforces()
    }

    /// Whether one of `f`'s decorators authenticates: by its name, or a
    /// project decorator (`@user_required` in the project) that enforces.
    fn decorated(&self, f: FuncRef) -> bool {
        let Some(func) = self.s.func(f.file, f.func) else {
            return false;
        };
        let at = self.s.def_place(f);
        func.decorators.iter().any(|d| {
            if self.is_auth_name(d.last_name()) {
                return true;
            }
            let callee = d.as_call().map(|(c, _)| c).unwrap_or(d);
            matches!(self.s.callee(at, callee), Some(Symbol::Func(g)) if g != f && self.signals(g, 1).enforces())
        })
    }

    /// Whether `f` enforces authentication with a denial of its own (for
    /// middleware, see [`Signals::enforces_locally`]).
    pub fn enforces_locally(&self, f: FuncRef) -> bool {
        self.signals(f, 0).enforces_locally()
    }

    /// Whether the body of `f` (as for [`Enforce::enforces`]) enforces
    /// authentication, whatever its decorators say.
    pub fn body_enforces(&self, f: FuncRef) -> bool {
        self.signals(f, 0).body_enforces()
    }

    fn signals(&self, f: FuncRef, depth: u32) -> Signals {
        if let Some(s) = self.memo.borrow().get(&f) {
            return *s;
        }
        // Provisional entry: recursion through a cycle sees "nothing".
        self.memo.borrow_mut().insert(f, Signals::default());
        let mut sig = Signals::default();
        let Some(facts) = self.s.facts(f.file) else {
            return sig;
        };
        let Some(func) = facts.functions.get(f.func as usize) else {
            return sig;
        };
        for p in &func.params {
            let lname = p.name.to_ascii_lowercase();
            if ["token", "api_key", "apikey", "authorization", "credentials"]
                .iter()
                .any(|w| lname.contains(w))
                || p.annotation.as_ref().is_some_and(annotation_is_credentials)
            {
                sig.check = true;
            }
        }
        // The function and the functions nested in it (decorator wrappers):
        // they follow it in source order and lie inside its span.
        let mut members = vec![f.func];
        for (i, g) in facts.functions.iter().enumerate().skip(f.func as usize + 1) {
            if !func.span.contains(&g.span) || members.len() > 64 {
                break;
            }
            if matches!(g.container, Container::Function(_)) {
                members.push(i as u32);
            }
        }
        for m in members {
            let Some(g) = facts.functions.get(m as usize) else {
                continue;
            };
            let at = Place {
                file: f.file,
                func: Some(m),
            };
            // Bare strings (docstrings) document, they do not check: their
            // examples mention `Authorization: Bearer ...` headers.
            for st in g.body.iter().filter(|st| !matches!(&st.kind, StmtKind::Expr(e) if matches!(e.kind, ExprKind::Str(_) | ExprKind::FStr(_)))) {
                walk_stmts(std::slice::from_ref(st), |e| self.expr_signals(at, e, depth, &mut sig));
            }
        }
        self.memo.borrow_mut().insert(f, sig);
        sig
    }

    fn is_auth_name(&self, n: Option<&str>) -> bool {
        let Some(n) = n else { return false };
        !n.contains("optional")
            && (self.names.auth.decorators.matches(n) || self.names.auth.dependencies.matches(n))
    }

    fn expr_signals(&self, at: Place, e: &'p Expr, depth: u32, sig: &mut Signals) {
        match &e.kind {
            ExprKind::Call { func, args } => {
                let last = func.last_name().unwrap_or("");
                if last == "verify_jwt_in_request" && !args.keyword("optional").is_some_and(is_true)
                {
                    sig.strong = true;
                }
                if self.is_auth_name(Some(last))
                    || matches!(
                        last,
                        "get_jwt_identity"
                            | "decode_token"
                            | "decode_jwt"
                            | "verify_id_token"
                            | "login_fresh"
                    )
                    || func.dotted().as_deref() == Some("jwt.decode")
                {
                    sig.check = true;
                }
                if is_deny_call(last, args) {
                    sig.deny = true;
                }
                if depth < MAX_DEPTH {
                    for g in self.callees(at, func) {
                        sig.merge_callee(self.signals(g, depth + 1));
                    }
                }
            }
            ExprKind::Attr(base, a)
                if (matches!(
                    a.as_str(),
                    "is_authenticated" | "is_anonymous" | "authorization"
                ) || (a == "user" && matches!(&base.kind, ExprKind::Name(g) if g == "g"))) =>
            {
                sig.check = true;
            }
            // `current_user`, or through its module (`flask_login.current_user`,
            // CKAN's `toolkit.current_user`).
            ExprKind::Name(n) if n == "current_user" => sig.check = true,
            ExprKind::Attr(_, a) if a == "current_user" => sig.check = true,
            ExprKind::Str(s) => {
                let l = s.to_ascii_lowercase();
                // Credentials by name: `Authorization`, `Bearer ...`, `X-Api-Key`,
                // `X-Admin-Key`, `token`. Names, not sentences: an error message
                // about tokens checks nothing.
                let word = !l.contains(' ') && l.len() < 40;
                let token = l.contains("token") && !l.contains("csrf") && !l.contains("xsrf");
                let key = l.contains("-key") || l.contains("_key");
                // Not any "auth": `url_for("auth.login")` names an endpoint, not a credential.
                let auth_header = l.starts_with("x-") && l.contains("auth");
                if l.starts_with("bearer ")
                    || (word && (l.contains("authorization") || auth_header || key || token))
                {
                    sig.check = true;
                }
            }
            ExprKind::Tuple(xs) if xs.iter().any(is_denied_status) => {
                sig.deny = true;
            }
            // A submitted password compared with the expected one.
            ExprKind::Binary(..) if crate::credentials::compares_secret(e) => {
                sig.check = true;
            }
            _ => {}
        }
    }
}

impl<'a, 'b, 'p> Enforce<'a, 'b, 'p> {
    /// Project functions a call may run: a resolved function, `self.method()`
    /// in a class, or `__call__` of a local instance (`check = KeyChecker(...)`
    /// then `check(request)`).
    fn callees(&self, at: Place, func: &'p Expr) -> Vec<FuncRef> {
        if let Some(Symbol::Func(g)) = self.s.callee(at, func) {
            return vec![g];
        }
        match &func.kind {
            ExprKind::Attr(recv, m) if matches!(&recv.kind, ExprKind::Name(n) if n == "self" || n == "cls") => {
                self.owner_class(at)
                    .and_then(|c| method_in_hierarchy(self.s.index, c, m))
                    .into_iter()
                    .collect()
            }
            ExprKind::Name(_) => {
                let mut out = Vec::new();
                for v in self.s.values(at, func) {
                    if let Val::Expr(p, x) = v
                        && let Some((ctor, _)) = x.as_call()
                        && let Some(Symbol::Class(c)) = self.s.callee(p, ctor)
                        && let Some(g) = method_in_hierarchy(self.s.index, c, "__call__")
                    {
                        out.push(g);
                    }
                }
                out
            }
            _ => Vec::new(),
        }
    }

    /// The class whose method (or a function nested in it) runs at `at`.
    fn owner_class(&self, at: Place) -> Option<ClassRef> {
        let facts = self.s.facts(at.file)?;
        let mut cur = at.func?;
        for _ in 0..16 {
            match facts.functions.get(cur as usize)?.container {
                Container::Class(c) => {
                    return Some(ClassRef {
                        file: at.file,
                        class: c,
                    });
                }
                Container::Function(p) => cur = p,
                _ => return None,
            }
        }
        None
    }
}

fn is_true(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Bool(true))
}

/// `HTTPAuthorizationCredentials`, `HTTPBasicCredentials` parameters.
fn annotation_is_credentials(a: &Expr) -> bool {
    let mut found = false;
    walk_expr(a, |x| {
        if x.last_name().is_some_and(|n| n.ends_with("Credentials")) {
            found = true;
        }
    });
    found
}

/// 401 or 403, as a number or a status constant.
fn is_denied_status(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Number(n) => n == "401" || n == "403",
        ExprKind::Name(_) | ExprKind::Attr(..) => matches!(
            e.last_name(),
            Some("HTTP_401_UNAUTHORIZED" | "HTTP_403_FORBIDDEN" | "UNAUTHORIZED" | "FORBIDDEN")
        ),
        _ => false,
    }
}

/// A call that rejects the request: `abort(401)`, an auth exception, a
/// response or exception built with status 401/403, a redirect to a login page.
fn is_deny_call(last: &str, args: &[archlint_model::Arg]) -> bool {
    // Project exceptions named for authentication (`AuthError`, `AuthenticationError`).
    let auth_exception =
        last.starts_with("Auth") && (last.ends_with("Error") || last.ends_with("Exception"));
    if auth_exception
        || last.starts_with("AccessDenied")
        || matches!(
            last,
            "Unauthorized"
                | "NotAuthorized"
                | "Forbidden"
                | "HTTPUnauthorized"
                | "HTTPForbidden"
                | "NotAuthenticated"
                | "AuthenticationFailed"
                | "PermissionDenied"
                | "Unauthenticated"
                | "unauthorized"
                | "needs_refresh"
                | "redirect_to_login"
        )
    {
        return true;
    }
    let status_like = last == "abort"
        || last == "make_response"
        || last.ends_with("Response")
        || last.ends_with("Exception")
        || last.ends_with("Error");
    if status_like {
        let status_arg = args.iter().any(|a| {
            matches!(
                a.name.as_deref(),
                None | Some("status_code" | "status" | "code")
            ) && is_denied_status(&a.value)
        });
        if status_arg {
            return true;
        }
    }
    if last == "redirect" || last == "RedirectResponse" {
        let mut login = false;
        for a in args {
            walk_expr(&a.value, |x| match &x.kind {
                ExprKind::Str(s) => {
                    let l = s.to_ascii_lowercase();
                    if l.contains("login")
                        || l.contains("signin")
                        || l.contains("sign_in")
                        || l.contains("sign-in")
                    {
                        login = true;
                    }
                }
                ExprKind::Attr(_, a) if a == "login_view" => login = true,
                _ => {}
            });
        }
        return login;
    }
    false
}

//! `api/missing-rate-limit`: an auth-sensitive or expensive route without a
//! rate limit. Documentation: `rules/api/missing-rate-limit.md`.

use super::words::{has_sequence, words};
use super::{changes_state, related, route_finding};
use crate::{Context, Rule, meta};
use archlint_frameworks::credentials::secret_comparison;
use archlint_frameworks::effects::{Effect, Witness};
use archlint_model::{
    ClassRef, Confidence, ExprKind, Finding, Framework, FuncRef, Level, Location, Route, RuleMeta,
    Scope, StmtKind, Symbol,
};
use rustc_hash::FxHashMap as HashMap;

const DOC: &str = include_str!("../../../../rules/api/missing-rate-limit.md");

pub struct MissingRateLimit {
    meta: RuleMeta,
}

impl MissingRateLimit {
    pub fn new() -> Self {
        MissingRateLimit {
            meta: meta::parse(DOC),
        }
    }
}

impl Default for MissingRateLimit {
    fn default() -> Self {
        Self::new()
    }
}

impl Rule for MissingRateLimit {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        // The routes of one view class share its functions: each body is
        // searched for a secret comparison once.
        let mut secrets: HashMap<FuncRef, Option<Location>> = HashMap::default();
        for route in cx.routes {
            if !route.rate_limit.is_empty() {
                continue;
            }
            let w = words(&route.path, &route.handler.name);
            // Behind authentication an attacker cannot reach the route to
            // guess; only requests carrying a secret to check stay sensitive.
            let words_list = if behind_auth(route) {
                &cx.knowledge.secret_words
            } else {
                &cx.knowledge.sensitive_words
            };
            let sensitive = has_sequence(&w, words_list);
            let state_changing = changes_state(cx, route);
            if let (Some(word), true) = (&sensitive, state_changing) {
                let message = format!(
                    "auth-sensitive endpoint {} ({}) has no rate limit: `{word}` requests can be repeated without limit, allowing credential or code guessing",
                    route.label(),
                    route.handler.name,
                );
                out.push(route_finding(
                    &self.meta.id,
                    Level::Error,
                    Confidence::High,
                    route,
                    message,
                ));
                continue;
            }
            // Whatever its name, a handler that compares a submitted password
            // with the expected one is a login: each request is a guess.
            if state_changing && let Some(at) = secret_check(cx, route, &mut secrets) {
                let message = format!(
                    "auth-sensitive endpoint {} ({}) has no rate limit: it checks a submitted secret (at {}:{}), which can be guessed without limit",
                    route.label(),
                    route.handler.name,
                    at.path,
                    at.span.start.line,
                );
                let mut f = route_finding(
                    &self.meta.id,
                    Level::Error,
                    Confidence::High,
                    route,
                    message,
                );
                f.related
                    .push(related(&at, "the secret is compared here".into()));
                out.push(f);
                continue;
            }
            let expensive = route
                .handler
                .funcs
                .iter()
                .filter_map(|f| cx.calls.effects.get(f))
                .find_map(|s| s.any().map(|(e, w)| (e.phrase(), w.clone())))
                .or_else(|| {
                    class_view_query(cx, route).map(|(attr, location)| {
                        (
                            Effect::Database.phrase(),
                            Witness {
                                call: format!("{}.{attr}", route.handler.name),
                                location,
                            },
                        )
                    })
                });
            if let Some((effect, witness)) = expensive {
                let message = format!(
                    "endpoint {} ({}) reaches {} (`{}` at {}:{}) and has no rate limit",
                    route.label(),
                    route.handler.name,
                    effect,
                    witness.call,
                    witness.location.path,
                    witness.location.span.start.line,
                );
                let mut f = route_finding(
                    &self.meta.id,
                    Level::Warning,
                    Confidence::Medium,
                    route,
                    message,
                );
                f.related
                    .push(related(&witness.location, format!("{effect} here")));
                out.push(f);
            }
        }
    }
}

/// Where the route's handler (its own body, not its callees) compares a
/// submitted secret with the expected one.
fn secret_check(
    cx: &Context,
    route: &Route,
    memo: &mut HashMap<FuncRef, Option<Location>>,
) -> Option<Location> {
    route.handler.funcs.iter().find_map(|&f| {
        memo.entry(f)
            .or_insert_with(|| {
                let func = cx.index.project.func(f)?;
                let span = secret_comparison(&func.body)?;
                Some(cx.index.project.location(f.file, span))
            })
            .clone()
    })
}

/// Whether authentication runs before the route's handler: evidence other
/// than a check in the handler's own body (a login view that verifies the
/// password it receives is still the endpoint to limit), and no public marker.
fn behind_auth(route: &Route) -> bool {
    route.public.is_empty() && route.auth.iter().any(|e| e.scope != Scope::Handler)
}

/// A class-based view's `queryset` or `model` attribute, its own or a
/// project base class's: Django's generic views and DRF's generic views and
/// viewsets run their queries through it on every request, inside framework
/// code the call graph does not follow.
fn class_view_query(cx: &Context, route: &Route) -> Option<(&'static str, Location)> {
    if !matches!(route.framework, Framework::Django | Framework::Drf) {
        return None;
    }
    let project = &cx.index.project;
    let at = &route.handler.location;
    let fi = project
        .files
        .binary_search_by(|f| f.path.as_str().cmp(&at.path))
        .ok()?;
    let ci = project.files[fi]
        .facts
        .classes
        .iter()
        .position(|c| c.name_span == at.span)?;
    let mut todo = vec![ClassRef {
        file: fi as u32,
        class: ci as u32,
    }];
    let mut seen: Vec<ClassRef> = Vec::new();
    // Bounded: class hierarchies in a project are shallow.
    while let Some(c) = todo.pop() {
        if seen.contains(&c) || seen.len() >= 16 {
            continue;
        }
        seen.push(c);
        let Some(class) = project.class(c) else {
            continue;
        };
        for s in &class.body {
            let StmtKind::Assign { targets, .. } = &s.kind else {
                continue;
            };
            for t in targets {
                if let ExprKind::Name(n) = &t.kind {
                    let attr = match n.as_str() {
                        "queryset" => "queryset",
                        "model" => "model",
                        _ => continue,
                    };
                    return Some((attr, project.location(c.file, s.span)));
                }
            }
        }
        for b in class.bases.iter().filter(|b| b.name.is_none()) {
            if let Some(Symbol::Class(base)) = cx.index.resolve_expr(c.file, &b.value) {
                todo.push(base);
            }
        }
    }
    None
}

//! `api/missing-rate-limit`: an auth-sensitive or expensive route without a
//! rate limit. Documentation: `rules/api/missing-rate-limit.md`.

use super::words::{has_sequence, words};
use super::{changes_state, related, route_finding};
use crate::{Context, Rule, meta};
use archlint_model::{Confidence, Finding, Level, Route, RuleMeta, Scope};

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
            if let (Some(word), true) = (&sensitive, changes_state(cx, route)) {
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
            let expensive = route
                .handler
                .funcs
                .iter()
                .filter_map(|f| cx.calls.effects.get(f))
                .find_map(|s| s.any().map(|(e, w)| (e, w.clone())));
            if let Some((effect, witness)) = expensive {
                let message = format!(
                    "endpoint {} ({}) reaches {} (`{}` at {}:{}) and has no rate limit",
                    route.label(),
                    route.handler.name,
                    effect.phrase(),
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
                f.related.push(related(
                    &witness.location,
                    format!("{} here", effect.phrase()),
                ));
                out.push(f);
            }
        }
    }
}

/// Whether authentication runs before the route's handler: evidence other
/// than a check in the handler's own body (a login view that verifies the
/// password it receives is still the endpoint to limit), and no public marker.
fn behind_auth(route: &Route) -> bool {
    route.public.is_empty() && route.auth.iter().any(|e| e.scope != Scope::Handler)
}

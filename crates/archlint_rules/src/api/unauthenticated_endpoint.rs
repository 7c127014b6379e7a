//! `api/unauthenticated-endpoint`: a route no authentication covers.
//! Documentation: `rules/api/unauthenticated-endpoint.md`.

use super::words::{glob_set, normalise_path, words};
use super::{changes_state, related, route_finding};
use crate::{Context, Rule, meta};
use archlint_model::{Confidence, Evidence, Finding, Level, Route, RuleMeta, Scope};
use std::collections::BTreeMap;

const DOC: &str = include_str!("../../../../rules/api/unauthenticated-endpoint.md");

pub struct UnauthenticatedEndpoint {
    meta: RuleMeta,
}

impl UnauthenticatedEndpoint {
    pub fn new() -> Self {
        UnauthenticatedEndpoint {
            meta: meta::parse(DOC),
        }
    }
}

impl Default for UnauthenticatedEndpoint {
    fn default() -> Self {
        Self::new()
    }
}

impl Rule for UnauthenticatedEndpoint {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let public = glob_set(&cx.knowledge.public_paths);
        // Authenticated routes per group, for the forgotten-decorator warning.
        // Only auth declared in front of a handler (a decorator, a dependency,
        // a mixin, a router hook) sets a convention a route can forget; a
        // check inside a sibling's body (a login view verifying a password)
        // does not.
        let mut authed: BTreeMap<&str, Vec<&Route>> = BTreeMap::new();
        for r in cx.routes {
            if declared_auth(r).is_some() {
                authed.entry(r.group.as_str()).or_default().push(r);
            }
        }
        for route in cx.routes {
            if !route.auth.is_empty() || !route.public.is_empty() {
                continue;
            }
            if public.is_match(normalise_path(&route.path)) {
                continue;
            }
            let changes = changes_state(cx, route);
            // A sign-in view receiving credentials is public by design,
            // wherever it is mounted (`POST /api/v1/auth` named `login`).
            if changes && names_sign_in(&route.handler.name, &cx.knowledge.sign_in_words) {
                continue;
            }
            let siblings = authed
                .get(route.group.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            // A generic handler whose logic is a trait impl of a type from a
            // crate that was not scanned: the check may well be in that impl.
            if let Some(ty) = &route.handler.unseen_dispatch {
                let message = format!(
                    "endpoint {} ({}) shows no authentication, but its logic is `{}`'s trait impl, outside the scanned code: scan the crates that implement it together to check it",
                    route.label(),
                    route.handler.name,
                    ty,
                );
                out.push(route_finding(
                    &self.meta.id,
                    Level::Note,
                    Confidence::Low,
                    route,
                    message,
                ));
                continue;
            }
            let (level, confidence) = if changes {
                (Level::Error, Confidence::High)
            } else if !siblings.is_empty() && !public_segment(&route.path) {
                (Level::Warning, Confidence::High)
            } else {
                (Level::Note, Confidence::Medium)
            };
            let mut message = format!(
                "endpoint {} ({}) has no authentication: no auth check applies at the route, {} or application level",
                route.label(),
                route.handler.name,
                container_word(route),
            );
            if level == Level::Warning {
                message.push_str(&format!(
                    ", while {} other route{} of the same {} {} authenticated",
                    siblings.len(),
                    if siblings.len() == 1 { "" } else { "s" },
                    container_word(route),
                    if siblings.len() == 1 { "is" } else { "are" },
                ));
            }
            let mut f = route_finding(&self.meta.id, level, confidence, route, message);
            if let Some(s) = siblings.first()
                && let Some(ev) = declared_auth(s)
            {
                let loc = ev
                    .location
                    .clone()
                    .unwrap_or_else(|| s.handler.location.clone());
                f.related.push(related(
                    &loc,
                    format!(
                        "{} is authenticated by {} ({})",
                        s.label(),
                        ev.what,
                        ev.scope.as_str()
                    ),
                ));
            }
            out.push(f);
        }
    }
}

/// The route's first auth evidence that runs before its handler.
fn declared_auth(route: &Route) -> Option<&Evidence> {
    route.auth.iter().find(|e| e.scope != Scope::Handler)
}

/// Whether a handler's name begins or ends with a sign-in word (`login`,
/// `nostr_login`, `login_user`): the name says what the view does. A sign-in
/// word in the middle qualifies something else (`export_login_history`).
fn names_sign_in(handler: &str, seqs: &[Vec<String>]) -> bool {
    let w = words("", handler);
    seqs.iter()
        .filter(|s| !s.is_empty())
        .any(|s| w.len() >= s.len() && (w[..s.len()] == s[..] || w[w.len() - s.len()..] == s[..]))
}

/// Whether a path segment says the route is public (`/api/public/...`,
/// `/public-download/...`): then authenticated siblings do not suggest a
/// forgotten decorator.
fn public_segment(path: &str) -> bool {
    path.split('/').any(|seg| {
        let seg = seg.to_ascii_lowercase();
        seg == "public" || seg.starts_with("public-") || seg.starts_with("public_")
    })
}

fn container_word(route: &Route) -> &'static str {
    use archlint_model::Framework::*;
    match route.framework {
        Flask => "blueprint",
        Fastapi | Starlette | Axum => "router",
        Django => "module",
        Drf => "viewset",
        ActixWeb => "scope",
        Rocket => "mount",
    }
}

#[cfg(test)]
mod tests {
    use super::{names_sign_in, public_segment};

    #[test]
    fn sign_in_names() {
        let seqs = vec![vec!["login".to_string()], vec!["sign".into(), "in".into()]];
        assert!(names_sign_in("login", &seqs));
        assert!(names_sign_in("nostr_login", &seqs));
        assert!(names_sign_in("login_usr", &seqs));
        assert!(names_sign_in("SignInView", &seqs));
        assert!(!names_sign_in("export_login_history", &seqs));
        assert!(!names_sign_in("logins", &seqs));
        assert!(!names_sign_in("", &seqs));
    }

    #[test]
    fn public_segments() {
        assert!(public_segment("/api/public/stats"));
        assert!(public_segment("/file/public-download/<id>"));
        assert!(public_segment("/Public"));
        assert!(!public_segment("/publications"));
        assert!(!public_segment("/api/republic"));
    }
}

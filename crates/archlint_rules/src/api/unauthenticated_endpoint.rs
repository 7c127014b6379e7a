//! `api/unauthenticated-endpoint`: a route no authentication covers.
//! Documentation: `rules/api/unauthenticated-endpoint.md`.

use super::words::{glob_set, normalise_path};
use super::{related, route_finding};
use crate::{Context, Rule, meta};
use archlint_model::visit::walk_stmts;
use archlint_model::{BinOp, Confidence, ExprKind, Finding, Level, MethodSet, Route, RuleMeta};
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
        let mut authed: BTreeMap<&str, Vec<&Route>> = BTreeMap::new();
        for r in cx.routes {
            if !r.auth.is_empty() {
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
            let changes = if route.methods.contains(MethodSet::ANY) {
                changes_data(cx, route)
            } else {
                route.methods.is_state_changing()
            };
            let siblings = authed
                .get(route.group.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let (level, confidence) = if changes {
                (Level::Error, Confidence::High)
            } else if !siblings.is_empty() {
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
                && let Some(ev) = s.auth.first()
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

/// Whether a view accepting any method changes data: it branches on a
/// state-changing `request.method`, reads `request.POST`, or saves, creates,
/// updates or deletes.
fn changes_data(cx: &Context, route: &Route) -> bool {
    let mut found = false;
    for &f in &route.handler.funcs {
        let Some(func) = cx.index.project.func(f) else {
            continue;
        };
        walk_stmts(&func.body, |e| {
            if found {
                return;
            }
            match &e.kind {
                ExprKind::Binary(BinOp::Eq | BinOp::In, l, r) => {
                    let is_method = |x: &archlint_model::Expr| matches!(&x.kind, ExprKind::Attr(_, a) if a == "method");
                    let writes = |x: &archlint_model::Expr| match &x.kind {
                        ExprKind::Str(s) => is_write_method(s),
                        ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => {
                            xs.iter().any(|x| x.as_str().is_some_and(is_write_method))
                        }
                        _ => false,
                    };
                    if (is_method(l) && writes(r)) || (is_method(r) && writes(l)) {
                        found = true;
                    }
                }
                ExprKind::Attr(v, a) if a == "POST" || a == "FILES" => {
                    if matches!(&v.kind, ExprKind::Name(n) if n == "request") {
                        found = true;
                    }
                }
                ExprKind::Call { func, .. } => {
                    if let ExprKind::Attr(_, m) = &func.kind
                        && matches!(
                            m.as_str(),
                            "save"
                                | "delete"
                                | "create"
                                | "update"
                                | "bulk_create"
                                | "bulk_update"
                                | "get_or_create"
                                | "update_or_create"
                        )
                    {
                        found = true;
                    }
                }
                _ => {}
            }
        });
    }
    found
}

fn is_write_method(s: &str) -> bool {
    matches!(
        s.to_ascii_uppercase().as_str(),
        "POST" | "PUT" | "PATCH" | "DELETE"
    )
}

//! The API security pack: authentication and rate limiting of HTTP routes.

pub mod missing_rate_limit;
pub mod unauthenticated_endpoint;
mod words;

use crate::Context;
use archlint_model::visit::walk_stmts;
use archlint_model::{BinOp, Confidence, ExprKind, Finding, Level, Location, Related, Route};
use std::collections::BTreeMap;

/// A finding about a route, located at its handler, with the registration
/// site as a related location when it is elsewhere.
fn route_finding(
    rule: &str,
    level: Level,
    confidence: Confidence,
    route: &Route,
    message: String,
) -> Finding {
    let mut related = Vec::new();
    if let Some(reg) = &route.registration
        && (reg.path != route.handler.location.path
            || reg.span.start.line != route.handler.location.span.start.line)
    {
        related.push(Related {
            location: reg.clone(),
            message: format!("route {} registered here", route.label()),
        });
    }
    let mut properties = BTreeMap::new();
    properties.insert(
        "framework".to_string(),
        route.framework.as_str().to_string(),
    );
    properties.insert("methods".to_string(), route.methods.display());
    properties.insert("path".to_string(), route.path.clone());
    properties.insert("handler".to_string(), route.handler.name.clone());
    Finding {
        rule: rule.to_string(),
        level,
        confidence,
        message,
        location: route.handler.location.clone(),
        related,
        flow: Vec::new(),
        anchor: format!(
            "{} {} {}",
            route.methods.display(),
            route.path,
            route.handler.name
        ),
        fingerprint: String::new(),
        properties,
    }
}

fn related(location: &Location, message: String) -> Related {
    Related {
        location: location.clone(),
        message,
    }
}

/// Whether requests to the route can change state: a state-changing method,
/// or, for a route accepting any method, a handler that changes data.
fn changes_state(cx: &Context, route: &Route) -> bool {
    if route.methods.contains(archlint_model::MethodSet::ANY) {
        changes_data(cx, route)
    } else {
        route.methods.is_state_changing()
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

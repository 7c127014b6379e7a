//! The API security pack: authentication and rate limiting of HTTP routes.

pub mod missing_rate_limit;
pub mod unauthenticated_endpoint;
mod words;

use archlint_model::{Confidence, Finding, Level, Location, Related, Route};
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

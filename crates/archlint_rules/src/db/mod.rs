//! The database pack: missing indexes, unindexed foreign keys, N+1 queries,
//! SQL injection and unbounded queries, over the project's [`DbModel`].
//!
//! [`DbModel`]: archlint_model::DbModel

pub mod missing_index;
pub mod n_plus_one;
pub mod sql_injection;
pub mod unbounded_query;
pub mod unindexed_foreign_key;

use crate::Context;
use archlint_frameworks::db::sqltext::detect::is_operator_module;
use archlint_model::{Confidence, Finding, Level, Location, QueryFact, Related};
use std::collections::BTreeMap;

/// A finding located at a query.
fn query_finding(
    cx: &Context,
    rule: &str,
    level: Level,
    confidence: Confidence,
    q: &QueryFact,
    message: String,
    anchor: String,
) -> Finding {
    let mut properties = BTreeMap::new();
    properties.insert("api".to_string(), q.api.clone());
    Finding {
        rule: rule.to_string(),
        level,
        confidence,
        message,
        location: cx.index.project.location(q.file, q.span),
        related: Vec::new(),
        flow: Vec::new(),
        anchor,
        fingerprint: String::new(),
        properties,
    }
}

/// A finding at an arbitrary location.
fn finding_at(
    rule: &str,
    level: Level,
    confidence: Confidence,
    location: Location,
    message: String,
    anchor: String,
) -> Finding {
    Finding {
        rule: rule.to_string(),
        level,
        confidence,
        message,
        location,
        related: Vec::new(),
        flow: Vec::new(),
        anchor,
        fingerprint: String::new(),
        properties: BTreeMap::new(),
    }
}

/// Warning, or a note in a data migration, management command or
/// command-line interface: an operator runs that code by hand, so its slow
/// queries are real but cost no user a slow page.
fn warning_unless_by_operator(path: &str) -> Level {
    if is_operator_module(path) {
        Level::Note
    } else {
        Level::Warning
    }
}

fn related(location: Location, message: impl Into<String>) -> Related {
    Related {
        location,
        message: message.into(),
    }
}

/// The name of the function a query runs in, for anchors and messages.
fn func_name(cx: &Context, q: &QueryFact) -> String {
    q.func
        .and_then(|f| cx.index.project.func(f))
        .map(|f| f.name.clone())
        .unwrap_or_else(|| "<module>".to_string())
}

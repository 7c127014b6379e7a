//! Rules: each reads the project model, routes and call graph and returns
//! findings. A rule never touches a syntax tree or the file system. Each rule
//! lives in one file beside its documentation in `rules/<pack>/<name>.md`.

pub mod api;
pub mod db;
pub mod meta;
pub mod select;

use archlint_frameworks::{CallInfo, Knowledge};
use archlint_model::{DbModel, Finding, ProjectIndex, Route, RuleMeta};

/// What a rule can read.
pub struct Context<'a, 'p> {
    pub index: &'a ProjectIndex<'p>,
    pub routes: &'a [Route],
    pub calls: &'a CallInfo,
    pub knowledge: &'a Knowledge,
    pub db: &'a DbModel,
}

/// A rule.
pub trait Rule: Sync {
    fn meta(&self) -> &RuleMeta;
    fn check(&self, cx: &Context, out: &mut Vec<Finding>);
}

/// Every rule, sorted by id.
pub fn all_rules() -> Vec<Box<dyn Rule>> {
    let mut rules: Vec<Box<dyn Rule>> = vec![
        Box::new(api::missing_rate_limit::MissingRateLimit::new()),
        Box::new(api::unauthenticated_endpoint::UnauthenticatedEndpoint::new()),
        Box::new(db::missing_index::MissingIndex::new()),
        Box::new(db::n_plus_one::NPlusOne::new()),
        Box::new(db::sql_injection::SqlInjection::new()),
        Box::new(db::unbounded_query::UnboundedQuery::new()),
        Box::new(db::unindexed_foreign_key::UnindexedForeignKey::new()),
    ];
    rules.sort_by(|a, b| a.meta().id.cmp(&b.meta().id));
    rules
}

/// Metadata of every rule, sorted by id.
pub fn all_meta() -> Vec<RuleMeta> {
    all_rules().iter().map(|r| r.meta().clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADINGS: [&str; 5] = [
        "## What it finds",
        "## Why it matters",
        "## Example",
        "## How to fix",
        "## How to suppress",
    ];

    #[test]
    fn registry_is_sorted_unique_and_documented() {
        let metas = all_meta();
        let ids: Vec<&str> = metas.iter().map(|m| m.id.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(ids, sorted, "rule ids must be unique and sorted");
        for m in &metas {
            assert_eq!(m.id.split('/').count(), 2, "{}: id is pack/name", m.id);
            assert_eq!(m.pack, m.id.split('/').next().unwrap());
            let mut last = 0;
            for h in HEADINGS {
                let at = m
                    .docs
                    .find(h)
                    .unwrap_or_else(|| panic!("{}: docs lack {h}", m.id));
                assert!(at >= last, "{}: {h} out of order", m.id);
                last = at;
            }
            assert!(
                m.description.chars().count() <= 1024,
                "{}: description too long",
                m.id
            );
            assert!(
                m.summary.chars().count() <= 120,
                "{}: summary too long",
                m.id
            );
            assert!(m.tags.len() <= 10, "{}: at most 10 tags", m.id);
            assert!(matches!(
                m.precision.as_str(),
                "very-high" | "high" | "medium" | "low"
            ));
            if let Some(s) = &m.security_severity {
                let v: f64 = s.parse().expect("security severity is a number");
                assert!((0.1..=10.0).contains(&v));
                assert!(m.tags.iter().any(|t| t == "security"));
            }
        }
    }
}

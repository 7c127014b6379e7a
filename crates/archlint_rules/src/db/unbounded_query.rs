//! `db/unbounded-query`: a read-only endpoint returns every row of a query
//! with no limit or pagination. Documentation: `rules/db/unbounded-query.md`.

use super::{finding_at, query_finding, related};
use crate::{Context, Rule, meta};
use archlint_model::{
    Confidence, Finding, FuncRef, Level, MethodSet, QueryFact, Route, RuleMeta, Span, StmtKind,
};
use std::collections::{BTreeMap, BTreeSet};

const DOC: &str = include_str!("../../../../rules/db/unbounded-query.md");

/// How many returned calls deep to follow from a handler.
const MAX_DEPTH: usize = 4;

pub struct UnboundedQuery {
    meta: RuleMeta,
}

impl UnboundedQuery {
    pub fn new() -> Self {
        UnboundedQuery {
            meta: meta::parse(DOC),
        }
    }
}

impl Default for UnboundedQuery {
    fn default() -> Self {
        Self::new()
    }
}

fn read_only(r: &Route) -> bool {
    !r.methods.is_state_changing() && r.methods.contains(MethodSet::GET)
}

/// Functions whose result `f` returns: callees called inside a `return`.
fn returned_callees(cx: &Context, f: FuncRef) -> Vec<FuncRef> {
    let Some(func) = cx.index.project.func(f) else {
        return Vec::new();
    };
    let returns: Vec<Span> = func
        .body
        .iter()
        .filter(|s| matches!(s.kind, StmtKind::Return(_)))
        .map(|s| s.span)
        .collect();
    cx.calls
        .graph
        .callees(f)
        .into_iter()
        .filter(|(_, site)| returns.iter().any(|r| r.contains(&site.span)))
        .map(|(c, _)| c)
        .collect()
}

impl Rule for UnboundedQuery {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let mut unbounded: BTreeMap<FuncRef, Vec<&QueryFact>> = BTreeMap::new();
        for q in &cx.db.queries {
            if let (Some(f), true) = (q.func, q.all_rows && q.returned) {
                unbounded.entry(f).or_default().push(q);
            }
        }
        let mut reported: BTreeSet<(u32, Span)> = BTreeSet::new();
        for route in cx.routes.iter().filter(|r| read_only(r)) {
            let mut seen = BTreeSet::new();
            let mut frontier: Vec<FuncRef> = route.handler.funcs.clone();
            for _ in 0..MAX_DEPTH {
                let mut next = Vec::new();
                for f in frontier {
                    if !seen.insert(f) {
                        continue;
                    }
                    for q in unbounded.get(&f).into_iter().flatten() {
                        if !reported.insert((q.file, q.span)) {
                            continue;
                        }
                        // A GROUP BY returns a row per group: it grows with
                        // the distinct keys (dates, wallets), often far slower
                        // than the table, and sometimes not at all.
                        let grouped = q.shape.as_ref().is_some_and(|s| !s.group_by.is_empty());
                        let message = if grouped {
                            format!(
                                "{} returns a row per group of `{}` (GROUP BY) with no LIMIT or pagination: the response grows with the number of groups",
                                route.label(),
                                q.api
                            )
                        } else {
                            format!(
                                "{} returns every row of `{}` with no LIMIT or pagination: the response grows with the table",
                                route.label(),
                                q.api
                            )
                        };
                        let confidence = if grouped {
                            Confidence::Low
                        } else {
                            Confidence::Medium
                        };
                        let anchor = format!("{} {}", route.label(), q.api);
                        let mut finding = query_finding(
                            cx,
                            &self.meta.id,
                            Level::Warning,
                            confidence,
                            q,
                            message,
                            anchor,
                        );
                        if finding.location.path != route.handler.location.path
                            || finding.location.span.start.line
                                != route.handler.location.span.start.line
                        {
                            finding.related.push(related(
                                route.handler.location.clone(),
                                format!("handler of {}", route.label()),
                            ));
                        }
                        out.push(finding);
                    }
                    next.extend(returned_callees(cx, f));
                }
                frontier = next;
            }
        }
        let mut lists: BTreeSet<&archlint_model::Location> = BTreeSet::new();
        for lv in cx.db.list_views.iter().filter(|lv| !lv.paginated) {
            let Some(route) = cx
                .routes
                .iter()
                .find(|r| r.handler.location == lv.handler && r.methods.contains(MethodSet::GET))
            else {
                continue;
            };
            if !lists.insert(&lv.queryset) {
                continue;
            }
            let message = format!(
                "{} lists its queryset with no pagination (no pagination_class, no DEFAULT_PAGINATION_CLASS): the response grows with the table",
                route.label()
            );
            let mut f = finding_at(
                &self.meta.id,
                Level::Warning,
                Confidence::High,
                lv.queryset.clone(),
                message,
                format!("{} {}", route.label(), route.handler.name),
            );
            f.related.push(related(
                lv.handler.clone(),
                format!("list view {}", route.handler.name),
            ));
            out.push(f);
        }
    }
}

//! `db/sql-injection`: SQL text built at runtime from non-constant pieces
//! reaches a query. Documentation: `rules/db/sql-injection.md`.

use super::{func_name, query_finding, related};
use crate::{Context, Rule, meta};
use archlint_frameworks::db::sqltext::detect::is_operator_module;
use archlint_model::{Confidence, Finding, Level, RuleMeta, SqlText, Taint, TextBuilder};
use std::collections::BTreeSet;

const DOC: &str = include_str!("../../../../rules/db/sql-injection.md");

pub struct SqlInjection {
    meta: RuleMeta,
}

impl SqlInjection {
    pub fn new() -> Self {
        SqlInjection {
            meta: meta::parse(DOC),
        }
    }
}

impl Default for SqlInjection {
    fn default() -> Self {
        Self::new()
    }
}

fn builder_phrase(b: TextBuilder) -> &'static str {
    match b {
        TextBuilder::FString => "an f-string",
        TextBuilder::Percent => "% formatting",
        TextBuilder::Format => "str.format",
        TextBuilder::Concat => "string concatenation",
        TextBuilder::FormatMacro => "format!",
        TextBuilder::PushStr => "push_str",
        TextBuilder::Join => "join",
    }
}

impl Rule for SqlInjection {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let handlers: BTreeSet<_> = cx
            .routes
            .iter()
            .flat_map(|r| r.handler.funcs.iter().copied())
            .collect();
        for q in &cx.db.queries {
            let Some(SqlText::Dynamic { builder, holes, .. }) = &q.text else {
                continue;
            };
            let risky: Vec<_> = holes
                .iter()
                .filter(|h| h.taint != Taint::Constant)
                .collect();
            let Some(first) = risky.first() else { continue };
            let in_handler = q.func.is_some_and(|f| handlers.contains(&f));
            let from_request = risky
                .iter()
                .any(|h| h.taint == Taint::Request || (h.taint == Taint::Parameter && in_handler));
            // A migration step builds names of its own tables and columns, a
            // management command or CLI takes them from whoever runs it, who
            // already holds the database: no request reaches them.
            if !from_request
                && cx
                    .index
                    .project
                    .file(q.file)
                    .is_some_and(|f| is_operator_module(&f.path))
            {
                continue;
            }
            let origin = |t: Taint| match t {
                Taint::Request => "request input",
                Taint::Parameter if in_handler => "request input",
                Taint::Parameter => "a function parameter",
                _ => "a value archlint cannot trace",
            };
            let shown = if from_request {
                risky
                    .iter()
                    .find(|h| h.taint == Taint::Request || h.taint == Taint::Parameter)
                    .copied()
                    .unwrap_or(first)
            } else {
                first
            };
            let message = format!(
                "SQL text built with {} from `{}` ({}) is executed by `{}`: pass values as bound parameters",
                builder_phrase(*builder),
                shown.text,
                origin(shown.taint),
                q.api
            );
            let confidence = if from_request {
                Confidence::High
            } else {
                Confidence::Medium
            };
            let anchor = format!("{} {} {}", func_name(cx, q), q.api, shown.text);
            let mut f = query_finding(
                cx,
                &self.meta.id,
                Level::Error,
                confidence,
                q,
                message,
                anchor,
            );
            for h in &risky {
                f.related.push(related(
                    cx.index.project.location(q.file, h.span),
                    format!("`{}` ({}) is interpolated here", h.text, origin(h.taint)),
                ));
            }
            if let Some(at) = &q.text_at
                && (at.path != f.location.path || at.span.start.line != f.location.span.start.line)
            {
                f.related.push(related(at.clone(), "SQL text written here"));
            }
            f.properties.insert(
                "source".into(),
                if from_request { "request" } else { "other" }.into(),
            );
            out.push(f);
        }
    }
}

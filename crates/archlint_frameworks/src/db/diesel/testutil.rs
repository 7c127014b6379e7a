//! Test helpers for the diesel and sea-orm extractors: a Rust crate from
//! source strings plus `.sql` migrations, what the two extractors add to
//! the database model, and a one-line rendering of a query's shape.

use crate::db::DbCx;
use crate::knowledge::Knowledge;
use archlint_model::{
    ColumnOp, ColumnUse, DbModel, Dialect, ProjectIndex, QueryFact, Schema, SchemaSource,
};

/// The database model of a crate named `app` (`src/a/b.rs` is `crate::a::b`)
/// with `.sql` files parsed as the engine does, from the diesel and sea-orm
/// extractors only.
pub fn db(files: &[(&str, &str)], sql: &[(&str, &str)]) -> DbModel {
    let p = crate::rust::common::testutil::project(files);
    let index = ProjectIndex::new(&p);
    let k = Knowledge::builtin();
    let routes = crate::build_routes(&index, &k);
    let cx = DbCx {
        index: &index,
        k: &k,
        routes: &routes,
        handlers: routes
            .iter()
            .flat_map(|r| r.handler.funcs.iter().copied())
            .collect(),
        dialect: Dialect::Postgres,
    };
    let mut out = DbModel {
        sources: sql
            .iter()
            .map(|(path, text)| {
                let (ops, _) = archlint_sql::parse_schema(text, path, Dialect::Postgres);
                SchemaSource::new(*path, ops)
            })
            .collect(),
        ..Default::default()
    };
    crate::db::diesel::collect(&cx, &mut out);
    crate::db::seaorm::collect(&cx, &mut out);
    out.queries.sort_by_key(|q| (q.file, q.span));
    out.schema = Schema::from_sources(&out.sources);
    out
}

/// The query whose span starts on `line`.
pub fn on_line(qs: &[QueryFact], line: u32) -> &QueryFact {
    qs.iter()
        .find(|q| q.span.start.line == line)
        .unwrap_or_else(|| {
            panic!(
                "no query on line {line}: {:#?}",
                qs.iter()
                    .map(|q| (q.span.start.line, &q.api))
                    .collect::<Vec<_>>()
            )
        })
}

fn col(c: &ColumnUse) -> String {
    let op = match c.op {
        ColumnOp::Eq => "=",
        ColumnOp::Range => "<>",
        ColumnOp::In => " in",
        ColumnOp::Like => " like",
        ColumnOp::IsNull => " null",
        ColumnOp::Other => "?",
    };
    let name = c.expr.clone().unwrap_or_else(|| c.column.clone());
    let or = if c.in_or { "|" } else { "" };
    format!("{or}{}.{name}{op}", c.table.as_deref().unwrap_or("?"))
}

/// `select users where users.email= order users.created_at? limit`, or `-`
/// without a shape.
pub fn shape(q: &QueryFact) -> String {
    let Some(s) = &q.shape else {
        return "-".into();
    };
    let mut out = format!("{:?}", s.kind).to_lowercase();
    out.push(' ');
    out.push_str(
        &s.tables
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(","),
    );
    if !s.filters.is_empty() {
        out.push_str(" where ");
        out.push_str(&s.filters.iter().map(col).collect::<Vec<_>>().join(" "));
    }
    for (a, b) in &s.joins {
        out.push_str(&format!(
            " join {}={}",
            col(a).trim_end_matches('='),
            col(b).trim_end_matches('=')
        ));
    }
    if !s.order_by.is_empty() {
        out.push_str(" order ");
        out.push_str(&s.order_by.iter().map(col).collect::<Vec<_>>().join(" "));
    }
    if s.limit {
        out.push_str(" limit");
    }
    if s.aggregate {
        out.push_str(" aggregate");
    }
    if !s.subqueries.is_empty() {
        out.push_str(&format!(" sub[{}]", s.subqueries.len()));
    }
    out
}

/// `all returned bound=rows loop=0` flags of a query.
pub fn flags(q: &QueryFact) -> String {
    let mut parts = Vec::new();
    if q.all_rows {
        parts.push("all".to_string());
    }
    if q.returned {
        parts.push("returned".into());
    }
    if let Some(b) = &q.bound_to {
        parts.push(format!("bound={b}"));
    }
    if let Some(l) = q.loop_idx {
        parts.push(format!("loop={l}"));
    }
    parts.join(" ")
}

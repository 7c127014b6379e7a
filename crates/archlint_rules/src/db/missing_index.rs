//! `db/missing-index`: a query whose lookup on a known table no index serves.
//! Documentation: `rules/db/missing-index.md`.

use super::{func_name, query_finding, related, warning_unless_by_operator};
use crate::{Context, Rule, meta};
use archlint_model::schema::table_key;
use archlint_model::{
    ColumnOp, ColumnUse, Confidence, Finding, Level, QueryShape, QuerySource, RuleMeta, Table,
};
use std::collections::BTreeSet;

const DOC: &str = include_str!("../../../../rules/db/missing-index.md");

pub struct MissingIndex {
    meta: RuleMeta,
}

impl MissingIndex {
    pub fn new() -> Self {
        MissingIndex {
            meta: meta::parse(DOC),
        }
    }
}

impl Default for MissingIndex {
    fn default() -> Self {
        Self::new()
    }
}

/// Why a column needs an index.
#[derive(Clone, Copy)]
enum Use {
    Filter(ColumnOp),
    Join,
    OrderBy,
}

impl Use {
    fn describe(self) -> &'static str {
        match self {
            Use::Filter(ColumnOp::Eq) => "filters on",
            Use::Filter(ColumnOp::In) => "filters (IN) on",
            Use::Filter(_) => "filters by range on",
            Use::Join => "joins on",
            Use::OrderBy => "sorts (with LIMIT) by",
        }
    }
}

/// Uses of `table`'s columns in `shape` that belong to that table with certainty.
fn of_table<'s>(
    uses: impl Iterator<Item = &'s ColumnUse>,
    key: &str,
    table: &Table,
) -> Vec<&'s ColumnUse> {
    uses.filter(|u| u.table.as_deref().is_some_and(|t| table_key(t) == key))
        .filter(|u| u.expr.is_none() && table.column(&u.column).is_some())
        .collect()
}

/// Whether a column holds few distinct values (booleans, Django `choices`
/// fields): a filter on it alone is rarely selective enough for an index, so
/// it is not worth a finding.
fn is_low_cardinality(table: &Table, column: &str) -> bool {
    table.column(column).is_some_and(|c| {
        c.type_text.to_ascii_lowercase().contains("bool") || c.type_text.ends_with("(choices)")
    })
}

/// The first lookup of `table` in `shape` that no index serves, when none is
/// served. `joined` says the table is a join target rather than the driving table.
fn unserved<'s>(
    shape: &'s QueryShape,
    table: &Table,
    key: &str,
    name_in_query: &str,
    joined: bool,
) -> Option<(&'s ColumnUse, Use)> {
    let join_cols: Vec<&ColumnUse> =
        of_table(shape.joins.iter().flat_map(|(a, b)| [a, b]), key, table);
    // Join columns are fixed by equality for the joined table, like filters:
    // `ON cf.community_id = p.community_id AND cf.person_id = $1` uses (community_id, person_id).
    let mut fixed = shape.equality_fixed(name_in_query);
    fixed.extend(join_cols.iter().map(|u| u.column.as_str()));
    let serves = |c: &str| table.index_serving(c, &fixed).is_some();
    // A join target reached through an index: its other conditions are checks
    // on the rows the join found, not lookups.
    if joined && join_cols.iter().any(|u| serves(&u.column)) {
        return None;
    }
    let filters: Vec<&ColumnUse> = of_table(shape.filters.iter(), key, table)
        .into_iter()
        .filter(|u| matches!(u.op, ColumnOp::Eq | ColumnOp::In | ColumnOp::Range) && !u.in_or)
        .collect();
    if !filters.is_empty() {
        if filters.iter().any(|u| serves(&u.column)) {
            return None;
        }
        return filters
            .iter()
            .find(|u| !is_low_cardinality(table, &u.column))
            .map(|u| (*u, Use::Filter(u.op)));
    }
    // Any other condition on the table (OR, LIKE, expressions): the planner's
    // choice depends on data archlint cannot see; stay silent.
    if shape
        .filters
        .iter()
        .any(|u| u.table.as_deref().is_some_and(|t| table_key(t) == key))
    {
        return None;
    }
    if !join_cols.is_empty() {
        if join_cols.iter().any(|u| serves(&u.column)) {
            return None;
        }
        return join_cols.first().map(|u| (*u, Use::Join));
    }
    if shape.limit {
        let order: Vec<&ColumnUse> = of_table(shape.order_by.iter(), key, table);
        if let Some(first) = order.first()
            && !serves(&first.column)
        {
            return Some((first, Use::OrderBy));
        }
    }
    None
}

impl Rule for MissingIndex {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let schema = &cx.db.schema;
        if schema.tables.is_empty() {
            return;
        }
        for q in &cx.db.queries {
            if matches!(q.source, QuerySource::LazyLoad(_)) {
                continue;
            }
            let Some(shape) = &q.shape else { continue };
            // A migration, management command or CLI runs the scan by hand.
            let level = cx
                .index
                .project
                .file(q.file)
                .map_or(Level::Warning, |f| warning_unless_by_operator(&f.path));
            let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
            for s in shape.all_shapes() {
                for (i, tref) in s.tables.iter().enumerate() {
                    let Some(table) = schema.table(&tref.name) else {
                        continue;
                    };
                    if table.partial {
                        continue;
                    }
                    let key = table_key(&tref.name);
                    let Some((col, why)) = unserved(s, table, &key, &tref.name, i > 0) else {
                        continue;
                    };
                    if !seen.insert((key.clone(), col.column.to_ascii_lowercase())) {
                        continue;
                    }
                    let ix_name = format!(
                        "ix_{}_{}",
                        key.replace('.', "_"),
                        col.column.to_ascii_lowercase()
                    );
                    let message = format!(
                        "query {} {}.{}, which no index serves, so it reads all of {}: an index such as `CREATE INDEX {ix_name} ON {} ({})` would serve it",
                        why.describe(),
                        table.name,
                        col.column,
                        table.name,
                        table.name,
                        col.column,
                    );
                    let anchor = format!(
                        "{}.{} {} {}",
                        key,
                        col.column.to_ascii_lowercase(),
                        q.api,
                        func_name(cx, q)
                    );
                    let mut f = query_finding(
                        cx,
                        &self.meta.id,
                        level,
                        Confidence::Medium,
                        q,
                        message,
                        anchor,
                    );
                    f.related.push(related(
                        table.declared_at.clone(),
                        format!("table {} declared here", table.name),
                    ));
                    if let Some(at) = &q.text_at
                        && (at.path != f.location.path
                            || at.span.start.line != f.location.span.start.line)
                    {
                        f.related.push(related(at.clone(), "SQL text written here"));
                    }
                    f.properties.insert("table".into(), table.name.clone());
                    f.properties.insert("column".into(), col.column.clone());
                    out.push(f);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use archlint_frameworks::Knowledge;
    use archlint_frameworks::calls::CallInfo;
    use archlint_model::{
        CallGraph, DbModel, Dialect, Project, ProjectIndex, QueryFact, Schema, SchemaSource, Span,
    };

    const SCHEMA: &str = "
        CREATE TABLE users (id bigserial PRIMARY KEY, email text, active boolean, org_id bigint);
        CREATE TABLE memberships (community_id bigint, person_id bigint, role text,
                                  UNIQUE (community_id, person_id));
        CREATE INDEX ix_users_org ON users (org_id, email);
    ";

    fn findings(sql: &str) -> Vec<String> {
        let (ops, problems) = archlint_sql::parse_schema(SCHEMA, "schema.sql", Dialect::Postgres);
        assert!(problems.is_empty(), "{problems:?}");
        let schema = Schema::from_sources(&[SchemaSource::new("schema.sql", ops)]);
        let shape = archlint_sql::parse_query(sql, Dialect::Postgres).expect("query parses");
        let db = DbModel {
            queries: vec![QueryFact {
                file: 0,
                func: None,
                span: Span::default(),
                loop_idx: None,
                api: "cursor.execute".into(),
                source: QuerySource::RawSql,
                text: None,
                text_at: None,
                bound_params: true,
                shape: Some(shape),
                all_rows: false,
                returned: false,
                bound_to: None,
            }],
            schema,
            ..Default::default()
        };
        let project = Project::default();
        let index = ProjectIndex::new(&project);
        let calls = CallInfo {
            graph: CallGraph::default(),
            effects: Default::default(),
        };
        let k = Knowledge::builtin();
        let cx = Context {
            index: &index,
            routes: &[],
            calls: &calls,
            knowledge: &k,
            db: &db,
        };
        let mut out = Vec::new();
        MissingIndex::new().check(&cx, &mut out);
        out.iter()
            .map(|f| f.properties["table"].clone() + "." + &f.properties["column"])
            .collect()
    }

    #[test]
    fn unindexed_filter_is_reported() {
        assert_eq!(
            findings("SELECT id FROM users WHERE email = $1"),
            ["users.email"]
        );
    }

    #[test]
    fn primary_key_and_composite_prefix_serve() {
        assert!(findings("SELECT * FROM users WHERE id = $1").is_empty());
        assert!(findings("SELECT * FROM users WHERE org_id = $1").is_empty());
        assert!(findings("SELECT * FROM users WHERE org_id = $1 AND email = $2").is_empty());
        assert!(
            findings("SELECT * FROM users WHERE id = $1 AND email = $2").is_empty(),
            "one served filter is enough"
        );
    }

    #[test]
    fn second_column_of_a_composite_alone_is_not_served() {
        assert_eq!(
            findings("SELECT * FROM memberships WHERE person_id = $1"),
            ["memberships.person_id"]
        );
    }

    #[test]
    fn join_columns_fix_composite_prefixes() {
        let sql = "SELECT u.id FROM users u LEFT JOIN memberships m ON m.community_id = u.org_id AND m.person_id = $1 WHERE u.id = $2";
        assert!(findings(sql).is_empty());
    }

    #[test]
    fn join_targets_reached_by_an_index_keep_residual_filters_silent() {
        let sql = "SELECT u.id FROM memberships m JOIN users u ON u.id = m.person_id WHERE m.community_id = $1 AND u.email = $2";
        assert!(findings(sql).is_empty());
    }

    #[test]
    fn boolean_filters_or_and_unknown_tables_are_silent() {
        assert!(findings("SELECT id FROM users WHERE active = true").is_empty());
        assert!(findings("SELECT id FROM users WHERE email = $1 OR id = $2").is_empty());
        assert!(findings("SELECT id FROM ghosts WHERE name = $1").is_empty());
        assert!(
            findings("SELECT id FROM users WHERE nickname = $1").is_empty(),
            "column unknown to the schema"
        );
    }

    #[test]
    fn order_by_with_limit_on_an_unfiltered_table() {
        assert_eq!(
            findings("SELECT id FROM users ORDER BY email LIMIT 10"),
            ["users.email"]
        );
        assert!(findings("SELECT id FROM users ORDER BY email").is_empty());
    }
}

//! Query shapes from SQL text.

use archlint_model::{ColumnOp, ColumnUse, QueryKind, Selected, TableRef};
use archlint_sql::{Dialect, QueryShape, parse_dynamic, parse_query};

fn shape(sql: &str) -> QueryShape {
    parse_query(sql, Dialect::Postgres).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn filters(s: &QueryShape) -> Vec<(Option<&str>, &str, ColumnOp, bool)> {
    s.filters
        .iter()
        .map(|f| (f.table.as_deref(), f.column.as_str(), f.op, f.in_or))
        .collect()
}

fn cols(list: &[ColumnUse]) -> Vec<(Option<&str>, &str)> {
    list.iter()
        .map(|c| (c.table.as_deref(), c.column.as_str()))
        .collect()
}

#[test]
fn select_with_operators() {
    let s = shape(
        "SELECT * FROM users WHERE org_id = $1 AND age >= 18 AND created_at BETWEEN $2 AND $3 \
         AND id IN (1, 2, 3) AND kind IN ('a') AND email ILIKE $4 AND deleted_at IS NULL \
         AND name LIKE 'a%' AND status <> 'x' AND verified_at IS NOT NULL AND tags = ANY($5)",
    );
    assert_eq!(s.kind, QueryKind::Select);
    assert_eq!(
        s.tables,
        vec![TableRef {
            name: "users".into(),
            alias: None
        }]
    );
    let u = Some("users");
    assert_eq!(
        filters(&s),
        vec![
            (u, "org_id", ColumnOp::Eq, false),
            (u, "age", ColumnOp::Range, false),
            (u, "created_at", ColumnOp::Range, false),
            (u, "id", ColumnOp::In, false),
            (u, "kind", ColumnOp::Eq, false),
            (u, "email", ColumnOp::Like, false),
            (u, "deleted_at", ColumnOp::IsNull, false),
            (u, "name", ColumnOp::Like, false),
            (u, "status", ColumnOp::Other, false),
            (u, "verified_at", ColumnOp::Other, false),
            (u, "tags", ColumnOp::In, false),
        ]
    );
    assert_eq!(s.selected, Selected::Star);
    assert!(!s.limit);
    assert_eq!(s.equality_fixed("users"), vec!["kind", "org_id"]);
}

#[test]
fn or_marks_filters_as_not_fixed() {
    let s = shape(
        "SELECT id FROM t WHERE tenant_id = $1 AND (a = 1 OR b = 2) AND NOT (c = 3 AND d = 4)",
    );
    let t = Some("t");
    assert_eq!(
        filters(&s),
        vec![
            (t, "tenant_id", ColumnOp::Eq, false),
            (t, "a", ColumnOp::Eq, true),
            (t, "b", ColumnOp::Eq, true),
            (t, "c", ColumnOp::Other, true),
            (t, "d", ColumnOp::Other, true),
        ]
    );
    assert_eq!(s.equality_fixed("t"), vec!["tenant_id"]);
    assert_eq!(s.selected, Selected::Columns(vec!["id".into()]));
}

#[test]
fn joins_aliases_order_group_and_limits() {
    let s = shape(
        "SELECT o.id, u.email AS mail, count(*) AS n FROM orders o \
         JOIN users AS u ON u.id = o.user_id AND u.active \
         LEFT JOIN shops s USING (shop_id) \
         WHERE o.status = 'paid' AND lower(u.email) = $1 \
         GROUP BY o.id, u.email ORDER BY n DESC, o.created_at LIMIT 20 OFFSET 40",
    );
    assert_eq!(
        s.tables,
        vec![
            TableRef {
                name: "orders".into(),
                alias: Some("o".into())
            },
            TableRef {
                name: "users".into(),
                alias: Some("u".into())
            },
            TableRef {
                name: "shops".into(),
                alias: Some("s".into())
            },
        ]
    );
    let joins: Vec<_> = s
        .joins
        .iter()
        .map(|(a, b)| {
            (
                a.table.as_deref(),
                a.column.as_str(),
                b.table.as_deref(),
                b.column.as_str(),
            )
        })
        .collect();
    assert_eq!(
        joins,
        vec![
            (Some("users"), "id", Some("orders"), "user_id"),
            // USING with two tables before it: the left side is not certain.
            (None, "shop_id", Some("shops"), "shop_id"),
        ]
    );
    assert_eq!(
        filters(&s),
        vec![
            (Some("users"), "active", ColumnOp::Eq, false),
            (Some("orders"), "status", ColumnOp::Eq, false),
            (Some("users"), "email", ColumnOp::Eq, false),
        ]
    );
    assert_eq!(s.filters[2].expr.as_deref(), Some("lower(u.email)"));
    // `n` is a select alias, not a column.
    assert_eq!(cols(&s.order_by), vec![(Some("orders"), "created_at")]);
    assert_eq!(
        cols(&s.group_by),
        vec![(Some("orders"), "id"), (Some("users"), "email")]
    );
    assert!(s.limit && s.offset);
    assert_eq!(
        s.selected,
        Selected::Columns(vec!["id".into(), "email".into(), "count(*)".into()])
    );
    assert!(!s.aggregate);
}

#[test]
fn implicit_joins_and_unqualified_columns_with_several_tables() {
    let s = shape("SELECT * FROM a, b WHERE a.x = b.y AND z = 1");
    assert_eq!(s.joins.len(), 1);
    assert_eq!(filters(&s), vec![(None, "z", ColumnOp::Eq, false)]);
}

#[test]
fn subqueries_ctes_and_unions_are_nested_shapes() {
    let s = shape(
        "WITH recent AS (SELECT * FROM events WHERE created_at > now() - interval '1 day') \
         SELECT u.* FROM users u \
         WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.total > 100) \
           AND u.id IN (SELECT user_id FROM recent WHERE kind = 'login') \
         UNION SELECT * FROM admins WHERE email = $1",
    );
    assert_eq!(s.tables.len(), 1);
    assert_eq!(s.selected, Selected::Star);
    assert_eq!(
        filters(&s),
        vec![(Some("users"), "id", ColumnOp::In, false)]
    );
    let kids = &s.subqueries;
    // CTE body first, then the subqueries of the first branch, then the other branch.
    assert_eq!(kids.len(), 4, "{kids:#?}");
    assert_eq!(
        filters(&kids[0]),
        vec![(Some("events"), "created_at", ColumnOp::Range, false)]
    );
    let exists = &kids[1];
    assert_eq!(exists.tables[0].name, "orders");
    let (a, b) = &exists.joins[0];
    assert_eq!(
        (a.table.as_deref(), a.column.as_str()),
        (Some("orders"), "user_id")
    );
    assert_eq!(
        (b.table.as_deref(), b.column.as_str()),
        (Some("users"), "id")
    );
    assert_eq!(
        filters(exists),
        vec![(Some("orders"), "total", ColumnOp::Range, false)]
    );
    // Columns of a CTE are not columns of a stored table.
    let from_cte = &kids[2];
    assert!(from_cte.tables.is_empty());
    assert!(from_cte.filters.is_empty());
    assert_eq!(
        filters(&kids[3]),
        vec![(Some("admins"), "email", ColumnOp::Eq, false)]
    );
    assert_eq!(s.all_shapes().len(), 5);
}

#[test]
fn derived_tables_are_not_stored_tables() {
    let s =
        shape("SELECT t.a FROM (SELECT a FROM big WHERE b = 1) AS t WHERE t.a > 5 ORDER BY t.a");
    assert!(s.tables.is_empty());
    assert!(s.filters.is_empty());
    assert!(s.order_by.is_empty());
    assert_eq!(
        filters(&s.subqueries[0]),
        vec![(Some("big"), "b", ColumnOp::Eq, false)]
    );
}

#[test]
fn update_delete_insert() {
    let s = shape(
        "UPDATE users SET name = $1, n = (SELECT count(*) FROM x WHERE x.u = users.id) WHERE id = $2 RETURNING id",
    );
    assert_eq!(s.kind, QueryKind::Update);
    assert_eq!(
        filters(&s),
        vec![(Some("users"), "id", ColumnOp::Eq, false)]
    );
    assert_eq!(s.subqueries.len(), 1);
    assert!(s.subqueries[0].aggregate);
    assert_eq!(s.selected, Selected::Columns(vec!["id".into()]));

    let s = shape("DELETE FROM sessions s USING users u WHERE s.user_id = u.id AND u.banned");
    assert_eq!(s.kind, QueryKind::Delete);
    assert_eq!(s.tables.len(), 2);
    assert_eq!(s.joins.len(), 1);
    assert_eq!(s.selected, Selected::None);

    let s = shape(
        "INSERT INTO users (email) VALUES ($1) ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email",
    );
    assert_eq!(s.kind, QueryKind::Insert);
    assert_eq!(s.tables[0].name, "users");
    assert_eq!(s.on_conflict, Some(vec!["email".to_string()]));
    assert!(s.subqueries.is_empty());

    let s = shape("INSERT INTO archive SELECT * FROM events WHERE created_at < $1");
    assert_eq!(s.subqueries.len(), 1);
    assert_eq!(s.subqueries[0].tables[0].name, "events");
    assert_eq!(s.on_conflict, None);
}

#[test]
fn limits_and_aggregates() {
    assert!(shape("SELECT * FROM t FETCH FIRST 10 ROWS ONLY").limit);
    assert!(!shape("SELECT * FROM t LIMIT ALL").limit);
    assert!(shape("SELECT count(*) FROM t WHERE a = 1").aggregate);
    assert!(!shape("SELECT count(*) FROM t GROUP BY a").aggregate);
    let s = parse_query("SELECT * FROM t LIMIT 5, 10", Dialect::Mysql).unwrap();
    assert!(s.limit && s.offset);
    let s = parse_query("SELECT TOP 5 * FROM t", Dialect::Generic).unwrap();
    assert!(s.limit);
}

#[test]
fn schema_qualified_and_multi_statement_text() {
    let s = shape(
        "SET LOCAL statement_timeout = 5000; SELECT * FROM public.users WHERE public.users.id = $1",
    );
    assert_eq!(s.tables[0].name, "public.users");
    assert_eq!(
        filters(&s),
        vec![(Some("public.users"), "id", ColumnOp::Eq, false)]
    );
    let s = shape("SELECT * FROM public.users WHERE users.id = $1");
    assert_eq!(
        filters(&s),
        vec![(Some("public.users"), "id", ColumnOp::Eq, false)]
    );
}

#[test]
fn every_placeholder_style() {
    for (dialect, sql) in [
        (Dialect::Postgres, "SELECT * FROM t WHERE a = $1 AND b = $2"),
        (Dialect::Postgres, "SELECT * FROM t WHERE a = ? AND b = ?"),
        (Dialect::Postgres, "SELECT * FROM t WHERE a = %s AND b = %s"),
        (
            Dialect::Postgres,
            "SELECT * FROM t WHERE a = %(a)s AND b = %(b)s",
        ),
        (Dialect::Postgres, "SELECT * FROM t WHERE a = :a AND b = :b"),
        (Dialect::Postgres, "SELECT * FROM t WHERE a = @a AND b = @b"),
        (Dialect::Mysql, "SELECT * FROM t WHERE a = ? AND b = ?"),
        (Dialect::Mysql, "SELECT * FROM t WHERE a = %s AND b = %(b)s"),
        (Dialect::Mysql, "SELECT * FROM t WHERE a = :a AND b = @b"),
        (Dialect::Sqlite, "SELECT * FROM t WHERE a = ?1 AND b = ?2"),
        (Dialect::Sqlite, "SELECT * FROM t WHERE a = ? AND b = :b"),
        (Dialect::Sqlite, "SELECT * FROM t WHERE a = $1 AND b = @b"),
        (Dialect::Generic, "SELECT * FROM t WHERE a = %s AND b = ?"),
        (Dialect::Generic, "SELECT * FROM t WHERE a = $1 AND b = :b"),
    ] {
        let s = parse_query(sql, dialect).unwrap_or_else(|e| panic!("{dialect} {sql}: {e}"));
        assert_eq!(
            filters(&s),
            vec![
                (Some("t"), "a", ColumnOp::Eq, false),
                (Some("t"), "b", ColumnOp::Eq, false)
            ],
            "{dialect} {sql}"
        );
    }
    // A tuple or expanding parameter after IN.
    for (dialect, sql) in [
        (Dialect::Postgres, "DELETE FROM t WHERE a IN %s"),
        (Dialect::Postgres, "DELETE FROM t WHERE a IN :ids"),
        (Dialect::Mysql, "DELETE FROM t WHERE a IN %(ids)s"),
    ] {
        let s = parse_query(sql, dialect).unwrap_or_else(|e| panic!("{sql}: {e}"));
        assert_eq!(
            filters(&s),
            vec![(Some("t"), "a", ColumnOp::In, false)],
            "{sql}"
        );
    }
    // A jsonb `?` stays an operator in PostgreSQL.
    let s = shape("SELECT * FROM t WHERE data ? 'k' AND id = ?");
    assert_eq!(
        filters(&s).last(),
        Some(&(Some("t"), "id", ColumnOp::Eq, false))
    );
}

#[test]
fn error_positions_point_into_the_original_text() {
    let e = parse_query(
        "SELECT * FROM t\nWHERE a = ? AND AND b = 1",
        Dialect::Postgres,
    )
    .unwrap_err();
    // sqlparser stops at `b` (column 21 of the original line, whose `?`
    // became the longer `$1` before parsing).
    assert_eq!(e.pos.line, 2);
    assert_eq!(e.pos.col, 21);
    assert!(e.message.contains("found: b"), "{e}");
    let e = parse_query("  -- nothing\n", Dialect::Postgres).unwrap_err();
    assert_eq!(e.kind, archlint_sql::ProblemKind::Empty);
}

#[test]
fn dynamic_text_with_holes() {
    let s = parse_dynamic(&["SELECT * FROM users WHERE id = ", ""], Dialect::Postgres).unwrap();
    assert!(s.dynamic);
    assert_eq!(s.fragments, vec!["SELECT * FROM users WHERE id = ", ""]);
    assert_eq!(
        filters(&s),
        vec![(Some("users"), "id", ColumnOp::Eq, false)]
    );

    // A hole for a table name: no stored table, no guessed columns.
    let s = parse_dynamic(&["SELECT * FROM ", " WHERE id = ", ""], Dialect::Mysql).unwrap();
    assert!(s.tables.is_empty());
    assert!(s.filters.is_empty());

    // A hole for a column name compared to a value.
    let s = parse_dynamic(
        &["SELECT * FROM users WHERE ", " = %s ORDER BY ", ""],
        Dialect::Postgres,
    )
    .unwrap();
    assert_eq!(s.tables[0].name, "users");
    assert!(s.filters.is_empty());

    // A hole for an optional clause.
    let s = parse_dynamic(&["SELECT * FROM users ", " LIMIT 10"], Dialect::Sqlite).unwrap();
    assert!(s.limit);

    // A hole inside a string literal.
    let s = parse_dynamic(
        &["SELECT * FROM users WHERE name = '", "'"],
        Dialect::Postgres,
    )
    .unwrap();
    assert_eq!(
        filters(&s),
        vec![(Some("users"), "name", ColumnOp::Eq, false)]
    );

    assert!(parse_dynamic(&["not sql at all (", ""], Dialect::Postgres).is_none());
    assert!(parse_dynamic(&[], Dialect::Postgres).is_none());
}

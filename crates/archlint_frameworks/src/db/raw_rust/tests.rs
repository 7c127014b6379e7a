//! Unit tests of the Rust raw SQL extractor: one per API family and text
//! builder of the issue, plus the look-alikes that must not be queries.

use crate::db::sqltext::testutil::{on_line, raw_db, rs_project, rs_queries};
use archlint_model::{QueryFact, SqlText, Taint, TextBuilder};

fn constant(q: &QueryFact) -> &str {
    match &q.text {
        Some(SqlText::Constant(t)) => t,
        other => panic!("not constant: {other:?}"),
    }
}

fn holes(q: &QueryFact) -> (TextBuilder, Vec<(String, Taint)>) {
    match &q.text {
        Some(SqlText::Dynamic {
            builder,
            holes,
            fragments,
        }) => {
            assert_eq!(fragments.len(), holes.len() + 1);
            (
                *builder,
                holes.iter().map(|h| (h.text.clone(), h.taint)).collect(),
            )
        }
        other => panic!("not dynamic: {other:?}"),
    }
}

#[test]
fn sqlx_macros_with_executors() {
    let qs = rs_queries(
        r##"
use sqlx::PgPool;
async fn list(pool: &PgPool, id: i64) -> Result<Vec<User>, sqlx::Error> {
    let n = sqlx::query_scalar!("SELECT count(*) FROM users").fetch_one(pool).await?;
    let u = sqlx::query_as!(User, r#"SELECT * FROM users WHERE id = $1"#, id)
        .fetch_optional(pool)
        .await?;
    let f = sqlx::query_file!("queries/all.sql").fetch_all(pool).await?;
    sqlx::query_as!(User, "SELECT * FROM users").fetch_all(pool).await
}
"##,
    );
    assert_eq!(qs.len(), 4);
    let q = on_line(&qs, 4);
    assert_eq!(q.api, "sqlx::query_scalar!");
    assert_eq!(q.bound_to.as_deref(), Some("n"));
    assert!(!q.bound_params && !q.all_rows);
    let q = on_line(&qs, 5);
    assert_eq!(constant(q), "SELECT * FROM users WHERE id = $1");
    assert!(q.bound_params);
    assert_eq!(q.span.end.line, 6, "the span runs to the executor");
    let q = on_line(&qs, 8);
    assert!(q.text.is_none() && q.shape.is_none());
    let q = on_line(&qs, 9);
    assert!(q.all_rows && q.returned);
}

#[test]
fn sqlx_functions_imported_and_bound() {
    let qs = rs_queries(
        r#"
use sqlx::{query, query_as, PgPool};
async fn get(pool: &PgPool, email: &str) -> Result<Vec<User>, sqlx::Error> {
    query("DELETE FROM sessions WHERE expired").execute(pool).await?;
    let users = query_as::<_, User>("SELECT * FROM users WHERE email = $1")
        .bind(email)
        .fetch_all(pool)
        .await?;
    Ok(users)
}
"#,
    );
    assert_eq!(qs.len(), 2);
    assert_eq!(qs[0].api, "query");
    assert!(!qs[0].bound_params);
    let q = on_line(&qs, 5);
    assert!(q.bound_params && q.all_rows && q.returned);
    assert_eq!(q.bound_to.as_deref(), Some("users"));
}

#[test]
fn consts_associated_imported_and_concat() {
    let project = rs_project(&[
        (
            "src/sql.rs",
            "pub const BY_EMAIL: &str = concat!(\"SELECT * FROM users \", \"WHERE email = $1\");\n",
        ),
        (
            "src/repo.rs",
            r#"use crate::sql::BY_EMAIL;
pub struct Repo;
impl Repo {
    const ALL: &'static str = "SELECT * FROM orders";
    async fn a(&self, pool: &sqlx::PgPool) {
        sqlx::query(BY_EMAIL).bind("x").fetch_one(pool).await;
        sqlx::query(Self::ALL).fetch_all(pool).await;
        sqlx::query(include_str!("q.sql")).fetch_all(pool).await;
    }
}
"#,
        ),
    ]);
    let db = raw_db(&project);
    assert_eq!(db.queries.len(), 3);
    assert_eq!(
        constant(&db.queries[0]),
        "SELECT * FROM users WHERE email = $1"
    );
    assert_eq!(db.queries[0].text_at.as_ref().unwrap().path, "src/sql.rs");
    assert_eq!(constant(&db.queries[1]), "SELECT * FROM orders");
    assert!(db.queries[2].text.is_none());
}

#[test]
fn format_macro_holes_and_taint() {
    let qs = rs_queries(
        r#"
use axum::extract::{Path, Query, State};
use axum::{routing::get, Router};
const TABLE: &str = "users";
pub fn app() -> Router { Router::new().route("/u/:id", get(search)) }
async fn search(State(pool): State<PgPool>, Path(id): Path<i64>, Query(p): Query<Params>) {
    let col = "email";
    let sql = format!("SELECT * FROM {TABLE} WHERE {col} = '{}' AND id = {id}", p.email);
    sqlx::query(&sql).fetch_all(&pool).await;
    sqlx::query(&format!("SELECT * FROM {} LIMIT {}", TABLE, 10)).fetch_all(&pool).await;
}
fn helper(conn: &rusqlite::Connection, name: &str) {
    conn.execute(&format!("DELETE FROM users WHERE name = '{name}'"), []);
}
"#,
    );
    let (b, h) = holes(on_line(&qs, 9));
    assert_eq!(b, TextBuilder::FormatMacro);
    assert_eq!(
        h,
        [
            ("p.email".to_string(), Taint::Request),
            ("id".to_string(), Taint::Constant)
        ]
    );
    assert_eq!(constant(on_line(&qs, 10)), "SELECT * FROM users LIMIT 10");
    assert_eq!(
        holes(on_line(&qs, 13)).1,
        [("name".to_string(), Taint::Parameter)]
    );
}

#[test]
fn push_str_and_concat_builders() {
    let qs = rs_queries(
        r#"
async fn search(pool: &sqlx::PgPool, status: Option<String>, sort: &str) {
    let mut sql = String::from("SELECT * FROM orders WHERE 1 = 1");
    if let Some(s) = status {
        sql.push_str(" AND status = $1");
    }
    sql += " ORDER BY ";
    sql.push_str(sort);
    sqlx::query(&sql).fetch_all(pool).await;
    let q = "SELECT * FROM t WHERE a = ".to_string() + sort;
    sqlx::query(&q).fetch_all(pool).await;
}
"#,
    );
    let (b, h) = holes(&qs[0]);
    assert_eq!(b, TextBuilder::PushStr);
    assert_eq!(h, [("sort".to_string(), Taint::Parameter)]);
    assert_eq!(holes(&qs[1]).0, TextBuilder::Concat);
}

#[test]
fn diesel_sql_query() {
    let qs = rs_queries(
        r#"
use diesel::prelude::*;
use diesel::sql_types::Integer;
fn load(conn: &mut PgConnection, id: i32) -> QueryResult<Vec<User>> {
    diesel::sql_query("SELECT * FROM users WHERE id = $1")
        .bind::<Integer, _>(id)
        .load::<User>(conn)
}
"#,
    );
    assert_eq!(qs.len(), 1);
    assert_eq!(qs[0].api, "diesel::sql_query");
    assert!(qs[0].bound_params && qs[0].returned);
}

#[test]
fn tokio_postgres_client_and_prepared() {
    let qs = rs_queries(
        r#"
use tokio_postgres::Client;
const BY_ID: &str = "SELECT * FROM users WHERE id = $1";
async fn f(client: &Client, id: i32) -> Vec<Row> {
    let one = client.query_one(BY_ID, &[&id]).await.unwrap();
    let stmt = client.prepare("SELECT * FROM orders WHERE user_id = $1").await.unwrap();
    for u in ids {
        client.query(&stmt, &[&u]).await.unwrap();
    }
    client.query("SELECT * FROM users", &[]).await.unwrap()
}
"#,
    );
    assert_eq!(qs.len(), 3, "{qs:#?}");
    assert!(on_line(&qs, 5).bound_params);
    let q = on_line(&qs, 8);
    assert_eq!(constant(q), "SELECT * FROM orders WHERE user_id = $1");
    assert_eq!(q.loop_idx, Some(0));
    let q = on_line(&qs, 10);
    assert!(!q.bound_params && q.all_rows && q.returned);
}

#[test]
fn rusqlite_execute_and_statements() {
    let qs = rs_queries(
        r#"
use rusqlite::{params, Connection};
fn f(conn: &Connection, id: i64) -> rusqlite::Result<Vec<String>> {
    conn.execute("DELETE FROM t WHERE id = ?1", params![id])?;
    let mut st = conn.prepare("SELECT name FROM t")?;
    let rows = st.query_map([], |r| r.get(0))?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
"#,
    );
    assert_eq!(qs.len(), 2, "{qs:#?}");
    assert!(qs[0].bound_params);
    let q = on_line(&qs, 6);
    assert_eq!(constant(q), "SELECT name FROM t");
    assert!(!q.bound_params && q.all_rows && q.returned);
}

#[test]
fn closures_and_loops() {
    let qs = rs_queries(
        r#"
async fn f(pool: &sqlx::PgPool, ids: Vec<i64>) -> Vec<User> {
    let orders = sqlx::query!("SELECT id FROM orders").fetch_all(pool).await.unwrap();
    for o in &orders {
        sqlx::query!("SELECT * FROM items WHERE order_id = $1", o.id).fetch_all(pool).await;
    }
    futures::future::join_all(ids.iter().map(|id| async move {
        sqlx::query_as!(User, "SELECT * FROM users WHERE id = $1", id).fetch_one(pool).await
    }))
    .await
}
"#,
    );
    assert_eq!(qs.len(), 3);
    assert_eq!(on_line(&qs, 3).bound_to.as_deref(), Some("orders"));
    assert_eq!(on_line(&qs, 5).loop_idx, Some(0));
    let q = on_line(&qs, 8);
    assert!(!q.returned, "returned from the closure, not the function");
}

#[test]
fn look_alikes_are_not_queries() {
    let qs = rs_queries(
        r#"
fn query(s: &str) -> String { s.to_string() }
async fn f(client: &reqwest::Client, req: Request, graph: &Graph) {
    client.execute(req).await;
    query("SELECT 1");
    graph.query("MATCH (n) RETURN n");
    let r = format!("SELECT {}", 1);
}
"#,
    );
    assert!(qs.is_empty(), "{qs:#?}");
}

#[test]
fn executor_on_a_variable_holding_the_query() {
    let qs = rs_queries(
        r#"
async fn list(pool: &sqlx::PgPool, status: Option<String>) -> Result<Vec<Order>, sqlx::Error> {
    let mut query = sqlx::query_as::<_, Order>("SELECT * FROM orders WHERE status = $1");
    if let Some(s) = status {
        query = query.bind(s);
    }
    let rows = query.fetch_all(pool).await?;
    Ok(rows)
}
"#,
    );
    assert_eq!(qs.len(), 1, "{qs:#?}");
    let q = &qs[0];
    assert_eq!(q.span.start.line, 7, "the fact moves to the executor");
    assert!(q.bound_params && q.all_rows && q.returned);
    assert_eq!(q.bound_to.as_deref(), Some("rows"));
}

#[test]
fn closure_parameters_take_the_receivers_items() {
    let qs = rs_queries(
        r#"
const COLUMNS: [&str; 2] = ["id", "email"];
async fn f(pool: &sqlx::PgPool, extra: Vec<String>) {
    let cols: Vec<String> = COLUMNS.iter().map(|c| format!("\"{c}\"")).collect();
    sqlx::query(&format!("SELECT {} FROM users", cols.join(", "))).fetch_all(pool).await;
    let more: Vec<String> = extra.iter().map(|c| format!("\"{c}\"")).collect();
    sqlx::query(&format!("SELECT {} FROM users", more.join(", "))).fetch_all(pool).await;
}
"#,
    );
    assert_eq!(holes(&qs[0]).1[0].1, Taint::Constant, "{:?}", holes(&qs[0]));
    assert_eq!(holes(&qs[1]).1[0].1, Taint::Parameter);
}

#[test]
fn enumerate_positions_are_numbers() {
    let qs = rs_queries(
        r#"
async fn insert(pool: &sqlx::PgPool, names: &[String]) {
    for (i, name) in names.iter().enumerate() {
        sqlx::query(&format!("INSERT INTO t (a, b) VALUES ({i}, '{name}')")).execute(pool).await;
    }
    let marks: Vec<String> = names.iter().enumerate().map(|(i, _)| format!("${}", i + 1)).collect();
    sqlx::query(&format!("INSERT INTO t (a) VALUES ({})", marks.join(", "))).execute(pool).await;
    let quoted: Vec<String> = names.iter().enumerate().map(|(_, n)| format!("'{n}'")).collect();
    sqlx::query(&format!("INSERT INTO t (b) VALUES ({})", quoted.join(", "))).execute(pool).await;
}
"#,
    );
    assert_eq!(
        holes(on_line(&qs, 4)).1,
        [
            ("i".to_string(), Taint::Constant),
            ("name".to_string(), Taint::Parameter)
        ]
    );
    assert_eq!(
        holes(on_line(&qs, 7)).1,
        [("marks".to_string(), Taint::Constant)]
    );
    // What a closure makes of the items carries their taint.
    assert_eq!(
        holes(on_line(&qs, 9)).1,
        [("quoted".to_string(), Taint::Parameter)]
    );
}

//! Search: SQL built from request input, and look-alikes built safely.

use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;

use crate::state::AppState;

const TABLE: &str = "products";
const PAGE: i64 = 20;

#[derive(Deserialize)]
pub struct Params {
    q: String,
    sort: Option<String>,
    min_price: Option<i64>,
}

pub async fn search(State(state): State<AppState>, Query(p): Query<Params>) -> Json<Vec<(i64, String)>> {
    let sql = format!("SELECT id, title FROM products WHERE title LIKE '%{}%' LIMIT 20", p.q);
    let rows = sqlx::query_as(&sql).fetch_all(&state.pool).await.unwrap(); // expect: db/sql-injection:error
    Json(rows)
}

pub async fn sorted(State(state): State<AppState>, Query(p): Query<Params>) -> Json<Vec<(i64, String)>> {
    let column = match p.sort.as_deref() {
        Some("price") => "price_cents",
        _ => "title",
    };
    let sql = format!("SELECT id, title FROM {TABLE} ORDER BY {column} LIMIT {PAGE}");
    let rows = sqlx::query_as(&sql).fetch_all(&state.pool).await.unwrap(); // ok: db/sql-injection
    Json(rows)
}

pub async fn filter(State(state): State<AppState>, Query(p): Query<Params>) -> Json<Vec<(i64, String)>> {
    let mut sql = String::from("SELECT id, title FROM products WHERE title <> ''");
    if let Some(min) = p.min_price {
        sql.push_str(&format!(" AND price_cents >= {min}"));
    }
    sql.push_str(" AND sku LIKE '");
    sql.push_str(&p.q);
    sql.push_str("%' LIMIT 20");
    let rows = sqlx::query_as(&sql).fetch_all(&state.pool).await.unwrap(); // expect: db/sql-injection:error, db/missing-index:warning
    Json(rows)
}

pub async fn bound(State(state): State<AppState>, Query(p): Query<Params>) -> Json<Vec<(i64, String)>> {
    let rows = sqlx::query_as("SELECT id, title FROM products WHERE sku = $1 LIMIT 20") // ok: db/sql-injection
        .bind(&p.q)
        .fetch_all(&state.pool)
        .await
        .unwrap();
    Json(rows)
}

const EXPORT_COLUMNS: [&str; 3] = ["id", "sku", "title"];

pub async fn export(State(state): State<AppState>) -> Json<Vec<(i64, String, String)>> {
    let cols: Vec<String> = EXPORT_COLUMNS.iter().map(|c| format!("\"{c}\"")).collect();
    let sql = format!("SELECT {} FROM products ORDER BY id LIMIT 500", cols.join(", "));
    let rows = sqlx::query_as(&sql).fetch_all(&state.pool).await.unwrap(); // ok: db/sql-injection
    Json(rows)
}

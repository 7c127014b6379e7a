//! Product listings: one returns every row, the others are bounded.

use axum::extract::State;
use axum::Json;
use serde::Serialize;

use crate::state::AppState;

#[derive(Serialize, sqlx::FromRow)]
pub struct Product {
    id: i64,
    sku: String,
    title: String,
}

pub async fn all(State(state): State<AppState>) -> Result<Json<Vec<Product>>, String> {
    let products = sqlx::query_as::<_, Product>("SELECT id, sku, title FROM products") // expect: db/unbounded-query:warning
        .fetch_all(&state.pool)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Json(products))
}

pub async fn page(State(state): State<AppState>) -> Result<Json<Vec<Product>>, String> {
    sqlx::query_as::<_, Product>("SELECT id, sku, title FROM products ORDER BY id LIMIT 50") // ok: db/unbounded-query
        .fetch_all(&state.pool)
        .await
        .map(Json)
        .map_err(|e| e.to_string())
}

pub async fn count(State(state): State<AppState>) -> Json<i64> {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM products") // ok: db/unbounded-query
        .fetch_one(&state.pool)
        .await
        .unwrap();
    Json(n)
}

//! Product listings: one returns every row, the others are bounded.

use axum::extract::{Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};

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

#[derive(Deserialize)]
pub struct SkuFilter {
    prefix: Option<String>,
}

pub async fn by_sku(State(state): State<AppState>, Query(f): Query<SkuFilter>) -> Json<Vec<Product>> {
    let mut query = sqlx::query_as::<_, Product>("SELECT id, sku, title FROM products WHERE sku LIKE $1");
    query = query.bind(format!("{}%", f.prefix.unwrap_or_default()));
    let products = query.fetch_all(&state.pool).await.unwrap(); // expect: db/unbounded-query:warning
    Json(products)
}

//! Orders: a composite index through its prefix, and queries per row.

use axum::extract::{Path, Query, State};
use axum::Json;
use futures::future::join_all;
use serde::Deserialize;
use sqlx::query;

use crate::db::sql::ORDERS_OF_CUSTOMER;
use crate::db::{lines_of, Line};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct Filter {
    status: String,
}

pub async fn of_customer(State(state): State<AppState>, Path(id): Path<i64>, Query(f): Query<Filter>) -> Json<Vec<(i64, String)>> {
    let rows = sqlx::query_as(ORDERS_OF_CUSTOMER) // ok: db/missing-index
        .bind(id)
        .bind(f.status)
        .fetch_all(&state.pool)
        .await
        .unwrap();
    Json(rows)
}

pub async fn by_status(State(state): State<AppState>, Query(f): Query<Filter>) -> Json<Vec<(i64,)>> {
    let rows = sqlx::query_as("SELECT id FROM orders WHERE status = $1 LIMIT 100") // expect: db/missing-index:warning
        .bind(f.status)
        .fetch_all(&state.pool)
        .await
        .unwrap();
    Json(rows)
}

pub async fn order_lines(State(state): State<AppState>, Path(id): Path<i64>) -> Json<Vec<Vec<Line>>> {
    let orders = query!("SELECT id FROM orders WHERE customer_id = $1 LIMIT 20", id)
        .fetch_all(&state.pool)
        .await
        .unwrap();
    let mut out = Vec::new();
    for order in &orders {
        out.push(lines_of(&state.pool, order.id).await.unwrap()); // expect: db/n-plus-one:warning
    }
    Json(out)
}

pub async fn order_items(State(state): State<AppState>, Path(id): Path<i64>) -> Json<usize> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM orders WHERE customer_id = $1 LIMIT 20")
        .bind(id)
        .fetch_all(&state.pool)
        .await
        .unwrap();
    let counts = join_all(ids.iter().map(|order_id| {
        let pool = state.pool.clone();
        async move {
            sqlx::query_scalar!("SELECT count(*) FROM order_items WHERE order_id = $1", order_id) // expect: db/n-plus-one:warning
                .fetch_one(&pool)
                .await
        }
    }))
    .await;
    Json(counts.len())
}

pub async fn status_counts(State(state): State<AppState>, Path(id): Path<i64>) -> Json<Vec<i64>> {
    let mut out = Vec::new();
    for status in ["new", "paid", "shipped"] {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM orders WHERE customer_id = $1 AND status = $2") // ok: db/n-plus-one
            .bind(id)
            .bind(status)
            .fetch_one(&state.pool)
            .await
            .unwrap();
        out.push(n);
    }
    Json(out)
}

/// The exchange rate, read from the database once per process: the closure
/// of `get_or_init` runs on the first call only.
async fn eur_rate(pool: &sqlx::PgPool) -> f64 {
    static RATE: tokio::sync::OnceCell<f64> = tokio::sync::OnceCell::const_new();
    *RATE
        .get_or_init(|| async {
            sqlx::query_scalar("SELECT rate FROM fx_rates WHERE code = 'EUR'")
                .fetch_one(pool)
                .await
                .unwrap_or(1.0)
        })
        .await
}

pub async fn totals_in_eur(pool: &sqlx::PgPool, totals: &[i64]) -> Vec<f64> {
    let mut out = Vec::new();
    for t in totals {
        out.push(*t as f64 * eur_rate(pool).await); // ok: db/n-plus-one
    }
    out
}

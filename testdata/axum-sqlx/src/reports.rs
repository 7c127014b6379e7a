//! Reports read through tokio-postgres, with a prepared statement.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use tokio_postgres::{Client, NoTls};

use crate::state::AppState;

const REVIEWS_OF: &str = "SELECT rating FROM reviews WHERE product_id = $1";

pub fn router() -> Router<AppState> {
    Router::new().route("/reports/customers/:id/ratings", get(ratings))
}

async fn client() -> Client {
    let (client, connection) = tokio_postgres::connect(&std::env::var("REPORTS_URL").unwrap(), NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
}

async fn ratings(State(_state): State<AppState>, Path(id): Path<i64>) -> Json<Vec<i32>> {
    let client = client().await;
    let items = client
        .query("SELECT product_id FROM order_items WHERE order_id = $1 LIMIT 50", &[&id])
        .await
        .unwrap();
    let stmt = client.prepare(REVIEWS_OF).await.unwrap();
    let mut ratings = Vec::new();
    for item in items {
        let product: i64 = item.get(0);
        for row in client.query(&stmt, &[&product]).await.unwrap() { // expect: db/n-plus-one:warning, db/missing-index:warning
            ratings.push(row.get(0));
        }
    }
    Json(ratings)
}

/// Streams an order's lines and looks each product up: one query per row.
pub async fn line_titles(pool: &sqlx::PgPool, order_id: i64) -> Vec<String> {
    let mut rows = sqlx::query("SELECT product_id FROM order_items WHERE order_id = $1")
        .bind(order_id)
        .fetch(pool);
    let mut titles = Vec::new();
    while let Some(row) = rows.try_next().await.unwrap() {
        let product: i64 = row.get(0);
        let title: String = sqlx::query_scalar("SELECT title FROM products WHERE id = $1") // expect: db/n-plus-one:warning
            .bind(product)
            .fetch_one(pool)
            .await
            .unwrap();
        titles.push(title);
    }
    titles
}

/// Waits until an order has lines: a poll, not a query per item.
pub async fn wait_for_lines(pool: &sqlx::PgPool, order_id: i64) {
    let mut tries = 0;
    while tries < 10 {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM order_items WHERE order_id = $1") // ok: db/n-plus-one
            .bind(order_id)
            .fetch_one(pool)
            .await
            .unwrap();
        if n > 0 {
            return;
        }
        tries += 1;
    }
}

/// Finds one cached order in memory and refreshes it: the query runs for
/// the matching order only.
pub async fn refresh_cached(pool: &sqlx::PgPool, cached: &[Order], wanted: i64) {
    for (_, order) in cached.iter().enumerate() {
        if order.id == wanted {
            sqlx::query("UPDATE orders SET status = status WHERE id = $1") // ok: db/n-plus-one
                .bind(order.id)
                .execute(pool)
                .await
                .unwrap();
        }
    }
}

/// Refreshes every order of a customer: a query per matching order.
pub async fn refresh_customer(pool: &sqlx::PgPool, cached: &[Order], customer: i64) {
    for order in cached {
        if order.customer_id == customer {
            sqlx::query("UPDATE orders SET status = status WHERE id = $1") // expect: db/n-plus-one:warning
                .bind(order.id)
                .execute(pool)
                .await
                .unwrap();
        }
    }
}

pub struct Order {
    pub id: i64,
    pub customer_id: i64,
}

//! Queries shared by the routes, and the SQL they are written in.

pub mod sql;

use serde::Serialize;
use sqlx::PgPool;

#[derive(Serialize, sqlx::FromRow)]
pub struct Line {
    pub product_id: i64,
    pub quantity: i32,
}

pub struct Items;

impl Items {
    const OF_ORDER: &'static str = "SELECT product_id, quantity FROM order_items WHERE order_id = $1";

    async fn of_order(pool: &PgPool, order_id: i64) -> Result<Vec<Line>, sqlx::Error> {
        sqlx::query_as::<_, Line>(Self::OF_ORDER).bind(order_id).fetch_all(pool).await
    }
}

/// Two calls deep from the loop in `routes::orders::order_lines`.
pub async fn lines_of(pool: &PgPool, order_id: i64) -> Result<Vec<Line>, sqlx::Error> {
    Items::of_order(pool, order_id).await
}

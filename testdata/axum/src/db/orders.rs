use serde::{Deserialize, Serialize};
use sqlx::{FromRow, PgPool};

#[derive(Serialize, Deserialize, FromRow)]
pub struct Order {
    pub id: i64,
    pub user_id: i64,
    pub total_cents: i64,
}

pub async fn list(pool: &PgPool) -> Result<Vec<Order>, sqlx::Error> {
    sqlx::query_as::<_, Order>("SELECT id, user_id, total_cents FROM orders").fetch_all(pool).await  // expect: db/unbounded-query:warning
}

pub async fn by_id(pool: &PgPool, id: i64) -> Result<Order, sqlx::Error> {
    sqlx::query_as::<_, Order>("SELECT id, user_id, total_cents FROM orders WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
}

pub async fn insert(pool: &PgPool, order: &Order) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO orders (user_id, total_cents) VALUES ($1, $2)")
        .bind(order.user_id)
        .bind(order.total_cents)
        .execute(pool)
        .await?;
    Ok(())
}

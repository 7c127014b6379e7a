use serde::Serialize;
use sqlx::{FromRow, PgPool};

#[derive(Serialize, FromRow)]
pub struct Product {
    pub id: i64,
    pub name: String,
}

pub async fn all(pool: &PgPool) -> Result<Vec<Product>, sqlx::Error> {
    sqlx::query_as::<_, Product>("SELECT id, name FROM products").fetch_all(pool).await  // expect: db/unbounded-query:warning
}

pub async fn search(pool: &PgPool, q: &str) -> Result<Vec<Product>, sqlx::Error> {
    sqlx::query_as::<_, Product>("SELECT id, name FROM products WHERE name ILIKE $1")  // expect: db/unbounded-query:warning
        .bind(format!("%{q}%"))
        .fetch_all(pool)
        .await
}

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

pub async fn connect(url: &str) -> PgPool {
    PgPoolOptions::new().max_connections(8).connect(url).await.expect("database")
}

pub async fn balance(pool: &PgPool, account: i64) -> Result<i64, sqlx::Error> {
    let row: (i64,) = sqlx::query_as("SELECT balance FROM accounts WHERE id = $1")
        .bind(account)
        .fetch_one(pool)
        .await?;
    Ok(row.0)
}

use axum::{extract::{Path, State}, Json};
use sqlx::PgPool;

pub async fn list(State(pool): State<PgPool>) -> Json<Vec<String>> { // expect: api/missing-rate-limit:warning
    let names = sqlx::query_scalar("SELECT name FROM accounts")  // expect: db/unbounded-query:warning
        .fetch_all(&pool)
        .await
        .unwrap_or_default();
    Json(names)
}

pub async fn create(State(pool): State<PgPool>, Json(name): Json<String>) -> &'static str { // expect: api/missing-rate-limit:warning
    let _ = sqlx::query("INSERT INTO accounts (name) VALUES ($1)")
        .bind(name)
        .execute(&pool)
        .await;
    "created"
}

pub async fn show(Path(id): Path<i64>) -> String { // ok: api/unauthenticated-endpoint
    id.to_string()
}

pub async fn export(Path(id): Path<i64>) -> String { // expect: api/unauthenticated-endpoint:error
    id.to_string()
}

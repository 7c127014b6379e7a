//! `/api/transfers`: the whole scope is wrapped with bearer authentication
//! and a rate limiter.

use actix_web::{get, post, web, HttpResponse};
use sqlx::PgPool;

#[post("")]
async fn create_transfer(pool: web::Data<PgPool>, body: web::Json<(i64, i64, i64)>) -> HttpResponse { // ok: api/unauthenticated-endpoint
    let (from, to, amount) = body.into_inner();
    sqlx::query("CALL transfer($1, $2, $3)")
        .bind(from)
        .bind(to)
        .bind(amount)
        .execute(pool.get_ref())
        .await
        .map(|_| HttpResponse::Created().finish())
        .unwrap_or_else(|_| HttpResponse::BadRequest().finish())
}

#[get("/{id}")]
async fn get_transfer(pool: web::Data<PgPool>, id: web::Path<i64>) -> HttpResponse { // ok: api/missing-rate-limit
    let row: Option<(i64,)> = sqlx::query_as("SELECT amount FROM transfers WHERE id = $1")
        .bind(id.into_inner())
        .fetch_optional(pool.get_ref())
        .await
        .unwrap_or(None);
    HttpResponse::Ok().json(row.map(|r| r.0))
}

pub async fn cancel_transfer(pool: web::Data<PgPool>, id: web::Path<i64>) -> HttpResponse { // ok: api/unauthenticated-endpoint
    sqlx::query("UPDATE transfers SET cancelled = true WHERE id = $1")
        .bind(id.into_inner())
        .execute(pool.get_ref())
        .await
        .map(|_| HttpResponse::NoContent().finish())
        .unwrap_or_else(|_| HttpResponse::NotFound().finish())
}

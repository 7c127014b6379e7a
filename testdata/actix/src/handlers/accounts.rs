//! `/api/accounts`: authenticated by the `AuthenticatedUser` extractor,
//! route by route.

use actix_web::{get, post, web, HttpResponse};
use sqlx::PgPool;

use crate::auth::AuthenticatedUser;
use crate::db;

#[get("")]
async fn list_accounts(user: AuthenticatedUser, pool: web::Data<PgPool>) -> HttpResponse { // expect: api/missing-rate-limit:warning
    let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM accounts WHERE owner = $1")  // expect: db/unbounded-query:warning
        .bind(user.id)
        .fetch_all(pool.get_ref())
        .await
        .unwrap_or_default();
    HttpResponse::Ok().json(ids.into_iter().map(|r| r.0).collect::<Vec<_>>())
}

#[post("")]
async fn open_account(user: AuthenticatedUser, pool: web::Data<PgPool>) -> HttpResponse { // expect: api/missing-rate-limit:warning
    sqlx::query!("INSERT INTO accounts (owner, balance) VALUES ($1, 0)", user.id)
        .execute(pool.get_ref())
        .await
        .map(|_| HttpResponse::Created().finish())
        .unwrap_or_else(|_| HttpResponse::InternalServerError().finish())
}

// The forgotten extractor: its siblings all take `AuthenticatedUser`.
#[get("/currencies")]
async fn currencies() -> HttpResponse { // expect: api/unauthenticated-endpoint:warning
    HttpResponse::Ok().json(["EUR", "USD"])
}

// Optional: anonymous callers get through and read any balance.
#[get("/{id}")]
async fn get_account(user: Option<AuthenticatedUser>, path: web::Path<i64>, pool: web::Data<PgPool>) -> HttpResponse { // expect: api/unauthenticated-endpoint:warning, api/missing-rate-limit:warning
    let _ = user;
    match db::balance(pool.get_ref(), path.into_inner()).await {
        Ok(b) => HttpResponse::Ok().json(b),
        Err(_) => HttpResponse::NotFound().finish(),
    }
}

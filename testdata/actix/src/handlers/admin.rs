//! `/api/admin`: role checks with actix-web-grants, on each handler.

use actix_web::{delete, get, web, HttpResponse};
use actix_web_grants::protect;
use sqlx::PgPool;

#[get("/audit")]
#[protect("ADMIN")]
async fn audit_log(pool: web::Data<PgPool>) -> HttpResponse { // expect: api/missing-rate-limit:warning
    let rows: Vec<(String,)> = sqlx::query_as("SELECT line FROM audit ORDER BY at DESC LIMIT 100")
        .fetch_all(pool.get_ref())
        .await
        .unwrap_or_default();
    HttpResponse::Ok().json(rows.into_iter().map(|r| r.0).collect::<Vec<_>>())
}

// Missing `#[protect("ADMIN")]`.
#[delete("/audit")]
async fn purge_audit(pool: web::Data<PgPool>) -> HttpResponse { // expect: api/unauthenticated-endpoint:error, api/missing-rate-limit:warning
    sqlx::query!("DELETE FROM audit").execute(pool.get_ref()).await.ok();
    HttpResponse::NoContent().finish()
}

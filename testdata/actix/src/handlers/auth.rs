use actix_web::{post, web, HttpResponse};
use actix_web_httpauth::extractors::bearer::BearerAuth;
use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::Argon2;
use serde::Deserialize;
use sqlx::PgPool;

#[derive(Deserialize)]
pub struct Credentials {
    email: String,
    password: String,
}

#[post("/login")]
pub async fn login(pool: web::Data<PgPool>, form: web::Json<Credentials>) -> HttpResponse { // ok: api/missing-rate-limit
    let row: Option<(i64, String)> = sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1")
        .bind(&form.email)
        .fetch_optional(pool.get_ref())
        .await
        .unwrap_or(None);
    match row {
        Some((id, _hash)) => HttpResponse::Ok().body(format!("{id}.token")),
        None => HttpResponse::Unauthorized().finish(),
    }
}

/// The pre-scope login path, kept for old clients: outside the governor.
pub async fn legacy_login(pool: web::Data<PgPool>, form: web::Json<Credentials>) -> HttpResponse { // expect: api/missing-rate-limit:error
    login(pool, form).await
}

#[post("/logout")]
pub async fn logout(auth: BearerAuth) -> HttpResponse { // ok: api/unauthenticated-endpoint
    HttpResponse::NoContent().body(auth.token().to_owned())
}

/// Registered with `.route(..)` outside the rate-limited `/auth` scope.
pub async fn register(pool: web::Data<PgPool>, form: web::Json<Credentials>) -> HttpResponse { // expect: api/missing-rate-limit:error
    let salt = SaltString::from_b64("c2FsdHNhbHRzYWx0").unwrap();
    let hash = Argon2::default().hash_password(form.password.as_bytes(), &salt).unwrap().to_string();
    sqlx::query("INSERT INTO users (email, password_hash) VALUES ($1, $2)")
        .bind(&form.email)
        .bind(hash)
        .execute(pool.get_ref())
        .await
        .map(|_| HttpResponse::Created().finish())
        .unwrap_or_else(|_| HttpResponse::Conflict().finish())
}

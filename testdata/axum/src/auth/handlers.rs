use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

use crate::db;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

pub async fn login(State(state): State<AppState>, Json(form): Json<Credentials>) -> Result<String, StatusCode> { // ok: api/missing-rate-limit
    let user = db::users::find_by_email(&state.pool, &form.email)
        .await
        .map_err(|_| StatusCode::UNAUTHORIZED)?;
    let hash = PasswordHash::new(&user.password_hash).map_err(|_| StatusCode::UNAUTHORIZED)?;
    Argon2::default()
        .verify_password(form.password.as_bytes(), &hash)
        .map_err(|_| StatusCode::UNAUTHORIZED)?;
    Ok(issue_token(&state.jwt_secret, user.id))
}

/// Old mobile clients still post here; same checks as `login`, no limit.
pub async fn legacy_login(state: State<AppState>, form: Json<Credentials>) -> Result<String, StatusCode> { // expect: api/missing-rate-limit:error
    login(state, form).await
}

pub async fn refresh(State(state): State<AppState>, body: String) -> Result<String, StatusCode> { // ok: api/missing-rate-limit
    let claims = decode_token(&state.jwt_secret, &body).map_err(|_| StatusCode::UNAUTHORIZED)?;
    Ok(issue_token(&state.jwt_secret, claims))
}

pub async fn register(State(state): State<AppState>, Json(form): Json<Credentials>) -> Result<StatusCode, AppError> { // expect: api/missing-rate-limit:error
    let salt = SaltString::generate(&mut rand::thread_rng());
    let hash = Argon2::default().hash_password(form.password.as_bytes(), &salt)?.to_string();
    db::users::insert(&state.pool, &form.email, &hash).await?;
    Ok(StatusCode::CREATED)
}

pub fn issue_token(secret: &str, user_id: i64) -> String {
    format!("{user_id}.{secret}")
}

pub fn decode_token(secret: &str, token: &str) -> Result<i64, ()> {
    token.strip_suffix(secret).and_then(|t| t.trim_end_matches('.').parse().ok()).ok_or(())
}

//! `/api/v1/users`: every route but the listing and the public profile
//! takes the `AuthUser` extractor.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use axum_extra::headers::authorization::Bearer;
use axum_extra::headers::Authorization;
use axum_extra::TypedHeader;

use crate::auth::AuthUser;
use crate::db::{self, users::User};
use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list_users))
        .route("/me", get(me).patch(update_me))
        .route("/me/sessions", delete(revoke_sessions))
        .route("/:id", get(profile))
}

// The forgotten extractor: every other route of this router is authenticated.
async fn list_users(State(state): State<AppState>) -> Result<Json<Vec<User>>, AppError> { // expect: api/unauthenticated-endpoint:warning, api/missing-rate-limit:warning
    Ok(Json(db::users::list(&state.pool).await?))
}

async fn me(user: AuthUser, State(state): State<AppState>) -> Result<Json<User>, AppError> { // expect: api/missing-rate-limit:warning
    Ok(Json(db::users::by_id(&state.pool, user.id).await?))
}

async fn update_me(AuthUser { id }: AuthUser, State(state): State<AppState>, Json(name): Json<String>) -> Result<StatusCode, AppError> { // expect: api/missing-rate-limit:warning
    sqlx::query!("UPDATE users SET name = $1 WHERE id = $2", name, id)
        .execute(&state.pool)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn revoke_sessions(TypedHeader(auth): TypedHeader<Authorization<Bearer>>) -> StatusCode { // ok: api/unauthenticated-endpoint
    tracing::info!(token = auth.token(), "revoking sessions");
    StatusCode::NO_CONTENT
}

// An optional extractor lets anonymous callers through.
async fn profile(maybe_user: Option<AuthUser>, Path(id): Path<i64>, State(state): State<AppState>) -> Result<Json<User>, AppError> { // expect: api/unauthenticated-endpoint:warning, api/missing-rate-limit:warning
    let mut user = db::users::by_id(&state.pool, id).await?;
    if maybe_user.map(|u| u.id) != Some(id) {
        user.email.clear();
    }
    Ok(Json(user))
}

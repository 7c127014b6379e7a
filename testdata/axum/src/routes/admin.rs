//! `/api/v1/admin`: the stats route is behind a bearer-token layer; the
//! routes added after it are not.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{any, delete, get, on, MethodFilter};
use axum::{middleware, Json, Router};
use tower_http::validate_request::ValidateRequestHeaderLayer;

use crate::auth::admin_guard;
use crate::db;
use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    let token = std::env::var("ADMIN_TOKEN").unwrap_or_default();
    let ops = Router::new()
        .route("/cache", on(MethodFilter::POST, flush_cache))
        .route("/reindex", any(reindex))
        .route_layer(middleware::from_fn(admin_guard));
    Router::new()
        .route("/stats", get(stats))
        .route_layer(ValidateRequestHeaderLayer::bearer(&token))
        .route("/users/:id", delete(delete_user))
        .route("/maintenance", on(MethodFilter::POST, maintenance))
        .route("/echo", any(echo))
        .merge(ops)
}

async fn stats(State(state): State<AppState>) -> Result<Json<i64>, AppError> { // expect: api/missing-rate-limit:warning
    Ok(Json(db::users::count(&state.pool).await?))
}

async fn delete_user(State(state): State<AppState>, Path(id): Path<i64>) -> Result<StatusCode, AppError> { // expect: api/unauthenticated-endpoint:error, api/missing-rate-limit:warning
    db::users::delete(&state.pool, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn maintenance() -> StatusCode { // expect: api/unauthenticated-endpoint:error
    StatusCode::ACCEPTED
}

// Accepts any method but only echoes: read-only, yet its router is authenticated elsewhere.
async fn echo(body: String) -> String { // expect: api/unauthenticated-endpoint:warning
    body
}

async fn flush_cache() -> StatusCode { // ok: api/unauthenticated-endpoint
    StatusCode::NO_CONTENT
}

async fn reindex() -> StatusCode { // ok: api/unauthenticated-endpoint
    StatusCode::ACCEPTED
}

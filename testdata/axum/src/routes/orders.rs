//! `/api/v1/orders`: guarded by the `require_auth` route layer, except the
//! receipt route, registered after the layer (axum layers only cover routes
//! added before them).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{get, post};
use axum::{Json, Router};
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::GovernorLayer;

use crate::auth::require_auth;
use crate::db::orders::{self, Order};
use crate::error::AppError;
use crate::state::AppState;

pub fn router(state: AppState) -> Router<AppState> {
    let governor = Arc::new(GovernorConfigBuilder::default().per_second(10).finish().unwrap());
    Router::new()
        .route("/", get(list_orders).post(create_order))
        .route("/:id", get(get_order).delete(cancel_order))
        .route_layer(middleware::from_fn_with_state(state, require_auth))
        .route("/:id/receipt", post(resend_receipt))
        .layer(GovernorLayer { config: governor })
}

async fn list_orders(State(state): State<AppState>) -> Result<Json<Vec<Order>>, AppError> { // ok: api/unauthenticated-endpoint
    Ok(Json(orders::list(&state.pool).await?))
}

async fn create_order(State(state): State<AppState>, Json(order): Json<Order>) -> Result<StatusCode, AppError> { // ok: api/unauthenticated-endpoint
    orders::insert(&state.pool, &order).await?;
    Ok(StatusCode::CREATED)
}

async fn get_order(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Json<Order>, AppError> { // ok: api/unauthenticated-endpoint
    Ok(Json(orders::by_id(&state.pool, id).await?))
}

async fn cancel_order(State(state): State<AppState>, Path(id): Path<i64>) -> Result<StatusCode, AppError> { // ok: api/unauthenticated-endpoint
    sqlx::query("UPDATE orders SET status = 'cancelled' WHERE id = $1")
        .bind(id)
        .execute(&state.pool)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// Added after the route layer: anyone can trigger receipts for any order.
async fn resend_receipt(State(state): State<AppState>, Path(id): Path<i64>) -> Result<StatusCode, AppError> { // expect: api/unauthenticated-endpoint:error
    let order = orders::by_id(&state.pool, id).await?;
    tracing::info!(order = order.id, "receipt queued");
    Ok(StatusCode::ACCEPTED)
}

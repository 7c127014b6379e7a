//! Public catalog routes; the search route carries its own rate limit.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::GovernorLayer;

use crate::db::{self, products::Product};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct Search {
    q: String,
}

pub fn router() -> Router<AppState> {
    let per_ip = Arc::new(GovernorConfigBuilder::default().per_second(1).finish().unwrap());
    Router::new()
        .route("/products", get(list_products))
        .route("/products/search", get(search).layer(GovernorLayer { config: per_ip }))
}

async fn list_products(State(state): State<AppState>) -> Result<Json<Vec<Product>>, AppError> { // expect: api/unauthenticated-endpoint:note, api/missing-rate-limit:warning
    Ok(Json(db::products::all(&state.pool).await?))
}

async fn search(State(state): State<AppState>, Query(s): Query<Search>) -> Result<Json<Vec<Product>>, AppError> { // expect: api/unauthenticated-endpoint:note
    Ok(Json(db::products::search(&state.pool, &s.q).await?)) // ok: api/missing-rate-limit
}

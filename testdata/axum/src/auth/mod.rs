//! Authentication: the `AuthUser` extractor, the `require_auth` middleware,
//! and the login/registration routes.

mod extract;
mod handlers;
mod middleware;

use std::sync::Arc;

use axum::routing::post;
use axum::Router;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::GovernorLayer;

use crate::state::AppState;

pub use extract::AuthUser;
pub use middleware::{admin_guard, require_auth};

pub fn routes() -> Router<AppState> {
    let governor = GovernorConfigBuilder::default()
        .per_second(2)
        .burst_size(5)
        .finish()
        .unwrap();
    Router::new()
        .route("/auth/login", post(handlers::login))
        .route("/auth/token/refresh", post(handlers::refresh))
        .layer(GovernorLayer { config: Arc::new(governor) })
        // Registered after the governor layer: not rate-limited.
        .route("/auth/register", post(handlers::register))
        .route("/auth/v1/login", post(handlers::legacy_login))
}

//! The `/api` router, assembled from one router per resource.

mod admin;
mod catalog;
mod orders;
mod users;

use axum::routing::post;
use axum::Router;

use crate::state::AppState;

/// Webhooks, kept in an inline module: the router names their handlers by
/// path (`webhooks::receive`), as small services often do in `main.rs`.
mod webhooks {
    use crate::auth::extract::AuthUser;

    pub async fn receive(_user: AuthUser) -> &'static str { // ok: api/unauthenticated-endpoint
        "accepted"
    }

    pub mod admin {
        pub async fn replay() -> &'static str { // expect: api/unauthenticated-endpoint:error
            "replayed"
        }
    }
}

/// Status hooks: an inline module that builds its own router and names its
/// handlers as Rust does inside it (`ping`, `self::sync`).
mod hooks {
    use axum::routing::{get, post};
    use axum::Router;

    use crate::auth::extract::AuthUser;
    use crate::state::AppState;

    pub fn router() -> Router<AppState> {
        Router::new()
            .route("/ping", get(ping))
            .route("/sync", post(self::sync))
    }

    async fn ping(_user: AuthUser) -> &'static str { // ok: api/unauthenticated-endpoint
        "pong"
    }

    async fn sync() -> &'static str { // expect: api/unauthenticated-endpoint:error
        "synced"
    }
}

pub fn api_router(state: AppState) -> Router<AppState> {
    let v1 = Router::new()
        .nest("/users", users::router())
        .nest("/orders", orders::router(state.clone()))
        .nest("/admin", admin::router())
        .merge(catalog::router())
        .route("/webhooks/events", post(webhooks::receive))
        .route("/webhooks/replay", post(self::webhooks::admin::replay))
        .nest("/hooks", hooks::router());
    Router::new().nest("/v1", v1)
}

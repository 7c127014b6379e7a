//! The application router: public probes, the auth flows and the API.

use axum::body::Body;
use axum::http::{Request, Response};
use axum::response::Redirect;
use axum::routing::get;
use axum::Router;
use tower::service_fn;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

use crate::state::AppState;
use crate::{auth, routes};

async fn health() -> &'static str { // ok: api/unauthenticated-endpoint
    "ok"
}

async fn version() -> &'static str { // expect: api/unauthenticated-endpoint:note
    env!("CARGO_PKG_VERSION")
}

async fn metrics(_req: Request<Body>) -> Result<Response<Body>, std::convert::Infallible> { // expect: api/unauthenticated-endpoint:note
    Ok(Response::new(Body::from("requests_total 0")))
}

pub fn build(state: AppState) -> Router {
    let app = Router::new()
        .route("/", get(|| async { Redirect::permanent("/docs") })) // expect: api/unauthenticated-endpoint:note
        .route("/health", get(health))
        .route_service("/metrics", service_fn(metrics))
        .merge(auth::routes())
        .nest("/api", routes::api_router(state.clone()))
        .nest_service("/assets", ServeDir::new("assets"));
    let app = app.route("/version", get(version));
    app.layer(TraceLayer::new_for_http()).with_state(state)
}

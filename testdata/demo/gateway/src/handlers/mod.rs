pub mod accounts;

use axum::Json;

pub async fn health() -> &'static str { // ok: api/unauthenticated-endpoint
    "ok"
}

pub async fn login(Json(body): Json<Credentials>) -> String { // ok: api/missing-rate-limit
    body.user
}

pub async fn signup(Json(body): Json<Credentials>) -> String { // expect: api/missing-rate-limit:error
    body.user
}

#[derive(serde::Deserialize)]
pub struct Credentials {
    pub user: String,
    pub password: String,
}

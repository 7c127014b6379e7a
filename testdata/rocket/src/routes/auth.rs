//! Login (rate-limited by a rocket_governor guard), password reset (not).

use argon2::{Argon2, PasswordHash, PasswordVerifier};
use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::Route;
use rocket_db_pools::Connection;
use rocket_governor::RocketGovernor;
use serde::Deserialize;

use crate::db::Blog;
use crate::guards::{LoginLimit, User};

#[derive(Deserialize)]
pub struct Credentials {
    email: String,
    password: String,
}

pub fn routes() -> Vec<Route> {
    routes![login, forgot_password, me]
}

#[post("/login", data = "<creds>")]
async fn login(_limit: RocketGovernor<'_, LoginLimit>, mut db: Connection<Blog>, creds: Json<Credentials>) -> Result<String, Status> { // ok: api/missing-rate-limit
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE email = $1")
        .bind(&creds.email)
        .fetch_one(&mut **db)
        .await
        .map_err(|_| Status::Unauthorized)?;
    let parsed = PasswordHash::new(&hash).map_err(|_| Status::Unauthorized)?;
    Argon2::default()
        .verify_password(creds.password.as_bytes(), &parsed)
        .map_err(|_| Status::Unauthorized)?;
    Ok("token".into())
}

#[post("/forgot-password", data = "<email>")]
async fn forgot_password(mut db: Connection<Blog>, email: String) -> Status { // expect: api/missing-rate-limit:error
    let _ = sqlx::query("INSERT INTO reset_requests (email) VALUES ($1)")
        .bind(email)
        .execute(&mut **db)
        .await;
    Status::Accepted
}

#[get("/me")]
fn me(user: User) -> String { // ok: api/unauthenticated-endpoint
    format!("user {}", user.id)
}

//! `/admin`: guarded by `AdminUser` or an `ApiKey`, except the user
//! deletion route, which forgot its guard.

use rocket::http::Status;
use rocket_db_pools::Connection;

use crate::db::Blog;
use crate::guards::{AdminUser, ApiKey};

/// A separate admin login, without the governor guard of `/auth/login`.
#[post("/login", data = "<password>")]
pub fn login(password: String) -> Status { // expect: api/missing-rate-limit:error
    if password == std::env::var("ADMIN_PASSWORD").unwrap_or_default() {
        Status::Ok
    } else {
        Status::Unauthorized
    }
}

#[get("/")]
pub fn dashboard(admin: AdminUser) -> String { // ok: api/unauthenticated-endpoint
    format!("hello admin {}", admin.0.id)
}

#[get("/stats")]
pub async fn stats(_key: ApiKey, mut db: Connection<Blog>) -> String { // expect: api/missing-rate-limit:warning
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM posts")
        .fetch_one(&mut **db)
        .await
        .unwrap_or(0);
    n.to_string()
}

#[delete("/users/<id>")]
pub async fn delete_user(id: i64, mut db: Connection<Blog>) -> Status { // expect: api/unauthenticated-endpoint:error, api/missing-rate-limit:warning
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(id)
        .execute(&mut **db)
        .await
        .map(|_| Status::NoContent)
        .unwrap_or(Status::NotFound)
}

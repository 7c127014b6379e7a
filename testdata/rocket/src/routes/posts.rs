//! Posts and comments. Everything under `/api` takes the `User` guard but
//! the routes marked below; `/api/public` is the anonymous read side.

use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::Route;
use rocket_db_pools::Connection;
use serde::{Deserialize, Serialize};

use crate::db::{self, Blog};
use crate::guards::User;

#[derive(Serialize, Deserialize)]
pub struct Post {
    title: String,
    body: String,
}

pub fn routes() -> Vec<Route> {
    routes![create_post, update_post, drafts, get_post, feed, like_post, delete_comment]
}

pub fn public_routes() -> Vec<Route> {
    routes![list_posts]
}

#[get("/posts")]
async fn list_posts(mut db: Connection<Blog>) -> Json<Vec<String>> { // expect: api/unauthenticated-endpoint:note, api/missing-rate-limit:warning
    let titles = sqlx::query_scalar("SELECT title FROM posts WHERE published ORDER BY id DESC")  // expect: db/unbounded-query:warning
        .fetch_all(&mut **db)
        .await
        .unwrap_or_default();
    Json(titles)
}

#[post("/posts", data = "<post>")]
async fn create_post(user: User, mut db: Connection<Blog>, post: Json<Post>) -> Status { // expect: api/missing-rate-limit:warning
    sqlx::query("INSERT INTO posts (author, title, body) VALUES ($1, $2, $3)")
        .bind(user.id)
        .bind(&post.title)
        .bind(&post.body)
        .execute(&mut **db)
        .await
        .map(|_| Status::Created)
        .unwrap_or(Status::InternalServerError)
}

#[route(PUT, uri = "/posts/<id>", data = "<post>")]
async fn update_post(id: i64, user: User, mut db: Connection<Blog>, post: Json<Post>) -> Status { // expect: api/missing-rate-limit:warning
    sqlx::query!("UPDATE posts SET title = $1, body = $2 WHERE id = $3 AND author = $4", post.title, post.body, id, user.id)
        .execute(&mut **db)
        .await
        .map(|_| Status::NoContent)
        .unwrap_or(Status::NotFound)
}

// The forgotten guard: drafts are private.
#[get("/drafts")]
async fn drafts(mut db: Connection<Blog>) -> Json<Vec<String>> { // expect: api/unauthenticated-endpoint:warning, api/missing-rate-limit:warning
    let titles = sqlx::query_scalar("SELECT title FROM posts WHERE NOT published")  // expect: db/unbounded-query:warning
        .fetch_all(&mut **db)
        .await
        .unwrap_or_default();
    Json(titles)
}

// `Option<User>` never fails: anonymous callers get through.
#[get("/posts/<id>")]
async fn get_post(id: i64, user: Option<User>, mut db: Connection<Blog>) -> Option<String> { // expect: api/unauthenticated-endpoint:warning, api/missing-rate-limit:warning
    let _ = user;
    db::post_title(&mut db, id).await
}

// `Result<User, _>` does not fail either.
#[get("/feed")]
fn feed(user: Result<User, &'static str>) -> String { // expect: api/unauthenticated-endpoint:warning
    match user {
        Ok(u) => format!("feed for {}", u.id),
        Err(_) => "public feed".into(),
    }
}

#[post("/posts/<id>/like")]
fn like_post(id: i64) -> Status { // expect: api/unauthenticated-endpoint:error
    let _ = id;
    Status::Accepted
}

#[delete("/comments/<id>")]
async fn delete_comment(id: i64, mut db: Connection<Blog>) -> Status { // expect: api/unauthenticated-endpoint:error, api/missing-rate-limit:warning
    sqlx::query("DELETE FROM comments WHERE id = $1")
        .bind(id)
        .execute(&mut **db)
        .await
        .map(|_| Status::NoContent)
        .unwrap_or(Status::NotFound)
}

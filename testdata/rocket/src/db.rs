use rocket_db_pools::{sqlx, Database};

#[derive(Database)]
#[database("blog")]
pub struct Blog(sqlx::PgPool);

pub async fn post_title(conn: &mut sqlx::PgConnection, id: i64) -> Option<String> {
    sqlx::query_scalar("SELECT title FROM posts WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
        .ok()
        .flatten()
}

//! Rows as diesel loads them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

#[derive(Queryable, Selectable, Serialize)]
#[diesel(table_name = crate::schema::users)]
pub struct User {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Identifiable, Associations, Serialize)]
#[diesel(belongs_to(User, foreign_key = author_id))]
#[diesel(table_name = crate::schema::posts)]
pub struct Post {
    pub id: i32,
    pub author_id: i32,
    pub title: String,
    pub slug: String,
    pub published: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Serialize)]
#[diesel(table_name = crate::schema::comments)]
pub struct Comment {
    pub id: i32,
    pub post_id: i32,
    pub body: String,
    pub created_at: NaiveDateTime,
}

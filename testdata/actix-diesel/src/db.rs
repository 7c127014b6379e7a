//! The connection pool and lookups shared by the handlers.

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};

use crate::models::User;
use crate::schema::users;

pub type DbPool = Pool<ConnectionManager<PgConnection>>;

pub fn pool(url: &str) -> DbPool {
    Pool::builder()
        .build(ConnectionManager::<PgConnection>::new(url))
        .expect("database pool")
}

/// One user by primary key.
pub fn author_of(conn: &mut PgConnection, id: i32) -> QueryResult<User> {
    users::table.find(id).first::<User>(conn) // ok: db/missing-index
}

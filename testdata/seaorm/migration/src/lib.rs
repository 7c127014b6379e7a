//! The migrations, applied in this order (their file names sort the same way).

pub use sea_orm_migration::prelude::*;

mod m20240101_000001_create_users;
mod m20240102_000001_create_notes;
mod m20240103_000001_create_comments;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20240101_000001_create_users::Migration),
            Box::new(m20240102_000001_create_notes::Migration),
            Box::new(m20240103_000001_create_comments::Migration),
        ]
    }
}

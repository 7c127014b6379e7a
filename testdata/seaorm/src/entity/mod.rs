//! Entities as sea-orm-cli generates them: one module per table.

pub mod prelude;

pub mod comments;
pub mod notes;
pub mod users;

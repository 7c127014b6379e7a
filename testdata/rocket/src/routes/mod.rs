pub mod admin;
pub mod auth;
pub mod health;
pub mod posts;

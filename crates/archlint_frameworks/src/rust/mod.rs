//! Rust frameworks: axum, actix-web, rocket.

pub mod actix;
pub mod axum;
pub mod common;
pub mod rocket;

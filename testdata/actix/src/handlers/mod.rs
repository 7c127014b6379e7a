pub mod accounts;
pub mod admin;
pub mod auth;
pub mod health;
pub mod public;
pub mod transfers;
pub mod webhooks;

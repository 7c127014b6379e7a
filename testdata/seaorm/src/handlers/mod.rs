pub mod notes;
pub mod users;

use axum::http::StatusCode;

pub fn internal<E: std::fmt::Display>(_: E) -> StatusCode {
    StatusCode::INTERNAL_SERVER_ERROR
}

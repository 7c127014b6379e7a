//! board_common: request types, the dispatch trait, and session helpers.
//! Each request type carries its own logic in a `Perform` impl (board_api);
//! the server registers one generic handler per HTTP shape.

use serde::Deserialize;

pub struct Context {
    pub secret: String,
}

pub struct User {
    pub id: i64,
    pub admin: bool,
}

#[derive(Debug)]
pub struct ApiError(pub &'static str);

pub trait Perform {
    type Response;
    async fn perform(&self, context: &Context) -> Result<Self::Response, ApiError>;
}

#[derive(Deserialize, Clone)]
pub struct AddAdmin {
    pub person_id: i64,
    pub auth: String,
}

#[derive(Deserialize, Clone)]
pub struct JoinRoom {
    pub room_id: i64,
}

#[derive(Deserialize, Clone)]
pub struct GetFeed {
    pub auth: Option<String>,
}

#[derive(Deserialize, Clone)]
pub struct Claims {
    pub sub: i64,
}

impl Claims {
    pub fn decode(jwt: &str, secret: &str) -> Result<Claims, ApiError> {
        jsonwebtoken::decode(jwt, secret).map_err(|_| ApiError("not_logged_in"))
    }
}

/// The signed-in user, or an error when the token is missing or invalid.
pub fn user_from_jwt(jwt: &str, context: &Context) -> Result<User, ApiError> {
    let claims = Claims::decode(jwt, &context.secret)?;
    Ok(User {
        id: claims.sub,
        admin: false,
    })
}

/// The signed-in user when a token is given: anonymous callers get through.
pub fn user_from_jwt_opt(jwt: Option<&str>, context: &Context) -> Result<Option<User>, ApiError> {
    match jwt {
        Some(jwt) => Ok(Some(user_from_jwt(jwt, context)?)),
        None => Ok(None),
    }
}

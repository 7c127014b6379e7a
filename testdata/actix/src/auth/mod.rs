//! Bearer-token authentication: the validator for `HttpAuthentication` and
//! the `AuthenticatedUser` extractor.

use std::future::{ready, Ready};

use actix_web::dev::{Payload, ServiceRequest};
use actix_web::error::ErrorUnauthorized;
use actix_web::http::header;
use actix_web::{Error, FromRequest, HttpRequest};
use actix_web_httpauth::extractors::bearer::BearerAuth;

pub struct AuthenticatedUser {
    pub id: i64,
}

impl FromRequest for AuthenticatedUser {
    type Error = Error;
    type Future = Ready<Result<Self, Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let id = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .and_then(user_for_token);
        ready(id.map(|id| AuthenticatedUser { id }).ok_or_else(|| ErrorUnauthorized("missing token")))
    }
}

pub fn user_for_token(token: &str) -> Option<i64> {
    token.split('.').next()?.parse().ok()
}

pub async fn validator(req: ServiceRequest, credentials: BearerAuth) -> Result<ServiceRequest, (Error, ServiceRequest)> {
    match user_for_token(credentials.token()) {
        Some(_) => Ok(req),
        None => Err((ErrorUnauthorized("invalid token"), req)),
    }
}

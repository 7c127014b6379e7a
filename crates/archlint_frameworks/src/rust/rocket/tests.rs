//! One test per rocket feature: attribute forms, mounts with bases, mounts
//! spread over functions and variables, request guards, groups.

use super::routes;
use crate::rust::common::testutil::{auth_scopes, find, labels, rate_scopes, routes_of};
use archlint_model::{Route, Scope};

fn run(files: &[(&str, &str)]) -> Vec<Route> {
    routes_of(files, routes)
}

#[test]
fn attribute_forms_mounted_under_a_base() {
    let s = r#"
#[macro_use] extern crate rocket;
mod admin;
#[get("/")]
fn index() -> &'static str { "hi" }
#[post("/login", data = "<form>")]
fn login(form: Form<Login>) {}
#[route(GET, uri = "/x")]
fn x() {}
#[delete("/<id>")]
fn remove(id: i64) {}
#[get("/orphan")]
fn orphan() {}
#[launch]
fn rocket() -> _ {
    rocket::build()
        .mount("/", routes![index, login])
        .mount("/api", routes![x, remove, admin::create])
}
"#;
    let admin = "#[post(\"/admin\")]\npub fn create() {}\n";
    let r = run(&[("src/main.rs", s), ("src/admin.rs", admin)]);
    assert_eq!(
        labels(&r),
        [
            "GET / index",
            "DELETE /api/<id> remove",
            "POST /api/admin create",
            "GET /api/x x",
            "POST /login login"
        ]
    );
    assert!(r.iter().all(|r| r.registration.is_some()));
}

#[test]
fn mounted_twice_is_two_routes() {
    let s = r#"
use rocket::{get, routes};
#[get("/status")]
fn status() {}
#[rocket::main]
async fn main() {
    let _ = rocket::build().mount("/v1", routes![status]).mount("/v2", routes![status]).launch().await;
}
"#;
    let r = run(&[("src/main.rs", s)]);
    assert_eq!(
        labels(&r),
        ["GET /v1/status status", "GET /v2/status status"]
    );
    assert_eq!(find(&r, "/v1/status", "status").group, "rocket:mount:/v1");
}

#[test]
fn mounts_spread_over_functions_and_variables() {
    let s = r#"
use rocket::{get, routes, Route};
mod api;
#[get("/a")]
fn a() {}
#[launch]
fn rocket() -> _ {
    let base = routes![a];
    rocket::build().mount("/", base).mount("/api", api::routes()).attach(stage())
}
fn stage() -> AdHoc {
    AdHoc::on_ignite("extra", |rocket| async { rocket.mount("/extra", routes![a]) })
}
"#;
    let api = r#"
use rocket::{get, routes, Route};
#[get("/b")]
fn b() {}
#[get("/c")]
fn c() {}
pub fn routes() -> Vec<Route> { routes![b].into_iter().chain(routes![c]).collect() }
"#;
    let r = run(&[("src/main.rs", s), ("src/api.rs", api)]);
    assert_eq!(
        labels(&r),
        ["GET /a a", "GET /api/b b", "GET /api/c c", "GET /extra/a a"]
    );
}

#[test]
fn request_guards() {
    let s = r#"
use rocket::{get, post, routes};
mod guards;
#[get("/a")]
fn a(user: guards::User) {}
#[get("/b")]
fn b(user: Option<guards::User>) {}
#[get("/c")]
fn c(user: Result<guards::User, Status>) {}
#[post("/d")]
fn d(admin: AdminUser, key: ApiKey) {}
#[post("/e")]
fn e(_limit: RocketGovernor<'_, RateLimitGuard>) {}
#[get("/f")]
fn f(token: guards::AuthToken) {}
#[launch]
fn rocket() -> _ { rocket::build().mount("/", routes![a, b, c, d, e, f]) }
"#;
    let guards = r#"
pub struct User;
#[rocket::async_trait]
impl<'r> FromRequest<'r> for User {}
pub struct AuthToken;
impl<'r> rocket::request::FromRequest<'r> for AuthToken {}
"#;
    let r = run(&[("src/main.rs", s), ("src/guards.rs", guards)]);
    assert_eq!(auth_scopes(find(&r, "/a", "a")), [Scope::Route]);
    assert_eq!(find(&r, "/a", "a").auth[0].what, "user: guards::User");
    assert!(find(&r, "/b", "b").auth.is_empty());
    assert!(find(&r, "/c", "c").auth.is_empty());
    assert_eq!(
        auth_scopes(find(&r, "/d", "d")),
        [Scope::Route, Scope::Route]
    );
    assert_eq!(rate_scopes(find(&r, "/e", "e")), [Scope::Route]);
    assert_eq!(auth_scopes(find(&r, "/f", "f")), [Scope::Route]);
}

#[test]
fn other_frameworks_mount_nothing() {
    let s = r#"
async fn h() {}
fn main() { server.mount("/x", handler_list()); }
"#;
    assert!(run(&[("src/main.rs", s)]).is_empty());
}

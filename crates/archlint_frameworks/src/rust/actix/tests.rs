//! One test per actix-web feature: attribute routes and their registration,
//! scopes, resources, route specs, configure functions, server closures,
//! wraps and their scopes, extractors and grants attributes, groups.

use super::routes;
use crate::rust::common::testutil::{auth_scopes, find, labels, rate_scopes, routes_of};
use archlint_model::{Route, Scope};

fn run(files: &[(&str, &str)]) -> Vec<Route> {
    routes_of(files, routes)
}

fn src(body: &str) -> String {
    format!("use actix_web::{{get, post, route, web, App, HttpServer}};\n{body}")
}

#[test]
fn attribute_routes_need_registration() {
    let s = src(r#"
#[get("/users")]
async fn list() -> HttpResponse { todo!() }
#[post("/users")]
async fn create() -> HttpResponse { todo!() }
#[get("/orphan")]
async fn orphan() -> HttpResponse { todo!() }
#[route("/multi", method = "GET", method = "POST")]
async fn multi() -> HttpResponse { todo!() }
fn app() -> App { App::new().service(list).service((create, multi)) }
"#);
    let r = run(&[("src/main.rs", &s)]);
    assert_eq!(
        labels(&r),
        [
            "GET, POST /multi multi",
            "GET /users list",
            "POST /users create"
        ]
    );
    assert!(r[1].registration.is_some());
}

#[test]
fn scopes_resources_and_route_specs() {
    let s = src(r#"
#[get("/items")]
async fn items() {}
async fn add() {}
async fn show() {}
async fn replace() {}
async fn anything() {}
async fn ping() {}
async fn upload() {}
fn app() -> App {
    App::new()
        .route("/ping", web::get().to(ping))
        .service(
            web::scope("/api")
                .service(items)
                .route("/items", web::post().to(add))
                .service(web::resource("/items/{id}").route(web::get().to(show)).route(web::put().to(replace)))
                .service(web::resource("/any").to(anything))
                .route("/upload", web::method(Method::PATCH).to(upload)),
        )
        // actix-web inserts the leading slash a pattern lacks.
        .route(".well-known/ping", web::get().to(ping))
        .service(web::scope("v2").service(web::resource("any").to(anything)))
}
"#);
    let r = run(&[("src/main.rs", &s)]);
    assert_eq!(
        labels(&r),
        [
            "GET /.well-known/ping ping",
            "ANY /api/any anything",
            "GET /api/items items",
            "POST /api/items add",
            "GET /api/items/{id} show",
            "PUT /api/items/{id} replace",
            "PATCH /api/upload upload",
            "GET /ping ping",
            "ANY /v2/any anything"
        ]
    );
}

#[test]
fn configure_functions_across_modules() {
    let main = src(r#"
mod routes;
fn app() -> App {
    App::new()
        .configure(routes::config)
        .service(web::scope("/admin").configure(|cfg| { cfg.route("/stats", web::get().to(routes::stats)); }))
}
"#);
    let routes_rs = r#"
use actix_web::{get, web};
#[get("/me")]
pub async fn me() {}
pub async fn login() {}
pub async fn stats() {}
#[get("/orders")]
pub async fn orders() {}
pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::scope("/users").service(me));
    cfg.route("/login", web::post().to(login));
    orders_config(cfg);
}
fn orders_config(cfg: &mut web::ServiceConfig) {
    cfg.service(orders);
}
"#;
    let r = run(&[("src/main.rs", &main), ("src/routes.rs", routes_rs)]);
    assert_eq!(
        labels(&r),
        [
            "GET /admin/stats stats",
            "POST /login login",
            "GET /orders orders",
            "GET /users/me me"
        ]
    );
}

#[test]
fn apps_inside_server_closures() {
    let s = src(r#"
#[get("/a")]
async fn a() {}
#[get("/b")]
async fn b() {}
#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| App::new().service(a)).bind(("0.0.0.0", 80))?.run().await?;
    HttpServer::new(move || {
        let app = App::new().service(b);
        app.wrap(HttpAuthentication::bearer(validator))
    })
    .bind(("0.0.0.0", 81))?
    .run()
    .await
}
"#);
    let r = run(&[("src/main.rs", &s)]);
    assert_eq!(labels(&r), ["GET /a a", "GET /b b"]);
    assert!(find(&r, "/a", "a").auth.is_empty());
    assert_eq!(auth_scopes(find(&r, "/b", "b")), [Scope::App]);
}

#[test]
fn wraps_cover_all_services_whatever_the_order() {
    let s = src(r#"
#[get("/a")]
async fn a() {}
#[post("/b")]
async fn b() {}
async fn c() {}
#[post("/login")]
async fn login() {}
fn api() -> actix_web::Scope {
    web::scope("/api")
        .service(a)
        .wrap(HttpAuthentication::bearer(validator))
        .service(b)
        .service(web::resource("/c").route(web::post().to(c)).wrap(RateLimiter::default()))
}
fn app() -> App {
    let governor = Governor::new(&conf);
    App::new().service(login).service(api()).wrap(governor)
}
"#);
    let r = run(&[("src/main.rs", &s)]);
    assert_eq!(auth_scopes(find(&r, "/api/a", "a")), [Scope::Router]);
    assert_eq!(
        auth_scopes(find(&r, "/api/b", "b")),
        [Scope::Router],
        "wrap added before still covers"
    );
    assert_eq!(
        rate_scopes(find(&r, "/api/c", "c")),
        [Scope::Route, Scope::App]
    );
    assert!(find(&r, "/login", "login").auth.is_empty());
    assert_eq!(rate_scopes(find(&r, "/login", "login")), [Scope::App]);
}

#[test]
fn wrap_fn_closure_checked_by_body() {
    let s = src(r#"
#[get("/a")]
async fn a() {}
#[get("/b")]
async fn b() {}
fn app() -> App {
    App::new()
        .service(web::scope("/s").service(a).wrap_fn(|req, srv| {
            if req.headers().get("Authorization").is_none() {
                return Box::pin(async { Err(actix_web::error::ErrorUnauthorized("no token")) });
            }
            srv.call(req)
        }))
        .service(web::scope("/t").service(b).wrap_fn(|req, srv| { let auth = 1; srv.call(req) }))
}
"#);
    let r = run(&[("src/main.rs", &s)]);
    assert_eq!(auth_scopes(find(&r, "/s/a", "a")), [Scope::Router]);
    assert!(find(&r, "/t/b", "b").auth.is_empty());
}

#[test]
fn extractors_and_grants_attributes() {
    let s = src(r#"
mod auth;
#[get("/a")]
async fn bearer(auth: BearerAuth) {}
#[get("/b")]
async fn maybe(id: Option<Identity>) {}
#[get("/c")]
async fn custom(user: auth::LoggedUser, db: web::Data<Pool>) {}
#[get("/d")]
#[protect("ADMIN")]
async fn admin() {}
#[get("/e")]
async fn claims(c: web::ReqData<Claims>) {}
fn app() -> App { App::new().service(bearer).service(maybe).service(custom).service(admin).service(claims) }
"#);
    let auth = "pub struct LoggedUser;\nimpl FromRequest for LoggedUser {}\n";
    let r = run(&[("src/main.rs", &s), ("src/auth.rs", auth)]);
    for (p, h) in [
        ("/a", "bearer"),
        ("/c", "custom"),
        ("/d", "admin"),
        ("/e", "claims"),
    ] {
        assert_eq!(auth_scopes(find(&r, p, h)), [Scope::Route], "{p}");
    }
    assert!(find(&r, "/b", "maybe").auth.is_empty());
    assert_eq!(
        find(&r, "/d", "admin").auth[0].what,
        "#[protect(\"ADMIN\")]"
    );
}

#[test]
fn groups_are_scopes_or_the_app() {
    let s = src(r#"
#[get("/a")]
async fn a() {}
#[get("/b")]
async fn b() {}
#[get("/c")]
async fn c() {}
async fn d() {}
fn feeds(cfg: &mut web::ServiceConfig) {
    cfg.route("/feed", web::get().to(d));
}
fn app() -> App {
    App::new().service(a).service(web::scope("/v1").service(b).service(web::resource("/r").route(web::get().to(c))))
        .configure(feeds)
}
"#);
    let r = run(&[("src/main.rs", &s)]);
    assert_eq!(find(&r, "/a", "a").group, "actix:app:src/main.rs:app");
    assert_eq!(
        find(&r, "/feed", "d").group,
        "actix:config:src/main.rs:feeds",
        "a configure function's routes are a group of their own"
    );
    let b = &find(&r, "/v1/b", "b").group;
    assert!(
        b.starts_with("actix:scope:src/main.rs:") && b.ends_with(":/v1"),
        "{b}"
    );
    assert_eq!(
        &find(&r, "/v1/r", "c").group,
        b,
        "a resource belongs to its scope"
    );
}

#[test]
fn services_macro_and_scope_functions_in_variables() {
    let s = src(r#"
#[get("/a")]
async fn a() {}
#[get("/b")]
async fn b() {}
fn app() -> App {
    let v1 = web::scope("/v1").service(services![a, b]);
    App::new().service(v1)
}
"#);
    let r = run(&[("src/main.rs", &s)]);
    assert_eq!(labels(&r), ["GET /v1/a a", "GET /v1/b b"]);
}

#[test]
fn project_middleware_types_recognised_by_their_service() {
    let main = src(r#"
mod middleware;
#[get("/a")]
async fn a() {}
#[get("/b")]
async fn b() {}
fn app() -> App {
    App::new()
        .service(web::scope("/internal").wrap(middleware::Internal(key.clone())).service(a))
        .service(web::scope("/timed").wrap(middleware::Timing).service(b))
}
"#);
    let mw = r#"
pub struct Internal(pub Option<String>);
pub struct InternalMiddleware<S>(Option<String>, S);
struct ApiError;
impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode { StatusCode::UNAUTHORIZED }
}
impl<S> Transform<S, ServiceRequest> for Internal {
    fn new_transform(&self, service: S) -> Self::Future { ready(Ok(InternalMiddleware(self.0.clone(), service))) }
}
impl<S> Service<ServiceRequest> for InternalMiddleware<S> {
    fn call(&self, req: ServiceRequest) -> Self::Future {
        if let Some(value) = req.headers().get("x-api-token") { return self.1.call(req); }
        InternalFuture::Error { error: Some(ApiError) }
    }
}
"#;
    let timing = r#"
pub struct Timing;
pub struct TimingMiddleware<S>(S);
impl<S> Transform<S, ServiceRequest> for Timing {}
impl<S> Service<ServiceRequest> for TimingMiddleware<S> {
    fn call(&self, req: ServiceRequest) -> Self::Future { let t = Instant::now(); self.0.call(req) }
}
fn fail() -> StatusCode { StatusCode::FORBIDDEN }
"#;
    let r = run(&[
        ("src/main.rs", &main),
        (
            "src/middleware/mod.rs",
            "mod internal; mod timing; pub use internal::Internal; pub use timing::Timing;",
        ),
        ("src/middleware/internal.rs", mw),
        ("src/middleware/timing.rs", timing),
    ]);
    assert_eq!(auth_scopes(find(&r, "/internal/a", "a")), [Scope::Router]);
    assert!(find(&r, "/timed/b", "b").auth.is_empty());
}

#[test]
fn branches_unknown_prefixes_and_budgets() {
    let s = src(r#"
#[get("/a")]
async fn a() {}
fn app(prefix: &str) -> App {
    let app = if cfg!(debug_assertions) { App::new().service(web::scope(prefix).service(a)) } else { App::new() };
    app.wrap(HttpAuthentication::bearer(validator))
}
"#);
    let r = run(&[("src/main.rs", &s)]);
    assert_eq!(labels(&r), ["GET /a a"]);
    assert_eq!(
        auth_scopes(&r[0]),
        [Scope::App],
        "reported once, with the wrap after the branch"
    );
}

#[test]
fn attribute_wrap_and_returned_app_variable() {
    let s = src(r#"
#[get("/a", wrap = "HttpAuthentication::bearer(validator)")]
async fn a() {}
#[post("/b", wrap = "Logger::default()")]
async fn b() {}
#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(move || {
        let app = App::new().service(a).service(b);
        app
    })
    .bind(("0.0.0.0", 80))?
    .run()
    .await
}
"#);
    let r = run(&[("src/main.rs", &s)]);
    assert_eq!(labels(&r), ["GET /a a", "POST /b b"]);
    assert_eq!(auth_scopes(find(&r, "/a", "a")), [Scope::Route]);
    assert!(find(&r, "/b", "b").auth.is_empty());
}

//! One test per axum feature: method routers, handlers across modules,
//! nesting and merging through functions and variables, layer order and
//! scopes, extractors, groups, and bounded evaluation.

use super::routes;
use crate::rust::common::testutil::{auth_scopes, find, labels, rate_scopes, routes_of};
use archlint_model::{MethodSet, Route, Scope};

fn run(files: &[(&str, &str)]) -> Vec<Route> {
    routes_of(files, routes)
}

const USE: &str =
    "use axum::{Router, routing::{get, post, on, any, MethodFilter}, middleware::from_fn};\n";

fn main_rs(body: &str) -> String {
    format!("{USE}{body}")
}

#[test]
fn method_router_with_several_methods() {
    let src = main_rs(
        r#"
async fn list() {}
async fn create() {}
async fn remove() {}
fn app() -> Router {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/:id", axum::routing::delete(remove))
}
"#,
    );
    let r = run(&[("src/main.rs", &src)]);
    assert_eq!(
        labels(&r),
        [
            "GET /users list",
            "POST /users create",
            "DELETE /users/:id remove"
        ]
    );
    let reg = r[0].registration.as_ref().expect("registration");
    assert_eq!(reg.span.start.line, 8, "registration at the path argument");
    assert_eq!(
        r[0].handler.location.span.start.line, 3,
        "handler location at the fn name"
    );
}

#[test]
fn handlers_in_inline_modules_resolve_by_path() {
    // `mod handlers { .. }` in the file that builds the router, another in a
    // module file, reached as `handlers::x`, `self::..`, `crate::..`.
    let main = main_rs(
        r#"
mod api;
mod handlers {
    pub async fn list() {}
    pub mod admin {
        pub async fn purge() {}
    }
}
fn app() -> Router {
    Router::new()
        .route("/items", get(handlers::list))
        .route("/purge", post(self::handlers::admin::purge))
        .route("/again", get(crate::handlers::list))
        .route("/v1", get(api::v1::status))
        .route("/gone", get(handlers::missing))
}
"#,
    );
    let api = "pub mod v1 {\n    pub async fn status() {}\n}\n";
    let r = run(&[("src/main.rs", &main), ("src/api.rs", api)]);
    assert_eq!(
        labels(&r),
        [
            "GET /again list",
            "GET /items list",
            "POST /purge purge",
            "GET /v1 status"
        ]
    );
    assert_eq!(
        find(&r, "/v1", "status").handler.location.path,
        "src/api.rs"
    );
}

#[test]
fn routers_inside_inline_modules_name_their_siblings() {
    // Each module's `list` is its own; `super::` reaches the file's top level.
    let main = main_rs(
        r#"
async fn health() {}
mod users {
    use axum::{Router, routing::get};
    pub fn router() -> Router {
        Router::new().route("/", get(list)).route("/health", get(super::health))
    }
    async fn list() {}
}
mod orders {
    use axum::{Router, routing::post};
    pub fn router() -> Router {
        Router::new().route("/", post(list)).route("/sub", post(self::nested::create))
    }
    async fn list() {}
    mod nested {
        pub async fn create() {}
    }
}
fn app() -> Router {
    Router::new().nest("/users", users::router()).nest("/orders", orders::router())
}
"#,
    );
    let r = run(&[("src/main.rs", &main)]);
    assert_eq!(
        labels(&r),
        [
            "POST /orders list",
            "POST /orders/sub create",
            "GET /users list",
            "GET /users/health health"
        ]
    );
    let line = |path: &str, handler: &str| find(&r, path, handler).handler.location.span.start.line;
    assert_eq!(line("/users", "list"), 9);
    assert_eq!(line("/orders", "list"), 16);
}

#[test]
fn on_filter_any_and_route_service() {
    let src = main_rs(
        r#"
async fn submit() {}
async fn catch_all() {}
async fn raw(req: Request) -> Response { todo!() }
fn app() -> Router {
    Router::new()
        .route("/submit", on(MethodFilter::POST.or(MethodFilter::PUT), submit))
        .route("/any", any(catch_all))
        .route_service("/raw", tower::service_fn(raw))
        .route_service("/static", ServeDir::new("assets"))
        .nest_service("/files", ServeDir::new("files"))
}
"#,
    );
    let r = run(&[("src/main.rs", &src)]);
    assert_eq!(
        labels(&r),
        [
            "ANY /any catch_all",
            "ANY /raw raw",
            "POST, PUT /submit submit"
        ]
    );
}

#[test]
fn handlers_resolve_by_path_across_modules() {
    let main = main_rs(
        r#"
mod handlers;
fn app() -> Router {
    Router::new()
        .route("/users", post(handlers::users::create))
        .route("/gone", post(handlers::users::missing))
        .route("/ext", get(other_crate::handler))
}
"#,
    );
    let users = "pub async fn create(Json(body): Json<NewUser>) {}";
    let r = run(&[
        ("src/main.rs", &main),
        ("src/handlers/mod.rs", "pub mod users;"),
        ("src/handlers/users.rs", users),
    ]);
    assert_eq!(
        labels(&r),
        ["POST /users create"],
        "unresolved handlers are skipped"
    );
    assert_eq!(r[0].handler.location.path, "src/handlers/users.rs");
}

#[test]
fn nest_and_merge_follow_functions_and_variables() {
    let main = main_rs(
        r#"
mod routes;
async fn health() {}
fn app() -> Router {
    let admin = Router::new().route("/stats", get(routes::stats));
    Router::new()
        .route("/health", get(health))
        .nest("/api", routes::api_router())
        .nest("/admin", admin)
        .merge(routes::other_routes())
        .nest_service("/assets", ServeDir::new("assets"))
}
"#,
    );
    let routes_rs = format!(
        "{USE}{}",
        r#"
pub async fn stats() {}
pub async fn list() {}
pub async fn get_one() {}
pub async fn about() {}
pub fn api_router() -> Router {
    let users = Router::new().route("/", get(list)).route("/:id", get(get_one));
    let router = Router::new().nest("/users", users);
    router
}
pub fn other_routes() -> Router {
    Router::new().route("/about", get(about))
}
"#
    );
    let r = run(&[("src/main.rs", &main), ("src/routes.rs", &routes_rs)]);
    assert_eq!(
        labels(&r),
        [
            "GET /about about",
            "GET /admin/stats stats",
            "GET /api/users list",
            "GET /api/users/:id get_one",
            "GET /health health"
        ]
    );
}

#[test]
fn rebinding_and_parameters() {
    let src = main_rs(
        r#"
async fn a() {}
async fn b() {}
async fn c() {}
fn api_routes() -> Router { Router::new().route("/c", get(c)) }
fn build(api: Router) -> Router { Router::new().nest("/api", api) }
fn app() -> Router {
    let app = Router::new().route("/a", get(a));
    let app = app.route("/b", get(b));
    let app = app.merge(build(api_routes()));
    app
}
"#,
    );
    let r = run(&[("src/main.rs", &src)]);
    assert_eq!(labels(&r), ["GET /a a", "GET /api/c c", "GET /b b"]);
    assert_eq!(
        find(&r, "/a", "a").group,
        find(&r, "/b", "b").group,
        "a rebound variable is one router"
    );
}

#[test]
fn layers_cover_only_routes_added_before() {
    let src = main_rs(
        r#"
async fn profile() {}
async fn settings() {}
async fn public_page() {}
async fn limited() {}
async fn require_auth() {}
fn app() -> Router {
    Router::new()
        .route("/profile", get(profile))
        .route("/settings", post(settings))
        .route_layer(from_fn(require_auth))
        .route("/public", get(public_page))
        .route("/limited", post(limited).layer(GovernorLayer { config: conf }))
}
"#,
    );
    let r = run(&[("src/main.rs", &src)]);
    assert_eq!(auth_scopes(find(&r, "/profile", "profile")), [Scope::App]);
    assert_eq!(
        find(&r, "/profile", "profile").auth[0].what,
        "route_layer(from_fn(require_auth))"
    );
    assert_eq!(auth_scopes(find(&r, "/settings", "settings")), [Scope::App]);
    assert!(
        find(&r, "/public", "public_page").auth.is_empty(),
        "added after the layer"
    );
    assert_eq!(rate_scopes(find(&r, "/limited", "limited")), [Scope::Route]);
}

#[test]
fn nested_router_layers_have_router_scope() {
    let src = main_rs(
        r#"
async fn me() {}
async fn login() {}
async fn auth_middleware() {}
fn api() -> Router {
    Router::new().route("/me", get(me)).layer(axum::middleware::from_fn_with_state(state.clone(), auth_middleware))
}
fn app() -> Router {
    Router::new()
        .nest("/api", api())
        .route("/login", post(login))
        .layer(ServiceBuilder::new().layer(tower::limit::RateLimitLayer::new(5, Duration::from_secs(1))))
}
"#,
    );
    let r = run(&[("src/main.rs", &src)]);
    let me = find(&r, "/api/me", "me");
    assert_eq!(auth_scopes(me), [Scope::Router]);
    assert_eq!(rate_scopes(me), [Scope::App]);
    let login = find(&r, "/login", "login");
    assert!(login.auth.is_empty());
    assert_eq!(rate_scopes(login), [Scope::App]);
}

#[test]
fn auth_layer_types_and_variables() {
    let src = main_rs(
        r#"
async fn a() {}
async fn b() {}
async fn c() {}
fn app() -> Router {
    let auth_layer = ValidateRequestHeaderLayer::bearer("secret");
    Router::new()
        .route("/a", get(a))
        .layer(auth_layer)
        .route("/b", get(b))
        .layer(RequireAuthorizationLayer::bearer("t"))
        .route("/c", get(c))
        .layer(AsyncRequireAuthorizationLayer::new(MyAuth))
}
"#,
    );
    let r = run(&[("src/main.rs", &src)]);
    assert_eq!(find(&r, "/a", "a").auth.len(), 3);
    assert_eq!(find(&r, "/b", "b").auth.len(), 2);
    assert_eq!(find(&r, "/c", "c").auth.len(), 1);
}

#[test]
fn middleware_fn_recognised_by_its_body() {
    let src = main_rs(
        r#"
async fn a() {}
async fn b() {}
async fn gatekeeper(req: Request, next: Next) -> Result<Response, StatusCode> {
    let header = req.headers().get(header::AUTHORIZATION).ok_or(StatusCode::UNAUTHORIZED)?;
    Ok(next.run(req).await)
}
async fn log_requests(req: Request, next: Next) -> Response { next.run(req).await }
fn app() -> Router {
    Router::new().route("/a", post(a)).route_layer(from_fn(gatekeeper))
        .merge(Router::new().route("/b", post(b)).layer(from_fn(log_requests)))
}
"#,
    );
    let r = run(&[("src/main.rs", &src)]);
    assert_eq!(auth_scopes(find(&r, "/a", "a")), [Scope::App]);
    assert!(find(&r, "/b", "b").auth.is_empty());
}

#[test]
fn extractors_authenticate_unless_optional() {
    let main = main_rs(
        r#"
mod auth;
async fn with_user(user: AuthUser) {}
async fn with_claims(Extension(claims): Extension<Claims>) {}
async fn with_header(TypedHeader(t): TypedHeader<Authorization<Bearer>>) {}
async fn optional(user: Option<AuthUser>) {}
async fn custom(admin: auth::RequireAdmin) {}
async fn agent(ua: UserAgent) {}
async fn throttled(_g: RateLimited, Json(body): Json<Body>) {}
fn app() -> Router {
    Router::new()
        .route("/u", get(with_user))
        .route("/c", get(with_claims))
        .route("/h", get(with_header))
        .route("/o", get(optional))
        .route("/x", get(custom))
        .route("/ua", get(agent))
        .route("/t", post(throttled))
}
"#,
    );
    let auth = r#"
pub struct RequireAdmin;
impl<S> axum::extract::FromRequestParts<S> for RequireAdmin { }
pub struct UserAgent;
impl<S> FromRequestParts<S> for UserAgent { }
"#;
    let r = run(&[("src/main.rs", &main), ("src/auth.rs", auth)]);
    for (p, h) in [
        ("/u", "with_user"),
        ("/c", "with_claims"),
        ("/h", "with_header"),
        ("/x", "custom"),
    ] {
        assert_eq!(auth_scopes(find(&r, p, h)), [Scope::Route], "{p}");
    }
    assert_eq!(find(&r, "/u", "with_user").auth[0].what, "user: AuthUser");
    assert!(find(&r, "/o", "optional").auth.is_empty());
    assert!(find(&r, "/ua", "agent").auth.is_empty());
    assert_eq!(rate_scopes(find(&r, "/t", "throttled")), [Scope::Route]);
}

#[test]
fn groups_name_the_building_router() {
    let src = main_rs(
        r#"
async fn a() {}
async fn b() {}
fn api() -> Router { Router::new().route("/b", get(b)) }
fn app() -> Router {
    let public = Router::new().route("/a", get(a));
    Router::new().merge(public).nest("/api", api())
}
"#,
    );
    let r = run(&[("src/main.rs", &src)]);
    assert_eq!(
        find(&r, "/a", "a").group,
        "axum:router:src/main.rs:app:public"
    );
    assert_eq!(find(&r, "/api/b", "b").group, "axum:router:src/main.rs:api");
}

#[test]
fn closures_are_handlers_and_cycles_terminate() {
    let src = main_rs(
        r#"
async fn a() {}
fn looping() -> Router { Router::new().route("/a", get(a)).nest("/again", looping()) }
#[tokio::main]
async fn main() {
    let app = Router::new().route("/", get(|| async { "ok" })).merge(looping());
    axum::serve(listener, app).await.unwrap();
}
"#,
    );
    let r = run(&[("src/main.rs", &src)]);
    assert_eq!(labels(&r), ["GET / closure", "GET /a a"]);
    assert_eq!(r[0].methods, MethodSet::GET);
    assert!(r[0].handler.funcs.is_empty());
}

#[test]
fn non_axum_crates_are_ignored() {
    let src = r#"
async fn h() {}
fn app() -> App { App::new().route("/x", web::get().to(h)) }
"#;
    assert!(run(&[("src/main.rs", src)]).is_empty());
}

#[test]
fn utoipa_routers_and_split_for_parts() {
    let src = main_rs(
        r#"
use utoipa_axum::{router::OpenApiRouter, routes};
#[utoipa::path(get, path = "/health", responses((status = 200)))]
async fn health() {}
#[utoipa::path(post, path = "/users")]
async fn create(user: AuthUser) {}
#[utoipa::path(method(get, head), path = "/users")]
async fn list() {}
fn app() -> Router {
    let api = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health))
        .nest("/api", OpenApiRouter::new().routes(routes!(create, list)));
    let (router, spec) = api.split_for_parts();
    router.merge(SwaggerUi::new("/docs").url("/openapi.json", spec))
}
"#,
    );
    let r = run(&[("src/main.rs", &src)]);
    assert_eq!(
        labels(&r),
        [
            "POST /api/users create",
            "GET, HEAD /api/users list",
            "GET /health health"
        ]
    );
}

#[test]
fn branches_and_unknown_prefixes() {
    let src = main_rs(
        r#"
async fn a() {}
async fn require_auth() {}
fn app(prefix: String) -> Router {
    let routes = Router::new().route("/a", get(a));
    let routes = if prefix.is_empty() { routes } else { Router::new().nest(&prefix, routes) };
    routes.layer(from_fn(require_auth))
}
"#,
    );
    let r = run(&[("src/main.rs", &src)]);
    assert_eq!(labels(&r), ["GET /a a"]);
    assert_eq!(
        auth_scopes(&r[0]),
        [Scope::App],
        "the layer after the branch still covers it"
    );
}

#[test]
fn routers_combined_out_of_sight_are_not_reported() {
    let src = main_rs(
        r#"
async fn a() {}
async fn b() {}
async fn c() {}
async fn require_auth() {}
fn users() -> Router { Router::new().route("/b", post(b)) }
fn app() -> Router {
    let public = Router::new().route("/a", post(a));
    let all = vec![public, users()];
    all.into_iter().fold(Router::new(), |acc, r| acc.merge(r)).layer(from_fn(require_auth))
}
fn metrics() -> Router { Router::new().route("/c", get(c)) }
"#,
    );
    let r = run(&[("src/main.rs", &src)]);
    assert_eq!(
        labels(&r),
        ["GET /c c"],
        "only the router whose use is clear"
    );
}

#[test]
fn deep_nesting_is_bounded() {
    let mut chain = String::from("Router::new().route(\"/x\", get(a))");
    for i in 0..200 {
        chain = format!("Router::new().nest(\"/n{i}\", {chain})");
    }
    let src = main_rs(&format!(
        "async fn a() {{}}\nfn app() -> Router {{ {chain} }}\n"
    ));
    // Whatever the extractor keeps of it, evaluation terminates without overflow.
    let _ = run(&[("src/main.rs", &src)]);
}

#[test]
fn chains_cut_by_the_extractor_do_not_leave_false_roots() {
    let mut chain = String::from("Router::new()");
    for i in 0..300 {
        chain.push_str(&format!("\n        .nest(\"/m{i}\", m{i}())"));
    }
    let mut src = main_rs("async fn h() {}\n");
    for i in 0..300 {
        src.push_str(&format!(
            "fn m{i}() -> Router {{ Router::new().route(\"/x\", post(h)) }}\n"
        ));
    }
    src.push_str(&format!("fn app() -> Router {{\n    {chain}\n}}\n"));
    let r = run(&[("src/main.rs", &src)]);
    assert!(!r.is_empty());
    assert!(
        r.iter().all(|r| r.path.starts_with("/m")),
        "no unprefixed root from the cut part"
    );
}
